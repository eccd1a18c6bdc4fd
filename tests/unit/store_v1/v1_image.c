/* v1_image_build (v1_image.h): the version-1 store writes the image. */
#include "v1_image.h"

#include "nvtoken/store.h" /* store_v1/nvtoken/store.h: version 1 */

#define V1_MAX_SECTORS 256u

int v1_image_build(const nvt_flash_t *flash, const v1_op_t *ops, size_t n, size_t *at)
{
    static nvt_store_entry_t idx[16];
    static nvt_store_sector_t sec[V1_MAX_SECTORS];
    static uint8_t scratch[128];
    nvt_store_t st;
    nvt_store_config_t cfg = {flash, idx, sizeof(idx), sec, sizeof(sec), scratch, sizeof(scratch)};
    int rc = flash->geo.sector_count <= V1_MAX_SECTORS ? nvt_store_format(&st, &cfg) : NVT_E_INVALID;
    size_t i = 0;
    for (; rc == NVT_OK && i < n; i++) {
        rc = ops[i].del ? nvt_store_delete(&st, ops[i].id)
                        : nvt_store_put(&st, ops[i].id, ops[i].data, ops[i].len, ops[i].flags);
    }
    if (at != NULL) {
        *at = rc == NVT_OK ? n : i - 1u;
    }
    return rc;
}
