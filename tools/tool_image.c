/* An image opened read-only for `stat`, `fsck` and `write` (and batch's
 * check of devices it made before).
 *
 * The image is opened read-only and handed to the store through the `file`
 * flash driver wrapped in a region whose program and erase refuse to run,
 * so nothing here can change a byte of it. The geometry is read from the
 * image itself (every sector's erase block records it: nvt_store_probe), or
 * given with --geometry SIZExCOUNTxUNIT, the syntax of the host module's
 * `geometry` setting. */
#include "tool_image.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

/* The store's RAM: an index slot per possible object id (ids are 16-bit,
 * so any image fits), scratch for checking CRCs. */
#define IMAGE_INDEX_OBJECTS 65535u
#define IMAGE_SCRATCH 4096u

/* Read exactly \p len bytes at \p off. */
static int read_at(int fd, void *buf, size_t len, off_t off)
{
    uint8_t *p = buf;
    while (len > 0) {
        ssize_t n = pread(fd, p, len, off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NVT_E_IO;
        }
        p += n;
        len -= (size_t)n;
        off += n;
    }
    return NVT_OK;
}

/* Reads for nvt_store_probe(): the image file by descriptor. */
static int fd_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    return read_at(*(const int *)ctx, buf, len, (off_t)addr);
}

int tool_image_geometry(int fd, const char *path, uint64_t size, nvt_flash_geometry_t *geo)
{
    unsigned version = 0;
    int rc = nvt_store_probe(fd_read, &fd, size, geo, &version);
    if (rc == NVT_E_VERSION) {
        return tool_complain(TOOL_DAMAGED, path, "a store of format version %u, which this tool does not read",
                             version);
    }
    if (rc == NVT_E_NOT_FORMATTED) {
        /* A store whose erase blocks say another size: cut short or extended. */
        if (nvt_store_probe(fd_read, &fd, 0, geo, NULL) == NVT_OK) {
            char g[48];
            tool_geometry_text(geo, g, sizeof(g));
            return tool_complain(TOOL_DAMAGED, path,
                                 "truncated or extended: %" PRIu64 " bytes, but its geometry %s needs %" PRIu64, size,
                                 g, (uint64_t)geo->sector_size * geo->sector_count);
        }
        return tool_complain(TOOL_DAMAGED, path, "not an nvtoken image (no erase block of a store: blank or foreign)");
    }
    if (rc != NVT_OK) {
        return tool_complain(TOOL_FILE, path, "cannot read: %s", nvt_err_name(rc));
    }
    return TOOL_OK;
}

/* A read-only view of the file driver's region: reads go through, program
 * and erase are refused, so the store can never write the image. */
static int ro_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    return nvt_flash_read(ctx, addr, buf, len);
}

static int ro_program(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    (void)ctx;
    (void)addr;
    (void)buf;
    (void)len;
    return NVT_E_UNSUPPORTED;
}

static int ro_erase(void *ctx, uint32_t sector)
{
    (void)ctx;
    (void)sector;
    return NVT_E_UNSUPPORTED;
}

static const nvt_flash_ops_t ro_ops = { ro_read, ro_program, ro_erase, NULL };

void tool_flash_read_only(nvt_flash_t *ro, const nvt_flash_t *inner)
{
    ro->ops = &ro_ops;
    ro->ctx = (void *)(uintptr_t)inner;
    ro->geo = inner->geo;
}

int tool_image_lock(const char *path, nvt_port_filelock_t **lock)
{
    /* While the module (or this tool) is using the image, it keeps
     * <image>.lock: read under that lock, so no write lands half-way
     * through. A missing lock file is not created. */
    char lock_path[NVT_PORT_PATH_MAX + 8];
    int n = snprintf(lock_path, sizeof(lock_path), "%s.lock", path);
    *lock = NULL;
    if (n > 0 && (size_t)n < sizeof(lock_path) && nvt_port_file_exists(lock_path) == 1 &&
        nvt_port_filelock_open(path, lock) != NVT_OK) {
        *lock = NULL;
    }
    return *lock != NULL;
}

void tool_image_close(tool_image_t *im)
{
    if (im->lock != NULL) {
        (void)nvt_port_filelock_release(im->lock, 0, NULL);
        nvt_port_filelock_close(im->lock);
    }
    (void)nvt_flash_file_close(&im->file);
    if (im->fd >= 0) {
        close(im->fd);
    }
    if (im->cfg.scratch != NULL) {
        tool_wipe(im->cfg.scratch, IMAGE_SCRATCH); /* it held object data */
    }
    free(im->cfg.index);
    free(im->cfg.sectors);
    free(im->cfg.scratch);
    memset(im, 0, sizeof(*im));
    im->fd = -1;
}

int tool_image_open(tool_image_t *im, const char *path, const char *geo_text)
{
    memset(im, 0, sizeof(*im));
    im->path = path;
    im->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (im->fd < 0) {
        return tool_complain(TOOL_FILE, path, "cannot open: %s", strerror(errno));
    }
    uint64_t counter;
    if (tool_image_lock(path, &im->lock) && nvt_port_filelock_acquire(im->lock, &counter) != NVT_OK) {
        nvt_port_filelock_close(im->lock);
        im->lock = NULL;
    }
    struct stat sb;
    if (fstat(im->fd, &sb) != 0) {
        return tool_complain(TOOL_FILE, path, "cannot open: %s", strerror(errno));
    }
    if (!S_ISREG(sb.st_mode)) {
        return tool_complain(TOOL_FILE, path, "cannot open: not a regular file");
    }
    nvt_flash_geometry_t geo;
    if (geo_text != NULL) {
        if (nvt_flash_geometry_parse(geo_text, &geo) != NVT_OK) {
            return tool_complain(TOOL_USAGE, NULL, "bad geometry '%s' (SIZExCOUNTxUNIT, e.g. 2048x64x8)", geo_text);
        }
    } else {
        int status = tool_image_geometry(im->fd, path, (uint64_t)sb.st_size, &geo);
        if (status != TOOL_OK) {
            return status;
        }
    }
    uint64_t want = (uint64_t)geo.sector_size * geo.sector_count;
    if ((uint64_t)sb.st_size != want) {
        char g[48];
        tool_geometry_text(&geo, g, sizeof(g));
        return tool_complain(TOOL_DAMAGED, path, "truncated or extended: %jd bytes, but its geometry %s needs %" PRIu64,
                             (intmax_t)sb.st_size, g, want);
    }
    /* The descriptor is read-only: the file driver only reads through it
     * here, as program and erase stop at ro_ops. */
    int rc = nvt_flash_file_open_fd(&im->file, im->fd, &geo, 0);
    if (rc != NVT_OK) {
        return tool_complain(TOOL_FILE, path, "cannot open: %s", nvt_err_name(rc));
    }
    tool_flash_read_only(&im->ro, &im->file.flash);
    im->cfg.flash = &im->ro;
    im->cfg.index_len = NVT_STORE_INDEX_BYTES(IMAGE_INDEX_OBJECTS);
    im->cfg.sectors_len = NVT_STORE_SECTORS_BYTES(geo.sector_count);
    im->cfg.scratch_len = IMAGE_SCRATCH;
    im->cfg.index = calloc(1, im->cfg.index_len);
    im->cfg.sectors = calloc(1, im->cfg.sectors_len);
    im->cfg.scratch = calloc(1, im->cfg.scratch_len);
    if (im->cfg.index == NULL || im->cfg.sectors == NULL || im->cfg.scratch == NULL) {
        return tool_complain(TOOL_FAILED, path, "out of memory");
    }
    rc = nvt_store_mount(&im->store, &im->cfg);
    switch (rc) {
    case NVT_OK:
        return TOOL_OK;
    case NVT_E_IO:
        return tool_complain(TOOL_FILE, path, "cannot read: %s", nvt_err_name(rc));
    case NVT_E_NOT_FORMATTED:
        return tool_complain(TOOL_DAMAGED, path, "not an nvtoken image (no store in this geometry)");
    default:
        return tool_complain(TOOL_DAMAGED, path, "cannot mount the store: %s", nvt_err_name(rc));
    }
}

int tool_image_bytes(tool_image_t *im, uint8_t **data, size_t *len)
{
    size_t size = (size_t)im->ro.geo.sector_size * im->ro.geo.sector_count;
    uint8_t *buf = malloc(size);
    if (buf == NULL) {
        return tool_complain(TOOL_FAILED, im->path, "out of memory");
    }
    if (read_at(im->fd, buf, size, 0) != NVT_OK) {
        free(buf);
        return tool_complain(TOOL_FILE, im->path, "cannot read: %s", strerror(errno));
    }
    *data = buf;
    *len = size;
    return TOOL_OK;
}
