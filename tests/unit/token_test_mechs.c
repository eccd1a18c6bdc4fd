/* Test-only mechanisms for the operation engine's unit test: see
 * token_test_mechs.h. They follow the contract of src/token/tok_mech.h. */
#include "token_test_mechs.h"

#include <string.h>

#include "tok_mech.h"

/* The key's first value byte, or an error for anything but a generic secret. */
static CK_RV first_byte(const tok_key_t *key, uint8_t *k)
{
    const uint8_t *v;
    size_t n;
    if (key->obj->cls != CKO_SECRET_KEY || key->obj->sub != CKK_GENERIC_SECRET ||
        !tok_obj_value(key->obj, CKA_VALUE, &v, &n) || n == 0) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    *k = v[0];
    return CKR_OK;
}

/* ---- SUM: sign / verify ------------------------------------------------- */

typedef struct sum_state {
    uint32_t sum;
    uint8_t k;
} sum_state_t;

static CK_RV sum_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    sum_state_t st = { 0, 0 };
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    CK_RV rv = first_byte(key, &st.k);
    memcpy(op->ctx.small, &st, sizeof(st));
    return rv;
}

static CK_RV sum_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)op;
    (void)in_len;
    *len = last ? 4 : 0;
    return CKR_OK;
}

static CK_RV sum_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)out;
    (void)out_len;
    sum_state_t st;
    memcpy(&st, op->ctx.small, sizeof(st));
    for (CK_ULONG i = 0; i < in_len; i++) {
        st.sum += (uint8_t)(in[i] ^ st.k);
    }
    memcpy(op->ctx.small, &st, sizeof(st));
    return CKR_OK;
}

static CK_RV sum_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    sum_state_t st;
    uint8_t mac[4];
    memcpy(&st, op->ctx.small, sizeof(st));
    tok_put32(mac, st.sum);
    if (op->kind == TOK_OP_VERIFY) {
        if (sig_len != 4) {
            return CKR_SIGNATURE_LEN_RANGE;
        }
        return memcmp(sig, mac, 4) == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
    }
    if (*out_len < 4) {
        *out_len = 4;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(out, mac, 4);
    *out_len = 4;
    return CKR_OK;
}

static void small_free(tok_op_t *op)
{
    memset(op->ctx.small, 0, sizeof(op->ctx.small));
}

static const tok_op_class_t sum_class = { sum_init, sum_out_len, sum_update, sum_final, NULL, small_free };

/* ---- XOR: encrypt / decrypt -------------------------------------------- */

static CK_RV xor_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    (void)mech;
    return first_byte(key, &op->ctx.small[0]);
}

static CK_RV xor_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)op;
    (void)last;
    *len = in_len;
    return CKR_OK;
}

static CK_RV xor_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    if (*out_len < in_len) {
        *out_len = in_len;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (CK_ULONG i = 0; i < in_len; i++) {
        out[i] = (uint8_t)(in[i] ^ op->ctx.small[0]);
    }
    *out_len = in_len;
    return CKR_OK;
}

static CK_RV xor_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)op;
    (void)sig;
    (void)sig_len;
    (void)out;
    *out_len = 0;
    return CKR_OK;
}

static const tok_op_class_t xor_class = { xor_init, xor_out_len, xor_update, xor_final, NULL, small_free };

/* ---- key making --------------------------------------------------------- */

static const uint8_t p256_oid[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

static CK_RV pair_generate(const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub_t, CK_ULONG pub_n,
                           const CK_ATTRIBUTE *priv_t, CK_ULONG priv_n, tok_made_t *pub, tok_made_t *priv)
{
    (void)mech;
    (void)pub_t;
    (void)pub_n;
    (void)priv_t;
    (void)priv_n;
    uint8_t point[65], value[32];
    memset(point, 0x11, sizeof(point));
    point[0] = 0x04;
    memset(value, 0x22, sizeof(value));
    pub->cls = CKO_PUBLIC_KEY;
    pub->key_type = CKK_EC;
    priv->cls = CKO_PRIVATE_KEY;
    priv->key_type = CKK_EC;
    CK_RV rv = tok_made_add(pub, CKA_EC_PARAMS, p256_oid, sizeof(p256_oid));
    if (rv == CKR_OK) {
        rv = tok_made_add(pub, CKA_EC_POINT, point, sizeof(point));
    }
    if (rv == CKR_OK) {
        rv = tok_made_add(priv, CKA_EC_PARAMS, p256_oid, sizeof(p256_oid));
    }
    if (rv == CKR_OK) {
        rv = tok_made_add(priv, CKA_VALUE, value, sizeof(value));
    }
    return rv;
}

static CK_RV reverse_derive(const CK_MECHANISM *mech, const tok_key_t *base, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                            tok_made_t *out)
{
    (void)mech;
    (void)tmpl;
    (void)n;
    const uint8_t *v;
    size_t len;
    if (base->obj->cls != CKO_SECRET_KEY || !tok_obj_value(base->obj, CKA_VALUE, &v, &len)) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    out->cls = CKO_SECRET_KEY;
    out->key_type = CKK_GENERIC_SECRET;
    CK_RV rv = tok_made_add(out, CKA_VALUE, NULL, len);
    if (rv == CKR_OK) {
        uint8_t *dst = out->attr[out->n - 1].pValue;
        for (size_t i = 0; i < len; i++) {
            dst[i] = v[len - 1 - i];
        }
    }
    return rv;
}

static CK_RV xor_wrap(const CK_MECHANISM *mech, const tok_key_t *wrapping, const tok_key_t *key, uint8_t *out,
                      CK_ULONG *out_len)
{
    (void)mech;
    uint8_t k;
    const uint8_t *v;
    size_t len;
    CK_RV rv = first_byte(wrapping, &k);
    if (rv != CKR_OK) {
        return CKR_WRAPPING_KEY_TYPE_INCONSISTENT;
    }
    if (key->obj->cls != CKO_SECRET_KEY || !tok_obj_value(key->obj, CKA_VALUE, &v, &len)) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    if (out == NULL) {
        *out_len = len;
        return CKR_OK;
    }
    if (*out_len < len) {
        *out_len = len;
        return CKR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < len; i++) {
        out[i] = (uint8_t)(v[i] ^ k);
    }
    *out_len = len;
    return CKR_OK;
}

static CK_RV xor_unwrap(const CK_MECHANISM *mech, const tok_key_t *unwrapping, const uint8_t *wrapped, CK_ULONG len,
                        const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out)
{
    (void)mech;
    (void)tmpl;
    (void)n;
    uint8_t k;
    if (first_byte(unwrapping, &k) != CKR_OK) {
        return CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT;
    }
    out->cls = CKO_SECRET_KEY;
    out->key_type = CKK_GENERIC_SECRET;
    CK_RV rv = tok_made_add(out, CKA_VALUE, NULL, len);
    if (rv == CKR_OK) {
        uint8_t *dst = out->attr[out->n - 1].pValue;
        for (CK_ULONG i = 0; i < len; i++) {
            dst[i] = (uint8_t)(wrapped[i] ^ k);
        }
    }
    return rv;
}

static const tok_mech_ops_t pair_ops = { NULL, pair_generate, NULL, NULL, NULL };
static const tok_mech_ops_t derive_ops = { NULL, NULL, reverse_derive, NULL, NULL };
static const tok_mech_ops_t wrap_ops = { NULL, NULL, NULL, xor_wrap, xor_unwrap };

const tok_mech_t tok_test_mechs[] = {
    { TEST_MECH_SUM, 1, 64, CKF_SIGN | CKF_VERIFY, { [TOK_OP_SIGN] = &sum_class, [TOK_OP_VERIFY] = &sum_class }, NULL },
    { TEST_MECH_XOR, 1, 64, CKF_ENCRYPT | CKF_DECRYPT,
      { [TOK_OP_ENCRYPT] = &xor_class, [TOK_OP_DECRYPT] = &xor_class }, NULL },
    { TEST_MECH_PAIR, 256, 256, CKF_GENERATE_KEY_PAIR, { NULL }, &pair_ops },
    { TEST_MECH_DERIVE, 1, 64, CKF_DERIVE, { NULL }, &derive_ops },
    { TEST_MECH_WRAP, 1, 64, CKF_WRAP | CKF_UNWRAP, { NULL }, &wrap_ops },
};
const size_t tok_test_mech_count = sizeof(tok_test_mechs) / sizeof(tok_test_mechs[0]);
