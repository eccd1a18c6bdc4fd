/* The `file` flash driver (include/nvtoken/flash_file.h): a flash region in
 * a host image file, the NOR rules applied by the emulation of flash_emu.h.
 * POSIX only; not part of cross builds. */
#define _POSIX_C_SOURCE 200809L
#include "nvtoken/flash_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Move all \p len bytes at file offset \p off: write them from \p out, or
 * (\p out NULL) read them into \p in; interrupted and short transfers go
 * on where they stopped. */
static int io_all(int fd, uint8_t *in, const uint8_t *out, size_t len, off_t off)
{
    while (len > 0) {
        ssize_t n = out != NULL ? pwrite(fd, out, len, off) : pread(fd, in, len, off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NVT_E_IO;
        }
        len -= (size_t)n;
        off += n;
        if (out != NULL) {
            out += n;
        } else {
            in += n;
        }
    }
    return NVT_OK;
}

/* The image's bytes, for the NOR emulation (flash_emu.h). */
static int file_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    nvt_flash_file_t *f = ctx;
    return io_all(f->fd, buf, NULL, len, (off_t)addr);
}

static int file_write(void *ctx, uint32_t addr, const void *buf, size_t len)
{
    nvt_flash_file_t *f = ctx;
    return io_all(f->fd, NULL, buf, len, (off_t)addr);
}

static int file_sync(void *ctx)
{
    nvt_flash_file_t *f = ctx;
    if (!(f->flags & NVT_FLASH_FILE_SYNC)) {
        return NVT_OK;
    }
    return fdatasync(f->fd) == 0 ? NVT_OK : NVT_E_IO;
}

static const nvt_flash_emu_io_t file_io = { file_read, file_write, file_sync };

int nvt_flash_file_open_fd(nvt_flash_file_t *f, int fd, const nvt_flash_geometry_t *geo,
                           unsigned flags)
{
    if (f == NULL || fd < 0 || nvt_flash_geometry_check(geo) != NVT_OK) {
        return NVT_E_INVALID;
    }
    memset(f, 0, sizeof(*f));
    f->fd = -1;
    uint32_t size = geo->sector_size * geo->sector_count;
    if (!(flags & NVT_FLASH_FILE_CREATE)) {
        struct stat stat_buf;
        if (fstat(fd, &stat_buf) != 0) {
            return NVT_E_IO;
        }
        if (stat_buf.st_size != (off_t)size) {
            return NVT_E_INVALID;
        }
    } else if (ftruncate(fd, (off_t)size) != 0) {
        return NVT_E_IO;
    }
    f->fd = fd;
    f->flags = flags;
    unsigned emu_flags = (flags & NVT_FLASH_FILE_STRICT) ? NVT_FLASH_EMU_STRICT : 0u;
    int rc = nvt_flash_emu_init(&f->flash, &f->emu, geo, &file_io, f, emu_flags);
    if (rc == NVT_OK && (flags & NVT_FLASH_FILE_CREATE)) {
        rc = nvt_flash_emu_blank(&f->emu);
    }
    if (rc != NVT_OK) {
        memset(f, 0, sizeof(*f));
        f->fd = -1;
    }
    return rc;
}

int nvt_flash_file_open(nvt_flash_file_t *f, const char *path, const nvt_flash_geometry_t *geo,
                        unsigned flags)
{
    if (f == NULL || path == NULL) {
        return NVT_E_INVALID;
    }
    int oflags = O_RDWR | O_CLOEXEC | ((flags & NVT_FLASH_FILE_CREATE) ? O_CREAT : 0);
    int fd = open(path, oflags, 0600);
    if (fd < 0) {
        memset(f, 0, sizeof(*f));
        f->fd = -1;
        return NVT_E_IO;
    }
    int rc = nvt_flash_file_open_fd(f, fd, geo, flags);
    if (rc != NVT_OK) {
        close(fd);
        f->fd = -1;
        return rc;
    }
    f->own_fd = 1;
    return NVT_OK;
}

int nvt_flash_file_close(nvt_flash_file_t *f)
{
    if (f == NULL) {
        return NVT_OK;
    }
    int rc = NVT_OK;
    if (f->own_fd && f->fd >= 0 && close(f->fd) != 0) {
        rc = NVT_E_IO;
    }
    f->fd = -1;
    f->own_fd = 0;
    f->flash.ops = NULL;
    return rc;
}

int nvt_flash_geometry_parse(const char *text, nvt_flash_geometry_t *geo)
{
    unsigned long v[3];
    const char *p = text;
    if (text == NULL || geo == NULL) {
        return NVT_E_INVALID;
    }
    for (int i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        v[i] = strtoul(p, &end, 10);
        if (end == p || *p == '-' || errno != 0 || v[i] > UINT32_MAX || *end != (i < 2 ? 'x' : '\0')) {
            return NVT_E_INVALID;
        }
        p = end + 1;
    }
    geo->sector_size = (uint32_t)v[0];
    geo->sector_count = (uint32_t)v[1];
    geo->prog_unit = (uint32_t)v[2];
    return nvt_flash_geometry_check(geo);
}
