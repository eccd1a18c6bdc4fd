/**
 * \file mbedtls_common.h
 * \brief mbedTLS options shared by nvtoken's host and target profiles.
 *
 * nvtoken reaches cryptography through the PSA Crypto API (see psa_*.h for
 * the algorithms each profile wants). The legacy modules enabled here are the
 * ones PSA does not cover, which the crypto layer alone calls: X.509 and PK
 * parsing (certificate attributes), NIST key wrap (CKM_AES_KEY_WRAP) and raw
 * RSA (CKM_RSA_X_509). Included by mbedtls_host.h and mbedtls_target.h only.
 */
#ifndef NVT_MBEDTLS_COMMON_H
#define NVT_MBEDTLS_COMMON_H

/* PSA Crypto, configured by PSA_WANT_* symbols in the profile's PSA file. */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_CONFIG

/* Platform abstraction (calloc/free, NV seed hooks) and big-number assembly
 * (Thumb-2 multiply-accumulate on Cortex-M4, x86-64 on the host). */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_HAVE_ASM

/* Random generator behind PSA: entropy pool feeding CTR_DRBG (AES-256). */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C

/* Block cipher modules the PSA built-ins and NIST key wrap use. */
#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_NIST_KW_C

/* Public keys: RSA with PKCS#1 v1.5 and v2.1 (PSS, OAEP); EC on the NIST
 * curves the PSA file selects. MBEDTLS_ECP_NIST_OPTIM uses the fast
 * reduction for those curves. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_GENPRIME
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM

/* DER, keys and certificates: parse (certificate subject, issuer, serial;
 * imported keys) and write (public key export). */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_MD_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C

#endif /* NVT_MBEDTLS_COMMON_H */
