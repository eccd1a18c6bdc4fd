/**
 * \file mbedtls_target.h
 * \brief mbedTLS configuration for microcontroller builds (Cortex-M4).
 *
 * Trimmed to what the token needs: see psa_target.h for the algorithms
 * (no SHA-1, no RSA encryption by default), and no PK, X.509 or PEM
 * modules (the crypto layer reads and writes the DER it needs with the
 * ASN.1 module). With the target defaults there is no TRNG: the entropy
 * pool is fed by the NV seed (mbedtls_common.h).
 *
 * Heap: mbedTLS allocates with calloc (newlib's malloc on the reference
 * board). In nvtoken's use that is bounded: a PSA key's material while it
 * is loaded (at most NVT_CONFIG_TOKEN_KEY_CACHE keys, up to 2.4 kB for an
 * RSA-4096 key pair, 121 bytes for P-256), the big numbers of one RSA or
 * EC operation at a time (a few kB for RSA-2048), the AES context of an
 * active AES or CMAC operation (about 300 bytes each), a multi-part GCM
 * decryption's ciphertext (NVT_CONFIG_MECH_GCM_BUFFER) and, for raw RSA,
 * the key's export while the operation runs.
 */
#ifndef NVT_MBEDTLS_TARGET_H
#define NVT_MBEDTLS_TARGET_H

#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_target.h"

#include "mbedtls_common.h"

/* Smaller tables and windows: code and RAM matter more than speed here. */
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 */

/* PSA key slots: the key cache's keys plus the few a call loads and
 * destroys at once (key generation, an import check). */
#define MBEDTLS_PSA_KEY_SLOT_COUNT (NVT_CONFIG_TOKEN_KEY_CACHE + 4)

#endif /* NVT_MBEDTLS_TARGET_H */
