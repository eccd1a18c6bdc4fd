/* Conformance: C_InitToken, C_InitPIN, C_SetPIN, C_Login, C_Logout, the
 * PIN failure counters and lock-out, and how PINs are kept. */
#include "conf.h"

#include "nvtoken/config.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

static CK_UTF8CHAR new_pin[] = "56789";
#define NEW_PIN_LEN 5

static void wrong_user_logins(CK_SESSION_HANDLE s, int n)
{
    for (int i = 0; i < n; i++) {
        CK_RV rv = C_Login(s, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN);
        assert_true(rv == CKR_PIN_INCORRECT || rv == CKR_PIN_LOCKED);
    }
}

/* ---- C_InitToken -------------------------------------------------------- */

static void c_init_token_with_an_open_session_is_session_exists(void **state)
{
    (void)state;
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "x");
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_SESSION_EXISTS);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
}

static void c_init_token_with_a_wrong_so_pin_is_pin_incorrect_and_counted(void **state)
{
    (void)state;
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "x");
    assert_int_equal(C_InitToken(0, conf_wrong_pin, CONF_WRONG_PIN_LEN, label), CKR_PIN_INCORRECT);
    assert_true((conf_token_flags() & CKF_SO_PIN_COUNT_LOW) != 0);
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    assert_int_equal(conf_token_flags() & CKF_SO_PIN_COUNT_LOW, 0);
}

static void c_init_token_sets_the_label_and_keeps_the_serial(void **state)
{
    (void)state;
    CK_TOKEN_INFO before, after;
    assert_int_equal(C_GetTokenInfo(0, &before), CKR_OK);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "relabelled");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    assert_int_equal(C_GetTokenInfo(0, &after), CKR_OK);
    assert_memory_equal(after.label, label, 32);
    assert_memory_equal(after.serialNumber, before.serialNumber, 16);
}

static void c_init_token_wipes_every_object_and_the_user_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    conf_data(s, CK_TRUE, CK_FALSE, "public");
    conf_data(s, CK_TRUE, CK_TRUE, "private");
    assert_int_equal(conf_count(s, NULL_PTR, 0), 2);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "fresh");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    assert_int_equal(conf_token_flags() & CKF_USER_PIN_INITIALIZED, 0);
    s = conf_open(1);
    conf_login_so(s);
    assert_int_equal(conf_count(s, NULL_PTR, 0), 0);
    /* and after a restart too */
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    s = conf_open(1);
    conf_login_so(s);
    assert_int_equal(C_InitPIN(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
    assert_int_equal(conf_count(s, NULL_PTR, 0), 0);
}

static int blank_setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(1) == 0 && C_Initialize(NULL_PTR) == CKR_OK ? 0 : -1;
}

static void c_init_token_pin_length_out_of_range_is_pin_len_range(void **state)
{
    (void)state;
    CK_UTF8CHAR label[32];
    CK_UTF8CHAR long_pin[NVT_CONFIG_TOKEN_PIN_MAX + 1];
    memset(long_pin, '7', sizeof(long_pin));
    nvt_test_label(label, "x");
    assert_int_equal(C_InitToken(0, conf_so_pin, NVT_CONFIG_TOKEN_PIN_MIN - 1, label), CKR_PIN_LEN_RANGE);
    assert_int_equal(C_InitToken(0, long_pin, sizeof(long_pin), label), CKR_PIN_LEN_RANGE);
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_InitToken(0, NULL_PTR, 0, label), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_InitToken(5, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_SLOT_ID_INVALID);
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
}

/* ---- C_InitPIN ------------------------------------------------------------ */

static void c_init_pin_without_so_login_is_user_not_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_InitPIN(s, new_pin, NEW_PIN_LEN), CKR_USER_NOT_LOGGED_IN);
    conf_login_user(s);
    assert_int_equal(C_InitPIN(s, new_pin, NEW_PIN_LEN), CKR_USER_NOT_LOGGED_IN);
}

static void c_init_pin_length_out_of_range_is_pin_len_range(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_so(s);
    assert_int_equal(C_InitPIN(s, new_pin, NVT_CONFIG_TOKEN_PIN_MIN - 1), CKR_PIN_LEN_RANGE);
    assert_int_equal(C_InitPIN(s, NULL_PTR, 4), CKR_ARGUMENTS_BAD);
}

static void c_init_pin_by_the_so_unlocks_a_locked_user_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    wrong_user_logins(s, NVT_CONFIG_TOKEN_USER_PIN_TRIES);
    assert_true((conf_token_flags() & CKF_USER_PIN_LOCKED) != 0);
    conf_login_so(s);
    assert_int_equal(C_InitPIN(s, new_pin, NEW_PIN_LEN), CKR_OK);
    assert_int_equal(conf_token_flags() & (CKF_USER_PIN_LOCKED | CKF_USER_PIN_COUNT_LOW), 0);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, new_pin, NEW_PIN_LEN), CKR_OK);
}

/* ---- C_SetPIN ------------------------------------------------------------- */

static void c_set_pin_changes_the_user_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    assert_int_equal(C_SetPIN(s, conf_user_pin, CONF_USER_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_PIN_INCORRECT);
    assert_int_equal(C_Login(s, CKU_USER, new_pin, NEW_PIN_LEN), CKR_OK);
}

static void c_set_pin_in_a_public_session_changes_the_user_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_SetPIN(s, conf_user_pin, CONF_USER_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, new_pin, NEW_PIN_LEN), CKR_OK);
}

static void c_set_pin_as_so_changes_the_so_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_so(s);
    assert_int_equal(C_SetPIN(s, conf_so_pin, CONF_SO_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN), CKR_PIN_INCORRECT);
    assert_int_equal(C_Login(s, CKU_SO, new_pin, NEW_PIN_LEN), CKR_OK);
    /* the user PIN is untouched */
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_user(s);
}

static void c_set_pin_in_a_read_only_session_is_session_read_only(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_SetPIN(s, conf_user_pin, CONF_USER_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_SESSION_READ_ONLY);
}

static void c_set_pin_with_a_wrong_old_pin_is_pin_incorrect_and_counted(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_SetPIN(s, conf_wrong_pin, CONF_WRONG_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_PIN_INCORRECT);
    assert_true((conf_token_flags() & CKF_USER_PIN_COUNT_LOW) != 0);
    conf_login_user(s); /* old PIN still valid */
}

static void c_set_pin_new_pin_length_out_of_range_is_pin_len_range(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_SetPIN(s, conf_user_pin, CONF_USER_PIN_LEN, new_pin, NVT_CONFIG_TOKEN_PIN_MIN - 1),
                     CKR_PIN_LEN_RANGE);
    assert_int_equal(conf_token_flags() & CKF_USER_PIN_COUNT_LOW, 0);
}

/* ---- C_Login ----------------------------------------------------------------- */

static void c_login_user_moves_every_session_to_user_functions(void **state)
{
    (void)state;
    CK_SESSION_HANDLE ro = conf_open(0), rw = conf_open(1);
    CK_SESSION_INFO info;
    conf_login_user(ro);
    assert_int_equal(C_GetSessionInfo(ro, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_USER_FUNCTIONS);
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_USER_FUNCTIONS);
}

/* v3.0 C_LoginUser: without a user name it is C_Login; the token's users
 * have no names, so a name is refused before anything is checked. */
static void c_login_user_without_a_name_is_c_login(void **state)
{
    (void)state;
    CK_SESSION_HANDLE ro = conf_open(0), rw = conf_open(1);
    CK_UTF8CHAR empty[] = "";
    CK_SESSION_INFO info;
    assert_int_equal(C_LoginUser(ro, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_USER_FUNCTIONS);
    assert_int_equal(C_LoginUser(ro, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, empty, 0),
                     CKR_USER_ALREADY_LOGGED_IN);
    assert_int_equal(C_Logout(ro), CKR_OK);
    assert_int_equal(C_LoginUser(ro, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, empty, 0), CKR_OK);
    assert_int_equal(C_Logout(ro), CKR_OK);
    /* the codes of C_Login */
    assert_int_equal(C_LoginUser(ro, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN, NULL_PTR, 0), CKR_PIN_INCORRECT);
    assert_int_equal(C_LoginUser(ro, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN, NULL_PTR, 0), CKR_SESSION_READ_ONLY_EXISTS);
    assert_int_equal(C_LoginUser(ro, 7, conf_user_pin, CONF_USER_PIN_LEN, NULL_PTR, 0), CKR_USER_TYPE_INVALID);
    assert_int_equal(C_LoginUser(ro + 1000, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, NULL_PTR, 0),
                     CKR_SESSION_HANDLE_INVALID);
    assert_int_equal(C_LoginUser(ro, CKU_USER, NULL_PTR, 0, NULL_PTR, 0), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_CloseSession(ro), CKR_OK);
    assert_int_equal(C_LoginUser(rw, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_SO_FUNCTIONS);
}

static void c_login_user_with_a_user_name_is_arguments_bad_and_counts_nothing(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    CK_UTF8CHAR name[] = "alice";
    assert_int_equal(C_LoginUser(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, name, 5), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_LoginUser(s, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN, name, 5), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_LoginUser(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN, NULL_PTR, 5), CKR_ARGUMENTS_BAD);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(s, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_PUBLIC_SESSION);
    assert_int_equal(conf_token_flags() & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY), 0);
}

static void c_login_wrong_pin_is_pin_incorrect(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_Login(s, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_INCORRECT);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN - 1), CKR_PIN_INCORRECT);
    assert_int_equal(C_Login(s, CKU_SO, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_SESSION_READ_ONLY_EXISTS);
    assert_int_equal(C_Login(s, CKU_USER, NULL_PTR, 0), CKR_ARGUMENTS_BAD);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(s, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_PUBLIC_SESSION);
}

static void user_pin_failures_report_count_low_final_try_then_locked(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    for (int i = 1; i <= NVT_CONFIG_TOKEN_USER_PIN_TRIES; i++) {
        assert_int_equal(C_Login(s, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_INCORRECT);
        CK_FLAGS f = conf_token_flags();
        if (i < NVT_CONFIG_TOKEN_USER_PIN_TRIES) {
            assert_true((f & CKF_USER_PIN_COUNT_LOW) != 0);
            assert_int_equal((f & CKF_USER_PIN_FINAL_TRY) != 0, i == NVT_CONFIG_TOKEN_USER_PIN_TRIES - 1);
            assert_int_equal(f & CKF_USER_PIN_LOCKED, 0);
        } else {
            assert_true((f & CKF_USER_PIN_LOCKED) != 0);
        }
    }
}

static void a_locked_user_pin_is_pin_locked_even_when_right(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    wrong_user_logins(s, NVT_CONFIG_TOKEN_USER_PIN_TRIES);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_PIN_LOCKED);
    assert_int_equal(C_Login(s, CKU_USER, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_LOCKED);
}

static void a_successful_login_resets_the_failure_counter(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    wrong_user_logins(s, NVT_CONFIG_TOKEN_USER_PIN_TRIES - 1);
    conf_login_user(s);
    assert_int_equal(conf_token_flags() & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY), 0);
    assert_int_equal(C_Logout(s), CKR_OK);
    wrong_user_logins(s, NVT_CONFIG_TOKEN_USER_PIN_TRIES - 1);
    conf_login_user(s); /* not locked: the counter started again */
}

static void the_failure_counter_survives_a_restart(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    wrong_user_logins(s, 1);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_true((conf_token_flags() & CKF_USER_PIN_COUNT_LOW) != 0);
}

static void c_login_twice_is_user_already_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_ALREADY_LOGGED_IN);
    CK_SESSION_HANDLE s2 = conf_open(1);
    assert_int_equal(C_Login(s2, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_ALREADY_LOGGED_IN);
}

static void c_login_as_the_other_user_is_user_another_already_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_user(s);
    assert_int_equal(C_Login(s, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN), CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
    assert_int_equal(C_Logout(s), CKR_OK);
    conf_login_so(s);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_ANOTHER_ALREADY_LOGGED_IN);
}

static void c_login_so_with_a_read_only_session_is_session_read_only_exists(void **state)
{
    (void)state;
    CK_SESSION_HANDLE rw = conf_open(1);
    CK_SESSION_HANDLE ro = conf_open(0);
    assert_int_equal(C_Login(rw, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN), CKR_SESSION_READ_ONLY_EXISTS);
    assert_int_equal(C_CloseSession(ro), CKR_OK);
    conf_login_so(rw);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_SO_FUNCTIONS);
}

static void c_login_user_without_a_user_pin_is_user_pin_not_initialized(void **state)
{
    (void)state;
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "x");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_Login(s, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_PIN_NOT_INITIALIZED);
    assert_int_equal(C_SetPIN(s, conf_user_pin, CONF_USER_PIN_LEN, new_pin, NEW_PIN_LEN), CKR_USER_PIN_NOT_INITIALIZED);
}

static void c_login_with_an_unknown_user_type_is_user_type_invalid(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    assert_int_equal(C_Login(s, 7, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_TYPE_INVALID);
    assert_int_equal(C_Login(s, CKU_CONTEXT_SPECIFIC, conf_user_pin, CONF_USER_PIN_LEN), CKR_USER_NOT_LOGGED_IN);
    conf_login_user(s);
    assert_int_equal(C_Login(s, CKU_CONTEXT_SPECIFIC, conf_user_pin, CONF_USER_PIN_LEN),
                     CKR_OPERATION_NOT_INITIALIZED);
    assert_int_equal(C_Login(s + 100, CKU_USER, conf_user_pin, CONF_USER_PIN_LEN), CKR_SESSION_HANDLE_INVALID);
}

/* ---- C_Logout ------------------------------------------------------------------ */

static void c_logout_when_nobody_is_logged_in_is_user_not_logged_in(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(0);
    assert_int_equal(C_Logout(s), CKR_USER_NOT_LOGGED_IN);
}

static void c_logout_returns_every_session_to_public(void **state)
{
    (void)state;
    CK_SESSION_HANDLE ro = conf_open(0), rw = conf_open(1);
    conf_login_user(rw);
    assert_int_equal(C_Logout(ro), CKR_OK);
    CK_SESSION_INFO info;
    assert_int_equal(C_GetSessionInfo(ro, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RO_PUBLIC_SESSION);
    assert_int_equal(C_GetSessionInfo(rw, &info), CKR_OK);
    assert_int_equal(info.state, CKS_RW_PUBLIC_SESSION);
}

/* ---- SO lock-out ------------------------------------------------------------------ */

static void so_pin_failures_lock_the_so_pin(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = conf_open(1);
    for (int i = 0; i < NVT_CONFIG_TOKEN_SO_PIN_TRIES; i++) {
        assert_int_equal(C_Login(s, CKU_SO, conf_wrong_pin, CONF_WRONG_PIN_LEN), CKR_PIN_INCORRECT);
    }
    assert_true((conf_token_flags() & CKF_SO_PIN_LOCKED) != 0);
    assert_int_equal(C_Login(s, CKU_SO, conf_so_pin, CONF_SO_PIN_LEN), CKR_PIN_LOCKED);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "x");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_PIN_LOCKED);
}

/* ---- how PINs are kept ------------------------------------------------------------- */

static int contains(const unsigned char *hay, size_t n, const unsigned char *needle, size_t m)
{
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return 1;
        }
    }
    return 0;
}

static void pins_are_kept_as_salted_verifiers_never_in_clear(void **state)
{
    (void)state;
    unsigned char rec[512], rec2[512];
    size_t n = 0, n2 = 0;
    assert_int_equal(nvt_store_get(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD, rec, sizeof(rec), &n), NVT_OK);
    assert_false(contains(rec, n, conf_user_pin, CONF_USER_PIN_LEN));
    assert_false(contains(rec, n, conf_so_pin, CONF_SO_PIN_LEN));
    /* Setting the same PIN again gives another verifier: a fresh salt. */
    CK_SESSION_HANDLE s = conf_open(1);
    conf_login_so(s);
    assert_int_equal(C_InitPIN(s, conf_user_pin, CONF_USER_PIN_LEN), CKR_OK);
    assert_int_equal(nvt_store_get(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD, rec2, sizeof(rec2), &n2), NVT_OK);
    assert_int_equal(n, n2);
    assert_memory_not_equal(rec, rec2, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_init_token_with_an_open_session_is_session_exists),
        CONF_TEST(c_init_token_with_a_wrong_so_pin_is_pin_incorrect_and_counted),
        CONF_TEST(c_init_token_sets_the_label_and_keeps_the_serial),
        CONF_TEST(c_init_token_wipes_every_object_and_the_user_pin),
        cmocka_unit_test_setup_teardown(c_init_token_pin_length_out_of_range_is_pin_len_range, blank_setup,
                                        conf_teardown),
        CONF_TEST(c_init_pin_without_so_login_is_user_not_logged_in),
        CONF_TEST(c_init_pin_length_out_of_range_is_pin_len_range),
        CONF_TEST(c_init_pin_by_the_so_unlocks_a_locked_user_pin),
        CONF_TEST(c_set_pin_changes_the_user_pin),
        CONF_TEST(c_set_pin_in_a_public_session_changes_the_user_pin),
        CONF_TEST(c_set_pin_as_so_changes_the_so_pin),
        CONF_TEST(c_set_pin_in_a_read_only_session_is_session_read_only),
        CONF_TEST(c_set_pin_with_a_wrong_old_pin_is_pin_incorrect_and_counted),
        CONF_TEST(c_set_pin_new_pin_length_out_of_range_is_pin_len_range),
        CONF_TEST(c_login_user_moves_every_session_to_user_functions),
        CONF_TEST(c_login_user_without_a_name_is_c_login),
        CONF_TEST(c_login_user_with_a_user_name_is_arguments_bad_and_counts_nothing),
        CONF_TEST(c_login_wrong_pin_is_pin_incorrect),
        CONF_TEST(user_pin_failures_report_count_low_final_try_then_locked),
        CONF_TEST(a_locked_user_pin_is_pin_locked_even_when_right),
        CONF_TEST(a_successful_login_resets_the_failure_counter),
        CONF_TEST(the_failure_counter_survives_a_restart),
        CONF_TEST(c_login_twice_is_user_already_logged_in),
        CONF_TEST(c_login_as_the_other_user_is_user_another_already_logged_in),
        CONF_TEST(c_login_so_with_a_read_only_session_is_session_read_only_exists),
        CONF_TEST(c_login_user_without_a_user_pin_is_user_pin_not_initialized),
        CONF_TEST(c_login_with_an_unknown_user_type_is_user_type_invalid),
        CONF_TEST(c_logout_when_nobody_is_logged_in_is_user_not_logged_in),
        CONF_TEST(c_logout_returns_every_session_to_public),
        CONF_TEST(so_pin_failures_lock_the_so_pin),
        CONF_TEST(pins_are_kept_as_salted_verifiers_never_in_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
