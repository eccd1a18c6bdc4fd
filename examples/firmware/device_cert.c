/* The device certificate: see device_cert.h. DER is written and read with
 * two small helpers (one TLV at a time); lengths up to 65535 bytes. */
#include "device_cert.h"

#include <string.h>

#define DER_INTEGER 0x02u
#define DER_BIT_STRING 0x03u
#define DER_SEQUENCE 0x30u
#define DER_VERSION 0xA0u /* [0] EXPLICIT */

/* ecdsa-with-SHA256 (1.2.840.10045.4.3.2), as an AlgorithmIdentifier. */
static const uint8_t alg_ecdsa_sha256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };

/* Issuer and subject: CN=nvtoken device. */
static const uint8_t name[] = { 0x30, 0x19, 0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0e,
                                'n',  'v',  't',  'o',  'k',  'e',  'n',  ' ',  'd',  'e',  'v',  'i',  'c',
                                'e' };

/* Validity: 2026-01-01 to 2036-01-01 (UTCTime). */
static const uint8_t validity[] = { 0x30, 0x1e, 0x17, 0x0d, '2', '6', '0', '1', '0', '1', '0', '0', '0', '0', '0',
                                    '0',  'Z',  0x17, 0x0d, '3', '6', '0', '1', '0', '1', '0', '0', '0', '0', '0',
                                    '0',  'Z' };

/* SubjectPublicKeyInfo up to the point: id-ecPublicKey, prime256v1, and
 * the BIT STRING header (66 bytes: no unused bits, then the point). */
static const uint8_t spki_head[] = { 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                     0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00 };

/* Version v3 and the serial number's header. */
static const uint8_t version_serial[] = { DER_VERSION, 0x03, DER_INTEGER, 0x01, 0x02, DER_INTEGER, 0x08 };

/* Write tag, length and the len bytes at content (which may lie inside
 * out) at out. Returns the bytes written, 0 if they do not fit. */
static size_t der_tlv(uint8_t *out, size_t size, uint8_t tag, const uint8_t *content, size_t len)
{
    size_t h = len < 0x80u ? 2u : len < 0x100u ? 3u : 4u;
    if (len > 0xffffu || h + len > size) {
        return 0;
    }
    memmove(out + h, content, len);
    out[0] = tag;
    if (h == 2) {
        out[1] = (uint8_t)len;
    } else if (h == 3) {
        out[1] = 0x81;
        out[2] = (uint8_t)len;
    } else {
        out[1] = 0x82;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
    }
    return h + len;
}

/* Append n bytes to the buffer at *at (room: end). */
static int put(uint8_t **at, const uint8_t *end, const void *bytes, size_t n)
{
    if ((size_t)(end - *at) < n) {
        return -1;
    }
    memcpy(*at, bytes, n);
    *at += n;
    return 0;
}

size_t device_cert_tbs(const uint8_t point[DEVICE_CERT_POINT_LEN], const uint8_t serial[8], uint8_t *tbs,
                       size_t size)
{
    uint8_t body[256], *at = body;
    const uint8_t *end = body + sizeof(body);
    uint8_t sn[8];
    memcpy(sn, serial, sizeof(sn));
    sn[0] = (uint8_t)((sn[0] & 0x7fu) | 0x01u); /* positive, and 8 bytes long */
    if (put(&at, end, version_serial, sizeof(version_serial)) != 0 || put(&at, end, sn, sizeof(sn)) != 0 ||
        put(&at, end, alg_ecdsa_sha256, sizeof(alg_ecdsa_sha256)) != 0 || put(&at, end, name, sizeof(name)) != 0 ||
        put(&at, end, validity, sizeof(validity)) != 0 || put(&at, end, name, sizeof(name)) != 0 ||
        put(&at, end, spki_head, sizeof(spki_head)) != 0 || put(&at, end, point, DEVICE_CERT_POINT_LEN) != 0) {
        return 0;
    }
    return der_tlv(tbs, size, DER_SEQUENCE, body, (size_t)(at - body));
}

/* A 32-byte big-endian number as a DER INTEGER at out (at most 35 bytes). */
static size_t der_uint32(uint8_t *out, const uint8_t v[32])
{
    size_t skip = 0;
    while (skip < 31 && v[skip] == 0) {
        skip++;
    }
    uint8_t body[33];
    size_t n = 0;
    if (v[skip] & 0x80u) {
        body[n++] = 0; /* keep it positive */
    }
    memcpy(body + n, v + skip, 32 - skip);
    return der_tlv(out, 35, DER_INTEGER, body, n + 32 - skip);
}

size_t device_cert_make(const uint8_t *tbs, size_t tbs_len, const uint8_t rs[64], uint8_t *out, size_t size)
{
    /* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, in a BIT
     * STRING with no unused bits. */
    uint8_t sig[80];
    size_t n = 1;
    sig[0] = 0;
    size_t ints = der_uint32(sig + 3, rs);
    ints += der_uint32(sig + 3 + ints, rs + 32);
    n += der_tlv(sig + 1, sizeof(sig) - 1, DER_SEQUENCE, sig + 3, ints);

    uint8_t body[DEVICE_CERT_MAX], *at = body;
    const uint8_t *end = body + sizeof(body);
    uint8_t bits[84];
    size_t bits_len = der_tlv(bits, sizeof(bits), DER_BIT_STRING, sig, n);
    if (bits_len == 0 || put(&at, end, tbs, tbs_len) != 0 ||
        put(&at, end, alg_ecdsa_sha256, sizeof(alg_ecdsa_sha256)) != 0 || put(&at, end, bits, bits_len) != 0) {
        return 0;
    }
    return der_tlv(out, size, DER_SEQUENCE, body, (size_t)(at - body));
}

/* Take the TLV of tag at *p (before end): its content and length; *p moves
 * past it. Returns 0, or -1 if it is not there. */
static int der_take(const uint8_t **p, const uint8_t *end, uint8_t tag, const uint8_t **content, size_t *len)
{
    const uint8_t *q = *p;
    if (end - q < 2 || q[0] != tag) {
        return -1;
    }
    size_t n = q[1], h = 2;
    if (n == 0x81u || n == 0x82u) {
        h += n - 0x80u;
        if ((size_t)(end - q) < h) {
            return -1;
        }
        n = n == 0x81u ? q[2] : (size_t)q[2] << 8 | q[3];
    } else if (n >= 0x80u) {
        return -1;
    }
    if ((size_t)(end - q) - h < n) {
        return -1;
    }
    *content = q + h;
    *len = n;
    *p = q + h + n;
    return 0;
}

/* A DER INTEGER's magnitude as 32 big-endian bytes. */
static int der_get_uint32(const uint8_t **p, const uint8_t *end, uint8_t out[32])
{
    const uint8_t *v;
    size_t n;
    if (der_take(p, end, DER_INTEGER, &v, &n) != 0 || n == 0) {
        return -1;
    }
    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    if (n > 32) {
        return -1;
    }
    memset(out, 0, 32 - n);
    memcpy(out + 32 - n, v, n);
    return 0;
}

int device_cert_parse(const uint8_t *der, size_t len, device_cert_parts_t *parts)
{
    const uint8_t *p = der, *end = der + len, *cert, *body, *v;
    size_t cert_len, body_len, n;
    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature } */
    if (der_take(&p, end, DER_SEQUENCE, &cert, &cert_len) != 0) {
        return -1;
    }
    p = cert;
    end = cert + cert_len;
    parts->tbs = p;
    if (der_take(&p, end, DER_SEQUENCE, &body, &body_len) != 0) {
        return -1;
    }
    parts->tbs_len = (size_t)(p - parts->tbs);
    const uint8_t *sig_p = p;
    /* tbsCertificate: version, serial, signature, issuer, validity,
     * subject, subjectPublicKeyInfo { algorithm, BIT STRING point } */
    p = body;
    const uint8_t *tbs_end = body + body_len;
    if (der_take(&p, tbs_end, DER_VERSION, &v, &n) != 0 || der_take(&p, tbs_end, DER_INTEGER, &v, &n) != 0) {
        return -1;
    }
    for (int i = 0; i < 5; i++) {
        if (der_take(&p, tbs_end, DER_SEQUENCE, &v, &n) != 0) {
            return -1;
        }
    }
    const uint8_t *spki = v, *spki_end = v + n;
    if (der_take(&spki, spki_end, DER_SEQUENCE, &v, &n) != 0 ||
        der_take(&spki, spki_end, DER_BIT_STRING, &v, &n) != 0 || n != 1 + DEVICE_CERT_POINT_LEN || v[0] != 0 ||
        v[1] != 0x04) {
        return -1;
    }
    parts->point = v + 1;
    /* signatureAlgorithm, then signature BIT STRING { ECDSA-Sig-Value } */
    p = sig_p;
    if (der_take(&p, end, DER_SEQUENCE, &v, &n) != 0 || der_take(&p, end, DER_BIT_STRING, &v, &n) != 0 || n < 1 ||
        v[0] != 0) {
        return -1;
    }
    const uint8_t *s = v + 1, *s_end = v + n, *ints;
    size_t ints_len;
    if (der_take(&s, s_end, DER_SEQUENCE, &ints, &ints_len) != 0) {
        return -1;
    }
    s = ints;
    s_end = ints + ints_len;
    return der_get_uint32(&s, s_end, parts->rs) == 0 && der_get_uint32(&s, s_end, parts->rs + 32) == 0 ? 0 : -1;
}
