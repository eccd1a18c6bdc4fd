/* NOR flash emulated over a medium of plain bytes, with power-cut injection
 * (include/nvtoken/flash_emu.h). */
#include "nvtoken/flash_emu.h"

#include <string.h>

#include "nvt_flash_tear.h"

/* Bytes moved through the stack per medium call: a multiple of every
 * program unit. */
#define EMU_CHUNK 256u

/* One state-changing operation is starting: count it and tell whether the
 * power is cut during it. */
static int cut_now(nvt_flash_emu_t *emu)
{
    emu->ops++;
    return emu->cut_in != 0 && --emu->cut_in == 0;
}

/* The cut has done its damage: the board stops (if the driver says how),
 * else the region is dead until power on. */
static int power_cut(nvt_flash_emu_t *emu)
{
    emu->power_lost = 1;
    if (emu->stop != NULL) {
        emu->stop(emu->io_ctx);
    }
    return NVT_E_POWER_LOST;
}

static size_t chunk(size_t left)
{
    return left < EMU_CHUNK ? left : EMU_CHUNK;
}

/* Write 0xFF over [addr, addr + len). */
static int fill_erased(nvt_flash_emu_t *emu, uint32_t addr, uint32_t len)
{
    uint8_t ff[EMU_CHUNK];
    memset(ff, NVT_FLASH_ERASED, sizeof(ff));
    for (uint32_t done = 0; done < len; done += (uint32_t)sizeof(ff)) {
        int rc = emu->io->write(emu->io_ctx, addr + done, ff, chunk(len - done));
        if (rc != NVT_OK) {
            return rc;
        }
    }
    return NVT_OK;
}

/* Program [addr, addr + len) completely: old AND new, chunk by chunk. */
static int and_into(nvt_flash_emu_t *emu, uint32_t addr, const uint8_t *data, size_t len)
{
    uint8_t cur[EMU_CHUNK];
    for (size_t done = 0; done < len; done += sizeof(cur)) {
        size_t n = chunk(len - done);
        int rc = emu->io->read(emu->io_ctx, addr + (uint32_t)done, cur, n);
        if (rc != NVT_OK) {
            return rc;
        }
        for (size_t i = 0; i < n; i++) {
            cur[i] &= data[done + i];
        }
        rc = emu->io->write(emu->io_ctx, addr + (uint32_t)done, cur, n);
        if (rc != NVT_OK) {
            return rc;
        }
    }
    return NVT_OK;
}

/* Whether every byte of [addr, addr + len) reads 0xFF (unit-aligned, so:
 * whether every unit it covers is erased). */
static int all_erased(nvt_flash_emu_t *emu, uint32_t addr, size_t len, int *erased)
{
    uint8_t cur[EMU_CHUNK];
    *erased = 1;
    for (size_t done = 0; done < len && *erased; done += sizeof(cur)) {
        size_t n = chunk(len - done);
        int rc = emu->io->read(emu->io_ctx, addr + (uint32_t)done, cur, n);
        if (rc != NVT_OK) {
            return rc;
        }
        for (size_t i = 0; i < n; i++) {
            *erased &= cur[i] == NVT_FLASH_ERASED;
        }
    }
    return NVT_OK;
}

/* Tear the unit at \p addr: of the bits \p data meant to clear, a random
 * subset is cleared. */
static int tear_unit(nvt_flash_emu_t *emu, uint32_t addr, const uint8_t *data)
{
    uint32_t unit = emu->geo.prog_unit;
    uint8_t cur[NVT_FLASH_PROG_UNIT_MAX];
    int rc = emu->io->read(emu->io_ctx, addr, cur, unit);
    if (rc != NVT_OK) {
        return rc;
    }
    nvt_flash_tear_t t;
    nvt_flash_tear_begin(&t, &emu->rng, unit, 1);
    for (uint32_t i = 0; i < unit; i++) {
        cur[i] &= (uint8_t)~nvt_flash_tear_solid(&t, &emu->rng, i, (uint8_t)(cur[i] & ~data[i]));
    }
    return emu->io->write(emu->io_ctx, addr, cur, unit);
}

static int emu_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    nvt_flash_emu_t *emu = ctx;
    return emu->power_lost ? NVT_E_POWER_LOST : emu->io->read(emu->io_ctx, addr, buf, len);
}

static int emu_program(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    nvt_flash_emu_t *emu = ctx;
    if (emu->power_lost) {
        return NVT_E_POWER_LOST;
    }
    int cut = cut_now(emu);
    if (emu->flags & NVT_FLASH_EMU_STRICT) {
        int erased;
        int rc = all_erased(emu, addr, len, &erased);
        if (rc != NVT_OK) {
            return rc;
        }
        if (!erased) {
            return cut ? power_cut(emu) : NVT_E_PROGRAMMED;
        }
    }
    uint32_t unit = emu->geo.prog_unit;
    size_t units = len / unit;
    size_t whole = units;
    if (cut && emu->cut_mode == NVT_FLASH_CUT_NOT_DONE) {
        return power_cut(emu);
    }
    if (cut && emu->cut_mode == NVT_FLASH_CUT_TORN) {
        whole = nvt_flash_rand(&emu->rng) % units;
    }
    const uint8_t *data = buf;
    int rc = and_into(emu, addr, data, whole * unit);
    if (rc == NVT_OK && whole < units) {
        rc = tear_unit(emu, addr + (uint32_t)(whole * unit), data + whole * unit);
    }
    if (rc != NVT_OK) {
        return rc;
    }
    return cut ? power_cut(emu) : NVT_OK;
}

static int emu_erase(void *ctx, uint32_t sector)
{
    nvt_flash_emu_t *emu = ctx;
    if (emu->power_lost) {
        return NVT_E_POWER_LOST;
    }
    int cut = cut_now(emu);
    uint32_t size = emu->geo.sector_size;
    uint32_t base = sector * size;
    int rc = NVT_OK;
    if (cut && emu->cut_mode == NVT_FLASH_CUT_NOT_DONE) {
        return power_cut(emu);
    }
    if (cut && emu->cut_mode == NVT_FLASH_CUT_TORN) {
        nvt_flash_tear_erase_t profile = nvt_flash_tear_erase_begin(&emu->rng);
        uint8_t cur[EMU_CHUNK];
        for (uint32_t done = 0; done < size && rc == NVT_OK; done += (uint32_t)sizeof(cur)) {
            rc = emu->io->read(emu->io_ctx, base + done, cur, chunk(size - done));
            if (rc == NVT_OK) {
                nvt_flash_tear_erase_bytes(profile, &emu->rng, cur, chunk(size - done));
                rc = emu->io->write(emu->io_ctx, base + done, cur, chunk(size - done));
            }
        }
    } else {
        rc = fill_erased(emu, base, size);
    }
    if (rc != NVT_OK) {
        return rc;
    }
    return cut ? power_cut(emu) : NVT_OK;
}

static int emu_sync(void *ctx)
{
    nvt_flash_emu_t *emu = ctx;
    if (emu->power_lost) {
        return NVT_E_POWER_LOST;
    }
    return emu->io->sync != NULL ? emu->io->sync(emu->io_ctx) : NVT_OK;
}

static const nvt_flash_ops_t emu_ops = { emu_read, emu_program, emu_erase, emu_sync };

int nvt_flash_emu_init(nvt_flash_t *flash, nvt_flash_emu_t *emu, const nvt_flash_geometry_t *geo,
                       const nvt_flash_emu_io_t *io, void *io_ctx, unsigned flags)
{
    if (flash == NULL || emu == NULL || io == NULL || io->read == NULL || io->write == NULL ||
        nvt_flash_geometry_check(geo) != NVT_OK) {
        return NVT_E_INVALID;
    }
    memset(emu, 0, sizeof(*emu));
    emu->geo = *geo;
    emu->io = io;
    emu->io_ctx = io_ctx;
    emu->flags = flags;
    emu->rng = nvt_flash_rand_seed(0);
    flash->ops = &emu_ops;
    flash->ctx = emu;
    flash->geo = *geo;
    return NVT_OK;
}

int nvt_flash_emu_blank(nvt_flash_emu_t *emu)
{
    return fill_erased(emu, 0, emu->geo.sector_size * emu->geo.sector_count);
}

void nvt_flash_emu_cut_at(nvt_flash_emu_t *emu, uint32_t n, nvt_flash_cut_t mode, uint64_t seed)
{
    emu->cut_in = n;
    emu->cut_mode = mode;
    emu->rng = nvt_flash_rand_seed(seed);
}

int nvt_flash_emu_power_lost(const nvt_flash_emu_t *emu)
{
    return emu->power_lost;
}

void nvt_flash_emu_power_on(nvt_flash_emu_t *emu)
{
    emu->power_lost = 0;
    emu->cut_in = 0;
}
