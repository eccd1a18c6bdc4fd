/* The `file` flash driver: an image file of exactly the region's size,
 * holding the raw flash bytes, with the NOR rules of flash.h (host only). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvtoken/flash_file.h"

#define SECTOR 512u
#define SECTORS 4u
#define SIZE (SECTOR * SECTORS)

static const nvt_flash_geometry_t geo = {SECTOR, SECTORS, 8};
static char path[64];

static int make_path(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/tmp/nvt-flash-file-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    return 0;
}

static int remove_path(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

/* The image's raw bytes, read without the driver. */
static void raw(uint8_t *buf)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, SIZE, f), SIZE);
    assert_int_equal(fgetc(f), EOF);
    fclose(f);
}

static void create_fills_with_erased_bytes(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    uint8_t buf[SIZE];
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE), NVT_OK);
    assert_int_equal(nvt_flash_size(&f.flash), SIZE);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    raw(buf);
    for (size_t i = 0; i < SIZE; i++) {
        assert_int_equal(buf[i], 0xFF);
    }
    /* Create again over a written image: back to erased. */
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_OK);
    uint8_t zero[8] = {0};
    assert_int_equal(nvt_flash_program(&f.flash, 0, zero, 8), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    raw(buf);
    assert_int_equal(buf[0], 0xFF);
}

static void open_checks_the_image(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    nvt_flash_geometry_t other = {SECTOR, SECTORS * 2, 8};
    nvt_flash_geometry_t bad = {SECTOR, 1, 8};
    /* Missing file. */
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_E_IO);
    assert_int_equal(nvt_flash_file_open(&f, path, &bad, NVT_FLASH_FILE_CREATE), NVT_E_INVALID);
    assert_int_equal(nvt_flash_file_open(NULL, path, &geo, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_file_open(&f, NULL, &geo, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    /* Size must match the geometry exactly. */
    assert_int_equal(nvt_flash_file_open(&f, path, &other, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    /* Closing twice, or a zeroed driver, is harmless. */
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    nvt_flash_file_t zero;
    memset(&zero, 0, sizeof(zero));
    assert_int_equal(nvt_flash_file_close(&zero), NVT_OK);
    assert_int_equal(nvt_flash_file_close(NULL), NVT_OK);
}

static void nor_rules_and_persistence(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    uint8_t a[16], b[16], out[16], img[SIZE];
    memset(a, 0xF0, sizeof(a));
    memset(b, 0x3C, sizeof(b));
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE), NVT_OK);
    assert_int_equal(nvt_flash_program(&f.flash, SECTOR + 8, a, 16), NVT_OK);
    assert_int_equal(nvt_flash_program(&f.flash, SECTOR + 8, b, 16), NVT_OK);
    assert_int_equal(nvt_flash_read(&f.flash, SECTOR + 8, out, 16), NVT_OK);
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(out[i], 0x30);
    }
    /* Alignment and bounds are checked before the driver. */
    assert_int_equal(nvt_flash_program(&f.flash, 4, a, 8), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(&f.flash, 8, a, 12), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(&f.flash, SIZE - 8, a, 16), NVT_E_INVALID);
    assert_int_equal(nvt_flash_read(&f.flash, SIZE - 4, out, 8), NVT_E_INVALID);
    assert_int_equal(nvt_flash_erase(&f.flash, SECTORS), NVT_E_INVALID);
    assert_int_equal(nvt_flash_program(&f.flash, 2 * SECTOR, a, 16), NVT_OK);
    assert_int_equal(nvt_flash_erase(&f.flash, 1), NVT_OK);
    assert_int_equal(nvt_flash_sync(&f.flash), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    /* The file is the raw flash: sector 1 erased, sector 2 programmed. */
    raw(img);
    for (size_t i = 0; i < SIZE; i++) {
        uint8_t want = (i >= 2 * SECTOR && i < 2 * SECTOR + 16) ? 0xF0 : 0xFF;
        assert_int_equal(img[i], want);
    }
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_OK);
    assert_int_equal(nvt_flash_read(&f.flash, 2 * SECTOR, out, 16), NVT_OK);
    assert_memory_equal(out, a, 16);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
}

static void strict_refuses_programmed_units(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    uint8_t a[24], img[SIZE];
    memset(a, 0x11, sizeof(a));
    assert_int_equal(
        nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE | NVT_FLASH_FILE_STRICT),
        NVT_OK);
    assert_int_equal(nvt_flash_program(&f.flash, 16, a, 8), NVT_OK);
    memset(a, 0x00, sizeof(a));
    /* Overlaps the programmed unit: refused as a whole. */
    assert_int_equal(nvt_flash_program(&f.flash, 8, a, 24), NVT_E_PROGRAMMED);
    assert_int_equal(nvt_flash_program(&f.flash, 24, a, 8), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    raw(img);
    assert_int_equal(img[8], 0xFF);
    assert_int_equal(img[16], 0x11);
    assert_int_equal(img[24], 0x00);
}

static void open_fd_keeps_the_descriptor(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(nvt_flash_file_open_fd(&f, fd, &geo, NVT_FLASH_FILE_CREATE |
                                                             NVT_FLASH_FILE_SYNC),
                     NVT_OK);
    uint8_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    assert_int_equal(nvt_flash_program(&f.flash, 0, a, 8), NVT_OK);
    assert_int_equal(nvt_flash_sync(&f.flash), NVT_OK);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    /* Still open and usable by its owner. */
    uint8_t out[8];
    assert_int_equal(pread(fd, out, 8, 0), 8);
    assert_memory_equal(out, a, 8);
    assert_int_equal(nvt_flash_file_open_fd(&f, -1, &geo, 0), NVT_E_INVALID);
    assert_int_equal(nvt_flash_file_open_fd(&f, fd, NULL, 0), NVT_E_INVALID);
    close(fd);
}

/* A simulated power cut on an image (the emulation's cut injection): the
 * image keeps what the cut left, and a reopened image reads it. */
static void cut_leaves_the_image_as_cut(void **state)
{
    (void)state;
    nvt_flash_file_t f;
    uint8_t a[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, out[16];
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, NVT_FLASH_FILE_CREATE), NVT_OK);
    nvt_flash_emu_cut_at(&f.emu, 2, NVT_FLASH_CUT_DONE, 7);
    assert_int_equal(nvt_flash_program(&f.flash, 0, a, 16), NVT_OK);
    assert_int_equal(nvt_flash_program(&f.flash, SECTOR, a, 16), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_read(&f.flash, 0, out, 16), NVT_E_POWER_LOST);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
    assert_int_equal(nvt_flash_file_open(&f, path, &geo, 0), NVT_OK);
    assert_int_equal(nvt_flash_read(&f.flash, SECTOR, out, 16), NVT_OK);
    assert_memory_equal(out, a, 16);
    assert_int_equal(nvt_flash_file_close(&f), NVT_OK);
}

/* The SIZExCOUNTxUNIT syntax of the module's setting and the tool. */
static void geometry_text_is_parsed_strictly(void **state)
{
    (void)state;
    nvt_flash_geometry_t g;
    assert_int_equal(nvt_flash_geometry_parse("4096x64x8", &g), NVT_OK);
    assert_int_equal(g.sector_size, 4096);
    assert_int_equal(g.sector_count, 64);
    assert_int_equal(g.prog_unit, 8);
    static const char *const bad[] = { "", "4096", "4096x64", "4096x64x8x", "4096x64x8 ", "x64x8", "4096xx8",
                                       "-4096x64x8", "4096x64x3", "4096x1x8", "100x64x8", "4294967296x64x8",
                                       "99999999999999999999x64x8" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(nvt_flash_geometry_parse(bad[i], &g), NVT_E_INVALID);
    }
    assert_int_equal(nvt_flash_geometry_parse(NULL, &g), NVT_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geometry_text_is_parsed_strictly),
        cmocka_unit_test_setup_teardown(create_fills_with_erased_bytes, make_path, remove_path),
        cmocka_unit_test_setup_teardown(open_checks_the_image, make_path, remove_path),
        cmocka_unit_test_setup_teardown(nor_rules_and_persistence, make_path, remove_path),
        cmocka_unit_test_setup_teardown(strict_refuses_programmed_units, make_path, remove_path),
        cmocka_unit_test_setup_teardown(open_fd_keeps_the_descriptor, make_path, remove_path),
        cmocka_unit_test_setup_teardown(cut_leaves_the_image_as_cut, make_path, remove_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
