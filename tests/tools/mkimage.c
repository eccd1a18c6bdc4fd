/* nvt-test-mkimage IMAGE - write a store image for the nvtoken tool's test
 * (tests/tools/nvtoken.sh) through the store API: 1 KiB x 8 sectors, 8-byte
 * unit; five objects, one of them rewritten until garbage collection has
 * erased sectors, one deleted, and object 0x0042 holding the ASCII marker
 * the test corrupts. Prints what the image should report:
 *   objects N / live bytes N / erase max N (one "name: value" per line). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nvtoken/flash_file.h"
#include "nvtoken/store.h"

#define SECTORS 8u
#define MARKER "nvtoken tool test marker: object 0x0042 lives here."

static nvt_store_entry_t idx[32];
static nvt_store_sector_t sec[SECTORS];
static uint8_t scratch[256];

static int fail(const char *what, int rc)
{
    fprintf(stderr, "nvt-test-mkimage: %s: %s\n", what, nvt_err_name(rc));
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: nvt-test-mkimage IMAGE\n");
        return 2;
    }
    const nvt_flash_geometry_t geo = {1024, SECTORS, 8};
    nvt_flash_file_t f;
    nvt_store_t st;
    int rc = nvt_flash_file_open(&f, argv[1], &geo, NVT_FLASH_FILE_CREATE | NVT_FLASH_FILE_STRICT);
    if (rc != NVT_OK) {
        return fail("open", rc);
    }
    nvt_store_config_t c = {&f.flash, idx, sizeof(idx), sec, sizeof(sec), scratch, sizeof(scratch)};
    rc = nvt_store_format(&st, &c);
    uint8_t data[300];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7u);
    }
    rc = rc != NVT_OK ? rc : nvt_store_put(&st, 0x0001, data, 100, 0);
    rc = rc != NVT_OK ? rc : nvt_store_put(&st, 0x0002, data, 32, NVT_STORE_SENSITIVE);
    rc = rc != NVT_OK ? rc : nvt_store_put(&st, 0x0042, MARKER, sizeof(MARKER) - 1, 0);
    rc = rc != NVT_OK ? rc : nvt_store_put(&st, 0x0007, data, 10, 0);
    rc = rc != NVT_OK ? rc : nvt_store_delete(&st, 0x0007);
    /* Rewrite one object until the log has wrapped and sectors were erased. */
    nvt_store_stats_t s = {0};
    for (uint32_t v = 0; rc == NVT_OK && v < 200 && s.erase_max < 2; v++) {
        data[0] = (uint8_t)v;
        rc = nvt_store_put(&st, 0x0003, data, sizeof(data), 0);
        rc = rc != NVT_OK ? rc : nvt_store_stat(&st, &s);
    }
    rc = rc != NVT_OK ? rc : nvt_store_put(&st, 0x0004, data, 5, 0);
    rc = rc != NVT_OK ? rc : nvt_store_stat(&st, &s);
    if (rc != NVT_OK) {
        (void)nvt_flash_file_close(&f);
        return fail("store", rc);
    }
    rc = nvt_flash_file_close(&f);
    if (rc != NVT_OK) {
        return fail("close", rc);
    }
    printf("objects: %" PRIu32 "\nlive bytes: %" PRIu32 "\nerase max: %" PRIu32 "\n", s.objects,
           s.live_bytes, s.erase_max);
    return 0;
}
