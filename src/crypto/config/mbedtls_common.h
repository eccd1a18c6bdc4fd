/**
 * \file mbedtls_common.h
 * \brief mbedTLS options shared by nvtoken's host and target profiles.
 *
 * nvtoken reaches cryptography through the PSA Crypto API (see psa_*.h for
 * the algorithms each profile wants). The legacy modules enabled here are
 * those PSA's built-in drivers are made of, plus the few the crypto layer
 * calls itself because PSA 3.6 lacks the operation: NIST key wrap
 * (CKM_AES_KEY_WRAP, _PAD), raw RSA (CKM_RSA_X_509) and the CTR_DRBG that
 * C_SeedRandom mixes into. Included by mbedtls_host.h and
 * mbedtls_target.h only.
 *
 * The entropy sources follow include/nvtoken/config.h:
 * NVT_CONFIG_CRYPTO_TRNG makes the port's TRNG the pool's hardware source
 * (mbedtls_hardware_poll(), src/crypto/nvt_crypto_entropy.c);
 * NVT_CONFIG_CRYPTO_NV_SEED adds the NV seed kept in the store (read and
 * replaced at start-up through nvt_crypto_nv_seed_read/write()). The
 * operating system's entropy is never used directly: on the host the TRNG
 * hook is getrandom().
 */
#ifndef NVT_MBEDTLS_COMMON_H
#define NVT_MBEDTLS_COMMON_H

#include "nvtoken/config.h"

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
#define MBEDTLS_NO_PLATFORM_ENTROPY
#if NVT_CONFIG_CRYPTO_TRNG
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#endif
#if NVT_CONFIG_CRYPTO_NV_SEED
#define MBEDTLS_ENTROPY_NV_SEED
#include <stddef.h>
int nvt_crypto_nv_seed_read(unsigned char *buf, size_t buf_len);
int nvt_crypto_nv_seed_write(unsigned char *buf, size_t buf_len);
#define MBEDTLS_PLATFORM_NV_SEED_READ_MACRO nvt_crypto_nv_seed_read
#define MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO nvt_crypto_nv_seed_write
#endif

/* Block cipher modules the PSA built-ins and NIST key wrap use. */
#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_NIST_KW_C

/* The device key's derivations (HKDF-SHA256) and, with
 * NVT_CONFIG_TOKEN_SEAL, sealed records (AES-GCM): src/crypto/
 * nvt_crypto_seal.c calls these modules directly, as they must work before
 * psa_crypto_init (the NV seed is sealed). GCM is PSA's own AES-GCM module,
 * already built for CKM_AES_GCM; HKDF is about 300 bytes. */
#define MBEDTLS_HKDF_C
#if NVT_CONFIG_TOKEN_SEAL
#define MBEDTLS_GCM_C
#endif

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

/* DER: certificate subject, issuer and serial (read), RSA keys for PSA
 * (read and written by the crypto layer), DigestInfo OIDs. */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_MD_C

#endif /* NVT_MBEDTLS_COMMON_H */
