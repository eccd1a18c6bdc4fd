/* The posix port's host functions: where images are (NVTOKEN_IMAGE, the
 * configuration file, the XDG default), settings, and the image lock's
 * change counter. Runs in a temporary directory with its own HOME. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvtoken/port.h"

static char dir[] = "/tmp/nvt-port-XXXXXX";
static char buf[NVT_PORT_PATH_MAX];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void clear_env(void)
{
    unsetenv("NVTOKEN_IMAGE");
    unsetenv("NVTOKEN_CONF");
    unsetenv("NVTOKEN_SYNC");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", dir, 1);
}

static void nvtoken_image_lists_one_slot_per_path(void **state)
{
    (void)state;
    clear_env();
    setenv("NVTOKEN_IMAGE", "/a/one.img::/b/two.img", 1);
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "/a/one.img");
    assert_int_equal(nvt_port_image_path(1, buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "/b/two.img");
    assert_int_equal(nvt_port_image_path(2, buf, sizeof(buf)), NVT_E_NOT_FOUND);
    char tiny[4];
    assert_int_equal(nvt_port_image_path(0, tiny, sizeof(tiny)), NVT_E_BUFFER_TOO_SMALL);
}

static void the_configuration_file_comes_next(void **state)
{
    (void)state;
    clear_env();
    char conf[256];
    snprintf(conf, sizeof(conf), "%s/my.conf", dir);
    write_file(conf, "# nvtoken\n  image = /c/three.img  \nsync=0\nimage=/d/four.img # second slot\n");
    setenv("NVTOKEN_CONF", conf, 1);
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "/c/three.img");
    assert_int_equal(nvt_port_image_path(1, buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "/d/four.img");
    assert_int_equal(nvt_port_image_path(2, buf, sizeof(buf)), NVT_E_NOT_FOUND);
    assert_int_equal(nvt_port_setting("sync", buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "0");
    setenv("NVTOKEN_SYNC", "1", 1);
    assert_int_equal(nvt_port_setting("sync", buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "1");
    assert_int_equal(nvt_port_setting("geometry", buf, sizeof(buf)), NVT_E_NOT_FOUND);
    /* a configuration file that was named must exist */
    snprintf(conf, sizeof(conf), "%s/missing.conf", dir);
    setenv("NVTOKEN_CONF", conf, 1);
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_E_IO);
}

static void the_default_is_under_the_users_data_directory(void **state)
{
    (void)state;
    clear_env();
    char want[256];
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_OK);
    snprintf(want, sizeof(want), "%s/.local/share/nvtoken/token.img", dir);
    assert_string_equal(buf, want);
    struct stat st;
    snprintf(want, sizeof(want), "%s/.local/share/nvtoken", dir);
    assert_int_equal(stat(want, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(nvt_port_image_path(1, buf, sizeof(buf)), NVT_E_NOT_FOUND);
    char data[256];
    snprintf(data, sizeof(data), "%s/xdg", dir);
    setenv("XDG_DATA_HOME", data, 1);
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_OK);
    snprintf(want, sizeof(want), "%s/xdg/nvtoken/token.img", dir);
    assert_string_equal(buf, want);
    /* the default configuration file is $XDG_CONFIG_HOME/nvtoken/nvtoken.conf */
    char cdir[256], conf[300];
    snprintf(cdir, sizeof(cdir), "%s/cfg", dir);
    setenv("XDG_CONFIG_HOME", cdir, 1);
    mkdir(cdir, 0700);
    snprintf(cdir, sizeof(cdir), "%s/cfg/nvtoken", dir);
    mkdir(cdir, 0700);
    snprintf(conf, sizeof(conf), "%s/nvtoken.conf", cdir);
    write_file(conf, "image = /e/five.img\n");
    assert_int_equal(nvt_port_image_path(0, buf, sizeof(buf)), NVT_OK);
    assert_string_equal(buf, "/e/five.img");
}

static void the_image_lock_counts_changes_between_processes(void **state)
{
    (void)state;
    char image[256];
    snprintf(image, sizeof(image), "%s/shared.img", dir);
    nvt_port_filelock_t *a = NULL;
    uint64_t c0 = 99, c1 = 99, c2 = 99;
    assert_int_equal(nvt_port_filelock_open(image, &a), NVT_OK);
    assert_int_equal(nvt_port_filelock_acquire(a, &c0), NVT_OK);
    assert_int_equal(c0, 0);
    assert_int_equal(nvt_port_filelock_acquire(a, &c0), NVT_E_INVALID); /* already held */
    assert_int_equal(nvt_port_filelock_release(a, 0, &c1), NVT_OK);
    assert_int_equal(c1, 0);
    /* another process changes the image... */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        nvt_port_filelock_t *b = NULL;
        uint64_t c;
        int ok = nvt_port_filelock_open(image, &b) == NVT_OK && nvt_port_filelock_acquire(b, &c) == NVT_OK &&
                 nvt_port_filelock_release(b, 1, &c) == NVT_OK && c == 1;
        nvt_port_filelock_close(b);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* ...and this one sees it */
    assert_int_equal(nvt_port_filelock_acquire(a, &c2), NVT_OK);
    assert_int_equal(c2, 1);
    assert_int_equal(nvt_port_filelock_release(a, 1, &c2), NVT_OK);
    assert_int_equal(c2, 2);
    nvt_port_filelock_close(a);
    nvt_port_filelock_close(NULL);
}

static void the_port_mutex_locks(void **state)
{
    (void)state;
    void *m = NULL;
    assert_int_equal(nvt_port_mutex_create(&m), NVT_OK);
    assert_non_null(m);
    assert_int_equal(nvt_port_mutex_lock(m), NVT_OK);
    assert_int_equal(nvt_port_mutex_unlock(m), NVT_OK);
    nvt_port_mutex_destroy(m);
    nvt_port_mutex_destroy(NULL);
    assert_int_equal(nvt_port_mutex_create(NULL), NVT_E_INVALID);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nvtoken_image_lists_one_slot_per_path),
        cmocka_unit_test(the_configuration_file_comes_next),
        cmocka_unit_test(the_default_is_under_the_users_data_directory),
        cmocka_unit_test(the_image_lock_counts_changes_between_processes),
        cmocka_unit_test(the_port_mutex_locks),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        failed++;
    }
    return failed;
}
