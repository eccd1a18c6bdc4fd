/* The store's read and write budgets on the seed workload: at most 1 kB
 * read to mount (4 x 4 kB and 2 x 16 kB, program units up to 8 bytes), a
 * lookup reads the object plus at most 64 bytes, no unit is ever
 * programmed twice; and RAM under 512 bytes. */
#include "test_store_util.h"

static const uint32_t lens[6] = {1700, 1200, 1200, 240, 91, 1000};

static void budgets(void **state)
{
    (void)state;
    static const uint32_t geos[][4] = {
        /* sector, count, unit, mount budget (0: none). With 32-byte units
         * each table entry is 64 bytes: about 1.2 kB is read to mount. */
        {4096, 4, 8, 1024}, {16384, 2, 8, 1024}, {4096, 4, 1, 1024}, {16384, 2, 1, 1024},
        {16384, 2, 32, 0},  {2048, 8, 8, 0},     {256, 64, 8, 0},
    };
    for (size_t g = 0; g < sizeof(geos) / sizeof(geos[0]); g++) {
        for (unsigned strict = 0; strict < 2; strict++) {
            ts_setup(geos[g][0], geos[g][1], geos[g][2], strict ? NVT_FLASH_RAM_STRICT : 0);
            for (uint32_t i = 0; i < 6; i++) {
                assert_int_equal(ts_put(i + 1, 1, lens[i], i == 2 ? NVT_STORE_SENSITIVE : 0),
                                 NVT_OK);
            }
            for (uint32_t r = 2; r <= 150; r++) {
                assert_int_equal(ts_put(2, r, 1200, 0), NVT_OK);
                if (r == 75) {
                    assert_int_equal(nvt_store_delete(&ts.st, 5), NVT_OK);
                    assert_int_equal(ts_put(5, 2, 91, 0), NVT_OK);
                }
                if (geos[g][3] != 0 && r % 10 == 0) {
                    uint64_t before = ts.ram.counters.bytes_read;
                    ts_remount();
                    assert_true(ts.ram.counters.bytes_read - before <= geos[g][3]);
                }
            }
            assert_int_equal(ts.ram.counters.programmed_twice, 0);
            assert_int_equal(ts.ram.counters.refused, 0);
            for (uint32_t i = 0; i < 6; i++) {
                uint64_t before = ts.ram.counters.bytes_read;
                size_t n;
                assert_int_equal(
                    nvt_store_get(&ts.st, (nvt_store_id_t)(i + 1), ts_out, sizeof(ts_out), &n),
                    NVT_OK);
                assert_int_equal(n, lens[i]);
                assert_true(ts.ram.counters.bytes_read - before <= lens[i] + 64u);
            }
        }
    }
}

/* RAM on the 32-bit target: nvt_store_t (four pointers, the rest uint32_t),
 * a 16-object index and the sector table stay under 512 bytes on 4 x 4 kB
 * and 2 x 16 kB, the scratch buffer included. (On the Cortex-M4 build the
 * pointer correction is 0.) */
static void ram_budget(void **state)
{
    (void)state;
    size_t st32 = offsetof(nvt_store_t, state) + 4u - 4u * (sizeof(void *) - 4u);
    assert_true(st32 <= sizeof(nvt_store_t));
    size_t core = st32 + NVT_STORE_INDEX_BYTES(16);
    assert_true(core + NVT_STORE_SECTORS_BYTES(4) + NVT_CONFIG_STORE_SCRATCH < 512u);
    assert_true(core + NVT_STORE_SECTORS_BYTES(2) + NVT_CONFIG_STORE_SCRATCH < 512u);
    assert_int_equal(NVT_STORE_INDEX_BYTES(1), 12);
    assert_int_equal(NVT_STORE_SECTORS_BYTES(1), 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(budgets),
        cmocka_unit_test(ram_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
