/* nvt_store_fsck(): what it reports on a clean store, after power cuts and
 * on damaged sectors, and that repairs touch nothing live. */
#include "test_store_util.h"

static void clean_store(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    nvt_store_fsck_report_t r;
    assert_int_equal(nvt_store_fsck(&ts.st, 0, &r, NULL, NULL), NVT_OK);
    assert_int_equal(r.sectors_blank, 4);
    assert_int_equal(r.objects, 0);
    for (uint32_t i = 0; i < 5; i++) {
        assert_int_equal(ts_put(i, 1, 700 + i * 100, 0), NVT_OK);
    }
    for (uint32_t v = 2; v < 12; v++) {
        assert_int_equal(ts_put(1, v, 800, 0), NVT_OK);
    }
    assert_int_equal(nvt_store_fsck(&ts.st, NVT_STORE_FSCK_REPAIR, &r, NULL, NULL), NVT_OK);
    assert_int_equal(r.sectors_ok + r.sectors_blank + r.sectors_damaged, 4);
    assert_int_equal(r.sectors_damaged, 0);
    assert_int_equal(r.records_torn, 0);
    assert_int_equal(r.records_corrupt, 0);
    assert_int_equal(r.repaired, 0);
    assert_int_equal(r.objects, 5);
    assert_true(r.records_ok >= 5);
    ts_check(1, 11, 800);
}

/* After torn writes: counted, repaired where safe, objects untouched. */
static void after_power_cuts(void **state)
{
    (void)state;
    uint32_t torn = 0, damaged = 0;
    for (uint32_t cut = 1; cut <= 40; cut++) {
        ts_setup(2048, 8, 8, 0);
        for (uint32_t i = 0; i < 4; i++) {
            assert_int_equal(ts_put(i, 1, 900, 0), NVT_OK);
        }
        nvt_flash_ram_seed(&ts.ram, cut);
        nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_TORN);
        for (uint32_t v = 2; v < 8 && !nvt_flash_ram_power_lost(&ts.ram); v++) {
            (void)ts_put(v % 4, v, 900, 0);
        }
        nvt_flash_ram_power_on(&ts.ram);
        ts_remount();
        nvt_store_fsck_report_t r, r2;
        assert_int_equal(nvt_store_fsck(&ts.st, NVT_STORE_FSCK_REPAIR, &r, NULL, NULL), NVT_OK);
        torn += r.records_torn;
        damaged += r.sectors_damaged;
        assert_int_equal(r.repaired, r.sectors_damaged);
        assert_int_equal(r.objects, 4);
        assert_int_equal(nvt_store_fsck(&ts.st, 0, &r2, NULL, NULL), NVT_OK);
        assert_int_equal(r2.sectors_damaged, 0);
        assert_int_equal(r2.objects, 4);
        for (uint32_t i = 0; i < 4; i++) {
            size_t n;
            assert_int_equal(nvt_store_get(&ts.st, (nvt_store_id_t)i, ts_out, sizeof(ts_out), &n),
                             NVT_OK);
            assert_int_equal(n, 900);
        }
    }
    assert_true(torn > 0);
    assert_true(damaged > 0);
}

/* Bytes in a free sector: damaged, erased by a repair. */
static void dirty_free_sector(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(1, 1, 100, 0), NVT_OK);
    uint32_t s = 0;
    while (ts.sec[s].seq != 0xFFFFFFFEu && ts.sec[s].seq != 0) {
        s++;
    }
    ts.ram.bytes[s * 4096u + 1000] = 0x12;
    ts_remount();
    nvt_store_fsck_report_t r;
    assert_int_equal(nvt_store_fsck(&ts.st, 0, &r, NULL, NULL), NVT_OK);
    assert_int_equal(r.sectors_damaged, 1);
    assert_int_equal(r.repaired, 0);
    assert_int_equal(ts.ram.bytes[s * 4096u + 1000], 0x12);
    assert_int_equal(nvt_store_fsck(&ts.st, NVT_STORE_FSCK_REPAIR, &r, NULL, NULL), NVT_OK);
    assert_int_equal(r.repaired, 1);
    assert_int_equal(ts.ram.bytes[s * 4096u + 1000], 0xFF);
    ts_check(1, 1, 100);
}

/* nvt_store_read_damaged(): an object's bytes as they are, for a
 * diagnostic: a clean object reads as nvt_store_get() reads it; one with a
 * flipped data bit gives its bytes (the flip included) and NVT_E_CORRUPT,
 * where nvt_store_get() gives nothing. */
static void damaged_objects_read_as_they_are(void **state)
{
    (void)state;
    static uint8_t want[600], got[600];
    size_t n = 0;
    ts_setup(2048, 8, 8, 0);
    assert_int_equal(ts_put(1, 1, 600, 0), NVT_OK);
    assert_int_equal(ts_put(2, 1, 300, 0), NVT_OK);
    assert_int_equal(nvt_store_read_damaged(&ts.st, 1, got, sizeof(got), &n), NVT_OK);
    ts_fill(want, 1, 1, 600);
    assert_int_equal(n, 600);
    assert_memory_equal(got, want, 600);
    /* flip one data bit of object 1 on flash */
    uint32_t size = ts.ram.flash.geo.sector_size * ts.ram.flash.geo.sector_count, at = size;
    for (uint32_t a = 0; a + 64 <= size && at == size; a++) {
        if (memcmp(ts.ram.bytes + a, want + 200, 64) == 0) {
            at = a;
        }
    }
    assert_true(at < size);
    ts.ram.bytes[at + 5] ^= 0x04;
    want[205] ^= 0x04;
    assert_int_equal(nvt_store_get(&ts.st, 1, got, sizeof(got), &n), NVT_E_CORRUPT);
    memset(got, 0, sizeof(got));
    assert_int_equal(nvt_store_read_damaged(&ts.st, 1, got, sizeof(got), &n), NVT_E_CORRUPT);
    assert_int_equal(n, 600);
    assert_memory_equal(got, want, 600);
    ts_check(2, 1, 300); /* the other object is untouched */
    assert_int_equal(nvt_store_read_damaged(&ts.st, 1, got, 599, &n), NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(nvt_store_read_damaged(&ts.st, 9, got, sizeof(got), &n), NVT_E_NOT_FOUND);
    assert_int_equal(nvt_store_read_damaged(&ts.st, 1, NULL, sizeof(got), &n), NVT_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_store),
        cmocka_unit_test(after_power_cuts),
        cmocka_unit_test(dirty_free_sector),
        cmocka_unit_test(damaged_objects_read_as_they_are),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
