/* Keys in PSA (NVT_CONFIG_CRYPTO_PSA): loading key material for one use
 * (its policy), checking material, and generating EC and RSA key pairs. RSA keys travel to
 * and from PSA as PKCS#1 DER, which this file writes and reads with
 * mbedTLS's ASN.1 module. See nvt_crypto.h. */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/asn1write.h>
#include <mbedtls/bignum.h>
#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/rsa.h>

#if NVT_CONFIG_CRYPTO_PSA

#define from_psa nvt_crypto_from_psa

#if NVT_CONFIG_MECH_RSA
_Static_assert(NVT_CRYPTO_RSA_GENERATE_BUF(2048) >= PSA_KEY_EXPORT_RSA_KEY_PAIR_MAX_SIZE(2048),
               "NVT_CRYPTO_RSA_GENERATE_BUF is smaller than PSA's export of an RSA-2048 key pair");
_Static_assert(NVT_CRYPTO_RSA_GENERATE_BUF(3072) >= PSA_KEY_EXPORT_RSA_KEY_PAIR_MAX_SIZE(3072),
               "NVT_CRYPTO_RSA_GENERATE_BUF is smaller than PSA's export of an RSA-3072 key pair");
#endif

/* ------------------------------------------------------------------------
 * Policies: one per use
 * ---------------------------------------------------------------------- */

typedef struct policy {
    psa_key_type_t type;
    psa_algorithm_t alg;
    psa_algorithm_t alg2;
    psa_key_usage_t usage;
} policy_t;

#if NVT_CONFIG_MECH_RSA
static int is_rsa(nvt_crypto_key_type_t t)
{
    return t == NVT_CRYPTO_KEY_RSA_PAIR || t == NVT_CRYPTO_KEY_RSA_PUBLIC;
}
#endif

/* The policy of (key type, use); NVT_E_INVALID if they do not fit,
 * NVT_E_UNSUPPORTED if the build lacks the algorithm. Each family's uses
 * are there with its switch (include/nvtoken/config.h). */
static int policy_for(const nvt_crypto_key_material_t *m, nvt_crypto_use_t use, policy_t *p)
{
    const int pair = m->type == NVT_CRYPTO_KEY_EC_PAIR || m->type == NVT_CRYPTO_KEY_RSA_PAIR;
    memset(p, 0, sizeof(*p));
    switch (m->type) {
    case NVT_CRYPTO_KEY_AES: p->type = PSA_KEY_TYPE_AES; break;
    case NVT_CRYPTO_KEY_HMAC: p->type = PSA_KEY_TYPE_HMAC; break;
    case NVT_CRYPTO_KEY_EC_PAIR: p->type = PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1); break;
    case NVT_CRYPTO_KEY_EC_PUBLIC: p->type = PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1); break;
    case NVT_CRYPTO_KEY_RSA_PAIR: p->type = PSA_KEY_TYPE_RSA_KEY_PAIR; break;
    case NVT_CRYPTO_KEY_RSA_PUBLIC: p->type = PSA_KEY_TYPE_RSA_PUBLIC_KEY; break;
#if NVT_CONFIG_MECH_LEGACY
    case NVT_CRYPTO_KEY_DES3: p->type = PSA_KEY_TYPE_DES; break;
#endif
    default: return NVT_E_INVALID;
    }
    switch (use) {
#if NVT_TOKEN_HAS_EC
    case NVT_CRYPTO_USE_EC:
        if (m->type != NVT_CRYPTO_KEY_EC_PAIR && m->type != NVT_CRYPTO_KEY_EC_PUBLIC) {
            return NVT_E_INVALID;
        }
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
        p->alg = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_ANY_HASH); /* as nvt_crypto_asym.c signs */
#else
        p->alg = PSA_ALG_ECDSA(PSA_ALG_ANY_HASH);
#endif
        p->alg2 = pair && NVT_CONFIG_MECH_ECDH ? PSA_ALG_ECDH : PSA_ALG_NONE;
        p->usage = pair ? PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH | PSA_KEY_USAGE_DERIVE
                        : PSA_KEY_USAGE_VERIFY_HASH;
        return NVT_OK;
#endif
#if NVT_CONFIG_MECH_RSA
    case NVT_CRYPTO_USE_RSA_SIGN:
        p->alg = PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_ANY_HASH);
        /* Signing uses a salt as long as the hash; verifying accepts any. */
        p->alg2 = pair ? PSA_ALG_RSA_PSS(PSA_ALG_ANY_HASH) : PSA_ALG_RSA_PSS_ANY_SALT(PSA_ALG_ANY_HASH);
        p->usage = pair ? PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH : PSA_KEY_USAGE_VERIFY_HASH;
        return is_rsa(m->type) ? NVT_OK : NVT_E_INVALID;
    case NVT_CRYPTO_USE_RSA_PKCS1_CRYPT:
    case NVT_CRYPTO_USE_RSA_OAEP_SHA1:
    case NVT_CRYPTO_USE_RSA_OAEP_SHA256:
        if (!is_rsa(m->type)) {
            return NVT_E_INVALID;
        }
#if NVT_CONFIG_MECH_RSA_ENCRYPT
        p->alg = use == NVT_CRYPTO_USE_RSA_PKCS1_CRYPT ? PSA_ALG_RSA_PKCS1V15_CRYPT
                 : use == NVT_CRYPTO_USE_RSA_OAEP_SHA1 ? PSA_ALG_RSA_OAEP(PSA_ALG_SHA_1)
                                                        : PSA_ALG_RSA_OAEP(PSA_ALG_SHA_256);
        if (use == NVT_CRYPTO_USE_RSA_OAEP_SHA1 && nvt_crypto_psa_hash(NVT_CRYPTO_SHA1) == PSA_ALG_NONE) {
            return NVT_E_UNSUPPORTED;
        }
        p->usage = pair ? PSA_KEY_USAGE_DECRYPT | PSA_KEY_USAGE_ENCRYPT : PSA_KEY_USAGE_ENCRYPT;
        return NVT_OK;
#else
        return NVT_E_UNSUPPORTED;
#endif
    case NVT_CRYPTO_USE_RSA_RAW:
        /* PSA has no raw RSA: the key is exported to mbedTLS's RSA module
         * for each operation (nvt_crypto_asym.c). */
        p->alg = PSA_ALG_NONE;
        p->usage = PSA_KEY_USAGE_EXPORT;
        return is_rsa(m->type) ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_HMAC
    case NVT_CRYPTO_USE_HMAC_SHA256:
    case NVT_CRYPTO_USE_HMAC_SHA384:
    case NVT_CRYPTO_USE_HMAC_SHA512:
        p->alg = PSA_ALG_HMAC(use == NVT_CRYPTO_USE_HMAC_SHA256   ? PSA_ALG_SHA_256
                              : use == NVT_CRYPTO_USE_HMAC_SHA384 ? PSA_ALG_SHA_384
                                                                  : PSA_ALG_SHA_512);
        p->usage = PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE;
        return m->type == NVT_CRYPTO_KEY_HMAC ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_CMAC
    case NVT_CRYPTO_USE_AES_CMAC:
        p->alg = PSA_ALG_CMAC;
        p->usage = PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE;
        return m->type == NVT_CRYPTO_KEY_AES ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM
    case NVT_CRYPTO_USE_AES_ECB:
    case NVT_CRYPTO_USE_AES_CBC:
    case NVT_CRYPTO_USE_AES_CBC_PAD:
    case NVT_CRYPTO_USE_AES_CTR:
    case NVT_CRYPTO_USE_AES_GCM:
        p->alg = use == NVT_CRYPTO_USE_AES_ECB       ? PSA_ALG_ECB_NO_PADDING
                 : use == NVT_CRYPTO_USE_AES_CBC     ? PSA_ALG_CBC_NO_PADDING
                 : use == NVT_CRYPTO_USE_AES_CBC_PAD ? PSA_ALG_CBC_PKCS7
                 : use == NVT_CRYPTO_USE_AES_CTR     ? PSA_ALG_CTR
                                                     : PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_GCM, 4);
        p->usage = PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT;
        return m->type == NVT_CRYPTO_KEY_AES ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_LEGACY
    case NVT_CRYPTO_USE_DES3_ECB:
    case NVT_CRYPTO_USE_DES3_CBC:
    case NVT_CRYPTO_USE_DES3_CBC_PAD:
        p->alg = use == NVT_CRYPTO_USE_DES3_ECB   ? PSA_ALG_ECB_NO_PADDING
                 : use == NVT_CRYPTO_USE_DES3_CBC ? PSA_ALG_CBC_NO_PADDING
                                                  : PSA_ALG_CBC_PKCS7;
        p->usage = PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT;
        return m->type == NVT_CRYPTO_KEY_DES3 ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_ECDSA
    case NVT_CRYPTO_USE_LEND_ECDSA:
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
        /* RFC 6979 where the build has it (mbedTLS's TLS stack asks for it
         * first): the nonce is not drawn from the random generator, so a
         * generator that repeats - an image booted twice from the same NV
         * seed - cannot reveal the key through two signatures. */
        p->alg = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_ANY_HASH);
#else
        p->alg = PSA_ALG_ECDSA(PSA_ALG_ANY_HASH);
#endif
        p->usage = PSA_KEY_USAGE_SIGN_HASH;
        return m->type == NVT_CRYPTO_KEY_EC_PAIR ? NVT_OK : NVT_E_INVALID;
#endif
#if NVT_CONFIG_MECH_RSA
    case NVT_CRYPTO_USE_LEND_RSA_PKCS1:
    case NVT_CRYPTO_USE_LEND_RSA_PSS:
    case NVT_CRYPTO_USE_LEND_RSA:
        /* PSA_ALG_RSA_PSS signs with a salt as long as the hash, as TLS 1.3
         * wants (RFC 8446, 4.2.3). */
        p->alg = use == NVT_CRYPTO_USE_LEND_RSA_PSS ? PSA_ALG_RSA_PSS(PSA_ALG_ANY_HASH)
                                                    : PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_ANY_HASH);
        p->alg2 = use == NVT_CRYPTO_USE_LEND_RSA ? PSA_ALG_RSA_PSS(PSA_ALG_ANY_HASH) : PSA_ALG_NONE;
        p->usage = PSA_KEY_USAGE_SIGN_HASH;
        return m->type == NVT_CRYPTO_KEY_RSA_PAIR ? NVT_OK : NVT_E_INVALID;
#endif
    default:
        return NVT_E_INVALID;
    }
}

/* A big-endian magnitude without its leading zero bytes. */
static nvt_crypto_span_t strip(nvt_crypto_span_t s)
{
    while (s.len > 0 && s.p[0] == 0) {
        s.p++;
        s.len--;
    }
    return s;
}

#if NVT_CONFIG_MECH_RSA
/* ------------------------------------------------------------------------
 * RSA keys as PKCS#1 DER
 * ---------------------------------------------------------------------- */

/* Write an INTEGER of magnitude s backwards at *p (mbedTLS's writers work
 * from the end of the buffer). */
static int der_integer(unsigned char **p, unsigned char *start, nvt_crypto_span_t s)
{
    static const unsigned char zero = 0;
    s = strip(s);
    int len = 0, ret;
    if (s.len > 0 && (ret = mbedtls_asn1_write_raw_buffer(p, start, s.p, s.len)) < 0) {
        return ret;
    }
    len += (int)s.len;
    if (s.len == 0 || (s.p[0] & 0x80) != 0) {
        if ((ret = mbedtls_asn1_write_raw_buffer(p, start, &zero, 1)) < 0) {
            return ret;
        }
        len++;
    }
    if ((ret = mbedtls_asn1_write_len(p, start, (size_t)len)) < 0) {
        return ret;
    }
    len += ret;
    if ((ret = mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_INTEGER)) < 0) {
        return ret;
    }
    return len + ret;
}

/* RSAPrivateKey (version 0 then the 8 parts) or RSAPublicKey (n, e) into
 * buf, ending at its end; *der points at the start. */
static int der_rsa(const nvt_crypto_span_t *parts, size_t n_parts, unsigned char *buf, size_t size,
                   unsigned char **der, size_t *der_len)
{
    unsigned char *p = buf + size;
    int len = 0, ret;
    for (size_t i = n_parts; i-- > 0;) {
        if ((ret = der_integer(&p, buf, parts[i])) < 0) {
            return NVT_E_INVALID;
        }
        len += ret;
    }
    if (n_parts == NVT_CRYPTO_RSA_PARTS) {
        static const uint8_t v0 = 0;
        nvt_crypto_span_t version = { &v0, 1 };
        if ((ret = der_integer(&p, buf, version)) < 0) {
            return NVT_E_INVALID;
        }
        len += ret;
    }
    if ((ret = mbedtls_asn1_write_len(&p, buf, (size_t)len)) < 0) {
        return NVT_E_INVALID;
    }
    len += ret;
    if ((ret = mbedtls_asn1_write_tag(&p, buf, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) < 0) {
        return NVT_E_INVALID;
    }
    *der = p;
    *der_len = (size_t)(len + ret);
    return NVT_OK;
}

int nvt_crypto_rsa_der_read(const uint8_t *der, size_t len, nvt_crypto_span_t *parts, size_t n_parts)
{
    unsigned char *p = (unsigned char *)(uintptr_t)der;
    const unsigned char *end = der + len;
    size_t n;
    if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) != 0 ||
        p + n != end) {
        return NVT_E_INVALID;
    }
    if (n_parts == NVT_CRYPTO_RSA_PARTS) {
        int version;
        if (mbedtls_asn1_get_int(&p, end, &version) != 0 || version != 0) {
            return NVT_E_INVALID;
        }
    }
    for (size_t i = 0; i < n_parts; i++) {
        if (mbedtls_asn1_get_tag(&p, end, &n, MBEDTLS_ASN1_INTEGER) != 0 || n == 0 || (p[0] & 0x80) != 0) {
            return NVT_E_INVALID;
        }
        parts[i].p = p;
        parts[i].len = n;
        parts[i] = strip(parts[i]);
        p += n;
    }
    return p == end ? NVT_OK : NVT_E_INVALID;
}

/* RSA key pair parts that are missing (only n, e, d given, or no CRT
 * values) recomputed by mbedTLS's RSA module, written as DER. */
static int der_rsa_completed(const nvt_crypto_key_material_t *m, unsigned char *buf, size_t size,
                             unsigned char **der, size_t *der_len)
{
    const nvt_crypto_span_t *v = m->v;
    mbedtls_rsa_context rsa;
    mbedtls_mpi dp, dq, qp;
    mbedtls_rsa_init(&rsa);
    mbedtls_mpi_init(&dp);
    mbedtls_mpi_init(&dq);
    mbedtls_mpi_init(&qp);
    int rc = NVT_E_INVALID;
    size_t k = strip(v[0]).len, h = k / 2 + 1;
    size_t need = 2 * k + 5 * h + v[1].len;
    unsigned char *tmp = need <= 2 * 4096 ? mbedtls_calloc(1, need) : NULL;
    if (tmp != NULL &&
        mbedtls_rsa_import_raw(&rsa, v[0].p, v[0].len, v[3].len ? v[3].p : NULL, v[3].len, v[4].len ? v[4].p : NULL,
                               v[4].len, v[2].p, v[2].len, v[1].p, v[1].len) == 0 &&
        mbedtls_rsa_complete(&rsa) == 0 && mbedtls_rsa_export_crt(&rsa, &dp, &dq, &qp) == 0) {
        /* n | e | d | p | q | dp | dq | qp, each at its full width. */
        nvt_crypto_span_t parts[NVT_CRYPTO_RSA_PARTS];
        size_t width[NVT_CRYPTO_RSA_PARTS] = { k, v[1].len, k, h, h, h, h, h };
        unsigned char *q = tmp;
        for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
            parts[i].p = q;
            parts[i].len = width[i];
            q += width[i];
        }
        unsigned char *w[NVT_CRYPTO_RSA_PARTS];
        for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
            w[i] = (unsigned char *)(uintptr_t)parts[i].p;
        }
        if (mbedtls_rsa_export_raw(&rsa, w[0], k, w[3], h, w[4], h, w[2], k, w[1], v[1].len) == 0 &&
            mbedtls_mpi_write_binary(&dp, w[5], h) == 0 && mbedtls_mpi_write_binary(&dq, w[6], h) == 0 &&
            mbedtls_mpi_write_binary(&qp, w[7], h) == 0) {
            rc = der_rsa(parts, NVT_CRYPTO_RSA_PARTS, buf, size, der, der_len);
        }
    }
    if (tmp != NULL) {
        mbedtls_platform_zeroize(tmp, need);
        mbedtls_free(tmp);
    }
    mbedtls_mpi_free(&dp);
    mbedtls_mpi_free(&dq);
    mbedtls_mpi_free(&qp);
    mbedtls_rsa_free(&rsa);
    return rc;
}

int nvt_crypto_rsa_der_alloc(const nvt_crypto_key_material_t *m, unsigned char **buf, size_t *size,
                             unsigned char **der, size_t *der_len)
{
    const nvt_crypto_span_t *v = m->v;
    const size_t n_parts = m->type == NVT_CRYPTO_KEY_RSA_PAIR ? NVT_CRYPTO_RSA_PARTS : 2;
    int complete = 1;
    size_t need = 32;
    *buf = NULL;
    *size = 0;
    if (m->type != NVT_CRYPTO_KEY_RSA_PAIR && m->type != NVT_CRYPTO_KEY_RSA_PUBLIC) {
        return NVT_E_INVALID;
    }
    for (size_t i = 0; i < n_parts; i++) {
        if (v[i].p == NULL || strip(v[i]).len == 0) {
            complete = 0;
            if (i < 3) {
                return NVT_E_INVALID; /* n, e, d are required */
            }
        }
        need += strip(v[i]).len + 8;
    }
    size_t k = strip(v[0]).len;
    if (k < 64 || k > 512) {
        return k > 512 ? NVT_E_UNSUPPORTED : NVT_E_INVALID;
    }
    if (!complete) {
        need = 2 * k + 5 * (k / 2 + 1) + v[1].len + 96;
    }
    *buf = mbedtls_calloc(1, need);
    if (*buf == NULL) {
        return NVT_E_CRYPTO;
    }
    *size = need;
    return complete ? der_rsa(v, n_parts, *buf, need, der, der_len) : der_rsa_completed(m, *buf, need, der, der_len);
}
#endif /* NVT_CONFIG_MECH_RSA */

/* ------------------------------------------------------------------------
 * Loading
 * ---------------------------------------------------------------------- */

/* Import the material as PSA wants it. */
static int import(const nvt_crypto_key_material_t *m, const policy_t *pol, psa_key_id_t *id)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, pol->type);
    psa_set_key_algorithm(&a, pol->alg);
    psa_set_key_enrollment_algorithm(&a, pol->alg2);
    psa_set_key_usage_flags(&a, pol->usage);
    psa_set_key_lifetime(&a, PSA_KEY_LIFETIME_VOLATILE);
    const nvt_crypto_span_t *v = m->v;
    int rc = NVT_E_INVALID;
    switch (m->type) {
    case NVT_CRYPTO_KEY_AES:
    case NVT_CRYPTO_KEY_HMAC:
    case NVT_CRYPTO_KEY_DES3:
    case NVT_CRYPTO_KEY_EC_PUBLIC:
        if (v[0].p != NULL && v[0].len > 0) {
            if (m->type == NVT_CRYPTO_KEY_EC_PUBLIC) {
                size_t cb = nvt_crypto_curve_bytes(m->curve);
                if (cb == 0) {
                    return NVT_E_UNSUPPORTED;
                }
                /* Uncompressed only. (p256-m's PSA driver checks the
                 * length alone and would take 02 or 03 as 04.) */
                if (v[0].len != 2 * cb + 1 || v[0].p[0] != 0x04) {
                    return NVT_E_INVALID;
                }
                psa_set_key_bits(&a, nvt_crypto_curve_bits(m->curve));
            }
            rc = from_psa(psa_import_key(&a, v[0].p, v[0].len, id));
        }
        break;
    case NVT_CRYPTO_KEY_EC_PAIR: {
        size_t cb = nvt_crypto_curve_bytes(m->curve);
        nvt_crypto_span_t d = strip(v[0]);
        uint8_t raw[NVT_CRYPTO_EC_MAX_BYTES];
        if (cb == 0) {
            return NVT_E_UNSUPPORTED;
        }
        if (v[0].p == NULL || d.len == 0 || d.len > cb) {
            return NVT_E_INVALID;
        }
        memset(raw, 0, cb - d.len);
        memcpy(raw + cb - d.len, d.p, d.len);
        psa_set_key_bits(&a, nvt_crypto_curve_bits(m->curve));
        rc = from_psa(psa_import_key(&a, raw, cb, id));
        mbedtls_platform_zeroize(raw, sizeof(raw));
        break;
    }
#if NVT_CONFIG_MECH_RSA
    case NVT_CRYPTO_KEY_RSA_PAIR:
    case NVT_CRYPTO_KEY_RSA_PUBLIC: {
        unsigned char *buf = NULL, *der = NULL;
        size_t size = 0, der_len = 0;
        rc = nvt_crypto_rsa_der_alloc(m, &buf, &size, &der, &der_len);
        if (rc == NVT_OK) {
            rc = from_psa(psa_import_key(&a, der, der_len, id));
        }
        if (buf != NULL) {
            mbedtls_platform_zeroize(buf, size);
            mbedtls_free(buf);
        }
        break;
    }
#endif
    default:
        break;
    }
    psa_reset_key_attributes(&a);
    return rc;
}

int nvt_crypto_key_load(const nvt_crypto_key_material_t *m, nvt_crypto_use_t use, nvt_crypto_key_t *key,
                        size_t *bits)
{
    if (m == NULL || key == NULL) {
        return NVT_E_INVALID;
    }
    *key = 0;
    policy_t pol;
    int rc = policy_for(m, use, &pol);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    if (rc == NVT_OK) {
        rc = import(m, &pol, &id);
    }
    if (rc == NVT_OK && bits != NULL) {
        psa_key_type_t t;
        rc = nvt_crypto_key_info(id, &t, bits);
        if (rc != NVT_OK) {
            (void)psa_destroy_key(id);
        }
    }
    if (rc == NVT_OK) {
        *key = id;
    }
    return rc;
}

void nvt_crypto_key_unload(nvt_crypto_key_t key)
{
    if (key != 0) {
        (void)psa_destroy_key(key);
    }
}

int nvt_crypto_key_check(const nvt_crypto_key_material_t *m, size_t *bits)
{
    if (m == NULL) {
        return NVT_E_INVALID;
    }
    nvt_crypto_use_t use;
    switch (m->type) {
    case NVT_CRYPTO_KEY_AES: use = NVT_CRYPTO_USE_AES_ECB; break;
    case NVT_CRYPTO_KEY_DES3: use = NVT_CRYPTO_USE_DES3_ECB; break;
    case NVT_CRYPTO_KEY_HMAC: use = NVT_CRYPTO_USE_HMAC_SHA256; break;
    case NVT_CRYPTO_KEY_EC_PAIR:
    case NVT_CRYPTO_KEY_EC_PUBLIC: use = NVT_CRYPTO_USE_EC; break;
    default: use = NVT_CRYPTO_USE_RSA_SIGN; break;
    }
    /* (A use the profile lacks fails to load: NVT_E_INVALID.) */
    nvt_crypto_key_t key = 0;
    int rc = nvt_crypto_key_load(m, use, &key, bits);
    nvt_crypto_key_unload(key);
    return rc;
}

int nvt_crypto_key_info(nvt_crypto_key_t key, psa_key_type_t *type, size_t *bits)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    if (psa_get_key_attributes(key, &a) != PSA_SUCCESS) {
        return NVT_E_INVALID;
    }
    *type = psa_get_key_type(&a);
    *bits = psa_get_key_bits(&a);
    psa_reset_key_attributes(&a);
    return NVT_OK;
}

/* ------------------------------------------------------------------------
 * Generation
 * ---------------------------------------------------------------------- */

#if NVT_CONFIG_MECH_EC_KEYGEN
int nvt_crypto_ec_generate(nvt_crypto_curve_t curve, uint8_t *d, size_t d_size, size_t *d_len, uint8_t *q,
                           size_t q_size, size_t *q_len)
{
    size_t cb = nvt_crypto_curve_bytes(curve);
    if (d == NULL || d_len == NULL || q == NULL || q_len == NULL) {
        return NVT_E_INVALID;
    }
    if (cb == 0) {
        return NVT_E_UNSUPPORTED;
    }
    if (d_size < cb || q_size < 2 * cb + 1) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, nvt_crypto_curve_bits(curve));
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_status_t st = psa_generate_key(&a, &id);
    if (st == PSA_SUCCESS) {
        st = psa_export_key(id, d, d_size, d_len);
    }
    if (st == PSA_SUCCESS) {
        st = psa_export_public_key(id, q, q_size, q_len);
    }
    (void)psa_destroy_key(id);
    psa_reset_key_attributes(&a);
    if (st != PSA_SUCCESS) {
        mbedtls_platform_zeroize(d, d_size);
    }
    return from_psa(st);
}

#endif

#if NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN
int nvt_crypto_rsa_generate(size_t bits, const uint8_t *e, size_t e_len, uint8_t *buf, size_t size,
                            nvt_crypto_span_t parts[NVT_CRYPTO_RSA_PARTS])
{
    if (buf == NULL || parts == NULL || (e == NULL && e_len > 0) || bits < 1024 || bits > 4096 || bits % 8 != 0) {
        return NVT_E_INVALID;
    }
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_bits(&a, bits);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_EXPORT);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_status_t st;
    if (e != NULL) {
        psa_custom_key_parameters_t custom = PSA_CUSTOM_KEY_PARAMETERS_INIT;
        st = psa_generate_key_custom(&a, &custom, e, e_len, &id);
    } else {
        st = psa_generate_key(&a, &id);
    }
    size_t len = 0;
    if (st == PSA_SUCCESS) {
        st = psa_export_key(id, buf, size, &len);
    }
    (void)psa_destroy_key(id);
    psa_reset_key_attributes(&a);
    int rc = from_psa(st);
    if (rc == NVT_OK) {
        rc = nvt_crypto_rsa_der_read(buf, len, parts, NVT_CRYPTO_RSA_PARTS);
        rc = rc == NVT_OK ? NVT_OK : NVT_E_CRYPTO;
    }
    if (rc != NVT_OK) {
        mbedtls_platform_zeroize(buf, size);
    }
    return rc;
}
#endif

#else

/* ISO C wants something in every translation unit. */
typedef int nvt_crypto_key_psa_off_t;

#endif /* NVT_CONFIG_CRYPTO_PSA */
