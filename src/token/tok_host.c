/* The host module's default configuration (posix port): one slot per flash
 * image file, found by nvt_port_image_path(), on the `file` flash driver.
 *
 * The geometry comes from the image: its store's erase blocks say it
 * (nvt_store_probe). The `geometry` setting ("SIZExCOUNTxUNIT", default
 * in include/nvtoken/token.h) is the shape of NEW images only: a missing
 * or empty image file is created with it (mode 0600) and formatted by the
 * first mount; an image without a store of the same size is handed to the
 * token in that geometry, which formats it only if it is blank
 * (nvt_store_blank). Nothing else is ever written to: an image whose store
 * disagrees with the setting, a bad setting, a truncated image, a foreign
 * or damaged one - the slot then shows no token and its description says
 * why (nvt_token_sync_t.status; with the `debug` setting, a line on
 * stderr too). To start over with an image, remove the file.
 *
 * Processes share an image through the port's image lock: begin() takes
 * it and reports whether another process changed the image since this one
 * last let go (the token then mounts again); end() bumps the change
 * counter if the operation wrote.
 *
 * The `legacy` setting 0 turns the legacy mechanisms off
 * (NVT_TOKEN_LEGACY_OFF).
 *
 * Durability: the image is opened with NVT_FLASH_FILE_SYNC unless the
 * `sync` setting is 0, so the store's write barriers (before each commit
 * mark, and at the end of each put, delete or format) are fdatasync calls:
 * a committed change survives a host power failure, in the order the store
 * relies on. */
#include "tok_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvtoken/flash_file.h"
#include "nvtoken/port.h"

/* The store's RAM per image: index slots (live objects plus tombstones) and
 * scratch for moving data. */
#define HOST_INDEX_OBJECTS 8192u
#define HOST_SCRATCH 4096u

typedef struct host_slot {
    char path[NVT_PORT_PATH_MAX];
    unsigned number;         /* slot id */
    unsigned sync;           /* open the image with NVT_FLASH_FILE_SYNC */
    int fd;                  /* the image, -1 until opened */
    nvt_flash_file_t file;
    int open;
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    void *index;
    void *sectors;
    void *scratch;
    nvt_port_filelock_t *lock;
    uint64_t counter;        /* the lock's change counter as last seen */
    nvt_token_sync_t sync_ops;
    const char *status;      /* why the image is not used, or a warning; NULL: none */
    char status_text[64];    /* a status with numbers in it */
    char said[64];           /* the last status the debug setting printed */
} host_slot_t;

/* What the `geometry` setting says. */
enum { GEO_DEFAULT, GEO_SET, GEO_BAD };

static struct {
    host_slot_t *slot[NVT_CONFIG_TOKEN_SLOTS];
    nvt_token_slot_config_t cfg[NVT_CONFIG_TOKEN_SLOTS];
    nvt_token_config_t config;
    unsigned n;
    nvt_flash_geometry_t new_geo; /* the shape of new images */
    int geo_state;                /* GEO_* */
    char geo_text[64];            /* the setting as given (debug lines) */
    int debug;                    /* the `debug` setting: diagnostics on stderr */
} host;

void tok_host_debug(unsigned slot, const char *what)
{
    if (host.debug && slot < host.n && what != NULL) {
        (void)fprintf(stderr, "nvtoken: slot %u (%s): %s\n", slot, host.slot[slot]->path, what);
    }
}

/* Set the slot's status; a new one is printed with the debug setting. */
static void set_status(host_slot_t *h, const char *status)
{
    h->status = status;
    if (status == NULL) {
        h->said[0] = '\0';
    } else if (strncmp(status, h->said, sizeof(h->said)) != 0) {
        tok_host_debug(h->number, status);
        (void)snprintf(h->said, sizeof(h->said), "%s", status);
    }
}

__attribute__((format(printf, 2, 3))) static void set_status_text(host_slot_t *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(h->status_text, sizeof(h->status_text), fmt, ap);
    va_end(ap);
    set_status(h, h->status_text);
}

static int same_geometry(const nvt_flash_geometry_t *a, const nvt_flash_geometry_t *b)
{
    return a->sector_size == b->sector_size && a->sector_count == b->sector_count && a->prog_unit == b->prog_unit;
}

/* The geometry of the existing image h->fd of \p size bytes (*blank_only
 * set if it has no store, so only a blank one may be used: as a new
 * token), or an error with the slot's status saying why the image is left
 * alone. */
static int image_geometry(host_slot_t *h, uint64_t size, nvt_flash_geometry_t *geo, int *blank_only)
{
    const nvt_flash_geometry_t *g = &host.new_geo;
    unsigned version = 0;
    int rc = nvt_store_probe(nvt_port_image_read, &h->fd, size, geo, &version);
    *blank_only = 0;
    if (rc == NVT_OK) {
        if (host.geo_state == GEO_SET && !same_geometry(geo, g)) {
            set_status_text(h, "image is %" PRIu32 "x%" PRIu32 "x%" PRIu32 ", setting %" PRIu32 "x%" PRIu32 "x%" PRIu32,
                            geo->sector_size, geo->sector_count, geo->prog_unit, g->sector_size, g->sector_count,
                            g->prog_unit);
            return NVT_E_INVALID;
        }
        return NVT_OK;
    }
    if (rc == NVT_E_VERSION) {
        set_status_text(h, "store format version %u not supported", version);
        return rc;
    }
    if (rc != NVT_E_NOT_FORMATTED) {
        set_status(h, "image cannot be read");
        return rc;
    }
    /* No store of the image's size: a store whose erase blocks say another
     * size was cut short or extended; else the image is blank (a new token,
     * in the geometry for new images if that is its size), foreign, or a
     * store whose erase blocks are all damaged - which no geometry can be
     * trusted to read, so it is left alone too. */
    if (nvt_store_probe(nvt_port_image_read, &h->fd, 0, geo, NULL) == NVT_OK) {
        set_status_text(h, "store is %" PRIu32 "x%" PRIu32 "x%" PRIu32 ", file %" PRIu64 " B", geo->sector_size,
                        geo->sector_count, geo->prog_unit, size);
        return NVT_E_CORRUPT;
    }
    *geo = *g;
    if ((uint64_t)g->sector_size * g->sector_count != size) {
        set_status_text(h, "no store, and %" PRIu64 " B is not the geometry size", size);
        return NVT_E_NOT_FORMATTED;
    }
    *blank_only = 1;
    return NVT_OK;
}

/* Open the image (the lock is held), creating a missing or empty one in
 * the geometry for new images. On error the slot's status says why. */
static int open_image(host_slot_t *h)
{
    if (h->open) {
        return NVT_OK;
    }
    if (host.geo_state == GEO_BAD) {
        set_status(h, "bad geometry setting (want SIZExCOUNTxUNIT)");
        return NVT_E_INVALID;
    }
    nvt_port_image_info_t info;
    int err = nvt_port_image_open(h->path, 1, &h->fd, &info);
    if (err != NVT_OK) {
        set_status(h, "image cannot be opened (permissions?)");
        return err;
    }
    nvt_flash_geometry_t geo = host.new_geo;
    unsigned flags = h->sync ? NVT_FLASH_FILE_SYNC : 0u;
    int blank_only = 0;
    if (info.size == 0) {
        flags |= NVT_FLASH_FILE_CREATE; /* a new image: erased flash */
    } else {
        err = image_geometry(h, info.size, &geo, &blank_only);
    }
    size_t sectors_len = NVT_STORE_SECTORS_BYTES(geo.sector_count);
    void *sectors = err == NVT_OK ? realloc(h->sectors, sectors_len) : NULL;
    if (err == NVT_OK && sectors == NULL) {
        set_status(h, "out of memory");
        err = NVT_E_NO_SPACE;
    }
    if (err == NVT_OK) {
        h->sectors = sectors;
        err = nvt_flash_file_open_fd(&h->file, h->fd, &geo, flags);
        if (err != NVT_OK) {
            set_status(h, "image cannot be written");
        }
    }
    if (err == NVT_OK && blank_only) {
        int blank = nvt_store_blank(&h->file.flash);
        if (blank != 1) {
            (void)nvt_flash_file_close(&h->file);
            set_status(h, blank == 0 ? "no nvtoken store, not blank: left as it is" : "image cannot be read");
            err = blank == 0 ? NVT_E_NOT_FORMATTED : blank;
        }
    }
    if (err != NVT_OK) {
        nvt_port_image_close(h->fd);
        h->fd = -1;
        return err;
    }
    memset(h->sectors, 0, sectors_len);
    h->store_cfg.sectors = h->sectors;
    h->store_cfg.sectors_len = sectors_len;
    h->store_cfg.flash = &h->file.flash;
    h->open = 1;
    if ((info.mode & 077u) != 0) {
        set_status_text(h, "image file open to others (mode %04o)", info.mode);
    } else {
        set_status(h, NULL);
    }
    return NVT_OK;
}

static int host_begin(void *ctx, int *changed)
{
    host_slot_t *h = ctx;
    uint64_t counter = 0;
    int err = h->lock != NULL ? NVT_OK : nvt_port_filelock_open(h->path, &h->lock);
    if (err == NVT_OK) {
        err = nvt_port_filelock_acquire(h->lock, &counter);
    }
    if (err != NVT_OK) {
        set_status(h, "lock file cannot be made");
        return err;
    }
    int was_open = h->open;
    err = open_image(h);
    if (err != NVT_OK) {
        (void)nvt_port_filelock_release(h->lock, 0, NULL);
        return err;
    }
    *changed = !was_open || counter != h->counter;
    h->counter = counter;
    return NVT_OK;
}

static int host_end(void *ctx, int wrote)
{
    host_slot_t *h = ctx;
    return nvt_port_filelock_release(h->lock, wrote, &h->counter);
}

static const char *host_status(void *ctx)
{
    const host_slot_t *h = ctx;
    return h->status;
}

static void free_slot(host_slot_t *h)
{
    if (h == NULL) {
        return;
    }
    if (h->open) {
        (void)nvt_flash_file_close(&h->file);
    }
    nvt_port_image_close(h->fd);
    nvt_port_filelock_close(h->lock);
    nvt_port_secret_free(h->scratch, HOST_SCRATCH); /* may have held secret objects */
    free(h->index);
    free(h->sectors);
    nvt_crypto_zeroize(&h->store, sizeof(h->store));
    free(h);
}

static CK_RV add_slot(const char *path, unsigned sync)
{
    for (unsigned i = 0; i < host.n; i++) {
        if (strcmp(host.slot[i]->path, path) == 0) {
            return CKR_OK; /* one slot per image: a second lock would deadlock */
        }
    }
    if (host.n == NVT_CONFIG_TOKEN_SLOTS) {
        return CKR_OK; /* more images than slots: the rest are ignored */
    }
    host_slot_t *h = calloc(1, sizeof(*h));
    if (h == NULL) {
        return CKR_HOST_MEMORY;
    }
    memcpy(h->path, path, strlen(path) + 1);
    h->number = host.n;
    h->sync = sync;
    h->fd = -1;
    h->index = calloc(1, NVT_STORE_INDEX_BYTES(HOST_INDEX_OBJECTS));
    h->scratch = nvt_port_secret_alloc(HOST_SCRATCH); /* moves secret objects: not in core dumps */
    if (h->index == NULL || h->scratch == NULL) {
        free_slot(h);
        return CKR_HOST_MEMORY;
    }
    h->store_cfg.index = h->index;
    h->store_cfg.index_len = NVT_STORE_INDEX_BYTES(HOST_INDEX_OBJECTS);
    h->store_cfg.scratch = h->scratch;
    h->store_cfg.scratch_len = HOST_SCRATCH;
    h->sync_ops.begin = host_begin;
    h->sync_ops.end = host_end;
    h->sync_ops.status = host_status;
    h->sync_ops.ctx = h;
    /* The lock file may not be creatable yet (missing directory): then
     * begin() tries again, and the slot reports no token meanwhile. */
    (void)nvt_port_filelock_open(path, &h->lock);
    nvt_token_slot_config_t *c = &host.cfg[host.n];
    memset(c, 0, sizeof(*c));
    c->store = &h->store;
    c->store_cfg = &h->store_cfg;
    c->flags = NVT_TOKEN_SLOT_FORMAT_BLANK; /* a blank image is a new token */
    c->sync = &h->sync_ops;
    host.slot[host.n++] = h;
    return CKR_OK;
}

/* The `geometry` setting: the shape of new images, or a bad setting (which
 * every slot then reports, writing nothing). */
static void read_geometry_setting(void)
{
    host.new_geo = (nvt_flash_geometry_t){ NVT_TOKEN_HOST_SECTOR_SIZE, NVT_TOKEN_HOST_SECTOR_COUNT,
                                           NVT_TOKEN_HOST_PROG_UNIT };
    host.geo_state = GEO_DEFAULT;
    int err = nvt_port_setting("geometry", host.geo_text, sizeof(host.geo_text));
    if (err == NVT_OK) {
        nvt_flash_geometry_t geo;
        err = nvt_flash_geometry_parse(host.geo_text, &geo);
        if (err == NVT_OK) {
            host.new_geo = geo;
            host.geo_state = GEO_SET;
        }
    }
    if (err != NVT_OK && err != NVT_E_NOT_FOUND) {
        host.geo_state = GEO_BAD;
    }
}

CK_RV tok_host_open(const nvt_token_config_t **cfg)
{
    char path[NVT_PORT_PATH_MAX], value[64];
    unsigned sync = 1;
    tok_host_close();
    /* The token's state holds PIN verifiers, session keys and working
     * copies of key objects: none of it in a core dump. */
    (void)nvt_port_secret_exclude(&tok, sizeof(tok));
    host.debug = nvt_port_setting("debug", value, sizeof(value)) == NVT_OK && strcmp(value, "0") != 0;
    read_geometry_setting();
    if (nvt_port_setting("sync", value, sizeof(value)) == NVT_OK) {
        sync = strcmp(value, "0") != 0;
    }
    /* `legacy = 0` (NVTOKEN_LEGACY=0): no 1024-bit RSA, no DES3. */
    unsigned flags = 0;
    if (nvt_port_setting("legacy", value, sizeof(value)) == NVT_OK && strcmp(value, "0") == 0) {
        flags |= NVT_TOKEN_LEGACY_OFF;
    }
    CK_RV rv = CKR_OK;
    for (unsigned i = 0; rv == CKR_OK; i++) {
        int err = nvt_port_image_path(i, path, sizeof(path));
        if (err == NVT_E_NOT_FOUND) {
            break;
        }
        rv = err == NVT_OK ? add_slot(path, sync) : CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK && host.n == 0) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv != CKR_OK) {
        tok_host_close();
        return rv;
    }
    if (host.geo_state == GEO_BAD && host.debug) {
        (void)fprintf(stderr, "nvtoken: geometry setting '%s' is not SIZExCOUNTxUNIT: no image is opened\n",
                      host.geo_text);
    }
    host.config.slots = host.cfg;
    host.config.slot_count = host.n;
    host.config.pin_iterations = 0;
    host.config.flags = flags;
    *cfg = &host.config;
    return CKR_OK;
}

void tok_host_close(void)
{
    for (unsigned i = 0; i < host.n; i++) {
        free_slot(host.slot[i]);
        host.slot[i] = NULL;
    }
    host.n = 0;
}
