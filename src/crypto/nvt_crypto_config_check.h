/**
 * \file nvt_crypto_config_check.h
 * \brief What nvtoken needs from the mbedTLS it is built with, checked at
 *        compile time: each missing option is an #error naming it.
 *
 * A firmware has one mbedTLS (examples/tls-client/README.md, "mbedTLS in
 * your firmware"): nvtoken's own build uses the configuration in
 * src/crypto/config/, a firmware that brings its own mbedTLS builds
 * nvtoken against that one (CMake: NVT_MBEDTLS_TARGET). Either way the
 * crypto layer compiles only if the configuration gives it everything
 * below; this file is the list, and the only one. What the options of
 * include/nvtoken/config.h switch off (SHA-1, RSA encryption) is required
 * only when they are on. More is always allowed (a TLS stack wants HKDF,
 * more key slots, ...).
 *
 * Included by the crypto layer's sources (nvt_crypto_internal.h) after
 * <psa/crypto.h>; tests/unit/mbedtls_config_check.cmake removes each
 * requirement in turn from a configuration and expects an #error naming
 * it. Format, for that test: an option is required where an `#if` line
 * tests `!defined(<option>)`, and its #error message names it.
 */
#ifndef NVT_CRYPTO_CONFIG_CHECK_H
#define NVT_CRYPTO_CONFIG_CHECK_H

#include "nvtoken/config.h"

#if MBEDTLS_VERSION_NUMBER < 0x03060000 || MBEDTLS_VERSION_NUMBER >= 0x03070000
#error "nvtoken needs mbedTLS 3.6 LTS"
#endif

/* PSA Crypto, with the built-in key store and random generator. */
#if !defined(MBEDTLS_PSA_CRYPTO_C)
#error "nvtoken needs MBEDTLS_PSA_CRYPTO_C (every operation goes through PSA Crypto)"
#endif
#if defined(MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER)
#error "nvtoken needs MBEDTLS_PSA_CRYPTO_KEY_ID_ENCODES_OWNER off (keys are named by plain psa_key_id_t)"
#endif
#if !defined(MBEDTLS_PSA_KEY_STORE_DYNAMIC) && MBEDTLS_PSA_KEY_SLOT_COUNT < NVT_CONFIG_TOKEN_KEY_CACHE + 4
#error "nvtoken needs MBEDTLS_PSA_KEY_SLOT_COUNT >= NVT_CONFIG_TOKEN_KEY_CACHE + 4 (the key cache, plus the keys one call loads; add your own), or MBEDTLS_PSA_KEY_STORE_DYNAMIC"
#endif

/* The token's own generator (C_GenerateRandom, C_SeedRandom). */
#if !defined(MBEDTLS_CTR_DRBG_C)
#error "nvtoken needs MBEDTLS_CTR_DRBG_C (the token's generator, into which C_SeedRandom mixes)"
#endif

/* Entropy: nvtoken's hooks, as include/nvtoken/config.h chooses them. */
#if NVT_CONFIG_CRYPTO_TRNG && !defined(MBEDTLS_ENTROPY_HARDWARE_ALT)
#error "nvtoken needs MBEDTLS_ENTROPY_HARDWARE_ALT with NVT_CONFIG_CRYPTO_TRNG (nvtoken defines mbedtls_hardware_poll over nvt_port_entropy)"
#endif
#if NVT_CONFIG_CRYPTO_NV_SEED
#if !defined(MBEDTLS_ENTROPY_NV_SEED)
#error "nvtoken needs MBEDTLS_ENTROPY_NV_SEED with NVT_CONFIG_CRYPTO_NV_SEED (the seed kept in the store)"
#endif
/* The hooks must be nvtoken's: the macros must name exactly these. */
#define NVT_CHECK_HOOK_nvt_crypto_nv_seed_read 1
#define NVT_CHECK_HOOK_nvt_crypto_nv_seed_write 1
#define NVT_CHECK_PASTE_(a, b) a##b
#define NVT_CHECK_PASTE(a, b) NVT_CHECK_PASTE_(a, b)
#if !defined(MBEDTLS_PLATFORM_NV_SEED_READ_MACRO) || \
    !NVT_CHECK_PASTE(NVT_CHECK_HOOK_, MBEDTLS_PLATFORM_NV_SEED_READ_MACRO)
#error "nvtoken needs MBEDTLS_PLATFORM_NV_SEED_READ_MACRO nvt_crypto_nv_seed_read with NVT_CONFIG_CRYPTO_NV_SEED"
#endif
#if !defined(MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO) || \
    !NVT_CHECK_PASTE(NVT_CHECK_HOOK_, MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO)
#error "nvtoken needs MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO nvt_crypto_nv_seed_write with NVT_CONFIG_CRYPTO_NV_SEED"
#endif
#endif

/* A host module serves threads: PSA must lock. */
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS && !defined(MBEDTLS_THREADING_C)
#error "nvtoken needs MBEDTLS_THREADING_C on a host (the module serves multi-threaded applications)"
#endif

/* mbedTLS modules the crypto layer calls where PSA 3.6 has no operation. */
#if !defined(MBEDTLS_ASN1_PARSE_C)
#error "nvtoken needs MBEDTLS_ASN1_PARSE_C (certificate fields, RSA keys, PKCS#8)"
#endif
#if !defined(MBEDTLS_ASN1_WRITE_C)
#error "nvtoken needs MBEDTLS_ASN1_WRITE_C (RSA keys for PSA, PKCS#8)"
#endif
#if !defined(MBEDTLS_BIGNUM_C)
#error "nvtoken needs MBEDTLS_BIGNUM_C (RSA keys without their CRT parts)"
#endif
#if !defined(MBEDTLS_RSA_C)
#error "nvtoken needs MBEDTLS_RSA_C (CKM_RSA_X_509, RSA keys without their CRT parts)"
#endif
#if !defined(MBEDTLS_NIST_KW_C)
#error "nvtoken needs MBEDTLS_NIST_KW_C (CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD)"
#endif
#if MBEDTLS_MPI_MAX_SIZE < 512
#error "nvtoken needs MBEDTLS_MPI_MAX_SIZE >= 512 (RSA keys up to 4096 bits)"
#endif

/* Digests: CKM_SHA*, the hashed signature mechanisms, HMAC, PIN verifiers. */
#if !defined(PSA_WANT_ALG_SHA_256)
#error "nvtoken needs PSA_WANT_ALG_SHA_256 (CKM_SHA256 and the mechanisms hashing with it, PIN verifiers)"
#endif
#if !defined(PSA_WANT_ALG_SHA_384)
#error "nvtoken needs PSA_WANT_ALG_SHA_384 (CKM_SHA384 and the mechanisms hashing with it)"
#endif
#if !defined(PSA_WANT_ALG_SHA_512)
#error "nvtoken needs PSA_WANT_ALG_SHA_512 (CKM_SHA512 and the mechanisms hashing with it)"
#endif
#if NVT_CONFIG_MECH_SHA1
#if !defined(PSA_WANT_ALG_SHA_1)
#error "nvtoken needs PSA_WANT_ALG_SHA_1 with NVT_CONFIG_MECH_SHA1 (CKM_SHA_1 and the mechanisms hashing with it)"
#endif
#endif

/* MACs and the PIN verifiers' key derivation. */
#if !defined(PSA_WANT_ALG_HMAC)
#error "nvtoken needs PSA_WANT_ALG_HMAC (CKM_SHA*_HMAC)"
#endif
#if !defined(PSA_WANT_ALG_CMAC)
#error "nvtoken needs PSA_WANT_ALG_CMAC (CKM_AES_CMAC)"
#endif
#if !defined(PSA_WANT_ALG_PBKDF2_HMAC)
#error "nvtoken needs PSA_WANT_ALG_PBKDF2_HMAC (PIN verifiers)"
#endif

/* AES modes. */
#if !defined(PSA_WANT_ALG_ECB_NO_PADDING)
#error "nvtoken needs PSA_WANT_ALG_ECB_NO_PADDING (CKM_AES_ECB)"
#endif
#if !defined(PSA_WANT_ALG_CBC_NO_PADDING)
#error "nvtoken needs PSA_WANT_ALG_CBC_NO_PADDING (CKM_AES_CBC)"
#endif
#if !defined(PSA_WANT_ALG_CBC_PKCS7)
#error "nvtoken needs PSA_WANT_ALG_CBC_PKCS7 (CKM_AES_CBC_PAD)"
#endif
#if !defined(PSA_WANT_ALG_CTR)
#error "nvtoken needs PSA_WANT_ALG_CTR (CKM_AES_CTR)"
#endif
#if !defined(PSA_WANT_ALG_GCM)
#error "nvtoken needs PSA_WANT_ALG_GCM (CKM_AES_GCM)"
#endif

/* EC on P-256 and P-384. */
#if !defined(PSA_WANT_ALG_ECDSA)
#error "nvtoken needs PSA_WANT_ALG_ECDSA (CKM_ECDSA*)"
#endif
#if !defined(PSA_WANT_ALG_ECDH)
#error "nvtoken needs PSA_WANT_ALG_ECDH (CKM_ECDH1_DERIVE)"
#endif
#if !defined(PSA_WANT_ECC_SECP_R1_256)
#error "nvtoken needs PSA_WANT_ECC_SECP_R1_256 (P-256 keys)"
#endif
#if !defined(PSA_WANT_ECC_SECP_R1_384)
#error "nvtoken needs PSA_WANT_ECC_SECP_R1_384 (P-384 keys)"
#endif

/* RSA signatures; encryption as include/nvtoken/config.h chooses. */
#if !defined(PSA_WANT_ALG_RSA_PKCS1V15_SIGN)
#error "nvtoken needs PSA_WANT_ALG_RSA_PKCS1V15_SIGN (CKM_RSA_PKCS signatures, CKM_SHA*_RSA_PKCS)"
#endif
#if !defined(PSA_WANT_ALG_RSA_PSS)
#error "nvtoken needs PSA_WANT_ALG_RSA_PSS (CKM_RSA_PKCS_PSS, CKM_SHA*_RSA_PKCS_PSS)"
#endif
#if NVT_CONFIG_MECH_RSA_ENCRYPT
#if !defined(PSA_WANT_ALG_RSA_PKCS1V15_CRYPT)
#error "nvtoken needs PSA_WANT_ALG_RSA_PKCS1V15_CRYPT with NVT_CONFIG_MECH_RSA_ENCRYPT (CKM_RSA_PKCS encryption)"
#endif
#if !defined(PSA_WANT_ALG_RSA_OAEP)
#error "nvtoken needs PSA_WANT_ALG_RSA_OAEP with NVT_CONFIG_MECH_RSA_ENCRYPT (CKM_RSA_PKCS_OAEP)"
#endif
#endif

/* Key types. */
#if !defined(PSA_WANT_KEY_TYPE_AES)
#error "nvtoken needs PSA_WANT_KEY_TYPE_AES (CKK_AES)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_HMAC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_HMAC (CKK_GENERIC_SECRET with HMAC)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY (EC public keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC (EC private keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT (EC private keys loaded from objects)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT (generated EC keys stored as objects)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE (CKM_EC_KEY_PAIR_GEN)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY (RSA public keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC (RSA private keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT (RSA private keys loaded from objects)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT (generated RSA keys stored as objects, raw RSA)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE (CKM_RSA_PKCS_KEY_PAIR_GEN)"
#endif

#endif /* NVT_CRYPTO_CONFIG_CHECK_H */
