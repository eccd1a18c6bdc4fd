/* Sealed records, and the token's own records in two copies.
 *
 * Sealing (docs/FORMAT.md, "Sealed records"): a sensitive record - a
 * private or secret key, the token record with its PIN verifiers, the NV
 * seed - is stored as its ChaCha20-Poly1305 ciphertext followed by a
 * 32-byte trailer (tag, synthetic nonce, envelope version), with the
 * store's E bit set. The additional data is the record's store id and the
 * envelope version, so a record cannot be moved to another id; the record's
 * own sequence number, inside the ciphertext, orders the two copies of the
 * token's records. The keys are derived from the slot's device key the
 * first time they are needed after a mount and kept (wiped at finalize).
 *
 * Two copies (docs/FORMAT.md, "Two copies"): the token record, the PIN
 * failure counters and the NV seed are each written twice, to two ids, one
 * store put after the other, each copy carrying a sequence number; a read
 * takes the newest copy that passes every check. One damaged copy (a bit
 * flipped in flash, a put cut short) therefore costs nothing, and the next
 * write rewrites it (tok_repair).
 *
 * Migration (docs/DESIGN.md): a token written before sealing keeps its
 * sensitive records in the clear. The first write seals its token record
 * (flagged "migrating"), the end of that operation seals every other
 * sensitive record and clears the flag. Until then, and only then, records
 * in the clear are accepted; a sealed token refuses them. */
#include "tok_internal.h"

#include <string.h>

#include "nvtoken/port.h"

static const struct {
    nvt_store_id_t id[2];
    unsigned flags; /* store flags of both copies */
} twin_kinds[TOK_TWINS] = {
    [TOK_TWIN_RECORD] = { { NVT_TOKEN_ID_RECORD, NVT_TOKEN_ID_RECORD_COPY }, NVT_STORE_SENSITIVE },
    [TOK_TWIN_COUNTERS] = { { NVT_TOKEN_ID_PIN_COUNTERS, NVT_TOKEN_ID_PIN_COUNTERS_COPY }, 0 },
    [TOK_TWIN_SEED] = { { NVT_TOKEN_ID_NV_SEED, NVT_TOKEN_ID_NV_SEED_COPY }, NVT_STORE_SENSITIVE },
};

/* ------------------------------------------------------------------------
 * Keys
 * ---------------------------------------------------------------------- */

/* The slot's device root (the slot's hook, else the port's). */
static int fetch_root(tok_slot_t *s, nvt_token_device_key_t *k)
{
    const nvt_token_slot_config_t *c = s->cfg;
    int rc;
    memset(k, 0, sizeof(*k));
    if (c->device_key != NULL) {
        rc = c->device_key(c->device_key_ctx, !s->store_sealed, k);
    } else {
        rc = nvt_port_device_key(k->secret);
        if (rc == NVT_OK) {
            rc = nvt_port_device_uid(k->uid, &k->uid_len);
        }
    }
    if (rc == NVT_OK && k->uid_len > NVT_TOKEN_DEVICE_UID_MAX) {
        rc = NVT_E_INVALID;
    }
    if (rc != NVT_OK) {
        nvt_crypto_zeroize(k, sizeof(*k));
        s->diag.no_key = 1;
    }
    return rc;
}

CK_RV tok_device_derive(tok_slot_t *s, const char *label, const uint8_t *context, size_t context_len, uint8_t *out,
                        size_t n)
{
    nvt_token_device_key_t k;
    int rc = fetch_root(s, &k);
    if (rc == NVT_OK) {
        rc = nvt_crypto_device_derive(k.secret, k.uid, k.uid_len, label, context, context_len, out, n);
    }
    nvt_crypto_zeroize(&k, sizeof(k));
    return rc == NVT_OK ? CKR_OK : CKR_DEVICE_ERROR;
}

/* The sealing keys, derived once per mount. */
static int keys(tok_slot_t *s)
{
    if (s->keys_ready) {
        return NVT_OK;
    }
    nvt_token_device_key_t k;
    int rc = fetch_root(s, &k);
    if (rc == NVT_OK) {
        rc = nvt_crypto_seal_keys(k.secret, k.uid, k.uid_len, &s->keys);
    }
    nvt_crypto_zeroize(&k, sizeof(k));
    s->keys_ready = rc == NVT_OK;
    return rc == NVT_OK ? NVT_OK : NVT_E_NOT_FOUND;
}

void tok_seal_forget(tok_slot_t *s)
{
    nvt_crypto_zeroize(&s->keys, sizeof(s->keys));
    s->keys_ready = 0;
}

/* ------------------------------------------------------------------------
 * Sealed records
 * ---------------------------------------------------------------------- */

/* The additional data of a sealed record: its id and the envelope version. */
static void seal_ad(uint8_t ad[3], nvt_store_id_t id)
{
    ad[0] = (uint8_t)(id & 0xFFu);
    ad[1] = (uint8_t)(id >> 8);
    ad[2] = TOK_SEAL_VERSION;
}

int tok_seal_plain_ok(const tok_slot_t *s)
{
    return !NVT_CONFIG_TOKEN_SEAL || tok_migrating(s);
}

/* Seal a record of the slot in place; the trailer goes after it. */
static int seal_in_place(const nvt_crypto_seal_keys_t *k, nvt_store_id_t id, uint8_t *buf, size_t len)
{
    uint8_t ad[3];
    uint8_t *t = buf + len;
    seal_ad(ad, id);
    int rc = nvt_crypto_seal(k, ad, sizeof(ad), buf, len, t + NVT_CRYPTO_SEAL_TAG_SIZE, t);
    t[28] = TOK_SEAL_VERSION;
    t[29] = t[30] = t[31] = 0;
    return rc;
}

/* Open a sealed record of n bytes in place; *len: the plaintext's. */
static int open_in_place(const nvt_crypto_seal_keys_t *k, nvt_store_id_t id, uint8_t *buf, size_t n, size_t *len)
{
    if (n < TOK_SEAL_TRAILER) {
        return NVT_E_VERIFY;
    }
    uint8_t *t = buf + n - TOK_SEAL_TRAILER;
    if (t[28] != TOK_SEAL_VERSION || t[29] != 0 || t[30] != 0 || t[31] != 0) {
        return NVT_E_VERIFY; /* no envelope this version can check */
    }
    uint8_t ad[3];
    seal_ad(ad, id);
    *len = n - TOK_SEAL_TRAILER;
    int rc = nvt_crypto_seal_open(k, ad, sizeof(ad), buf, *len, t + NVT_CRYPTO_SEAL_TAG_SIZE, t);
    memset(t, 0, TOK_SEAL_TRAILER);
    return rc;
}

CK_RV tok_migrate_begin(tok_slot_t *s)
{
    if (!tok_migrating(s) || !s->initialized || s->in_repair ||
        !s->twin[TOK_TWIN_RECORD].plain) {
        return CKR_OK;
    }
    tok_record_t rec = s->rec; /* saved flagged migrating (tok_record_save) */
    s->in_repair = 1;
    CK_RV rv = tok_record_save(s, &rec);
    s->in_repair = 0;
    nvt_crypto_zeroize(&rec, sizeof(rec));
    return rv;
}

CK_RV tok_seal_put(tok_slot_t *s, nvt_store_id_t id, uint8_t *buf, size_t len, size_t cap, unsigned flags)
{
    if (!NVT_CONFIG_TOKEN_SEAL || (flags & NVT_STORE_SENSITIVE) == 0) {
        return tok_store_put(s, id, buf, len, flags);
    }
    if (len > cap || cap - len < TOK_SEAL_TRAILER) {
        return CKR_DEVICE_MEMORY;
    }
    CK_RV rv = tok_migrate_begin(s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (keys(s) != NVT_OK) {
        return CKR_DEVICE_ERROR; /* diag.no_key says why */
    }
    if (seal_in_place(&s->keys, id, buf, len) != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    rv = tok_store_put(s, id, buf, len + TOK_SEAL_TRAILER, flags | NVT_STORE_SEALED);
    if (rv == CKR_OK) {
        s->store_sealed = 1;
    }
    /* The caller keeps its plaintext (the host caches it). */
    size_t plain = 0;
    if (open_in_place(&s->keys, id, buf, len + TOK_SEAL_TRAILER, &plain) != NVT_OK && rv == CKR_OK) {
        rv = CKR_GENERAL_ERROR; /* cannot be: it was just sealed */
    }
    return rv;
}

int tok_seal_get(tok_slot_t *s, nvt_store_id_t id, uint8_t *buf, size_t cap, size_t *len, int *sealed)
{
    size_t n = 0;
    unsigned flags = 0;
    *len = 0;
    *sealed = 0;
    int err = nvt_store_size(s->cfg->store, id, &n, &flags);
    if (err == NVT_OK) {
        err = nvt_store_get(s->cfg->store, id, buf, cap, &n);
    }
    if (err != NVT_OK) {
        return err;
    }
    if ((flags & NVT_STORE_SEALED) == 0) {
        *len = n;
        return NVT_OK;
    }
    *sealed = 1;
    err = NVT_CONFIG_TOKEN_SEAL ? keys(s) : NVT_E_UNSUPPORTED;
    if (err == NVT_OK) {
        err = open_in_place(&s->keys, id, buf, n, len);
    } else {
        err = NVT_E_VERIFY; /* cannot be opened here: no key, or no sealing */
    }
    if (err != NVT_OK) {
        nvt_crypto_zeroize(buf, n);
        *len = 0;
    }
    return err;
}

/* ------------------------------------------------------------------------
 * Two copies
 * ---------------------------------------------------------------------- */

int tok_twin_read(tok_slot_t *s, unsigned kind, uint8_t *buf, size_t cap, size_t *len, int plain_ok,
                  int (*valid)(const uint8_t *p, size_t n, uint32_t *seq), int *present)
{
    tok_twin_t *t = &s->twin[kind];
    size_t n[2] = { 0, 0 };
    uint32_t seq[2] = { 0, 0 };
    int ok[2] = { 0, 0 }, plain[2] = { 0, 0 };
    t->seq = 0;
    t->stale = 0;
    t->plain = 0;
    *present = 0;
    *len = 0;
    for (unsigned i = 0; i < 2; i++) {
        uint8_t *b = buf + i * cap;
        int sealed = 0;
        int err = tok_seal_get(s, twin_kinds[kind].id[i], b, cap, &n[i], &sealed);
        if (err == NVT_E_NOT_FOUND) {
            t->stale |= (uint8_t)(1u << i);
            continue;
        }
        *present = 1;
        if (err == NVT_OK && !sealed && !plain_ok) {
            s->diag.refused++;
        } else if (err == NVT_OK && valid(b, n[i], &seq[i])) {
            ok[i] = 1;
            plain[i] = !sealed;
            continue;
        } else if (err == NVT_E_VERIFY) {
            s->diag.tampered++;
        } else if (err != NVT_OK && err != NVT_E_CORRUPT && err != NVT_E_BUFFER_TOO_SMALL) {
            nvt_crypto_zeroize(buf, 2 * cap);
            return err; /* the flash failed: not a verdict on the copy */
        }
        s->diag.copies_damaged++;
        t->stale |= (uint8_t)(1u << i);
        nvt_crypto_zeroize(b, cap);
    }
    int best = ok[0] && ok[1] ? (seq[1] > seq[0] ? 1 : 0) : ok[1] ? 1 : ok[0] ? 0 : -1;
    if (best >= 0) {
        int other = 1 - best;
        if (!ok[other] || seq[other] != seq[best]) {
            t->stale |= (uint8_t)(1u << other);
        }
        for (unsigned i = 0; i < 2; i++) {
            if (ok[i] && plain[i] && NVT_CONFIG_TOKEN_SEAL && (twin_kinds[kind].flags & NVT_STORE_SENSITIVE) != 0) {
                t->stale |= (uint8_t)(1u << i); /* to be sealed */
            }
        }
        if (best == 1) {
            memmove(buf, buf + cap, n[1]);
        }
        t->plain = (uint8_t)plain[best];
        t->seq = seq[best];
        *len = n[best];
    }
    nvt_crypto_zeroize(buf + cap, cap);
    t->have = best >= 0;
    return best >= 0;
}

CK_RV tok_twin_write(tok_slot_t *s, unsigned kind, uint8_t *buf, size_t len, size_t cap, uint32_t seq)
{
    tok_twin_t *t = &s->twin[kind];
    CK_RV rv = tok_seal_put(s, twin_kinds[kind].id[0], buf, len, cap, twin_kinds[kind].flags);
    if (rv != CKR_OK) {
        return rv;
    }
    t->seq = seq;
    t->have = 1;
    t->plain = !NVT_CONFIG_TOKEN_SEAL || (twin_kinds[kind].flags & NVT_STORE_SENSITIVE) == 0;
    t->stale = 2;
    if (tok_seal_put(s, twin_kinds[kind].id[1], buf, len, cap, twin_kinds[kind].flags) == CKR_OK) {
        t->stale = 0;
    }
    return CKR_OK;
}

/* ------------------------------------------------------------------------
 * Mount, repair, migration
 * ---------------------------------------------------------------------- */

void tok_seal_mount(tok_slot_t *s)
{
    nvt_store_id_t id = NVT_STORE_ID_NONE;
    tok_seal_forget(s);
    memset(&s->diag, 0, sizeof(s->diag));
    memset(s->twin, 0, sizeof(s->twin));
    s->store_sealed = 0;
    s->migrating = 0;
    s->unreadable = 0;
    while (!s->store_sealed && nvt_store_next(s->cfg->store, id, &id) == NVT_OK) {
        size_t len;
        unsigned flags = 0;
        s->store_sealed = nvt_store_size(s->cfg->store, id, &len, &flags) == NVT_OK && (flags & NVT_STORE_SEALED) != 0;
    }
    /* The NV seed is read only where it seeds the generator (a device, at
     * start-up); elsewhere - a host provisioning images - a seed missing a
     * copy, in the clear, or failing the store's CRC is found here and
     * repaired by the next write too. */
    tok_twin_t *t = &s->twin[TOK_TWIN_SEED];
    uint8_t seed[TOK_SEED_RECORD_MAX + TOK_SEAL_TRAILER];
    for (unsigned i = 0; i < 2; i++) {
        size_t len = 0;
        unsigned flags = 0;
        nvt_store_id_t seed_id = twin_kinds[TOK_TWIN_SEED].id[i];
        int here = nvt_store_size(s->cfg->store, seed_id, &len, &flags) == NVT_OK;
        t->have |= (uint8_t)here;
        if (!here || (NVT_CONFIG_TOKEN_SEAL && (flags & NVT_STORE_SEALED) == 0) ||
            nvt_store_get(s->cfg->store, seed_id, seed, sizeof(seed), &len) != NVT_OK) {
            t->stale |= (uint8_t)(1u << i);
        }
    }
    nvt_crypto_zeroize(seed, sizeof(seed));
}

int tok_store_has_objects(tok_slot_t *s)
{
    nvt_store_id_t id;
    return nvt_store_next(s->cfg->store, NVT_TOKEN_ID_FIRST_OBJECT - 1, &id) == NVT_OK;
}

int tok_repair_due(const tok_slot_t *s)
{
    if (s->unreadable || s->in_repair) {
        return 0;
    }
    int due = tok_migrating(s);
    for (unsigned k = 0; k < TOK_TWINS; k++) {
        due |= s->twin[k].have && s->twin[k].stale != 0;
    }
    return due;
}

/* While migrating: seal every sensitive token object still in the clear. */
static CK_RV seal_objects(tok_slot_t *s)
{
    nvt_store_id_t id = NVT_TOKEN_ID_FIRST_OBJECT - 1;
    CK_RV rv = CKR_OK;
    while (rv == CKR_OK && nvt_store_next(s->cfg->store, id, &id) == NVT_OK) {
        size_t len = 0;
        unsigned flags = 0;
        if (nvt_store_size(s->cfg->store, id, &len, &flags) != NVT_OK ||
            (flags & (NVT_STORE_SENSITIVE | NVT_STORE_SEALED)) != NVT_STORE_SENSITIVE) {
            continue;
        }
        int err = nvt_store_get(s->cfg->store, id, tok.buf[0], NVT_CONFIG_TOKEN_OBJECT_MAX, &len);
        tok.buf_used[0] = sizeof(tok.buf[0]);
        if (err == NVT_OK) {
            rv = tok_seal_put(s, id, tok.buf[0], len, sizeof(tok.buf[0]), flags);
        } else if (err != NVT_E_CORRUPT && err != NVT_E_BUFFER_TOO_SMALL) {
            rv = tok_rv(err); /* a corrupt one stays as it is: never returned as data */
        }
        nvt_crypto_zeroize(tok.buf[0], sizeof(tok.buf[0]));
    }
    return rv;
}

/* The seed copies again, sealed and both present (same seed, next sequence). */
static CK_RV seed_rewrite(tok_slot_t *s)
{
    uint8_t buf[2 * (TOK_SEED_RECORD_MAX + TOK_SEAL_TRAILER)];
    size_t len = 0;
    int present = 0;
    int found = tok_twin_read(s, TOK_TWIN_SEED, buf, sizeof(buf) / 2, &len, 1, tok_seed_valid, &present);
    CK_RV rv = found < 0 ? tok_rv(found) : CKR_OK;
    if (found > 0) {
        /* the seed kept at the size it has (a host-made image's 64 bytes in
         * a 32-byte build, and the reverse): the next start-up's write
         * replaces it by one of this build's size */
        uint8_t rec[TOK_SEED_RECORD_MAX + TOK_SEAL_TRAILER];
        uint32_t seq = s->twin[TOK_TWIN_SEED].seq + 1;
        const uint8_t *seed = NULL;
        size_t seed_len = tok_seed_part(buf, len, &seed);
        tok_seed_encode(seed, seed_len, seq, rec);
        rv = tok_twin_write(s, TOK_TWIN_SEED, rec, 8u + seed_len, sizeof(rec), seq);
        nvt_crypto_zeroize(rec, sizeof(rec));
    }
    nvt_crypto_zeroize(buf, sizeof(buf));
    return rv;
}

CK_RV tok_repair(tok_slot_t *s)
{
    if (!tok_repair_due(s)) {
        return CKR_OK;
    }
    CK_RV rv = tok_migrate_begin(s);
    int migrating = tok_migrating(s);
    s->in_repair = 1;
    if (rv == CKR_OK && migrating) {
        rv = seal_objects(s);
    }
    if (rv == CKR_OK && s->twin[TOK_TWIN_SEED].have && s->twin[TOK_TWIN_SEED].stale != 0) {
        rv = seed_rewrite(s);
    }
    if (rv == CKR_OK && s->initialized && s->twin[TOK_TWIN_COUNTERS].have && s->twin[TOK_TWIN_COUNTERS].stale != 0) {
        rv = tok_counters_save(s, s->rec.so_fails, s->rec.user_fails);
    }
    if (rv == CKR_OK && s->initialized && (migrating || s->twin[TOK_TWIN_RECORD].stale != 0)) {
        /* last: the record without the migrating flag (every sensitive
         * record is sealed now), or the damaged copy again */
        tok_record_t rec = s->rec;
        s->migrating = 0;
        rv = tok_record_save(s, &rec);
        s->migrating = rv == CKR_OK ? 0 : migrating;
        nvt_crypto_zeroize(&rec, sizeof(rec));
    } else if (rv == CKR_OK) {
        s->migrating = 0;
    }
    s->in_repair = 0;
    return rv;
}

/* ------------------------------------------------------------------------
 * The NV seed
 * ---------------------------------------------------------------------- */

/* The seed sizes any build writes: 32 bytes (SHA-256 entropy pool) or 64
 * (SHA-512). Every build reads either, whole (tok_seed_part). */
static int seed_size_ok(size_t n)
{
    return n == 32u || n == 64u;
}

int tok_seed_valid(const uint8_t *p, size_t n, uint32_t *seq)
{
    if (seed_size_ok(n)) {
        *seq = 0; /* version 1: a seed provisioned in the clear */
        return 1;
    }
    if (n > 8u && seed_size_ok(n - 8u) && p[0] == TOK_SEED_VERSION && p[1] == 0 && p[2] == 0 && p[3] == 0) {
        *seq = tok_get32(p + 4);
        return 1;
    }
    return 0;
}

size_t tok_seed_part(const uint8_t *rec, size_t n, const uint8_t **seed)
{
    int bare = seed_size_ok(n); /* version 1: the seed alone */
    *seed = bare ? rec : rec + 8;
    return bare ? n : n - 8u;
}

void tok_seed_encode(const uint8_t *seed, size_t seed_len, uint32_t seq, uint8_t *out)
{
    out[0] = TOK_SEED_VERSION;
    out[1] = out[2] = out[3] = 0;
    tok_put32(out + 4, seq);
    memcpy(out + 8, seed, seed_len);
}

CK_RV tok_seed_read(tok_slot_t *s, uint8_t *out, size_t len)
{
    uint8_t buf[2 * (TOK_SEED_RECORD_MAX + TOK_SEAL_TRAILER)];
    size_t n = 0;
    int present = 0;
    int found = tok_twin_read(s, TOK_TWIN_SEED, buf, sizeof(buf) / 2, &n, 1, tok_seed_valid, &present);
    CK_RV rv = found < 0 ? tok_rv(found) : found == 0 ? CKR_DEVICE_ERROR : CKR_OK;
    if (rv == CKR_OK) {
        /* Mixed with the device key before the pool sees it: a seed cloned
         * into many devices (a golden image) starts each one differently,
         * and a seed read from the flash tells nothing without the key. */
        const uint8_t *seed = NULL;
        size_t seed_len = tok_seed_part(buf, n, &seed);
        rv = tok_device_derive(s, "nvtoken/nv-seed/v1", seed, seed_len, out, len);
    }
    nvt_crypto_zeroize(buf, sizeof(buf));
    return rv;
}

CK_RV tok_seed_write(tok_slot_t *s, const uint8_t *seed, size_t len)
{
    if (len != NVT_TOKEN_NV_SEED_SIZE) {
        return CKR_GENERAL_ERROR;
    }
    s->twin[TOK_TWIN_SEED].stale = 0; /* both copies are written below */
    (void)tok_repair(s);               /* first what the last start-up left to do */
    uint8_t rec[TOK_SEED_RECORD + TOK_SEAL_TRAILER];
    uint32_t seq = s->twin[TOK_TWIN_SEED].seq + 1;
    tok_seed_encode(seed, NVT_TOKEN_NV_SEED_SIZE, seq, rec);
    CK_RV rv = tok_twin_write(s, TOK_TWIN_SEED, rec, TOK_SEED_RECORD, sizeof(rec), seq);
    nvt_crypto_zeroize(rec, sizeof(rec));
    return rv;
}

/* ------------------------------------------------------------------------
 * Diagnostics, nvtoken seal, nvtoken fsck
 * ---------------------------------------------------------------------- */

int nvt_token_diagnostics(unsigned slot, nvt_token_diag_t *diag)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL || diag == NULL) {
        return NVT_E_INVALID;
    }
    *diag = s->diag;
    diag->record = s->initialized ? NVT_TOKEN_RECORD_OK : s->unreadable ? NVT_TOKEN_RECORD_UNREADABLE
                                                                      : NVT_TOKEN_RECORD_NONE;
    diag->sealed = NVT_CONFIG_TOKEN_SEAL;
    diag->migrating = (unsigned)tok_migrating(s);
    diag->repairs_pending = 0;
    for (unsigned k = 0; k < TOK_TWINS; k++) {
        if (s->twin[k].have) {
            diag->repairs_pending += (s->twin[k].stale & 1u) + (s->twin[k].stale >> 1);
        }
    }
    return NVT_OK;
}

int nvt_token_seal(unsigned slot)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL) {
        return NVT_E_INVALID;
    }
    if (!NVT_CONFIG_TOKEN_SEAL) {
        return NVT_E_UNSUPPORTED;
    }
    if (tok_slot_enter(s) != CKR_OK) {
        return NVT_E_IO;
    }
    int err = NVT_OK;
    if (s->unreadable) {
        err = s->diag.no_key ? NVT_E_NOT_FOUND : NVT_E_CORRUPT;
    } else if (keys(s) != NVT_OK) {
        err = NVT_E_NOT_FOUND;
    } else if (tok_repair_due(s)) {
        s->wrote = 1;
        err = tok_repair(s) == CKR_OK ? NVT_OK : NVT_E_IO;
    }
    (void)tok_slot_leave(s, CKR_OK);
    return err;
}

int nvt_token_seal_check(nvt_store_t *store, const nvt_token_device_key_t *key, nvt_token_seal_report_t *report)
{
    if (store == NULL || report == NULL || (key != NULL && key->uid_len > NVT_TOKEN_DEVICE_UID_MAX)) {
        return NVT_E_INVALID;
    }
    memset(report, 0, sizeof(*report));
    report->first_tampered = NVT_STORE_ID_NONE;
    if (key != NULL && !NVT_CONFIG_TOKEN_SEAL) {
        return NVT_E_UNSUPPORTED;
    }
    nvt_crypto_seal_keys_t k;
    int rc = key != NULL ? nvt_crypto_seal_keys(key->secret, key->uid, key->uid_len, &k) : NVT_OK;
    nvt_store_id_t id = NVT_STORE_ID_NONE;
    while (rc == NVT_OK && nvt_store_next(store, id, &id) == NVT_OK) {
        size_t n = 0, len = 0;
        unsigned flags = 0;
        rc = nvt_store_size(store, id, &n, &flags);
        if (rc != NVT_OK || (flags & NVT_STORE_SEALED) == 0) {
            report->plaintext += rc == NVT_OK && (flags & NVT_STORE_SENSITIVE) != 0;
            continue;
        }
        report->sealed++;
        if (key == NULL) {
            continue;
        }
        /* The library's working buffer: this runs without the library. */
        int err = nvt_store_get(store, id, tok.buf[0], sizeof(tok.buf[0]), &n);
        if (err == NVT_OK) {
            err = open_in_place(&k, id, tok.buf[0], n, &len);
        }
        nvt_crypto_zeroize(tok.buf[0], sizeof(tok.buf[0]));
        if (err == NVT_OK) {
            report->opened++;
        } else if (err == NVT_E_VERIFY || err == NVT_E_CORRUPT || err == NVT_E_BUFFER_TOO_SMALL) {
            report->first_tampered = report->tampered++ == 0 ? id : report->first_tampered;
        } else {
            rc = err;
        }
    }
    nvt_crypto_zeroize(&k, sizeof(k));
    return rc != NVT_OK ? rc : report->tampered > 0 ? NVT_E_VERIFY : NVT_OK;
}
