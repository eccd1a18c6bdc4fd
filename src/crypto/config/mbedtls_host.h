/**
 * \file mbedtls_host.h
 * \brief mbedTLS configuration for host builds (library, module, tools, tests).
 *
 * Selected by cmake/NvtMbedtls.cmake through MBEDTLS_CONFIG_FILE. Entropy
 * comes from getrandom() through the port's TRNG hook (see
 * mbedtls_common.h); PSA is made thread-safe because the host module serves
 * multi-threaded applications.
 */
#ifndef NVT_MBEDTLS_HOST_H
#define NVT_MBEDTLS_HOST_H

#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_host.h"

#include "mbedtls_common.h"

/* Volatile PSA keys without a fixed number of slots: the key cache holds
 * NVT_CONFIG_TOKEN_KEY_CACHE keys, and a call loads more beside them (with
 * the default 32 slots, the 33rd key used failed). */
#define MBEDTLS_PSA_KEY_STORE_DYNAMIC

/* Thread-safe PSA key store and RNG (pthread mutexes). */
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD

/* Keys and certificates in PEM and DER for host tools and tests that read
 * OpenSSL output. */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C

#endif /* NVT_MBEDTLS_HOST_H */
