/* The object store (include/nvtoken/store.h): a log of records in NOR
 * flash, mounted by reading table entries only, written so that a power cut
 * at any instant leaves every object old or new. On-flash format:
 * docs/FORMAT.md; algorithms and why they are safe: docs/DESIGN.md.
 *
 * Bottom up: bytes and CRC; blocks (verified programs, erase + erase
 * block); log order and fragments; the table scan, shared by mount and by
 * every commit, so the RAM index is only ever built from what is committed
 * on flash; the writer (records, sectors, victims, batches); operations.
 * Written for size: the whole file is the store's code budget. */
#include "nvt_store_priv.h"

#include <string.h>

#define NONE NVT_ST_NONE
#define NO_RECORD 0xFFFFFFFFu /* fits(), choose(): no record written */
#define T_NONE 0x100u /* batch(): no record to write */
#define LEN(e) ((e)->lt & 0xFFFFFFu)
#define TYP(e) ((e)->lt >> 24)
#define IS_TOMB(e) ((TYP(e) & NVT_ST_K_MASK) == NVT_ST_K_TOMB)
/* The erase block's first three bytes, and the open block's two. */
#define E_MAGIC ('n' | 'v' << 8 | 'E' << 16)
#define O_MAGIC ('n' | 'O' << 8)

/* ---- bytes ------------------------------------------------------------ */

/* A little-endian 32-bit word. */
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < 4; i++, v >>= 8) {
        p[i] = (uint8_t)v;
    }
}

uint32_t nvt_st_crc(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;
    crc = ~crc;
    while (n-- > 0) {
        crc ^= *b++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static uint32_t min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static int all_ff(const uint8_t *p, uint32_t n)
{
    uint8_t a = 0xFF;
    while (n-- > 0) {
        a &= *p++;
    }
    return a == 0xFF;
}

/* ---- geometry ------------------------------------------------------- */

int nvt_st_is_log(uint32_t seq)
{
    return seq - 1u < NVT_ST_SEQ_MAX;
}

static int is_free(uint32_t seq)
{
    return seq == NVT_ST_SEQ_FREE || seq == NVT_ST_SEQ_BLANK;
}

uint32_t nvt_st_slot(const nvt_store_t *st, uint32_t j)
{
    return st->sector_size - (j + 1u) * st->slot_size;
}

static uint32_t round_up(const nvt_store_t *st, uint32_t n)
{
    return (n + st->align - 1u) & (0u - st->align);
}

/* ---- blocks ----------------------------------------------------------- */

/* CRC of a block's first 12 bytes, seeded with \p seed (a sector's seq for
 * table entries: an entry is valid only in the life it was written in). */
static uint32_t block_crc(const uint8_t *b, uint32_t seed)
{
    uint8_t s4[4];
    put_le32(s4, seed);
    return nvt_st_crc(nvt_st_crc(0, s4, 4), b, 12);
}

/* Correct the one flipped bit of a block's 16 bytes (12 of information and
 * their CRC) that makes its CRC check, if there is one: a CRC-32 over these
 * 16 bytes (and the seed) tells every single-bit error apart and mistakes
 * no error of two or three bits for one (DESIGN.md "Bit flips"). */
int nvt_st_correct(uint8_t *b, uint32_t seed)
{
    for (uint32_t bit = 0; bit < 128u; bit++) {
        b[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
        if (block_crc(b, seed) == le32(b + 12)) {
            return 1;
        }
        b[bit / 8u] ^= (uint8_t)(1u << (bit % 8u));
    }
    return 0;
}

int nvt_st_block(nvt_store_t *st, uint32_t addr, uint8_t *b, int mark, uint32_t seed)
{
    uint32_t n = mark ? st->slot_size : st->info_size;
    int rc = nvt_flash_read(st->flash, addr, b, n);
    if (rc != NVT_OK || all_ff(b, n)) {
        return rc != NVT_OK ? rc : NVT_ST_B_FF;
    }
    /* The mark, programmed after the info in the same operation, is all
     * zeros: any 0 bit there means the whole block was written. A block so
     * committed whose CRC fails has had bits flipped since: one is
     * corrected. (An erase block has no mark: it is corrected too.) */
    int committed = mark && !all_ff(b + st->info_size, n - st->info_size);
    if (block_crc(b, seed) != le32(b + 12)) {
        if ((mark && !committed) || !nvt_st_correct(b, seed)) {
            return committed ? NVT_ST_B_LOST : NVT_ST_B_BAD;
        }
        st->corrected++;
    }
    /* A torn mark with no solid bit may read erased: three tries. */
    for (int t = 0; mark && all_ff(b + st->info_size, n - st->info_size); t++) {
        rc = t == 2 ? NVT_ST_B_BAD
                    : nvt_flash_read(st->flash, addr + st->info_size, b + st->info_size, n - st->info_size);
        if (rc != NVT_OK) {
            return rc;
        }
    }
    return NVT_ST_B_OK;
}

/* Program and read back. A refusal (ECC flash) or a mismatch means the spot
 * was touched by an earlier, interrupted program: NVT_ST_DAMAGED. */
static int program_checked(nvt_store_t *st, uint32_t addr, const uint8_t *p, uint32_t n)
{
    uint8_t v[32];
    int rc = nvt_flash_program(st->flash, addr, p, n);
    for (uint32_t i = 0; rc == NVT_OK && i < n; i += sizeof(v)) {
        uint32_t k = min32(n - i, sizeof(v));
        rc = nvt_flash_read(st->flash, addr + i, v, k);
        if (rc == NVT_OK && memcmp(v, p + i, k) != 0) {
            rc = NVT_E_PROGRAMMED;
        }
    }
    if (rc == NVT_E_PROGRAMMED) {
        st->damaged = addr / st->sector_size;
        rc = NVT_ST_DAMAGED;
    }
    return rc;
}

/* Program a block: 12 info bytes (words \p w[0..2], little-endian), their
 * CRC seeded with \p w[3], padded to the unit, then (if \p mark) the
 * all-zero mark. */
static int write_block(nvt_store_t *st, uint32_t addr, const uint32_t *w, int mark)
{
    uint8_t b[NVT_ST_BLK_MAX];
    for (uint32_t i = 0; i < 3u; i++) {
        put_le32(b + 4u * i, w[i]);
    }
    put_le32(b + 12, block_crc(b, w[3]));
    memset(b + 16, 0xFF, st->info_size - 16u);
    memset(b + st->info_size, 0, st->slot_size - st->info_size);
    int rc = nvt_flash_sync(st->flash);
    return rc != NVT_OK ? rc : program_checked(st, addr, b, mark ? st->slot_size : st->info_size);
}


/* Erase sector \p s (unless \p erase is 0: it reads blank) and write its
 * erase block. */
static int erase_sector(nvt_store_t *st, uint32_t s, uint32_t erase)
{
    nvt_store_sector_t *x = &st->sectors[s];
    x->seq = NVT_ST_SEQ_DIRTY; /* until its erase block is written */
    st->head = st->head == s ? NONE : st->head;
    int rc = nvt_flash_sync(st->flash);
    if (rc == NVT_OK && erase) {
        rc = nvt_flash_erase(st->flash, s);
    }
    if (rc == NVT_OK) {
        uint32_t w[4] = {E_MAGIC | NVT_ST_VERSION << 24, st->geometry, x->erase += erase, 0};
        rc = write_block(st, s * st->sector_size, w, 0);
    }
    if (rc == NVT_OK) {
        x->seq = NVT_ST_SEQ_BLANK;
    }
    return rc;
}

int nvt_st_erase(nvt_store_t *st, uint32_t s)
{
    return erase_sector(st, s, 1);
}

/* 1 if [addr, addr + n) holds anything but 0xFF, 0 if not, or an error. */
int nvt_st_written(nvt_store_t *st, uint32_t addr, uint32_t n)
{
    int rc = NVT_OK;
    for (uint32_t k; rc == NVT_OK && n > 0; addr += k, n -= k) {
        k = min32(n, st->chunk);
        rc = nvt_flash_read(st->flash, addr, st->scratch, k);
        rc = rc == NVT_OK && !all_ff(st->scratch, k) ? 1 : rc;
    }
    return rc;
}

/* ---- log order and fragments ------------------------------------------ */

/* The log sector whose sequence number follows \p seq (0: the first). */
static uint32_t log_after(const nvt_store_t *st, uint32_t seq)
{
    uint32_t best = NONE, bs = 0xFFFFFFFFu;
    for (uint32_t s = 0; s < st->sector_count; s++) {
        uint32_t q = st->sectors[s].seq;
        if (nvt_st_is_log(q) && q > seq && q < bs) {
            bs = q;
            best = s;
        }
    }
    return best;
}

/* The next fragment of object \p e (the first if f->sector is NONE): the
 * first runs from its offset up to its table entry, each next one from the
 * first data byte of the next log sector up to slot 0; the last holds what
 * remains. 0 when there is none. */
static int next_fragment(const nvt_store_t *st, const nvt_store_entry_t *e, nvt_st_frag_t *f)
{
    if (f->sector == NONE) {
        f->sector = e->addr / st->sector_size;
        f->addr = f->sector * st->sector_size + e->off * 4u;
        f->rest = LEN(e);
        f->len = min32(f->rest, e->addr - f->addr);
    } else if (f->rest == 0 ||
               (f->sector = log_after(st, st->sectors[f->sector].seq)) == NONE) {
        return 0;
    } else {
        f->addr = f->sector * st->sector_size + st->data_start;
        f->len = min32(f->rest, st->sector_room);
    }
    f->rest -= f->len;
    return 1;
}

/* How many fragments of object \p e lie in sector \p s (ALL_SECTORS: in
 * all; NONE: none). */
#define ALL_SECTORS 0xFFFFFFFFu
static uint32_t fragments_in(const nvt_store_t *st, const nvt_store_entry_t *e, uint32_t s)
{
    nvt_st_frag_t f = {.sector = NONE};
    uint32_t n = 0;
    while (next_fragment(st, e, &f)) {
        n += s == ALL_SECTORS || f.sector == s;
    }
    return n;
}

/* The fragments of the sensitive records in the index (their entries bear
 * the S bit) that lie in sector \p s (ALL_SECTORS: anywhere). */
static uint32_t sens_frags(const nvt_store_t *st, uint32_t s)
{
    uint32_t n = 0;
    for (const nvt_store_entry_t *e = st->index; e < st->index + st->used; e++) {
        n += TYP(e) & NVT_ST_T_SENS ? fragments_in(st, e, s) : 0u;
    }
    return n;
}

/* Read \p n bytes at offset \p o of object \p e into \p dst. */
static int read_at(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t o, uint8_t *dst,
                  uint32_t n)
{
    nvt_st_frag_t f = {.sector = NONE};
    int rc = NVT_OK;
    while (rc == NVT_OK && n > 0 && next_fragment(st, e, &f)) {
        if (o < f.len) {
            uint32_t k = min32(n, f.len - o);
            rc = nvt_flash_read(st->flash, f.addr + o, dst, k);
            dst += k;
            n -= k;
            o = 0;
        } else {
            o -= f.len;
        }
    }
    return rc != NVT_OK ? rc : n > 0 ? NVT_E_CORRUPT : NVT_OK;
}

/* Read the table entry of index entry \p e into \p b: NVT_OK, NVT_E_CORRUPT
 * (it no longer reads valid), or a flash error. */
static int read_entry(nvt_store_t *st, const nvt_store_entry_t *e, uint8_t *b)
{
    int rc = nvt_st_block(st, e->addr, b, 1, st->sectors[e->addr / st->sector_size].seq);
    return rc > 0 ? NVT_E_CORRUPT : rc;
}

int nvt_st_object(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t from, uint8_t *out,
               uint32_t want)
{
    uint8_t b[NVT_ST_BLK_MAX];
    nvt_st_frag_t f = {.sector = NONE};
    uint32_t crc = 0, o = 0, k;
    int rc = read_entry(st, e, b);
    while (rc == NVT_OK && next_fragment(st, e, &f)) {
        for (uint32_t i = 0; rc == NVT_OK && i < f.len; i += k, o += k) {
            k = min32(f.len - i, st->chunk);
            rc = nvt_flash_read(st->flash, f.addr + i, st->scratch, k);
            crc = nvt_st_crc(crc, st->scratch, k);
            for (uint32_t x = 0; x < k; x++) {
                if (o + x - from < want) {
                    out[o + x - from] = st->scratch[x];
                }
            }
        }
    }
    return rc == NVT_OK && (o != LEN(e) || crc != le32(b + 8)) ? NVT_E_CORRUPT : rc;
}

/* ---- index ---------------------------------------------------------- */

static nvt_store_entry_t *find_object(nvt_store_t *st, uint32_t id)
{
    for (uint32_t i = 0; i < st->used; i++) {
        if (st->index[i].id == id) {
            return &st->index[i];
        }
    }
    return NULL;
}

/* ---- table scan ------------------------------------------------------- */

/* Read the block at \p addr (nvt_st_block) and, if it is valid, its info
 * words 0-2 (little-endian) into \p w. */
static int read_block(nvt_store_t *st, uint32_t addr, int mark, uint32_t seed, uint32_t *w)
{
    uint8_t b[NVT_ST_BLK_MAX];
    int rc = nvt_st_block(st, addr, b, mark, seed);
    for (uint32_t i = 0; rc == NVT_ST_B_OK && i < 3u; i++) {
        w[i] = le32(b + 4u * i);
    }
    return rc;
}

/* Read the table of log sector \p s from slot \p j on (FORMAT.md "Log"):
 * count and follow its entries in \p sc, and (if sc->apply) enter each
 * committed record into the index. */
int nvt_st_scan(nvt_store_t *st, uint32_t s, uint32_t j, nvt_st_scan_t *sc)
{
    uint32_t base = s * st->sector_size;
    uint32_t ex = sc->chain.addr; /* a chain from the sector before */
    uint32_t w[3] = {0, 0, 0}; /* the entry's info words */
    if (j == 0) {
        sc->data_end = st->data_start;
        sc->chain.addr = 0;
    }
    sc->stop = j - 2u; /* the last invalid slot (none yet just before j) */
    for (uint32_t pos = nvt_st_slot(st, j);; j++, pos -= st->slot_size) {
        int rc = NVT_ST_B_FULL; /* the slot would lie below the data */
        uint32_t fixed = st->corrected;
        if (pos >= sc->data_end && pos < st->sector_size) {
            rc = read_block(st, base + pos, 1, st->sectors[s].seq, w);
        }
        /* The slot after an invalid one may lie in the data of a record
         * cut short: taken only as it reads, never corrected. */
        if (rc == NVT_ST_B_OK && sc->stop == j - 1u && st->corrected != fixed) {
            st->corrected = fixed;
            rc = NVT_ST_B_BAD;
        }
        /* w: type | id << 8 | (offset / 4) << 24, (offset / 4) >> 8 |
         * length << 8, data CRC (FORMAT.md "Table entry") */
        uint32_t w0 = w[0], w1 = w[1];
        nvt_store_entry_t r = {base + pos, w1 >> 8 | w0 << 24, (uint16_t)(w0 >> 8),
                               (uint16_t)(w0 >> 24 | w1 << 8)};
        uint32_t t = w0 & 0xFFu, k = t & NVT_ST_K_MASK, last = t & NVT_ST_T_LAST, len = w1 >> 8;
        uint32_t off = r.off * 4u;
        /* Where its data ends: a last fragment's padded length after its
         * offset; any other fills the sector up to the slot. */
        uint32_t end = last ? off + round_up(st, len) : pos;
        /* Magic 010 and a kind other than 11: types 0x40 to 0x57. */
        if (rc == NVT_ST_B_OK &&
            (t - NVT_ST_T_MAGIC >= NVT_ST_K_MASK || off < st->data_start || off > pos || end > pos)) {
            rc = NVT_ST_B_BAD;
        }
        if (rc != NVT_ST_B_OK) {
            /* The table ends here, unless the next slot holds an entry: an
             * entry whose commit mark was weakened by a power cut may read
             * valid at one mount (and records follow it) and not at the
             * next. Two invalid slots in a row end it (past a full
             * table the next slot is full too). */
            if (rc < 0 || sc->stop == j - 1u) {
                return rc < 0 ? rc : NVT_OK;
            }
            sc->stop = j;
            sc->stop_kind = (uint32_t)rc;
            continue;
        }
        /* The slot stepped over lies inside the table: if it was
         * committed, a record there is lost. */
        sc->lost += sc->stop == j - 1u && sc->stop_kind == NVT_ST_B_LOST;
        sc->valid++;
        if (sc->want == NVT_ST_WANT_SENS ? (t & NVT_ST_T_SENS) != 0
                                          : r.id == sc->want && k != NVT_ST_K_TOMB) {
            sc->found++;
        }
        sc->data_end = end > sc->data_end ? end : sc->data_end;
        if (k == NVT_ST_K_DATA && !last) {
            /* A first fragment starts a chain if it does not fit. */
            if (len > pos - off) {
                sc->chain = r;
                sc->chain_left = len - (pos - off);
                sc->chain_crc = w[2];
            }
            continue;
        }
        if (k == NVT_ST_K_CONT) {
            /* Continues the chain only as the first entry of the sector
             * after the one holding the chain's previous fragment. */
            if (j != 0 || ex == 0 || r.id != sc->chain.id || w[2] != sc->chain_crc || off != st->data_start ||
                (last ? len != sc->chain_left : len != pos - off || len >= sc->chain_left)) {
                continue;
            }
            if (!last) {
                sc->chain.addr = ex;
                sc->chain_left -= len;
                continue;
            }
            r = sc->chain;
            r.addr = ex;
        }
        if (sc->apply) {
            /* A committed record, newer than any seen for its id. A
             * tombstone matters only if it hides an older version. */
            nvt_store_entry_t *e = find_object(st, r.id);
            if (e == NULL) {
                if (k == NVT_ST_K_TOMB) {
                    continue;
                }
                if (st->used >= st->index_slots) {
                    return NVT_E_INDEX_FULL;
                }
                e = &st->index[st->used++];
            } else if (TYP(e) & (NVT_ST_T_SENS | NVT_ST_T_OLDSENS)) {
                r.lt |= (uint32_t)NVT_ST_T_OLDSENS << 24;
            }
            *e = r;
        }
    }
}

/* ---- mount -------------------------------------------------------- */

int nvt_st_headers(nvt_store_t *st, uint32_t s, nvt_st_hdr_t *h)
{
    uint32_t w[3], base = s * st->sector_size, fixed = st->corrected;
    h->erase = 0xFFFFFFFFu;
    h->seq = NVT_ST_SEQ_DIRTY;
    h->other = 0;
    /* The erase block: magic, version, geometry, erase count. */
    int rc = read_block(st, base, 0, 0, w);
    uint32_t version = rc == NVT_ST_B_OK && (w[0] & 0xFFFFFFu) == E_MAGIC ? w[0] >> 24 : 0u;
    int known = version - NVT_ST_VERSION_MIN <= NVT_ST_VERSION - NVT_ST_VERSION_MIN;
    if (known && w[1] == st->geometry) {
        h->erase = w[2];
    } else if (version != 0) {
        h->other = known ? NVT_E_INVALID : NVT_E_VERSION;
    }
    h->redo = h->erase == 0xFFFFFFFFu || version != NVT_ST_VERSION;
    h->version = version;
    /* The open block: magic, version (0xFF: version 1), sequence number,
     * erase count. */
    if (rc >= 0) {
        rc = read_block(st, base + st->info_size, 1, 0, w);
    }
    if (rc < 0) {
        return rc;
    }
    if (rc == NVT_ST_B_OK && (w[0] & 0xFFFFu) == O_MAGIC && nvt_st_is_log(w[1])) {
        h->seq = w[1];
        h->erase = h->erase != 0xFFFFFFFFu ? h->erase : w[2];
        h->version = (w[0] >> 16 & 0xFFu) == 0xFFu ? 1u : w[0] >> 16 & 0xFFu;
        h->redo |= h->version != NVT_ST_VERSION;
    } else if (rc == NVT_ST_B_FF && !h->redo && st->corrected == fixed && s != st->damaged) {
        /* Free; unless a write just found damage in it. */
        h->seq = NVT_ST_SEQ_FREE;
    }
    h->redo |= st->corrected != fixed;
    return NVT_OK;
}

/* Rebuild the RAM state from the flash: the erase and open blocks of every
 * sector, then the table of every log sector in log order. */
int nvt_st_load(nvt_store_t *st)
{
    nvt_st_scan_t sc;
    nvt_st_hdr_t h;
    uint32_t maxe = 0, s;
    int found = 0, other = NVT_E_NOT_FORMATTED, rc;
    st->used = st->last_seq = st->pending = 0;
    st->head = NONE;
    for (s = 0; s < st->sector_count; s++) {
        nvt_store_sector_t *x = &st->sectors[s];
        rc = nvt_st_headers(st, s, &h);
        if (rc != NVT_OK) {
            return rc;
        }
        x->seq = h.seq;
        x->erase = h.erase;
        other = h.other != 0 ? h.other : other;
        found |= h.seq != NVT_ST_SEQ_DIRTY || h.erase != 0xFFFFFFFFu;
        if (nvt_st_is_log(h.seq)) {
            st->last_seq = h.seq > st->last_seq ? h.seq : st->last_seq;
            /* Log sectors with a damaged block or of an older version are
             * rewritten by the next change; others, erased before use. */
            st->pending |= h.redo ? NVT_ST_TIDY_REPAIR : 0u;
        }
        maxe = x->erase != 0xFFFFFFFFu && x->erase > maxe ? x->erase : maxe;
    }
    /* An unknown erase count (torn erase block) is taken as the highest. */
    for (s = 0; s < st->sector_count; s++) {
        st->sectors[s].erase = st->sectors[s].erase == 0xFFFFFFFFu ? maxe : st->sectors[s].erase;
    }
    /* An erase block of a store of another geometry or version: the region
     * is not this store's. (Its open blocks may still parse as ours when
     * the unit is the same: refused all the same, before anything is
     * written.) */
    if (!found || other != NVT_E_NOT_FORMATTED) {
        return other;
    }
    /* Sectors opened after the last commit (a batch cut short) had numbers
     * up to st->last_seq + nsec: never use those again. */
    st->last_seq += st->sector_count;
    memset(&sc, 0, sizeof(sc));
    sc.apply = 1;
    sc.want = NVT_ST_WANT_SENS;
    for (s = log_after(st, 0); s != NONE; s = log_after(st, st->sectors[s].seq)) {
        uint32_t fixed = st->corrected;
        rc = nvt_st_scan(st, s, 0, &sc);
        if (rc != NVT_OK) {
            return rc;
        }
        /* The newest sector takes more records if its table ends cleanly
         * (and no write just found damage in it). */
        st->head = sc.stop_kind == NVT_ST_B_FF && s != st->damaged ? s : NONE;
        st->head_end = sc.data_end;
        st->head_slot = sc.stop;
        st->pending |= st->corrected != fixed || sc.lost != 0 ? NVT_ST_TIDY_REPAIR : 0u;
        sc.lost = 0;
    }
    /* More sensitive entries on flash than live records own: a scrub was
     * cut short; the next change finishes it. */
    st->pending |= sc.found > sens_frags(st, ALL_SECTORS) ? NVT_ST_TIDY_SENS : 0u;
    st->state = 1;
    st->damaged = NONE;
    return NVT_OK;
}

/* ---- writer --------------------------------------------------------- */

/* Highest erase count; the lowest in *lo. */
static uint32_t wear(const nvt_store_t *st, uint32_t *lo)
{
    uint32_t hi = 0;
    *lo = 0xFFFFFFFFu;
    for (uint32_t s = st->sector_count; s-- > 0;) {
        *lo = min32(st->sectors[s].erase, *lo);
        hi = st->sectors[s].erase > hi ? st->sectors[s].erase : hi;
    }
    return hi;
}

/* Room for data below the head's next table slot (there is a head); < 0:
 * no free slot. */
static int32_t head_space(const nvt_store_t *st)
{
    return (int32_t)nvt_st_slot(st, st->head_slot) - (int32_t)st->head_end;
}

/* ---- space (DESIGN.md "Space", FORMAT.md "Capacity") ------------------ */

/* The head's data room left (no head: 0). A record that does not fit
 * takes all of it (its first fragment), so writes use every byte of it. */
static uint32_t head_room(const nvt_store_t *st)
{
    int32_t r = st->head != NONE ? head_space(st) : 0;
    return r > 0 ? (uint32_t)r : 0u;
}

/* The bytes an object of \p len bytes can take: its data padded to DA, and
 * an entry per fragment for as many fragments as it can ever take (its
 * first fragment may start in the last DA bytes of a head). */
static uint32_t footprint(const nvt_store_t *st, uint32_t len)
{
    uint32_t n = round_up(st, len);
    return n + st->slot_size * (1u + (n > st->align ? (n - st->align + st->sector_room - 1u) / st->sector_room : 0u));
}

/* The footprints of the index but object \p skip: their sum, the largest
 * and the second largest. */
typedef struct {
    uint32_t sum, big, next;
} weight_t;

static void weigh(const nvt_store_t *st, uint32_t skip, weight_t *w)
{
    w->sum = w->big = w->next = 0;
    for (const nvt_store_entry_t *e = st->index; e < st->index + st->used; e++) {
        uint32_t f = e->id == skip ? 0u : footprint(st, LEN(e));
        w->sum += f;
        w->next = f > w->big ? w->big : f > w->next ? f : w->next;
        w->big = f > w->big ? f : w->big;
    }
}

/* What the capacity rule counts when object \p skip of \p w takes \p f
 * bytes: the footprints, and with more than two sectors the two largest. */
static uint32_t need(const nvt_store_t *st, const weight_t *w, uint32_t f)
{
    return w->sum + f + (st->sector_count > 2u ? w->big + w->next + f - min32(w->next, f) : 0u);
}

/* What need() may reach: the data room of all sectors but one (two
 * sectors: of one). */
static uint32_t budget(const nvt_store_t *st)
{
    return (st->sector_count > 2u ? st->sector_count - 1u : 1u) * st->sector_room;
}

/* The data room of the free sectors. */
static uint32_t free_room(const nvt_store_t *st)
{
    uint32_t n = 0;
    for (uint32_t s = 0; s < st->sector_count; s++) {
        n += is_free(st->sectors[s].seq) ? st->sector_room : 0u;
    }
    return n;
}

/* The footprints of the live objects that collecting sector \p v (NONE:
 * none) moves: those touching it, but object \p skip (a batch writing its
 * new version does not move the old one). */
static uint32_t moving(const nvt_store_t *st, uint32_t v, uint32_t skip)
{
    uint32_t bytes = 0;
    for (const nvt_store_entry_t *e = st->index; e < st->index + st->used; e++) {
        bytes += e->id != skip && fragments_in(st, e, v) != 0 ? footprint(st, LEN(e)) : 0u;
    }
    return bytes;
}

/* The free room the fallback needs: a pass collecting the log sectors
 * oldest first, each step moving the objects whose first fragment lies in
 * that sector (the others moved at an earlier step), and freeing it; the
 * worst step's shortfall (DESIGN.md "Space"). Evaluated for the state
 * after a batch: sector \p v taken out of the pass, object \p skip's old
 * version gone, and up to \p add bytes of records starting in the head. */
static uint32_t pass_need(const nvt_store_t *st, uint32_t v, uint32_t skip, uint32_t add)
{
    int32_t run = 0, worst = 0;
    for (uint32_t s = log_after(st, 0); s != NONE; s = log_after(st, st->sectors[s].seq)) {
        if (s == v) {
            continue;
        }
        run += s == st->head ? (int32_t)add : 0;
        for (const nvt_store_entry_t *e = st->index; e < st->index + st->used; e++) {
            run += e->id != skip && e->addr / st->sector_size == s ? (int32_t)footprint(st, LEN(e)) : 0;
        }
        worst = run > worst ? run : worst;
        run -= (int32_t)st->sector_room;
    }
    return (uint32_t)worst;
}

/* Whether a batch writing a record of \p len bytes for object \p skip
 * (NO_RECORD: none) and collecting sector \p v (NONE: none), moving what it
 * holds, can run and keep the reserve (DESIGN.md "Space"): a whole free
 * sector, and room for the fallback in the free sectors and the head. The
 * batch writes into the head first (not into a head being collected, nor if
 * \p closed: the head is closed before the batch and after it), then into
 * free sectors. *moved: what it moves. */
static int fits(const nvt_store_t *st, uint32_t v, uint32_t skip, uint32_t len, int closed,
                uint32_t *moved)
{
    uint32_t fr = free_room(st), c1 = st->sector_room;
    uint32_t head = closed || v == st->head ? 0u : head_room(st);
    uint32_t w = (len != NO_RECORD ? footprint(st, len) : 0u) + (*moved = moving(st, v, skip));
    uint32_t spill = w > head ? w - head : 0u;
    /* A record alone that fits the head whole takes no free sector. */
    if (v == NONE && len != NO_RECORD && st->head != NONE && (int32_t)round_up(st, len) <= head_space(st)) {
        spill = 0;
    }
    uint32_t opened = (spill + c1 - 1u) / c1 * c1;
    /* What is left: free sectors (the collected one erased), and the room
     * of the head, a sector the batch opened last or the one it had. */
    uint32_t left = fr - opened + (v != NONE ? c1 : 0u);
    uint32_t head_left = closed ? 0u : opened != 0u ? opened - spill : head > w ? head - w : 0u;
    return opened <= fr && left >= c1 &&
           left + head_left >= pass_need(st, v, skip, closed || v == st->head ? 0u : w);
}

/* What choose() asks of write_record(): a collection to run alone first. */
enum { ALONE_NO, ALONE_WEAR, ALONE_OLDEST };

/* The collections choose() considers, in its order: after position *pos
 * (UINT32_MAX: from the start) of rank *rank, the next one; returns 0 when
 * there is none. Position nsec stands for no collection. For wear levelling
 * (\p wl): the log sectors but the head, least erased first; otherwise no
 * collection first, then the log sectors by what they move (all moving
 * under an eighth of a sector alike), least erased first. */
static int next_choice(const nvt_store_t *st, uint32_t skip, int wl, uint64_t *rank,
                       uint32_t *pos)
{
    uint64_t best_rank = UINT64_MAX;
    uint32_t best = UINT32_MAX;
    for (uint32_t s = 0; s <= st->sector_count; s++) {
        uint32_t v = s == st->sector_count ? NONE : s;
        if ((v != NONE && !nvt_st_is_log(st->sectors[v].seq)) || (wl && (v == NONE || v == st->head))) {
            continue;
        }
        uint32_t e = v == NONE ? 0u : st->sectors[v].erase, c = wl ? 0u : moving(st, v, skip);
        uint64_t r = wl ? e : v == NONE ? 0 : (uint64_t)(c > st->sector_room / 8u ? c : st->sector_room / 8u) << 32 | (e + 1u);
        int later = *pos == UINT32_MAX || r > *rank || (r == *rank && s > *pos);
        if (later && (r < best_rank || (r == best_rank && s < best))) {
            best_rank = r;
            best = s;
        }
    }
    *rank = best_rank;
    *pos = best;
    return best != UINT32_MAX;
}

/* How a batch writing a record of \p len bytes for object \p skip makes
 * room: the first collection in next_choice()'s order that fits(). *alone
 * asks for a collection alone first: ALONE_WEAR, static wear levelling,
 * once the erase counts spread more than NVT_CONFIG_STORE_WEAR_GAP and the
 * batch would open a sector: the least erased log sector (but the head)
 * that fits alone, so that what sits still in it (certificates) moves to
 * the most erased free sector and it rejoins the rotation; ALONE_OLDEST if
 * nothing fits: the oldest log sector, which always fits alone (DESIGN.md
 * "Space"). */
static uint32_t choose(const nvt_store_t *st, uint32_t skip, uint32_t len, int *alone)
{
    uint32_t lo, hi = wear(st, &lo), pos = UINT32_MAX, c;
    uint64_t rank = 0;
    /* (once per write: *alone comes in as ALONE_WEAR after one) */
    int wl = NVT_CONFIG_STORE_WEAR_GAP > 0 && hi - lo > NVT_CONFIG_STORE_WEAR_GAP &&
             (st->head == NONE || (int32_t)round_up(st, len) > head_space(st)) && *alone != ALONE_WEAR;
    *alone = ALONE_WEAR;
    while (wl && next_choice(st, skip, 1, &rank, &pos)) {
        if (fits(st, pos, NVT_STORE_ID_NONE, NO_RECORD, 1, &c)) {
            return pos;
        }
    }
    *alone = ALONE_NO;
    pos = UINT32_MAX;
    while (next_choice(st, skip, 0, &rank, &pos)) {
        uint32_t v = pos == st->sector_count ? NONE : pos;
        if (fits(st, v, skip, len, 0, &c)) {
            return v;
        }
    }
    *alone = ALONE_OLDEST;
    return log_after(st, 0);
}

/* The least-erased free sector, or (st->worn) the most erased (NONE:
 * none). */
static uint32_t free_sector(const nvt_store_t *st)
{
    uint32_t best = NONE;
    for (uint32_t s = st->sector_count; s-- > 0;) {
        uint32_t e = st->sectors[s].erase;
        if (is_free(st->sectors[s].seq) &&
            (best == NONE || (st->worn ? e >= st->sectors[best].erase : e <= st->sectors[best].erase))) {
            best = s;
        }
    }
    return best;
}

/* Make free_sector() the head. It joins the log when the
 * batch writes its open block. Anything an interrupted operation left in
 * it cannot pass for a record: table entries are sealed with the sector's
 * sequence number, never reused (see nvt_st_load), and writes over old
 * bytes fail their read-back. */
static int open_sector(nvt_store_t *st)
{
    uint32_t best = free_sector(st);
    if (best == NONE || st->last_seq >= NVT_ST_SEQ_MAX) {
        return NVT_E_NO_SPACE;
    }
    st->sectors[best].seq = ++st->last_seq;
    st->head = best;
    st->head_end = st->data_start;
    st->head_slot = 0;
    return NVT_OK;
}

/* Append one record at the head: object \p e (id, length, type), its data
 * from RAM \p data or, if NULL, relocated from where \p e lies, in
 * fragments, each followed by its table entry. A first fragment takes the
 * rest of a head that holds records if it fits whole or the room is worth
 * splitting for; continuations fill fresh sectors. */
static int append(nvt_store_t *st, const nvt_store_entry_t *e, const uint8_t *data, uint32_t dcrc)
{
    uint32_t done = 0, len = LEN(e), k;
    /* the entries' type (but which fragment) and id */
    uint32_t t0 = NVT_ST_T_MAGIC | (TYP(e) & (NVT_ST_K_MASK | NVT_ST_T_SENS | NVT_ST_T_ENC)) |
                  (uint32_t)e->id << 8;
    int rc = NVT_OK;
    for (;;) {
        if (st->head == NONE) {
            rc = open_sector(st);
            if (rc != NVT_OK) {
                return rc;
            }
        }
        int32_t r = head_space(st);
        uint32_t n = len - done, last = (int32_t)round_up(st, n) <= r;
        /* A first fragment that does not fit a head holding records
         * (a continuation has a fresh one: slot 0) takes all its room; with
         * none left, the head is closed. */
        if (!last && st->head_slot != 0 && r <= 0) {
            st->head = NONE;
            continue;
        }
        n = last ? n : (uint32_t)r;
        for (uint32_t i = 0; rc == NVT_OK && i < n; i += k) {
            k = min32(n - i, st->chunk);
            if (data != NULL) {
                memcpy(st->scratch, data + done + i, k);
            } else {
                rc = read_at(st, e, done + i, st->scratch, k);
            }
            uint32_t p = round_up(st, k);
            memset(st->scratch + k, 0xFF, p - k);
            if (rc == NVT_OK) {
                rc = program_checked(st, st->head * st->sector_size + st->head_end + i, st->scratch, p);
            }
        }
        /* type, id, offset / 4, length, data CRC; sealed with the seq */
        uint32_t w[4] = {t0 | (done ? NVT_ST_K_CONT : 0u) | (last ? NVT_ST_T_LAST : 0u) |
                             st->head_end << 22,
                         st->head_end >> 10 | (done ? n : len) << 8, dcrc, st->sectors[st->head].seq};
        if (rc == NVT_OK) {
            rc = write_block(st, st->head * st->sector_size + nvt_st_slot(st, st->head_slot), w, 1);
        }
        st->head_end += round_up(st, n);
        st->head_slot++;
        if (rc != NVT_OK || last) {
            return rc;
        }
        done += n;
        st->head = NONE;
    }
}

/* Copy victim \p v's live records (but object \p skip) to the head (\p v
 * NONE: none touches it). Tombstones go along too: a mount drops those that
 * hide nothing. */
static int relocate(nvt_store_t *st, uint32_t v, uint32_t skip)
{
    uint8_t b[NVT_ST_BLK_MAX];
    int rc = NVT_OK;
    for (const nvt_store_entry_t *e = st->index; rc == NVT_OK && e < st->index + st->used; e++) {
        if (e->id != skip && fragments_in(st, e, v) != 0) {
            rc = read_entry(st, e, b);
            if (rc == NVT_OK) {
                rc = append(st, e, NULL, le32(b + 8));
            }
        }
    }
    return rc;
}

/* Erase every dirty sector (a torn erase, a damaged or version-1 free
 * sector), and every log sector but the head in which nothing is live any
 * more. */
static int erase_dead(nvt_store_t *st)
{
    int rc = NVT_OK;
    for (uint32_t s = 0; rc == NVT_OK && s < st->sector_count; s++) {
        uint32_t q = st->sectors[s].seq;
        if (q == NVT_ST_SEQ_DIRTY ||
            (s != st->head && nvt_st_is_log(q) && moving(st, s, NONE) == 0)) {
            rc = nvt_st_erase(st, s);
        }
    }
    return rc;
}

/* One batch: write a record (object \p id, type \p t, from \p data;
 * T_NONE: none), then move the live records of sector \p v (NONE: none;
 * not object id: its new version replaces it) to the head. The sectors
 * opened join the log (open blocks), and only then is v erased (a free
 * sector given as v is only erased). The index learns the batch's records
 * by scanning them as a mount would. */
static int batch(nvt_store_t *st, uint32_t id, uint32_t t, const uint8_t *data, uint32_t len,
                 uint32_t v)
{
    nvt_st_scan_t sc = {.apply = 1, .want = NVT_STORE_ID_NONE, .data_end = st->head_end};
    uint32_t h0 = st->head, j0 = st->head_slot, q = st->last_seq;
    int rc = NVT_OK;
    /* Nothing goes into the sector being collected. */
    st->head = st->head == v ? NONE : st->head;
    if (t != T_NONE) {
        nvt_store_entry_t x = {0, len | t << 24, (uint16_t)id, 0};
        rc = append(st, &x, data, nvt_st_crc(0, data, len));
    }
    if (rc == NVT_OK) {
        rc = relocate(st, v, id);
    }
    /* The sectors opened in this batch: every log sector after the highest
     * sequence number in use when it began. */
    q = log_after(st, q);
    for (uint32_t s = q; rc == NVT_OK && s != NONE; s = log_after(st, st->sectors[s].seq)) {
        uint32_t w[4] = {O_MAGIC | NVT_ST_VERSION << 16 | 0xFF000000u, st->sectors[s].seq,
                         st->sectors[s].erase, 0};
        rc = write_block(st, s * st->sector_size + st->info_size, w, 1);
    }
    if (rc == NVT_OK && v != NONE) {
        rc = nvt_st_erase(st, v);
    }
    /* The batch's records: in the head it started with (if still in the
     * log), then in every newer sector. */
    if (h0 == NONE || !nvt_st_is_log(st->sectors[h0].seq)) {
        h0 = q;
        j0 = 0;
    }
    for (; rc == NVT_OK && h0 != NONE; h0 = log_after(st, st->sectors[h0].seq), j0 = 0) {
        rc = nvt_st_scan(st, h0, j0, &sc);
    }
    return rc;
}

/* Collections a change may run before its record: enough for a pass over
 * the log (DESIGN.md "Space"). */
#define STEPS_MAX(st) (2u * (st)->sector_count + 2u)

/* Write a record of object \p id (type \p t, \p len bytes of \p data)
 * with the collection choose() picks, after the collections it says to run
 * alone first. A wear-levelling one writes to the most erased free sector,
 * in which nothing else goes (the head is closed before and after). */
static int write_record(nvt_store_t *st, uint32_t id, uint32_t t, const uint8_t *data,
                        uint32_t len)
{
    int alone = ALONE_NO, worn = 0, rc = NVT_OK;
    uint32_t v = NONE;
    for (uint32_t step = 0; rc == NVT_OK; step++) {
        rc = erase_dead(st);
        alone = worn ? ALONE_WEAR : ALONE_NO;
        v = choose(st, id, len, &alone);
        worn |= alone == ALONE_WEAR;
        if (rc != NVT_OK || alone == ALONE_NO) {
            break;
        }
        if (v == NONE || step >= STEPS_MAX(st)) {
            return NVT_E_NO_SPACE;
        }
        st->worn = alone == ALONE_WEAR;
        st->head = st->worn ? NONE : st->head;
        rc = batch(st, NVT_STORE_ID_NONE, T_NONE, NULL, 0, v);
        st->head = st->worn ? NONE : st->head;
        st->worn = 0;
    }
    return rc != NVT_OK ? rc : batch(st, id, t, data, len, v);
}

/* Collect sector \p s (fsck too): alone if it fits(); otherwise the oldest sectors
 * first, until it fits or is the oldest. A free sector (with stray bytes)
 * is erased. Dead sectors are erased first, so that a sector found dirty
 * by an earlier try is free again. */
int nvt_st_collect(nvt_store_t *st, uint32_t s)
{
    uint32_t seq = st->sectors[s].seq, c;
    int rc = erase_dead(st);
    for (uint32_t step = 0; rc == NVT_OK && st->sectors[s].seq == seq; step++) {
        uint32_t v = !nvt_st_is_log(seq) ||
                             fits(st, s, NVT_STORE_ID_NONE, NO_RECORD, 0, &c)
                         ? s
                         : log_after(st, 0);
        rc = step > STEPS_MAX(st) ? NVT_E_NO_SPACE : batch(st, NVT_STORE_ID_NONE, T_NONE, NULL, 0, v);
        rc = rc == NVT_OK ? erase_dead(st) : rc;
    }
    return rc;
}

/* Collect every sector holding bytes no record accounts for (left by an
 * interrupted write: in a free sector, anything beyond its erase block; a
 * dirty sector),
 * or (scrub of \p id) a record of \p id but its current version, or
 * (NVT_ST_WANT_SENS: st->pending) a sensitive entry no live record owns or a
 * block needing repair or of an older format version, or (gc: \p id NONE)
 * garbage. */
static int sweep(nvt_store_t *st, uint32_t id)
{
    nvt_st_scan_t sc;
    int rc = NVT_OK;
    for (uint32_t s = 0; rc == NVT_OK && s < st->sector_count; s++) {
        uint32_t q = st->sectors[s].seq, from = st->info_size, to = st->sector_size;
        int dirty = 0;
        if (nvt_st_is_log(q)) {
            nvt_st_hdr_t h;
            uint32_t fixed = st->corrected;
            memset(&sc, 0, sizeof(sc));
            sc.want = id;
            rc = nvt_st_scan(st, s, 0, &sc);
            rc = rc == NVT_OK ? nvt_st_headers(st, s, &h) : rc;
            const nvt_store_entry_t *e = find_object(st, id);
            /* (NVT_ST_WANT_SENS) sensitive entries but the live records',
             * or a sector to repair or migrate; entries of \p id but its
             * current version's; without one (gc, or \p id deleted), any
             * garbage. */
            if (id == NVT_ST_WANT_SENS) {
                dirty = sc.found > sens_frags(st, s) || h.redo || st->corrected != fixed ||
                        sc.lost != 0;
            } else if (e == NULL) {
                dirty = sc.found != 0 || sc.data_end - st->data_start + sc.stop * st->slot_size > moving(st, s, NONE);
            } else {
                dirty = sc.found > (!IS_TOMB(e) && fragments_in(st, e, s) != 0);
            }
            /* Unaccounted for: from the data's end up to the table, and
             * the slot where the table ended if it reads erased (its end
             * is where slot j - 1 begins). */
            from = sc.data_end;
            to = nvt_st_slot(st, sc.stop - (sc.stop_kind == NVT_ST_B_FF));
        } else if (q == NVT_ST_SEQ_DIRTY) {
            dirty = 1;
        } else if (q != NVT_ST_SEQ_FREE) {
            continue;
        }
        if (rc == NVT_OK && !dirty && to > from) {
            rc = nvt_st_written(st, s * st->sector_size + from, to - from);
            dirty = rc > 0;
            rc = rc > 0 ? NVT_OK : rc;
        }
        if (rc == NVT_OK && dirty) {
            rc = nvt_st_collect(st, s);
        }
    }
    return rc;
}

/* ---- operations ------------------------------------------------------- */

static uint32_t log2_of(uint32_t x)
{
    uint32_t n = 0;
    while (x >>= 1) {
        n++;
    }
    return n;
}

/* Check the configuration and set \p st up from it (not yet mounted). */
static int setup(nvt_store_t *st, const nvt_store_config_t *cfg)
{
    const nvt_flash_geometry_t *g = cfg != NULL && cfg->flash != NULL ? &cfg->flash->geo : NULL;
    if (st == NULL || nvt_flash_geometry_check(g) != NVT_OK || cfg->index == NULL ||
        cfg->sectors == NULL || cfg->scratch == NULL || g->sector_count > 0xFFFEu ||
        cfg->index_len < sizeof(nvt_store_entry_t) || cfg->scratch_len < NVT_STORE_SCRATCH_MIN ||
        cfg->sectors_len < NVT_STORE_SECTORS_BYTES(g->sector_count) ||
        (((uintptr_t)cfg->index | (uintptr_t)cfg->sectors) & 3u) != 0) {
        return NVT_E_INVALID;
    }
    uint32_t u = g->prog_unit;
    memset(st, 0, sizeof(*st));
    st->flash = cfg->flash;
    st->index = cfg->index;
    st->sectors = cfg->sectors;
    st->scratch = cfg->scratch;
    st->sector_size = g->sector_size;
    st->sector_count = g->sector_count;
    st->align = u < 4u ? 4u : u;
    st->info_size = u < 16u ? 16u : u;
    st->slot_size = st->info_size + st->align;
    st->data_start = st->info_size + st->slot_size;
    st->sector_room = st->sector_size - st->slot_size - st->data_start;
    st->geometry = log2_of(st->sector_size) | log2_of(u) << 8 | st->sector_count << 16;
    st->head = st->damaged = NONE;
    st->chunk = (uint32_t)cfg->scratch_len & (0u - st->align);
    st->index_slots = (uint32_t)(cfg->index_len / sizeof(nvt_store_entry_t));
    return NVT_OK;
}

int nvt_store_mount(nvt_store_t *st, const nvt_store_config_t *cfg)
{
    int rc = setup(st, cfg);
    return rc != NVT_OK ? rc : nvt_st_load(st);
}

int nvt_store_format(nvt_store_t *st, const nvt_store_config_t *cfg)
{
    int rc = setup(st, cfg);
    if (rc != NVT_OK) {
        return rc;
    }
    /* Erase counts of a store already there (of this geometry) go on;
     * otherwise they start from 0. Sectors that read blank are not
     * erased, only given their erase block. */
    memset(st->sectors, 0, NVT_STORE_SECTORS_BYTES(st->sector_count));
    (void)nvt_st_load(st);
    st->used = 0;
    for (uint32_t s = 0; rc == NVT_OK && s < st->sector_count; s++) {
        rc = nvt_st_written(st, s * st->sector_size, st->sector_size);
        rc = rc >= 0 ? erase_sector(st, s, (uint32_t)rc) : rc;
    }
    rc = rc == NVT_OK ? nvt_flash_sync(st->flash) : rc;
    st->state = rc == NVT_OK;
    return rc == NVT_ST_DAMAGED ? NVT_E_IO : rc;
}

/* The largest object: alone, its footprint counted twice (with more than
 * two sectors) fits the budget. k fragments hold at most
 * (k - 1) * c1 + DA bytes, and footprint k * A more. */
static uint32_t max_obj(const nvt_store_t *st)
{
    uint32_t b = budget(st) / (st->sector_count > 2u ? 2u : 1u), best = 0;
    for (uint32_t k = 1; k * st->slot_size < b; k++) {
        uint32_t most = (k - 1u) * st->sector_room + st->align, n = min32(b - k * st->slot_size, most);
        best = n > best ? n & (0u - st->align) : best;
        if (most >= b) {
            break;
        }
    }
    return min32(best, 0xFFFFFFu);
}

/* A put or delete that would leave the store holding more than the
 * capacity rule allows (and more than it holds now): refused. */
static int refused(const nvt_store_t *st, uint32_t id, const nvt_store_entry_t *e, uint32_t len)
{
    weight_t w;
    weigh(st, id, &w);
    uint32_t after = need(st, &w, footprint(st, len));
    return after > budget(st) && after > need(st, &w, e != NULL ? footprint(st, LEN(e)) : 0u);
}

/* A change: a put or delete writes a record of type \p t (T_NONE: gc).
 * First re-read the flash after an error (a write that found damage left
 * by a power cut closes that head or erases that sector), and erase what a
 * power cut left half-done. */
static int change(nvt_store_t *st, uint32_t id, uint32_t t, const uint8_t *data, uint32_t len)
{
    if (st == NULL || st->state == 0) {
        return NVT_E_INVALID;
    }
    uint32_t sens = t & NVT_ST_T_SENS, done = t == T_NONE, del = t & NVT_ST_K_TOMB;
    int rc;
    for (uint32_t tries = 0;; tries++) {
        rc = st->state == 2 ? nvt_st_load(st) : NVT_OK;
        const nvt_store_entry_t *e = find_object(st, id);
        uint32_t live = e != NULL && !IS_TOMB(e);
        if (rc != NVT_OK || done) {
            /* A retry after the record was committed: only what follows. */
        } else if (del && !live) {
            /* Not found, yet a delete cut short may have left pieces of the
             * object (even sensitive ones): collect them. */
            rc = sweep(st, id);
            rc = rc == NVT_OK ? NVT_E_NOT_FOUND : rc;
        } else if (len > max_obj(st) || refused(st, id, e, len)) {
            /* Refused before anything is written: RAM stays current. */
            rc = len > max_obj(st) ? NVT_E_TOO_LARGE : NVT_E_NO_SPACE;
            break;
        } else if (e == NULL && st->used >= st->index_slots) {
            /* Tombstones hold slots while older versions exist: collect
             * those, then re-read (which drops tombstones hiding nothing)
             * and try again. */
            uint32_t tombs = 0;
            for (uint32_t i = 0; i < st->used; i++) {
                tombs |= IS_TOMB(&st->index[i]);
            }
            rc = tries == 0 && tombs ? sweep(st, NONE) : NVT_E_INDEX_FULL;
            rc = rc == NVT_OK ? NVT_ST_DAMAGED : rc;
        } else {
            /* Scrub if this or an older version is sensitive. */
            sens |= e != NULL && (TYP(e) & (NVT_ST_T_SENS | NVT_ST_T_OLDSENS)) ? NVT_ST_T_SENS : 0u;
            rc = write_record(st, id, t | (del ? sens : 0u), data, len);
            done = rc == NVT_OK;
        }
        if (rc == NVT_OK && (t == T_NONE || sens)) {
            rc = sweep(st, t == T_NONE ? NONE : id);
        }
        if (rc == NVT_OK && st->pending) {
            /* What mount found to scrub, repair or migrate. Without room
             * for it now (a store filled beyond the capacity rule by an
             * earlier version), it waits for a later change. */
            rc = sweep(st, NVT_ST_WANT_SENS);
            st->pending = rc != NVT_OK ? st->pending : 0u;
            rc = rc == NVT_E_NO_SPACE ? NVT_OK : rc;
        }
        if (rc != NVT_OK) {
            st->state = 2;
        }
        if (rc != NVT_ST_DAMAGED || tries > st->sector_count) {
            break;
        }
    }
    rc = rc == NVT_OK ? nvt_flash_sync(st->flash) : rc;
    return rc == NVT_ST_DAMAGED ? NVT_E_IO : rc;
}

int nvt_store_put(nvt_store_t *st, nvt_store_id_t id, const void *data, size_t len, unsigned flags)
{
    if (id == NVT_STORE_ID_NONE || (data == NULL && len > 0) ||
        (flags & ~(NVT_STORE_SENSITIVE | NVT_STORE_SEALED)) != 0 || len > 0xFFFFFFu) {
        return NVT_E_INVALID;
    }
    return change(st, id,
                  (flags & NVT_STORE_SENSITIVE ? NVT_ST_T_SENS : 0u) |
                      (flags & NVT_STORE_SEALED ? NVT_ST_T_ENC : 0u),
                  data, (uint32_t)len);
}

int nvt_store_delete(nvt_store_t *st, nvt_store_id_t id)
{
    return change(st, id, NVT_ST_K_TOMB | NVT_ST_T_LAST, NULL, 0);
}

int nvt_store_gc(nvt_store_t *st)
{
    return change(st, NONE, T_NONE, NULL, 0);
}

/* NVT_OK if \p st is mounted and its RAM state current. */
static int ready(nvt_store_t *st)
{
    if (st == NULL || st->state == 0) {
        return NVT_E_INVALID;
    }
    return st->state == 2 ? nvt_st_load(st) : NVT_OK;
}

/* The live entry of \p id. */
static int lookup(nvt_store_t *st, uint32_t id, const nvt_store_entry_t **e)
{
    int rc = ready(st);
    if (rc == NVT_OK) {
        *e = find_object(st, id);
        rc = *e == NULL || IS_TOMB(*e) ? NVT_E_NOT_FOUND : NVT_OK;
    }
    return rc;
}

int nvt_store_read(nvt_store_t *st, nvt_store_id_t id, size_t offset, void *buf, size_t len,
                   size_t *out_read)
{
    const nvt_store_entry_t *e;
    uint32_t n = 0;
    if ((buf == NULL && len > 0) || out_read == NULL) {
        return NVT_E_INVALID;
    }
    int rc = lookup(st, id, &e);
    if (rc == NVT_OK) {
        uint32_t l = LEN(e);
        n = offset < l ? l - (uint32_t)offset : 0u;
        n = len < n ? (uint32_t)len : n;
        rc = nvt_st_object(st, e, (uint32_t)offset, buf, n);
        if (rc != NVT_OK) {
            memset(buf, 0, n);
            n = 0;
        }
    }
    *out_read = n;
    return rc;
}

int nvt_store_get(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len)
{
    size_t n = 0;
    int rc = nvt_store_size(st, id, &n, NULL);
    if (out_len != NULL) {
        *out_len = n;
    }
    return rc != NVT_OK ? rc : n > buf_len ? NVT_E_BUFFER_TOO_SMALL
                                           : nvt_store_read(st, id, 0, buf, n, &n);
}

int nvt_store_size(nvt_store_t *st, nvt_store_id_t id, size_t *len, unsigned *flags)
{
    const nvt_store_entry_t *e;
    int rc = lookup(st, id, &e);
    if (rc == NVT_OK && len != NULL) {
        *len = LEN(e);
    }
    if (rc == NVT_OK && flags != NULL) {
        *flags = (TYP(e) & NVT_ST_T_SENS ? NVT_STORE_SENSITIVE : 0u) |
                 (TYP(e) & NVT_ST_T_ENC ? NVT_STORE_SEALED : 0u);
    }
    return rc;
}

int nvt_store_next(nvt_store_t *st, nvt_store_id_t after_id, nvt_store_id_t *next)
{
    uint32_t best = 0x10000u;
    int rc = next == NULL ? NVT_E_INVALID : ready(st);
    for (uint32_t i = 0; rc == NVT_OK && i < st->used; i++) {
        uint32_t id = st->index[i].id;
        if (!IS_TOMB(&st->index[i]) && id >= ((after_id + 1u) & 0xFFFFu) && id < best) {
            best = id;
        }
    }
    if (rc == NVT_OK) {
        rc = best < 0x10000u ? NVT_OK : NVT_E_NOT_FOUND;
        *next = (nvt_store_id_t)best;
    }
    return rc;
}

int nvt_store_stat(nvt_store_t *st, nvt_store_stats_t *stats)
{
    int rc = stats == NULL ? NVT_E_INVALID : ready(st);
    if (rc != NVT_OK) {
        return rc;
    }
    weight_t w;
    weigh(st, NONE, &w);
    uint32_t used = need(st, &w, 0);
    stats->objects = stats->live_bytes = 0;
    for (uint32_t i = 0; i < st->used; i++) {
        const nvt_store_entry_t *e = &st->index[i];
        if (!IS_TOMB(e)) {
            stats->objects++;
            stats->live_bytes += LEN(e);
        }
    }
    stats->sectors = st->sector_count;
    stats->max_object = max_obj(st);
    stats->capacity = budget(st);
    stats->free = budget(st) > used ? budget(st) - used : 0u;
    stats->erase_max = wear(st, &stats->erase_min);
    return NVT_OK;
}

int nvt_store_erase_count(nvt_store_t *st, uint32_t sector, uint32_t *count)
{
    int rc = count == NULL ? NVT_E_INVALID : ready(st);
    rc = rc == NVT_OK && sector >= st->sector_count ? NVT_E_INVALID : rc;
    if (rc == NVT_OK) {
        *count = st->sectors[sector].erase;
    }
    return rc;
}
