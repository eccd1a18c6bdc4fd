/* Locating serial number, issuer and subject in a DER X.509 certificate
 * (RFC 5280 section 4.1) with mbedTLS's ASN.1 reader. See nvt_crypto.h. */
#include "nvt_crypto.h"

#include <mbedtls/asn1.h>

/* Read the element at *p (tag, length, contents), which must carry \p tag,
 * into span; leave *p after it. */
static int element(unsigned char **p, const unsigned char *end, int tag, nvt_crypto_span_t *span)
{
    unsigned char *start = *p;
    size_t len;
    if (mbedtls_asn1_get_tag(p, end, &len, tag) != 0) {
        return NVT_E_INVALID;
    }
    *p += len;
    if (span != NULL) {
        span->p = start;
        span->len = (size_t)(*p - start);
    }
    return NVT_OK;
}

int nvt_crypto_x509_fields(const uint8_t *der, size_t len, nvt_crypto_x509_fields_t *fields)
{
    if (der == NULL || fields == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    const int seq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    /* mbedTLS's reader takes non-const pointers but never writes. */
    unsigned char *p = (unsigned char *)(uintptr_t)der;
    const unsigned char *end = der + len;
    size_t n;

    /* Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } */
    if (mbedtls_asn1_get_tag(&p, end, &n, seq) != 0 || p + n != end) {
        return NVT_E_INVALID;
    }
    /* TBSCertificate ::= SEQUENCE { ... } */
    if (mbedtls_asn1_get_tag(&p, end, &n, seq) != 0) {
        return NVT_E_INVALID;
    }
    const unsigned char *tbs_end = p + n;
    /* version [0] EXPLICIT Version DEFAULT v1 */
    if (p < tbs_end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)) {
        if (element(&p, tbs_end, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0, NULL) != NVT_OK) {
            return NVT_E_INVALID;
        }
    }
    nvt_crypto_x509_fields_t f;
    if (element(&p, tbs_end, MBEDTLS_ASN1_INTEGER, &f.serial) != NVT_OK ||
        element(&p, tbs_end, seq, NULL) != NVT_OK ||        /* signature AlgorithmIdentifier */
        element(&p, tbs_end, seq, &f.issuer) != NVT_OK ||   /* issuer Name */
        element(&p, tbs_end, seq, NULL) != NVT_OK ||        /* validity */
        element(&p, tbs_end, seq, &f.subject) != NVT_OK) {  /* subject Name */
        return NVT_E_INVALID;
    }
    *fields = f;
    return NVT_OK;
}
