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
 *   (NVT_E_CORRUPT), never returned. One flipped bit in any block (the
 *   store's headers and table entries) is corrected when read, and the
 *   sector rewritten by the next change; one in an object's data loses that
 *   object alone (nvt_store_fsck() names it).
 * - Space: a store that accepted a set of objects keeps accepting the
 *   replacement of any of them by a value of the same size; a put that
 *   would break that is refused with NVT_E_NO_SPACE when it is made
 *   (docs/FORMAT.md, "Capacity").
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
/** The data is sealed by the caller (an AEAD envelope: docs/FORMAT.md,
 *  "Sealed records"). The store keeps the bytes as given and marks the
 *  record's E bit, so tools and fsck know it is ciphertext; get and read
 *  return it as stored. Usually combined with NVT_STORE_SENSITIVE. */
#define NVT_STORE_SEALED 0x02u

/**
 * One slot of the RAM index (caller memory, see nvt_store_config_t): where
 * the newest committed version of an object starts. Treat as opaque.
 */
typedef struct nvt_store_entry {
    uint32_t addr; /**< region address of the first fragment's table entry */
    uint32_t lt;   /**< object length (bits 0-23) and record type (24-31) */
    uint16_t id;   /**< object id */
    uint16_t off;  /**< data offset of the first fragment in its sector / 4 */
} nvt_store_entry_t;

/** What the store keeps per sector (caller memory). Treat as opaque. */
typedef struct nvt_store_sector {
    uint32_t seq;   /**< log sequence number, or a free / dirty marker */
    uint32_t erase; /**< erase count */
} nvt_store_sector_t;

/** Bytes of index for \p objects objects (live objects and the tombstones of
 *  deleted ones whose older versions are still on flash). */
#define NVT_STORE_INDEX_BYTES(objects) ((size_t)(objects) * sizeof(nvt_store_entry_t))
/** Bytes of per-sector state for a region of \p sectors sectors. */
#define NVT_STORE_SECTORS_BYTES(sectors) ((size_t)(sectors) * sizeof(nvt_store_sector_t))
/** Smallest scratch buffer; a larger one means fewer, larger flash
 *  operations (data moves through it in chunks). */
#define NVT_STORE_SCRATCH_MIN 64u

/**
 * RAM the store works in, provided by the caller. The store keeps pointers
 * to these buffers; they must outlive it. Size them with the macros above,
 * or declare them as arrays of the types above (the index and sector
 * buffers must be aligned for uint32_t).
 */
typedef struct nvt_store_config {
    /** The flash region (geometry checked by format/mount). At most 65534
     *  sectors; sectors of at most 256 kB. */
    const nvt_flash_t *flash;
    /** Index of live objects: NVT_STORE_INDEX_BYTES(n) for n objects. */
    void *index;
    size_t index_len;
    /** Per-sector state: NVT_STORE_SECTORS_BYTES(sector_count). */
    void *sectors;
    size_t sectors_len;
    /** Scratch buffer for moving data and checking CRCs; at least
     *  NVT_STORE_SCRATCH_MIN bytes. */
    void *scratch;
    size_t scratch_len;
} nvt_store_config_t;

/** Statistics (nvt_store_stat()). Bytes counted as the capacity rule counts
 *  them (docs/FORMAT.md, "Capacity"): objects' footprints (data and table
 *  entries) plus the two largest. */
typedef struct nvt_store_stats {
    uint32_t capacity;      /**< what the rule allows: (sectors - 1) x a sector's data room */
    uint32_t free;          /**< capacity less what the objects count now */
    uint32_t live_bytes;    /**< bytes of data in live objects */
    uint32_t objects;       /**< number of live objects */
    uint32_t max_object;    /**< largest object the store can hold alone (and replace) */
    uint32_t sectors;       /**< sector_count */
    uint32_t erase_min;     /**< lowest sector erase count */
    uint32_t erase_max;     /**< highest sector erase count */
} nvt_store_stats_t;

/** What nvt_store_fsck() found (counts; each finding is also reported one
 *  at a time, see nvt_store_finding_fn). */
typedef struct nvt_store_fsck_report {
    uint32_t sectors_ok;        /**< sectors in the log (valid open block) */
    uint32_t sectors_blank;     /**< erased, unused sectors */
    uint32_t sectors_damaged;   /**< sectors needing an erase (torn erase, leftovers,
                                     erase block unreadable or of an older version) */
    uint32_t sectors_old;       /**< log sectors of format version 1, rewritten as
                                     version 2 by the next change */
    uint32_t records_ok;        /**< committed table entries (superseded ones too) */
    uint32_t records_torn;      /**< traces of interrupted writes: a torn entry, or
                                     bytes no entry accounts for, per log sector */
    uint32_t records_lost;      /**< committed table entries damaged beyond
                                     correction: their records are lost */
    uint32_t records_corrupt;   /**< live objects whose data fails its CRC (lost) */
    uint32_t blocks_corrected;  /**< blocks (erase, open, table entries) read with
                                     one flipped bit corrected: nothing lost */
    uint32_t objects;           /**< live objects */
    uint32_t repaired;          /**< repairs made (only with NVT_STORE_FSCK_REPAIR) */
} nvt_store_fsck_report_t;

/** nvt_store_fsck() flags: repair what is safe: rewrite (collect) every log
 *  sector with a corrected block, a lost entry or of format version 1, and
 *  erase damaged sectors that hold nothing live. Never changes live data. */
#define NVT_STORE_FSCK_REPAIR 0x01u

/** nvt_store_finding_t::kind. */
/** Blocks of the sector were read with one flipped bit corrected (count):
 *  nothing is lost; a repair (or the next change) rewrites the sector. */
#define NVT_STORE_FINDING_CORRECTED 1u
/** Table entries of the sector were committed but are damaged beyond
 *  correction (count): their records are lost, whose ids cannot be told (if
 *  an older version of such an object remains, it reads instead). */
#define NVT_STORE_FINDING_LOST 2u
/** A torn entry, or bytes no entry accounts for, in a log sector: what a
 *  power cut leaves; not damage. */
#define NVT_STORE_FINDING_TORN 3u
/** The sector is not in the log and needs an erase (a torn erase, bytes in a
 *  free sector, an erase block unreadable or of format version 1). */
#define NVT_STORE_FINDING_DAMAGED 4u
/** The sector is in the log and of format version 1 (migrated by the next
 *  change or a repair). */
#define NVT_STORE_FINDING_OLD 5u
/** Object id's data fails its CRC: the object is lost (get and read
 *  answer NVT_E_CORRUPT); sector: where its first fragment lies. */
#define NVT_STORE_FINDING_CORRUPT 6u
/** (NVT_STORE_FSCK_REPAIR) the sector was rewritten or erased. */
#define NVT_STORE_FINDING_REPAIRED 7u

/** One finding of nvt_store_fsck(). */
typedef struct nvt_store_finding {
    unsigned kind;       /**< NVT_STORE_FINDING_* */
    uint32_t sector;     /**< the sector concerned */
    nvt_store_id_t id;   /**< the object concerned; NVT_STORE_ID_NONE if not known */
    uint32_t count;      /**< blocks or entries concerned (CORRECTED, LOST); else 1 */
} nvt_store_finding_t;

/** Called by nvt_store_fsck() for each finding, in sector order, then the
 *  objects' CRC findings; \p finding is valid during the call only. The
 *  store is busy: the callback must not call the store. */
typedef void (*nvt_store_finding_fn)(void *ctx, const nvt_store_finding_t *finding);

/**
 * The store's state: caller-owned (static, stack or heap), set up by
 * nvt_store_format() or nvt_store_mount(). Treat as opaque; its layout may
 * change. It holds pointers to the flash region and to the buffers of the
 * nvt_store_config_t it was set up with.
 */
typedef struct nvt_store {
    const nvt_flash_t *flash;     /**< the region */
    nvt_store_entry_t *index;     /**< index slots */
    nvt_store_sector_t *sectors;  /**< per-sector state */
    uint8_t *scratch;             /**< scratch buffer */
    uint32_t chunk;               /**< scratch bytes used per flash operation */
    uint32_t sector_size;         /**< bytes */
    uint32_t last_seq;            /**< highest sequence number in use */
    uint32_t head_end;            /**< head: where its next data goes (offset in the sector) */
    uint32_t index_slots;         /**< index slots */
    uint32_t used;                /**< index slots in use */
    uint32_t sector_count;        /**< sectors */
    uint32_t head;                /**< sector receiving records, 0xFFFF: none */
    uint32_t head_slot;           /**< head: its next table slot */
    uint32_t damaged;             /**< sector damaged by an earlier cut, found by a write */
    uint32_t align;               /**< data alignment: max(program unit, 4) */
    uint32_t info_size;           /**< a block's 16 information bytes rounded up to the unit */
    uint32_t slot_size;           /**< a table slot (and open block): information and mark */
    uint32_t data_start;          /**< first data byte of a sector */
    uint32_t geometry;            /**< erase block bytes 4-7: the geometry */
    uint32_t sector_room;         /**< data bytes of a sector holding one table entry */
    uint32_t worn;                /**< a wear-levelling collection runs: open the most erased free sector */
    uint32_t pending;             /**< what the next change collects: sensitive entries no live record owns, sectors to repair or migrate */
    uint32_t corrected;           /**< blocks read with a flipped bit corrected (a running count) */
    uint32_t state;               /**< 0: not set up, 1: ready, 2: must re-read the flash */
} nvt_store_t;

/**
 * \brief Erase the whole region (sectors that already read blank are not
 *        erased again; known erase counts are kept) and write an empty store.
 *        On success \p st is ready, as after nvt_store_mount().
 * \return NVT_OK, NVT_E_INVALID (geometry, buffers: nothing written, \p st
 *         untouched), or a flash error. A cut during format must be
 *         followed by another format: the region may then mount as
 *         NVT_E_NOT_FORMATTED, as an empty store, or with part of its old
 *         contents.
 */
int nvt_store_format(nvt_store_t *st, const nvt_store_config_t *cfg);

/**
 * \brief Read the store's headers (never object data) and build the index.
 *        Reads the erase and open blocks of every sector and the record
 *        table of every sector in the log (on 4 x 4 kB, a few hundred bytes).
 *        Never writes: damage left by a power cut, blocks with a flipped bit
 *        (corrected as read) and sectors of format version 1 (read as they
 *        are) are repaired or migrated by the next put, delete or gc.
 * \return NVT_OK; NVT_E_NOT_FORMATTED (blank or foreign region);
 *         NVT_E_VERSION (a store of a format version this code does not
 *         read: above 2); NVT_E_INVALID
 *         (bad arguments or buffers: \p st untouched; or a store formatted
 *         for another geometry - any sector's erase block names another
 *         one, even of the same total size - and \p st is left unmounted,
 *         so no change writes); NVT_E_INDEX_FULL (more objects than the index holds);
 *         or a flash error.
 */
int nvt_store_mount(nvt_store_t *st, const nvt_store_config_t *cfg);

/**
 * \brief Create object \p id, or replace it atomically. \p data is copied to
 *        flash and not kept. May garbage-collect (relocate other objects
 *        and erase a sector) to make room.
 * \param flags 0, or NVT_STORE_SENSITIVE and/or NVT_STORE_SEALED.
 * \return NVT_OK; NVT_E_TOO_LARGE (longer than the max_object of
 *         nvt_store_stat()); NVT_E_NO_SPACE; NVT_E_INDEX_FULL;
 *         NVT_E_INVALID (id NVT_STORE_ID_NONE, NULL data with len > 0,
 *         unknown flags, store not set up); or a flash error. On error the
 *         object keeps its previous value (after NVT_E_POWER_LOST, the old
 *         or the new one).
 */
int nvt_store_put(nvt_store_t *st, nvt_store_id_t id, const void *data, size_t len, unsigned flags);

/**
 * \brief Copy object \p id into \p buf (the caller's; \p buf_len bytes).
 *        Reads the object's table entry and its data, and checks the data's
 *        CRC-32.
 * \param out_len receives the object's length (also when \p buf is too
 *        small); may be NULL.
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_BUFFER_TOO_SMALL (nothing copied);
 *         NVT_E_CORRUPT (the data fails its CRC: \p buf is zeroed);
 *         NVT_E_INVALID; or a flash error. A sealed record
 *         (NVT_STORE_SEALED) is returned as stored: the caller opens it.
 */
int nvt_store_get(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len);

/**
 * \brief Copy up to \p len bytes of object \p id from \p offset into \p buf
 *        (for objects larger than a RAM buffer). The whole object is read to
 *        check its CRC-32 each time.
 * \param out_read receives the number of bytes copied (0 at or past the end).
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_CORRUPT (\p buf is zeroed);
 *         NVT_E_INVALID; or a flash error.
 */
int nvt_store_read(nvt_store_t *st, nvt_store_id_t id, size_t offset, void *buf, size_t len,
                   size_t *out_read);

/**
 * \brief Length and flags (NVT_STORE_SENSITIVE, NVT_STORE_SEALED) of object
 *        \p id, from RAM
 *        (after a failed change, the headers are re-read first).
 * \param len, flags may be NULL.
 * \return NVT_OK, NVT_E_NOT_FOUND, NVT_E_INVALID, or an error of that
 *         re-read.
 */
int nvt_store_size(nvt_store_t *st, nvt_store_id_t id, size_t *len, unsigned *flags);

/**
 * \brief Delete object \p id atomically (a tombstone record), and scrub all
 *        its versions from flash if it was put with NVT_STORE_SENSITIVE.
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_NO_SPACE (no room for the
 *         tombstone, or a scrub could not move the other data in a sector);
 *         NVT_E_INVALID; or a flash error.
 */
int nvt_store_delete(nvt_store_t *st, nvt_store_id_t id);

/**
 * \brief Iterate over live objects in increasing id order.
 * \param after the previous id returned, or NVT_STORE_ID_NONE to start.
 * \param next receives the smallest live id greater than \p after.
 * \return NVT_OK, or NVT_E_NOT_FOUND when there is none; NVT_E_INVALID.
 *         Safe to use while putting and deleting objects.
 */
int nvt_store_next(nvt_store_t *st, nvt_store_id_t after, nvt_store_id_t *next);

/** \brief Fill \p stats from RAM (after a failed change, the headers are
 *         re-read first). \return NVT_OK, NVT_E_INVALID, or an error of
 *         that re-read. */
int nvt_store_stat(nvt_store_t *st, nvt_store_stats_t *stats);

/**
 * \brief Erase count of sector \p sector (as kept in its erase block).
 * \return NVT_OK, NVT_E_INVALID (no such sector, store not set up), or an
 *         error of a re-read of the headers after a failed change.
 */
int nvt_store_erase_count(nvt_store_t *st, uint32_t sector, uint32_t *count);

/**
 * \brief Reclaim garbage now (normally done on demand by put): finish any
 *        recovery after a power cut, then collect every sector but the head
 *        that holds garbage, relocating its live data.
 * \return NVT_OK; NVT_E_NO_SPACE (a sector's live data could not be moved);
 *         NVT_E_INVALID; or a flash error.
 */
int nvt_store_gc(nvt_store_t *st);

/**
 * \brief Read object \p id's bytes as they are on flash, whether or not
 *        they pass their CRC: for a diagnostic of a damaged object only
 *        (`nvtoken fsck` names a lost object by its label where the label
 *        is intact); never as data. Linked only where called.
 * \param buf receives the bytes (caller-owned, \p buf_len bytes).
 * \param out_len receives the object's length.
 * \return NVT_OK (the bytes pass their CRC); NVT_E_CORRUPT (they do not:
 *         \p buf holds them as read); NVT_E_NOT_FOUND; NVT_E_INVALID;
 *         NVT_E_BUFFER_TOO_SMALL; a flash error (\p buf zeroed).
 */
int nvt_store_read_damaged(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len);

/**
 * \brief Check every block and record of the region (headers, table
 *        entries, data CRCs, commits) and report what was found; with
 *        NVT_STORE_FSCK_REPAIR, also repair what is safe (see the flag).
 *        Never changes live data. A flipped bit in a block is corrected
 *        whenever the store reads it (docs/DESIGN.md, "Bit flips"); what a
 *        flip in an object's data costs is that object alone, reported as
 *        NVT_STORE_FINDING_CORRUPT with its id: that is how a user of the
 *        store learns which objects were lost.
 * \param report receives the counts (the caller's; overwritten).
 * \param on_finding called for each finding, with \p ctx; may be NULL.
 * \return NVT_OK if nothing live is lost (no object fails its CRC, no
 *         committed entry is lost), NVT_E_CORRUPT otherwise; NVT_E_INVALID
 *         (store not set up, bad flags, NULL \p report); NVT_E_NO_SPACE (a
 *         repair could not move a sector's live data: an image filled
 *         beyond the capacity rule by an earlier version); or a flash
 *         error.
 */
int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report,
                   nvt_store_finding_fn on_finding, void *ctx);

/** A read function over a region of unknown geometry: \p len bytes at
 *  byte offset \p addr into \p buf. Returns NVT_OK or an error. */
typedef int (*nvt_store_read_fn)(void *ctx, uint32_t addr, void *buf, size_t len);

/**
 * \brief Find the geometry of the store in a region whose shape is not known
 *        yet (an image file, a flash dump), from the erase blocks every
 *        sector carries (docs/FORMAT.md). Sector 0's is read first; if it is
 *        damaged, the first valid one at a sector boundary of any sector size
 *        the region allows. Reads only; its own object file.
 * \param read, ctx  how to read the region (16 bytes at a time).
 * \param region_size the region's size in bytes: a geometry is accepted only
 *        if sector size x sector count equals it. 0: unknown (only sector 0
 *        is tried, and any size is accepted).
 * \param geo receives the geometry.
 * \param version receives the store's format version (also with
 *        NVT_E_VERSION); may be NULL.
 * \return NVT_OK; NVT_E_NOT_FORMATTED (no valid erase block: blank, foreign
 *         or another size); NVT_E_VERSION (a store of a format this code does
 *         not read); NVT_E_INVALID (NULL \p read or \p geo, size over 4 GiB);
 *         or an error of \p read.
 */
int nvt_store_probe(nvt_store_read_fn read, void *ctx, uint64_t region_size,
                    nvt_flash_geometry_t *geo, unsigned *version);

/**
 * \brief Whether the region holds nothing that nvt_store_format() could
 *        lose: every byte reads erased (0xFF), except, at the start of each
 *        sector, the erase block a format writes first (16 bytes, or one
 *        program unit if larger), whatever it holds. So a blank region is
 *        blank, and so is one whose format a power cut interrupted; a store
 *        with any record in it (of any geometry: its tables and data lie
 *        past those bytes), or foreign data, is not. Reads the whole region
 *        but the erase blocks, 64 bytes at a time; never writes. In the
 *        object file of nvt_store_probe().
 * \return 1 (blank), 0 (not), NVT_E_INVALID (NULL \p flash or a bad
 *         geometry), or a flash error.
 */
int nvt_store_blank(const nvt_flash_t *flash);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_STORE_H */
