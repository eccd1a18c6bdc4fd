/* corePKCS11, built from its published sources unmodified, on nvtoken's
 * PAL (src/compat/corepkcs11_pal/): the PAL's contract, then a corePKCS11
 * application (corepkcs11_app.c) provisioning a root CA, a device key pair
 * and certificate, a code-verification key and a JITP certificate, and
 * signing after a restart, on small-sector geometries down to the
 * reference forum thread's 64 x 256 B; then power cuts at every flash
 * operation of the provisioning (ram flash driver), after each of which a
 * restart must find every credential old or new and the device must be
 * provisioned again and sign. Host and Cortex-M4 (QEMU).
 *
 *   compat_corepkcs11_pal                          the contract and the flows
 *   compat_corepkcs11_pal --cut MODE [--stride K]  the sweep (notdone|done|torn)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_pkcs11.h"
#include "core_pkcs11_pal.h"

#include "corepkcs11_app.h"
#include "nvt_pkcs11_pal.h"
#include "nvt_test_certs.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

#include "mbedtls/build_info.h" /* the test's mbedTLS configuration */
#if defined(MBEDTLS_THREADING_ALT)
#include "mbedtls/threading.h"
#endif

/* ---- a region on the ram flash driver, the PAL's store on it -------------------------- */

static struct {
    nvt_flash_ram_t ram;
    void *ram_mem;
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    nvt_store_entry_t index[32];
    nvt_store_sector_t *sectors;
    uint32_t scratch[64];
    nvt_pkcs11_pal_config_t pal;
    char name[24];
} region;

static void region_free(void)
{
    free(region.ram_mem);
    free(region.sectors);
    region.ram_mem = NULL;
    region.sectors = NULL;
}

/* A blank region of \p count sectors of \p size bytes, formatted. */
static void region_setup(uint32_t size, uint32_t count, uint32_t unit)
{
    region_free();
    nvt_flash_geometry_t geo = { size, count, unit };
    size_t mem = NVT_FLASH_RAM_MEM_BYTES(size, count, unit);
    region.ram_mem = malloc(mem);
    region.sectors = calloc(count, sizeof(nvt_store_sector_t));
    assert_non_null(region.ram_mem);
    assert_non_null(region.sectors);
    assert_int_equal(nvt_flash_ram_init(&region.ram, &geo, region.ram_mem, mem, 0, 0xc0de), NVT_OK);
    region.store_cfg.flash = &region.ram.flash;
    region.store_cfg.index = region.index;
    region.store_cfg.index_len = sizeof(region.index);
    region.store_cfg.sectors = region.sectors;
    region.store_cfg.sectors_len = count * sizeof(nvt_store_sector_t);
    region.store_cfg.scratch = region.scratch;
    region.store_cfg.scratch_len = sizeof(region.scratch);
    assert_int_equal(nvt_store_format(&region.store, &region.store_cfg), NVT_OK);
    region.pal.store_cfg = &region.store_cfg;
    region.pal.store = &region.store;
    region.pal.flags = 0;
    assert_int_equal(nvt_pkcs11_pal_configure(&region.pal), NVT_OK);
    snprintf(region.name, sizeof(region.name), "%ux%u/u%u", (unsigned)count, (unsigned)size, (unsigned)unit);
}

/* Whether any 6-byte slice of \p needle occurs in the region's raw bytes
 * (a value may be split between sectors, so whole needles are not looked
 * for). */
static int region_holds(const void *needle, size_t len)
{
    const unsigned char *n = needle;
    size_t size = region.ram.flash.geo.sector_size * region.ram.flash.geo.sector_count;
    for (size_t at = 0; at + 6 <= len; at += 6) {
        for (size_t i = 0; i + 6 <= size; i++) {
            if (memcmp(region.ram.bytes + i, n + at, 6) == 0) {
                return 1;
            }
        }
    }
    return 0;
}

/* ---- the PAL's contract (core_pkcs11_pal.h) --------------------------------------------- */

/* An EC private key as corePKCS11 saves one (SEC1 ECPrivateKey DER; the
 * scalar is a recognisable pattern, not a key anyone uses). */
static CK_BYTE sec1_key[] = {
    0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x11, 0x22, 0x33,
    0x44, 0x55, 0x66, 0x77, 0x88, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x5c, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
    0xee, 0xf0, 0x0f, 0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
};

static CK_OBJECT_HANDLE save(const char *label, CK_ULONG label_len, const void *data, CK_ULONG len)
{
    CK_ATTRIBUTE a = { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, label_len };
    return PKCS11_PAL_SaveObject(&a, (CK_BYTE_PTR)(uintptr_t)data, len);
}

static CK_OBJECT_HANDLE find(const char *label, CK_ULONG len)
{
    return PKCS11_PAL_FindObject((CK_BYTE_PTR)(uintptr_t)label, len);
}

/* The value of \p h: its bytes equal \p expect, and whether it is private. */
static CK_BBOOL value_is(CK_OBJECT_HANDLE h, const void *expect, CK_ULONG len)
{
    CK_BYTE_PTR data = NULL;
    CK_ULONG got = 0;
    CK_BBOOL priv = 2;
    assert_int_equal(PKCS11_PAL_GetObjectValue(h, &data, &got, &priv), CKR_OK);
    assert_int_equal(got, len);
    assert_memory_equal(data, expect, len);
    PKCS11_PAL_GetObjectValueCleanup(data, got);
    return priv;
}

static void pal_contract(void **state)
{
    (void)state;
    region_setup(256, 64, 8);
    /* Not configured, or a blank region without FORMAT_BLANK: no PAL. */
    assert_int_equal(nvt_pkcs11_pal_configure(NULL), NVT_OK);
    assert_int_equal(PKCS11_PAL_Initialize(), CKR_FUNCTION_FAILED);
    nvt_pkcs11_pal_config_t bad = { NULL, &region.store, 0 };
    assert_int_equal(nvt_pkcs11_pal_configure(&bad), NVT_E_INVALID);
    assert_int_equal(nvt_pkcs11_pal_configure(&region.pal), NVT_OK);
    assert_int_equal(PKCS11_PAL_Initialize(), CKR_OK);

    /* Save, find (with and without a trailing NUL), read: objects of any size. */
    CK_OBJECT_HANDLE root = save("Root Cert", 9, nvt_test_root_ca, sizeof(nvt_test_root_ca));
    assert_int_not_equal(root, CK_INVALID_HANDLE);
    assert_int_equal(find("Root Cert", 9), root);
    assert_int_equal(find("Root Cert", 10), root);
    assert_int_equal(find("Root Cer", 8), CK_INVALID_HANDLE);
    assert_int_equal(value_is(root, nvt_test_root_ca, sizeof(nvt_test_root_ca)), CK_FALSE);
    CK_OBJECT_HANDLE key = save("Device Priv TLS Key", 20, sec1_key, sizeof(sec1_key));
    assert_int_not_equal(key, CK_INVALID_HANDLE);
    assert_int_not_equal(key, root);
    assert_int_equal(value_is(key, sec1_key, sizeof(sec1_key)), CK_TRUE);
    /* A raw secret (HMAC key) is private whatever its label. */
    CK_BYTE hmac[32];
    memset(hmac, 0x3c, sizeof(hmac));
    CK_OBJECT_HANDLE mac = save("anything", 8, hmac, sizeof(hmac));
    assert_int_equal(value_is(mac, hmac, sizeof(hmac)), CK_TRUE);

    /* The record's bytes (docs/FORMAT.md, Part 3). */
    CK_OBJECT_HANDLE cert = save("Device Cert", 12, nvt_test_device_cert, sizeof(nvt_test_device_cert));
    static unsigned char record[34 + NVT_TEST_DEVICE_CERT_LEN];
    size_t record_len = 0;
    assert_int_equal(nvt_store_get(&region.store, (nvt_store_id_t)cert, record, sizeof(record), &record_len), NVT_OK);
    assert_int_equal(record_len, 1269);
    assert_int_equal(record[0], 11);
    assert_int_equal(record[1], 0);
    assert_memory_equal(record + 2, "Device Cert\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32);
    assert_memory_equal(record + 34, nvt_test_device_cert, NVT_TEST_DEVICE_CERT_LEN);
    assert_int_equal(PKCS11_PAL_DestroyObject(cert), CKR_OK);

    /* Saving a label again replaces its value under the same handle. */
    assert_int_equal(save("Root Cert", 9, nvt_test_device_cert, sizeof(nvt_test_device_cert)), root);
    assert_int_equal(value_is(root, nvt_test_device_cert, sizeof(nvt_test_device_cert)), CK_FALSE);

    /* Bad input: nothing saved, precise errors. */
    char long_label[NVT_PKCS11_PAL_LABEL_MAX + 2];
    memset(long_label, 'x', sizeof(long_label));
    assert_int_equal(save(long_label, NVT_PKCS11_PAL_LABEL_MAX + 1, hmac, 32), CK_INVALID_HANDLE);
    assert_int_not_equal(save(long_label, NVT_PKCS11_PAL_LABEL_MAX, nvt_test_device_cert, 64), CK_INVALID_HANDLE);
    assert_int_equal(save("", 0, hmac, 32), CK_INVALID_HANDLE);
    assert_int_equal(save("\0\0", 2, hmac, 32), CK_INVALID_HANDLE);
    assert_int_equal(PKCS11_PAL_SaveObject(NULL, hmac, 32), CK_INVALID_HANDLE);
    CK_ATTRIBUTE no_value = { CKA_LABEL, NULL_PTR, 4 };
    assert_int_equal(PKCS11_PAL_SaveObject(&no_value, hmac, 32), CK_INVALID_HANDLE);
    assert_int_equal(save("label", 5, NULL, 32), CK_INVALID_HANDLE);
    assert_int_equal(PKCS11_PAL_FindObject(NULL, 4), CK_INVALID_HANDLE);
    CK_BYTE_PTR data;
    CK_ULONG len;
    CK_BBOOL priv;
    assert_int_equal(PKCS11_PAL_GetObjectValue(root, NULL, &len, &priv), CKR_ARGUMENTS_BAD);
    assert_int_equal(PKCS11_PAL_GetObjectValue(root, &data, NULL, &priv), CKR_ARGUMENTS_BAD);
    assert_int_equal(PKCS11_PAL_GetObjectValue(root, &data, &len, NULL), CKR_ARGUMENTS_BAD);
    assert_int_equal(PKCS11_PAL_GetObjectValue(0, &data, &len, &priv), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(PKCS11_PAL_GetObjectValue(999, &data, &len, &priv), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(PKCS11_PAL_GetObjectValue(0x10000, &data, &len, &priv), CKR_KEY_HANDLE_INVALID);
    PKCS11_PAL_GetObjectValueCleanup(NULL, 0);

    /* Destroy: gone, its handle invalid, and a private value scrubbed from
     * the flash; a private value replaced by a public one is scrubbed too. */
    assert_true(region_holds(sec1_key + 7, 16));
    assert_int_equal(PKCS11_PAL_DestroyObject(key), CKR_OK);
    assert_int_equal(find("Device Priv TLS Key", 19), CK_INVALID_HANDLE);
    assert_int_equal(PKCS11_PAL_GetObjectValue(key, &data, &len, &priv), CKR_KEY_HANDLE_INVALID);
    assert_int_equal(PKCS11_PAL_DestroyObject(key), CKR_OBJECT_HANDLE_INVALID);
    assert_int_equal(PKCS11_PAL_DestroyObject(0), CKR_OBJECT_HANDLE_INVALID);
    assert_false(region_holds(sec1_key + 7, 16));
    assert_true(region_holds(hmac, 32));
    assert_int_equal(save("anything", 8, nvt_test_device_cert, sizeof(nvt_test_device_cert)), mac);
    assert_int_equal(value_is(mac, nvt_test_device_cert, sizeof(nvt_test_device_cert)), CK_FALSE);
    assert_false(region_holds(hmac, 32));
    /* A freed handle is used again by the next new label. */
    assert_int_equal(save("Device Priv TLS Key", 19, sec1_key, sizeof(sec1_key)), key);

    /* A restart (mount again) finds everything as it was. */
    assert_int_equal(PKCS11_PAL_Initialize(), CKR_OK);
    assert_int_equal(find("Root Cert", 9), root);
    assert_int_equal(value_is(root, nvt_test_device_cert, sizeof(nvt_test_device_cert)), CK_FALSE);
    assert_int_equal(value_is(key, sec1_key, sizeof(sec1_key)), CK_TRUE);

    /* FORMAT_BLANK formats a blank region. */
    const nvt_flash_geometry_t geo = { 256, 64, 8 };
    region_setup(256, 64, 8);
    assert_int_equal(nvt_flash_ram_init(&region.ram, &geo, region.ram_mem, NVT_FLASH_RAM_MEM_BYTES(256, 64, 8), 0, 1),
                     NVT_OK);
    assert_int_equal(PKCS11_PAL_Initialize(), CKR_FUNCTION_FAILED);
    region.pal.flags = NVT_PKCS11_PAL_FORMAT_BLANK;
    assert_int_equal(PKCS11_PAL_Initialize(), CKR_OK);
    assert_int_equal(find("Root Cert", 9), CK_INVALID_HANDLE);
    region_free();
}

/* ---- corePKCS11 applications ------------------------------------------------------------ */

/* A boot of the application: corePKCS11's C_Initialize mounts the store. */
static void boot(void)
{
    assert_int_equal(app_start(), CKR_OK);
}

static void report(void)
{
    nvt_store_stats_t st;
    assert_int_equal(nvt_store_stat(&region.store, &st), NVT_OK);
    printf("corePKCS11 on nvtoken's PAL, %s: %u objects, %u bytes of %u, largest object %u B; "
           "erase counts %u..%u\n",
           region.name, (unsigned)st.objects, (unsigned)st.live_bytes, (unsigned)st.capacity,
           (unsigned)st.max_object, (unsigned)st.erase_min, (unsigned)st.erase_max);
}

/* Provision everything, restart, find everything and sign; then replace the
 * device certificate a few times (a renewal) and restart again. */
static void flow(uint32_t size, uint32_t count)
{
    unsigned found = 0;
    region_setup(size, count, 8);
    boot();
    assert_int_equal(app_check_helpers(), CKR_OK);
    assert_int_equal(app_provision(APP_ALL), CKR_OK);
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), CKR_OK);
    assert_int_equal(app_stop(), CKR_OK);
    boot();
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), CKR_OK);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(app_provision(APP_DEVICE_CERT), CKR_OK);
    }
    assert_int_equal(app_stop(), CKR_OK);
    boot();
    assert_int_equal(app_inventory(&found), CKR_OK);
    assert_int_equal(found, APP_ALL);
    assert_int_equal(app_sign_and_verify(), CKR_OK);
    assert_int_equal(app_stop(), CKR_OK);
    report();
    nvt_store_fsck_report_t fsck;
    assert_int_equal(nvt_store_fsck(&region.store, 0, &fsck), NVT_OK);
    assert_int_equal(fsck.records_corrupt, 0);
    region_free();
}

static void flow_64x256(void **state)
{
    (void)state;
    flow(256, 64);
}

static void flow_8x2048(void **state)
{
    (void)state;
    flow(2048, 8);
}

static void flow_4x4096(void **state)
{
    (void)state;
    flow(4096, 4);
}

static void flow_2x16384(void **state)
{
    (void)state;
    flow(16384, 2);
}

/* ---- power cuts during provisioning ---------------------------------------------------- */

/* What app_provision stores, step by step: the key pair is one step of two
 * PAL saves (public, then private). */
static const unsigned steps[] = { APP_ROOT_CA, APP_DEVICE_PUB | APP_DEVICE_KEY, APP_DEVICE_CERT, APP_CODE_KEY,
                                  APP_JITP_CERT };
#define STEPS (sizeof(steps) / sizeof(steps[0]))

/* The credentials stored by the first \p k steps. */
static unsigned prefix(unsigned k)
{
    unsigned bits = 0;
    for (unsigned i = 0; i < k; i++) {
        bits |= steps[i];
    }
    return bits;
}

static const char *cut_mode_name;
static nvt_flash_cut_t cut_mode;
static uint32_t cut_stride = 1;

static void powercut_sweep(void **state)
{
    (void)state;
    /* An uncut run: the flash operations each step takes. */
    uint32_t end_of[STEPS];
    region_setup(256, 64, 8);
    boot();
    uint32_t start = region.ram.counters.ops;
    for (unsigned k = 0; k < STEPS; k++) {
        assert_int_equal(app_provision(steps[k]), CKR_OK);
        end_of[k] = region.ram.counters.ops - start;
    }
    assert_int_equal(app_stop(), CKR_OK);
    uint32_t total = end_of[STEPS - 1];
    unsigned before = 0, after = 0, half_pair = 0, cuts = 0;
    for (uint32_t n = 1; n <= total; n += cut_stride) {
        unsigned k = 0;
        while (end_of[k] < n) {
            k++;
        }
        region_setup(256, 64, 8);
        boot();
        nvt_flash_ram_cut_at(&region.ram, n, cut_mode);
        (void)app_provision(APP_ALL);
        assert_true(nvt_flash_ram_power_lost(&region.ram));
        (void)app_stop();
        nvt_flash_ram_power_on(&region.ram);
        /* The restart: every credential old or new, and whole. */
        boot();
        unsigned found = 0;
        assert_int_equal(app_inventory(&found), CKR_OK);
        if (found == prefix(k)) {
            before++;
        } else if (found == prefix(k + 1)) {
            after++;
        } else if (steps[k] == (APP_DEVICE_PUB | APP_DEVICE_KEY) && found == (prefix(k) | APP_DEVICE_PUB)) {
            half_pair++; /* corePKCS11 saved the public half; the private one was cut */
        } else {
            fail_msg("cut %u (%s) in step %u: found credentials 0x%02x, neither 0x%02x nor 0x%02x", (unsigned)n,
                     cut_mode_name, k, found, prefix(k), prefix(k + 1));
        }
        nvt_store_fsck_report_t fsck;
        assert_int_equal(nvt_store_fsck(&region.store, 0, &fsck), NVT_OK);
        assert_int_equal(fsck.records_corrupt, 0);
        /* Keep working: provision what is missing, then sign. */
        assert_int_equal(app_provision(APP_ALL & ~found), CKR_OK);
        assert_int_equal(app_inventory(&found), CKR_OK);
        assert_int_equal(found, APP_ALL);
        assert_int_equal(app_sign_and_verify(), CKR_OK);
        assert_int_equal(app_stop(), CKR_OK);
        cuts++;
    }
    printf("corePKCS11 on nvtoken's PAL, 64x256/u8, power cut (%s) at %u (1 in %u) of the provisioning's %u "
           "flash operations: every credential old or new; before the step %u, after it %u, key pair with only "
           "corePKCS11's first half %u; provisioned again and signed every time\n",
           cut_mode_name, cuts, (unsigned)cut_stride, (unsigned)total, before, after, half_pair);
    region_free();
}

/* ---- the QEMU board's mbedTLS hooks ------------------------------------------------------ */

#if defined(MBEDTLS_THREADING_ALT)
/* One thread: a mutex is a flag, and locking a locked one is an error. */
static void mutex_init(mbedtls_threading_mutex_t *m)
{
    m->locked = 0;
}

static void mutex_free(mbedtls_threading_mutex_t *m)
{
    m->locked = 0;
}

static int mutex_lock(mbedtls_threading_mutex_t *m)
{
    if (m->locked) {
        return MBEDTLS_ERR_THREADING_BAD_INPUT_DATA;
    }
    m->locked = 1;
    return 0;
}

static int mutex_unlock(mbedtls_threading_mutex_t *m)
{
    m->locked = 0;
    return 0;
}
#endif

#if defined(MBEDTLS_ENTROPY_HARDWARE_ALT)
/* mbedTLS declares it in a private header (library/entropy_poll.h). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

/* TEST ONLY: the board has no TRNG, and this test signs nothing anyone
 * relies on, so corePKCS11's generator is fed a fixed sequence. A device
 * needs a real source (docs/PORTING.md, step 4). */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    static uint32_t x = 0x9e3779b9u;
    (void)data;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        output[i] = (unsigned char)x;
    }
    *olen = len;
    return 0;
}
#endif

int main(int argc, char **argv)
{
#if defined(MBEDTLS_THREADING_ALT)
    mbedtls_threading_set_alt(mutex_init, mutex_free, mutex_lock, mutex_unlock);
#endif
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--cut") == 0) {
            cut_mode_name = argv[i + 1];
            cut_mode = strcmp(cut_mode_name, "notdone") == 0 ? NVT_FLASH_CUT_NOT_DONE
                       : strcmp(cut_mode_name, "done") == 0  ? NVT_FLASH_CUT_DONE
                                                             : NVT_FLASH_CUT_TORN;
        } else if (strcmp(argv[i], "--stride") == 0) {
            cut_stride = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        }
    }
    if (cut_mode_name != NULL) {
        const struct CMUnitTest sweep[] = { cmocka_unit_test(powercut_sweep) };
        return cmocka_run_group_tests(sweep, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pal_contract), cmocka_unit_test(flow_64x256),  cmocka_unit_test(flow_8x2048),
        cmocka_unit_test(flow_4x4096),  cmocka_unit_test(flow_2x16384),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
