/* nvt_store_blank: a region is blank if nothing but erased bytes and, at
 * the start of each sector, an erase block (what a format writes first) are
 * in it. One cleared bit anywhere else makes it not blank; an interrupted
 * format is blank; a store holding a record is not, whatever geometry it
 * is read with. The check never writes. It is what lets the token format a
 * blank region and leave every other one alone. */
#include "test_store_util.h"

static const nvt_flash_t *region(uint32_t sector, uint32_t count, uint32_t unit)
{
    nvt_flash_geometry_t geo = { sector, count, unit };
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(nvt_flash_ram_init(&ts.ram, &geo, ts_mem, sizeof(ts_mem), 0, 1), NVT_OK);
    return &ts.ram.flash;
}

/* Every single cleared bit past the erase blocks; any bytes inside them. */
static void one_cleared_bit_past_the_erase_blocks_is_not_blank(void **state)
{
    (void)state;
    static const uint32_t shapes[][3] = { { 256, 4, 8 }, { 512, 3, 32 }, { 1024, 2, 1 } };
    for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
        const nvt_flash_t *fl = region(shapes[s][0], shapes[s][1], shapes[s][2]);
        uint32_t block = shapes[s][2] > 16 ? shapes[s][2] : 16;
        uint32_t size = shapes[s][0] * shapes[s][1];
        assert_int_equal(nvt_store_blank(fl), 1);
        for (uint32_t i = 0; i < size; i++) {
            for (unsigned bit = 0; bit < 8; bit++) {
                ts.ram.bytes[i] = (uint8_t)~(1u << bit);
                assert_int_equal(nvt_store_blank(fl), i % shapes[s][0] < block ? 1 : 0);
            }
            ts.ram.bytes[i] = 0xFF;
        }
        for (uint32_t i = 0; i < size; i += shapes[s][0]) {
            memset(ts.ram.bytes + i, 0x00, block); /* any erase block, even torn */
        }
        assert_int_equal(nvt_store_blank(fl), 1);
        assert_int_equal(ts.ram.counters.ops, 0);
    }
}

/* A format cut at each of its flash operations leaves a blank region; a
 * completed format of an empty store too (nothing is lost by formatting
 * it again). */
static void an_interrupted_format_is_blank(void **state)
{
    (void)state;
    for (uint32_t cut = 1;; cut++) {
        region(1024, 4, 8);
        ts.cfg.flash = &ts.ram.flash;
        ts.cfg.index = ts.idx;
        ts.cfg.index_len = sizeof(ts.idx);
        ts.cfg.sectors = ts.sec;
        ts.cfg.sectors_len = sizeof(ts.sec);
        ts.cfg.scratch = ts.scratch;
        ts.cfg.scratch_len = sizeof(ts.scratch);
        nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_TORN);
        int rc = nvt_store_format(&ts.st, &ts.cfg);
        nvt_flash_ram_power_on(&ts.ram);
        assert_int_equal(nvt_store_blank(&ts.ram.flash), 1);
        if (rc == NVT_OK) {
            break;
        }
    }
}

/* A store with one record is not blank, read with its own geometry or any
 * other of the same size. */
static void a_store_with_a_record_is_not_blank_in_any_geometry(void **state)
{
    (void)state;
    ts_setup(2048, 8, 8, 0);
    assert_int_equal(nvt_store_put(&ts.st, 0x10, "x", 1, 0), NVT_OK);
    static const uint32_t other[][3] = { { 2048, 8, 8 }, { 4096, 4, 8 }, { 1024, 16, 8 }, { 256, 64, 32 },
                                         { 8192, 2, 1 } };
    for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
        nvt_flash_t fl = ts.ram.flash;
        fl.geo = (nvt_flash_geometry_t){ other[i][0], other[i][1], other[i][2] };
        assert_int_equal(nvt_store_blank(&fl), 0);
    }
    assert_int_equal(nvt_store_blank(NULL), NVT_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_cleared_bit_past_the_erase_blocks_is_not_blank),
        cmocka_unit_test(an_interrupted_format_is_blank),
        cmocka_unit_test(a_store_with_a_record_is_not_blank_in_any_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
