/* Keys derived from the device key, and records sealed at rest: see
 * nvt_crypto_seal.h. mbedTLS's own modules, never PSA: these run before
 * psa_crypto_init (the NV seed is sealed). */
#include "nvt_crypto_seal.h"

#include <string.h>

#include <mbedtls/chachapoly.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <psa/crypto.h>

/* What this file needs from mbedTLS - HKDF, HMAC-SHA256 and, when sealing,
 * ChaCha20-Poly1305 as modules of their own that work whether or not PSA is up - is
 * checked with the rest in nvt_crypto_config_check.h. */
#include "nvt_crypto_config_check.h"

/* Longest label, and longest context, of a derivation. */
#define LABEL_MAX 48u
#define CONTEXT_MAX 80u

static const mbedtls_md_info_t *sha256(void)
{
    return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
}

int nvt_crypto_device_derive(const uint8_t *secret, const uint8_t *uid, size_t uid_len, const char *label,
                             const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len)
{
    size_t label_len = label != NULL ? strlen(label) : 0;
    if (secret == NULL || (uid == NULL && uid_len > 0) || uid_len > NVT_CRYPTO_DEVICE_UID_MAX || label_len == 0 ||
        label_len > LABEL_MAX || (context == NULL && context_len > 0) || context_len > CONTEXT_MAX ||
        out == NULL || out_len == 0 || out_len > 255u * 32u) {
        return NVT_E_INVALID;
    }
    uint8_t info[LABEL_MAX + CONTEXT_MAX];
    memcpy(info, label, label_len);
    if (context_len > 0) {
        memcpy(info + label_len, context, context_len);
    }
    int ret = mbedtls_hkdf(sha256(), uid, uid_len, secret, NVT_CRYPTO_DEVICE_SECRET_SIZE, info,
                           label_len + context_len, out, out_len);
    mbedtls_platform_zeroize(info, sizeof(info));
    if (ret != 0) {
        mbedtls_platform_zeroize(out, out_len);
        return NVT_E_CRYPTO;
    }
    return NVT_OK;
}

int nvt_crypto_seal_keys(const uint8_t *secret, const uint8_t *uid, size_t uid_len, nvt_crypto_seal_keys_t *keys)
{
    if (keys == NULL) {
        return NVT_E_INVALID;
    }
    int rc = nvt_crypto_device_derive(secret, uid, uid_len, "nvtoken/seal/enc/v1", NULL, 0, keys->enc,
                                      sizeof(keys->enc));
    if (rc == NVT_OK) {
        rc = nvt_crypto_device_derive(secret, uid, uid_len, "nvtoken/seal/nonce/v1", NULL, 0, keys->nonce,
                                      sizeof(keys->nonce));
    }
    if (rc != NVT_OK) {
        mbedtls_platform_zeroize(keys, sizeof(*keys));
    }
    return rc;
}

#if NVT_CONFIG_TOKEN_SEAL

/* The synthetic nonce: HMAC-SHA256(key, len(ad) || ad || data), first 12
 * bytes. */
static int synthetic_nonce(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len,
                           const uint8_t *data, size_t len, uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE])
{
    uint8_t ad_len_le[4] = { (uint8_t)ad_len, (uint8_t)(ad_len >> 8), (uint8_t)(ad_len >> 16),
                             (uint8_t)(ad_len >> 24) };
    uint8_t mac[32];
    mbedtls_md_context_t md;
    mbedtls_md_init(&md);
    int ret = mbedtls_md_setup(&md, sha256(), 1);
    ret = ret != 0 ? ret : mbedtls_md_hmac_starts(&md, keys->nonce, sizeof(keys->nonce));
    ret = ret != 0 ? ret : mbedtls_md_hmac_update(&md, ad_len_le, sizeof(ad_len_le));
    ret = ret != 0 || ad_len == 0 ? ret : mbedtls_md_hmac_update(&md, ad, ad_len);
    ret = ret != 0 || len == 0 ? ret : mbedtls_md_hmac_update(&md, data, len);
    ret = ret != 0 ? ret : mbedtls_md_hmac_finish(&md, mac);
    mbedtls_md_free(&md); /* wipes the HMAC state */
    memcpy(nonce, mac, NVT_CRYPTO_SEAL_NONCE_SIZE);
    mbedtls_platform_zeroize(mac, sizeof(mac));
    return ret == 0 ? NVT_OK : NVT_E_CRYPTO;
}

static int bad_args(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, const uint8_t *data,
                    size_t len, const uint8_t *nonce, const uint8_t *tag)
{
    return keys == NULL || (ad == NULL && ad_len > 0) || ad_len > 0xFFFFu || (data == NULL && len > 0) ||
           nonce == NULL || tag == NULL;
}

int nvt_crypto_seal(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data, size_t len,
                    uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE], uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE])
{
    if (bad_args(keys, ad, ad_len, data, len, nonce, tag)) {
        return NVT_E_INVALID;
    }
    int rc = synthetic_nonce(keys, ad, ad_len, data, len, nonce);
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_chachapoly_context aead;
    mbedtls_chachapoly_init(&aead);
    int ret = mbedtls_chachapoly_setkey(&aead, keys->enc);
    ret = ret != 0 ? ret : mbedtls_chachapoly_encrypt_and_tag(&aead, len, nonce, ad, ad_len, data, data, tag);
    mbedtls_chachapoly_free(&aead); /* wipes the key and the Poly1305 state */
    if (ret != 0) {
        mbedtls_platform_zeroize(data, len);
        return NVT_E_CRYPTO;
    }
    return NVT_OK;
}

int nvt_crypto_seal_open(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data,
                         size_t len, const uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE],
                         const uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE])
{
    if (bad_args(keys, ad, ad_len, data, len, nonce, tag)) {
        return NVT_E_INVALID;
    }
    mbedtls_chachapoly_context aead;
    mbedtls_chachapoly_init(&aead);
    int ret = mbedtls_chachapoly_setkey(&aead, keys->enc);
    ret = ret != 0 ? ret : mbedtls_chachapoly_auth_decrypt(&aead, len, nonce, ad, ad_len, tag, data, data);
    mbedtls_chachapoly_free(&aead);
    if (ret != 0) {
        /* mbedTLS wipes the output of a failed authentication itself; a
         * failed set-up leaves the ciphertext, which is no secret, but the
         * caller gets nothing either way. */
        mbedtls_platform_zeroize(data, len);
        return ret == MBEDTLS_ERR_CHACHAPOLY_AUTH_FAILED ? NVT_E_VERIFY : NVT_E_CRYPTO;
    }
    return NVT_OK;
}

#else /* !NVT_CONFIG_TOKEN_SEAL */

int nvt_crypto_seal(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data, size_t len,
                    uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE], uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE])
{
    (void)keys;
    (void)ad;
    (void)ad_len;
    (void)data;
    (void)len;
    (void)nonce;
    (void)tag;
    return NVT_E_UNSUPPORTED;
}

int nvt_crypto_seal_open(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data,
                         size_t len, const uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE],
                         const uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE])
{
    (void)keys;
    (void)ad;
    (void)ad_len;
    (void)data;
    (void)len;
    (void)nonce;
    (void)tag;
    return NVT_E_UNSUPPORTED;
}

#endif /* NVT_CONFIG_TOKEN_SEAL */
