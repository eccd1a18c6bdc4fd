/* The crypto layer's host-only PKI functions (nvt_crypto_pki.h): key files
 * to key material and back, subject names (and the ones mbedTLS's reader
 * would shorten), requests around an outside signature, and the software
 * CA's certificates - their validity dates across leap years, issuer and
 * subject byte for byte. The fixtures (nvt_test_pki.h) were made once
 * with OpenSSL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_crypto.h"
#include "nvt_crypto_pki.h"
#include "nvt_test_pki.h"

static const uint8_t *u8(const char *s)
{
    return (const uint8_t *)s;
}

static void names_mbedtls_would_shorten_are_refused(void **state)
{
    (void)state;
    assert_int_equal(nvt_crypto_pki_name_check("CN=dev-0001"), NVT_OK);
    assert_int_equal(nvt_crypto_pki_name_check("CN=dev-0001,O=Acme\\, Inc.,C=DE"), NVT_OK);
    assert_int_equal(nvt_crypto_pki_name_check("/CN=dev 1/O=Acme, Inc."), NVT_OK);
    assert_int_equal(nvt_crypto_pki_name_check("CN=a=b"), NVT_OK);
    /* mbedTLS alone reads these as less than they say: a last part
     * without '=' vanishes, a type given twice keeps only its last value. */
    assert_int_equal(nvt_crypto_pki_name_check("CN=x,O=Acme, Inc."), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_name_check("OU=a,OU=b"), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_name_check(""), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_name_check("NOPE=x"), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_name_check("CN="), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_name_check(NULL), NVT_E_INVALID);
}

static void a_sec1_key_gives_its_parts(void **state)
{
    (void)state;
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX], spki[200];
    size_t spki_len = 0;
    nvt_crypto_key_material_t m;
    assert_int_equal(nvt_crypto_pki_read_private(u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0, parts,
                                                 sizeof(parts), &m),
                     NVT_OK);
    assert_int_equal(m.type, NVT_CRYPTO_KEY_EC_PAIR);
    assert_int_equal(m.curve, NVT_CRYPTO_CURVE_P256);
    assert_int_equal(m.v[0].len, 32);
    assert_int_equal(m.v[1].len, 65);
    assert_int_equal(m.v[1].p[0], 0x04);
    assert_int_equal(nvt_crypto_key_check(&m, NULL), NVT_OK);
    assert_int_equal(nvt_crypto_pki_write_public(&m, spki, sizeof(spki), &spki_len), NVT_OK);
    assert_int_equal(spki_len, 91); /* P-256 SubjectPublicKeyInfo */
    uint8_t point[65];
    memcpy(point, m.v[1].p, sizeof(point));
    /* Too small a buffer: an error, no key. */
    assert_int_equal(
        nvt_crypto_pki_read_private(u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0, parts, 40, &m),
                     NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(m.type, 0);
    /* The public key read back from the SubjectPublicKeyInfo. */
    nvt_crypto_key_material_t pub;
    uint8_t q[100];
    assert_int_equal(nvt_crypto_pki_read_public(spki, spki_len, q, sizeof(q), &pub), NVT_OK);
    assert_int_equal(pub.type, NVT_CRYPTO_KEY_EC_PUBLIC);
    assert_memory_equal(pub.v[0].p, point, 65);
    nvt_crypto_zeroize(parts, sizeof(parts));
}

static void broken_and_foreign_keys_are_told_apart(void **state)
{
    (void)state;
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX];
    nvt_crypto_key_material_t m;
    char broken[sizeof(test_device_key)];
    memcpy(broken, test_device_key, sizeof(broken));
    memset(broken + 40, '!', 8);
    assert_int_equal(nvt_crypto_pki_read_private(u8(broken), sizeof(broken) - 1, NULL, 0, parts, sizeof(parts), &m),
                     NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pki_read_private(u8(test_ca_cert), sizeof(test_ca_cert) - 1, NULL, 0, parts,
                                                 sizeof(parts), &m),
                     NVT_E_INVALID);
    /* PKCS#8 of Ed25519 (RFC 8410's example key), PEM and DER. */
    static const char ed25519[] = "-----BEGIN PRIVATE KEY-----\n"
                                  "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
                                  "-----END PRIVATE KEY-----\n";
    static const uint8_t ed25519_der[] = { 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
                                           0x04, 0x22, 0x04, 0x20, 0xd4, 0xee, 0x72, 0xdb, 0xf9, 0x13, 0x58, 0x4a,
                                           0xd5, 0xb6, 0xd8, 0xf1, 0xf7, 0x69, 0xf8, 0xad, 0x3a, 0xfe, 0x7c, 0x28,
                                           0xcb, 0xf1, 0xd4, 0xfb, 0xe0, 0x97, 0xa8, 0x8f, 0x44, 0x75, 0x58, 0x42 };
    assert_int_equal(nvt_crypto_pki_read_private(u8(ed25519), sizeof(ed25519) - 1, NULL, 0, parts, sizeof(parts), &m),
                     NVT_E_UNSUPPORTED);
    assert_int_equal(nvt_crypto_pki_read_private(ed25519_der, sizeof(ed25519_der), NULL, 0, parts, sizeof(parts), &m),
                     NVT_E_UNSUPPORTED);
}

/* A wrong passphrase that leaves valid padding (a factory tool run failed
 * on one, 1 time in 256: "not a private key" instead of "wrong
 * passphrase") is still a wrong passphrase, in PEM and in DER; with no
 * passphrase the key asks for one. */
static void a_wrong_passphrase_that_leaves_valid_padding_is_a_wrong_passphrase(void **state)
{
    (void)state;
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX];
    nvt_crypto_key_material_t m;
    static const uint8_t pass[] = "wrong";
    const struct {
        const uint8_t *in;
        size_t len;
        const uint8_t *pass;
        size_t pass_len;
    } cases[] = {
        { test_padded_garbage_der, sizeof(test_padded_garbage_der), pass, 5 },
        { u8(test_padded_garbage_pem), sizeof(test_padded_garbage_pem) - 1, pass, 5 },
        { test_padded_garbage_der, sizeof(test_padded_garbage_der), NULL, 0 },
        { u8(test_padded_garbage_pem), sizeof(test_padded_garbage_pem) - 1, NULL, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(nvt_crypto_pki_read_private(cases[i].in, cases[i].len, cases[i].pass, cases[i].pass_len,
                                                     parts, sizeof(parts), &m),
                         NVT_E_VERIFY);
    }
}

/* test_padded_garbage_der with another PBKDF2 iteration count: its
 * INTEGER (02 01 01 at byte 42) replaced by \p count, the lengths of the
 * five SEQUENCEs around it (bytes 1, 3, 16, 18, 31) grown to match. */
static size_t with_iterations(const uint8_t *count, size_t count_len, uint8_t *out)
{
    static const size_t at = 42, lengths[] = { 1, 3, 16, 18, 31 };
    const size_t len = sizeof(test_padded_garbage_der);
    assert_memory_equal(test_padded_garbage_der + at, "\x02\x01\x01", 3);
    memcpy(out, test_padded_garbage_der, at);
    out[at] = 0x02;
    out[at + 1] = (uint8_t)count_len;
    memcpy(out + at + 2, count, count_len);
    memcpy(out + at + 2 + count_len, test_padded_garbage_der + at + 3, len - at - 3);
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        out[lengths[i]] = (uint8_t)(out[lengths[i]] + count_len - 1);
    }
    return len + count_len - 1;
}

/* A key file asking for more PBKDF2 iterations than the reader runs
 * (NVT_CRYPTO_PKI_ITERATIONS_MAX; 2^31 would be hours) is refused before
 * any runs, in DER and PEM, as a key or as a CA's key; without a
 * passphrase it still asks for one. */
static void an_encrypted_key_asking_for_too_many_iterations_is_refused_before_they_run(void **state)
{
    (void)state;
    const uint32_t over = NVT_CRYPTO_PKI_ITERATIONS_MAX + 1u;
    const uint8_t counts[][5] = {
        { (uint8_t)(over >> 24), (uint8_t)(over >> 16), (uint8_t)(over >> 8), (uint8_t)over },
        { 0x7f, 0xff, 0xff, 0xff },
        { 0x01, 0x00, 0x00, 0x00, 0x00 }, /* 2^32: beyond 32 bits */
    };
    const size_t count_lens[] = { 4, 4, 5 };
    static const uint8_t pass[] = "wrong";
    uint8_t der[160], parts[NVT_CRYPTO_PKI_KEY_MAX];
    char pem[300];
    nvt_crypto_key_material_t m;
    for (size_t i = 0; i < sizeof(count_lens) / sizeof(count_lens[0]); i++) {
        size_t der_len = with_iterations(counts[i], count_lens[i], der), pem_len = 0;
        assert_int_equal(nvt_crypto_pki_pem_write("ENCRYPTED PRIVATE KEY", der, der_len, pem, sizeof(pem), &pem_len),
                         NVT_OK);
        const struct {
            const uint8_t *in;
            size_t len;
        } forms[] = { { der, der_len }, { u8(pem), pem_len } };
        for (size_t f = 0; f < 2; f++) {
            assert_int_equal(nvt_crypto_pki_read_private(forms[f].in, forms[f].len, pass, 5, parts, sizeof(parts), &m),
                             NVT_E_UNSUPPORTED);
            assert_int_equal(nvt_crypto_pki_read_private(forms[f].in, forms[f].len, NULL, 0, parts, sizeof(parts), &m),
                             NVT_E_VERIFY);
            /* the same as a CA's key */
            nvt_crypto_pki_ca_t *ca = NULL;
            assert_int_equal(nvt_crypto_pki_ca_open(&ca, forms[f].in, forms[f].len, pass, 5, u8(test_ca_cert),
                                                    sizeof(test_ca_cert) - 1),
                             NVT_E_UNSUPPORTED);
        }
    }
    /* a count under the limit is run as before (2: the passphrase is
     * wrong) */
    size_t der_len = with_iterations((const uint8_t *)"\x02", 1, der);
    assert_int_equal(nvt_crypto_pki_read_private(der, der_len, pass, 5, parts, sizeof(parts), &m), NVT_E_VERIFY);
}

static void pem_is_written_as_openssl_writes_it(void **state)
{
    (void)state;
    uint8_t der[1024];
    size_t der_len = 0, len = 0;
    char pem[2048];
    assert_int_equal(nvt_crypto_pki_read_cert(u8(test_ca_cert), sizeof(test_ca_cert) - 1, der, sizeof(der), &der_len),
                     NVT_OK);
    assert_int_equal(nvt_crypto_pki_pem_write("CERTIFICATE", der, der_len, NULL, 0, &len), NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(len, sizeof(test_ca_cert) - 1);
    assert_int_equal(nvt_crypto_pki_pem_write("CERTIFICATE", der, der_len, pem, sizeof(pem), &len), NVT_OK);
    assert_int_equal(len, sizeof(test_ca_cert) - 1);
    assert_memory_equal(pem, test_ca_cert, len);
    nvt_crypto_pki_cert_info_t info;
    assert_int_equal(nvt_crypto_pki_cert_info(der, der_len, &info), NVT_OK);
    assert_string_equal(info.subject, "CN=nvtoken unit test CA");
    assert_true(info.is_ca);
    assert_string_equal(info.not_after, "2126-11-13T00:47:31Z");
    assert_int_equal(info.spki.len, 91);
}

/* The device key loaded in PSA, to sign as a token would. */
static int sign_as_token(const uint8_t *info, size_t info_len, uint8_t *sig, size_t *sig_len)
{
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX], hash[32];
    nvt_crypto_key_material_t m;
    nvt_crypto_key_t key = 0;
    size_t hash_len = 0;
    int rc = nvt_crypto_pki_read_private(u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0, parts,
                                         sizeof(parts), &m);
    if (rc == NVT_OK) {
        rc = nvt_crypto_key_load(&m, NVT_CRYPTO_USE_EC, &key, NULL);
    }
    if (rc == NVT_OK) {
        rc = nvt_crypto_hash(NVT_CRYPTO_SHA256, info, info_len, hash, sizeof(hash), &hash_len);
    }
    if (rc == NVT_OK) {
        rc = nvt_crypto_sign_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, hash, hash_len, sig, 64, sig_len);
    }
    nvt_crypto_key_unload(key);
    nvt_crypto_zeroize(parts, sizeof(parts));
    return rc;
}

static void a_request_is_made_around_an_outside_signature(void **state)
{
    (void)state;
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX], info[1024], sig[64], csr[1200];
    size_t info_len = 0, sig_len = 0, csr_len = 0;
    nvt_crypto_key_material_t m;
    assert_int_equal(nvt_crypto_pki_read_private(u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0, parts,
                                                 sizeof(parts), &m),
                     NVT_OK);
    assert_int_equal(nvt_crypto_pki_csr_info("CN=dev-0001,O=Acme\\, Inc.", &m, info, sizeof(info), &info_len),
                     NVT_OK);
    assert_int_equal(sign_as_token(info, info_len, sig, &sig_len), NVT_OK);
    assert_int_equal(nvt_crypto_pki_csr_finish(info, info_len, NVT_CRYPTO_SHA256, sig, sig_len, csr, sizeof(csr),
                                               &csr_len),
                     NVT_OK);
    char subject[128];
    nvt_crypto_span_t spki;
    assert_int_equal(nvt_crypto_pki_csr_read(csr, csr_len, subject, sizeof(subject), &spki), NVT_OK);
    assert_string_equal(subject, "CN=dev-0001, O=Acme\\, Inc.");
    assert_int_equal(spki.len, 91);
    /* Another key's signature (or a damaged one) makes no request. */
    sig[5] ^= 0x40;
    assert_int_equal(nvt_crypto_pki_csr_finish(info, info_len, NVT_CRYPTO_SHA256, sig, sig_len, csr, sizeof(csr),
                                               &csr_len),
                     NVT_E_VERIFY);
    assert_int_equal(nvt_crypto_pki_csr_info("CN=x,O=Acme, Inc.", &m, info, sizeof(info), &info_len),
                     NVT_E_INVALID);
    nvt_crypto_zeroize(parts, sizeof(parts));
}

/* Seconds since 1970 of a UTC date (days_from_civil). */
static int64_t utc(int y, int mo, int d, int h)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + h * 3600;
}

static void the_ca_issues_with_the_dates_and_names_asked(void **state)
{
    (void)state;
    nvt_crypto_pki_ca_t *ca = NULL;
    uint8_t parts[NVT_CRYPTO_PKI_KEY_MAX], info[1024], sig[64], csr[1200], cert[2048];
    size_t info_len = 0, sig_len = 0, csr_len = 0, cert_len = 0;
    nvt_crypto_key_material_t m;
    assert_int_equal(nvt_crypto_pki_ca_open(&ca, u8(test_ca_key), sizeof(test_ca_key) - 1, NULL, 0, u8(test_ca_cert),
                                            sizeof(test_ca_cert) - 1),
                     NVT_OK);
    assert_int_equal(nvt_crypto_pki_read_private(u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0, parts,
                                                 sizeof(parts), &m),
                     NVT_OK);
    assert_int_equal(nvt_crypto_pki_csr_info("/CN=dev-0002/O=Acme", &m, info, sizeof(info), &info_len), NVT_OK);
    assert_int_equal(sign_as_token(info, info_len, sig, &sig_len), NVT_OK);
    assert_int_equal(nvt_crypto_pki_csr_finish(info, info_len, NVT_CRYPTO_SHA256, sig, sig_len, csr, sizeof(csr),
                                               &csr_len),
                     NVT_OK);
    /* Validity from the dates asked: the epoch, a leap day, and a year
     * across 2100 (no leap year). */
    const struct {
        int64_t from;
        uint32_t days;
        const char *not_before, *not_after;
    } dates[] = {
        { 0, 1, "1970-01-01T00:00:00Z", "1970-01-02T00:00:00Z" },
        { utc(2024, 2, 29, 12), 365, "2024-02-29T12:00:00Z", "2025-02-28T12:00:00Z" },
        { utc(2099, 12, 31, 23), 366, "2099-12-31T23:00:00Z", "2101-01-01T23:00:00Z" },
    };
    for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
        assert_int_equal(nvt_crypto_pki_ca_issue(ca, csr, csr_len, dates[i].from, dates[i].days, cert, sizeof(cert),
                                                 &cert_len),
                         NVT_OK);
        nvt_crypto_pki_cert_info_t ci;
        assert_int_equal(nvt_crypto_pki_cert_info(cert, cert_len, &ci), NVT_OK);
        assert_string_equal(ci.not_before, dates[i].not_before);
        assert_string_equal(ci.not_after, dates[i].not_after);
        assert_string_equal(ci.subject, "CN=dev-0002, O=Acme");
        assert_string_equal(ci.issuer, "CN=nvtoken unit test CA");
        assert_false(ci.is_ca);
        assert_int_equal(ci.serial_len, 16);
        assert_true((ci.serial[0] & 0x80) == 0 && ci.serial[0] != 0);
    }
    /* A request whose signature does not verify is not certified. */
    csr[csr_len - 3] ^= 0x01;
    assert_int_equal(nvt_crypto_pki_ca_issue(ca, csr, csr_len, 0, 1, cert, sizeof(cert), &cert_len), NVT_E_VERIFY);
    nvt_crypto_pki_ca_close(ca);
    /* A key that is not the certificate's: no CA. */
    assert_int_equal(nvt_crypto_pki_ca_open(&ca, u8(test_device_key), sizeof(test_device_key) - 1, NULL, 0,
                                            u8(test_ca_cert), sizeof(test_ca_cert) - 1),
                     NVT_E_VERIFY);
    assert_null(ca);
    nvt_crypto_zeroize(parts, sizeof(parts));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_mbedtls_would_shorten_are_refused),
        cmocka_unit_test(a_sec1_key_gives_its_parts),
        cmocka_unit_test(broken_and_foreign_keys_are_told_apart),
        cmocka_unit_test(a_wrong_passphrase_that_leaves_valid_padding_is_a_wrong_passphrase),
        cmocka_unit_test(an_encrypted_key_asking_for_too_many_iterations_is_refused_before_they_run),
        cmocka_unit_test(pem_is_written_as_openssl_writes_it),
        cmocka_unit_test(a_request_is_made_around_an_outside_signature),
        cmocka_unit_test(the_ca_issues_with_the_dates_and_names_asked),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nvt_crypto_free();
    return failed;
}
