/* An image opened as a PKCS#11 token: libnvtoken's own C_* functions on
 * the image through the `file` flash driver, configured with
 * nvt_token_configure() - the same code the module and a firmware run, so
 * every object the tool makes goes through the token's template rules.
 * See tool_token.c. */
#ifndef NVT_TOOL_TOKEN_H
#define NVT_TOOL_TOKEN_H

#include "nvtoken/flash_file.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/port.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

#include "tool.h"

/** tool_token_options_t.flags: the image is new, made blank by this run
 *  (create, batch): the token formats it, no lock file is used (no one
 *  else knows the file yet) and writes are not flushed one by one; closing
 *  flushes the finished file once. */
#define TOOL_TOKEN_NEW 0x01u

/** tool_token_options_t.flags: open the image read-only, behind a flash
 *  region that refuses to program or erase (list and export without a
 *  PIN, batch's check of devices done before): nothing is written, not
 *  even a lock file (the lock is used if the module's is there). A login,
 *  which counts attempts in the image, is not possible then. */
#define TOOL_TOKEN_READ_ONLY 0x02u

/** How the image is opened: the tool's settings for the token, in one
 *  place (tool_token_open()). */
typedef struct tool_token_options {
    /** --geometry: the shape the image must have (an existing image whose
     *  store says another is refused); for a new image, its shape. NULL:
     *  an existing image's own. */
    const char *geometry;
    /** PBKDF2 iterations of PIN verifiers made in this run; 0: the
     *  library's default. */
    uint32_t pin_iterations;
    unsigned flags; /**< TOOL_TOKEN_* */
    /** The image's name in messages (a new image is made under a
     *  temporary name); NULL: its path. */
    const char *name;
} tool_token_options_t;

typedef struct tool_token {
    const char *path;
    /** The image the device key belongs to (<image>.key, or the
     *  --device-key file): the final name of a new image. */
    const char *key_image;
    unsigned flags;
    int fd;
    nvt_flash_file_t file;
    nvt_flash_t ro; /**< TOOL_TOKEN_READ_ONLY: the region the store sees */
    nvt_flash_geometry_t geo;
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    nvt_token_slot_config_t slot;
    nvt_token_sync_t sync;
    nvt_token_config_t cfg;
    nvt_port_filelock_t *lock;
    uint64_t counter;
    void *index;
    void *sectors;
    void *scratch;
    int up;                    /**< C_Initialize done */
    CK_SESSION_HANDLE session; /**< 0: none */
} tool_token_t;

/** Open \p path as slot 0 of the library (C_Initialize included).
 *  Complains itself. */
int tool_token_open(tool_token_t *t, const char *path, const tool_token_options_t *o);

/** A new blank image (every byte 0xFF, as erased flash) of \p geometry at
 *  \p path, which must not exist (TOOL_EXISTS), mode 0600. Complains. */
int tool_token_blank_image(const char *path, const char *geometry);

/** Initialise the token of a new image: C_InitToken with \p label and
 *  the SO PIN, then (with \p pin) the user PIN, and leave a read-write
 *  session logged in as the user (or none without \p pin). Complains. */
int tool_token_init(tool_token_t *t, const char *label, const tool_secret_t *so_pin, const tool_secret_t *pin);

/** Open a session on the token (read-write unless the image is open
 *  read-only). Complains itself. */
int tool_token_session(tool_token_t *t);

/** Log in as \p who with \p pin. Complains itself (TOOL_PIN for a wrong,
 *  locked or unset PIN). */
int tool_token_login(tool_token_t *t, CK_USER_TYPE who, const tool_secret_t *pin);

/** Close the session and the library, and the image (a new one is flushed
 *  to disk first). \return TOOL_OK, or TOOL_FILE (complained) if the image
 *  could not be flushed. Safe after a failed open. */
int tool_token_close(tool_token_t *t);

/** The store's own repair (nvt_store_fsck() with NVT_STORE_FSCK_REPAIR:
 *  sectors with corrected blocks, lost entries or of format version 1
 *  rewritten, damaged empty ones erased) on the token's store, under the
 *  image's lock. \return an nvt_err_t. */
int tool_token_store_repair(tool_token_t *t, nvt_store_fsck_report_t *r);

/** The exit status for a PKCS#11 error. */
int tool_ckr_status(CK_RV rv);

/** "CKR_PIN_INCORRECT" (or "CKR_0x..." for codes without a name here). */
const char *tool_ckr_name(CK_RV rv);

/** Complain "IMAGE: what: CKR_..." with the status for \p rv. */
int tool_token_fail(const tool_token_t *t, CK_RV rv, const char *what);

#endif /* NVT_TOOL_TOKEN_H */
