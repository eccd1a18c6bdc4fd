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
#define T_NONE 0x100u /* batch(): no record to write */
#define LEN(e) ((e)->lt & 0xFFFFFFu)
#define TYP(e) ((e)->lt >> 24)
#define IS_TOMB(e) ((TYP(e) & NVT_ST_K_MASK) == NVT_ST_K_TOMB)

/* ---- bytes ------------------------------------------------------------ */

static uint32_t rd(const uint8_t *p, unsigned n)
{
    uint32_t v = 0;
    while (n-- > 0) {
        v = v << 8 | p[n];
    }
    return v;
}

static void wr(uint8_t *p, uint32_t v, unsigned n)
{
    while (n-- > 0) {
        *p++ = (uint8_t)v;
        v >>= 8;
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
    return st->ss - (j + 1u) * st->a;
}

static uint32_t ru(const nvt_store_t *st, uint32_t n)
{
    return (n + st->da - 1u) & (0u - st->da);
}

/* ---- blocks ----------------------------------------------------------- */

/* CRC of a block's first 12 bytes, seeded with \p seed (a sector's seq for
 * table entries: an entry is valid only in the life it was written in). */
static uint32_t bcrc(const uint8_t *b, uint32_t seed)
{
    uint8_t s4[4];
    wr(s4, seed, 4);
    return nvt_st_crc(nvt_st_crc(0, s4, 4), b, 12);
}

int nvt_st_blk(nvt_store_t *st, uint32_t addr, uint8_t *b, int mark, uint32_t seed)
{
    uint32_t n = mark ? st->a : st->ib;
    int rc = nvt_flash_read(st->fl, addr, b, n);
    if (rc != NVT_OK || all_ff(b, n)) {
        return rc != NVT_OK ? rc : NVT_ST_B_FF;
    }
    if (bcrc(b, seed) != rd(b + 12, 4)) {
        return NVT_ST_B_BAD;
    }
    /* The mark, programmed after the info in the same operation, is all
     * zeros: any 0 bit there means the whole block was written. A torn
     * mark with no solid bit may read erased: three tries. */
    for (int t = 0; mark && all_ff(b + st->ib, n - st->ib); t++) {
        rc = t == 2 ? NVT_ST_B_BAD
                    : nvt_flash_read(st->fl, addr + st->ib, b + st->ib, n - st->ib);
        if (rc != NVT_OK) {
            return rc;
        }
    }
    return NVT_ST_B_OK;
}

/* Program and read back. A refusal (ECC flash) or a mismatch means the spot
 * was touched by an earlier, interrupted program: NVT_ST_DAMAGED. */
static int prog(nvt_store_t *st, uint32_t addr, const uint8_t *p, uint32_t n)
{
    uint8_t v[32];
    int rc = nvt_flash_program(st->fl, addr, p, n);
    for (uint32_t i = 0; rc == NVT_OK && i < n; i += sizeof(v)) {
        uint32_t k = min32(n - i, sizeof(v));
        rc = nvt_flash_read(st->fl, addr + i, v, k);
        if (rc == NVT_OK && memcmp(v, p + i, k) != 0) {
            rc = NVT_E_PROGRAMMED;
        }
    }
    if (rc == NVT_E_PROGRAMMED) {
        st->bad = addr / st->ss;
        rc = NVT_ST_DAMAGED;
    }
    return rc;
}

/* Program a block: 12 info bytes (words \p w[0..2], little-endian), their
 * CRC seeded with \p w[3], padded to the unit, then (if \p mark) the
 * all-zero mark. */
static int put_blk(nvt_store_t *st, uint32_t addr, const uint32_t *w, int mark)
{
    uint8_t b[NVT_ST_BLK_MAX];
    for (uint32_t i = 0; i < 3u; i++) {
        wr(b + 4u * i, w[i], 4);
    }
    wr(b + 12, bcrc(b, w[3]), 4);
    memset(b + 16, 0xFF, st->ib - 16u);
    memset(b + st->ib, 0, st->a - st->ib);
    int rc = nvt_flash_sync(st->fl);
    return rc != NVT_OK ? rc : prog(st, addr, b, mark ? st->a : st->ib);
}

/* The erase block's first word: magic and version. */
#define E_MAGIC ('n' | 'v' << 8 | 'E' << 16 | (uint32_t)NVT_ST_VERSION << 24)

/* Erase sector \p s (unless \p erase is 0: it reads blank) and write its
 * erase block. */
static int wipe(nvt_store_t *st, uint32_t s, uint32_t erase)
{
    nvt_store_sector_t *x = &st->sec[s];
    x->seq = NVT_ST_SEQ_DIRTY; /* until its erase block is written */
    st->head = st->head == s ? NONE : st->head;
    int rc = nvt_flash_sync(st->fl);
    if (rc == NVT_OK && erase) {
        rc = nvt_flash_erase(st->fl, s);
    }
    if (rc == NVT_OK) {
        uint32_t w[4] = {E_MAGIC, st->geo, x->erase += erase, 0};
        rc = put_blk(st, s * st->ss, w, 0);
    }
    if (rc == NVT_OK) {
        x->seq = NVT_ST_SEQ_BLANK;
    }
    return rc;
}

int nvt_st_wipe(nvt_store_t *st, uint32_t s)
{
    return wipe(st, s, 1);
}

/* 1 if [addr, addr + n) holds anything but 0xFF, 0 if not, or an error. */
int nvt_st_used(nvt_store_t *st, uint32_t addr, uint32_t n)
{
    int rc = NVT_OK;
    for (uint32_t k; rc == NVT_OK && n > 0; addr += k, n -= k) {
        k = min32(n, st->buflen);
        rc = nvt_flash_read(st->fl, addr, st->buf, k);
        rc = rc == NVT_OK && !all_ff(st->buf, k) ? 1 : rc;
    }
    return rc;
}

/* ---- log order and fragments ------------------------------------------ */

/* The log sector whose sequence number follows \p seq (0: the first). */
static uint32_t after(const nvt_store_t *st, uint32_t seq)
{
    uint32_t best = NONE, bs = 0xFFFFFFFFu;
    for (uint32_t s = 0; s < st->nsec; s++) {
        uint32_t q = st->sec[s].seq;
        if (nvt_st_is_log(q) && q > seq && q < bs) {
            bs = q;
            best = s;
        }
    }
    return best;
}

/* First fragment of \p e: its data runs from its offset up to its table
 * entry (the last fragment: the object's length). */
static void frag_first(const nvt_store_t *st, const nvt_store_entry_t *e, nvt_st_frag_t *f)
{
    f->s = e->addr / st->ss;
    f->addr = f->s * st->ss + e->off * 4u;
    f->n = min32(LEN(e), e->addr - f->addr);
    f->left = LEN(e) - f->n;
}

/* Next fragment: the start of the next log sector, filled up to its first
 * table entry (or the rest of the object). 0 when there is none. */
static int frag_next(const nvt_store_t *st, nvt_st_frag_t *f)
{
    if (f->left == 0 || (f->s = after(st, st->sec[f->s].seq)) == NONE) {
        return 0;
    }
    f->addr = f->s * st->ss + st->d0;
    f->n = min32(f->left, st->c1);
    f->left -= f->n;
    return 1;
}

/* Bytes \p e occupies on flash (data and table entries) if it touches
 * sector \p s, else 0. */
static uint32_t touch(const nvt_store_t *st, const nvt_store_entry_t *e, uint32_t s)
{
    nvt_st_frag_t f;
    uint32_t hit = 0, fp = 0;
    frag_first(st, e, &f);
    do {
        hit |= f.s == s;
        fp += ru(st, f.n) + st->a;
    } while (frag_next(st, &f));
    return fp * hit;
}

/* Bytes to relocate to empty sector \p s, not counting object \p skip. */
static uint32_t cost(const nvt_store_t *st, uint32_t s, uint32_t skip)
{
    uint32_t c = 0;
    for (const nvt_store_entry_t *e = st->idx; e < st->idx + st->n; e++) {
        if (e->id != skip) {
            c += touch(st, e, s);
        }
    }
    return c;
}

/* Read \p n bytes at offset \p o of object \p e into \p dst. */
static int obj_at(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t o, uint8_t *dst,
                  uint32_t n)
{
    nvt_st_frag_t f;
    int rc = NVT_OK;
    frag_first(st, e, &f);
    do {
        if (o < f.n) {
            uint32_t k = min32(n, f.n - o);
            rc = nvt_flash_read(st->fl, f.addr + o, dst, k);
            dst += k;
            n -= k;
            o = 0;
        } else {
            o -= f.n;
        }
    } while (rc == NVT_OK && n > 0 && frag_next(st, &f));
    return rc != NVT_OK ? rc : n > 0 ? NVT_E_CORRUPT : NVT_OK;
}

/* Read the table entry of index entry \p e into \p b: NVT_OK, NVT_E_CORRUPT
 * (it no longer reads valid), or a flash error. */
static int entry(nvt_store_t *st, const nvt_store_entry_t *e, uint8_t *b)
{
    int rc = nvt_st_blk(st, e->addr, b, 1, st->sec[e->addr / st->ss].seq);
    return rc > 0 ? NVT_E_CORRUPT : rc;
}

int nvt_st_obj(nvt_store_t *st, const nvt_store_entry_t *e, uint32_t from, uint8_t *out,
               uint32_t want)
{
    uint8_t b[NVT_ST_BLK_MAX];
    nvt_st_frag_t f;
    uint32_t crc = 0, o = 0, k;
    int rc = entry(st, e, b);
    frag_first(st, e, &f);
    do {
        for (uint32_t i = 0; rc == NVT_OK && i < f.n; i += k, o += k) {
            k = min32(f.n - i, st->buflen);
            rc = nvt_flash_read(st->fl, f.addr + i, st->buf, k);
            crc = nvt_st_crc(crc, st->buf, k);
            for (uint32_t x = 0; x < k; x++) {
                if (o + x - from < want) {
                    out[o + x - from] = st->buf[x];
                }
            }
        }
    } while (rc == NVT_OK && frag_next(st, &f));
    return rc == NVT_OK && (o != LEN(e) || crc != rd(b + 8, 4)) ? NVT_E_CORRUPT : rc;
}

/* ---- index ---------------------------------------------------------- */

static nvt_store_entry_t *find(nvt_store_t *st, uint32_t id)
{
    for (uint32_t i = 0; i < st->n; i++) {
        if (st->idx[i].id == id) {
            return &st->idx[i];
        }
    }
    return NULL;
}

/* ---- table scan ------------------------------------------------------- */

/* Read the block at \p addr (nvt_st_blk) and, if it is valid, its info
 * words 0-2 (little-endian) into \p w. */
static int blk_words(nvt_store_t *st, uint32_t addr, int mark, uint32_t seed, uint32_t *w)
{
    uint8_t b[NVT_ST_BLK_MAX];
    int rc = nvt_st_blk(st, addr, b, mark, seed);
    for (uint32_t i = 0; rc == NVT_ST_B_OK && i < 3u; i++) {
        w[i] = rd(b + 4u * i, 4);
    }
    return rc;
}

/* Read the table of log sector \p s from slot \p j on (FORMAT.md "Log"):
 * count and follow its entries in \p sc, and (if sc->apply) enter each
 * committed record into the index. */
int nvt_st_scan(nvt_store_t *st, uint32_t s, uint32_t j, nvt_st_scan_t *sc)
{
    uint32_t base = s * st->ss;
    uint32_t ex = sc->ch.addr; /* a chain from the sector before */
    uint32_t w[3] = {0, 0, 0}; /* the entry's info words */
    if (j == 0) {
        sc->dend = st->d0;
        sc->ch.addr = 0;
    }
    sc->j = j - 2u; /* the last invalid slot (none yet just before j) */
    for (uint32_t pos = nvt_st_slot(st, j);; j++, pos -= st->a) {
        int rc = 3; /* the table is full: the slot would lie below the data */
        if (pos >= sc->dend && pos < st->ss) {
            rc = blk_words(st, base + pos, 1, st->sec[s].seq, w);
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
        uint32_t end = last ? off + ru(st, len) : pos;
        /* Magic 010 and a kind other than 11: types 0x40 to 0x57. */
        if (rc == NVT_ST_B_OK &&
            (t - NVT_ST_T_MAGIC >= NVT_ST_K_MASK || off < st->d0 || off > pos || end > pos)) {
            rc = NVT_ST_B_BAD;
        }
        if (rc != NVT_ST_B_OK) {
            /* The table ends here, unless the next slot holds an entry: an
             * entry whose commit mark was weakened by a power cut may read
             * valid at one mount (and records follow it) and not at the
             * next. Two invalid slots in a row end it (past a full
             * table the next slot is full too). */
            if (rc < 0 || sc->j == j - 1u) {
                return rc < 0 ? rc : NVT_OK;
            }
            sc->j = j;
            sc->end = (uint32_t)rc;
            continue;
        }
        sc->valid++;
        if (r.id == sc->want && k != NVT_ST_K_TOMB) {
            sc->found++;
        }
        sc->dend = end > sc->dend ? end : sc->dend;
        if (k == NVT_ST_K_DATA && !last) {
            /* A first fragment starts a chain if it does not fit. */
            if (len > pos - off) {
                sc->ch = r;
                sc->left = len - (pos - off);
                sc->dcrc = w[2];
            }
            continue;
        }
        if (k == NVT_ST_K_CONT) {
            /* Continues the chain only as the first entry of the sector
             * after the one holding the chain's previous fragment. */
            if (j != 0 || ex == 0 || r.id != sc->ch.id || w[2] != sc->dcrc || off != st->d0 ||
                (last ? len != sc->left : len != pos - off || len >= sc->left)) {
                continue;
            }
            if (!last) {
                sc->ch.addr = ex;
                sc->left -= len;
                continue;
            }
            r = sc->ch;
            r.addr = ex;
        }
        if (sc->apply) {
            /* A committed record, newer than any seen for its id. A
             * tombstone matters only if it hides an older version. */
            nvt_store_entry_t *e = find(st, r.id);
            if (e == NULL) {
                if (k == NVT_ST_K_TOMB) {
                    continue;
                }
                if (st->n >= st->cap) {
                    return NVT_E_INDEX_FULL;
                }
                e = &st->idx[st->n++];
            }
            *e = r;
        }
    }
}

/* ---- mount -------------------------------------------------------- */

/* Rebuild the RAM state from the flash: the erase and open blocks of every
 * sector, then the table of every log sector in log order. */
int nvt_st_load(nvt_store_t *st)
{
    nvt_st_scan_t sc;
    uint32_t maxe = 0, s, w[3];
    int found = 0, other = NVT_E_NOT_FORMATTED, rc;
    st->n = st->seq = 0;
    st->head = NONE;
    for (s = 0; s < st->nsec; s++) {
        nvt_store_sector_t *x = &st->sec[s];
        uint32_t base = s * st->ss;
        x->seq = NVT_ST_SEQ_DIRTY;
        x->erase = 0xFFFFFFFFu;
        /* The erase block: magic, version, geometry, erase count. */
        rc = blk_words(st, base, 0, 0, w);
        if (rc == NVT_ST_B_OK && w[0] == E_MAGIC && w[1] == st->geo) {
            x->erase = w[2];
            found = 1;
        } else if (rc == NVT_ST_B_OK && (w[0] & 0xFFFFFFu) == (E_MAGIC & 0xFFFFFFu)) {
            /* A store of another version, or of another geometry. */
            other = w[0] != E_MAGIC ? NVT_E_VERSION : NVT_E_INVALID;
        }
        /* The open block: magic, sequence number, erase count. */
        if (rc >= 0) {
            rc = blk_words(st, base + st->ib, 1, 0, w);
        }
        if (rc < 0) {
            return rc;
        }
        if (rc == NVT_ST_B_OK && (w[0] & 0xFFFFu) == ('n' | 'O' << 8) && nvt_st_is_log(w[1])) {
            x->seq = w[1];
            x->erase = x->erase != 0xFFFFFFFFu ? x->erase : w[2];
            st->seq = w[1] > st->seq ? w[1] : st->seq;
            found = 1;
        } else if (rc == NVT_ST_B_FF && x->erase != 0xFFFFFFFFu && s != st->bad) {
            /* Free; unless a write just found damage in it. */
            x->seq = NVT_ST_SEQ_FREE;
        }
        maxe = x->erase != 0xFFFFFFFFu && x->erase > maxe ? x->erase : maxe;
    }
    /* An unknown erase count (torn erase block) is taken as the highest. */
    for (s = 0; s < st->nsec; s++) {
        st->sec[s].erase = st->sec[s].erase == 0xFFFFFFFFu ? maxe : st->sec[s].erase;
    }
    if (!found) {
        return other;
    }
    /* Sectors opened after the last commit (a batch cut short) had numbers
     * up to st->seq + nsec: never use those again. */
    st->seq += st->nsec;
    memset(&sc, 0, sizeof(sc));
    sc.apply = 1;
    sc.want = NVT_STORE_ID_NONE;
    for (s = after(st, 0); s != NONE; s = after(st, st->sec[s].seq)) {
        rc = nvt_st_scan(st, s, 0, &sc);
        if (rc != NVT_OK) {
            return rc;
        }
        /* The newest sector takes more records if its table ends cleanly
         * (and no write just found damage in it). */
        st->head = sc.end == NVT_ST_B_FF && s != st->bad ? s : NONE;
        st->dp = sc.dend;
        st->slot = sc.j;
    }
    st->state = 1;
    st->bad = NONE;
    return NVT_OK;
}

/* ---- writer --------------------------------------------------------- */

/* Highest erase count; the lowest in *lo. */
static uint32_t wear(const nvt_store_t *st, uint32_t *lo)
{
    uint32_t hi = 0;
    *lo = 0xFFFFFFFFu;
    for (uint32_t s = st->nsec; s-- > 0;) {
        *lo = min32(st->sec[s].erase, *lo);
        hi = st->sec[s].erase > hi ? st->sec[s].erase : hi;
    }
    return hi;
}

/* Room for data below the head's next table slot (there is a head); < 0:
 * no free slot. */
static int32_t room(const nvt_store_t *st)
{
    return (int32_t)nvt_st_slot(st, st->slot) - (int32_t)st->dp;
}

/* What pick() chooses: a sector to collect with nothing to move (unless it
 * is cold), one at any cost, or a free sector to open. */
enum { PICK_EMPTY, PICK_ANY, PICK_OPEN };

/* The sector to take next. PICK_OPEN: the least-erased free sector.
 * Otherwise the sector to collect in a batch that needs new sectors: a log
 * sector whose live data (object \p skip aside) costs at most \p max bytes
 * to move, and (PICK_EMPTY) nothing. Static wear levelling first: once the
 * erase counts spread more than NVT_CONFIG_STORE_WEAR_GAP, the least-erased
 * movable sector of the colder half is collected, so that what sits still
 * in it (certificates) moves and the sector rejoins the rotation.
 * Otherwise the cheapest, all costing under an eighth of a sector counting
 * as equally cheap and taken least-erased first. Collecting the head also
 * gives up its unused room. */
static uint32_t pick(const nvt_store_t *st, uint32_t skip, uint32_t max, int what)
{
    uint32_t best = NONE, lo, hi = wear(st, &lo);
    uint64_t bk = UINT64_MAX;
    /* Wear levelling: sectors in the colder half may be moved at any cost. */
    uint32_t cold = NVT_CONFIG_STORE_WEAR_GAP > 0 && hi - lo > NVT_CONFIG_STORE_WEAR_GAP
                        ? lo + (hi - lo) / 2u
                        : 0;
    for (uint32_t s = st->nsec; s-- > 0;) {
        uint32_t e = st->sec[s].erase, q = st->sec[s].seq;
        if (what == PICK_OPEN ? !is_free(q) : !nvt_st_is_log(q)) {
            continue;
        }
        /* The bytes to move (a free sector has none: the key orders free
         * sectors by erase count). */
        uint32_t c =
            what == PICK_OPEN ? 0u : cost(st, s, skip) + (s == st->head ? (uint32_t)room(st) : 0u);
        if (c > max || (what == PICK_EMPTY && c != 0 && e >= cold)) {
            continue;
        }
        /* Ordered by one key: cold first, then cost (all under an eighth
         * of a sector alike), then erase count; ties go to the lowest
         * sector number (the loop runs down). */
        uint64_t k = (uint64_t)(e < cold ? 0 : c > st->c1 / 8u ? c : st->c1 / 8u) << 32 | e;
        if (k <= bk) {
            best = s;
            bk = k;
        }
    }
    return best;
}

/* Make the least-erased free sector the head. It joins the log when the
 * batch writes its open block. Anything an interrupted operation left in
 * it cannot pass for a record: table entries are sealed with the sector's
 * sequence number, never reused (see nvt_st_load), and writes over old
 * bytes fail their read-back. */
static int open_sector(nvt_store_t *st)
{
    uint32_t best = pick(st, NONE, 0, PICK_OPEN);
    if (best == NONE || st->seq >= NVT_ST_SEQ_MAX) {
        return NVT_E_NO_SPACE;
    }
    st->sec[best].seq = ++st->seq;
    st->head = best;
    st->dp = st->d0;
    st->slot = 0;
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
        int32_t r = room(st);
        uint32_t n = len - done, last = (int32_t)ru(st, n) <= r;
        /* A first fragment that does not fit a head holding records
         * (a continuation has a fresh one: slot 0) splits only if at least
         * two slots' worth of room is left. */
        if (!last && st->slot != 0 && r < 2 * (int32_t)st->a) {
            st->head = NONE;
            continue;
        }
        n = last ? n : (uint32_t)r;
        for (uint32_t i = 0; rc == NVT_OK && i < n; i += k) {
            k = min32(n - i, st->buflen);
            if (data != NULL) {
                memcpy(st->buf, data + done + i, k);
            } else {
                rc = obj_at(st, e, done + i, st->buf, k);
            }
            uint32_t p = ru(st, k);
            memset(st->buf + k, 0xFF, p - k);
            if (rc == NVT_OK) {
                rc = prog(st, st->head * st->ss + st->dp + i, st->buf, p);
            }
        }
        /* type, id, offset / 4, length, data CRC; sealed with the seq */
        uint32_t w[4] = {t0 | (done ? NVT_ST_K_CONT : 0u) | (last ? NVT_ST_T_LAST : 0u) |
                             st->dp << 22,
                         st->dp >> 10 | (done ? n : len) << 8, dcrc, st->sec[st->head].seq};
        if (rc == NVT_OK) {
            rc = put_blk(st, st->head * st->ss + nvt_st_slot(st, st->slot), w, 1);
        }
        st->dp += ru(st, n);
        st->slot++;
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
    for (const nvt_store_entry_t *e = st->idx; rc == NVT_OK && e < st->idx + st->n; e++) {
        if (e->id != skip && touch(st, e, v) != 0) {
            rc = entry(st, e, b);
            if (rc == NVT_OK) {
                rc = append(st, e, NULL, rd(b + 8, 4));
            }
        }
    }
    return rc;
}

/* One batch. First erase every sector but the head (and \p force) whose
 * records are all superseded. Then write a record (object \p id, type \p t,
 * from \p data; T_NONE: none), choosing a sector to collect if it needs
 * new sectors while they are scarce; or collect sector \p force (a log
 * sector, or a free one to erase). Collecting moves the sector's live
 * records (not object \p id: its new version replaces it) to the head. The
 * new sectors join the log (open blocks), and only then is the collected
 * sector erased. The index learns the batch's records by scanning them as
 * a mount would. */
static int batch(nvt_store_t *st, uint32_t id, uint32_t t, const uint8_t *data, uint32_t len,
                 uint32_t force)
{
    nvt_st_scan_t sc = {.apply = 1, .want = NVT_STORE_ID_NONE};
    /* spare: the data room of the free sectors */
    uint32_t h0 = st->head, j0 = st->slot, v = force, spare = 0, big = len, q = st->seq;
    int rc = NVT_OK;
    for (uint32_t s = 0; rc == NVT_OK && s < st->nsec; s++) {
        if (s != h0 && s != v && nvt_st_is_log(st->sec[s].seq) && cost(st, s, NONE) == 0) {
            rc = nvt_st_wipe(st, s);
        }
        spare += is_free(st->sec[s].seq) ? st->c1 : 0u;
    }
    for (uint32_t i = st->n; i-- > 0;) {
        big = LEN(&st->idx[i]) > big ? LEN(&st->idx[i]) : big;
    }
    int32_t r = h0 == NONE ? -1 : room(st); /* (h0 is still the head) */
    if (rc == NVT_OK && v == NONE && (int32_t)ru(st, len) > r) {
        /* New sectors will be opened. With no more free sectors than the
         * largest object spans, the batch must also collect a sector. */
        uint32_t avail = spare + (r > 0 ? (uint32_t)r : 0u) - 2u * st->a;
        v = pick(st, id, avail > ru(st, len) ? avail - ru(st, len) : 0,
                 spare < ru(st, big) + st->c1 ? PICK_ANY : PICK_EMPTY);
        /* Never use the last free sector without collecting one. */
        rc = v == NONE && spare <= ru(st, len) + st->c1 ? NVT_E_NO_SPACE : NVT_OK;
    }
    sc.dend = st->dp;
    /* Nothing goes into the sector being collected. */
    st->head = st->head == v ? NONE : st->head;
    if (rc == NVT_OK && t != T_NONE) {
        nvt_store_entry_t x = {0, len | t << 24, (uint16_t)id, 0};
        rc = append(st, &x, data, nvt_st_crc(0, data, len));
    }
    if (rc == NVT_OK) {
        rc = relocate(st, v, id);
    }
    /* The sectors opened in this batch: every log sector after the highest
     * sequence number in use when it began. */
    q = after(st, q);
    for (uint32_t s = q; rc == NVT_OK && s != NONE; s = after(st, st->sec[s].seq)) {
        uint32_t w[4] = {'n' | 'O' << 8 | 0xFFFF0000u, st->sec[s].seq, st->sec[s].erase, 0};
        rc = put_blk(st, s * st->ss + st->ib, w, 1);
    }
    if (rc == NVT_OK && v != NONE) {
        rc = nvt_st_wipe(st, v);
    }
    /* The batch's records: in the head it started with (if still in the
     * log), then in every newer sector. */
    if (h0 == NONE || !nvt_st_is_log(st->sec[h0].seq)) {
        h0 = q;
        j0 = 0;
    }
    for (; rc == NVT_OK && h0 != NONE; h0 = after(st, st->sec[h0].seq), j0 = 0) {
        rc = nvt_st_scan(st, h0, j0, &sc);
    }
    return rc;
}

/* Collect every sector holding bytes no record accounts for (left by an
 * interrupted write: in a free sector, anything beyond its erase block),
 * or (scrub of \p id) a record of \p id but its current version, or (gc:
 * \p id NONE) garbage. */
static int sweep(nvt_store_t *st, uint32_t id)
{
    nvt_st_scan_t sc;
    int rc = NVT_OK;
    for (uint32_t s = 0; rc == NVT_OK && s < st->nsec; s++) {
        uint32_t q = st->sec[s].seq, from = st->ib, to = st->ss;
        int dirty = 0;
        if (nvt_st_is_log(q)) {
            memset(&sc, 0, sizeof(sc));
            sc.want = id;
            rc = nvt_st_scan(st, s, 0, &sc);
            const nvt_store_entry_t *e = find(st, id);
            /* Entries of \p id but its current version's; without one
             * (gc, or \p id deleted), any garbage. */
            if (e == NULL) {
                dirty = sc.found != 0 || sc.dend - st->d0 + sc.j * st->a > cost(st, s, NONE);
            } else {
                dirty = sc.found > (!IS_TOMB(e) && touch(st, e, s) != 0);
            }
            /* Unaccounted for: from the data's end up to the table, and
             * the slot where the table ended if it reads erased (its end
             * is where slot j - 1 begins). */
            from = sc.dend;
            to = nvt_st_slot(st, sc.j - (sc.end == NVT_ST_B_FF));
        } else if (q != NVT_ST_SEQ_FREE) {
            continue;
        }
        if (rc == NVT_OK && !dirty && to > from) {
            rc = nvt_st_used(st, s * st->ss + from, to - from);
            dirty = rc > 0;
            rc = rc > 0 ? NVT_OK : rc;
        }
        if (rc == NVT_OK && dirty) {
            rc = batch(st, NVT_STORE_ID_NONE, T_NONE, NULL, 0, s);
        }
    }
    return rc;
}

/* ---- operations ------------------------------------------------------- */

static uint32_t lg(uint32_t x)
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
    st->fl = cfg->flash;
    st->idx = cfg->index;
    st->sec = cfg->sectors;
    st->buf = cfg->scratch;
    st->ss = g->sector_size;
    st->nsec = g->sector_count;
    st->da = u < 4u ? 4u : u;
    st->ib = u < 16u ? 16u : u;
    st->a = st->ib + st->da;
    st->d0 = st->ib + st->a;
    st->c1 = st->ss - st->a - st->d0;
    st->geo = lg(st->ss) | lg(u) << 8 | st->nsec << 16;
    st->head = st->bad = NONE;
    st->buflen = (uint32_t)cfg->scratch_len & (0u - st->da);
    st->cap = (uint32_t)(cfg->index_len / sizeof(nvt_store_entry_t));
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
    memset(st->sec, 0, NVT_STORE_SECTORS_BYTES(st->nsec));
    (void)nvt_st_load(st);
    st->n = 0;
    for (uint32_t s = 0; rc == NVT_OK && s < st->nsec; s++) {
        rc = nvt_st_used(st, s * st->ss, st->ss);
        rc = rc >= 0 ? wipe(st, s, (uint32_t)rc) : rc;
    }
    rc = rc == NVT_OK ? nvt_flash_sync(st->fl) : rc;
    st->state = rc == NVT_OK;
    return rc == NVT_ST_DAMAGED ? NVT_E_IO : rc;
}

/* Capacity: the data room of all sectors but two (of two: half of one), so
 * that garbage collection always finds room to work in. */
static uint32_t capacity(const nvt_store_t *st)
{
    return st->nsec > 2u ? (st->nsec - 2u) * st->c1 : st->c1 / 2u;
}

/* Largest object: half the capacity, so it can always be replaced. */
static uint32_t max_obj(const nvt_store_t *st)
{
    return min32(capacity(st) / 2u, 0xFFFFFFu);
}

/* Bytes an object of \p len bytes takes: data and table entries. */
static uint32_t footprint(const nvt_store_t *st, uint32_t len)
{
    uint32_t n = ru(st, len);
    return n + (n / st->c1 + 1u) * st->a;
}

/* Room left for object data: the capacity less what the objects other than
 * \p skip take (may be negative after a change of geometry rules). */
static int32_t room_left(const nvt_store_t *st, uint32_t skip)
{
    int32_t left = (int32_t)capacity(st);
    for (uint32_t i = 0; i < st->n; i++) {
        left -= st->idx[i].id == skip ? 0 : (int32_t)footprint(st, LEN(&st->idx[i]));
    }
    return left;
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
        for (uint32_t s = 0; rc == NVT_OK && s < st->nsec; s++) {
            rc = st->sec[s].seq == NVT_ST_SEQ_DIRTY ? nvt_st_wipe(st, s) : NVT_OK;
        }
        const nvt_store_entry_t *e = find(st, id);
        uint32_t live = e != NULL && !IS_TOMB(e);
        if (rc != NVT_OK || done) {
            /* A retry after the record was committed: only what follows. */
        } else if (del && !live) {
            /* Not found, yet a delete cut short may have left pieces of the
             * object (even sensitive ones): collect them. */
            rc = sweep(st, id);
            rc = rc == NVT_OK ? NVT_E_NOT_FOUND : rc;
        } else if (len > max_obj(st)) {
            rc = NVT_E_TOO_LARGE;
        } else if ((int32_t)footprint(st, len) > room_left(st, id)) {
            rc = NVT_E_NO_SPACE;
        } else if (e == NULL && st->n >= st->cap) {
            /* Tombstones hold slots while older versions exist: collect
             * those, then re-read (which drops tombstones hiding nothing)
             * and try again. */
            uint32_t tombs = 0;
            for (uint32_t i = 0; i < st->n; i++) {
                tombs |= IS_TOMB(&st->idx[i]);
            }
            rc = tries == 0 && tombs ? sweep(st, NONE) : NVT_E_INDEX_FULL;
            rc = rc == NVT_OK ? NVT_ST_DAMAGED : rc;
        } else {
            sens |= live ? TYP(e) & NVT_ST_T_SENS : 0u;
            rc = batch(st, id, t | (del ? sens : 0u), data, len, NONE);
            done = rc == NVT_OK;
        }
        if (rc == NVT_OK && (t == T_NONE || sens)) {
            rc = sweep(st, t == T_NONE ? NONE : id);
        }
        if (rc != NVT_OK) {
            st->state = 2;
        }
        if (rc != NVT_ST_DAMAGED || tries > st->nsec) {
            break;
        }
    }
    rc = rc == NVT_OK ? nvt_flash_sync(st->fl) : rc;
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
        *e = find(st, id);
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
        rc = nvt_st_obj(st, e, (uint32_t)offset, buf, n);
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
    for (uint32_t i = 0; rc == NVT_OK && i < st->n; i++) {
        uint32_t id = st->idx[i].id;
        if (!IS_TOMB(&st->idx[i]) && id >= ((after_id + 1u) & 0xFFFFu) && id < best) {
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
    int32_t left = room_left(st, NONE);
    stats->objects = stats->live_bytes = 0;
    for (uint32_t i = 0; i < st->n; i++) {
        const nvt_store_entry_t *e = &st->idx[i];
        if (!IS_TOMB(e)) {
            stats->objects++;
            stats->live_bytes += LEN(e);
        }
    }
    stats->sectors = st->nsec;
    stats->max_object = max_obj(st);
    stats->capacity = capacity(st);
    stats->free = left > 0 ? (uint32_t)left : 0u;
    stats->erase_max = wear(st, &stats->erase_min);
    return NVT_OK;
}

int nvt_store_erase_count(nvt_store_t *st, uint32_t sector, uint32_t *count)
{
    int rc = count == NULL ? NVT_E_INVALID : ready(st);
    rc = rc == NVT_OK && sector >= st->nsec ? NVT_E_INVALID : rc;
    if (rc == NVT_OK) {
        *count = st->sec[sector].erase;
    }
    return rc;
}
