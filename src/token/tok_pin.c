/* PINs: the token record that holds their verifiers and failure counters,
 * C_InitToken, C_InitPIN, C_SetPIN, C_Login, C_Logout.
 *
 * A PIN is never stored: the record keeps PBKDF2-HMAC-SHA256(PIN, salt,
 * iterations) with a random salt per PIN. A login first writes the failure
 * counter incremented, then checks the PIN, then resets the counter on
 * success - so a power cut after a wrong guess has already counted it, and
 * cutting power to learn the answer without paying for it gains nothing.
 *
 * The counters have their own small record, put without scrubbing (a count
 * is no secret), so an attempt costs one short write, not the relocation a
 * sensitive put needs. Each count names the verifier it counts against
 * (generation and serial): setting a PIN bumps its serial in the token
 * record, which resets its count in the same single write. */
#include "tok_internal.h"

#include <string.h>

#include "nvt_ct.h"

/* ------------------------------------------------------------------------
 * The token record (docs/FORMAT.md, "Token record")
 * ---------------------------------------------------------------------- */

static void put_verifier(uint8_t *p, const tok_verifier_t *v)
{
    tok_put32(p, v->iterations);
    memcpy(p + 4, v->salt, TOK_SALT_SIZE);
    memcpy(p + 4 + TOK_SALT_SIZE, v->key, TOK_KEY_SIZE);
}

static void get_verifier(tok_verifier_t *v, const uint8_t *p)
{
    v->iterations = tok_get32(p);
    memcpy(v->salt, p + 4, TOK_SALT_SIZE);
    memcpy(v->key, p + 4 + TOK_SALT_SIZE, TOK_KEY_SIZE);
}

void tok_record_encode(const tok_record_t *r, uint8_t out[TOK_REC_SIZE])
{
    memset(out, 0, TOK_REC_SIZE);
    tok_put32(out, TOK_REC_MAGIC);
    out[4] = TOK_REC_VERSION;
    out[5] = r->flags;
    tok_put32(out + 8, r->gen);
    memcpy(out + 12, r->label, TOK_LABEL_SIZE);
    memcpy(out + 44, r->serial, TOK_SERIAL_SIZE);
    tok_put32(out + 60, r->so_serial);
    tok_put32(out + 64, r->user_serial);
    put_verifier(out + 68, &r->so);
    put_verifier(out + 120, &r->user);
    tok_put32(out + 172, r->seq);
}

/* Version 2 is version 1 with the sequence at 172. */
CK_RV tok_record_decode(tok_record_t *r, const uint8_t *in, size_t len)
{
    int v1 = len == TOK_REC_V1_SIZE && in[4] == 1u;
    int v2 = len == TOK_REC_SIZE && in[4] == TOK_REC_VERSION;
    if ((!v1 && !v2) || tok_get32(in) != TOK_REC_MAGIC) {
        return CKR_DEVICE_ERROR;
    }
    memset(r, 0, sizeof(*r));
    r->seq = v2 ? tok_get32(in + 172) : 0;
    r->flags = in[5];
    r->gen = tok_get32(in + 8);
    memcpy(r->label, in + 12, TOK_LABEL_SIZE);
    memcpy(r->serial, in + 44, TOK_SERIAL_SIZE);
    r->so_serial = tok_get32(in + 60);
    r->user_serial = tok_get32(in + 64);
    get_verifier(&r->so, in + 68);
    get_verifier(&r->user, in + 120);
    /* A verifier asking for more iterations than any token writes would
     * make a login run for hours: not a record of ours. */
    if (r->so.iterations > NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX ||
        r->user.iterations > NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX) {
        nvt_crypto_zeroize(r, sizeof(*r));
        return CKR_DEVICE_ERROR;
    }
    return CKR_OK;
}

void tok_counters_encode(const tok_record_t *r, uint32_t seq, uint8_t out[TOK_CNT_SIZE])
{
    out[0] = TOK_CNT_VERSION;
    out[1] = r->so_fails;
    out[2] = r->user_fails;
    out[3] = 0;
    tok_put32(out + 4, r->gen);
    tok_put32(out + 8, r->so_serial);
    tok_put32(out + 12, r->user_serial);
    tok_put32(out + 16, seq);
}

/* Version 2 is version 1 with the sequence at 16. */
int tok_counters_seq(const uint8_t *in, size_t len, uint32_t *seq)
{
    if (len == TOK_CNT_SIZE && in[0] == TOK_CNT_VERSION) {
        *seq = tok_get32(in + 16);
        return 1;
    }
    *seq = 0;
    return len == TOK_CNT_V1_SIZE && in[0] == 1u;
}

void tok_counters_apply(tok_record_t *r, const uint8_t *in, size_t len)
{
    uint32_t seq;
    if (!tok_counters_seq(in, len, &seq) || tok_get32(in + 4) != r->gen) {
        return; /* none, or an earlier token's: every count is 0 */
    }
    r->so_fails = tok_get32(in + 8) == r->so_serial ? in[1] : 0;
    r->user_fails = tok_get32(in + 12) == r->user_serial ? in[2] : 0;
}

/* ------------------------------------------------------------------------
 * Verifiers
 * ---------------------------------------------------------------------- */

int tok_pin_len_ok(CK_ULONG len)
{
    return len >= NVT_CONFIG_TOKEN_PIN_MIN && len <= NVT_CONFIG_TOKEN_PIN_MAX;
}

/* A new verifier for pin (random salt, configured iterations). */
static CK_RV make_verifier(tok_verifier_t *v, const CK_UTF8CHAR *pin, CK_ULONG len)
{
    v->iterations = tok.cfg->pin_iterations != 0 ? tok.cfg->pin_iterations : NVT_CONFIG_TOKEN_PIN_ITERATIONS;
    int err = nvt_crypto_random(v->salt, sizeof(v->salt));
    if (err == NVT_OK) {
        err = nvt_crypto_pbkdf2_sha256(pin, len, v->salt, sizeof(v->salt), v->iterations, v->key, sizeof(v->key));
    }
    return tok_rv(err);
}

/* Whether pin matches v: 1 yes, 0 no, <0 an error. Constant time in the
 * comparison; the derivation's cost depends only on the public length. */
static int check_verifier(const tok_verifier_t *v, const CK_UTF8CHAR *pin, CK_ULONG len)
{
    uint8_t key[TOK_KEY_SIZE];
    if (len > 255 || v->iterations == 0) {
        return 0;
    }
    int err = nvt_crypto_pbkdf2_sha256(pin, len, v->salt, sizeof(v->salt), v->iterations, key, sizeof(key));
    int ok = err == NVT_OK ? nvt_ct_memeq(key, v->key, sizeof(key)) : err;
    nvt_crypto_zeroize(key, sizeof(key));
    return ok;
}

/* Check a PIN with the failure counter of who (CKU_SO or CKU_USER):
 * locked -> CKR_PIN_LOCKED; count the attempt in the store; check; reset
 * the counter after success - unless the caller writes a new record next
 * anyway (with the counter reset), so that the operation has one
 * intermediate state only: "attempt counted, nothing else changed". */
static CK_RV counted_check(tok_slot_t *s, CK_USER_TYPE who, const CK_UTF8CHAR *pin, CK_ULONG len, int caller_resets)
{
    int so = who == CKU_SO;
    unsigned fails = so ? s->rec.so_fails : s->rec.user_fails;
    if (fails >= (so ? NVT_CONFIG_TOKEN_SO_PIN_TRIES : NVT_CONFIG_TOKEN_USER_PIN_TRIES)) {
        return CKR_PIN_LOCKED;
    }
    /* counted before checked */
    CK_RV rv = tok_counters_save(s, (uint8_t)(s->rec.so_fails + so), (uint8_t)(s->rec.user_fails + !so));
    if (rv != CKR_OK) {
        return rv;
    }
    int ok = check_verifier(so ? &s->rec.so : &s->rec.user, pin, len);
    if (ok < 0) {
        return tok_rv(ok);
    }
    if (!ok) {
        return CKR_PIN_INCORRECT;
    }
    if (caller_resets) {
        return CKR_OK;
    }
    return tok_counters_save(s, so ? 0 : s->rec.so_fails, so ? s->rec.user_fails : 0);
}

/* ------------------------------------------------------------------------
 * C_InitToken
 * ---------------------------------------------------------------------- */

/* The token's serial number: sixteen hexadecimal digits derived from the
 * device key, so that every device names its token differently and the
 * same way each time (also after C_InitToken, or when a factory PC
 * provisions its image); random where the slot has no device key. */
static CK_RV new_serial(tok_slot_t *s, uint8_t serial[TOK_SERIAL_SIZE])
{
    static const char hex[] = "0123456789ABCDEF";
    uint8_t r[TOK_SERIAL_SIZE / 2];
    CK_RV rv = tok_device_derive(s, "nvtoken/serial/v1", NULL, 0, r, sizeof(r));
    if (rv != CKR_OK) {
        rv = tok_rv(nvt_crypto_random(r, sizeof(r)));
    }
    for (size_t i = 0; i < sizeof(r); i++) {
        serial[2 * i] = (uint8_t)hex[r[i] >> 4];
        serial[2 * i + 1] = (uint8_t)hex[r[i] & 15];
    }
    return rv;
}

/* A device needs an NV seed to start its random generator; a token
 * initialised here (the host provisioning an image) gets one if missing. */
static CK_RV ensure_nv_seed(tok_slot_t *s)
{
    size_t len;
    unsigned flags;
    if (nvt_store_size(s->cfg->store, NVT_TOKEN_ID_NV_SEED, &len, &flags) == NVT_OK ||
        nvt_store_size(s->cfg->store, NVT_TOKEN_ID_NV_SEED_COPY, &len, &flags) == NVT_OK) {
        return CKR_OK;
    }
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE];
    CK_RV rv = tok_rv(nvt_crypto_random(seed, sizeof(seed)));
    if (rv == CKR_OK) {
        rv = tok_seed_write(s, seed, sizeof(seed));
    }
    nvt_crypto_zeroize(seed, sizeof(seed));
    return rv;
}

CK_RV nvt_token_init_token(CK_SLOT_ID slot, const CK_UTF8CHAR *pin, CK_ULONG pin_len, const CK_UTF8CHAR *label)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    CK_RV rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (tok_session_count((unsigned)slot, 0) > 0) {
        rv = CKR_SESSION_EXISTS;
    } else if (s->unreadable) {
        /* A token is there - its record, or its objects - but its record
         * cannot be read (damaged, or sealed under another device key):
         * never treated as blank (nvt_token_diagnostics() says why). */
        rv = CKR_TOKEN_WRITE_PROTECTED;
    } else if (s->initialized) {
        rv = counted_check(s, CKU_SO, pin, pin_len, 1); /* the new record resets it */
    } else if (!tok_pin_len_ok(pin_len)) {
        rv = CKR_PIN_LEN_RANGE;
    }
    tok_record_t rec;
    memset(&rec, 0, sizeof(rec));
    if (rv == CKR_OK) {
        /* The new token: a new generation makes every object stale at once
         * (one atomic put); the stale ones are then deleted, here or, after
         * a power cut, at the next mount. */
        if (s->initialized) {
            rec.gen = s->rec.gen + 1;
            rec.so_serial = s->rec.so_serial + 1;
            rec.user_serial = s->rec.user_serial + 1;
            memcpy(rec.serial, s->rec.serial, sizeof(rec.serial));
        } else {
            rv = tok_rv(nvt_crypto_random(&rec.gen, sizeof(rec.gen)));
            if (rv == CKR_OK) {
                rv = new_serial(s, rec.serial);
            }
        }
        memcpy(rec.label, label, sizeof(rec.label));
    }
    if (rv == CKR_OK) {
        rv = make_verifier(&rec.so, pin, pin_len);
    }
    if (rv == CKR_OK) {
        rv = ensure_nv_seed(s);
    }
    if (rv == CKR_OK) {
        rv = tok_record_save(s, &rec);
    }
    if (rv == CKR_OK) {
        tok_logout_slot(s);
        tok_objects_drop(s);
        rv = tok_objects_scan(s); /* deletes the old token's objects */
    }
    nvt_crypto_zeroize(&rec, sizeof(rec));
    return tok_slot_leave(s, rv);
}

/* ------------------------------------------------------------------------
 * C_InitPIN, C_SetPIN
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_init_pin(CK_SESSION_HANDLE hs, const CK_UTF8CHAR *pin, CK_ULONG pin_len)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (s->login != CKU_SO) {
        return CKR_USER_NOT_LOGGED_IN;
    }
    if ((sess->flags & CKF_RW_SESSION) == 0) {
        return CKR_SESSION_READ_ONLY;
    }
    if (!tok_pin_len_ok(pin_len)) {
        return CKR_PIN_LEN_RANGE;
    }
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_record_t rec = s->rec;
    rv = make_verifier(&rec.user, pin, pin_len);
    if (rv == CKR_OK) {
        rec.flags |= TOK_REC_USER_PIN;
        rec.user_serial++; /* a new verifier: its count starts at 0, unlocked */
        rec.user_fails = 0;
        rv = tok_record_save(s, &rec);
    }
    nvt_crypto_zeroize(&rec, sizeof(rec));
    return tok_slot_leave(s, rv);
}

CK_RV nvt_token_set_pin(CK_SESSION_HANDLE hs, const CK_UTF8CHAR *old_pin, CK_ULONG old_len,
                        const CK_UTF8CHAR *new_pin, CK_ULONG new_len)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if ((sess->flags & CKF_RW_SESSION) == 0) {
        return CKR_SESSION_READ_ONLY;
    }
    CK_USER_TYPE who = s->login == CKU_SO ? CKU_SO : CKU_USER;
    if (!tok_pin_len_ok(new_len)) {
        return CKR_PIN_LEN_RANGE;
    }
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (who == CKU_USER && (s->rec.flags & TOK_REC_USER_PIN) == 0) {
        rv = CKR_USER_PIN_NOT_INITIALIZED;
    } else {
        rv = counted_check(s, who, old_pin, old_len, 1);
    }
    if (rv == CKR_OK) {
        tok_record_t rec = s->rec;
        /* a new verifier: its count starts at 0 (one write, atomic) */
        if (who == CKU_SO) {
            rec.so_serial++;
            rec.so_fails = 0;
        } else {
            rec.user_serial++;
            rec.user_fails = 0;
        }
        rv = make_verifier(who == CKU_SO ? &rec.so : &rec.user, new_pin, new_len);
        if (rv == CKR_OK) {
            rv = tok_record_save(s, &rec);
        }
        nvt_crypto_zeroize(&rec, sizeof(rec));
    }
    return tok_slot_leave(s, rv);
}

/* ------------------------------------------------------------------------
 * C_Login, C_Logout
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_login(CK_SESSION_HANDLE hs, CK_USER_TYPE user, const CK_UTF8CHAR *pin, CK_ULONG pin_len)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (user == CKU_CONTEXT_SPECIFIC) {
        /* The user PIN again, for one operation whose key has
         * CKA_ALWAYS_AUTHENTICATE: counted like any user PIN attempt. */
        tok_op_t *op = s->login == CKU_USER ? tok_op_awaiting_login(sess) : NULL;
        if (op == NULL) {
            return s->login == CKU_USER ? CKR_OPERATION_NOT_INITIALIZED : CKR_USER_NOT_LOGGED_IN;
        }
        rv = tok_slot_enter(s);
        if (rv != CKR_OK) {
            return rv;
        }
        /* (entering may have found another token and logged out) */
        rv = s->login == CKU_USER ? counted_check(s, CKU_USER, pin, pin_len, 0) : CKR_USER_NOT_LOGGED_IN;
        rv = tok_slot_leave(s, rv);
        if (rv == CKR_OK) {
            op->auth = TOK_OP_AUTHENTICATED;
        }
        return rv;
    }
    if (user != CKU_SO && user != CKU_USER) {
        return CKR_USER_TYPE_INVALID;
    }
    if (s->login == user) {
        return CKR_USER_ALREADY_LOGGED_IN;
    }
    if (s->login != TOK_NOBODY) {
        return CKR_USER_ANOTHER_ALREADY_LOGGED_IN;
    }
    if (user == CKU_SO && tok_session_count(sess->slot, 0) != tok_session_count(sess->slot, 1)) {
        return CKR_SESSION_READ_ONLY_EXISTS;
    }
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (user == CKU_USER && (s->rec.flags & TOK_REC_USER_PIN) == 0) {
        rv = CKR_USER_PIN_NOT_INITIALIZED;
    } else {
        rv = counted_check(s, user, pin, pin_len, 0);
    }
    if (rv == CKR_OK) {
        s->login = user;
    }
    return tok_slot_leave(s, rv);
}

CK_RV nvt_token_logout(CK_SESSION_HANDLE hs)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (s->login == TOK_NOBODY) {
        return CKR_USER_NOT_LOGGED_IN;
    }
    tok_logout_slot(s);
    return CKR_OK;
}
