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
 * OpenSSL output (src/crypto/nvt_crypto_pki*.c, the nvtoken tool):
 * encrypted PKCS#8 keys (PKCS#5 PBES2 with AES-CBC), certificate requests
 * read and certificates written (the tool's test CA); the request the tool
 * writes is signed by the token, so mbedTLS's CSR writer, which signs with
 * a key it holds, is not used. The target build has none of these; nor
 * has a host build with p256-m beside other curves (P-384, P-521), which
 * mbedTLS 3.6's PK does not support (a partially accelerated curve set;
 * preset host-p256m). */
#if !(NVT_CONFIG_CRYPTO_P256M && (NVT_CONFIG_MECH_EC_P384 || NVT_CONFIG_MECH_EC_P521))
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PKCS5_C
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CSR_PARSE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CRT_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C
#endif

#endif /* NVT_MBEDTLS_HOST_H */
