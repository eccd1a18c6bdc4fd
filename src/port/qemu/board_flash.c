/* The QEMU reference board's token region: the flash window the linker
 * script reserves (NVTOKEN), its cells kept across power-off in a host file
 * through semihosting. See qemu_board.h. */
#include "qemu_board.h"
#include "semihosting.h"

#include <string.h>

/* From mps2_an386.ld. */
extern uint8_t nvt_qemu_token_start[], nvt_qemu_token_end[];

/* Reads come from the window, as on a part whose flash is memory-mapped. */
static int region_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    nvt_qemu_flash_t *f = ctx;
    memcpy(buf, f->window + addr, len);
    return NVT_OK;
}

/* The file holds the cells: written first, the window after. */
static int region_write(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    nvt_qemu_flash_t *f = ctx;
    if (nvt_semihost_seek(f->handle, addr) != 0 || nvt_semihost_fwrite(f->handle, buf, len) != 0) {
        return NVT_E_IO;
    }
    memcpy(f->window + addr, buf, len);
    return NVT_OK;
}

/* A power cut: the board stops dead, the file as the cut left it. */
static void power_cut(void *ctx)
{
    (void)ctx;
    nvt_semihost_exit(NVT_QEMU_EXIT_POWER_CUT);
}

static const nvt_flash_emu_io_t region_io = { region_read, region_write, NULL };

int nvt_qemu_flash_open(nvt_qemu_flash_t *f, const char *path, const nvt_flash_geometry_t *geo)
{
    if (f == NULL || path == NULL || nvt_flash_geometry_check(geo) != NVT_OK ||
        geo->sector_size * geo->sector_count > (uint32_t)(nvt_qemu_token_end - nvt_qemu_token_start)) {
        return NVT_E_INVALID;
    }
    int rc = nvt_flash_emu_init(&f->flash, &f->emu, geo, &region_io, f, NVT_FLASH_EMU_STRICT);
    if (rc != NVT_OK) {
        return rc;
    }
    f->emu.stop = power_cut;
    f->window = nvt_qemu_token_start;
    uint32_t size = geo->sector_size * geo->sector_count;
    f->handle = nvt_semihost_open(path, NVT_SEMIHOST_OPEN_RW);
    if (f->handle < 0) {
        f->handle = nvt_semihost_open(path, NVT_SEMIHOST_OPEN_CREATE);
        return f->handle < 0 ? NVT_E_IO : nvt_flash_emu_blank(&f->emu);
    }
    if (nvt_semihost_flen(f->handle) != (long)size) {
        (void)nvt_semihost_close(f->handle);
        return NVT_E_INVALID;
    }
    return nvt_semihost_read(f->handle, f->window, size) == 0 ? NVT_OK : NVT_E_IO;
}
