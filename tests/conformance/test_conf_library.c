/* Conformance: the library as a whole - C_Initialize and its locking
 * arguments, C_Finalize, interfaces, not-initialised and not-supported
 * codes, handle uniqueness. */
#include "conf.h"

/* ---- interfaces: "PKCS 11" 3.0 (the default) and 2.40 ------------------ */

static void c_get_interface_list_offers_pkcs11_3_0_then_2_40(void **state)
{
    (void)state;
    CK_ULONG n = 0;
    assert_int_equal(C_GetInterfaceList(NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 2);
    CK_INTERFACE list[3];
    n = 3;
    assert_int_equal(C_GetInterfaceList(list, &n), CKR_OK);
    assert_int_equal(n, 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal((const char *)list[i].pInterfaceName, "PKCS 11");
        assert_int_equal(list[i].flags, 0); /* not fork-safe */
    }
    const CK_VERSION *v0 = list[0].pFunctionList, *v1 = list[1].pFunctionList;
    assert_int_equal(v0->major, 3);
    assert_int_equal(v0->minor, 0);
    assert_int_equal(v1->major, 2);
    assert_int_equal(v1->minor, 40);
    CK_FUNCTION_LIST_PTR fl = NULL;
    assert_int_equal(C_GetFunctionList(&fl), CKR_OK);
    assert_ptr_equal(list[1].pFunctionList, fl); /* C_GetFunctionList's list is the 2.40 one */
}

static void c_get_interface_list_short_buffer_is_buffer_too_small(void **state)
{
    (void)state;
    CK_INTERFACE list[1];
    CK_ULONG n = 1;
    assert_int_equal(C_GetInterfaceList(list, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
    assert_int_equal(C_GetInterfaceList(list, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterfaceList(NULL_PTR, NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void c_get_interface_finds_by_name_version_or_default(void **state)
{
    (void)state;
    CK_INTERFACE list[2];
    CK_ULONG n = 2;
    assert_int_equal(C_GetInterfaceList(list, &n), CKR_OK);
    CK_INTERFACE_PTR it = NULL;
    CK_UTF8CHAR name[] = "PKCS 11";
    CK_VERSION v240 = { 2, 40 }, v30 = { 3, 0 }, v450 = { 4, 50 }, v21 = { 2, 1 };
    /* the default is 3.0, by no name, by name alone, and by version */
    assert_int_equal(C_GetInterface(NULL_PTR, NULL_PTR, &it, 0), CKR_OK);
    assert_ptr_equal(it->pFunctionList, list[0].pFunctionList);
    assert_int_equal(C_GetInterface(name, NULL_PTR, &it, 0), CKR_OK);
    assert_ptr_equal(it->pFunctionList, list[0].pFunctionList);
    assert_int_equal(C_GetInterface(name, &v30, &it, 0), CKR_OK);
    assert_ptr_equal(it->pFunctionList, list[0].pFunctionList);
    assert_int_equal(C_GetInterface(name, &v240, &it, 0), CKR_OK);
    assert_ptr_equal(it->pFunctionList, list[1].pFunctionList);
    assert_int_equal(C_GetInterface(NULL_PTR, &v240, &it, 0), CKR_OK);
    assert_ptr_equal(it->pFunctionList, list[1].pFunctionList);
    /* no such interface */
    CK_UTF8CHAR other[] = "PKCS 11 other";
    assert_int_equal(C_GetInterface(other, NULL_PTR, &it, 0), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterface(name, &v450, &it, 0), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterface(name, &v21, &it, 0), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterface(NULL_PTR, NULL_PTR, &it, CKF_INTERFACE_FORK_SAFE), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterface(name, NULL_PTR, &it, 2), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInterface(NULL_PTR, NULL_PTR, NULL_PTR, 0), CKR_ARGUMENTS_BAD);
}

/* The 3.0 list: the 2.40 list's 68 entries (C_GetInfo apart) and the 24
 * of v3.0, none missing. */
static void the_3_0_function_list_has_every_entry_point(void **state)
{
    (void)state;
    CK_INTERFACE_PTR it = NULL;
    CK_FUNCTION_LIST_PTR f2 = NULL;
    assert_int_equal(C_GetInterface(NULL_PTR, NULL_PTR, &it, 0), CKR_OK);
    assert_int_equal(C_GetFunctionList(&f2), CKR_OK);
    const CK_FUNCTION_LIST_3_0 *f3 = it->pFunctionList;
    /* Walk both lists as arrays of entries after the version. */
    typedef CK_RV (*entry_t)(void);
    _Static_assert(sizeof(CK_FUNCTION_LIST_3_0) - sizeof(CK_FUNCTION_LIST) == 24 * sizeof(entry_t),
                   "v3.0 adds 24 entries");
    const size_t first = offsetof(CK_FUNCTION_LIST, C_Initialize);
    const size_t n2 = (sizeof(CK_FUNCTION_LIST) - first) / sizeof(entry_t);
    const size_t n3 = (sizeof(CK_FUNCTION_LIST_3_0) - first) / sizeof(entry_t);
    const size_t get_info = (offsetof(CK_FUNCTION_LIST, C_GetInfo) - first) / sizeof(entry_t);
    assert_int_equal(n2, 68);
    for (size_t i = 0; i < n3; i++) {
        entry_t e3, e2;
        memcpy(&e3, (const char *)f3 + first + i * sizeof(entry_t), sizeof(e3));
        assert_non_null(e3);
        if (i < n2) {
            memcpy(&e2, (const char *)f2 + first + i * sizeof(entry_t), sizeof(e2));
            if (i != get_info) {
                assert_true(e3 == e2);
            }
        }
    }
    assert_true(f3->C_GetInfo != f2->C_GetInfo);
    assert_true(f3->C_GetInterfaceList == C_GetInterfaceList);
    assert_true(f3->C_GetInterface == C_GetInterface);
    assert_true(f3->C_LoginUser == C_LoginUser);
    assert_true(f3->C_SessionCancel == C_SessionCancel);
    assert_true(f3->C_MessageEncryptInit == C_MessageEncryptInit);
    assert_true(f3->C_MessageVerifyFinal == C_MessageVerifyFinal);
}

/* C_GetInfo says the version of the list it was taken from. */
static void c_get_info_reports_the_version_of_its_function_list(void **state)
{
    (void)state;
    CK_INTERFACE_PTR it3 = NULL, it2 = NULL;
    CK_VERSION v240 = { 2, 40 };
    assert_int_equal(C_GetInterface(NULL_PTR, NULL_PTR, &it3, 0), CKR_OK);
    assert_int_equal(C_GetInterface(NULL_PTR, &v240, &it2, 0), CKR_OK);
    const CK_FUNCTION_LIST_3_0 *f3 = it3->pFunctionList;
    const CK_FUNCTION_LIST *f2 = it2->pFunctionList;
    CK_INFO info3, info2, direct;
    assert_int_equal(f3->C_GetInfo(&info3), CKR_OK);
    assert_int_equal(f2->C_GetInfo(&info2), CKR_OK);
    assert_int_equal(C_GetInfo(&direct), CKR_OK);
    assert_int_equal(info3.cryptokiVersion.major, 3);
    assert_int_equal(info3.cryptokiVersion.minor, 0);
    assert_int_equal(info2.cryptokiVersion.major, 2);
    assert_int_equal(info2.cryptokiVersion.minor, 40);
    assert_memory_equal(&direct, &info2, sizeof(info2)); /* the exported C_GetInfo is 2.40's */
    /* the rest is the same through either list */
    info3.cryptokiVersion = info2.cryptokiVersion;
    assert_memory_equal(&info3, &info2, sizeof(info2));
    assert_int_equal(f3->C_GetInfo(NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(f3->C_GetInfo(&info3), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

/* The message-based functions: no mechanism offers them. */
static void the_message_functions_are_function_not_supported(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    CK_MECHANISM gcm = { CKM_AES_GCM, NULL_PTR, 0 };
    CK_BYTE buf[16];
    CK_ULONG n = sizeof(buf);
    CK_RV ns = CKR_FUNCTION_NOT_SUPPORTED;
    assert_int_equal(C_MessageEncryptInit(s, &gcm, 1), ns);
    assert_int_equal(C_EncryptMessage(s, NULL_PTR, 0, NULL_PTR, 0, buf, 1, buf, &n), ns);
    assert_int_equal(C_EncryptMessageBegin(s, NULL_PTR, 0, NULL_PTR, 0), ns);
    assert_int_equal(C_EncryptMessageNext(s, NULL_PTR, 0, buf, 1, buf, &n, CKF_END_OF_MESSAGE), ns);
    assert_int_equal(C_MessageEncryptFinal(s), ns);
    assert_int_equal(C_MessageDecryptInit(s, &gcm, 1), ns);
    assert_int_equal(C_DecryptMessage(s, NULL_PTR, 0, NULL_PTR, 0, buf, 1, buf, &n), ns);
    assert_int_equal(C_DecryptMessageBegin(s, NULL_PTR, 0, NULL_PTR, 0), ns);
    assert_int_equal(C_DecryptMessageNext(s, NULL_PTR, 0, buf, 1, buf, &n, 0), ns);
    assert_int_equal(C_MessageDecryptFinal(s), ns);
    assert_int_equal(C_MessageSignInit(s, &gcm, 1), ns);
    assert_int_equal(C_SignMessage(s, NULL_PTR, 0, buf, 1, buf, &n), ns);
    assert_int_equal(C_SignMessageBegin(s, NULL_PTR, 0), ns);
    assert_int_equal(C_SignMessageNext(s, NULL_PTR, 0, buf, 1, buf, &n), ns);
    assert_int_equal(C_MessageSignFinal(s), ns);
    assert_int_equal(C_MessageVerifyInit(s, &gcm, 1), ns);
    assert_int_equal(C_VerifyMessage(s, NULL_PTR, 0, buf, 1, buf, 1), ns);
    assert_int_equal(C_VerifyMessageBegin(s, NULL_PTR, 0), ns);
    assert_int_equal(C_VerifyMessageNext(s, NULL_PTR, 0, buf, 1, buf, 1), ns);
    assert_int_equal(C_MessageVerifyFinal(s), ns);
    /* and no mechanism claims a message flag */
    CK_ULONG count = 0;
    assert_int_equal(C_GetMechanismList(0, NULL_PTR, &count), CKR_OK);
    CK_MECHANISM_TYPE types[128];
    assert_true(count <= 128);
    assert_int_equal(C_GetMechanismList(0, types, &count), CKR_OK);
    for (CK_ULONG i = 0; i < count; i++) {
        CK_MECHANISM_INFO mi;
        assert_int_equal(C_GetMechanismInfo(0, types[i], &mi), CKR_OK);
        assert_int_equal(mi.flags & (CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT | CKF_MESSAGE_SIGN |
                                     CKF_MESSAGE_VERIFY | CKF_MULTI_MESSAGE),
                         0);
    }
}

/* ---- C_Initialize arguments ------------------------------------------ */

static int mutex_creates, mutex_destroys, mutex_locks, mutex_unlocks;
static int mutex_storage;
static CK_RV create_fails_with = CKR_OK;

static CK_RV app_create(CK_VOID_PTR_PTR m)
{
    if (create_fails_with != CKR_OK) {
        return create_fails_with;
    }
    mutex_creates++;
    *m = &mutex_storage;
    return CKR_OK;
}

static CK_RV app_destroy(CK_VOID_PTR m)
{
    assert_ptr_equal(m, &mutex_storage);
    mutex_destroys++;
    return CKR_OK;
}

static CK_RV app_lock(CK_VOID_PTR m)
{
    assert_ptr_equal(m, &mutex_storage);
    mutex_locks++;
    return CKR_OK;
}

static CK_RV app_unlock(CK_VOID_PTR m)
{
    assert_ptr_equal(m, &mutex_storage);
    mutex_unlocks++;
    return CKR_OK;
}

static int plain_setup(void **state)
{
    (void)state;
    mutex_creates = mutex_destroys = mutex_locks = mutex_unlocks = 0;
    create_fails_with = CKR_OK;
    return nvt_test_token_setup(1);
}

static int plain_teardown(void **state)
{
    (void)state;
    (void)C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return 0;
}

#define PLAIN_TEST(f) cmocka_unit_test_setup_teardown(f, plain_setup, plain_teardown)

static void c_initialize_with_reserved_pointer_is_arguments_bad(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.pReserved = &args;
    assert_int_equal(C_Initialize(&args), CKR_ARGUMENTS_BAD);
    CK_INFO info;
    assert_int_equal(C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void c_initialize_with_some_mutex_callbacks_is_arguments_bad(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.CreateMutex = app_create;
    args.LockMutex = app_lock;
    assert_int_equal(C_Initialize(&args), CKR_ARGUMENTS_BAD);
    args.flags = CKF_OS_LOCKING_OK;
    assert_int_equal(C_Initialize(&args), CKR_ARGUMENTS_BAD);
}

static void c_initialize_with_os_locking_uses_the_port_mutex(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    assert_int_equal(C_Initialize(&args), CKR_OK);
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static void c_initialize_with_app_callbacks_locks_around_every_call(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.CreateMutex = app_create;
    args.DestroyMutex = app_destroy;
    args.LockMutex = app_lock;
    args.UnlockMutex = app_unlock;
    assert_int_equal(C_Initialize(&args), CKR_OK);
    assert_int_equal(mutex_creates, 1);
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_true(mutex_locks >= 2);
    assert_int_equal(mutex_locks, mutex_unlocks);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(mutex_destroys, 1);
    assert_int_equal(mutex_locks, mutex_unlocks);
}

static void c_initialize_returns_the_create_mutex_failure(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.CreateMutex = app_create;
    args.DestroyMutex = app_destroy;
    args.LockMutex = app_lock;
    args.UnlockMutex = app_unlock;
    create_fails_with = CKR_HOST_MEMORY;
    assert_int_equal(C_Initialize(&args), CKR_HOST_MEMORY);
    CK_INFO info;
    assert_int_equal(C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    create_fails_with = CKR_OK;
    assert_int_equal(C_Initialize(&args), CKR_OK);
}

static void c_initialize_twice_is_already_initialized(void **state)
{
    (void)state;
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_CRYPTOKI_ALREADY_INITIALIZED);
}

static void c_initialize_without_configuration_is_function_failed(void **state)
{
    (void)state;
    nvt_test_token_teardown(); /* back to the platform default */
#if defined(__unix__)
    (void)0; /* the host default (image files) is tested by the interop suite */
#else
    assert_int_equal(C_Initialize(NULL_PTR), CKR_FUNCTION_FAILED);
#endif
}

/* ---- not initialised ------------------------------------------------- */

static void every_function_before_initialize_is_not_initialized(void **state)
{
    (void)state;
    CK_FUNCTION_LIST_PTR f = NULL;
    CK_ULONG n = 0;
    CK_INFO info;
    CK_SLOT_INFO si;
    CK_TOKEN_INFO ti;
    CK_SESSION_INFO sinfo;
    CK_SESSION_HANDLE s = 0;
    CK_OBJECT_HANDLE o = 0;
    CK_MECHANISM m = { CKM_SHA256, NULL_PTR, 0 };
    CK_MECHANISM_INFO mi;
    CK_BYTE buf[8];
    CK_UTF8CHAR label[32];
    assert_int_equal(C_GetFunctionList(&f), CKR_OK);
    assert_int_equal(f->C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_Finalize(NULL_PTR), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetSlotInfo(0, &si), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetTokenInfo(0, &ti), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetMechanismList(0, NULL_PTR, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetMechanismInfo(0, CKM_SHA256, &mi), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_CloseSession(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_CloseAllSessions(0), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetSessionInfo(1, &sinfo), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_Login(1, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_Logout(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_DestroyObject(1, 1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_FindObjectsInit(1, NULL_PTR, 0), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_FindObjects(1, &o, 1, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_FindObjectsFinal(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_DigestInit(1, &m), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_SignInit(1, &m, 1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GenerateRandom(1, buf, sizeof(buf)), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_GetFunctionStatus(1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(f->C_WaitForSlotEvent(0, NULL_PTR, NULL_PTR), CKR_CRYPTOKI_NOT_INITIALIZED);
    /* and the v3.0 functions */
    assert_int_equal(C_LoginUser(1, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, NULL_PTR, 0),
                     CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_SessionCancel(1, CKF_SIGN), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_MessageEncryptInit(1, &m, 1), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_DecryptMessage(1, NULL_PTR, 0, NULL_PTR, 0, buf, 1, buf, &n), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_SignMessageBegin(1, NULL_PTR, 0), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_MessageVerifyFinal(1), CKR_CRYPTOKI_NOT_INITIALIZED);
}

/* ---- C_Finalize -------------------------------------------------------- */

static void c_finalize_closes_sessions_and_frees_session_objects(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    CK_OBJECT_HANDLE sobj = conf_data(s, CK_FALSE, CK_FALSE, "session");
    CK_OBJECT_HANDLE tobj = conf_data(s, CK_TRUE, CK_FALSE, "token");
    (void)sobj;
    (void)tobj;
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(s, &info), CKR_SESSION_HANDLE_INVALID);
    CK_SESSION_HANDLE s2 = conf_open(0);
    char session_label[] = "session", token_label[] = "token";
    CK_ATTRIBUTE by_session[] = { { CKA_LABEL, session_label, 7 } };
    CK_ATTRIBUTE by_token[] = { { CKA_LABEL, token_label, 5 } };
    assert_int_equal(conf_count(s2, by_session, 1), 0);
    assert_int_equal(conf_count(s2, by_token, 1), 1); /* token objects stay */
}

static void c_finalize_then_initialize_works_again(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
        assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
        CK_SESSION_HANDLE s = conf_open(0);
        assert_int_equal(C_CloseSession(s), CKR_OK);
    }
}

/* ---- not supported, not parallel ------------------------------------- */

static void unimplemented_functions_are_function_not_supported(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    CK_BYTE buf[16];
    CK_ULONG n = sizeof(buf);
    assert_int_equal(C_GetOperationState(s, buf, &n), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_SetOperationState(s, buf, n, 0, 0), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_DigestEncryptUpdate(s, buf, 1, buf, &n), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_DecryptDigestUpdate(s, buf, 1, buf, &n), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_SignEncryptUpdate(s, buf, 1, buf, &n), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_DecryptVerifyUpdate(s, buf, 1, buf, &n), CKR_FUNCTION_NOT_SUPPORTED);
}

static void c_get_function_status_and_cancel_are_function_not_parallel(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_GetFunctionStatus(s), CKR_FUNCTION_NOT_PARALLEL);
    assert_int_equal(C_CancelFunction(s), CKR_FUNCTION_NOT_PARALLEL);
    assert_int_equal(C_GetFunctionStatus(s + 1000), CKR_SESSION_HANDLE_INVALID);
}

/* ---- handles ------------------------------------------------------------ */

static void handles_are_never_reused_before_finalize(void **state)
{
    (void)state;
    enum { N = 24 };
    CK_OBJECT_HANDLE seen[N];
    CK_SESSION_HANDLE sessions[N];
    CK_SESSION_HANDLE s = conf_open(1);
    for (int i = 0; i < N; i++) {
        seen[i] = conf_data(s, (CK_BBOOL)(i & 1), CK_FALSE, "h");
        assert_int_not_equal(seen[i], CK_INVALID_HANDLE);
        assert_int_equal(C_DestroyObject(s, seen[i]), CKR_OK);
        for (int j = 0; j < i; j++) {
            assert_int_not_equal(seen[i], seen[j]);
        }
        sessions[i] = conf_open(0);
        assert_int_equal(C_CloseSession(sessions[i]), CKR_OK);
        for (int j = 0; j < i; j++) {
            assert_int_not_equal(sessions[i], sessions[j]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c_get_interface_list_offers_pkcs11_3_0_then_2_40),
        cmocka_unit_test(c_get_interface_list_short_buffer_is_buffer_too_small),
        cmocka_unit_test(c_get_interface_finds_by_name_version_or_default),
        cmocka_unit_test(the_3_0_function_list_has_every_entry_point),
        CONF_TEST(c_get_info_reports_the_version_of_its_function_list),
        CONF_TEST(the_message_functions_are_function_not_supported),
        PLAIN_TEST(c_initialize_with_reserved_pointer_is_arguments_bad),
        PLAIN_TEST(c_initialize_with_some_mutex_callbacks_is_arguments_bad),
        PLAIN_TEST(c_initialize_with_os_locking_uses_the_port_mutex),
        PLAIN_TEST(c_initialize_with_app_callbacks_locks_around_every_call),
        PLAIN_TEST(c_initialize_returns_the_create_mutex_failure),
        PLAIN_TEST(c_initialize_twice_is_already_initialized),
        PLAIN_TEST(c_initialize_without_configuration_is_function_failed),
        PLAIN_TEST(every_function_before_initialize_is_not_initialized),
        CONF_TEST(c_finalize_closes_sessions_and_frees_session_objects),
        CONF_TEST(c_finalize_then_initialize_works_again),
        CONF_TEST(unimplemented_functions_are_function_not_supported),
        CONF_TEST(c_get_function_status_and_cancel_are_function_not_parallel),
        CONF_TEST(handles_are_never_reused_before_finalize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
