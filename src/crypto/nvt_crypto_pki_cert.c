/* Certificate files for the host tools: one X.509 certificate read from
 * PEM or DER with mbedTLS's X.509 reader, and what it says. Host builds
 * only. See nvt_crypto_pki.h. */
#include "nvt_crypto_pki.h"
#include "nvt_crypto_pki_internal.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/x509_crt.h>

int nvt_crypto_pki_read_cert(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *der_len)
{
    if (in == NULL || der_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    unsigned char *copy = NULL;
    const unsigned char *p = NULL;
    size_t len = 0;
    int rc = nvt_crypto_pki_input(in, in_len, &copy, &p, &len);
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_x509_crt chain;
    mbedtls_x509_crt_init(&chain);
    /* PEM: every CERTIFICATE block is read; a positive result counts the
     * blocks that failed. DER: exactly one certificate. */
    int ret = copy != NULL ? mbedtls_x509_crt_parse(&chain, p, len) : mbedtls_x509_crt_parse_der(&chain, p, len);
    if (ret != 0) {
        rc = ret > 0 ? NVT_E_INVALID : nvt_crypto_pki_error(ret);
    } else if (chain.raw.len == 0 || chain.next != NULL) {
        rc = NVT_E_INVALID; /* none, or more than one */
    } else if (chain.raw.len > out_size) {
        *der_len = chain.raw.len;
        rc = NVT_E_BUFFER_TOO_SMALL;
    } else {
        memcpy(out, chain.raw.p, chain.raw.len);
        *der_len = chain.raw.len;
    }
    mbedtls_x509_crt_free(&chain);
    nvt_crypto_pki_input_free(copy, len);
    return rc;
}

static void time_text(char out[21], const mbedtls_x509_time *t)
{
    char text[80]; /* room for any ints: the reader keeps them in range */
    (void)snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02dZ", t->year, t->mon, t->day, t->hour, t->min,
                   t->sec);
    memcpy(out, text, 20);
    out[20] = '\0';
}

int nvt_crypto_pki_cert_info(const uint8_t *der, size_t len, nvt_crypto_pki_cert_info_t *info)
{
    if (der == NULL || info == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    memset(info, 0, sizeof(*info));
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int rc = mbedtls_x509_crt_parse_der_nocopy(&crt, der, len) == 0 && crt.raw.len == len ? NVT_OK : NVT_E_INVALID;
    if (rc == NVT_OK) {
        /* A name too long for the field is cut (dn_gets then fails). */
        if (mbedtls_x509_dn_gets(info->subject, sizeof(info->subject), &crt.subject) < 0) {
            info->subject[sizeof(info->subject) - 1] = '\0';
        }
        if (mbedtls_x509_dn_gets(info->issuer, sizeof(info->issuer), &crt.issuer) < 0) {
            info->issuer[sizeof(info->issuer) - 1] = '\0';
        }
        time_text(info->not_before, &crt.valid_from);
        time_text(info->not_after, &crt.valid_to);
        info->serial_len = crt.serial.len < sizeof(info->serial) ? crt.serial.len : sizeof(info->serial);
        memcpy(info->serial, crt.serial.p, info->serial_len);
        info->is_ca = mbedtls_x509_crt_get_ca_istrue(&crt) == 1;
        info->spki.p = crt.pk_raw.p;
        info->spki.len = crt.pk_raw.len;
        info->subject_der.p = crt.subject_raw.p;
        info->subject_der.len = crt.subject_raw.len;
    }
    mbedtls_x509_crt_free(&crt);
    return rc;
}
