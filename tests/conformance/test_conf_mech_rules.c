/* Conformance: what the mechanisms report and how they fail - each mechanism's
 * C_GetMechanismInfo, the operation-state rules under error (a failed call
 * ends the operation, a short buffer or a length query does not), wrong key
 * types, keys that do not permit the use, bad parameters, bad lengths, and
 * the wrapping policy (CKA_WRAP, CKA_UNWRAP, CKA_EXTRACTABLE,
 * CKA_WRAP_WITH_TRUSTED, CKA_TRUSTED). Host and Cortex-M4. */
#include "conf_mech.h"

static uint8_t buf[CM_MAX], out[CM_MAX];
static const uint8_t key16[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                                   0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
#if NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM || NVT_CONFIG_MECH_AES_KEY_WRAP
static uint8_t iv16[16];
#endif

/* The EC P-256 key pair of RFC 6979 A.2.5 (the first ECDSA vector). */
static void p256_pair(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE *priv, CK_OBJECT_HANDLE *pub)
{
    const kat_ecdsa_t *v = NULL;
    for (size_t i = 0; i < kat_ecdsa_count && v == NULL; i++) {
        v = kat_ecdsas[i].bits == 256 ? &kat_ecdsas[i] : NULL;
    }
    assert_non_null(v);
    uint8_t d[48], q[97];
    size_t dn = kat_hex(v->d, d, sizeof(d)), qn = kat_hex(v->point, q, sizeof(q));
    *priv = cm_ec_priv(s, 256, d, dn);
    *pub = cm_ec_pub(s, 256, q, qn);
}

/* ---- what each mechanism reports ------------------------------------------------------ */

static void c_get_mechanism_info_reports_sizes_and_flags_of_what_works(void **state)
{
    (void)state;
    /* Every mechanism the token knows, with what the profile keeps: kept
     * ones are listed with these sizes and flags, the others are neither
     * listed nor described (CKR_MECHANISM_INVALID). */
    const int ec = NVT_CONFIG_MECH_ECDSA, sha1 = NVT_CONFIG_MECH_SHA1, sha512 = NVT_CONFIG_MECH_SHA512;
    const int rsa = NVT_CONFIG_MECH_RSA, rsa_enc = NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_ENCRYPT;
    const int dig = NVT_CONFIG_MECH_DIGEST, hmac = NVT_CONFIG_MECH_HMAC, aes = NVT_CONFIG_MECH_AES;
    const int legacy = NVT_CONFIG_MECH_LEGACY; /* triple-DES and 1024-bit RSA keys (test_conf_mech_legacy.c) */
    const CK_ULONG ec_max = NVT_CONFIG_MECH_EC_P521 ? 521 : NVT_CONFIG_MECH_EC_P384 ? 384 : 256;
    const CK_ULONG rsa_min = legacy ? 1024 : 2048;
    const struct {
        CK_MECHANISM_TYPE type;
        CK_ULONG min, max;
        CK_FLAGS flags;
        int kept;
    } want[] = {
#define EC (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS)
#define SV (CKF_SIGN | CKF_VERIFY)
#define ED (CKF_ENCRYPT | CKF_DECRYPT)
        { CKM_SHA256, 0, 0, CKF_DIGEST, dig },
        { CKM_SHA384, 0, 0, CKF_DIGEST, dig && sha512 },
        { CKM_SHA512, 0, 0, CKF_DIGEST, dig && sha512 },
        { CKM_SHA_1, 0, 0, CKF_DIGEST, dig && sha1 },
        { CKM_EC_KEY_PAIR_GEN, 256, ec_max, CKF_GENERATE_KEY_PAIR | EC, NVT_CONFIG_MECH_EC_KEYGEN },
        { CKM_ECDSA, 256, ec_max, SV | EC, ec },
        { CKM_ECDSA_SHA1, 256, ec_max, SV | EC, ec && sha1 },
        { CKM_ECDSA_SHA256, 256, ec_max, SV | EC, ec },
        { CKM_ECDSA_SHA384, 256, ec_max, SV | EC, ec && sha512 },
        { CKM_ECDSA_SHA512, 256, ec_max, SV | EC, ec && sha512 },
        { CKM_ECDH1_DERIVE, 256, ec_max, CKF_DERIVE | EC, NVT_CONFIG_MECH_ECDH },
        { CKM_RSA_PKCS_KEY_PAIR_GEN, rsa_min, NVT_CONFIG_MECH_RSA_GEN_MAX_BITS, CKF_GENERATE_KEY_PAIR,
          rsa && NVT_CONFIG_MECH_RSA_KEYGEN },
        { CKM_SHA1_RSA_PKCS, rsa_min, 4096, SV, rsa && sha1 },
        { CKM_SHA256_RSA_PKCS, rsa_min, 4096, SV, rsa },
        { CKM_SHA384_RSA_PKCS, rsa_min, 4096, SV, rsa && sha512 },
        { CKM_SHA512_RSA_PKCS, rsa_min, 4096, SV, rsa && sha512 },
        { CKM_RSA_PKCS_PSS, rsa_min, 4096, SV, rsa },
        { CKM_SHA256_RSA_PKCS_PSS, rsa_min, 4096, SV, rsa },
        { CKM_SHA384_RSA_PKCS_PSS, rsa_min, 4096, SV, rsa && sha512 },
        { CKM_SHA512_RSA_PKCS_PSS, rsa_min, 4096, SV, rsa && sha512 },
        { CKM_RSA_PKCS, rsa_min, 4096, rsa_enc ? SV | ED : SV, rsa },
        { CKM_RSA_X_509, rsa_min, 4096, rsa_enc ? SV | ED : SV, rsa },
        { CKM_RSA_PKCS_OAEP, rsa_min, 4096, ED, rsa_enc },
        { CKM_SHA256_HMAC, 1, 512, SV, hmac },
        { CKM_SHA384_HMAC, 1, 512, SV, hmac && sha512 },
        { CKM_SHA512_HMAC, 1, 512, SV, hmac && sha512 },
        { CKM_AES_CMAC, 16, 32, SV, NVT_CONFIG_MECH_CMAC },
        { CKM_GENERIC_SECRET_KEY_GEN, 8, 4096, CKF_GENERATE, NVT_CONFIG_MECH_SECRET_KEYGEN },
        { CKM_AES_KEY_GEN, 16, 32, CKF_GENERATE, NVT_CONFIG_MECH_SECRET_KEYGEN },
        { CKM_AES_ECB, 16, 32, ED, aes },
        { CKM_AES_CBC, 16, 32, ED, aes },
        { CKM_AES_CBC_PAD, 16, 32, ED, aes },
        { CKM_AES_CTR, 16, 32, ED, aes },
        { CKM_AES_GCM, 16, 32, ED, NVT_CONFIG_MECH_AES_GCM },
        { CKM_AES_KEY_WRAP, 16, 32, CKF_WRAP | CKF_UNWRAP, NVT_CONFIG_MECH_AES_KEY_WRAP },
        { CKM_AES_KEY_WRAP_PAD, 16, 32, CKF_WRAP | CKF_UNWRAP, NVT_CONFIG_MECH_AES_KEY_WRAP },
        { CKM_DES3_KEY_GEN, 24, 24, CKF_GENERATE, legacy },
        { CKM_DES3_ECB, 24, 24, ED, legacy },
        { CKM_DES3_CBC, 24, 24, ED, legacy },
        { CKM_DES3_CBC_PAD, 24, 24, ED, legacy },
    };
    const size_t n = sizeof(want) / sizeof(want[0]);
    CK_MECHANISM_TYPE list[64];
    CK_ULONG count = 64, kept = 0;
    assert_int_equal(C_GetMechanismList(0, list, &count), CKR_OK);
    for (size_t i = 0; i < n; i++) {
        CK_MECHANISM_INFO info;
        int listed = 0;
        for (CK_ULONG j = 0; j < count; j++) {
            listed |= list[j] == want[i].type;
        }
        assert_int_equal(listed, want[i].kept != 0);
        if (!want[i].kept) {
            assert_int_equal(C_GetMechanismInfo(0, want[i].type, &info), CKR_MECHANISM_INVALID);
            continue;
        }
        kept++;
        assert_int_equal(C_GetMechanismInfo(0, want[i].type, &info), CKR_OK);
        assert_int_equal(info.ulMinKeySize, want[i].min);
        assert_int_equal(info.ulMaxKeySize, want[i].max);
        assert_int_equal(info.flags, want[i].flags);
    }
    assert_int_equal(count, kept); /* exactly these, nothing else */
}

/* ---- the operation-state rules under error ---------------------------------------------- */

static void a_failed_c_sign_ends_the_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE priv, pub;
    p256_pair(s, &priv, &pub);
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_OK);
    assert_int_equal(C_Sign(s, buf, 0, out, &len), CKR_DATA_LEN_RANGE); /* no hash */
    len = sizeof(out);
    assert_int_equal(C_Sign(s, buf, 32, out, &len), CKR_OPERATION_NOT_INITIALIZED);
    /* A single-part-only mechanism refuses C_SignUpdate, and that ends it
     * too; a profile without multi-part operations has no C_SignUpdate,
     * whose stub leaves the operation alone. */
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_OK);
    assert_int_equal(C_SignUpdate(s, buf, 32), CKR_FUNCTION_NOT_SUPPORTED);
#if NVT_CONFIG_TOKEN_MULTIPART
    assert_int_equal(C_Sign(s, buf, 32, out, &len), CKR_OPERATION_NOT_INITIALIZED);
#else
    assert_int_equal(C_Sign(s, buf, 32, out, &len), CKR_OK);
#endif
    /* A verification that fails ends as well. */
    memset(out, 0, 64);
    assert_int_equal(C_VerifyInit(s, &ecdsa, pub), CKR_OK);
    assert_int_equal(C_Verify(s, buf, 32, out, 64), CKR_SIGNATURE_INVALID);
    assert_int_equal(C_Verify(s, buf, 32, out, 64), CKR_OPERATION_NOT_INITIALIZED);
#if NVT_CONFIG_MECH_HMAC
    CK_MECHANISM hmac = { CKM_SHA256_HMAC, NULL_PTR, 0 };
    CK_OBJECT_HANDLE k = cm_secret(s, CKK_GENERIC_SECRET, key16, 16);
    assert_int_equal(C_VerifyInit(s, &hmac, k), CKR_OK);
    assert_int_equal(C_Verify(s, buf, 10, out, 32), CKR_SIGNATURE_INVALID);
    assert_int_equal(C_Verify(s, buf, 10, out, 32), CKR_OPERATION_NOT_INITIALIZED);
#endif
}

static void a_short_buffer_or_a_length_query_keeps_the_sign_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE priv, pub;
    p256_pair(s, &priv, &pub);
    CK_MECHANISM ecdsa = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    CK_ULONG len = 0;
    memset(buf, 0x61, 100);
    /* single-part */
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_OK);
    assert_int_equal(C_Sign(s, buf, 100, NULL_PTR, &len), CKR_OK);
    assert_int_equal(len, 64);
    len = 63;
    assert_int_equal(C_Sign(s, buf, 100, out, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 64);
    assert_int_equal(C_Sign(s, buf, 100, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 100, 0, out, len), CKR_OK);
#if NVT_CONFIG_TOKEN_MULTIPART
    /* multi-part: the digest survives a short final */
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_OK);
    assert_int_equal(C_SignUpdate(s, buf, 60), CKR_OK);
    assert_int_equal(C_SignUpdate(s, buf + 60, 40), CKR_OK);
    len = 10;
    assert_int_equal(C_SignFinal(s, out, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 64);
    assert_int_equal(C_SignFinal(s, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 100, 0, out, len), CKR_OK);
#endif
#if NVT_CONFIG_TOKEN_MULTIPART && NVT_CONFIG_MECH_HMAC && NVT_CONFIG_MECH_SHA512
    /* a MAC too */
    CK_MECHANISM hmac = { CKM_SHA512_HMAC, NULL_PTR, 0 };
    CK_OBJECT_HANDLE k = cm_secret(s, CKK_GENERIC_SECRET, key16, 16);
    uint8_t mac[64];
    len = sizeof(mac);
    assert_int_equal(cm_sign(s, &hmac, k, buf, 100, 0, mac, &len), CKR_OK);
    assert_int_equal(C_SignInit(s, &hmac, k), CKR_OK);
    assert_int_equal(C_SignUpdate(s, buf, 100), CKR_OK);
    len = 32;
    assert_int_equal(C_SignFinal(s, out, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 64);
    assert_int_equal(C_SignFinal(s, out, &len), CKR_OK);
    assert_memory_equal(out, mac, 64);
#endif
}

#if NVT_CONFIG_MECH_AES && NVT_CONFIG_TOKEN_MULTIPART
static void decryption_lengths_are_negotiated_without_losing_the_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE k = cm_secret(s, CKK_AES, key16, 16);
    CK_MECHANISM pad = { CKM_AES_CBC_PAD, iv16, 16 };
    uint8_t ct[64];
    CK_ULONG clen = sizeof(ct), len;
    memset(buf, 0x5a, 37);
    assert_int_equal(cm_crypt(s, 0, &pad, k, buf, 37, 0, ct, &clen), CKR_OK);
    assert_int_equal(clen, 48);
    /* The padding is seen at the end: the final's exact length comes with
     * CKR_BUFFER_TOO_SMALL, and the retry gets the rest. */
    assert_int_equal(C_DecryptInit(s, &pad, k), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_DecryptUpdate(s, ct, 48, out, &len), CKR_OK);
    assert_int_equal(len, 32); /* the last block is held back */
    CK_ULONG rest = 2;
    assert_int_equal(C_DecryptFinal(s, out + 32, &rest), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(rest, 5);
    assert_int_equal(C_DecryptFinal(s, out + 32, &rest), CKR_OK);
    assert_int_equal(rest, 5);
    assert_memory_equal(out, buf, 37);
    /* An update's output length too. */
    CK_MECHANISM cbc = { CKM_AES_CBC, iv16, 16 };
    assert_int_equal(C_EncryptInit(s, &cbc, k), CKR_OK);
    len = 0;
    assert_int_equal(C_EncryptUpdate(s, buf, 20, NULL_PTR, &len), CKR_OK);
    assert_int_equal(len, 16);
    len = 15;
    assert_int_equal(C_EncryptUpdate(s, buf, 20, out, &len), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(len, 16);
    assert_int_equal(C_EncryptUpdate(s, buf, 20, out, &len), CKR_OK);
    assert_int_equal(len, 16);
    len = sizeof(out);
    assert_int_equal(C_EncryptUpdate(s, buf, 12, out, &len), CKR_OK); /* 4 + 12 = one block */
    assert_int_equal(len, 16);
    len = sizeof(out);
    assert_int_equal(C_EncryptFinal(s, out, &len), CKR_OK);
    assert_int_equal(len, 0);
}
#endif

/* ---- keys: type, use, size ------------------------------------------------------------------ */

static void a_key_of_the_wrong_type_is_key_type_inconsistent(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE priv, pub;
    CK_OBJECT_HANDLE aes = cm_secret(s, CKK_AES, key16, 16), gen = cm_secret(s, CKK_GENERIC_SECRET, key16, 16);
    p256_pair(s, &priv, &pub);
    CK_MECHANISM ecdsa = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &ecdsa, aes), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(C_SignInit(s, &ecdsa, gen), CKR_KEY_TYPE_INCONSISTENT);
#if NVT_CONFIG_MECH_RSA
    CK_OBJECT_HANDLE rsa = cm_rsa_priv(s, &kat_rsa_key_a);
    CK_MECHANISM rsa_pkcs = { CKM_SHA256_RSA_PKCS, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &ecdsa, rsa), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(C_SignInit(s, &rsa_pkcs, priv), CKR_KEY_TYPE_INCONSISTENT);
#endif
#if NVT_CONFIG_MECH_HMAC
    CK_MECHANISM hmac = { CKM_SHA256_HMAC, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &hmac, aes), CKR_KEY_TYPE_INCONSISTENT);
#endif
#if NVT_CONFIG_MECH_CMAC
    CK_MECHANISM cmac = { CKM_AES_CMAC, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &cmac, gen), CKR_KEY_TYPE_INCONSISTENT);
#endif
#if NVT_CONFIG_MECH_AES
    CK_MECHANISM cbc = { CKM_AES_CBC, iv16, 16 };
    assert_int_equal(C_EncryptInit(s, &cbc, gen), CKR_KEY_TYPE_INCONSISTENT);
#endif
#if NVT_CONFIG_MECH_ECDH && NVT_CONFIG_MECH_RSA && NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    CK_ECDH1_DERIVE_PARAMS p = { CKD_NULL, 0, NULL_PTR, 0, NULL_PTR };
    CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &p, sizeof(p) };
    CK_OBJECT_HANDLE h;
    uint8_t point[65];
    p.pPublicData = point;
    p.ulPublicDataLen = sizeof(point);
    CK_ATTRIBUTE derive_on[] = { { CKA_DERIVE, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, rsa, derive_on, 1), CKR_OK);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) } };
    assert_int_equal(C_DeriveKey(s, &ecdh, rsa, t, 2, &h), CKR_KEY_TYPE_INCONSISTENT);
#endif
}

static void a_key_without_the_usage_is_key_function_not_permitted(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE priv, pub;
    p256_pair(s, &priv, &pub);
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_OK); /* now cached */
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_Sign(s, buf, 32, out, &len), CKR_OK);
    assert_int_equal(C_SignInit(s, &ecdsa, pub), CKR_KEY_FUNCTION_NOT_PERMITTED); /* no CKA_SIGN */
    CK_ULONG cls_priv = CKO_PRIVATE_KEY, kt_ec = CKK_EC, oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    static uint8_t d[32] = { 1, 2, 3 };
    CK_ATTRIBUTE nosign[] = { { CKA_CLASS, &cls_priv, sizeof(cls_priv) },  { CKA_KEY_TYPE, &kt_ec, sizeof(kt_ec) },
                              { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, d, sizeof(d) },
                              { CKA_SIGN, &conf_false, 1 } };
    CK_OBJECT_HANDLE unsigning;
    assert_int_equal(conf_create(s, nosign, 5, &unsigning), CKR_OK);
    assert_int_equal(C_SignInit(s, &ecdsa, unsigning), CKR_KEY_FUNCTION_NOT_PERMITTED);
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    /* A usage turned off later counts too, cached key or not. */
    CK_ATTRIBUTE off[] = { { CKA_SIGN, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, priv, off, 1), CKR_OK);
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_KEY_FUNCTION_NOT_PERMITTED);
#endif
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE && NVT_CONFIG_MECH_ECDH
    /* ECDH without CKA_DERIVE */
    CK_ATTRIBUTE no_derive[] = { { CKA_DERIVE, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, priv, no_derive, 1), CKR_OK);
    CK_ECDH1_DERIVE_PARAMS p = { CKD_NULL, 0, NULL_PTR, 0, NULL_PTR };
    CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &p, sizeof(p) };
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 2, &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
#endif
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE && NVT_CONFIG_MECH_AES
    /* An encryption key without CKA_DECRYPT */
    CK_OBJECT_HANDLE aes = cm_secret(s, CKK_AES, key16, 16);
    CK_ATTRIBUTE no_dec[] = { { CKA_DECRYPT, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, aes, no_dec, 1), CKR_OK);
    CK_MECHANISM ecb = { CKM_AES_ECB, NULL_PTR, 0 };
    assert_int_equal(C_EncryptInit(s, &ecb, aes), CKR_OK);
    assert_int_equal(C_DecryptInit(s, &ecb, aes), CKR_KEY_FUNCTION_NOT_PERMITTED);
#endif
}

static void keys_of_unsupported_sizes_and_curves_are_refused(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    /* An RSA-512 public key (docs/COMPATIBILITY.md: 2048 bits and up, 1024
     * with the legacy mechanisms). */
    uint8_t n[64];
    memset(n, 0xc5, sizeof(n));
    n[63] |= 1;
    CK_BYTE e[] = { 1, 0, 1 };
    CK_OBJECT_CLASS pubc = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA, ec = CKK_EC;
    CK_OBJECT_HANDLE h;
    CK_ATTRIBUTE small[] = { { CKA_CLASS, &pubc, sizeof(pubc) }, { CKA_KEY_TYPE, &rsa, sizeof(rsa) },
                             { CKA_MODULUS, n, sizeof(n) },      { CKA_PUBLIC_EXPONENT, e, sizeof(e) } };
    assert_int_equal(conf_create(s, small, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    /* A public key on a curve the token lacks (secp256k1; P-521 without
     * NVT_CONFIG_MECH_EC_P521, P-384 without NVT_CONFIG_MECH_EC_P384), and
     * a P-256 point that is not on the curve. */
    static const CK_BYTE k256[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a };
    uint8_t pt[67] = { 0x04, 0x41, 0x04, 1, 2, 3 };
    CK_ATTRIBUTE ecpub[] = { { CKA_CLASS, &pubc, sizeof(pubc) },
                             { CKA_KEY_TYPE, &ec, sizeof(ec) },
                             { CKA_EC_PARAMS, (void *)(uintptr_t)k256, sizeof(k256) },
                             { CKA_EC_POINT, pt, sizeof(pt) } };
    assert_int_equal(conf_create(s, ecpub, 4, &h), CKR_CURVE_NOT_SUPPORTED);
    CK_ULONG oid_len;
#if !NVT_CONFIG_MECH_EC_P521
    ecpub[2].pValue = (void *)(uintptr_t)cm_curve_oid(521, &oid_len);
    ecpub[2].ulValueLen = oid_len;
    assert_int_equal(conf_create(s, ecpub, 4, &h), CKR_CURVE_NOT_SUPPORTED);
#endif
#if !NVT_CONFIG_MECH_EC_P384
    /* A profile without P-384 refuses its keys like any other curve's. */
    ecpub[2].pValue = (void *)(uintptr_t)cm_curve_oid(384, &oid_len);
    ecpub[2].ulValueLen = oid_len;
    assert_int_equal(conf_create(s, ecpub, 4, &h), CKR_CURVE_NOT_SUPPORTED);
#endif
    ecpub[2].pValue = (void *)(uintptr_t)cm_curve_oid(256, &oid_len);
    ecpub[2].ulValueLen = oid_len;
    assert_int_equal(conf_create(s, ecpub, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    /* Key pair generation: secp256k1 (and P-384, P-521 where the profile
     * lacks them), RSA-1024 (RSA-512 with the legacy mechanisms), RSA-4096, an
     * even exponent. */
    CK_MECHANISM ecgen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 }, rsagen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE ecp[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)k256, sizeof(k256) } };
    CK_OBJECT_HANDLE pub, priv;
#if NVT_CONFIG_MECH_EC_KEYGEN
    assert_int_equal(C_GenerateKeyPair(s, &ecgen, ecp, 1, NULL_PTR, 0, &pub, &priv), CKR_CURVE_NOT_SUPPORTED);
#if !NVT_CONFIG_MECH_EC_P384
    ecp[0].pValue = (void *)(uintptr_t)cm_curve_oid(384, &oid_len);
    ecp[0].ulValueLen = oid_len;
    assert_int_equal(C_GenerateKeyPair(s, &ecgen, ecp, 1, NULL_PTR, 0, &pub, &priv), CKR_CURVE_NOT_SUPPORTED);
#endif
#if !NVT_CONFIG_MECH_EC_P521
    ecp[0].pValue = (void *)(uintptr_t)cm_curve_oid(521, &oid_len);
    ecp[0].ulValueLen = oid_len;
    assert_int_equal(C_GenerateKeyPair(s, &ecgen, ecp, 1, NULL_PTR, 0, &pub, &priv), CKR_CURVE_NOT_SUPPORTED);
#endif
#endif
#if NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN
    CK_ULONG bits = NVT_CONFIG_MECH_LEGACY ? 512 : 1024;
    CK_BYTE even[] = { 1, 0, 0 };
    CK_ATTRIBUTE rsap[] = { { CKA_MODULUS_BITS, &bits, sizeof(bits) }, { CKA_PUBLIC_EXPONENT, e, sizeof(e) } };
    assert_int_equal(C_GenerateKeyPair(s, &rsagen, rsap, 2, NULL_PTR, 0, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    bits = 4096;
    assert_int_equal(C_GenerateKeyPair(s, &rsagen, rsap, 2, NULL_PTR, 0, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    bits = 2048;
    rsap[1].pValue = even;
    assert_int_equal(C_GenerateKeyPair(s, &rsagen, rsap, 2, NULL_PTR, 0, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(C_GenerateKeyPair(s, &rsagen, rsap, 0, NULL_PTR, 0, &pub, &priv), CKR_TEMPLATE_INCOMPLETE);
#elif NVT_TOKEN_HAS_GENERATE_KEY_PAIR
    assert_int_equal(C_GenerateKeyPair(s, &rsagen, NULL_PTR, 0, NULL_PTR, 0, &pub, &priv), CKR_MECHANISM_INVALID);
#endif
    (void)ecgen;
    (void)rsagen;
    (void)ecp;
#if NVT_CONFIG_MECH_HMAC
    /* An HMAC key longer than the 512 bytes the mechanism reports. */
    static uint8_t big[513];
    CK_OBJECT_HANDLE k = cm_secret(s, CKK_GENERIC_SECRET, big, sizeof(big));
    CK_MECHANISM hmac = { CKM_SHA256_HMAC, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &hmac, k), CKR_KEY_SIZE_RANGE);
#endif
#if NVT_CONFIG_MECH_SECRET_KEYGEN
    /* Secret key generation outside the reported sizes. */
    CK_MECHANISM gen = { CKM_GENERIC_SECRET_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG vlen = 513;
    CK_ATTRIBUTE gt[] = { { CKA_VALUE_LEN, &vlen, sizeof(vlen) } };
    assert_int_equal(C_GenerateKey(s, &gen, gt, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    vlen = 512;
    assert_int_equal(C_GenerateKey(s, &gen, gt, 1, &h), CKR_OK);
#endif
}

/* ---- parameters --------------------------------------------------------------------------------- */

static void bad_mechanism_parameters_are_mechanism_param_invalid(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE priv, pub, aes = cm_secret(s, CKK_AES, key16, 16);
    p256_pair(s, &priv, &pub);
    uint8_t junk[16] = { 0 };
    CK_MECHANISM ecdsa = { CKM_ECDSA, junk, 4 };
    assert_int_equal(C_SignInit(s, &ecdsa, priv), CKR_MECHANISM_PARAM_INVALID);
    CK_MECHANISM ecdsa256 = { CKM_ECDSA_SHA256, junk, 4 };
    assert_int_equal(C_VerifyInit(s, &ecdsa256, pub), CKR_MECHANISM_PARAM_INVALID);
    (void)aes;
#if NVT_CONFIG_MECH_AES
    CK_MECHANISM cbc = { CKM_AES_CBC, iv16, 8 }, ecb = { CKM_AES_ECB, iv16, 16 };
    assert_int_equal(C_EncryptInit(s, &cbc, aes), CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(C_EncryptInit(s, &ecb, aes), CKR_MECHANISM_PARAM_INVALID);
    CK_AES_CTR_PARAMS ctr = { 0, { 0 } };
    CK_MECHANISM ctrm = { CKM_AES_CTR, &ctr, sizeof(ctr) };
    assert_int_equal(C_EncryptInit(s, &ctrm, aes), CKR_MECHANISM_PARAM_INVALID);
    ctr.ulCounterBits = 129;
    assert_int_equal(C_EncryptInit(s, &ctrm, aes), CKR_MECHANISM_PARAM_INVALID);
#endif
#if NVT_CONFIG_MECH_AES_GCM
    CK_GCM_PARAMS gcm = { iv16, 12, 96, NULL_PTR, 0, 33 };
    CK_MECHANISM gcmm = { CKM_AES_GCM, &gcm, sizeof(gcm) };
    assert_int_equal(C_EncryptInit(s, &gcmm, aes), CKR_MECHANISM_PARAM_INVALID);
    gcm.ulTagBits = 128;
    gcm.ulIvLen = 0;
    assert_int_equal(C_EncryptInit(s, &gcmm, aes), CKR_MECHANISM_PARAM_INVALID);
#endif
#if NVT_CONFIG_MECH_RSA
    CK_OBJECT_HANDLE rsa = cm_rsa_priv(s, &kat_rsa_key_a);
    /* PSS: the mechanism's hash, MGF1 with it, and (to sign) a salt as long as it. */
    CK_RSA_PKCS_PSS_PARAMS pss = { CKM_SHA256, CKG_MGF1_SHA256, 20 };
    CK_MECHANISM pssm = { CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss) };
    assert_int_equal(C_SignInit(s, &pssm, rsa), CKR_MECHANISM_PARAM_INVALID);
    pss.sLen = 32;
    pss.mgf = CKG_MGF1_SHA1;
    assert_int_equal(C_SignInit(s, &pssm, rsa), CKR_MECHANISM_PARAM_INVALID);
    pss.mgf = CKG_MGF1_SHA384;
    pss.hashAlg = CKM_SHA384;
    assert_int_equal(C_SignInit(s, &pssm, rsa), CKR_MECHANISM_PARAM_INVALID);
    pssm.mechanism = CKM_RSA_PKCS_PSS;
    pss.hashAlg = CKM_SHA_1;
    pss.mgf = CKG_MGF1_SHA1;
    pss.sLen = 20;
    assert_int_equal(C_SignInit(s, &pssm, rsa), CKR_MECHANISM_PARAM_INVALID); /* no SHA-1 PSS */
    pssm.ulParameterLen = 0;
    pssm.pParameter = NULL_PTR;
    assert_int_equal(C_SignInit(s, &pssm, rsa), CKR_MECHANISM_PARAM_INVALID);
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    CK_RSA_PKCS_OAEP_PARAMS oaep = { CKM_SHA256, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL_PTR, 0 };
    CK_MECHANISM oaepm = { CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep) };
    assert_int_equal(C_DecryptInit(s, &oaepm, rsa), CKR_MECHANISM_PARAM_INVALID);
    oaep.hashAlg = CKM_SHA384;
    oaep.mgf = CKG_MGF1_SHA384;
    assert_int_equal(C_DecryptInit(s, &oaepm, rsa), CKR_MECHANISM_PARAM_INVALID);
    oaep.hashAlg = CKM_SHA256;
    oaep.mgf = CKG_MGF1_SHA256;
    oaep.source = 7;
    assert_int_equal(C_DecryptInit(s, &oaepm, rsa), CKR_MECHANISM_PARAM_INVALID);
    oaep.source = CKZ_DATA_SPECIFIED;
    assert_int_equal(C_DecryptInit(s, &oaepm, rsa), CKR_OK);
    assert_int_equal(C_DecryptFinal(s, out, NULL_PTR), CKR_ARGUMENTS_BAD); /* ends it */
#endif
#endif
#if NVT_CONFIG_MECH_AES_KEY_WRAP
    /* Key wrap: only the standard's IV. */
    uint8_t kwiv[8] = { 1 };
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, kwiv, 8 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, aes, aes, out, &len), CKR_MECHANISM_PARAM_INVALID);
#endif
#if NVT_CONFIG_MECH_ECDH
    /* ECDH: the null KDF, a point of the curve. */
    uint8_t point[65] = { 0x04, 1, 2, 3 };
    CK_ECDH1_DERIVE_PARAMS p = { CKD_SHA1_KDF, 0, NULL_PTR, sizeof(point), point };
    CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &p, sizeof(p) };
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 2, &h), CKR_MECHANISM_PARAM_INVALID);
    p.kdf = CKD_NULL;
    assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 2, &h), CKR_MECHANISM_PARAM_INVALID);
    p.ulPublicDataLen = 33;
    assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 2, &h), CKR_MECHANISM_PARAM_INVALID);
#endif
}

/* ---- input lengths and contents ------------------------------------------------------------------ */

static void wrong_input_lengths_and_bad_padding_have_their_codes(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_ULONG len = sizeof(out);
    /* ECDSA: an empty hash; a signature of the wrong size. */
    CK_OBJECT_HANDLE priv, pub;
    p256_pair(s, &priv, &pub);
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    assert_int_equal(cm_sign(s, &ecdsa, priv, buf, 0, 0, out, &len), CKR_DATA_LEN_RANGE);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &ecdsa, priv, buf, 32, 0, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 32, 0, out, 63), CKR_SIGNATURE_LEN_RANGE);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 32, 0, out, 65), CKR_SIGNATURE_LEN_RANGE);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 32, 0, out, 64), CKR_OK);
#if NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM
    CK_OBJECT_HANDLE aes = cm_secret(s, CKK_AES, key16, 16);
#endif
#if NVT_CONFIG_MECH_AES
    CK_MECHANISM cbc = { CKM_AES_CBC, iv16, 16 }, pad = { CKM_AES_CBC_PAD, iv16, 16 };
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &cbc, aes, buf, 20, 0, out, &len), CKR_DATA_LEN_RANGE);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &cbc, aes, buf, 20, 0, out, &len), CKR_ENCRYPTED_DATA_LEN_RANGE);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &pad, aes, buf, 20, 0, out, &len), CKR_ENCRYPTED_DATA_LEN_RANGE);
    /* A block that decrypts to bad padding. */
    memset(buf, 0, 32);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &cbc, aes, buf, 32, 0, out, &len), CKR_OK); /* pad bytes 0: invalid */
    uint8_t ct[32];
    memcpy(ct, out, 32);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &pad, aes, ct, 32, 0, out, &len), CKR_ENCRYPTED_DATA_INVALID);
    /* CTR: a message that would wrap the counter's bits is refused. */
    CK_AES_CTR_PARAMS ctr = { 4, { 0 } };
    ctr.cb[15] = 0x0e; /* two blocks left in the low 4 bits */
    CK_MECHANISM ctrm = { CKM_AES_CTR, &ctr, sizeof(ctr) };
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &ctrm, aes, buf, 32, 0, out, &len), CKR_OK);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &ctrm, aes, buf, 33, 0, out, &len), CKR_DATA_LEN_RANGE);
#endif
#if NVT_CONFIG_MECH_AES_GCM
    /* GCM: a ciphertext shorter than its tag. */
    CK_GCM_PARAMS gcm = { iv16, 12, 96, NULL_PTR, 0, 128 };
    CK_MECHANISM gcmm = { CKM_AES_GCM, &gcm, sizeof(gcm) };
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &gcmm, aes, buf, 15, 0, out, &len), CKR_ENCRYPTED_DATA_LEN_RANGE);
#endif
#if NVT_CONFIG_MECH_RSA
    /* RSA: PKCS#1 v1.5 input longer than k - 11; a signature of the wrong size. */
    CK_OBJECT_HANDLE rsa = cm_rsa_priv(s, &kat_rsa_key_a), rpub = cm_rsa_pub(s, &kat_rsa_key_a);
    CK_MECHANISM raw = { CKM_RSA_PKCS, NULL_PTR, 0 };
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &raw, rsa, buf, 246, 0, out, &len), CKR_DATA_LEN_RANGE);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &raw, rsa, buf, 245, 0, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &raw, rpub, buf, 245, 0, out, 255), CKR_SIGNATURE_LEN_RANGE);
    /* Nor empty data (found by fuzzing: mbedTLS copied it from a NULL pointer). */
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &raw, rsa, buf, 0, 0, out, &len), CKR_DATA_LEN_RANGE);
    assert_int_equal(cm_verify(s, &raw, rpub, buf, 0, 0, out, 256), CKR_DATA_LEN_RANGE);
    CK_MECHANISM x509 = { CKM_RSA_X_509, NULL_PTR, 0 };
    memset(buf, 0xff, 256);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &x509, rsa, buf, 256, 0, out, &len), CKR_DATA_INVALID); /* not below n */
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &raw, rsa, buf, 255, 0, out, &len), CKR_ENCRYPTED_DATA_LEN_RANGE);
    len = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &raw, rpub, buf, 246, 0, out, &len), CKR_DATA_LEN_RANGE);
#endif
#endif
}

/* ---- wrapping policy ---------------------------------------------------------------------------- */

#if NVT_CONFIG_MECH_AES_KEY_WRAP /* the whole section */

static void wrapping_obeys_wrap_unwrap_extractable_and_trusted(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE kek = cm_secret(s, CKK_AES, key16, 16), key = cm_secret(s, CKK_AES, iv16, 16), h;
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, key, out, &len), CKR_OK);
    assert_int_equal(len, 24);
    uint8_t wrapped[24];
    memcpy(wrapped, out, 24);
    /* CKA_WRAP / CKA_UNWRAP off */
    CK_ATTRIBUTE nowrap[] = { { CKA_WRAP, &conf_false, 1 }, { CKA_UNWRAP, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, kek, nowrap, 2), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, key, out, &len), CKR_KEY_FUNCTION_NOT_PERMITTED);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, 24, t, 2, &h), CKR_KEY_FUNCTION_NOT_PERMITTED);
    kek = cm_secret(s, CKK_AES, key16, 16);
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, 24, t, 2, &h), CKR_OK);
    /* an unwrapped key was never local, nor always sensitive */
    assert_int_equal(conf_bool(s, h, CKA_LOCAL), CK_FALSE);
    assert_int_equal(conf_bool(s, h, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    /* CKA_EXTRACTABLE off */
    CK_ATTRIBUTE noext[] = { { CKA_EXTRACTABLE, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, key, noext, 1), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, key, out, &len), CKR_KEY_UNEXTRACTABLE);
    /* CKA_WRAP_WITH_TRUSTED: only under a CKA_TRUSTED key, which only the SO sets */
    CK_OBJECT_HANDLE guarded = cm_secret(s, CKK_AES, iv16, 16);
    CK_ATTRIBUTE wwt[] = { { CKA_WRAP_WITH_TRUSTED, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, guarded, wwt, 1), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, kek, guarded, out, &len), CKR_KEY_NOT_WRAPPABLE);
    CK_ATTRIBUTE trust[] = { { CKA_TRUSTED, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, kek, trust, 1), CKR_ATTRIBUTE_READ_ONLY);
    CK_SESSION_HANDLE so = conf_open(1);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_so(so);
    CK_ATTRIBUTE trusted_kek[] = { { CKA_CLASS, &cls, sizeof(cls) },     { CKA_KEY_TYPE, &kt, sizeof(kt) },
                                   { CKA_VALUE, (void *)(uintptr_t)key16, 16 }, { CKA_PRIVATE, &conf_false, 1 },
                                   { CKA_TOKEN, &conf_true, 1 },         { CKA_TRUSTED, &conf_true, 1 },
                                   { CKA_WRAP, &conf_true, 1 } };
    CK_OBJECT_HANDLE tkek;
    assert_int_equal(C_CreateObject(so, trusted_kek, 7, &tkek), CKR_OK);
    assert_int_equal(C_Logout(so), CKR_OK);
    conf_login_user(s);
    kek = cm_secret(s, CKK_AES, key16, 16); /* the logout took the session's private keys */
    guarded = cm_secret(s, CKK_AES, iv16, 16);
    assert_int_equal(C_SetAttributeValue(s, guarded, wwt, 1), CKR_OK);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, tkek, guarded, out, &len), CKR_OK);
    assert_memory_equal(out, wrapped, 24); /* same key, same KEK value */
    /* What is not wrapped: a 20-byte secret under KW (not KWP). */
    uint8_t v20[20] = { 1 };
    CK_OBJECT_HANDLE g20 = cm_secret(s, CKK_GENERIC_SECRET, v20, 20);
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kw, tkek, g20, out, &len), CKR_KEY_SIZE_RANGE);
    CK_MECHANISM kwp = { CKM_AES_KEY_WRAP_PAD, NULL_PTR, 0 };
    len = sizeof(out);
    assert_int_equal(C_WrapKey(s, &kwp, tkek, g20, out, &len), CKR_OK);
    assert_int_equal(len, 32);
    /* a secret key's value is no private key's encoding */
    CK_OBJECT_CLASS privc = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC;
    CK_ATTRIBUTE pt[] = { { CKA_CLASS, &privc, sizeof(privc) }, { CKA_KEY_TYPE, &ec, sizeof(ec) } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, 24, pt, 2, &h), CKR_WRAPPED_KEY_INVALID);
    CK_OBJECT_CLASS datac = CKO_DATA;
    CK_ATTRIBUTE dt[] = { { CKA_CLASS, &datac, sizeof(datac) } };
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, 24, dt, 1, &h), CKR_TEMPLATE_INCONSISTENT);
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, 23, t, 2, &h), CKR_WRAPPED_KEY_LEN_RANGE);
}

/* An extractable private key: its parts, CKA_EXTRACTABLE true. */
static CK_OBJECT_HANDLE ext_ec_priv(CK_SESSION_HANDLE s, const uint8_t *d, size_t n, CK_BBOOL extractable)
{
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },   { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, (void *)(uintptr_t)d, n },
                         { CKA_SIGN, &conf_true, 1 },         { CKA_EXTRACTABLE, &extractable, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(conf_create(s, t, 6, &h), CKR_OK);
    return h;
}

#if NVT_CONFIG_MECH_RSA
static CK_OBJECT_HANDLE ext_rsa_priv(CK_SESSION_HANDLE s)
{
    CK_OBJECT_HANDLE k = cm_rsa_priv(s, &kat_rsa_key_a), h;
    /* cm_rsa_priv's key is not extractable, and CKA_EXTRACTABLE only ever
     * goes to false: copy its parts into an extractable one. */
    static const CK_ATTRIBUTE_TYPE parts[8] = { CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT,
                                                CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2,
                                                CKA_COEFFICIENT };
    static uint8_t v[8][256];
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    CK_ATTRIBUTE t[11] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                           { CKA_EXTRACTABLE, &conf_true, 1 } };
    kat_rsa_key_t kk = kat_rsa_key_a;
    const char *hex[8] = { kk.n, kk.e, kk.d, kk.p, kk.q, kk.dp, kk.dq, kk.qi };
    for (size_t i = 0; i < 8; i++) {
        t[3 + i].type = parts[i];
        t[3 + i].pValue = v[i];
        t[3 + i].ulValueLen = kat_hex(hex[i], v[i], sizeof(v[i]));
    }
    assert_int_equal(conf_create(s, t, 11, &h), CKR_OK);
    assert_int_equal(C_DestroyObject(s, k), CKR_OK);
    return h;
}
#endif

static void private_keys_wrap_as_pkcs8_and_unwrap_into_working_keys(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE kek = cm_secret(s, CKK_AES, key16, 16), priv, pub, h;
    CK_MECHANISM kw = { CKM_AES_KEY_WRAP, NULL_PTR, 0 }, kwp = { CKM_AES_KEY_WRAP_PAD, NULL_PTR, 0 };
    CK_MECHANISM ecdsa = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    static uint8_t wrapped[2048];
    CK_ULONG len, wlen;
    p256_pair(s, &priv, &pub);
    uint8_t d[32];
    const kat_ecdsa_t *v = NULL;
    for (size_t i = 0; i < kat_ecdsa_count && v == NULL; i++) {
        v = kat_ecdsas[i].bits == 256 ? &kat_ecdsas[i] : NULL;
    }
    size_t dn = kat_hex(v->d, d, sizeof(d));
    /* not extractable: refused */
    len = sizeof(wrapped);
    assert_int_equal(C_WrapKey(s, &kwp, kek, priv, wrapped, &len), CKR_KEY_UNEXTRACTABLE);
    CK_OBJECT_HANDLE ep = ext_ec_priv(s, d, dn, CK_TRUE);
    /* EC P-256 under KWP: the length query is exact (PrivateKeyInfo of 138
     * bytes, padded to 144, plus 8) */
    len = 0;
    assert_int_equal(C_WrapKey(s, &kwp, kek, ep, NULL_PTR, &len), CKR_OK);
    assert_int_equal(len, 152);
    wlen = 10;
    assert_int_equal(C_WrapKey(s, &kwp, kek, ep, wrapped, &wlen), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(wlen, 152);
    assert_int_equal(C_WrapKey(s, &kwp, kek, ep, wrapped, &wlen), CKR_OK);
    assert_int_equal(wlen, 152);
    /* ... and under KW, which takes whole 8-byte blocks only: the query
     * answers a bound, the wrap itself refuses */
    len = 0;
    assert_int_equal(C_WrapKey(s, &kw, kek, ep, NULL_PTR, &len), CKR_OK);
    assert_int_equal(len, 152);
    assert_int_equal(C_WrapKey(s, &kw, kek, ep, out, &len), CKR_KEY_NOT_WRAPPABLE);
    /* unwrapped: an EC private key on the same curve that signs for the
     * same public key; not local, not always sensitive */
    CK_OBJECT_CLASS privc = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC, rsa = CKK_RSA;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &privc, sizeof(privc) }, { CKA_KEY_TYPE, &ec, sizeof(ec) },
                         { CKA_SIGN, &conf_true, 1 } };
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, t, 3, &h), CKR_OK);
    uint8_t params[16];
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    assert_int_equal(cm_value(s, h, CKA_EC_PARAMS, params, sizeof(params)), oid_len);
    assert_memory_equal(params, oid, oid_len);
    assert_int_equal(conf_bool(s, h, CKA_LOCAL), CK_FALSE);
    assert_int_equal(conf_bool(s, h, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    assert_int_equal(conf_bool(s, h, CKA_NEVER_EXTRACTABLE), CK_FALSE);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &ecdsa, h, buf, 100, 0, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &ecdsa, pub, buf, 100, 0, out, len), CKR_OK);
    /* the template's key type, or curve, must be the encoding's */
    CK_ATTRIBUTE tr[] = { { CKA_CLASS, &privc, sizeof(privc) }, { CKA_KEY_TYPE, &rsa, sizeof(rsa) } };
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, tr, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    CK_ULONG oid384_len;
    const CK_BYTE *oid384 = cm_curve_oid(384, &oid384_len);
    CK_ATTRIBUTE tc[] = { { CKA_CLASS, &privc, sizeof(privc) },
                          { CKA_EC_PARAMS, (void *)(uintptr_t)oid384, oid384_len } };
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, tc, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    /* a key type the template leaves out comes from the encoding */
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, t, 1, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_EC);
    /* tampered: refused; under KW instead of KWP: refused */
    wrapped[20] ^= 1;
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, t, 3, &h), CKR_WRAPPED_KEY_INVALID);
    wrapped[20] ^= 1;
    assert_int_equal(C_UnwrapKey(s, &kw, kek, wrapped, wlen, t, 3, &h), CKR_WRAPPED_KEY_INVALID);

#if NVT_CONFIG_MECH_RSA
    /* RSA-2048: the unwrapped key signs exactly as the original (PKCS#1
     * v1.5 is deterministic) */
    CK_OBJECT_HANDLE rp = ext_rsa_priv(s);
    CK_MECHANISM sha256rsa = { CKM_SHA256_RSA_PKCS, NULL_PTR, 0 };
    len = 0;
    assert_int_equal(C_WrapKey(s, &kwp, kek, rp, NULL_PTR, &len), CKR_OK);
    wlen = sizeof(wrapped);
    assert_int_equal(C_WrapKey(s, &kwp, kek, rp, wrapped, &wlen), CKR_OK);
    assert_int_equal(wlen, len);
    assert_true(wlen > 1200 && wlen < 1240);
    CK_ATTRIBUTE trsa[] = { { CKA_CLASS, &privc, sizeof(privc) }, { CKA_KEY_TYPE, &rsa, sizeof(rsa) },
                            { CKA_SIGN, &conf_true, 1 } };
    assert_int_equal(C_UnwrapKey(s, &kwp, kek, wrapped, wlen, trsa, 3, &h), CKR_OK);
    static uint8_t sig1[256], sig2[256];
    CK_ULONG l1 = sizeof(sig1), l2 = sizeof(sig2);
    assert_int_equal(cm_sign(s, &sha256rsa, rp, buf, 64, 0, sig1, &l1), CKR_OK);
    assert_int_equal(cm_sign(s, &sha256rsa, h, buf, 64, 0, sig2, &l2), CKR_OK);
    assert_int_equal(l1, 256);
    assert_int_equal(l2, 256);
    assert_memory_equal(sig1, sig2, 256);
    /* its public parts are there: modulus and exponent */
    static uint8_t n[256];
    assert_int_equal(cm_value(s, h, CKA_MODULUS, n, sizeof(n)), 256);
    /* CKA_WRAP_WITH_TRUSTED applies to private keys too */
    CK_ATTRIBUTE wwt[] = { { CKA_WRAP_WITH_TRUSTED, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, rp, wwt, 1), CKR_OK);
    len = 0;
    assert_int_equal(C_WrapKey(s, &kwp, kek, rp, NULL_PTR, &len), CKR_KEY_NOT_WRAPPABLE);
#endif
    /* a public key is not wrapped */
    len = 0;
    assert_int_equal(C_WrapKey(s, &kwp, kek, pub, NULL_PTR, &len), CKR_KEY_NOT_WRAPPABLE);
}

#endif /* NVT_CONFIG_MECH_AES_KEY_WRAP */

/* ---- random numbers ------------------------------------------------------------------------------ */

static void c_generate_random_fills_any_length(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    static uint8_t big[5000];
    memset(big, 0, sizeof(big));
    assert_int_equal(C_GenerateRandom(s, big, sizeof(big)), CKR_OK); /* more than one DRBG request */
    size_t zero = 0;
    for (size_t i = 0; i < sizeof(big); i++) {
        zero += big[i] == 0;
    }
    assert_true(zero < 100); /* about 20 expected */
    assert_int_equal(C_GenerateRandom(s, big, 0), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_get_mechanism_info_reports_sizes_and_flags_of_what_works),
        CONF_TEST(a_failed_c_sign_ends_the_operation),
        CONF_TEST(a_short_buffer_or_a_length_query_keeps_the_sign_operation),
#if NVT_CONFIG_MECH_AES && NVT_CONFIG_TOKEN_MULTIPART
        CONF_TEST(decryption_lengths_are_negotiated_without_losing_the_operation),
#endif
        CONF_TEST(a_key_of_the_wrong_type_is_key_type_inconsistent),
        CONF_TEST(a_key_without_the_usage_is_key_function_not_permitted),
        CONF_TEST(keys_of_unsupported_sizes_and_curves_are_refused),
        CONF_TEST(bad_mechanism_parameters_are_mechanism_param_invalid),
        CONF_TEST(wrong_input_lengths_and_bad_padding_have_their_codes),
#if NVT_CONFIG_MECH_AES_KEY_WRAP
        CONF_TEST(wrapping_obeys_wrap_unwrap_extractable_and_trusted),
        CONF_TEST(private_keys_wrap_as_pkcs8_and_unwrap_into_working_keys),
#endif
        CONF_TEST(c_generate_random_fills_any_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
