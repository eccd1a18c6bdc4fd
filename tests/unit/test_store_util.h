/* Shared fixture of the store's unit tests: a simulated flash region of a
 * chosen geometry, the store's buffers, and deterministic object contents.
 * Static (no heap), so the same tests run on the host and on QEMU. */
#ifndef TEST_STORE_UTIL_H
#define TEST_STORE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

/* Largest region the fixture simulates. */
#define TS_REGION (64u * 1024u)
#define TS_MAX_SECTORS 256u
#define TS_OBJECTS 16u

typedef struct ts {
    nvt_flash_ram_t ram;
    nvt_store_t st;
    nvt_store_config_t cfg;
    nvt_store_entry_t idx[TS_OBJECTS];
    nvt_store_sector_t sec[TS_MAX_SECTORS];
    uint8_t scratch[256];
} ts_t;

static uint32_t ts_mem[NVT_FLASH_RAM_MEM_BYTES(TS_REGION, 1, 1) / 4u + TS_MAX_SECTORS];
static ts_t ts;

/* Set up a blank region and a formatted store on it. */
static inline void ts_setup(uint32_t sector, uint32_t count, uint32_t unit, unsigned flags)
{
    nvt_flash_geometry_t geo = {sector, count, unit};
    memset(&ts, 0, sizeof(ts));
    assert_int_equal(nvt_flash_ram_init(&ts.ram, &geo, ts_mem, sizeof(ts_mem), flags, 1), NVT_OK);
    ts.cfg.flash = &ts.ram.flash;
    ts.cfg.index = ts.idx;
    ts.cfg.index_len = sizeof(ts.idx);
    ts.cfg.sectors = ts.sec;
    ts.cfg.sectors_len = sizeof(ts.sec);
    ts.cfg.scratch = ts.scratch;
    ts.cfg.scratch_len = sizeof(ts.scratch);
    assert_int_equal(nvt_store_format(&ts.st, &ts.cfg), NVT_OK);
}

/* Contents of version \p v of object \p id, byte \p i. */
static inline uint8_t ts_byte(uint32_t id, uint32_t v, uint32_t i)
{
    uint32_t x = (id * 2654435761u) ^ (v * 40503u) ^ (i * 2246822519u);
    x ^= x >> 13;
    x *= 0x5bd1e995u;
    return (uint8_t)(x ^ (x >> 15));
}

static inline void ts_fill(uint8_t *buf, uint32_t id, uint32_t v, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        buf[i] = ts_byte(id, v, i);
    }
}

static uint8_t ts_buf[8192], ts_out[8192];

static inline int ts_put(uint32_t id, uint32_t v, uint32_t len, unsigned flags)
{
    ts_fill(ts_buf, id, v, len);
    return nvt_store_put(&ts.st, (nvt_store_id_t)id, ts_buf, len, flags);
}

/* Object \p id holds version \p v of \p len bytes. */
static inline void ts_check(uint32_t id, uint32_t v, uint32_t len)
{
    size_t n = 0;
    memset(ts_out, 0xA5, sizeof(ts_out));
    assert_int_equal(nvt_store_get(&ts.st, (nvt_store_id_t)id, ts_out, sizeof(ts_out), &n),
                     NVT_OK);
    assert_int_equal(n, len);
    ts_fill(ts_buf, id, v, len);
    assert_memory_equal(ts_out, ts_buf, len);
}

static inline void ts_remount(void)
{
    memset(&ts.st, 0x5A, sizeof(ts.st));
    memset(ts.idx, 0x5A, sizeof(ts.idx));
    memset(ts.sec, 0x5A, sizeof(ts.sec));
    assert_int_equal(nvt_store_mount(&ts.st, &ts.cfg), NVT_OK);
}

/* CRC-32 (IEEE, reflected), written independently of the store's, for
 * tests that forge or patch on-flash blocks. */
static inline uint32_t ts_crc(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n-- > 0) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = crc & 1u ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }
    return ~crc;
}

/* Re-seal the 16-byte block at \p b (first 12 bytes) with \p seed, as
 * docs/FORMAT.md specifies: CRC-32 of seed (4 bytes LE) || bytes 0-11. */
static inline void ts_seal(uint8_t *b, uint32_t seed)
{
    uint8_t s4[4] = {(uint8_t)seed, (uint8_t)(seed >> 8), (uint8_t)(seed >> 16),
                     (uint8_t)(seed >> 24)};
    uint32_t c = ts_crc(ts_crc(0, s4, 4), b, 12);
    b[12] = (uint8_t)c;
    b[13] = (uint8_t)(c >> 8);
    b[14] = (uint8_t)(c >> 16);
    b[15] = (uint8_t)(c >> 24);
}

/* Bytes of the region equal to \p n bytes at \p p, anywhere. */
static inline int ts_find(const uint8_t *p, size_t n)
{
    uint32_t size = ts.ram.flash.geo.sector_size * ts.ram.flash.geo.sector_count;
    for (uint32_t a = 0; a + n <= size; a++) {
        if (ts.ram.bytes[a] == p[0] && memcmp(ts.ram.bytes + a, p, n) == 0) {
            return 1;
        }
    }
    return 0;
}

#endif /* TEST_STORE_UTIL_H */
