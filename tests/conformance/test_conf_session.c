/* Conformance: sessions, their states and what each state may do. */
#include "conf.h"

#include "nvtoken/config.h"

static void c_open_session_without_serial_flag_is_parallel_not_supported(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_OpenSession(9, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_SLOT_ID_INVALID);
}

static int blank_setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(1) == 0 && C_Initialize(NULL_PTR) == CKR_OK ? 0 : -1;
}

static void c_open_session_on_a_blank_token_is_token_not_recognized(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_TOKEN_NOT_RECOGNIZED);
}

static void c_open_session_read_only_while_so_logged_in_is_read_write_so_exists(void **state)
{
    (void)state;
    CK_SESSION_HANDLE rw = conf_open(1), ro;
    conf_login_so(rw);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &ro), CKR_SESSION_READ_WRITE_SO_EXISTS);
    CK_SESSION_HANDLE rw2 = conf_open(1);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(rw2, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_SO_FUNCTIONS);
}

static void c_open_session_beyond_the_maximum_is_session_count(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s;
    for (int i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        conf_open(i & 1);
    }
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_SESSION_COUNT);
}

static void c_get_session_info_reports_slot_flags_and_public_state(void **state)
{
    (void)state;
    CK_SESSION_HANDLE ro = conf_open(0), rw = conf_open(1);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(ro, &info), CKR_OK);
    assert_int_equal(info.slotID, 0);
    assert_int_equal(info.state, CKS_RO_PUBLIC_SESSION);
    assert_int_equal(info.flags, CKF_SERIAL_SESSION);
    assert_int_equal(info.ulDeviceError, 0);
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_PUBLIC_SESSION);
    assert_int_equal(info.flags, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    assert_int_equal(C_GetSessionInfo(CK_INVALID_HANDLE, &info), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_GetSessionInfo(rw, NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void c_close_session_invalidates_the_handle(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    assert_int_equal(C_CloseSession(s), CKR_SESSION_HANDLE_INVALID);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(s, &info), CKR_SESSION_HANDLE_INVALID);
}

static void session_objects_are_shared_by_the_applications_sessions(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(0), b = conf_open(0);
    CK_OBJECT_HANDLE h = conf_data(a, CK_FALSE, CK_FALSE, "shared");
    CK_ULONG size = 0;
    assert_int_equal(C_GetObjectSize(b, h, &size), CKR_OK);
    assert_int_equal(conf_count(b, NULL_PTR, 0), 1);
}

static void c_close_session_destroys_its_session_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(0), b = conf_open(0);
    CK_OBJECT_HANDLE h = conf_data(a, CK_FALSE, CK_FALSE, "dies with a");
    conf_data(b, CK_FALSE, CK_FALSE, "lives with b");
    assert_int_equal(C_CloseSession(a), CKR_OK);
    CK_ULONG size = 0;
    assert_int_equal(C_GetObjectSize(b, h, &size), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(conf_count(b, NULL_PTR, 0), 1);
}

static void c_close_all_sessions_closes_every_session_of_the_slot(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(0), b = conf_open(1);
    conf_data(b, CK_FALSE, CK_FALSE, "gone");
    assert_int_equal(C_CloseAllSessions(0), CKR_OK);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(a, &info), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_GetSessionInfo(b, &info), CKR_SESSION_HANDLE_INVALID);
    CK_SESSION_HANDLE c = conf_open(0);
    assert_int_equal(conf_count(c, NULL_PTR, 0), 0);
    assert_int_equal(C_CloseAllSessions(3), CKR_SLOT_ID_INVALID);
}

static void closing_the_last_session_logs_the_user_out(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(0), b = conf_open(0);
    conf_login_user(a);
    assert_int_equal(C_CloseSession(a), CKR_OK);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(b, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_USER_FUNCTIONS); /* b still open */
    assert_int_equal(C_CloseSession(b), CKR_OK);
    CK_SESSION_HANDLE c = conf_open(0);
    assert_int_equal(C_GetSessionInfo(c, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_PUBLIC_SESSION);
}

static void a_read_only_session_cannot_create_token_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &conf_true, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_CreateObject(s, t, 2, &h), CKR_SESSION_READ_ONLY);
    conf_login_user(s);
    assert_int_equal(C_CreateObject(s, t, 2, &h), CKR_SESSION_READ_ONLY);
}

static void a_read_only_session_may_create_and_change_session_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_OBJECT_HANDLE h = conf_data(s, CK_FALSE, CK_FALSE, "ro ok");
    char label[] = "changed";
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, 7 } };
    assert_int_equal(C_SetAttributeValue(s, h, t, 1), CKR_OK);
    assert_int_equal(C_DestroyObject(s, h), CKR_OK);
}

static void a_read_only_session_cannot_change_or_destroy_token_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE rw = conf_open(1), ro = conf_open(0);
    CK_OBJECT_HANDLE h = conf_data(rw, CK_TRUE, CK_FALSE, "token");
    char label[] = "changed";
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, 7 } };
    assert_int_equal(C_SetAttributeValue(ro, h, t, 1), CKR_SESSION_READ_ONLY);
    assert_int_equal(C_DestroyObject(ro, h), CKR_SESSION_READ_ONLY);
    CK_OBJECT_HANDLE copy;
    assert_int_equal(C_CopyObject(ro, h, NULL_PTR, 0, &copy), CKR_SESSION_READ_ONLY);
    CK_ATTRIBUTE to_session[] = { { CKA_TOKEN, &conf_false, 1 } };
    assert_int_equal(C_CopyObject(ro, h, to_session, 1, &copy), CKR_OK);
}

static void private_objects_need_the_user_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_PRIVATE, &conf_true, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_CreateObject(s, t, 2, &h), CKR_USER_NOT_LOGGED_IN);
    conf_login_so(s); /* the SO sees public objects only */
    assert_int_equal(C_CreateObject(s, t, 2, &h), CKR_USER_NOT_LOGGED_IN);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
    assert_int_equal(C_CreateObject(s, t, 2, &h), CKR_OK);
}

static void the_so_may_create_public_token_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_so(s);
    conf_data(s, CK_TRUE, CK_FALSE, "by the SO");
}

static void c_logout_destroys_private_session_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE priv = conf_data(s, CK_FALSE, CK_TRUE, "private");
    CK_OBJECT_HANDLE pub = conf_data(s, CK_FALSE, CK_FALSE, "public");
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
    CK_ULONG size;
    assert_int_equal(C_GetObjectSize(s, priv, &size), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_GetObjectSize(s, pub, &size), CKR_OK);
    assert_int_equal(conf_count(s, NULL_PTR, 0), 1);
}

static void c_logout_invalidates_handles_of_private_token_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    CK_OBJECT_HANDLE priv = conf_data(s, CK_TRUE, CK_TRUE, "private token");
    CK_OBJECT_HANDLE pub = conf_data(s, CK_TRUE, CK_FALSE, "public token");
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
    CK_ULONG size;
    assert_int_equal(C_GetObjectSize(s, priv, &size), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(C_GetObjectSize(s, pub, &size), CKR_OK);
    /* The object is still there, under a new handle. */
    CK_OBJECT_HANDLE found = 0;
    CK_ULONG n = 0;
    CK_ATTRIBUTE t[] = { { CKA_PRIVATE, &conf_true, 1 } };
    assert_int_equal(C_FindObjectsInit(s, t, 1), CKR_OK);
    assert_int_equal(C_FindObjects(s, &found, 1, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_not_equal(found, priv);
}

/* ---- v3.0 C_SessionCancel ------------------------------------------- */

static void c_session_cancel_ends_the_operations_its_flags_name(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_MECHANISM sha = { CKM_SHA256, NULL_PTR, 0 };
    CK_BYTE data[3] = { 'a', 'b', 'c' }, digest[32];
    CK_ULONG n = sizeof(digest);
    CK_OBJECT_HANDLE found;
    assert_int_equal(C_DigestInit(s, &sha), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, data, sizeof(data)), CKR_OK);
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    /* no flag: nothing changes; flags of operations not active: ignored */
    assert_int_equal(C_SessionCancel(s, 0), CKR_OK);
    assert_int_equal(C_SessionCancel(s, CKF_SIGN | CKF_ENCRYPT | CKF_GENERATE | CKF_MESSAGE_ENCRYPT), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, data, sizeof(data)), CKR_OK);
    assert_int_equal(C_FindObjects(s, &found, 0, &n), CKR_OK);
    /* the digest ends, the search goes on */
    assert_int_equal(C_SessionCancel(s, CKF_DIGEST), CKR_OK);
    assert_int_equal(C_DigestUpdate(s, data, sizeof(data)), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjects(s, &found, 0, &n), CKR_OK);
    /* as if never initialised: a new digest starts afresh */
    assert_int_equal(C_DigestInit(s, &sha), CKR_OK);
    n = sizeof(digest);
    assert_int_equal(C_Digest(s, data, sizeof(data), digest, &n), CKR_OK);
    static const CK_BYTE sha256_abc[4] = { 0xba, 0x78, 0x16, 0xbf };
    assert_memory_equal(digest, sha256_abc, sizeof(sha256_abc));
    assert_int_equal(C_SessionCancel(s, CKF_FIND_OBJECTS), CKR_OK);
    assert_int_equal(C_FindObjects(s, &found, 1, &n), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
}

static void c_session_cancel_ends_only_its_own_sessions_operations(void **state)
{
    (void)state;
    CK_SESSION_HANDLE a = conf_open(0), b = conf_open(0);
    CK_MECHANISM sha = { CKM_SHA256, NULL_PTR, 0 };
    CK_BYTE data[1] = { 0 };
    assert_int_equal(C_DigestInit(a, &sha), CKR_OK);
    assert_int_equal(C_DigestInit(b, &sha), CKR_OK);
    assert_int_equal(C_SessionCancel(a, CKF_DIGEST | CKF_FIND_OBJECTS), CKR_OK);
    assert_int_equal(C_DigestUpdate(a, data, 1), CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_DigestUpdate(b, data, 1), CKR_OK);
    assert_int_equal(C_SessionCancel(b + 1000, CKF_DIGEST), CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_DigestUpdate(b, data, 1), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_open_session_without_serial_flag_is_parallel_not_supported),
        cmocka_unit_test_setup_teardown(c_open_session_on_a_blank_token_is_token_not_recognized, blank_setup,
                                        conf_teardown),
        CONF_TEST(c_open_session_read_only_while_so_logged_in_is_read_write_so_exists),
        CONF_TEST(c_open_session_beyond_the_maximum_is_session_count),
        CONF_TEST(c_get_session_info_reports_slot_flags_and_public_state),
        CONF_TEST(c_close_session_invalidates_the_handle),
        CONF_TEST(session_objects_are_shared_by_the_applications_sessions),
        CONF_TEST(c_close_session_destroys_its_session_objects),
        CONF_TEST(c_close_all_sessions_closes_every_session_of_the_slot),
        CONF_TEST(closing_the_last_session_logs_the_user_out),
        CONF_TEST(a_read_only_session_cannot_create_token_objects),
        CONF_TEST(a_read_only_session_may_create_and_change_session_objects),
        CONF_TEST(a_read_only_session_cannot_change_or_destroy_token_objects),
        CONF_TEST(private_objects_need_the_user_logged_in),
        CONF_TEST(the_so_may_create_public_token_objects),
        CONF_TEST(c_logout_destroys_private_session_objects),
        CONF_TEST(c_logout_invalidates_handles_of_private_token_objects),
        CONF_TEST(c_session_cancel_ends_the_operations_its_flags_name),
        CONF_TEST(c_session_cancel_ends_only_its_own_sessions_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
