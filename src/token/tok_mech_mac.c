/* MAC mechanisms, C_Sign/C_Verify single- and multi-part:
 * CKM_SHA256_HMAC, CKM_SHA384_HMAC, CKM_SHA512_HMAC (generic secret keys
 * of 1 to 512 bytes) and CKM_AES_CMAC (AES keys). Full-length MACs; the
 * verification compares in constant time (PSA). The key comes from the key
 * cache and is let go as soon as the MAC has started: PSA's operation keeps
 * its own copy of what it needs. */
#include "tok_mech.h"

#include <string.h>

#if NVT_CONFIG_MECH_HMAC || NVT_CONFIG_MECH_CMAC

/* Longest HMAC key, bytes (CK_MECHANISM_INFO.ulMaxKeySize). */
#define HMAC_KEY_MAX 512u

static CK_RV mac_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    nvt_crypto_mac_alg_t alg;
    nvt_crypto_use_t use;
    CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    switch (mech->mechanism) {
    case CKM_SHA256_HMAC: alg = NVT_CRYPTO_HMAC_SHA256; use = NVT_CRYPTO_USE_HMAC_SHA256; break;
    case CKM_SHA384_HMAC: alg = NVT_CRYPTO_HMAC_SHA384; use = NVT_CRYPTO_USE_HMAC_SHA384; break;
    case CKM_SHA512_HMAC: alg = NVT_CRYPTO_HMAC_SHA512; use = NVT_CRYPTO_USE_HMAC_SHA512; break;
    case CKM_AES_CMAC: alg = NVT_CRYPTO_CMAC_AES; use = NVT_CRYPTO_USE_AES_CMAC; type = CKK_AES; break;
    default: return CKR_MECHANISM_INVALID;
    }
    if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (key->obj->cls != CKO_SECRET_KEY || key->obj->sub != type) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    tok_loaded_t k = { 0, 0, 0 };
    CK_RV rv = tok_key_load(key, use, &k);
    if (rv != CKR_OK) {
        return rv;
    }
    if (type == CKK_GENERIC_SECRET && (k.bits == 0 || k.bits > 8 * HMAC_KEY_MAX)) {
        rv = CKR_KEY_SIZE_RANGE;
    } else {
        tok_mac_ctx_t *c = &op->ctx.mac;
        memset(c, 0, sizeof(*c));
        int err = nvt_crypto_mac_setup(&c->m, k.key, alg, op->kind == TOK_OP_VERIFY);
        rv = err == NVT_OK ? CKR_OK : err == NVT_E_INVALID ? CKR_KEY_TYPE_INCONSISTENT : CKR_FUNCTION_FAILED;
        c->len = (uint8_t)nvt_crypto_mac_size(alg);
    }
    tok_key_release(&k);
    return rv;
}

static CK_RV mac_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    (void)in_len;
    *len = last ? op->ctx.mac.len : 0;
    return CKR_OK;
}

static CK_RV mac_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)out;
    (void)out_len;
    return nvt_crypto_mac_update(&op->ctx.mac.m, in, in_len) == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV mac_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    tok_mac_ctx_t *c = &op->ctx.mac;
    if (op->kind == TOK_OP_VERIFY) {
        if (sig_len != c->len) {
            return CKR_SIGNATURE_LEN_RANGE;
        }
        int err = nvt_crypto_mac_verify_finish(&c->m, sig, sig_len);
        return err == NVT_OK ? CKR_OK : err == NVT_E_VERIFY ? CKR_SIGNATURE_INVALID : CKR_FUNCTION_FAILED;
    }
    size_t n = 0;
    int err = nvt_crypto_mac_sign_finish(&c->m, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = c->len; /* the MAC is still open for the retry */
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static void mac_free(tok_op_t *op)
{
    nvt_crypto_mac_abort(&op->ctx.mac.m);
}

const tok_op_class_t tok_mac = {
    mac_init, mac_out_len, mac_update, mac_final, NULL, mac_free,
};

#endif /* NVT_CONFIG_MECH_HMAC || NVT_CONFIG_MECH_CMAC */
