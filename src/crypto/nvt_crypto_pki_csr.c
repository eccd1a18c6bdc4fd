/* PKCS#10 certificate requests (RFC 2986) for keys that live in a token.
 *
 * mbedTLS's request writer (x509write_csr) signs with a key it holds; the
 * tool's key is inside the token and never leaves it. So the request is
 * made in two steps around the token's C_Sign: the CertificationRequestInfo
 * (subject parsed by mbedTLS's X.509 name reader, public key written by its
 * PK writer, the rest with its ASN.1 writer), then the signed request, which
 * is read back with mbedTLS's request reader and verified before it is
 * handed out. Host builds only. See nvt_crypto_pki.h. */
#include "nvt_crypto_pki.h"
#include "nvt_crypto_pki_internal.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/platform.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_csr.h>

#define SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)

/* Largest SubjectPublicKeyInfo (RSA-4096) and DER ECDSA signature (P-521). */
#define SPKI_MAX 600u
#define ECDSA_DER_MAX 144u

/* "/CN=a/O=b,c" (OpenSSL's -subj) as mbedTLS reads names: "CN=a,O=b\,c"
 * (heap; NULL if out of memory). A backslash escapes the next character
 * in both forms. */
static char *from_slashes(const char *s)
{
    size_t n = strlen(s);
    char *out = mbedtls_calloc(1, 2 * n + 1), *o = out;
    if (out == NULL) {
        return NULL;
    }
    for (const char *p = s + 1; *p != '\0'; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
            if (*p != '/') {
                *o++ = '\\';
            }
            *o++ = *p;
        } else if (*p == '/') {
            *o++ = ',';
        } else {
            if (*p == ',') {
                *o++ = '\\';
            }
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* Name ::= SEQUENCE OF RelativeDistinguishedName, one attribute each, in
 * the order of the text (mbedTLS keeps its list in reverse, and the writer
 * goes backwards). Returns the length written or a negative mbedTLS code. */
static int write_name(unsigned char **c, unsigned char *start, const mbedtls_asn1_named_data *names)
{
    int ret;
    size_t len = 0;
    for (const mbedtls_asn1_named_data *cur = names; cur != NULL; cur = cur->next) {
        size_t rdn = 0;
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_tagged_string(c, start, cur->val.tag,
                                                                   (const char *)cur->val.p, cur->val.len));
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_oid(c, start, (const char *)cur->oid.p, cur->oid.len));
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_len(c, start, rdn));
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_tag(c, start, SEQ));
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_len(c, start, rdn));
        MBEDTLS_ASN1_CHK_ADD(rdn, mbedtls_asn1_write_tag(c, start, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET));
        len += rdn;
    }
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(c, start, len));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(c, start, SEQ));
    return (int)len;
}

/* The CertificationRequestInfo, written backwards from the end of out. */
static int write_info(unsigned char **c, unsigned char *start, const mbedtls_asn1_named_data *names,
                      const uint8_t *spki, size_t spki_len)
{
    int ret;
    size_t len = 0;
    /* attributes [0] IMPLICIT SET OF Attribute: none */
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(c, start, 0));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(c, start, MBEDTLS_ASN1_CONTEXT_SPECIFIC |
                                                                     MBEDTLS_ASN1_CONSTRUCTED | 0));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_raw_buffer(c, start, spki, spki_len));
    MBEDTLS_ASN1_CHK_ADD(len, write_name(c, start, names));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(c, start, 0)); /* version v1 */
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(c, start, len));
    MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(c, start, SEQ));
    return (int)len;
}

/* Move the len bytes written at the end of out[0..size) to its start. */
static void to_front(uint8_t *out, size_t size, size_t len)
{
    memmove(out, out + size - len, len);
}

/* Attributes in a name of mbedTLS's form: its parts between unescaped
 * commas; -1 if a part has no '=' (mbedTLS's reader silently drops a last
 * part without one). */
static int count_parts(const char *name)
{
    int parts = 0, has_eq = 0;
    for (const char *p = name;; p++) {
        if (*p == '\\' && p[1] != '\0') {
            p++;
        } else if (*p == '=') {
            has_eq = 1;
        } else if (*p == ',' || *p == '\0') {
            if (!has_eq) {
                return -1;
            }
            parts++;
            has_eq = 0;
            if (*p == '\0') {
                return parts;
            }
        }
    }
}

/* The names in subject, read by mbedTLS (either form). A name mbedTLS
 * would read as less than it says - a part without '=', or an attribute
 * type twice (its reader keeps the last of each type) - is refused. */
static int read_names(const char *subject, mbedtls_asn1_named_data **names)
{
    *names = NULL;
    if (subject == NULL) {
        return NVT_E_INVALID;
    }
    char *converted = subject[0] == '/' ? from_slashes(subject) : NULL;
    if (subject[0] == '/' && converted == NULL) {
        return NVT_E_CRYPTO;
    }
    const char *name = converted != NULL ? converted : subject;
    int parts = count_parts(name);
    int ret = parts > 0 ? mbedtls_x509_string_to_names(names, name) : MBEDTLS_ERR_X509_INVALID_NAME;
    mbedtls_free(converted);
    int kept = 0;
    for (const mbedtls_asn1_named_data *n = *names; n != NULL; n = n->next) {
        kept++;
    }
    if (ret != 0 || *names == NULL || kept != parts) {
        mbedtls_asn1_free_named_data_list(names);
        return ret == MBEDTLS_ERR_X509_ALLOC_FAILED ? NVT_E_CRYPTO : NVT_E_INVALID;
    }
    return NVT_OK;
}

int nvt_crypto_pki_name_check(const char *subject)
{
    mbedtls_asn1_named_data *names = NULL;
    int rc = read_names(subject, &names);
    mbedtls_asn1_free_named_data_list(&names);
    return rc;
}

int nvt_crypto_pki_csr_info(const char *subject, const nvt_crypto_key_material_t *pub, uint8_t *out,
                            size_t out_size, size_t *len)
{
    if (subject == NULL || pub == NULL || out == NULL || len == NULL) {
        return NVT_E_INVALID;
    }
    uint8_t spki[SPKI_MAX];
    size_t spki_len = 0;
    int rc = nvt_crypto_pki_write_public(pub, spki, sizeof(spki), &spki_len);
    if (rc != NVT_OK) {
        return rc == NVT_E_BUFFER_TOO_SMALL ? NVT_E_UNSUPPORTED : rc;
    }
    mbedtls_asn1_named_data *names = NULL;
    rc = read_names(subject, &names);
    if (rc != NVT_OK) {
        return rc;
    }
    unsigned char *c = out + out_size;
    int ret = write_info(&c, out, names, spki, spki_len);
    mbedtls_asn1_free_named_data_list(&names);
    if (ret == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    if (ret < 0) {
        return NVT_E_INVALID;
    }
    to_front(out, out_size, (size_t)ret);
    *len = (size_t)ret;
    return NVT_OK;
}

/* The signature algorithm's OID for the key in pk and digest md. */
static int sig_oid(const mbedtls_pk_context *pk, mbedtls_md_type_t md, const char **oid, size_t *oid_len,
                   mbedtls_pk_type_t *alg)
{
    *alg = mbedtls_pk_get_type(pk) == MBEDTLS_PK_ECKEY ? MBEDTLS_PK_ECDSA
           : mbedtls_pk_get_type(pk) == MBEDTLS_PK_RSA ? MBEDTLS_PK_RSA
                                                        : MBEDTLS_PK_NONE;
    if (*alg == MBEDTLS_PK_NONE) {
        return NVT_E_UNSUPPORTED;
    }
    return mbedtls_oid_get_oid_by_sig_alg(*alg, md, oid, oid_len) == 0 ? NVT_OK : NVT_E_UNSUPPORTED;
}

/* The public key inside a CertificationRequestInfo. */
static int info_key(const uint8_t *info, size_t info_len, mbedtls_pk_context *pk)
{
    unsigned char *p = (unsigned char *)(uintptr_t)info; /* read only */
    const unsigned char *end = info + info_len;
    size_t n;
    int version;
    if (mbedtls_asn1_get_tag(&p, end, &n, SEQ) != 0 || p + n != end || mbedtls_asn1_get_int(&p, end, &version) != 0 ||
        mbedtls_asn1_get_tag(&p, end, &n, SEQ) != 0) {
        return NVT_E_INVALID;
    }
    p += n; /* subject */
    return mbedtls_pk_parse_subpubkey(&p, end, pk) == 0 ? NVT_OK : NVT_E_INVALID;
}

int nvt_crypto_pki_csr_finish(const uint8_t *info, size_t info_len, nvt_crypto_hash_alg_t hash, const uint8_t *sig,
                              size_t sig_len, uint8_t *out, size_t out_size, size_t *len)
{
    if (info == NULL || sig == NULL || out == NULL || len == NULL || sig_len == 0) {
        return NVT_E_INVALID;
    }
    mbedtls_md_type_t md = hash == NVT_CRYPTO_SHA256   ? MBEDTLS_MD_SHA256
                           : hash == NVT_CRYPTO_SHA384 ? MBEDTLS_MD_SHA384
                           : hash == NVT_CRYPTO_SHA512 ? MBEDTLS_MD_SHA512
                                                       : MBEDTLS_MD_NONE;
    if (md == MBEDTLS_MD_NONE) {
        return NVT_E_UNSUPPORTED;
    }
    mbedtls_pk_context pk;
    mbedtls_pk_init(&pk);
    const char *oid = NULL;
    size_t oid_len = 0, der_len = sig_len;
    mbedtls_pk_type_t alg = MBEDTLS_PK_NONE;
    uint8_t der[ECDSA_DER_MAX];
    const uint8_t *s = sig;
    int rc = info_key(info, info_len, &pk);
    if (rc == NVT_OK) {
        rc = sig_oid(&pk, md, &oid, &oid_len, &alg);
    }
    if (rc == NVT_OK && alg == MBEDTLS_PK_ECDSA) {
        /* r || s from the token as ECDSA-Sig-Value ::= SEQUENCE { r, s } */
        rc = mbedtls_ecdsa_raw_to_der(mbedtls_pk_get_bitlen(&pk), sig, sig_len, der, sizeof(der), &der_len) == 0
                 ? NVT_OK
                 : NVT_E_VERIFY;
        s = der;
    }
    mbedtls_pk_free(&pk);
    if (rc != NVT_OK) {
        return rc;
    }
    unsigned char *c = out + out_size;
    size_t total = 0;
    int ret = 0;
    /* CertificationRequest ::= SEQUENCE { info, AlgorithmIdentifier, BIT STRING } */
    if ((ret = mbedtls_asn1_write_bitstring(&c, out, s, 8 * der_len)) >= 0) {
        total += (size_t)ret;
        /* ECDSA's AlgorithmIdentifier has no parameters, RSA's a NULL. */
        ret = mbedtls_asn1_write_algorithm_identifier_ext(&c, out, oid, oid_len, 0, alg == MBEDTLS_PK_RSA);
    }
    if (ret >= 0) {
        total += (size_t)ret;
        ret = mbedtls_asn1_write_raw_buffer(&c, out, info, info_len);
    }
    if (ret >= 0) {
        total += (size_t)ret;
        ret = mbedtls_asn1_write_len(&c, out, total);
    }
    if (ret >= 0) {
        total += (size_t)ret;
        ret = mbedtls_asn1_write_tag(&c, out, SEQ);
    }
    if (ret < 0) {
        return ret == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL ? NVT_E_BUFFER_TOO_SMALL : NVT_E_CRYPTO;
    }
    total += (size_t)ret;
    to_front(out, out_size, total);
    nvt_crypto_span_t spki;
    rc = nvt_crypto_pki_csr_read(out, total, NULL, 0, &spki);
    if (rc != NVT_OK) {
        return rc;
    }
    *len = total;
    return NVT_OK;
}

int nvt_crypto_pki_csr_verify(const mbedtls_x509_csr *csr)
{
    /* The signature: after the info and the AlgorithmIdentifier. */
    unsigned char *p = csr->raw.p + (csr->cri.p - csr->raw.p) + csr->cri.len;
    const unsigned char *end = csr->raw.p + csr->raw.len;
    mbedtls_asn1_buf alg, params;
    mbedtls_asn1_bitstring bits;
    mbedtls_md_type_t md;
    mbedtls_pk_type_t pk_alg;
    unsigned char hash[MBEDTLS_MD_MAX_SIZE];
    if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0 || mbedtls_asn1_get_bitstring(&p, end, &bits) != 0 ||
        bits.unused_bits != 0 || mbedtls_oid_get_sig_alg(&alg, &md, &pk_alg) != 0) {
        return NVT_E_INVALID;
    }
    const mbedtls_md_info_t *info = mbedtls_md_info_from_type(md);
    if ((pk_alg != MBEDTLS_PK_ECDSA && pk_alg != MBEDTLS_PK_RSA) || info == NULL ||
        !mbedtls_pk_can_do(&csr->pk, pk_alg)) {
        return NVT_E_UNSUPPORTED;
    }
    if (mbedtls_md(info, csr->cri.p, csr->cri.len, hash) != 0) {
        return NVT_E_CRYPTO;
    }
    /* mbedTLS's verify takes a non-const context but does not change it. */
    mbedtls_pk_context *pk = (mbedtls_pk_context *)(uintptr_t)&csr->pk;
    return mbedtls_pk_verify(pk, md, hash, mbedtls_md_get_size(info), bits.p, bits.len) == 0 ? NVT_OK
                                                                                            : NVT_E_VERIFY;
}

int nvt_crypto_pki_csr_read(const uint8_t *der, size_t len, char *subject, size_t subject_size,
                            nvt_crypto_span_t *spki)
{
    if (der == NULL || spki == NULL || (subject == NULL && subject_size > 0)) {
        return NVT_E_INVALID;
    }
    int rc = nvt_crypto_init();
    if (rc != NVT_OK) {
        return rc;
    }
    mbedtls_x509_csr csr;
    mbedtls_x509_csr_init(&csr);
    rc = mbedtls_x509_csr_parse_der(&csr, der, len) == 0 && csr.raw.len == len ? NVT_OK : NVT_E_INVALID;
    if (rc == NVT_OK) {
        rc = nvt_crypto_pki_csr_verify(&csr);
    }
    if (rc == NVT_OK && subject_size > 0 && mbedtls_x509_dn_gets(subject, subject_size, &csr.subject) < 0) {
        subject[subject_size - 1] = '\0';
    }
    if (rc == NVT_OK) {
        /* The reader keeps its own copy: find the key in the caller's DER. */
        const unsigned char *pk_raw = NULL;
        size_t pk_len = 0;
        unsigned char *p = (unsigned char *)(uintptr_t)der + (csr.cri.p - csr.raw.p);
        const unsigned char *end = p + csr.cri.len;
        size_t n;
        int version;
        if (mbedtls_asn1_get_tag(&p, end, &n, SEQ) == 0 && mbedtls_asn1_get_int(&p, end, &version) == 0 &&
            mbedtls_asn1_get_tag(&p, end, &n, SEQ) == 0) {
            p += n;
            pk_raw = p;
            if (mbedtls_asn1_get_tag(&p, end, &n, SEQ) == 0) {
                pk_len = (size_t)(p + n - pk_raw);
            }
        }
        rc = pk_len > 0 ? NVT_OK : NVT_E_INVALID;
        spki->p = pk_raw;
        spki->len = pk_len;
    }
    mbedtls_x509_csr_free(&csr);
    return rc;
}
