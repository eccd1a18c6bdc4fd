/* libFuzzer target: the files the host's tools read (src/crypto/
 * nvt_crypto_pki.h) - private keys (PKCS#8, encrypted PKCS#8, SEC1,
 * PKCS#1, in PEM or DER), public keys, certificates, certificate requests,
 * subject names, and a CA's key and certificate together. A factory feeds
 * these to `nvtoken` from outside; none may crash it, leak, or leave key
 * bytes behind.
 *
 * Input: kind (1 byte), then what the kind reads:
 *   0 a private key file, no passphrase
 *   1 a private key file with a passphrase: its length (1 byte, at most
 *     the bytes left), the passphrase, the file
 *   2 a public key file
 *   3 a certificate file (nvt_crypto_pki_read_cert), then the DER it gives
 *     read as kind 4 reads it
 *   4 a DER certificate (nvt_crypto_pki_cert_info)
 *   5 a DER certificate request (nvt_crypto_pki_csr_read)
 *   6 a subject name (text), checked, then made into a request's
 *     CertificationRequestInfo for a fixed P-256 key
 *   7 a CA: the key file's length (2 bytes, little-endian), the key file,
 *     the certificate file (nvt_crypto_pki_ca_open)
 *
 * Checks: no crash, leak or undefined behaviour; the codes are the ones
 * each function documents; a key reader that fails leaves no byte of a key
 * in its output, and what it returns lies inside its output; what a
 * certificate or request reader points at lies inside its input; texts
 * are terminated inside their fields. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto.h"
#include "nvt_crypto_pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nvt_fuzz_entropy_reset(11);
    FZ_CHECK(nvt_crypto_init() == NVT_OK, "nvt_crypto_init");
    return 0;
}

static uint8_t out[NVT_CRYPTO_PKI_KEY_MAX];

static int inside(const uint8_t *p, size_t len, const uint8_t *base, size_t base_len)
{
    return len == 0 || (p >= base && len <= base_len && (size_t)(p - base) <= base_len - len);
}

static int all_zero(const uint8_t *p, size_t len)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < len; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static int terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

/* After a key reader: parts inside out on success, nothing left on error. */
static void check_key(int rc, const nvt_crypto_key_material_t *m, const char *what)
{
    if (rc != NVT_OK) {
        FZ_CHECK(rc == NVT_E_INVALID || rc == NVT_E_UNSUPPORTED || rc == NVT_E_VERIFY ||
                     rc == NVT_E_BUFFER_TOO_SMALL || rc == NVT_E_CRYPTO,
                 "%s: code %d", what, rc);
        FZ_CHECK(all_zero(out, sizeof(out)), "%s failed (%d) and left bytes in its output", what, rc);
        return;
    }
    for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
        FZ_CHECK(inside(m->v[i].p, m->v[i].len, out, sizeof(out)), "%s: part %zu outside the output", what, i);
    }
    FZ_CHECK(m->v[0].len > 0, "%s: no first part", what);
}

static void check_cert_info(const uint8_t *der, size_t len)
{
    nvt_crypto_pki_cert_info_t ci;
    int rc = nvt_crypto_pki_cert_info(der, len, &ci);
    FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID, "cert_info: code %d", rc);
    if (rc == NVT_OK) {
        FZ_CHECK(inside(ci.spki.p, ci.spki.len, der, len) && inside(ci.subject_der.p, ci.subject_der.len, der, len),
                 "cert_info: a span outside the certificate");
        FZ_CHECK(terminated(ci.subject, sizeof(ci.subject)) && terminated(ci.issuer, sizeof(ci.issuer)) &&
                     terminated(ci.not_before, sizeof(ci.not_before)) &&
                     terminated(ci.not_after, sizeof(ci.not_after)),
                 "cert_info: a text not terminated");
        FZ_CHECK(ci.serial_len <= sizeof(ci.serial), "cert_info: serial of %zu bytes", ci.serial_len);
    }
}

/* The subject name as text: the bytes up to the first NUL, at most 255. */
static void name(const uint8_t *p, size_t n)
{
    char subject[256];
    size_t len = n < sizeof(subject) - 1 ? n : sizeof(subject) - 1;
    memcpy(subject, p, len);
    subject[len] = '\0';
    int rc = nvt_crypto_pki_name_check(subject);
    FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID || rc == NVT_E_CRYPTO, "name_check: code %d", rc);
    if (rc != NVT_OK) {
        return;
    }
    /* a fixed P-256 public key: the generator's point */
    static const uint8_t g[65] = {
        0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
        0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96, 0x4f,
        0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce,
        0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
    };
    nvt_crypto_key_material_t pub;
    memset(&pub, 0, sizeof(pub));
    pub.type = NVT_CRYPTO_KEY_EC_PUBLIC;
    pub.curve = NVT_CRYPTO_CURVE_P256;
    pub.v[0].p = g;
    pub.v[0].len = sizeof(g);
    size_t info_len = 0;
    rc = nvt_crypto_pki_csr_info(subject, &pub, out, sizeof(out), &info_len);
    FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID || rc == NVT_E_BUFFER_TOO_SMALL || rc == NVT_E_CRYPTO,
             "csr_info: code %d", rc);
    FZ_CHECK(rc != NVT_OK || info_len <= sizeof(out), "csr_info: %zu bytes", info_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    unsigned kind = data[0] % 8u;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    nvt_crypto_key_material_t m;
    int rc;
    memset(out, 0, sizeof(out));
    memset(&m, 0, sizeof(m));
    switch (kind) {
    case 0:
        check_key(nvt_crypto_pki_read_private(p, n, NULL, 0, out, sizeof(out), &m), &m, "read_private");
        break;
    case 1: {
        size_t pass_len = n > 0 ? p[0] : 0;
        if (n == 0 || pass_len > n - 1) {
            return 0;
        }
        check_key(nvt_crypto_pki_read_private(p + 1 + pass_len, n - 1 - pass_len, p + 1, pass_len, out,
                                              sizeof(out), &m),
                  &m, "read_private with a passphrase");
        break;
    }
    case 2:
        rc = nvt_crypto_pki_read_public(p, n, out, sizeof(out), &m);
        if (rc == NVT_OK) {
            check_key(rc, &m, "read_public");
        } else {
            FZ_CHECK(rc == NVT_E_INVALID || rc == NVT_E_UNSUPPORTED || rc == NVT_E_BUFFER_TOO_SMALL,
                     "read_public: code %d", rc);
        }
        break;
    case 3: {
        size_t der_len = 0;
        rc = nvt_crypto_pki_read_cert(p, n, out, sizeof(out), &der_len);
        FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID || rc == NVT_E_UNSUPPORTED || rc == NVT_E_BUFFER_TOO_SMALL ||
                     rc == NVT_E_CRYPTO,
                 "read_cert: code %d", rc);
        if (rc == NVT_OK) {
            FZ_CHECK(der_len > 0 && der_len <= sizeof(out), "read_cert: %zu bytes", der_len);
            check_cert_info(out, der_len);
        }
        break;
    }
    case 4:
        check_cert_info(p, n);
        break;
    case 5: {
        char subject[128];
        nvt_crypto_span_t spki = { NULL, 0 };
        rc = nvt_crypto_pki_csr_read(p, n, subject, sizeof(subject), &spki);
        FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID || rc == NVT_E_VERIFY, "csr_read: code %d", rc);
        if (rc == NVT_OK) {
            FZ_CHECK(inside(spki.p, spki.len, p, n) && spki.len > 0, "csr_read: the key outside the request");
            FZ_CHECK(terminated(subject, sizeof(subject)), "csr_read: subject not terminated");
        }
        break;
    }
    case 6:
        name(p, n);
        break;
    default: {
        if (n < 2) {
            return 0;
        }
        size_t key_len = (size_t)p[0] | (size_t)p[1] << 8;
        if (key_len > n - 2) {
            return 0;
        }
        nvt_crypto_pki_ca_t *ca = NULL;
        rc = nvt_crypto_pki_ca_open(&ca, p + 2, key_len, NULL, 0, p + 2 + key_len, n - 2 - key_len);
        FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID || rc == NVT_E_VERIFY || rc == NVT_E_UNSUPPORTED ||
                     rc == NVT_E_CRYPTO,
                 "ca_open: code %d", rc);
        FZ_CHECK((rc == NVT_OK) == (ca != NULL), "ca_open: %d with a CA of %p", rc, (void *)ca);
        if (ca != NULL) {
            nvt_crypto_pki_ca_close(ca);
        }
        break;
    }
    }
    return 0;
}
