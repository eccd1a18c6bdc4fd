/* Key files for the host tools: private and public keys read with
 * mbedTLS's PK parser (PKCS#8, encrypted PKCS#8, SEC1, PKCS#1; PEM or
 * DER), public keys written as SubjectPublicKeyInfo with its PK writer,
 * DER written as PEM. Host builds only. See nvt_crypto_pki.h. */
#include "nvt_crypto_pki.h"
#include "nvt_crypto_pki_internal.h"

#include <stdio.h>
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/error.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/rsa.h>

/* ------------------------------------------------------------------------
 * Shared by the PKI files
 * ---------------------------------------------------------------------- */

/* The boundary lines of an encrypted PKCS#8 key in PEM. */
static const char encrypted_begin[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
static const char encrypted_end[] = "-----END ENCRYPTED PRIVATE KEY-----";

/* Whether the n bytes at p hold the text t (a PEM boundary line). */
static int holds_text(const unsigned char *p, size_t n, const char *t)
{
    size_t k = strlen(t);
    for (size_t i = 0; i + k <= n; i++) {
        if (memcmp(p + i, t, k) == 0) {
            return 1;
        }
    }
    return 0;
}

int nvt_crypto_pki_input(const uint8_t *in, size_t in_len, unsigned char **buf, const unsigned char **p,
                         size_t *len)
{
    *buf = NULL;
    if (in == NULL || in_len == 0) {
        return NVT_E_INVALID;
    }
    if (!holds_text(in, in_len, "-----BEGIN ")) {
        *p = in;
        *len = in_len;
        return NVT_OK;
    }
    *buf = mbedtls_calloc(1, in_len + 1);
    if (*buf == NULL) {
        return NVT_E_CRYPTO;
    }
    memcpy(*buf, in, in_len);
    *p = *buf;
    *len = in_len + 1; /* the NUL mbedTLS's PEM reader wants counted */
    return NVT_OK;
}

void nvt_crypto_pki_input_free(unsigned char *buf, size_t len)
{
    if (buf != NULL) {
        mbedtls_platform_zeroize(buf, len);
        mbedtls_free(buf);
    }
}

int nvt_crypto_pki_error(int ret)
{
    /* A high-level module's code, without the low-level one added to it. */
    switch (-((-ret) & 0x7F80)) {
    case MBEDTLS_ERR_PK_PASSWORD_REQUIRED:
    case MBEDTLS_ERR_PK_PASSWORD_MISMATCH:
    case MBEDTLS_ERR_PEM_PASSWORD_REQUIRED:
    case MBEDTLS_ERR_PEM_PASSWORD_MISMATCH:
    case MBEDTLS_ERR_PKCS5_PASSWORD_MISMATCH:
        return NVT_E_VERIFY;
    case MBEDTLS_ERR_PK_UNKNOWN_PK_ALG:
    case MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE:
    case MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE:
    case MBEDTLS_ERR_PEM_FEATURE_UNAVAILABLE:
    case MBEDTLS_ERR_PKCS5_FEATURE_UNAVAILABLE:
        return NVT_E_UNSUPPORTED;
    case MBEDTLS_ERR_PK_ALLOC_FAILED:
    case MBEDTLS_ERR_PEM_ALLOC_FAILED:
    case MBEDTLS_ERR_X509_ALLOC_FAILED:
        return NVT_E_CRYPTO;
    default:
        return NVT_E_INVALID;
    }
}

int nvt_crypto_pki_random(void *ctx, unsigned char *out, size_t len)
{
    return mbedtls_psa_get_random(ctx, out, len);
}

/* ------------------------------------------------------------------------
 * Material out of a parsed key
 * ---------------------------------------------------------------------- */

/* The token's curve for an mbedTLS group (through its OID, so every curve
 * the crypto layer names is found); NONE for others. */
static nvt_crypto_curve_t curve_of(mbedtls_ecp_group_id gid)
{
    const char *oid;
    size_t oid_len;
    uint8_t der[2 + 16];
    if (mbedtls_oid_get_oid_by_ec_grp(gid, &oid, &oid_len) != 0 || oid_len > sizeof(der) - 2) {
        return NVT_CRYPTO_CURVE_NONE;
    }
    der[0] = MBEDTLS_ASN1_OID;
    der[1] = (uint8_t)oid_len;
    memcpy(der + 2, oid, oid_len);
    return nvt_crypto_curve_from_oid(der, oid_len + 2);
}

/* Append a big number's magnitude to out at *used, as part i of m. */
static int put_mpi(const mbedtls_mpi *x, uint8_t *out, size_t out_size, size_t *used, nvt_crypto_key_material_t *m,
                   size_t i)
{
    size_t n = mbedtls_mpi_size(x);
    if (n == 0 || n > out_size - *used) {
        return n == 0 ? NVT_E_INVALID : NVT_E_BUFFER_TOO_SMALL;
    }
    if (mbedtls_mpi_write_binary(x, out + *used, n) != 0) {
        return NVT_E_CRYPTO;
    }
    m->v[i].p = out + *used;
    m->v[i].len = n;
    *used += n;
    return NVT_OK;
}

static int rsa_material(const mbedtls_rsa_context *rsa, int private, uint8_t *out, size_t out_size,
                        nvt_crypto_key_material_t *m)
{
    /* In the order of nvt_crypto_key_material_t: n, e, d, p, q, dp, dq, qinv. */
    mbedtls_mpi part[NVT_CRYPTO_RSA_PARTS];
    for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
        mbedtls_mpi_init(&part[i]);
    }
    int rc = NVT_E_CRYPTO;
    size_t n_parts = private ? NVT_CRYPTO_RSA_PARTS : 2, used = 0;
    if (mbedtls_rsa_export(rsa, &part[0], private ? &part[3] : NULL, private ? &part[4] : NULL,
                           private ? &part[2] : NULL, &part[1]) == 0 &&
        (!private || mbedtls_rsa_export_crt(rsa, &part[5], &part[6], &part[7]) == 0)) {
        rc = NVT_OK;
    }
    for (size_t i = 0; rc == NVT_OK && i < n_parts; i++) {
        rc = put_mpi(&part[i], out, out_size, &used, m, i);
    }
    for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
        mbedtls_mpi_free(&part[i]); /* zeroizes */
    }
    if (rc != NVT_OK) {
        mbedtls_platform_zeroize(out, used);
        return rc;
    }
    m->type = private ? NVT_CRYPTO_KEY_RSA_PAIR : NVT_CRYPTO_KEY_RSA_PUBLIC;
    return NVT_OK;
}

static int ec_material(const mbedtls_ecp_keypair *kp, int private, uint8_t *out, size_t out_size,
                       nvt_crypto_key_material_t *m)
{
    nvt_crypto_curve_t curve = curve_of(mbedtls_ecp_keypair_get_group_id(kp));
    size_t cb = nvt_crypto_curve_bytes(curve), d_len = 0, q_len = 0;
    if (curve == NVT_CRYPTO_CURVE_NONE || cb == 0) {
        return NVT_E_UNSUPPORTED;
    }
    if (out_size < (private ? cb : 0) + 1 + 2 * cb) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    if (private && (mbedtls_ecp_write_key_ext(kp, &d_len, out, out_size) != 0 || d_len != cb)) {
        mbedtls_platform_zeroize(out, out_size);
        return NVT_E_CRYPTO;
    }
    if (mbedtls_ecp_write_public_key(kp, MBEDTLS_ECP_PF_UNCOMPRESSED, &q_len, out + d_len, out_size - d_len) != 0) {
        mbedtls_platform_zeroize(out, d_len);
        return NVT_E_CRYPTO;
    }
    m->curve = curve;
    if (private) {
        m->type = NVT_CRYPTO_KEY_EC_PAIR;
        m->v[0].p = out;
        m->v[0].len = d_len;
        m->v[1].p = out + d_len;
        m->v[1].len = q_len;
    } else {
        m->type = NVT_CRYPTO_KEY_EC_PUBLIC;
        m->v[0].p = out;
        m->v[0].len = q_len;
    }
    return NVT_OK;
}

int nvt_crypto_pki_material(const mbedtls_pk_context *pk, int private, uint8_t *out, size_t out_size,
                            nvt_crypto_key_material_t *m)
{
    memset(m, 0, sizeof(*m));
    switch (mbedtls_pk_get_type(pk)) {
    case MBEDTLS_PK_RSA:
        return rsa_material(mbedtls_pk_rsa(*pk), private, out, out_size, m);
    case MBEDTLS_PK_ECKEY:
        return ec_material(mbedtls_pk_ec(*pk), private, out, out_size, m);
    default:
        return NVT_E_UNSUPPORTED; /* ECDH-only keys, RSA-PSS-only keys, ... */
    }
}

/* ------------------------------------------------------------------------
 * Reading keys
 * ---------------------------------------------------------------------- */

static int oid_is(const mbedtls_asn1_buf *oid, const uint8_t *want, size_t len)
{
    return oid->len == len && memcmp(oid->p, want, len) == 0;
}

/* Why DER that mbedTLS's key parser refused is not a key it reads, as far
 * as the outer structure tells: an encrypted PKCS#8 (NVT_E_VERIFY: without
 * a passphrase, mbedTLS tries that form only when given one; with one, it
 * decrypted to no key - a wrong passphrase that left valid CBC padding,
 * once in 256 tries), a PKCS#8 or SEC1 key of an algorithm or curve not
 * read here (NVT_E_UNSUPPORTED), or anything else (NVT_E_INVALID). */
static int der_why(const unsigned char *der, size_t len)
{
    static const uint8_t oid_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
    static const uint8_t oid_ec[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
    const int seq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    unsigned char *p = (unsigned char *)(uintptr_t)der; /* read only */
    const unsigned char *end = der + len;
    size_t n;
    int version;
    mbedtls_asn1_buf alg, params;
    if (mbedtls_asn1_get_tag(&p, end, &n, seq) != 0) {
        return NVT_E_INVALID;
    }
    end = p + n;
    if (p < end && *p == seq) {
        /* EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING } */
        return mbedtls_asn1_get_alg(&p, end, &alg, &params) == 0 ? NVT_E_VERIFY : NVT_E_INVALID;
    }
    if (mbedtls_asn1_get_int(&p, end, &version) != 0) {
        return NVT_E_INVALID;
    }
    if (p < end && *p == seq) {
        /* PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, ... } */
        if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0) {
            return NVT_E_INVALID;
        }
        if (oid_is(&alg, oid_rsa, sizeof(oid_rsa))) {
            return NVT_E_INVALID;
        }
        if (!oid_is(&alg, oid_ec, sizeof(oid_ec)) || params.tag != MBEDTLS_ASN1_OID) {
            return NVT_E_UNSUPPORTED;
        }
    } else {
        /* ECPrivateKey ::= SEQUENCE { 1, OCTET STRING, [0] namedCurve, ... } */
        if (version != 1 || mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_OCTET_STRING) != 0) {
            return NVT_E_INVALID;
        }
        p += n;
        if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0) != 0 ||
            mbedtls_asn1_get_tag(&p, end, &params.len, MBEDTLS_ASN1_OID) != 0) {
            return NVT_E_INVALID;
        }
        params.p = p;
    }
    mbedtls_ecp_group_id gid;
    params.tag = MBEDTLS_ASN1_OID;
    return mbedtls_oid_get_ec_grp(&params, &gid) != 0 || curve_of(gid) == NVT_CRYPTO_CURVE_NONE ? NVT_E_UNSUPPORTED
                                                                                               : NVT_E_INVALID;
}

/* The PBKDF2 iteration count an encrypted key asks for (RFC 8018): in DER,
 *   EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier {PBES2,
 *     SEQUENCE { AlgorithmIdentifier {PBKDF2, SEQUENCE { salt OCTET STRING,
 *     iterationCount INTEGER, ... }}, ... }}, ... }
 * 0 for anything else (mbedTLS judges it); UINT32_MAX for counts beyond
 * 32 bits. */
static uint32_t pbkdf2_iterations(const unsigned char *der, size_t len)
{
    static const uint8_t oid_pbes2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
    static const uint8_t oid_pbkdf2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
    const int seq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    unsigned char *p = (unsigned char *)(uintptr_t)der; /* read only */
    const unsigned char *end = der + len;
    mbedtls_asn1_buf alg, params;
    size_t n;
    if (mbedtls_asn1_get_tag(&p, end, &n, seq) != 0) {
        return 0;
    }
    end = p + n;
    for (int level = 0; level < 2; level++) { /* PBES2, then PBKDF2 */
        if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0 || params.tag != seq ||
            !oid_is(&alg, level == 0 ? oid_pbes2 : oid_pbkdf2, sizeof(oid_pbes2))) { /* both 9 bytes */
            return 0;
        }
        p = params.p;
        end = p + params.len;
    }
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_OCTET_STRING) != 0) {
        return 0;
    }
    p += n;
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_INTEGER) != 0) {
        return 0;
    }
    uint32_t count = 0;
    for (; n > 0; n--, p++) {
        if (count > 0xFFFFFFu) {
            return UINT32_MAX;
        }
        count = count << 8 | *p;
    }
    return count;
}

/* Whether an encrypted key asks for more PBKDF2 iterations than a reader
 * runs (PEM: its DER looked at first). */
static int too_many_iterations(const unsigned char *p, size_t len, int pem)
{
    if (!pem) {
        return pbkdf2_iterations(p, len) > NVT_CRYPTO_PKI_ITERATIONS_MAX;
    }
    mbedtls_pem_context ctx;
    size_t used = 0, der_len = 0;
    int too_many = 0;
    mbedtls_pem_init(&ctx);
    if (mbedtls_pem_read_buffer(&ctx, encrypted_begin, encrypted_end, p, NULL, 0, &used) == 0) {
        const unsigned char *der = mbedtls_pem_get_buffer(&ctx, &der_len);
        too_many = pbkdf2_iterations(der, der_len) > NVT_CRYPTO_PKI_ITERATIONS_MAX;
    }
    mbedtls_pem_free(&ctx);
    return too_many;
}

int nvt_crypto_pki_parse_key(mbedtls_pk_context *pk, const unsigned char *p, size_t len, int pem,
                             const uint8_t *pass, size_t pass_len)
{
    if (pass_len > 0 && too_many_iterations(p, len, pem)) {
        return MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE;
    }
    return mbedtls_pk_parse_key(pk, p, len, pass, pass_len, nvt_crypto_pki_random, MBEDTLS_PSA_RANDOM_STATE);
}

int nvt_crypto_pki_read_private(const uint8_t *in, size_t in_len, const uint8_t *pass, size_t pass_len,
                                uint8_t *out, size_t out_size, nvt_crypto_key_material_t *m)
{
    if (in == NULL || m == NULL || (out == NULL && out_size > 0) || (pass == NULL && pass_len > 0)) {
        return NVT_E_INVALID;
    }
    memset(m, 0, sizeof(*m));
    int rc = nvt_crypto_init();
    unsigned char *copy = NULL;
    const unsigned char *p = NULL;
    size_t len = 0;
    if (rc == NVT_OK) {
        rc = nvt_crypto_pki_input(in, in_len, &copy, &p, &len);
    }
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret = nvt_crypto_pki_parse_key(&pk, p, len, copy != NULL, pass, pass_len);
    if (ret == 0) {
        rc = nvt_crypto_pki_material(&pk, 1, out, out_size, m);
    } else if (copy == NULL && -((-ret) & 0x7F80) == MBEDTLS_ERR_PK_KEY_INVALID_FORMAT) {
        rc = der_why(p, len); /* mbedTLS tells DER forms apart less */
    } else {
        rc = nvt_crypto_pki_error(ret);
        if (rc == NVT_E_INVALID && pass_len > 0 && holds_text(p, len, encrypted_begin)) {
            rc = NVT_E_VERIFY; /* decrypted to no key: as der_why() says */
        }
    }
    mbedtls_pk_free(&pk);
    nvt_crypto_pki_input_free(copy, len);
    if (rc != NVT_OK) {
        memset(m, 0, sizeof(*m));
    }
    return rc;
}

int nvt_crypto_pki_read_public(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                               nvt_crypto_key_material_t *m)
{
    if (in == NULL || m == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    memset(m, 0, sizeof(*m));
    unsigned char *copy = NULL;
    const unsigned char *p = NULL;
    size_t len = 0;
    int rc = nvt_crypto_pki_input(in, in_len, &copy, &p, &len);
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int ret = mbedtls_pk_parse_public_key(&pk, p, len);
    rc = ret == 0 ? nvt_crypto_pki_material(&pk, 0, out, out_size, m) : nvt_crypto_pki_error(ret);
    mbedtls_pk_free(&pk);
    nvt_crypto_pki_input_free(copy, len);
    return rc;
}

/* ------------------------------------------------------------------------
 * Writing public keys and PEM
 * ---------------------------------------------------------------------- */

/* The public half of m in pk (set up here). */
static int pk_from_material(mbedtls_pk_context *pk, const nvt_crypto_key_material_t *m)
{
    if (m->type == NVT_CRYPTO_KEY_RSA_PUBLIC || m->type == NVT_CRYPTO_KEY_RSA_PAIR) {
        if (mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA)) != 0) {
            return NVT_E_CRYPTO;
        }
        mbedtls_rsa_context *rsa = mbedtls_pk_rsa(*pk);
        if (m->v[0].len == 0 || m->v[1].len == 0 ||
            mbedtls_rsa_import_raw(rsa, m->v[0].p, m->v[0].len, NULL, 0, NULL, 0, NULL, 0, m->v[1].p,
                                   m->v[1].len) != 0 ||
            mbedtls_rsa_complete(rsa) != 0 || mbedtls_rsa_check_pubkey(rsa) != 0) {
            return NVT_E_INVALID;
        }
        return NVT_OK;
    }
    const nvt_crypto_span_t *q = m->type == NVT_CRYPTO_KEY_EC_PUBLIC ? &m->v[0]
                                 : m->type == NVT_CRYPTO_KEY_EC_PAIR ? &m->v[1]
                                                                     : NULL;
    size_t oid_len = 0;
    const uint8_t *oid = nvt_crypto_curve_oid(m->curve, &oid_len);
    mbedtls_ecp_group_id gid = MBEDTLS_ECP_DP_NONE;
    if (q == NULL || q->len == 0 || oid == NULL) {
        return NVT_E_INVALID;
    }
    mbedtls_asn1_buf oid_buf = { MBEDTLS_ASN1_OID, (size_t)oid[1], (unsigned char *)(uintptr_t)(oid + 2) };
    if (mbedtls_oid_get_ec_grp(&oid_buf, &gid) != 0) {
        return NVT_E_UNSUPPORTED;
    }
    if (mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) != 0) {
        return NVT_E_CRYPTO;
    }
    mbedtls_ecp_group grp;
    mbedtls_ecp_point pt;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&pt);
    int rc = NVT_E_INVALID;
    if (mbedtls_ecp_group_load(&grp, gid) == 0 && mbedtls_ecp_point_read_binary(&grp, &pt, q->p, q->len) == 0 &&
        mbedtls_ecp_check_pubkey(&grp, &pt) == 0 && mbedtls_ecp_set_public_key(gid, mbedtls_pk_ec(*pk), &pt) == 0) {
        rc = NVT_OK;
    }
    mbedtls_ecp_point_free(&pt);
    mbedtls_ecp_group_free(&grp);
    return rc;
}

int nvt_crypto_pki_write_public(const nvt_crypto_key_material_t *m, uint8_t *out, size_t out_size, size_t *len)
{
    if (m == NULL || out == NULL || len == NULL) {
        return NVT_E_INVALID;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    int rc = pk_from_material(&pk, m);
    if (rc == NVT_OK) {
        /* The writer fills the end of the buffer. */
        int n = mbedtls_pk_write_pubkey_der(&pk, out, out_size);
        if (n == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
            rc = NVT_E_BUFFER_TOO_SMALL;
        } else if (n <= 0) {
            rc = NVT_E_CRYPTO;
        } else {
            memmove(out, out + out_size - (size_t)n, (size_t)n);
            *len = (size_t)n;
        }
    }
    mbedtls_pk_free(&pk);
    return rc;
}

int nvt_crypto_pki_pem_write(const char *label, const uint8_t *der, size_t der_len, char *out, size_t out_size,
                             size_t *len)
{
    char header[80], footer[80];
    if (label == NULL || der == NULL || der_len == 0 || len == NULL || (out == NULL && out_size > 0) ||
        strlen(label) > 40) {
        return NVT_E_INVALID;
    }
    (void)snprintf(header, sizeof(header), "-----BEGIN %s-----\n", label);
    (void)snprintf(footer, sizeof(footer), "-----END %s-----\n", label);
    size_t olen = 0;
    unsigned char none[1];
    int ret = mbedtls_pem_write_buffer(header, footer, der, der_len, out != NULL ? (unsigned char *)out : none,
                                       out_size, &olen);
    if (ret == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL) {
        *len = olen > 0 ? olen - 1 : 0; /* olen counts a NUL */
        return NVT_E_BUFFER_TOO_SMALL;
    }
    if (ret != 0 || olen == 0) {
        return NVT_E_CRYPTO;
    }
    *len = olen - 1;
    return NVT_OK;
}
