/* The on-flash format, byte for byte, as docs/FORMAT.md specifies it:
 * version 2 as this store writes it, version 1 as every image made before
 * it holds (read, then migrated to version 2, power cuts included). A change
 * that moves a byte fails here: then the format version goes up and this
 * file keeps the old case. */
#include "test_store_util.h"

#include "nvt_store_priv.h"
#include "store_v1/v1_image.h"

/* 4 x 4096 B, 8-byte unit, after format, put(0x0102, "hello") and
 * delete(0x0102). Sector 0 (the first opened, sequence number 1). Version
 * 1: */
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

/* Version 2: the erase block's version byte, the open block's byte 2 (the
 * version; reserved in version 1) and their CRCs differ. */
static const uint8_t v2_head[48] = {
    /* erase block: "nvE", version 2, log2 4096, log2 8, 4 sectors,
     * erase count 0, CRC */
    0x6e, 0x76, 0x45, 0x02, 0x0c, 0x03, 0x04, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x55, 0xc5, 0xfc, 0x90,
    /* open block: "nO", version 2, reserved, sequence 1, erase count 0,
     * CRC, mark */
    0x6e, 0x4f, 0x02, 0xff, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x82, 0xc5, 0x78, 0xe9,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* data at 40: "hello" padded to the unit with 0xFF */
    0x68, 0x65, 0x6c, 0x6c, 0x6f, 0xff, 0xff, 0xff};

/* The last 48 bytes of sector 0 (both versions): table slot 1 (the
 * tombstone), slot 0. */
static const uint8_t table[48] = {
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

/* The region holds the golden image of \p head (sectors 1-3: their erase
 * block, then erased). */
static void golden_image(const uint8_t *head)
{
    const uint8_t *m = ts.ram.bytes;
    assert_memory_equal(m, head, 48);
    assert_memory_equal(m + 4096 - 48, table, sizeof(table));
    for (uint32_t i = 48; i < 4096 - 48; i++) {
        assert_int_equal(m[i], 0xFF);
    }
    for (uint32_t s = 1; s < 4; s++) {
        assert_memory_equal(m + s * 4096u, head, 16);
        for (uint32_t i = 16; i < 4096; i++) {
            assert_int_equal(m[s * 4096u + i], 0xFF);
        }
    }
}

/* The CRCs cover what FORMAT.md says: seed (4 bytes LE) || bytes 0-11. */
static void crcs_as_documented(const uint8_t *head)
{
    uint8_t b[16];
    memcpy(b, head, 16);
    ts_seal(b, 0);
    assert_memory_equal(b, head, 16);
    memcpy(b, head + 16, 16);
    ts_seal(b, 0);
    assert_memory_equal(b, head + 16, 16);
    memcpy(b, table + 24, 16);
    ts_seal(b, 1);
    assert_memory_equal(b, table + 24, 16);
    assert_int_equal(ts_crc(0, (const uint8_t *)"hello", 5), 0x3610a686u);
}

static void golden_version_2(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(nvt_store_put(&ts.st, 0x0102, "hello", 5, 0), NVT_OK);
    assert_int_equal(nvt_store_delete(&ts.st, 0x0102), NVT_OK);
    golden_image(v2_head);
    crcs_as_documented(v2_head);
    /* A store mounted from these bytes alone has no object. */
    ts_remount();
    size_t n;
    assert_int_equal(nvt_store_size(&ts.st, 0x0102, &n, NULL), NVT_E_NOT_FOUND);
}

/* A blank 4 x 4 kB region at 8-byte units (no store). */
static void blank_region(uint32_t size, uint32_t count, uint32_t unit)
{
    nvt_flash_geometry_t geo = {size, count, unit};
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(nvt_flash_ram_init(&ts.ram, &geo, ts_mem, sizeof(ts_mem), 0, 1), NVT_OK);
    ts.cfg = (nvt_store_config_t){&ts.ram.flash, ts.idx, sizeof(ts.idx), ts.sec, sizeof(ts.sec),
                                  ts.scratch, sizeof(ts.scratch)};
}

/* Version 1's bytes are what the version-1 store wrote (store_v1/), and
 * this store reads them. */
static void golden_version_1(void **state)
{
    (void)state;
    blank_region(4096, 4, 8);
    static const v1_op_t ops[] = {{0x0102, 0, (const uint8_t *)"hello", 5, 0},
                                  {0x0102, 1, NULL, 0, 0}};
    assert_int_equal(v1_image_build(&ts.ram.flash, ops, 2, NULL), NVT_OK);
    golden_image(v1_head);
    crcs_as_documented(v1_head);
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_OK);
    size_t n;
    assert_int_equal(nvt_store_size(&ts.st, 0x0102, &n, NULL), NVT_E_NOT_FOUND);
    /* The same bytes again, with the object alive (no tombstone). */
    blank_region(4096, 4, 8);
    assert_int_equal(v1_image_build(&ts.ram.flash, ops, 1, NULL), NVT_OK);
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_OK);
    assert_int_equal(nvt_store_get(&ts.st, 0x0102, ts_out, sizeof(ts_out), &n), NVT_OK);
    assert_int_equal(n, 5);
    assert_memory_equal(ts_out, "hello", 5);
}

/* ---- one flipped bit corrected ------------------------------------------ */

/* The reader corrects every single-bit error of a block (erase block,
 * table entry: its 12 bytes and its CRC) and takes no 2-bit error for one:
 * the CRC-32 over seed and block is a distance-4 code at this length
 * (docs/DESIGN.md "Bit flips"). */
static void crc_corrects_one_bit_only(void **state)
{
    (void)state;
    ts_setup(4096, 4, 8, 0);
    assert_int_equal(ts_put(7, 1, 100, 0), NVT_OK);
    const nvt_store_entry_t *e = &ts.idx[0];
    uint32_t seq = ts.sec[e->addr / 4096u].seq;
    /* sector 1's erase block (no mark, seed 0), the entry (mark, seed seq) */
    const struct {
        uint32_t addr, mark, seed;
    } blocks[2] = {{4096, 0, 0}, {e->addr, 1, seq}};
    uint8_t b[NVT_ST_BLK_MAX], good[16];
    for (size_t k = 0; k < 2; k++) {
        uint8_t *m = ts.ram.bytes + blocks[k].addr;
        memcpy(good, m, 16);
        for (uint32_t i = 0; i < 128; i++) {
            m[i / 8] ^= (uint8_t)(1u << (i % 8));
            uint32_t fixed = ts.st.corrected;
            assert_int_equal(nvt_st_block(&ts.st, blocks[k].addr, b, (int)blocks[k].mark,
                                        blocks[k].seed),
                             NVT_ST_B_OK);
            assert_int_equal(ts.st.corrected, fixed + 1);
            assert_memory_equal(b, good, 16);
            for (uint32_t j = i + 1; j < 128; j++) {
                m[j / 8] ^= (uint8_t)(1u << (j % 8));
                int rc = nvt_st_block(&ts.st, blocks[k].addr, b, (int)blocks[k].mark,
                                    blocks[k].seed);
                assert_int_equal(rc, blocks[k].mark ? NVT_ST_B_LOST : NVT_ST_B_BAD);
                m[j / 8] ^= (uint8_t)(1u << (j % 8));
            }
            m[i / 8] ^= (uint8_t)(1u << (i % 8));
        }
        assert_memory_equal(m, good, 16);
    }
}

/* ---- migration from version 1 ------------------------------------------- */

static const uint32_t seed_lens[6] = {1700, 1200, 1200, 240, 91, 1000};
#define V1_REPS 40u
static uint8_t pool[6 + V1_REPS + 1][1700];
static uint32_t ver[7]; /* the version of object id (1..6) the image holds */

/* A real version-1 image, made by the version-1 store: the seed set (the
 * 1200-byte key, id 3, sensitive), the certificate (id 2) replaced
 * V1_REPS times, the 91-byte object (id 5) deleted and made again halfway:
 * enough to have collected and reused sectors. */
static void build_v1(uint32_t size, uint32_t count, uint32_t unit)
{
    static v1_op_t ops[6 + V1_REPS + 2];
    size_t n = 0, p = 0;
    blank_region(size, count, unit);
    for (uint32_t i = 0; i < 6; i++, p++) {
        ts_fill(pool[p], i + 1, 1, seed_lens[i]);
        ops[n++] = (v1_op_t){(uint16_t)(i + 1), 0, pool[p], seed_lens[i],
                             i == 2 ? NVT_STORE_SENSITIVE : 0u};
        ver[i + 1] = 1;
    }
    for (uint32_t v = 2; v <= V1_REPS + 1; v++, p++) {
        ts_fill(pool[p], 2, v, 1200);
        ops[n++] = (v1_op_t){2, 0, pool[p], 1200, 0};
        if (v == V1_REPS / 2) {
            ops[n++] = (v1_op_t){5, 1, NULL, 0, 0};
            ops[n++] = (v1_op_t){5, 0, pool[4], 91, 0}; /* version 1 again */
        }
    }
    ver[2] = V1_REPS + 1;
    assert_int_equal(v1_image_build(&ts.ram.flash, ops, n, NULL), NVT_OK);
}

static void seed_set_reads(uint32_t cert)
{
    for (uint32_t id = 1; id <= 6; id++) {
        ts_check(id, id == 2 ? cert : ver[id], seed_lens[id - 1]);
    }
}

/* The format version of sector \p s's erase block (0: none valid). */
static uint32_t sector_version(uint32_t s)
{
    const uint8_t *b = ts.ram.bytes + s * ts.ram.flash.geo.sector_size;
    uint8_t c[16];
    memcpy(c, b, 16);
    ts_seal(c, 0);
    return memcmp(c, b, 16) == 0 && b[0] == 'n' && b[1] == 'v' && b[2] == 'E' ? b[3] : 0u;
}

static const uint32_t mig_geos[][3] = {{4096, 4, 8}, {16384, 2, 8}, {2048, 8, 32}, {256, 64, 1}};

/* A version-1 image mounts, reads, and the next change rewrites it all as
 * version 2: free sectors erased, log sectors collected into version-2
 * sectors. */
static void migrates_from_version_1(void **state)
{
    (void)state;
    for (size_t g = 0; g < 4; g++) {
        build_v1(mig_geos[g][0], mig_geos[g][1], mig_geos[g][2]);
        uint32_t old = 0;
        for (uint32_t s = 0; s < mig_geos[g][1]; s++) {
            old += sector_version(s) == 1;
        }
        assert_true(old > 0);
        ts_remount();
        seed_set_reads(ver[2]);
        nvt_store_stats_t stats;
        assert_int_equal(nvt_store_stat(&ts.st, &stats), NVT_OK);
        assert_int_equal(stats.objects, 6);
        /* Mounting writes nothing; the next change migrates. */
        assert_int_equal(sector_version(0) == 1 || sector_version(0) == 0, 1);
        assert_int_equal(ts_put(2, 100, 1200, 0), NVT_OK);
        for (uint32_t s = 0; s < mig_geos[g][1]; s++) {
            assert_int_equal(sector_version(s), NVT_ST_VERSION);
        }
        seed_set_reads(100);
        ts_remount();
        seed_set_reads(100);
        /* And it goes on as any version-2 store. */
        for (uint32_t v = 101; v < 140; v++) {
            assert_int_equal(ts_put(2, v, 1200, 0), NVT_OK);
        }
        ts_remount();
        seed_set_reads(139);
        assert_int_equal(ts.ram.counters.programmed_twice, 0);
    }
}

/* A power cut at every flash operation of that migrating change: every
 * object reads old (or, the one put, new), and the change done again
 * completes the migration. */
static void migration_survives_power_cuts(void **state)
{
    (void)state;
    static uint32_t image[sizeof(ts_mem) / 4];
    static ts_t keep;
    for (size_t g = 0; g < 4; g++) {
        build_v1(mig_geos[g][0], mig_geos[g][1], mig_geos[g][2]);
        memcpy(image, ts_mem, sizeof(ts_mem));
        keep = ts;
        ts_remount();
        uint32_t before = ts.ram.counters.ops;
        assert_int_equal(ts_put(2, 100, 1200, 0), NVT_OK);
        uint32_t n = ts.ram.counters.ops - before;
        uint32_t step = mig_geos[g][1] > 8 ? 7 : 1; /* 64 x 256 B: every 7th */
        for (uint32_t cut = 1; cut <= n; cut += step) {
            memcpy(ts_mem, image, sizeof(ts_mem));
            ts = keep;
            ts_remount();
            nvt_flash_ram_seed(&ts.ram, cut);
            nvt_flash_ram_cut_at(&ts.ram, cut, NVT_FLASH_RAM_CUT_TORN);
            assert_int_equal(ts_put(2, 100, 1200, 0), NVT_E_POWER_LOST);
            nvt_flash_ram_power_on(&ts.ram);
            ts_remount();
            size_t len;
            assert_int_equal(nvt_store_get(&ts.st, 2, ts_out, sizeof(ts_out), &len), NVT_OK);
            ts_fill(ts_buf, 2, 100, 1200);
            uint32_t cert = memcmp(ts_out, ts_buf, 1200) == 0 ? 100 : ver[2];
            seed_set_reads(cert);
            assert_int_equal(ts_put(2, 101, 1200, 0), NVT_OK);
            for (uint32_t s = 0; s < mig_geos[g][1]; s++) {
                assert_int_equal(sector_version(s), NVT_ST_VERSION);
            }
            ts_remount();
            seed_set_reads(101);
        }
    }
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

/* nvt_store_probe: the geometry from the erase blocks alone, of version 2
 * and of version 1, with a flipped bit corrected, also when sector 0's is
 * damaged beyond that; nothing for a blank or foreign region, or for a
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
        assert_int_equal(version, NVT_ST_VERSION);
        /* Another region size: not this store. Unknown size: sector 0 only. */
        assert_int_equal(nvt_store_probe(probe_read, fl, size / 2, &g, NULL), NVT_E_NOT_FORMATTED);
        assert_int_equal(nvt_store_probe(probe_read, fl, 0, &g, NULL), NVT_OK);
        /* One flipped bit in every sector's erase block: corrected. */
        for (uint32_t s = 0; s < shapes[i][1]; s++) {
            ts.ram.bytes[s * shapes[i][0] + (s * 37u + i) % 16u] ^= (uint8_t)(1u << (s % 8u));
        }
        memset(&g, 0, sizeof(g));
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, &version), NVT_OK);
        assert_int_equal(g.sector_size, shapes[i][0]);
        assert_int_equal(g.sector_count, shapes[i][1]);
        assert_int_equal(g.prog_unit, shapes[i][2]);
        assert_int_equal(version, NVT_ST_VERSION);
        /* Sector 0's erase block damaged beyond correction: found from
         * another sector's. */
        ts.ram.bytes[9] ^= 0x10;
        ts.ram.bytes[2] ^= 0x01;
        memset(&g, 0, sizeof(g));
        assert_int_equal(nvt_store_probe(probe_read, fl, size, &g, NULL), NVT_OK);
        assert_int_equal(g.sector_size, shapes[i][0]);
        assert_int_equal(g.sector_count, shapes[i][1]);
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
    /* Version 1, written by the version-1 store: found, and named. */
    for (size_t i = 0; i < 4; i++) {
        static uint8_t obj[300];
        ts_fill(obj, 1, 1, sizeof(obj));
        const v1_op_t ops[] = {{1, 0, obj, sizeof(obj), 0}, {2, 0, obj, 40, NVT_STORE_SENSITIVE}};
        blank_region(shapes[i][0], shapes[i][1], shapes[i][2]);
        assert_int_equal(v1_image_build(&ts.ram.flash, ops, 2, NULL), NVT_OK);
        nvt_flash_geometry_t g;
        unsigned version = 0;
        uint64_t size = (uint64_t)shapes[i][0] * shapes[i][1];
        assert_int_equal(nvt_store_probe(probe_read, &ts.ram.flash, size, &g, &version), NVT_OK);
        assert_int_equal(g.sector_size, shapes[i][0]);
        assert_int_equal(g.sector_count, shapes[i][1]);
        assert_int_equal(g.prog_unit, shapes[i][2]);
        assert_int_equal(version, 1);
    }
    assert_int_equal(nvt_store_probe(NULL, NULL, 4096, &(nvt_flash_geometry_t){0}, NULL),
                     NVT_E_INVALID);
    assert_int_equal(nvt_store_probe(probe_read, &ts.ram.flash, 4096, NULL, NULL), NVT_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_version_2),
        cmocka_unit_test(golden_version_1),
        cmocka_unit_test(crc_corrects_one_bit_only),
        cmocka_unit_test(migrates_from_version_1),
        cmocka_unit_test(migration_survives_power_cuts),
        cmocka_unit_test(layout_per_unit),
        cmocka_unit_test(probe_finds_the_geometry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
