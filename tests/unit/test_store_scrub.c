/* Scrubbing: when a put or delete of a sensitive object returns, no 8-byte
 * piece of any of its previous versions is left anywhere in the region. */
#include "test_store_util.h"

static const uint32_t geos[][3] = {{4096, 4, 8}, {16384, 2, 8}, {2048, 8, 8}, {256, 64, 8},
                                   {4096, 4, 1}, {4096, 4, 32}};

static void no_piece_of(uint32_t id, uint32_t v, uint32_t len)
{
    ts_fill(ts_buf, id, v, len);
    for (uint32_t i = 0; i + 8 <= len; i += 8) {
        assert_false(ts_find(ts_buf + i, 8));
    }
}

static void some_piece_of(uint32_t id, uint32_t v, uint32_t len)
{
    ts_fill(ts_buf, id, v, len);
    int any = 0;
    for (uint32_t i = 0; i + 8 <= len; i += 8) {
        any |= ts_find(ts_buf + i, 8);
    }
    assert_true(any);
}

static void sensitive_put_and_delete(void **state)
{
    (void)state;
    for (size_t g = 0; g < sizeof(geos) / sizeof(geos[0]); g++) {
        ts_setup(geos[g][0], geos[g][1], geos[g][2], NVT_FLASH_RAM_STRICT);
        assert_int_equal(ts_put(1, 1, 1700, 0), NVT_OK);
        assert_int_equal(ts_put(3, 1, 1200, NVT_STORE_SENSITIVE), NVT_OK);
        assert_int_equal(ts_put(4, 1, 240, NVT_STORE_SENSITIVE), NVT_OK);
        /* Old versions of an ordinary object may linger... */
        for (uint32_t v = 2; v < 6; v++) {
            assert_int_equal(ts_put(2, v, 1000, 0), NVT_OK);
        }
        some_piece_of(2, 4, 1000);
        /* ...those of a sensitive one may not, moved by GC or not. */
        for (uint32_t v = 2; v < 6; v++) {
            assert_int_equal(ts_put(3, v, 1200, NVT_STORE_SENSITIVE), NVT_OK);
            for (uint32_t old = 1; old < v; old++) {
                no_piece_of(3, old, 1200);
            }
            some_piece_of(3, v, 1200);
            assert_int_equal(ts_put(2, 10 + v, 1000, 0), NVT_OK);
        }
        assert_int_equal(nvt_store_delete(&ts.st, 4), NVT_OK);
        no_piece_of(4, 1, 240);
        assert_int_equal(nvt_store_delete(&ts.st, 3), NVT_OK);
        for (uint32_t old = 1; old < 6; old++) {
            no_piece_of(3, old, 1200);
        }
        ts_check(1, 1, 1700);
        ts_check(2, 15, 1000);
        assert_int_equal(ts.ram.counters.refused, 0);
    }
}

/* A put cut short leaves torn pieces; the next sensitive put of the object
 * scrubs them with the old versions. */
static void torn_leftovers_are_scrubbed(void **state)
{
    (void)state;
    for (uint32_t cut = 1; cut <= 24; cut++) {
        ts_setup(2048, 8, 8, 0);
        assert_int_equal(ts_put(3, 1, 1200, NVT_STORE_SENSITIVE), NVT_OK);
        assert_int_equal(ts_put(5, 1, 1500, 0), NVT_OK);
        nvt_flash_ram_seed(&ts.ram, cut * 31u);
        nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_TORN);
        (void)ts_put(3, 2, 1200, NVT_STORE_SENSITIVE);
        nvt_flash_ram_power_on(&ts.ram);
        ts_remount();
        assert_int_equal(ts_put(3, 3, 1200, NVT_STORE_SENSITIVE), NVT_OK);
        no_piece_of(3, 1, 1200);
        no_piece_of(3, 2, 1200);
        ts_check(3, 3, 1200);
        ts_check(5, 1, 1500);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sensitive_put_and_delete),
        cmocka_unit_test(torn_leftovers_are_scrubbed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
