/* nvtoken - inspect a token's flash image on a PC (tools/README.md).
 *
 *   nvtoken stat IMAGE   geometry, objects, bytes, erase counts, fsck
 *   nvtoken fsck IMAGE   every record checked, the full report
 *
 * The image is opened read-only and handed to the store through the `file`
 * flash driver wrapped in a region whose program and erase refuse to run, so
 * neither command can change a byte of it. The geometry is read from the
 * image itself (every sector's erase block records it, docs/FORMAT.md), or
 * given with --geometry SIZExCOUNTxUNIT, the syntax of the host module's
 * `geometry` setting. Object data is never printed: only counts and sizes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvtoken/error.h"
#include "nvtoken/flash.h"
#include "nvtoken/flash_file.h"
#include "nvtoken/port.h"
#include "nvtoken/store.h"

/* Exit statuses (tools/README.md). */
enum {
    NVT_TOOL_OK = 0,
    NVT_TOOL_FAILED = 1,   /* out of memory, or an error this tool did not expect */
    NVT_TOOL_USAGE = 2,    /* bad command line */
    NVT_TOOL_OPEN = 3,     /* the image cannot be opened or read */
    NVT_TOOL_DAMAGED = 4,  /* not a store this tool reads, truncated, or corrupt */
};

/* The store's RAM: an index slot per possible object id (ids are 16-bit,
 * so any image fits), scratch for checking CRCs. */
#define TOOL_INDEX_OBJECTS 65535u
#define TOOL_SCRATCH 4096u

static const char *prog = "nvtoken";

/* One line on stderr, "nvtoken: IMAGE: what went wrong"; returns \p status. */
__attribute__((format(printf, 3, 4)))
static int complain(int status, const char *image, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    if (image != NULL) {
        fprintf(stderr, "%s: ", image);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

/* The usage lines on \p out; returns NVT_TOOL_USAGE. */
static int usage(FILE *out)
{
    fprintf(out,
            "usage: %s stat [--geometry SIZExCOUNTxUNIT] IMAGE\n"
            "       %s fsck [--geometry SIZExCOUNTxUNIT] IMAGE\n",
            prog, prog);
    return NVT_TOOL_USAGE;
}

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

/* The image's geometry, from the erase blocks of its store
 * (nvt_store_probe). Prints the error itself. */
static int find_geometry(int fd, const char *image, off_t size, nvt_flash_geometry_t *geo)
{
    unsigned version = 0;
    int rc = nvt_store_probe(fd_read, &fd, (uint64_t)size, geo, &version);
    if (rc == NVT_E_VERSION) {
        return complain(NVT_TOOL_DAMAGED, image,
                        "a store of format version %u, which this tool does not read", version);
    }
    if (rc == NVT_E_NOT_FORMATTED) {
        return complain(NVT_TOOL_DAMAGED, image,
                        "not an nvtoken image (no erase block of a store: blank or foreign)");
    }
    if (rc != NVT_OK) {
        return complain(NVT_TOOL_OPEN, image, "cannot read: %s", nvt_err_name(rc));
    }
    return NVT_TOOL_OK;
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

static const nvt_flash_ops_t ro_ops = {ro_read, ro_program, ro_erase, NULL};

/* An image opened for reading, its store mounted. */
typedef struct tool_image {
    const char *path;
    int fd;
    nvt_port_filelock_t *lock;
    nvt_flash_file_t file;
    nvt_flash_t ro;
    nvt_store_t store;
    nvt_store_config_t cfg;
} tool_image_t;

static void image_close(tool_image_t *im)
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
        memset(im->cfg.scratch, 0, TOOL_SCRATCH); /* it held object data */
    }
    free(im->cfg.index);
    free(im->cfg.sectors);
    free(im->cfg.scratch);
    memset(im, 0, sizeof(*im));
    im->fd = -1;
}

/* Open \p path read-only and mount its store. \p geo_text: --geometry, or
 * NULL to read the geometry from the image. Prints its own errors. */
static int image_open(tool_image_t *im, const char *path, const char *geo_text)
{
    memset(im, 0, sizeof(*im));
    im->path = path;
    im->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (im->fd < 0) {
        return complain(NVT_TOOL_OPEN, path, "cannot open: %s", strerror(errno));
    }
    /* While the module is using the image (it keeps <image>.lock), read it
     * under that lock, so no write lands half-way through. */
    char lock_path[NVT_PORT_PATH_MAX + 8];
    int n = snprintf(lock_path, sizeof(lock_path), "%s.lock", path);
    uint64_t counter;
    if (n > 0 && (size_t)n < sizeof(lock_path) && nvt_port_file_exists(lock_path) == 1 &&
        nvt_port_filelock_open(path, &im->lock) == NVT_OK &&
        nvt_port_filelock_acquire(im->lock, &counter) != NVT_OK) {
        nvt_port_filelock_close(im->lock);
        im->lock = NULL;
    }
    struct stat sb;
    if (fstat(im->fd, &sb) != 0) {
        return complain(NVT_TOOL_OPEN, path, "cannot open: %s", strerror(errno));
    }
    if (!S_ISREG(sb.st_mode)) {
        return complain(NVT_TOOL_OPEN, path, "cannot open: not a regular file");
    }
    nvt_flash_geometry_t geo;
    if (geo_text != NULL) {
        if (nvt_flash_geometry_parse(geo_text, &geo) != NVT_OK) {
            complain(NVT_TOOL_USAGE, NULL, "bad geometry '%s' (SIZExCOUNTxUNIT, e.g. 2048x64x8)",
                     geo_text);
            return usage(stderr);
        }
    } else {
        int status = find_geometry(im->fd, path, sb.st_size, &geo);
        if (status != NVT_TOOL_OK) {
            return status;
        }
    }
    uint64_t want = (uint64_t)geo.sector_size * geo.sector_count;
    if ((uint64_t)sb.st_size != want) {
        return complain(NVT_TOOL_DAMAGED, path,
                        "truncated or extended: %jd bytes, but its geometry %" PRIu32 "x%" PRIu32
                        "x%" PRIu32 " needs %" PRIu64, (intmax_t)sb.st_size, geo.sector_size,
                        geo.sector_count, geo.prog_unit, want);
    }
    /* The descriptor is read-only: the file driver only reads through it
     * here, as program and erase stop at ro_ops. */
    int rc = nvt_flash_file_open_fd(&im->file, im->fd, &geo, 0);
    if (rc != NVT_OK) {
        return complain(NVT_TOOL_OPEN, path, "cannot open: %s", nvt_err_name(rc));
    }
    im->ro.ops = &ro_ops;
    im->ro.ctx = &im->file.flash;
    im->ro.geo = geo;
    im->cfg.flash = &im->ro;
    im->cfg.index_len = NVT_STORE_INDEX_BYTES(TOOL_INDEX_OBJECTS);
    im->cfg.sectors_len = NVT_STORE_SECTORS_BYTES(geo.sector_count);
    im->cfg.scratch_len = TOOL_SCRATCH;
    im->cfg.index = calloc(1, im->cfg.index_len);
    im->cfg.sectors = calloc(1, im->cfg.sectors_len);
    im->cfg.scratch = calloc(1, im->cfg.scratch_len);
    if (im->cfg.index == NULL || im->cfg.sectors == NULL || im->cfg.scratch == NULL) {
        return complain(NVT_TOOL_FAILED, path, "out of memory");
    }
    rc = nvt_store_mount(&im->store, &im->cfg);
    switch (rc) {
    case NVT_OK:
        return NVT_TOOL_OK;
    case NVT_E_IO:
        return complain(NVT_TOOL_OPEN, path, "cannot read: %s", nvt_err_name(rc));
    case NVT_E_NOT_FORMATTED:
        return complain(NVT_TOOL_DAMAGED, path, "not an nvtoken image (no store in this geometry)");
    default:
        return complain(NVT_TOOL_DAMAGED, path, "cannot mount the store: %s", nvt_err_name(rc));
    }
}

/* "2 KiB" for whole KiB and MiB, else "N bytes". */
static const char *size_text(char *buf, size_t len, uint64_t bytes)
{
    if (bytes >= 1024u * 1024u && bytes % (1024u * 1024u) == 0) {
        snprintf(buf, len, "%" PRIu64 " MiB", bytes / (1024u * 1024u));
    } else if (bytes >= 1024u && bytes % 1024u == 0) {
        snprintf(buf, len, "%" PRIu64 " KiB", bytes / 1024u);
    } else {
        snprintf(buf, len, "%" PRIu64 " bytes", bytes);
    }
    return buf;
}

/* fsck findings worth a line of their own: objects lost, by id. */
static void print_finding(void *ctx, const nvt_store_finding_t *f)
{
    (void)ctx;
    if (f->kind == NVT_STORE_FINDING_CORRUPT) {
        printf("lost object:    0x%04x (its data fails its CRC)\n", (unsigned)f->id);
    } else if (f->kind == NVT_STORE_FINDING_LOST) {
        printf("lost records:   %" PRIu32 " in sector %" PRIu32
               " (table entries damaged beyond correction)\n",
               f->count, f->sector);
    }
}

/* Run the check; print one "fsck" line (full: the whole report). */
static int print_fsck(tool_image_t *im, int full)
{
    nvt_store_fsck_report_t r;
    int rc = nvt_store_fsck(&im->store, 0, &r, full ? print_finding : NULL, NULL);
    if (rc != NVT_OK && rc != NVT_E_CORRUPT) {
        return complain(rc == NVT_E_IO ? NVT_TOOL_OPEN : NVT_TOOL_DAMAGED, im->path,
                        "fsck stopped: %s", nvt_err_name(rc));
    }
    const char *verdict = rc == NVT_E_CORRUPT ? "CORRUPT" : "clean";
    if (full) {
        printf("fsck:           %s\n", verdict);
        printf("sectors:        %" PRIu32 " in the log, %" PRIu32 " blank, %" PRIu32
               " damaged (need an erase)\n", r.sectors_ok, r.sectors_blank, r.sectors_damaged);
        printf("records:        %" PRIu32 " committed, %" PRIu32 " torn (left by power cuts)\n",
               r.records_ok, r.records_torn);
        printf("objects:        %" PRIu32 " live, %" PRIu32 " failing their CRC\n", r.objects,
               r.records_corrupt);
        printf("damage:         %" PRIu32 " blocks with a flipped bit (corrected), %" PRIu32
               " records lost, %" PRIu32 " sectors of format version 1\n",
               r.blocks_corrected, r.records_lost, r.sectors_old);
    } else {
        printf("fsck:           %s (%" PRIu32 " log, %" PRIu32 " blank, %" PRIu32
               " damaged sectors; %" PRIu32 " records, %" PRIu32 " torn, %" PRIu32 " corrupt)\n",
               verdict, r.sectors_ok, r.sectors_blank, r.sectors_damaged, r.records_ok,
               r.records_torn, r.records_corrupt);
    }
    if (rc == NVT_E_CORRUPT) {
        return complain(NVT_TOOL_DAMAGED, im->path,
                        "corrupt: %" PRIu32 " live object(s) fail their CRC, %" PRIu32
                        " record(s) lost",
                        r.records_corrupt, r.records_lost);
    }
    return NVT_TOOL_OK;
}

static int cmd_stat(tool_image_t *im)
{
    nvt_store_stats_t s;
    int rc = nvt_store_stat(&im->store, &s);
    if (rc != NVT_OK) {
        return complain(NVT_TOOL_DAMAGED, im->path, "cannot read its statistics: %s",
                        nvt_err_name(rc));
    }
    const nvt_flash_geometry_t *g = &im->ro.geo;
    char a[32], b[32];
    printf("image:          %s\n", im->path);
    printf("geometry:       %" PRIu32 "x%" PRIu32 "x%" PRIu32 " (%" PRIu32 " sectors of %s, "
           "%" PRIu32 "-byte program unit, %s)\n", g->sector_size, g->sector_count, g->prog_unit,
           g->sector_count, size_text(a, sizeof(a), g->sector_size), g->prog_unit,
           size_text(b, sizeof(b), (uint64_t)g->sector_size * g->sector_count));
    printf("objects:        %" PRIu32 "\n", s.objects);
    printf("live bytes:     %" PRIu32 "\n", s.live_bytes);
    printf("free bytes:     %" PRIu32 "\n", s.free);
    printf("capacity:       %" PRIu32 "\n", s.capacity);
    printf("largest object: %" PRIu32 "\n", s.max_object);
    /* Erase counts: the summary, then runs of equal counts by sector. */
    uint64_t sum = 0;
    uint32_t count = 0, prev = 0, first = 0;
    printf("erase map:     ");
    for (uint32_t i = 0; i <= s.sectors; i++) {
        rc = i < s.sectors ? nvt_store_erase_count(&im->store, i, &count) : NVT_OK;
        if (rc != NVT_OK) {
            putchar('\n');
            return complain(NVT_TOOL_DAMAGED, im->path, "cannot read its erase counts: %s",
                            nvt_err_name(rc));
        }
        if (i > 0 && (i == s.sectors || count != prev)) {
            if (first + 1 == i) {
                printf(" %" PRIu32 ":%" PRIu32, first, prev);
            } else {
                printf(" %" PRIu32 "-%" PRIu32 ":%" PRIu32, first, i - 1, prev);
            }
            first = i;
        }
        sum += i < s.sectors ? count : 0u;
        prev = count;
    }
    putchar('\n');
    printf("erase counts:   min %" PRIu32 ", max %" PRIu32 ", mean %.2f\n", s.erase_min,
           s.erase_max, (double)sum / s.sectors);
    return print_fsck(im, 0);
}

static int cmd_fsck(tool_image_t *im)
{
    printf("image:          %s\n", im->path);
    return print_fsck(im, 1);
}

int main(int argc, char **argv)
{
    if (argc < 1) {
        return usage(stderr);
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return NVT_TOOL_OK;
    }
    if (argc < 3) {
        return usage(stderr);
    }
    const char *cmd = argv[1], *geo_text = NULL, *path = NULL;
    int (*run)(tool_image_t *) = NULL;
    if (strcmp(cmd, "stat") == 0) {
        run = cmd_stat;
    } else if (strcmp(cmd, "fsck") == 0) {
        run = cmd_fsck;
    } else {
        complain(NVT_TOOL_USAGE, NULL, "unknown command '%s'", cmd);
        return usage(stderr);
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--geometry") == 0 && i + 1 < argc && geo_text == NULL) {
            geo_text = argv[++i];
        } else if (strncmp(argv[i], "--geometry=", 11) == 0 && geo_text == NULL) {
            geo_text = argv[i] + 11;
        } else if (argv[i][0] != '-' && path == NULL) {
            path = argv[i];
        } else {
            complain(NVT_TOOL_USAGE, NULL, "unexpected argument '%s'", argv[i]);
            return usage(stderr);
        }
    }
    if (path == NULL) {
        return usage(stderr);
    }
    tool_image_t im;
    int status = image_open(&im, path, geo_text);
    if (status == NVT_TOOL_OK) {
        status = run(&im);
    }
    image_close(&im);
    if (fflush(stdout) != 0 && status == NVT_TOOL_OK) {
        status = complain(NVT_TOOL_FAILED, NULL, "cannot write the report: %s", strerror(errno));
    }
    return status;
}
