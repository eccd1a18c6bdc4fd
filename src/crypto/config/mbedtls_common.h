/**
 * \file mbedtls_common.h
 * \brief mbedTLS options shared by nvtoken's host and target builds.
 *
 * nvtoken reaches cryptography through the PSA Crypto API: the algorithms
 * come from psa_common.h, derived from the profile's switches, and mbedTLS
 * enables the modules behind them itself. The legacy modules enabled here
 * are only those the crypto layer calls directly, each under the switch
 * that needs it: the CTR_DRBG that C_SeedRandom mixes into
 * (NVT_CONFIG_TOKEN_SEED_RANDOM), DER parsing for certificates (every profile), raw RSA and RSA
 * keys as PKCS#1 (NVT_CONFIG_MECH_RSA), NIST key wrap and PKCS#8
 * (NVT_CONFIG_MECH_AES_KEY_WRAP). Included by mbedtls_host.h and
 * mbedtls_target.h only, which name the PSA file first.
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

/* PSA Crypto, configured by PSA_WANT_* symbols in the profile's PSA file,
 * read here already so that the options below can follow it. */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_CONFIG
#include MBEDTLS_PSA_CRYPTO_CONFIG_FILE

/* Platform abstraction (calloc/free, NV seed hooks) and big-number assembly
 * (Thumb-2 multiply-accumulate on Cortex-M4, x86-64 on the host). */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_HAVE_ASM

/* Random generator behind PSA: the entropy pool feeding a DRBG. CTR_DRBG
 * (AES-256) where AES is in the image anyway (any AES key type in PSA) or
 * where the token runs its own generator for C_SeedRandom (a second
 * CTR_DRBG over PSA's); otherwise HMAC_DRBG over SHA-256, which every
 * profile has, and the AES code stays out (ecdsa-p256: 2.8 kB less; sealed
 * records use ChaCha20-Poly1305, below, so they bring no AES either). */
#define MBEDTLS_ENTROPY_C
#if defined(PSA_WANT_KEY_TYPE_AES) || NVT_CONFIG_TOKEN_SEED_RANDOM
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_AES_C
#else
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_MD_C
#define MBEDTLS_PSA_HMAC_DRBG_MD_TYPE MBEDTLS_MD_SHA256
#endif
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

/* DER: certificate subject, issuer and serial (read, every profile). */
#define MBEDTLS_ASN1_PARSE_C

/* AES in one direction only when nothing decrypts with the block cipher
 * (CTR_DRBG, CTR, GCM and CMAC only encrypt): the decryption code and
 * tables leave the image. */
#if !defined(PSA_WANT_ALG_ECB_NO_PADDING) && !defined(PSA_WANT_ALG_CBC_NO_PADDING) && \
    !defined(PSA_WANT_ALG_CBC_PKCS7) && !defined(PSA_WANT_KEY_TYPE_DES) && !NVT_CONFIG_MECH_AES_KEY_WRAP
#define MBEDTLS_BLOCK_CIPHER_NO_DECRYPT
#endif

/* NIST key wrap (CKM_AES_KEY_WRAP, _PAD), private keys as PKCS#8. */
#if NVT_CONFIG_MECH_AES_KEY_WRAP
#define MBEDTLS_CIPHER_C
#define MBEDTLS_NIST_KW_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#endif

/* The device key's derivations (HKDF-SHA256, HMAC-SHA256) and, with
 * NVT_CONFIG_TOKEN_SEAL, sealed records (ChaCha20-Poly1305, in every
 * profile: docs/DESIGN.md, "Keys at rest", says why not AES-GCM):
 * src/crypto/nvt_crypto_seal.c calls these modules directly, as they must
 * work before psa_crypto_init (the NV seed is sealed). HKDF is about 300
 * bytes. */
#define MBEDTLS_HKDF_C
#define MBEDTLS_MD_C
#if NVT_CONFIG_TOKEN_SEAL
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#endif

/* RSA: raw RSA (CKM_RSA_X_509) and RSA keys as PKCS#1 DER for PSA, by the
 * crypto layer itself; PKCS#1 v1.5 and v2.1 (PSS, OAEP) for PSA. */
#if NVT_CONFIG_MECH_RSA
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_MD_C
#if NVT_CONFIG_MECH_RSA_KEYGEN
#define MBEDTLS_GENPRIME
#endif
#endif

/* EC: P-256 on p256-m (a PSA driver) with NVT_CONFIG_CRYPTO_P256M; other
 * curves, or P-256 without it, on mbedTLS's ECP module with the fast
 * reduction for the NIST curves. */
#if NVT_TOKEN_HAS_EC
#if NVT_CONFIG_CRYPTO_P256M
#define MBEDTLS_PSA_P256M_DRIVER_ENABLED
#endif
#if !NVT_CONFIG_CRYPTO_P256M || NVT_CONFIG_MECH_EC_P384 || NVT_CONFIG_MECH_EC_P521
#define MBEDTLS_ECP_NIST_OPTIM
#endif
#endif

#endif /* NVT_MBEDTLS_COMMON_H */
