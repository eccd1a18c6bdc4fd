/**
 * \file mbedtls_config.h
 * \brief The mbedTLS 3.6 configuration of the TLS client firmware: the one
 *        mbedTLS of the program, shared by the application (a TLS 1.3 and
 *        1.2 client with certificates) and nvtoken.
 *
 * This is the application's file, as a product would write it (README.md,
 * "mbedTLS in your firmware"). It gives what nvtoken needs - the list is
 * src/crypto/nvt_crypto_config_check.h, which refuses to compile nvtoken
 * against a configuration that lacks any of it - and what TLS needs on
 * top. The PSA algorithms are in psa_config.h.
 */
#ifndef TLS_CLIENT_MBEDTLS_CONFIG_H
#define TLS_CLIENT_MBEDTLS_CONFIG_H

#include <stddef.h>

/* ---- PSA Crypto: the door nvtoken and TLS both go through ---------------- */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_CONFIG
#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_config.h"
/* TLS and X.509 through PSA: what lets mbedtls_pk_setup_opaque() wrap the
 * key the token lends (include/nvtoken/psa_key.h). */
#define MBEDTLS_USE_PSA_CRYPTO
/* Volatile keys at once: nvtoken's key cache (NVT_CONFIG_TOKEN_KEY_CACHE,
 * 4 on a target) plus 4, and TLS's own (ECDHE, traffic keys, the peer's
 * public keys while it checks them). */
#define MBEDTLS_PSA_KEY_SLOT_COUNT 24

/* ---- Random numbers: PSA's generator, seeded from nvtoken's NV seed ------ */
/* The board has no TRNG: the entropy pool reads the seed kept in the token
 * (written at provisioning), through nvtoken's hooks. C_Initialize binds
 * them to the store, so the firmware calls it before anything uses PSA. */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_NV_SEED
int nvt_crypto_nv_seed_read(unsigned char *buf, size_t buf_len);
int nvt_crypto_nv_seed_write(unsigned char *buf, size_t buf_len);
#define MBEDTLS_PLATFORM_NV_SEED_READ_MACRO nvt_crypto_nv_seed_read
#define MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO nvt_crypto_nv_seed_write

/* ---- Modules nvtoken calls itself (where PSA 3.6 has no operation) ------- */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_AES_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_NIST_KW_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_GENPRIME
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_MD_C
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 keys */

/* Code and RAM over speed, as nvtoken's own target configuration. */
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_ECP_WINDOW_SIZE 4

/* ---- TLS: a client of TLS 1.3 and 1.2 with certificates ------------------ */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* RSA-PSS signatures in TLS: what a TLS 1.3 client signs with an RSA key. */
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
/* Records: the server may send full 16 KiB ones; ours are short. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096

/* Certificates: the device's and the CA's come from the token (DER). */
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

#endif /* TLS_CLIENT_MBEDTLS_CONFIG_H */
