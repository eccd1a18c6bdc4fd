/* Every error of the store API: each is distinct and leaves the store (its
 * objects, and for argument errors the flash itself) as it was. */
#include "test_store_util.h"

static uint8_t before[TS_REGION];

static void snapshot(void)
{
    memcpy(before, ts.ram.bytes, 4u * 4096u);
}

static void unchanged(void)
{
    assert_memory_equal(before, ts.ram.bytes, 4u * 4096u);
}

static void bad_arguments(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(1, 1, 100, 0), NVT_OK);
    snapshot();
    nvt_store_t zero;
    memset(&zero, 0, sizeof(zero));
    size_t n;
    unsigned f;
    nvt_store_id_t id;
    nvt_store_stats_t stats;
    nvt_store_fsck_report_t rep;
    uint32_t c;
    uint8_t b[4];
    /* No store, or a store never set up. */
    nvt_store_t *none[2] = {NULL, &zero};
    for (int i = 0; i < 2; i++) {
        nvt_store_t *st = none[i];
        assert_int_equal(nvt_store_put(st, 1, b, 4, 0), NVT_E_INVALID);
        assert_int_equal(nvt_store_get(st, 1, b, 4, &n), NVT_E_INVALID);
        assert_int_equal(nvt_store_read(st, 1, 0, b, 4, &n), NVT_E_INVALID);
        assert_int_equal(nvt_store_size(st, 1, &n, &f), NVT_E_INVALID);
        assert_int_equal(nvt_store_delete(st, 1), NVT_E_INVALID);
        assert_int_equal(nvt_store_next(st, NVT_STORE_ID_NONE, &id), NVT_E_INVALID);
        assert_int_equal(nvt_store_stat(st, &stats), NVT_E_INVALID);
        assert_int_equal(nvt_store_erase_count(st, 0, &c), NVT_E_INVALID);
        assert_int_equal(nvt_store_gc(st), NVT_E_INVALID);
        assert_int_equal(nvt_store_fsck(st, 0, &rep, NULL, NULL), NVT_E_INVALID);
    }
    /* Bad values. */
    assert_int_equal(nvt_store_put(&ts.st, NVT_STORE_ID_NONE, b, 4, 0), NVT_E_INVALID);
    assert_int_equal(nvt_store_put(&ts.st, 2, NULL, 4, 0), NVT_E_INVALID);
    assert_int_equal(nvt_store_put(&ts.st, 2, b, 4, 0x80), NVT_E_INVALID);
    assert_int_equal(nvt_store_read(&ts.st, 1, 0, NULL, 4, &n), NVT_E_INVALID);
    assert_int_equal(nvt_store_read(&ts.st, 1, 0, b, 4, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_next(&ts.st, NVT_STORE_ID_NONE, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_stat(&ts.st, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_erase_count(&ts.st, 0, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_erase_count(&ts.st, 4, &c), NVT_E_INVALID);
    assert_int_equal(nvt_store_fsck(&ts.st, 0, NULL, NULL, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_fsck(&ts.st, 0x10, &rep, NULL, NULL), NVT_E_INVALID);
    unchanged();
    /* NULL data is fine when empty. */
    assert_int_equal(nvt_store_put(&ts.st, 2, NULL, 0, 0), NVT_OK);
    assert_int_equal(nvt_store_size(&ts.st, 2, &n, NULL), NVT_OK);
    assert_int_equal(n, 0);
    ts_check(1, 1, 100);
}

static void bad_configurations(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    nvt_store_t st;
    nvt_store_config_t c = ts.cfg;
    assert_int_equal(nvt_store_mount(&st, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_mount(NULL, &c), NVT_E_INVALID);
    assert_int_equal(nvt_store_format(&st, NULL), NVT_E_INVALID);
    assert_int_equal(nvt_store_format(NULL, &c), NVT_E_INVALID);
    nvt_store_config_t bad;
    /* A refused configuration leaves the store struct as it was. */
    nvt_store_t was;
    memset(&st, 0xA5, sizeof(st));
    was = st;
    bad = c, bad.scratch = NULL;
    assert_int_equal(nvt_store_format(&st, &bad), NVT_E_INVALID);
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    assert_memory_equal(&st, &was, sizeof(st));
    bad = c, bad.flash = NULL;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.index = NULL;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.index_len = sizeof(nvt_store_entry_t) - 1;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.sectors = NULL;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.sectors_len = NVT_STORE_SECTORS_BYTES(4) - 1;
    assert_int_equal(nvt_store_format(&st, &bad), NVT_E_INVALID);
    bad = c, bad.scratch = NULL;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.scratch_len = NVT_STORE_SCRATCH_MIN - 1;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    bad = c, bad.index = (uint8_t *)ts.idx + 2;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_E_INVALID);
    nvt_flash_t badflash = ts.ram.flash;
    badflash.geo.sector_size = 3000;
    bad = c, bad.flash = &badflash;
    assert_int_equal(nvt_store_format(&st, &bad), NVT_E_INVALID);
    /* The smallest buffers work. */
    bad = c, bad.index_len = sizeof(nvt_store_entry_t), bad.scratch_len = NVT_STORE_SCRATCH_MIN;
    assert_int_equal(nvt_store_mount(&st, &bad), NVT_OK);
}

static void not_formatted_version_geometry(void **state)
{
    (void)state;
    nvt_flash_geometry_t geo = {4096, 4, 8};
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(nvt_flash_ram_init(&ts.ram, &geo, ts_mem, sizeof(ts_mem), 0, 1), NVT_OK);
    ts.cfg = (nvt_store_config_t){&ts.ram.flash, ts.idx, sizeof(ts.idx), ts.sec, sizeof(ts.sec),
                                  ts.scratch, sizeof(ts.scratch)};
    /* Blank, then random bytes: no store. */
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_E_NOT_FORMATTED);
    for (uint32_t i = 0; i < 4u * 4096u; i++) {
        ts.ram.bytes[i] = ts_byte(7, 7, i);
    }
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_E_NOT_FORMATTED);
    /* A store of a later format version. */
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(1, 1, 100, 0), NVT_OK);
    for (uint32_t s = 0; s < 4; s++) {
        uint8_t *e = ts.ram.bytes + s * 4096u;
        e[3] = 3;
        ts_seal(e, 0);
        /* The open block names the sector a log member: hide it too. */
        memset(e + 16, 0x00, 24);
    }
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_E_VERSION);
    /* A store formatted for another geometry (unit 8) read as unit 4. */
    ts_setup(4096, 4, 8, 0);
    nvt_flash_t other = ts.ram.flash;
    other.geo.prog_unit = 4;
    nvt_store_config_t c = ts.cfg;
    c.flash = &other;
    nvt_store_t st;
    for (uint32_t s = 0; s < 4; s++) {
        memset(ts.ram.bytes + s * 4096u + 16, 0x00, 24);
    }
    assert_int_equal(nvt_store_mount(&st, &c), NVT_E_INVALID);
}

/* A store mounted with a geometry of the same total size that is not its
 * own (sectors twice or half as large, another unit) is refused with
 * NVT_E_INVALID, reading only: the store stays unmounted, a put is refused
 * too, and not a bit of the region changes. Then, with its own geometry,
 * every object is intact. Both directions of every pair, with sector 0's
 * erase block intact and destroyed. */
static void same_size_other_geometry(void **state)
{
    (void)state;
    static const nvt_flash_geometry_t pairs[][2] = {
        { { 8192, 8, 8 }, { 4096, 16, 8 } },   { { 4096, 4, 8 }, { 2048, 8, 8 } },
        { { 16384, 2, 8 }, { 4096, 8, 8 } },   { { 1024, 16, 8 }, { 256, 64, 8 } },
        { { 32768, 2, 4 }, { 256, 256, 4 } }, { { 4096, 4, 8 }, { 4096, 4, 32 } },
        { { 2048, 8, 4 }, { 1024, 16, 16 } }, { { 4096, 16, 1 }, { 8192, 8, 2 } },
    };
    uint8_t out[16] = { 0 };
    for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
        for (int dir = 0; dir < 2; dir++) {
            for (int damaged = 0; damaged < 2; damaged++) {
                const nvt_flash_geometry_t *own = &pairs[p][dir], *wrong = &pairs[p][!dir];
                uint32_t size = own->sector_size * own->sector_count;
                assert_int_equal(size, wrong->sector_size * wrong->sector_count);
                ts_setup(own->sector_size, own->sector_count, own->prog_unit, 0);
                /* objects in several sectors, one across a sector boundary */
                uint32_t lens[] = { 100, own->sector_size + 40u > 3000u ? 3000u : own->sector_size + 40u, 17 };
                for (uint32_t i = 0; i < 3; i++) {
                    assert_int_equal(ts_put(i + 1, 1, lens[i], 0), NVT_OK);
                }
                if (damaged) {
                    memset(ts.ram.bytes, 0x00, 16); /* sector 0's erase block */
                }
                memcpy(before, ts.ram.bytes, size);
                nvt_flash_ram_counters_t c0 = ts.ram.counters;
                nvt_flash_t other = ts.ram.flash;
                other.geo = *wrong;
                nvt_store_config_t c = ts.cfg;
                c.flash = &other;
                nvt_store_t st;
                if (nvt_store_mount(&st, &c) != NVT_E_INVALID) {
                    print_error("%lux%lux%lu mounted as %lux%lux%lu (erase block 0 %s)\n",
                                (unsigned long)own->sector_size, (unsigned long)own->sector_count,
                                (unsigned long)own->prog_unit, (unsigned long)wrong->sector_size,
                                (unsigned long)wrong->sector_count, (unsigned long)wrong->prog_unit,
                                damaged ? "destroyed" : "intact");
                    fail();
                }
                assert_int_equal(nvt_store_put(&st, 9, out, 10, 0), NVT_E_INVALID);
                assert_int_equal(nvt_store_gc(&st), NVT_E_INVALID);
                assert_int_equal(ts.ram.counters.ops, c0.ops);
                assert_memory_equal(before, ts.ram.bytes, size);
                assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_OK);
                for (uint32_t i = 0; i < 3; i++) {
                    ts_check(i + 1, 1, lens[i]);
                }
            }
        }
    }
}

static void not_found_and_small_buffer(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(5, 1, 300, 0), NVT_OK);
    snapshot();
    size_t n = 12345;
    unsigned f;
    assert_int_equal(nvt_store_get(&ts.st, 6, ts_out, sizeof(ts_out), &n), NVT_E_NOT_FOUND);
    assert_int_equal(nvt_store_size(&ts.st, 6, &n, &f), NVT_E_NOT_FOUND);
    assert_int_equal(nvt_store_read(&ts.st, 6, 0, ts_out, 10, &n), NVT_E_NOT_FOUND);
    assert_int_equal(n, 0);
    assert_int_equal(nvt_store_delete(&ts.st, 6), NVT_E_NOT_FOUND);
    memset(ts_out, 0x77, 400);
    assert_int_equal(nvt_store_get(&ts.st, 5, ts_out, 299, &n), NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 300);
    for (int i = 0; i < 400; i++) {
        assert_int_equal(ts_out[i], 0x77);
    }
    assert_int_equal(nvt_store_get(&ts.st, 5, NULL, 0, &n), NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(nvt_store_get(&ts.st, 5, ts_out, 300, NULL), NVT_OK);
    unchanged();
}

static void too_large(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {16384, 2, 8}, {256, 64, 8}, {2048, 8, 1}};
    for (size_t g = 0; g < 4; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], 0);
        nvt_store_stats_t stats;
        assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
        if (stats.max_object + 1u > sizeof(ts_buf)) {
            continue;
        }
        /* The largest object: alone, it can be replaced again and again. */
        for (uint32_t v = 1; v <= 4; v++) {
            assert_int_equal(ts_put(2, v, stats.max_object, 0), NVT_OK);
            ts_check(2, v, stats.max_object);
        }
        assert_int_equal(nvt_store_delete(&ts.st, 2), NVT_OK);
        assert_int_equal(ts_put(1, 1, 50, 0), NVT_OK);
        memcpy(before, ts.ram.bytes, geos[g][0] * geos[g][1]);
        /* One byte more: too large, nothing written. With another object,
         * the largest no longer fits the capacity rule. */
        assert_int_equal(ts_put(2, 1, stats.max_object + 1u, 0), NVT_E_TOO_LARGE);
        assert_int_equal(ts_put(2, 1, stats.max_object, 0), NVT_E_NO_SPACE);
        assert_memory_equal(before, ts.ram.bytes, geos[g][0] * geos[g][1]);
        ts_check(1, 1, 50);
    }
}

/* Fill until NO_SPACE: nothing is lost, and the store still works. */
static void no_space(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {16384, 2, 8}, {2048, 8, 8}, {256, 64, 8}};
    for (size_t g = 0; g < 4; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        uint32_t id = 0, len = geos[g][0] * geos[g][1] / 14u;
        int rc;
        while ((rc = ts_put(id, 1, len, 0)) == NVT_OK) {
            id++;
            assert_true(id < TS_OBJECTS);
        }
        assert_int_equal(rc, NVT_E_NO_SPACE);
        assert_true(id >= 2);
        size_t n;
        assert_int_equal(nvt_store_size(&ts.st, (nvt_store_id_t)id, &n, NULL), NVT_E_NOT_FOUND);
        for (uint32_t i = 0; i < id; i++) {
            ts_check(i, 1, len);
        }
        ts_remount();
        for (uint32_t i = 0; i < id; i++) {
            ts_check(i, 1, len);
        }
        /* Delete one, and the new one fits; replace another. */
        assert_int_equal(nvt_store_delete(&ts.st, 0), NVT_OK);
        assert_int_equal(ts_put(id, 2, len, 0), NVT_OK);
        assert_int_equal(ts_put(1, 3, len, 0), NVT_OK);
        ts_remount();
        ts_check(id, 2, len);
        ts_check(1, 3, len);
        for (uint32_t i = 2; i < id; i++) {
            ts_check(i, 1, len);
        }
        assert_int_equal(ts.ram.counters.refused, 0);
    }
}

static void index_full(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    ts.cfg.index_len = NVT_STORE_INDEX_BYTES(4);
    ts_remount();
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(ts_put(i, 1, 100, 0), NVT_OK);
    }
    snapshot();
    assert_int_equal(ts_put(9, 1, 100, 0), NVT_E_INDEX_FULL);
    size_t n;
    assert_int_equal(nvt_store_size(&ts.st, 9, &n, NULL), NVT_E_NOT_FOUND);
    for (uint32_t i = 0; i < 4; i++) {
        ts_check(i, 1, 100);
    }
    /* Replacing an existing object needs no slot. */
    assert_int_equal(ts_put(2, 2, 100, 0), NVT_OK);
    /* After a delete the slot comes back. */
    assert_int_equal(nvt_store_delete(&ts.st, 3), NVT_OK);
    assert_int_equal(ts_put(9, 1, 100, 0), NVT_OK);
    ts_remount();
    ts_check(9, 1, 100);
    ts_check(2, 2, 100);
    /* A region with more objects than the index holds does not mount. */
    ts.cfg.index_len = NVT_STORE_INDEX_BYTES(3);
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_E_INDEX_FULL);
}

/* A flipped data bit: reported, never returned as data. */
static void corrupt_data(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(1, 1, 500, 0), NVT_OK);
    assert_int_equal(ts_put(2, 1, 500, 0), NVT_OK);
    const nvt_store_entry_t *e = NULL;
    for (uint32_t i = 0; i < ts.st.used; i++) {
        if (ts.idx[i].id == 1) {
            e = &ts.idx[i];
        }
    }
    assert_non_null(e);
    uint32_t data = e->addr / 4096u * 4096u + e->off * 4u;
    ts.ram.bytes[data + 123] ^= 0x10;
    size_t n;
    memset(ts_out, 0x55, 600);
    assert_int_equal(nvt_store_get(&ts.st, 1, ts_out, sizeof(ts_out), &n), NVT_E_CORRUPT);
    for (int i = 0; i < 500; i++) {
        assert_int_equal(ts_out[i], 0);
    }
    assert_int_equal(nvt_store_read(&ts.st, 1, 400, ts_out, 50, &n), NVT_E_CORRUPT);
    assert_int_equal(n, 0);
    ts_check(2, 1, 500);
    nvt_store_fsck_report_t rep;
    assert_int_equal(nvt_store_fsck(&ts.st, 0, &rep, NULL, NULL), NVT_E_CORRUPT);
    assert_int_equal(rep.records_corrupt, 1);
    assert_int_equal(rep.objects, 2);
    /* A corrupt object can be replaced or deleted. */
    assert_int_equal(ts_put(1, 2, 500, 0), NVT_OK);
    ts_check(1, 2, 500);
    assert_int_equal(nvt_store_fsck(&ts.st, 0, &rep, NULL, NULL), NVT_OK);
}

/* NVT_STORE_SEALED: the E bit is set on every fragment, the bytes come
 * back as stored, the flag is reported and survives relocation. */
static void sealed_record_kept_as_stored(void **state)
{
    (void)state;
    ts_setup(2048, 8, 8, 0);
    assert_int_equal(ts_put(1, 1, 3000, NVT_STORE_SENSITIVE | NVT_STORE_SEALED), NVT_OK);
    const nvt_store_entry_t *e = &ts.idx[0];
    assert_int_equal(ts.ram.bytes[e->addr] & 0x04, 0x04);
    unsigned flags = 0;
    assert_int_equal(nvt_store_size(&ts.st, 1, NULL, &flags), NVT_OK);
    assert_int_equal(flags, NVT_STORE_SENSITIVE | NVT_STORE_SEALED);
    for (uint32_t v = 2; v < 40; v++) {
        assert_int_equal(ts_put(2, v, 900, 0), NVT_OK); /* moves object 1 around */
    }
    ts_remount();
    ts_check(1, 1, 3000);
    assert_int_equal(nvt_store_size(&ts.st, 1, NULL, &flags), NVT_OK);
    assert_int_equal(flags, NVT_STORE_SENSITIVE | NVT_STORE_SEALED);
    assert_int_equal(ts_put(3, 1, 10, 0x04), NVT_E_INVALID);
}

static void power_lost_then_recovered(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(1, 1, 900, 0), NVT_OK);
    nvt_flash_ram_cut_at(&ts.ram, 2, NVT_FLASH_RAM_CUT_TORN);
    assert_int_equal(ts_put(1, 2, 900, 0), NVT_E_POWER_LOST);
    size_t n;
    assert_int_equal(nvt_store_get(&ts.st, 1, ts_out, sizeof(ts_out), &n), NVT_E_POWER_LOST);
    nvt_flash_ram_power_on(&ts.ram);
    /* The same store object recovers by itself. */
    assert_int_equal(ts_put(1, 3, 900, 0), NVT_OK);
    ts_check(1, 3, 900);
    ts_remount();
    ts_check(1, 3, 900);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(bad_configurations),
        cmocka_unit_test(not_formatted_version_geometry),
        cmocka_unit_test(same_size_other_geometry),
        cmocka_unit_test(not_found_and_small_buffer),
        cmocka_unit_test(too_large),
        cmocka_unit_test(no_space),
        cmocka_unit_test(index_full),
        cmocka_unit_test(corrupt_data),
        cmocka_unit_test(sealed_record_kept_as_stored),
        cmocka_unit_test(power_lost_then_recovered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
