/**
 * \file nvt_crypto.h
 * \brief The token's only door to cryptography.
 *
 * Everything the layers above need from cryptography goes through these
 * functions; only src/crypto/ includes PSA or mbedTLS headers. The contexts
 * below are plain storage the caller places (a session, the stack): their
 * size is fixed here and checked against PSA's own types at compile time in
 * nvt_crypto.c, so no PSA type leaks upward.
 *
 * Return values: NVT_OK or a negative nvt_err_t (NVT_E_CRYPTO for a failed
 * computation, NVT_E_ENTROPY when the generator cannot be seeded,
 * NVT_E_INVALID for bad arguments, NVT_E_BUFFER_TOO_SMALL with nothing
 * written). No function logs; none keeps a pointer to a caller's buffer.
 *
 * Extending (mechanisms): add an algorithm to an enum or a new family of
 * functions here, implement it in a src/crypto/nvt_crypto_<family>.c over
 * PSA, and plug the PKCS#11 mechanism into the token's dispatch table
 * (src/token/tok_mech.h).
 */
#ifndef NVT_CRYPTO_H
#define NVT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Life cycle
 * ---------------------------------------------------------------------- */

/**
 * \brief Start the crypto library (PSA): key store and random generator.
 *
 * On the target the generator is seeded from the NV seed, so the seed
 * backend must be bound first (nvt_crypto_nv_seed_bind()). Calling it again
 * while started does nothing.
 * \return NVT_OK or NVT_E_ENTROPY (no seed / no entropy), NVT_E_CRYPTO.
 */
int nvt_crypto_init(void);

/** \brief Stop the crypto library, wiping its keys and generator state. */
void nvt_crypto_free(void);

/** \brief Bytes of the NV seed the target's entropy pool reads and writes. */
size_t nvt_crypto_nv_seed_size(void);

/* ------------------------------------------------------------------------
 * Random numbers
 * ---------------------------------------------------------------------- */

/**
 * \brief Fill \p buf with \p len bytes from the cryptographic generator.
 * \return NVT_OK, NVT_E_ENTROPY, NVT_E_CRYPTO (e.g. not started).
 */
int nvt_crypto_random(void *buf, size_t len);

/* ------------------------------------------------------------------------
 * Message digests
 * ---------------------------------------------------------------------- */

/** Digest algorithms (those the build's PSA configuration provides). */
typedef enum nvt_crypto_hash_alg {
    NVT_CRYPTO_SHA1 = 1,
    NVT_CRYPTO_SHA256,
    NVT_CRYPTO_SHA384,
    NVT_CRYPTO_SHA512,
} nvt_crypto_hash_alg_t;

/** Largest digest, in bytes. */
#define NVT_CRYPTO_HASH_MAX 64u

/** Bytes reserved for a digest context (checked against PSA's). */
#define NVT_CRYPTO_HASH_CTX_SIZE 256u

/** A multi-part digest in progress. Caller-placed; zero-filled is "idle". */
typedef struct nvt_crypto_hash {
    uint32_t alg; /**< nvt_crypto_hash_alg_t while active, 0 when idle */
    union {
        unsigned char bytes[NVT_CRYPTO_HASH_CTX_SIZE];
        uint64_t align_u64;
        void *align_ptr;
    } u;
} nvt_crypto_hash_t;

/**
 * \brief Digest length of \p alg in bytes; 0 if the build lacks \p alg.
 */
size_t nvt_crypto_hash_size(nvt_crypto_hash_alg_t alg);

/**
 * \brief Start a digest in \p h (any previous content is overwritten).
 * \return NVT_OK; NVT_E_UNSUPPORTED if the build lacks \p alg; NVT_E_CRYPTO.
 */
int nvt_crypto_hash_setup(nvt_crypto_hash_t *h, nvt_crypto_hash_alg_t alg);

/** \brief Feed \p len bytes. \return NVT_OK or NVT_E_CRYPTO (then aborted). */
int nvt_crypto_hash_update(nvt_crypto_hash_t *h, const void *data, size_t len);

/**
 * \brief Finish: write the digest to \p out and end the operation.
 * \param out_len receives the digest length.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (operation still active, nothing
 *         written); NVT_E_CRYPTO.
 */
int nvt_crypto_hash_finish(nvt_crypto_hash_t *h, void *out, size_t out_size, size_t *out_len);

/** \brief End the operation early and wipe \p h. Safe on an idle context. */
void nvt_crypto_hash_abort(nvt_crypto_hash_t *h);

/** \brief One-shot digest of \p len bytes. Same returns as above. */
int nvt_crypto_hash(nvt_crypto_hash_alg_t alg, const void *data, size_t len, void *out, size_t out_size,
                    size_t *out_len);

/* ------------------------------------------------------------------------
 * Password-based key derivation (PIN verifiers)
 * ---------------------------------------------------------------------- */

/**
 * \brief PBKDF2-HMAC-SHA256 (RFC 8018) of \p pw with \p salt and
 *        \p iterations, \p out_len bytes into \p out.
 * \return NVT_OK, NVT_E_INVALID (0 iterations, NULL), NVT_E_CRYPTO. Any
 *         internal copy of the password is wiped before returning.
 */
int nvt_crypto_pbkdf2_sha256(const void *pw, size_t pw_len, const void *salt, size_t salt_len,
                             uint32_t iterations, void *out, size_t out_len);

/* ------------------------------------------------------------------------
 * Secrets in RAM
 * ---------------------------------------------------------------------- */

/** \brief Overwrite \p len bytes at \p buf with zeros; never optimised away. */
void nvt_crypto_zeroize(void *buf, size_t len);

/* ------------------------------------------------------------------------
 * X.509 certificates
 * ---------------------------------------------------------------------- */

/** A byte range inside a caller's buffer. */
typedef struct nvt_crypto_span {
    const uint8_t *p;
    size_t len;
} nvt_crypto_span_t;

/** Fields of a certificate, each the complete DER element (tag, length,
 *  contents), pointing into the certificate given. */
typedef struct nvt_crypto_x509_fields {
    nvt_crypto_span_t serial;  /**< CertificateSerialNumber (INTEGER) */
    nvt_crypto_span_t issuer;  /**< issuer Name (SEQUENCE) */
    nvt_crypto_span_t subject; /**< subject Name (SEQUENCE) */
} nvt_crypto_x509_fields_t;

/**
 * \brief Locate serial number, issuer and subject in a DER certificate.
 *
 * Walks the structure of RFC 5280 Certificate / TBSCertificate as far as
 * the subject and checks that the outer SEQUENCE spans exactly \p len
 * bytes. It does not verify signatures or validity.
 * \return NVT_OK, or NVT_E_INVALID if \p der is not such a structure.
 */
int nvt_crypto_x509_fields(const uint8_t *der, size_t len, nvt_crypto_x509_fields_t *fields);

#ifdef __cplusplus
}
#endif

#endif /* NVT_CRYPTO_H */
