/**
 * \file mbedtls_target.h
 * \brief mbedTLS configuration for microcontroller builds (Cortex-M4).
 *
 * Trimmed to what the token needs: see psa_target.h for the algorithms.
 * There is no operating-system entropy; the entropy pool is fed by an NV
 * seed (MBEDTLS_ENTROPY_NV_SEED), read and rewritten through nvtoken's own
 * hooks, nvt_crypto_nv_seed_read() and nvt_crypto_nv_seed_write()
 * (src/crypto/nvt_crypto_nv_seed.c), which the store backs.
 */
#ifndef NVT_MBEDTLS_TARGET_H
#define NVT_MBEDTLS_TARGET_H

#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_target.h"

#include "mbedtls_common.h"

/* No /dev/urandom: the seed file and an optional TRNG are the sources. */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_NV_SEED

#include <stddef.h>
int nvt_crypto_nv_seed_read(unsigned char *buf, size_t buf_len);
int nvt_crypto_nv_seed_write(unsigned char *buf, size_t buf_len);
#define MBEDTLS_PLATFORM_NV_SEED_READ_MACRO  nvt_crypto_nv_seed_read
#define MBEDTLS_PLATFORM_NV_SEED_WRITE_MACRO nvt_crypto_nv_seed_write

/* Smaller tables and windows: code and RAM matter more than speed here. */
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 */

#endif /* NVT_MBEDTLS_TARGET_H */
