/* The object store on the seed workload (PRODUCT.md): six objects of 1700,
 * 1200, 1200 (a private key, sensitive, never changed), 240, 91 and 1000
 * bytes; the 1200-byte certificate replaced 1000 times; halfway, the 91-byte
 * object deleted and created again. For every geometry and program unit, on
 * the ram flash simulator, it measures:
 *
 * - lifetime efficiency eta = payload written / (highest sector erase
 *   count x region size): 1 would be every byte of the region erased to
 *   endurance with each update programming only its payload;
 * - bytes programmed and bytes erased per payload byte;
 * - erase counts: max:min and every sector's;
 * - bytes read to mount (the most over a mount every 50 replacements);
 * - bytes read to look up each object (over the object's own length);
 * - the worst single replacement (bytes programmed, erased, read);
 * - RAM on a 32-bit target: nvt_store_t, a 16-object index, the sector
 *   table, the scratch buffer (NVT_CONFIG_STORE_SCRATCH);
 * - units programmed twice.
 *
 * Side by side, the same workload with the private key sealed as the token
 * seals it (its 32-byte envelope added to the record, eta still counting
 * the 1200 B of payload: the cost of encryption at rest), and the reference
 * store of vendor ports of the FreeRTOS PKCS#11 layer: one object per
 * sector, erase and rewrite on every save (it fits only where there are six
 * sectors each holding the largest object).
 *
 * Prints a table and writes the same figures as JSON to NVT_BENCH_OUT
 * (build/bench/store.json). A program, not a timed test. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

#ifndef NVT_BENCH_OUT
#define NVT_BENCH_OUT "store.json"
#endif

#define REPS 1000u
#define NOBJ 6
#define MAX_REGION (32u * 1024u)
#define MAX_SECTORS 64u

static const uint32_t lens[NOBJ] = {1700, 1200, 1200, 240, 91, 1000};
static const struct {
    uint32_t size, count;
} geos[] = {{4096, 4}, {16384, 2}, {2048, 8}, {256, 64}};
static const uint32_t units[] = {8, 1, 32};

static uint32_t mem[NVT_FLASH_RAM_MEM_BYTES(MAX_REGION, 1, 1) / 4u + MAX_SECTORS];
static nvt_flash_ram_t ram;
static nvt_store_entry_t idx[16];
static nvt_store_sector_t sec[MAX_SECTORS];
static uint8_t scratch[NVT_CONFIG_STORE_SCRATCH];
static uint8_t data[2048], out[2048];

typedef struct {
    int fits;
    double eta, prog_ratio, erase_ratio;
    uint32_t emax, emin, erases[MAX_SECTORS];
    uint32_t mount_read, lookup[NOBJ];
    uint64_t worst_prog, worst_erase, worst_read;
    uint32_t ram;
    uint32_t twice;
} result_t;

static void fill(uint32_t id, uint32_t v, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        data[i] = (uint8_t)(id * 31u + v * 7u + i * 13u);
    }
}

static void wear(result_t *r, uint32_t n, uint64_t payload)
{
    r->emax = 0;
    r->emin = 0xFFFFFFFFu;
    for (uint32_t s = 0; s < n; s++) {
        r->erases[s] = ram.erases[s];
        r->emax = ram.erases[s] > r->emax ? ram.erases[s] : r->emax;
        r->emin = ram.erases[s] < r->emin ? ram.erases[s] : r->emin;
    }
    uint32_t region = ram.flash.geo.sector_size * n;
    r->eta = r->emax ? (double)payload / ((double)r->emax * region) : 0.0;
    r->prog_ratio = (double)ram.counters.bytes_programmed / (double)payload;
    r->erase_ratio = (double)ram.counters.erase_ops * ram.flash.geo.sector_size / (double)payload;
    r->twice = ram.counters.programmed_twice;
}

static void worst(result_t *r, const nvt_flash_ram_counters_t *b, uint64_t erased)
{
    uint64_t p = ram.counters.bytes_programmed - b->bytes_programmed;
    uint64_t e = (ram.counters.erase_ops - b->erase_ops) * (uint64_t)ram.flash.geo.sector_size;
    uint64_t rd = ram.counters.bytes_read - b->bytes_read;
    (void)erased;
    r->worst_prog = p > r->worst_prog ? p : r->worst_prog;
    r->worst_erase = e > r->worst_erase ? e : r->worst_erase;
    r->worst_read = rd > r->worst_read ? rd : r->worst_read;
}

/* Bytes the token's seal adds to a sensitive record (docs/FORMAT.md,
 * "Sealed records": tag, nonce, envelope version). */
#define SEAL_OVERHEAD 32u

/* sealed: the sensitive object (2) stored as the token stores it, with its
 * envelope; the payload counts its plaintext. */
static int run_store(uint32_t size, uint32_t count, uint32_t unit, int sealed, result_t *r)
{
    nvt_flash_geometry_t geo = {size, count, unit};
    nvt_store_t st;
    memset(r, 0, sizeof(*r));
    if (nvt_flash_ram_init(&ram, &geo, mem, sizeof(mem), 0, 1) != NVT_OK) {
        return -1;
    }
    nvt_store_config_t cfg = {&ram.flash, idx, sizeof(idx), sec, NVT_STORE_SECTORS_BYTES(count),
                              scratch, sizeof(scratch)};
    if (nvt_store_format(&st, &cfg) != NVT_OK) {
        return -1;
    }
    uint64_t payload = 0;
    for (uint32_t i = 0; i < NOBJ; i++) {
        uint32_t extra = i == 2 && sealed ? SEAL_OVERHEAD : 0u;
        fill(i, 0, lens[i] + extra);
        if (nvt_store_put(&st, (nvt_store_id_t)i, data, lens[i] + extra,
                          i == 2 ? NVT_STORE_SENSITIVE | (sealed ? NVT_STORE_SEALED : 0u) : 0) != NVT_OK) {
            return 0;
        }
        payload += lens[i];
    }
    for (uint32_t v = 1; v <= REPS; v++) {
        nvt_flash_ram_counters_t b = ram.counters;
        fill(1, v, 1200);
        if (nvt_store_put(&st, 1, data, 1200, 0) != NVT_OK) {
            return 0;
        }
        worst(r, &b, 0);
        payload += 1200;
        if (v == REPS / 2) {
            fill(4, v, 91);
            if (nvt_store_delete(&st, 4) != NVT_OK ||
                nvt_store_put(&st, 4, data, 91, 0) != NVT_OK) {
                return 0;
            }
            payload += 91;
        }
        if (v % 50 == 0) {
            uint64_t before = ram.counters.bytes_read;
            if (nvt_store_mount(&st, &cfg) != NVT_OK) {
                return -1;
            }
            uint32_t m = (uint32_t)(ram.counters.bytes_read - before);
            r->mount_read = m > r->mount_read ? m : r->mount_read;
        }
    }
    wear(r, count, payload);
    for (uint32_t i = 0; i < NOBJ; i++) {
        uint64_t before = ram.counters.bytes_read;
        size_t n;
        if (nvt_store_get(&st, (nvt_store_id_t)i, out, sizeof(out), &n) != NVT_OK) {
            return -1;
        }
        r->lookup[i] = (uint32_t)(ram.counters.bytes_read - before - n);
    }
    /* On the 32-bit target: nvt_store_t holds four pointers and ends with
     * `state` (no tail padding there). */
    r->ram = (uint32_t)(offsetof(nvt_store_t, state) + 4u - 4u * (sizeof(void *) - 4u) +
                        NVT_STORE_INDEX_BYTES(16) +
                        NVT_STORE_SECTORS_BYTES(count) + sizeof(scratch));
    r->fits = 1;
    return 0;
}

/* The reference store: object i in sector i after a 4-byte length; a save
 * erases the sector and programs it again. */
static int ref_save(uint32_t i, uint32_t len, uint32_t unit)
{
    uint32_t size = ram.flash.geo.sector_size;
    uint32_t n = (4u + len + unit - 1u) / unit * unit;
    static uint8_t rec[4 + 2048 + 32];
    memset(rec, 0xFF, sizeof(rec));
    rec[0] = (uint8_t)len;
    rec[1] = (uint8_t)(len >> 8);
    rec[2] = rec[3] = 0;
    memcpy(rec + 4, data, len);
    if (nvt_flash_erase(&ram.flash, i) != NVT_OK) {
        return -1;
    }
    return nvt_flash_program(&ram.flash, i * size, rec, n);
}

static int run_reference(uint32_t size, uint32_t count, uint32_t unit, result_t *r)
{
    nvt_flash_geometry_t geo = {size, count, unit};
    memset(r, 0, sizeof(*r));
    if (count < NOBJ || size < 4u + 1700u ||
        nvt_flash_ram_init(&ram, &geo, mem, sizeof(mem), 0, 1) != NVT_OK) {
        return 0;
    }
    uint64_t payload = 0;
    for (uint32_t i = 0; i < NOBJ; i++) {
        fill(i, 0, lens[i]);
        if (ref_save(i, lens[i], unit) != NVT_OK) {
            return -1;
        }
        payload += lens[i];
    }
    for (uint32_t v = 1; v <= REPS; v++) {
        nvt_flash_ram_counters_t b = ram.counters;
        fill(1, v, 1200);
        if (ref_save(1, 1200, unit) != NVT_OK) {
            return -1;
        }
        worst(r, &b, 0);
        payload += 1200;
        if (v == REPS / 2) {
            fill(4, v, 91);
            if (nvt_flash_erase(&ram.flash, 4) != NVT_OK || ref_save(4, 91, unit) != NVT_OK) {
                return -1;
            }
            payload += 91;
        }
    }
    wear(r, count, payload);
    /* Mount reads nothing (fixed places); a lookup reads the length. */
    for (uint32_t i = 0; i < NOBJ; i++) {
        r->lookup[i] = 4;
    }
    r->fits = 1;
    return 0;
}

static void row(FILE *js, const char *name, uint32_t size, uint32_t count, uint32_t unit,
                const result_t *r, int last)
{
    if (!r->fits) {
        printf("%-9s %2ux%-5u %2u  does not hold the workload\n", name, count, size, unit);
    } else {
        printf("%-9s %2ux%-5u %2u  %5.3f %6.3f %7.2f %5u:%-5u %6u %4u/%-3u "
               "%6llu %6llu %6llu %4u %5u\n",
               name, count, size, unit, r->eta, r->prog_ratio, r->erase_ratio, r->emax, r->emin,
               r->mount_read, r->lookup[0], r->lookup[1], (unsigned long long)r->worst_prog,
               (unsigned long long)r->worst_erase, (unsigned long long)r->worst_read, r->ram,
               r->twice);
        /* the erase count of every sector, sixteen to a line */
        for (uint32_t s = 0; s < count; s++) {
            printf("%s%4u%s", s % 16u == 0 ? "          erases:" : "", r->erases[s],
                   s % 16u == 15u || s + 1 == count ? "\n" : "");
        }
    }
    fprintf(js,
            "    {\"store\": \"%s\", \"sectors\": %u, \"sector_size\": %u, \"prog_unit\": %u, "
            "\"fits\": %s",
            name, count, size, unit, r->fits ? "true" : "false");
    if (r->fits) {
        fprintf(js,
                ", \"eta\": %.4f, \"programmed_per_payload\": %.4f, \"erased_per_payload\": %.4f, "
                "\"erase_max\": %u, \"erase_min\": %u, \"erase_counts\": [",
                r->eta, r->prog_ratio, r->erase_ratio, r->emax, r->emin);
        for (uint32_t s = 0; s < count; s++) {
            fprintf(js, "%s%u", s ? ", " : "", r->erases[s]);
        }
        fprintf(js, "], \"mount_read\": %u, \"lookup_overhead\": [", r->mount_read);
        for (uint32_t i = 0; i < NOBJ; i++) {
            fprintf(js, "%s%u", i ? ", " : "", r->lookup[i]);
        }
        fprintf(js,
                "], \"worst_update\": {\"programmed\": %llu, \"erased\": %llu, \"read\": %llu}, "
                "\"ram\": %u, \"programmed_twice\": %u",
                (unsigned long long)r->worst_prog, (unsigned long long)r->worst_erase,
                (unsigned long long)r->worst_read, r->ram, r->twice);
    }
    fprintf(js, "}%s\n", last ? "" : ",");
}

int main(void)
{
    FILE *js = fopen(NVT_BENCH_OUT, "w");
    if (js == NULL) {
        fprintf(stderr, "bench_store: cannot write %s\n", NVT_BENCH_OUT);
        return 1;
    }
    printf("Object store, seed workload (objects 1700, 1200, 1200, 240, 91, 1000 B; the 1200 B "
           "certificate replaced %u times; the 91 B object deleted and created again)\n",
           REPS);
    printf("nvtoken: the store; sealed: the same, the private key stored sealed (+%u B envelope); "
           "reference: one object per sector, erase + rewrite on every save\n\n",
           SEAL_OVERHEAD);
    printf("%-9s %-8s %2s  %5s %6s %7s %11s %6s %8s %6s %6s %6s %4s %5s\n", "store", "geometry",
           "u", "eta", "prog/", "erased/", "erase", "mount", "lookup", "worst update", "", "",
           "RAM", "twice");
    printf("%-9s %-8s %2s  %5s %6s %7s %11s %6s %8s %6s %6s %6s %4s %5s\n", "", "", "", "",
           "pay", "pay", "max:min", "read", "+bytes", "prog", "erase", "read", "", "");
    fprintf(js, "{\n  \"workload\": {\"objects\": [1700, 1200, 1200, 240, 91, 1000], "
                "\"replacements\": %u, \"wear_gap\": %u, \"scratch\": %u},\n  \"results\": [\n",
            REPS, (unsigned)NVT_CONFIG_STORE_WEAR_GAP, (unsigned)NVT_CONFIG_STORE_SCRATCH);
    result_t r;
    size_t ng = sizeof(geos) / sizeof(geos[0]), nu = sizeof(units) / sizeof(units[0]);
    for (size_t g = 0; g < ng; g++) {
        for (size_t u = 0; u < nu; u++) {
            if (run_store(geos[g].size, geos[g].count, units[u], 0, &r) < 0) {
                fprintf(stderr, "bench_store: unexpected failure\n");
                return 1;
            }
            row(js, "nvtoken", geos[g].size, geos[g].count, units[u], &r, 0);
            if (run_store(geos[g].size, geos[g].count, units[u], 1, &r) < 0) {
                fprintf(stderr, "bench_store: unexpected failure\n");
                return 1;
            }
            row(js, "sealed", geos[g].size, geos[g].count, units[u], &r, 0);
        }
        if (run_reference(geos[g].size, geos[g].count, 8, &r) < 0) {
            return 1;
        }
        row(js, "reference", geos[g].size, geos[g].count, 8, &r, g + 1 == ng);
        printf("\n");
    }
    fprintf(js, "  ]\n}\n");
    fclose(js);
    printf("eta: payload / (highest erase count x region); prog/pay, erased/pay: bytes programmed, "
           "erased per payload byte;\nmount read: most read by one mount (every 50 replacements); "
           "lookup +bytes: read beyond the object (root CA / certificate);\nworst update: one "
           "replacement; RAM (32-bit target): nvt_store_t + 16-object index + sector table + "
           "scratch; twice: units "
           "programmed twice;\nerases: the erase count of every sector, sector 0 first.\nJSON: %s\n",
           NVT_BENCH_OUT);
    return 0;
}
