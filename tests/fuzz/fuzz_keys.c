/* libFuzzer target: key material from outside, as the crypto layer reads
 * it - PKCS#8 PrivateKeyInfo / OneAsymmetricKey (what C_UnwrapKey gets for
 * private keys), SEC1 ECPrivateKey and PKCS#1 RSAPrivateKey inside it, EC
 * points (CKA_EC_POINT, the ECDH peer), RSA components (C_CreateObject),
 * X.509 certificates (CKA_SUBJECT, CKA_ISSUER, CKA_SERIAL_NUMBER), and the
 * AES key wrap formats (KW, KWP) the unwrap mechanisms accept.
 *
 * Input: kind (1 byte), then what the kind reads:
 *   0 PKCS#8: flags (bit 0 KWP), DER. The harness wraps the DER under a
 *     fixed key (KW: zero-padded to whole blocks, as some wrappers do) and
 *     unwraps it with nvt_crypto_aes_kw_unwrap_private(), so that the
 *     decoder sees exactly these bytes.
 *   1 SEC1: curve (1 byte: P-256, P-384, another OID), ECPrivateKey DER,
 *     put into a PrivateKeyInfo by the harness, then as 0.
 *   2 PKCS#1: RSAPrivateKey DER, read as it is (nvt_crypto_rsa_der_read,
 *     8 parts; and as an RSAPublicKey, 2 parts) and inside a
 *     PrivateKeyInfo as 0.
 *   3 EC point: curve (1 byte), bytes: tok_ec_point(), then the point and
 *     the bytes as a private value checked by PSA.
 *   4 RSA components: 8 x (2-byte length, bytes), checked as a key pair
 *     and as a public key.
 *   5 X.509: DER.
 *   6 key wrap: flags (bit 0 KWP, bit 1 the bytes are the wrapped form),
 *     bytes: wrapped and unwrapped again (or unwrapped as they are).
 *
 * Checks: no crash, leak or undefined behaviour; what a decoder returns
 * lies inside what it was given; a key the PKCS#8 decoder accepts wraps
 * again and decodes to the same parts; a certificate's fields are the
 * elements they should be; wrapping and unwrapping give back the input. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"
#include "tok_mech.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nvt_fuzz_entropy_reset(7);
    FZ_CHECK(nvt_crypto_init() == NVT_OK, "nvt_crypto_init");
    return 0;
}

static const uint8_t kek[16] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
                                 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 };
static const uint8_t oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const uint8_t oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };

#define OUT_CAP 4096u

static int inside(const uint8_t *p, size_t len, const uint8_t *base, size_t base_len)
{
    return p >= base && len <= base_len && (size_t)(p - base) <= base_len - len;
}

/* A PrivateKeyInfo decoded after a wrap, and the round trip of what it
 * gives. */
static void pkcs8(int pad, const uint8_t *der, size_t len)
{
    size_t plain = pad ? len : (len < 16 ? 16 : (len + 7) / 8 * 8);
    if (plain == 0) {
        return;
    }
    uint8_t *buf = calloc(1, plain), *wrapped = malloc(plain + 16), *out = malloc(OUT_CAP);
    memcpy(buf, der, len);
    size_t wlen = 0;
    FZ_CHECK(nvt_crypto_aes_kw_wrap(pad, kek, sizeof(kek), buf, plain, wrapped, plain + 16, &wlen) == NVT_OK,
             "wrap of %zu bytes", plain);
    nvt_crypto_key_material_t m;
    int rc = nvt_crypto_aes_kw_unwrap_private(pad, kek, sizeof(kek), wrapped, wlen, out, OUT_CAP, &m);
    fz_trace("pkcs8 (%zu bytes, pad %d): %d", len, pad, rc);
    FZ_CHECK(rc == NVT_OK || rc == NVT_E_CORRUPT || rc == NVT_E_UNSUPPORTED || rc == NVT_E_INVALID ||
                 rc == NVT_E_BUFFER_TOO_SMALL,
             "unwrap_private: %d", rc);
    if (rc == NVT_OK) {
        FZ_CHECK(m.type == NVT_CRYPTO_KEY_EC_PAIR || m.type == NVT_CRYPTO_KEY_RSA_PAIR, "key type %d", (int)m.type);
        size_t parts = m.type == NVT_CRYPTO_KEY_RSA_PAIR ? NVT_CRYPTO_RSA_PARTS : 1;
        for (size_t i = 0; i < parts; i++) {
            FZ_CHECK(m.v[i].len == 0 || inside(m.v[i].p, m.v[i].len, out, OUT_CAP), "part %zu outside the buffer", i);
        }
        if (m.type == NVT_CRYPTO_KEY_EC_PAIR) {
            FZ_CHECK(m.v[0].len == nvt_crypto_curve_bytes(m.curve), "EC private value of %zu bytes", m.v[0].len);
        }
        /* wrapped again, decoded again: the same key */
        size_t need = 0;
        uint8_t *again = NULL, *out2 = malloc(OUT_CAP);
        int wr = nvt_crypto_aes_kw_wrap_private(1, kek, sizeof(kek), &m, NULL, 0, &need);
        if (wr == NVT_E_BUFFER_TOO_SMALL) {
            again = malloc(need);
            wr = nvt_crypto_aes_kw_wrap_private(1, kek, sizeof(kek), &m, again, need, &need);
        }
        /* an RSA key whose parts do not fit together cannot be encoded
         * again (its missing CRT parts are computed); every EC key can */
        FZ_CHECK(wr == NVT_OK || (m.type == NVT_CRYPTO_KEY_RSA_PAIR && (wr == NVT_E_INVALID || wr == NVT_E_UNSUPPORTED)),
                 "a decoded key does not wrap again: %d", wr);
        if (wr == NVT_OK) {
            nvt_crypto_key_material_t m2;
            FZ_CHECK(nvt_crypto_aes_kw_unwrap_private(1, kek, sizeof(kek), again, need, out2, OUT_CAP, &m2) == NVT_OK,
                     "a key the token wrapped does not unwrap");
            FZ_CHECK(m2.type == m.type && m2.curve == m.curve, "round trip: another kind of key");
            for (size_t i = 0; i < parts; i++) {
                /* RSA CRT parts may be recomputed when absent */
                if (m.type == NVT_CRYPTO_KEY_EC_PAIR || i < 3 || m.v[i].len > 0) {
                    FZ_CHECK(m2.v[i].len == m.v[i].len && memcmp(m2.v[i].p, m.v[i].p, m.v[i].len) == 0,
                             "round trip: part %zu differs", i);
                }
            }
        }
        (void)nvt_crypto_key_check(&m, NULL);
        free(again);
        free(out2);
    }
    free(buf);
    free(wrapped);
    free(out);
}

/* DER tag and length into out; returns the header's length. */
static size_t header(uint8_t *out, uint8_t tag, size_t len)
{
    out[0] = tag;
    if (len < 128) {
        out[1] = (uint8_t)len;
        return 2;
    }
    out[1] = 0x82;
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    return 4;
}

/* PrivateKeyInfo { 0, AlgorithmIdentifier { alg, params }, OCTET STRING { key } } */
static void wrap_in_pkcs8(int pad, const uint8_t *alg, size_t alg_len, const uint8_t *params, size_t params_len,
                          const uint8_t *key, size_t key_len)
{
    if (key_len > 60000) {
        return;
    }
    size_t alg_seq = alg_len + params_len;
    size_t body = 3 + 4 + alg_seq + 4 + key_len;
    uint8_t *der = malloc(body + 4), *p = der;
    size_t h = header(p, 0x30, 0);
    p += 4; /* the outer header is written last */
    static const uint8_t version[] = { 0x02, 0x01, 0x00 };
    memcpy(p, version, 3);
    p += 3;
    p += header(p, 0x30, alg_seq);
    memcpy(p, alg, alg_len);
    p += alg_len;
    if (params_len > 0) {
        memcpy(p, params, params_len);
        p += params_len;
    }
    p += header(p, 0x04, key_len);
    memcpy(p, key, key_len);
    p += key_len;
    size_t inner = (size_t)(p - der) - 4;
    h = header(der, 0x30, inner);
    memmove(der + h, der + 4, inner);
    pkcs8(pad, der, h + inner);
    free(der);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t alg_ec[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
    static const uint8_t alg_rsa[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
    static const uint8_t null_params[] = { 0x05, 0x00 };
    fz_in_t in = { data, size };
    unsigned kind = fz_u8(&in) % 7u;
    switch (kind) {
    case 0: {
        int pad = fz_u8(&in) & 1u;
        uint8_t *der = malloc(in.n);
        memcpy(der, in.p, in.n);
        pkcs8(pad, der, in.n);
        free(der);
        break;
    }
    case 1: {
        unsigned c = fz_u8(&in) % 3u;
        const uint8_t *oid = c == 0 ? oid_p256 : c == 1 ? oid_p384 : oid_p521;
        size_t oid_len = c == 0 ? sizeof(oid_p256) : sizeof(oid_p384);
        wrap_in_pkcs8(fz_u8(&in) & 1u, alg_ec, sizeof(alg_ec), oid, oid_len, in.p, in.n);
        break;
    }
    case 2: {
        uint8_t *der = malloc(in.n);
        memcpy(der, in.p, in.n);
        nvt_crypto_span_t parts[NVT_CRYPTO_RSA_PARTS];
        if (nvt_crypto_rsa_der_read(der, in.n, parts, NVT_CRYPTO_RSA_PARTS) == NVT_OK) {
            for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
                FZ_CHECK(parts[i].len == 0 || inside(parts[i].p, parts[i].len, der, in.n), "RSA part %zu outside", i);
            }
        }
        if (nvt_crypto_rsa_der_read(der, in.n, parts, 2) == NVT_OK) {
            FZ_CHECK((parts[0].len == 0 || inside(parts[0].p, parts[0].len, der, in.n)) &&
                         (parts[1].len == 0 || inside(parts[1].p, parts[1].len, der, in.n)),
                     "RSA public part outside");
        }
        wrap_in_pkcs8(1, alg_rsa, sizeof(alg_rsa), null_params, sizeof(null_params), der, in.n);
        free(der);
        break;
    }
    case 3: {
        nvt_crypto_curve_t curve = (fz_u8(&in) & 1u) ? NVT_CRYPTO_CURVE_P384 : NVT_CRYPTO_CURVE_P256;
        uint8_t *b = malloc(in.n);
        memcpy(b, in.p, in.n);
        nvt_crypto_span_t pt;
        nvt_crypto_key_material_t m;
        memset(&m, 0, sizeof(m));
        m.curve = curve;
        if (tok_ec_point(b, in.n, curve, &pt) == CKR_OK) {
            FZ_CHECK(inside(pt.p, pt.len, b, in.n) && pt.len == 2 * nvt_crypto_curve_bytes(curve) + 1,
                     "EC point outside, or of the wrong length");
            m.type = NVT_CRYPTO_KEY_EC_PUBLIC;
            m.v[0] = pt;
            int rc = nvt_crypto_key_check(&m, NULL);
            FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID, "EC public key check: %d", rc);
        }
        m.type = NVT_CRYPTO_KEY_EC_PAIR;
        m.v[0].p = b;
        m.v[0].len = in.n;
        int rc = nvt_crypto_key_check(&m, NULL);
        FZ_CHECK(rc == NVT_OK || rc == NVT_E_INVALID, "EC private value check: %d", rc);
        (void)nvt_crypto_curve_from_oid(b, in.n);
        free(b);
        break;
    }
    case 4: {
        uint8_t *blocks[NVT_CRYPTO_RSA_PARTS];
        nvt_crypto_key_material_t m;
        memset(&m, 0, sizeof(m));
        for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
            size_t len;
            const uint8_t *v = fz_bytes(&in, fz_u16(&in) % 1024u, &len);
            blocks[i] = malloc(len);
            if (len > 0) {
                memcpy(blocks[i], v, len);
            }
            m.v[i].p = len > 0 ? blocks[i] : NULL;
            m.v[i].len = len;
        }
        m.type = NVT_CRYPTO_KEY_RSA_PUBLIC;
        int rc = nvt_crypto_key_check(&m, NULL);
        fz_trace("RSA public: %d", rc);
        m.type = NVT_CRYPTO_KEY_RSA_PAIR;
        rc = nvt_crypto_key_check(&m, NULL);
        fz_trace("RSA pair: %d", rc);
        for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
            free(blocks[i]);
        }
        break;
    }
    case 5: {
        uint8_t *der = malloc(in.n);
        memcpy(der, in.p, in.n);
        nvt_crypto_x509_fields_t f;
        if (nvt_crypto_x509_fields(der, in.n, &f) == NVT_OK) {
            FZ_CHECK(inside(f.serial.p, f.serial.len, der, in.n) && f.serial.len >= 2 && f.serial.p[0] == 0x02,
                     "serial number: not an INTEGER in the certificate");
            FZ_CHECK(inside(f.issuer.p, f.issuer.len, der, in.n) && f.issuer.len >= 2 && f.issuer.p[0] == 0x30,
                     "issuer: not a SEQUENCE in the certificate");
            FZ_CHECK(inside(f.subject.p, f.subject.len, der, in.n) && f.subject.len >= 2 && f.subject.p[0] == 0x30,
                     "subject: not a SEQUENCE in the certificate");
        }
        free(der);
        break;
    }
    default: {
        unsigned fl = fz_u8(&in);
        int pad = fl & 1u;
        uint8_t *b = malloc(in.n), *w = malloc(in.n + 16), *u = malloc(in.n + 16);
        memcpy(b, in.p, in.n);
        size_t wl = 0, ul = 0;
        if (fl & 2u) {
            int rc = nvt_crypto_aes_kw_unwrap(pad, kek, sizeof(kek), b, in.n, u, in.n, &ul);
            FZ_CHECK(rc != NVT_OK || ul + 8 <= in.n, "unwrap gave %zu bytes of %zu", ul, in.n);
        } else if (nvt_crypto_aes_kw_wrap(pad, kek, sizeof(kek), b, in.n, w, in.n + 16, &wl) == NVT_OK) {
            FZ_CHECK(nvt_crypto_aes_kw_unwrap(pad, kek, sizeof(kek), w, wl, u, in.n + 16, &ul) == NVT_OK &&
                         ul == in.n && memcmp(u, b, in.n) == 0,
                     "wrap then unwrap does not give the input back");
        }
        free(b);
        free(w);
        free(u);
        break;
    }
    }
    return 0;
}
