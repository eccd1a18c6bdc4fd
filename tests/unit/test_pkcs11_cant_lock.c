/* C_Initialize on a platform that cannot lock (tests/unit/port_nolock.c in
 * place of the port's mutexes): CKF_OS_LOCKING_OK alone is CKR_CANT_LOCK;
 * with the application's callbacks, or with no threads promised, it works. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/pkcs11.h"

static int app_mutex;

static CK_RV app_create(CK_VOID_PTR_PTR m)
{
    *m = &app_mutex;
    return CKR_OK;
}

static CK_RV app_other(CK_VOID_PTR m)
{
    return m == &app_mutex ? CKR_OK : CKR_GENERAL_ERROR;
}

static void os_locking_on_a_platform_without_locks_is_cant_lock(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    assert_int_equal(C_Initialize(&args), CKR_CANT_LOCK);
    CK_INFO info;
    assert_int_equal(C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void os_locking_with_application_callbacks_uses_the_callbacks(void **state)
{
    (void)state;
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    args.CreateMutex = app_create;
    args.DestroyMutex = app_other;
    args.LockMutex = app_other;
    args.UnlockMutex = app_other;
    assert_int_equal(C_Initialize(&args), CKR_OK);
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static void a_single_threaded_application_needs_no_lock(void **state)
{
    (void)state;
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

int main(void)
{
    if (nvt_test_token_setup(1) != 0) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(os_locking_on_a_platform_without_locks_is_cant_lock),
        cmocka_unit_test(os_locking_with_application_callbacks_uses_the_callbacks),
        cmocka_unit_test(a_single_threaded_application_needs_no_lock),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nvt_test_token_teardown();
    return failed;
}
