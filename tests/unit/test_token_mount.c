/* What the token formats on its own (NVT_TOKEN_SLOT_FORMAT_BLANK): a blank
 * region, or one whose format a power cut interrupted, becomes a new token;
 * a region holding anything else - a store of another geometry, foreign
 * data - is never written, not by C_Initialize and not by C_InitToken, and
 * its slot's description says why there is no token. Host and Cortex-M4.
 *
 * With more than one slot (the host), slot 0 is a normal token and slot 1
 * the region under test. The target has one slot and no TRNG: its random
 * generator starts from the NV seed in slot 0's store, so a region without
 * one does not let C_Initialize succeed (CKR_FUNCTION_FAILED) - the seed is
 * what a factory writes after the format, as these tests do. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

#define REGION (NVT_TEST_SECTOR_SIZE * NVT_TEST_SECTORS)
#define SLOT (NVT_CONFIG_TOKEN_SLOTS > 1 ? 1u : 0u)

static CK_UTF8CHAR so_pin[] = NVT_TEST_SO_PIN;
static uint8_t before[REGION];

static int setup(void **state)
{
    (void)state;
    return nvt_test_token_setup(SLOT + 1);
}

static int teardown(void **state)
{
    (void)state;
    (void)C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return 0;
}

static nvt_flash_ram_t *region(void)
{
    return nvt_test_token_flash(SLOT);
}

/* C_Initialize; on a target without a TRNG whose region under test has no
 * NV seed yet, the factory's step: write one, start again. */
static CK_RV start(int provision)
{
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv == CKR_FUNCTION_FAILED && SLOT == 0 && !NVT_CONFIG_CRYPTO_TRNG && provision) {
        /* the failed start formatted the region and left its store mounted */
        static const uint8_t seed[NVT_TOKEN_NV_SEED_SIZE] = { 1, 2, 3 };
        assert_int_equal(nvt_token_provision_nv_seed(nvt_test_token_store(0), seed, sizeof(seed)), NVT_OK);
        rv = C_Initialize(NULL_PTR);
    }
    return rv;
}

static void erase_region(void)
{
    for (uint32_t s = 0; s < NVT_TEST_SECTORS; s++) {
        assert_int_equal(nvt_flash_erase(&region()->flash, s), NVT_OK);
    }
}

/* Slot 1 has no token, its description says \p why, and neither starting
 * the library nor C_InitToken (with any PIN) touched the region. */
static void assert_left_alone(const char *why)
{
    memcpy(before, region()->bytes, REGION);
    nvt_flash_ram_reset_counters(region());
    CK_RV rv = start(0);
    if (rv == CKR_FUNCTION_FAILED && SLOT == 0 && !NVT_CONFIG_CRYPTO_TRNG) {
        /* no NV seed: the device does not start, and wrote nothing */
        assert_int_equal(region()->counters.ops, 0);
        assert_memory_equal(region()->bytes, before, REGION);
        return;
    }
    assert_int_equal(rv, CKR_OK);
    CK_SLOT_INFO si;
    assert_int_equal(C_GetSlotInfo(SLOT, &si), CKR_OK);
    assert_int_equal(si.flags & CKF_TOKEN_PRESENT, 0);
    char desc[65];
    memcpy(desc, si.slotDescription, 64);
    desc[64] = '\0';
    char want[65] = "nvtoken slot 0: ";
    want[13] = (char)('0' + SLOT);
    strncat(want, why, sizeof(want) - strlen(want) - 1);
    assert_memory_equal(desc, want, strlen(want));
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(SLOT, &ti), CKR_TOKEN_NOT_PRESENT);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "evil");
    assert_int_equal(C_InitToken(SLOT, so_pin, sizeof(so_pin) - 1, label), CKR_TOKEN_NOT_PRESENT);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(SLOT, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s),
                     CKR_TOKEN_NOT_PRESENT);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(region()->counters.ops, 0);
    assert_memory_equal(region()->bytes, before, REGION);
}

static void a_blank_region_becomes_a_new_token(void **state)
{
    (void)state;
    erase_region();
    assert_int_equal(start(1), CKR_OK);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(SLOT, &ti), CKR_OK);
    assert_int_equal(ti.flags & CKF_TOKEN_INITIALIZED, 0);
    CK_SLOT_INFO si;
    assert_int_equal(C_GetSlotInfo(SLOT, &si), CKR_OK);
    char want[] = "nvtoken slot 0   ";
    want[13] = (char)('0' + SLOT);
    assert_memory_equal(si.slotDescription, want, sizeof(want) - 1);
    assert_int_equal(nvt_test_token_init(SLOT), CKR_OK);
}

/* A power cut at any flash operation of that first format: the next start
 * formats again, and the token is there. */
static void a_format_cut_short_is_formatted_again(void **state)
{
    (void)state;
    for (uint32_t cut = 1;; cut++) {
        erase_region();
        nvt_flash_ram_cut_at(region(), cut, NVT_FLASH_RAM_CUT_TORN);
        (void)start(0); /* the cut leaves no token, or (no TRNG) no start */
        int fired = nvt_flash_ram_power_lost(region());
        (void)C_Finalize(NULL_PTR);
        nvt_flash_ram_cut_at(region(), 0, NVT_FLASH_RAM_CUT_DONE);
        nvt_flash_ram_power_on(region());
        assert_int_equal(start(1), CKR_OK);
        CK_TOKEN_INFO ti;
        assert_int_equal(C_GetTokenInfo(SLOT, &ti), CKR_OK);
        assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
        if (!fired) {
            assert_true(cut > 1);
            break;
        }
    }
}

/* Foreign data: a few programmed bytes anywhere but the erase blocks. */
static void a_region_with_foreign_data_is_left_alone(void **state)
{
    (void)state;
    static const uint32_t at[] = { 16, NVT_TEST_SECTOR_SIZE - 8, 5 * NVT_TEST_SECTOR_SIZE + 1024, REGION - 8 };
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
        erase_region();
        static const uint8_t junk[8] = { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 };
        assert_int_equal(nvt_flash_program(&region()->flash, at[i], junk, sizeof(junk)), NVT_OK);
        assert_left_alone("no nvtoken store, not blank: left as it is");
    }
}

/* The region holds a store of another geometry, with an object in it. */
static void a_store_of_another_geometry_is_left_alone(void **state)
{
    (void)state;
    static const uint32_t other[][3] = {
        { NVT_TEST_SECTOR_SIZE * 2, NVT_TEST_SECTORS / 2, NVT_TEST_PROG_UNIT },
        { NVT_TEST_SECTOR_SIZE / 2, NVT_TEST_SECTORS * 2, NVT_TEST_PROG_UNIT },
        { NVT_TEST_SECTOR_SIZE, NVT_TEST_SECTORS, NVT_TEST_PROG_UNIT * 2 },
        { NVT_TEST_SECTOR_SIZE, NVT_TEST_SECTORS / 2, NVT_TEST_PROG_UNIT }, /* half the region */
    };
    static nvt_store_entry_t idx[16];
    static nvt_store_sector_t sec[NVT_TEST_SECTORS * 2];
    static uint8_t scratch[256];
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        erase_region();
        nvt_flash_t view = region()->flash;
        view.geo = (nvt_flash_geometry_t){ other[i][0], other[i][1], other[i][2] };
        nvt_store_config_t cfg = { &view, idx, sizeof(idx), sec, sizeof(sec), scratch, sizeof(scratch) };
        nvt_store_t st;
        assert_int_equal(nvt_store_format(&st, &cfg), NVT_OK);
        assert_int_equal(nvt_store_put(&st, 0x10, "a certificate", 13, 0), NVT_OK);
        assert_left_alone("store of another geometry: left as it is");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_blank_region_becomes_a_new_token, setup, teardown),
        cmocka_unit_test_setup_teardown(a_format_cut_short_is_formatted_again, setup, teardown),
        cmocka_unit_test_setup_teardown(a_region_with_foreign_data_is_left_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(a_store_of_another_geometry_is_left_alone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
