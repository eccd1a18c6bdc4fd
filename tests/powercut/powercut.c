/* Exhaustive power-cut sweep of the object store.
 *
 * Workload families (--family):
 * - seed (PRODUCT.md): six objects of 1700, 1200, 1200 (sensitive), 240
 *   (sensitive), 91 and 1000 bytes; the 1200-byte certificate replaced R
 *   times; the sensitive key replaced once; the 240-byte key deleted and, a
 *   quarter of the replacements later, created again; the 91-byte object
 *   (not sensitive) deleted early and created again near the end;
 * - plain: the same six objects, none sensitive, the certificate replaced R
 *   times, no delete;
 * - each: the seed set, each object replaced in turn, R replacements in all;
 * - random: eight ids, R operations: a new object or a new size (50 B to
 *   3 kB, the live data within the seed set's 5431 bytes), a replacement of
 *   the same size, or a delete, a quarter of the puts sensitive. A new size
 *   the capacity rule refuses (NVT_E_NO_SPACE, nothing written) is skipped;
 *   every 8 operations the store is mounted again and checked.
 *
 * Before each operation of the workload the whole state (simulated flash,
 * store, model) is saved. The operation is then replayed once for every
 * flash operation it performs, with a power cut at that operation (mode
 * not-done, done or torn; optionally strict ECC flash and unstable reads).
 * After each cut: power on, mount, and check every object against the
 * model: an interrupted operation leaves its object old-or-new, everything
 * else exactly as it was. Then the recovery path: the next operation of the
 * workload (or, after a cut in a sensitive operation, that operation again,
 * as an application would retry it) is run with a second cut at several of
 * its flash operations (the first ones, where recovery happens, the last,
 * and one chosen at random), each followed by mount and check; and once
 * without a cut, after which its object must be exact (and, if sensitive,
 * scrubbed of every older version, torn leftovers included). The sweep then continues from the
 * uninterrupted run. Uninterrupted runs must program no unit twice, and
 * every sensitive put or delete must leave no 8-byte piece of the object's
 * old versions anywhere in the region.
 *
 * usage: powercut --geometry COUNTxSIZE --unit U --mode notdone|done|torn
 *                 [--family seed|plain|each|random] [--strict] [--unstable]
 *                 [--reps R] [--from N] [--count M] [--second K] [--quiet]
 * Cuts are numbered over the whole workload from 1; --from/--count select a
 * slice (for ctest). --second K: second cuts at the first K operations of
 * the recovery path (plus the last and a random one). Prints one summary
 * line; exit status 0 only if no check failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

#define MAX_REGION (64u * 1024u)
#define MAX_SECTORS 256u
#define NOBJ 8
#define MAXV 4 /* acceptable versions per object */
#define MAXOPS 4096u

/* The objects' ids, and the seed set's lengths and flags. */
static const uint16_t ids[NOBJ] = {1, 2, 3, 4, 5, 6, 7, 8};
static const uint32_t seed_len[6] = {1700, 1200, 1200, 240, 91, 1000};
static const unsigned seed_flags[6] = {0, 0, NVT_STORE_SENSITIVE, NVT_STORE_SENSITIVE, 0, 0};

/* Every version the workload writes: its object, length and flags. Version
 * numbers are unique over the workload; 0 stands for "absent". */
static struct {
    uint8_t o;
    uint16_t len;
    unsigned flags;
} vers[MAXOPS + 1];
static uint32_t nvers;

/* One step of the workload: put version v of object o, or delete it (v 0). */
typedef struct {
    uint8_t o;
    uint16_t v;
} op_t;

/* What each object may read as: up to MAXV versions (0: absent). */
typedef struct {
    uint16_t v[NOBJ][MAXV];
    uint8_t n[NOBJ];
} model_t;

/* Everything a cut can be undone to. */
typedef struct {
    nvt_flash_ram_t ram;
    nvt_store_t st;
    nvt_store_entry_t idx[16];
    nvt_store_sector_t sec[MAX_SECTORS];
    model_t m;
} state_t;

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(MAX_REGION, 1, 1) / 4u + MAX_SECTORS];
static uint8_t scratch[128];
static state_t cur; /* the live state; the store's buffers are its arrays */
static nvt_store_config_t cfg;
static size_t mem_len;

enum { F_SEED, F_PLAIN, F_EACH, F_RANDOM, FAMILIES };
static const char *const family_names[FAMILIES] = {"seed", "plain", "each", "random"};

static struct {
    uint32_t count, size, unit, flags, reps, from, cnt, second, quiet;
    int family;
    nvt_flash_ram_cut_t mode;
} opt;

static uint32_t tried, failed, seconds;
static const char *fail_what;

/* Snapshots: the state, and the flash contents. */
typedef struct {
    state_t s;
    uint32_t mem[sizeof(mem) / 4u];
} snap_t;
static snap_t snap_op, snap_cut;

static void save(snap_t *x)
{
    x->s = cur;
    memcpy(x->mem, mem, mem_len);
}

static void restore(const snap_t *x)
{
    cur = x->s;
    memcpy(mem, x->mem, mem_len);
}

static uint8_t obj_byte(uint32_t o, uint32_t v, uint32_t i)
{
    uint32_t x = (o + 1u) * 2654435761u ^ v * 40503u ^ i * 2246822519u;
    x ^= x >> 13;
    x *= 0x5bd1e995u;
    return (uint8_t)(x ^ (x >> 15));
}

static uint8_t data[8192], out[8192];

/* The bytes of version v (of its object). */
static void fill(uint32_t v)
{
    for (uint32_t i = 0; i < vers[v].len; i++) {
        data[i] = obj_byte(vers[v].o, v, i);
    }
}

static int run(op_t op)
{
    if (op.v == 0) {
        return nvt_store_delete(&cur.st, ids[op.o]);
    }
    fill(op.v);
    return nvt_store_put(&cur.st, ids[op.o], data, vers[op.v].len, vers[op.v].flags);
}

static void model_set(model_t *m, uint32_t o, uint16_t v)
{
    m->v[o][0] = v;
    m->n[o] = 1;
}

/* The object written by an interrupted op may also read as its new value. */
static void model_add(model_t *m, uint32_t o, uint16_t v)
{
    for (uint32_t i = 0; i < m->n[o]; i++) {
        if (m->v[o][i] == v) {
            return;
        }
    }
    if (m->n[o] < MAXV) {
        m->v[o][m->n[o]++] = v;
    }
}

static int fail(const char *what)
{
    fail_what = what;
    return 1;
}

/* Mount and compare every object with the model. */
static int check(const model_t *m)
{
    nvt_flash_ram_power_on(&cur.ram);
    memset(&cur.st, 0x5A, sizeof(cur.st));
    int rc = nvt_store_mount(&cur.st, &cfg);
    if (rc != NVT_OK) {
        return fail("mount");
    }
    for (uint32_t o = 0; o < NOBJ; o++) {
        size_t n = 0;
        rc = nvt_store_get(&cur.st, ids[o], out, sizeof(out), &n);
        int ok = 0;
        for (uint32_t i = 0; i < m->n[o] && !ok; i++) {
            uint16_t v = m->v[o][i];
            if (v == 0) {
                ok = rc == NVT_E_NOT_FOUND;
            } else if (rc == NVT_OK && n == vers[v].len) {
                fill(v);
                ok = memcmp(out, data, n) == 0;
            }
        }
        if (!ok) {
            if (!opt.quiet) {
                fprintf(stderr, "object %u: get %d, %u acceptable:", (unsigned)ids[o], rc,
                        (unsigned)m->n[o]);
                for (uint32_t i = 0; i < m->n[o]; i++) {
                    fprintf(stderr, " v%u", (unsigned)m->v[o][i]);
                }
                for (uint32_t v = 1; rc == NVT_OK && v <= nvers; v++) {
                    fill(v);
                    if (vers[v].o == o && vers[v].len == n && memcmp(out, data, n) == 0) {
                        fprintf(stderr, " (reads v%u)", (unsigned)v);
                    }
                }
                fprintf(stderr, "\n");
            }
            if (getenv("PC_DUMP")) {
                uint32_t a = opt.unit < 16 ? 16 : opt.unit;
                a += opt.unit < 4 ? 4 : opt.unit;
                for (uint32_t s = 0; s < opt.count; s++) {
                    const uint8_t *b = cur.ram.bytes + s * opt.size;
                    uint32_t ib = opt.unit < 16 ? 16 : opt.unit;
                    fprintf(stderr, "s%-2u seq %08x O %02x%02x:", (unsigned)s,
                            (unsigned)cur.sec[s].seq, b[ib], b[ib + 1]);
                    for (uint32_t j = 0; (j + 1) * a <= opt.size - 2 * ib; j++) {
                        const uint8_t *e = b + opt.size - (j + 1) * a;
                        if (e[0] == 0xFF) {
                            break;
                        }
                        fprintf(stderr, " [t%02x id%u off%u len%u]", e[0], e[1] | e[2] << 8,
                                (e[3] | e[4] << 8) * 4, e[5] | e[6] << 8 | e[7] << 16);
                    }
                    fprintf(stderr, "\n");
                }
            }
            return fail(rc == NVT_E_CORRUPT ? "object corrupt" : "object neither old nor new");
        }
    }
    nvt_store_id_t id = NVT_STORE_ID_NONE, next;
    uint32_t seen = 0;
    while (nvt_store_next(&cur.st, id, &next) == NVT_OK) {
        id = next;
        seen++;
    }
    uint32_t live = 0;
    for (uint32_t o = 0; o < NOBJ; o++) {
        size_t n;
        live += nvt_store_size(&cur.st, ids[o], &n, NULL) == NVT_OK;
    }
    if (seen != live) {
        return fail("iteration");
    }
    return 0;
}

/* No 8-byte piece of a version of object o older than the op's (the
 * ops up to k) is left. */
static int scrubbed(const op_t *ops, uint32_t k)
{
    uint32_t size = opt.size * opt.count, o = ops[k].o;
    for (uint32_t j = 0; j < k; j++) {
        uint16_t v = ops[j].v;
        if (ops[j].o != o || v == 0 || v == ops[k].v) {
            continue;
        }
        fill(v);
        for (uint32_t i = 0; i + 8 <= vers[v].len; i += 8) {
            for (uint32_t a = 0; a + 8 <= size; a++) {
                if (cur.ram.bytes[a] == data[i] && memcmp(cur.ram.bytes + a, data + i, 8) == 0) {
                    if (!opt.quiet) {
                        fprintf(stderr, "version %u byte %u at %u\n", (unsigned)v, (unsigned)i,
                                (unsigned)a);
                    }
                    return fail("sensitive bytes left");
                }
            }
        }
    }
    return 0;
}

/* Whether op k scrubs its object: it, or the version it replaces, is
 * sensitive (store.h, NVT_STORE_SENSITIVE). */
static int scrubs(const op_t *ops, uint32_t k)
{
    uint16_t before = 0;
    for (uint32_t j = 0; j < k; j++) {
        before = ops[j].o == ops[k].o ? ops[j].v : before;
    }
    return ((ops[k].v != 0 ? vers[ops[k].v].flags : 0u) |
            (before != 0 ? vers[before].flags : 0u)) &
           NVT_STORE_SENSITIVE;
}

static uint32_t hash(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    return x ^ (x >> 16);
}

/* The model after op completes. */
static void apply(model_t *m, op_t op)
{
    model_set(m, op.o, op.v);
}

/* Run op with a cut at its n-th flash operation (from the state in cur);
 * returns nonzero if the check after the cut fails. */
static int cut_once(op_t op, uint32_t n, uint32_t salt, model_t *m)
{
    nvt_flash_ram_seed(&cur.ram, hash(n * 7919u + salt));
    nvt_flash_ram_cut_at(&cur.ram, n, opt.mode);
    int rc = run(op);
    if (!nvt_flash_ram_power_lost(&cur.ram)) {
        /* The op finished before its n-th flash operation: no cut. */
        nvt_flash_ram_cut_at(&cur.ram, 0, opt.mode);
        if (rc == NVT_OK) {
            apply(m, op);
        } else if (!opt.quiet) {
            fprintf(stderr, "op finished early with %d\n", rc);
        }
        return check(m);
    }
    model_add(m, op.o, op.v);
    return check(m);
}

static void sweep(const op_t *ops, uint32_t nops)
{
    uint32_t index = 0; /* cut number over the whole workload */
    model_t *m = &cur.m;
    for (uint32_t o = 0; o < NOBJ; o++) {
        model_set(m, o, 0);
    }
    for (uint32_t k = 0; k < nops; k++) {
        save(&snap_op);
        uint32_t before = cur.ram.counters.ops;
        uint32_t twice = cur.ram.counters.programmed_twice + cur.ram.counters.refused;
        int rc = run(ops[k]);
        if (rc == NVT_E_NO_SPACE && opt.family == F_RANDOM &&
            cur.ram.counters.ops == before) {
            /* A new size the capacity rule refuses: nothing written. */
            continue;
        }
        if (rc != NVT_OK) {
            fprintf(stderr, "op %u failed without a cut (%d)\n", (unsigned)k, rc);
            failed++;
            return;
        }
        uint32_t nflash = cur.ram.counters.ops - before;
        if (cur.ram.counters.programmed_twice + cur.ram.counters.refused != twice) {
            fprintf(stderr, "op %u programmed a unit twice\n", (unsigned)k);
            failed++;
        }
        apply(m, ops[k]);
        int sens = scrubs(ops, k);
        if (sens && scrubbed(ops, k)) {
            fprintf(stderr, "op %u: %s\n", (unsigned)k, fail_what);
            failed++;
        }
        if (opt.family == F_RANDOM && k % 8 == 7) {
            /* The model against a mount, also without cuts. */
            if (check(m)) {
                fprintf(stderr, "op %u: %s\n", (unsigned)k, fail_what);
                failed++;
            }
        }
        save(&snap_cut); /* the state after op k, to continue from */
        for (uint32_t n = 1; n <= nflash; n++) {
            index++;
            if (index < opt.from || index - opt.from >= opt.cnt) {
                continue;
            }
            restore(&snap_op);
            tried++;
            model_t m1 = snap_op.s.m;
            if (cut_once(ops[k], n, opt.mode, &m1)) {
                fprintf(stderr, "cut %u (op %u, flash op %u/%u): %s\n", (unsigned)index,
                        (unsigned)k, (unsigned)n, (unsigned)nflash, fail_what);
                failed++;
                continue;
            }
            if (!sens && k + 1 >= nops) {
                continue;
            }
            /* Recovery: the next op (or this one again), with second cuts. */
            uint32_t rk = sens ? k : k + 1;
            op_t rop = ops[rk];
            static snap_t s2;
            cur.m = m1;
            save(&s2);
            uint32_t b2 = cur.ram.counters.ops;
            rc = run(rop);
            uint32_t r = cur.ram.counters.ops - b2;
            model_t m2 = m1;
            if (rc == NVT_OK || (rc == NVT_E_NOT_FOUND && rop.v == 0)) {
                apply(&m2, rop);
            } else if (!(rc == NVT_E_NO_SPACE && opt.family == F_RANDOM && r == 0)) {
                fprintf(stderr, "cut %u: recovery op failed (%d)\n", (unsigned)index, rc);
                failed++;
                continue;
            }
            if (rc == NVT_OK && scrubs(ops, rk) && scrubbed(ops, rk)) {
                fprintf(stderr, "cut %u (op %u: object %u v%u, flash op %u): after retry: %s\n",
                        (unsigned)index, (unsigned)k, (unsigned)ids[rop.o], (unsigned)rop.v,
                        (unsigned)n, fail_what);
                failed++;
            }
            if (check(&m2)) {
                fprintf(stderr, "cut %u: after recovery: %s\n", (unsigned)index, fail_what);
                failed++;
            }
            for (uint32_t d = 1; d <= r; d++) {
                if (!(d <= opt.second || d == r || d == hash(index) % r + 1)) {
                    continue;
                }
                restore(&s2);
                seconds++;
                model_t m3 = m1;
                if (cut_once(rop, d, opt.mode + 7u, &m3)) {
                    fprintf(stderr, "cut %u (op %u), second cut %u/%u: %s\n", (unsigned)index,
                            (unsigned)k, (unsigned)d, (unsigned)r, fail_what);
                    failed++;
                }
            }
        }
        restore(&snap_cut);
    }
}

static int parse(int argc, char **argv)
{
    opt.unit = 8;
    opt.reps = 60;
    opt.from = 1;
    opt.cnt = 0xFFFFFFFFu;
    opt.second = 2;
    opt.mode = NVT_FLASH_RAM_CUT_TORN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
        if (strcmp(a, "--geometry") == 0) {
            if (sscanf(v, "%ux%u", (unsigned *)&opt.count, (unsigned *)&opt.size) != 2) {
                return 1;
            }
            i++;
        } else if (strcmp(a, "--unit") == 0) {
            opt.unit = (uint32_t)atoi(v), i++;
        } else if (strcmp(a, "--reps") == 0) {
            opt.reps = (uint32_t)atoi(v), i++;
        } else if (strcmp(a, "--from") == 0) {
            opt.from = (uint32_t)atoi(v), i++;
        } else if (strcmp(a, "--count") == 0) {
            opt.cnt = (uint32_t)atoi(v), i++;
        } else if (strcmp(a, "--second") == 0) {
            opt.second = (uint32_t)atoi(v), i++;
        } else if (strcmp(a, "--mode") == 0) {
            opt.mode = strcmp(v, "notdone") == 0 ? NVT_FLASH_RAM_CUT_NOT_DONE
                       : strcmp(v, "done") == 0  ? NVT_FLASH_RAM_CUT_DONE
                                                 : NVT_FLASH_RAM_CUT_TORN;
            i++;
        } else if (strcmp(a, "--family") == 0) {
            opt.family = -1;
            for (int f = 0; f < FAMILIES; f++) {
                opt.family = strcmp(v, family_names[f]) == 0 ? f : opt.family;
            }
            if (opt.family < 0) {
                return 1;
            }
            i++;
        } else if (strcmp(a, "--strict") == 0) {
            opt.flags |= NVT_FLASH_RAM_STRICT;
        } else if (strcmp(a, "--unstable") == 0) {
            opt.flags |= NVT_FLASH_RAM_UNSTABLE;
        } else if (strcmp(a, "--quiet") == 0) {
            opt.quiet = 1;
        } else {
            return 1;
        }
    }
    return opt.count == 0 || opt.size * opt.count > MAX_REGION || opt.count > MAX_SECTORS;
}

/* A new version of object o: its number. */
static uint16_t version(uint32_t o, uint32_t len, unsigned flags)
{
    nvers++;
    vers[nvers].o = (uint8_t)o;
    vers[nvers].len = (uint16_t)len;
    vers[nvers].flags = flags;
    return (uint16_t)nvers;
}

static uint32_t rng = 1;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng % n;
}

/* The family's operations (at most MAXOPS). */
static uint32_t workload(op_t *ops)
{
    uint32_t n = 0, plain = opt.family == F_PLAIN;
    if (opt.family == F_RANDOM) {
        static uint32_t len[NOBJ];
        uint32_t live = 0;
        rng = opt.count * 7919u + opt.unit;
        for (uint32_t r = 0; r < opt.reps && n < MAXOPS; r++) {
            uint32_t o = rnd(NOBJ), kind = rnd(10);
            uint32_t l = kind < 3 || len[o] == 0 ? 50 + rnd(2951) : len[o];
            if ((kind == 0 && len[o] != 0) || live - len[o] + l > 5431u) {
                if (len[o] != 0) {
                    ops[n++] = (op_t){(uint8_t)o, 0};
                    live -= len[o];
                    len[o] = 0;
                }
                continue;
            }
            ops[n++] = (op_t){(uint8_t)o, version(o, l, rnd(4) == 0 ? NVT_STORE_SENSITIVE : 0)};
            live += l - len[o];
            len[o] = l;
        }
        return n;
    }
    for (uint8_t o = 0; o < 6; o++) {
        ops[n++] = (op_t){o, version(o, seed_len[o], plain ? 0u : seed_flags[o])};
    }
    for (uint32_t r = 1; r <= opt.reps && n + 4 < MAXOPS; r++) {
        uint8_t o = opt.family == F_EACH ? (uint8_t)(r * 6u / (opt.reps + 1u)) : 1;
        ops[n++] = (op_t){o, version(o, seed_len[o], plain ? 0u : seed_flags[o])};
        if (opt.family != F_SEED) {
            continue;
        }
        if (r == opt.reps / 3) {
            ops[n++] = (op_t){2, version(2, 1200, NVT_STORE_SENSITIVE)};
        }
        if (r == opt.reps / 5) {
            ops[n++] = (op_t){4, 0};
        }
        if (r == opt.reps * 7 / 8) {
            ops[n++] = (op_t){4, version(4, 91, 0)};
        }
        if (r == opt.reps / 2) {
            ops[n++] = (op_t){3, 0};
        }
        if (r == opt.reps * 3 / 4) {
            ops[n++] = (op_t){3, version(3, 240, NVT_STORE_SENSITIVE)};
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    static op_t ops[MAXOPS];
    if (parse(argc, argv)) {
        fprintf(stderr, "usage: powercut --geometry COUNTxSIZE [--unit U] [--mode "
                        "notdone|done|torn] [--family seed|plain|each|random] [--strict] "
                        "[--unstable] [--reps R] [--from N] [--count M] [--second K] "
                        "[--quiet]\n");
        return 2;
    }
    nvt_flash_geometry_t geo = {opt.size, opt.count, opt.unit};
    mem_len = NVT_FLASH_RAM_MEM_BYTES(opt.size, opt.count, opt.unit);
    if (nvt_flash_ram_init(&cur.ram, &geo, mem, sizeof(mem), opt.flags, 1) != NVT_OK) {
        fprintf(stderr, "bad geometry\n");
        return 2;
    }
    cfg.flash = &cur.ram.flash;
    cfg.index = cur.idx;
    cfg.index_len = sizeof(cur.idx);
    cfg.sectors = cur.sec;
    cfg.sectors_len = sizeof(cur.sec);
    cfg.scratch = scratch;
    cfg.scratch_len = sizeof(scratch);
    if (nvt_store_format(&cur.st, &cfg) != NVT_OK) {
        fprintf(stderr, "format failed\n");
        return 2;
    }
    uint32_t n = workload(ops);
    sweep(ops, n);
    static const char *const modes[] = {"notdone", "done", "torn"};
    printf("powercut %ux%u unit %u %s %s%s%s: %u ops, %u cut points tried, %u second cuts, "
           "%u failed\n",
           (unsigned)opt.count, (unsigned)opt.size, (unsigned)opt.unit, family_names[opt.family],
           modes[opt.mode],
           opt.flags & NVT_FLASH_RAM_STRICT ? " strict" : "",
           opt.flags & NVT_FLASH_RAM_UNSTABLE ? " unstable" : "", (unsigned)n, (unsigned)tried,
           (unsigned)seconds, (unsigned)failed);
    return failed != 0;
}
