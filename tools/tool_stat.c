/* nvtoken stat, nvtoken fsck: what an image's store holds, and the check of
 * every record. Read-only (tool_image.c); object data is never printed,
 * only counts and sizes. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nvtoken/port.h"
#include "nvtoken/token.h"
#include "tool.h"
#include "tool_image.h"

/* "2 KiB" for whole KiB and MiB, else "N bytes". */
static const char *size_text(char *buf, size_t len, uint64_t bytes)
{
    if (bytes >= 1024u * 1024u && bytes % (1024u * 1024u) == 0) {
        snprintf(buf, len, "%" PRIu64 " MiB", bytes / (1024u * 1024u));
    } else if (bytes >= 1024u && bytes % 1024u == 0) {
        snprintf(buf, len, "%" PRIu64 " KiB", bytes / 1024u);
    } else {
        snprintf(buf, len, "%" PRIu64 " bytes", bytes);
    }
    return buf;
}

/* The objects whose data fails its CRC, as fsck finds them (named after
 * the check, which keeps the store busy). */
typedef struct lost_objects {
    nvt_store_id_t id[64];
    unsigned n, more;
} lost_objects_t;

/* fsck findings worth a line of their own: records lost; objects lost are
 * kept to be named after the check. */
static void print_finding(void *ctx, const nvt_store_finding_t *f)
{
    lost_objects_t *lost = ctx;
    if (f->kind == NVT_STORE_FINDING_CORRUPT) {
        if (lost->n < sizeof(lost->id) / sizeof(lost->id[0])) {
            lost->id[lost->n++] = f->id;
        } else {
            lost->more++;
        }
    } else if (f->kind == NVT_STORE_FINDING_LOST) {
        printf("lost records:   %" PRIu32 " in sector %" PRIu32 " (table entries damaged beyond correction)\n",
               f->count, f->sector);
    }
}

/* One lost object's line: its id, and its label where its bytes still say
 * it (a sealed object's label is sealed with it; the token's own records
 * have none). */
static void print_lost(tool_image_t *im, nvt_store_id_t id)
{
    static uint8_t bytes[NVT_CONFIG_TOKEN_OBJECT_MAX];
    size_t len = 0;
    unsigned flags = 0;
    char label[65];
    const char *why = "its data fails its CRC";
    printf("lost object:    0x%04x (%s", (unsigned)id, why);
    if (id < NVT_TOKEN_ID_FIRST_OBJECT) {
        printf("; one copy of the token's own records)\n");
        return;
    }
    if (nvt_store_size(&im->store, id, &len, &flags) == NVT_OK && (flags & NVT_STORE_SEALED) != 0) {
        printf("; sealed, its label with it)\n");
        return;
    }
    int rc = nvt_store_read_damaged(&im->store, id, bytes, sizeof(bytes), &len);
    if ((rc == NVT_OK || rc == NVT_E_CORRUPT) && nvt_token_object_label(bytes, len, label, sizeof(label)) == NVT_OK) {
        printf("; label \"");
        for (const char *c = label; *c != '\0'; c++) {
            putchar(*c >= 0x20 && *c < 0x7f && *c != '"' && *c != '\\' ? *c : '?');
        }
        printf("\")\n");
    } else {
        printf("; its label is not readable)\n");
    }
    tool_wipe(bytes, sizeof(bytes));
}

/* Run the check; print its verdict (one line, or the full report). */
static int print_fsck(tool_image_t *im, int full)
{
    nvt_store_fsck_report_t r;
    lost_objects_t lost = { { 0 }, 0, 0 };
    int rc = nvt_store_fsck(&im->store, 0, &r, full ? print_finding : NULL, &lost);
    for (unsigned i = 0; i < lost.n; i++) {
        print_lost(im, lost.id[i]);
    }
    if (lost.more > 0) {
        printf("lost objects:   %u more\n", lost.more);
    }
    if (rc != NVT_OK && rc != NVT_E_CORRUPT) {
        return tool_complain(rc == NVT_E_IO ? TOOL_FILE : TOOL_DAMAGED, im->path, "fsck stopped: %s",
                             nvt_err_name(rc));
    }
    const char *verdict = rc == NVT_E_CORRUPT ? "CORRUPT" : "clean";
    if (full) {
        printf("fsck:           %s\n", verdict);
        printf("sectors:        %" PRIu32 " in the log, %" PRIu32 " blank, %" PRIu32 " damaged (need an erase)\n",
               r.sectors_ok, r.sectors_blank, r.sectors_damaged);
        printf("records:        %" PRIu32 " committed, %" PRIu32 " torn (left by power cuts)\n", r.records_ok,
               r.records_torn);
        printf("objects:        %" PRIu32 " live, %" PRIu32 " failing their CRC\n", r.objects, r.records_corrupt);
        printf("damage:         %" PRIu32 " blocks with a flipped bit (corrected), %" PRIu32 " records lost, %" PRIu32
               " sectors of format version 1\n",
               r.blocks_corrected, r.records_lost, r.sectors_old);
    } else {
        printf("fsck:           %s (%" PRIu32 " log, %" PRIu32 " blank, %" PRIu32 " damaged sectors; %" PRIu32
               " records, %" PRIu32 " torn, %" PRIu32 " corrupt)\n",
               verdict, r.sectors_ok, r.sectors_blank, r.sectors_damaged, r.records_ok, r.records_torn,
               r.records_corrupt);
    }
    if (rc == NVT_E_CORRUPT) {
        return tool_complain(TOOL_DAMAGED, im->path,
                             "corrupt: %" PRIu32 " live object(s) fail their CRC, %" PRIu32 " record(s) lost",
                             r.records_corrupt, r.records_lost);
    }
    return TOOL_OK;
}

/* The sealed records, opened with the image's device key (as the module
 * finds it: --device-key, else <image>.key; never made here). Without a
 * key they are only counted. */
static int print_sealed(tool_image_t *im)
{
    nvt_token_device_key_t key;
    nvt_token_seal_report_t r;
    int have = nvt_port_image_device_key(im->path, 0, key.secret, key.uid, &key.uid_len);
    if (have != NVT_OK && have != NVT_E_NOT_FOUND) {
        tool_wipe(&key, sizeof(key));
        return tool_complain(TOOL_FILE, im->path, "cannot read its device key: %s", nvt_err_name(have));
    }
    int rc = nvt_token_seal_check(&im->store, have == NVT_OK ? &key : NULL, &r);
    tool_wipe(&key, sizeof(key));
    if (rc != NVT_OK && rc != NVT_E_VERIFY) {
        return tool_complain(TOOL_DAMAGED, im->path, "cannot check its sealed records: %s", nvt_err_name(rc));
    }
    if (have == NVT_OK) {
        printf("sealed:         %" PRIu32 " records, %" PRIu32 " open with the device key, %" PRIu32 " tampered\n",
               r.sealed, r.opened, r.tampered);
    } else {
        printf("sealed:         %" PRIu32 " records (not opened: no device key)\n", r.sealed);
    }
    if (r.plaintext > 0) {
        printf("in the clear:   %" PRIu32 " sensitive records (written before sealing: nvtoken seal)\n", r.plaintext);
    }
    if (r.tampered > 0) {
        return tool_complain(TOOL_DAMAGED, im->path,
                             "%" PRIu32 " sealed record(s) do not open with this device key (edited, or another "
                             "device's), the first 0x%04x",
                             r.tampered, (unsigned)r.first_tampered);
    }
    return TOOL_OK;
}

static int stat_report(tool_image_t *im)
{
    nvt_store_stats_t s;
    int rc = nvt_store_stat(&im->store, &s);
    if (rc != NVT_OK) {
        return tool_complain(TOOL_DAMAGED, im->path, "cannot read its statistics: %s", nvt_err_name(rc));
    }
    const nvt_flash_geometry_t *g = &im->ro.geo;
    char a[32], b[32], geo[48];
    tool_geometry_text(g, geo, sizeof(geo));
    printf("image:          %s\n", im->path);
    printf("geometry:       %s (%" PRIu32 " sectors of %s, %" PRIu32 "-byte program unit, %s)\n", geo,
           g->sector_count, size_text(a, sizeof(a), g->sector_size), g->prog_unit,
           size_text(b, sizeof(b), (uint64_t)g->sector_size * g->sector_count));
    printf("objects:        %" PRIu32 "\n", s.objects);
    printf("live bytes:     %" PRIu32 "\n", s.live_bytes);
    printf("free bytes:     %" PRIu32 "\n", s.free);
    printf("capacity:       %" PRIu32 "\n", s.capacity);
    printf("largest object: %" PRIu32 "\n", s.max_object);
    /* Erase counts: the summary, then runs of equal counts by sector. */
    uint64_t sum = 0;
    uint32_t count = 0, prev = 0, first = 0;
    printf("erase map:     ");
    for (uint32_t i = 0; i <= s.sectors; i++) {
        rc = i < s.sectors ? nvt_store_erase_count(&im->store, i, &count) : NVT_OK;
        if (rc != NVT_OK) {
            putchar('\n');
            return tool_complain(TOOL_DAMAGED, im->path, "cannot read its erase counts: %s", nvt_err_name(rc));
        }
        if (i > 0 && (i == s.sectors || count != prev)) {
            if (first + 1 == i) {
                printf(" %" PRIu32 ":%" PRIu32, first, prev);
            } else {
                printf(" %" PRIu32 "-%" PRIu32 ":%" PRIu32, first, i - 1, prev);
            }
            first = i;
        }
        sum += i < s.sectors ? count : 0u;
        prev = count;
    }
    putchar('\n');
    printf("erase counts:   min %" PRIu32 ", max %" PRIu32 ", mean %.2f\n", s.erase_min, s.erase_max,
           (double)sum / s.sectors);
    return print_fsck(im, 0);
}

/* stat and fsck: the same command line. */
static int run(int argc, char **argv, int full)
{
    static const struct option opts[] = {
        { "geometry", required_argument, NULL, 'g' },
        { "repair", no_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *geo_text = NULL, *path = NULL;
    int c, repair = 0;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'g': geo_text = optarg; break;
        case 'r':
            if (!full) {
                tool_complain(TOOL_USAGE, NULL, "stat does not repair (fsck --repair)");
                return tool_usage(argv[0], 0);
            }
            repair = 1;
            break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &path, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    /* --repair: put the image right first, then report what is left */
    if (repair && (status = tool_put_right(path, geo_text, 1)) != TOOL_OK) {
        return status;
    }
    tool_image_t im;
    status = tool_image_open(&im, path, geo_text);
    if (status == TOOL_OK) {
        if (full) {
            printf("image:          %s\n", im.path);
            status = print_fsck(&im, 1);
            int sealed = print_sealed(&im);
            status = status != TOOL_OK ? status : sealed;
        } else {
            status = stat_report(&im);
        }
    }
    tool_image_close(&im);
    return status;
}

int tool_cmd_stat(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int tool_cmd_fsck(int argc, char **argv)
{
    return run(argc, argv, 1);
}
