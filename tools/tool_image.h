/* An image opened read-only, its store mounted (stat, fsck, write, and
 * batch's check of devices already done). See tool_image.c. */
#ifndef NVT_TOOL_IMAGE_H
#define NVT_TOOL_IMAGE_H

#include "nvtoken/flash_file.h"
#include "nvtoken/port.h"
#include "nvtoken/store.h"

typedef struct tool_image {
    const char *path;
    int fd;
    nvt_port_filelock_t *lock;
    nvt_flash_file_t file;
    nvt_flash_t ro;
    nvt_store_t store;
    nvt_store_config_t cfg;
} tool_image_t;

/** Open \p path read-only and mount its store. \p geo_text: --geometry, or
 *  NULL to read the geometry from the image. Complains itself. */
int tool_image_open(tool_image_t *im, const char *path, const char *geo_text);

/** Close what tool_image_open() opened (also after it failed). */
void tool_image_close(tool_image_t *im);

/** The whole image (its geometry's size) in a heap buffer. Complains. */
int tool_image_bytes(tool_image_t *im, uint8_t **data, size_t *len);

/** The geometry of the image file \p fd of \p size bytes from its erase
 *  blocks (nvt_store_probe). Complains itself about \p path. */
int tool_image_geometry(int fd, const char *path, uint64_t size, nvt_flash_geometry_t *geo);

/** \p ro: a view of \p inner whose reads go through and whose program and
 *  erase are refused (NVT_E_UNSUPPORTED), so a store on it never writes. */
void tool_flash_read_only(nvt_flash_t *ro, const nvt_flash_t *inner);

/** Open the image's lock if its lock file exists (the module or the tool
 *  uses the image); never creates one. \return 1 with *lock set, or 0. */
int tool_image_lock(const char *path, nvt_port_filelock_t **lock);

/** Write the image (after fsck) to \p out in format \p f (a tool_format_t)
 *  at \p address. Complains itself. (tool_write.c) */
int tool_write_image(tool_image_t *im, int f, uint32_t address, const char *out);

#endif /* NVT_TOOL_IMAGE_H */
