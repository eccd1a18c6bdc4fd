/* corePKCS11's application API over nvtoken's own token
 * (src/compat/corepkcs11_api/): the application corepkcs11_app.c, the same
 * source the corePKCS11 test builds with corePKCS11, built here with
 * nvtoken's core_pkcs11.h and run on nvtoken's PKCS#11 module over a RAM
 * flash region; then the helpers' own contract where nvtoken differs from
 * corePKCS11 (real PINs, no session left behind). Host and Cortex-M4. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core_pkcs11_config.h"
#include "core_pkcs11_config_defaults.h"
#include "core_pkcs11.h"

#include "corepkcs11_app.h"
#include "nvt_test_token.h"

/* The application, two boots: provision everything, then find it and sign. */
static void application_runs_unchanged(void **state)
{
    (void)state;
    unsigned found = 0;
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(app_start(), CKR_OK);
    assert_int_equal(app_check_helpers(), CKR_OK);
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, 0);
    assert_int_equal(app_provision(APP_ALL), CKR_OK);
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), CKR_OK);
    assert_int_equal(app_stop(), CKR_OK);
    assert_int_equal(app_start(), CKR_OK);
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), CKR_OK);
    assert_int_equal(app_stop(), CKR_OK);
    nvt_test_token_teardown();
}

/* On nvtoken the default PIN is a real PIN: xInitializePkcs11Token makes it
 * the token's user and SO PIN, a token whose user PIN is something else
 * refuses xInitializePkcs11Session (and leaves no session open), and the
 * device key is private and not extractable. */
static void pins_are_real(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
    CK_UTF8CHAR pin[] = pkcs11configPKCS11_DEFAULT_USER_PIN;
    CK_UTF8CHAR other[] = "98765";
    assert_int_equal(nvt_test_token_setup(1), 0);
    /* A token not initialised: no session (nvtoken opens none on a token
     * not initialised: CKR_TOKEN_NOT_RECOGNIZED). */
    assert_int_equal(xInitializePkcs11Session(&s), CKR_TOKEN_NOT_RECOGNIZED);
    assert_int_equal(s, CK_INVALID_HANDLE);
    /* xInitializePkcs11Token: SO and user PIN are the default PIN (its
     * C_InitToken would fail with CKR_SESSION_EXISTS had the failed
     * session been left open). */
    assert_int_equal(xInitializePkcs11Token(), CKR_OK);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(0, &ti), CKR_OK);
    assert_true(ti.flags & CKF_TOKEN_INITIALIZED);
    assert_true(ti.flags & CKF_USER_PIN_INITIALIZED);
    assert_memory_equal(ti.label, "FreeRTOS                        ", 32);
    assert_int_equal(xInitializePkcs11Token(), CKR_OK); /* again: nothing to do */
    assert_int_equal(xInitializePkcs11Session(&s), CKR_OK);
    CK_SESSION_HANDLE s2;
    assert_int_equal(xInitializePkcs11Session(&s2), CKR_OK); /* already logged in: fine */
    assert_int_equal(C_CloseSession(s2), CKR_OK);
    /* The user changes the PIN: the default one no longer opens a session. */
    assert_int_equal(C_SetPIN(s, pin, sizeof(pin) - 1, other, sizeof(other) - 1), CKR_OK);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    assert_int_equal(xInitializePkcs11Session(&s), CKR_PIN_INCORRECT);
    assert_int_equal(s, CK_INVALID_HANDLE);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_test_token_teardown();
}

static void bad_arguments(void **state)
{
    (void)state;
    CK_SLOT_ID *slots;
    CK_ULONG count;
    CK_OBJECT_HANDLE h;
    char label[] = "x";
    assert_int_equal(xGetSlotList(NULL, &count), CKR_ARGUMENTS_BAD);
    assert_int_equal(xGetSlotList(&slots, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(xInitializePkcs11Session(NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(xFindObjectWithLabelAndClass(1, NULL, 1, CKO_DATA, &h), CKR_ARGUMENTS_BAD);
    assert_int_equal(xFindObjectWithLabelAndClass(1, label, 1, CKO_DATA, NULL), CKR_ARGUMENTS_BAD);
    uint8_t out[51];
    assert_int_equal(vAppendSHA256AlgorithmIdentifierSequence(out, NULL), CKR_ARGUMENTS_BAD);
    /* Not initialised: the library's own answer. */
    assert_int_equal(xGetSlotList(&slots, &count), CKR_CRYPTOKI_NOT_INITIALIZED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(application_runs_unchanged),
        cmocka_unit_test(pins_are_real),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
