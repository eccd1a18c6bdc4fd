/* The library-level PKCS#11 functions: the function list is complete, and
 * C_Initialize / C_Finalize / C_GetInfo follow the specification's rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/version.h"

static void function_list_has_every_entry(void **state)
{
    (void)state;
    CK_FUNCTION_LIST_PTR fl = NULL;
    assert_int_equal(C_GetFunctionList(&fl), CKR_OK);
    assert_non_null(fl);
    assert_int_equal(fl->version.major, 2);
    assert_int_equal(fl->version.minor, 40);
    /* The 68 pointers after the version, none NULL. */
    const CK_VOID_PTR *first = (const CK_VOID_PTR *)(const void *)&fl->C_Initialize;
    size_t n = (sizeof(*fl) - offsetof(CK_FUNCTION_LIST, C_Initialize)) / sizeof(void (*)(void));
    assert_int_equal(n, 68);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(first[i]);
    }
    assert_ptr_equal(fl->C_GetInfo, C_GetInfo);
    assert_ptr_equal(fl->C_WaitForSlotEvent, C_WaitForSlotEvent);
}

static void function_list_rejects_null(void **state)
{
    (void)state;
    assert_int_equal(C_GetFunctionList(NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void get_info_before_initialize_is_refused(void **state)
{
    (void)state;
    CK_INFO info;
    assert_int_equal(C_GetInfo(&info), CKR_CRYPTOKI_NOT_INITIALIZED);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_CRYPTOKI_NOT_INITIALIZED);
}

static void initialize_twice_is_refused(void **state)
{
    (void)state;
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_CRYPTOKI_ALREADY_INITIALIZED);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static void finalize_with_reserved_pointer_is_refused(void **state)
{
    (void)state;
    int dummy = 0;
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Finalize(&dummy), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static void get_info_reports_version_and_padded_strings(void **state)
{
    (void)state;
    CK_INFO info;
    memset(&info, 0xee, sizeof(info));
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_GetInfo(NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_GetInfo(&info), CKR_OK);
    assert_int_equal(info.cryptokiVersion.major, 2);
    assert_int_equal(info.cryptokiVersion.minor, 40);
    assert_int_equal(info.libraryVersion.major, NVT_VERSION_MAJOR);
    assert_int_equal(info.libraryVersion.minor, NVT_VERSION_MINOR);
    assert_int_equal(info.flags, 0);
    assert_memory_equal(info.manufacturerID, "nvtoken project ", 16);
    /* Blank padded to the end, never NUL terminated. */
    for (size_t i = 15; i < sizeof(info.manufacturerID); i++) {
        assert_int_equal(info.manufacturerID[i], ' ');
    }
    assert_int_equal(info.libraryDescription[sizeof(info.libraryDescription) - 1], ' ');
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(function_list_has_every_entry),
        cmocka_unit_test(function_list_rejects_null),
        cmocka_unit_test(get_info_before_initialize_is_refused),
        cmocka_unit_test(initialize_twice_is_refused),
        cmocka_unit_test(finalize_with_reserved_pointer_is_refused),
        cmocka_unit_test(get_info_reports_version_and_padded_strings),
    };
    if (nvt_test_token_setup(1) != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nvt_test_token_teardown();
    return failed;
}
