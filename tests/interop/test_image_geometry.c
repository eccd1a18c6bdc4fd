/* An image is never destroyed by the geometry it is opened with (issue
 * 16.3), through the real module (libnvtoken.so, loaded with dlopen, its
 * default configuration: NVTOKEN_IMAGE, NVTOKEN_GEOMETRY).
 *
 * A 2048x16x8 image holding a token - an EC key pair, an AES key, two
 * certificates - is opened with every wrong geometry setting (other sizes,
 * counts, units, the same size cut otherwise), bogus ones, and as a
 * truncated, foreign or blank file. Each time C_Initialize succeeds, the
 * slot shows no token and its description says why, and nothing a client
 * can call - C_InitToken with another SO PIN or the right one included -
 * changes a byte of the image (compared byte for byte before and after).
 * With no geometry setting, or the right one, the module takes the
 * geometry from the image and the token is there, intact. Host only. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvtoken/pkcs11.h"

#define IMAGE_BYTES (2048u * 16u)

static const char *module_path;
static void *module;
static CK_FUNCTION_LIST_PTR p11;
static char dir[] = "/tmp/nvt-geo-XXXXXX";
static char image[256], saved[256];
static uint8_t golden[IMAGE_BYTES];

static CK_UTF8CHAR so_pin[] = "12345678";
static CK_UTF8CHAR other_so_pin[] = "87654321";
static CK_UTF8CHAR user_pin[] = "1234";
static CK_BBOOL yes = CK_TRUE;
static CK_BBOOL no = CK_FALSE;

static uint8_t cert_a[1000], cert_b[1200];

/* The file's bytes (at most cap), or -1 if it cannot be read. */
static long read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return (long)n;
}

static void write_file(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* The image is byte for byte what it was. */
static void assert_image_is(const uint8_t *want, size_t len)
{
    static uint8_t now[IMAGE_BYTES + 4096];
    assert_int_equal(read_file(image, now, sizeof(now)), (long)len);
    assert_memory_equal(now, want, len);
}

static CK_SESSION_HANDLE open_session(void)
{
    CK_SESSION_HANDLE s = 0;
    assert_int_equal(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    return s;
}

static void label32(CK_UTF8CHAR out[32], const char *text)
{
    memset(out, ' ', 32);
    memcpy(out, text, strlen(text));
}

static CK_OBJECT_HANDLE find_one(CK_SESSION_HANDLE s, const char *label)
{
    CK_ATTRIBUTE t[] = { { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) } };
    CK_OBJECT_HANDLE h[2];
    CK_ULONG n = 0;
    assert_int_equal(p11->C_FindObjectsInit(s, t, 1), CKR_OK);
    assert_int_equal(p11->C_FindObjects(s, h, 2, &n), CKR_OK);
    assert_int_equal(p11->C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(n, 1);
    return h[0];
}

static void create_cert(CK_SESSION_HANDLE s, const char *label, const uint8_t *der, size_t len)
{
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_BYTE subject[] = { 0x30, 0x00 };
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                         { CKA_CERTIFICATE_TYPE, &x509, sizeof(x509) },
                         { CKA_TOKEN, &yes, 1 },
                         { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) },
                         { CKA_SUBJECT, subject, sizeof(subject) },
                         { CKA_VALUE, (CK_VOID_PTR)(uintptr_t)der, len } };
    CK_OBJECT_HANDLE h;
    assert_int_equal(p11->C_CreateObject(s, t, 6, &h), CKR_OK);
}

/* The token of the 2048x16x8 image: every object there, with its value. */
static void assert_token_intact(void)
{
    CK_SESSION_HANDLE s = open_session();
    assert_int_equal(p11->C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    static uint8_t v[2048];
    CK_ATTRIBUTE a = { CKA_VALUE, v, sizeof(v) };
    assert_int_equal(p11->C_GetAttributeValue(s, find_one(s, "cert-a"), &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, sizeof(cert_a));
    assert_memory_equal(v, cert_a, sizeof(cert_a));
    a.ulValueLen = sizeof(v);
    assert_int_equal(p11->C_GetAttributeValue(s, find_one(s, "cert-b"), &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, sizeof(cert_b));
    assert_memory_equal(v, cert_b, sizeof(cert_b));
    CK_OBJECT_HANDLE key = find_one(s, "device-key");
    (void)find_one(s, "device-pub");
    (void)find_one(s, "aes");
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_BYTE hash[32] = { 1 }, sig[64];
    CK_ULONG sig_len = sizeof(sig);
    assert_int_equal(p11->C_SignInit(s, &ecdsa, key), CKR_OK);
    assert_int_equal(p11->C_Sign(s, hash, sizeof(hash), sig, &sig_len), CKR_OK);
    assert_int_equal(p11->C_CloseSession(s), CKR_OK);
}

static void set_geometry(const char *text)
{
    if (text != NULL) {
        assert_int_equal(setenv("NVTOKEN_GEOMETRY", text, 1), 0);
    } else {
        assert_int_equal(unsetenv("NVTOKEN_GEOMETRY"), 0);
    }
}

/* Make the 2048x16x8 token image once; keep its bytes. */
static int make_image(void **state)
{
    (void)state;
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(image, sizeof(image), "%s/token.img", dir);
    snprintf(saved, sizeof(saved), "%s/saved.img", dir);
    setenv("NVTOKEN_IMAGE", image, 1);
    setenv("NVTOKEN_SYNC", "0", 1);
    unsetenv("NVTOKEN_CONF");
    unsetenv("NVTOKEN_DEBUG");
    setenv("XDG_CONFIG_HOME", dir, 1); /* no configuration file */
    for (size_t i = 0; i < sizeof(cert_a); i++) {
        cert_a[i] = (uint8_t)(i * 7 + 1);
    }
    for (size_t i = 0; i < sizeof(cert_b); i++) {
        cert_b[i] = (uint8_t)(i * 13 + 5);
    }
    module = dlopen(module_path, RTLD_NOW | RTLD_LOCAL);
    if (module == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", module_path, dlerror());
        return -1;
    }
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)(uintptr_t)dlsym(module, "C_GetFunctionList");
    if (get == NULL || get(&p11) != CKR_OK) {
        return -1;
    }
    setenv("NVTOKEN_GEOMETRY", "2048x16x8", 1);
    CK_UTF8CHAR label[32];
    label32(label, "device");
    CK_SESSION_HANDLE s;
    if (p11->C_Initialize(NULL_PTR) != CKR_OK || p11->C_InitToken(0, so_pin, sizeof(so_pin) - 1, label) != CKR_OK ||
        p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s) != CKR_OK ||
        p11->C_Login(s, CKU_SO, so_pin, sizeof(so_pin) - 1) != CKR_OK ||
        p11->C_InitPIN(s, user_pin, sizeof(user_pin) - 1) != CKR_OK || p11->C_Logout(s) != CKR_OK ||
        p11->C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1) != CKR_OK) {
        return -1;
    }
    static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_ATTRIBUTE pub[] = { { CKA_TOKEN, &yes, 1 },
                           { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)"device-pub", 10 },
                           { CKA_EC_PARAMS, (CK_VOID_PTR)(uintptr_t)p256, sizeof(p256) } };
    CK_ATTRIBUTE priv[] = { { CKA_TOKEN, &yes, 1 }, { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)"device-key", 10 }, { CKA_SIGN, &yes, 1 } };
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_OBJECT_HANDLE hpub, hpriv, haes;
    if (p11->C_GenerateKeyPair(s, &gen, pub, 3, priv, 3, &hpub, &hpriv) != CKR_OK) {
        return -1;
    }
    CK_ULONG aes_len = 32;
    CK_ATTRIBUTE aes[] = { { CKA_TOKEN, &yes, 1 }, { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)"aes", 3 }, { CKA_VALUE_LEN, &aes_len, sizeof(aes_len) },
                           { CKA_EXTRACTABLE, &no, 1 } };
    CK_MECHANISM aes_gen = { CKM_AES_KEY_GEN, NULL_PTR, 0 };
    if (p11->C_GenerateKey(s, &aes_gen, aes, 4, &haes) != CKR_OK) {
        return -1;
    }
    create_cert(s, "cert-a", cert_a, sizeof(cert_a));
    create_cert(s, "cert-b", cert_b, sizeof(cert_b));
    if (p11->C_Finalize(NULL_PTR) != CKR_OK || read_file(image, golden, sizeof(golden)) != (long)IMAGE_BYTES) {
        return -1;
    }
    write_file(saved, golden, sizeof(golden));
    return 0;
}

static int remove_image(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Start from the saved token image. */
static int fresh(void **state)
{
    (void)state;
    write_file(image, golden, sizeof(golden));
    chmod(image, 0600);
    return 0;
}

/* A failed test leaves the library up: take it down for the next. */
static int finalize(void **state)
{
    (void)state;
    (void)p11->C_Finalize(NULL_PTR);
    return 0;
}

static int no_token(CK_RV rv)
{
    return rv == CKR_TOKEN_NOT_PRESENT || rv == CKR_TOKEN_NOT_RECOGNIZED;
}

/* With the library up: slot 0 shows no token, its description contains
 * \p why, and nothing a client calls writes (checked by the caller). */
static void assert_no_token_because(const char *why)
{
    CK_ULONG n = 0;
    assert_int_equal(p11->C_GetSlotList(CK_TRUE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(p11->C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 1);
    CK_SLOT_INFO si;
    assert_int_equal(p11->C_GetSlotInfo(0, &si), CKR_OK);
    assert_int_equal(si.flags & CKF_TOKEN_PRESENT, 0);
    char desc[65];
    memcpy(desc, si.slotDescription, 64);
    desc[64] = '\0';
    if (strstr(desc, why) == NULL) {
        print_error("slot description '%s' does not say '%s'\n", desc, why);
    }
    assert_non_null(strstr(desc, why));
    /* No usable token: not present (the image was refused before the
     * store was read) or not recognised (no store in it). */
    CK_TOKEN_INFO ti;
    assert_true(no_token(p11->C_GetTokenInfo(0, &ti)));
    CK_SESSION_HANDLE s;
    assert_true(no_token(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s)));
    CK_UTF8CHAR label[32];
    label32(label, "evil");
    assert_true(no_token(p11->C_InitToken(0, other_so_pin, sizeof(other_so_pin) - 1, label)));
    assert_true(no_token(p11->C_InitToken(0, so_pin, sizeof(so_pin) - 1, label)));
    CK_MECHANISM_TYPE mechs[64];
    n = 64;
    assert_int_equal(p11->C_GetMechanismList(0, mechs, &n), CKR_OK); /* a slot call that needs no token */
}

/* Every wrong geometry: C_Initialize succeeds, no token, the reason, not
 * one byte written - twice, as a second start finds what the first left. */
static void a_wrong_geometry_setting_never_writes(void **state)
{
    (void)state;
    static const char *wrong[] = {
        "4096x8x8",  "1024x32x8", "512x64x8",   "256x128x8",  "8192x4x8",  "16384x2x8", "2048x16x16",
        "2048x16x4", "2048x16x1", "2048x16x32", "2048x32x8",  "4096x16x8", "2048x8x8",  "65536x64x8",
    };
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        set_geometry(wrong[i]);
        for (int round = 0; round < 2; round++) {
            assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
            assert_no_token_because("image is 2048x16x8, setting ");
            assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
            assert_image_is(golden, sizeof(golden));
        }
    }
}

/* A setting that is no geometry is no CKR_GENERAL_ERROR: the library
 * starts, the slot says the setting is bad, nothing is written. */
static void a_bogus_geometry_setting_never_writes(void **state)
{
    (void)state;
    static const char *bogus[] = {
        "bogus",      "2048x16",   "2048x16x8x", "0x0x0",      "3000x16x8", "2048x16x3",  "2048x1x8",
        "-1x16x8",    "2048X16X8", "2048x16x64", "128x16x8",  "99999999999x16x8",
        "2048x99999999999x8", "524288x2x8",
    };
    for (size_t i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
        set_geometry(bogus[i]);
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        assert_no_token_because("bad geometry setting");
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
        assert_image_is(golden, sizeof(golden));
    }
    /* a missing image is not made in a bogus geometry either */
    assert_int_equal(unlink(image), 0);
    set_geometry("bogus");
    assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
    assert_no_token_because("bad geometry setting");
    assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(access(image, F_OK), -1);
}

/* No setting, or the right one: the geometry comes from the image, and the
 * token is there with every object. Reading it writes nothing; a wrong SO
 * PIN is a counted attempt (the counter record) and nothing else. */
static void no_setting_or_the_right_one_opens_the_token(void **state)
{
    (void)state;
    static const char *right[] = { NULL, "2048x16x8" };
    for (size_t i = 0; i < 2; i++) {
        fresh(NULL);
        set_geometry(right[i]);
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        CK_SLOT_INFO si;
        assert_int_equal(p11->C_GetSlotInfo(0, &si), CKR_OK);
        assert_int_equal(si.flags & CKF_TOKEN_PRESENT, CKF_TOKEN_PRESENT);
        CK_TOKEN_INFO ti;
        assert_int_equal(p11->C_GetTokenInfo(0, &ti), CKR_OK);
        assert_memory_equal(ti.label, "device ", 7);
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
        assert_image_is(golden, sizeof(golden));
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        CK_UTF8CHAR label[32];
        label32(label, "evil");
        assert_int_equal(p11->C_InitToken(0, other_so_pin, sizeof(other_so_pin) - 1, label), CKR_PIN_INCORRECT);
        assert_token_intact();
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        assert_token_intact();
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    }
}

/* Truncated, extended, foreign, damaged: left alone, whatever is set. */
static void a_truncated_foreign_or_damaged_image_is_left_alone(void **state)
{
    (void)state;
    static uint8_t bytes[IMAGE_BYTES + 4096];
    static const char *settings[] = { NULL, "2048x16x8", "2048x15x8", "4096x8x8" };
    for (size_t g = 0; g < sizeof(settings) / sizeof(settings[0]); g++) {
        set_geometry(settings[g]);
        /* a setting of the image's size: the token is handed the image,
         * and tells blank from foreign itself */
        int same_size = settings[g] != NULL && strcmp(settings[g], "2048x15x8") != 0;
        struct {
            size_t len;
            const char *why;
        } cases[] = {
            { IMAGE_BYTES - 2048, "store is 2048x16x8, file 30720 B" },
            { IMAGE_BYTES - 100, "store is 2048x16x8, file 32668 B" },
            { IMAGE_BYTES + 4096, "store is 2048x16x8, file 36864 B" },
        };
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
            memset(bytes, 0xFF, sizeof(bytes));
            memcpy(bytes, golden, cases[c].len < IMAGE_BYTES ? cases[c].len : IMAGE_BYTES);
            write_file(image, bytes, cases[c].len);
            assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
            assert_no_token_because(cases[c].why);
            assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
            assert_image_is(bytes, cases[c].len);
        }
        /* Foreign: random-looking bytes, of the image's size and another. */
        for (size_t i = 0; i < sizeof(bytes); i++) {
            bytes[i] = (uint8_t)((i * 2654435761u) >> 13);
        }
        static const size_t sizes[] = { IMAGE_BYTES, 10000 };
        for (size_t k = 0; k < 2; k++) {
            write_file(image, bytes, sizes[k]);
            assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
            int fits = same_size && sizes[k] == IMAGE_BYTES;
            assert_no_token_because(fits ? "no nvtoken store, not blank" : "no store, and ");
            assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
            assert_image_is(bytes, sizes[k]);
        }
        /* Damaged: every erase block gone (so no geometry can be read), the
         * records still there. */
        memcpy(bytes, golden, IMAGE_BYTES);
        for (size_t s = 0; s < 16; s++) {
            memset(bytes + s * 2048u, 0x00, 16);
        }
        write_file(image, bytes, IMAGE_BYTES);
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        assert_no_token_because(same_size ? "no nvtoken store, not blank" : "no store, and ");
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
        assert_image_is(bytes, IMAGE_BYTES);
    }
}

/* What is a new token: a missing or empty file (made in the setting's
 * geometry, mode 0600), or a blank one of the setting's size. A blank file
 * of another size is left alone. */
static void only_a_missing_empty_or_blank_image_becomes_a_new_token(void **state)
{
    (void)state;
    static uint8_t blank[IMAGE_BYTES];
    memset(blank, 0xFF, sizeof(blank));
    set_geometry("2048x16x8");
    for (int kind = 0; kind < 3; kind++) {
        if (kind == 0) {
            assert_int_equal(unlink(image), 0);
        } else {
            write_file(image, blank, kind == 1 ? 0 : sizeof(blank));
        }
        umask(0);
        assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
        umask(022);
        CK_TOKEN_INFO ti;
        assert_int_equal(p11->C_GetTokenInfo(0, &ti), CKR_OK);
        assert_int_equal(ti.flags & CKF_TOKEN_INITIALIZED, 0);
        assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
        struct stat st;
        assert_int_equal(stat(image, &st), 0);
        assert_int_equal(st.st_size, IMAGE_BYTES);
        if (kind == 0) {
            assert_int_equal(st.st_mode & 0777, 0600);
        }
    }
    set_geometry(NULL); /* default 64 x 64 KiB: not this blank file's size */
    write_file(image, blank, sizeof(blank));
    assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
    assert_no_token_because("no store, and 32768 B is not the geometry size");
    assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    assert_image_is(blank, sizeof(blank));
}

/* An image others may read works, and its slot description warns. */
static void an_image_open_to_others_is_named_in_the_slot_description(void **state)
{
    (void)state;
    set_geometry(NULL);
    assert_int_equal(chmod(image, 0644), 0);
    assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
    CK_SLOT_INFO si;
    assert_int_equal(p11->C_GetTokenInfo(0, &(CK_TOKEN_INFO){ 0 }), CKR_OK);
    assert_int_equal(p11->C_GetSlotInfo(0, &si), CKR_OK);
    assert_int_equal(si.flags & CKF_TOKEN_PRESENT, CKF_TOKEN_PRESENT);
    const char want[] = "nvtoken slot 0: image file open to others (mode 0644)";
    assert_memory_equal(si.slotDescription, want, sizeof(want) - 1);
    assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(chmod(image, 0600), 0);
    assert_int_equal(p11->C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(p11->C_GetSlotInfo(0, &si), CKR_OK);
    const char plain[] = "nvtoken slot 0  ";
    assert_memory_equal(si.slotDescription, plain, sizeof(plain) - 1);
    assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    assert_image_is(golden, sizeof(golden));
}

/* The debug setting: the same reason on stderr, with the image's path. */
static void the_debug_setting_says_why_on_stderr(void **state)
{
    (void)state;
    char log[300], want[600];
    snprintf(log, sizeof(log), "%s/stderr.txt", dir);
    fflush(stderr);
    int saved_fd = dup(2), fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved_fd >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 2), 2);
    close(fd);
    set_geometry("4096x8x8");
    setenv("NVTOKEN_DEBUG", "1", 1);
    CK_RV rv = p11->C_Initialize(NULL_PTR);
    unsetenv("NVTOKEN_DEBUG");
    fflush(stderr);
    assert_int_equal(dup2(saved_fd, 2), 2);
    close(saved_fd);
    assert_int_equal(rv, CKR_OK);
    assert_int_equal(p11->C_Finalize(NULL_PTR), CKR_OK);
    static uint8_t text[1024];
    long n = read_file(log, text, sizeof(text) - 1);
    assert_true(n > 0);
    text[n] = '\0';
    snprintf(want, sizeof(want), "nvtoken: slot 0 (%s): image is 2048x16x8, setting 4096x8x8\n", image);
    if (strcmp((char *)text, want) != 0) {
        print_error("stderr: '%s'\n", (char *)text);
    }
    assert_string_equal((char *)text, want);
    assert_image_is(golden, sizeof(golden));
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s libnvtoken.so\n", argv[0]);
        return 2;
    }
    module_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_wrong_geometry_setting_never_writes, fresh, finalize),
        cmocka_unit_test_setup_teardown(a_bogus_geometry_setting_never_writes, fresh, finalize),
        cmocka_unit_test_setup_teardown(no_setting_or_the_right_one_opens_the_token, fresh, finalize),
        cmocka_unit_test_setup_teardown(a_truncated_foreign_or_damaged_image_is_left_alone, fresh, finalize),
        cmocka_unit_test_setup_teardown(only_a_missing_empty_or_blank_image_becomes_a_new_token, fresh, finalize),
        cmocka_unit_test_setup_teardown(an_image_open_to_others_is_named_in_the_slot_description, fresh, finalize),
        cmocka_unit_test_setup_teardown(the_debug_setting_says_why_on_stderr, fresh, finalize),
    };
    return cmocka_run_group_tests(tests, make_image, remove_image);
}
