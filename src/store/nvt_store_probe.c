/* nvt_store_probe (include/nvtoken/store.h): the geometry of a store in a
 * region whose shape is not known yet - an image file, a flash dump. Every
 * sector's erase block records the geometry (docs/FORMAT.md, "Erase
 * block"); one valid block is enough. nvt_store_blank: whether a region
 * holds nothing a format could lose - the one case in which a token may
 * format a region on its own.
 * Their own object file, so a firmware that knows its geometry and never
 * formats on its own does not link them. */
#include "nvt_store_priv.h"

#include <string.h>

/* One erase block at \p addr: NVT_OK and \p geo when it is a valid erase
 * block of a supported version; NVT_E_VERSION (and *version) for a store of
 * another format; NVT_E_NOT_FOUND when it is not an erase block. */
static int probe_block(nvt_store_read_fn read, void *ctx, uint32_t addr, uint64_t region_size,
                       nvt_flash_geometry_t *geo, unsigned *version)
{
    uint8_t b[16];
    int rc = read(ctx, addr, b, sizeof(b));
    if (rc != NVT_OK) {
        return rc;
    }
    static const uint8_t zero_seed[4] = {0, 0, 0, 0};
    uint32_t stored_crc = (uint32_t)b[12] | (uint32_t)b[13] << 8 | (uint32_t)b[14] << 16 |
                          (uint32_t)b[15] << 24;
    if (b[0] != 'n' || b[1] != 'v' || b[2] != 'E' ||
        nvt_st_crc(nvt_st_crc(0, zero_seed, 4), b, 12) != stored_crc || b[4] > 31u ||
        b[5] > 31u) {
        return NVT_E_NOT_FOUND;
    }
    if (b[3] < NVT_ST_VERSION_MIN || b[3] > NVT_ST_VERSION) {
        *version = b[3];
        return NVT_E_VERSION;
    }
    nvt_flash_geometry_t g;
    g.sector_size = 1u << b[4];
    g.prog_unit = 1u << b[5];
    g.sector_count = (uint32_t)b[6] | (uint32_t)b[7] << 8;
    if (nvt_flash_geometry_check(&g) != NVT_OK ||
        (region_size != 0 && (uint64_t)g.sector_size * g.sector_count != region_size) ||
        addr % g.sector_size != 0) {
        return NVT_E_NOT_FOUND;
    }
    *geo = g;
    *version = b[3];
    return NVT_OK;
}

int nvt_store_probe(nvt_store_read_fn read, void *ctx, uint64_t region_size,
                    nvt_flash_geometry_t *geo, unsigned *version)
{
    unsigned found_version = 0;
    if (read == NULL || geo == NULL || region_size > 0xFFFFFFFFu) {
        return NVT_E_INVALID;
    }
    /* Sector 0 first; if its erase block is damaged (a cut during its erase,
     * a flipped bit), the first sector boundary of some sector size the
     * region allows that holds a valid one. */
    int rc = probe_block(read, ctx, 0, region_size, geo, &found_version);
    for (uint64_t ss = NVT_FLASH_SECTOR_MIN; rc == NVT_E_NOT_FOUND && ss <= NVT_FLASH_SECTOR_MAX;
         ss <<= 1) {
        for (uint64_t off = ss; rc == NVT_E_NOT_FOUND && off + 16u <= region_size; off += ss) {
            rc = probe_block(read, ctx, (uint32_t)off, region_size, geo, &found_version);
            if (rc == NVT_OK && geo->sector_size != ss) {
                rc = NVT_E_NOT_FOUND; /* a block seen at a boundary of another size */
            }
        }
    }
    if (version != NULL) {
        *version = found_version;
    }
    return rc == NVT_E_NOT_FOUND ? NVT_E_NOT_FORMATTED : rc;
}

int nvt_store_blank(const nvt_flash_t *flash)
{
    uint8_t buf[64];
    if (flash == NULL || nvt_flash_geometry_check(&flash->geo) != NVT_OK) {
        return NVT_E_INVALID;
    }
    /* A sector's erase block is what a format writes first: 16 bytes, or
     * one program unit if that is larger (docs/FORMAT.md). */
    const nvt_flash_geometry_t *g = &flash->geo;
    uint32_t block = g->prog_unit > 16u ? g->prog_unit : 16u;
    for (uint32_t s = 0; s < g->sector_count; s++) {
        for (uint32_t off = block; off < g->sector_size; off += sizeof(buf)) {
            uint32_t n = g->sector_size - off < sizeof(buf) ? g->sector_size - off : (uint32_t)sizeof(buf);
            int rc = nvt_flash_read(flash, s * g->sector_size + off, buf, n);
            if (rc != NVT_OK) {
                return rc;
            }
            for (uint32_t i = 0; i < n; i++) {
                if (buf[i] != NVT_FLASH_ERASED) {
                    return 0;
                }
            }
        }
    }
    return 1;
}
