/**
 * \file nvt_crypto_pki.h
 * \brief Key, certificate and request files, and a CA in software, for the
 *        host tools (host builds only).
 *
 * The nvtoken tool reads keys and certificates in the forms OpenSSL and PKI
 * tools write them, writes PKCS#10 requests for keys generated inside a
 * token, and issues device certificates with a CA key held in software (a
 * test CA for factory batches). These functions are its door to mbedTLS's
 * PK, PEM, PKCS#5 and X.509 modules, which the host configuration
 * (config/mbedtls_host.h) builds and the target's does not; like the rest
 * of the crypto layer they touch no token: key material comes in and goes
 * out as nvt_crypto_key_material_t (nvt_crypto.h), and the signature of a
 * request comes from the caller (a token's C_Sign).
 *
 * Input files may be PEM (the first block of the expected kind is used;
 * text around it is ignored) or DER. Return values as in nvt_crypto.h;
 * NVT_E_INVALID also stands for input that is not what the function reads
 * (malformed PEM, DER, or another kind of object). Every function that
 * needs randomness or a digest starts the crypto library itself
 * (nvt_crypto_init()). Nothing is logged; secrets this layer copies are
 * wiped before their memory is released.
 */
#ifndef NVT_CRYPTO_PKI_H
#define NVT_CRYPTO_PKI_H

#include <stddef.h>
#include <stdint.h>

#include "nvt_crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Keys (nvt_crypto_pki_key.c)
 * ---------------------------------------------------------------------- */

/** Bytes nvt_crypto_pki_read_private() may need in \p out: an RSA-4096
 *  key's parts, or an EC key's private value and public point. */
#define NVT_CRYPTO_PKI_KEY_MAX 2600u

/** The most PBKDF2 iterations an encrypted key file may ask for: about
 *  five seconds of a PC's time (`openssl pkcs8` uses 2048 unless told
 *  otherwise). More is refused before any is run: a file asking for 2^31
 *  would keep the reader busy for hours. */
#ifndef NVT_CRYPTO_PKI_ITERATIONS_MAX
#define NVT_CRYPTO_PKI_ITERATIONS_MAX 10000000u
#endif

/**
 * \brief Read a private key: PKCS#8 PrivateKeyInfo, encrypted PKCS#8
 *        (PBES2: PBKDF2 with AES-CBC, as `openssl pkcs8 -topk8` writes),
 *        SEC1 ECPrivateKey or PKCS#1 RSAPrivateKey, in PEM or DER.
 *
 * The key's parts are copied into \p out one after the other and \p m
 * points at them: EC (NVT_CRYPTO_KEY_EC_PAIR) v[0] the private value at
 * the curve's width and, here, v[1] the public point (uncompressed);
 * RSA (NVT_CRYPTO_KEY_RSA_PAIR) n, e, d, p, q, dp, dq, qinv (big-endian, no
 * leading zero bytes). The caller wipes \p out.
 * \param pass passphrase of an encrypted key (NULL with \p pass_len 0: none).
 * \return NVT_OK; NVT_E_INVALID (not a private key in these forms);
 *         NVT_E_UNSUPPORTED (an algorithm or curve this build lacks:
 *         Ed25519, DSA, a curve other than the token's; or, with \p pass,
 *         a key encrypted with more than NVT_CRYPTO_PKI_ITERATIONS_MAX
 *         PBKDF2 iterations, refused before it is decrypted); NVT_E_VERIFY (the
 *         key is encrypted and \p pass is missing or wrong);
 *         NVT_E_BUFFER_TOO_SMALL; NVT_E_CRYPTO. \p out holds no key on
 *         error.
 */
int nvt_crypto_pki_read_private(const uint8_t *in, size_t in_len, const uint8_t *pass, size_t pass_len,
                                uint8_t *out, size_t out_size, nvt_crypto_key_material_t *m);

/**
 * \brief Read a public key: SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1
 *        RSAPublicKey ("RSA PUBLIC KEY"), in PEM or DER.
 *
 * As nvt_crypto_pki_read_private(): EC (NVT_CRYPTO_KEY_EC_PUBLIC) v[0]
 * the point, uncompressed; RSA (NVT_CRYPTO_KEY_RSA_PUBLIC) n, e.
 * \return NVT_OK; NVT_E_INVALID; NVT_E_UNSUPPORTED; NVT_E_BUFFER_TOO_SMALL.
 */
int nvt_crypto_pki_read_public(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                               nvt_crypto_key_material_t *m);

/**
 * \brief A public key as a DER SubjectPublicKeyInfo (RFC 5280; EC keys
 *        with a named curve, RFC 5480), written by mbedTLS's PK writer.
 * \param m an EC public key, an RSA public key, or an RSA key pair (n, e
 *        used).
 * \return NVT_OK; NVT_E_INVALID (material: not a point of the curve...);
 *         NVT_E_BUFFER_TOO_SMALL (*len not set); NVT_E_CRYPTO.
 */
int nvt_crypto_pki_write_public(const nvt_crypto_key_material_t *m, uint8_t *out, size_t out_size, size_t *len);

/**
 * \brief \p der as PEM with the type \p label ("CERTIFICATE", "PUBLIC
 *        KEY", "CERTIFICATE REQUEST"): base64 in lines of 64 characters
 *        between BEGIN and END lines, each line ending in a newline, as
 *        OpenSSL writes it. \p out receives the text without a NUL.
 * \return NVT_OK; NVT_E_INVALID; NVT_E_BUFFER_TOO_SMALL (*len = need).
 */
int nvt_crypto_pki_pem_write(const char *label, const uint8_t *der, size_t der_len, char *out, size_t out_size,
                             size_t *len);

/* ------------------------------------------------------------------------
 * Certificates (nvt_crypto_pki_cert.c)
 * ---------------------------------------------------------------------- */

/**
 * \brief The DER of the one X.509 certificate in \p in (PEM or DER).
 * \param der_len receives the DER's length in \p out.
 * \return NVT_OK; NVT_E_INVALID (not a certificate mbedTLS reads, or more
 *         than one); NVT_E_UNSUPPORTED (a certificate of a key or signature
 *         algorithm this build lacks); NVT_E_BUFFER_TOO_SMALL; NVT_E_CRYPTO
 *         (no memory).
 */
int nvt_crypto_pki_read_cert(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *der_len);

/** What a certificate says, as the tool shows it. */
typedef struct nvt_crypto_pki_cert_info {
    char subject[256];         /**< "CN=dev, O=Acme" (mbedTLS's form), NUL-terminated */
    char issuer[256];          /**< likewise */
    char not_before[21];       /**< "2026-01-31T12:00:00Z" */
    char not_after[21];        /**< likewise */
    uint8_t serial[32];        /**< the serial number's bytes, big-endian */
    size_t serial_len;
    int is_ca;                 /**< basicConstraints cA is true */
    nvt_crypto_span_t spki;    /**< SubjectPublicKeyInfo, inside the DER given */
    nvt_crypto_span_t subject_der; /**< subject Name, inside the DER given */
} nvt_crypto_pki_cert_info_t;

/**
 * \brief Read \p info from a DER certificate (texts are cut to fit).
 * \return NVT_OK or NVT_E_INVALID.
 */
int nvt_crypto_pki_cert_info(const uint8_t *der, size_t len, nvt_crypto_pki_cert_info_t *info);

/* ------------------------------------------------------------------------
 * Certificate requests (nvt_crypto_pki_csr.c)
 * ---------------------------------------------------------------------- */

/**
 * \brief The CertificationRequestInfo (PKCS#10, RFC 2986) of a request for
 *        \p pub with subject \p subject, DER, into out[0..*len).
 *
 * The caller signs these bytes with the key's private half (ECDSA or RSA
 * PKCS#1 v1.5 with the digest it then names to nvt_crypto_pki_csr_finish())
 * and finishes the request with the signature.
 * \param subject a distinguished name as mbedTLS's X.509 writer reads it,
 *        "CN=dev-0001,O=Acme,C=DE" (commas between attributes, a backslash
 *        escapes one; each attribute type at most once), or as OpenSSL's
 *        -subj option takes it, "/CN=dev-0001/O=Acme".
 * \param pub an EC or RSA public key (or RSA key pair: n, e).
 * \return NVT_OK; NVT_E_INVALID (a subject mbedTLS cannot read, empty, or
 *         bad key material); NVT_E_BUFFER_TOO_SMALL; NVT_E_CRYPTO.
 */
int nvt_crypto_pki_csr_info(const char *subject, const nvt_crypto_key_material_t *pub, uint8_t *out,
                            size_t out_size, size_t *len);

/**
 * \brief Check that \p subject is a name nvt_crypto_pki_csr_info() takes.
 * \return NVT_OK, NVT_E_INVALID, NVT_E_CRYPTO (no memory).
 */
int nvt_crypto_pki_name_check(const char *subject);

/**
 * \brief The CertificationRequest of \p info (from nvt_crypto_pki_csr_info())
 *        signed with \p sig, DER, into out[0..*len).
 *
 * The signature is the token's: for an EC key r || s (as CKM_ECDSA_SHA256
 * returns it; written here as the DER ECDSA-Sig-Value), for RSA the PKCS#1
 * v1.5 signature. The algorithm (ecdsa-with-SHA256/384/512,
 * sha256/384/512WithRSAEncryption) follows the key in \p info and \p hash.
 * Before returning, the request is read back with mbedTLS's X.509 reader
 * and its signature verified with its own public key.
 * \param hash NVT_CRYPTO_SHA256, NVT_CRYPTO_SHA384 or NVT_CRYPTO_SHA512.
 * \return NVT_OK; NVT_E_VERIFY (the signature is not the key's over
 *         \p info); NVT_E_INVALID; NVT_E_BUFFER_TOO_SMALL; NVT_E_CRYPTO.
 */
int nvt_crypto_pki_csr_finish(const uint8_t *info, size_t info_len, nvt_crypto_hash_alg_t hash, const uint8_t *sig,
                              size_t sig_len, uint8_t *out, size_t out_size, size_t *len);

/**
 * \brief The subject and public key of a DER request, after checking its
 *        signature.
 * \param subject receives the subject as text (cut to \p subject_size).
 * \param spki receives where its SubjectPublicKeyInfo lies in \p der.
 * \return NVT_OK; NVT_E_INVALID (not a request); NVT_E_VERIFY (its
 *         signature does not verify).
 */
int nvt_crypto_pki_csr_read(const uint8_t *der, size_t len, char *subject, size_t subject_size,
                            nvt_crypto_span_t *spki);

/* ------------------------------------------------------------------------
 * A certificate authority in software (nvt_crypto_pki_ca.c)
 * ---------------------------------------------------------------------- */

/** A CA: its private key and certificate (heap; nvt_crypto_pki_ca_close()). */
typedef struct nvt_crypto_pki_ca nvt_crypto_pki_ca_t;

/**
 * \brief Load a CA from its private key (any form
 *        nvt_crypto_pki_read_private() reads, EC or RSA) and its
 *        certificate, which must be a CA certificate for that key.
 * \return NVT_OK; NVT_E_INVALID (unreadable key or certificate, or the
 *         certificate is not a CA's); NVT_E_VERIFY (wrong or missing
 *         passphrase, or the key is not the certificate's);
 *         NVT_E_UNSUPPORTED (a key of an algorithm or curve this build
 *         lacks, or encrypted with more than NVT_CRYPTO_PKI_ITERATIONS_MAX
 *         PBKDF2 iterations); NVT_E_CRYPTO (no memory).
 */
int nvt_crypto_pki_ca_open(nvt_crypto_pki_ca_t **ca, const uint8_t *key, size_t key_len, const uint8_t *pass,
                           size_t pass_len, const uint8_t *cert, size_t cert_len);

/**
 * \brief Issue a device certificate for the DER request \p csr: X.509 v3,
 *        the request's subject and key, a random positive 16-byte serial
 *        number, valid from \p not_before (seconds since 1970, UTC) for
 *        \p days days, signed with SHA-256 (SHA-384 by a P-384 CA key,
 *        SHA-512 by a P-521 one); extensions basicConstraints cA false and
 *        keyUsage digitalSignature (both critical), extendedKeyUsage
 *        clientAuth, subject and authority key identifiers. The certificate is checked
 *        before it is returned: its issuer is the CA's subject byte for
 *        byte, its subject the request's, and it verifies under the CA.
 * \return NVT_OK; NVT_E_INVALID (not a request, bad \p days); NVT_E_VERIFY
 *         (the request's signature does not verify); NVT_E_BUFFER_TOO_SMALL;
 *         NVT_E_CRYPTO.
 */
int nvt_crypto_pki_ca_issue(nvt_crypto_pki_ca_t *ca, const uint8_t *csr, size_t csr_len, int64_t not_before,
                            uint32_t days, uint8_t *out, size_t out_size, size_t *len);

/** \brief Wipe and free a CA. NULL is ignored. */
void nvt_crypto_pki_ca_close(nvt_crypto_pki_ca_t *ca);

#ifdef __cplusplus
}
#endif

#endif /* NVT_CRYPTO_PKI_H */
