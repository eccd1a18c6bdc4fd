/* The key cache from inside (tok_keycache.c): repeated use of a key keeps
 * one PSA key; logout, destroy and C_Finalize release them; the cache
 * never holds more than NVT_CONFIG_TOKEN_KEY_CACHE keys. A profile without
 * a cache (NVT_CONFIG_TOKEN_KEY_CACHE 0) keeps no key between operations,
 * and each operation lets its own go. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/pkcs11.h"
#include "tok_internal.h"

static CK_BBOOL yes = CK_TRUE;

static int setup(void **state)
{
    (void)state;
    if (nvt_test_token_setup(1) != 0 || C_Initialize(NULL_PTR) != CKR_OK) {
        return -1;
    }
    return nvt_test_token_init(0) == CKR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    CK_RV rv = C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return rv == CKR_OK ? 0 : -1;
}

static CK_SESSION_HANDLE user_session(void)
{
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    static CK_UTF8CHAR pin[] = NVT_TEST_USER_PIN;
    assert_int_equal(C_Login(s, CKU_USER, pin, sizeof(pin) - 1), CKR_OK);
    return s;
}

/* The keys are HMAC keys where the profile has HMAC, else EC P-256
 * private keys (ECDSA); session objects where the profile has them. */
static CK_BBOOL scratch = NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0 ? CK_FALSE : CK_TRUE;

static CK_OBJECT_HANDLE hmac_key(CK_SESSION_HANDLE s, uint8_t b, CK_BBOOL priv)
{
    uint8_t v[32];
    memset(v, b, sizeof(v));
    v[0] = 0x10; /* an EC private value below the order */
#if NVT_CONFIG_MECH_HMAC
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_VALUE, v, sizeof(v) },       { CKA_SIGN, &yes, 1 },
                         { CKA_PRIVATE, &priv, 1 },         { CKA_TOKEN, &scratch, 1 } };
#else
    static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },    { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_VALUE, v, sizeof(v) },          { CKA_SIGN, &yes, 1 },
                         { CKA_PRIVATE, &priv, 1 },            { CKA_TOKEN, &scratch, 1 },
                         { CKA_EC_PARAMS, p256, sizeof(p256) } };
#endif
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_CreateObject(s, t, sizeof(t) / sizeof(t[0]), &h), CKR_OK);
    return h;
}

#if NVT_CONFIG_MECH_HMAC
static CK_MECHANISM mac_mech = { CKM_SHA256_HMAC, NULL_PTR, 0 };
#else
static CK_MECHANISM mac_mech = { CKM_ECDSA, NULL_PTR, 0 };
#endif

static void mac(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE k)
{
    CK_MECHANISM m = mac_mech;
    CK_BYTE data[32] = { 1 }, out[64];
    CK_ULONG len = sizeof(out);
    assert_int_equal(C_SignInit(s, &m, k), CKR_OK);
    assert_int_equal(C_Sign(s, data, sizeof(data), out, &len), CKR_OK);
}

#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
static void a_key_used_again_is_the_same_psa_key(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = user_session();
    CK_OBJECT_HANDLE k = hmac_key(s, 1, CK_TRUE);
    assert_int_equal(tok_kc_count(), 0);
    mac(s, k);
    assert_int_equal(tok_kc_count(), 1);
    for (int i = 0; i < 5; i++) {
        mac(s, k);
    }
    assert_int_equal(tok_kc_count(), 1);
#if NVT_CONFIG_MECH_HMAC && NVT_CONFIG_MECH_SHA512
    /* another use of the same key is another PSA policy: a second entry */
    CK_MECHANISM m384 = { CKM_SHA384_HMAC, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &m384, k), CKR_OK);
    assert_int_equal(tok_kc_count(), 2);
#endif
}

static void destroy_logout_and_finalize_release_the_keys(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = user_session();
    CK_OBJECT_HANDLE priv = hmac_key(s, 1, CK_TRUE), pub = hmac_key(s, 2, CK_FALSE), gone = hmac_key(s, 3, CK_FALSE);
    /* (as many as the cache holds: at least 2) */
    mac(s, priv);
    mac(s, pub);
    assert_int_equal(tok_kc_count(), 2);
    if (NVT_CONFIG_TOKEN_KEY_CACHE >= 3) {
        mac(s, gone);
        assert_int_equal(tok_kc_count(), 3);
    }
    assert_int_equal(C_DestroyObject(s, gone), CKR_OK);
    assert_int_equal(tok_kc_count(), 2);
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    static CK_UTF8CHAR x[] = "x";
    CK_ATTRIBUTE label = { CKA_LABEL, x, 1 };
    assert_int_equal(C_SetAttributeValue(s, pub, &label, 1), CKR_OK); /* modified: made again when used */
    assert_int_equal(tok_kc_count(), 1);
    mac(s, pub);
#endif
    assert_int_equal(C_Logout(s), CKR_OK); /* the private key goes, the public one stays */
    assert_int_equal(tok_kc_count(), 1);
    (void)yes;
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(tok_kc_count(), 0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

static void the_cache_holds_at_most_its_configured_size(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = user_session();
    for (int i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE + 5; i++) {
        CK_OBJECT_HANDLE k = hmac_key(s, (uint8_t)i, CK_FALSE);
        mac(s, k);
        assert_true(tok_kc_count() <= NVT_CONFIG_TOKEN_KEY_CACHE);
        assert_int_equal(C_DestroyObject(s, k), CKR_OK);
    }
    /* keys kept (not destroyed) fill it, and the oldest go */
    CK_OBJECT_HANDLE keep[NVT_CONFIG_TOKEN_KEY_CACHE + 2];
    for (int i = 0; i < NVT_CONFIG_TOKEN_KEY_CACHE + 2 && i < 6; i++) {
        keep[i] = hmac_key(s, (uint8_t)(100 + i), CK_FALSE);
        mac(s, keep[i]);
        assert_true(tok_kc_count() <= NVT_CONFIG_TOKEN_KEY_CACHE);
    }
}

#else
/* Many more operations than PSA has key slots (MBEDTLS_PSA_KEY_SLOT_COUNT):
 * a key not let go would exhaust them. */
static void without_a_cache_every_operation_lets_its_key_go(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = user_session();
    CK_OBJECT_HANDLE k = hmac_key(s, 1, CK_FALSE); /* public: its handle outlives the logouts below */
    for (int i = 0; i < 3 * (NVT_CONFIG_TOKEN_KEY_CACHE + 4) + 1; i++) {
        mac(s, k);
        assert_int_equal(tok_kc_count(), 0);
    }
    /* an operation started and ended early lets its key go too */
    for (int i = 0; i < 3 * (NVT_CONFIG_TOKEN_KEY_CACHE + 4) + 1; i++) {
        assert_int_equal(C_SignInit(s, &mac_mech, k), CKR_OK);
        assert_int_equal(C_CloseSession(s), CKR_OK);
        s = user_session();
    }
    mac(s, k);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
        cmocka_unit_test_setup_teardown(a_key_used_again_is_the_same_psa_key, setup, teardown),
        cmocka_unit_test_setup_teardown(destroy_logout_and_finalize_release_the_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(the_cache_holds_at_most_its_configured_size, setup, teardown),
#else
        cmocka_unit_test_setup_teardown(without_a_cache_every_operation_lets_its_key_go, setup, teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
