/* The token's state and life cycle: configuration, mounting each slot's
 * store, coordination with other processes, the error table, slot and
 * token information. */
#include "tok_internal.h"

#include <string.h>

#include "nvt_crypto_nv_seed.h"
#include "nvtoken/version.h"

tok_state_t tok;

/* What nvt_token_configure() was given (NULL: the platform default). */
static const nvt_token_config_t *tok_user_cfg;

/* Handle counters: never reset, so a handle is never reused while the
 * process runs (0 is CK_INVALID_HANDLE). */
static CK_OBJECT_HANDLE tok_next_object = 1;
static CK_SESSION_HANDLE tok_next_session = 1;

CK_OBJECT_HANDLE tok_new_object_handle(void)
{
    return tok_next_object++;
}

CK_SESSION_HANDLE tok_new_session_handle(void)
{
    return tok_next_session++;
}

/* ------------------------------------------------------------------------
 * The one place where store, flash and crypto errors become PKCS#11 codes.
 * ---------------------------------------------------------------------- */

static const struct {
    int err;
    CK_RV rv;
} tok_err_table[] = {
    { NVT_OK, CKR_OK },
    { NVT_E_INVALID, CKR_GENERAL_ERROR },      /* a bug of ours: bad arguments below */
    { NVT_E_IO, CKR_DEVICE_ERROR },
    { NVT_E_POWER_LOST, CKR_DEVICE_ERROR },
    { NVT_E_PROGRAMMED, CKR_DEVICE_ERROR },
    { NVT_E_CORRUPT, CKR_DEVICE_ERROR },
    { NVT_E_NOT_FOUND, CKR_OBJECT_HANDLE_INVALID },
    { NVT_E_NO_SPACE, CKR_DEVICE_MEMORY },
    { NVT_E_TOO_LARGE, CKR_DEVICE_MEMORY },
    { NVT_E_INDEX_FULL, CKR_DEVICE_MEMORY },
    { NVT_E_NOT_FORMATTED, CKR_TOKEN_NOT_RECOGNIZED },
    { NVT_E_VERSION, CKR_TOKEN_NOT_RECOGNIZED },
    { NVT_E_BUFFER_TOO_SMALL, CKR_BUFFER_TOO_SMALL },
    { NVT_E_UNSUPPORTED, CKR_FUNCTION_NOT_SUPPORTED },
    { NVT_E_CRYPTO, CKR_FUNCTION_FAILED },
    { NVT_E_ENTROPY, CKR_FUNCTION_FAILED },
    { NVT_E_BUSY, CKR_FUNCTION_FAILED },
    { NVT_E_VERIFY, CKR_FUNCTION_FAILED }, /* mechanisms map it to their own code first */
};

CK_RV tok_rv(int err)
{
    for (size_t i = 0; i < sizeof(tok_err_table) / sizeof(tok_err_table[0]); i++) {
        if (tok_err_table[i].err == err) {
            return tok_err_table[i].rv;
        }
    }
    return err > 0 ? CKR_OK : CKR_GENERAL_ERROR;
}

/* ------------------------------------------------------------------------
 * Configuration
 * ---------------------------------------------------------------------- */

int nvt_token_configure(const nvt_token_config_t *cfg)
{
    if (tok.up) {
        return NVT_E_BUSY;
    }
    if (cfg != NULL) {
        if (cfg->slots == NULL || cfg->slot_count == 0 || cfg->slot_count > NVT_CONFIG_TOKEN_SLOTS ||
            cfg->pin_iterations > NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX) {
            return NVT_E_INVALID;
        }
        for (unsigned i = 0; i < cfg->slot_count; i++) {
            if (cfg->slots[i].store == NULL || cfg->slots[i].store_cfg == NULL) {
                return NVT_E_INVALID;
            }
            if (!NVT_CONFIG_TOKEN_SHARED_SLOTS && cfg->slots[i].sync != NULL) {
                return NVT_E_UNSUPPORTED;
            }
        }
    }
    tok_user_cfg = cfg;
    return NVT_OK;
}

int nvt_token_provision_nv_seed(nvt_store_t *store, const void *seed, size_t len)
{
    if (store == NULL || seed == NULL || len != nvt_crypto_nv_seed_size() || len != NVT_TOKEN_NV_SEED_SIZE) {
        return NVT_E_INVALID;
    }
    /* In the clear (version 1): the device mixes it with its device key
     * and replaces it, sealed, at its first start (docs/DESIGN.md). */
    return nvt_store_put(store, NVT_TOKEN_ID_NV_SEED, seed, len, NVT_STORE_SENSITIVE);
}

/* The NV seed of slot 0's store feeds the target's entropy pool: read it
 * mixed with the device key, replace it (both copies, sealed) - whether or
 * not the store holds a token record it can read (a record refused or
 * unreadable must not leave the library without entropy). */
static int seed_read(void *ctx, unsigned char *buf, size_t len)
{
    tok_slot_t *s = ctx;
    return s->mounted && tok_seed_read(s, buf, len) == CKR_OK ? 0 : -1;
}

static int seed_write(void *ctx, const unsigned char *buf, size_t len)
{
    tok_slot_t *s = ctx;
    return s->mounted && tok_seed_write(s, buf, len) == CKR_OK ? 0 : -1;
}

static nvt_crypto_nv_seed_backend_t tok_seed_backend = { seed_read, seed_write, NULL };

/* ------------------------------------------------------------------------
 * Slots: mounting and coordination
 * ---------------------------------------------------------------------- */

tok_slot_t *tok_slot_get(CK_SLOT_ID id)
{
    return tok.up && id < tok.nslots ? &tok.slots[id] : NULL;
}

CK_RV tok_store_put(tok_slot_t *s, nvt_store_id_t id, const void *data, size_t len, unsigned flags)
{
    /* An unreadable token is write-protected, but for its NV seed, which
     * the random generator replaces at every start. */
    if (s->unreadable && id != NVT_TOKEN_ID_NV_SEED && id != NVT_TOKEN_ID_NV_SEED_COPY) {
        return CKR_TOKEN_WRITE_PROTECTED;
    }
    s->wrote = 1;
    return tok_rv(nvt_store_put(s->cfg->store, id, data, len, flags));
}

CK_RV tok_store_delete(tok_slot_t *s, nvt_store_id_t id)
{
    if (s->unreadable) {
        return CKR_TOKEN_WRITE_PROTECTED;
    }
    s->wrote = 1;
    int err = nvt_store_delete(s->cfg->store, id);
    return err == NVT_E_NOT_FOUND ? CKR_OK : tok_rv(err);
}

CK_RV tok_counters_save(tok_slot_t *s, uint8_t so_fails, uint8_t user_fails)
{
    tok_record_t rec = s->rec;
    uint8_t bytes[TOK_CNT_SIZE];
    uint32_t seq = s->twin[TOK_TWIN_COUNTERS].seq + 1;
    rec.so_fails = so_fails;
    rec.user_fails = user_fails;
    tok_counters_encode(&rec, seq, bytes);
    CK_RV rv = tok_twin_write(s, TOK_TWIN_COUNTERS, bytes, sizeof(bytes), sizeof(bytes), seq);
    if (rv == CKR_OK) {
        s->rec.so_fails = so_fails;
        s->rec.user_fails = user_fails;
    }
    nvt_crypto_zeroize(&rec, sizeof(rec));
    return rv;
}

CK_RV tok_record_save(tok_slot_t *s, const tok_record_t *rec)
{
    /* A token written before sealing: its record is sealed first, flagged
     * migrating (so the sequence below follows that write). */
    CK_RV rv = tok_migrate_begin(s);
    if (rv != CKR_OK) {
        return rv;
    }
    uint8_t bytes[TOK_REC_SIZE + TOK_SEAL_TRAILER];
    tok_record_t r = *rec;
    /* The flag says what the slot knows: while sensitive records may be in
     * the clear, every record written says so (tok_repair clears it last). */
    r.flags = (uint8_t)(tok_migrating(s) ? r.flags | TOK_REC_MIGRATING : r.flags & ~TOK_REC_MIGRATING);
    r.seq = s->twin[TOK_TWIN_RECORD].seq + 1;
    tok_record_encode(&r, bytes);
    rv = tok_twin_write(s, TOK_TWIN_RECORD, bytes, TOK_REC_SIZE, sizeof(bytes), r.seq);
    nvt_crypto_zeroize(bytes, sizeof(bytes));
    if (rv == CKR_OK) {
        s->rec = r;
        s->initialized = 1;
    }
    nvt_crypto_zeroize(&r, sizeof(r));
    return rv;
}

static int record_valid(const uint8_t *p, size_t n, uint32_t *seq)
{
    tok_record_t r;
    int ok = tok_record_decode(&r, p, n) == CKR_OK;
    *seq = r.seq;
    nvt_crypto_zeroize(&r, sizeof(r));
    return ok;
}

/* Read the token record (the newer good copy) and the counts that apply
 * to it. *state: NVT_TOKEN_RECORD_*; a record that is there but cannot be
 * read - or none, in a store holding token objects - is unreadable. */
static CK_RV read_record(tok_slot_t *s, tok_record_t *rec, unsigned *state)
{
    uint8_t bytes[2 * (TOK_REC_SIZE + TOK_SEAL_TRAILER)];
    size_t n = 0;
    int present = 0;
    /* A record in the clear only where nothing is sealed: else it would be
     * a way round the seal (a record with a PIN of the attacker's, over
     * sealed keys); in a sealing build, only if it migrates. */
    int plain_ok = !NVT_CONFIG_TOKEN_SEAL || (NVT_CONFIG_TOKEN_MIGRATE && !s->store_sealed);
    int found = tok_twin_read(s, TOK_TWIN_RECORD, bytes, sizeof(bytes) / 2, &n, plain_ok, record_valid, &present);
    memset(rec, 0, sizeof(*rec));
    *state = NVT_TOKEN_RECORD_NONE;
    if (found > 0) {
        (void)tok_record_decode(rec, bytes, n);
        *state = NVT_TOKEN_RECORD_OK;
        s->migrating = NVT_CONFIG_TOKEN_MIGRATE && (s->twin[TOK_TWIN_RECORD].plain || (rec->flags & TOK_REC_MIGRATING) != 0);
        found = tok_twin_read(s, TOK_TWIN_COUNTERS, bytes, sizeof(bytes) / 2, &n, 1, tok_counters_seq, &present);
        if (found > 0) {
            tok_counters_apply(rec, bytes, n);
        } else if (found == 0 && present) {
            /* Both copies damaged: a count that cannot be read is not 0;
             * one attempt left, which a good PIN resets. */
            rec->so_fails = NVT_CONFIG_TOKEN_SO_PIN_TRIES - 1;
            rec->user_fails = NVT_CONFIG_TOKEN_USER_PIN_TRIES - 1;
        }
    } else if (found == 0 && (present || tok_store_has_objects(s))) {
        *state = NVT_TOKEN_RECORD_UNREADABLE;
    }
    nvt_crypto_zeroize(bytes, sizeof(bytes));
    return found < 0 ? tok_rv(found) : CKR_OK;
}

/* Why a slot has no token: C_GetSlotInfo's description says it (and the
 * host's `debug` setting prints it). Fixed texts, never data. */
static void slot_why(tok_slot_t *s, const char *why)
{
    if (why != s->why) {
        s->why = why;
#if defined(NVT_TOKEN_HOST_IMAGES)
        if (why != NULL) {
            tok_host_debug((unsigned)(s - tok.slots), why);
        }
#endif
    }
}

static const char *mount_why(int err)
{
    switch (err) {
    case NVT_E_NOT_FORMATTED: return "no nvtoken store, not blank: left as it is";
    case NVT_E_VERSION: return "store of a format version not supported";
    case NVT_E_INVALID: return "store of another geometry: left as it is";
    case NVT_E_INDEX_FULL: return "more objects than the index holds";
    case NVT_E_CORRUPT: return "store damaged";
    default: return "flash error";
    }
}

/* Reads of the slot's region for nvt_store_probe(). */
typedef struct region_reader {
    const nvt_flash_t *flash;
} region_reader_t;

static int region_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    const region_reader_t *r = ctx;
    return nvt_flash_read(r->flash, addr, buf, len);
}

/* NVT_E_INVALID if the region's erase blocks record a geometry other than
 * the configured one: a store of another shape, which a mount in this one
 * could take for an empty store with damaged sectors, and the first write
 * would then erase. Sector 0's block says it (one 16-byte read); if that
 * one is damaged, any other of the region's size. */
static int geometry_agrees(const nvt_flash_t *flash)
{
    region_reader_t r = { flash };
    nvt_flash_geometry_t g;
    int rc = nvt_store_probe(region_read, &r, 0, &g, NULL);
    if (rc == NVT_E_NOT_FORMATTED) {
        rc = nvt_store_probe(region_read, &r, (uint64_t)flash->geo.sector_size * flash->geo.sector_count, &g, NULL);
    }
    if (rc == NVT_OK) {
        return g.sector_size == flash->geo.sector_size && g.sector_count == flash->geo.sector_count &&
                       g.prog_unit == flash->geo.prog_unit
                   ? NVT_OK
                   : NVT_E_INVALID;
    }
    return rc == NVT_E_NOT_FORMATTED || rc == NVT_E_VERSION ? NVT_OK : rc; /* the mount tells */
}

/* Format the region if the slot asks for it and the region holds nothing
 * a format could lose (blank, or a format cut short): a store of another
 * geometry, foreign data or a damaged store is never formatted here. */
static int format_if_blank(tok_slot_t *s)
{
    const nvt_token_slot_config_t *c = s->cfg;
    if ((c->flags & NVT_TOKEN_SLOT_FORMAT_BLANK) == 0) {
        slot_why(s, "blank or foreign: not formatted");
        return NVT_E_NOT_FORMATTED;
    }
    int blank = nvt_store_blank(c->store_cfg->flash);
    if (blank != 1) {
        slot_why(s, mount_why(blank == 0 ? NVT_E_NOT_FORMATTED : blank));
        return blank == 0 ? NVT_E_NOT_FORMATTED : blank;
    }
    s->wrote = 1;
    int err = nvt_store_format(c->store, c->store_cfg);
    if (err == NVT_OK) {
        err = nvt_store_mount(c->store, c->store_cfg);
    }
    if (err != NVT_OK) {
        slot_why(s, "format failed: flash error");
    }
    return err;
}

/* Whether the slot holds a token. A change after C_Initialize is a slot
 * event (a token inserted or removed) for C_WaitForSlotEvent. */
static void slot_presence(tok_slot_t *s, int present)
{
    if (present != s->present && tok.up) {
        s->event = 1;
    }
    s->present = present;
}

/* Mount (or mount again) the slot's store and read what it holds. Keeps
 * object handles of objects that are still there. */
static CK_RV slot_mount(tok_slot_t *s)
{
    const nvt_token_slot_config_t *c = s->cfg;
    int err = geometry_agrees(c->store_cfg->flash);
    if (err == NVT_OK) {
        err = nvt_store_mount(c->store, c->store_cfg);
    }
    if (err == NVT_E_NOT_FORMATTED) {
        err = format_if_blank(s);
    } else if (err != NVT_OK) {
        slot_why(s, mount_why(err));
    }
    s->mounted = err == NVT_OK;
    if (err != NVT_OK) {
        slot_presence(s, 0);
        return err == NVT_E_NOT_FORMATTED || err == NVT_E_VERSION ? CKR_TOKEN_NOT_RECOGNIZED : tok_rv(err);
    }
    tok_seal_mount(s);
    tok_record_t rec;
    unsigned state;
    CK_RV rv = read_record(s, &rec, &state);
    if (rv != CKR_OK) {
        slot_presence(s, 0);
        slot_why(s, "token record unreadable");
        return rv;
    }
    slot_presence(s, 1);
    int found = state == NVT_TOKEN_RECORD_OK;
    if (found != s->initialized || (found && rec.gen != s->rec.gen)) {
        /* Another token now (initialised elsewhere): nothing carries over,
         * and for the application a token was removed and another one
         * inserted - a slot event. */
        tok_logout_slot(s);
        tok_objects_drop(s);
        s->event = tok.up;
    }
    s->initialized = found;
    s->unreadable = state == NVT_TOKEN_RECORD_UNREADABLE;
    s->rec = rec;
    nvt_crypto_zeroize(&rec, sizeof(rec));
    if (s->unreadable) {
        /* Which objects belong to it is unknown: none is shown, none is
         * deleted. */
        tok_objects_drop(s);
        slot_why(s, s->diag.no_key         ? "token unreadable: no device key"
                    : s->diag.refused > 0 ? "token unreadable: record in the clear, refused"
                                          : "token unreadable: record damaged or another device's");
        return CKR_OK;
    }
    rv = tok_objects_scan(s);
    if (rv != CKR_OK) {
        slot_presence(s, 0);
        slot_why(s, "token objects unreadable");
        return rv;
    }
    slot_why(s, NULL);
    return CKR_OK;
}

CK_RV tok_slot_enter(tok_slot_t *s)
{
    int changed = 0;
    s->wrote = 0;
    const nvt_token_sync_t *sync = tok_sync(s);
    if (sync != NULL) {
        if (sync->begin(sync->ctx, &changed) != NVT_OK) {
            /* An image that cannot be opened (yet) is a token not there;
             * the sync's status says why. */
            slot_why(s, NULL);
            return s->present ? CKR_DEVICE_ERROR : CKR_TOKEN_NOT_PRESENT;
        }
    }
    s->entered = 1;
    CK_RV rv = CKR_OK;
    if (changed || (!s->present && sync != NULL)) {
        rv = slot_mount(s);
    }
    if (rv == CKR_OK && !s->present) {
        rv = CKR_TOKEN_NOT_PRESENT;
    }
    if (rv != CKR_OK) {
        return tok_slot_leave(s, rv);
    }
    return CKR_OK;
}

CK_RV tok_slot_leave(tok_slot_t *s, CK_RV rv)
{
    if (s->wrote && tok_repair_due(s)) {
        /* An operation that wrote: now, with the working buffers free,
         * rewrite stale copies and seal what a token written before sealing
         * kept in the clear. Its outcome is not the operation's. */
        (void)tok_repair(s);
    }
    for (int i = 0; i < TOK_OBJ_BUFFERS; i++) {
        nvt_crypto_zeroize(tok.buf[i], tok.buf_used[i]);
        tok.buf_used[i] = 0;
    }
    const nvt_token_sync_t *sync = tok_sync(s);
    if (s->entered && sync != NULL) {
        if (sync->end(sync->ctx, s->wrote) != NVT_OK && rv == CKR_OK) {
            rv = CKR_DEVICE_ERROR;
        }
    }
    s->entered = 0;
    s->wrote = 0;
    return rv;
}

/* ------------------------------------------------------------------------
 * Life cycle
 * ---------------------------------------------------------------------- */

static void release_all(void)
{
    for (unsigned i = 0; i < NVT_CONFIG_TOKEN_MAX_SESSIONS; i++) {
        tok_session_t *sess = &tok.sessions[i];
        if (sess->handle != 0) {
            tok_ops_end(sess);
            tok_lend_end(sess);
            tok_find_end(sess);
        }
    }
    for (unsigned i = 0; i < tok.nslots; i++) {
        tok_objects_drop(&tok.slots[i]);
        tok_seal_forget(&tok.slots[i]);
    }
    tok_kc_forget_all();
    nvt_crypto_nv_seed_bind(NULL);
    nvt_crypto_zeroize(&tok, sizeof(tok));
#if defined(NVT_TOKEN_HOST_IMAGES)
    tok_host_close();
#endif
}

CK_RV nvt_token_init(void)
{
    const nvt_token_config_t *cfg = tok_user_cfg;
    if (tok.up) {
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    memset(&tok, 0, sizeof(tok));
#if defined(NVT_TOKEN_HOST_IMAGES)
    if (cfg == NULL) {
        CK_RV rv = tok_host_open(&cfg);
        if (rv != CKR_OK) {
            return rv;
        }
    }
#endif
    if (cfg == NULL) {
        return CKR_FUNCTION_FAILED; /* a firmware must call nvt_token_configure() */
    }
    tok.cfg = cfg;
    tok.nslots = cfg->slot_count;
    tok_mech_legacy_enable((cfg->flags & NVT_TOKEN_LEGACY_OFF) == 0);
    for (unsigned i = 0; i < tok.nslots; i++) {
        tok_slot_t *s = &tok.slots[i];
        s->cfg = &cfg->slots[i];
        s->login = TOK_NOBODY;
        s->next_id = NVT_TOKEN_ID_FIRST_OBJECT;
        /* A slot that cannot be mounted reports no token (a shared one is
         * tried again at each use: tok_slot_enter mounts it). */
        if (tok_sync(s) != NULL) {
            if (tok_slot_enter(s) == CKR_OK) {
                (void)tok_slot_leave(s, CKR_OK);
            }
        } else {
            (void)slot_mount(s);
        }
    }
    tok_seed_backend.ctx = &tok.slots[0];
    nvt_crypto_nv_seed_bind(&tok_seed_backend);
    if (nvt_crypto_init() != NVT_OK) {
        release_all();
        return CKR_FUNCTION_FAILED;
    }
    tok.up = 1;
    return CKR_OK;
}

void nvt_token_finalize(void)
{
    if (!tok.up) {
        return;
    }
    release_all();
    nvt_crypto_free();
}

/* ------------------------------------------------------------------------
 * Slot and token information
 * ---------------------------------------------------------------------- */

/* Blank-padded, not NUL-terminated PKCS#11 text field. */
static void pad(CK_UTF8CHAR *field, size_t size, const char *text)
{
    size_t n = text != NULL ? strlen(text) : 0;
    memset(field, ' ', size);
    memcpy(field, text, n < size ? n : size);
}

void nvt_token_library_info(CK_INFO *info)
{
    memset(info, 0, sizeof(*info)); /* cryptokiVersion: the PKCS#11 layer's (per function list) */
    pad(info->manufacturerID, sizeof(info->manufacturerID), "nvtoken project");
    info->flags = 0;
    pad(info->libraryDescription, sizeof(info->libraryDescription), "nvtoken flash PKCS#11 token");
    info->libraryVersion.major = NVT_VERSION_MAJOR;
    info->libraryVersion.minor = NVT_VERSION_MINOR;
}

CK_RV nvt_token_slot_list(CK_BBOOL token_present, CK_SLOT_ID *list, CK_ULONG *count)
{
    CK_ULONG n = 0;
    for (unsigned i = 0; i < tok.nslots; i++) {
        if (!token_present || tok.slots[i].present) {
            if (list != NULL && n < *count) {
                list[n] = i;
            }
            n++;
        }
    }
    CK_RV rv = list != NULL && n > *count ? CKR_BUFFER_TOO_SMALL : CKR_OK;
    *count = n;
    return rv;
}

CK_RV nvt_token_slot_info(CK_SLOT_ID slot, CK_SLOT_INFO *info)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    char desc[sizeof(info->slotDescription) + 1] = "nvtoken slot 0";
    desc[13] = (char)('0' + slot % 10);
    if (s->cfg->description != NULL) {
        size_t n = strlen(s->cfg->description);
        n = n < sizeof(desc) - 1 ? n : sizeof(desc) - 1;
        memcpy(desc, s->cfg->description, n);
        desc[n] = '\0';
    }
    /* What is wrong: why there is no token, or a warning of the sync's. */
    const nvt_token_sync_t *sync = tok_sync(s);
    const char *note = (!s->present || s->unreadable) && s->why != NULL ? s->why
                       : sync != NULL && sync->status != NULL ? sync->status(sync->ctx)
                                                               : NULL;
    if (note != NULL) {
        size_t n = strlen(desc);
        size_t room = sizeof(desc) - 1 - n;
        if (room > 2) {
            memcpy(desc + n, ": ", 2);
            n += 2;
            room -= 2;
            size_t m = strlen(note);
            memcpy(desc + n, note, m < room ? m : room);
            desc[n + (m < room ? m : room)] = '\0';
        }
    }
    memset(info, 0, sizeof(*info));
    pad(info->slotDescription, sizeof(info->slotDescription), desc);
    pad(info->manufacturerID, sizeof(info->manufacturerID), "nvtoken project");
    info->flags = s->present ? CKF_TOKEN_PRESENT : 0;
    info->hardwareVersion.major = 0;
    info->hardwareVersion.minor = 1;
    info->firmwareVersion.major = NVT_VERSION_MAJOR;
    info->firmwareVersion.minor = NVT_VERSION_MINOR;
    return CKR_OK;
}

CK_RV nvt_token_wait_for_slot_event(CK_FLAGS flags, CK_SLOT_ID *slot)
{
#if NVT_CONFIG_TOKEN_SHARED_SLOTS
    /* Look at every slot another process can change (a device's slots
     * change only through this library): entering one mounts it again if
     * its region changed, which records the event. */
    for (unsigned i = 0; i < tok.nslots; i++) {
        tok_slot_t *s = &tok.slots[i];
        if (tok_sync(s) != NULL && tok_slot_enter(s) == CKR_OK) {
            (void)tok_slot_leave(s, CKR_OK);
        }
    }
    for (unsigned i = 0; i < tok.nslots; i++) {
        if (tok.slots[i].event) {
            tok.slots[i].event = 0;
            *slot = i;
            return CKR_OK;
        }
    }
#else
    (void)slot; /* only a region someone else changes makes an event */
#endif
    /* Nothing happened. Waiting for something to happen would need a
     * thread or a poll loop this token does not have. */
    return (flags & CKF_DONT_BLOCK) != 0 ? CKR_NO_EVENT : CKR_FUNCTION_NOT_SUPPORTED;
}

static CK_FLAGS pin_flags(const tok_record_t *r)
{
    CK_FLAGS f = 0;
    if (r->user_fails >= NVT_CONFIG_TOKEN_USER_PIN_TRIES) {
        f |= CKF_USER_PIN_LOCKED;
    } else {
        f |= r->user_fails > 0 ? CKF_USER_PIN_COUNT_LOW : 0;
        f |= r->user_fails + 1 == NVT_CONFIG_TOKEN_USER_PIN_TRIES ? CKF_USER_PIN_FINAL_TRY : 0;
    }
    if (r->so_fails >= NVT_CONFIG_TOKEN_SO_PIN_TRIES) {
        f |= CKF_SO_PIN_LOCKED;
    } else {
        f |= r->so_fails > 0 ? CKF_SO_PIN_COUNT_LOW : 0;
        f |= r->so_fails + 1 == NVT_CONFIG_TOKEN_SO_PIN_TRIES ? CKF_SO_PIN_FINAL_TRY : 0;
    }
    return f;
}

CK_RV nvt_token_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO *info)
{
    tok_slot_t *s = tok_slot_get(slot);
    if (s == NULL) {
        return CKR_SLOT_ID_INVALID;
    }
    CK_RV rv = tok_slot_enter(s);
    if (rv != CKR_OK) {
        return rv;
    }
    nvt_store_stats_t st;
    memset(&st, 0, sizeof(st));
    rv = tok_rv(nvt_store_stat(s->cfg->store, &st));
    if (rv == CKR_OK) {
        memset(info, 0, sizeof(*info));
        memset(info->label, ' ', sizeof(info->label));
        memset(info->serialNumber, ' ', sizeof(info->serialNumber));
        if (s->initialized) {
            memcpy(info->label, s->rec.label, sizeof(info->label));
            memcpy(info->serialNumber, s->rec.serial, sizeof(info->serialNumber));
        }
        pad(info->manufacturerID, sizeof(info->manufacturerID), "nvtoken project");
        pad(info->model, sizeof(info->model), "nvtoken");
        info->flags = CKF_RNG | CKF_LOGIN_REQUIRED;
        if (s->initialized) {
            info->flags |= CKF_TOKEN_INITIALIZED | pin_flags(&s->rec);
            info->flags |= (s->rec.flags & TOK_REC_USER_PIN) != 0 ? CKF_USER_PIN_INITIALIZED : 0;
        } else if (s->unreadable) {
            /* There, but its record cannot be read: sessions are refused
             * (CKR_TOKEN_NOT_RECOGNIZED) and so is C_InitToken. */
            info->flags |= CKF_TOKEN_INITIALIZED | CKF_WRITE_PROTECTED;
        }
        info->ulMaxSessionCount = NVT_CONFIG_TOKEN_MAX_SESSIONS;
        info->ulSessionCount = tok_session_count((unsigned)slot, 0);
        info->ulMaxRwSessionCount = NVT_CONFIG_TOKEN_MAX_SESSIONS;
        info->ulRwSessionCount = tok_session_count((unsigned)slot, 1);
        info->ulMaxPinLen = NVT_CONFIG_TOKEN_PIN_MAX;
        info->ulMinPinLen = NVT_CONFIG_TOKEN_PIN_MIN;
        /* One pool holds public and private objects alike. */
        info->ulTotalPublicMemory = st.capacity;
        info->ulFreePublicMemory = st.free;
        info->ulTotalPrivateMemory = st.capacity;
        info->ulFreePrivateMemory = st.free;
        info->hardwareVersion.major = 0;
        info->hardwareVersion.minor = 1;
        info->firmwareVersion.major = NVT_VERSION_MAJOR;
        info->firmwareVersion.minor = NVT_VERSION_MINOR;
        memset(info->utcTime, ' ', sizeof(info->utcTime));
    }
    return tok_slot_leave(s, rv);
}
