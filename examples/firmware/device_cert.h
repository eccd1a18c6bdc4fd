/**
 * \file device_cert.h
 * \brief The device certificate of the firmware example: a self-signed
 *        X.509 v3 certificate for the device's EC P-256 key, made once at
 *        provisioning and checked at every boot.
 *
 * A factory would have its CA sign the device's key; the example has no CA,
 * so the device signs its own certificate through the token (CKM_ECDSA over
 * the SHA-256 hash of the to-be-signed part). The DER is written from a
 * fixed template: subject and issuer "CN=nvtoken device", validity
 * 2026-2036, the public key, ecdsa-with-SHA256.
 */
#ifndef DEVICE_CERT_H
#define DEVICE_CERT_H

#include <stddef.h>
#include <stdint.h>

/** Length of an uncompressed P-256 point (0x04 || x || y). */
#define DEVICE_CERT_POINT_LEN 65u
/** Longest certificate device_cert_make() writes. */
#define DEVICE_CERT_MAX 400u

/**
 * \brief The to-be-signed part of the certificate for \p point (an
 *        uncompressed P-256 point) and serial number \p serial (8 bytes,
 *        top bit cleared by the function), written into \p tbs.
 * \return its length, or 0 if \p size is too small.
 */
size_t device_cert_tbs(const uint8_t point[DEVICE_CERT_POINT_LEN], const uint8_t serial[8], uint8_t *tbs,
                       size_t size);

/**
 * \brief The whole certificate: \p tbs (from device_cert_tbs()) and its
 *        signature \p rs (r || s, 64 bytes, as CKM_ECDSA gives it), into
 *        \p out. \return its length, or 0 if \p size is too small.
 */
size_t device_cert_make(const uint8_t *tbs, size_t tbs_len, const uint8_t rs[64], uint8_t *out, size_t size);

/** The parts of a certificate that the boot checks. */
typedef struct device_cert_parts {
    const uint8_t *tbs;   /**< the to-be-signed part, DER header included */
    size_t tbs_len;
    const uint8_t *point; /**< the subject's public key (65 bytes) */
    uint8_t rs[64];       /**< the signature as r || s */
} device_cert_parts_t;

/**
 * \brief Find the to-be-signed part, the P-256 public key and the ECDSA
 *        signature in \p der (pointers into \p der).
 * \return 0, or -1 if \p der is not a certificate of that shape.
 */
int device_cert_parse(const uint8_t *der, size_t len, device_cert_parts_t *parts);

#endif /* DEVICE_CERT_H */
