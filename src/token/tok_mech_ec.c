/* EC mechanisms on P-256, P-384 and (NVT_CONFIG_MECH_EC_P521) P-521: CKM_ECDSA (the input is the hash;
 * single-part), CKM_ECDSA_SHA1/256/384/512 (the token hashes; multi-part),
 * signatures as r || s; CKM_EC_KEY_PAIR_GEN; CKM_ECDH1_DERIVE with the null
 * KDF, making a secret key object. Keys come from the key cache
 * (tok_keycache.c) for NVT_CRYPTO_USE_EC. */
#include "tok_mech.h"

#include <string.h>

/* The digest a mechanism applies, NVT_CRYPTO_HASH_NONE for CKM_ECDSA. */
static nvt_crypto_hash_alg_t ecdsa_hash(CK_MECHANISM_TYPE type)
{
    switch (type) {
    case CKM_ECDSA_SHA1: return NVT_CRYPTO_SHA1;
    case CKM_ECDSA_SHA256: return NVT_CRYPTO_SHA256;
    case CKM_ECDSA_SHA384: return NVT_CRYPTO_SHA384;
    case CKM_ECDSA_SHA512: return NVT_CRYPTO_SHA512;
    default: return NVT_CRYPTO_HASH_NONE;
    }
}

static CK_RV ecdsa_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    tok_sig_ctx_t *c = &op->ctx.sig;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    CK_OBJECT_CLASS want = op->kind == TOK_OP_SIGN ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
    if (key->obj->sub != CKK_EC || key->obj->cls != want) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    memset(c, 0, sizeof(*c));
    CK_RV rv = tok_key_load(key, NVT_CRYPTO_USE_EC, &c->key);
    if (rv != CKR_OK) {
        return rv;
    }
    c->sig = NVT_CRYPTO_SIG_ECDSA;
    c->len = (uint16_t)(2 * ((c->key.bits + 7) / 8));
    c->hash = (uint8_t)ecdsa_hash(mech->mechanism);
    c->hashing = c->hash != NVT_CRYPTO_HASH_NONE;
    if (c->hashing && nvt_crypto_hash_setup(&c->h, (nvt_crypto_hash_alg_t)c->hash) != NVT_OK) {
        tok_key_release(&c->key);
        return CKR_MECHANISM_INVALID;
    }
    return CKR_OK;
}

/* Sign or verify the hash h (the input of CKM_ECDSA, or the digest). */
static CK_RV ecdsa_do(tok_op_t *op, const uint8_t *h, size_t h_len, const uint8_t *sig, CK_ULONG sig_len,
                      uint8_t *out, CK_ULONG *out_len)
{
    tok_sig_ctx_t *c = &op->ctx.sig;
    nvt_crypto_hash_alg_t hash = (nvt_crypto_hash_alg_t)c->hash;
    if (op->kind == TOK_OP_VERIFY) {
        if (sig_len != c->len) {
            return CKR_SIGNATURE_LEN_RANGE;
        }
        int err = nvt_crypto_verify_hash(c->key.key, NVT_CRYPTO_SIG_ECDSA, hash, h, h_len, sig, sig_len);
        return err == NVT_OK ? CKR_OK : err == NVT_E_VERIFY || err == NVT_E_INVALID ? CKR_SIGNATURE_INVALID
                                                                                  : CKR_FUNCTION_FAILED;
    }
    size_t n = 0;
    int err = nvt_crypto_sign_hash(c->key.key, NVT_CRYPTO_SIG_ECDSA, hash, h, h_len, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = c->len;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

/* Single-part CKM_ECDSA: the input is the hash (any length; the curve's
 * leftmost bits are used, as ANSI X9.62 says). */
static CK_RV ecdsa_single(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, const uint8_t *sig, CK_ULONG sig_len,
                          uint8_t *out, CK_ULONG *out_len)
{
    if (in_len == 0) {
        return CKR_DATA_LEN_RANGE;
    }
    if (op->kind == TOK_OP_SIGN && *out_len < op->ctx.sig.len) {
        *out_len = op->ctx.sig.len;
        return CKR_BUFFER_TOO_SMALL;
    }
    return ecdsa_do(op, in, in_len, sig, sig_len, out, out_len);
}

/* Final of the hashing mechanisms. */
static CK_RV ecdsa_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    return tok_sig_final(op, ecdsa_do, sig, sig_len, out, out_len);
}

/* CKM_ECDSA_SHA* hash the data (update, final); CKM_ECDSA is single-part
 * only. Each class serves signing and verification (op->kind). */
const tok_op_class_t tok_ecdsa = {
    ecdsa_init, tok_sig_out_len, tok_sig_update, ecdsa_final, NULL, tok_sig_free,
};
const tok_op_class_t tok_ecdsa_raw = {
    ecdsa_init, tok_sig_out_len, NULL, NULL, ecdsa_single, tok_sig_free,
};

/* ------------------------------------------------------------------------
 * CKM_EC_KEY_PAIR_GEN
 * ---------------------------------------------------------------------- */

static CK_RV ec_generate(const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub_tmpl, CK_ULONG pub_n,
                         const CK_ATTRIBUTE *priv_tmpl, CK_ULONG priv_n, tok_made_t *pub, tok_made_t *priv)
{
    (void)priv_tmpl;
    (void)priv_n;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    const CK_ATTRIBUTE *params = tok_tmpl_find(pub_tmpl, pub_n, CKA_EC_PARAMS);
    if (params == NULL) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (params->pValue == NULL || params->ulValueLen == 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    nvt_crypto_curve_t curve = nvt_crypto_curve_from_oid(params->pValue, params->ulValueLen);
    if (curve == NVT_CRYPTO_CURVE_NONE) {
        return CKR_CURVE_NOT_SUPPORTED;
    }
    size_t cb = nvt_crypto_curve_bytes(curve), q_size = 2 * cb + 1, head = q_size < 128 ? 2 : 3;
    pub->cls = CKO_PUBLIC_KEY;
    pub->key_type = CKK_EC;
    priv->cls = CKO_PRIVATE_KEY;
    priv->key_type = CKK_EC;
    /* The private value goes straight into the private key's buffer (wiped
     * by the token after use); the point into a DER OCTET STRING. */
    uint8_t *d = NULL, *point = NULL;
    CK_RV rv = tok_made_add(priv, CKA_VALUE, NULL, cb);
    if (rv == CKR_OK) {
        d = priv->attr[priv->n - 1].pValue;
        rv = tok_made_add(pub, CKA_EC_POINT, NULL, head + q_size);
    }
    if (rv == CKR_OK) {
        point = pub->attr[pub->n - 1].pValue;
        rv = tok_made_add(priv, CKA_EC_PARAMS, params->pValue, params->ulValueLen);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    /* DER OCTET STRING header: tag, length (long form past 127 bytes). */
    size_t d_len = 0, q_len = 0;
    point[0] = 0x04;
    point[1] = 0x81;
    point[head - 1] = (uint8_t)q_size;
    int err = nvt_crypto_ec_generate(curve, d, cb, &d_len, point + head, q_size, &q_len);
    if (err != NVT_OK || d_len != cb || q_len != q_size) {
        return err == NVT_E_ENTROPY || err == NVT_OK || err == NVT_E_CRYPTO ? CKR_FUNCTION_FAILED
                                                                             : CKR_CURVE_NOT_SUPPORTED;
    }
    return CKR_OK;
}

const tok_mech_ops_t tok_ec_keygen = { NULL, ec_generate, NULL, NULL, NULL };

/* ------------------------------------------------------------------------
 * CKM_ECDH1_DERIVE (null KDF)
 * ---------------------------------------------------------------------- */

static CK_RV ecdh_derive(const CK_MECHANISM *mech, const tok_key_t *base, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                         tok_made_t *out)
{
    const CK_ECDH1_DERIVE_PARAMS *p = mech->pParameter;
    if (p == NULL || mech->ulParameterLen != sizeof(*p) || p->kdf != CKD_NULL || p->ulSharedDataLen != 0 ||
        p->pPublicData == NULL || p->ulPublicDataLen == 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (base->obj->cls != CKO_PRIVATE_KEY || base->obj->sub != CKK_EC) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    /* The new key: a secret key, generic or AES, of CKA_VALUE_LEN bytes
     * (at most the shared secret; default all of it). */
    CK_ULONG key_type = CK_UNAVAILABLE_INFORMATION, len = 0, cls = CKO_SECRET_KEY;
    int got_len = tok_tmpl_ulong(tmpl, n, CKA_VALUE_LEN, &len);
    if (tok_tmpl_ulong(tmpl, n, CKA_KEY_TYPE, &key_type) < 0 || got_len < 0 ||
        tok_tmpl_ulong(tmpl, n, CKA_CLASS, &cls) < 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (cls != CKO_SECRET_KEY) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    tok_loaded_t k = { 0, 0, 0 };
    CK_RV rv = tok_key_load(base, NVT_CRYPTO_USE_EC, &k);
    if (rv != CKR_OK) {
        return rv;
    }
    nvt_crypto_curve_t curve = nvt_crypto_curve_of_bits(k.bits);
    size_t cb = nvt_crypto_curve_bytes(curve);
    nvt_crypto_span_t peer;
    uint8_t z[NVT_CRYPTO_EC_MAX_BYTES];
    size_t z_len = 0;
    if (tok_ec_point(p->pPublicData, p->ulPublicDataLen, curve, &peer) != CKR_OK) {
        rv = CKR_MECHANISM_PARAM_INVALID;
    } else {
        int err = nvt_crypto_ecdh(k.key, peer.p, peer.len, z, sizeof(z), &z_len);
        rv = err == NVT_OK ? CKR_OK : err == NVT_E_INVALID ? CKR_MECHANISM_PARAM_INVALID : CKR_FUNCTION_FAILED;
    }
    tok_key_release(&k);
    if (rv == CKR_OK && got_len == 0) {
        len = key_type == CKK_AES && cb > 32 ? 32 : cb;
    }
    if (rv == CKR_OK && (len == 0 || len > z_len)) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (rv == CKR_OK && key_type == CKK_AES && len != 16 && len != 24 && len != 32) {
        rv = CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (rv == CKR_OK) {
        /* The null KDF: the key is the x coordinate, its leading bytes if
         * CKA_VALUE_LEN asks for fewer. */
        out->cls = CKO_SECRET_KEY;
        rv = tok_made_add(out, CKA_VALUE, z, len);
    }
    nvt_crypto_zeroize(z, sizeof(z));
    return rv;
}

const tok_mech_ops_t tok_ecdh_derive = { NULL, NULL, ecdh_derive, NULL, NULL };
