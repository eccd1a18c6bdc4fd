/* Exhaustive power-cut sweep of the object store.
 *
 * Workload (PRODUCT.md): six objects of 1700, 1200, 1200 (sensitive), 240
 * (sensitive), 91 and 1000 bytes; the 1200-byte certificate replaced
 * repeatedly; the sensitive key replaced once; the 240-byte key deleted and,
 * a quarter of the replacements later, created again; the 91-byte object
 * (not sensitive) deleted early and created again near the end.
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
 *                 [--strict] [--unstable] [--reps R] [--from N] [--count M]
 *                 [--second K] [--quiet]
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
#define NOBJ 6
#define MAXV 4 /* acceptable versions per object */

static const struct {
    uint16_t id;
    uint32_t len;
    unsigned flags;
} objs[NOBJ] = {
    {1, 1700, 0}, {2, 1200, 0}, {3, 1200, NVT_STORE_SENSITIVE},
    {4, 240, NVT_STORE_SENSITIVE}, {5, 91, 0}, {6, 1000, 0},
};

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

static struct {
    uint32_t count, size, unit, flags, reps, from, cnt, second, quiet;
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

static void fill(uint32_t o, uint32_t v)
{
    for (uint32_t i = 0; i < objs[o].len; i++) {
        data[i] = obj_byte(o, v, i);
    }
}

static int run(op_t op)
{
    if (op.v == 0) {
        return nvt_store_delete(&cur.st, objs[op.o].id);
    }
    fill(op.o, op.v);
    return nvt_store_put(&cur.st, objs[op.o].id, data, objs[op.o].len, objs[op.o].flags);
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
        rc = nvt_store_get(&cur.st, objs[o].id, out, sizeof(out), &n);
        int ok = 0;
        for (uint32_t i = 0; i < m->n[o] && !ok; i++) {
            uint16_t v = m->v[o][i];
            if (v == 0) {
                ok = rc == NVT_E_NOT_FOUND;
            } else if (rc == NVT_OK && n == objs[o].len) {
                fill(o, v);
                ok = memcmp(out, data, n) == 0;
            }
        }
        if (!ok) {
            if (!opt.quiet) {
                fprintf(stderr, "object %u: get %d, %u acceptable:", (unsigned)objs[o].id, rc,
                        (unsigned)m->n[o]);
                for (uint32_t i = 0; i < m->n[o]; i++) {
                    fprintf(stderr, " v%u", (unsigned)m->v[o][i]);
                }
                for (uint16_t v = 0; rc == NVT_OK && v < 200; v++) {
                    fill(o, v);
                    if (memcmp(out, data, n) == 0) {
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
        live += nvt_store_size(&cur.st, objs[o].id, &n, NULL) == NVT_OK;
    }
    if (seen != live) {
        return fail("iteration");
    }
    return 0;
}

/* No 8-byte piece of an old version of sensitive object o is left. */
static int scrubbed(uint32_t o, uint16_t keep, uint16_t upto)
{
    uint32_t size = opt.size * opt.count;
    for (uint16_t v = 1; v <= upto; v++) {
        if (v == keep) {
            continue;
        }
        fill(o, v);
        for (uint32_t i = 0; i + 8 <= objs[o].len; i += 8) {
            for (uint32_t a = 0; a + 8 <= size; a++) {
                if (cur.ram.bytes[a] == data[i] && memcmp(cur.ram.bytes + a, data + i, 8) == 0) {
                    if (!opt.quiet) {
                        fprintf(stderr, "version %u byte %u at %u\n", (unsigned)v, (unsigned)i,
                                (unsigned)a);
                        if (getenv("PC_DUMP")) {
                            uint32_t s = a / opt.size;
                            fprintf(stderr, "sector %u seq %08x head %u:", (unsigned)s,
                                    (unsigned)cur.sec[s].seq, (unsigned)cur.st.head);
                            for (uint32_t j = 0; j < 64; j++) {
                                fprintf(stderr, " %02x", cur.ram.bytes[s * opt.size + j]);
                            }
                            fprintf(stderr, "\n tail:");
                            for (uint32_t j = opt.size - 48; j < opt.size; j++) {
                                fprintf(stderr, " %02x", cur.ram.bytes[s * opt.size + j]);
                            }
                            fprintf(stderr, "\n");
                        }
                    }
                    return fail("sensitive bytes left");
                }
            }
        }
    }
    return 0;
}

/* Highest version of object o written by ops[0..k]. */
static uint16_t upto_of(const op_t *ops, uint32_t k, uint32_t o)
{
    uint16_t upto = 0;
    for (uint32_t j = 0; j <= k; j++) {
        upto = ops[j].o == o && ops[j].v > upto ? ops[j].v : upto;
    }
    return upto;
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
        if (run(ops[k]) != NVT_OK) {
            fprintf(stderr, "op %u failed without a cut\n", (unsigned)k);
            failed++;
            return;
        }
        uint32_t nflash = cur.ram.counters.ops - before;
        if (cur.ram.counters.programmed_twice + cur.ram.counters.refused != twice) {
            fprintf(stderr, "op %u programmed a unit twice\n", (unsigned)k);
            failed++;
        }
        apply(m, ops[k]);
        if (objs[ops[k].o].flags & NVT_STORE_SENSITIVE) {
            if (scrubbed(ops[k].o, ops[k].v, upto_of(ops, k, ops[k].o))) {
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
            int sens = (objs[ops[k].o].flags & NVT_STORE_SENSITIVE) != 0;
            if (!sens && k + 1 >= nops) {
                continue;
            }
            /* Recovery: the next op (or this one again), with second cuts. */
            op_t rop = sens ? ops[k] : ops[k + 1];
            static snap_t s2;
            cur.m = m1;
            save(&s2);
            uint32_t b2 = cur.ram.counters.ops;
            int rc = run(rop);
            uint32_t r = cur.ram.counters.ops - b2;
            model_t m2 = m1;
            if (rc == NVT_OK || (rc == NVT_E_NOT_FOUND && rop.v == 0)) {
                apply(&m2, rop);
            } else {
                fprintf(stderr, "cut %u: recovery op failed (%d)\n", (unsigned)index, rc);
                failed++;
                continue;
            }
            if (sens && scrubbed(rop.o, rop.v, upto_of(ops, k, rop.o))) {
                fprintf(stderr, "cut %u (op %u: object %u v%u, flash op %u): after retry: %s\n",
                        (unsigned)index, (unsigned)k, (unsigned)objs[rop.o].id, (unsigned)rop.v,
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

int main(int argc, char **argv)
{
    static op_t ops[4096];
    if (parse(argc, argv)) {
        fprintf(stderr, "usage: powercut --geometry COUNTxSIZE [--unit U] [--mode "
                        "notdone|done|torn] [--strict] [--unstable] [--reps R] [--from N] "
                        "[--count M] [--second K] [--quiet]\n");
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
    /* The workload. */
    uint32_t n = 0;
    for (uint8_t o = 0; o < NOBJ; o++) {
        ops[n++] = (op_t){o, 1};
    }
    for (uint32_t r = 1; r <= opt.reps && n + 4 < sizeof(ops) / sizeof(ops[0]); r++) {
        ops[n++] = (op_t){1, (uint16_t)(r + 1)};
        if (r == opt.reps / 3) {
            ops[n++] = (op_t){2, 2};
        }
        if (r == opt.reps / 5) {
            ops[n++] = (op_t){4, 0};
        }
        if (r == opt.reps * 7 / 8) {
            ops[n++] = (op_t){4, 2};
        }
        if (r == opt.reps / 2) {
            ops[n++] = (op_t){3, 0};
        }
        if (r == opt.reps * 3 / 4) {
            ops[n++] = (op_t){3, 2};
        }
    }
    sweep(ops, n);
    static const char *const modes[] = {"notdone", "done", "torn"};
    printf("powercut %ux%u unit %u %s%s%s: %u ops, %u cut points tried, %u second cuts, "
           "%u failed\n",
           (unsigned)opt.count, (unsigned)opt.size, (unsigned)opt.unit, modes[opt.mode],
           opt.flags & NVT_FLASH_RAM_STRICT ? " strict" : "",
           opt.flags & NVT_FLASH_RAM_UNSTABLE ? " unstable" : "", (unsigned)n, (unsigned)tried,
           (unsigned)seconds, (unsigned)failed);
    return failed != 0;
}
