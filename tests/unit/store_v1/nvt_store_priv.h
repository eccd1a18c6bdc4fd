/* The object store's internals, shared by the core (nvt_store.c) and fsck
 * (nvt_store_fsck.c). On-flash format: docs/FORMAT.md; algorithms and why
 * they survive power cuts: docs/DESIGN.md, section "Store". */
#ifndef NVT_STORE_PRIV_H
#define NVT_STORE_PRIV_H

#include "nvtoken/store.h"

/* Format version written in every erase block. */
#define NVT_ST_VERSION 1u
/* Oldest format version this code reads. */
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

/* Block classes (nvt_st_blk). */
#define NVT_ST_B_OK 0
#define NVT_ST_B_FF 1  /* reads erased */
#define NVT_ST_B_BAD 2 /* anything else: torn, foreign, corrupt */

/* Largest block: a 16-byte info padded to a 32-byte unit, then the mark. */
#define NVT_ST_BLK_MAX 64u

/* Where one fragment of an object's data lies. */
typedef struct nvt_st_frag {
    uint32_t s;    /* sector */
    uint32_t addr; /* region address of the data */
    uint32_t n;    /* bytes here */
    uint32_t left; /* bytes in later fragments */
} nvt_st_frag_t;

/* What a table scan of one sector saw. */
typedef struct nvt_st_scan {
    nvt_store_entry_t ch; /* chain in progress: its first entry (addr 0: none) */
    uint32_t left;        /* chain: bytes still to come */
    uint32_t dcrc;        /* chain: data CRC */
    uint32_t dend;        /* end of the data described by the entries so far */
    uint32_t j;           /* slot where the scan stopped */
    uint32_t end;         /* why it stopped: NVT_ST_B_FF, NVT_ST_B_BAD, or 3: full */
    uint32_t apply;       /* apply records to the index (else only look) */
    uint32_t want;        /* an id to look for */
    uint32_t found;       /* valid data entries of \p want seen */
    uint32_t valid;       /* valid entries seen */
} nvt_st_scan_t;

uint32_t nvt_st_crc(uint32_t crc, const void *p, size_t n);
int nvt_st_blk(nvt_store_t *st, uint32_t addr, uint8_t *b, int mark, uint32_t seed);
int nvt_st_load(nvt_store_t *st);
int nvt_st_scan(nvt_store_t *st, uint32_t s, uint32_t j, nvt_st_scan_t *sc);
int nvt_st_obj(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t from, uint8_t *out,
               uint32_t want);
int nvt_st_wipe(nvt_store_t *st, uint32_t s);
int nvt_st_used(nvt_store_t *st, uint32_t addr, uint32_t n);
int nvt_st_is_log(uint32_t seq);
uint32_t nvt_st_slot(const nvt_store_t *st, uint32_t j);

#endif /* NVT_STORE_PRIV_H */
