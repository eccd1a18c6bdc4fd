/* Digest mechanisms (CKM_SHA256, ...) over the crypto layer's hashes. One
 * operation class serves every digest: the algorithm follows the
 * mechanism type. */
#include "tok_mech.h"

#if NVT_CONFIG_MECH_DIGEST

static nvt_crypto_hash_alg_t digest_alg(CK_MECHANISM_TYPE type)
{
    switch (type) {
    case CKM_SHA_1: return NVT_CRYPTO_SHA1;
    case CKM_SHA256: return NVT_CRYPTO_SHA256;
    case CKM_SHA384: return NVT_CRYPTO_SHA384;
    case CKM_SHA512: return NVT_CRYPTO_SHA512;
    default: return (nvt_crypto_hash_alg_t)0;
    }
}

static CK_RV digest_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    (void)key;
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    int err = nvt_crypto_hash_setup(&op->ctx.hash, digest_alg(mech->mechanism));
    return err == NVT_OK ? CKR_OK : err == NVT_E_UNSUPPORTED ? CKR_MECHANISM_INVALID : CKR_FUNCTION_FAILED;
}

static CK_RV digest_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)in_len;
    *len = last ? (CK_ULONG)nvt_crypto_hash_size((nvt_crypto_hash_alg_t)op->ctx.hash.alg) : 0;
    return CKR_OK;
}

static CK_RV digest_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)out;
    (void)out_len;
    return nvt_crypto_hash_update(&op->ctx.hash, in, in_len) == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV digest_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)sig;
    (void)sig_len;
    size_t n = 0;
    int err = nvt_crypto_hash_finish(&op->ctx.hash, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = (CK_ULONG)n; /* the digest goes on, for the retry */
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static void digest_free(tok_op_t *op)
{
    nvt_crypto_hash_abort(&op->ctx.hash);
}

const tok_op_class_t tok_digest = {
    digest_init, digest_out_len, digest_update, digest_final, NULL, digest_free,
};

#endif /* NVT_CONFIG_MECH_DIGEST */
