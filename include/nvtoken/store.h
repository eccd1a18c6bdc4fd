/**
 * \file store.h
 * \brief The object store: any number of opaque objects of any size, kept by
 *        id in a region of NOR flash, surviving power loss at any instant.
 *
 * The store is log-structured: every put appends a new version and commits
 * it; old versions become garbage that garbage collection reclaims, moving
 * live data and erasing sectors, spreading wear over the whole region. It
 * knows nothing of PKCS#11: an object is an id and a byte string.
 *
 * Guarantees:
 * - Atomic put and delete: after a power cut at any instant, mount sees every
 *   object with either its old or its new value, intact; nothing else changes.
 * - Integrity: every record carries a CRC-32; corrupted data is reported
 *   (NVT_E_CORRUPT), never returned.
 * - Scrubbing: for an object put with NVT_STORE_SENSITIVE, when put or delete
 *   returns, no byte of its previous version remains anywhere in the region.
 * - No heap: all RAM is the nvt_store_t and the caller's buffers in
 *   nvt_store_config_t.
 * - Not thread-safe: callers serialise access to one store.
 *
 * On-flash format: docs/FORMAT.md. Algorithms and why recovery is correct:
 * docs/DESIGN.md.
 */
#ifndef NVTOKEN_STORE_H
#define NVTOKEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/error.h"
#include "nvtoken/flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An object's id. 0x0000 to 0xFFFE; NVT_STORE_ID_NONE is never an id. */
typedef uint16_t nvt_store_id_t;
#define NVT_STORE_ID_NONE ((nvt_store_id_t)0xFFFFu)

/** nvt_store_put() flags. */
/** The object is secret (a private or secret key): its replaced and deleted
 *  versions are scrubbed from flash before put/delete returns. */
#define NVT_STORE_SENSITIVE 0x01u

/**
 * RAM the store works in, provided by the caller. The store keeps pointers
 * to these buffers; they must outlive it. Use NVT_STORE_INDEX_BYTES() and
 * friends to size them, or nvt_store_buffers_t below.
 */
typedef struct nvt_store_config {
    /** The flash region (geometry checked by format/mount). */
    const nvt_flash_t *flash;
    /** Index of live objects: room for \p index_len objects. */
    void *index;
    size_t index_len;
    /** Per-sector state: room for the region's sector_count sectors. */
    void *sectors;
    size_t sectors_len;
    /** Scratch buffer for copying during garbage collection and for
     *  checking CRCs; at least NVT_STORE_SCRATCH_MIN bytes (more is faster). */
    void *scratch;
    size_t scratch_len;
} nvt_store_config_t;

/** Statistics (nvt_store_stat()). */
typedef struct nvt_store_stats {
    uint32_t capacity;      /**< bytes of object data the region can hold */
    uint32_t free;          /**< bytes of object data that can be added now */
    uint32_t live_bytes;    /**< bytes of data in live objects */
    uint32_t objects;       /**< number of live objects */
    uint32_t max_object;    /**< largest object this geometry can hold */
    uint32_t sectors;       /**< sector_count */
    uint32_t erase_min;     /**< lowest sector erase count */
    uint32_t erase_max;     /**< highest sector erase count */
} nvt_store_stats_t;

/** What nvt_store_fsck() found. */
typedef struct nvt_store_fsck_report {
    uint32_t sectors_ok;        /**< sectors with a valid header */
    uint32_t sectors_blank;     /**< erased, unused sectors */
    uint32_t sectors_damaged;   /**< sectors needing an erase (torn erase, ...) */
    uint32_t records_ok;        /**< records whose header, data and commit check */
    uint32_t records_torn;      /**< uncommitted records (interrupted writes) */
    uint32_t records_corrupt;   /**< committed records whose data fails its CRC */
    uint32_t objects;           /**< live objects */
    uint32_t repaired;          /**< repairs made (only with NVT_STORE_FSCK_REPAIR) */
} nvt_store_fsck_report_t;

/** nvt_store_fsck() flags: repair only what is safe (erase damaged sectors
 *  that hold nothing live). */
#define NVT_STORE_FSCK_REPAIR 0x01u

/* The store's state. Treat as opaque; its layout may change. */
typedef struct nvt_store nvt_store_t;

/* nvt_store_t's definition and the buffer sizing macros
 * (NVT_STORE_INDEX_BYTES, NVT_STORE_SECTORS_BYTES, NVT_STORE_SCRATCH_MIN)
 * follow in store_types.h, written with the implementation. */

/**
 * \brief Erase the whole region and write an empty store.
 * \return NVT_OK, NVT_E_INVALID (geometry, buffers), or a flash error. A cut
 *         during format leaves a region that mounts as NVT_E_NOT_FORMATTED
 *         or as an empty store.
 */
int nvt_store_format(nvt_store_t *st, const nvt_store_config_t *cfg);

/**
 * \brief Read the store's headers (never object data) and build the index.
 * \return NVT_OK; NVT_E_NOT_FORMATTED (blank or foreign region);
 *         NVT_E_VERSION; NVT_E_INDEX_FULL (more objects than the index
 *         holds); NVT_E_INVALID; or a flash error.
 */
int nvt_store_mount(nvt_store_t *st, const nvt_store_config_t *cfg);

/**
 * \brief Create object \p id, or replace it atomically.
 * \param flags 0 or NVT_STORE_SENSITIVE.
 * \return NVT_OK; NVT_E_TOO_LARGE; NVT_E_NO_SPACE; NVT_E_INDEX_FULL;
 *         NVT_E_INVALID (id NVT_STORE_ID_NONE, NULL data with len > 0); or a
 *         flash error. On error the object keeps its previous value.
 */
int nvt_store_put(nvt_store_t *st, nvt_store_id_t id, const void *data, size_t len, unsigned flags);

/**
 * \brief Copy object \p id into \p buf.
 * \param out_len receives the object's length (also when \p buf is too small).
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_BUFFER_TOO_SMALL (nothing copied);
 *         NVT_E_CORRUPT; or a flash error.
 */
int nvt_store_get(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len);

/**
 * \brief Copy up to \p len bytes of object \p id from \p offset into \p buf
 *        (for objects larger than a RAM buffer).
 * \param out_read receives the number of bytes copied (0 at or past the end).
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_CORRUPT; or a flash error.
 */
int nvt_store_read(nvt_store_t *st, nvt_store_id_t id, size_t offset, void *buf, size_t len,
                   size_t *out_read);

/**
 * \brief Length and flags of object \p id.
 * \return NVT_OK or NVT_E_NOT_FOUND.
 */
int nvt_store_size(nvt_store_t *st, nvt_store_id_t id, size_t *len, unsigned *flags);

/**
 * \brief Delete object \p id (scrubbing it if it is sensitive).
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_NO_SPACE (a scrub could not move the
 *         other data in its sector); or a flash error.
 */
int nvt_store_delete(nvt_store_t *st, nvt_store_id_t id);

/**
 * \brief Iterate over live objects in increasing id order.
 * \param after the previous id returned, or NVT_STORE_ID_NONE to start.
 * \param next receives the smallest live id greater than \p after.
 * \return NVT_OK, or NVT_E_NOT_FOUND when there is none. Safe to use while
 *         putting and deleting objects.
 */
int nvt_store_next(nvt_store_t *st, nvt_store_id_t after, nvt_store_id_t *next);

/** \brief Fill \p stats. \return NVT_OK. */
int nvt_store_stat(nvt_store_t *st, nvt_store_stats_t *stats);

/**
 * \brief Erase count of sector \p sector.
 * \return NVT_OK or NVT_E_INVALID.
 */
int nvt_store_erase_count(nvt_store_t *st, uint32_t sector, uint32_t *count);

/**
 * \brief Reclaim all garbage now (normally done on demand by put).
 * \return NVT_OK or a flash error.
 */
int nvt_store_gc(nvt_store_t *st);

/**
 * \brief Check every record of the region (headers, data CRCs, commits) and
 *        report what was found; with NVT_STORE_FSCK_REPAIR, also erase
 *        damaged sectors that hold nothing live. Never changes live data.
 * \return NVT_OK if nothing live is corrupt, NVT_E_CORRUPT otherwise, or a
 *         flash error.
 */
int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_STORE_H */
