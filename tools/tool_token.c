/* An image opened as a PKCS#11 token (tool_token.h).
 *
 * The tool links libnvtoken.a and hands the library one slot with
 * nvt_token_configure(), as a firmware does: the image through the `file`
 * flash driver, the store's RAM, and - for an image that exists already -
 * the same <image>.lock coordination the host module uses, so the tool and
 * a running module never write the image at the same time. Every object is
 * then made and read with C_* calls: no store record is written or parsed
 * here.
 *
 * tool_token_open() is the one place where the token is configured:
 * settings the token gains (a device key for sealed records, say) are
 * passed there. */
#include "tool_token.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool_image.h"

/* The store's RAM, as the host module sizes it: index slots (live objects
 * and tombstones) and scratch for moving data. */
#define TOKEN_INDEX_OBJECTS 8192u
#define TOKEN_SCRATCH 4096u

/* ------------------------------------------------------------------------
 * PKCS#11 errors
 * ---------------------------------------------------------------------- */

#define RV(name) { name, #name }
static const struct {
    CK_RV rv;
    const char *name;
} rv_names[] = {
    RV(CKR_OK), RV(CKR_HOST_MEMORY), RV(CKR_SLOT_ID_INVALID), RV(CKR_GENERAL_ERROR), RV(CKR_FUNCTION_FAILED),
    RV(CKR_ARGUMENTS_BAD), RV(CKR_ATTRIBUTE_READ_ONLY), RV(CKR_ATTRIBUTE_SENSITIVE),
    RV(CKR_ATTRIBUTE_TYPE_INVALID), RV(CKR_ATTRIBUTE_VALUE_INVALID), RV(CKR_DATA_INVALID), RV(CKR_DATA_LEN_RANGE),
    RV(CKR_DEVICE_ERROR), RV(CKR_DEVICE_MEMORY), RV(CKR_DEVICE_REMOVED), RV(CKR_FUNCTION_NOT_SUPPORTED),
    RV(CKR_KEY_HANDLE_INVALID), RV(CKR_KEY_SIZE_RANGE), RV(CKR_KEY_TYPE_INCONSISTENT),
    RV(CKR_KEY_FUNCTION_NOT_PERMITTED), RV(CKR_MECHANISM_INVALID), RV(CKR_MECHANISM_PARAM_INVALID),
    RV(CKR_OBJECT_HANDLE_INVALID), RV(CKR_OPERATION_ACTIVE), RV(CKR_PIN_INCORRECT), RV(CKR_PIN_INVALID),
    RV(CKR_PIN_LEN_RANGE), RV(CKR_PIN_EXPIRED), RV(CKR_PIN_LOCKED), RV(CKR_SESSION_HANDLE_INVALID),
    RV(CKR_SESSION_READ_ONLY), RV(CKR_TEMPLATE_INCOMPLETE), RV(CKR_TEMPLATE_INCONSISTENT),
    RV(CKR_TOKEN_NOT_PRESENT), RV(CKR_TOKEN_NOT_RECOGNIZED), RV(CKR_TOKEN_WRITE_PROTECTED),
    RV(CKR_USER_ALREADY_LOGGED_IN), RV(CKR_USER_NOT_LOGGED_IN), RV(CKR_USER_PIN_NOT_INITIALIZED),
    RV(CKR_USER_TYPE_INVALID), RV(CKR_DOMAIN_PARAMS_INVALID), RV(CKR_CURVE_NOT_SUPPORTED),
    RV(CKR_BUFFER_TOO_SMALL), RV(CKR_CRYPTOKI_NOT_INITIALIZED), RV(CKR_CRYPTOKI_ALREADY_INITIALIZED),
};
#undef RV

const char *tool_ckr_name(CK_RV rv)
{
    static char other[32];
    for (size_t i = 0; i < sizeof(rv_names) / sizeof(rv_names[0]); i++) {
        if (rv_names[i].rv == rv) {
            return rv_names[i].name;
        }
    }
    snprintf(other, sizeof(other), "CKR_0x%lx", (unsigned long)rv);
    return other;
}

int tool_ckr_status(CK_RV rv)
{
    switch (rv) {
    case CKR_OK:
        return TOOL_OK;
    case CKR_PIN_INCORRECT:
    case CKR_PIN_INVALID:
    case CKR_PIN_LEN_RANGE:
    case CKR_PIN_EXPIRED:
    case CKR_PIN_LOCKED:
    case CKR_USER_PIN_NOT_INITIALIZED:
    case CKR_USER_NOT_LOGGED_IN:
        return TOOL_PIN;
    case CKR_DEVICE_MEMORY:
        return TOOL_FULL;
    case CKR_DEVICE_ERROR:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_TOKEN_NOT_RECOGNIZED:
        return TOOL_DAMAGED;
    case CKR_CURVE_NOT_SUPPORTED:
    case CKR_KEY_SIZE_RANGE:
    case CKR_MECHANISM_INVALID:
    case CKR_DOMAIN_PARAMS_INVALID:
        return TOOL_UNSUPPORTED;
    case CKR_ATTRIBUTE_READ_ONLY:
    case CKR_ATTRIBUTE_TYPE_INVALID:
    case CKR_ATTRIBUTE_VALUE_INVALID:
    case CKR_TEMPLATE_INCOMPLETE:
    case CKR_TEMPLATE_INCONSISTENT:
    case CKR_KEY_TYPE_INCONSISTENT:
        return TOOL_INPUT;
    default:
        return TOOL_FAILED;
    }
}

int tool_token_fail(const tool_token_t *t, CK_RV rv, const char *what)
{
    return tool_complain(tool_ckr_status(rv), t->path, "%s: %s%s", what, tool_ckr_name(rv),
                         rv == CKR_DEVICE_MEMORY ? " (the image is full)" : "");
}

/* ------------------------------------------------------------------------
 * Sharing the image with other processes (as the host module does)
 * ---------------------------------------------------------------------- */

static int sync_begin(void *ctx, int *changed)
{
    tool_token_t *t = ctx;
    uint64_t counter = 0;
    int err = nvt_port_filelock_acquire(t->lock, &counter);
    if (err != NVT_OK) {
        return err;
    }
    *changed = counter != t->counter;
    t->counter = counter;
    return NVT_OK;
}

static int sync_end(void *ctx, int wrote)
{
    tool_token_t *t = ctx;
    return nvt_port_filelock_release(t->lock, wrote, &t->counter);
}

int tool_token_store_repair(tool_token_t *t, nvt_store_fsck_report_t *r)
{
    int changed = 0;
    int rc = t->lock != NULL ? sync_begin(t, &changed) : NVT_OK;
    if (rc != NVT_OK) {
        return rc;
    }
    if (changed) { /* another process wrote since: read the store again */
        rc = nvt_store_mount(&t->store, &t->store_cfg);
    }
    if (rc == NVT_OK) {
        rc = nvt_store_fsck(&t->store, NVT_STORE_FSCK_REPAIR, r, NULL, NULL);
        rc = rc == NVT_E_CORRUPT ? NVT_OK : rc; /* what cannot be repaired, the report says */
    }
    if (t->lock != NULL) {
        int end = sync_end(t, 1);
        rc = rc != NVT_OK ? rc : end;
    }
    return rc;
}

/* ------------------------------------------------------------------------
 * Opening and closing
 * ---------------------------------------------------------------------- */

/* Why slot 0 shows no token, from its description. */
static int no_token(tool_token_t *t, CK_RV rv)
{
    CK_SLOT_INFO si;
    char why[65] = "";
    if (C_GetSlotInfo(0, &si) == CKR_OK) {
        memcpy(why, si.slotDescription, 64);
        for (int i = 63; i >= 0 && (why[i] == ' ' || why[i] == '\0'); i--) {
            why[i] = '\0';
        }
    }
    const char *reason = strchr(why, ':') != NULL ? strchr(why, ':') + 2 : why;
    return tool_complain(TOOL_DAMAGED, t->path, "no token in this image (%s)%s%s", tool_ckr_name(rv),
                         reason[0] != '\0' ? ": " : "", reason);
}

/* The image file, its geometry and the flash driver over it. */
static int open_file(tool_token_t *t, const tool_token_options_t *o)
{
    const char *name = o->name != NULL ? o->name : t->path;
    nvt_port_image_info_t info;
    int rc;
    if (t->flags & TOOL_TOKEN_READ_ONLY) {
        struct stat sb;
        t->fd = open(t->path, O_RDONLY | O_CLOEXEC);
        rc = t->fd < 0 ? (errno == ENOENT ? NVT_E_NOT_FOUND : NVT_E_IO)
             : fstat(t->fd, &sb) != 0 || !S_ISREG(sb.st_mode) ? NVT_E_IO
                                                              : NVT_OK;
        info.size = rc == NVT_OK ? (uint64_t)sb.st_size : 0;
    } else {
        rc = nvt_port_image_open(t->path, 0, &t->fd, &info);
    }
    if (rc != NVT_OK) {
        if (t->fd >= 0) {
            close(t->fd);
        }
        t->fd = -1;
        return tool_complain(TOOL_FILE, name, "cannot open: %s",
                             rc == NVT_E_NOT_FOUND                  ? "no such file"
                             : (t->flags & TOOL_TOKEN_READ_ONLY) ? "not a readable regular file"
                                                                    : "not a readable and writable regular file");
    }
    nvt_flash_geometry_t want;
    if (o->geometry != NULL && nvt_flash_geometry_parse(o->geometry, &want) != NVT_OK) {
        return tool_complain(TOOL_USAGE, NULL, "bad geometry '%s' (SIZExCOUNTxUNIT, e.g. 2048x64x8)", o->geometry);
    }
    if (t->flags & TOOL_TOKEN_NEW) {
        if (o->geometry == NULL) {
            return tool_complain(TOOL_USAGE, NULL, "a new image needs --geometry");
        }
        t->geo = want;
    } else {
        int status = tool_image_geometry(t->fd, name, info.size, &t->geo);
        if (status != TOOL_OK) {
            return status;
        }
        if (o->geometry != NULL && (want.sector_size != t->geo.sector_size ||
                                    want.sector_count != t->geo.sector_count || want.prog_unit != t->geo.prog_unit)) {
            char have[48];
            tool_geometry_text(&t->geo, have, sizeof(have));
            return tool_complain(TOOL_DAMAGED, name, "an image of geometry %s, not %s", have, o->geometry);
        }
    }
    /* An existing image: every store write barrier is an fdatasync, as in
     * the module. A new one is flushed once, when it is finished. */
    rc = nvt_flash_file_open_fd(&t->file, t->fd, &t->geo,
                                (t->flags & (TOOL_TOKEN_NEW | TOOL_TOKEN_READ_ONLY)) ? 0u : NVT_FLASH_FILE_SYNC);
    if (rc != NVT_OK) {
        return tool_complain(TOOL_DAMAGED, name, "not an image of its geometry's size");
    }
    tool_flash_read_only(&t->ro, &t->file.flash);
    return TOOL_OK;
}

/* The image's device key, found as the module finds it (--device-key, set
 * as the `device_key` setting, else <image>.key; --uid as `device_uid`).
 * A key file is only made for an image the tool may write. */
static int device_key(void *ctx, int create, nvt_token_device_key_t *key)
{
    const tool_token_t *t = ctx;
    return nvt_port_image_device_key(t->key_image, create && !(t->flags & TOOL_TOKEN_READ_ONLY), key->secret,
                                     key->uid, &key->uid_len);
}

int tool_token_open(tool_token_t *t, const char *path, const tool_token_options_t *o)
{
    memset(t, 0, sizeof(*t));
    t->path = path;
    t->key_image = o->name != NULL ? o->name : path;
    t->flags = o->flags;
    t->fd = -1;
    int status = open_file(t, o);
    t->path = o->name != NULL ? o->name : path; /* messages name the image as the user knows it */
    if (status != TOOL_OK) {
        return status;
    }
    /* Other processes on the same image: the module's lock (made if
     * missing, as the module does; read-only, only used if there). */
    int locked = (t->flags & TOOL_TOKEN_READ_ONLY) ? tool_image_lock(path, &t->lock)
                 : (t->flags & TOOL_TOKEN_NEW)     ? 0
                                                   : nvt_port_filelock_open(path, &t->lock) == NVT_OK;
    if (!locked && !(t->flags & (TOOL_TOKEN_NEW | TOOL_TOKEN_READ_ONLY))) {
        return tool_complain(TOOL_FILE, t->path, "cannot make its lock file %s.lock", path);
    }
    if (locked) {
        t->counter = UINT64_MAX; /* the first begin() counts as a change */
        t->sync.begin = sync_begin;
        t->sync.end = sync_end;
        t->sync.ctx = t;
    }
    t->index = calloc(1, NVT_STORE_INDEX_BYTES(TOKEN_INDEX_OBJECTS));
    t->sectors = calloc(1, NVT_STORE_SECTORS_BYTES(t->geo.sector_count));
    t->scratch = nvt_port_secret_alloc(TOKEN_SCRATCH); /* moves key objects */
    if (t->index == NULL || t->sectors == NULL || t->scratch == NULL) {
        return tool_complain(TOOL_FAILED, path, "out of memory");
    }
    t->store_cfg.flash = (t->flags & TOOL_TOKEN_READ_ONLY) ? &t->ro : &t->file.flash;
    t->store_cfg.index = t->index;
    t->store_cfg.index_len = NVT_STORE_INDEX_BYTES(TOKEN_INDEX_OBJECTS);
    t->store_cfg.sectors = t->sectors;
    t->store_cfg.sectors_len = NVT_STORE_SECTORS_BYTES(t->geo.sector_count);
    t->store_cfg.scratch = t->scratch;
    t->store_cfg.scratch_len = TOKEN_SCRATCH;
    t->slot.store_cfg = &t->store_cfg;
    t->slot.store = &t->store;
    t->slot.flags = (t->flags & TOOL_TOKEN_NEW) ? NVT_TOKEN_SLOT_FORMAT_BLANK : 0u;
    t->slot.description = "nvtoken image";
    t->slot.sync = t->lock != NULL ? &t->sync : NULL;
    t->slot.device_key = device_key;
    t->slot.device_key_ctx = t;
    t->cfg.slots = &t->slot;
    t->cfg.slot_count = 1;
    t->cfg.pin_iterations = o->pin_iterations;
    /* The image is a device's: the host build's legacy mechanisms (RSA-1024,
     * triple-DES), which device builds leave out, are off. */
    t->cfg.flags = NVT_TOKEN_LEGACY_OFF;
    if (nvt_token_configure(&t->cfg) != NVT_OK) {
        return tool_complain(TOOL_FAILED, path, "the library refused the configuration");
    }
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "C_Initialize");
    }
    t->up = 1;
    CK_TOKEN_INFO ti;
    rv = C_GetTokenInfo(0, &ti);
    return rv == CKR_OK ? TOOL_OK : no_token(t, rv);
}

int tool_token_init(tool_token_t *t, const char *label, const tool_secret_t *so_pin, const tool_secret_t *pin)
{
    CK_UTF8CHAR padded[32];
    size_t n = strlen(label);
    memset(padded, ' ', sizeof(padded));
    memcpy(padded, label, n < sizeof(padded) ? n : sizeof(padded));
    CK_RV rv = C_InitToken(0, (CK_UTF8CHAR_PTR)(uintptr_t)so_pin->value, (CK_ULONG)so_pin->len, padded);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, rv == CKR_PIN_LEN_RANGE ? "the SO PIN's length" : "C_InitToken");
    }
    if (pin == NULL) {
        return TOOL_OK;
    }
    int status = tool_token_session(t);
    if (status == TOOL_OK) {
        status = tool_token_login(t, CKU_SO, so_pin);
    }
    if (status == TOOL_OK) {
        rv = C_InitPIN(t->session, (CK_UTF8CHAR_PTR)(uintptr_t)pin->value, (CK_ULONG)pin->len);
        if (rv != CKR_OK) {
            return tool_token_fail(t, rv, rv == CKR_PIN_LEN_RANGE ? "the user PIN's length" : "C_InitPIN");
        }
        rv = C_Logout(t->session);
        if (rv != CKR_OK) {
            return tool_token_fail(t, rv, "C_Logout");
        }
        status = tool_token_login(t, CKU_USER, pin);
    }
    return status;
}

int tool_token_session(tool_token_t *t)
{
    CK_FLAGS flags = CKF_SERIAL_SESSION | ((t->flags & TOOL_TOKEN_READ_ONLY) ? 0u : CKF_RW_SESSION);
    CK_RV rv = C_OpenSession(0, flags, NULL_PTR, NULL_PTR, &t->session);
    if (rv != CKR_OK) {
        t->session = 0;
        return tool_token_fail(t, rv, "C_OpenSession");
    }
    return TOOL_OK;
}

int tool_token_login(tool_token_t *t, CK_USER_TYPE who, const tool_secret_t *pin)
{
    CK_RV rv = C_Login(t->session, who, (CK_UTF8CHAR_PTR)(uintptr_t)pin->value, (CK_ULONG)pin->len);
    switch (rv) {
    case CKR_OK:
        return TOOL_OK;
    case CKR_PIN_INCORRECT:
        return tool_complain(TOOL_PIN, t->path, "wrong %s PIN (CKR_PIN_INCORRECT)", who == CKU_SO ? "SO" : "user");
    case CKR_PIN_LOCKED:
        return tool_complain(TOOL_PIN, t->path, "the %s PIN is locked (CKR_PIN_LOCKED)", who == CKU_SO ? "SO" : "user");
    case CKR_USER_PIN_NOT_INITIALIZED:
        return tool_complain(TOOL_PIN, t->path, "the token has no user PIN yet (CKR_USER_PIN_NOT_INITIALIZED)");
    default:
        return tool_token_fail(t, rv, "C_Login");
    }
}

int tool_token_close(tool_token_t *t)
{
    int status = TOOL_OK;
    if (t->up) {
        (void)C_Finalize(NULL_PTR); /* closes the sessions */
        t->up = 0;
    }
    (void)nvt_token_configure(NULL);
    (void)nvt_flash_file_close(&t->file);
    if (t->fd >= 0) {
        if ((t->flags & TOOL_TOKEN_NEW) && fsync(t->fd) != 0) {
            status = tool_complain(TOOL_FILE, t->path, "cannot write: %s", strerror(errno));
        }
        nvt_port_image_close(t->fd);
    }
    nvt_port_filelock_close(t->lock);
    nvt_port_secret_free(t->scratch, TOKEN_SCRATCH);
    free(t->index);
    free(t->sectors);
    tool_wipe(&t->store, sizeof(t->store));
    memset(t, 0, sizeof(*t));
    t->fd = -1;
    return status;
}

int tool_token_blank_image(const char *path, const char *geometry)
{
    nvt_flash_geometry_t geo;
    if (nvt_flash_geometry_parse(geometry, &geo) != NVT_OK) {
        return tool_complain(TOOL_USAGE, NULL, "bad geometry '%s' (SIZExCOUNTxUNIT, e.g. 2048x64x8)", geometry);
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return tool_complain(errno == EEXIST ? TOOL_EXISTS : TOOL_FILE, path, "cannot create: %s", strerror(errno));
    }
    uint8_t erased[4096];
    memset(erased, 0xff, sizeof(erased));
    uint64_t left = (uint64_t)geo.sector_size * geo.sector_count;
    int status = fchmod(fd, 0600) == 0 ? TOOL_OK : TOOL_FILE; /* whatever the umask */
    while (status == TOOL_OK && left > 0) {
        size_t n = left < sizeof(erased) ? (size_t)left : sizeof(erased);
        ssize_t w = write(fd, erased, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            status = TOOL_FILE;
            break;
        }
        left -= (uint64_t)w;
    }
    if (close(fd) != 0 || status != TOOL_OK) {
        (void)unlink(path);
        return tool_complain(TOOL_FILE, path, "cannot write: %s", strerror(errno));
    }
    return TOOL_OK;
}
