/* Bit-flip sweep of the object store (issue 18, docs/DESIGN.md "Bit
 * flips"): one flipped bit in any byte the store wrote loses at most the
 * object whose data it hit.
 *
 * The image: the seed set (1700, 1200, 1200 sensitive, 240, 91 and 1000
 * bytes), the 1200-byte certificate replaced R times, the 91-byte object
 * deleted and made again: several sectors, chains, superseded records,
 * garbage. "Bytes the store wrote" are the bytes of every program unit the
 * flash simulator saw programmed: blocks, marks, data, padding.
 *
 * For each flip (every bit of every such byte, or --sample N random ones):
 * - mount succeeds; every object whose data the flip did not hit reads
 *   exactly; the one it hit, if any, reads exactly or NVT_E_CORRUPT, never
 *   other bytes;
 * - fsck names the hit object as lost (NVT_STORE_FINDING_CORRUPT with its
 *   id) and no other, and loses no record;
 * - the next write (a replacement of the certificate) repairs: afterwards
 *   fsck finds no corrected block and every object reads as before (one in
 *   --repair-every flips; with --cuts, a power cut at each flash operation
 *   of that repairing write, then mount, check, write again, check).
 * Double flips (--double N): two random bytes in different structures (a
 * block, an object's data, anything else), one bit each; the same checks
 * for the objects neither hit.
 *
 * usage: bitflip --geometry COUNTxSIZE --unit U [--reps R] [--sample N]
 *                [--double N] [--repair-every K] [--cuts K] [--seed S]
 *                [--quiet]
 * Prints one summary line; exit status 0 only if no check failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

#define MAX_REGION (64u * 1024u)
#define MAX_SECTORS 256u
#define NOBJ 6

static const uint32_t lens[NOBJ] = {1700, 1200, 1200, 240, 91, 1000};

typedef struct {
    nvt_flash_ram_t ram;
    nvt_store_t st;
    nvt_store_entry_t idx[16];
    nvt_store_sector_t sec[MAX_SECTORS];
    uint32_t ver[NOBJ];
} state_t;

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(MAX_REGION, 1, 1) / 4u + MAX_SECTORS];
static uint32_t mem_image[sizeof(mem) / 4u];
static uint8_t scratch[128];
static state_t cur, image;
static nvt_store_config_t cfg;
static size_t mem_len;

/* What each written byte belongs to: the live object whose data it is
 * (0..NOBJ-1), NOBJ (anything else the store wrote), or OWNER_NONE. */
#define OWNER_NONE 0xFFFFFFFFu
static uint32_t owner[MAX_REGION];
static uint32_t written[MAX_REGION], nwritten;

static struct {
    uint32_t count, size, unit, reps, sample, doubles, repair_every, cuts, seed, quiet;
} opt;

static uint32_t flips, doubles, repairs, cut_points, failed;
static uint8_t data[4096], out[4096];

static void fill(uint32_t o, uint32_t v)
{
    for (uint32_t i = 0; i < lens[o]; i++) {
        uint32_t x = (o + 1u) * 2654435761u ^ v * 40503u ^ i * 2246822519u;
        x ^= x >> 13;
        data[i] = (uint8_t)(x * 0x5bd1e995u >> 24);
    }
}

static uint32_t rng = 1;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng % n;
}

static void restore(void)
{
    cur = image;
    memcpy(mem, mem_image, mem_len);
}

static int bad(const char *what, uint32_t a, uint32_t bit)
{
    if (!opt.quiet) {
        fprintf(stderr, "flip of bit %u at %u (owner %d): %s\n", (unsigned)bit, (unsigned)a,
                (int)owner[a], what);
    }
    failed++;
    return 1;
}

/* Mount and read every object: hit objects (bit i of \p hit) exact or
 * NVT_E_CORRUPT, others exact. */
static int check(uint32_t hit, uint32_t a, uint32_t bit)
{
    nvt_flash_ram_power_on(&cur.ram);
    if (nvt_store_mount(&cur.st, &cfg) != NVT_OK) {
        return bad("mount", a, bit);
    }
    for (uint32_t o = 0; o < NOBJ; o++) {
        size_t n = 0;
        int rc = nvt_store_get(&cur.st, (nvt_store_id_t)(o + 1), out, sizeof(out), &n);
        fill(o, cur.ver[o]);
        int exact = rc == NVT_OK && n == lens[o] && memcmp(out, data, n) == 0;
        if (!exact && !((hit >> o & 1u) && rc == NVT_E_CORRUPT)) {
            return bad(rc == NVT_OK ? "object reads other bytes" : "object lost", a, bit);
        }
    }
    return 0;
}

/* fsck's findings, gathered. */
static uint32_t corrupt_ids, lost_records;

static void finding(void *ctx, const nvt_store_finding_t *f)
{
    (void)ctx;
    if (f->kind == NVT_STORE_FINDING_CORRUPT && f->id >= 1 && f->id <= NOBJ) {
        corrupt_ids |= 1u << (f->id - 1u);
    }
    lost_records += f->kind == NVT_STORE_FINDING_LOST ? f->count : 0u;
}

/* fsck names exactly the hit objects that read corrupt, loses no record;
 * (after a repair) finds no corrected block. */
static int fsck_check(uint32_t hit, int repaired, uint32_t a, uint32_t bit)
{
    nvt_store_fsck_report_t r;
    corrupt_ids = lost_records = 0;
    int rc = nvt_store_fsck(&cur.st, 0, &r, finding, NULL);
    if (rc != NVT_OK && rc != NVT_E_CORRUPT) {
        return bad("fsck failed", a, bit);
    }
    if ((corrupt_ids & ~hit) != 0 || lost_records != 0 || r.records_lost != 0) {
        return bad("fsck reports a loss the flip did not cause", a, bit);
    }
    if (repaired && r.blocks_corrected != 0) {
        return bad("a corrected block is left after the repairing write", a, bit);
    }
    return 0;
}

/* The repairing write: the certificate replaced; then everything as
 * before but the certificate (new) and the hit objects. */
static int repair(uint32_t hit, uint32_t a, uint32_t bit)
{
    fill(1, 9999);
    if (nvt_store_put(&cur.st, 2, data, lens[1], 0) != NVT_OK) {
        return bad("repairing write failed", a, bit);
    }
    cur.ver[1] = 9999;
    repairs++;
    return check(hit & ~2u, a, bit) || fsck_check(hit & ~2u, 1, a, bit);
}

/* A power cut at each flash operation of the repairing write (from the
 * flipped image in mem/cur, saved in the arguments). */
static int repair_with_cuts(uint32_t hit, uint32_t a, uint32_t bit)
{
    static uint32_t flipped[sizeof(mem) / 4u];
    static state_t before;
    memcpy(flipped, mem, mem_len);
    before = cur;
    uint32_t ops0 = cur.ram.counters.ops;
    fill(1, 9999);
    (void)nvt_store_put(&cur.st, 2, data, lens[1], 0);
    uint32_t n = cur.ram.counters.ops - ops0;
    for (uint32_t c = 1; c <= n; c++) {
        cur = before;
        memcpy(mem, flipped, mem_len);
        nvt_flash_ram_seed(&cur.ram, c * 977u + a);
        nvt_flash_ram_cut_at(&cur.ram, c, NVT_FLASH_RAM_CUT_TORN);
        fill(1, 9999);
        int rc = nvt_store_put(&cur.st, 2, data, lens[1], 0);
        cut_points++;
        nvt_flash_ram_power_on(&cur.ram);
        if (rc != NVT_E_POWER_LOST && rc != NVT_OK) {
            return bad("repairing write failed under a cut", a, bit);
        }
        /* The certificate old or new: find out by reading it. */
        if (nvt_store_mount(&cur.st, &cfg) != NVT_OK) {
            return bad("mount after a cut in the repair", a, bit);
        }
        size_t len = 0;
        fill(1, 9999);
        if (nvt_store_get(&cur.st, 2, out, sizeof(out), &len) == NVT_OK && len == lens[1] &&
            memcmp(out, data, len) == 0) {
            cur.ver[1] = 9999;
        }
        if (check(hit, a, bit) || repair(hit, a, bit)) {
            return 1;
        }
    }
    return 0;
}

static void single_flip(uint32_t a, uint32_t bit, int with_repair)
{
    restore();
    cur.ram.bytes[a] ^= (uint8_t)(1u << bit);
    flips++;
    uint32_t hit = owner[a] < NOBJ ? 1u << owner[a] : 0u;
    if (check(hit, a, bit) || fsck_check(hit, 0, a, bit)) {
        return;
    }
    if (with_repair) {
        if (opt.cuts != 0 && repairs % opt.cuts == 0) {
            (void)repair_with_cuts(hit, a, bit);
        } else {
            (void)repair(hit, a, bit);
        }
    }
}

/* The structure byte a belongs to: its sector's erase or open block, an
 * object's data, or (anything else) the table slot its place would be. */
static uint32_t structure(uint32_t a)
{
    uint32_t ib = opt.unit < 16 ? 16 : opt.unit, da = opt.unit < 4 ? 4 : opt.unit;
    uint32_t s = a / opt.size, off = a % opt.size;
    if (owner[a] < NOBJ) {
        return 0x80000000u | owner[a];
    }
    return s << 16 | (off < ib ? 0u : off < 2u * ib + da ? 1u : 2u + (opt.size - 1u - off) / (ib + da));
}

static void double_flip(uint32_t a, uint32_t b, uint32_t bits)
{
    restore();
    cur.ram.bytes[a] ^= (uint8_t)(1u << (bits & 7u));
    cur.ram.bytes[b] ^= (uint8_t)(1u << (bits >> 3 & 7u));
    doubles++;
    uint32_t hit = (owner[a] < NOBJ ? 1u << owner[a] : 0u) | (owner[b] < NOBJ ? 1u << owner[b] : 0u);
    if (!check(hit, a, bits) && !fsck_check(hit, 0, a, bits)) {
        (void)repair(hit, a, bits);
    }
}

/* The image and what each written byte belongs to. */
static int build(void)
{
    if (nvt_store_format(&cur.st, &cfg) != NVT_OK) {
        return -1;
    }
    for (uint32_t o = 0; o < NOBJ; o++) {
        fill(o, 1);
        cur.ver[o] = 1;
        if (nvt_store_put(&cur.st, (nvt_store_id_t)(o + 1), data, lens[o],
                          o == 2 ? NVT_STORE_SENSITIVE : 0) != NVT_OK) {
            return -1;
        }
    }
    for (uint32_t v = 2; v <= opt.reps + 1; v++) {
        fill(1, v);
        cur.ver[1] = v;
        if (nvt_store_put(&cur.st, 2, data, lens[1], 0) != NVT_OK) {
            return -1;
        }
        if (v == opt.reps / 2) {
            fill(4, 1);
            if (nvt_store_delete(&cur.st, 5) != NVT_OK ||
                nvt_store_put(&cur.st, 5, data, lens[4], 0) != NVT_OK) {
                return -1;
            }
        }
    }
    if (nvt_store_mount(&cur.st, &cfg) != NVT_OK) {
        return -1;
    }
    /* Written bytes: programmed units. Owners: live data by object, found
     * as docs/FORMAT.md lays fragments out (first fragment from its offset
     * up to its entry; continuations at D0 of the next log sectors, each
     * up to slot 0). */
    uint32_t size = opt.size * opt.count;
    uint32_t ib = opt.unit < 16 ? 16 : opt.unit, da = opt.unit < 4 ? 4 : opt.unit;
    uint32_t a_ = ib + da, d0 = ib + a_;
    for (uint32_t a = 0; a < size; a++) {
        owner[a] = cur.ram.units[a / opt.unit] == NVT_FLASH_RAM_PROGRAMMED ? NOBJ : OWNER_NONE;
    }
    for (uint32_t i = 0; i < cur.st.used; i++) {
        const nvt_store_entry_t *e = &cur.idx[i];
        uint32_t o = e->id - 1u, len = e->lt & 0xFFFFFFu, s = e->addr / opt.size;
        uint32_t at = s * opt.size + e->off * 4u, n = e->addr - at < len ? e->addr - at : len;
        if (o >= NOBJ || (e->lt >> 24 & 0x18u) == 0x10u) {
            continue;
        }
        for (uint32_t done = 0;;) {
            for (uint32_t k = 0; k < n; k++) {
                owner[at + k] = o;
            }
            done += n;
            if (done >= len) {
                break;
            }
            /* the next log sector */
            uint32_t next = MAX_SECTORS;
            for (uint32_t t = 0; t < opt.count; t++) {
                uint32_t q = cur.sec[t].seq;
                if (q - 1u < 0x7FFFFFF0u && q > cur.sec[s].seq &&
                    (next == MAX_SECTORS || q < cur.sec[next].seq)) {
                    next = t;
                }
            }
            if (next == MAX_SECTORS) {
                return -1;
            }
            s = next;
            at = s * opt.size + d0;
            n = len - done < opt.size - a_ - d0 ? len - done : opt.size - a_ - d0;
        }
    }
    nwritten = 0;
    for (uint32_t a = 0; a < size; a++) {
        if (owner[a] != OWNER_NONE) {
            written[nwritten++] = a;
        }
    }
    image = cur;
    memcpy(mem_image, mem, mem_len);
    return 0;
}

static int parse(int argc, char **argv)
{
    opt.unit = 8;
    opt.reps = 20;
    opt.repair_every = 1;
    opt.seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        uint32_t *num = strcmp(a, "--unit") == 0           ? &opt.unit
                        : strcmp(a, "--reps") == 0         ? &opt.reps
                        : strcmp(a, "--sample") == 0       ? &opt.sample
                        : strcmp(a, "--double") == 0       ? &opt.doubles
                        : strcmp(a, "--repair-every") == 0 ? &opt.repair_every
                        : strcmp(a, "--cuts") == 0         ? &opt.cuts
                        : strcmp(a, "--seed") == 0         ? &opt.seed
                                                           : NULL;
        if (strcmp(a, "--geometry") == 0) {
            if (sscanf(v, "%ux%u", (unsigned *)&opt.count, (unsigned *)&opt.size) != 2) {
                return 1;
            }
            i++;
        } else if (num != NULL) {
            *num = (uint32_t)atoi(v);
            i++;
        } else if (strcmp(a, "--quiet") == 0) {
            opt.quiet = 1;
        } else {
            return 1;
        }
    }
    return opt.count == 0 || opt.size * opt.count > MAX_REGION || opt.count > MAX_SECTORS ||
           opt.repair_every == 0;
}

int main(int argc, char **argv)
{
    if (parse(argc, argv)) {
        fprintf(stderr, "usage: bitflip --geometry COUNTxSIZE --unit U [--reps R] [--sample N] "
                        "[--double N] [--repair-every K] [--cuts K] [--seed S] [--quiet]\n");
        return 2;
    }
    nvt_flash_geometry_t geo = {opt.size, opt.count, opt.unit};
    mem_len = NVT_FLASH_RAM_MEM_BYTES(opt.size, opt.count, opt.unit);
    if (nvt_flash_ram_init(&cur.ram, &geo, mem, sizeof(mem), 0, 1) != NVT_OK) {
        fprintf(stderr, "bad geometry\n");
        return 2;
    }
    cfg = (nvt_store_config_t){&cur.ram.flash, cur.idx, sizeof(cur.idx), cur.sec, sizeof(cur.sec),
                               scratch, sizeof(scratch)};
    if (build() != 0) {
        fprintf(stderr, "building the image failed\n");
        return 2;
    }
    rng = opt.seed * 2654435761u + 1u;
    if (opt.sample == 0) {
        for (uint32_t i = 0; i < nwritten; i++) {
            for (uint32_t bit = 0; bit < 8; bit++) {
                single_flip(written[i], bit, (i * 8u + bit) % opt.repair_every == 0);
            }
        }
    } else {
        for (uint32_t i = 0; i < opt.sample; i++) {
            single_flip(written[rnd(nwritten)], rnd(8), i % opt.repair_every == 0);
        }
    }
    for (uint32_t i = 0; i < opt.doubles; i++) {
        uint32_t a = written[rnd(nwritten)], b = written[rnd(nwritten)];
        if (structure(a) == structure(b)) {
            i--; /* the same structure: not what this checks */
            continue;
        }
        double_flip(a, b, rnd(64));
    }
    printf("bitflip %ux%u unit %u: %u bytes written, %u single flips, %u double flips, "
           "%u repairing writes, %u cuts in repairs, %u failed\n",
           (unsigned)opt.count, (unsigned)opt.size, (unsigned)opt.unit, (unsigned)nwritten,
           (unsigned)flips, (unsigned)doubles, (unsigned)repairs, (unsigned)cut_points,
           (unsigned)failed);
    return failed != 0;
}
