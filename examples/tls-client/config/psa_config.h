/**
 * \file psa_config.h
 * \brief PSA Crypto algorithms of the TLS client firmware (selected by
 *        mbedtls_config.h): nvtoken's, then TLS's.
 */
#ifndef TLS_CLIENT_PSA_CONFIG_H
#define TLS_CLIENT_PSA_CONFIG_H

/* ---- nvtoken (src/crypto/nvt_crypto_config_check.h; nvtoken's target
 *      defaults leave out SHA-1 and RSA encryption) ---------------------- */
#define PSA_WANT_ALG_SHA_256 1
#define PSA_WANT_ALG_SHA_384 1
#define PSA_WANT_ALG_SHA_512 1
#define PSA_WANT_ALG_HMAC 1
#define PSA_WANT_ALG_CMAC 1
#define PSA_WANT_ALG_PBKDF2_HMAC 1
#define PSA_WANT_ALG_ECB_NO_PADDING 1
#define PSA_WANT_ALG_CBC_NO_PADDING 1
#define PSA_WANT_ALG_CBC_PKCS7 1
#define PSA_WANT_ALG_CTR 1
#define PSA_WANT_ALG_GCM 1
#define PSA_WANT_ALG_ECDSA 1
/* A key the token lends signs with RFC 6979 nonces where this is on: no
 * nonce from the random generator, which repeats on a board whose NV
 * seed is not written back (an image loaded into RAM at every boot). */
#define PSA_WANT_ALG_DETERMINISTIC_ECDSA 1
#define PSA_WANT_ALG_ECDH 1
#define PSA_WANT_ECC_SECP_R1_256 1
#define PSA_WANT_ECC_SECP_R1_384 1
#define PSA_WANT_ALG_RSA_PKCS1V15_SIGN 1
#define PSA_WANT_ALG_RSA_PSS 1
#define PSA_WANT_KEY_TYPE_AES 1
#define PSA_WANT_KEY_TYPE_HMAC 1
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE 1
#define PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE 1

/* ---- TLS: key schedules (HKDF for 1.3, the PRF for 1.2); AES-GCM, ECDHE
 *      on P-256 and P-384, ECDSA and RSA (PKCS#1 v1.5, PSS) are above ---- */
#define PSA_WANT_ALG_HKDF_EXTRACT 1
#define PSA_WANT_ALG_HKDF_EXPAND 1
#define PSA_WANT_ALG_TLS12_PRF 1
#define PSA_WANT_KEY_TYPE_DERIVE 1
#define PSA_WANT_KEY_TYPE_RAW_DATA 1

#endif /* TLS_CLIENT_PSA_CONFIG_H */
