/* AES encryption and decryption, single- and multi-part, with AES keys of
 * 16, 24 or 32 bytes (and the legacy CKM_DES3_ECB, CKM_DES3_CBC and
 * CKM_DES3_CBC_PAD, as the AES modes of the same names, with DES3 keys of
 * 24 bytes and 8-byte blocks and IVs):
 * - CKM_AES_ECB, CKM_AES_CBC (whole blocks; a remainder at the end is
 *   CKR_DATA_LEN_RANGE / CKR_ENCRYPTED_DATA_LEN_RANGE), CKM_AES_CBC_PAD
 *   (PKCS#7), with a 16-byte IV as the parameter for the CBC modes;
 * - CKM_AES_CTR (CK_AES_CTR_PARAMS: the counter is the low ulCounterBits
 *   bits of the block; a message that would wrap them is refused with
 *   CKR_DATA_LEN_RANGE rather than carried into the nonce);
 * - CKM_AES_GCM (CK_GCM_PARAMS: IV of 1 to 128 bytes, AAD, tag of 32, 64
 *   or 96 to 128 bits). The ciphertext is followed by the tag. Multi-part
 *   decryption keeps the ciphertext (NVT_CONFIG_MECH_GCM_BUFFER) and
 *   releases plaintext only at C_DecryptFinal, after the tag verified.
 * Output lengths are exact, except where only the end can tell (a CBC_PAD
 * decryption's padding): then a bound, as PKCS#11 allows. */
#include "tok_mech.h"

#include <string.h>

/* The AES (or DES3) key for use, checking the object. */
static CK_RV aes_key(const tok_key_t *key, CK_KEY_TYPE type, nvt_crypto_use_t use, tok_loaded_t *out)
{
    if (key->obj->cls != CKO_SECRET_KEY || key->obj->sub != type) {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    CK_RV rv = tok_key_load(key, use, out);
    if (rv == CKR_OK && (type == CKK_DES3 ? out->bits != 192
                                          : out->bits != 128 && out->bits != 192 && out->bits != 256)) {
        tok_key_release(out);
        rv = CKR_KEY_SIZE_RANGE;
    }
    return rv;
}

static int decrypting(const tok_op_t *op)
{
    return op->kind == TOK_OP_DECRYPT;
}

/* ------------------------------------------------------------------------
 * ECB, CBC, CBC_PAD, CTR
 * ---------------------------------------------------------------------- */

/* Counter blocks before the low `bits` bits of cb wrap. */
static uint64_t ctr_limit(const uint8_t cb[16], CK_ULONG bits)
{
    uint64_t low = 0;
    for (int i = 8; i < 16; i++) {
        low = low << 8 | cb[i];
    }
    if (bits < 64) {
        uint64_t mask = ((uint64_t)1 << bits) - 1;
        return ((uint64_t)1 << bits) - (low & mask);
    }
    /* 64 bits or more: unless the counter's bits above the low 64 are all
     * ones, more blocks than any message has. */
    for (CK_ULONG b = 64; b < bits; b++) {
        if ((cb[15 - b / 8] & (1u << (b % 8))) == 0) {
            return UINT64_MAX;
        }
    }
    return low == 0 ? UINT64_MAX : 0 - low; /* 2^64 - low */
}

static CK_RV aes_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    tok_cipher_ctx_t *c = &op->ctx.cipher;
    nvt_crypto_cipher_mode_t mode;
    nvt_crypto_use_t use;
    CK_KEY_TYPE type = CKK_AES;
    const uint8_t *iv = NULL;
    size_t iv_len = 0;
    memset(c, 0, sizeof(*c));
    c->ctr_limit = UINT64_MAX;
    switch (mech->mechanism) {
    case CKM_AES_ECB:
        mode = NVT_CRYPTO_AES_ECB;
        use = NVT_CRYPTO_USE_AES_ECB;
        if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        break;
    case CKM_AES_CBC:
    case CKM_AES_CBC_PAD:
        mode = mech->mechanism == CKM_AES_CBC ? NVT_CRYPTO_AES_CBC : NVT_CRYPTO_AES_CBC_PAD;
        use = mech->mechanism == CKM_AES_CBC ? NVT_CRYPTO_USE_AES_CBC : NVT_CRYPTO_USE_AES_CBC_PAD;
        if (mech->pParameter == NULL || mech->ulParameterLen != 16) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        iv = mech->pParameter;
        iv_len = 16;
        break;
#if NVT_CONFIG_MECH_LEGACY
    case CKM_DES3_ECB:
        mode = NVT_CRYPTO_DES3_ECB;
        use = NVT_CRYPTO_USE_DES3_ECB;
        type = CKK_DES3;
        if (mech->pParameter != NULL || mech->ulParameterLen != 0) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        break;
    case CKM_DES3_CBC:
    case CKM_DES3_CBC_PAD:
        mode = mech->mechanism == CKM_DES3_CBC ? NVT_CRYPTO_DES3_CBC : NVT_CRYPTO_DES3_CBC_PAD;
        use = mech->mechanism == CKM_DES3_CBC ? NVT_CRYPTO_USE_DES3_CBC : NVT_CRYPTO_USE_DES3_CBC_PAD;
        type = CKK_DES3;
        if (mech->pParameter == NULL || mech->ulParameterLen != 8) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        iv = mech->pParameter;
        iv_len = 8;
        break;
#endif
    case CKM_AES_CTR: {
        const CK_AES_CTR_PARAMS *p = mech->pParameter;
        if (p == NULL || mech->ulParameterLen != sizeof(*p) || p->ulCounterBits == 0 || p->ulCounterBits > 128) {
            return CKR_MECHANISM_PARAM_INVALID;
        }
        mode = NVT_CRYPTO_AES_CTR;
        use = NVT_CRYPTO_USE_AES_CTR;
        iv = p->cb;
        iv_len = 16;
        c->ctr_limit = ctr_limit(p->cb, p->ulCounterBits);
        break;
    }
    default:
        return CKR_MECHANISM_INVALID;
    }
    tok_loaded_t k = { 0, 0, 0 };
    CK_RV rv = aes_key(key, type, use, &k);
    if (rv != CKR_OK) {
        return rv;
    }
    /* PSA's operation holds the key schedule: the key can go. */
    int err = nvt_crypto_cipher_setup(&c->c, mode, !decrypting(op), k.key, iv, iv_len);
    tok_key_release(&k);
    return err == NVT_OK ? CKR_OK : CKR_FUNCTION_FAILED;
}

static CK_RV aes_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    const nvt_crypto_cipher_t *c = &op->ctx.cipher.c;
    size_t n = nvt_crypto_cipher_update_len(c, in_len);
    if (last) {
        size_t total = c->pending + in_len;
        if (c->pad) {
            n = c->encrypt ? total / c->block * c->block + c->block : total; /* decryption: a bound */
        } else if (c->done) {
            n = nvt_crypto_cipher_finish_len(c);
        }
    }
    *len = (CK_ULONG)n;
    return CKR_OK;
}

/* The error code for input of the wrong length, by direction. */
static CK_RV len_range(const tok_op_t *op)
{
    return decrypting(op) ? CKR_ENCRYPTED_DATA_LEN_RANGE : CKR_DATA_LEN_RANGE;
}

static CK_RV aes_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    tok_cipher_ctx_t *c = &op->ctx.cipher;
    if (c->c.mode == NVT_CRYPTO_AES_CTR) {
        uint64_t bytes = c->ctr_bytes + in_len;
        if (bytes < c->ctr_bytes || (bytes + 15) / 16 > c->ctr_limit) {
            return len_range(op); /* the counter would wrap */
        }
    }
    size_t n = 0;
    int err = nvt_crypto_cipher_update(&c->c, in, in_len, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = (CK_ULONG)n;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    c->ctr_bytes += in_len;
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static CK_RV aes_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)sig;
    (void)sig_len;
    size_t n = 0;
    int err = nvt_crypto_cipher_finish(&op->ctx.cipher.c, out, *out_len, &n);
    switch (err) {
    case NVT_OK: *out_len = (CK_ULONG)n; return CKR_OK;
    case NVT_E_BUFFER_TOO_SMALL: *out_len = (CK_ULONG)n; return CKR_BUFFER_TOO_SMALL;
    case NVT_E_INVALID: return len_range(op);
    case NVT_E_VERIFY: return CKR_ENCRYPTED_DATA_INVALID; /* bad padding */
    default: return CKR_FUNCTION_FAILED;
    }
}

static void aes_free(tok_op_t *op)
{
    nvt_crypto_cipher_abort(&op->ctx.cipher.c);
}

const tok_op_class_t tok_aes = {
    aes_init, aes_out_len, aes_update, aes_final, NULL, aes_free,
};

/* ------------------------------------------------------------------------
 * GCM
 * ---------------------------------------------------------------------- */

/* The v2.40 errata's CK_GCM_PARAMS has ulIvBits; the original header (and
 * clients built from it) have not. Both are accepted, told apart by size. */
typedef struct gcm_params_no_bits {
    CK_BYTE_PTR pIv;
    CK_ULONG ulIvLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG ulAADLen;
    CK_ULONG ulTagBits;
} gcm_params_no_bits_t;

static CK_RV gcm_init(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key)
{
    const uint8_t *iv, *aad;
    CK_ULONG iv_len, aad_len, tag_bits;
    if (mech->pParameter != NULL && mech->ulParameterLen == sizeof(CK_GCM_PARAMS)) {
        const CK_GCM_PARAMS *p = mech->pParameter;
        iv = p->pIv;
        iv_len = p->ulIvLen;
        aad = p->pAAD;
        aad_len = p->ulAADLen;
        tag_bits = p->ulTagBits;
    } else if (mech->pParameter != NULL && mech->ulParameterLen == sizeof(gcm_params_no_bits_t)) {
        const gcm_params_no_bits_t *p = mech->pParameter;
        iv = p->pIv;
        iv_len = p->ulIvLen;
        aad = p->pAAD;
        aad_len = p->ulAADLen;
        tag_bits = p->ulTagBits;
    } else {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    if (iv == NULL || iv_len == 0 || iv_len > 128 || (aad == NULL && aad_len > 0) || tag_bits % 8 != 0 ||
        !(tag_bits == 32 || tag_bits == 64 || (tag_bits >= 96 && tag_bits <= 128))) {
        return CKR_MECHANISM_PARAM_INVALID;
    }
    tok_loaded_t k = { 0, 0, 0 };
    CK_RV rv = aes_key(key, CKK_AES, NVT_CRYPTO_USE_AES_GCM, &k);
    if (rv != CKR_OK) {
        return rv;
    }
    int err = nvt_crypto_aead_setup(&op->ctx.aead, !decrypting(op), k.key, iv, iv_len, aad, aad_len, tag_bits / 8);
    tok_key_release(&k);
    return err == NVT_OK ? CKR_OK : err == NVT_E_INVALID ? CKR_MECHANISM_PARAM_INVALID : CKR_FUNCTION_FAILED;
}

static CK_RV gcm_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len)
{
    const nvt_crypto_aead_t *a = &op->ctx.aead;
    if (!a->encrypt) {
        size_t total = a->len + in_len;
        *len = last && total > a->tag_len ? (CK_ULONG)(total - a->tag_len) : 0;
        return CKR_OK;
    }
    *len = (CK_ULONG)(in_len + (last ? a->tag_len : 0));
    return CKR_OK;
}

static CK_RV gcm_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len)
{
    size_t n = 0;
    int err = nvt_crypto_aead_update(&op->ctx.aead, in, in_len, out, *out_len, &n);
    if (err == NVT_E_BUFFER_TOO_SMALL) {
        *out_len = (CK_ULONG)n;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (err == NVT_E_INVALID) {
        return len_range(op); /* more than the decryption buffer holds */
    }
    if (err != NVT_OK) {
        return CKR_FUNCTION_FAILED;
    }
    *out_len = (CK_ULONG)n;
    return CKR_OK;
}

static CK_RV gcm_result(const tok_op_t *op, int err, size_t n, CK_ULONG *out_len)
{
    switch (err) {
    case NVT_OK: *out_len = (CK_ULONG)n; return CKR_OK;
    case NVT_E_BUFFER_TOO_SMALL: *out_len = (CK_ULONG)n; return CKR_BUFFER_TOO_SMALL;
    case NVT_E_VERIFY: return CKR_ENCRYPTED_DATA_INVALID; /* the tag did not verify */
    case NVT_E_INVALID: return len_range(op);
    default: return CKR_FUNCTION_FAILED;
    }
}

static CK_RV gcm_final(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len)
{
    (void)sig;
    (void)sig_len;
    size_t n = 0;
    int err = nvt_crypto_aead_finish(&op->ctx.aead, out, *out_len, &n);
    return gcm_result(op, err, n, out_len);
}

/* Single-part: encryption streams; decryption verifies the whole input at
 * once, with no buffer of its own. */
static CK_RV gcm_single(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, const uint8_t *sig, CK_ULONG sig_len,
                        uint8_t *out, CK_ULONG *out_len)
{
    nvt_crypto_aead_t *a = &op->ctx.aead;
    size_t n = 0;
    if (decrypting(op)) {
        int err = nvt_crypto_aead_decrypt_all(a, in, in_len, out, *out_len, &n);
        return gcm_result(op, err, n, out_len);
    }
    CK_ULONG need = in_len + a->tag_len;
    if (*out_len < need) {
        *out_len = need;
        return CKR_BUFFER_TOO_SMALL;
    }
    CK_ULONG first = *out_len;
    CK_RV rv = gcm_update(op, in, in_len, out, &first);
    if (rv == CKR_OK) {
        CK_ULONG rest = *out_len - first;
        rv = gcm_final(op, sig, sig_len, out + first, &rest);
        *out_len = first + rest;
    }
    return rv;
}

static void gcm_free(tok_op_t *op)
{
    nvt_crypto_aead_abort(&op->ctx.aead);
}

const tok_op_class_t tok_gcm = {
    gcm_init, gcm_out_len, gcm_update, gcm_final, gcm_single, gcm_free,
};
