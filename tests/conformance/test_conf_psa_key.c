/* Conformance: a private key lent to PSA code (include/nvtoken/psa_key.h).
 * The lent identifier signs hashes with the key and does nothing else;
 * every rule of the object's policy is checked before anything is lent
 * (login, class, CKA_SIGN, CKA_ALWAYS_AUTHENTICATE,
 * CKA_ALLOWED_MECHANISMS); the loan survives the
 * key cache's evictions and the object's destruction, and ends - the
 * identifier dead - when returned, at logout, when its session closes and
 * at C_Finalize; a key lent again comes from the key cache without a store
 * read. Host and Cortex-M4, in every profile (the RSA loans where it has
 * RSA; without a key cache, each loan loads its own key). */
#include "conf_mech.h"

#include "nvtoken/flash_ram.h"
#include "nvtoken/psa_key.h"

#include <psa/crypto.h>

#define NO_ID 0xA5A5A5A5u

/* The ECDSA a lent EC key signs with: deterministic (RFC 6979) where the
 * build has it. */
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
#define ECDSA_SHA(h) PSA_ALG_DETERMINISTIC_ECDSA(h)
#else
#define ECDSA_SHA(h) PSA_ALG_ECDSA(h)
#endif

static uint8_t hash[32], sig[512];

/* A P-256 key pair of token objects; the private half with CKA_SIGN and
 * CKA_PRIVATE as given. */
static CK_RV generate_ec(CK_SESSION_HANDLE s, CK_BBOOL sign, CK_BBOOL priv_flag, CK_OBJECT_HANDLE *pub,
                         CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    CK_ATTRIBUTE pt[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_TOKEN, &conf_true, 1 },
                          { CKA_VERIFY, &conf_true, 1 } };
    CK_ATTRIBUTE vt[] = { { CKA_TOKEN, &conf_true, 1 }, { CKA_SIGN, &sign, 1 }, { CKA_PRIVATE, &priv_flag, 1 } };
    return C_GenerateKeyPair(s, &gen, pt, 3, vt, 3, pub, priv);
}

#if NVT_CONFIG_CRYPTO_PSA
static uint8_t msg[64], out[512];

/* The RSA private key of kat_rsa_key_a as a session object that may sign,
 * with CKA_ALLOWED_MECHANISMS if n > 0 (it cannot be changed later). */
#if NVT_CONFIG_MECH_RSA
static CK_OBJECT_HANDLE rsa_priv(CK_SESSION_HANDLE s, const CK_MECHANISM_TYPE *allowed, CK_ULONG n)
{
    static uint8_t parts[8][520];
    const kat_rsa_key_t *k = &kat_rsa_key_a;
    const char *hex[8] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->qi };
    static const CK_ATTRIBUTE_TYPE types[8] = { CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT,
                                                CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2,
                                                CKA_COEFFICIENT };
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    CK_ATTRIBUTE t[12] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                           { CKA_SIGN, &conf_true, 1 } };
    CK_ULONG tn = 3;
    for (int i = 0; i < 8; i++) {
        t[tn].type = types[i];
        t[tn].pValue = parts[i];
        t[tn++].ulValueLen = kat_hex(hex[i], parts[i], sizeof(parts[i]));
    }
    if (n > 0) {
        t[tn].type = CKA_ALLOWED_MECHANISMS;
        t[tn].pValue = (void *)(uintptr_t)allowed;
        t[tn++].ulValueLen = n * sizeof(CK_MECHANISM_TYPE);
    }
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    assert_int_equal(conf_create(s, t, tn, &h), CKR_OK);
    return h;
}
#endif

/* msg filled with 'seed' and its SHA-256 in hash. */
static void make_hash(uint8_t seed)
{
    memset(msg, seed, sizeof(msg));
    size_t n = 0;
    assert_int_equal(psa_hash_compute(PSA_ALG_SHA_256, msg, sizeof(msg), hash, sizeof(hash), &n), PSA_SUCCESS);
    assert_int_equal(n, sizeof(hash));
}

/* Sign hash with the lent key, verify with the token (CKM_ECDSA on the hash). */
static psa_status_t ec_sign_and_verify(CK_SESSION_HANDLE s, uint32_t id, CK_OBJECT_HANDLE pub)
{
    size_t n = 0;
    psa_status_t st = psa_sign_hash(id, ECDSA_SHA(PSA_ALG_SHA_256), hash, sizeof(hash), sig, sizeof(sig), &n);
    if (st == PSA_SUCCESS) {
        CK_MECHANISM m = { CKM_ECDSA, NULL_PTR, 0 };
        assert_int_equal(n, 64);
        assert_int_equal(cm_verify(s, &m, pub, hash, sizeof(hash), 0, sig, n), CKR_OK);
    }
    return st;
}

static void a_lent_ec_key_signs_hashes_and_nothing_else(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    uint32_t id = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_OK);
    assert_true(id != NO_ID && id != 0);

    /* Its PSA policy: an ECC key pair that signs hashes (ECDSA, any hash;
     * PSA adds signing messages, which is hashing, then the same). */
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    assert_int_equal(psa_get_key_attributes(id, &a), PSA_SUCCESS);
    assert_int_equal(psa_get_key_type(&a), PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    assert_int_equal(psa_get_key_bits(&a), 256);
    assert_int_equal(psa_get_key_usage_flags(&a), PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_SIGN_MESSAGE);
    assert_int_equal(psa_get_key_algorithm(&a), ECDSA_SHA(PSA_ALG_ANY_HASH));
    assert_int_equal(psa_get_key_enrollment_algorithm(&a), PSA_ALG_NONE);
    psa_reset_key_attributes(&a);

    for (uint8_t i = 1; i <= 3; i++) {
        make_hash(i);
        assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    }
    /* Deterministic ECDSA: the same hash, the same signature; else a fresh
     * nonce each time. */
    uint8_t again[64];
    size_t n2 = 0;
    memcpy(again, sig, sizeof(again));
    assert_int_equal(psa_sign_hash(id, ECDSA_SHA(PSA_ALG_SHA_256), hash, 32, sig, sizeof(sig), &n2), PSA_SUCCESS);
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
    assert_memory_equal(sig, again, 64);
#else
    assert_memory_not_equal(sig, again, 32); /* r */
#endif
    size_t n = 0;
#if NVT_CONFIG_MECH_SHA512 /* (PSA has SHA-384 with it) */
    assert_int_equal(psa_sign_hash(id, ECDSA_SHA(PSA_ALG_SHA_384), msg, 48, sig, sizeof(sig), &n), PSA_SUCCESS);
#endif
    assert_int_equal(psa_sign_message(id, ECDSA_SHA(PSA_ALG_SHA_256), msg, sizeof(msg), sig, sizeof(sig), &n),
                     PSA_SUCCESS);
    /* Nothing else: no export (of the private value or anything), no
     * verification, no key agreement. */
    assert_int_equal(psa_export_key(id, out, sizeof(out), &n), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_verify_hash(id, ECDSA_SHA(PSA_ALG_SHA_256), hash, 32, sig, 64), PSA_ERROR_NOT_PERMITTED);
    uint8_t peer[65];
    assert_int_equal(cm_value(s, pub, CKA_EC_POINT, sig, sizeof(sig)), 67);
    memcpy(peer, sig + 2, 65);
    assert_int_equal(psa_raw_key_agreement(PSA_ALG_ECDH, id, peer, sizeof(peer), out, sizeof(out), &n),
                     PSA_ERROR_NOT_PERMITTED);
    /* The object's secret is still withheld from PKCS#11. */
    CK_ATTRIBUTE v = { CKA_VALUE, sig, sizeof(sig) };
    assert_int_equal(C_GetAttributeValue(s, priv, &v, 1), CKR_ATTRIBUTE_SENSITIVE);

    assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
}

#if NVT_CONFIG_MECH_RSA
static void a_lent_rsa_key_gets_the_schemes_its_allowed_mechanisms_grant(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub = cm_rsa_pub(s, &kat_rsa_key_a);
    make_hash(7);
    CK_MECHANISM pkcs1 = { CKM_SHA256_RSA_PKCS, NULL_PTR, 0 };
    CK_RSA_PKCS_PSS_PARAMS pp = { CKM_SHA256, CKG_MGF1_SHA256, 32 };
    CK_MECHANISM pss = { CKM_SHA256_RSA_PKCS_PSS, &pp, sizeof(pp) };
    static const struct {
        CK_MECHANISM_TYPE allowed[2];
        CK_ULONG n; /* 0: no CKA_ALLOWED_MECHANISMS */
        CK_RV lend;
        int pkcs1, pss;
    } cases[] = {
        { { 0 }, 0, CKR_OK, 1, 1 },
        { { CKM_RSA_PKCS, CKM_RSA_PKCS_PSS }, 2, CKR_OK, 1, 1 },
        { { CKM_RSA_PKCS }, 1, CKR_OK, 1, 0 },
        { { CKM_RSA_PKCS_PSS }, 1, CKR_OK, 0, 1 },
        { { CKM_SHA256_RSA_PKCS, CKM_SHA256_RSA_PKCS_PSS }, 2, CKR_MECHANISM_INVALID, 0, 0 },
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        CK_OBJECT_HANDLE priv = rsa_priv(s, cases[c].allowed, cases[c].n);
        uint32_t id = NO_ID;
        assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), cases[c].lend);
        if (cases[c].lend != CKR_OK) {
            assert_int_equal(id, NO_ID);
            continue;
        }
        size_t n = 0;
        psa_status_t st = psa_sign_hash(id, PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_SHA_256), hash, 32, sig, sizeof(sig), &n);
        assert_int_equal(st, cases[c].pkcs1 ? PSA_SUCCESS : PSA_ERROR_NOT_PERMITTED);
        if (st == PSA_SUCCESS) {
            assert_int_equal(cm_verify(s, &pkcs1, pub, msg, sizeof(msg), 0, sig, n), CKR_OK);
        }
        st = psa_sign_hash(id, PSA_ALG_RSA_PSS(PSA_ALG_SHA_256), hash, 32, sig, sizeof(sig), &n);
        assert_int_equal(st, cases[c].pss ? PSA_SUCCESS : PSA_ERROR_NOT_PERMITTED);
        if (st == PSA_SUCCESS) {
            assert_int_equal(cm_verify(s, &pss, pub, msg, sizeof(msg), 0, sig, n), CKR_OK);
        }
        assert_int_equal(psa_export_key(id, out, sizeof(out), &n), PSA_ERROR_NOT_PERMITTED);
        assert_int_equal(psa_asymmetric_decrypt(id, PSA_ALG_RSA_PKCS1V15_CRYPT, sig, 256, NULL, 0, out, sizeof(out), &n),
                         PSA_ERROR_NOT_PERMITTED);
        assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
        assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    }
}
#endif

/* Every refusal leaves the identifier untouched and lends nothing. */
static void the_objects_policy_is_checked_before_anything_is_lent(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv, nosign_pub, nosign, limited, open_pub, open_priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    assert_int_equal(generate_ec(s, CK_FALSE, CK_TRUE, &nosign_pub, &nosign), CKR_OK);
    assert_int_equal(C_DestroyObject(s, nosign_pub), CKR_OK); /* room: 8 objects in ecdsa-p256 */
    /* (CKA_ALLOWED_MECHANISMS is given at creation, with the value.) */
    CK_MECHANISM_TYPE hashed_only[] = { CKM_ECDSA_SHA256, CKM_ECDSA_SHA384 };
    CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC;
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(256, &oid_len);
    uint8_t d[32] = { 5, 5, 5 };
    CK_ATTRIBUTE limited_t[] = { { CKA_CLASS, &pc, sizeof(pc) },    { CKA_KEY_TYPE, &ec, sizeof(ec) },
                                 { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, d, sizeof(d) },
                                 { CKA_SIGN, &conf_true, 1 },
                                 { CKA_ALLOWED_MECHANISMS, hashed_only, sizeof(hashed_only) } };
    assert_int_equal(conf_create(s, limited_t, 6, &limited), CKR_OK);
    assert_int_equal(generate_ec(s, CK_TRUE, CK_FALSE, &open_pub, &open_priv), CKR_OK);
    assert_int_equal(C_DestroyObject(s, open_pub), CKR_OK);
    uint8_t aes[16] = { 1 };
    CK_OBJECT_HANDLE secret = cm_secret(s, CKK_GENERIC_SECRET, aes, sizeof(aes)); /* CKA_SIGN true */
    CK_OBJECT_HANDLE data = conf_data(s, conf_scratch, CK_FALSE, "data");
    /* A key that wants the PIN at every use. */
    uint8_t d2[32] = { 6, 6, 6 };
    CK_ATTRIBUTE auth_t[] = { { CKA_CLASS, &pc, sizeof(pc) },    { CKA_KEY_TYPE, &ec, sizeof(ec) },
                              { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_VALUE, d2, sizeof(d2) },
                              { CKA_SIGN, &conf_true, 1 },       { CKA_ALWAYS_AUTHENTICATE, &conf_true, 1 } };
    CK_OBJECT_HANDLE every_use;
    assert_int_equal(conf_create(s, auth_t, 6, &every_use), CKR_OK);
    uint32_t id = NO_ID;

    assert_int_equal(nvt_token_psa_key_lend(s, nosign, &id), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(nvt_token_psa_key_lend(s, every_use, &id), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(nvt_token_psa_key_lend(s, limited, &id), CKR_MECHANISM_INVALID);
    assert_int_equal(nvt_token_psa_key_lend(s, pub, &id), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(nvt_token_psa_key_lend(s, secret, &id), CKR_KEY_TYPE_INCONSISTENT);
    assert_int_equal(nvt_token_psa_key_lend(s, data, &id), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(nvt_token_psa_key_lend(s, CK_INVALID_HANDLE, &id), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(nvt_token_psa_key_lend(s, priv + 1000, &id), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(nvt_token_psa_key_lend(s + 1000, priv, &id), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(nvt_token_psa_key_lend(s, priv, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(id, NO_ID);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(nvt_token_psa_key_return(s + 1000), CKR_SESSION_HANDLE_INVALID);

    /* One loan per session. */
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_OK);
    uint32_t id2 = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s, open_priv, &id2), CKR_OPERATION_ACTIVE);
    assert_int_equal(id2, NO_ID);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OPERATION_NOT_INITIALIZED);

    /* A login is needed, even for a private key anyone may see (CKA_PRIVATE
     * false); the SO's login is not the user's. */
    assert_int_equal(C_Logout(s), CKR_OK);
    id = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s, open_priv, &id), CKR_USER_NOT_LOGGED_IN);
    conf_login_so(s);
    assert_int_equal(nvt_token_psa_key_lend(s, open_priv, &id), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(id, NO_ID);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
    assert_int_equal(nvt_token_psa_key_lend(s, open_priv, &id), CKR_OK);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);

    /* Not initialised. */
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id2), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(id2, NO_ID);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

static void a_loan_survives_evictions_and_the_objects_destruction(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session(), s2 = conf_open(1);
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    uint32_t id = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_OK);
    /* More keys than the cache holds, each used, in another session. */
#if NVT_CONFIG_TOKEN_KEY_CACHE > 0 && NVT_CONFIG_MECH_CMAC
    for (int i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE + 3; i++) {
        uint8_t v[16] = { (uint8_t)i };
        CK_OBJECT_HANDLE k = cm_secret(s2, CKK_AES, v, 16);
        CK_MECHANISM cmac = { CKM_AES_CMAC, NULL_PTR, 0 };
        CK_ULONG len = sizeof(sig);
        assert_int_equal(cm_sign(s2, &cmac, k, msg, 16, 0, sig, &len), CKR_OK);
        assert_int_equal(C_DestroyObject(s2, k), CKR_OK);
    }
#endif
    make_hash(3);
    assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    /* Another session lends the same key: the same key in PSA (from the
     * key cache; without one, a key of its own). */
    uint32_t id2 = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s2, priv, &id2), CKR_OK);
#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
    assert_int_equal(id2, id);
#else
    assert_int_not_equal(id2, id);
#endif
    assert_int_equal(nvt_token_psa_key_return(s2), CKR_OK);
    assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    /* The object destroyed: the loan goes on; returned: the key is gone. */
    assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    assert_int_equal(nvt_token_psa_key_lend(s2, priv, &id2), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    assert_int_equal(psa_get_key_attributes(id, &a), PSA_ERROR_INVALID_HANDLE);
}

/* The loan ends, and its key dies, at logout, when its session closes and
 * at C_Finalize. */
static void a_loan_ends_at_logout_close_and_finalize(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session(), s2 = conf_open(0);
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    make_hash(5);
    uint32_t id = NO_ID;

    /* Logout ends the loans of every session on the slot. */
    assert_int_equal(nvt_token_psa_key_lend(s2, priv, &id), CKR_OK);
    assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(psa_get_key_attributes(id, &a), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(nvt_token_psa_key_return(s2), CKR_OPERATION_NOT_INITIALIZED);

    /* Closing the session ends its loan (the login stays: s is open). */
    conf_login_user(s);
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE find[] = { { CKA_CLASS, &cls, sizeof(cls) } };
    CK_ULONG count = 0;
    assert_int_equal(C_FindObjectsInit(s, find, 1), CKR_OK);
    assert_int_equal(C_FindObjects(s, &priv, 1, &count), CKR_OK); /* a new handle after the logout */
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(count, 1);
    assert_int_equal(nvt_token_psa_key_lend(s2, priv, &id), CKR_OK);
    assert_int_equal(ec_sign_and_verify(s, id, pub), PSA_SUCCESS);
    assert_int_equal(C_CloseSession(s2), CKR_OK);
    /* The key may stay in the key cache for the next loan; the object
     * destroyed, nothing keeps it. */
    assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    assert_int_equal(psa_get_key_attributes(id, &a), PSA_ERROR_INVALID_HANDLE);

    /* C_Finalize ends every loan. */
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_OK);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_not_equal(psa_get_key_attributes(id, &a), PSA_SUCCESS);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

/* A key lent again comes from the key cache, without a store read (without
 * a cache: read and loaded again). */
static void a_key_lent_again_comes_from_the_key_cache(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK); /* token objects */
    struct nvt_flash_ram *fl = nvt_test_token_flash(0);
    uint32_t id = NO_ID;
    nvt_flash_ram_reset_counters(fl);
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_OK);
#if !NVT_CONFIG_TOKEN_HEAP
    assert_true(fl->counters.bytes_read > 0); /* read once, without a RAM cache of objects */
#endif
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
    for (int i = 0; i < 3; i++) {
        nvt_flash_ram_reset_counters(fl);
        uint32_t again = NO_ID;
        assert_int_equal(nvt_token_psa_key_lend(s, priv, &again), CKR_OK);
#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
        assert_int_equal(fl->counters.bytes_read, 0);
        assert_int_equal(again, id);
#elif !NVT_CONFIG_TOKEN_HEAP
        assert_true(fl->counters.bytes_read > 0);
#endif
        make_hash((uint8_t)i);
        assert_int_equal(ec_sign_and_verify(s, again, pub), PSA_SUCCESS);
        assert_int_equal(nvt_token_psa_key_return(s), CKR_OK);
    }
    /* A C_SignInit uses its own cache entry (another PSA policy). */
    CK_MECHANISM m = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ULONG len = sizeof(sig);
    assert_int_equal(cm_sign(s, &m, priv, hash, 32, 0, sig, &len), CKR_OK);
}

#else /* !NVT_CONFIG_CRYPTO_PSA */

/* A build without PSA's key store (NVT_CONFIG_CRYPTO_PSA 0) has nothing to
 * lend into: the call says so and changes nothing. */
static void a_build_without_psa_lends_nothing(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    CK_OBJECT_HANDLE pub, priv;
    assert_int_equal(generate_ec(s, CK_TRUE, CK_TRUE, &pub, &priv), CKR_OK);
    uint32_t id = NO_ID;
    assert_int_equal(nvt_token_psa_key_lend(s, priv, &id), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(id, NO_ID);
    assert_int_equal(nvt_token_psa_key_return(s), CKR_OPERATION_NOT_INITIALIZED);
    /* The key still signs through the token. */
    CK_MECHANISM m = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ULONG len = sizeof(sig);
    memset(hash, 0x5a, sizeof(hash));
    assert_int_equal(cm_sign(s, &m, priv, hash, 32, 0, sig, &len), CKR_OK);
    assert_int_equal(cm_verify(s, &m, pub, hash, 32, 0, sig, len), CKR_OK);
}
#endif /* NVT_CONFIG_CRYPTO_PSA */

int main(void)
{
#if !NVT_CONFIG_CRYPTO_PSA
    const struct CMUnitTest tests[] = {
        CONF_TEST(a_build_without_psa_lends_nothing),
    };
    return cmocka_run_group_tests_name("conformance_psa_key", tests, NULL, NULL);
#else
    const struct CMUnitTest tests[] = {
        CONF_TEST(a_lent_ec_key_signs_hashes_and_nothing_else),
#if NVT_CONFIG_MECH_RSA
        CONF_TEST(a_lent_rsa_key_gets_the_schemes_its_allowed_mechanisms_grant),
#endif
        CONF_TEST(the_objects_policy_is_checked_before_anything_is_lent),
        CONF_TEST(a_loan_survives_evictions_and_the_objects_destruction),
        CONF_TEST(a_loan_ends_at_logout_close_and_finalize),
        CONF_TEST(a_key_lent_again_comes_from_the_key_cache),
    };
    return cmocka_run_group_tests_name("conformance_psa_key", tests, NULL, NULL);
#endif
}
