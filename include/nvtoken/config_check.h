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
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS < 1 || NVT_CONFIG_TOKEN_SESSION_ARENA < 256
#error "NVT_CONFIG_TOKEN_SESSION_OBJECTS must be >= 1 and NVT_CONFIG_TOKEN_SESSION_ARENA >= 256"
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
#if NVT_CONFIG_MECH_RSA_GEN_MAX_BITS == 3072 && NVT_CONFIG_TOKEN_MADE_MAX < 2048
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 2048 bytes to generate RSA-3072 keys"
#endif
#if NVT_CONFIG_TOKEN_MADE_MAX < 1280
#error "NVT_CONFIG_TOKEN_MADE_MAX must be at least 1280 bytes (an RSA-2048 key pair's private parts)"
#endif
#if NVT_CONFIG_MECH_GCM_BUFFER < 16
#error "NVT_CONFIG_MECH_GCM_BUFFER must be at least 16 bytes (a tag)"
#endif
#if NVT_CONFIG_TOKEN_KEY_CACHE < 1 || NVT_CONFIG_TOKEN_KEY_CACHE > 255
#error "NVT_CONFIG_TOKEN_KEY_CACHE must be 1 to 255"
#endif

#endif /* NVTOKEN_CONFIG_CHECK_H */
