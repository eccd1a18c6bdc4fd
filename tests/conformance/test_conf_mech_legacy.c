/* Conformance: the legacy mechanisms (NVT_CONFIG_MECH_LEGACY: RSA keys of
 * 1024 bits and triple-DES, docs/COMPATIBILITY.md), switched on and off.
 *
 * On (the default of a build that has them): listed with their sizes,
 * triple-DES gives the published answers in every mode, single- and
 * multi-part, DES3 keys are 24 bytes with their parity bits set (made so by
 * CKM_DES3_KEY_GEN, refused otherwise), and 1024-bit RSA key pairs work
 * with every RSA mechanism that fits the size.
 * Off (NVT_TOKEN_LEGACY_OFF, the host module's `legacy = 0`), or absent
 * from the build (the device builds, where this program runs on the
 * Cortex-M4 model): nothing legacy is listed or usable, and 1024-bit RSA
 * keys and DES3 keys are refused - also keys made while they were on. */
#include "conf_mech.h"

#include "nvtoken/config.h"
#include "nvtoken/token.h"

/* A valid three-key DES3 value (odd parity in every byte; SP 800-67's). */
static const uint8_t des3_key[24] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x23, 0x45, 0x67, 0x89,
                                      0xab, 0xcd, 0xef, 0x01, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23 };

static CK_RV create_des3(CK_SESSION_HANDLE s, const uint8_t *v, CK_ULONG n, CK_BBOOL token, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_DES3;
    char label[] = "des3";
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },       { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_VALUE, (void *)(uintptr_t)v, n }, { CKA_ENCRYPT, &conf_true, 1 },
                         { CKA_DECRYPT, &conf_true, 1 },         { CKA_TOKEN, &token, 1 },
                         { CKA_LABEL, label, 4 } };
    return C_CreateObject(s, t, 7, h);
}

static CK_RV generate_rsa(CK_SESSION_HANDLE s, CK_ULONG bits, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM gen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pt[] = { { CKA_MODULUS_BITS, &bits, sizeof(bits) }, { CKA_ENCRYPT, &conf_true, 1 } };
    CK_ATTRIBUTE vt[] = { { CKA_DECRYPT, &conf_true, 1 } };
    return C_GenerateKeyPair(s, &gen, pt, 2, vt, 1, pub, priv);
}

static int listed(CK_MECHANISM_TYPE type)
{
    CK_MECHANISM_TYPE list[128];
    CK_ULONG n = 128;
    assert_int_equal(C_GetMechanismList(0, list, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        if (list[i] == type) {
            return 1;
        }
    }
    return 0;
}

static const CK_MECHANISM_TYPE des3_mechs[] = { CKM_DES3_KEY_GEN, CKM_DES3_ECB, CKM_DES3_CBC, CKM_DES3_CBC_PAD };
#define DES3_MECHS (sizeof(des3_mechs) / sizeof(des3_mechs[0]))

/* ---- off, or not in the build ------------------------------------------------------------- */

static int legacy_off_setup(void **state)
{
    (void)state;
    if (nvt_test_token_setup(1) != 0) {
        return -1;
    }
    nvt_test_token_set_flags(NVT_TOKEN_LEGACY_OFF);
    return C_Initialize(NULL_PTR) == CKR_OK && nvt_test_token_init(0) == CKR_OK ? 0 : -1;
}

static void without_the_legacy_mechanisms_nothing_legacy_is_listed_or_taken(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_MECHANISM_INFO info;
    for (size_t i = 0; i < DES3_MECHS; i++) {
        assert_false(listed(des3_mechs[i]));
        assert_int_equal(C_GetMechanismInfo(0, des3_mechs[i], &info), CKR_MECHANISM_INVALID);
    }
    assert_int_equal(C_GetMechanismInfo(0, CKM_RSA_PKCS_KEY_PAIR_GEN, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 2048);
    assert_int_equal(C_GetMechanismInfo(0, CKM_SHA256_RSA_PKCS, &info), CKR_OK);
    assert_int_equal(info.ulMinKeySize, 2048);
    /* no DES3 key, generated or created, and no mechanism for one */
    CK_OBJECT_HANDLE h, pub, priv;
    CK_MECHANISM gen = { CKM_DES3_KEY_GEN, NULL_PTR, 0 }, ecb = { CKM_DES3_ECB, NULL_PTR, 0 };
    assert_int_equal(C_GenerateKey(s, &gen, NULL_PTR, 0, &h), CKR_MECHANISM_INVALID);
    assert_int_equal(create_des3(s, des3_key, 24, CK_FALSE, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    CK_OBJECT_HANDLE aes = cm_secret(s, CKK_AES, des3_key, 16);
    assert_int_equal(C_EncryptInit(s, &ecb, aes), CKR_MECHANISM_INVALID);
    /* no RSA key below 2048 bits, generated or imported */
    assert_int_equal(generate_rsa(s, 1024, &pub, &priv), CKR_ATTRIBUTE_VALUE_INVALID);
    uint8_t n1024[128];
    memset(n1024, 0xc5, sizeof(n1024));
    n1024[127] |= 1;
    CK_BYTE e[] = { 1, 0, 1 };
    CK_OBJECT_CLASS pc = CKO_PUBLIC_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &pc, sizeof(pc) },
                         { CKA_KEY_TYPE, &rsa, sizeof(rsa) },
                         { CKA_MODULUS, n1024, sizeof(n1024) },
                         { CKA_PUBLIC_EXPONENT, e, sizeof(e) } };
    assert_int_equal(C_CreateObject(s, t, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);
}

#if NVT_CONFIG_MECH_LEGACY

/* ---- on --------------------------------------------------------------------------------------- */

static uint8_t a[CM_MAX], b[CM_MAX], c[CM_MAX], d[CM_MAX], out[CM_MAX];

static const size_t chunks[] = { 0, 1, 7, 8, 13 };
#define CHUNKS (sizeof(chunks) / sizeof(chunks[0]))

static void the_legacy_mechanisms_are_listed_with_their_sizes(void **state)
{
    (void)state;
    CK_MECHANISM_INFO info;
    for (size_t i = 0; i < DES3_MECHS; i++) {
        assert_true(listed(des3_mechs[i]));
        assert_int_equal(C_GetMechanismInfo(0, des3_mechs[i], &info), CKR_OK);
        assert_int_equal(info.ulMinKeySize, 24);
        assert_int_equal(info.ulMaxKeySize, 24);
        assert_int_equal(info.flags, i == 0 ? CKF_GENERATE : CKF_ENCRYPT | CKF_DECRYPT);
    }
    static const CK_MECHANISM_TYPE rsa[] = { CKM_RSA_PKCS_KEY_PAIR_GEN, CKM_RSA_PKCS, CKM_SHA256_RSA_PKCS,
                                             CKM_RSA_PKCS_PSS, CKM_RSA_PKCS_OAEP, CKM_RSA_X_509 };
    for (size_t i = 0; i < sizeof(rsa) / sizeof(rsa[0]); i++) {
        assert_int_equal(C_GetMechanismInfo(0, rsa[i], &info), CKR_OK);
        assert_int_equal(info.ulMinKeySize, 1024);
    }
}

static void des3_gives_the_published_answers_both_ways(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_des3_count; i++) {
        const kat_cipher_t *v = &kat_des3s[i];
        size_t kn = kat_hex(v->key, a, sizeof(a)), ivn = kat_hex(v->iv, d, sizeof(d));
        size_t pn = kat_hex(v->pt, b, sizeof(b)), cn = kat_hex(v->ct, c, sizeof(c));
        CK_OBJECT_HANDLE key = cm_secret(s, CKK_DES3, a, kn);
        CK_MECHANISM m = { v->mech, ivn > 0 ? d : NULL_PTR, ivn };
        for (size_t k = 0; k < CHUNKS; k++) {
            CK_ULONG len = sizeof(out);
            assert_int_equal(cm_crypt(s, 0, &m, key, b, pn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, cn);
            assert_memory_equal(out, c, cn);
            len = sizeof(out);
            assert_int_equal(cm_crypt(s, 1, &m, key, c, cn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, pn);
            assert_memory_equal(out, b, pn);
        }
        assert_int_equal(C_DestroyObject(s, key), CKR_OK);
    }
}

static int odd_parity(uint8_t v)
{
    int bits = 0;
    for (; v != 0; v >>= 1) {
        bits += v & 1;
    }
    return bits % 2;
}

static void des3_keys_are_24_bytes_with_their_parity_bits_set(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_MECHANISM gen = { CKM_DES3_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG len24 = 24, len16 = 16;
    CK_ATTRIBUTE t[] = { { CKA_SENSITIVE, &conf_false, 1 },
                         { CKA_EXTRACTABLE, &conf_true, 1 },
                         { CKA_VALUE_LEN, &len24, sizeof(len24) } };
    CK_OBJECT_HANDLE k1, k2, h;
    /* generated, with or without the CKA_VALUE_LEN pkcs11-tool sends */
    assert_int_equal(C_GenerateKey(s, &gen, t, 3, &k1), CKR_OK);
    assert_int_equal(C_GenerateKey(s, &gen, t, 2, &k2), CKR_OK);
    CK_OBJECT_HANDLE both[] = { k1, k2 };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cm_value(s, both[i], CKA_VALUE, out, sizeof(out)), 24);
        for (int j = 0; j < 24; j++) {
            assert_true(odd_parity(out[j]));
        }
        assert_int_equal(conf_ulong(s, both[i], CKA_KEY_TYPE), CKK_DES3);
        assert_int_equal(conf_ulong(s, both[i], CKA_VALUE_LEN), 24);
        assert_int_equal(conf_ulong(s, both[i], CKA_KEY_GEN_MECHANISM), CKM_DES3_KEY_GEN);
        assert_int_equal(conf_bool(s, both[i], CKA_LOCAL), CK_TRUE);
    }
    assert_memory_not_equal(out, des3_key, 24);
    t[2].pValue = &len16;
    assert_int_equal(C_GenerateKey(s, &gen, t, 3, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ULONG dummy = 0;
    CK_MECHANISM bad = { CKM_DES3_KEY_GEN, &dummy, sizeof(dummy) };
    assert_int_equal(C_GenerateKey(s, &bad, t, 2, &h), CKR_MECHANISM_PARAM_INVALID);
    /* created: 24 bytes with odd parity in every byte, nothing else */
    assert_int_equal(create_des3(s, des3_key, 24, CK_FALSE, &h), CKR_OK);
    uint8_t wrong[24];
    memcpy(wrong, des3_key, 24);
    wrong[9] ^= 1;
    assert_int_equal(create_des3(s, wrong, 24, CK_FALSE, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(create_des3(s, des3_key, 16, CK_FALSE, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    assert_int_equal(create_des3(s, des3_key, 8, CK_FALSE, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    /* a generated key works both ways, multi-part too */
    uint8_t iv[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    CK_MECHANISM pad = { CKM_DES3_CBC_PAD, iv, 8 };
    memset(a, 0x5a, 100);
    CK_ULONG n = sizeof(b);
    assert_int_equal(cm_crypt(s, 0, &pad, k1, a, 100, 9, b, &n), CKR_OK);
    assert_int_equal(n, 104);
    CK_ULONG m = sizeof(c);
    assert_int_equal(cm_crypt(s, 1, &pad, k1, b, n, 0, c, &m), CKR_OK);
    assert_int_equal(m, 100);
    assert_memory_equal(c, a, 100);
}

static void des3_modes_check_keys_parameters_and_lengths(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE des3 = cm_secret(s, CKK_DES3, des3_key, 24), aes = cm_secret(s, CKK_AES, des3_key, 16);
    uint8_t iv[16] = { 0 };
    CK_MECHANISM ecb = { CKM_DES3_ECB, NULL_PTR, 0 }, cbc = { CKM_DES3_CBC, iv, 8 }, pad = { CKM_DES3_CBC_PAD, iv, 8 };
    CK_MECHANISM aes_ecb = { CKM_AES_ECB, NULL_PTR, 0 };
    /* the key type must be the mechanism's */
    assert_int_equal(C_EncryptInit(s, &ecb, aes), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(C_EncryptInit(s, &aes_ecb, des3), CKR_KEY_TYPE_INCONSISTENT);
    /* an 8-byte IV for the CBC modes, none for ECB */
    CK_MECHANISM long_iv = { CKM_DES3_CBC, iv, 16 }, no_iv = { CKM_DES3_CBC_PAD, NULL_PTR, 0 };
    CK_MECHANISM ecb_iv = { CKM_DES3_ECB, iv, 8 };
    assert_int_equal(C_EncryptInit(s, &long_iv, des3), CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(C_DecryptInit(s, &no_iv, des3), CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(C_EncryptInit(s, &ecb_iv, des3), CKR_MECHANISM_PARAM_INVALID);
    /* whole 8-byte blocks for ECB and CBC */
    CK_ULONG n = sizeof(out);
    assert_int_equal(cm_crypt(s, 0, &ecb, des3, a, 13, 0, out, &n), CKR_DATA_LEN_RANGE);
    n = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &cbc, des3, a, 20, 0, out, &n), CKR_ENCRYPTED_DATA_LEN_RANGE);
    /* CBC_PAD: a short buffer keeps the operation, bad padding is refused */
    assert_int_equal(C_EncryptInit(s, &pad, des3), CKR_OK);
    n = 8;
    assert_int_equal(C_Encrypt(s, a, 8, out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 16);
    assert_int_equal(C_Encrypt(s, a, 8, out, &n), CKR_OK);
    assert_int_equal(n, 16);
    uint8_t junk[16];
    memset(junk, 0x33, sizeof(junk));
    n = sizeof(out);
    CK_RV rv = cm_crypt(s, 1, &pad, des3, junk, 16, 0, out, &n);
    assert_true(rv == CKR_ENCRYPTED_DATA_INVALID || rv == CKR_OK); /* 1 in 256 junk blocks pads right */
    /* a DES3 key travels under AES key wrap (KWP) and works after */
    CK_MECHANISM kwp = { CKM_AES_KEY_WRAP_PAD, NULL_PTR, 0 };
    CK_ULONG wn = sizeof(b);
    assert_int_equal(C_WrapKey(s, &kwp, aes, des3, b, &wn), CKR_OK);
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_DES3;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_ENCRYPT, &conf_true, 1 } };
    CK_OBJECT_HANDLE back;
    assert_int_equal(C_UnwrapKey(s, &kwp, aes, b, wn, t, 3, &back), CKR_OK);
    CK_ULONG n1 = sizeof(c), n2 = sizeof(d);
    assert_int_equal(cm_crypt(s, 0, &ecb, des3, a, 16, 0, c, &n1), CKR_OK);
    assert_int_equal(cm_crypt(s, 0, &ecb, back, a, 16, 0, d, &n2), CKR_OK);
    assert_memory_equal(c, d, 16);
}

static void rsa_1024_key_pairs_work_with_every_rsa_mechanism_that_fits(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_rsa(s, 1024, &pub, &priv), CKR_OK);
    assert_int_equal(conf_ulong(s, pub, CKA_MODULUS_BITS), 1024);
    assert_int_equal(cm_value(s, pub, CKA_MODULUS, out, sizeof(out)), 128);
    memset(a, 0x42, 300);
    /* signatures: PKCS#1 v1.5 with every hash, PSS with those whose hash
     * and salt fit 1024 bits, raw */
    static const struct {
        CK_MECHANISM_TYPE mech, hash;
        CK_ULONG in;
    } sigs[] = {
        { CKM_SHA256_RSA_PKCS, 0, 300 },       { CKM_SHA384_RSA_PKCS, 0, 300 },
        { CKM_SHA512_RSA_PKCS, 0, 300 },       { CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, 300 },
        { CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, 300 }, { CKM_RSA_PKCS_PSS, CKM_SHA256, 32 },
        { CKM_RSA_PKCS, 0, 51 },               { CKM_RSA_X_509, 0, 128 },
#if NVT_CONFIG_MECH_SHA1
        { CKM_SHA1_RSA_PKCS, 0, 300 },
#endif
    };
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        CK_MECHANISM_TYPE mgf = sigs[i].hash == CKM_SHA256 ? CKG_MGF1_SHA256 : CKG_MGF1_SHA384;
        CK_RSA_PKCS_PSS_PARAMS pss = { sigs[i].hash, mgf, sigs[i].hash == CKM_SHA256 ? 32 : 48 };
        CK_MECHANISM m = { sigs[i].mech, sigs[i].hash != 0 ? &pss : NULL_PTR, sigs[i].hash != 0 ? sizeof(pss) : 0 };
        a[0] = 0; /* raw RSA: below the modulus */
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, &m, priv, a, sigs[i].in, 0, out, &len), CKR_OK);
        assert_int_equal(len, 128);
        assert_int_equal(cm_verify(s, &m, pub, a, sigs[i].in, 0, out, len), CKR_OK);
        out[5] ^= 1;
        assert_int_equal(cm_verify(s, &m, pub, a, sigs[i].in, 0, out, len), CKR_SIGNATURE_INVALID);
    }
    /* PSS with SHA-512 and a 64-byte salt needs 130 bytes: a 1024-bit key
     * is too small for it */
    CK_RSA_PKCS_PSS_PARAMS pss512 = { CKM_SHA512, CKG_MGF1_SHA512, 64 };
    CK_MECHANISM m512 = { CKM_SHA512_RSA_PKCS_PSS, &pss512, sizeof(pss512) };
    assert_int_equal(C_SignInit(s, &m512, priv), CKR_KEY_SIZE_RANGE);
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    /* encryption: PKCS#1 v1.5, OAEP with SHA-256 (and SHA-1), raw */
    CK_RSA_PKCS_OAEP_PARAMS o256 = { CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, NULL_PTR, 0 };
    CK_MECHANISM enc[] = {
        { CKM_RSA_PKCS, NULL_PTR, 0 },
        { CKM_RSA_PKCS_OAEP, &o256, sizeof(o256) },
        { CKM_RSA_X_509, NULL_PTR, 0 },
#if NVT_CONFIG_MECH_SHA1
        { CKM_RSA_PKCS_OAEP, NULL_PTR, 0 },
#endif
    };
    CK_RSA_PKCS_OAEP_PARAMS o1 = { CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL_PTR, 0 };
    for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
        if (i == 3) {
            enc[i].pParameter = &o1;
            enc[i].ulParameterLen = sizeof(o1);
        }
        size_t n = i == 2 ? 128 : i == 1 ? 62 : 40; /* OAEP-SHA-256: at most 128 - 66 bytes */
        CK_ULONG clen = sizeof(b), plen = sizeof(c);
        assert_int_equal(cm_crypt(s, 0, &enc[i], pub, a, n, 0, b, &clen), CKR_OK);
        assert_int_equal(clen, 128);
        assert_int_equal(cm_crypt(s, 1, &enc[i], priv, b, clen, 0, c, &plen), CKR_OK);
        assert_int_equal(plen, n);
        assert_memory_equal(c, a, n);
    }
    CK_ULONG clen = sizeof(b);
    assert_int_equal(cm_crypt(s, 0, &enc[1], pub, a, 63, 0, b, &clen), CKR_DATA_LEN_RANGE);
#endif
}

/* Keys made while the legacy mechanisms were on stay in the token, but a
 * restart with them off refuses them, as a build without them would. */
static void keys_made_while_on_are_refused_after_a_restart_with_them_off(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv, des3;
    CK_ULONG bits = 1024;
    CK_MECHANISM gen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pt[] = { { CKA_MODULUS_BITS, &bits, sizeof(bits) }, { CKA_TOKEN, &conf_true, 1 } };
    CK_ATTRIBUTE vt[] = { { CKA_TOKEN, &conf_true, 1 } };
    assert_int_equal(C_GenerateKeyPair(s, &gen, pt, 2, vt, 1, &pub, &priv), CKR_OK);
    assert_int_equal(create_des3(s, des3_key, 24, CK_TRUE, &des3), CKR_OK);
    CK_MECHANISM sha = { CKM_SHA256_RSA_PKCS, NULL_PTR, 0 }, ecb = { CKM_DES3_ECB, NULL_PTR, 0 };
    for (int round = 0; round < 3; round++) {
        /* 0: on; 1: off after a restart; 2: on again */
        if (round > 0) {
            assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
            nvt_test_token_set_flags(round == 1 ? NVT_TOKEN_LEGACY_OFF : 0);
            assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
            s = cm_session();
        }
        CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY, sc = CKO_SECRET_KEY;
        CK_ATTRIBUTE fp[] = { { CKA_CLASS, &pc, sizeof(pc) } }, fs[] = { { CKA_CLASS, &sc, sizeof(sc) } };
        CK_ULONG n = 0;
        assert_int_equal(C_FindObjectsInit(s, fp, 1), CKR_OK);
        assert_int_equal(C_FindObjects(s, &priv, 1, &n), CKR_OK);
        assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
        assert_int_equal(n, 1);
        assert_int_equal(C_FindObjectsInit(s, fs, 1), CKR_OK);
        assert_int_equal(C_FindObjects(s, &des3, 1, &n), CKR_OK);
        assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
        assert_int_equal(n, 1);
        CK_ULONG len = sizeof(out);
        if (round == 1) {
            assert_int_equal(C_SignInit(s, &sha, priv), CKR_KEY_SIZE_RANGE);
            assert_int_equal(C_EncryptInit(s, &ecb, des3), CKR_MECHANISM_INVALID);
        } else {
            assert_int_equal(cm_sign(s, &sha, priv, a, 10, 0, out, &len), CKR_OK);
            len = sizeof(out);
            assert_int_equal(cm_crypt(s, 0, &ecb, des3, a, 8, 0, out, &len), CKR_OK);
        }
    }
}
#endif /* NVT_CONFIG_MECH_LEGACY */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(without_the_legacy_mechanisms_nothing_legacy_is_listed_or_taken,
                                        legacy_off_setup, conf_teardown),
#if NVT_CONFIG_MECH_LEGACY
        CONF_TEST(the_legacy_mechanisms_are_listed_with_their_sizes),
        CONF_TEST(des3_gives_the_published_answers_both_ways),
        CONF_TEST(des3_keys_are_24_bytes_with_their_parity_bits_set),
        CONF_TEST(des3_modes_check_keys_parameters_and_lengths),
        CONF_TEST(rsa_1024_key_pairs_work_with_every_rsa_mechanism_that_fits),
        CONF_TEST(keys_made_while_on_are_refused_after_a_restart_with_them_off),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
