/**
 * \file nvt_crypto_pki_internal.h
 * \brief What the host-only PKI files of the crypto layer share (private to
 *        src/crypto/, host builds only).
 */
#ifndef NVT_CRYPTO_PKI_INTERNAL_H
#define NVT_CRYPTO_PKI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_csr.h>

#include "nvt_crypto_pki.h"

/**
 * \brief \p in as mbedTLS's parsers take it: PEM text must end in a NUL
 *        that its length counts, so PEM (text with a "-----BEGIN " line)
 *        is copied into a buffer from mbedtls_calloc with one; DER is used
 *        in place.
 * \param buf receives the copy (NULL for DER); wipe and free it with
 *        nvt_crypto_pki_input_free().
 * \return NVT_OK, NVT_E_INVALID (empty), NVT_E_CRYPTO (no memory).
 */
int nvt_crypto_pki_input(const uint8_t *in, size_t in_len, unsigned char **buf, const unsigned char **p,
                         size_t *len);

/** \brief Wipe and free a copy made by nvt_crypto_pki_input(). */
void nvt_crypto_pki_input_free(unsigned char *buf, size_t len);

/**
 * \brief mbedtls_pk_parse_key() on a private key file as
 *        nvt_crypto_pki_input() gave it (\p pem: it made a copy), after
 *        refusing an encrypted key that asks for more than
 *        NVT_CRYPTO_PKI_ITERATIONS_MAX PBKDF2 iterations (only a
 *        passphrase makes mbedTLS run them).
 * \return mbedTLS's result; MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE for too
 *         many iterations (NVT_E_UNSUPPORTED through nvt_crypto_pki_error()).
 */
int nvt_crypto_pki_parse_key(mbedtls_pk_context *pk, const unsigned char *p, size_t len, int pem,
                             const uint8_t *pass, size_t pass_len);

/** \brief An mbedTLS PK, PEM, PKCS#5 or X.509 error as nvt_err_t:
 *         passphrase errors NVT_E_VERIFY, unknown algorithms and curves
 *         NVT_E_UNSUPPORTED, allocation NVT_E_CRYPTO, the rest
 *         NVT_E_INVALID. */
int nvt_crypto_pki_error(int mbedtls_ret);

/**
 * \brief The material of a parsed key (\p private: the private parts as
 *        nvt_crypto_pki_read_private() gives them; else the public key as
 *        nvt_crypto_pki_read_public() does), copied into \p out.
 * \return NVT_OK, NVT_E_UNSUPPORTED, NVT_E_BUFFER_TOO_SMALL, NVT_E_CRYPTO.
 */
int nvt_crypto_pki_material(const mbedtls_pk_context *pk, int private, uint8_t *out, size_t out_size,
                            nvt_crypto_key_material_t *m);

/** \brief Verify a parsed request's signature with its own public key
 *         (ECDSA or RSA PKCS#1 v1.5, SHA-2). \return NVT_OK,
 *         NVT_E_VERIFY, NVT_E_INVALID, NVT_E_UNSUPPORTED, NVT_E_CRYPTO. */
int nvt_crypto_pki_csr_verify(const mbedtls_x509_csr *csr);

/** \brief The random generator mbedTLS's PK functions take (PSA's). */
int nvt_crypto_pki_random(void *ctx, unsigned char *out, size_t len);

#endif /* NVT_CRYPTO_PKI_INTERNAL_H */
