/* Token objects as the tool finds, reads and shows them (tool_objects.h):
 * C_FindObjects and C_GetAttributeValue only. Secret values are never
 * asked for: `list` reads CKA_VALUE of certificates alone. */
#include "tool_objects.h"

#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_pki.h"
#include "tool.h"

CK_RV tool_find(CK_SESSION_HANDLE s, const tool_match_t *m, CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *count)
{
    CK_OBJECT_CLASS cls = m->cls;
    CK_ATTRIBUTE t[3];
    CK_ULONG n = 0;
    if (m->cls != TOOL_ANY_CLASS) {
        t[n++] = (CK_ATTRIBUTE){ CKA_CLASS, &cls, sizeof(cls) };
    }
    if (m->id != NULL) {
        t[n++] = (CK_ATTRIBUTE){ CKA_ID, (CK_VOID_PTR)(uintptr_t)m->id, (CK_ULONG)m->id_len };
    }
    if (m->label != NULL) {
        t[n++] = (CK_ATTRIBUTE){ CKA_LABEL, (CK_VOID_PTR)(uintptr_t)m->label, (CK_ULONG)strlen(m->label) };
    }
    CK_RV rv = C_FindObjectsInit(s, n > 0 ? t : NULL_PTR, n);
    if (rv != CKR_OK) {
        return rv;
    }
    *count = 0;
    for (;;) {
        CK_OBJECT_HANDLE h[64];
        CK_ULONG got = 0;
        rv = C_FindObjects(s, h, 64, &got);
        if (rv != CKR_OK || got == 0) {
            break;
        }
        for (CK_ULONG i = 0; i < got; i++, (*count)++) {
            if (*count < max) {
                out[*count] = h[i];
            }
        }
    }
    CK_RV rv2 = C_FindObjectsFinal(s);
    return rv != CKR_OK ? rv : rv2;
}

CK_RV tool_get(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, uint8_t **value, CK_ULONG *len,
               int strict)
{
    *value = NULL;
    *len = 0;
    CK_ATTRIBUTE a = { type, NULL_PTR, 0 };
    CK_RV rv = C_GetAttributeValue(s, h, &a, 1);
    if (rv == CKR_ATTRIBUTE_TYPE_INVALID || rv == CKR_ATTRIBUTE_SENSITIVE || a.ulValueLen == CK_UNAVAILABLE_INFORMATION) {
        return strict ? (rv != CKR_OK ? rv : CKR_ATTRIBUTE_TYPE_INVALID) : CKR_OK;
    }
    if (rv != CKR_OK) {
        return rv;
    }
    uint8_t *buf = malloc(a.ulValueLen + 1);
    if (buf == NULL) {
        return CKR_HOST_MEMORY;
    }
    a.pValue = buf;
    rv = C_GetAttributeValue(s, h, &a, 1);
    if (rv != CKR_OK) {
        free(buf);
        return rv;
    }
    buf[a.ulValueLen] = 0;
    *value = buf;
    *len = a.ulValueLen;
    return CKR_OK;
}

CK_ULONG tool_get_ulong(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt)
{
    union {
        CK_ULONG ul;
        CK_BBOOL b;
    } v;
    memset(&v, 0, sizeof(v));
    CK_ATTRIBUTE a = { type, &v, sizeof(v) };
    if (C_GetAttributeValue(s, h, &a, 1) != CKR_OK) {
        return dflt;
    }
    return a.ulValueLen == sizeof(CK_ULONG) ? v.ul : a.ulValueLen == sizeof(CK_BBOOL) ? v.b : dflt;
}

size_t tool_ec_point_der(const uint8_t *q, size_t q_len, uint8_t *out, size_t size)
{
    size_t head = q_len < 128 ? 2 : 3;
    if (q_len > 255 || head + q_len > size) {
        return 0;
    }
    out[0] = 0x04; /* OCTET STRING */
    if (head == 2) {
        out[1] = (uint8_t)q_len;
    } else {
        out[1] = 0x81;
        out[2] = (uint8_t)q_len;
    }
    memcpy(out + head, q, q_len);
    return head + q_len;
}

/* The point inside CKA_EC_POINT: a DER OCTET STRING, or (from some
 * writers) the bare uncompressed point. */
static int ec_point(const uint8_t *v, size_t len, size_t cb, const uint8_t **q)
{
    if (len == 2 * cb + 1 && v[0] == 0x04) {
        *q = v;
        return 0;
    }
    size_t head = 2 * cb + 1 < 128 ? 2 : 3;
    if (len == head + 2 * cb + 1 && v[0] == 0x04 && v[head] == 0x04) {
        *q = v + head;
        return 0;
    }
    return -1;
}

CK_RV tool_public_material(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, uint8_t *buf, size_t size,
                           nvt_crypto_key_material_t *m)
{
    memset(m, 0, sizeof(*m));
    CK_ULONG type = tool_get_ulong(s, h, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    CK_ATTRIBUTE_TYPE want[2];
    if (type == CKK_EC) {
        want[0] = CKA_EC_PARAMS;
        want[1] = CKA_EC_POINT;
    } else if (type == CKK_RSA) {
        want[0] = CKA_MODULUS;
        want[1] = CKA_PUBLIC_EXPONENT;
    } else {
        return CKR_KEY_TYPE_INCONSISTENT;
    }
    uint8_t *v[2] = { NULL, NULL };
    CK_ULONG len[2] = { 0, 0 };
    CK_RV rv = tool_get(s, h, want[0], &v[0], &len[0], 1);
    if (rv == CKR_OK) {
        rv = tool_get(s, h, want[1], &v[1], &len[1], 1);
    }
    if (rv == CKR_OK && type == CKK_EC) {
        nvt_crypto_curve_t curve = nvt_crypto_curve_from_oid(v[0], len[0]);
        const uint8_t *q = NULL;
        size_t cb = nvt_crypto_curve_bytes(curve);
        if (curve == NVT_CRYPTO_CURVE_NONE || ec_point(v[1], len[1], cb, &q) != 0) {
            rv = CKR_KEY_TYPE_INCONSISTENT;
        } else if (2 * cb + 1 > size) {
            rv = CKR_BUFFER_TOO_SMALL;
        } else {
            memcpy(buf, q, 2 * cb + 1);
            m->type = NVT_CRYPTO_KEY_EC_PUBLIC;
            m->curve = curve;
            m->v[0].p = buf;
            m->v[0].len = 2 * cb + 1;
        }
    } else if (rv == CKR_OK) {
        if (len[0] + len[1] > size) {
            rv = CKR_BUFFER_TOO_SMALL;
        } else {
            memcpy(buf, v[0], len[0]);
            memcpy(buf + len[0], v[1], len[1]);
            m->type = NVT_CRYPTO_KEY_RSA_PUBLIC;
            m->v[0].p = buf;
            m->v[0].len = len[0];
            m->v[1].p = buf + len[0];
            m->v[1].len = len[1];
        }
    }
    free(v[0]);
    free(v[1]);
    return rv;
}

const char *tool_class_name(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_PRIVATE_KEY: return "private-key";
    case CKO_PUBLIC_KEY: return "public-key";
    case CKO_CERTIFICATE: return "certificate";
    case CKO_SECRET_KEY: return "secret-key";
    case CKO_DATA: return "data";
    default: return "other";
    }
}

static int class_rank(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_PRIVATE_KEY: return 0;
    case CKO_PUBLIC_KEY: return 1;
    case CKO_CERTIFICATE: return 2;
    case CKO_SECRET_KEY: return 3;
    case CKO_DATA: return 4;
    default: return 5;
    }
}

int tool_object_cmp(const void *a, const void *b)
{
    const tool_object_t *x = a, *y = b;
    int d = class_rank(x->cls) - class_rank(y->cls);
    if (d != 0) {
        return d;
    }
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    d = n > 0 ? memcmp(x->id, y->id, n) : 0;
    if (d != 0) {
        return d;
    }
    if (x->id_len != y->id_len) {
        return x->id_len < y->id_len ? -1 : 1;
    }
    return strcmp(x->label, y->label);
}

/* SHA-256 of the SubjectPublicKeyInfo of material m, as hex. */
static void key_digest(const nvt_crypto_key_material_t *m, char out[65])
{
    uint8_t spki[1024];
    size_t len = 0;
    out[0] = '\0';
    if (nvt_crypto_pki_write_public(m, spki, sizeof(spki), &len) == NVT_OK) {
        (void)tool_sha256_hex(spki, len, out);
    }
}

/* Key objects: type, size, the public key's digest. */
static void describe_key(CK_SESSION_HANDLE s, tool_object_t *o)
{
    uint8_t buf[1100];
    nvt_crypto_key_material_t m;
    uint8_t *v = NULL;
    CK_ULONG len = 0;
    if (o->type == CKK_EC) {
        (void)tool_get(s, o->handle, CKA_EC_PARAMS, &v, &len, 0);
        nvt_crypto_curve_t curve = v != NULL ? nvt_crypto_curve_from_oid(v, len) : NVT_CRYPTO_CURVE_NONE;
        free(v);
        o->bits = (CK_ULONG)nvt_crypto_curve_bits(curve);
        if (o->bits > 0) {
            snprintf(o->algo, sizeof(o->algo), "EC P-%u", (unsigned)o->bits); /* 521 at most */
        } else {
            snprintf(o->algo, sizeof(o->algo), "EC ?");
        }
    } else if (o->type == CKK_RSA) {
        (void)tool_get(s, o->handle, CKA_MODULUS, &v, &len, 0);
        size_t skip = 0;
        while (skip < len && v[skip] == 0) {
            skip++;
        }
        o->bits = 0;
        if (skip < len) {
            unsigned top = v[skip];
            o->bits = 8 * (len - skip - 1);
            while (top != 0) {
                o->bits++;
                top >>= 1;
            }
        }
        free(v);
        snprintf(o->algo, sizeof(o->algo), "RSA");
    } else {
        snprintf(o->algo, sizeof(o->algo), "%s", o->type == CKK_AES               ? "AES"
                                                  : o->type == CKK_GENERIC_SECRET ? "generic"
                                                                                  : "key");
        o->bits = 8 * tool_get_ulong(s, o->handle, CKA_VALUE_LEN, 0);
    }
    if (o->cls == CKO_PUBLIC_KEY && tool_public_material(s, o->handle, buf, sizeof(buf), &m) == CKR_OK) {
        key_digest(&m, o->key_sha256);
    } else if (o->cls == CKO_PRIVATE_KEY) {
        /* The public key a private key records (the tool's imports do), or
         * an RSA key's public parts; a generated EC private key has neither:
         * its public key object has the digest. */
        (void)tool_get(s, o->handle, CKA_PUBLIC_KEY_INFO, &v, &len, 0);
        if (v != NULL && len > 0) {
            (void)tool_sha256_hex(v, len, o->key_sha256);
        } else if (o->type == CKK_RSA) {
            uint8_t *n = NULL, *e = NULL;
            CK_ULONG n_len = 0, e_len = 0;
            (void)tool_get(s, o->handle, CKA_MODULUS, &n, &n_len, 0);
            (void)tool_get(s, o->handle, CKA_PUBLIC_EXPONENT, &e, &e_len, 0);
            if (n != NULL && e != NULL) {
                memset(&m, 0, sizeof(m));
                m.type = NVT_CRYPTO_KEY_RSA_PUBLIC;
                m.v[0].p = n;
                m.v[0].len = n_len;
                m.v[1].p = e;
                m.v[1].len = e_len;
                key_digest(&m, o->key_sha256);
            }
            free(n);
            free(e);
        }
        free(v);
    }
}

static void describe_cert(CK_SESSION_HANDLE s, tool_object_t *o)
{
    uint8_t *v = NULL;
    CK_ULONG len = 0;
    snprintf(o->algo, sizeof(o->algo), "%s", o->type == CKC_X_509 ? "X.509" : "certificate");
    o->category = tool_get_ulong(s, o->handle, CKA_CERTIFICATE_CATEGORY, 0);
    (void)tool_get(s, o->handle, CKA_VALUE, &v, &len, 0);
    o->value_len = len;
    nvt_crypto_pki_cert_info_t info;
    if (v != NULL && o->type == CKC_X_509 && nvt_crypto_pki_cert_info(v, len, &info) == NVT_OK) {
        memcpy(o->subject, info.subject, sizeof(o->subject));
        memcpy(o->issuer, info.issuer, sizeof(o->issuer));
        memcpy(o->not_before, info.not_before, sizeof(o->not_before));
        memcpy(o->not_after, info.not_after, sizeof(o->not_after));
        tool_hex(info.serial, info.serial_len, o->serial);
        o->is_ca = info.is_ca;
        (void)tool_sha256_hex(info.spki.p, info.spki.len, o->key_sha256);
    }
    free(v);
}

CK_RV tool_object_describe(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, tool_object_t *o)
{
    memset(o, 0, sizeof(*o));
    o->handle = h;
    o->cls = tool_get_ulong(s, h, CKA_CLASS, CK_UNAVAILABLE_INFORMATION);
    if (o->cls == CK_UNAVAILABLE_INFORMATION) {
        return CKR_OBJECT_HANDLE_INVALID;
    }
    CK_ULONG len = 0;
    CK_RV rv = tool_get(s, h, CKA_LABEL, (uint8_t **)&o->label, &len, 0);
    if (rv == CKR_OK && o->label == NULL) {
        o->label = calloc(1, 1);
    }
    if (rv == CKR_OK) {
        rv = tool_get(s, h, CKA_ID, &o->id, &len, 0);
        o->id_len = len;
    }
    if (rv != CKR_OK || o->label == NULL) {
        tool_object_free(o);
        return rv != CKR_OK ? rv : CKR_HOST_MEMORY;
    }
    o->is_private = tool_get_ulong(s, h, CKA_PRIVATE, 0) != 0;
    o->modifiable = tool_get_ulong(s, h, CKA_MODIFIABLE, 0) != 0;
    o->trusted = tool_get_ulong(s, h, CKA_TRUSTED, 0) != 0;
    o->sensitive = tool_get_ulong(s, h, CKA_SENSITIVE, 0) != 0;
    o->extractable = tool_get_ulong(s, h, CKA_EXTRACTABLE, o->cls == CKO_PUBLIC_KEY) != 0;
    o->local = tool_get_ulong(s, h, CKA_LOCAL, 0) != 0;
    o->always_sensitive = tool_get_ulong(s, h, CKA_ALWAYS_SENSITIVE, 0) != 0;
    o->never_extractable = tool_get_ulong(s, h, CKA_NEVER_EXTRACTABLE, 0) != 0;
    o->sign = tool_get_ulong(s, h, CKA_SIGN, 0) != 0;
    o->verify = tool_get_ulong(s, h, CKA_VERIFY, 0) != 0;
    o->encrypt = tool_get_ulong(s, h, CKA_ENCRYPT, 0) != 0;
    o->decrypt = tool_get_ulong(s, h, CKA_DECRYPT, 0) != 0;
    o->wrap = tool_get_ulong(s, h, CKA_WRAP, 0) != 0;
    o->unwrap = tool_get_ulong(s, h, CKA_UNWRAP, 0) != 0;
    o->derive = tool_get_ulong(s, h, CKA_DERIVE, 0) != 0;
    switch (o->cls) {
    case CKO_PRIVATE_KEY:
    case CKO_PUBLIC_KEY:
    case CKO_SECRET_KEY:
        o->type = tool_get_ulong(s, h, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
        describe_key(s, o);
        break;
    case CKO_CERTIFICATE:
        o->type = tool_get_ulong(s, h, CKA_CERTIFICATE_TYPE, CK_UNAVAILABLE_INFORMATION);
        describe_cert(s, o);
        break;
    default:
        snprintf(o->algo, sizeof(o->algo), "%s", o->cls == CKO_DATA ? "data" : "-");
        /* A data object's size only: its value may be anyone's secret. */
        {
            CK_ATTRIBUTE a = { CKA_VALUE, NULL_PTR, 0 };
            if (C_GetAttributeValue(s, h, &a, 1) == CKR_OK && a.ulValueLen != CK_UNAVAILABLE_INFORMATION) {
                o->value_len = a.ulValueLen;
            }
        }
        break;
    }
    return CKR_OK;
}

void tool_object_free(tool_object_t *o)
{
    free(o->label);
    free(o->id);
    o->label = NULL;
    o->id = NULL;
}

CK_RV tool_token_has_key(CK_KEY_TYPE type, CK_ULONG bits)
{
    CK_MECHANISM_INFO info;
    CK_RV rv = C_GetMechanismInfo(0, type == CKK_EC ? CKM_ECDSA : type == CKK_RSA ? CKM_RSA_PKCS : CKM_VENDOR_DEFINED,
                                  &info);
    if (rv != CKR_OK) {
        return CKR_MECHANISM_INVALID;
    }
    return bits >= info.ulMinKeySize && bits <= info.ulMaxKeySize ? CKR_OK : CKR_KEY_SIZE_RANGE;
}
