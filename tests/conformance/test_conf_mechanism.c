/* Conformance: the operation rules every mechanism shares (exercised with
 * CKM_SHA256), the dispatch table's answers for what it lacks, random
 * numbers, and key generation's maintained attributes. */
#include "conf.h"

static CK_MECHANISM sha256 = { CKM_SHA256, NULL_PTR, 0 };
static CK_BYTE abc[] = { 'a', 'b', 'c' };
static const CK_BYTE abc_sha256[32] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

/* ---- digests and the operation-state rules ------------------------------------------- */

static void c_digest_sha256_gives_the_fips_180_answer(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(out, abc_sha256, 32);
}

static void a_multi_part_digest_gives_the_same_answer(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[40];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc, 1), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc + 1, 0), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc + 1, 2), CKR_OK);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(out, abc_sha256, 32);
}

static void a_length_query_keeps_the_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = 0;
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OK);
    assert_memory_equal(out, abc_sha256, 32);
    /* the same for the final of a multi-part operation */
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc, sizeof(abc)), CKR_OK);
    n = 0;
    assert_int_equal(C_DigestFinal(s, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 32);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OK);
    assert_memory_equal(out, abc_sha256, 32);
}

static void a_short_buffer_is_buffer_too_small_and_keeps_the_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = 31;
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 32);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OK);
    assert_memory_equal(out, abc_sha256, 32);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc, sizeof(abc)), CKR_OK);
    n = 4;
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 32);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OK);
    assert_memory_equal(out, abc_sha256, 32);
}

static void a_second_init_of_the_same_kind_is_operation_active(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OPERATION_ACTIVE);
    /* the first one is still running */
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OK);
}

static void calls_without_init_are_operation_not_initialized(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DigestUpdate(s, abc, sizeof(abc)), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_Encrypt(s, abc, sizeof(abc), out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_SignUpdate(s, abc, sizeof(abc)), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_Verify(s, abc, sizeof(abc), out, 32), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_VerifyFinal(s, out, 32), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DecryptFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_SignRecover(s, abc, sizeof(abc), out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_VerifyRecover(s, out, 32, abc, &n), CKR_OPERATION_NOT_INITIALIZED);
}

static void an_operation_ends_when_it_completes(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OK);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
}

static void a_single_part_call_after_update_is_operation_active_and_ends_it(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc, sizeof(abc)), CKR_OK);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OPERATION_ACTIVE);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
}

static void an_error_ends_the_operation(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE out[32];
    CK_ULONG n = sizeof(out);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, NULL_PTR, 3, out, &n), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_Digest(s, abc, sizeof(abc), out, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestFinal(s, out, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_DigestFinal(s, out, &n), CKR_OPERATION_NOT_INITIALIZED);
}

static void closing_a_session_ends_its_operations(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, abc, 3), CKR_OK);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    CK_SESSION_HANDLE t = conf_open(0);
    assert_int_equal(C_DigestUpdate(t, abc, 3), CKR_OPERATION_NOT_INITIALIZED);
}

static void mechanism_parameters_a_digest_does_not_take_are_mechanism_param_invalid(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_ULONG p = 1;
    CK_MECHANISM m = { CKM_SHA256, &p, sizeof(p) };
    assert_int_equal(C_DigestInit(s, &m), CKR_MECHANISM_PARAM_INVALID);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK); /* nothing was left active */
    assert_int_equal(C_DigestInit(s, NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void a_mechanism_missing_from_the_table_is_mechanism_invalid(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE key;
    CK_ATTRIBUTE extra[] = { { CKA_EXTRACTABLE, &conf_true, 1 } };
    assert_int_equal(conf_aes(s, extra, 1, &key), CKR_OK);
    /* Mechanisms the token lacks (MD5, DES, DSA), and kinds of operation
     * a listed mechanism does not do (ECDSA has no recovery, AES-CBC is
     * not a key generator). */
    CK_MECHANISM md5 = { CKM_MD5, NULL_PTR, 0 };
    CK_MECHANISM des = { CKM_DES_CBC, NULL_PTR, 0 };
    CK_MECHANISM dsa = { CKM_DSA, NULL_PTR, 0 };
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_MECHANISM cbc = { CKM_AES_CBC, NULL_PTR, 0 };
    assert_int_equal(C_DigestInit(s, &md5), CKR_MECHANISM_INVALID);
    assert_int_equal(C_EncryptInit(s, &des, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_DecryptInit(s, &des, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_SignInit(s, &dsa, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_VerifyInit(s, &dsa, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_SignRecoverInit(s, &ecdsa, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_VerifyRecoverInit(s, &ecdsa, key), CKR_MECHANISM_INVALID);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK); /* an AES-less digest still fine */
    CK_OBJECT_HANDLE pub, priv, out;
    CK_MECHANISM dsagen = { CKM_DSA_KEY_PAIR_GEN, NULL_PTR, 0 };
    assert_int_equal(C_GenerateKeyPair(s, &dsagen, NULL_PTR, 0, NULL_PTR, 0, &pub, &priv), CKR_MECHANISM_INVALID);
    assert_int_equal(C_GenerateKey(s, &cbc, NULL_PTR, 0, &out), CKR_MECHANISM_INVALID);
    CK_MECHANISM deswrap = { CKM_DES_ECB, NULL_PTR, 0 };
    CK_BYTE wrapped[64];
    CK_ULONG n = sizeof(wrapped);
    assert_int_equal(C_WrapKey(s, &deswrap, key, key, wrapped, &n), CKR_MECHANISM_INVALID);
    assert_int_equal(C_UnwrapKey(s, &deswrap, key, wrapped, 24, NULL_PTR, 0, &out), CKR_MECHANISM_INVALID);
    CK_MECHANISM dh = { CKM_DH_PKCS_DERIVE, NULL_PTR, 0 };
    assert_int_equal(C_DeriveKey(s, &dh, key, NULL_PTR, 0, &out), CKR_MECHANISM_INVALID);
}

static void c_digest_key_digests_a_readable_secret_keys_value_only(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE key, sensitive;
    CK_ATTRIBUTE readable[] = { { CKA_SENSITIVE, &conf_false, 1 }, { CKA_EXTRACTABLE, &conf_true, 1 } };
    assert_int_equal(conf_aes(s, readable, 2, &key), CKR_OK);
    assert_int_equal(conf_aes(s, NULL_PTR, 0, &sensitive), CKR_OK);
    CK_BYTE value[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                          0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
    CK_BYTE want[32], got[32];
    CK_ULONG n = sizeof(want);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_Digest(s, value, sizeof(value), want, &n), CKR_OK);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestKey(s, key), CKR_OK);
    assert_int_equal(C_DigestFinal(s, got, &n), CKR_OK);
    assert_memory_equal(got, want, 32);
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestKey(s, sensitive), CKR_KEY_INDIGESTIBLE);
    CK_OBJECT_HANDLE data = conf_data(s, CK_FALSE, CK_FALSE, "not a key");
    assert_int_equal(C_DigestInit(s, &sha256), CKR_OK);
    assert_int_equal(C_DigestKey(s, data), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(C_DigestKey(s, key), CKR_OPERATION_NOT_INITIALIZED);
}

/* ---- random numbers ---------------------------------------------------------------- */

static void c_generate_random_fills_the_buffer(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_BYTE a[32], b[32];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_int_equal(C_GenerateRandom(s, a, sizeof(a)), CKR_OK);
    assert_int_equal(C_GenerateRandom(s, b, sizeof(b)), CKR_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(C_GenerateRandom(s, a, 0), CKR_OK);
    assert_int_equal(C_GenerateRandom(s, NULL_PTR, 4), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GenerateRandom(s + 50, a, 4), CKR_SESSION_HANDLE_INVALID);
}

static void c_seed_random_mixes_data_into_the_generator(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    static CK_BYTE seed[1000];
    CK_BYTE a[32], b[32];
    memset(seed, 0x5a, sizeof(seed));
    assert_int_equal(C_SeedRandom(s, seed, 8), CKR_OK);
    assert_int_equal(C_SeedRandom(s, seed, sizeof(seed)), CKR_OK); /* longer than one reseed takes */
    assert_int_equal(C_SeedRandom(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_SeedRandom(s, NULL_PTR, 8), CKR_ARGUMENTS_BAD);
    /* The same seed twice does not make the generator repeat itself. */
    assert_int_equal(C_GenerateRandom(s, a, sizeof(a)), CKR_OK);
    assert_int_equal(C_SeedRandom(s, seed, 8), CKR_OK);
    assert_int_equal(C_GenerateRandom(s, b, sizeof(b)), CKR_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(C_SeedRandom(0, seed, 8), CKR_SESSION_HANDLE_INVALID);
}

/* ---- key generation: what the token maintains ------------------------------------ */

static CK_RV generate_aes(CK_SESSION_HANDLE s, CK_BBOOL sensitive, CK_BBOOL extractable, CK_OBJECT_HANDLE *h)
{
    CK_MECHANISM gen = { CKM_AES_KEY_GEN, NULL_PTR, 0 };
    CK_ULONG len = 32;
    CK_ATTRIBUTE t[] = { { CKA_VALUE_LEN, &len, sizeof(len) },
                         { CKA_SENSITIVE, &sensitive, 1 },
                         { CKA_EXTRACTABLE, &extractable, 1 },
                         { CKA_TOKEN, &conf_true, 1 } };
    return C_GenerateKey(s, &gen, t, 4, h);
}

static void a_generated_key_is_local_with_always_and_never_flags(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE h;
    assert_int_equal(generate_aes(s, CK_TRUE, CK_FALSE, &h), CKR_OK);
    assert_int_equal(conf_bool(s, h, CKA_LOCAL), CK_TRUE);
    assert_int_equal(conf_bool(s, h, CKA_ALWAYS_SENSITIVE), CK_TRUE);
    assert_int_equal(conf_bool(s, h, CKA_NEVER_EXTRACTABLE), CK_TRUE);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_GEN_MECHANISM), CKM_AES_KEY_GEN);
    assert_int_equal(conf_ulong(s, h, CKA_VALUE_LEN), 32);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_AES);
    assert_int_equal(conf_ulong(s, h, CKA_CLASS), CKO_SECRET_KEY);
    CK_OBJECT_HANDLE h2;
    assert_int_equal(generate_aes(s, CK_FALSE, CK_TRUE, &h2), CKR_OK);
    assert_int_equal(conf_bool(s, h2, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    assert_int_equal(conf_bool(s, h2, CKA_NEVER_EXTRACTABLE), CK_FALSE);
    CK_BYTE value[32];
    CK_ATTRIBUTE v = { CKA_VALUE, value, sizeof(value) };
    assert_int_equal(C_GetAttributeValue(s, h2, &v, 1), CKR_OK);
    assert_int_equal(v.ulValueLen, 32);
    /* a key made sensitive later was not always sensitive */
    CK_ATTRIBUTE on[] = { { CKA_SENSITIVE, &conf_true, 1 } };
    assert_int_equal(C_SetAttributeValue(s, h2, on, 1), CKR_OK);
    assert_int_equal(conf_bool(s, h2, CKA_ALWAYS_SENSITIVE), CK_FALSE);
    /* and a copy keeps the original's history */
    CK_OBJECT_HANDLE c;
    assert_int_equal(C_CopyObject(s, h, NULL_PTR, 0, &c), CKR_OK);
    assert_int_equal(conf_bool(s, c, CKA_ALWAYS_SENSITIVE), CK_TRUE);
    assert_int_equal(conf_bool(s, c, CKA_LOCAL), CK_TRUE);
}

static void key_generation_checks_its_template(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_MECHANISM gen = { CKM_AES_KEY_GEN, NULL_PTR, 0 };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_GenerateKey(s, &gen, NULL_PTR, 0, &h), CKR_TEMPLATE_INCOMPLETE);
    CK_ULONG bad = 17, len = 16;
    CK_ATTRIBUTE t_bad[] = { { CKA_VALUE_LEN, &bad, sizeof(bad) } };
    assert_int_equal(C_GenerateKey(s, &gen, t_bad, 1, &h), CKR_ATTRIBUTE_VALUE_INVALID);
    CK_OBJECT_CLASS priv = CKO_PRIVATE_KEY;
    CK_ATTRIBUTE t_cls[] = { { CKA_VALUE_LEN, &len, sizeof(len) }, { CKA_CLASS, &priv, sizeof(priv) } };
    assert_int_equal(C_GenerateKey(s, &gen, t_cls, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t_kt[] = { { CKA_VALUE_LEN, &len, sizeof(len) }, { CKA_KEY_TYPE, &generic, sizeof(generic) } };
    assert_int_equal(C_GenerateKey(s, &gen, t_kt, 2, &h), CKR_TEMPLATE_INCONSISTENT);
    CK_BYTE value[16] = { 0 };
    CK_ATTRIBUTE t_val[] = { { CKA_VALUE_LEN, &len, sizeof(len) }, { CKA_VALUE, value, sizeof(value) } };
    assert_int_equal(C_GenerateKey(s, &gen, t_val, 2, &h), CKR_ATTRIBUTE_READ_ONLY);
    CK_ATTRIBUTE t_local[] = { { CKA_VALUE_LEN, &len, sizeof(len) }, { CKA_LOCAL, &conf_false, 1 } };
    assert_int_equal(C_GenerateKey(s, &gen, t_local, 2, &h), CKR_ATTRIBUTE_READ_ONLY);
    CK_MECHANISM with_param = { CKM_AES_KEY_GEN, &len, sizeof(len) };
    CK_ATTRIBUTE ok[] = { { CKA_VALUE_LEN, &len, sizeof(len) } };
    assert_int_equal(C_GenerateKey(s, &with_param, ok, 1, &h), CKR_MECHANISM_PARAM_INVALID);
    CK_MECHANISM generic_gen = { CKM_GENERIC_SECRET_KEY_GEN, NULL_PTR, 0 };
    assert_int_equal(C_GenerateKey(s, &generic_gen, ok, 1, &h), CKR_OK);
    assert_int_equal(conf_ulong(s, h, CKA_KEY_TYPE), CKK_GENERIC_SECRET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_digest_sha256_gives_the_fips_180_answer),
        CONF_TEST(a_multi_part_digest_gives_the_same_answer),
        CONF_TEST(a_length_query_keeps_the_operation),
        CONF_TEST(a_short_buffer_is_buffer_too_small_and_keeps_the_operation),
        CONF_TEST(a_second_init_of_the_same_kind_is_operation_active),
        CONF_TEST(calls_without_init_are_operation_not_initialized),
        CONF_TEST(an_operation_ends_when_it_completes),
        CONF_TEST(a_single_part_call_after_update_is_operation_active_and_ends_it),
        CONF_TEST(an_error_ends_the_operation),
        CONF_TEST(closing_a_session_ends_its_operations),
        CONF_TEST(mechanism_parameters_a_digest_does_not_take_are_mechanism_param_invalid),
        CONF_TEST(a_mechanism_missing_from_the_table_is_mechanism_invalid),
        CONF_TEST(c_digest_key_digests_a_readable_secret_keys_value_only),
        CONF_TEST(c_generate_random_fills_the_buffer),
        CONF_TEST(c_seed_random_mixes_data_into_the_generator),
        CONF_TEST(a_generated_key_is_local_with_always_and_never_flags),
        CONF_TEST(key_generation_checks_its_template),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
