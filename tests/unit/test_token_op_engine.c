/* The operation engine and the key-making plumbing of the token layer,
 * through the C API, with the test-only mechanisms of token_test_mechs.c:
 * key usage and allowed-mechanism checks, output negotiation of streaming
 * operations, concurrent operations of different kinds, key pairs made
 * whole or not at all, derivation's and unwrapping's maintained
 * attributes, wrapping's extractability rule. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"
#include "token_test_mechs.h"

static CK_UTF8CHAR user_pin[] = NVT_TEST_USER_PIN;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_MECHANISM sum = { TEST_MECH_SUM, NULL_PTR, 0 };
#if NVT_TOKEN_HAS_ENCRYPT
static CK_MECHANISM xr = { TEST_MECH_XOR, NULL_PTR, 0 };
#endif
static CK_SESSION_HANDLE s;
/* CKA_TOKEN of the test's keys: session objects where the profile has
 * them. Parts that need a function the profile leaves out are left out
 * with it (test_conf_library.c checks those answer
 * CKR_FUNCTION_NOT_SUPPORTED). */
static CK_BBOOL scratch = NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0 ? CK_FALSE : CK_TRUE;

static int setup(void **state)
{
    (void)state;
    if (nvt_test_token_setup(1) != 0 || C_Initialize(NULL_PTR) != CKR_OK || nvt_test_token_init(0) != CKR_OK ||
        C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s) != CKR_OK) {
        return -1;
    }
    return C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1) == CKR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    CK_RV rv = C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return rv == CKR_OK ? 0 : -1;
}

/* A generic secret whose first value byte is 0x10, with extra attributes. */
static CK_OBJECT_HANDLE secret(const CK_ATTRIBUTE *extra, CK_ULONG n)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
    CK_BYTE value[8] = { 0x10, 1, 2, 3, 4, 5, 6, 7 };
    CK_ATTRIBUTE t[12] = { { CKA_CLASS, &cls, sizeof(cls) },
                           { CKA_KEY_TYPE, &kt, sizeof(kt) },
                           { CKA_VALUE, value, sizeof(value) },
                           { CKA_TOKEN, &scratch, 1 } };
    for (CK_ULONG i = 0; i < n; i++) {
        t[4 + i] = extra[i];
    }
    CK_OBJECT_HANDLE h = 0;
    assert_int_equal(C_CreateObject(s, t, 4 + n, &h), CKR_OK);
    return h;
}

static CK_ULONG object_count(void)
{
    CK_OBJECT_HANDLE found[32];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjects(s, found, 32, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    return n;
}

static CK_BBOOL get_bool(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type)
{
    CK_BBOOL v = 0xee;
    CK_ATTRIBUTE a = { type, &v, 1 };
    assert_int_equal(C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    return v;
}

static void sign_and_verify_go_through_the_table(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret(NULL_PTR, 0);
    CK_BYTE data[] = { 0x11, 0x12 }, sig[8], sig2[8];
    CK_ULONG n = 0;
    assert_int_equal(C_SignInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_Sign(s, data, sizeof(data), NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 4);
    n = 3;
    assert_int_equal(C_Sign(s, data, sizeof(data), sig, &n), CKR_BUFFER_TOO_SMALL);
    n = sizeof(sig);
    assert_int_equal(C_Sign(s, data, sizeof(data), sig, &n), CKR_OK);
    assert_int_equal(n, 4);
    assert_int_equal(sig[0], 0x01 + 0x02);
#if NVT_CONFIG_TOKEN_MULTIPART
    /* multi-part gives the same */
    assert_int_equal(C_SignInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_SignUpdate(s, data, 1), CKR_OK);
    assert_int_equal(C_SignUpdate(s, data + 1, 1), CKR_OK);
    n = sizeof(sig2);
    assert_int_equal(C_SignFinal(s, sig2, &n), CKR_OK);
    assert_memory_equal(sig, sig2, 4);
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_Verify(s, data, sizeof(data), sig, 4), CKR_OK);
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_VerifyUpdate(s, data, sizeof(data)), CKR_OK);
    assert_int_equal(C_VerifyFinal(s, sig, 4), CKR_OK);
#else
    (void)sig2;
#endif
    sig[0] ^= 1;
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_Verify(s, data, sizeof(data), sig, 4), CKR_SIGNATURE_INVALID);
    assert_int_equal(C_Verify(s, data, sizeof(data), sig, 4), CKR_OPERATION_NOT_INITIALIZED); /* ended */
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_OK);
    assert_int_equal(C_Verify(s, data, sizeof(data), sig, 3), CKR_SIGNATURE_LEN_RANGE);
}

static void a_key_without_the_usage_attribute_is_key_function_not_permitted(void **state)
{
    (void)state;
    CK_ATTRIBUTE no_use[] = { { CKA_SIGN, &no, 1 }, { CKA_VERIFY, &no, 1 }, { CKA_ENCRYPT, &no, 1 },
                              { CKA_DECRYPT, &no, 1 } };
    CK_OBJECT_HANDLE key = secret(no_use, 4);
    assert_int_equal(C_SignInit(s, &sum, key), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_KEY_FUNCTION_NOT_PERMITTED);
#if NVT_TOKEN_HAS_ENCRYPT
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(C_DecryptInit(s, &xr, key), CKR_KEY_FUNCTION_NOT_PERMITTED);
#endif
    /* nothing was left active */
    CK_OBJECT_HANDLE ok = secret(NULL_PTR, 0);
    assert_int_equal(C_SignInit(s, &sum, ok), CKR_OK);
}

static void allowed_mechanisms_restrict_what_a_key_does(void **state)
{
    (void)state;
    CK_MECHANISM_TYPE only[] = { TEST_MECH_XOR };
    CK_ATTRIBUTE extra[] = { { CKA_ALLOWED_MECHANISMS, only, sizeof(only) } };
    CK_OBJECT_HANDLE key = secret(extra, 1);
    assert_int_equal(C_SignInit(s, &sum, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_VerifyInit(s, &sum, key), CKR_MECHANISM_INVALID);
#if NVT_TOKEN_HAS_ENCRYPT
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_OK);
#endif
}

static void keys_of_the_wrong_kind_are_refused(void **state)
{
    (void)state;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_BYTE value[16] = { 0 };
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                         { CKA_VALUE, value, sizeof(value) }, { CKA_TOKEN, &scratch, 1 } };
    CK_OBJECT_HANDLE aes_key, data = 0;
    assert_int_equal(C_CreateObject(s, t, 4, &aes_key), CKR_OK);
    assert_int_equal(C_SignInit(s, &sum, aes_key), CKR_KEY_TYPE_INCONSISTENT);
    CK_OBJECT_CLASS dcls = CKO_DATA;
    CK_ATTRIBUTE d[] = { { CKA_CLASS, &dcls, sizeof(dcls) }, { CKA_TOKEN, &scratch, 1 } };
    assert_int_equal(C_CreateObject(s, d, 2, &data), CKR_OK);
    assert_int_equal(C_SignInit(s, &sum, data), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(C_SignInit(s, &sum, 0), CKR_KEY_HANDLE_INVALID);
    /* a private key is no key at all once the user is gone */
    CK_OBJECT_HANDLE key = secret(NULL_PTR, 0);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_SignInit(s, &sum, key), CKR_KEY_HANDLE_INVALID);
}

#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
static void streaming_output_is_negotiated_without_losing_the_operation(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret(NULL_PTR, 0);
    CK_BYTE in[5] = { 1, 2, 3, 4, 5 }, out[8], back[8];
    CK_ULONG n = 0;
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_OK);
    assert_int_equal(C_EncryptUpdate(s, in, sizeof(in), NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 5);
    n = 2;
    assert_int_equal(C_EncryptUpdate(s, in, sizeof(in), out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 5);
    n = sizeof(out);
    assert_int_equal(C_EncryptUpdate(s, in, sizeof(in), out, &n), CKR_OK);
    assert_int_equal(n, 5);
    assert_int_equal(out[0], 0x11);
    n = sizeof(out);
    assert_int_equal(C_EncryptFinal(s, out + 5, &n), CKR_OK);
    assert_int_equal(n, 0);
    /* single part: the room is checked before anything is consumed */
    assert_int_equal(C_DecryptInit(s, &xr, key), CKR_OK);
    n = 4;
    assert_int_equal(C_Decrypt(s, out, 5, back, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 5);
    n = sizeof(back);
    assert_int_equal(C_Decrypt(s, out, 5, back, &n), CKR_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(back, in, 5);
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_OK);
    assert_int_equal(C_EncryptUpdate(s, in, 2, out, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_EncryptFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
}
#endif

#if NVT_TOKEN_HAS_DIGEST && NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
static void operations_of_different_kinds_run_side_by_side(void **state)
{
    (void)state;
    CK_OBJECT_HANDLE key = secret(NULL_PTR, 0);
    CK_MECHANISM sha = { CKM_SHA256, NULL_PTR, 0 };
    CK_BYTE data[] = { 9 }, out[32];
    CK_ULONG n;
    assert_int_equal(C_DigestInit(s, &sha), CKR_OK);
    assert_int_equal(C_SignInit(s, &sum, key), CKR_OK);
#if NVT_CONFIG_TOKEN_OPS_PER_SESSION == 2
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_OPERATION_ACTIVE);
#endif
    assert_int_equal(C_DigestUpdate(s, data, 1), CKR_OK);
    assert_int_equal(C_SignUpdate(s, data, 1), CKR_OK);
    n = sizeof(out);
    assert_int_equal(C_SignFinal(s, out, &n), CKR_OK);
    n = sizeof(out);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OK);
    assert_int_equal(C_EncryptInit(s, &xr, key), CKR_OK);
}
#endif

#if NVT_TOKEN_HAS_GENERATE_KEY_PAIR
static void a_key_pair_is_made_whole_and_local(void **state)
{
    (void)state;
    CK_MECHANISM gen = { TEST_MECH_PAIR, NULL_PTR, 0 };
    CK_ATTRIBUTE pub_t[] = { { CKA_TOKEN, &yes, 1 }, { CKA_VERIFY, &yes, 1 } };
    CK_ATTRIBUTE priv_t[] = { { CKA_TOKEN, &yes, 1 }, { CKA_SIGN, &yes, 1 }, { CKA_SENSITIVE, &yes, 1 } };
    CK_OBJECT_HANDLE pub, priv;
    CK_ULONG before = object_count();
    assert_int_equal(C_GenerateKeyPair(s, &gen, pub_t, 2, priv_t, 3, &pub, &priv), CKR_OK);
    assert_int_equal(object_count(), before + 2);
    assert_int_equal(get_bool(pub, CKA_LOCAL), CK_TRUE);
    assert_int_equal(get_bool(priv, CKA_LOCAL), CK_TRUE);
    assert_int_equal(get_bool(priv, CKA_ALWAYS_SENSITIVE), CK_TRUE);
    assert_int_equal(get_bool(priv, CKA_NEVER_EXTRACTABLE), CK_TRUE);
    CK_MECHANISM_TYPE m = 0;
    CK_ATTRIBUTE a = { CKA_KEY_GEN_MECHANISM, &m, sizeof(m) };
    assert_int_equal(C_GetAttributeValue(s, priv, &a, 1), CKR_OK);
    assert_int_equal(m, TEST_MECH_PAIR);
    CK_BYTE value[32];
    CK_ATTRIBUTE v = { CKA_VALUE, value, sizeof(value) };
    assert_int_equal(C_GetAttributeValue(s, priv, &v, 1), CKR_ATTRIBUTE_SENSITIVE);
}

static void a_failed_private_half_takes_the_public_half_with_it(void **state)
{
    (void)state;
    CK_MECHANISM gen = { TEST_MECH_PAIR, NULL_PTR, 0 };
    CK_ATTRIBUTE pub_t[] = { { CKA_TOKEN, &yes, 1 } };
    CK_BYTE bogus[] = { 1 };
    CK_ATTRIBUTE priv_t[] = { { CKA_TOKEN, &yes, 1 }, { CKA_MODULUS, bogus, 1 } };
    CK_OBJECT_HANDLE pub, priv;
    CK_ULONG before = object_count();
    assert_int_equal(C_GenerateKeyPair(s, &gen, pub_t, 1, priv_t, 2, &pub, &priv), CKR_ATTRIBUTE_TYPE_INVALID);
    assert_int_equal(object_count(), before);
}

#endif

#if NVT_TOKEN_HAS_DERIVE
static void a_derived_key_needs_cka_derive_and_inherits_the_bases_history(void **state)
{
    (void)state;
    CK_MECHANISM derive = { TEST_MECH_DERIVE, NULL_PTR, 0 };
    CK_OBJECT_HANDLE out;
    CK_OBJECT_HANDLE plain = secret(NULL_PTR, 0);
    assert_int_equal(C_DeriveKey(s, &derive, plain, NULL_PTR, 0, &out), CKR_KEY_FUNCTION_NOT_PERMITTED);
    CK_ATTRIBUTE can[] = { { CKA_DERIVE, &yes, 1 }, { CKA_EXTRACTABLE, &yes, 1 } };
    CK_OBJECT_HANDLE base = secret(can, 2);
    CK_ATTRIBUTE t[] = { { CKA_SENSITIVE, &no, 1 }, { CKA_EXTRACTABLE, &yes, 1 }, { CKA_TOKEN, &scratch, 1 } };
    assert_int_equal(C_DeriveKey(s, &derive, base, t, 3, &out), CKR_OK);
    assert_int_equal(get_bool(out, CKA_LOCAL), CK_FALSE);
    assert_int_equal(get_bool(out, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    assert_int_equal(get_bool(out, CKA_NEVER_EXTRACTABLE), CK_FALSE);
    CK_BYTE value[8];
    CK_ATTRIBUTE v = { CKA_VALUE, value, sizeof(value) };
    assert_int_equal(C_GetAttributeValue(s, out, &v, 1), CKR_OK);
    assert_int_equal(value[0], 7);
    assert_int_equal(value[7], 0x10);
}

#endif

#if NVT_TOKEN_HAS_WRAP
static void wrapping_follows_cka_wrap_and_extractability(void **state)
{
    (void)state;
    CK_MECHANISM wrap = { TEST_MECH_WRAP, NULL_PTR, 0 };
    CK_ATTRIBUTE extractable[] = { { CKA_EXTRACTABLE, &yes, 1 } };
    CK_OBJECT_HANDLE wrapping = secret(NULL_PTR, 0);
    CK_OBJECT_HANDLE key = secret(extractable, 1);
    CK_OBJECT_HANDLE locked = secret(NULL_PTR, 0);
    CK_BYTE out[16];
    CK_ULONG n = 0;
    assert_int_equal(C_WrapKey(s, &wrap, wrapping, key, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 8);
    n = 4;
    assert_int_equal(C_WrapKey(s, &wrap, wrapping, key, out, &n), CKR_BUFFER_TOO_SMALL);
    n = sizeof(out);
    assert_int_equal(C_WrapKey(s, &wrap, wrapping, key, out, &n), CKR_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(C_WrapKey(s, &wrap, wrapping, locked, out, &n), CKR_KEY_UNEXTRACTABLE);
    assert_int_equal(C_WrapKey(s, &wrap, 0, key, out, &n), CKR_WRAPPING_KEY_HANDLE_INVALID);
    CK_ATTRIBUTE no_wrap[] = { { CKA_WRAP, &no, 1 } };
    CK_OBJECT_HANDLE cannot = secret(no_wrap, 1);
    assert_int_equal(C_WrapKey(s, &wrap, cannot, key, out, &n), CKR_KEY_FUNCTION_NOT_PERMITTED);
}

static void an_unwrapped_key_is_not_local_nor_always_sensitive(void **state)
{
    (void)state;
    CK_MECHANISM wrap = { TEST_MECH_WRAP, NULL_PTR, 0 };
    CK_OBJECT_HANDLE unwrapping = secret(NULL_PTR, 0);
    CK_BYTE wrapped[4] = { 0x10, 0x11, 0x12, 0x13 };
    CK_ATTRIBUTE t[] = { { CKA_SENSITIVE, &yes, 1 }, { CKA_TOKEN, &scratch, 1 } };
    CK_OBJECT_HANDLE out;
    assert_int_equal(C_UnwrapKey(s, &wrap, unwrapping, wrapped, 4, t, 2, &out), CKR_OK);
    assert_int_equal(get_bool(out, CKA_LOCAL), CK_FALSE);
    assert_int_equal(get_bool(out, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    CK_ULONG len = 0;
    CK_ATTRIBUTE a = { CKA_VALUE_LEN, &len, sizeof(len) };
    assert_int_equal(C_GetAttributeValue(s, out, &a, 1), CKR_OK);
    assert_int_equal(len, 4);
    CK_ATTRIBUTE no_unwrap[] = { { CKA_UNWRAP, &no, 1 } };
    CK_OBJECT_HANDLE cannot = secret(no_unwrap, 1);
    assert_int_equal(C_UnwrapKey(s, &wrap, cannot, wrapped, 4, t, 2, &out), CKR_KEY_FUNCTION_NOT_PERMITTED);
    assert_int_equal(C_UnwrapKey(s, &wrap, 0, wrapped, 4, t, 2, &out), CKR_UNWRAPPING_KEY_HANDLE_INVALID);
}
#endif

static void the_mechanism_list_includes_what_the_table_holds(void **state)
{
    (void)state;
    CK_MECHANISM_INFO info;
    assert_int_equal(C_GetMechanismInfo(0, TEST_MECH_SUM, &info), CKR_OK);
    assert_int_equal(info.flags, CKF_SIGN | CKF_VERIFY);
    /* The token's own mechanisms, then the five test ones. */
    CK_ULONG n = 0;
    CK_MECHANISM_TYPE list[128];
    assert_int_equal(C_GetMechanismList(0, NULL_PTR, &n), CKR_OK);
    assert_true(n > 5 && n <= 128);
    assert_int_equal(C_GetMechanismList(0, list, &n), CKR_OK);
    int found = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        found += list[i] == TEST_MECH_SUM;
    }
    assert_int_equal(found, 1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(sign_and_verify_go_through_the_table),
        T(a_key_without_the_usage_attribute_is_key_function_not_permitted),
        T(allowed_mechanisms_restrict_what_a_key_does),
        T(keys_of_the_wrong_kind_are_refused),
#if NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
        T(streaming_output_is_negotiated_without_losing_the_operation),
#endif
#if NVT_TOKEN_HAS_DIGEST && NVT_TOKEN_HAS_ENCRYPT && NVT_CONFIG_TOKEN_MULTIPART
        T(operations_of_different_kinds_run_side_by_side),
#endif
#if NVT_TOKEN_HAS_GENERATE_KEY_PAIR
        T(a_key_pair_is_made_whole_and_local),
        T(a_failed_private_half_takes_the_public_half_with_it),
#endif
#if NVT_TOKEN_HAS_DERIVE
        T(a_derived_key_needs_cka_derive_and_inherits_the_bases_history),
#endif
#if NVT_TOKEN_HAS_WRAP
        T(wrapping_follows_cka_wrap_and_extractability),
        T(an_unwrapped_key_is_not_local_nor_always_sensitive),
#endif
        T(the_mechanism_list_includes_what_the_table_holds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
