/* Public-key operations on loaded keys: signatures (ECDSA, RSA PKCS#1 v1.5
 * and PSS), RSA encryption (PKCS#1 v1.5, OAEP) and ECDH through PSA; raw RSA
 * (CKM_RSA_X_509), which PSA lacks, through mbedTLS's RSA module with the
 * key exported from PSA for the one operation. See nvt_crypto.h. (Without
 * PSA, ECDSA is in nvt_crypto_p256m.c; the other mechanisms need PSA.) */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include <string.h>

#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/rsa.h>

#define from_psa nvt_crypto_from_psa

#if NVT_CONFIG_CRYPTO_PSA && (NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_RSA)
/* The PSA algorithm of a signature scheme and hash (verify: PSS with any
 * salt length). */
static psa_algorithm_t sig_alg(nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, int verify)
{
    psa_algorithm_t h = nvt_crypto_psa_hash(hash);
    if (hash != NVT_CRYPTO_HASH_NONE && h == PSA_ALG_NONE) {
        return PSA_ALG_NONE;
    }
    switch (sig) {
    case NVT_CRYPTO_SIG_ECDSA:
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
        /* Deterministic (psa_common.h says why); a raw input (CKM_ECDSA)
         * takes its nonce's HMAC from SHA-256. Verifying is the same for
         * both kinds. */
        return PSA_ALG_DETERMINISTIC_ECDSA(h == PSA_ALG_NONE ? PSA_ALG_SHA_256 : h);
#else
        return h == PSA_ALG_NONE ? PSA_ALG_ECDSA_ANY : PSA_ALG_ECDSA(h);
#endif
    case NVT_CRYPTO_SIG_RSA_PKCS1V15:
        return h == PSA_ALG_NONE ? PSA_ALG_RSA_PKCS1V15_SIGN_RAW : PSA_ALG_RSA_PKCS1V15_SIGN(h);
    case NVT_CRYPTO_SIG_RSA_PSS:
        if (h == PSA_ALG_NONE) {
            return PSA_ALG_NONE;
        }
        return verify ? PSA_ALG_RSA_PSS_ANY_SALT(h) : PSA_ALG_RSA_PSS(h);
    default: return PSA_ALG_NONE;
    }
}

/* Signature length of the key for the scheme: 2 x curve bytes, or the
 * modulus bytes; 0 if the key does not suit the scheme. */
static size_t sig_len(nvt_crypto_key_t key, nvt_crypto_sig_t sig)
{
    psa_key_type_t t;
    size_t bits;
    if (nvt_crypto_key_info(key, &t, &bits) != NVT_OK) {
        return 0;
    }
    if (sig == NVT_CRYPTO_SIG_ECDSA) {
        return PSA_KEY_TYPE_IS_ECC(t) ? 2 * PSA_BITS_TO_BYTES(bits) : 0;
    }
    return PSA_KEY_TYPE_IS_RSA(t) ? PSA_BITS_TO_BYTES(bits) : 0;
}

int nvt_crypto_sign_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                         size_t h_len, uint8_t *out, size_t out_size, size_t *out_len)
{
    if ((h == NULL && h_len > 0) || out == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    psa_algorithm_t alg = sig_alg(sig, hash, 0);
    size_t need = sig_len(key, sig);
    if (alg == PSA_ALG_NONE) {
        return NVT_E_UNSUPPORTED;
    }
    if (need == 0) {
        return NVT_E_INVALID;
    }
    if (out_size < need) {
        *out_len = need;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    return from_psa(psa_sign_hash(key, alg, h, h_len, out, out_size, out_len));
}

int nvt_crypto_verify_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                           size_t h_len, const uint8_t *s, size_t s_len)
{
    if ((h == NULL && h_len > 0) || (s == NULL && s_len > 0)) {
        return NVT_E_INVALID;
    }
    psa_algorithm_t alg = sig_alg(sig, hash, 1);
    if (alg == PSA_ALG_NONE) {
        return NVT_E_UNSUPPORTED;
    }
    if (sig_len(key, sig) == 0) {
        return NVT_E_INVALID;
    }
    return from_psa(psa_verify_hash(key, alg, h, h_len, s, s_len));
}
#endif

#if NVT_CONFIG_MECH_RSA
/* ------------------------------------------------------------------------
 * RSA encryption
 * ---------------------------------------------------------------------- */

/* The key's modulus bytes, or 0 if it is not an RSA key. */
static size_t rsa_bytes(nvt_crypto_key_t key, int *pair)
{
    psa_key_type_t t;
    size_t bits;
    if (nvt_crypto_key_info(key, &t, &bits) != NVT_OK || !PSA_KEY_TYPE_IS_RSA(t)) {
        return 0;
    }
    *pair = PSA_KEY_TYPE_IS_KEY_PAIR(t);
    return PSA_BITS_TO_BYTES(bits);
}

/* The key's algorithm, which names the padding (and OAEP's hash). */
static psa_algorithm_t key_alg(nvt_crypto_key_t key)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_algorithm_t alg = PSA_ALG_NONE;
    if (psa_get_key_attributes(key, &a) == PSA_SUCCESS) {
        alg = psa_get_key_algorithm(&a);
    }
    psa_reset_key_attributes(&a);
    return alg;
}

/* Raw RSA: the key exported from PSA into mbedTLS's RSA module for this one
 * operation (PSA 3.6 has no raw RSA). in is taken as a number below n. */
static int rsa_raw(nvt_crypto_key_t key, int private_op, const uint8_t *in, size_t in_len, uint8_t *out,
                   size_t out_size, size_t *out_len)
{
    int pair = 0;
    size_t k = rsa_bytes(key, &pair);
    if (k == 0 || (private_op && !pair)) {
        return NVT_E_INVALID;
    }
    if (in_len > k) {
        return NVT_E_INVALID;
    }
    if (out_size < k) {
        *out_len = k;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    size_t size = PSA_KEY_EXPORT_RSA_KEY_PAIR_MAX_SIZE(k * 8);
    unsigned char *der = mbedtls_calloc(1, size);
    unsigned char *block = mbedtls_calloc(1, 2 * k);
    if (der == NULL || block == NULL) {
        mbedtls_free(der);
        mbedtls_free(block);
        return NVT_E_CRYPTO;
    }
    size_t der_len = 0;
    nvt_crypto_span_t v[NVT_CRYPTO_RSA_PARTS];
    mbedtls_rsa_context rsa;
    mbedtls_rsa_init(&rsa);
    int rc = from_psa(psa_export_key(key, der, size, &der_len));
    if (rc == NVT_OK) {
        rc = nvt_crypto_rsa_der_read(der, der_len, v, pair ? NVT_CRYPTO_RSA_PARTS : 2);
    }
    if (rc == NVT_OK) {
        int ret = pair ? mbedtls_rsa_import_raw(&rsa, v[0].p, v[0].len, v[3].p, v[3].len, v[4].p, v[4].len, v[2].p,
                                                v[2].len, v[1].p, v[1].len)
                       : mbedtls_rsa_import_raw(&rsa, v[0].p, v[0].len, NULL, 0, NULL, 0, NULL, 0, v[1].p, v[1].len);
        if (ret == 0) {
            ret = mbedtls_rsa_complete(&rsa);
        }
        rc = ret == 0 ? NVT_OK : NVT_E_CRYPTO;
    }
    if (rc == NVT_OK) {
        /* The input as a k-byte number; it must be below n (v[0], k bytes
         * as its top byte is not zero). */
        memset(block, 0, k - in_len);
        if (in_len > 0) {
            memcpy(block + k - in_len, in, in_len);
        }
        if (v[0].len != k || memcmp(block, v[0].p, k) >= 0) {
            rc = NVT_E_INVALID;
        }
    }
    if (rc == NVT_OK) {
        int ret = private_op ? mbedtls_rsa_private(&rsa, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE, block,
                                                   block + k)
                             : mbedtls_rsa_public(&rsa, block, block + k);
        rc = ret == 0 ? NVT_OK : ret == MBEDTLS_ERR_RSA_BAD_INPUT_DATA || ret == MBEDTLS_ERR_RSA_PUBLIC_FAILED ||
                                         ret == MBEDTLS_ERR_RSA_PRIVATE_FAILED
                                     ? NVT_E_INVALID
                                     : NVT_E_CRYPTO;
    }
    if (rc == NVT_OK) {
        memcpy(out, block + k, k);
        *out_len = k;
    }
    mbedtls_rsa_free(&rsa);
    mbedtls_platform_zeroize(der, size);
    mbedtls_platform_zeroize(block, 2 * k);
    mbedtls_free(der);
    mbedtls_free(block);
    return rc;
}

int nvt_crypto_rsa_encrypt(nvt_crypto_key_t key, nvt_crypto_rsa_pad_t pad, const uint8_t *label, size_t label_len,
                           const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *out_len)
{
    if ((in == NULL && in_len > 0) || (label == NULL && label_len > 0) || out == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    if (pad == NVT_CRYPTO_RSA_RAW) {
        return rsa_raw(key, 0, in, in_len, out, out_size, out_len);
    }
    int pair = 0;
    size_t k = rsa_bytes(key, &pair);
    psa_algorithm_t alg = key_alg(key);
    if (k == 0 || (pad == NVT_CRYPTO_RSA_OAEP ? !PSA_ALG_IS_RSA_OAEP(alg) : alg != PSA_ALG_RSA_PKCS1V15_CRYPT)) {
        return NVT_E_INVALID;
    }
    if (out_size < k) {
        *out_len = k;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    return from_psa(psa_asymmetric_encrypt(key, alg, in, in_len, pad == NVT_CRYPTO_RSA_OAEP ? label : NULL,
                                           pad == NVT_CRYPTO_RSA_OAEP ? label_len : 0, out, out_size, out_len));
}

int nvt_crypto_rsa_decrypt(nvt_crypto_key_t key, nvt_crypto_rsa_pad_t pad, const uint8_t *label, size_t label_len,
                           const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *out_len)
{
    if ((in == NULL && in_len > 0) || (label == NULL && label_len > 0) || out_len == NULL ||
        (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    if (pad == NVT_CRYPTO_RSA_RAW) {
        return rsa_raw(key, 1, in, in_len, out, out_size, out_len);
    }
    int pair = 0;
    size_t k = rsa_bytes(key, &pair);
    psa_algorithm_t alg = key_alg(key);
    if (k == 0 || !pair ||
        (pad == NVT_CRYPTO_RSA_OAEP ? !PSA_ALG_IS_RSA_OAEP(alg) : alg != PSA_ALG_RSA_PKCS1V15_CRYPT)) {
        return NVT_E_INVALID;
    }
    if (in_len != k) {
        return NVT_E_INVALID;
    }
    /* Decrypt into our own buffer: the plaintext's length is known only
     * afterwards, and a short caller buffer must not cost the operation. */
    unsigned char *plain = mbedtls_calloc(1, k);
    if (plain == NULL) {
        return NVT_E_CRYPTO;
    }
    size_t n = 0;
    int rc = from_psa(psa_asymmetric_decrypt(key, alg, in, in_len, pad == NVT_CRYPTO_RSA_OAEP ? label : NULL,
                                             pad == NVT_CRYPTO_RSA_OAEP ? label_len : 0, plain, k, &n));
    if (rc == NVT_E_INVALID) {
        rc = NVT_E_VERIFY; /* right length, so the padding was wrong */
    }
    if (rc == NVT_OK) {
        if (out_size < n) {
            rc = NVT_E_BUFFER_TOO_SMALL;
        } else if (n > 0) {
            memcpy(out, plain, n);
        }
        *out_len = n;
    }
    mbedtls_platform_zeroize(plain, k);
    mbedtls_free(plain);
    return rc;
}
#endif /* NVT_CONFIG_MECH_RSA */

#if NVT_CONFIG_MECH_ECDH
/* ------------------------------------------------------------------------
 * ECDH
 * ---------------------------------------------------------------------- */

int nvt_crypto_ecdh(nvt_crypto_key_t key, const uint8_t *peer, size_t peer_len, uint8_t *out, size_t out_size,
                     size_t *out_len)
{
    psa_key_type_t t;
    size_t bits;
    if (peer == NULL || out == NULL || out_len == NULL || nvt_crypto_key_info(key, &t, &bits) != NVT_OK ||
        !PSA_KEY_TYPE_IS_ECC_KEY_PAIR(t)) {
        return NVT_E_INVALID;
    }
    size_t need = PSA_BITS_TO_BYTES(bits);
    if (peer_len != 2 * need + 1 || peer[0] != 0x04) {
        return NVT_E_INVALID;
    }
    if (out_size < need) {
        *out_len = need;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    return from_psa(psa_raw_key_agreement(PSA_ALG_ECDH, key, peer, peer_len, out, out_size, out_len));
}
#endif /* NVT_CONFIG_MECH_ECDH */
