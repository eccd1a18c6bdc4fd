/* The `ram` flash driver: a NOR simulator with counters and power-cut
 * injection (include/nvtoken/flash_ram.h). */
#include "nvtoken/flash_ram.h"

#include <string.h>

#include "nvt_flash_tear.h"

void nvt_flash_ram_seed(nvt_flash_ram_t *ram, uint64_t seed)
{
    ram->rng = nvt_flash_rand_seed(seed);
}

static uint32_t region_size(const nvt_flash_ram_t *ram)
{
    return ram->flash.geo.sector_size * ram->flash.geo.sector_count;
}

/* One operation is starting: count it and tell whether power is cut now. */
static int cut_now(nvt_flash_ram_t *ram)
{
    ram->counters.ops++;
    if (ram->cut_in != 0 && --ram->cut_in == 0) {
        ram->power_lost = 1;
        return 1;
    }
    return 0;
}

static int ram_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    nvt_flash_ram_t *ram = ctx;
    if (ram->power_lost) {
        return NVT_E_POWER_LOST;
    }
    uint8_t *out = buf;
    memcpy(out, ram->bytes + addr, len);
    if (ram->flags & NVT_FLASH_RAM_UNSTABLE) {
        for (size_t i = 0; i < len; i++) {
            uint8_t w = ram->weak[addr + i];
            if (w != 0) {
                out[i] = (uint8_t)((out[i] & ~w) | (nvt_flash_rand(&ram->rng) & w));
            }
        }
    }
    ram->counters.bytes_read += len;
    return NVT_OK;
}

/* Program unit \p u with \p data (unit-sized). A TORN unit settles first:
 * its uncertain bits take random values. If \p tear, the program is cut:
 * of the bits \p data means to clear, a random subset is solidly cleared,
 * the others stay set but uncertain (unstable mode reads them as random
 * values), and the unit is TORN; otherwise every bit is solid. */
static void put_unit(nvt_flash_ram_t *ram, uint32_t u, const uint8_t *data, int tear)
{
    uint32_t n = ram->flash.geo.prog_unit;
    uint8_t *b = ram->bytes + u * n;
    uint8_t *w = ram->weak + u * n;
    if (ram->units[u] != NVT_FLASH_RAM_ERASED) {
        ram->counters.programmed_twice++;
    }
    nvt_flash_tear_t t;
    nvt_flash_tear_begin(&t, &ram->rng, n, tear);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t cur = (uint8_t)((b[i] & ~w[i]) | (nvt_flash_rand(&ram->rng) & w[i]));
        uint8_t clear = (uint8_t)(cur & ~data[i]);
        uint8_t solid = nvt_flash_tear_solid(&t, &ram->rng, i, clear);
        b[i] = (uint8_t)(cur & ~solid);
        w[i] = (uint8_t)(clear & ~solid);
    }
    ram->units[u] = tear ? NVT_FLASH_RAM_TORN : NVT_FLASH_RAM_PROGRAMMED;
}

static int ram_program(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    nvt_flash_ram_t *ram = ctx;
    if (ram->power_lost) {
        return NVT_E_POWER_LOST;
    }
    uint32_t unit = ram->flash.geo.prog_unit;
    uint32_t first = addr / unit;
    uint32_t n = (uint32_t)(len / unit);
    const uint8_t *data = buf;
    int cut = cut_now(ram);
    if (ram->flags & NVT_FLASH_RAM_STRICT) {
        for (uint32_t i = 0; i < n; i++) {
            if (ram->units[first + i] != NVT_FLASH_RAM_ERASED) {
                ram->counters.refused++;
                return cut ? NVT_E_POWER_LOST : NVT_E_PROGRAMMED;
            }
        }
    }
    uint32_t done = n;
    if (cut) {
        if (ram->cut_mode == NVT_FLASH_RAM_CUT_NOT_DONE) {
            return NVT_E_POWER_LOST;
        }
        if (ram->cut_mode == NVT_FLASH_RAM_CUT_TORN) {
            done = nvt_flash_rand(&ram->rng) % n;
        }
    }
    for (uint32_t i = 0; i < done; i++) {
        put_unit(ram, first + i, data + i * unit, 0);
    }
    if (done < n) {
        put_unit(ram, first + done, data + done * unit, 1);
        done++;
    }
    ram->counters.program_ops++;
    ram->counters.bytes_programmed += (uint64_t)done * unit;
    return cut ? NVT_E_POWER_LOST : NVT_OK;
}

static int ram_erase(void *ctx, uint32_t sector)
{
    nvt_flash_ram_t *ram = ctx;
    if (ram->power_lost) {
        return NVT_E_POWER_LOST;
    }
    int cut = cut_now(ram);
    if (cut && ram->cut_mode == NVT_FLASH_RAM_CUT_NOT_DONE) {
        return NVT_E_POWER_LOST;
    }
    uint32_t size = ram->flash.geo.sector_size;
    uint32_t unit = ram->flash.geo.prog_unit;
    uint8_t *b = ram->bytes + sector * size;
    memset(ram->weak + sector * size, 0, size);
    if (cut && ram->cut_mode == NVT_FLASH_RAM_CUT_TORN) {
        nvt_flash_tear_erase_bytes(nvt_flash_tear_erase_begin(&ram->rng), &ram->rng, b, size);
    } else {
        memset(b, NVT_FLASH_ERASED, size);
    }
    uint8_t *units = ram->units + sector * (size / unit);
    for (uint32_t u = 0; u < size / unit; u++) {
        units[u] = NVT_FLASH_RAM_ERASED;
        for (uint32_t i = 0; i < unit; i++) {
            if (b[u * unit + i] != NVT_FLASH_ERASED) {
                units[u] = NVT_FLASH_RAM_PROGRAMMED;
            }
        }
    }
    ram->erases[sector]++;
    ram->counters.erase_ops++;
    return cut ? NVT_E_POWER_LOST : NVT_OK;
}

static const nvt_flash_ops_t ram_ops = {ram_read, ram_program, ram_erase, NULL};

int nvt_flash_ram_init(nvt_flash_ram_t *ram, const nvt_flash_geometry_t *geo, void *mem,
                       size_t mem_len, unsigned flags, uint64_t seed)
{
    if (ram == NULL || mem == NULL || nvt_flash_geometry_check(geo) != NVT_OK ||
        ((uintptr_t)mem & 3u) != 0 ||
        mem_len < NVT_FLASH_RAM_MEM_BYTES(geo->sector_size, geo->sector_count, geo->prog_unit)) {
        return NVT_E_INVALID;
    }
    memset(ram, 0, sizeof(*ram));
    ram->flash.ops = &ram_ops;
    ram->flash.ctx = ram;
    ram->flash.geo = *geo;
    uint32_t size = region_size(ram);
    ram->erases = mem;
    ram->bytes = (uint8_t *)mem + (size_t)geo->sector_count * 4u;
    ram->weak = ram->bytes + size;
    ram->units = ram->weak + size;
    memset(ram->erases, 0, (size_t)geo->sector_count * 4u);
    memset(ram->bytes, NVT_FLASH_ERASED, size);
    memset(ram->weak, 0, size);
    memset(ram->units, NVT_FLASH_RAM_ERASED, size / geo->prog_unit);
    ram->flags = flags;
    nvt_flash_ram_seed(ram, seed);
    return NVT_OK;
}

int nvt_flash_ram_load(nvt_flash_ram_t *ram, const void *image, size_t len)
{
    if (ram == NULL || image == NULL || len != region_size(ram)) {
        return NVT_E_INVALID;
    }
    const uint32_t unit = ram->flash.geo.prog_unit;
    const uint8_t *src = image;
    memcpy(ram->bytes, src, len);
    memset(ram->weak, 0, len);
    for (size_t u = 0; u < len / unit; u++) {
        uint8_t all = NVT_FLASH_ERASED;
        for (uint32_t i = 0; i < unit; i++) {
            all &= src[u * unit + i];
        }
        ram->units[u] = all == NVT_FLASH_ERASED ? NVT_FLASH_RAM_ERASED : NVT_FLASH_RAM_PROGRAMMED;
    }
    return NVT_OK;
}

void nvt_flash_ram_set_flags(nvt_flash_ram_t *ram, unsigned flags)
{
    ram->flags = flags;
}

void nvt_flash_ram_cut_at(nvt_flash_ram_t *ram, uint32_t n, nvt_flash_ram_cut_t mode)
{
    ram->cut_in = n;
    ram->cut_mode = mode;
}

int nvt_flash_ram_power_lost(const nvt_flash_ram_t *ram)
{
    return ram->power_lost;
}

void nvt_flash_ram_power_on(nvt_flash_ram_t *ram)
{
    ram->power_lost = 0;
    ram->cut_in = 0;
}

void nvt_flash_ram_reset_counters(nvt_flash_ram_t *ram)
{
    memset(&ram->counters, 0, sizeof(ram->counters));
    memset(ram->erases, 0, (size_t)ram->flash.geo.sector_count * 4u);
}
