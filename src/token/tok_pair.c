/*
 * The key-pair journal: C_GenerateKeyPair stores its two halves with two
 * store puts, and a power cut between them would leave one half alone.
 * Before the first put, a small record (NVT_TOKEN_ID_PAIR_JOURNAL) names the
 * two ids the halves will get; after the second, it is deleted. A mount that
 * finds the journal deletes both ids, then the journal, so after a cut the
 * token holds both halves or neither (docs/DESIGN.md, "Persistence and power
 * cuts"; byte layout in docs/FORMAT.md, "Key-pair journal").
 */
#include <string.h>

#include "tok_internal.h"

/* version 1: [0] version, [1] count (2), [2..3] first id, [4..5] second id,
 * ids little-endian */
#define PAIR_VERSION 1u
#define PAIR_BYTES 6u

static void pair_encode(uint8_t b[PAIR_BYTES], const nvt_store_id_t ids[2])
{
    b[0] = PAIR_VERSION;
    b[1] = 2u;
    for (int i = 0; i < 2; i++) {
        b[2 + 2 * i] = (uint8_t)(ids[i] & 0xFFu);
        b[3 + 2 * i] = (uint8_t)(ids[i] >> 8);
    }
}

CK_RV tok_pair_arm(tok_slot_t *s)
{
    CK_RV rv = s->pair_state == TOK_PAIR_NONE ? CKR_OK : tok_pair_recover(s);
    if (rv == CKR_OK) {
        s->pair_used = 0;
        s->pair_state = TOK_PAIR_ARMED;
    }
    return rv;
}

int tok_pair_armed(const tok_slot_t *s)
{
    return s->pair_state == TOK_PAIR_ARMED || s->pair_state == TOK_PAIR_OPEN;
}

/* Written only once the first half passed every check (session, login,
 * template), so a request refused for those writes nothing. */
static CK_RV pair_open(tok_slot_t *s)
{
    nvt_store_id_t ids[2];
    uint8_t b[PAIR_BYTES];
    CK_RV rv = tok_object_alloc_id(s, &ids[0]);
    if (rv == CKR_OK) {
        rv = tok_object_alloc_id(s, &ids[1]);
    }
    if (rv == CKR_OK) {
        pair_encode(b, ids);
        rv = tok_store_put(s, NVT_TOKEN_ID_PAIR_JOURNAL, b, sizeof(b), 0);
    }
    if (rv == CKR_OK) {
        s->pair[0] = ids[0];
        s->pair[1] = ids[1];
        s->pair_state = TOK_PAIR_OPEN;
    }
    return rv;
}

CK_RV tok_pair_take_id(tok_slot_t *s, nvt_store_id_t *id)
{
    CK_RV rv = s->pair_state == TOK_PAIR_ARMED ? pair_open(s) : CKR_OK;
    if (rv == CKR_OK && (s->pair_state != TOK_PAIR_OPEN || s->pair_used >= 2u)) {
        rv = CKR_GENERAL_ERROR; /* more than two halves: a bug */
    }
    if (rv == CKR_OK) {
        *id = s->pair[s->pair_used++];
    }
    return rv;
}

int tok_pair_reserves(const tok_slot_t *s, nvt_store_id_t id)
{
    return (s->pair_state == TOK_PAIR_OPEN || s->pair_state == TOK_PAIR_STRANDED) &&
           (id == s->pair[0] || id == s->pair[1]);
}

CK_RV tok_pair_end(tok_slot_t *s, CK_RV rv)
{
    if (s->pair_state == TOK_PAIR_ARMED) {
        s->pair_state = TOK_PAIR_NONE; /* nothing was stored */
    }
    if (s->pair_state != TOK_PAIR_OPEN) {
        return rv;
    }
    CK_RV drv = tok_store_delete(s, NVT_TOKEN_ID_PAIR_JOURNAL);
    if (drv != CKR_OK) {
        /* The journal stays, so the next mount deletes both ids: keep them
         * reserved until then, so no other object can take them. */
        s->pair_state = TOK_PAIR_STRANDED;
        return rv != CKR_OK ? rv : drv;
    }
    s->pair_state = TOK_PAIR_NONE;
    return rv;
}

CK_RV tok_pair_recover(tok_slot_t *s)
{
    uint8_t b[PAIR_BYTES];
    size_t n = 0;
    int err = nvt_store_get(s->cfg->store, NVT_TOKEN_ID_PAIR_JOURNAL, b, sizeof(b), &n);
    if (err == NVT_E_NOT_FOUND) {
        s->pair_state = TOK_PAIR_NONE;
        return CKR_OK;
    }
    CK_RV rv = CKR_OK;
    if (err == NVT_OK && n == PAIR_BYTES && b[0] == PAIR_VERSION && b[1] == 2u) {
        for (int i = 0; i < 2 && rv == CKR_OK; i++) {
            nvt_store_id_t id = (nvt_store_id_t)(b[2 + 2 * i] | (b[3 + 2 * i] << 8));
            if (id >= NVT_TOKEN_ID_FIRST_OBJECT && id != NVT_STORE_ID_NONE) {
                rv = tok_store_delete(s, id);
            }
        }
    } else if (err == NVT_E_CORRUPT) {
        s->diag.corrupt++; /* a damaged journal names nothing: at worst one half stays */
    } else if (err != NVT_OK && err != NVT_E_BUFFER_TOO_SMALL) {
        return tok_rv(err);
    }
    /* A journal this version cannot read names nothing it may delete. */
    if (rv == CKR_OK) {
        rv = tok_store_delete(s, NVT_TOKEN_ID_PAIR_JOURNAL);
    }
    if (rv == CKR_OK) {
        s->pair_state = TOK_PAIR_NONE;
    }
    return rv;
}
