/* Recovery paths, each provoked on purpose (the power-cut sweep meets them
 * among thousands of cuts): a batch cut before its sectors joined the log,
 * with its sector reused afterwards; damage found by a later write; torn
 * erases; an interrupted sensitive delete retried; a weak commit mark. */
#include "test_store_util.h"

static const uint32_t lens[6] = {1700, 1200, 1200, 240, 91, 1000};

static uint32_t ops_of_next_put(uint32_t id, uint32_t v, uint32_t len)
{
    static ts_t save;
    static uint32_t mem_save[sizeof(ts_mem) / 4];
    save = ts;
    memcpy(mem_save, ts_mem, sizeof(ts_mem));
    uint32_t before = ts.ram.counters.ops;
    assert_int_equal(ts_put(id, v, len, 0), NVT_OK);
    uint32_t n = ts.ram.counters.ops - before;
    ts = save;
    memcpy(ts_mem, mem_save, sizeof(ts_mem));
    ts.cfg.flash = &ts.ram.flash;
    ts.ram.flash.ctx = &ts.ram;
    ts.cfg.index = ts.idx;
    ts.cfg.sectors = ts.sec;
    ts.cfg.scratch = ts.scratch;
    ts.st.flash = &ts.ram.flash;
    ts.st.index = ts.idx;
    ts.st.sectors = ts.sec;
    ts.st.scratch = ts.scratch;
    return n;
}

/* Every cut inside one garbage-collecting put, then the next put and more:
 * sectors the cut batch had started (with records, no open block) are
 * reused; nothing they held may ever be taken for a record. */
static void cut_batches_leave_no_ghosts(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {16384, 2, 8}, {256, 64, 8}};
    for (size_t g = 0; g < 3; g++) {
        for (nvt_flash_ram_cut_t mode = NVT_FLASH_RAM_CUT_NOT_DONE; mode <= NVT_FLASH_RAM_CUT_TORN;
             mode++) {
            ts_setup(geos[g][0], geos[g][1], geos[g][2], 0);
            for (uint32_t i = 0; i < 6; i++) {
                assert_int_equal(ts_put(i + 1, 1, lens[i], 0), NVT_OK);
            }
            uint32_t v = 2;
            /* Advance to a put that collects (many flash operations). */
            while (ops_of_next_put(2, v, 1200) < 12) {
                assert_int_equal(ts_put(2, v++, 1200, 0), NVT_OK);
            }
            uint32_t n = ops_of_next_put(2, v, 1200);
            for (uint32_t cut = 1; cut <= n; cut++) {
                ts_setup(geos[g][0], geos[g][1], geos[g][2], 0);
                for (uint32_t i = 0; i < 6; i++) {
                    assert_int_equal(ts_put(i + 1, 1, lens[i], 0), NVT_OK);
                }
                for (uint32_t w = 2; w < v; w++) {
                    assert_int_equal(ts_put(2, w, 1200, 0), NVT_OK);
                }
                nvt_flash_ram_seed(&ts.ram, cut);
                nvt_flash_ram_cut_at(&ts.ram, cut, mode);
                assert_int_equal(ts_put(2, v, 1200, 0), NVT_E_POWER_LOST);
                nvt_flash_ram_power_on(&ts.ram);
                for (uint32_t w = v + 1; w < v + 12; w++) {
                    ts_remount();
                    assert_int_equal(ts_put(2, w, 1200, 0), NVT_OK);
                    assert_int_equal(ts_put(6, w, 1000, 0), NVT_OK);
                    ts_check(2, w, 1200);
                    ts_check(1, 1, 1700);
                }
                ts_remount();
                nvt_store_id_t id = NVT_STORE_ID_NONE, next;
                uint32_t count = 0;
                while (nvt_store_next(&ts.st, id, &next) == NVT_OK) {
                    id = next;
                    count++;
                }
                assert_int_equal(count, 6);
            }
        }
    }
}

/* A write over a spot a cut left touched fails its read-back; the store
 * closes that head (or erases that sector) and writes elsewhere. */
static void damage_is_avoided(void **state)
{
    (void)state;
    for (unsigned strict = 0; strict < 2; strict++) {
        for (uint32_t seed = 1; seed <= 60; seed++) {
            ts_setup(4096, 4, 8, strict ? NVT_FLASH_RAM_STRICT : 0);
            assert_int_equal(ts_put(1, 1, 300, 0), NVT_OK);
            nvt_flash_ram_seed(&ts.ram, seed);
            nvt_flash_ram_cut_at(&ts.ram, 1 + seed % 3, NVT_FLASH_RAM_CUT_TORN);
            (void)ts_put(2, 1, 500, 0);
            nvt_flash_ram_power_on(&ts.ram);
            ts_remount();
            assert_int_equal(ts_put(2, 2, 500, 0), NVT_OK);
            assert_int_equal(ts_put(3, 1, 500, 0), NVT_OK);
            ts_remount();
            ts_check(1, 1, 300);
            ts_check(2, 2, 500);
            ts_check(3, 1, 500);
        }
    }
}

/* Torn erases of collected sectors leave only superseded records: a deleted
 * object stays deleted, every other object keeps its value. */
static void torn_erases(void **state)
{
    (void)state;
    static ts_t keep;
    static uint32_t mem_keep[sizeof(ts_mem) / 4];
    uint32_t tried = 0;
    ts_setup(4096, 4, 8, 0);
    for (uint32_t i = 0; i < 6; i++) {
        assert_int_equal(ts_put(i + 1, 1, lens[i], 0), NVT_OK);
    }
    assert_int_equal(nvt_store_delete(&ts.st, 5), NVT_OK);
    for (uint32_t v = 2; v < 30; v++) {
        uint32_t n = ops_of_next_put(2, v, 1200);
        keep = ts;
        memcpy(mem_keep, ts_mem, sizeof(ts_mem));
        for (uint32_t cut = 1; cut <= n; cut++) {
            uint32_t e0 = ts.ram.counters.erase_ops;
            nvt_flash_ram_seed(&ts.ram, v * 100u + cut);
            nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_TORN);
            int rc = ts_put(2, v, 1200, 0);
            nvt_flash_ram_power_on(&ts.ram);
            if (rc == NVT_E_POWER_LOST && ts.ram.counters.erase_ops != e0) {
                tried++;
                ts_remount();
                size_t len;
                assert_int_equal(nvt_store_size(&ts.st, 5, &len, NULL), NVT_E_NOT_FOUND);
                ts_check(1, 1, 1700);
                ts_check(6, 1, 1000);
                assert_int_equal(ts_put(3, v, 1200, 0), NVT_OK);
                ts_remount();
                assert_int_equal(nvt_store_size(&ts.st, 5, &len, NULL), NVT_E_NOT_FOUND);
                ts_check(3, v, 1200);
            }
            ts = keep;
            memcpy(ts_mem, mem_keep, sizeof(ts_mem));
        }
        assert_int_equal(ts_put(2, v, 1200, 0), NVT_OK);
    }
    assert_true(tried > 3);
}

/* A sensitive delete cut short and retried: the retry finds the object gone
 * (NOT_FOUND) and still scrubs what the first attempt left. */
static void interrupted_sensitive_delete(void **state)
{
    (void)state;
    for (uint32_t cut = 1; cut <= 30; cut++) {
        ts_setup(256, 64, 8, 0);
        assert_int_equal(ts_put(4, 1, 240, NVT_STORE_SENSITIVE), NVT_OK);
        for (uint32_t v = 1; v < 6; v++) {
            assert_int_equal(ts_put(2, v, 1200, 0), NVT_OK);
        }
        nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_NOT_DONE);
        int rc = nvt_store_delete(&ts.st, 4);
        nvt_flash_ram_power_on(&ts.ram);
        ts_remount();
        rc = nvt_store_delete(&ts.st, 4);
        assert_true(rc == NVT_OK || rc == NVT_E_NOT_FOUND);
        ts_fill(ts_buf, 4, 1, 240);
        for (uint32_t i = 0; i + 8 <= 240; i += 8) {
            assert_false(ts_find(ts_buf + i, 8));
        }
    }
}

/* A commit mark weakened by a power cut may read as written at one mount
 * (and records follow it in its sector) and as erased at the next: that
 * record then reads old, and nothing after it is lost. */
static void weak_mark_hides_nothing_after_it(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {4096, 4, 1}, {16384, 2, 32}};
    for (size_t g = 0; g < 3; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], 0);
        assert_int_equal(ts_put(1, 1, 100, 0), NVT_OK);
        assert_int_equal(ts_put(2, 1, 100, 0), NVT_OK);
        assert_int_equal(ts_put(1, 2, 100, 0), NVT_OK);
        uint32_t at = 0;
        for (uint32_t i = 0; i < ts.st.used; i++) {
            at = ts.idx[i].id == 1 ? ts.idx[i].addr : at;
        }
        assert_int_equal(ts_put(3, 1, 100, 0), NVT_OK);
        assert_int_equal(ts_put(2, 2, 100, 0), NVT_OK);
        /* The mark of version 2 of object 1 now reads erased. */
        memset(ts.ram.bytes + at + ts.st.info_size, 0xFF, ts.st.slot_size - ts.st.info_size);
        ts_remount();
        ts_check(1, 1, 100);
        ts_check(2, 2, 100);
        ts_check(3, 1, 100);
        assert_int_equal(ts_put(4, 1, 100, 0), NVT_OK);
        ts_remount();
        ts_check(1, 1, 100);
        ts_check(2, 2, 100);
        ts_check(3, 1, 100);
        ts_check(4, 1, 100);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cut_batches_leave_no_ghosts),
        cmocka_unit_test(damage_is_avoided),
        cmocka_unit_test(torn_erases),
        cmocka_unit_test(interrupted_sensitive_delete),
        cmocka_unit_test(weak_mark_hides_nothing_after_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
