/* The store's operations on every geometry and program unit: put, get,
 * replace, read at an offset, size, iterate, delete, create again, objects
 * spanning sectors, empty objects, and everything surviving a remount. */
#include "test_store_util.h"

static const uint32_t geos[][3] = {
    {4096, 4, 8}, {16384, 2, 8}, {2048, 8, 8}, {256, 64, 8},
    {4096, 4, 1}, {4096, 4, 32}, {16384, 2, 1}, {2048, 8, 32}, {256, 64, 1}, {1024, 16, 4},
};
#define NGEO (sizeof(geos) / sizeof(geos[0]))
static const uint32_t lens[6] = {1700, 1200, 1200, 240, 91, 1000};

static void empty_store(void **state)
{
    (void)state;
    for (size_t g = 0; g < NGEO; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        nvt_store_id_t next;
        nvt_store_stats_t stats;
        size_t n;
        assert_int_equal(nvt_store_next(&ts.st, NVT_STORE_ID_NONE, &next), NVT_E_NOT_FOUND);
        assert_int_equal(nvt_store_get(&ts.st, 1, ts_out, sizeof(ts_out), &n), NVT_E_NOT_FOUND);
        assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
        assert_int_equal(stats.objects, 0);
        assert_int_equal(stats.live_bytes, 0);
        assert_int_equal(stats.sectors, geos[g][1]);
        assert_true(stats.capacity > 0 && stats.free == stats.capacity);
        ts_remount();
        assert_int_equal(nvt_store_next(&ts.st, NVT_STORE_ID_NONE, &next), NVT_E_NOT_FOUND);
    }
}

/* The seed workload, with remounts, on every geometry. */
static void workload_everywhere(void **state)
{
    (void)state;
    for (size_t g = 0; g < NGEO; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        /* 64 x 256 B with 32 B units leaves too little room per sector. */
        uint32_t ver[6];
        for (uint32_t i = 0; i < 6; i++) {
            assert_int_equal(ts_put(i + 1, 1, lens[i], i == 2 ? NVT_STORE_SENSITIVE : 0), NVT_OK);
            ver[i] = 1;
        }
        for (uint32_t r = 2; r <= 120; r++) {
            assert_int_equal(ts_put(2, r, 1200, 0), NVT_OK);
            ver[1] = r;
            if (r == 60) {
                assert_int_equal(nvt_store_delete(&ts.st, 4), NVT_OK);
                size_t n;
                assert_int_equal(nvt_store_size(&ts.st, 4, &n, NULL), NVT_E_NOT_FOUND);
                assert_int_equal(ts_put(4, 9, 240, 0), NVT_OK);
                ver[3] = 9;
            }
            if (r % 23 == 0) {
                ts_remount();
            }
            for (uint32_t i = 0; i < 6; i++) {
                ts_check(i + 1, ver[i], lens[i]);
            }
        }
        assert_int_equal(ts.ram.counters.programmed_twice, 0);
        assert_int_equal(ts.ram.counters.refused, 0);
    }
}

/* Objects from empty to several sectors long; each read back exactly. */
static void sizes(void **state)
{
    (void)state;
    static const uint32_t sz[] = {0, 1, 3, 4, 7, 8, 9, 31, 32, 33, 200, 255, 256, 1000, 3000, 4000};
    for (size_t g = 0; g < NGEO; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        nvt_store_stats_t stats;
        assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
        for (size_t i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
            if (sz[i] > stats.max_object || sz[i] > 2u * geos[g][0] * geos[g][1] / 5u) {
                continue;
            }
            assert_int_equal(ts_put(100 + (uint32_t)i, 3, sz[i], 0), NVT_OK);
            ts_check(100 + (uint32_t)i, 3, sz[i]);
            assert_int_equal(nvt_store_delete(&ts.st, (nvt_store_id_t)(100 + i)), NVT_OK);
        }
        ts_remount();
        assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
        assert_int_equal(stats.objects, 0);
    }
}

/* 4 kB on 64 x 256 B: an object over twenty sectors. */
static void large_object_on_small_sectors(void **state)
{
    (void)state;
    ts_setup(256, 64, 8, NVT_FLASH_RAM_STRICT);
    nvt_store_stats_t stats;
    assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
    assert_true(stats.max_object >= 4096);
    for (uint32_t v = 1; v <= 12; v++) {
        assert_int_equal(ts_put(7, v, 4096, 0), NVT_OK);
        assert_int_equal(ts_put(8, v, 91, 0), NVT_OK);
        ts_check(7, v, 4096);
    }
    ts_remount();
    ts_check(7, 12, 4096);
    ts_check(8, 12, 91);
}

static void read_at_offsets(void **state)
{
    (void)state;
    ts_setup(256, 64, 8, NVT_FLASH_RAM_STRICT);
    assert_int_equal(ts_put(5, 1, 1700, 0), NVT_OK);
    ts_fill(ts_buf, 5, 1, 1700);
    static const uint32_t offs[][2] = {{0, 10}, {190, 20}, {191, 1}, {1000, 700}, {1699, 5},
                                       {1700, 5}, {5000, 5}, {0, 1700}, {17, 0}};
    for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        size_t got = 99;
        memset(ts_out, 0xEE, sizeof(ts_out));
        assert_int_equal(nvt_store_read(&ts.st, 5, offs[i][0], ts_out, offs[i][1], &got), NVT_OK);
        uint32_t want = offs[i][0] >= 1700 ? 0
                        : offs[i][1] < 1700 - offs[i][0] ? offs[i][1]
                                                         : 1700 - offs[i][0];
        assert_int_equal(got, want);
        if (want > 0) {
            assert_memory_equal(ts_out, ts_buf + offs[i][0], want);
        }
        assert_int_equal(ts_out[want], 0xEE);
    }
}

static void size_flags_and_iteration(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    static const nvt_store_id_t ids[] = {900, 3, 0, 70, 0xFFFE, 12};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(ts_put(ids[i], 1, 10 + (uint32_t)i, i & 1 ? NVT_STORE_SENSITIVE : 0),
                         NVT_OK);
    }
    for (int round = 0; round < 2; round++) {
        nvt_store_id_t id = NVT_STORE_ID_NONE, next;
        static const nvt_store_id_t sorted[] = {0, 3, 12, 70, 900, 0xFFFE};
        for (size_t i = 0; i < 6; i++) {
            assert_int_equal(nvt_store_next(&ts.st, id, &next), NVT_OK);
            assert_int_equal(next, sorted[i]);
            id = next;
        }
        assert_int_equal(nvt_store_next(&ts.st, id, &next), NVT_E_NOT_FOUND);
        for (size_t i = 0; i < 6; i++) {
            size_t n;
            unsigned f;
            assert_int_equal(nvt_store_size(&ts.st, ids[i], &n, &f), NVT_OK);
            assert_int_equal(n, 10 + i);
            assert_int_equal(f, i & 1 ? NVT_STORE_SENSITIVE : 0);
            assert_int_equal(nvt_store_size(&ts.st, ids[i], NULL, NULL), NVT_OK);
        }
        ts_remount();
    }
    /* Deleting while iterating. */
    nvt_store_id_t id = NVT_STORE_ID_NONE, next;
    uint32_t seen = 0;
    while (nvt_store_next(&ts.st, id, &next) == NVT_OK) {
        assert_int_equal(nvt_store_delete(&ts.st, next), NVT_OK);
        id = next;
        seen++;
    }
    assert_int_equal(seen, 6);
    assert_int_equal(nvt_store_next(&ts.st, NVT_STORE_ID_NONE, &next), NVT_E_NOT_FOUND);
}

/* A replaced value is gone, a deleted object stays deleted across remounts
 * and collections, and can be created again. */
static void delete_and_recreate(void **state)
{
    (void)state;
    for (size_t g = 0; g < 4; g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        assert_int_equal(ts_put(1, 1, 500, 0), NVT_OK);
        assert_int_equal(ts_put(2, 1, 300, 0), NVT_OK);
        assert_int_equal(ts_put(1, 2, 500, 0), NVT_OK);
        assert_int_equal(nvt_store_delete(&ts.st, 1), NVT_OK);
        assert_int_equal(nvt_store_delete(&ts.st, 1), NVT_E_NOT_FOUND);
        for (uint32_t r = 0; r < 80; r++) {
            assert_int_equal(ts_put(2, r + 2, 300 + r * 7 % 900, 0), NVT_OK);
            if (r % 9 == 0) {
                ts_remount();
            }
            size_t n;
            assert_int_equal(nvt_store_size(&ts.st, 1, &n, NULL), NVT_E_NOT_FOUND);
        }
        assert_int_equal(nvt_store_gc(&ts.st), NVT_OK);
        ts_remount();
        size_t n;
        assert_int_equal(nvt_store_size(&ts.st, 1, &n, NULL), NVT_E_NOT_FOUND);
        assert_int_equal(ts_put(1, 3, 777, 0), NVT_OK);
        ts_remount();
        ts_check(1, 3, 777);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_store),
        cmocka_unit_test(workload_everywhere),
        cmocka_unit_test(sizes),
        cmocka_unit_test(large_object_on_small_sectors),
        cmocka_unit_test(read_at_offsets),
        cmocka_unit_test(size_flags_and_iteration),
        cmocka_unit_test(delete_and_recreate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
