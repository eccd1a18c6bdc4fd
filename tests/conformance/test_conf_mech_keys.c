/* Conformance: keys the token makes, and keys in use. Generated key pairs
 * (EC P-256/P-384/P-521, RSA-2048) are local, always sensitive, never
 * extractable, with complete public attributes, and work; what the key
 * cache keeps follows every change of the objects it was made from
 * (destroy, modify, logout), an operation in progress survives the
 * cache's evictions, and a C_SignInit on a key used before reads nothing
 * from the store. Host and Cortex-M4 (one RSA key pair generated, reused). */
#include "conf_mech.h"

#include "nvtoken/flash_ram.h"

static uint8_t buf[CM_MAX], out[CM_MAX];
#if NVT_CONFIG_MECH_ECDH || (NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN)
static uint8_t out2[CM_MAX];
#endif

static CK_RV generate_ec(CK_SESSION_HANDLE s, unsigned bits, CK_BBOOL token, CK_OBJECT_HANDLE *pub,
                         CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
    CK_ATTRIBUTE pt[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_TOKEN, &token, 1 } };
    CK_ATTRIBUTE vt[] = { { CKA_TOKEN, &token, 1 }, { CKA_DERIVE, &conf_true, 1 } };
    return C_GenerateKeyPair(s, &gen, pt, 2, vt, 2, pub, priv);
}

/* The generated private key's maintained attributes, and its secret
 * withheld. */
static void check_private(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE priv, CK_MECHANISM_TYPE gen, CK_ATTRIBUTE_TYPE secret)
{
    assert_int_equal(conf_bool(s, priv, CKA_LOCAL), CK_TRUE);
    assert_int_equal(conf_bool(s, priv, CKA_SENSITIVE), CK_TRUE);
    assert_int_equal(conf_bool(s, priv, CKA_ALWAYS_SENSITIVE), CK_TRUE);
    assert_int_equal(conf_bool(s, priv, CKA_EXTRACTABLE), CK_FALSE);
    assert_int_equal(conf_bool(s, priv, CKA_NEVER_EXTRACTABLE), CK_TRUE);
    assert_int_equal(conf_ulong(s, priv, CKA_KEY_GEN_MECHANISM), gen);
    CK_ATTRIBUTE a = { secret, out, sizeof(out) };
    assert_int_equal(C_GetAttributeValue(s, priv, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
    assert_int_equal(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
}

static void generated_ec_key_pairs_are_local_complete_and_work(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    static const unsigned curves[] = {
        256,
#if NVT_CONFIG_MECH_EC_P384
        384,
#endif
#if NVT_CONFIG_MECH_EC_P521
        521,
#endif
    };
    for (size_t c = 0; c < sizeof(curves) / sizeof(curves[0]); c++) {
        unsigned bits = curves[c], cb = (bits + 7) / 8;
        CK_OBJECT_HANDLE pub, priv;
        assert_int_equal(generate_ec(s, bits, conf_scratch, &pub, &priv), CKR_OK);
        check_private(s, priv, CKM_EC_KEY_PAIR_GEN, CKA_VALUE);
        assert_int_equal(conf_bool(s, pub, CKA_LOCAL), CK_TRUE);
        /* CKA_EC_POINT: a DER OCTET STRING of an uncompressed point (its
         * length in the long form for P-521's 133 bytes); the curve on both
         * halves. */
        size_t n = 2 * cb + 1, head = n < 128 ? 2 : 3;
        assert_int_equal(cm_value(s, pub, CKA_EC_POINT, out, sizeof(out)), n + head);
        assert_int_equal(out[0], 0x04);
        if (head == 3) {
            assert_int_equal(out[1], 0x81);
        }
        assert_int_equal(out[head - 1], n);
        assert_int_equal(out[head], 0x04);
        CK_ULONG oid_len;
        const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
        assert_int_equal(cm_value(s, priv, CKA_EC_PARAMS, out, sizeof(out)), oid_len);
        assert_memory_equal(out, oid, oid_len);
        /* It signs (ECDSA with its hash, and raw), its public half verifies. */
        CK_MECHANISM m = { bits == 256 ? CKM_ECDSA_SHA256 : bits == 384 ? CKM_ECDSA_SHA384 : CKM_ECDSA_SHA512,
                           NULL_PTR, 0 };
        CK_MECHANISM raw = { CKM_ECDSA, NULL_PTR, 0 };
        CK_ULONG len = sizeof(out);
        memset(buf, 0x42, 300);
        assert_int_equal(cm_sign(s, &m, priv, buf, 300, 0, out, &len), CKR_OK);
        assert_int_equal(len, 2 * cb);
        assert_int_equal(cm_verify(s, &m, pub, buf, 300, NVT_CONFIG_TOKEN_MULTIPART ? 64 : 0, out, len), CKR_OK);
        len = sizeof(out);
        assert_int_equal(cm_sign(s, &raw, priv, buf, 64, 0, out, &len), CKR_OK);
        assert_int_equal(len, 2 * cb);
        assert_int_equal(cm_verify(s, &raw, pub, buf, 64, 0, out, len), CKR_OK);
#if NVT_CONFIG_MECH_ECDH
        /* Two generated pairs agree on an ECDH secret. */
        CK_OBJECT_HANDLE pub2, priv2, z1, z2;
        assert_int_equal(generate_ec(s, bits, conf_scratch, &pub2, &priv2), CKR_OK);
        uint8_t p1[140], p2[140];
        CK_ULONG n1 = cm_value(s, pub, CKA_EC_POINT, p1, sizeof(p1));
        CK_ULONG n2 = cm_value(s, pub2, CKA_EC_POINT, p2, sizeof(p2));
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_AES;
        CK_ULONG vlen = 32;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                             { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_VALUE_LEN, &vlen, sizeof(vlen) },
                             { CKA_SENSITIVE, &conf_false, 1 },
                             { CKA_EXTRACTABLE, &conf_true, 1 },
                             { CKA_TOKEN, &conf_scratch, 1 } };
        CK_ECDH1_DERIVE_PARAMS dp = { CKD_NULL, 0, NULL_PTR, n2, p2 };
        CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &dp, sizeof(dp) };
        assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 6, &z1), CKR_OK);
        dp.ulPublicDataLen = n1;
        dp.pPublicData = p1;
        assert_int_equal(C_DeriveKey(s, &ecdh, priv2, t, 6, &z2), CKR_OK);
        assert_int_equal(cm_value(s, z1, CKA_VALUE, out, sizeof(out)), 32);
        assert_int_equal(cm_value(s, z2, CKA_VALUE, out2, sizeof(out2)), 32);
        assert_memory_equal(out, out2, 32);
        /* a derived key is not local; it was never extractable only if its base was not */
        assert_int_equal(conf_bool(s, z1, CKA_LOCAL), CK_FALSE);
        assert_int_equal(conf_bool(s, z1, CKA_ALWAYS_SENSITIVE), CK_FALSE);
        CK_OBJECT_HANDLE all[] = { pub2, priv2, z1, z2 };
        for (size_t i = 0; i < 4; i++) {
            assert_int_equal(C_DestroyObject(s, all[i]), CKR_OK);
        }
#endif
        assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
        assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    }
}

#if NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN
static void a_generated_rsa_key_pair_is_complete_and_works(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_MECHANISM gen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ULONG bits = 2048;
    CK_BYTE e[] = { 0x01, 0x00, 0x01 };
    CK_ATTRIBUTE pt[] = { { CKA_MODULUS_BITS, &bits, sizeof(bits) }, { CKA_PUBLIC_EXPONENT, e, sizeof(e) } };
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(C_GenerateKeyPair(s, &gen, pt, 2, NULL_PTR, 0, &pub, &priv), CKR_OK);
    check_private(s, priv, CKM_RSA_PKCS_KEY_PAIR_GEN, CKA_PRIVATE_EXPONENT);
    static const CK_ATTRIBUTE_TYPE secret[] = { CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2,
                                                CKA_COEFFICIENT };
    for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++) {
        CK_ATTRIBUTE a = { secret[i], NULL_PTR, 0 };
        assert_int_equal(C_GetAttributeValue(s, priv, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
    }
    /* Public attributes on both halves: modulus, exponent, size. */
    assert_int_equal(conf_ulong(s, pub, CKA_MODULUS_BITS), 2048);
    assert_int_equal(cm_value(s, pub, CKA_MODULUS, out, sizeof(out)), 256);
    assert_true(out[0] & 0x80);
    assert_int_equal(cm_value(s, priv, CKA_MODULUS, out2, sizeof(out2)), 256);
    assert_memory_equal(out, out2, 256);
    assert_int_equal(cm_value(s, priv, CKA_PUBLIC_EXPONENT, out2, sizeof(out2)), 3);
    assert_memory_equal(out2, e, 3);
    /* Signatures of every kind; PKCS#1 v1.5 is deterministic. */
    static const CK_MECHANISM_TYPE sig[] = {
#if NVT_CONFIG_MECH_SHA1
        CKM_SHA1_RSA_PKCS,
#endif
        CKM_SHA256_RSA_PKCS, CKM_SHA384_RSA_PKCS, CKM_SHA512_RSA_PKCS,
    };
    memset(buf, 0x33, 200);
    for (size_t i = 0; i < sizeof(sig) / sizeof(sig[0]); i++) {
        CK_MECHANISM m = { sig[i], NULL_PTR, 0 };
        CK_ULONG len = sizeof(out), len2 = sizeof(out2);
        assert_int_equal(cm_sign(s, &m, priv, buf, 200, 0, out, &len), CKR_OK);
        assert_int_equal(cm_sign(s, &m, priv, buf, 200, 50, out2, &len2), CKR_OK);
        assert_int_equal(len, 256);
        assert_memory_equal(out, out2, 256);
        assert_int_equal(cm_verify(s, &m, pub, buf, 200, 0, out, len), CKR_OK);
    }
    static const CK_MECHANISM_TYPE pss[][3] = {
        { CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256 },
        { CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384 },
        { CKM_SHA512_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA512 },
    };
    for (size_t i = 0; i < 3; i++) {
        CK_RSA_PKCS_PSS_PARAMS p = { pss[i][1], pss[i][2], 32 + 16 * i };
        CK_MECHANISM m = { pss[i][0], &p, sizeof(p) };
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, &m, priv, buf, 200, 0, out, &len), CKR_OK);
        assert_int_equal(cm_verify(s, &m, pub, buf, 200, 33, out, len), CKR_OK);
    }
    /* Raw RSA: sign = x^d, verify = x^e, a round trip. */
    CK_MECHANISM raw = { CKM_RSA_X_509, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    buf[0] = 0;
    assert_int_equal(cm_sign(s, &raw, priv, buf, 256, 0, out, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &raw, pub, buf, 256, 0, out, len), CKR_OK);
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    /* Encryption both ways: PKCS#1 v1.5, OAEP with SHA-1 and SHA-256 and a label, raw. */
    CK_BYTE label[] = "nvtoken";
    CK_RSA_PKCS_OAEP_PARAMS o1 = { CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL_PTR, 0 };
    CK_RSA_PKCS_OAEP_PARAMS o2 = { CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, label, 7 };
    CK_MECHANISM ms[] = { { CKM_RSA_PKCS, NULL_PTR, 0 },
                          { CKM_RSA_PKCS_OAEP, &o1, sizeof(o1) },
                          { CKM_RSA_PKCS_OAEP, &o2, sizeof(o2) },
                          { CKM_RSA_X_509, NULL_PTR, 0 } };
    for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
        size_t n = i == 3 ? 256 : 100;
        CK_ULONG clen = sizeof(out), plen = sizeof(out2);
        assert_int_equal(cm_crypt(s, 0, &ms[i], pub, buf, n, 0, out, &clen), CKR_OK);
        assert_int_equal(clen, 256);
        assert_int_equal(cm_crypt(s, 1, &ms[i], priv, out, clen, 0, out2, &plen), CKR_OK);
        assert_int_equal(plen, n);
        assert_memory_equal(out2, buf, n);
    }
    /* A short output buffer for a decryption keeps the operation. */
    CK_ULONG clen = sizeof(out), plen = 10;
    assert_int_equal(cm_crypt(s, 0, &ms[0], pub, buf, 100, 0, out, &clen), CKR_OK);
    assert_int_equal(C_DecryptInit(s, &ms[0], priv), CKR_OK);
    assert_int_equal(C_Decrypt(s, out, clen, out2, &plen), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(plen, 100);
    assert_int_equal(C_Decrypt(s, out, clen, out2, &plen), CKR_OK);
    assert_int_equal(plen, 100);
#endif
}

#endif

#if NVT_CONFIG_MECH_SECRET_KEYGEN
static void generated_secret_keys_have_the_asked_length(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_MECHANISM aesgen = { CKM_AES_KEY_GEN, NULL_PTR, 0 }, gen = { CKM_GENERIC_SECRET_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG lens[] = { 16, 24, 32 };
    for (size_t i = 0; i < 3; i++) {
        CK_ATTRIBUTE t[] = { { CKA_VALUE_LEN, &lens[i], sizeof(CK_ULONG) } };
        CK_OBJECT_HANDLE h;
        assert_int_equal(C_GenerateKey(s, &aesgen, t, 1, &h), CKR_OK);
        assert_int_equal(conf_ulong(s, h, CKA_VALUE_LEN), lens[i]);
#if NVT_CONFIG_MECH_CMAC
        /* and it works */
        CK_MECHANISM cmac = { CKM_AES_CMAC, NULL_PTR, 0 };
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, &cmac, h, buf, 10, 0, out, &len), CKR_OK);
#endif
    }
    CK_ULONG one = 1, twenty = 20;
    CK_ATTRIBUTE t1[] = { { CKA_VALUE_LEN, &one, sizeof(one) } }, t20[] = { { CKA_VALUE_LEN, &twenty, sizeof(twenty) } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_GenerateKey(s, &gen, t1, 1, &h), CKR_OK);
    assert_int_equal(C_GenerateKey(s, &gen, t20, 1, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_VALUE_LEN), 20);
#if NVT_CONFIG_MECH_HMAC && NVT_CONFIG_MECH_SHA512
    CK_MECHANISM hmac = { CKM_SHA384_HMAC, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(cm_sign(s, &hmac, h, buf, 10, 0, out, &len), CKR_OK);
    assert_int_equal(len, 48);
#endif
    assert_int_equal(C_GenerateKey(s, &aesgen, t20, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
}
#endif

/* ---- the key cache, seen from outside ------------------------------------------------------------ */

static void a_cached_key_follows_destroy_modify_and_logout(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, 256, CK_TRUE, &pub, &priv), CKR_OK);
    CK_MECHANISM m = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    memset(buf, 1, 32);
    assert_int_equal(cm_sign(s, &m, priv, buf, 32, 0, out, &len), CKR_OK); /* cached now */
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    /* modify: a usage turned off is seen at once */
    CK_ATTRIBUTE nosign[] = { { CKA_SIGN, &conf_false, 1 } };
    assert_int_equal(C_SetAttributeValue(s, priv, nosign, 1), CKR_OK);
    assert_int_equal(C_SignInit(s, &m, priv), CKR_KEY_FUNCTION_NOT_PERMITTED);
#endif
    /* the allowed mechanisms hold for a cached key as for a new one */
    CK_MECHANISM_TYPE only[] = { CKM_ECDSA_SHA256 };
    CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC;
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    uint8_t d[32] = { 5, 5, 5 };
    CK_ATTRIBUTE at[] = { { CKA_CLASS, &pc, sizeof(pc) },    { CKA_KEY_TYPE, &ec, sizeof(ec) },
                          { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, d, sizeof(d) },
                          { CKA_ALLOWED_MECHANISMS, only, sizeof(only) } };
    CK_OBJECT_HANDLE limited;
    assert_int_equal(conf_create(s, at, 5, &limited), CKR_OK);
    CK_MECHANISM m256 = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    for (int i = 0; i < 2; i++) { /* loaded, then cached */
        len = sizeof(out);
        assert_int_equal(cm_sign(s, &m256, limited, buf, 32, 0, out, &len), CKR_OK);
        assert_int_equal(C_SignInit(s, &m, limited), CKR_MECHANISM_INVALID);
    }
    /* logout: the private key's handle is gone, even after a new login */
    CK_OBJECT_HANDLE pub2, priv2;
    assert_int_equal(generate_ec(s, 256, CK_TRUE, &pub2, &priv2), CKR_OK);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &m, priv2, buf, 32, 0, out, &len), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_SignInit(s, &m, priv2), CKR_KEY_HANDLE_INVALID);
    conf_login_user(s);
    assert_int_equal(C_SignInit(s, &m, priv2), CKR_KEY_HANDLE_INVALID);
    /* destroy: gone from the cache too */
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE find[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_SIGN, &conf_true, 1 },
                            { CKA_ALLOWED_MECHANISMS, NULL_PTR, 0 } };
    CK_OBJECT_HANDLE h;
    CK_ULONG count = 0;
    /* the one signing key without allowed mechanisms (a profile without
     * C_SetAttributeValue left the first pair's CKA_SIGN on) */
    assert_int_equal(C_FindObjectsInit(s, find, NVT_CONFIG_TOKEN_SET_ATTRIBUTE ? 2 : 3), CKR_OK);
    assert_int_equal(C_FindObjects(s, &h, 1, &count), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(count, 1);
    len = sizeof(out);
    assert_int_equal(cm_sign(s, &m, h, buf, 32, 0, out, &len), CKR_OK);
    assert_int_equal(C_DestroyObject(s, h), CKR_OK);
    assert_int_equal(C_SignInit(s, &m, h), CKR_KEY_HANDLE_INVALID);
}

static void an_operation_in_progress_survives_the_caches_evictions(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session(), s2 = conf_open(1);
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, 256, conf_scratch, &pub, &priv), CKR_OK);
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL_PTR, 0 }, raw = { CKM_ECDSA, NULL_PTR, 0 };
    memset(buf, 7, 64);
    assert_int_equal(C_SignInit(s, &m, priv), CKR_OK);
#if NVT_CONFIG_TOKEN_MULTIPART
    assert_int_equal(C_SignUpdate(s, buf, 32), CKR_OK);
#endif
    /* More keys than the cache holds, each used, in another session. */
    for (int i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE + 3; i++) {
        uint8_t d[32] = { 1, (uint8_t)i };
        CK_OBJECT_HANDLE k = cm_ec_priv(s2, 256, d, sizeof(d));
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s2, &raw, k, buf, 32, 0, out, &len), CKR_OK);
        assert_int_equal(C_DestroyObject(s2, k), CKR_OK);
    }
    /* The first operation's key is still there; and when the key itself
     * is destroyed meanwhile, the operation still finishes. */
    CK_ULONG len = sizeof(out);
#if NVT_CONFIG_TOKEN_MULTIPART
    assert_int_equal(C_SignUpdate(s, buf + 32, 32), CKR_OK);
    assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    assert_int_equal(C_SignFinal(s, out, &len), CKR_OK);
#else
    assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    assert_int_equal(C_Sign(s, buf, 64, out, &len), CKR_OK);
#endif
    assert_int_equal(cm_verify(s, &m, pub, buf, 64, 0, out, len), CKR_OK);
}

/* (Without a key cache, the key is read again for every operation.) */
static void c_sign_init_with_a_cached_key_reads_nothing_from_the_store(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, 256, CK_TRUE, &pub, &priv), CKR_OK); /* token objects */
    struct nvt_flash_ram *fl = nvt_test_token_flash(0);
    CK_MECHANISM m = { CKM_ECDSA, NULL_PTR, 0 };
    memset(buf, 9, 32);
    nvt_flash_ram_reset_counters(fl);
    CK_ULONG len = sizeof(out);
    assert_int_equal(cm_sign(s, &m, priv, buf, 32, 0, out, &len), CKR_OK);
    uint64_t first = fl->counters.bytes_read;
#if !NVT_CONFIG_TOKEN_HEAP
    assert_true(first > 0); /* the key was read once, without a RAM cache of objects */
#endif
    for (int i = 0; i < 3; i++) {
        nvt_flash_ram_reset_counters(fl);
        len = sizeof(out);
        assert_int_equal(cm_sign(s, &m, priv, buf, 32, 0, out, &len), CKR_OK);
#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
        assert_int_equal(fl->counters.bytes_read, 0);
#else
        assert_int_equal(fl->counters.bytes_read, first); /* no cache: the key is read for each operation */
#endif
    }
    (void)first;
}

/* The key cache full, PSA still has room for the keys a call loads next to
 * it: a new key used (loaded before the cache evicts for it), a key pair
 * and a secret key generated. (A profile without the cache, or without the
 * mechanisms the test fills it with, has nothing of this to check.) */
#define FULL_CACHE_TEST                                                                               \
    (NVT_CONFIG_TOKEN_KEY_CACHE > 0 && NVT_CONFIG_MECH_CMAC && NVT_CONFIG_MECH_SECRET_KEYGEN && \
     NVT_CONFIG_MECH_EC_KEYGEN)
#if FULL_CACHE_TEST
static void a_full_key_cache_leaves_psa_room_for_a_call(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_MECHANISM cmac = { CKM_AES_CMAC, NULL_PTR, 0 };
    memset(buf, 3, 16);
    CK_OBJECT_HANDLE k[NVT_CONFIG_TOKEN_KEY_CACHE + 2];
    for (int i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE + 2; i++) {
        uint8_t v[16] = { (uint8_t)i, 1 };
        k[i] = cm_secret(s, CKK_AES, v, 16);
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, &cmac, k[i], buf, 16, 0, out, &len), CKR_OK);
    }
    /* The first two, evicted already, make room for the session objects
     * below (a target has few); the cache stays full. */
    assert_int_equal(C_DestroyObject(s, k[0]), CKR_OK);
    assert_int_equal(C_DestroyObject(s, k[1]), CKR_OK);
    CK_OBJECT_HANDLE pub, priv, aes;
    assert_int_equal(generate_ec(s, 256, conf_scratch, &pub, &priv), CKR_OK);
    CK_MECHANISM gen = { CKM_AES_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG vlen = 16;
    CK_ATTRIBUTE t[] = { { CKA_VALUE_LEN, &vlen, sizeof(vlen) },
                         { CKA_SIGN, &conf_true, 1 },
                         { CKA_TOKEN, &conf_scratch, 1 } };
    assert_int_equal(C_GenerateKey(s, &gen, t, 3, &aes), CKR_OK);
    CK_ULONG len = sizeof(out);
    assert_int_equal(cm_sign(s, &cmac, aes, buf, 16, 0, out, &len), CKR_OK);
}
#endif

/* A key pair the session may not store is refused before anything reaches
 * the flash (the key-pair journal is written only once the first half
 * passed its checks), and the next pair is made normally. */
static void a_refused_token_key_pair_writes_nothing(void **state)
{
    (void)state;
    struct nvt_flash_ram *fl = nvt_test_token_flash(0);
    CK_OBJECT_HANDLE pub, priv;
    CK_SESSION_HANDLE ro = conf_open(0);
    conf_login_user(ro);
    CK_SESSION_HANDLE rw = conf_open(1);
    assert_int_equal(C_Logout(ro), CKR_OK);
    nvt_flash_ram_reset_counters(fl);
    assert_int_equal(generate_ec(rw, 256, CK_TRUE, &pub, &priv), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(fl->counters.ops, 0);
    conf_login_user(ro); /* writes the PIN counters */
    nvt_flash_ram_reset_counters(fl);
    assert_int_equal(generate_ec(ro, 256, CK_TRUE, &pub, &priv), CKR_SESSION_READ_ONLY);
    assert_int_equal(fl->counters.ops, 0);
    assert_int_equal(generate_ec(rw, 256, CK_TRUE, &pub, &priv), CKR_OK);
    assert_true(fl->counters.ops > 0);
    assert_int_equal(conf_bool(rw, priv, CKA_TOKEN), CK_TRUE);
}

/* An EC public key object takes an uncompressed point on its curve only:
 * another format byte (p256-m's PSA driver looks at the length alone) or a
 * point off the curve is refused and nothing is made. */
static void an_ec_point_not_uncompressed_or_off_the_curve_is_refused(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, 256, conf_scratch, &pub, &priv), CKR_OK);
    uint8_t point[80];
    CK_ULONG n = cm_value(s, pub, CKA_EC_POINT, point, sizeof(point));
    assert_int_equal(n, 67); /* 04 41 04 X Y */
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                         { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len },
                         { CKA_EC_POINT, point, n } };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    assert_int_equal(conf_create(s, t, 4, &h), CKR_OK); /* as it is: accepted */
    assert_int_equal(C_DestroyObject(s, h), CKR_OK);
    static const struct {
        size_t at;
        uint8_t value;
    } edits[] = { { 2, 0x02 }, { 2, 0x03 }, { 2, 0x06 }, { 2, 0x00 }, { 66, 0x00 } };
    for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
        uint8_t keep = point[edits[i].at];
        point[edits[i].at] = edits[i].value == 0 && edits[i].at == 66 ? (uint8_t)(keep ^ 1) : edits[i].value;
        h = CK_INVALID_HANDLE;
        assert_int_equal(conf_create(s, t, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);
        assert_int_equal(h, CK_INVALID_HANDLE);
        point[edits[i].at] = keep;
    }
    assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
    assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(generated_ec_key_pairs_are_local_complete_and_work),
        CONF_TEST(an_ec_point_not_uncompressed_or_off_the_curve_is_refused),
#if NVT_CONFIG_MECH_RSA && NVT_CONFIG_MECH_RSA_KEYGEN
        CONF_TEST(a_generated_rsa_key_pair_is_complete_and_works),
#endif
#if NVT_CONFIG_MECH_SECRET_KEYGEN
        CONF_TEST(generated_secret_keys_have_the_asked_length),
#endif
        CONF_TEST(a_cached_key_follows_destroy_modify_and_logout),
        CONF_TEST(an_operation_in_progress_survives_the_caches_evictions),
        CONF_TEST(c_sign_init_with_a_cached_key_reads_nothing_from_the_store),
#if FULL_CACHE_TEST
        CONF_TEST(a_full_key_cache_leaves_psa_room_for_a_call),
#endif
        CONF_TEST(a_refused_token_key_pair_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
