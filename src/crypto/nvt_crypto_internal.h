/**
 * \file nvt_crypto_internal.h
 * \brief What the crypto layer's files share (private to src/crypto/).
 */
#ifndef NVT_CRYPTO_INTERNAL_H
#define NVT_CRYPTO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <psa/crypto.h>

#include "nvt_crypto.h"
#include "nvt_crypto_config_check.h"

/** \brief The one mapping from PSA status to nvt_err_t. */
int nvt_crypto_from_psa(psa_status_t st);

/** \brief PSA's algorithm for a digest; PSA_ALG_NONE if the build lacks it
 *         (or for NVT_CRYPTO_HASH_NONE). */
psa_algorithm_t nvt_crypto_psa_hash(nvt_crypto_hash_alg_t alg);

/** \brief The key's PSA type and size. \return NVT_OK or NVT_E_INVALID. */
int nvt_crypto_key_info(nvt_crypto_key_t key, psa_key_type_t *type, size_t *bits);

/**
 * \brief Read an RSAPrivateKey (PKCS#1) or RSAPublicKey DER into spans
 *        pointing at its INTEGERs' magnitudes (no leading zero bytes).
 * \param n_parts 8 (private: n, e, d, p, q, dp, dq, qinv) or 2 (public).
 * \return NVT_OK or NVT_E_INVALID.
 */
int nvt_crypto_rsa_der_read(const uint8_t *der, size_t len, nvt_crypto_span_t *parts, size_t n_parts);

/**
 * \brief An RSA key's material as DER: RSAPrivateKey (PKCS#1 v2.2, RFC
 *        8017 A.1.2; parts the material lacks recomputed) for a key pair,
 *        RSAPublicKey for a public key.
 *
 * The DER is written into a buffer from mbedtls_calloc (*buf, *size
 * bytes; at most about 2.5 KiB for RSA-4096), which the caller wipes and
 * frees, also on error when *buf is not NULL.
 * \param der receives where the DER starts in *buf; \p der_len its length.
 * \return NVT_OK; NVT_E_INVALID (material); NVT_E_UNSUPPORTED (over 4096
 *         bits); NVT_E_CRYPTO (no memory).
 */
int nvt_crypto_rsa_der_alloc(const nvt_crypto_key_material_t *m, unsigned char **buf, size_t *size,
                             unsigned char **der, size_t *der_len);

#endif /* NVT_CRYPTO_INTERNAL_H */
