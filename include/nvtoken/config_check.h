/**
 * \file config_check.h
 * \brief Compile-time checks of nvtoken's configuration (included by
 *        config.h after the defaults; do not include directly).
 */
#ifndef NVTOKEN_CONFIG_CHECK_H
#define NVTOKEN_CONFIG_CHECK_H

#if NVT_CONFIG_STORE_WEAR_GAP < 0
#error "NVT_CONFIG_STORE_WEAR_GAP must be 0 (off) or a positive erase-count gap"
#endif
#if NVT_CONFIG_STORE_MAX_OBJECTS < 1 || NVT_CONFIG_STORE_MAX_OBJECTS > 65535
#error "NVT_CONFIG_STORE_MAX_OBJECTS must be 1 to 65535"
#endif
#if NVT_CONFIG_STORE_SCRATCH < 64
#error "NVT_CONFIG_STORE_SCRATCH must be at least NVT_STORE_SCRATCH_MIN (64)"
#endif

/* Token */
#if NVT_CONFIG_TOKEN_SLOTS < 1 || NVT_CONFIG_TOKEN_SLOTS > 64
#error "NVT_CONFIG_TOKEN_SLOTS must be 1 to 64"
#endif
#if NVT_CONFIG_TOKEN_MAX_SESSIONS < 1
#error "NVT_CONFIG_TOKEN_MAX_SESSIONS must be at least 1"
#endif
#if NVT_CONFIG_TOKEN_OPS_PER_SESSION < 1
#error "NVT_CONFIG_TOKEN_OPS_PER_SESSION must be at least 1"
#endif
#if NVT_CONFIG_TOKEN_MAX_OBJECTS < 1 || NVT_CONFIG_TOKEN_MAX_OBJECTS > 65000
#error "NVT_CONFIG_TOKEN_MAX_OBJECTS must be 1 to 65000 (store ids are 16 bits)"
#endif
#if NVT_CONFIG_TOKEN_OBJECT_MAX < 256
#error "NVT_CONFIG_TOKEN_OBJECT_MAX must be at least 256 bytes"
#endif
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS < 0 || (NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0 && NVT_CONFIG_TOKEN_SESSION_ARENA < 256)
#error "NVT_CONFIG_TOKEN_SESSION_OBJECTS must be 0 (none) or >= 1 with NVT_CONFIG_TOKEN_SESSION_ARENA >= 256"
#endif
#if NVT_CONFIG_TOKEN_PIN_MIN < 1 || NVT_CONFIG_TOKEN_PIN_MAX < NVT_CONFIG_TOKEN_PIN_MIN || NVT_CONFIG_TOKEN_PIN_MAX > 255
#error "PIN lengths: 1 <= NVT_CONFIG_TOKEN_PIN_MIN <= NVT_CONFIG_TOKEN_PIN_MAX <= 255"
#endif
#if NVT_CONFIG_TOKEN_PIN_ITERATIONS < 1
#error "NVT_CONFIG_TOKEN_PIN_ITERATIONS must be at least 1"
#endif
#if NVT_CONFIG_TOKEN_PIN_ITERATIONS > NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX
#error "NVT_CONFIG_TOKEN_PIN_ITERATIONS must not exceed NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX"
#endif
#if NVT_CONFIG_TOKEN_USER_PIN_TRIES < 1 || NVT_CONFIG_TOKEN_USER_PIN_TRIES > 255 || \
    NVT_CONFIG_TOKEN_SO_PIN_TRIES < 1 || NVT_CONFIG_TOKEN_SO_PIN_TRIES > 255
#error "PIN tries must be 1 to 255"
#endif
#if NVT_CONFIG_TOKEN_HEAP && !NVT_CONFIG_TOKEN_HOST_DEFAULTS
#error "NVT_CONFIG_TOKEN_HEAP: the target build allocates nothing in the token layer"
#endif

/* Cryptography and mechanisms */
#if !NVT_CONFIG_CRYPTO_TRNG && !NVT_CONFIG_CRYPTO_NV_SEED
#error "The random generator needs NVT_CONFIG_CRYPTO_TRNG or NVT_CONFIG_CRYPTO_NV_SEED (or both)"
#endif
#if NVT_CONFIG_MECH_RSA_GEN_MAX_BITS != 2048 && NVT_CONFIG_MECH_RSA_GEN_MAX_BITS != 3072
#error "NVT_CONFIG_MECH_RSA_GEN_MAX_BITS must be 2048 or 3072"
#endif
#if (NVT_CONFIG_MECH_RSA_ENCRYPT || NVT_CONFIG_MECH_RSA_KEYGEN) && !NVT_CONFIG_MECH_RSA
#error "NVT_CONFIG_MECH_RSA_ENCRYPT and NVT_CONFIG_MECH_RSA_KEYGEN need NVT_CONFIG_MECH_RSA"
#endif
#if NVT_CONFIG_MECH_EC_P384 && !NVT_TOKEN_HAS_EC
#error "NVT_CONFIG_MECH_EC_P384 needs an EC mechanism (NVT_CONFIG_MECH_ECDSA, _EC_KEYGEN or _ECDH)"
#endif
#if NVT_CONFIG_MECH_EC_P521 && !NVT_TOKEN_HAS_EC
#error "NVT_CONFIG_MECH_EC_P521 needs an EC mechanism (NVT_CONFIG_MECH_ECDSA, _EC_KEYGEN or _ECDH)"
#endif
#if NVT_CONFIG_MECH_LEGACY && !(NVT_CONFIG_MECH_AES && NVT_CONFIG_MECH_SECRET_KEYGEN)
#error "NVT_CONFIG_MECH_LEGACY needs NVT_CONFIG_MECH_AES and NVT_CONFIG_MECH_SECRET_KEYGEN (triple-DES runs on their code)"
#endif
#if NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN && NVT_CONFIG_MECH_RSA_GEN_MAX_BITS == 3072 && \
    NVT_CONFIG_TOKEN_MADE_MAX < 2048
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 2048 bytes to generate RSA-3072 keys"
#endif
/* What the key-making mechanisms hand the token (tok_made_t): an RSA-2048
 * key pair's private parts (generated, or unwrapped from PKCS#8); a
 * 4096-bit generic secret; an EC P-384 key pair's parts (P-256: 64 B). */
#if ((NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN) || NVT_TOKEN_HAS_WRAP) && NVT_CONFIG_TOKEN_MADE_MAX < 1280
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 1280 bytes (an RSA-2048 key pair's private parts)"
#endif
#if NVT_CONFIG_MECH_SECRET_KEYGEN && NVT_CONFIG_TOKEN_MADE_MAX < 512
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 512 bytes (a 4096-bit generic secret)"
#endif
#if (NVT_CONFIG_MECH_EC_KEYGEN || NVT_CONFIG_MECH_ECDH) && NVT_CONFIG_TOKEN_MADE_MAX < 128
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 128 bytes (an EC key pair's parts)"
#endif
#if NVT_CONFIG_CRYPTO_P256M && !NVT_TOKEN_HAS_EC
#error "NVT_CONFIG_CRYPTO_P256M is an engine for the EC mechanisms: enable one"
#endif
#if !NVT_CONFIG_CRYPTO_PSA
#if !NVT_CONFIG_CRYPTO_P256M || NVT_CONFIG_MECH_EC_P384 || NVT_CONFIG_MECH_EC_P521 || NVT_CONFIG_MECH_ECDH || \
    NVT_CONFIG_MECH_RSA || NVT_CONFIG_MECH_HMAC || NVT_CONFIG_MECH_CMAC || NVT_CONFIG_MECH_AES ||          \
    NVT_CONFIG_MECH_AES_GCM || NVT_CONFIG_MECH_AES_KEY_WRAP || NVT_CONFIG_MECH_SECRET_KEYGEN ||          \
    NVT_CONFIG_MECH_LEGACY || NVT_CONFIG_MECH_DIGEST || NVT_CONFIG_MECH_SHA1 || NVT_CONFIG_MECH_SHA512
#error "NVT_CONFIG_CRYPTO_PSA 0 is for ECDSA and EC key generation on P-256 with p256-m only"
#endif
#if NVT_CONFIG_TOKEN_SEED_RANDOM || NVT_CONFIG_CRYPTO_PSA_SHARED
#error "NVT_CONFIG_CRYPTO_PSA 0: C_SeedRandom and a PSA shared with the firmware need PSA"
#endif
#endif
#if defined(NVT_TOKEN_HOST_IMAGES) && !NVT_CONFIG_TOKEN_SHARED_SLOTS
#error "the host module's images are shared with other processes: it needs NVT_CONFIG_TOKEN_SHARED_SLOTS"
#endif
#if NVT_CONFIG_TOKEN_MIGRATE && !NVT_CONFIG_TOKEN_SEAL
#error "NVT_CONFIG_TOKEN_MIGRATE seals a token written before sealing: it needs NVT_CONFIG_TOKEN_SEAL"
#endif
#if NVT_CONFIG_MECH_GCM_BUFFER < 16
#error "NVT_CONFIG_MECH_GCM_BUFFER must be at least 16 bytes (a tag)"
#endif
#if NVT_CONFIG_TOKEN_KEY_CACHE < 0 || NVT_CONFIG_TOKEN_KEY_CACHE > 255
#error "NVT_CONFIG_TOKEN_KEY_CACHE must be 0 (no cache) to 255"
#endif

#endif /* NVTOKEN_CONFIG_CHECK_H */
