/* The operation engine: the state rules every mechanism shares (tok_mech.h)
 * applied once, for every kind of multi-part operation; key making and
 * wrapping through the dispatch table; random numbers; the mechanism list. */
#include "tok_internal.h"

#include <string.h>

/* The attribute a key needs for each kind of operation. */
static const CK_ATTRIBUTE_TYPE tok_usage[TOK_OP_KINDS] = {
    [TOK_OP_ENCRYPT] = CKA_ENCRYPT,       [TOK_OP_DECRYPT] = CKA_DECRYPT,
    [TOK_OP_SIGN] = CKA_SIGN,             [TOK_OP_VERIFY] = CKA_VERIFY,
    [TOK_OP_SIGN_RECOVER] = CKA_SIGN_RECOVER, [TOK_OP_VERIFY_RECOVER] = CKA_VERIFY_RECOVER,
};

/* Kinds whose update step produces output. */
static int has_stream_output(tok_op_kind_t kind)
{
    return kind == TOK_OP_ENCRYPT || kind == TOK_OP_DECRYPT;
}

static tok_op_t *op_find(tok_session_t *sess, tok_op_kind_t kind)
{
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_OPS_PER_SESSION; i++) {
        if (sess->ops[i].kind == kind) {
            return &sess->ops[i];
        }
    }
    return NULL;
}

static const tok_op_class_t *op_class(const tok_op_t *op)
{
    return op->mech->op[op->kind];
}

static void op_end(tok_op_t *op)
{
    if (op->kind != TOK_OP_NONE && op_class(op)->free != NULL) {
        op_class(op)->free(op);
    }
    nvt_crypto_zeroize(op, sizeof(*op));
}

void tok_ops_end(tok_session_t *sess)
{
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_OPS_PER_SESSION; i++) {
        op_end(&sess->ops[i]);
    }
}

CK_RV nvt_token_session_cancel(CK_SESSION_HANDLE hs, CK_FLAGS flags)
{
    /* The CK_MECHANISM_INFO flag naming each kind of operation. */
    static const CK_FLAGS kind_flag[TOK_OP_KINDS] = {
        [TOK_OP_ENCRYPT] = CKF_ENCRYPT, [TOK_OP_DECRYPT] = CKF_DECRYPT,
        [TOK_OP_DIGEST] = CKF_DIGEST,   [TOK_OP_SIGN] = CKF_SIGN,
        [TOK_OP_VERIFY] = CKF_VERIFY,   [TOK_OP_SIGN_RECOVER] = CKF_SIGN_RECOVER,
        [TOK_OP_VERIFY_RECOVER] = CKF_VERIFY_RECOVER,
    };
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_OPS_PER_SESSION; i++) {
        if ((flags & kind_flag[sess->ops[i].kind]) != 0) {
            op_end(&sess->ops[i]);
        }
    }
    if ((flags & CKF_FIND_OBJECTS) != 0) {
        tok_find_end(sess);
    }
    return CKR_OK;
}

/* End the operation unless rv leaves it running (success that is not
 * the end, a length query, a buffer too small). */
static CK_RV op_result(tok_op_t *op, CK_RV rv, int finished)
{
    if ((rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) || (rv == CKR_OK && finished)) {
        op_end(op);
    }
    return rv;
}

/* Orders the operations that wait for a context-specific login. */
static uint32_t tok_auth_order;

tok_op_t *tok_op_awaiting_login(tok_session_t *sess)
{
    tok_op_t *last = NULL;
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_OPS_PER_SESSION; i++) {
        tok_op_t *op = &sess->ops[i];
        if (op->kind != TOK_OP_NONE && op->auth != 0 && op->auth != TOK_OP_AUTHENTICATED &&
            (last == NULL || op->auth > last->auth)) {
            last = op;
        }
    }
    return last;
}

/* The active operation of this kind, or NULL with *rv set. An operation
 * whose key has CKA_ALWAYS_AUTHENTICATE goes on only after
 * C_Login(CKU_CONTEXT_SPECIFIC); without it the call is
 * CKR_USER_NOT_LOGGED_IN, which ends the operation like any error. */
static tok_op_t *op_active(CK_SESSION_HANDLE hs, tok_op_kind_t kind, CK_RV *rv)
{
    tok_session_t *sess;
    tok_slot_t *s;
    *rv = tok_session_get(hs, &sess, &s);
    if (*rv != CKR_OK) {
        return NULL;
    }
    tok_op_t *op = op_find(sess, kind);
    if (op == NULL) {
        *rv = CKR_OPERATION_NOT_INITIALIZED;
    } else if (op->auth != 0 && op->auth != TOK_OP_AUTHENTICATED) {
        *rv = CKR_USER_NOT_LOGGED_IN;
        op_end(op);
        op = NULL;
    }
    return op;
}

CK_RV tok_key_for(tok_session_t *sess, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage, CK_MECHANISM_TYPE mech,
                   int buf, tok_obj_t *o, tok_ref_t *ref, int *view)
{
    if (tok_object_ref(sess, h, ref) != CKR_OK) {
        return CKR_KEY_HANDLE_INVALID;
    }
    CK_RV rv = CKR_OK;
    if (view == NULL || !(*view = tok_kc_view((unsigned)(ref->slot - tok.slots), h, o))) {
        rv = tok_object_load(ref, buf, o);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (o->cls != CKO_PUBLIC_KEY && o->cls != CKO_PRIVATE_KEY && o->cls != CKO_SECRET_KEY) {
        return CKR_KEY_HANDLE_INVALID;
    }
    if (usage != 0 && tok_obj_bool(o, usage, CK_FALSE) == CK_FALSE) {
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    }
    const uint8_t *allowed;
    size_t n;
    if (mech != CK_UNAVAILABLE_INFORMATION && tok_obj_value(o, CKA_ALLOWED_MECHANISMS, &allowed, &n) && n > 0) {
        for (size_t i = 0; i + 4 <= n; i += 4) {
            if (tok_get32(allowed + i) == mech) {
                return CKR_OK;
            }
        }
        return CKR_MECHANISM_INVALID;
    }
    return CKR_OK;
}

CK_RV nvt_token_op_init(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hkey)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    if (op_find(sess, kind) != NULL) {
        return CKR_OPERATION_ACTIVE;
    }
    const tok_mech_t *m = tok_mech_find(mech->mechanism);
    const tok_op_class_t *cls = m != NULL ? m->op[kind] : NULL;
    if (cls == NULL) {
        return CKR_MECHANISM_INVALID;
    }
    tok_op_t *op = op_find(sess, TOK_OP_NONE);
    if (op == NULL) {
        return CKR_OPERATION_ACTIVE; /* every operation context is busy */
    }
    memset(op, 0, sizeof(*op));
    op->mech = m;
    op->kind = kind;
    if (kind == TOK_OP_DIGEST) {
        rv = cls->init(op, mech, NULL);
    } else {
        rv = tok_slot_enter(s);
        if (rv != CKR_OK) {
            memset(op, 0, sizeof(*op));
            return rv;
        }
        tok_obj_t o;
        tok_ref_t ref;
        int view = 0;
        rv = tok_key_for(sess, hkey, tok_usage[kind], mech->mechanism, 0, &o, &ref, &view);
        if (rv == CKR_OK) {
            tok_key_t key = { hkey, &o, &ref, view };
            rv = cls->init(op, mech, &key);
        }
        if (rv == CKR_OK && tok_obj_bool(&o, CKA_ALWAYS_AUTHENTICATE, CK_FALSE) != CK_FALSE) {
            /* the PIN for this use: C_Login(CKU_CONTEXT_SPECIFIC) next */
            tok_auth_order = tok_auth_order + 1 < TOK_OP_AUTHENTICATED ? tok_auth_order + 1 : 1;
            op->auth = tok_auth_order;
        }
        rv = tok_slot_leave(s, rv);
    }
    if (rv != CKR_OK) {
        nvt_crypto_zeroize(op, sizeof(*op)); /* init failed: nothing to free */
    }
    return rv;
}

/* Single-part call: in -> out, or (verify) in + sig. */
static CK_RV op_single(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_BYTE *in, CK_ULONG in_len,
                       const CK_BYTE *sig, CK_ULONG sig_len, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv;
    tok_op_t *op = op_active(hs, kind, &rv);
    if (op == NULL) {
        return rv;
    }
    if (op->updated) {
        return op_result(op, CKR_OPERATION_ACTIVE, 1);
    }
    int verify = kind == TOK_OP_VERIFY;
    if ((in == NULL && in_len > 0) || (verify ? sig == NULL && sig_len > 0 : out_len == NULL)) {
        return op_result(op, CKR_ARGUMENTS_BAD, 1);
    }
    const tok_op_class_t *cls = op_class(op);
    if (!verify && out == NULL) {
        return op_result(op, cls->out_len(op, in_len, 1, out_len), 0);
    }
    if (cls->single != NULL) {
        return op_result(op, cls->single(op, in, in_len, sig, sig_len, out, out_len), 1);
    }
    if (cls->update == NULL || cls->final == NULL) {
        return op_result(op, CKR_FUNCTION_FAILED, 1);
    }
    /* Single part = update + final; the room is checked first, as after
     * the update the call can no longer be repeated. */
    CK_ULONG first = 0, need = 0;
    if (!verify) {
        rv = cls->out_len(op, in_len, 1, &need);
        if (rv == CKR_OK && *out_len < need) {
            *out_len = need;
            rv = CKR_BUFFER_TOO_SMALL;
        }
        if (rv != CKR_OK) {
            return op_result(op, rv, 1);
        }
        first = *out_len;
    }
    rv = cls->update(op, in, in_len, has_stream_output(kind) ? out : NULL, has_stream_output(kind) ? &first : NULL);
    if (rv == CKR_OK) {
        if (verify) {
            rv = cls->final(op, sig, sig_len, NULL, NULL);
        } else {
            CK_ULONG rest = *out_len - (has_stream_output(kind) ? first : 0);
            rv = cls->final(op, NULL, 0, out + (has_stream_output(kind) ? first : 0), &rest);
            *out_len = (has_stream_output(kind) ? first : 0) + rest;
        }
    }
    if (rv == CKR_BUFFER_TOO_SMALL) {
        rv = CKR_FUNCTION_FAILED; /* the bound lied: the input is consumed */
    }
    return op_result(op, rv, 1);
}

CK_RV nvt_token_op_single(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_BYTE *in, CK_ULONG in_len,
                          CK_BYTE *out, CK_ULONG *out_len)
{
    return op_single(hs, kind, in, in_len, NULL, 0, out, out_len);
}

CK_RV nvt_token_verify(CK_SESSION_HANDLE hs, const CK_BYTE *data, CK_ULONG len, const CK_BYTE *sig, CK_ULONG sig_len)
{
    return op_single(hs, TOK_OP_VERIFY, data, len, sig, sig_len, NULL, NULL);
}

CK_RV nvt_token_op_update(CK_SESSION_HANDLE hs, tok_op_kind_t kind, const CK_BYTE *in, CK_ULONG in_len,
                          CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv;
    tok_op_t *op = op_active(hs, kind, &rv);
    if (op == NULL) {
        return rv;
    }
    int output = has_stream_output(kind);
    if ((in == NULL && in_len > 0) || (output && out_len == NULL)) {
        return op_result(op, CKR_ARGUMENTS_BAD, 1);
    }
    const tok_op_class_t *cls = op_class(op);
    if (cls->update == NULL) {
        return op_result(op, CKR_FUNCTION_NOT_SUPPORTED, 1); /* single-part only */
    }
    if (output && out == NULL) {
        return op_result(op, cls->out_len(op, in_len, 0, out_len), 0);
    }
    rv = cls->update(op, in, in_len, output ? out : NULL, output ? out_len : NULL);
    if (rv == CKR_OK) {
        op->updated = 1;
    }
    return op_result(op, rv, 0);
}

CK_RV nvt_token_op_final(CK_SESSION_HANDLE hs, tok_op_kind_t kind, CK_BYTE *out, CK_ULONG *out_len)
{
    CK_RV rv;
    tok_op_t *op = op_active(hs, kind, &rv);
    if (op == NULL) {
        return rv;
    }
    if (out_len == NULL) {
        return op_result(op, CKR_ARGUMENTS_BAD, 1);
    }
    const tok_op_class_t *cls = op_class(op);
    if (cls->final == NULL) {
        return op_result(op, CKR_FUNCTION_NOT_SUPPORTED, 1);
    }
    if (out == NULL) {
        return op_result(op, cls->out_len(op, 0, 1, out_len), 0);
    }
    return op_result(op, cls->final(op, NULL, 0, out, out_len), 1);
}

CK_RV nvt_token_verify_final(CK_SESSION_HANDLE hs, const CK_BYTE *sig, CK_ULONG sig_len)
{
    CK_RV rv;
    tok_op_t *op = op_active(hs, TOK_OP_VERIFY, &rv);
    if (op == NULL) {
        return rv;
    }
    if (sig == NULL && sig_len > 0) {
        return op_result(op, CKR_ARGUMENTS_BAD, 1);
    }
    const tok_op_class_t *cls = op_class(op);
    if (cls->final == NULL) {
        return op_result(op, CKR_FUNCTION_NOT_SUPPORTED, 1);
    }
    return op_result(op, cls->final(op, sig, sig_len, NULL, NULL), 1);
}

CK_RV nvt_token_digest_key(CK_SESSION_HANDLE hs, CK_OBJECT_HANDLE hkey)
{
    tok_session_t *sess;
    tok_slot_t *s;
    CK_RV rv = tok_session_get(hs, &sess, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_op_t *op = op_find(sess, TOK_OP_DIGEST);
    if (op == NULL) {
        return CKR_OPERATION_NOT_INITIALIZED;
    }
    const tok_op_class_t *cls = op_class(op);
    rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return op_result(op, rv, 1);
    }
    tok_obj_t o;
    tok_ref_t ref;
    const uint8_t *v = NULL;
    size_t n = 0;
    rv = tok_key_for(sess, hkey, 0, CK_UNAVAILABLE_INFORMATION, 0, &o, &ref, NULL);
    /* Only a secret key whose value could be read anyway: digesting a
     * sensitive value would make the token an oracle for it. */
    if (rv == CKR_OK && (o.cls != CKO_SECRET_KEY || !tok_obj_value(&o, CKA_VALUE, &v, &n) ||
                         tok_obj_bool(&o, CKA_SENSITIVE, CK_TRUE) != CK_FALSE ||
                         tok_obj_bool(&o, CKA_EXTRACTABLE, CK_FALSE) == CK_FALSE)) {
        rv = CKR_KEY_INDIGESTIBLE;
    }
    if (rv == CKR_OK) {
        rv = cls->update != NULL ? cls->update(op, v, n, NULL, NULL) : CKR_KEY_INDIGESTIBLE;
    }
    if (rv == CKR_OK) {
        op->updated = 1;
    }
    return op_result(op, tok_slot_leave(s, rv), 0);
}

/* ------------------------------------------------------------------------
 * Making keys, wrapping
 * ---------------------------------------------------------------------- */

CK_RV tok_made_add(tok_made_t *m, CK_ATTRIBUTE_TYPE type, const void *value, size_t len)
{
    if (m->n >= TOK_MADE_MAX || len > sizeof(m->buf) - m->used) {
        return CKR_DEVICE_MEMORY;
    }
    CK_ATTRIBUTE *a = &m->attr[m->n++];
    a->type = type;
    a->pValue = m->buf + m->used;
    a->ulValueLen = len;
    if (len > 0 && value != NULL) {
        memcpy(m->buf + m->used, value, len);
    } else if (len > 0) {
        memset(m->buf + m->used, 0, len);
    }
    m->used += len;
    return CKR_OK;
}

static void made_reset(tok_made_t *m)
{
    nvt_crypto_zeroize(m, sizeof(*m));
    m->cls = CK_UNAVAILABLE_INFORMATION;
    m->key_type = CK_UNAVAILABLE_INFORMATION;
}

/* Turn what a mechanism made into a new object (h NULL: only check that
 * it could be, storing nothing). */
static CK_RV make_object(tok_session_t *sess, tok_build_mode_t mode, const CK_MECHANISM *mech,
                         const CK_ATTRIBUTE *tmpl, CK_ULONG n, const tok_made_t *made, const tok_obj_t *base,
                         CK_OBJECT_HANDLE *h)
{
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = mode;
    b.tmpl = tmpl;
    b.tmpl_n = n;
    b.made = made->attr;
    b.made_n = made->n;
    b.cls = made->cls;
    b.sub = made->key_type;
    b.mech = mech->mechanism;
    b.base = base;
    return h != NULL ? tok_object_make(sess, &b, h) : tok_object_check(sess, &b);
}

enum { MAKE_KEY, MAKE_PAIR, MAKE_DERIVE, MAKE_WRAP, MAKE_UNWRAP };

static int mech_can(const tok_mech_t *m, int what)
{
    const tok_mech_ops_t *o = m != NULL ? m->ops : NULL;
    if (o == NULL) {
        return 0;
    }
    switch (what) {
    case MAKE_KEY: return o->generate_key != NULL;
    case MAKE_PAIR: return o->generate_key_pair != NULL;
    case MAKE_DERIVE: return o->derive != NULL;
    case MAKE_WRAP: return o->wrap != NULL;
    default: return o->unwrap != NULL;
    }
}

/* Session, slot entered, and the mechanism's row with the function asked
 * for (else CKR_MECHANISM_INVALID). */
static CK_RV begin_make(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, int what, tok_session_t **sess,
                        tok_slot_t **s, const tok_mech_t **m)
{
    CK_RV rv = tok_session_get(hs, sess, s);
    if (rv != CKR_OK) {
        return rv;
    }
    *m = tok_mech_find(mech->mechanism);
    if (!mech_can(*m, what)) {
        return CKR_MECHANISM_INVALID;
    }
    made_reset(&tok.made[0]);
    made_reset(&tok.made[1]);
    return tok_slot_enter(*s);
}

static CK_RV end_make(tok_slot_t *s, CK_RV rv)
{
    made_reset(&tok.made[0]);
    made_reset(&tok.made[1]);
    return tok_slot_leave(s, rv);
}

/* The template a new key is made from: the caller's, merged with the
 * unwrapping or base key's CKA_UNWRAP_TEMPLATE / CKA_DERIVE_TEMPLATE if it
 * has one (the key's applies; the caller's may add, not contradict). The
 * mechanism and the template engine both see the merged one. */
static CK_RV key_template(const tok_obj_t *key, CK_ATTRIBUTE_TYPE which, const CK_ATTRIBUTE **tmpl, CK_ULONG *n,
                          tok_tmpl_merged_t *merged)
{
    const uint8_t *kt;
    size_t kt_len;
    if (!tok_obj_value(key, which, &kt, &kt_len) || kt_len == 0) {
        return CKR_OK; /* none, or an empty one: the caller's alone */
    }
    CK_RV rv = tok_tmpl_merge(*tmpl, *n, kt, kt_len, merged);
    if (rv == CKR_OK) {
        *tmpl = merged->attr;
        *n = merged->n;
    }
    return rv;
}

CK_RV nvt_token_generate_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                             CK_OBJECT_HANDLE *hkey)
{
    tok_session_t *sess;
    tok_slot_t *s;
    const tok_mech_t *m;
    CK_RV rv = begin_make(hs, mech, MAKE_KEY, &sess, &s, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = m->ops->generate_key(mech, tmpl, n, &tok.made[0]);
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_GENERATE, mech, tmpl, n, &tok.made[0], NULL, hkey);
    }
    return end_make(s, rv);
}

/* Both or neither: take back the halves made so far (1: public, 2: both). */
static void discard_made(tok_session_t *sess, int made, const CK_OBJECT_HANDLE *hpub, const CK_OBJECT_HANDLE *hpriv)
{
    if (made == 2) {
        (void)tok_object_discard(sess, *hpriv);
    }
    if (made >= 1) {
        (void)tok_object_discard(sess, *hpub);
    }
}

/* Whether a template asks for a token object (CKA_TOKEN, default false). */
static int tmpl_token(const CK_ATTRIBUTE *t, CK_ULONG n)
{
    CK_BBOOL v = CK_FALSE;
    return tok_tmpl_bool(t, n, CKA_TOKEN, &v) && v != CK_FALSE;
}

CK_RV nvt_token_generate_key_pair(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub,
                                  CK_ULONG pub_n, const CK_ATTRIBUTE *priv, CK_ULONG priv_n, CK_OBJECT_HANDLE *hpub,
                                  CK_OBJECT_HANDLE *hpriv)
{
    tok_session_t *sess;
    tok_slot_t *s;
    const tok_mech_t *m;
    CK_RV rv = begin_make(hs, mech, MAKE_PAIR, &sess, &s, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = m->ops->generate_key_pair(mech, pub, pub_n, priv, priv_n, &tok.made[0], &tok.made[1]);
    /* The private half is checked before the public one is stored, so a
     * refused pair writes nothing. */
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_GENERATE, mech, priv, priv_n, &tok.made[1], NULL, NULL);
    }
    /* Two token objects are two store puts: the journal makes them one. */
    int journal = rv == CKR_OK && tmpl_token(pub, pub_n) && tmpl_token(priv, priv_n);
    if (journal) {
        rv = tok_pair_arm(s);
    }
    int made = 0;
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_GENERATE, mech, pub, pub_n, &tok.made[0], NULL, hpub);
        made = rv == CKR_OK;
    }
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_GENERATE, mech, priv, priv_n, &tok.made[1], NULL, hpriv);
        made = rv == CKR_OK ? 2 : 1;
    }
    if (rv != CKR_OK) {
        discard_made(sess, made, hpub, hpriv);
    }
    if (journal) {
        CK_RV jrv = tok_pair_end(s, rv); /* after the discards: the journal outlives the halves */
        if (rv == CKR_OK && jrv != CKR_OK) {
            discard_made(sess, made, hpub, hpriv); /* the stranded journal still covers them */
        }
        rv = jrv;
    }
    return end_make(s, rv);
}

CK_RV nvt_token_derive_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hbase,
                           const CK_ATTRIBUTE *tmpl, CK_ULONG n, CK_OBJECT_HANDLE *hkey)
{
    tok_session_t *sess;
    tok_slot_t *s;
    const tok_mech_t *m;
    CK_RV rv = begin_make(hs, mech, MAKE_DERIVE, &sess, &s, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_obj_t base;
    tok_ref_t ref;
    tok_tmpl_merged_t merged;
    rv = tok_key_for(sess, hbase, CKA_DERIVE, mech->mechanism, 0, &base, &ref, NULL);
    if (rv == CKR_OK) {
        rv = key_template(&base, CKA_DERIVE_TEMPLATE, &tmpl, &n, &merged);
    }
    if (rv == CKR_OK) {
        tok_key_t key = { hbase, &base, &ref, 0 };
        rv = m->ops->derive(mech, &key, tmpl, n, &tok.made[0]);
    }
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_DERIVE, mech, tmpl, n, &tok.made[0], &base, hkey);
    }
    return end_make(s, rv);
}

CK_RV nvt_token_wrap_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hwrapping,
                         CK_OBJECT_HANDLE hkey, CK_BYTE *out, CK_ULONG *out_len)
{
    tok_session_t *sess;
    tok_slot_t *s;
    const tok_mech_t *m;
    CK_RV rv = begin_make(hs, mech, MAKE_WRAP, &sess, &s, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_obj_t wrapping, key;
    tok_ref_t wref, kref;
    rv = tok_key_for(sess, hwrapping, CKA_WRAP, mech->mechanism, 0, &wrapping, &wref, NULL);
    if (rv == CKR_KEY_HANDLE_INVALID) {
        rv = CKR_WRAPPING_KEY_HANDLE_INVALID;
    }
    if (rv == CKR_OK) {
        rv = tok_key_for(sess, hkey, 0, CK_UNAVAILABLE_INFORMATION, 1, &key, &kref, NULL);
    }
    if (rv == CKR_OK && tok_obj_bool(&key, CKA_EXTRACTABLE, CK_TRUE) == CK_FALSE) {
        rv = CKR_KEY_UNEXTRACTABLE;
    }
    /* A key marked CKA_WRAP_WITH_TRUSTED leaves only under a trusted key. */
    if (rv == CKR_OK && tok_obj_bool(&key, CKA_WRAP_WITH_TRUSTED, CK_FALSE) != CK_FALSE &&
        tok_obj_bool(&wrapping, CKA_TRUSTED, CK_FALSE) == CK_FALSE) {
        rv = CKR_KEY_NOT_WRAPPABLE;
    }
    /* A wrapping key with a CKA_WRAP_TEMPLATE wraps only keys that match it. */
    const uint8_t *wt;
    size_t wt_len;
    if (rv == CKR_OK && tok_obj_value(&wrapping, CKA_WRAP_TEMPLATE, &wt, &wt_len) &&
        !tok_obj_match_array(&key, wt, wt_len)) {
        rv = CKR_KEY_NOT_WRAPPABLE;
    }
    if (rv == CKR_OK) {
        tok_key_t wk = { hwrapping, &wrapping, &wref, 0 }, k = { hkey, &key, &kref, 0 };
        rv = m->ops->wrap(mech, &wk, &k, out, out_len);
    }
    return end_make(s, rv);
}

CK_RV nvt_token_unwrap_key(CK_SESSION_HANDLE hs, const CK_MECHANISM *mech, CK_OBJECT_HANDLE hunwrapping,
                           const CK_BYTE *wrapped, CK_ULONG len, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                           CK_OBJECT_HANDLE *hkey)
{
    tok_session_t *sess;
    tok_slot_t *s;
    const tok_mech_t *m;
    CK_RV rv = begin_make(hs, mech, MAKE_UNWRAP, &sess, &s, &m);
    if (rv != CKR_OK) {
        return rv;
    }
    tok_obj_t uk;
    tok_ref_t ref;
    tok_tmpl_merged_t merged;
    rv = tok_key_for(sess, hunwrapping, CKA_UNWRAP, mech->mechanism, 0, &uk, &ref, NULL);
    if (rv == CKR_KEY_HANDLE_INVALID) {
        rv = CKR_UNWRAPPING_KEY_HANDLE_INVALID;
    }
    if (rv == CKR_OK) {
        rv = key_template(&uk, CKA_UNWRAP_TEMPLATE, &tmpl, &n, &merged);
    }
    if (rv == CKR_OK) {
        tok_key_t key = { hunwrapping, &uk, &ref, 0 };
        rv = m->ops->unwrap(mech, &key, wrapped, len, tmpl, n, &tok.made[0]);
    }
    if (rv == CKR_OK) {
        rv = make_object(sess, TOK_BUILD_UNWRAP, mech, tmpl, n, &tok.made[0], NULL, hkey);
    }
    return end_make(s, rv);
}

/* ------------------------------------------------------------------------
 * Random numbers
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_seed_random(CK_SESSION_HANDLE hs, const CK_BYTE *seed, CK_ULONG len)
{
    CK_RV rv = nvt_token_session_check(hs);
    if (rv != CKR_OK) {
        return rv;
    }
    /* Mixed into the token's generator with fresh entropy (a reseed with
     * additional input): caller data adds to it, never replaces it. */
    return nvt_crypto_random_seed(seed, len) == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_RV nvt_token_generate_random(CK_SESSION_HANDLE hs, CK_BYTE *out, CK_ULONG len)
{
    CK_RV rv = nvt_token_session_check(hs);
    if (rv != CKR_OK) {
        return rv;
    }
    return nvt_crypto_random(out, len) == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

/* ------------------------------------------------------------------------
 * C_GetMechanismList, C_GetMechanismInfo
 * ---------------------------------------------------------------------- */

CK_RV nvt_token_mechanism_list(CK_SLOT_ID slot, CK_MECHANISM_TYPE *list, CK_ULONG *count)
{
    if (tok_slot_get(slot) == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    CK_ULONG n = (CK_ULONG)tok_mech_count();
    if (list != NULL) {
        if (*count < n) {
            *count = n;
            return CKR_BUFFER_TOO_SMALL;
        }
        for (CK_ULONG i = 0; i < n; i++) {
            list[i] = tok_mech_at(i)->type;
        }
    }
    *count = n;
    return CKR_OK;
}

CK_RV nvt_token_mechanism_info(CK_SLOT_ID slot, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO *info)
{
    if (tok_slot_get(slot) == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    const tok_mech_t *m = tok_mech_find(type);
    if (m == NULL) {
        return CKR_MECHANISM_INVALID;
    }
    info->ulMinKeySize = tok_mech_min_key(m);
    info->ulMaxKeySize = m->max_key;
    info->flags = m->flags;
    return CKR_OK;
}
