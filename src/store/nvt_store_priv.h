/* The object store's internals, shared by the core (nvt_store.c) and fsck
 * (nvt_store_fsck.c). On-flash format: docs/FORMAT.md; algorithms and why
 * they survive power cuts: docs/DESIGN.md, section "Store". */
#ifndef NVT_STORE_PRIV_H
#define NVT_STORE_PRIV_H

#include "nvtoken/store.h"

/* Format version written in every erase and open block. */
#define NVT_ST_VERSION 2u
/* Oldest format version this code reads (and rewrites as NVT_ST_VERSION). */
#define NVT_ST_VERSION_MIN 1u

#define NVT_ST_NONE 0xFFFFu /* no sector / no victim */

/* nvt_store_sector_t::seq: a log sector has 1..NVT_ST_SEQ_MAX; otherwise: */
#define NVT_ST_SEQ_FREE 0u              /* erased, not yet checked blank */
#define NVT_ST_SEQ_BLANK 0xFFFFFFFEu    /* erased and known blank */
#define NVT_ST_SEQ_DIRTY 0xFFFFFFFFu    /* must be erased before use */
#define NVT_ST_SEQ_MAX 0x7FFFFFF0u

/* Internal result: a program failed its read-back (or strict flash refused
 * it): the spot was damaged by an earlier power cut. Never returned to
 * callers. */
#define NVT_ST_DAMAGED (-100)

/* Record type byte (table entry byte 0): 0 1 0 k k e s l. */
#define NVT_ST_T_MAGIC 0x40u
#define NVT_ST_T_MMASK 0xE0u
#define NVT_ST_K_MASK 0x18u
#define NVT_ST_K_DATA 0x00u /* first (or only) fragment of an object */
#define NVT_ST_K_CONT 0x08u /* continuation fragment */
#define NVT_ST_K_TOMB 0x10u /* tombstone: the object is deleted */
#define NVT_ST_T_ENC 0x04u  /* reserved: data = nonce || ciphertext || tag */
#define NVT_ST_T_SENS 0x02u /* sensitive: scrub old versions */
#define NVT_ST_T_LAST 0x01u /* last fragment of its object */
/* In the RAM index only (bit 5 is 0 in every type on flash): an older
 * version of the object, still on flash when the index learnt this one, is
 * sensitive, so the next change of the object scrubs. */
#define NVT_ST_T_OLDSENS 0x20u

/* nvt_st_scan_t::want: count the sensitive entries. */
#define NVT_ST_WANT_SENS 0x10000u

/* Block classes (nvt_st_block). */
#define NVT_ST_B_OK 0   /* valid (perhaps after one flipped bit corrected: st->fixed) */
#define NVT_ST_B_FF 1   /* reads erased */
#define NVT_ST_B_BAD 2  /* torn, foreign, never committed */
#define NVT_ST_B_FULL 3 /* (nvt_st_scan) the table is full: the slot lies below the data */
#define NVT_ST_B_LOST 4 /* committed (its mark written) but its CRC fails beyond one bit */

/* nvt_store_t::tidy: what the next change must collect. */
#define NVT_ST_TIDY_SENS 1u   /* sensitive entries no live record owns */
#define NVT_ST_TIDY_REPAIR 2u /* sectors to rewrite: nvt_st_hdr_t::redo, corrected entries */

/* What a sector's erase and open blocks say (nvt_st_headers). */
typedef struct nvt_st_hdr {
    uint32_t erase; /* erase count (0xFFFFFFFF: no block tells) */
    uint32_t seq;   /* a log sector's sequence number; NVT_ST_SEQ_FREE: erased and
                       ready (open block blank, erase block of this version and
                       geometry, read without correction); else NVT_ST_SEQ_DIRTY */
    uint32_t redo;  /* the sector must be rewritten: a block needed a bit corrected,
                       its erase block is unreadable, or it is of an older version */
    uint32_t version; /* its format version (from the open block of a log sector,
                         else from the erase block; 0: none valid) */
    int other;      /* its erase block is a store's of another version
                       (NVT_E_VERSION) or geometry (NVT_E_INVALID); else 0 */
} nvt_st_hdr_t;

/* Largest block: a 16-byte info padded to a 32-byte unit, then the mark. */
#define NVT_ST_BLK_MAX 64u

/* Where one fragment of an object's data lies. */
typedef struct nvt_st_frag {
    uint32_t sector; /* its sector */
    uint32_t addr;   /* region address of its data */
    uint32_t len;    /* its bytes */
    uint32_t rest;   /* bytes in later fragments */
} nvt_st_frag_t;

/* What a table scan of one sector saw. */
typedef struct nvt_st_scan {
    nvt_store_entry_t chain; /* a chain in progress: its first entry (addr 0: none) */
    uint32_t chain_left;     /* chain: bytes still to come */
    uint32_t chain_crc;      /* chain: its data CRC */
    uint32_t data_end;       /* end of the data described by the entries so far */
    uint32_t stop;           /* the last invalid slot; when done, where the table ends */
    uint32_t stop_kind;      /* why it ended: NVT_ST_B_FF, NVT_ST_B_BAD, NVT_ST_B_LOST
                                or NVT_ST_B_FULL */
    uint32_t apply;          /* apply records to the index (else only look) */
    uint32_t want;           /* an id to look for, or NVT_ST_WANT_SENS */
    uint32_t found;          /* valid data entries of \p want seen (NVT_ST_WANT_SENS:
                                valid entries with the S bit, tombstones too) */
    uint32_t lost;           /* committed entries, valid ones after them, that fail their
                                CRC beyond one bit (their records are lost) */
    uint32_t valid;          /* valid entries seen */
} nvt_st_scan_t;

uint32_t nvt_st_crc(uint32_t crc, const void *p, size_t n);
/* A block (16 bytes, CRC in bytes 12-15, \p seed) whose CRC fails: flip
 * the one bit that makes it check, if there is one (returns 1; else 0,
 * \p b unchanged). */
int nvt_st_correct(uint8_t *b, uint32_t seed);
int nvt_st_block(nvt_store_t *st, uint32_t addr, uint8_t *b, int mark, uint32_t seed);
int nvt_st_load(nvt_store_t *st);
int nvt_st_headers(nvt_store_t *st, uint32_t s, nvt_st_hdr_t *h);
int nvt_st_collect(nvt_store_t *st, uint32_t s);
int nvt_st_scan(nvt_store_t *st, uint32_t s, uint32_t j, nvt_st_scan_t *sc);
int nvt_st_object(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t from, uint8_t *out,
               uint32_t want);
int nvt_st_erase(nvt_store_t *st, uint32_t s);
int nvt_st_written(nvt_store_t *st, uint32_t addr, uint32_t n);
int nvt_st_is_log(uint32_t seq);
uint32_t nvt_st_slot(const nvt_store_t *st, uint32_t j);

#endif /* NVT_STORE_PRIV_H */
