/* The core_pkcs11.h application (corepkcs11_app.c) on nvtoken's PKCS#11
 * module, libnvtoken.so, as any PKCS#11 consumer loads it: the program is
 * linked with the module (which exports the C_* functions and nothing
 * else) and nvtoken's corePKCS11 helpers, and the token lives in a flash
 * image file (NVTOKEN_IMAGE) made for this run. Two runs of the
 * application: provision, then find and sign. Host only. */
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

#include "corepkcs11_app.h"

static char image[64];

static void application_runs_on_the_module(void **state)
{
    (void)state;
    unsigned found = 0;
    snprintf(image, sizeof(image), "/tmp/nvt-core-pkcs11-XXXXXX");
    int fd = mkstemp(image);
    assert_true(fd >= 0);
    close(fd);
    unlink(image); /* the module creates it, with the geometry below */
    assert_int_equal(setenv("NVTOKEN_IMAGE", image, 1), 0);
    assert_int_equal(setenv("NVTOKEN_GEOMETRY", "4096x16x8", 1), 0);
    assert_int_equal(setenv("NVTOKEN_SYNC", "0", 1), 0);
    assert_int_equal(app_start(), 0);
    assert_int_equal(app_check_helpers(), 0);
    assert_int_equal(app_provision(APP_ALL), 0);
    assert_int_equal(app_inventory(&found), 0);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), 0);
    assert_int_equal(app_stop(), 0);
    assert_int_equal(app_start(), 0);
    assert_int_equal(app_inventory(&found), 0);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), 0);
    assert_int_equal(app_stop(), 0);
    unlink(image);
    char lock[80];
    snprintf(lock, sizeof(lock), "%s.lock", image);
    unlink(lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(application_runs_on_the_module) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
