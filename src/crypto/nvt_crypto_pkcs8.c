/* Private keys wrapped with AES key wrap: the key as a PKCS#8
 * PrivateKeyInfo (RFC 5208; read also as RFC 5958 OneAsymmetricKey), the
 * encoding PKCS#11 prescribes for wrapping private keys. RSA keys carry an
 * RSAPrivateKey (RFC 8017 A.1.2), EC keys an ECPrivateKey (RFC 5915) with
 * its public key. The DER is written and read with mbedTLS's ASN.1 module
 * in buffers from mbedtls_calloc (at most about 2.5 KiB, RSA-4096), wiped
 * before they are freed. See nvt_crypto.h. */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>

/* AlgorithmIdentifier OIDs, DER: rsaEncryption (1.2.840.113549.1.1.1,
 * RFC 8017) and id-ecPublicKey (1.2.840.10045.2.1, RFC 5480). */
static const uint8_t oid_rsa[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
static const uint8_t oid_ec[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };

/* Room for the PrivateKeyInfo of an EC key: P-521's is 241 bytes. */
#define EC_DER_MAX 256u

/* ------------------------------------------------------------------------
 * Writing (mbedTLS's writers work backwards from the end of a buffer)
 * ---------------------------------------------------------------------- */

typedef struct writer {
    unsigned char *p;     /* next byte written is before p */
    unsigned char *start; /* buffer start */
    size_t len;           /* bytes written so far */
    int err;
} writer_t;

static void put(writer_t *w, const void *data, size_t n)
{
    int ret = w->err ? -1 : mbedtls_asn1_write_raw_buffer(&w->p, w->start, data, n);
    if (ret < 0) {
        w->err = 1;
    } else {
        w->len += (size_t)ret;
    }
}

/* The tag and length of an element whose contents are the last
 * (w->len - mark) bytes written. */
static void header(writer_t *w, size_t mark, unsigned char tag)
{
    int ret = w->err ? -1 : mbedtls_asn1_write_len(&w->p, w->start, w->len - mark);
    if (ret >= 0) {
        w->len += (size_t)ret;
        ret = mbedtls_asn1_write_tag(&w->p, w->start, tag);
    }
    if (ret < 0) {
        w->err = 1;
    } else {
        w->len += (size_t)ret;
    }
}

/* INTEGER 0 or 1 (the versions). */
static void small_int(writer_t *w, uint8_t v)
{
    const uint8_t der[3] = { MBEDTLS_ASN1_INTEGER, 1, v };
    put(w, der, sizeof(der));
}

/* PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { alg,
 * params }, privateKey OCTET STRING }, around the privateKey's contents
 * already written (w->len bytes). */
static void private_key_info(writer_t *w, const uint8_t *alg, size_t alg_len, const uint8_t *params,
                             size_t params_len)
{
    header(w, 0, MBEDTLS_ASN1_OCTET_STRING);
    size_t mark = w->len;
    put(w, params, params_len);
    put(w, alg, alg_len);
    header(w, mark, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
    small_int(w, 0);
    header(w, 0, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
}

/* The public point of private value d (curve bytes): PSA computes it, and
 * refuses a d that is not a valid private value. */
static int ec_public(nvt_crypto_curve_t curve, const uint8_t *d, size_t cb, uint8_t *q, size_t q_size,
                     size_t *q_len)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, nvt_crypto_curve_bits(curve));
    psa_set_key_lifetime(&a, PSA_KEY_LIFETIME_VOLATILE);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_status_t st = psa_import_key(&a, d, cb, &id);
    if (st == PSA_SUCCESS) {
        st = psa_export_public_key(id, q, q_size, q_len);
    }
    (void)psa_destroy_key(id);
    psa_reset_key_attributes(&a);
    return st == PSA_SUCCESS ? NVT_OK : st == PSA_ERROR_INVALID_ARGUMENT ? NVT_E_INVALID : nvt_crypto_from_psa(st);
}

/* The PrivateKeyInfo of an EC key pair into buf (EC_DER_MAX bytes). */
static int encode_ec(const nvt_crypto_key_material_t *m, unsigned char *buf, size_t size, unsigned char **der,
                     size_t *der_len)
{
    size_t cb = nvt_crypto_curve_bytes(m->curve), oid_len = 0, q_len = 0;
    const uint8_t *oid = nvt_crypto_curve_oid(m->curve, &oid_len);
    const uint8_t *d = m->v[0].p;
    size_t d_len = m->v[0].len;
    uint8_t raw[NVT_CRYPTO_EC_MAX_BYTES], q[1 + 2 * NVT_CRYPTO_EC_MAX_BYTES];
    if (cb == 0 || oid == NULL) {
        return NVT_E_UNSUPPORTED;
    }
    while (d != NULL && d_len > 0 && d[0] == 0) {
        d++;
        d_len--;
    }
    if (d == NULL || d_len == 0 || d_len > cb) {
        return NVT_E_INVALID;
    }
    memset(raw, 0, cb - d_len);
    memcpy(raw + cb - d_len, d, d_len);
    int rc = ec_public(m->curve, raw, cb, q, sizeof(q), &q_len);
    if (rc == NVT_OK) {
        /* ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING,
         *   [1] EXPLICIT publicKey BIT STRING } (parameters are in the
         * AlgorithmIdentifier, as RFC 5915 section 3 allows). */
        writer_t w = { buf + size, buf, 0, 0 };
        const uint8_t unused_bits = 0;
        put(&w, q, q_len);
        put(&w, &unused_bits, 1);
        header(&w, 0, MBEDTLS_ASN1_BIT_STRING);
        header(&w, 0, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1);
        size_t mark = w.len;
        put(&w, raw, cb);
        header(&w, mark, MBEDTLS_ASN1_OCTET_STRING);
        small_int(&w, 1);
        header(&w, 0, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
        private_key_info(&w, oid_ec, sizeof(oid_ec), oid, oid_len);
        rc = w.err ? NVT_E_CRYPTO : NVT_OK;
        *der = w.p;
        *der_len = w.len;
    }
    mbedtls_platform_zeroize(raw, sizeof(raw));
    return rc;
}

/* The PrivateKeyInfo of m in a buffer from mbedtls_calloc (*buf, *size;
 * the caller wipes and frees it when it is not NULL). */
static int encode(const nvt_crypto_key_material_t *m, unsigned char **buf, size_t *size, unsigned char **der,
                  size_t *der_len)
{
    *buf = NULL;
    *size = 0;
    if (m->type == NVT_CRYPTO_KEY_EC_PAIR) {
        *buf = mbedtls_calloc(1, EC_DER_MAX);
        if (*buf == NULL) {
            return NVT_E_CRYPTO;
        }
        *size = EC_DER_MAX;
        return encode_ec(m, *buf, EC_DER_MAX, der, der_len);
    }
    if (m->type != NVT_CRYPTO_KEY_RSA_PAIR) {
        return NVT_E_INVALID;
    }
    unsigned char *rsa_buf = NULL, *rsa_der = NULL;
    size_t rsa_size = 0, rsa_len = 0;
    int rc = nvt_crypto_rsa_der_alloc(m, &rsa_buf, &rsa_size, &rsa_der, &rsa_len);
    if (rc == NVT_OK) {
        static const uint8_t null_params[2] = { MBEDTLS_ASN1_NULL, 0 };
        size_t need = rsa_len + 40;
        *buf = mbedtls_calloc(1, need);
        if (*buf == NULL) {
            rc = NVT_E_CRYPTO;
        } else {
            *size = need;
            writer_t w = { *buf + need, *buf, 0, 0 };
            put(&w, rsa_der, rsa_len);
            private_key_info(&w, oid_rsa, sizeof(oid_rsa), null_params, sizeof(null_params));
            rc = w.err ? NVT_E_CRYPTO : NVT_OK;
            *der = w.p;
            *der_len = w.len;
        }
    }
    if (rsa_buf != NULL) {
        mbedtls_platform_zeroize(rsa_buf, rsa_size);
        mbedtls_free(rsa_buf);
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * Reading
 * ---------------------------------------------------------------------- */

/* The next element's tag must be \p tag; *n its length, *p its contents. */
static int get(unsigned char **p, const unsigned char *end, size_t *n, int tag)
{
    return mbedtls_asn1_get_tag(p, end, n, tag) == 0 ? NVT_OK : NVT_E_INVALID;
}

/* ECPrivateKey of \p curve (from the AlgorithmIdentifier): d into out at
 * the curve's width; an optional [0] curve must agree and an optional [1]
 * public key must be d's. */
static int decode_ec(unsigned char *p, const unsigned char *end, nvt_crypto_curve_t curve, uint8_t *out,
                     size_t out_size, nvt_crypto_key_material_t *m)
{
    size_t n, cb = nvt_crypto_curve_bytes(curve), oid_len = 0, q_len = 0;
    const uint8_t *oid = nvt_crypto_curve_oid(curve, &oid_len);
    int version;
    uint8_t q[1 + 2 * NVT_CRYPTO_EC_MAX_BYTES];
    if (cb == 0 || oid == NULL) {
        return NVT_E_UNSUPPORTED;
    }
    if (get(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != NVT_OK || p + n != end ||
        mbedtls_asn1_get_int(&p, end, &version) != 0 || version != 1 ||
        get(&p, end, &n, MBEDTLS_ASN1_OCTET_STRING) != NVT_OK || n == 0 || n > cb) {
        return NVT_E_INVALID;
    }
    if (out_size < cb) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    memset(out, 0, cb - n);
    memcpy(out + cb - n, p, n);
    p += n;
    int rc = ec_public(curve, out, cb, q, sizeof(q), &q_len);
    if (rc == NVT_OK && p < end && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)) {
        rc = get(&p, end, &n, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0);
        if (rc == NVT_OK && (n != oid_len || memcmp(p, oid, n) != 0)) {
            rc = NVT_E_INVALID;
        }
        p += rc == NVT_OK ? n : 0;
    }
    if (rc == NVT_OK && p < end) {
        unsigned char *bits = NULL;
        rc = get(&p, end, &n, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 1);
        if (rc == NVT_OK) {
            bits = p;
            rc = get(&bits, p + n, &n, MBEDTLS_ASN1_BIT_STRING);
        }
        if (rc == NVT_OK && (n != q_len + 1 || bits[0] != 0 || memcmp(bits + 1, q, q_len) != 0)) {
            rc = NVT_E_INVALID; /* a public key that is not d's */
        }
        p = rc == NVT_OK ? bits + n : p;
    }
    if (rc == NVT_OK && p != end) {
        rc = NVT_E_INVALID;
    }
    if (rc != NVT_OK) {
        mbedtls_platform_zeroize(out, cb);
        return rc;
    }
    m->type = NVT_CRYPTO_KEY_EC_PAIR;
    m->curve = curve;
    m->v[0].p = out;
    m->v[0].len = cb;
    return NVT_OK;
}

/* RSAPrivateKey: its eight parts copied into out one after the other. */
static int decode_rsa(const unsigned char *p, const unsigned char *end, uint8_t *out, size_t out_size,
                      nvt_crypto_key_material_t *m)
{
    nvt_crypto_span_t parts[NVT_CRYPTO_RSA_PARTS];
    int rc = nvt_crypto_rsa_der_read(p, (size_t)(end - p), parts, NVT_CRYPTO_RSA_PARTS);
    if (rc != NVT_OK) {
        return rc;
    }
    size_t used = 0;
    for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
        if (parts[i].len > out_size - used) {
            mbedtls_platform_zeroize(out, used);
            return NVT_E_BUFFER_TOO_SMALL;
        }
        memcpy(out + used, parts[i].p, parts[i].len);
        m->v[i].p = out + used;
        m->v[i].len = parts[i].len;
        used += parts[i].len;
    }
    m->type = NVT_CRYPTO_KEY_RSA_PAIR;
    m->curve = NVT_CRYPTO_CURVE_NONE;
    return NVT_OK;
}

/* A PrivateKeyInfo (or OneAsymmetricKey) spanning der[0..len), followed by
 * at most \p slack zero bytes (KW: padding some wrappers add). */
static int decode(unsigned char *der, size_t len, size_t slack, uint8_t *out, size_t out_size,
                  nvt_crypto_key_material_t *m)
{
    unsigned char *p = der, *end = der + len, *alg_end;
    size_t n;
    int version;
    if (get(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != NVT_OK) {
        return NVT_E_INVALID;
    }
    const unsigned char *seq_end = p + n;
    if ((size_t)(end - seq_end) > slack) {
        return NVT_E_INVALID;
    }
    for (const unsigned char *z = seq_end; z < end; z++) {
        if (*z != 0) {
            return NVT_E_INVALID;
        }
    }
    end = der + (seq_end - der);
    if (mbedtls_asn1_get_int(&p, end, &version) != 0 || (version != 0 && version != 1) ||
        get(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != NVT_OK) {
        return NVT_E_INVALID;
    }
    alg_end = p + n;
    const unsigned char *alg = p;
    if (get(&p, alg_end, &n, MBEDTLS_ASN1_OID) != NVT_OK) {
        return NVT_E_INVALID;
    }
    p += n;
    size_t alg_len = (size_t)(p - alg);
    const unsigned char *params = p;
    size_t params_len = (size_t)(alg_end - p);
    p = alg_end;
    if (get(&p, end, &n, MBEDTLS_ASN1_OCTET_STRING) != NVT_OK) {
        return NVT_E_INVALID;
    }
    /* What follows the private key (attributes, a v2 public key) is not
     * kept: the token stores the key's own parts. */
    if (alg_len == sizeof(oid_rsa) && memcmp(alg, oid_rsa, alg_len) == 0) {
        if (params_len != 0 && (params_len != 2 || params[0] != MBEDTLS_ASN1_NULL || params[1] != 0)) {
            return NVT_E_INVALID;
        }
        return decode_rsa(p, p + n, out, out_size, m);
    }
    if (alg_len == sizeof(oid_ec) && memcmp(alg, oid_ec, alg_len) == 0) {
        nvt_crypto_curve_t curve = nvt_crypto_curve_from_oid(params, params_len);
        if (curve == NVT_CRYPTO_CURVE_NONE) {
            return NVT_E_UNSUPPORTED;
        }
        return decode_ec(p, p + n, curve, out, out_size, m);
    }
    return NVT_E_UNSUPPORTED;
}

/* ------------------------------------------------------------------------
 * Wrapping
 * ---------------------------------------------------------------------- */

int nvt_crypto_aes_kw_wrap_private(int pad, const uint8_t *kek, size_t kek_len, const nvt_crypto_key_material_t *m,
                                   uint8_t *out, size_t out_size, size_t *out_len)
{
    if (m == NULL || kek == NULL || out_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    unsigned char *buf = NULL, *der = NULL;
    size_t size = 0, der_len = 0;
    int rc = encode(m, &buf, &size, &der, &der_len);
    if (rc == NVT_OK) {
        /* KWP's exact length; for KW the same, a bound (section 5.2 of
         * PKCS#11 lets a length query answer one): KW takes whole 8-byte
         * blocks only, and an encoding that is not one is refused below. */
        size_t need = (der_len + 7) / 8 * 8 + 8;
        if (out == NULL || out_size < need) {
            *out_len = need;
            rc = NVT_E_BUFFER_TOO_SMALL;
        } else if (!pad && der_len % 8 != 0) {
            rc = NVT_E_UNSUPPORTED;
        } else {
            rc = nvt_crypto_aes_kw_wrap(pad, kek, kek_len, der, der_len, out, out_size, out_len);
        }
    }
    if (buf != NULL) {
        mbedtls_platform_zeroize(buf, size);
        mbedtls_free(buf);
    }
    return rc;
}

int nvt_crypto_aes_kw_unwrap_private(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                                     uint8_t *out, size_t out_size, nvt_crypto_key_material_t *m)
{
    if (m == NULL || kek == NULL || in == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    if (in_len < 24 || in_len % 8 != 0) {
        return NVT_E_INVALID;
    }
    memset(m, 0, sizeof(*m));
    unsigned char *der = mbedtls_calloc(1, in_len);
    size_t len = 0;
    if (der == NULL) {
        return NVT_E_CRYPTO;
    }
    int rc = nvt_crypto_aes_kw_unwrap(pad, kek, kek_len, in, in_len, der, in_len, &len);
    if (rc == NVT_OK) {
        rc = decode(der, len, pad ? 0 : 7, out, out_size, m);
        rc = rc == NVT_E_INVALID ? NVT_E_CORRUPT : rc;
    }
    mbedtls_platform_zeroize(der, in_len);
    mbedtls_free(der);
    return rc;
}
