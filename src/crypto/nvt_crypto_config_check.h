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
 * below; this file is the list, and the only one. It follows the profile
 * (include/nvtoken/config.h and include/nvtoken/profiles/): what a switch
 * takes out - a mechanism family (NVT_CONFIG_MECH_*), C_SeedRandom's
 * generator (NVT_CONFIG_TOKEN_SEED_RANDOM) - is required only while it is
 * on. More is always allowed (a TLS stack wants HKDF, more key slots, ...).
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
#if NVT_CONFIG_CRYPTO_PSA && !defined(MBEDTLS_PSA_KEY_STORE_DYNAMIC) && MBEDTLS_PSA_KEY_SLOT_COUNT < NVT_CONFIG_TOKEN_KEY_CACHE + 4
#error "nvtoken needs MBEDTLS_PSA_KEY_SLOT_COUNT >= NVT_CONFIG_TOKEN_KEY_CACHE + 4 (the key cache, plus the keys one call loads; add your own), or MBEDTLS_PSA_KEY_STORE_DYNAMIC"
#endif

/* The token's own generator (C_SeedRandom mixes into it). */
#if NVT_CONFIG_TOKEN_SEED_RANDOM
#if !defined(MBEDTLS_CTR_DRBG_C)
#error "nvtoken needs MBEDTLS_CTR_DRBG_C with NVT_CONFIG_TOKEN_SEED_RANDOM (the token's generator, into which C_SeedRandom mixes)"
#endif
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
#if NVT_CONFIG_MECH_RSA || NVT_CONFIG_MECH_AES_KEY_WRAP
#if !defined(MBEDTLS_ASN1_WRITE_C)
#error "nvtoken needs MBEDTLS_ASN1_WRITE_C with NVT_CONFIG_MECH_RSA or NVT_CONFIG_MECH_AES_KEY_WRAP (RSA keys for PSA, PKCS#8)"
#endif
#endif
#if NVT_CONFIG_MECH_RSA
#if !defined(MBEDTLS_BIGNUM_C)
#error "nvtoken needs MBEDTLS_BIGNUM_C with NVT_CONFIG_MECH_RSA (RSA keys without their CRT parts)"
#endif
#if !defined(MBEDTLS_RSA_C)
#error "nvtoken needs MBEDTLS_RSA_C with NVT_CONFIG_MECH_RSA (CKM_RSA_X_509, RSA keys without their CRT parts)"
#endif
#if MBEDTLS_MPI_MAX_SIZE < 512
#error "nvtoken needs MBEDTLS_MPI_MAX_SIZE >= 512 with NVT_CONFIG_MECH_RSA (RSA keys up to 4096 bits)"
#endif
#endif
#if NVT_CONFIG_MECH_AES_KEY_WRAP
#if !defined(MBEDTLS_NIST_KW_C)
#error "nvtoken needs MBEDTLS_NIST_KW_C with NVT_CONFIG_MECH_AES_KEY_WRAP (CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD)"
#endif
#endif

/* Keys derived from the device key and sealed records (nvt_crypto_seal.c):
 * mbedTLS's own modules, which work before psa_crypto_init - the NV seed
 * that starts PSA is sealed - and never dispatch to a PSA driver there. */
#if !defined(MBEDTLS_HKDF_C)
#error "nvtoken needs MBEDTLS_HKDF_C (keys derived from the device key)"
#endif
#if !defined(MBEDTLS_MD_C)
#error "nvtoken needs MBEDTLS_MD_C (HMAC-SHA256 for the device key's derivations and the sealed records' nonces)"
#endif
#if !defined(MBEDTLS_SHA256_C)
#error "nvtoken needs MBEDTLS_SHA256_C (SHA-256 of its own, usable before psa_crypto_init)"
#endif
#if NVT_CONFIG_TOKEN_SEAL
#if !defined(MBEDTLS_CHACHAPOLY_C)
#error "nvtoken needs MBEDTLS_CHACHAPOLY_C with NVT_CONFIG_TOKEN_SEAL (sealed records: ChaCha20-Poly1305)"
#endif
#if !defined(MBEDTLS_CHACHA20_C)
#error "nvtoken needs MBEDTLS_CHACHA20_C with NVT_CONFIG_TOKEN_SEAL (sealed records: ChaCha20-Poly1305)"
#endif
#if !defined(MBEDTLS_POLY1305_C)
#error "nvtoken needs MBEDTLS_POLY1305_C with NVT_CONFIG_TOKEN_SEAL (sealed records: ChaCha20-Poly1305)"
#endif
#endif

/* Digests: SHA-256 always (PIN verifiers, hashed signatures), the others
 * with their switches. */
#if !defined(PSA_WANT_ALG_SHA_256)
#error "nvtoken needs PSA_WANT_ALG_SHA_256 (PIN verifiers, CKM_SHA256 and the mechanisms hashing with it)"
#endif
#if NVT_CONFIG_MECH_SHA512
#if !defined(PSA_WANT_ALG_SHA_384)
#error "nvtoken needs PSA_WANT_ALG_SHA_384 with NVT_CONFIG_MECH_SHA512 (CKM_SHA384 and the mechanisms hashing with it)"
#endif
#if !defined(PSA_WANT_ALG_SHA_512)
#error "nvtoken needs PSA_WANT_ALG_SHA_512 with NVT_CONFIG_MECH_SHA512 (CKM_SHA512 and the mechanisms hashing with it)"
#endif
#endif
#if NVT_CONFIG_MECH_SHA1
#if !defined(PSA_WANT_ALG_SHA_1)
#error "nvtoken needs PSA_WANT_ALG_SHA_1 with NVT_CONFIG_MECH_SHA1 (CKM_SHA_1 and the mechanisms hashing with it)"
#endif
#endif

/* MACs. (The PIN verifiers' PBKDF2 is the crypto layer's own, over
 * SHA-256: nvt_crypto_pbkdf2.c.) */
#if NVT_CONFIG_MECH_HMAC
#if !defined(PSA_WANT_ALG_HMAC)
#error "nvtoken needs PSA_WANT_ALG_HMAC with NVT_CONFIG_MECH_HMAC (CKM_SHA*_HMAC)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_HMAC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_HMAC with NVT_CONFIG_MECH_HMAC (CKK_GENERIC_SECRET with HMAC)"
#endif
#endif
#if NVT_CONFIG_MECH_CMAC
#if !defined(PSA_WANT_ALG_CMAC)
#error "nvtoken needs PSA_WANT_ALG_CMAC with NVT_CONFIG_MECH_CMAC (CKM_AES_CMAC)"
#endif
#endif

/* AES. */
#if NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM || NVT_CONFIG_MECH_CMAC
#if !defined(PSA_WANT_KEY_TYPE_AES)
#error "nvtoken needs PSA_WANT_KEY_TYPE_AES with NVT_CONFIG_MECH_AES, _AES_GCM or _CMAC (CKK_AES)"
#endif
#endif
#if NVT_CONFIG_MECH_AES
#if !defined(PSA_WANT_ALG_ECB_NO_PADDING)
#error "nvtoken needs PSA_WANT_ALG_ECB_NO_PADDING with NVT_CONFIG_MECH_AES (CKM_AES_ECB)"
#endif
#if !defined(PSA_WANT_ALG_CBC_NO_PADDING)
#error "nvtoken needs PSA_WANT_ALG_CBC_NO_PADDING with NVT_CONFIG_MECH_AES (CKM_AES_CBC)"
#endif
#if !defined(PSA_WANT_ALG_CBC_PKCS7)
#error "nvtoken needs PSA_WANT_ALG_CBC_PKCS7 with NVT_CONFIG_MECH_AES (CKM_AES_CBC_PAD)"
#endif
#if !defined(PSA_WANT_ALG_CTR)
#error "nvtoken needs PSA_WANT_ALG_CTR with NVT_CONFIG_MECH_AES (CKM_AES_CTR)"
#endif
#endif
#if NVT_CONFIG_MECH_AES_GCM
#if !defined(PSA_WANT_ALG_GCM)
#error "nvtoken needs PSA_WANT_ALG_GCM with NVT_CONFIG_MECH_AES_GCM (CKM_AES_GCM)"
#endif
#endif

/* EC: P-256 with any EC mechanism, the other curves with their switches. */
#if NVT_CONFIG_MECH_ECDSA
#if !defined(PSA_WANT_ALG_ECDSA)
#error "nvtoken needs PSA_WANT_ALG_ECDSA with NVT_CONFIG_MECH_ECDSA (CKM_ECDSA*)"
#endif
#endif
#if NVT_CONFIG_MECH_ECDH
#if !defined(PSA_WANT_ALG_ECDH)
#error "nvtoken needs PSA_WANT_ALG_ECDH with NVT_CONFIG_MECH_ECDH (CKM_ECDH1_DERIVE)"
#endif
#endif
#if NVT_TOKEN_HAS_EC
#if !defined(PSA_WANT_ECC_SECP_R1_256)
#error "nvtoken needs PSA_WANT_ECC_SECP_R1_256 with an EC mechanism (P-256 keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY with an EC mechanism (EC public keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC with an EC mechanism (EC private keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT with an EC mechanism (EC private keys loaded from objects)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT with an EC mechanism (generated EC keys stored as objects)"
#endif
#endif
#if NVT_CONFIG_MECH_EC_KEYGEN
#if !defined(PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE)
#error "nvtoken needs PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE with NVT_CONFIG_MECH_EC_KEYGEN (CKM_EC_KEY_PAIR_GEN)"
#endif
#endif
#if NVT_CONFIG_MECH_EC_P384
#if !defined(PSA_WANT_ECC_SECP_R1_384)
#error "nvtoken needs PSA_WANT_ECC_SECP_R1_384 with NVT_CONFIG_MECH_EC_P384 (P-384 keys)"
#endif
#endif
#if NVT_CONFIG_MECH_EC_P521
#if !defined(PSA_WANT_ECC_SECP_R1_521)
#error "nvtoken needs PSA_WANT_ECC_SECP_R1_521 with NVT_CONFIG_MECH_EC_P521 (P-521 keys)"
#endif
#endif

/* RSA: signatures with NVT_CONFIG_MECH_RSA, encryption and key generation
 * with their switches. */
#if NVT_CONFIG_MECH_RSA
#if !defined(PSA_WANT_ALG_RSA_PKCS1V15_SIGN)
#error "nvtoken needs PSA_WANT_ALG_RSA_PKCS1V15_SIGN with NVT_CONFIG_MECH_RSA (CKM_RSA_PKCS signatures, CKM_SHA*_RSA_PKCS)"
#endif
#if !defined(PSA_WANT_ALG_RSA_PSS)
#error "nvtoken needs PSA_WANT_ALG_RSA_PSS with NVT_CONFIG_MECH_RSA (CKM_RSA_PKCS_PSS, CKM_SHA*_RSA_PKCS_PSS)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY with NVT_CONFIG_MECH_RSA (RSA public keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC with NVT_CONFIG_MECH_RSA (RSA private keys)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT with NVT_CONFIG_MECH_RSA (RSA private keys loaded from objects)"
#endif
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT with NVT_CONFIG_MECH_RSA (generated RSA keys stored as objects, raw RSA)"
#endif
#if NVT_CONFIG_MECH_RSA_KEYGEN
#if !defined(PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE)
#error "nvtoken needs PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE with NVT_CONFIG_MECH_RSA_KEYGEN (CKM_RSA_PKCS_KEY_PAIR_GEN)"
#endif
#endif
#if NVT_CONFIG_MECH_RSA_ENCRYPT
#if !defined(PSA_WANT_ALG_RSA_PKCS1V15_CRYPT)
#error "nvtoken needs PSA_WANT_ALG_RSA_PKCS1V15_CRYPT with NVT_CONFIG_MECH_RSA_ENCRYPT (CKM_RSA_PKCS encryption)"
#endif
#if !defined(PSA_WANT_ALG_RSA_OAEP)
#error "nvtoken needs PSA_WANT_ALG_RSA_OAEP with NVT_CONFIG_MECH_RSA_ENCRYPT (CKM_RSA_PKCS_OAEP)"
#endif
#endif
#endif

/* The legacy mechanisms: triple-DES through PSA's block modes. */
#if NVT_CONFIG_MECH_LEGACY
#if !defined(PSA_WANT_KEY_TYPE_DES)
#error "nvtoken needs PSA_WANT_KEY_TYPE_DES with NVT_CONFIG_MECH_LEGACY (CKK_DES3)"
#endif
#if !defined(PSA_WANT_ALG_ECB_NO_PADDING) || !defined(PSA_WANT_ALG_CBC_NO_PADDING) || !defined(PSA_WANT_ALG_CBC_PKCS7)
#error "nvtoken needs PSA_WANT_ALG_ECB_NO_PADDING, PSA_WANT_ALG_CBC_NO_PADDING and PSA_WANT_ALG_CBC_PKCS7 with NVT_CONFIG_MECH_LEGACY (CKM_DES3_ECB, _CBC, _CBC_PAD)"
#endif
#endif

#endif /* NVT_CRYPTO_CONFIG_CHECK_H */
