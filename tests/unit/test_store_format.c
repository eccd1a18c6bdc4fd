/* The on-flash format, byte for byte, as docs/FORMAT.md specifies it
 * (format version 1). A change that moves a byte fails here: then the
 * format version goes up and this file keeps the old case. */
#include "test_store_util.h"

/* 4 x 4096 B, 8-byte unit, after format, put(0x0102, "hello") and
 * delete(0x0102). Sector 0 (the first opened, sequence number 1): */
static const uint8_t v1_head[48] = {
    /* erase block: "nvE", version 1, log2 4096, log2 8, 4 sectors,
     * erase count 0, CRC */
    0x6e, 0x76, 0x45, 0x01, 0x0c, 0x03, 0x04, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x90, 0xf9, 0x71, 0xa9,
    /* open block: "nO", reserved, sequence 1, erase count 0, CRC, mark */
    0x6e, 0x4f, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0xab, 0xc2, 0xca, 0x0c,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* data at 40: "hello" padded to the unit with 0xFF */
    0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xff, 0xff, 0xff};

/* The last 48 bytes of sector 0: table slot 1 (the tombstone), slot 0. */
static const uint8_t v1_table[48] = {
    /* slot 1: type 0x51 (tombstone, last), id 0x0102, offset 48/4, length 0,
     * data CRC 0, entry CRC (sealed with sequence 1), mark */
    0x51, 0x02, 0x01, 0x0c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x4c, 0xed, 0x97, 0xb4,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* slot 0: type 0x41 (data, last), id 0x0102, offset 40/4, length 5,
     * data CRC = CRC-32("hello"), entry CRC, mark */
    0x41, 0x02, 0x01, 0x0a, 0x00, 0x05, 0x00, 0x00,
    0x86, 0xa6, 0x10, 0x36, 0x60, 0x19, 0x12, 0x09,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

static void golden_version_1(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(nvt_store_put(&ts.st, 0x0102, "hello", 5, 0), NVT_OK);
    assert_int_equal(nvt_store_delete(&ts.st, 0x0102), NVT_OK);
    const uint8_t *m = ts.ram.bytes;
    assert_memory_equal(m, v1_head, sizeof(v1_head));
    assert_memory_equal(m + 4096 - 48, v1_table, sizeof(v1_table));
    for (uint32_t i = 48; i < 4096 - 48; i++) {
        assert_int_equal(m[i], 0xFF);
    }
    /* Sectors 1-3: their erase block, then erased. */
    for (uint32_t s = 1; s < 4; s++) {
        assert_memory_equal(m + s * 4096u, v1_head, 16);
        for (uint32_t i = 16; i < 4096; i++) {
            assert_int_equal(m[s * 4096u + i], 0xFF);
        }
    }
    /* The CRCs cover what FORMAT.md says: seed (4 bytes LE) || bytes 0-11. */
    uint8_t b[16];
    memcpy(b, v1_head, 16);
    ts_seal(b, 0);
    assert_memory_equal(b, v1_head, 16);
    memcpy(b, v1_head + 16, 16);
    ts_seal(b, 0);
    assert_memory_equal(b, v1_head + 16, 16);
    memcpy(b, v1_table + 24, 16);
    ts_seal(b, 1);
    assert_memory_equal(b, v1_table + 24, 16);
    assert_int_equal(ts_crc(0, (const uint8_t *)"hello", 5), 0x3610a686u);
    /* A store mounted from these bytes alone has no object. */
    ts_remount();
    size_t n;
    assert_int_equal(nvt_store_size(&ts.st, 0x0102, &n, NULL), NVT_E_NOT_FOUND);
}

/* Every program unit: where the blocks lie (FORMAT.md, "Sizes"). */
static void layout_per_unit(void **state)
{
    (void)state;
    static const uint32_t units[] = {1, 2, 4, 8, 16, 32};
    for (size_t u = 0; u < 6; u++) {
        uint32_t unit = units[u], da = unit < 4 ? 4 : unit, ib = unit < 16 ? 16 : unit;
        uint32_t a = ib + da, d0 = ib + a, ss = 2048;
        ts_setup(ss, 8, unit, 0);
        assert_int_equal(ts_put(7, 1, 10, NVT_STORE_SENSITIVE), NVT_OK);
        const uint8_t *m = ts.ram.bytes, *o = m + ib, *e = m + ss - a;
        /* Erase block: 16 bytes of information, 0xFF up to ib. */
        assert_int_equal(m[4], 11);
        assert_int_equal(m[5], u); /* log2 of the unit */
        for (uint32_t i = 16; i < ib; i++) {
            assert_int_equal(m[i], 0xFF);
        }
        /* Open block at ib; its mark (da zero bytes) at 2 * ib. */
        assert_int_equal(o[0], 'n');
        assert_int_equal(o[1], 'O');
        for (uint32_t i = 0; i < da; i++) {
            assert_int_equal(o[ib + i], 0x00);
        }
        /* Data at d0, padded with 0xFF to da. */
        ts_fill(ts_buf, 7, 1, 10);
        assert_memory_equal(m + d0, ts_buf, 10);
        for (uint32_t i = 10; i < (10 + da - 1) / da * da; i++) {
            assert_int_equal(m[d0 + i], 0xFF);
        }
        /* Slot 0 at the sector's end: type 0x43 (data, sensitive, last). */
        assert_int_equal(e[0], 0x43);
        assert_int_equal(e[3] | e[4] << 8, d0 / 4);
        uint8_t b[16];
        memcpy(b, e, 16);
        ts_seal(b, o[4] | (uint32_t)o[5] << 8 | (uint32_t)o[6] << 16 | (uint32_t)o[7] << 24);
        assert_memory_equal(b, e, 16);
        for (uint32_t i = 0; i < da; i++) {
            assert_int_equal(e[ib + i], 0x00);
        }
    }
}

/* nvt_store_probe: the geometry from the erase blocks alone, also when
 * sector 0's is damaged; nothing for a blank or foreign region, or for a
 * region of another size; a store of an unknown version is named. */
static int probe_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    const nvt_flash_t *fl = ctx;
    return nvt_flash_read(fl, addr, buf, len);
}

static void probe_finds_the_geometry(void **state)
{
    (void)state;
    static const uint32_t shapes[][3] = {{4096, 4, 8}, {2048, 8, 32}, {256, 64, 1}, {16384, 2, 8}};
    for (size_t i = 0; i < 4; i++) {
        ts_setup(shapes[i][0], shapes[i][1], shapes[i][2], 0);
        uint64_t size = (uint64_t)shapes[i][0] * shapes[i][1];
        nvt_flash_geometry_t g;
        unsigned version = 0;
        void *fl = (void *)&ts.ram.flash;
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, &version), NVT_OK);
        assert_int_equal(g.sector_size, shapes[i][0]);
        assert_int_equal(g.sector_count, shapes[i][1]);
        assert_int_equal(g.prog_unit, shapes[i][2]);
        assert_int_equal(version, 1);
        /* Another region size: not this store. Unknown size: sector 0 only. */
        assert_int_equal(nvt_store_probe(probe_read, fl, size / 2, &g, NULL), NVT_E_NOT_FORMATTED);
        assert_int_equal(nvt_store_probe(probe_read, fl, 0, &g, NULL), NVT_OK);
        /* Sector 0's erase block damaged: found from sector 1's. */
        ts.ram.bytes[9] ^= 0x10;
        memset(&g, 0, sizeof(g));
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, NULL), NVT_OK);
        assert_int_equal(g.sector_size, shapes[i][0]);
        /* A store of another format version. */
        for (uint32_t s = 0; s < shapes[i][1]; s++) {
            uint8_t *b = ts.ram.bytes + s * shapes[i][0];
            b[3] = 9;
            ts_seal(b, 0);
        }
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, &version), NVT_E_VERSION);
        assert_int_equal(version, 9);
        /* Blank, then foreign bytes. */
        memset(ts.ram.bytes, 0xFF, (size_t)size);
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, NULL), NVT_E_NOT_FORMATTED);
        memset(ts.ram.bytes, 0x5A, (size_t)size);
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, NULL), NVT_E_NOT_FORMATTED);
    }
    assert_int_equal(nvt_store_probe(NULL, NULL, 4096, &(nvt_flash_geometry_t){0}, NULL),
                     NVT_E_INVALID);
    assert_int_equal(nvt_store_probe(probe_read, &ts.ram.flash, 4096, NULL, NULL), NVT_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_version_1),
        cmocka_unit_test(layout_per_unit),
        cmocka_unit_test(probe_finds_the_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
