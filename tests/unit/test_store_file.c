/* The store on the image-file driver (host): what the host module and the
 * provisioning tool do. An image written here mounts again after the file
 * is closed and reopened, and its first erase block tells the geometry. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nvtoken/flash_file.h"
#include "nvtoken/store.h"

static char path[64];
static nvt_store_entry_t idx[16];
static nvt_store_sector_t sec[8];
static uint8_t scratch[256];
static uint8_t data[3000], out[3000];

static nvt_store_config_t config(const nvt_flash_file_t *f)
{
    nvt_store_config_t c = {&f->flash, idx, sizeof(idx), sec, sizeof(sec), scratch,
                            sizeof(scratch)};
    return c;
}

static void image_round_trip(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/nvt-store-file-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    const nvt_flash_geometry_t geo = {4096, 4, 8};
    nvt_flash_file_t f;
    nvt_store_t st;
    assert_int_equal(nvt_flash_file_open(&f, path, &geo,
                                         NVT_FLASH_FILE_CREATE | NVT_FLASH_FILE_SYNC |
                                             NVT_FLASH_FILE_STRICT),
                     NVT_OK);
    nvt_store_config_t c = config(&f);
    assert_int_equal(nvt_store_format(&st, &c), NVT_OK);
    for (uint32_t v = 0; v < 30; v++) {
        for (size_t i = 0; i < sizeof(data); i++) {
            data[i] = (uint8_t)(i * 13u + v);
        }
        assert_int_equal(nvt_store_put(&st, 7, data, 1234, 0), NVT_OK);
        assert_int_equal(nvt_store_put(&st, 8, data, 3000, NVT_STORE_SENSITIVE), NVT_OK);
    }
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);

    /* The raw image: sector 0 starts with the erase block, which names the
     * geometry (docs/FORMAT.md). */
    FILE *img = fopen(path, "rb");
    assert_non_null(img);
    uint8_t e[8];
    assert_int_equal(fread(e, 1, 8, img), 8);
    fclose(img);
    assert_memory_equal(e, "nvE\x02", 4);
    assert_int_equal(e[4], 12); /* log2 4096 */
    assert_int_equal(e[5], 3);  /* log2 8 */
    assert_int_equal(e[6] | e[7] << 8, 4);

    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_OK);
    c = config(&f);
    assert_int_equal(nvt_store_mount(&st, &c), NVT_OK);
    size_t n;
    assert_int_equal(nvt_store_get(&st, 7, out, sizeof(out), &n), NVT_OK);
    assert_int_equal(n, 1234);
    assert_memory_equal(out, data, 1234);
    assert_int_equal(nvt_store_get(&st, 8, out, sizeof(out), &n), NVT_OK);
    assert_int_equal(n, 3000);
    assert_memory_equal(out, data, 3000);
    nvt_store_fsck_report_t r;
    assert_int_equal(nvt_store_fsck(&st, 0, &r, NULL, NULL), NVT_OK);
    assert_int_equal(r.objects, 2);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
