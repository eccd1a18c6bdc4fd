/* The QEMU reference board's token: one slot on the board's flash region.
 * This is what a firmware writes to give nvtoken its flash (see
 * qemu_board.h and docs/PORTING.md, step 3). */
#include "qemu_board.h"

#include <string.h>

int nvt_qemu_token_configure(nvt_qemu_token_t *t, const char *image)
{
    static const nvt_flash_geometry_t geo = { NVT_QEMU_FLASH_SECTOR_SIZE, NVT_QEMU_FLASH_SECTORS,
                                              NVT_QEMU_FLASH_PROG_UNIT };
    memset(t, 0, sizeof(*t));
    int rc = nvt_qemu_flash_open(&t->flash, image, &geo);
    if (rc != NVT_OK) {
        return rc;
    }
    t->store_cfg.flash = &t->flash.flash;
    t->store_cfg.index = t->index;
    t->store_cfg.index_len = sizeof(t->index);
    t->store_cfg.sectors = t->sectors;
    t->store_cfg.sectors_len = sizeof(t->sectors);
    t->store_cfg.scratch = t->scratch;
    t->store_cfg.scratch_len = sizeof(t->scratch);
    t->slot.store_cfg = &t->store_cfg;
    t->slot.store = &t->store;
    t->slot.description = "QEMU mps2-an386 flash";
    t->cfg.slots = &t->slot;
    t->cfg.slot_count = 1;
    return nvt_token_configure(&t->cfg);
}
