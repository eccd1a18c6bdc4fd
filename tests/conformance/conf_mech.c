/* Shared helpers of the mechanism conformance programs (conf_mech.h). */
#include "conf_mech.h"

static const CK_BYTE oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const CK_BYTE oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };
static const CK_BYTE oid_p521[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23 };

CK_SESSION_HANDLE cm_session(void)
{
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    return s;
}

const CK_BYTE *cm_curve_oid(unsigned bits, CK_ULONG *len)
{
    const CK_BYTE *oid = bits == 256 ? oid_p256 : bits == 384 ? oid_p384 : oid_p521;
    *len = bits == 256 ? sizeof(oid_p256) : bits == 384 ? sizeof(oid_p384) : sizeof(oid_p521);
    assert_true(bits == 256 || bits == 384 || bits == 521);
    return oid;
}

size_t cm_octet_string(const uint8_t *v, size_t n, uint8_t *out)
{
    size_t head = n < 128 ? 2 : 3;
    assert_true(n < 256);
    out[0] = 0x04;
    out[1] = 0x81;
    out[head - 1] = (uint8_t)n;
    memmove(out + head, v, n);
    return head + n;
}

static CK_OBJECT_HANDLE make(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n)
{
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    assert_int_equal(C_CreateObject(s, t, n, &h), CKR_OK);
    return h;
}

CK_OBJECT_HANDLE cm_secret(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, const uint8_t *v, size_t n)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },          { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_VALUE, (void *)(uintptr_t)v, n },    { CKA_SENSITIVE, &conf_false, 1 },
        { CKA_EXTRACTABLE, &conf_true, 1 },        { CKA_SIGN, &conf_true, 1 },
        { CKA_VERIFY, &conf_true, 1 },             { CKA_ENCRYPT, &conf_true, 1 },
        { CKA_DECRYPT, &conf_true, 1 },            { CKA_WRAP, &conf_true, 1 },
        { CKA_UNWRAP, &conf_true, 1 },
    };
    return make(s, t, sizeof(t) / sizeof(t[0]));
}

CK_OBJECT_HANDLE cm_ec_priv(CK_SESSION_HANDLE s, unsigned bits, const uint8_t *d, size_t n)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },     { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, (void *)(uintptr_t)d, n },
        { CKA_SIGN, &conf_true, 1 },          { CKA_DERIVE, &conf_true, 1 },
    };
    return make(s, t, sizeof(t) / sizeof(t[0]));
}

CK_OBJECT_HANDLE cm_ec_pub(CK_SESSION_HANDLE s, unsigned bits, const uint8_t *point, size_t n)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
    CK_BYTE der[3 + 133];
    assert_true(n <= 133);
    CK_ULONG der_len = cm_octet_string(point, n, der);
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },
        { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len },
        { CKA_EC_POINT, der, der_len },
    };
    return make(s, t, sizeof(t) / sizeof(t[0]));
}

/* The RSA parts of a KAT key, decoded into bufs. */
typedef struct rsa_parts {
    uint8_t buf[8][520];
    size_t len[8];
} rsa_parts_t;

static void rsa_decode(const kat_rsa_key_t *k, rsa_parts_t *p)
{
    const char *v[8] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->qi };
    for (int i = 0; i < 8; i++) {
        p->len[i] = kat_hex(v[i], p->buf[i], sizeof(p->buf[i]));
    }
}

CK_OBJECT_HANDLE cm_rsa_priv(CK_SESSION_HANDLE s, const kat_rsa_key_t *k)
{
    static rsa_parts_t p;
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    rsa_decode(k, &p);
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },          { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_MODULUS, p.buf[0], p.len[0] },       { CKA_PUBLIC_EXPONENT, p.buf[1], p.len[1] },
        { CKA_PRIVATE_EXPONENT, p.buf[2], p.len[2] }, { CKA_PRIME_1, p.buf[3], p.len[3] },
        { CKA_PRIME_2, p.buf[4], p.len[4] },       { CKA_EXPONENT_1, p.buf[5], p.len[5] },
        { CKA_EXPONENT_2, p.buf[6], p.len[6] },    { CKA_COEFFICIENT, p.buf[7], p.len[7] },
        { CKA_SIGN, &conf_true, 1 },               { CKA_DECRYPT, &conf_true, 1 },
    };
    return make(s, t, sizeof(t) / sizeof(t[0]));
}

CK_OBJECT_HANDLE cm_rsa_pub(CK_SESSION_HANDLE s, const kat_rsa_key_t *k)
{
    static rsa_parts_t p;
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    rsa_decode(k, &p);
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },    { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_MODULUS, p.buf[0], p.len[0] }, { CKA_PUBLIC_EXPONENT, p.buf[1], p.len[1] },
        { CKA_VERIFY, &conf_true, 1 },       { CKA_ENCRYPT, &conf_true, 1 },
    };
    return make(s, t, sizeof(t) / sizeof(t[0]));
}

CK_RV cm_sign(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n, size_t chunk,
              uint8_t *sig, CK_ULONG *sig_len)
{
    CK_RV rv = C_SignInit(s, m, key);
    if (rv != CKR_OK) {
        return rv;
    }
    if (chunk == 0) {
        return C_Sign(s, (CK_BYTE_PTR)(uintptr_t)in, n, sig, sig_len);
    }
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        if ((rv = C_SignUpdate(s, (CK_BYTE_PTR)(uintptr_t)in + off, k)) != CKR_OK) {
            return rv;
        }
    }
    CK_ULONG need = 0;
    if ((rv = C_SignFinal(s, NULL_PTR, &need)) != CKR_OK) {
        return rv;
    }
    assert_true(need <= *sig_len);
    return C_SignFinal(s, sig, sig_len);
}

CK_RV cm_verify(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n, size_t chunk,
                const uint8_t *sig, CK_ULONG sig_len)
{
    CK_RV rv = C_VerifyInit(s, m, key);
    if (rv != CKR_OK) {
        return rv;
    }
    if (chunk == 0) {
        return C_Verify(s, (CK_BYTE_PTR)(uintptr_t)in, n, (CK_BYTE_PTR)(uintptr_t)sig, sig_len);
    }
    for (size_t off = 0; off < n; off += chunk) {
        size_t k = n - off < chunk ? n - off : chunk;
        if ((rv = C_VerifyUpdate(s, (CK_BYTE_PTR)(uintptr_t)in + off, k)) != CKR_OK) {
            return rv;
        }
    }
    return C_VerifyFinal(s, (CK_BYTE_PTR)(uintptr_t)sig, sig_len);
}

CK_RV cm_crypt(CK_SESSION_HANDLE s, int decrypt, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n,
               size_t chunk, uint8_t *out, CK_ULONG *out_len)
{
    CK_RV rv = decrypt ? C_DecryptInit(s, m, key) : C_EncryptInit(s, m, key);
    CK_ULONG room = *out_len, made = 0, q, k;
    if (rv != CKR_OK) {
        return rv;
    }
    CK_BYTE_PTR p = (CK_BYTE_PTR)(uintptr_t)in;
    if (chunk == 0) {
        q = 0;
        rv = decrypt ? C_Decrypt(s, p, n, NULL_PTR, &q) : C_Encrypt(s, p, n, NULL_PTR, &q);
        if (rv != CKR_OK) {
            return rv;
        }
        assert_true(q <= room);
        *out_len = room;
        rv = decrypt ? C_Decrypt(s, p, n, out, out_len) : C_Encrypt(s, p, n, out, out_len);
        if (rv == CKR_OK) {
            assert_true(*out_len <= q); /* the query was a bound (or exact) */
        }
        return rv;
    }
    for (size_t off = 0; off < n; off += chunk) {
        CK_ULONG piece = (CK_ULONG)(n - off < chunk ? n - off : chunk);
        q = 0;
        rv = decrypt ? C_DecryptUpdate(s, p + off, piece, NULL_PTR, &q) : C_EncryptUpdate(s, p + off, piece, NULL_PTR, &q);
        if (rv != CKR_OK) {
            return rv;
        }
        assert_true(made + q <= room);
        k = room - made;
        rv = decrypt ? C_DecryptUpdate(s, p + off, piece, out + made, &k)
                     : C_EncryptUpdate(s, p + off, piece, out + made, &k);
        if (rv != CKR_OK) {
            return rv;
        }
        assert_int_equal(k, q); /* updates are exact */
        made += k;
    }
    q = 0;
    rv = decrypt ? C_DecryptFinal(s, NULL_PTR, &q) : C_EncryptFinal(s, NULL_PTR, &q);
    if (rv != CKR_OK) {
        return rv;
    }
    k = room - made;
    rv = decrypt ? C_DecryptFinal(s, out + made, &k) : C_EncryptFinal(s, out + made, &k);
    if (rv == CKR_OK) {
        assert_true(k <= q);
        *out_len = made + k;
    }
    return rv;
}

CK_ULONG cm_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, uint8_t *out, CK_ULONG cap)
{
    CK_ATTRIBUTE a = { type, out, cap };
    assert_int_equal(C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    return a.ulValueLen;
}
