/* A certificate authority in software for factory batches: its key and
 * certificate read with mbedTLS's PK and X.509 readers, device
 * certificates written with its X.509 certificate writer and checked with
 * its reader before they are handed out. Host builds only. See
 * nvt_crypto_pki.h. */
#include "nvt_crypto_pki.h"
#include "nvt_crypto_pki_internal.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/oid.h>
#include <mbedtls/platform.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/x509_crt.h>
#include <mbedtls/x509_csr.h>

/* Longest distinguished name this CA copies between request and
 * certificate, as text. */
#define NAME_MAX_TEXT 1024u

struct nvt_crypto_pki_ca {
    mbedtls_pk_context key;
    mbedtls_x509_crt cert;
    char subject[NAME_MAX_TEXT]; /* the CA's name, the certificates' issuer */
};

int nvt_crypto_pki_ca_open(nvt_crypto_pki_ca_t **out, const uint8_t *key, size_t key_len, const uint8_t *pass,
                           size_t pass_len, const uint8_t *cert, size_t cert_len)
{
    if (out == NULL || key == NULL || cert == NULL || (pass == NULL && pass_len > 0)) {
        return NVT_E_INVALID;
    }
    *out = NULL;
    int rc = nvt_crypto_init();
    if (rc != NVT_OK) {
        return rc;
    }
    nvt_crypto_pki_ca_t *ca = mbedtls_calloc(1, sizeof(*ca));
    if (ca == NULL) {
        return NVT_E_CRYPTO;
    }
    mbedtls_pk_init(&ca->key);
    mbedtls_x509_crt_init(&ca->cert);
    unsigned char *copy = NULL;
    const unsigned char *p = NULL;
    size_t len = 0;
    rc = nvt_crypto_pki_input(key, key_len, &copy, &p, &len);
    if (rc == NVT_OK) {
        int ret = nvt_crypto_pki_parse_key(&ca->key, p, len, copy != NULL, pass, pass_len);
        rc = ret == 0 ? NVT_OK : nvt_crypto_pki_error(ret);
        nvt_crypto_pki_input_free(copy, len);
    }
    if (rc == NVT_OK) {
        rc = nvt_crypto_pki_input(cert, cert_len, &copy, &p, &len);
        if (rc == NVT_OK) {
            int ret = copy != NULL ? mbedtls_x509_crt_parse(&ca->cert, p, len)
                                   : mbedtls_x509_crt_parse_der(&ca->cert, p, len);
            rc = ret == 0 && ca->cert.next == NULL ? NVT_OK : NVT_E_INVALID;
            nvt_crypto_pki_input_free(copy, len);
        }
    }
    if (rc == NVT_OK && mbedtls_x509_crt_get_ca_istrue(&ca->cert) != 1) {
        rc = NVT_E_INVALID; /* not a CA certificate */
    }
    if (rc == NVT_OK &&
        mbedtls_pk_check_pair(&ca->cert.pk, &ca->key, nvt_crypto_pki_random, MBEDTLS_PSA_RANDOM_STATE) != 0) {
        rc = NVT_E_VERIFY; /* the key is not the certificate's */
    }
    if (rc == NVT_OK && mbedtls_x509_dn_gets(ca->subject, sizeof(ca->subject), &ca->cert.subject) < 0) {
        rc = NVT_E_INVALID;
    }
    if (rc != NVT_OK) {
        nvt_crypto_pki_ca_close(ca);
        return rc;
    }
    *out = ca;
    return NVT_OK;
}

void nvt_crypto_pki_ca_close(nvt_crypto_pki_ca_t *ca)
{
    if (ca != NULL) {
        mbedtls_pk_free(&ca->key); /* zeroizes */
        mbedtls_x509_crt_free(&ca->cert);
        mbedtls_platform_zeroize(ca, sizeof(*ca));
        mbedtls_free(ca);
    }
}

/* "YYYYMMDDhhmmss" (UTC) of t seconds since 1970, as mbedTLS's writer takes
 * validity times; the civil date from the day count without the C
 * library's time zone machinery (H. Hinnant's days_from_civil inverse). */
static void utc_text(char out[16], int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, secs = t - days * 86400;
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    char text[80];
    (void)snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02d", (int)(y % 10000), (int)m, (int)d,
                   (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    memcpy(out, text, 14);
    out[14] = '\0';
}

/* The certificate's issuer is the CA's subject and its subject the
 * request's, byte for byte, and it verifies under the CA. */
static int check_issued(nvt_crypto_pki_ca_t *ca, const mbedtls_x509_csr *csr, const uint8_t *der, size_t len)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    uint32_t flags = 0;
    int rc = NVT_E_CRYPTO;
    if (mbedtls_x509_crt_parse_der(&crt, der, len) == 0 && crt.issuer_raw.len == ca->cert.subject_raw.len &&
        memcmp(crt.issuer_raw.p, ca->cert.subject_raw.p, crt.issuer_raw.len) == 0 &&
        crt.subject_raw.len == csr->subject_raw.len &&
        memcmp(crt.subject_raw.p, csr->subject_raw.p, crt.subject_raw.len) == 0 &&
        mbedtls_x509_crt_verify(&crt, &ca->cert, NULL, NULL, &flags, NULL, NULL) == 0) {
        rc = NVT_OK;
    }
    mbedtls_x509_crt_free(&crt);
    return rc;
}

/* The device certificate for csr into the end of out; its length. */
static int write_cert(nvt_crypto_pki_ca_t *ca, mbedtls_x509_csr *csr, int64_t not_before, uint32_t days,
                      uint8_t *out, size_t out_size, size_t *len)
{
    char subject[NAME_MAX_TEXT], from[16], to[16];
    unsigned char serial[16];
    if (mbedtls_x509_dn_gets(subject, sizeof(subject), &csr->subject) < 0) {
        return NVT_E_INVALID;
    }
    int rc = nvt_crypto_random(serial, sizeof(serial));
    if (rc != NVT_OK) {
        return rc;
    }
    serial[0] = (unsigned char)((serial[0] & 0x7fu) | 0x40u); /* positive, no leading zero: 16 bytes */
    utc_text(from, not_before);
    utc_text(to, not_before + (int64_t)days * 86400);
    static const char client_auth[] = MBEDTLS_OID_CLIENT_AUTH;
    mbedtls_asn1_sequence eku = { { MBEDTLS_ASN1_OID, sizeof(client_auth) - 1,
                                    (unsigned char *)(uintptr_t)client_auth },
                                  NULL };
    mbedtls_x509write_cert w;
    mbedtls_x509write_crt_init(&w);
    mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
    /* The digest as strong as an EC CA key (SHA-384 for P-384, SHA-512 for
     * P-521); SHA-256 for P-256 and RSA. */
    size_t ca_bits = mbedtls_pk_get_type(&ca->key) == MBEDTLS_PK_ECKEY ? mbedtls_pk_get_bitlen(&ca->key) : 0;
    mbedtls_x509write_crt_set_md_alg(&w, ca_bits > 384   ? MBEDTLS_MD_SHA512
                                         : ca_bits > 256 ? MBEDTLS_MD_SHA384
                                                         : MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&w, &csr->pk);
    mbedtls_x509write_crt_set_issuer_key(&w, &ca->key);
    int ret = mbedtls_x509write_crt_set_subject_name(&w, subject);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_issuer_name(&w, ca->subject);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_serial_raw(&w, serial, sizeof(serial));
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_validity(&w, from, to);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_basic_constraints(&w, 0, -1);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_key_usage(&w, MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_ext_key_usage(&w, &eku);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_subject_key_identifier(&w);
    ret = ret != 0 ? ret : mbedtls_x509write_crt_set_authority_key_identifier(&w);
    if (ret == 0) {
        ret = mbedtls_x509write_crt_der(&w, out, out_size, nvt_crypto_pki_random, MBEDTLS_PSA_RANDOM_STATE);
    }
    mbedtls_x509write_crt_free(&w);
    if (ret == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    if (ret <= 0) {
        return ret == MBEDTLS_ERR_X509_BAD_INPUT_DATA || ret == MBEDTLS_ERR_X509_INVALID_NAME ? NVT_E_INVALID
                                                                                             : NVT_E_CRYPTO;
    }
    *len = (size_t)ret;
    return NVT_OK;
}

int nvt_crypto_pki_ca_issue(nvt_crypto_pki_ca_t *ca, const uint8_t *csr_der, size_t csr_len, int64_t not_before,
                            uint32_t days, uint8_t *out, size_t out_size, size_t *len)
{
    if (ca == NULL || csr_der == NULL || out == NULL || len == NULL || days == 0 || days > 366u * 100u) {
        return NVT_E_INVALID;
    }
    int rc = nvt_crypto_init();
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_x509_csr csr;
    mbedtls_x509_csr_init(&csr);
    rc = mbedtls_x509_csr_parse_der(&csr, csr_der, csr_len) == 0 && csr.raw.len == csr_len ? NVT_OK : NVT_E_INVALID;
    if (rc == NVT_OK) {
        rc = nvt_crypto_pki_csr_verify(&csr);
    }
    size_t n = 0;
    if (rc == NVT_OK) {
        rc = write_cert(ca, &csr, not_before, days, out, out_size, &n);
    }
    if (rc == NVT_OK) {
        memmove(out, out + out_size - n, n); /* the writer fills the end */
        rc = check_issued(ca, &csr, out, n);
    }
    mbedtls_x509_csr_free(&csr);
    if (rc == NVT_OK) {
        *len = n;
    }
    return rc;
}
