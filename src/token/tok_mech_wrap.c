/* AES key wrap for C_WrapKey and C_UnwrapKey: CKM_AES_KEY_WRAP (NIST SP
 * 800-38F KW, RFC 3394; the wrapped value a multiple of 8 bytes, at least
 * 16) and CKM_AES_KEY_WRAP_PAD (KWP, RFC 5649; any length). The parameter
 * is absent or the standard's default IV (A6A6A6A6A6A6A6A6, A65959A6).
 * What is wrapped is a secret key's value, or a private key (RSA, EC) as a
 * PKCS#8 PrivateKeyInfo, the encoding PKCS#11 prescribes for private keys
 * (the crypto layer writes and reads it). KW takes whole 8-byte blocks: a
 * private key whose encoding is not is CKR_KEY_NOT_WRAPPABLE with KW (KWP
 * wraps it), found when the wrap is made; a length query answers a bound,
 * as PKCS#11's output convention allows. The token's engine has already
 * applied CKA_WRAP / CKA_UNWRAP, CKA_EXTRACTABLE, CKA_WRAP_WITH_TRUSTED and
 * CKA_TRUSTED; the unwrapped key's class comes from the template (a secret
 * key if it names none), its type from the template (secret keys) or the
 * encoding (private keys). */
#include "tok_mech.h"

#include <string.h>

#if NVT_CONFIG_MECH_AES_KEY_WRAP

static int is_pad(const CK_MECHANISM *mech)
{
    return mech->mechanism == CKM_AES_KEY_WRAP_PAD;
}

static CK_RV kw_params(const CK_MECHANISM *mech)
{
    static const uint8_t iv_kw[8] = { 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6 };
    static const uint8_t iv_kwp[4] = { 0xA6, 0x59, 0x59, 0xA6 };
    const uint8_t *iv = is_pad(mech) ? iv_kwp : iv_kw;
    size_t iv_len = is_pad(mech) ? sizeof(iv_kwp) : sizeof(iv_kw);
    if (mech->pParameter == NULL && mech->ulParameterLen == 0) {
        return CKR_OK;
    }
    return mech->pParameter != NULL && mech->ulParameterLen == iv_len && memcmp(mech->pParameter, iv, iv_len) == 0
               ? CKR_OK
               : CKR_MECHANISM_PARAM_INVALID;
}

/* The key-encryption key's bytes: an AES secret key. */
static CK_RV kek_of(const tok_key_t *key, CK_RV inconsistent, const uint8_t **kek, size_t *len)
{
    tok_obj_t full;
    const tok_obj_t *o;
    CK_RV rv = tok_key_object(key, &full, &o);
    if (rv != CKR_OK) {
        return rv;
    }
    if (o->cls != CKO_SECRET_KEY || o->sub != CKK_AES || !tok_obj_value(o, CKA_VALUE, kek, len) ||
        (*len != 16 && *len != 24 && *len != 32)) {
        return inconsistent;
    }
    return CKR_OK;
}

/* A private key, as PKCS#8. */
static CK_RV wrap_private(const CK_MECHANISM *mech, const uint8_t *kek, size_t kek_len, const tok_key_t *key,
                          uint8_t *out, CK_ULONG *out_len)
{
    nvt_crypto_key_material_t m;
    CK_RV rv = tok_key_material(key->obj, &m);
    if (rv != CKR_OK) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    size_t n = 0;
    int err = nvt_crypto_aes_kw_wrap_private(is_pad(mech), kek, kek_len, &m, out, out != NULL ? *out_len : 0, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = (CK_ULONG)n;
        return out == NULL ? CKR_OK : CKR_BUFFER_TOO_SMALL;
    }
    if (err == NVT_OK) {
        *out_len = (CK_ULONG)n;
        return CKR_OK;
    }
    return err == NVT_E_UNSUPPORTED || err == NVT_E_INVALID ? CKR_KEY_NOT_WRAPPABLE : CKR_FUNCTION_FAILED;
}

static CK_RV kw_wrap(const CK_MECHANISM *mech, const tok_key_t *wrapping, const tok_key_t *key, uint8_t *out,
                     CK_ULONG *out_len)
{
    CK_RV rv = kw_params(mech);
    const uint8_t *kek = NULL, *v = NULL;
    size_t kek_len = 0, len = 0;
    if (rv == CKR_OK) {
        rv = kek_of(wrapping, CKR_WRAPPING_KEY_TYPE_INCONSISTENT, &kek, &kek_len);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (key->obj->cls == CKO_PRIVATE_KEY) {
        return wrap_private(mech, kek, kek_len, key, out, out_len);
    }
    if (key->obj->cls != CKO_SECRET_KEY || !tok_obj_value(key->obj, CKA_VALUE, &v, &len)) {
        return CKR_KEY_NOT_WRAPPABLE;
    }
    if (is_pad(mech) ? len == 0 : len < 16 || len % 8 != 0) {
        return CKR_KEY_SIZE_RANGE;
    }
    CK_ULONG need = (CK_ULONG)(is_pad(mech) ? (len + 7) / 8 * 8 + 8 : len + 8);
    if (out == NULL) {
        *out_len = need;
        return CKR_OK;
    }
    size_t n = 0;
    int err = nvt_crypto_aes_kw_wrap(is_pad(mech), kek, kek_len, v, len, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = need;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

/* A private key from its PKCS#8 encoding: its parts become the object's
 * attributes, in place in out->buf. */
static CK_RV unwrap_private(const CK_MECHANISM *mech, const uint8_t *kek, size_t kek_len, const uint8_t *wrapped,
                            CK_ULONG len, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out)
{
    nvt_crypto_key_material_t m;
    /* The encoding is a little longer than the parts it holds. */
    if (wrapped == NULL || len < 24 || len % 8 != 0 || len > sizeof(out->buf) + 256) {
        return CKR_WRAPPED_KEY_LEN_RANGE;
    }
    uint8_t *buf = out->buf + out->used;
    size_t room = sizeof(out->buf) - out->used;
    int err = nvt_crypto_aes_kw_unwrap_private(is_pad(mech), kek, kek_len, wrapped, len, buf, room, &m);
    if (err != NVT_OK) {
        return err == NVT_E_INVALID            ? CKR_WRAPPED_KEY_LEN_RANGE
               : err == NVT_E_BUFFER_TOO_SMALL ? CKR_DEVICE_MEMORY
               : err == NVT_E_CRYPTO           ? CKR_FUNCTION_FAILED
                                               : CKR_WRAPPED_KEY_INVALID;
    }
    /* The parts lie one after the other from buf: they become attributes
     * where they are. */
    size_t parts = m.type == NVT_CRYPTO_KEY_RSA_PAIR ? NVT_CRYPTO_RSA_PARTS : 1;
    for (size_t i = 0; i < parts; i++) {
        CK_ATTRIBUTE *a = &out->attr[out->n++];
        a->type = m.type == NVT_CRYPTO_KEY_RSA_PAIR ? tok_rsa_parts[i] : CKA_VALUE;
        a->pValue = (void *)(uintptr_t)m.v[i].p;
        a->ulValueLen = (CK_ULONG)m.v[i].len;
        out->used += m.v[i].len;
    }
    out->cls = CKO_PRIVATE_KEY;
    out->key_type = m.type == NVT_CRYPTO_KEY_RSA_PAIR ? (CK_KEY_TYPE)CKK_RSA : (CK_KEY_TYPE)CKK_EC;
    if (m.type == NVT_CRYPTO_KEY_EC_PAIR) {
        /* The curve is the encoding's; a template naming another one
         * contradicts it. */
        size_t oid_len = 0;
        const uint8_t *oid = nvt_crypto_curve_oid(m.curve, &oid_len);
        const CK_ATTRIBUTE *given = tok_tmpl_find(tmpl, n, CKA_EC_PARAMS);
        if (given != NULL && (given->pValue == NULL || given->ulValueLen != oid_len ||
                              memcmp(given->pValue, oid, oid_len) != 0)) {
            return CKR_TEMPLATE_INCONSISTENT;
        }
        return tok_made_add(out, CKA_EC_PARAMS, oid, oid_len);
    }
    return CKR_OK;
}

static CK_RV kw_unwrap(const CK_MECHANISM *mech, const tok_key_t *unwrapping, const uint8_t *wrapped, CK_ULONG len,
                       const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out)
{
    CK_RV rv = kw_params(mech);
    const uint8_t *kek = NULL;
    size_t kek_len = 0;
    CK_ULONG cls = CKO_SECRET_KEY;
    if (rv == CKR_OK) {
        rv = kek_of(unwrapping, CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT, &kek, &kek_len);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (tok_tmpl_ulong(tmpl, n, CKA_CLASS, &cls) < 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (cls == CKO_PRIVATE_KEY) {
        return unwrap_private(mech, kek, kek_len, wrapped, len, tmpl, n, out);
    }
    if (cls != CKO_SECRET_KEY) {
        return CKR_TEMPLATE_INCONSISTENT; /* secret and private keys are wrapped */
    }
    if (wrapped == NULL || len < (is_pad(mech) ? 16u : 24u) || len % 8 != 0 || len - 8 > sizeof(out->buf)) {
        return CKR_WRAPPED_KEY_LEN_RANGE;
    }
    CK_RV add = tok_made_add(out, CKA_VALUE, NULL, len - 8);
    if (add != CKR_OK) {
        return add;
    }
    CK_ATTRIBUTE *a = &out->attr[out->n - 1];
    size_t got = 0;
    int err = nvt_crypto_aes_kw_unwrap(is_pad(mech), kek, kek_len, wrapped, len, a->pValue, a->ulValueLen, &got);
    if (err != NVT_OK) {
        return err == NVT_E_VERIFY ? CKR_WRAPPED_KEY_INVALID
               : err == NVT_E_INVALID ? CKR_WRAPPED_KEY_LEN_RANGE
                                      : CKR_FUNCTION_FAILED;
    }
    a->ulValueLen = got; /* KWP: the value without its padding */
    out->cls = CKO_SECRET_KEY;
    return CKR_OK;
}

const tok_mech_ops_t tok_aes_kw = { NULL, NULL, NULL, kw_wrap, kw_unwrap };

#endif /* NVT_CONFIG_MECH_AES_KEY_WRAP */
