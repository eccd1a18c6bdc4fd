/* libFuzzer target: mount an arbitrary flash image, fsck it (with and
 * without repair), read every object, then run a few writes and mount
 * again. No crash, no out-of-bounds access (ASan), no undefined behaviour
 * (UBSan), no hang (libFuzzer's timeout). Input layout: fuzz_common.h. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n);

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(FUZZ_REGION_MAX, 1, 1) / 4u + FUZZ_SECTORS_MAX];
static nvt_store_entry_t idx[8];
static nvt_store_sector_t sec[FUZZ_SECTORS_MAX];
static uint8_t scratch[NVT_STORE_SCRATCH_MIN];
static uint8_t buf[FUZZ_REGION_MAX];

static void read_all(nvt_store_t *st)
{
    nvt_store_id_t id = NVT_STORE_ID_NONE, next;
    nvt_store_stats_t stats;
    size_t len, got;
    unsigned flags;
    uint32_t c;
    for (int guard = 0; guard < 64 && nvt_store_next(st, id, &next) == NVT_OK; guard++) {
        (void)nvt_store_size(st, next, &len, &flags);
        (void)nvt_store_get(st, next, buf, sizeof(buf), &len);
        (void)nvt_store_read(st, next, 7, buf, 100, &got);
        id = next;
    }
    (void)nvt_store_stat(st, &stats);
    (void)nvt_store_erase_count(st, 0, &c);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t n)
{
    static nvt_flash_ram_t ram;
    nvt_store_t st;
    nvt_store_fsck_report_t rep;
    if (n < 2) {
        return 0;
    }
    const nvt_flash_geometry_t *geo = &fuzz_geos[in[0] % FUZZ_NGEO];
    unsigned flags = in[1];
    uint32_t size = geo->sector_size * geo->sector_count;
    if (nvt_flash_ram_init(&ram, geo, mem, sizeof(mem),
                           flags & FUZZ_STRICT ? NVT_FLASH_RAM_STRICT : 0, n) != NVT_OK) {
        return 0;
    }
    size_t img = n - 2 < size ? n - 2 : size;
    memcpy(ram.bytes, in + 2, img);
    for (uint32_t u = 0; u < size / geo->prog_unit; u++) {
        for (uint32_t i = 0; i < geo->prog_unit; i++) {
            if (ram.bytes[u * geo->prog_unit + i] != 0xFF) {
                ram.units[u] = NVT_FLASH_RAM_PROGRAMMED;
            }
        }
    }
    nvt_store_config_t cfg = {&ram.flash, idx, sizeof(idx), sec, sizeof(sec), scratch,
                              sizeof(scratch)};
    if (nvt_store_mount(&st, &cfg) != NVT_OK) {
        return 0;
    }
    read_all(&st);
    (void)nvt_store_fsck(&st, 0, &rep, NULL, NULL);
    read_all(&st);
    if (!(flags & FUZZ_WRITE)) {
        return 0;
    }
    (void)nvt_store_fsck(&st, NVT_STORE_FSCK_REPAIR, &rep, NULL, NULL);
    const uint8_t *op = in + 2 + img;
    size_t left = n - 2 - img;
    if (left > 3 * FUZZ_OPS_MAX) {
        left = 3 * FUZZ_OPS_MAX;
    }
    for (; left >= 3; left -= 3, op += 3) {
        nvt_store_id_t id = op[1] & 7u;
        size_t len = (size_t)op[2] * 7u;
        memset(buf, op[2], len);
        switch (op[0] & 3u) {
        case 0: (void)nvt_store_put(&st, id, buf, len, op[0] & 4u ? NVT_STORE_SENSITIVE : 0); break;
        case 1: (void)nvt_store_delete(&st, id); break;
        case 2: (void)nvt_store_gc(&st); break;
        default: read_all(&st); break;
        }
    }
    if (nvt_store_mount(&st, &cfg) == NVT_OK) {
        read_all(&st);
    }
    return 0;
}
