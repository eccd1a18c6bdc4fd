/* Writes the fuzz target's seed corpus into a directory: for every fuzzed
 * geometry, images of a small workload (a few objects, one spanning
 * sectors, replacements, a delete), some cut short by a power cut, each with
 * and without trailing operations. Generated at build time, so no binary
 * files live in git. usage: make_corpus DIR */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(FUZZ_REGION_MAX, 1, 1) / 4u + FUZZ_SECTORS_MAX];
static nvt_store_entry_t idx[8];
static nvt_store_sector_t sec[FUZZ_SECTORS_MAX];
static uint8_t scratch[NVT_STORE_SCRATCH_MIN];
static uint8_t data[1200], out[2 + FUZZ_REGION_MAX + 12];

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    unsigned files = 0;
    for (unsigned g = 0; g < FUZZ_NGEO; g++) {
        for (unsigned cut = 0; cut < 6; cut++) {
            static nvt_flash_ram_t ram;
            nvt_store_t st;
            const nvt_flash_geometry_t *geo = &fuzz_geos[g];
            uint32_t size = geo->sector_size * geo->sector_count;
            if (nvt_flash_ram_init(&ram, geo, mem, sizeof(mem), 0, cut) != NVT_OK) {
                return 1;
            }
            nvt_store_config_t cfg = {&ram.flash, idx, sizeof(idx), sec, sizeof(sec), scratch,
                                      sizeof(scratch)};
            if (nvt_store_format(&st, &cfg) != NVT_OK) {
                return 1;
            }
            nvt_store_stats_t stats;
            (void)nvt_store_stat(&st, &stats);
            if (cut != 0) {
                nvt_flash_ram_cut_at(&ram, 3 + cut * 5u, NVT_FLASH_RAM_CUT_TORN);
            }
            for (unsigned v = 0; v < 12 && !nvt_flash_ram_power_lost(&ram); v++) {
                memset(data, (int)(v * 17u + 1u), sizeof(data));
                size_t big = stats.max_object < 700 ? stats.max_object : 700;
                (void)nvt_store_put(&st, (nvt_store_id_t)(v % 4u), data,
                                    v % 4u == 0 ? big : 40u + v * 9u, v % 4u == 3 ? 1u : 0u);
                if (v == 7) {
                    (void)nvt_store_delete(&st, 1);
                }
            }
            for (unsigned w = 0; w < 2; w++) {
                char name[512];
                out[0] = (uint8_t)g;
                out[1] = (uint8_t)(w ? FUZZ_WRITE : 0);
                memcpy(out + 2, ram.bytes, size);
                static const uint8_t ops[12] = {0, 2, 50, 1, 0, 0, 2, 0, 0, 3, 0, 0};
                memcpy(out + 2 + size, ops, sizeof(ops));
                snprintf(name, sizeof(name), "%s/seed-g%u-c%u-w%u", argv[1], g, cut, w);
                FILE *f = fopen(name, "wb");
                if (f == NULL || fwrite(out, 1, 2 + size + (w ? sizeof(ops) : 0), f) == 0) {
                    return 1;
                }
                fclose(f);
                files++;
            }
        }
    }
    printf("make_corpus: %u seeds in %s\n", files, argv[1]);
    return 0;
}
