/* RSA mechanisms, keys of 2048 (legacy mechanisms on: 1024) to 4096 bits:
 * - signatures: CKM_RSA_PKCS (the input is a DigestInfo, or any data of 1
 *   to k - 11 bytes; single-part), CKM_SHA1/256/384/512_RSA_PKCS (the token
 *   hashes; multi-part), CKM_RSA_PKCS_PSS (the input is the hash) and
 *   CKM_SHA256/384/512_RSA_PKCS_PSS, CKM_RSA_X_509 (raw);
 * - encryption: CKM_RSA_PKCS (PKCS#1 v1.5), CKM_RSA_PKCS_OAEP (SHA-1 or
 *   SHA-256, with a label), CKM_RSA_X_509, when NVT_CONFIG_MECH_RSA_ENCRYPT;
 * - CKM_RSA_PKCS_KEY_PAIR_GEN, tok_rsa_min_bits() to
 *   NVT_CONFIG_MECH_RSA_GEN_MAX_BITS.
 * PSS and OAEP use MGF1 with the message hash (PSA ties them); PSS signs
 * with a salt as long as the hash, the length TLS 1.3 needs, and verifies
 * signatures with any salt length. Keys come from the key cache. */
#include "tok_mech.h"

#include <string.h>

#if NVT_CONFIG_MECH_RSA

#define RSA_MAX_BITS TOK_RSA_MAX_BITS

static nvt_crypto_hash_alg_t hash_of_mech(CK_MECHANISM_TYPE type)
{
    switch (type) {
    case CKM_SHA_1: return NVT_CRYPTO_SHA1;
    case CKM_SHA256: return NVT_CRYPTO_SHA256;
    case CKM_SHA384: return NVT_CRYPTO_SHA384;
    case CKM_SHA512: return NVT_CRYPTO_SHA512;
    default: return NVT_CRYPTO_HASH_NONE;
    }
}

static CK_RSA_PKCS_MGF_TYPE mgf_of(nvt_crypto_hash_alg_t h)
{
    switch (h) {
    case NVT_CRYPTO_SHA1: return CKG_MGF1_SHA1;
    case NVT_CRYPTO_SHA256: return CKG_MGF1_SHA256;
    case NVT_CRYPTO_SHA384: return CKG_MGF1_SHA384;
    case NVT_CRYPTO_SHA512: return CKG_MGF1_SHA512;
    default: return 0;
    }
}

/* Scheme, hash and hashing of a signature mechanism; 0 if not one. */
static int sig_scheme(CK_MECHANISM_TYPE type, nvt_crypto_sig_t *sig, nvt_crypto_hash_alg_t *hash, int *hashing)
{
    *hashing = 1;
    *sig = NVT_CRYPTO_SIG_RSA_PKCS1V15;
    switch (type) {
    case CKM_RSA_PKCS: *hash = NVT_CRYPTO_HASH_NONE; *hashing = 0; return 1;
    case CKM_SHA1_RSA_PKCS: *hash = NVT_CRYPTO_SHA1; return 1;
    case CKM_SHA256_RSA_PKCS: *hash = NVT_CRYPTO_SHA256; return 1;
    case CKM_SHA384_RSA_PKCS: *hash = NVT_CRYPTO_SHA384; return 1;
    case CKM_SHA512_RSA_PKCS: *hash = NVT_CRYPTO_SHA512; return 1;
    default: break;
    }
    *sig = NVT_CRYPTO_SIG_RSA_PSS;
    switch (type) {
    case CKM_RSA_PKCS_PSS: *hash = NVT_CRYPTO_HASH_NONE; *hashing = 0; return 1;
    case CKM_SHA256_RSA_PKCS_PSS: *hash = NVT_CRYPTO_SHA256; return 1;
    case CKM_SHA384_RSA_PKCS_PSS: *hash = NVT_CRYPTO_SHA384; return 1;
    case CKM_SHA512_RSA_PKCS_PSS: *hash = NVT_CRYPTO_SHA512; return 1;
    default: return 0;
    }
}

/* PSS parameters: a SHA-2 hash (the mechanism's, if it hashes), MGF1 with
 * the same hash, and (to sign) a salt as long as the hash. */
static CK_RV pss_params(const CK_MECHANISM *mech, int sign, nvt_crypto_hash_alg_t *hash)
{
    const CK_RSA_PKCS_PSS_PARAMS *p = mech->pParameter;
    if (p == NULL || mech->ulParameterLen != sizeof(*p)) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    nvt_crypto_hash_alg_t h = hash_of_mech(p->hashAlg);
    if (h != NVT_CRYPTO_SHA256 && h != NVT_CRYPTO_SHA384 && h != NVT_CRYPTO_SHA512) {
        return CKR_MECHANISM_PARAM_INVALID; /* SHA-1 PSS: see docs/COMPATIBILITY.md */
    }
    if ((*hash != NVT_CRYPTO_HASH_NONE && *hash != h) || p->mgf != mgf_of(h) ||
        (sign && p->sLen != nvt_crypto_hash_size(h))) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    *hash = h;
    return CKR_OK;
}

/* The key for an RSA operation: right class, tok_rsa_min_bits() to 4096 bits. */
static CK_RV rsa_key(const tok_key_t *key, CK_OBJECT_CLASS cls, nvt_crypto_use_t use, tok_loaded_t *out)
{
    if (key->obj->sub != CKK_RSA || key->obj->cls != cls) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    CK_RV rv = tok_key_load(key, use, out);
    if (rv == CKR_OK && (out->bits < tok_rsa_min_bits() || out->bits > RSA_MAX_BITS)) {
        tok_key_release(out);
        rv = CKR_KEY_SIZE_RANGE;
    }
    return rv;
}

/* ------------------------------------------------------------------------
 * Signatures
 * ---------------------------------------------------------------------- */

static CK_RV sig_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    tok_sig_ctx_t *c = &op->ctx.sig;
    int sign = op->kind == TOK_OP_SIGN;
    nvt_crypto_sig_t sig = NVT_CRYPTO_SIG_RSA_PKCS1V15;
    nvt_crypto_hash_alg_t hash = NVT_CRYPTO_HASH_NONE;
    int hashing = 0, raw = mech->mechanism == CKM_RSA_X_509;
    CK_RV rv = CKR_OK;
    if (!raw && !sig_scheme(mech->mechanism, &sig, &hash, &hashing)) {
        return CKR_MECHANISM_INVALID;
    }
    if (sig == NVT_CRYPTO_SIG_RSA_PSS && !raw) {
        rv = pss_params(mech, sign, &hash);
    } else if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        rv = CKR_MECHANISM_PARAM_INVALID;
    }
    if (rv != CKR_OK) {
        return rv;
    }
    memset(c, 0, sizeof(*c));
    rv = rsa_key(key, sign ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY, raw ? NVT_CRYPTO_USE_RSA_RAW : NVT_CRYPTO_USE_RSA_SIGN,
                 &c->key);
    if (rv != CKR_OK) {
        return rv;
    }
    c->len = (uint16_t)((c->key.bits + 7) / 8);
    c->sig = (uint8_t)sig;
    c->hash = (uint8_t)hash;
    c->hashing = (uint8_t)hashing;
    c->raw = (uint8_t)raw;
    if (sig == NVT_CRYPTO_SIG_RSA_PSS && !raw) {
        /* The encoded message (bits - 1 bits) must hold the hash, the salt
         * and two bytes (RFC 8017 9.1.1): SHA-512 with its 64-byte salt
         * does not fit a 1024-bit key. */
        const CK_RSA_PKCS_PSS_PARAMS *p = mech->pParameter;
        size_t em_len = (c->key.bits + 6) / 8;
        if (p->sLen > em_len || em_len < nvt_crypto_hash_size(hash) + p->sLen + 2) {
            tok_key_release(&c->key);
            return CKR_KEY_SIZE_RANGE;
        }
    }
    if (hashing && nvt_crypto_hash_setup(&c->h, hash) != NVT_OK) {
        tok_key_release(&c->key);
        return CKR_MECHANISM_INVALID;
    }
    return CKR_OK;
}

/* Raw RSA verification: s^e mod n must equal the data as a k-byte number. */
static CK_RV raw_verify(tok_sig_ctx_t *c, const uint8_t *in, size_t in_len, const uint8_t *sig, size_t sig_len)
{
    uint8_t m[RSA_MAX_BITS / 8], want[RSA_MAX_BITS / 8];
    size_t n = 0;
    if (in_len > c->len) {
        return CKR_DATA_LEN_RANGE;
    }
    int err = nvt_crypto_rsa_encrypt(c->key.key, NVT_CRYPTO_RSA_RAW, NULL, 0, sig, sig_len, m, sizeof(m), &n);
    if (err == NVT_E_INVALID) {
        return CKR_SIGNATURE_INVALID; /* not below the modulus */
    }
    if (err != NVT_OK || n != c->len) {
        return CKR_FUNCTION_FAILED;
    }
    memset(want, 0, c->len - in_len);
    if (in_len > 0) {
        memcpy(want + c->len - in_len, in, in_len);
    }
    return memcmp(m, want, c->len) == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

/* Sign or verify h: a hash, a DigestInfo, or a raw block. */
static CK_RV sig_do(tok_op_t *op, const uint8_t *h, size_t h_len, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out,
                    CK_ULONG *out_len)
{
    tok_sig_ctx_t *c = &op->ctx.sig;
    nvt_crypto_hash_alg_t hash = (nvt_crypto_hash_alg_t)c->hash;
    nvt_crypto_sig_t scheme = (nvt_crypto_sig_t)c->sig;
    /* Input lengths the scheme takes: PSS the hash; PKCS#1 v1.5 without a
     * hash 1 to k - 11 bytes (mbedTLS would copy empty data from a NULL
     * pointer); raw at most k. */
    if (!c->hashing && !c->raw &&
        (scheme == NVT_CRYPTO_SIG_RSA_PSS ? h_len != nvt_crypto_hash_size(hash)
                                          : h_len == 0 || h_len > (size_t)c->len - 11)) {
        return CKR_DATA_LEN_RANGE;
    }
    if (op->kind == TOK_OP_VERIFY) {
        if (sig_len != c->len) {
            return CKR_SIGNATURE_LEN_RANGE;
        }
        if (c->raw) {
            return raw_verify(c, h, h_len, sig, sig_len);
        }
        int err = nvt_crypto_verify_hash(c->key.key, scheme, hash, h, h_len, sig, sig_len);
        return err == NVT_OK ? CKR_OK : err == NVT_E_VERIFY ? CKR_SIGNATURE_INVALID : CKR_FUNCTION_FAILED;
    }
    size_t n = 0;
    int err = c->raw ? nvt_crypto_rsa_decrypt(c->key.key, NVT_CRYPTO_RSA_RAW, NULL, 0, h, h_len, out, *out_len, &n)
                     : nvt_crypto_sign_hash(c->key.key, scheme, hash, h, h_len, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = c->len;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err == NVT_E_INVALID) {
        return c->raw ? CKR_DATA_INVALID : CKR_DATA_LEN_RANGE;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static CK_RV sig_single(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, const uint8_t *sig, CK_ULONG sig_len,
                        uint8_t *out, CK_ULONG *out_len)
{
    if (op->kind == TOK_OP_SIGN && *out_len < op->ctx.sig.len) {
        *out_len = op->ctx.sig.len;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (op->ctx.sig.raw && in_len > op->ctx.sig.len) {
        return CKR_DATA_LEN_RANGE;
    }
    return sig_do(op, in, in_len, sig, sig_len, out, out_len);
}

static CK_RV sig_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    return tok_sig_final(op, sig_do, sig, sig_len, out, out_len);
}

const tok_op_class_t tok_rsa_sig = {
    sig_init, tok_sig_out_len, tok_sig_update, sig_final, NULL, tok_sig_free,
};
const tok_op_class_t tok_rsa_sig_raw = {
    sig_init, tok_sig_out_len, NULL, NULL, sig_single, tok_sig_free,
};

#if NVT_CONFIG_MECH_RSA_ENCRYPT
/* ------------------------------------------------------------------------
 * Encryption (single-part)
 * ---------------------------------------------------------------------- */

static CK_RV crypt_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    tok_rsa_ctx_t *c = &op->ctx.rsa;
    nvt_crypto_use_t use;
    nvt_crypto_rsa_pad_t pad;
    const uint8_t *label = NULL;
    size_t label_len = 0;
    switch (mech->mechanism) {
    case CKM_RSA_PKCS:
    case CKM_RSA_X_509:
        if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        pad = mech->mechanism == CKM_RSA_PKCS ? NVT_CRYPTO_RSA_PKCS1V15 : NVT_CRYPTO_RSA_RAW;
        use = mech->mechanism == CKM_RSA_PKCS ? NVT_CRYPTO_USE_RSA_PKCS1_CRYPT : NVT_CRYPTO_USE_RSA_RAW;
        break;
    case CKM_RSA_PKCS_OAEP: {
        const CK_RSA_PKCS_OAEP_PARAMS *p = mech->pParameter;
        if (p == NULL || mech->ulParameterLen != sizeof(*p)) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        nvt_crypto_hash_alg_t h = hash_of_mech(p->hashAlg);
        if ((h != NVT_CRYPTO_SHA1 && h != NVT_CRYPTO_SHA256) || p->mgf != mgf_of(h) ||
            nvt_crypto_hash_size(h) == 0) {
            return CKR_MECHANISM_PARAM_INVALID; /* docs/COMPATIBILITY.md */
        }
        /* The label: CKZ_DATA_SPECIFIED (0 accepted for none). */
        if ((p->source != CKZ_DATA_SPECIFIED && (p->source != 0 || p->ulSourceDataLen != 0)) ||
            (p->pSourceData == NULL && p->ulSourceDataLen != 0) || p->ulSourceDataLen > TOK_OAEP_LABEL_MAX) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        label = p->pSourceData;
        label_len = p->ulSourceDataLen;
        pad = NVT_CRYPTO_RSA_OAEP;
        use = h == NVT_CRYPTO_SHA1 ? NVT_CRYPTO_USE_RSA_OAEP_SHA1 : NVT_CRYPTO_USE_RSA_OAEP_SHA256;
        break;
    }
    default:
        return CKR_MECHANISM_INVALID;
    }
    memset(c, 0, sizeof(*c));
    CK_RV rv = rsa_key(key, op->kind == TOK_OP_ENCRYPT ? CKO_PUBLIC_KEY : CKO_PRIVATE_KEY, use, &c->key);
    if (rv != CKR_OK) {
        return rv;
    }
    c->len = (uint16_t)((c->key.bits + 7) / 8);
    c->pad = (uint8_t)pad;
    c->label_len = (uint16_t)label_len;
    if (label_len > 0) {
        memcpy(c->label, label, label_len);
    }
    return CKR_OK;
}

static CK_RV crypt_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)in_len;
    (void)last;
    *len = op->ctx.rsa.len; /* a bound for decryption, exact otherwise */
    return CKR_OK;
}

static CK_RV crypt_single(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, const uint8_t *sig, CK_ULONG sig_len,
                          uint8_t *out, CK_ULONG *out_len)
{
    (void)sig;
    (void)sig_len;
    tok_rsa_ctx_t *c = &op->ctx.rsa;
    nvt_crypto_rsa_pad_t pad = (nvt_crypto_rsa_pad_t)c->pad;
    size_t n = 0;
    int err;
    if (op->kind == TOK_OP_ENCRYPT) {
        if (*out_len < c->len) {
            *out_len = c->len;
            return CKR_BUFFER_TOO_SMALL;
        }
        if (in_len > c->len) {
            return CKR_DATA_LEN_RANGE;
        }
        err = nvt_crypto_rsa_encrypt(c->key.key, pad, c->label, c->label_len, in, in_len, out, *out_len, &n);
        if (err == NVT_E_INVALID) {
            return pad == NVT_CRYPTO_RSA_RAW ? CKR_DATA_INVALID : CKR_DATA_LEN_RANGE;
        }
    } else {
        if (pad == NVT_CRYPTO_RSA_RAW ? in_len > c->len : in_len != c->len) {
            return CKR_ENCRYPTED_DATA_LEN_RANGE;
        }
        err = nvt_crypto_rsa_decrypt(c->key.key, pad, c->label, c->label_len, in, in_len, out, *out_len, &n);
        if (err == NVT_E_VERIFY || err == NVT_E_INVALID) {
            return CKR_ENCRYPTED_DATA_INVALID;
        }
    }
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = (CK_ULONG)n;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static void crypt_free(tok_op_t *op)
{
    tok_key_release(&op->ctx.rsa.key);
}

const tok_op_class_t tok_rsa_crypt = {
    crypt_init, crypt_out_len, NULL, NULL, crypt_single, crypt_free,
};
#endif /* NVT_CONFIG_MECH_RSA_ENCRYPT */

#if NVT_CONFIG_MECH_RSA_KEYGEN
/* ------------------------------------------------------------------------
 * CKM_RSA_PKCS_KEY_PAIR_GEN
 * ---------------------------------------------------------------------- */

static CK_RV rsa_generate(const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub_tmpl, CK_ULONG pub_n,
                          const CK_ATTRIBUTE *priv_tmpl, CK_ULONG priv_n, tok_made_t *pub, tok_made_t *priv)
{
    (void)priv_tmpl;
    (void)priv_n;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    CK_ULONG bits = 0;
    int got = tok_tmpl_ulong(pub_tmpl, pub_n, CKA_MODULUS_BITS, &bits);
    if (got < 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (got == 0) {
        return CKR_TEMPLATE_INCOMPLETE;
    }
    if (bits < tok_rsa_min_bits() || bits > NVT_CONFIG_MECH_RSA_GEN_MAX_BITS || bits % 8 != 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID; /* docs/COMPATIBILITY.md: no keys below 2048 bits (legacy: 1024) */
    }
    /* The public exponent: given (odd, 3 to 2^31 - 1) or 65537. */
    const CK_ATTRIBUTE *e = tok_tmpl_find(pub_tmpl, pub_n, CKA_PUBLIC_EXPONENT);
    const uint8_t *ev = NULL;
    size_t e_len = 0;
    if (e != NULL) {
        ev = e->pValue;
        e_len = e->ulValueLen;
        while (e_len > 0 && ev != NULL && ev[0] == 0) {
            ev++;
            e_len--;
        }
        if (ev == NULL || e_len == 0 || e_len > 4 || (e_len == 4 && ev[0] >= 0x80) || (ev[e_len - 1] & 1) == 0 ||
            (e_len == 1 && ev[0] < 3)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
    }
    if (NVT_CRYPTO_RSA_GENERATE_BUF(bits) > sizeof(pub->buf)) {
        return CKR_DEVICE_MEMORY;
    }
    pub->cls = CKO_PUBLIC_KEY;
    pub->key_type = CKK_RSA;
    priv->cls = CKO_PRIVATE_KEY;
    priv->key_type = CKK_RSA;
    /* PSA exports the new key into the public half's buffer, unused so far;
     * the private parts are copied into the private half's, then the
     * export is wiped and the public half made from the private's copy. */
    nvt_crypto_span_t v[NVT_CRYPTO_RSA_PARTS];
    int err = nvt_crypto_rsa_generate(bits, ev, e_len, pub->buf, sizeof(pub->buf), v);
    CK_RV rv = err == NVT_OK ? CKR_OK : err == NVT_E_INVALID ? CKR_ATTRIBUTE_VALUE_INVALID : CKR_FUNCTION_FAILED;
    size_t first = priv->n;
    for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS && rv == CKR_OK; i++) {
        rv = tok_made_add(priv, tok_rsa_parts[i], v[i].p, v[i].len);
    }
    nvt_crypto_zeroize(pub->buf, sizeof(pub->buf));
    for (size_t i = 0; i < 2 && rv == CKR_OK; i++) {
        const CK_ATTRIBUTE *a = &priv->attr[first + i];
        rv = tok_made_add(pub, a->type, a->pValue, a->ulValueLen);
    }
    return rv;
}

const tok_mech_ops_t tok_rsa_keygen = { NULL, rsa_generate, NULL, NULL, NULL };
#endif /* NVT_CONFIG_MECH_RSA_KEYGEN */

#endif /* NVT_CONFIG_MECH_RSA */
