/* The NOR emulation over a byte medium (flash_emu.h), on a medium in RAM:
 * the NOR rules, strict refusal, and power cuts (not done, done, torn, the
 * stop hook). The file driver and the QEMU board's driver are this plus
 * their medium. Host and Cortex-M4. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvtoken/flash_emu.h"

#define SECTOR 256u
#define SECTORS 4u
#define SIZE (SECTOR * SECTORS)
#define UNIT 8u

/* The medium: plain bytes, counting the calls that write them. */
typedef struct medium {
    uint8_t bytes[SIZE];
    unsigned writes;
    unsigned syncs;
    unsigned stops;
} medium_t;

static int medium_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    medium_t *m = ctx;
    memcpy(buf, m->bytes + addr, len);
    return NVT_OK;
}

static int medium_write(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    medium_t *m = ctx;
    memcpy(m->bytes + addr, buf, len);
    m->writes++;
    return NVT_OK;
}

static int medium_sync(void *ctx)
{
    ((medium_t *)ctx)->syncs++;
    return NVT_OK;
}

static const nvt_flash_emu_io_t io = { medium_read, medium_write, medium_sync };
static const nvt_flash_geometry_t geo = { SECTOR, SECTORS, UNIT };

static medium_t m;
static nvt_flash_t flash;
static nvt_flash_emu_t emu;

static void setup_region(unsigned flags)
{
    memset(&m, 0x5a, sizeof(m.bytes)); /* a medium with junk on it */
    m.writes = m.syncs = m.stops = 0;
    assert_int_equal(nvt_flash_emu_init(&flash, &emu, &geo, &io, &m, flags), NVT_OK);
    assert_int_equal(nvt_flash_emu_blank(&emu), NVT_OK);
}

static void init_checks_its_arguments(void **state)
{
    (void)state;
    nvt_flash_emu_io_t no_write = { medium_read, NULL, NULL };
    nvt_flash_geometry_t bad = { 100, 4, 8 };
    assert_int_equal(nvt_flash_emu_init(NULL, &emu, &geo, &io, &m, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_emu_init(&flash, NULL, &geo, &io, &m, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_emu_init(&flash, &emu, &bad, &io, &m, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_emu_init(&flash, &emu, &geo, NULL, &m, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_emu_init(&flash, &emu, &geo, &no_write, &m, 0), NVT_E_INVALID);
}

static void nor_rules(void **state)
{
    (void)state;
    setup_region(0);
    uint8_t out[SIZE];
    assert_int_equal(nvt_flash_read(&flash, 0, out, SIZE), NVT_OK);
    for (size_t i = 0; i < SIZE; i++) {
        assert_int_equal(out[i], 0xFF);
    }
    /* Program clears bits only: the result is old AND new. */
    uint8_t a[16] = { 0xF0, 0x0F, 0x33, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    uint8_t b[16] = { 0x3C, 0xFF, 0x0F, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0 };
    assert_int_equal(nvt_flash_program(&flash, SECTOR + 8, a, 16), NVT_OK);
    assert_int_equal(nvt_flash_program(&flash, SECTOR + 8, b, 16), NVT_OK);
    assert_int_equal(nvt_flash_read(&flash, SECTOR + 8, out, 16), NVT_OK);
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(out[i], a[i] & b[i]);
    }
    /* Alignment and bounds are the interface's checks. */
    assert_int_equal(nvt_flash_program(&flash, 4, a, 8), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(&flash, 8, a, 12), NVT_E_INVALID);
    assert_int_equal(nvt_flash_erase(&flash, SECTORS), NVT_E_INVALID);
    /* Erase sets exactly one sector to 0xFF. */
    assert_int_equal(nvt_flash_program(&flash, 2 * SECTOR, a, 16), NVT_OK);
    assert_int_equal(nvt_flash_erase(&flash, 1), NVT_OK);
    assert_int_equal(nvt_flash_read(&flash, SECTOR, out, SECTOR), NVT_OK);
    for (size_t i = 0; i < SECTOR; i++) {
        assert_int_equal(out[i], 0xFF);
    }
    assert_memory_equal(m.bytes + 2 * SECTOR, a, 16);
    assert_int_equal(nvt_flash_sync(&flash), NVT_OK);
    assert_int_equal(m.syncs, 1);
    /* Programs and erases are what the cut counter counts. */
    assert_int_equal(emu.ops, 4);
}

/* Strict: a request over any unit that is not erased changes nothing. */
static void strict_refuses_programmed_units(void **state)
{
    (void)state;
    setup_region(NVT_FLASH_EMU_STRICT);
    uint8_t a[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    uint8_t big[SECTOR];
    memset(big, 0, sizeof(big));
    assert_int_equal(nvt_flash_program(&flash, 16, a, 8), NVT_OK);
    unsigned writes = m.writes;
    uint8_t before[SIZE];
    memcpy(before, m.bytes, SIZE);
    assert_int_equal(nvt_flash_program(&flash, 16, a, 8), NVT_E_PROGRAMMED);
    assert_int_equal(nvt_flash_program(&flash, 0, big, SECTOR), NVT_E_PROGRAMMED); /* unit 2 of 32 */
    assert_memory_equal(m.bytes, before, SIZE);
    assert_int_equal(m.writes, writes);
    assert_int_equal(nvt_flash_program(&flash, 24, a, 8), NVT_OK);
    /* Without strict, the same program is accepted (and ANDs). */
    setup_region(0);
    assert_int_equal(nvt_flash_program(&flash, 16, a, 8), NVT_OK);
    assert_int_equal(nvt_flash_program(&flash, 16, a, 8), NVT_OK);
}

/* Every later operation fails after a cut, until power on. */
static void assert_dead(void)
{
    uint8_t out[8], a[8] = { 0 };
    assert_true(nvt_flash_emu_power_lost(&emu));
    assert_int_equal(nvt_flash_read(&flash, 0, out, 8), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_program(&flash, 0, a, 8), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_erase(&flash, 0), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_sync(&flash), NVT_E_POWER_LOST);
    nvt_flash_emu_power_on(&emu);
    assert_false(nvt_flash_emu_power_lost(&emu));
    assert_int_equal(nvt_flash_read(&flash, 0, out, 8), NVT_OK);
}

static void cut_not_done_and_done(void **state)
{
    (void)state;
    uint8_t data[64];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 37);
    }
    setup_region(0);
    nvt_flash_emu_cut_at(&emu, 2, NVT_FLASH_CUT_NOT_DONE, 1);
    assert_int_equal(nvt_flash_program(&flash, 0, data, 64), NVT_OK); /* operation 1 */
    assert_int_equal(nvt_flash_program(&flash, SECTOR, data, 64), NVT_E_POWER_LOST);
    for (size_t i = 0; i < 64; i++) {
        assert_int_equal(m.bytes[SECTOR + i], 0xFF);
    }
    assert_dead();
    nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_NOT_DONE, 1);
    assert_int_equal(nvt_flash_erase(&flash, 0), NVT_E_POWER_LOST);
    assert_memory_equal(m.bytes, data, 64);
    assert_dead();

    nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_DONE, 1);
    assert_int_equal(nvt_flash_program(&flash, SECTOR, data, 64), NVT_E_POWER_LOST);
    assert_memory_equal(m.bytes + SECTOR, data, 64);
    assert_dead();
    nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_DONE, 1);
    assert_int_equal(nvt_flash_erase(&flash, 1), NVT_E_POWER_LOST);
    assert_int_equal(m.bytes[SECTOR], 0xFF);
    assert_dead();
    /* Disarmed: 0, and by power on. */
    nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_DONE, 1);
    nvt_flash_emu_cut_at(&emu, 0, NVT_FLASH_CUT_DONE, 1);
    assert_int_equal(nvt_flash_erase(&flash, 1), NVT_OK);
}

/* A torn program: units before k programmed, unit k with only some of the
 * bits it meant to clear cleared (never another bit; possibly none, or all
 * of them), units after it untouched. Over many seeds every k and both
 * extremes of unit k occur. */
static void cut_torn_program(void **state)
{
    (void)state;
    enum { UNITS = 8 };
    uint8_t data[UNITS * UNIT];
    unsigned seen_k[UNITS + 1] = { 0 };
    unsigned unit_untouched = 0, unit_partial = 0;
    for (uint64_t seed = 1; seed <= 400; seed++) {
        setup_region(0);
        for (size_t i = 0; i < sizeof(data); i++) {
            data[i] = (uint8_t)(seed * 13 + i * 7) & 0x7E; /* every byte clears bits */
        }
        nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_TORN, seed);
        assert_int_equal(nvt_flash_program(&flash, SECTOR, data, sizeof(data)), NVT_E_POWER_LOST);
        const uint8_t *r = m.bytes + SECTOR;
        unsigned k = 0;
        while (k < UNITS && memcmp(r + k * UNIT, data + k * UNIT, UNIT) == 0) {
            k++;
        }
        seen_k[k]++;
        if (k == UNITS) { /* the last unit torn with every bit solid */
            assert_dead();
            continue;
        }
        int untouched = 1;
        for (unsigned i = 0; i < UNIT; i++) {
            uint8_t b = r[k * UNIT + i];
            assert_int_equal(b & data[k * UNIT + i], data[k * UNIT + i]); /* only bits data clears */
            untouched &= b == 0xFF;
        }
        unit_untouched += (unsigned)untouched;
        unit_partial += (unsigned)!untouched;
        for (unsigned i = (k + 1) * UNIT; i < sizeof(data); i++) {
            assert_int_equal(r[i], 0xFF);
        }
        assert_dead();
    }
    for (unsigned k = 0; k < UNITS; k++) {
        assert_true(seen_k[k] > 0);
    }
    assert_true(unit_untouched > 0); /* the erased-looking torn unit */
    assert_true(unit_partial > 0);
}

static void cut_torn_erase(void **state)
{
    (void)state;
    unsigned some_erased = 0, some_kept = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        setup_region(0);
        uint8_t zero[SECTOR];
        memset(zero, 0, sizeof(zero));
        assert_int_equal(nvt_flash_program(&flash, 2 * SECTOR, zero, SECTOR), NVT_OK);
        nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_TORN, seed);
        assert_int_equal(nvt_flash_erase(&flash, 2), NVT_E_POWER_LOST);
        unsigned ff = 0, kept = 0;
        for (size_t i = 0; i < SECTOR; i++) {
            ff += m.bytes[2 * SECTOR + i] == 0xFF;
            kept += m.bytes[2 * SECTOR + i] == 0;
        }
        some_erased += ff > 0;
        some_kept += kept > 0;
        for (size_t i = 0; i < SECTOR; i++) { /* other sectors untouched */
            assert_int_equal(m.bytes[i], 0xFF);
            assert_int_equal(m.bytes[3 * SECTOR + i], 0xFF);
        }
        assert_dead();
    }
    assert_true(some_erased > 0);
    assert_true(some_kept > 0);
}

/* The stop hook (the board stopping dead) runs once the cut's damage is on
 * the medium; here it returns, and the cut goes on as without it. */
static void count_stop(void *ctx)
{
    medium_t *mm = ctx;
    mm->stops++;
    /* The damage is already on the medium when the board stops. */
    assert_int_equal(mm->bytes[0], 0);
}

static void stop_hook_sees_the_medium_as_left(void **state)
{
    (void)state;
    setup_region(0);
    emu.stop = count_stop;
    uint8_t data[16] = { 0 };
    assert_int_equal(nvt_flash_program(&flash, 0, data, 16), NVT_OK);
    assert_int_equal(m.stops, 0);
    assert_int_equal(nvt_flash_erase(&flash, 1), NVT_OK);
    nvt_flash_emu_cut_at(&emu, 1, NVT_FLASH_CUT_DONE, 3);
    assert_int_equal(nvt_flash_program(&flash, SECTOR, data, 16), NVT_E_POWER_LOST);
    assert_int_equal(m.stops, 1);
    assert_dead();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_checks_its_arguments),
        cmocka_unit_test(nor_rules),
        cmocka_unit_test(strict_refuses_programmed_units),
        cmocka_unit_test(cut_not_done_and_done),
        cmocka_unit_test(cut_torn_program),
        cmocka_unit_test(cut_torn_erase),
        cmocka_unit_test(stop_hook_sees_the_medium_as_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
