/* The host module's default configuration (posix port): one slot per flash
 * image file, found by nvt_port_image_path(), on the `file` flash driver.
 *
 * A missing image is created, under its lock, with the default geometry of
 * include/nvtoken/token.h (or the `geometry` setting, "SIZExCOUNTxUNIT") and
 * formatted by the first mount. Processes share an image through the port's
 * image lock: begin() takes it and reports whether another process changed
 * the image since this one last let go (the token then mounts again);
 * end() bumps the change counter if the operation wrote.
 *
 * Durability: the image is opened with NVT_FLASH_FILE_SYNC unless the
 * `sync` setting is 0, so the store's write barriers (before each commit
 * mark, and at the end of each put, delete or format) are fdatasync calls:
 * a committed change survives a host power failure, in the order the store
 * relies on. */
#include "tok_internal.h"

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
    nvt_flash_geometry_t geo;
    unsigned sync;           /* open the image with NVT_FLASH_FILE_SYNC */
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
} host_slot_t;

static struct {
    host_slot_t *slot[NVT_CONFIG_TOKEN_SLOTS];
    nvt_token_slot_config_t cfg[NVT_CONFIG_TOKEN_SLOTS];
    nvt_token_config_t config;
    unsigned n;
} host;

/* Open the image, creating it if there is none (the lock is held). */
static int open_image(host_slot_t *h)
{
    if (h->open) {
        return NVT_OK;
    }
    int exists = nvt_port_file_exists(h->path);
    if (exists < 0) {
        return exists;
    }
    unsigned flags = (exists ? 0u : NVT_FLASH_FILE_CREATE) | (h->sync ? NVT_FLASH_FILE_SYNC : 0u);
    int err = nvt_flash_file_open(&h->file, h->path, &h->geo, flags);
    if (err != NVT_OK) {
        return err;
    }
    h->store_cfg.flash = &h->file.flash;
    h->open = 1;
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

/* The image's device key: its key file (`device_key`, else <image>.key,
 * created when nothing is sealed yet) and the `device_uid` setting. */
static int host_device_key(void *ctx, int create, nvt_token_device_key_t *key)
{
    host_slot_t *h = ctx;
    return nvt_port_image_device_key(h->path, create, key->secret, key->uid, &key->uid_len);
}

static void free_slot(host_slot_t *h)
{
    if (h == NULL) {
        return;
    }
    if (h->open) {
        (void)nvt_flash_file_close(&h->file);
    }
    nvt_port_filelock_close(h->lock);
    if (h->scratch != NULL) {
        nvt_crypto_zeroize(h->scratch, HOST_SCRATCH); /* may have held secret objects */
    }
    free(h->index);
    free(h->sectors);
    free(h->scratch);
    nvt_crypto_zeroize(&h->store, sizeof(h->store));
    free(h);
}

static CK_RV add_slot(const char *path, const nvt_flash_geometry_t *geo, unsigned sync)
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
    h->geo = *geo;
    h->sync = sync;
    h->index = calloc(1, NVT_STORE_INDEX_BYTES(HOST_INDEX_OBJECTS));
    h->sectors = calloc(1, NVT_STORE_SECTORS_BYTES(geo->sector_count));
    h->scratch = calloc(1, HOST_SCRATCH);
    if (h->index == NULL || h->sectors == NULL || h->scratch == NULL) {
        free_slot(h);
        return CKR_HOST_MEMORY;
    }
    h->store_cfg.index = h->index;
    h->store_cfg.index_len = NVT_STORE_INDEX_BYTES(HOST_INDEX_OBJECTS);
    h->store_cfg.sectors = h->sectors;
    h->store_cfg.sectors_len = NVT_STORE_SECTORS_BYTES(geo->sector_count);
    h->store_cfg.scratch = h->scratch;
    h->store_cfg.scratch_len = HOST_SCRATCH;
    h->sync_ops.begin = host_begin;
    h->sync_ops.end = host_end;
    h->sync_ops.ctx = h;
    /* The lock file may not be creatable yet (missing directory): then
     * begin() tries again, and the slot reports no token meanwhile. */
    (void)nvt_port_filelock_open(path, &h->lock);
    nvt_token_slot_config_t *c = &host.cfg[host.n];
    memset(c, 0, sizeof(*c));
    c->store = &h->store;
    c->store_cfg = &h->store_cfg;
    c->flags = NVT_TOKEN_SLOT_FORMAT_BLANK; /* an image of all 0xFF is a new token */
    c->sync = &h->sync_ops;
    c->device_key = host_device_key;
    c->device_key_ctx = h;
    host.slot[host.n++] = h;
    return CKR_OK;
}

CK_RV tok_host_open(const nvt_token_config_t **cfg)
{
    char path[NVT_PORT_PATH_MAX], value[64];
    nvt_flash_geometry_t geo = { NVT_TOKEN_HOST_SECTOR_SIZE, NVT_TOKEN_HOST_SECTOR_COUNT, NVT_TOKEN_HOST_PROG_UNIT };
    unsigned sync = 1;
    int err = nvt_port_setting("geometry", value, sizeof(value));
    if (err == NVT_OK) {
        err = nvt_flash_geometry_parse(value, &geo);
    }
    if (err != NVT_OK && err != NVT_E_NOT_FOUND) {
        return CKR_GENERAL_ERROR; /* a setting that cannot be right */
    }
    err = nvt_port_setting("sync", value, sizeof(value));
    if (err == NVT_OK) {
        sync = strcmp(value, "0") != 0;
    }
    tok_host_close();
    CK_RV rv = CKR_OK;
    for (unsigned i = 0; rv == CKR_OK; i++) {
        err = nvt_port_image_path(i, path, sizeof(path));
        if (err == NVT_E_NOT_FOUND) {
            break;
        }
        rv = err == NVT_OK ? add_slot(path, &geo, sync) : CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK && host.n == 0) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv != CKR_OK) {
        tok_host_close();
        return rv;
    }
    host.config.slots = host.cfg;
    host.config.slot_count = host.n;
    host.config.pin_iterations = 0;
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
