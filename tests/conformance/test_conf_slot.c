/* Conformance: slots, token information and the mechanism list. */
#include "conf.h"

#include <stdlib.h>

#include "nvtoken/config.h"
#include "nvtoken/flash.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

static void c_get_slot_list_null_buffer_returns_the_count(void **state)
{
    (void)state;
    CK_ULONG n = 99;
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(C_GetSlotList(CK_TRUE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 1);
    CK_SLOT_ID list[4];
    n = 4;
    assert_int_equal(C_GetSlotList(CK_TRUE, list, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0], 0);
}

static void c_get_slot_list_short_buffer_is_buffer_too_small(void **state)
{
    (void)state;
    CK_SLOT_ID list[1];
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_FALSE, list, &n), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 1);
    assert_int_equal(C_GetSlotList(CK_FALSE, list, NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void c_get_slot_info_reports_a_present_token(void **state)
{
    (void)state;
    CK_SLOT_INFO info;
    assert_int_equal(C_GetSlotInfo(0, &info), CKR_OK);
    assert_true((info.flags & CKF_TOKEN_PRESENT) != 0);
    assert_memory_equal(info.manufacturerID, "nvtoken project ", 16);
    assert_int_equal(info.slotDescription[63], ' ');
    assert_int_equal(C_GetSlotInfo(1, &info), CKR_SLOT_ID_INVALID);
    assert_int_equal(C_GetSlotInfo(0, NULL_PTR), CKR_ARGUMENTS_BAD);
}

static void c_get_token_info_flags_of_an_initialised_token(void **state)
{
    (void)state;
    CK_FLAGS f = conf_token_flags();
    assert_true((f & CKF_TOKEN_INITIALIZED) != 0);
    assert_true((f & CKF_LOGIN_REQUIRED) != 0);
    assert_true((f & CKF_USER_PIN_INITIALIZED) != 0);
    assert_true((f & CKF_RNG) != 0);
    assert_int_equal(f & (CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED | CKF_SO_PIN_COUNT_LOW |
                          CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED | CKF_WRITE_PROTECTED),
                     0);
    assert_int_equal(C_GetTokenInfo(3, NULL_PTR), CKR_ARGUMENTS_BAD);
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(3, &info), CKR_SLOT_ID_INVALID);
}

static int blank_setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(1) == 0 && C_Initialize(NULL_PTR) == CKR_OK ? 0 : -1;
}

static void c_get_token_info_of_a_blank_token_lacks_initialised_flags(void **state)
{
    (void)state;
    CK_FLAGS f = conf_token_flags();
    assert_int_equal(f & (CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED), 0);
    assert_true((f & CKF_RNG) != 0);
}

static void c_get_token_info_reports_label_serial_and_model(void **state)
{
    (void)state;
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, NVT_TEST_LABEL);
    assert_memory_equal(info.label, label, 32);
    for (int i = 0; i < 16; i++) {
        char c = (char)info.serialNumber[i];
        assert_true((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
    }
    assert_memory_equal(info.model, "nvtoken         ", 16);
    assert_memory_equal(info.manufacturerID, "nvtoken project ", 16);
}

static void c_get_token_info_memory_figures_come_from_the_store(void **state)
{
    (void)state;
    CK_TOKEN_INFO before, after;
    assert_int_equal(C_GetTokenInfo(0, &before), CKR_OK);
    assert_true(before.ulTotalPublicMemory > 0);
    assert_true(before.ulFreePublicMemory <= before.ulTotalPublicMemory);
    assert_true(before.ulFreePublicMemory > 0);
    CK_SESSION_HANDLE s = conf_open(1);
    conf_data(s, CK_TRUE, CK_FALSE, "takes room");
    assert_int_equal(C_GetTokenInfo(0, &after), CKR_OK);
    assert_int_equal(after.ulTotalPublicMemory, before.ulTotalPublicMemory);
    assert_true(after.ulFreePublicMemory < before.ulFreePublicMemory);
}

static void c_get_token_info_counts_sessions_and_gives_limits(void **state)
{
    (void)state;
    CK_SESSION_HANDLE ro = conf_open(0);
    CK_SESSION_HANDLE rw = conf_open(1);
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_int_equal(info.ulSessionCount, 2);
    assert_int_equal(info.ulRwSessionCount, 1);
    assert_int_equal(info.ulMaxSessionCount, NVT_CONFIG_TOKEN_MAX_SESSIONS);
    assert_int_equal(info.ulMinPinLen, NVT_CONFIG_TOKEN_PIN_MIN);
    assert_int_equal(info.ulMaxPinLen, NVT_CONFIG_TOKEN_PIN_MAX);
    (void)ro;
    (void)rw;
}

/* A mechanism every profile of this build has. */
#if NVT_TOKEN_HAS_DIGEST
#define CONF_LISTED CKM_SHA256
#else
#define CONF_LISTED CKM_ECDSA
#endif

static void c_get_mechanism_list_negotiates_length_and_lists_the_table(void **state)
{
    (void)state;
    CK_ULONG n = 0;
    assert_int_equal(C_GetMechanismList(0, NULL_PTR, &n), CKR_OK);
    assert_true(n >= 1);
    CK_MECHANISM_TYPE list[64];
    CK_ULONG small = 0;
    assert_int_equal(C_GetMechanismList(0, list, &small), CKR_BUFFER_TOO_SMALL);
    assert_int_equal(small, n);
    assert_true(n <= 64);
    assert_int_equal(C_GetMechanismList(0, list, &n), CKR_OK);
    int listed = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        listed |= list[i] == CONF_LISTED;
        CK_MECHANISM_INFO info;
        assert_int_equal(C_GetMechanismInfo(0, list[i], &info), CKR_OK);
    }
    assert_true(listed);
    assert_int_equal(C_GetMechanismList(7, NULL_PTR, &n), CKR_SLOT_ID_INVALID);
}

static void c_get_mechanism_info_comes_from_the_dispatch_table(void **state)
{
    (void)state;
    CK_MECHANISM_INFO info;
#if NVT_TOKEN_HAS_DIGEST
    assert_int_equal(C_GetMechanismInfo(0, CKM_SHA256, &info), CKR_OK);
    assert_true((info.flags & CKF_DIGEST) != 0);
#else
    assert_int_equal(C_GetMechanismInfo(0, CKM_SHA256, &info), CKR_MECHANISM_INVALID);
#endif
#if NVT_CONFIG_MECH_SECRET_KEYGEN
    assert_int_equal(C_GetMechanismInfo(0, CKM_AES_KEY_GEN, &info), CKR_OK);
    assert_true((info.flags & CKF_GENERATE) != 0);
    assert_int_equal(info.ulMinKeySize, 16);
    assert_int_equal(info.ulMaxKeySize, 32);
#else
    assert_int_equal(C_GetMechanismInfo(0, CKM_AES_KEY_GEN, &info), CKR_MECHANISM_INVALID);
#endif
#if NVT_CONFIG_MECH_ECDSA
    assert_int_equal(C_GetMechanismInfo(0, CKM_ECDSA, &info), CKR_OK);
    assert_int_equal(info.flags & (CKF_SIGN | CKF_VERIFY), CKF_SIGN | CKF_VERIFY);
    assert_int_equal(info.ulMinKeySize, 256);
    assert_int_equal(info.ulMaxKeySize, NVT_CONFIG_MECH_EC_P521 ? 521 : NVT_CONFIG_MECH_EC_P384 ? 384 : 256);
#endif
    assert_int_equal(C_GetMechanismInfo(0, CKM_VENDOR_DEFINED + 77, &info), CKR_MECHANISM_INVALID);
}

#if NVT_CONFIG_TOKEN_SLOTS >= 2
static int two_slot_setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(2) == 0 && C_Initialize(NULL_PTR) == CKR_OK && nvt_test_token_init(1) == CKR_OK
               ? 0
               : -1;
}

static void each_configured_slot_has_its_own_token(void **state)
{
    (void)state;
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_TRUE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 2);
    CK_TOKEN_INFO a, b;
    assert_int_equal(C_GetTokenInfo(0, &a), CKR_OK);
    assert_int_equal(C_GetTokenInfo(1, &b), CKR_OK);
    assert_int_equal(a.flags & CKF_TOKEN_INITIALIZED, 0);
    assert_true((b.flags & CKF_TOKEN_INITIALIZED) != 0);
    /* Objects of one token are not seen from the other. */
    CK_SESSION_HANDLE s1;
    assert_int_equal(C_OpenSession(1, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s1), CKR_OK);
    conf_data(s1, CK_TRUE, CK_FALSE, "slot 1");
    assert_int_equal(conf_count(s1, NULL_PTR, 0), 1);
    CK_SESSION_INFO si;
    assert_int_equal(C_GetSessionInfo(s1, &si), CKR_OK);
    assert_int_equal(si.slotID, 1);
}
#endif

/* ---- slot events (C_WaitForSlotEvent) --------------------------------- */

static void c_wait_for_slot_event_without_an_event_is_no_event(void **state)
{
    (void)state;
    CK_SLOT_ID slot = 99;
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    /* what the application does itself is no slot event */
    CK_SESSION_HANDLE s = conf_open(1);
    conf_data(s, CK_TRUE, CK_FALSE, "mine");
    assert_int_equal(C_CloseSession(s), CKR_OK);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "again");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    /* a blocking wait with nothing pending cannot be served */
    assert_int_equal(C_WaitForSlotEvent(0, &slot, NULL_PTR), CKR_FUNCTION_NOT_SUPPORTED);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, NULL_PTR, NULL_PTR), CKR_ARGUMENTS_BAD);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, &slot), CKR_ARGUMENTS_BAD);
}

#if NVT_CONFIG_TOKEN_SHARED_SLOTS
/* Slot 0 shared "with another process" that the test plays. */
static int shared_setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(1) == 0 && nvt_test_token_share(0) == 0 && C_Initialize(NULL_PTR) == CKR_OK &&
                   nvt_test_token_init(0) == CKR_OK
               ? 0
               : -1;
}

#define REGION_BYTES (NVT_TEST_SECTOR_SIZE * NVT_TEST_SECTORS)

/* The other process: copy slot 0's region out, erase it, write it back. */
static void region_save(uint8_t *copy)
{
    const nvt_flash_t *f = &nvt_test_token_flash(0)->flash;
    assert_int_equal(nvt_flash_read(f, 0, copy, REGION_BYTES), NVT_OK);
}

static void region_erase(void)
{
    const nvt_flash_t *f = &nvt_test_token_flash(0)->flash;
    for (uint32_t i = 0; i < NVT_TEST_SECTORS; i++) {
        assert_int_equal(nvt_flash_erase(f, i), NVT_OK);
    }
    nvt_test_token_changed(0);
}

static void region_restore(const uint8_t *copy)
{
    region_erase();
    const nvt_flash_t *f = &nvt_test_token_flash(0)->flash;
    static const uint8_t blank[NVT_TEST_PROG_UNIT] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    for (uint32_t a = 0; a < REGION_BYTES; a += NVT_TEST_PROG_UNIT) {
        if (memcmp(copy + a, blank, NVT_TEST_PROG_UNIT) != 0) {
            assert_int_equal(nvt_flash_program(f, a, copy + a, NVT_TEST_PROG_UNIT), NVT_OK);
        }
    }
}

static int token_present(void)
{
    CK_SLOT_INFO info;
    assert_int_equal(C_GetSlotInfo(0, &info), CKR_OK);
    return (info.flags & CKF_TOKEN_PRESENT) != 0;
}

static void a_token_leaving_and_coming_back_is_one_event_each(void **state)
{
    (void)state;
    uint8_t *copy = malloc(REGION_BYTES);
    assert_non_null(copy);
    CK_SLOT_ID slot = 99;
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    region_save(copy);
    /* removed: the region holds no store any more */
    region_erase();
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_OK);
    assert_int_equal(slot, 0);
    assert_false(token_present());
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_TOKEN_NOT_RECOGNIZED);
    /* inserted again, noticed by another call first: still reported once */
    region_restore(copy);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(0, &ti), CKR_OK);
    assert_true(token_present());
    assert_int_equal(C_WaitForSlotEvent(0, &slot, NULL_PTR), CKR_OK); /* pending: a blocking call returns it */
    assert_int_equal(slot, 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    s = conf_open(0);
    conf_login_user(s);
    free(copy);
}

static void a_token_initialised_elsewhere_is_an_event(void **state)
{
    (void)state;
    uint8_t *copy = malloc(REGION_BYTES);
    assert_non_null(copy);
    CK_SLOT_ID slot = 99;
    region_save(copy);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "mine");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    /* the other process puts its token (another generation) in place */
    region_restore(copy);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_OK);
    assert_int_equal(slot, 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(0, &ti), CKR_OK);
    nvt_test_label(label, NVT_TEST_LABEL);
    assert_memory_equal(ti.label, label, 32);
    /* the region rewritten with the same token is no event */
    region_restore(copy);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    free(copy);
}

/* A search begun on a token another process then replaces by another
 * (the region rewritten with an earlier token): once this process sees the
 * change, the search yields none of the old token's objects - their
 * handles died with the table (tok_objects_drop). */
static void a_search_yields_nothing_of_a_token_replaced_since(void **state)
{
    (void)state;
    uint8_t *copy = malloc(REGION_BYTES);
    assert_non_null(copy);
    region_save(copy);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "mine");
    assert_int_equal(C_InitToken(0, conf_so_pin, CONF_SO_PIN_LEN, label), CKR_OK);
    CK_SESSION_HANDLE s = conf_open(1);
    CK_OBJECT_HANDLE h = conf_data(s, CK_TRUE, CK_FALSE, "public of mine");
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t = { CKA_CLASS, &cls, sizeof(cls) };
    assert_int_equal(C_FindObjectsInit(s, &t, 1), CKR_OK);
    /* the other process puts its token back; this one notices at its
     * next call that looks at the slot */
    region_restore(copy);
    CK_SLOT_ID slot = 99;
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_OK);
    CK_OBJECT_HANDLE found[4];
    CK_ULONG n = 99;
    assert_int_equal(C_FindObjects(s, found, 4, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        assert_int_not_equal(found[i], h);
    }
    assert_int_equal(n, 0);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    free(copy);
}

/* The same, when another process put a different object at the store id
 * of one this process's search holds (its own objects deleted and new ones
 * made): the table gives the id's new object a new handle, and the search
 * must not yield the old one (the forget in tok_objects_scan). */
static void a_search_yields_nothing_of_an_object_another_took_the_place_of(void **state)
{
    (void)state;
    uint8_t *without = malloc(REGION_BYTES), *other = malloc(REGION_BYTES);
    assert_non_null(without);
    assert_non_null(other);
    CK_SESSION_HANDLE s = conf_open(1);
    region_save(without);
    /* the other process's object at the next free id */
    (void)conf_data(s, CK_TRUE, CK_FALSE, "theirs");
    region_save(other);
    /* gone again; this process makes its own at the same id */
    region_restore(without);
    CK_SLOT_ID slot = 99;
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    CK_OBJECT_HANDLE mine = conf_data(s, CK_TRUE, CK_FALSE, "mine");
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_ATTRIBUTE t = { CKA_CLASS, &cls, sizeof(cls) };
    assert_int_equal(C_FindObjectsInit(s, &t, 1), CKR_OK);
    /* the other process's state again: its object where mine was */
    region_restore(other);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    char label[16] = { 0 };
    CK_ATTRIBUTE l = { CKA_LABEL, label, sizeof(label) - 1 };
    assert_int_equal(C_GetAttributeValue(s, mine, &l, 1), CKR_OBJECT_HANDLE_INVALID);
    CK_OBJECT_HANDLE found[4];
    CK_ULONG n = 99;
    assert_int_equal(C_FindObjects(s, found, 4, &n), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        assert_int_not_equal(found[i], mine);
    }
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    /* the object there now has a handle of its own */
    assert_int_equal(C_FindObjectsInit(s, &t, 1), CKR_OK);
    assert_int_equal(C_FindObjects(s, found, 4, &n), CKR_OK);
    assert_int_equal(n, 1);
    l.ulValueLen = sizeof(label) - 1;
    assert_int_equal(C_GetAttributeValue(s, found[0], &l, 1), CKR_OK);
    assert_string_equal(label, "theirs");
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    free(without);
    free(other);
}

#else
/* A build whose regions only this library writes (a device) takes no
 * slot shared with others, and has no slot event to report. */
static void a_shared_slot_is_refused_without_shared_slots(void **state)
{
    (void)state;
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    nvt_token_sync_t sync = { NULL, NULL, NULL, NULL };
    nvt_token_slot_config_t slot = { .store_cfg = &store_cfg, .store = &store, .sync = &sync };
    nvt_token_config_t cfg = { .slots = &slot, .slot_count = 1 };
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_token_configure(&cfg), NVT_E_UNSUPPORTED);
    slot.sync = NULL;
    assert_int_equal(nvt_token_configure(&cfg), NVT_OK);
    /* the test's own configuration again, for the teardown */
    nvt_test_token_teardown();
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_get_slot_list_null_buffer_returns_the_count),
        CONF_TEST(c_get_slot_list_short_buffer_is_buffer_too_small),
        CONF_TEST(c_get_slot_info_reports_a_present_token),
        CONF_TEST(c_get_token_info_flags_of_an_initialised_token),
        cmocka_unit_test_setup_teardown(c_get_token_info_of_a_blank_token_lacks_initialised_flags, blank_setup,
                                        conf_teardown),
        CONF_TEST(c_get_token_info_reports_label_serial_and_model),
        CONF_TEST(c_get_token_info_memory_figures_come_from_the_store),
        CONF_TEST(c_get_token_info_counts_sessions_and_gives_limits),
        CONF_TEST(c_get_mechanism_list_negotiates_length_and_lists_the_table),
        CONF_TEST(c_get_mechanism_info_comes_from_the_dispatch_table),
        CONF_TEST(c_wait_for_slot_event_without_an_event_is_no_event),
#if NVT_CONFIG_TOKEN_SHARED_SLOTS
        cmocka_unit_test_setup_teardown(a_token_leaving_and_coming_back_is_one_event_each, shared_setup,
                                        conf_teardown),
        cmocka_unit_test_setup_teardown(a_token_initialised_elsewhere_is_an_event, shared_setup, conf_teardown),
        cmocka_unit_test_setup_teardown(a_search_yields_nothing_of_a_token_replaced_since, shared_setup,
                                        conf_teardown),
        cmocka_unit_test_setup_teardown(a_search_yields_nothing_of_an_object_another_took_the_place_of, shared_setup,
                                        conf_teardown),
#else
        CONF_TEST(a_shared_slot_is_refused_without_shared_slots),
#endif
#if NVT_CONFIG_TOKEN_SLOTS >= 2 /* the target build has one slot */
        cmocka_unit_test_setup_teardown(each_configured_slot_has_its_own_token, two_slot_setup, conf_teardown),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
