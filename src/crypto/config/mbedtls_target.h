/**
 * \file mbedtls_target.h
 * \brief mbedTLS configuration for microcontroller builds (Cortex-M4).
 *
 * Trimmed to what the token needs: psa_common.h derives the algorithms
 * from the profile (include/nvtoken/profiles/; without SHA-1 and RSA
 * encryption by default on a target), and there are no PK, X.509 or PEM
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
 * decryption's ciphertext (NVT_CONFIG_MECH_GCM_BUFFER), for raw RSA the
 * key's export while the operation runs, and for C_WrapKey / C_UnwrapKey
 * of a private key its PKCS#8 encoding (at most about 2.5 kB). Measured by
 * `make bench` (bench_sign, allocator wrapped): a P-256 ECDSA C_Sign peaks
 * at about 1.6 kB on ECP and 0.6 kB on p256-m, an RSA-2048 one at about 9.5 kB the first time (key
 * loaded) and 8.4 kB after, as psa_sign_hash alone does; the cache keeps
 * 32 bytes for a P-256 key, 1.2 kB for an RSA-2048 key.
 */
#ifndef NVT_MBEDTLS_TARGET_H
#define NVT_MBEDTLS_TARGET_H

#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "psa_target.h"

#include "mbedtls_common.h"

/* Smaller tables and windows: code and RAM matter more than speed here.
 * The AES tables are constants in flash rather than built in RAM at start
 * (1.3 kB encryption only, 2.6 kB with decryption). */
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_AES_ROM_TABLES
/* SHA-256's rounds as a loop rather than unrolled. */
#define MBEDTLS_SHA256_SMALLER
#define MBEDTLS_ECP_WINDOW_SIZE 4
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 */

/* PSA key slots: the key cache's keys plus the few a call loads and
 * destroys at once (key generation, an import check). */
#if NVT_CONFIG_CRYPTO_PSA
#define MBEDTLS_PSA_KEY_SLOT_COUNT (NVT_CONFIG_TOKEN_KEY_CACHE + 4)
#else
/* Without PSA's key store (src/crypto/nvt_crypto_p256m.c) PSA holds no
 * key, and its generator is the token's (hedged for signatures), which
 * p256-m draws from through psa_generate_random. */
#define MBEDTLS_PSA_KEY_SLOT_COUNT 1
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
#endif

#endif /* NVT_MBEDTLS_TARGET_H */
