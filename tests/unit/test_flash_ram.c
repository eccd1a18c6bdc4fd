/* The flash interface's checks and the `ram` NOR simulator: every rule of
 * flash.h and flash_ram.h (erase, AND-programming, alignment, bounds,
 * strict mode, counters, power cuts in the three modes, unstable reads). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvtoken/flash_ram.h"

#define SECTOR 256u
#define SECTORS 4u
#define UNIT 8u
#define SIZE (SECTOR * SECTORS)

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(SECTOR, SECTORS, 1) / 4 + 1];
static nvt_flash_ram_t ram;
static const nvt_flash_t *fl;

static void setup_unit(uint32_t unit, unsigned flags, uint64_t seed)
{
    nvt_flash_geometry_t geo = {SECTOR, SECTORS, unit};
    assert_int_equal(nvt_flash_ram_init(&ram, &geo, mem, sizeof(mem), flags, seed), NVT_OK);
    fl = &ram.flash;
}

static void setup(unsigned flags)
{
    setup_unit(UNIT, flags, 1);
}

static void geometry_limits(void **state)
{
    (void)state;
    static const nvt_flash_geometry_t good[] = {
        {256, 2, 1}, {256u * 1024u, 2, 32}, {4096, 4, 8}, {512, 64, 2}, {1024, 3, 4}, {2048, 8, 16},
    };
    static const nvt_flash_geometry_t bad[] = {
        {128, 4, 8},  {384, 4, 8},  {512u * 1024u, 2, 8}, {4096, 1, 8}, {4096, 0, 8},
        {4096, 4, 0}, {4096, 4, 3}, {4096, 4, 64},        {0, 4, 8},    {65536, 70000, 8},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        assert_int_equal(nvt_flash_geometry_check(&good[i]), NVT_OK);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(nvt_flash_geometry_check(&bad[i]), NVT_E_INVALID);
    }
    assert_int_equal(nvt_flash_geometry_check(NULL), NVT_E_INVALID);
}

static void init_rejects_bad_arguments(void **state)
{
    (void)state;
    nvt_flash_geometry_t geo = {SECTOR, SECTORS, UNIT};
    nvt_flash_geometry_t bad = {SECTOR, 1, UNIT};
    size_t need = NVT_FLASH_RAM_MEM_BYTES(SECTOR, SECTORS, UNIT);
    assert_int_equal(nvt_flash_ram_init(NULL, &geo, mem, sizeof(mem), 0, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, NULL, mem, sizeof(mem), 0, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, &bad, mem, sizeof(mem), 0, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, &geo, NULL, sizeof(mem), 0, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, &geo, mem, need - 1, 0, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, &geo, (uint8_t *)mem + 1, need, 0, 1),
                     NVT_E_INVALID);
    assert_int_equal(nvt_flash_ram_init(&ram, &geo, mem, need, 0, 1), NVT_OK);
}

static void fresh_region_is_erased(void **state)
{
    (void)state;
    setup(0);
    uint8_t buf[SIZE];
    assert_int_equal(nvt_flash_size(fl), SIZE);
    assert_int_equal(nvt_flash_read(fl, 0, buf, sizeof(buf)), NVT_OK);
    for (size_t i = 0; i < sizeof(buf); i++) {
        assert_int_equal(buf[i], 0xFF);
    }
    for (uint32_t s = 0; s < SECTORS; s++) {
        assert_int_equal(ram.erases[s], 0);
    }
    assert_int_equal(ram.counters.bytes_read, SIZE);
    assert_int_equal(nvt_flash_sync(fl), NVT_OK);
}

static void program_clears_bits_only(void **state)
{
    (void)state;
    setup(0);
    uint8_t a[UNIT], b[UNIT], out[UNIT];
    memset(a, 0xF0, sizeof(a));
    memset(b, 0x3C, sizeof(b));
    assert_int_equal(nvt_flash_program(fl, 16, a, UNIT), NVT_OK);
    assert_int_equal(ram.units[2], NVT_FLASH_RAM_PROGRAMMED);
    assert_int_equal(ram.counters.programmed_twice, 0);
    assert_int_equal(nvt_flash_program(fl, 16, b, UNIT), NVT_OK);
    assert_int_equal(ram.counters.programmed_twice, 1);
    assert_int_equal(nvt_flash_read(fl, 16, out, UNIT), NVT_OK);
    for (size_t i = 0; i < UNIT; i++) {
        assert_int_equal(out[i], 0x30);
    }
    /* Neighbours untouched. */
    assert_int_equal(ram.bytes[15], 0xFF);
    assert_int_equal(ram.bytes[24], 0xFF);
    assert_int_equal(ram.units[1], NVT_FLASH_RAM_ERASED);
    assert_int_equal(ram.counters.program_ops, 2);
    assert_int_equal(ram.counters.bytes_programmed, 2 * UNIT);
}

static void requests_are_checked(void **state)
{
    (void)state;
    setup(0);
    uint8_t buf[2 * UNIT];
    memset(buf, 0, sizeof(buf));
    /* Misaligned address or length. */
    assert_int_equal(nvt_flash_program(fl, 4, buf, UNIT), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(fl, 8, buf, 12), NVT_E_INVALID);
    /* Out of the region, including overflow. */
    assert_int_equal(nvt_flash_program(fl, SIZE - UNIT, buf, 2 * UNIT), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(fl, SIZE, buf, UNIT), NVT_E_INVALID);
    assert_int_equal(nvt_flash_read(fl, SIZE - 1, buf, 2), NVT_E_INVALID);
    assert_int_equal(nvt_flash_read(fl, UINT32_MAX, buf, 2), NVT_E_INVALID);
    assert_int_equal(nvt_flash_erase(fl, SECTORS), NVT_E_INVALID);
    /* NULL buffers with bytes, NULL region. */
    assert_int_equal(nvt_flash_read(fl, 0, NULL, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(fl, 0, NULL, UNIT), NVT_E_INVALID);
    assert_int_equal(nvt_flash_read(NULL, 0, buf, 1), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(NULL, 0, buf, UNIT), NVT_E_INVALID);
    assert_int_equal(nvt_flash_erase(NULL, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_sync(NULL), NVT_E_INVALID);
    assert_int_equal(nvt_flash_size(NULL), 0);
    /* Empty requests do nothing, anywhere in range. */
    assert_int_equal(nvt_flash_read(fl, SIZE, NULL, 0), NVT_OK);
    assert_int_equal(nvt_flash_program(fl, 8, NULL, 0), NVT_OK);
    /* Nothing of the above reached the flash. */
    assert_int_equal(ram.counters.ops, 0);
    for (uint32_t i = 0; i < SIZE; i++) {
        assert_int_equal(ram.bytes[i], 0xFF);
    }
    /* A read has no alignment rule. */
    assert_int_equal(nvt_flash_read(fl, 3, buf, 5), NVT_OK);
}

static void strict_mode_refuses_second_program(void **state)
{
    (void)state;
    setup(NVT_FLASH_RAM_STRICT);
    uint8_t a[3 * UNIT], out[3 * UNIT];
    memset(a, 0x55, sizeof(a));
    assert_int_equal(nvt_flash_program(fl, 2 * UNIT, a, UNIT), NVT_OK);
    /* A request overlapping the programmed unit is refused as a whole. */
    memset(a, 0x00, sizeof(a));
    assert_int_equal(nvt_flash_program(fl, UNIT, a, 3 * UNIT), NVT_E_PROGRAMMED);
    assert_int_equal(nvt_flash_read(fl, UNIT, out, sizeof(out)), NVT_OK);
    for (size_t i = 0; i < UNIT; i++) {
        assert_int_equal(out[i], 0xFF);
        assert_int_equal(out[UNIT + i], 0x55);
        assert_int_equal(out[2 * UNIT + i], 0xFF);
    }
    assert_int_equal(ram.counters.programmed_twice, 0);
    assert_int_equal(ram.counters.refused, 1);
    assert_int_equal(ram.counters.program_ops, 1);
    /* After an erase the unit can be programmed again. */
    assert_int_equal(nvt_flash_erase(fl, 0), NVT_OK);
    assert_int_equal(nvt_flash_program(fl, UNIT, a, 3 * UNIT), NVT_OK);
}

static void erase_resets_a_sector(void **state)
{
    (void)state;
    setup(0);
    uint8_t zero[SECTOR];
    memset(zero, 0, sizeof(zero));
    assert_int_equal(nvt_flash_program(fl, 0, zero, SECTOR), NVT_OK);
    assert_int_equal(nvt_flash_program(fl, SECTOR, zero, SECTOR), NVT_OK);
    assert_int_equal(nvt_flash_erase(fl, 1), NVT_OK);
    assert_int_equal(nvt_flash_erase(fl, 1), NVT_OK);
    for (uint32_t i = 0; i < SECTOR; i++) {
        assert_int_equal(ram.bytes[i], 0x00);
        assert_int_equal(ram.bytes[SECTOR + i], 0xFF);
    }
    for (uint32_t u = 0; u < SECTOR / UNIT; u++) {
        assert_int_equal(ram.units[u], NVT_FLASH_RAM_PROGRAMMED);
        assert_int_equal(ram.units[SECTOR / UNIT + u], NVT_FLASH_RAM_ERASED);
    }
    assert_int_equal(ram.erases[0], 0);
    assert_int_equal(ram.erases[1], 2);
    assert_int_equal(ram.counters.erase_ops, 2);
    nvt_flash_ram_reset_counters(&ram);
    assert_int_equal(ram.erases[1], 0);
    assert_int_equal(ram.counters.erase_ops, 0);
    assert_int_equal(ram.counters.ops, 0);
    assert_int_equal(ram.counters.bytes_programmed, 0);
}

static void cut_not_done_changes_nothing(void **state)
{
    (void)state;
    setup(0);
    uint8_t a[UNIT], out[UNIT];
    memset(a, 0x12, sizeof(a));
    nvt_flash_ram_cut_at(&ram, 2, NVT_FLASH_RAM_CUT_NOT_DONE);
    /* Reads do not count towards the cut. */
    assert_int_equal(nvt_flash_read(fl, 0, out, UNIT), NVT_OK);
    assert_int_equal(nvt_flash_program(fl, 0, a, UNIT), NVT_OK);
    assert_int_equal(nvt_flash_read(fl, 0, out, UNIT), NVT_OK);
    assert_int_equal(nvt_flash_program(fl, UNIT, a, UNIT), NVT_E_POWER_LOST);
    assert_true(nvt_flash_ram_power_lost(&ram));
    /* Everything fails until power comes back. */
    assert_int_equal(nvt_flash_read(fl, 0, out, UNIT), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_program(fl, 2 * UNIT, a, UNIT), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_erase(fl, 0), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ram);
    assert_false(nvt_flash_ram_power_lost(&ram));
    assert_int_equal(ram.bytes[0], 0x12);
    assert_int_equal(ram.bytes[UNIT], 0xFF);
    assert_int_equal(ram.units[1], NVT_FLASH_RAM_ERASED);
    assert_int_equal(ram.counters.ops, 2);
    assert_int_equal(ram.counters.program_ops, 1);
    /* An erase cut NOT_DONE leaves the sector alone. */
    nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_NOT_DONE);
    assert_int_equal(nvt_flash_erase(fl, 0), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ram);
    assert_int_equal(ram.bytes[0], 0x12);
    assert_int_equal(ram.erases[0], 0);
}

static void cut_done_completes(void **state)
{
    (void)state;
    setup(0);
    uint8_t a[UNIT];
    memset(a, 0x34, sizeof(a));
    nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_DONE);
    assert_int_equal(nvt_flash_program(fl, 0, a, UNIT), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ram);
    assert_int_equal(ram.bytes[0], 0x34);
    assert_int_equal(ram.units[0], NVT_FLASH_RAM_PROGRAMMED);
    nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_DONE);
    assert_int_equal(nvt_flash_erase(fl, 0), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ram);
    assert_int_equal(ram.bytes[0], 0xFF);
    assert_int_equal(ram.erases[0], 1);
    /* Power on disarms any cut. */
    nvt_flash_ram_cut_at(&ram, 3, NVT_FLASH_RAM_CUT_NOT_DONE);
    nvt_flash_ram_power_on(&ram);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(nvt_flash_erase(fl, 1), NVT_OK);
    }
}

/* A torn program of 4 units over erased flash, for many seeds: a prefix
 * programmed, one unit torn with a subset of the intended bits cleared,
 * the rest untouched. All outcomes of the torn unit occur. */
static void cut_torn_program(void **state)
{
    (void)state;
    int seen_empty = 0, seen_full = 0, seen_partial = 0;
    int seen_prefix[4] = {0};
    for (uint64_t seed = 1; seed <= 400; seed++) {
        setup_unit(UNIT, 0, seed);
        uint8_t data[4 * UNIT];
        for (size_t i = 0; i < sizeof(data); i++) {
            data[i] = (uint8_t)(0x5A ^ (i * 37u));
        }
        nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_TORN);
        assert_int_equal(nvt_flash_program(fl, UNIT, data, sizeof(data)), NVT_E_POWER_LOST);
        nvt_flash_ram_power_on(&ram);
        int k = -1;
        for (int u = 0; u < 4; u++) {
            uint8_t st = ram.units[1 + u];
            const uint8_t *b = ram.bytes + UNIT * (1 + u);
            if (st == NVT_FLASH_RAM_PROGRAMMED) {
                assert_int_equal(k, -1);
                assert_memory_equal(b, data + u * UNIT, UNIT);
            } else if (st == NVT_FLASH_RAM_TORN) {
                assert_int_equal(k, -1);
                k = u;
                int zeros = 0, all = 1;
                for (size_t i = 0; i < UNIT; i++) {
                    /* Only bits the program meant to clear may be clear. */
                    assert_int_equal(b[i] & data[u * UNIT + i], data[u * UNIT + i]);
                    assert_int_equal(ram.weak[UNIT * (1 + u) + i] & data[u * UNIT + i], 0);
                    zeros |= b[i] != 0xFF;
                    all &= b[i] == data[u * UNIT + i];
                }
                seen_empty |= !zeros;
                seen_full |= all;
                seen_partial |= zeros && !all;
            } else {
                assert_int_equal(st, NVT_FLASH_RAM_ERASED);
                assert_int_not_equal(k, -1);
                for (size_t i = 0; i < UNIT; i++) {
                    assert_int_equal(ram.bytes[UNIT * (1 + u) + i], 0xFF);
                }
            }
        }
        assert_int_not_equal(k, -1);
        seen_prefix[k] = 1;
        assert_int_equal(ram.bytes[0], 0xFF);
        assert_int_equal(ram.bytes[5 * UNIT], 0xFF);
    }
    assert_true(seen_empty && seen_full && seen_partial);
    assert_true(seen_prefix[0] && seen_prefix[1] && seen_prefix[2] && seen_prefix[3]);
}

static void cut_torn_erase(void **state)
{
    (void)state;
    int seen_erased = 0, seen_kept = 0, seen_other = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        setup_unit(UNIT, 0, seed);
        uint8_t data[SECTOR];
        for (size_t i = 0; i < sizeof(data); i++) {
            data[i] = (uint8_t)(i * 7u);
        }
        assert_int_equal(nvt_flash_program(fl, SECTOR, data, SECTOR), NVT_OK);
        nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_TORN);
        assert_int_equal(nvt_flash_erase(fl, 1), NVT_E_POWER_LOST);
        nvt_flash_ram_power_on(&ram);
        assert_int_equal(ram.erases[1], 1);
        for (uint32_t i = 0; i < SECTOR; i++) {
            uint8_t b = ram.bytes[SECTOR + i];
            seen_erased |= b == 0xFF && data[i] != 0xFF;
            seen_kept |= b == data[i] && data[i] != 0xFF;
            seen_other |= b != 0xFF && b != data[i];
        }
        for (uint32_t u = 0; u < SECTOR / UNIT; u++) {
            int blank = 1;
            for (uint32_t i = 0; i < UNIT; i++) {
                blank &= ram.bytes[SECTOR + u * UNIT + i] == 0xFF;
            }
            assert_int_equal(ram.units[SECTOR / UNIT + u],
                             blank ? NVT_FLASH_RAM_ERASED : NVT_FLASH_RAM_PROGRAMMED);
        }
        /* Other sectors untouched. */
        assert_int_equal(ram.bytes[0], 0xFF);
        assert_int_equal(ram.bytes[2 * SECTOR], 0xFF);
    }
    assert_true(seen_erased && seen_kept && seen_other);
}

/* Find a seed whose torn unit has uncertain bits, leave it torn. */
static uint32_t make_weak_unit(unsigned flags, uint8_t *data)
{
    for (uint64_t seed = 1;; seed++) {
        setup_unit(UNIT, flags, seed);
        memset(data, 0x00, UNIT);
        nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_TORN);
        assert_int_equal(nvt_flash_program(fl, 0, data, UNIT), NVT_E_POWER_LOST);
        nvt_flash_ram_power_on(&ram);
        int weak = 0;
        for (size_t i = 0; i < UNIT; i++) {
            weak += ram.weak[i] != 0;
        }
        if (weak >= 4) {
            return (uint32_t)seed;
        }
    }
}

static void unstable_reads_vary(void **state)
{
    (void)state;
    uint8_t data[UNIT], first[UNIT], again[UNIT];
    make_weak_unit(NVT_FLASH_RAM_UNSTABLE, data);
    assert_int_equal(ram.units[0], NVT_FLASH_RAM_TORN);
    assert_int_equal(nvt_flash_read(fl, 0, first, UNIT), NVT_OK);
    int differs = 0;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(nvt_flash_read(fl, 0, again, UNIT), NVT_OK);
        differs |= memcmp(first, again, UNIT) != 0;
        for (size_t j = 0; j < UNIT; j++) {
            /* Solid bits stay clear. */
            assert_int_equal(again[j] & ~ram.weak[j] & 0xFF, ram.bytes[j] & ~ram.weak[j] & 0xFF);
        }
    }
    assert_true(differs);
    /* Programming it again settles it. */
    assert_int_equal(nvt_flash_program(fl, 0, data, UNIT), NVT_OK);
    assert_int_equal(ram.units[0], NVT_FLASH_RAM_PROGRAMMED);
    assert_int_equal(ram.counters.programmed_twice, 1);
    assert_int_equal(nvt_flash_read(fl, 0, first, UNIT), NVT_OK);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(nvt_flash_read(fl, 0, again, UNIT), NVT_OK);
        assert_memory_equal(first, again, UNIT);
    }
    assert_memory_equal(first, data, UNIT);
}

static void stable_torn_reads_constant(void **state)
{
    (void)state;
    uint8_t data[UNIT], first[UNIT], again[UNIT];
    make_weak_unit(0, data);
    assert_int_equal(nvt_flash_read(fl, 0, first, UNIT), NVT_OK);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(nvt_flash_read(fl, 0, again, UNIT), NVT_OK);
        assert_memory_equal(first, again, UNIT);
    }
    /* Strict flash refuses to program a torn unit. */
    nvt_flash_ram_set_flags(&ram, NVT_FLASH_RAM_STRICT);
    assert_int_equal(nvt_flash_program(fl, 0, data, UNIT), NVT_E_PROGRAMMED);
    assert_int_equal(ram.units[0], NVT_FLASH_RAM_TORN);
}

static void strict_cut_over_programmed_unit_does_nothing(void **state)
{
    (void)state;
    setup(NVT_FLASH_RAM_STRICT);
    uint8_t a[2 * UNIT];
    memset(a, 0x0F, sizeof(a));
    assert_int_equal(nvt_flash_program(fl, UNIT, a, UNIT), NVT_OK);
    nvt_flash_ram_cut_at(&ram, 1, NVT_FLASH_RAM_CUT_TORN);
    memset(a, 0, sizeof(a));
    assert_int_equal(nvt_flash_program(fl, 0, a, 2 * UNIT), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ram);
    assert_int_equal(ram.bytes[0], 0xFF);
    assert_int_equal(ram.units[0], NVT_FLASH_RAM_ERASED);
    assert_int_equal(ram.bytes[UNIT], 0x0F);
}

/* Same seed, same outcome: sweeps are reproducible. */
static void cuts_are_reproducible(void **state)
{
    (void)state;
    uint8_t copy[SIZE];
    uint8_t data[SECTOR];
    memset(data, 0x21, sizeof(data));
    for (int round = 0; round < 2; round++) {
        setup_unit(1, NVT_FLASH_RAM_UNSTABLE, 77);
        assert_int_equal(nvt_flash_program(fl, SECTOR, data, SECTOR), NVT_OK);
        nvt_flash_ram_cut_at(&ram, 2, NVT_FLASH_RAM_CUT_TORN);
        assert_int_equal(nvt_flash_program(fl, 0, data, SECTOR), NVT_OK);
        assert_int_equal(nvt_flash_erase(fl, 1), NVT_E_POWER_LOST);
        nvt_flash_ram_power_on(&ram);
        if (round == 0) {
            memcpy(copy, ram.bytes, SIZE);
        } else {
            assert_memory_equal(copy, ram.bytes, SIZE);
        }
    }
}

/* Every program unit size works, with byte-exact alignment rules. */
static void all_units(void **state)
{
    (void)state;
    for (uint32_t unit = 1; unit <= 32; unit *= 2) {
        setup_unit(unit, NVT_FLASH_RAM_STRICT, 3);
        uint8_t buf[64];
        memset(buf, 0xA5, sizeof(buf));
        assert_int_equal(nvt_flash_program(fl, unit, buf, unit), NVT_OK);
        assert_int_equal(nvt_flash_program(fl, unit, buf, unit), NVT_E_PROGRAMMED);
        if (unit > 1) {
            assert_int_equal(nvt_flash_program(fl, unit / 2, buf, unit), NVT_E_INVALID);
            assert_int_equal(nvt_flash_program(fl, 2 * unit, buf, unit / 2), NVT_E_INVALID);
        }
        assert_int_equal(nvt_flash_program(fl, 2 * unit, buf, 2 * unit), NVT_OK);
        assert_int_equal(ram.counters.bytes_programmed, 3 * unit);
    }
}

/* An image loaded: its bytes, and units programmed where it holds any
 * byte other than 0xFF - at every unit size, one non-0xFF byte at each
 * place of a unit. */
static void load_takes_an_images_bytes_and_unit_states(void **state)
{
    (void)state;
    static uint8_t image[SIZE], out[SIZE];
    for (uint32_t unit = 1; unit <= 32; unit *= 2) {
        setup_unit(unit, NVT_FLASH_RAM_STRICT, 4);
        memset(image, 0xFF, sizeof(image));
        const uint32_t marked = unit < SIZE / unit / 2 ? unit : SIZE / unit / 2;
        for (uint32_t u = 0; u < marked; u++) { /* unit 2u + 1 holds one byte, at place u */
            image[(2 * u + 1) * unit + u] = (uint8_t)u;
        }
        assert_int_equal(nvt_flash_ram_load(&ram, image, SIZE - 1), NVT_E_INVALID);
        assert_int_equal(nvt_flash_ram_load(&ram, NULL, SIZE), NVT_E_INVALID);
        assert_int_equal(nvt_flash_ram_load(&ram, image, SIZE), NVT_OK);
        assert_int_equal(nvt_flash_read(fl, 0, out, SIZE), NVT_OK);
        assert_memory_equal(out, image, SIZE);
        for (uint32_t u = 0; u < SIZE / unit; u++) {
            int touched = u % 2 == 1 && u / 2 < marked;
            assert_int_equal(ram.units[u], touched ? NVT_FLASH_RAM_PROGRAMMED : NVT_FLASH_RAM_ERASED);
        }
        /* The NOR rules hold over what was loaded. */
        uint8_t zero[32] = { 0 };
        assert_int_equal(nvt_flash_program(fl, unit, zero, unit), NVT_E_PROGRAMMED);
        assert_int_equal(nvt_flash_program(fl, 0, zero, unit), NVT_OK);
        assert_int_equal(ram.counters.program_ops, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geometry_limits),
        cmocka_unit_test(init_rejects_bad_arguments),
        cmocka_unit_test(fresh_region_is_erased),
        cmocka_unit_test(program_clears_bits_only),
        cmocka_unit_test(requests_are_checked),
        cmocka_unit_test(strict_mode_refuses_second_program),
        cmocka_unit_test(erase_resets_a_sector),
        cmocka_unit_test(cut_not_done_changes_nothing),
        cmocka_unit_test(cut_done_completes),
        cmocka_unit_test(cut_torn_program),
        cmocka_unit_test(cut_torn_erase),
        cmocka_unit_test(unstable_reads_vary),
        cmocka_unit_test(stable_torn_reads_constant),
        cmocka_unit_test(strict_cut_over_programmed_unit_does_nothing),
        cmocka_unit_test(cuts_are_reproducible),
        cmocka_unit_test(all_units),
        cmocka_unit_test(load_takes_an_images_bytes_and_unit_states),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
