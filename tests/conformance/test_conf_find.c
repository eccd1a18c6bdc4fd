/* Conformance: C_FindObjectsInit, C_FindObjects, C_FindObjectsFinal. */
#include "conf.h"

static CK_OBJECT_CLASS cls_data = CKO_DATA;

static void an_empty_template_finds_every_visible_object(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_data(s, CK_TRUE, CK_FALSE, "a");
    conf_data(s, conf_scratch, CK_FALSE, "b");
    conf_data(s, CK_TRUE, CK_FALSE, "c");
    assert_int_equal(conf_count(s, NULL_PTR, 0), 3);
}

static void a_template_finds_exactly_the_matching_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    CK_OBJECT_HANDLE want = conf_data(s, CK_TRUE, CK_FALSE, "wanted");
    conf_data(s, CK_TRUE, CK_FALSE, "other");
    /* The same label on an object that differs in one more attribute: a
     * session object, or (a profile without them) a private one. */
#if CONF_SESSION_OBJECTS
    conf_data(s, CK_FALSE, CK_FALSE, "wanted");
    CK_ATTRIBUTE differs = { CKA_TOKEN, &conf_true, 1 };
#else
    conf_login_user(s);
    conf_data(s, CK_TRUE, CK_TRUE, "wanted");
    CK_ATTRIBUTE differs = { CKA_PRIVATE, &conf_false, 1 };
#endif
    char label[] = "wanted";
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, 6 }, differs, { CKA_CLASS, &cls_data, sizeof(cls_data) } };
    CK_OBJECT_HANDLE found[4];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(s, t, 3), CKR_OK);
    assert_int_equal(C_FindObjects(s, found, 4, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(found[0], want);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(conf_count(s, t, 1), 2);
    CK_ATTRIBUTE prefix[] = { { CKA_LABEL, label, 3 } };
    assert_int_equal(conf_count(s, prefix, 1), 0);
}

static void c_find_objects_pages_and_ends_with_a_count_of_zero(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    for (int i = 0; i < 5; i++) {
        conf_data(s, (i & 1) ? CK_TRUE : conf_scratch, CK_FALSE, "page");
    }
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 0, total = 0;
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 2);
    total += n;
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 2);
    total += n;
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 1);
    total += n;
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(total, 5);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
}

static void find_calls_out_of_order_are_operation_errors(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_OBJECT_HANDLE found[1];
    CK_ULONG n;
    assert_int_equal(C_FindObjects(s, found, 1, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OPERATION_ACTIVE);
    assert_int_equal(C_FindObjects(s, found, 1, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 2), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_FindObjectsInit(s + 99, NULL_PTR, 0), CKR_SESSION_HANDLE_INVALID);
}

static void finds_in_different_sessions_are_independent(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(1), b = conf_open(0);
    conf_data(a, conf_scratch, CK_FALSE, "x");
    assert_int_equal(C_FindObjectsInit(a, NULL_PTR, 0), CKR_OK);
    assert_int_equal(conf_count(b, NULL_PTR, 0), 1);
    assert_int_equal(C_FindObjectsFinal(a), CKR_OK);
}

static void private_objects_are_found_only_by_the_logged_in_user(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    conf_data(s, CK_TRUE, CK_TRUE, "private");
    conf_data(s, CK_TRUE, CK_FALSE, "public");
    CK_ATTRIBUTE priv[] = { { CKA_PRIVATE, &conf_true, 1 } };
#if CONF_SESSION_OBJECTS
    conf_data(s, CK_FALSE, CK_TRUE, "private session");
    assert_int_equal(conf_count(s, NULL_PTR, 0), 3);
    assert_int_equal(conf_count(s, priv, 1), 2);
#else
    assert_int_equal(conf_count(s, NULL_PTR, 0), 2);
    assert_int_equal(conf_count(s, priv, 1), 1);
#endif
    CK_SESSION_HANDLE other = conf_open(0);
    assert_int_equal(C_CloseSession(s), CKR_OK); /* its private session object goes */
    assert_int_equal(conf_count(other, NULL_PTR, 0), 2);
    assert_int_equal(C_Logout(other), CKR_OK);
    assert_int_equal(conf_count(other, NULL_PTR, 0), 1);
    assert_int_equal(conf_count(other, priv, 1), 0);
}

/* A search of everything is begun in \p finder and one handle taken; then
 * \p event(\p on) kills some objects. What the search still hands out must
 * be at most one object, each still readable, each with \p flag = \p want. */
static void search_across(CK_SESSION_HANDLE finder, CK_RV (*event)(CK_SESSION_HANDLE), CK_SESSION_HANDLE on,
                          CK_ATTRIBUTE_TYPE flag, CK_BBOOL want)
{
    assert_int_equal(C_FindObjectsInit(finder, NULL_PTR, 0), CKR_OK);
    CK_OBJECT_HANDLE h[8];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjects(finder, h, 1, &n), CKR_OK); /* one taken before */
    assert_int_equal(n, 1);
    assert_int_equal(event(on), CKR_OK);
    assert_int_equal(C_FindObjects(finder, h, 8, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        CK_BBOOL v = (CK_BBOOL)!want;
        CK_ATTRIBUTE a = { flag, &v, 1 };
        assert_int_equal(C_GetAttributeValue(finder, h[i], &a, 1), CKR_OK);
        assert_int_equal(v, want);
    }
    assert_true(n <= 1);
    assert_int_equal(C_FindObjectsFinal(finder), CKR_OK);
}

/* Found by fuzzing (tests/fuzz/fuzz_api.c): a search begun by the user went
 * on handing out the handles of private objects after C_Logout - handles
 * that no longer worked. */
static void a_search_begun_by_the_user_yields_no_private_object_after_logout(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    conf_data(s, CK_TRUE, CK_TRUE, "private");
#if CONF_SESSION_OBJECTS
    conf_data(s, CK_FALSE, CK_TRUE, "private session");
#endif
    conf_data(s, CK_TRUE, CK_FALSE, "public");
    conf_data(s, CK_TRUE, CK_TRUE, "private 2");
    search_across(s, C_Logout, s, CKA_PRIVATE, CK_FALSE);
}

#if CONF_SESSION_OBJECTS
/* Found by fuzzing (fuzz_api_device): session objects die with the session
 * that made them (PKCS#11 v2.40 4.4); another session's search begun before
 * hands out none of them. */
static void a_search_yields_no_session_object_of_a_session_closed_since(void **state)
{
    (void)state;
    CK_SESSION_HANDLE maker = conf_open(1), finder = conf_open(1);
    conf_login_user(maker);
    conf_data(maker, CK_FALSE, CK_FALSE, "session 1");
    conf_data(finder, CK_TRUE, CK_FALSE, "token");
    conf_data(maker, CK_FALSE, CK_TRUE, "session 2");
    search_across(finder, C_CloseSession, maker, CKA_TOKEN, CK_TRUE);
}
#endif

/* The event of the test below: another session destroys every private
 * object (a search of its own, then C_DestroyObject on each). */
static CK_RV destroy_private(CK_SESSION_HANDLE s)
{
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = { { CKA_PRIVATE, &yes, sizeof(yes) } };
    CK_OBJECT_HANDLE h[8];
    CK_ULONG n = 0;
    CK_RV rv = C_FindObjectsInit(s, t, 1);
    if (rv == CKR_OK) {
        rv = C_FindObjects(s, h, 8, &n);
        CK_RV end = C_FindObjectsFinal(s);
        rv = rv == CKR_OK ? end : rv;
    }
    for (CK_ULONG i = 0; rv == CKR_OK && i < n; i++) {
        rv = C_DestroyObject(s, h[i]);
    }
    return rv == CKR_OK && n == 2 ? CKR_OK : CKR_GENERAL_ERROR;
}

/* A search hands out no handle of an object another session destroyed
 * since it began. */
static void a_search_yields_no_object_destroyed_since(void **state)
{
    (void)state;
    CK_SESSION_HANDLE finder = conf_open(1), destroyer = conf_open(1);
    conf_login_user(destroyer);
    conf_data(destroyer, CK_TRUE, CK_TRUE, "private");
    conf_data(finder, CK_TRUE, CK_FALSE, "public");
    conf_data(destroyer, CK_TRUE, CK_TRUE, "private 2");
    search_across(finder, destroy_private, destroyer, CKA_PRIVATE, CK_FALSE);
}

static void sensitive_values_are_never_matched(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE h;
    assert_int_equal(conf_aes(s, NULL_PTR, 0, &h), CKR_OK);
    CK_BYTE value[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
                          0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
    CK_ATTRIBUTE t[] = { { CKA_VALUE, value, sizeof(value) } };
    assert_int_equal(conf_count(s, t, 1), 0);
    CK_KEY_TYPE aes = CKK_AES;
    CK_ATTRIBUTE by_type[] = { { CKA_KEY_TYPE, &aes, sizeof(aes) } };
    assert_int_equal(conf_count(s, by_type, 1), 1);
}

static void an_attribute_no_object_has_matches_nothing(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_data(s, conf_scratch, CK_FALSE, "data");
    CK_BYTE m[] = { 1 };
    CK_ATTRIBUTE t[] = { { CKA_MODULUS, m, 1 } };
    assert_int_equal(conf_count(s, t, 1), 0);
    CK_ULONG wrong_size = CKO_DATA;
    CK_ATTRIBUTE narrow[] = { { CKA_CLASS, &wrong_size, 1 } };
    assert_int_equal(conf_count(s, narrow, 1), 0);
}

static void a_find_sees_objects_of_every_session_but_not_other_slots(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(1), b = conf_open(0);
    conf_data(a, CK_TRUE, CK_FALSE, "token");
    CK_ATTRIBUTE session_only[] = { { CKA_TOKEN, &conf_false, 1 } };
#if CONF_SESSION_OBJECTS
    conf_data(a, CK_FALSE, CK_FALSE, "in a");
    assert_int_equal(conf_count(b, NULL_PTR, 0), 2);
    assert_int_equal(conf_count(b, session_only, 1), 1);
#else
    assert_int_equal(conf_count(b, NULL_PTR, 0), 1);
    assert_int_equal(conf_count(b, session_only, 1), 0);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(an_empty_template_finds_every_visible_object),
        CONF_TEST(a_template_finds_exactly_the_matching_objects),
        CONF_TEST(c_find_objects_pages_and_ends_with_a_count_of_zero),
        CONF_TEST(find_calls_out_of_order_are_operation_errors),
        CONF_TEST(finds_in_different_sessions_are_independent),
        CONF_TEST(private_objects_are_found_only_by_the_logged_in_user),
        CONF_TEST(a_search_begun_by_the_user_yields_no_private_object_after_logout),
#if CONF_SESSION_OBJECTS
        CONF_TEST(a_search_yields_no_session_object_of_a_session_closed_since),
#endif
        CONF_TEST(a_search_yields_no_object_destroyed_since),
        CONF_TEST(sensitive_values_are_never_matched),
        CONF_TEST(an_attribute_no_object_has_matches_nothing),
        CONF_TEST(a_find_sees_objects_of_every_session_but_not_other_slots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
