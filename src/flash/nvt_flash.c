/* The flash region interface (include/nvtoken/flash.h): argument, alignment
 * and bounds checks in front of the driver's operations, so a driver is only
 * ever called with a valid request. */
#include "nvtoken/flash.h"

int nvt_flash_geometry_check(const nvt_flash_geometry_t *geo)
{
    if (geo == NULL) {
        return NVT_E_INVALID;
    }
    uint32_t s = geo->sector_size;
    uint32_t u = geo->prog_unit;
    if (s < NVT_FLASH_SECTOR_MIN || s > NVT_FLASH_SECTOR_MAX || (s & (s - 1u)) != 0) {
        return NVT_E_INVALID;
    }
    if (u == 0 || u > NVT_FLASH_PROG_UNIT_MAX || (u & (u - 1u)) != 0) {
        return NVT_E_INVALID;
    }
    /* At least 2 sectors, and the region's size must fit in 32 bits. */
    if (geo->sector_count < 2 || geo->sector_count > UINT32_MAX / s) {
        return NVT_E_INVALID;
    }
    return NVT_OK;
}

uint32_t nvt_flash_size(const nvt_flash_t *flash)
{
    return flash == NULL ? 0 : flash->geo.sector_size * flash->geo.sector_count;
}

/* Common checks: a usable region, a buffer when there are bytes, and a
 * range inside the region (without overflow). */
static int check(const nvt_flash_t *flash, uint32_t addr, const void *buf, size_t len)
{
    if (flash == NULL || flash->ops == NULL || (buf == NULL && len > 0)) {
        return NVT_E_INVALID;
    }
    uint32_t size = nvt_flash_size(flash);
    if (addr > size || len > (size_t)(size - addr)) {
        return NVT_E_INVALID;
    }
    return NVT_OK;
}

int nvt_flash_read(const nvt_flash_t *flash, uint32_t addr, void *buf, size_t len)
{
    int rc = check(flash, addr, buf, len);
    if (rc != NVT_OK || len == 0) {
        return rc;
    }
    return flash->ops->read(flash->ctx, addr, buf, len);
}

int nvt_flash_program(const nvt_flash_t *flash, uint32_t addr, const void *buf, size_t len)
{
    int rc = check(flash, addr, buf, len);
    if (rc != NVT_OK) {
        return rc;
    }
    uint32_t mask = flash->geo.prog_unit - 1u;
    if ((addr & mask) != 0 || (len & mask) != 0) {
        return NVT_E_INVALID;
    }
    return len == 0 ? NVT_OK : flash->ops->program(flash->ctx, addr, buf, len);
}

int nvt_flash_erase(const nvt_flash_t *flash, uint32_t sector)
{
    if (flash == NULL || flash->ops == NULL || sector >= flash->geo.sector_count) {
        return NVT_E_INVALID;
    }
    return flash->ops->erase(flash->ctx, sector);
}

int nvt_flash_sync(const nvt_flash_t *flash)
{
    if (flash == NULL || flash->ops == NULL) {
        return NVT_E_INVALID;
    }
    return flash->ops->sync == NULL ? NVT_OK : flash->ops->sync(flash->ctx);
}
