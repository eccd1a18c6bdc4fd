/* Conformance: the attribute rules that govern how a key may be used
 * (issue 13.5) - CKA_ALWAYS_AUTHENTICATE and C_Login(CKU_CONTEXT_SPECIFIC);
 * the attribute arrays CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE and
 * CKA_DERIVE_TEMPLATE (kept, read with the two-call convention, and
 * applied); CKA_TRUSTED, which only the SO sets, and the keys that may be
 * made with it. One test per rule. Host and Cortex-M4. */
#include "conf_mech.h"

#include "nvtoken/config.h"

static uint8_t out[CM_MAX];
static const uint8_t key16[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                   0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
static const uint8_t key32[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static CK_BYTE hash32[32] = { 0x5a };
static CK_OBJECT_CLASS cls_secret = CKO_SECRET_KEY, cls_priv = CKO_PRIVATE_KEY;
static CK_KEY_TYPE kt_aes = CKK_AES, kt_gen = CKK_GENERIC_SECRET, kt_ec = CKK_EC;

/* The P-256 key of the first ECDSA vector: private value, public point. */
static const kat_ecdsa_t *p256(void)
{
    for (size_t i = 0; i < kat_ecdsa_count; i++) {
        if (kat_ecdsas[i].bits == 256) {
            return &kat_ecdsas[i];
        }
    }
    fail();
    return NULL;
}

/* An EC P-256 private key (session object) with extra attributes. */
static CK_RV ec_priv(CK_SESSION_HANDLE s, const CK_ATTRIBUTE *extra, CK_ULONG extra_n, CK_OBJECT_HANDLE *h)
{
    static uint8_t d[48];
    size_t dn = kat_hex(p256()->d, d, sizeof(d));
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    CK_ATTRIBUTE t[16] = {
        { CKA_CLASS, &cls_priv, sizeof(cls_priv) }, { CKA_KEY_TYPE, &kt_ec, sizeof(kt_ec) },
        { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, d, dn },
        { CKA_SIGN, &conf_true, 1 },                { CKA_DERIVE, &conf_true, 1 },
    };
    assert_true(extra_n <= 10);
    if (extra_n > 0) {
        memcpy(t + 6, extra, extra_n * sizeof(CK_ATTRIBUTE));
    }
    return C_CreateObject(s, t, 6 + extra_n, h);
}

/* A key that asks for the PIN at every use. */
static CK_OBJECT_HANDLE always_auth_key(CK_SESSION_HANDLE s)
{
    CK_ATTRIBUTE aa[] = { { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(ec_priv(s, aa, 1, &h), CKR_OK);
    assert_int_equal(conf_bool(s, h, CKA_ALWAYS_AUTHENTICATE), CK_TRUE);
    return h;
}

static CK_OBJECT_HANDLE p256_pub(CK_SESSION_HANDLE s)
{
    uint8_t q[97];
    size_t qn = kat_hex(p256()->point, q, sizeof(q));
    return cm_ec_pub(s, 256, q, qn);
}

static CK_RV sign(CK_SESSION_HANDLE s, CK_ULONG *len)
{
    *len = sizeof(out);
    return C_Sign(s, hash32, sizeof(hash32), out, len);
}

static CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };

static CK_RV context_login(CK_SESSION_HANDLE s, const CK_UTF8CHAR *pin, CK_ULONG len)
{
    return C_Login(s, CKU_CONTEXT_SPECIFIC, (CK_UTF8CHAR_PTR)(uintptr_t)pin, len);
}

/* ---- CKA_ALWAYS_AUTHENTICATE ---------------------------------------------------------- */

static void an_always_authenticate_key_signs_only_after_a_context_specific_login(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE key = always_auth_key(s), pub = p256_pub(s);
    CK_ULONG len;
    /* without it: CKR_USER_NOT_LOGGED_IN, and the operation is over */
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(sign(s, &len), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(sign(s, &len), CKR_OPERATION_NOT_INITIALIZED);
    /* with it */
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(sign(s, &len), CKR_OK);
    assert_int_equal(len, 64);
    assert_int_equal(C_VerifyInit(s, &ecdsa, pub), CKR_OK);
    assert_int_equal(C_Verify(s, hash32, sizeof(hash32), out, len), CKR_OK);
}

static void a_context_specific_login_lasts_for_one_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE key = always_auth_key(s);
    CK_ULONG len;
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    /* a length query and a short buffer keep the operation, and its login */
    assert_int_equal(C_Sign(s, hash32, sizeof(hash32), NULL_PTR, &len), CKR_OK);
    len = 10;
    assert_int_equal(C_Sign(s, hash32, sizeof(hash32), out, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(sign(s, &len), CKR_OK);
    /* the next operation needs its own */
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(sign(s, &len), CKR_USER_NOT_LOGGED_IN);
}

static void every_call_of_a_multi_part_operation_needs_the_context_login(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE key = always_auth_key(s);
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_SignInit(s, &m, key), CKR_OK);
    assert_int_equal(C_SignUpdate(s, hash32, 10), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(C_SignFinal(s, out, &len), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_SignInit(s, &m, key), CKR_OK);
    assert_int_equal(C_SignFinal(s, NULL_PTR, &len), CKR_USER_NOT_LOGGED_IN); /* a length query too */
    assert_int_equal(C_SignInit(s, &m, key), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(C_SignUpdate(s, hash32, 10), CKR_OK);
    assert_int_equal(C_SignUpdate(s, hash32, 22), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_SignFinal(s, out, &len), CKR_OK);
    assert_int_equal(len, 64);
}

static void a_context_specific_login_without_such_an_operation_is_operation_not_initialized(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OPERATION_NOT_INITIALIZED);
    /* an operation with a key that does not ask for it is not such an operation */
    CK_OBJECT_HANDLE plain;
    assert_int_equal(ec_priv(s, NULL, 0, &plain), CKR_OK);
    assert_int_equal(C_SignInit(s, &ecdsa, plain), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OPERATION_NOT_INITIALIZED);
    CK_ULONG len;
    assert_int_equal(sign(s, &len), CKR_OK);
    /* nor one that is over: a second login for one operation */
    CK_OBJECT_HANDLE key = always_auth_key(s);
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OPERATION_NOT_INITIALIZED);
    /* nor one in another session */
    CK_SESSION_HANDLE other = conf_open(0);
    assert_int_equal(C_SignInit(other, &ecdsa, key), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(sign(other, &len), CKR_USER_NOT_LOGGED_IN);
}

static void a_context_specific_login_needs_the_user_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE key = always_auth_key(s);
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_NOT_LOGGED_IN);
}

static void a_wrong_context_pin_counts_as_a_failed_user_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE key = always_auth_key(s);
    CK_ULONG len;
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(context_login(s, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_INCORRECT);
    assert_int_equal(conf_token_flags() & CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_COUNT_LOW);
    /* the operation still waits for the PIN; the right one resets the count */
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(conf_token_flags() & CKF_USER_PIN_COUNT_LOW, 0);
    assert_int_equal(sign(s, &len), CKR_OK);
    /* enough wrong ones lock the user PIN, as wrong C_Login(CKU_USER) do */
    assert_int_equal(C_SignInit(s, &ecdsa, key), CKR_OK);
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_USER_PIN_TRIES; i++) {
        assert_int_equal(context_login(s, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_INCORRECT);
    }
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_PIN_LOCKED);
    assert_int_equal(conf_token_flags() & CKF_USER_PIN_LOCKED, CKF_USER_PIN_LOCKED);
    assert_int_equal(sign(s, &len), CKR_USER_NOT_LOGGED_IN);
}

static void always_authenticate_needs_a_private_key_and_is_fixed(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ATTRIBUTE public_aa[] = { { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 }, { CKA_PRIVATE, &conf_false, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(ec_priv(s, public_aa, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(ec_priv(s, public_aa + 1, 1, &h), CKR_OK);
    assert_int_equal(conf_bool(s, h, CKA_ALWAYS_AUTHENTICATE), CK_FALSE); /* the default */
    CK_ATTRIBUTE on[] = { { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, h, on, 1), CKR_ATTRIBUTE_READ_ONLY);
    /* a secret key has no such attribute */
    CK_ATTRIBUTE sec[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                           { CKA_VALUE, (void *)(uintptr_t)key16, 16 }, { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    assert_int_equal(C_CreateObject(s, sec, 4, &h), CKR_ATTRIBUTE_TYPE_INVALID);
    /* a generated private key may have it */
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    CK_ATTRIBUTE pub_t[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len } };
    CK_ATTRIBUTE priv_t[] = { { CKA_SIGN, &conf_true, 1 }, { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_OBJECT_HANDLE hpub, hpriv;
    assert_int_equal(C_GenerateKeyPair(s, &gen, pub_t, 1, priv_t, 2, &hpub, &hpriv), CKR_OK);
    CK_ULONG len;
    assert_int_equal(C_SignInit(s, &ecdsa, hpriv), CKR_OK);
    assert_int_equal(sign(s, &len), CKR_USER_NOT_LOGGED_IN);
}

#if NVT_CONFIG_MECH_RSA_ENCRYPT
/* Decryption is a use too; with two operations waiting, the login is for
 * the one initialised last. */
static void a_context_specific_login_is_for_the_operation_initialised_last(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE rsa = cm_rsa_priv(s, &kat_rsa_key_a), rsa_pub = cm_rsa_pub(s, &kat_rsa_key_a);
    CK_ATTRIBUTE aa[] = { { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    CK_OBJECT_HANDLE copy;
    assert_int_equal(C_CopyObject(s, rsa, aa, 1, &copy), CKR_ATTRIBUTE_READ_ONLY); /* fixed at creation */
    CK_OBJECT_HANDLE ec = always_auth_key(s);
    /* an always-authenticate RSA key from its parts */
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    static uint8_t n[512], e[8], d[512];
    size_t nn = kat_hex(kat_rsa_key_a.n, n, sizeof(n)), en = kat_hex(kat_rsa_key_a.e, e, sizeof(e)),
           dn = kat_hex(kat_rsa_key_a.d, d, sizeof(d));
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },      { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_MODULUS, n, nn },                 { CKA_PUBLIC_EXPONENT, e, en },
                         { CKA_PRIVATE_EXPONENT, d, dn },        { CKA_DECRYPT, &conf_true, 1 },
                         { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    CK_OBJECT_HANDLE dec;
    assert_int_equal(C_CreateObject(s, t, 7, &dec), CKR_OK);
    CK_MECHANISM pkcs = { CKM_RSA_PKCS, NULL_PTR, 0 };
    uint8_t ct[512];
    CK_ULONG ct_len = sizeof(ct), pt_len = sizeof(out), len;
    assert_int_equal(C_EncryptInit(s, &pkcs, rsa_pub), CKR_OK);
    assert_int_equal(C_Encrypt(s, hash32, 16, ct, &ct_len), CKR_OK);
    (void)rsa;
    assert_int_equal(C_SignInit(s, &ecdsa, ec), CKR_OK);
    assert_int_equal(C_DecryptInit(s, &pkcs, dec), CKR_OK);
    assert_int_equal(context_login(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(C_Decrypt(s, ct, ct_len, out, &pt_len), CKR_OK);
    assert_int_equal(pt_len, 16);
    assert_memory_equal(out, hash32, 16);
    assert_int_equal(sign(s, &len), CKR_USER_NOT_LOGGED_IN);
    /* and decryption without it */
    assert_int_equal(C_DecryptInit(s, &pkcs, dec), CKR_OK);
    pt_len = sizeof(out);
    assert_int_equal(C_Decrypt(s, ct, ct_len, out, &pt_len), CKR_USER_NOT_LOGGED_IN);
}
#endif

/* ---- the template attributes ---------------------------------------------------------- */

/* An AES wrapping key (session object) with one attribute array. */
static CK_RV kek_with(CK_SESSION_HANDLE s, CK_ATTRIBUTE_TYPE which, CK_ATTRIBUTE *arr, CK_ULONG n,
                      CK_OBJECT_HANDLE *h)
{
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) },
                         { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                         { CKA_VALUE, (void *)(uintptr_t)key16, 16 },
                         { CKA_WRAP, &conf_true, 1 },
                         { CKA_UNWRAP, &conf_true, 1 },
                         { CKA_DERIVE, &conf_true, 1 },
                         { which, arr, n * sizeof(CK_ATTRIBUTE) } };
    return C_CreateObject(s, t, 7, h);
}

static void a_template_attribute_reads_back_with_the_array_convention(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ULONG vlen = 16;
    CK_BYTE label[] = "wrapped";
    CK_ATTRIBUTE arr[] = { { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                           { CKA_EXTRACTABLE, &conf_true, 1 },
                           { CKA_VALUE_LEN, &vlen, sizeof(vlen) },
                           { CKA_LABEL, label, 7 } };
    CK_OBJECT_HANDLE kek;
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, arr, 4, &kek), CKR_OK);
    /* 1: the size of the array */
    CK_ATTRIBUTE a = { CKA_WRAP_TEMPLATE, NULL_PTR, 0 };
    assert_int_equal(C_GetAttributeValue(s, kek, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, 4 * sizeof(CK_ATTRIBUTE));
    /* 2: the elements' types and lengths */
    CK_ATTRIBUTE got[4];
    memset(got, 0, sizeof(got));
    a.pValue = got;
    assert_int_equal(C_GetAttributeValue(s, kek, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, 4 * sizeof(CK_ATTRIBUTE));
    for (int i = 0; i < 4; i++) {
        assert_int_equal(got[i].type, arr[i].type);
        assert_int_equal(got[i].ulValueLen, arr[i].ulValueLen);
    }
    /* 3: the values; an element too small is CK_UNAVAILABLE_INFORMATION */
    CK_KEY_TYPE kt = 0;
    CK_BBOOL ext = 0;
    CK_ULONG vl = 0;
    CK_BYTE lb[3];
    got[0].pValue = &kt;
    got[1].pValue = &ext;
    got[2].pValue = &vl;
    got[3].pValue = lb;
    got[3].ulValueLen = sizeof(lb);
    assert_int_equal(C_GetAttributeValue(s, kek, &a, 1), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(kt, CKK_AES);
    assert_int_equal(ext, CK_TRUE);
    assert_int_equal(vl, 16);
    assert_int_equal(got[3].ulValueLen, CK_UNAVAILABLE_INFORMATION);
    CK_BYTE lb7[7];
    got[3].pValue = lb7;
    got[3].ulValueLen = sizeof(lb7);
    assert_int_equal(C_GetAttributeValue(s, kek, &a, 1), CKR_OK);
    assert_memory_equal(lb7, label, 7);
    /* an array too small for the elements */
    a.ulValueLen = 3 * sizeof(CK_ATTRIBUTE);
    assert_int_equal(C_GetAttributeValue(s, kek, &a, 1), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
    /* a key without one reads as an empty array; find matches on it */
    CK_OBJECT_HANDLE plain = cm_secret(s, CKK_AES, key16, 16);
    CK_ATTRIBUTE e = { CKA_WRAP_TEMPLATE, NULL_PTR, 0 };
    assert_int_equal(C_GetAttributeValue(s, plain, &e, 1), CKR_OK);
    assert_int_equal(e.ulValueLen, 0);
    CK_ATTRIBUTE find[] = { { CKA_WRAP_TEMPLATE, arr, sizeof(arr) } };
    assert_int_equal(conf_count(s, find, 1), 1);
    find[0].ulValueLen = 3 * sizeof(CK_ATTRIBUTE);
    assert_int_equal(conf_count(s, find, 1), 0);
}

static void a_template_attribute_is_checked_when_it_is_given(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE h;
    CK_ULONG bad_ulong = 1;
    CK_BBOOL two[2] = { 1, 1 };
    CK_ATTRIBUTE inner[] = { { CKA_EXTRACTABLE, &conf_true, 1 } };
    CK_ATTRIBUTE nested[] = { { CKA_WRAP_TEMPLATE, inner, sizeof(inner) } };
    CK_ATTRIBUTE unknown[] = { { 0x7FFFFFF0UL, &conf_true, 1 } };
    CK_ATTRIBUTE bad_bool[] = { { CKA_EXTRACTABLE, two, 2 } };
    CK_ATTRIBUTE bad_len[] = { { CKA_VALUE_LEN, &bad_ulong, 3 } };
    CK_ATTRIBUTE twice[] = { { CKA_EXTRACTABLE, &conf_true, 1 }, { CKA_EXTRACTABLE, &conf_true, 1 } };
    CK_ATTRIBUTE bad_class[] = { { CKA_CLASS, &bad_ulong, sizeof(bad_ulong) } };
    bad_ulong = 0x12345;
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, nested, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, unknown, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, bad_bool, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, bad_len, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, twice, 2, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_UNWRAP_TEMPLATE, bad_class, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    /* not a whole number of CK_ATTRIBUTE */
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                         { CKA_VALUE, (void *)(uintptr_t)key16, 16 }, { CKA_WRAP_TEMPLATE, inner, 5 } };
    assert_int_equal(C_CreateObject(s, t, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    /* more than TOK_TMPL_MAX (16) attributes */
    static const CK_ATTRIBUTE_TYPE bools[] = { CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE, CKA_COPYABLE,
                                               CKA_DESTROYABLE, CKA_SENSITIVE, CKA_ENCRYPT, CKA_DECRYPT,
                                               CKA_WRAP, CKA_UNWRAP, CKA_SIGN, CKA_VERIFY,
                                               CKA_DERIVE, CKA_EXTRACTABLE, CKA_LOCAL, CKA_TRUSTED,
                                               CKA_WRAP_WITH_TRUSTED };
    CK_ATTRIBUTE many[17];
    for (int i = 0; i < 17; i++) {
        many[i] = (CK_ATTRIBUTE){ bools[i], &conf_true, 1 };
    }
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, many, 17, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, many, 16, &h), CKR_OK);
    /* on the classes that have it only; fixed after creation */
    CK_ATTRIBUTE wt[] = { { CKA_WRAP_TEMPLATE, inner, sizeof(inner) } };
    assert_int_equal(ec_priv(s, wt, 1, &h), CKR_ATTRIBUTE_TYPE_INVALID);
    CK_ATTRIBUTE ut[] = { { CKA_UNWRAP_TEMPLATE, inner, sizeof(inner) } };
    assert_int_equal(ec_priv(s, ut, 1, &h), CKR_OK);
    assert_int_equal(C_SetAttributeValue(s, h, ut, 1), CKR_ATTRIBUTE_READ_ONLY);
    CK_OBJECT_HANDLE copy;
    assert_int_equal(C_CopyObject(s, h, ut, 1, &copy), CKR_ATTRIBUTE_READ_ONLY);
    assert_int_equal(C_CopyObject(s, h, NULL_PTR, 0, &copy), CKR_OK);
    CK_ATTRIBUTE a = { CKA_UNWRAP_TEMPLATE, NULL_PTR, 0 };
    assert_int_equal(C_GetAttributeValue(s, copy, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, sizeof(CK_ATTRIBUTE));
}

static void a_wrapping_key_wraps_only_keys_that_match_its_wrap_template(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ULONG vlen = 16;
    CK_ATTRIBUTE arr[] = { { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) }, { CKA_VALUE_LEN, &vlen, sizeof(vlen) } };
    CK_OBJECT_HANDLE kek;
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, arr, 2, &kek), CKR_OK);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, cm_secret(s, CKK_AES, key16, 16), out, &len), CKR_OK);
    assert_int_equal(len, 24);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, cm_secret(s, CKK_AES, key32, 32), out, &len), CKR_KEY_NOT_WRAPPABLE);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, cm_secret(s, CKK_GENERIC_SECRET, key16, 16), out, &len),
                     CKR_KEY_NOT_WRAPPABLE);
    /* a template naming a value the caller cannot read never matches: no
     * oracle for a sensitive key's value */
    CK_ATTRIBUTE by_value[] = { { CKA_VALUE, (void *)(uintptr_t)key32, 32 } };
    CK_OBJECT_HANDLE kek2;
    assert_int_equal(kek_with(s, CKA_WRAP_TEMPLATE, by_value, 1, &kek2), CKR_OK);
    CK_ATTRIBUTE sens[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                            { CKA_VALUE, (void *)(uintptr_t)key32, 32 }, { CKA_SENSITIVE, &conf_true, 1 },
                            { CKA_EXTRACTABLE, &conf_true, 1 } };
    CK_OBJECT_HANDLE secret;
    assert_int_equal(C_CreateObject(s, sens, 5, &secret), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek2, secret, out, &len), CKR_KEY_NOT_WRAPPABLE);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek2, cm_secret(s, CKK_AES, key32, 32), out, &len), CKR_OK);
}

/* A 16-byte AES key wrapped under key16 with KW. */
static CK_ULONG wrapped16(CK_SESSION_HANDLE s, uint8_t *w)
{
    CK_OBJECT_HANDLE kek = cm_secret(s, CKK_AES, key16, 16), k = cm_secret(s, CKK_AES, key32, 16);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    CK_ULONG len = 40;
    assert_int_equal(C_WrapKey(s, &kw, kek, k, w, &len), CKR_OK);
    return len;
}

static void an_unwrapped_key_gets_its_unwrapping_keys_template(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    uint8_t w[40];
    CK_ULONG wlen = wrapped16(s, w);
    CK_BYTE id[] = { 7 };
    CK_ATTRIBUTE arr[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                           { CKA_SENSITIVE, &conf_true, 1 },              { CKA_EXTRACTABLE, &conf_false, 1 },
                           { CKA_ID, id, 1 } };
    CK_OBJECT_HANDLE kek, h;
    assert_int_equal(kek_with(s, CKA_UNWRAP_TEMPLATE, arr, 5, &kek), CKR_OK);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    /* an empty template: class and key type come from the key's */
    assert_int_equal(C_UnwrapKey(s, &kw, kek, w, wlen, NULL_PTR, 0, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_AES);
    assert_int_equal(conf_bool(s, h, CKA_SENSITIVE), CK_TRUE);
    assert_int_equal(conf_bool(s, h, CKA_EXTRACTABLE), CK_FALSE);
    CK_BYTE got[4];
    CK_ATTRIBUTE a = { CKA_ID, got, sizeof(got) };
    assert_int_equal(C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, 1);
    assert_int_equal(got[0], 7);
    /* the caller adds to it, and may repeat it */
    CK_BYTE label[] = "mine";
    CK_ATTRIBUTE add[] = { { CKA_LABEL, label, 4 }, { CKA_SENSITIVE, &conf_true, 1 } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, w, wlen, add, 2, &h), CKR_OK);
    assert_int_equal(conf_bool(s, h, CKA_EXTRACTABLE), CK_FALSE);
    CK_ATTRIBUTE find[] = { { CKA_LABEL, label, 4 } };
    assert_int_equal(conf_count(s, find, 1), 1);
    /* but does not contradict it: nothing is made */
    CK_ATTRIBUTE contra[] = { { CKA_EXTRACTABLE, &conf_true, 1 }, { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)"bad", 3 } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, w, wlen, contra, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    CK_ATTRIBUTE bad[] = { { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)"bad", 3 } };
    assert_int_equal(conf_count(s, bad, 1), 0);
    CK_ATTRIBUTE other_type[] = { { CKA_KEY_TYPE, &kt_gen, sizeof(kt_gen) } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, w, wlen, other_type, 1, &h), CKR_TEMPLATE_INCONSISTENT);
    /* an empty template of the key's leaves the caller's as it is */
    CK_OBJECT_HANDLE empty;
    assert_int_equal(kek_with(s, CKA_UNWRAP_TEMPLATE, NULL_PTR, 0, &empty), CKR_OK);
    CK_ATTRIBUTE none = { CKA_UNWRAP_TEMPLATE, NULL_PTR, 1 };
    assert_int_equal(C_GetAttributeValue(s, empty, &none, 1), CKR_OK);
    assert_int_equal(none.ulValueLen, 0);
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_gen, sizeof(kt_gen) } };
    assert_int_equal(C_UnwrapKey(s, &kw, empty, w, wlen, t, 2, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
}

static void a_key_template_cannot_give_what_only_the_so_may(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    uint8_t w[40];
    CK_ULONG wlen = wrapped16(s, w);
    CK_ATTRIBUTE arr[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                           { CKA_TRUSTED, &conf_true, 1 } };
    CK_OBJECT_HANDLE kek, h;
    assert_int_equal(kek_with(s, CKA_UNWRAP_TEMPLATE, arr, 3, &kek), CKR_OK);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, w, wlen, NULL_PTR, 0, &h), CKR_ATTRIBUTE_READ_ONLY);
    /* nor can the caller's own template */
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                         { CKA_TRUSTED, &conf_true, 1 } };
    CK_OBJECT_HANDLE plain = cm_secret(s, CKK_AES, key16, 16);
    assert_int_equal(C_UnwrapKey(s, &kw, plain, w, wlen, t, 3, &h), CKR_ATTRIBUTE_READ_ONLY);
    CK_MECHANISM gen = { CKM_AES_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG vlen = 16;
    CK_ATTRIBUTE g[] = { { CKA_VALUE_LEN, &vlen, sizeof(vlen) }, { CKA_TRUSTED, &conf_true, 1 } };
    assert_int_equal(C_GenerateKey(s, &gen, g, 2, &h), CKR_ATTRIBUTE_READ_ONLY);
    CK_ATTRIBUTE trust[] = { { CKA_TRUSTED, &conf_true, 1 } };
    assert_int_equal(C_CopyObject(s, plain, trust, 1, &h), CKR_ATTRIBUTE_READ_ONLY);
}

static void a_derived_key_gets_its_base_keys_template(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ULONG vlen = 16;
    CK_ATTRIBUTE arr[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) },
                           { CKA_KEY_TYPE, &kt_gen, sizeof(kt_gen) },
                           { CKA_VALUE_LEN, &vlen, sizeof(vlen) },
                           { CKA_SENSITIVE, &conf_false, 1 },
                           { CKA_EXTRACTABLE, &conf_true, 1 } };
    CK_ATTRIBUTE dt[] = { { CKA_DERIVE_TEMPLATE, arr, sizeof(arr) } };
    CK_OBJECT_HANDLE base, h, h2;
    assert_int_equal(ec_priv(s, dt, 1, &base), CKR_OK);
    uint8_t q[97];
    size_t qn = kat_hex(p256()->point, q, sizeof(q));
    CK_ECDH1_DERIVE_PARAMS dp = { CKD_NULL, 0, NULL_PTR, qn, q };
    CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &dp, sizeof(dp) };
    /* nothing from the caller: class, type and length from the base's */
    assert_int_equal(C_DeriveKey(s, &ecdh, base, NULL_PTR, 0, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
    assert_int_equal(conf_ulong(s, h, CKA_VALUE_LEN), 16);
    assert_int_equal(cm_value(s, h, CKA_VALUE, out, sizeof(out)), 16);
    /* the same secret as without the template, asked for in full */
    CK_OBJECT_HANDLE plain;
    assert_int_equal(ec_priv(s, NULL, 0, &plain), CKR_OK);
    CK_ULONG full = 32;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_gen, sizeof(kt_gen) },
                         { CKA_VALUE_LEN, &full, sizeof(full) }, { CKA_SENSITIVE, &conf_false, 1 },
                         { CKA_EXTRACTABLE, &conf_true, 1 } };
    assert_int_equal(C_DeriveKey(s, &ecdh, plain, t, 5, &h2), CKR_OK);
    uint8_t z[32];
    assert_int_equal(cm_value(s, h2, CKA_VALUE, z, sizeof(z)), 32);
    assert_memory_equal(out, z, 16);
    /* a caller's template that contradicts the base's makes nothing */
    assert_int_equal(C_DeriveKey(s, &ecdh, base, t, 5, &h), CKR_TEMPLATE_INCONSISTENT);
    CK_ATTRIBUTE agree[] = { { CKA_VALUE_LEN, &vlen, sizeof(vlen) }, { CKA_ID, (CK_VOID_PTR)(uintptr_t)"d", 1 } };
    assert_int_equal(C_DeriveKey(s, &ecdh, base, agree, 2, &h), CKR_OK);
}

/* Templates are part of the object: a token object keeps them across a
 * restart (the target: a power cycle), and they still apply. */
static void template_attributes_persist_in_token_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ULONG vlen = 16;
    CK_ATTRIBUTE arr[] = { { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) }, { CKA_VALUE_LEN, &vlen, sizeof(vlen) } };
    CK_BYTE label[] = "kek";
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                         { CKA_VALUE, (void *)(uintptr_t)key16, 16 },   { CKA_WRAP, &conf_true, 1 },
                         { CKA_TOKEN, &conf_true, 1 },                  { CKA_LABEL, label, 3 },
                         { CKA_WRAP_TEMPLATE, arr, sizeof(arr) } };
    CK_OBJECT_HANDLE kek;
    assert_int_equal(C_CreateObject(s, t, 7, &kek), CKR_OK);
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    s = cm_session();
    CK_ATTRIBUTE find[] = { { CKA_LABEL, label, 3 }, { CKA_WRAP_TEMPLATE, arr, sizeof(arr) } };
    CK_OBJECT_HANDLE found;
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(s, find, 2), CKR_OK);
    assert_int_equal(C_FindObjects(s, &found, 1, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(n, 1);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, found, cm_secret(s, CKK_AES, key32, 32), out, &len), CKR_KEY_NOT_WRAPPABLE);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, found, cm_secret(s, CKK_AES, key32, 16), out, &len), CKR_OK);
}

/* ---- CKA_TRUSTED and CKA_WRAP_WITH_TRUSTED -------------------------------------------- */

static void wrap_with_trusted_is_one_way_and_checked_against_the_wrapping_key(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE guarded = cm_secret(s, CKK_AES, key32, 32);
    CK_ATTRIBUTE on[] = { { CKA_WRAP_WITH_TRUSTED, &conf_true, 1 } }, off[] = { { CKA_WRAP_WITH_TRUSTED, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, guarded, on, 1), CKR_OK);
    assert_int_equal(C_SetAttributeValue(s, guarded, off, 1), CKR_ATTRIBUTE_READ_ONLY);
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    CK_OBJECT_HANDLE untrusted = cm_secret(s, CKK_AES, key16, 16);
    assert_int_equal(C_WrapKey(s, &kw, untrusted, guarded, out, &len), CKR_KEY_NOT_WRAPPABLE);
    /* the SO makes a trusted wrapping key (a public one: the SO sees no
     * private objects); the user wraps under it */
    CK_SESSION_HANDLE so = conf_open(1);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_so(so);
    CK_ATTRIBUTE tk[] = { { CKA_CLASS, &cls_secret, sizeof(cls_secret) }, { CKA_KEY_TYPE, &kt_aes, sizeof(kt_aes) },
                          { CKA_VALUE, (void *)(uintptr_t)key16, 16 },   { CKA_PRIVATE, &conf_false, 1 },
                          { CKA_WRAP, &conf_true, 1 },                   { CKA_TRUSTED, &conf_true, 1 } };
    CK_OBJECT_HANDLE trusted;
    assert_int_equal(C_CreateObject(so, tk, 6, &trusted), CKR_OK);
    assert_int_equal(conf_bool(so, trusted, CKA_TRUSTED), CK_TRUE);
    assert_int_equal(C_Logout(so), CKR_OK);
    conf_login_user(s);
    guarded = cm_secret(s, CKK_AES, key32, 32); /* the logout took the session's private keys */
    assert_int_equal(C_SetAttributeValue(s, guarded, on, 1), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, trusted, guarded, out, &len), CKR_OK);
    assert_int_equal(len, 40);
    /* what only the SO may set, the user may not take away either */
    CK_ATTRIBUTE untrust[] = { { CKA_TRUSTED, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, trusted, untrust, 1), CKR_ATTRIBUTE_READ_ONLY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(an_always_authenticate_key_signs_only_after_a_context_specific_login),
        CONF_TEST(a_context_specific_login_lasts_for_one_operation),
        CONF_TEST(every_call_of_a_multi_part_operation_needs_the_context_login),
        CONF_TEST(a_context_specific_login_without_such_an_operation_is_operation_not_initialized),
        CONF_TEST(a_context_specific_login_needs_the_user_logged_in),
        CONF_TEST(a_wrong_context_pin_counts_as_a_failed_user_pin),
        CONF_TEST(always_authenticate_needs_a_private_key_and_is_fixed),
#if NVT_CONFIG_MECH_RSA_ENCRYPT
        CONF_TEST(a_context_specific_login_is_for_the_operation_initialised_last),
#endif
        CONF_TEST(a_template_attribute_reads_back_with_the_array_convention),
        CONF_TEST(a_template_attribute_is_checked_when_it_is_given),
        CONF_TEST(a_wrapping_key_wraps_only_keys_that_match_its_wrap_template),
        CONF_TEST(an_unwrapped_key_gets_its_unwrapping_keys_template),
        CONF_TEST(a_key_template_cannot_give_what_only_the_so_may),
        CONF_TEST(a_derived_key_gets_its_base_keys_template),
        CONF_TEST(template_attributes_persist_in_token_objects),
        CONF_TEST(wrap_with_trusted_is_one_way_and_checked_against_the_wrapping_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
