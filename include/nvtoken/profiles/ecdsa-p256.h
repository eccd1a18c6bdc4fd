/**
 * \file ecdsa-p256.h
 * \brief Profile `ecdsa-p256`: a device that signs with its own EC P-256
 *        key and keeps its certificates - the TLS client of an IoT device,
 *        the main use case (examples/firmware/).
 *
 * Mechanisms: CKM_ECDSA, CKM_ECDSA_SHA256 (single-part) and
 * CKM_EC_KEY_PAIR_GEN on P-256, so the device can make its key at
 * provisioning and the key never exists outside it. Everything else is left
 * out: RSA, AES, HMAC, CMAC, key wrap, ECDH, digests, secret-key
 * generation, SHA-1 and SHA-384/512, P-384, P-521, the legacy mechanisms
 * (1024-bit RSA, triple-DES); and the token features C_CopyObject,
 * C_SetAttributeValue, multi-part operations, session objects and
 * C_SeedRandom (CKR_FUNCTION_NOT_SUPPORTED, CKR_MECHANISM_INVALID, for
 * CKA_TOKEN false CKR_ATTRIBUTE_VALUE_INVALID, CKR_RANDOM_SEED_NOT_SUPPORTED),
 * the migration of a token written before sealing (unreadable here), and
 * slots shared with other processes (C_WaitForSlotEvent has no event).
 * P-256 runs on p256-m (NVT_CONFIG_CRYPTO_P256M's default here), called
 * directly without PSA's key store (NVT_CONFIG_CRYPTO_PSA 0; no key loans
 * to PSA code, include/nvtoken/psa_key.h). A firmware that brings its own
 * mbedTLS (NVT_MBEDTLS_TARGET) keeps PSA.
 *
 * RAM: 8 token objects of up to 2 kB (a certificate chain of a device
 * certificate, an intermediate and a root, the key pair, ...), 2 sessions
 * with one operation each, no key cache. docs/DESIGN.md
 * ("The token's RAM") gives the formula.
 *
 * Selected with `-DNVT_PROFILE=ecdsa-p256` (preset cortex-m4-ecdsa-p256).
 * Any option can still be overridden in NVT_USER_CONFIG_FILE.
 */
#ifndef NVTOKEN_PROFILE_ECDSA_P256_H
#define NVTOKEN_PROFILE_ECDSA_P256_H

#ifndef NVT_CONFIG_PROFILE_NAME
#define NVT_CONFIG_PROFILE_NAME "ecdsa-p256"
#endif

/* Mechanisms: ECDSA and EC key generation on P-256, nothing else. */
#ifndef NVT_CONFIG_MECH_ECDSA
#define NVT_CONFIG_MECH_ECDSA 1
#endif
#ifndef NVT_CONFIG_MECH_EC_KEYGEN
#define NVT_CONFIG_MECH_EC_KEYGEN 1
#endif
#ifndef NVT_CONFIG_MECH_EC_P384
#define NVT_CONFIG_MECH_EC_P384 0
#endif
#ifndef NVT_CONFIG_MECH_EC_P521
#define NVT_CONFIG_MECH_EC_P521 0
#endif
#ifndef NVT_CONFIG_MECH_ECDH
#define NVT_CONFIG_MECH_ECDH 0
#endif
#ifndef NVT_CONFIG_MECH_DIGEST
#define NVT_CONFIG_MECH_DIGEST 0
#endif
#ifndef NVT_CONFIG_MECH_SHA1
#define NVT_CONFIG_MECH_SHA1 0
#endif
#ifndef NVT_CONFIG_MECH_SHA512
#define NVT_CONFIG_MECH_SHA512 0
#endif
#ifndef NVT_CONFIG_MECH_RSA
#define NVT_CONFIG_MECH_RSA 0
#endif
#ifndef NVT_CONFIG_MECH_HMAC
#define NVT_CONFIG_MECH_HMAC 0
#endif
#ifndef NVT_CONFIG_MECH_CMAC
#define NVT_CONFIG_MECH_CMAC 0
#endif
#ifndef NVT_CONFIG_MECH_AES
#define NVT_CONFIG_MECH_AES 0
#endif
#ifndef NVT_CONFIG_MECH_AES_GCM
#define NVT_CONFIG_MECH_AES_GCM 0
#endif
#ifndef NVT_CONFIG_MECH_AES_KEY_WRAP
#define NVT_CONFIG_MECH_AES_KEY_WRAP 0
#endif
#ifndef NVT_CONFIG_MECH_SECRET_KEYGEN
#define NVT_CONFIG_MECH_SECRET_KEYGEN 0
#endif
#ifndef NVT_CONFIG_MECH_LEGACY
#define NVT_CONFIG_MECH_LEGACY 0
#endif

/* p256-m called directly, without PSA's key store and dispatch
 * (NVT_CONFIG_CRYPTO_PSA); with mbedTLS's ECP engine instead of p256-m
 * (preset cortex-m4-ecdsa-p256-ecp) the keys go through PSA. */
#ifndef NVT_CONFIG_CRYPTO_PSA
#define NVT_CONFIG_CRYPTO_PSA (!NVT_CONFIG_CRYPTO_P256M)
#endif

/* Token features a signing device does without. */
#ifndef NVT_CONFIG_TOKEN_SESSION_OBJECTS
#define NVT_CONFIG_TOKEN_SESSION_OBJECTS 0
#endif
#ifndef NVT_CONFIG_TOKEN_SESSION_ARENA
#define NVT_CONFIG_TOKEN_SESSION_ARENA 0
#endif
#ifndef NVT_CONFIG_TOKEN_MULTIPART
#define NVT_CONFIG_TOKEN_MULTIPART 0
#endif
#ifndef NVT_CONFIG_TOKEN_COPY
#define NVT_CONFIG_TOKEN_COPY 0
#endif
#ifndef NVT_CONFIG_TOKEN_SET_ATTRIBUTE
#define NVT_CONFIG_TOKEN_SET_ATTRIBUTE 0
#endif
#ifndef NVT_CONFIG_TOKEN_SEED_RANDOM
#define NVT_CONFIG_TOKEN_SEED_RANDOM 0
#endif
/* The device's own flash: no other process writes it, so no slot events. */
#ifndef NVT_CONFIG_TOKEN_SHARED_SLOTS
#define NVT_CONFIG_TOKEN_SHARED_SLOTS 0
#endif
/* A device of this profile never held a token written before sealing
 * (the profile came after it): no migration from the clear. */
#ifndef NVT_CONFIG_TOKEN_MIGRATE
#define NVT_CONFIG_TOKEN_MIGRATE 0
#endif

/* RAM sized for the product. */
#ifndef NVT_CONFIG_TOKEN_SLOTS
#define NVT_CONFIG_TOKEN_SLOTS 1
#endif
#ifndef NVT_CONFIG_TOKEN_MAX_SESSIONS
#define NVT_CONFIG_TOKEN_MAX_SESSIONS 2
#endif
#ifndef NVT_CONFIG_TOKEN_OPS_PER_SESSION
#define NVT_CONFIG_TOKEN_OPS_PER_SESSION 1
#endif
#ifndef NVT_CONFIG_TOKEN_MAX_OBJECTS
#define NVT_CONFIG_TOKEN_MAX_OBJECTS 8
#endif
#ifndef NVT_CONFIG_TOKEN_OBJECT_MAX
#define NVT_CONFIG_TOKEN_OBJECT_MAX 2048
#endif
#ifndef NVT_CONFIG_TOKEN_MADE_MAX
#define NVT_CONFIG_TOKEN_MADE_MAX 128 /* a P-256 key pair's parts */
#endif
/* No key cache: the one key is loaded for each C_SignInit (with p256-m a
 * range check, about 11,000 instructions, 0.13 % of the signature), which
 * saves 1.0 kB of code and 350 B of RAM. */
#ifndef NVT_CONFIG_TOKEN_KEY_CACHE
#define NVT_CONFIG_TOKEN_KEY_CACHE 0
#endif
/* The store's index: the 8 objects, the token's 4 records, and room for
 * the tombstones of deleted objects until they are collected. */
#ifndef NVT_CONFIG_STORE_MAX_OBJECTS
#define NVT_CONFIG_STORE_MAX_OBJECTS 16
#endif

#endif /* NVTOKEN_PROFILE_ECDSA_P256_H */
