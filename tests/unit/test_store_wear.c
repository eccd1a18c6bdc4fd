/* Garbage collection, wear levelling, erase counts and statistics. */
#include "test_store_util.h"

static const uint32_t lens[6] = {1700, 1200, 1200, 240, 91, 1000};

static void workload(uint32_t reps)
{
    for (uint32_t i = 0; i < 6; i++) {
        assert_int_equal(ts_put(i + 1, 1, lens[i], 0), NVT_OK);
    }
    for (uint32_t r = 2; r <= reps; r++) {
        assert_int_equal(ts_put(2, r, 1200, 0), NVT_OK);
    }
}

/* Hot data rotates over every sector, and static data is moved once the
 * erase-count gap exceeds NVT_CONFIG_STORE_WEAR_GAP: no sector stays
 * pristine, and the spread stays bounded. */
static void wear_is_levelled(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {2048, 8, 8}, {256, 64, 8}, {16384, 2, 8}};
    for (size_t g = 0; g < 4; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], 0);
        workload(600);
        uint32_t lo = 0xFFFFFFFFu, hi = 0;
        for (uint32_t s = 0; s < geos[g][1]; s++) {
            uint32_t c;
            assert_int_equal(nvt_store_erase_count(&ts.st, s, &c), NVT_OK);
            /* The store's count is the simulator's (format found the
             * region blank and erased nothing). */
            assert_int_equal(c, ts.ram.erases[s]);
            lo = c < lo ? c : lo;
            hi = c > hi ? c : hi;
        }
        assert_true(lo > 0);
        assert_true(hi - lo <= 2u * NVT_CONFIG_STORE_WEAR_GAP + 2u);
        nvt_store_stats_t st;
        assert_int_equal(nvt_store_stat(&ts.st, &st), NVT_OK);
        assert_int_equal(st.erase_min, lo);
        assert_int_equal(st.erase_max, hi);
        /* Counts survive a remount. */
        ts_remount();
        for (uint32_t s = 0; s < geos[g][1]; s++) {
            uint32_t c;
            assert_int_equal(nvt_store_erase_count(&ts.st, s, &c), NVT_OK);
            assert_int_equal(c, ts.ram.erases[s]);
        }
    }
}

static void statistics(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    nvt_store_stats_t a, b;
    assert_int_equal(nvt_store_stat(&ts.st, &a), NVT_OK);
    assert_int_equal(a.sectors, 4);
    assert_true(a.max_object >= 1700 && a.max_object <= a.capacity);
    workload(20);
    assert_int_equal(nvt_store_stat(&ts.st, &b), NVT_OK);
    assert_int_equal(b.objects, 6);
    assert_int_equal(b.live_bytes, 1700 + 1200 + 1200 + 240 + 91 + 1000);
    assert_int_equal(b.capacity, a.capacity);
    assert_true(b.free < a.free && a.free - b.free >= b.live_bytes);
    assert_int_equal(nvt_store_delete(&ts.st, 1), NVT_OK);
    assert_int_equal(nvt_store_stat(&ts.st, &a), NVT_OK);
    assert_int_equal(a.objects, 5);
    assert_true(a.free > b.free);
}

/* gc reclaims garbage: afterwards mount reads less, objects unchanged. */
static void gc_reclaims(void **state)
{
    (void)state;
    static const uint32_t geos[][3] = {{4096, 4, 8}, {2048, 8, 8}, {256, 64, 8}};
    for (size_t g = 0; g < 3; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        workload(9);
        for (uint32_t i = 0; i < 4; i++) {
            assert_int_equal(ts_put(20 + i, 1, 90, 0), NVT_OK);
            assert_int_equal(nvt_store_delete(&ts.st, (nvt_store_id_t)(20 + i)), NVT_OK);
        }
        uint64_t r0 = ts.ram.counters.bytes_read;
        ts_remount();
        uint64_t before = ts.ram.counters.bytes_read - r0;
        uint32_t e0 = ts.ram.counters.erase_ops;
        assert_int_equal(nvt_store_gc(&ts.st), NVT_OK);
        assert_true(ts.ram.counters.erase_ops > e0);
        /* A second gc finds nothing to do. */
        e0 = ts.ram.counters.erase_ops;
        assert_int_equal(nvt_store_gc(&ts.st), NVT_OK);
        assert_int_equal(ts.ram.counters.erase_ops, e0);
        r0 = ts.ram.counters.bytes_read;
        ts_remount();
        assert_true(ts.ram.counters.bytes_read - r0 < before);
        ts_check(2, 9, 1200);
        ts_check(1, 1, 1700);
        assert_int_equal(ts.ram.counters.refused, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wear_is_levelled),
        cmocka_unit_test(statistics),
        cmocka_unit_test(gc_reclaims),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
