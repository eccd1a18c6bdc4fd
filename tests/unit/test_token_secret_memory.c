/* Image file hygiene and secrets in RAM on the host (issue 13.6):
 *   - the port's secret memory and the pages it excludes carry Linux's
 *     "dd" flag (MADV_DONTDUMP: left out of core dumps), read from
 *     /proc/self/smaps;
 *   - through the host module's default configuration: the token's static
 *     state and the cached copy of every private or secret key object are
 *     in such pages; the image and its lock file are made with mode 0600
 *     whatever the umask.
 * Host only. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvtoken/port.h"
#include "tok_internal.h"

static char dir[] = "/tmp/nvt-secret-XXXXXX";

/* 1 if the mapping holding p is marked "dd" (not dumped), 0 if not, -1 if
 * no mapping holds it. */
static int not_dumped(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    assert_non_null(f);
    char line[512];
    int inside = 0, found = -1;
    uintptr_t a = (uintptr_t)p;
    while (fgets(line, sizeof(line), f) != NULL) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
            inside = a >= lo && a < hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " dd") != NULL;
            break;
        }
    }
    fclose(f);
    return found;
}

static uint8_t static_secret[10000];

static void secret_memory_is_left_out_of_core_dumps(void **state)
{
    (void)state;
    uint8_t *p = nvt_port_secret_alloc(100);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 4096, 0);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(p[i], 0);
    }
    memset(p, 0x5A, 100);
    assert_int_equal(not_dumped(p), 1);
    assert_int_equal(not_dumped(p + 99), 1);
    nvt_port_secret_free(p, 100);
    uint8_t *big = nvt_port_secret_alloc(3 * 4096 + 1);
    assert_non_null(big);
    assert_int_equal(not_dumped(big + 3 * 4096), 1);
    nvt_port_secret_free(big, 3 * 4096 + 1);
    assert_null(nvt_port_secret_alloc(0));
    nvt_port_secret_free(NULL, 10);
    /* static memory: every page that holds a byte of it */
    assert_int_equal(not_dumped(static_secret), 0);
    assert_int_equal(nvt_port_secret_exclude(static_secret, sizeof(static_secret)), NVT_OK);
    assert_int_equal(not_dumped(static_secret), 1);
    assert_int_equal(not_dumped(static_secret + sizeof(static_secret) - 1), 1);
    /* plain heap memory is not marked (the check can tell) */
    void *heap = malloc(64);
    assert_int_equal(not_dumped(heap), 0);
    free(heap);
}

static CK_OBJECT_HANDLE make_key(CK_SESSION_HANDLE s, CK_BBOOL token)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BYTE value[16] = { 0x11, 0x22, 0x33 };
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_TOKEN, &token, 1 },          { CKA_VALUE, value, sizeof(value) },
                         { CKA_ENCRYPT, &yes, 1 } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(C_CreateObject(s, t, 5, &h), CKR_OK);
    return h;
}

static void the_module_keeps_its_key_material_out_of_core_dumps(void **state)
{
    (void)state;
    char image[256], lock[256];
    snprintf(image, sizeof(image), "%s/token.img", dir);
    snprintf(lock, sizeof(lock), "%s/token.img.lock", dir);
    setenv("NVTOKEN_IMAGE", image, 1);
    setenv("NVTOKEN_GEOMETRY", "4096x16x8", 1);
    setenv("NVTOKEN_SYNC", "0", 1);
    setenv("XDG_CONFIG_HOME", dir, 1);
    unsetenv("NVTOKEN_CONF");
    mode_t old = umask(0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat(image, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(stat(lock, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    CK_UTF8CHAR pin[] = "12345678", upin[] = "1234", label[32];
    memset(label, ' ', sizeof(label));
    assert_int_equal(C_InitToken(0, pin, 8, label), CKR_OK);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_SO, pin, 8), CKR_OK);
    assert_int_equal(C_InitPIN(s, upin, 4), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, upin, 4), CKR_OK);
    (void)make_key(s, CK_TRUE);
    (void)make_key(s, CK_FALSE); /* a session key: in the token's static pool */
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE d[] = { { CKA_CLASS, &data, sizeof(data) }, { CKA_TOKEN, &yes, 1 } };
    CK_OBJECT_HANDLE hd;
    assert_int_equal(C_CreateObject(s, d, 2, &hd), CKR_OK);
    /* the token's state: PIN verifiers, session objects, working buffers */
    assert_int_equal(not_dumped(&tok), 1);
    assert_int_equal(not_dumped(tok.arena), 1);
    assert_int_equal(not_dumped(tok.buf[1] + sizeof(tok.buf[1]) - 1), 1);
    assert_int_equal(not_dumped((const uint8_t *)&tok + sizeof(tok) - 1), 1);
    /* the cache: every private or secret key object */
    tok_slot_t *slot = &tok.slots[0];
    unsigned secret = 0;
    for (size_t i = 0; i < slot->nobjs; i++) {
        tok_obj_t o;
        assert_int_equal(tok_obj_parse_header(&o, slot->objs[i].blob, slot->objs[i].len), CKR_OK);
        if (tok_obj_is_secret_class(&o)) {
            assert_int_equal(not_dumped(slot->objs[i].blob), 1);
            secret++;
        }
    }
    assert_int_equal(secret, 1);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    /* after a restart too: the cache is filled from the image */
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, upin, 4), CKR_OK);
    for (size_t i = 0; i < slot->nobjs; i++) {
        tok_obj_t o;
        assert_int_equal(tok_obj_parse_header(&o, slot->objs[i].blob, slot->objs[i].len), CKR_OK);
        assert_int_equal(not_dumped(slot->objs[i].blob), tok_obj_is_secret_class(&o) ? 1 : 0);
    }
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static int make_dir(void **state)
{
    (void)state;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secret_memory_is_left_out_of_core_dumps),
        cmocka_unit_test(the_module_keeps_its_key_material_out_of_core_dumps),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
