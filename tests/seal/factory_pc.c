/* nvt-factory-pc - the provisioning PC of the factory path (docs/DESIGN.md,
 * "The factory path"), through the host module's own settings and code:
 *
 *   provision IMAGE SECRET UID  make a token image for the device whose
 *                               factory secret is the file SECRET and whose
 *                               unique id is UID (hex): token, PINs, an EC
 *                               key pair generated here, an AES key; prints
 *                               the public key and the serial number
 *   check IMAGE [SECRET UID]    open the image as the module does, with that
 *                               device key or with none configured, and say
 *                               what it finds (never writes: no login)
 *   golden IMAGE                a golden image to clone into many devices:
 *                               a formatted store and a bootstrap NV seed,
 *                               nothing sealed, no token
 *
 * Host only. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "factory.h"
#include "nvtoken/flash_file.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

static void check(CK_RV rv, const char *what)
{
    if (rv != CKR_OK) {
        fprintf(stderr, "nvt-factory-pc: %s: 0x%lx\n", what, (unsigned long)rv);
        exit(1);
    }
}

/* The module's settings for IMAGE, with the device key SECRET and UID (or
 * none: the module's default, <image>.key, which must then exist). */
static void settings(const char *image, const char *secret, const char *uid)
{
    setenv("NVTOKEN_IMAGE", image, 1);
    setenv("NVTOKEN_GEOMETRY", FACTORY_GEOMETRY, 1);
    setenv("NVTOKEN_SYNC", "0", 1);
    setenv("NVTOKEN_CONF", "/dev/null", 1);
    if (secret != NULL) {
        setenv("NVTOKEN_DEVICE_KEY", secret, 1);
        setenv("NVTOKEN_DEVICE_UID", uid, 1);
    } else {
        unsetenv("NVTOKEN_DEVICE_KEY");
        unsetenv("NVTOKEN_DEVICE_UID");
    }
}

static int provision(const char *image, const char *secret, const char *uid)
{
    remove(image);
    settings(image, secret, uid);
    check(C_Initialize(NULL_PTR), "C_Initialize");
    CK_UTF8CHAR so[] = FACTORY_SO_PIN, user[] = FACTORY_USER_PIN, label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "made by the factory PC", 22);
    check(C_InitToken(0, so, sizeof(so) - 1, label), "C_InitToken");
    CK_SESSION_HANDLE s;
    check(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), "C_OpenSession");
    check(C_Login(s, CKU_SO, so, sizeof(so) - 1), "C_Login SO");
    check(C_InitPIN(s, user, sizeof(user) - 1), "C_InitPIN");
    check(C_Logout(s), "C_Logout");
    check(C_Login(s, CKU_USER, user, sizeof(user) - 1), "C_Login");
    static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_BBOOL yes = CK_TRUE;
    char name[] = FACTORY_KEY_LABEL;
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pt[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) }, { CKA_TOKEN, &yes, 1 },
                          { CKA_LABEL, name, sizeof(name) - 1 },                   { CKA_VERIFY, &yes, 1 } };
    CK_ATTRIBUTE kt[] = { { CKA_TOKEN, &yes, 1 }, { CKA_SIGN, &yes, 1 }, { CKA_LABEL, name, sizeof(name) - 1 } };
    CK_OBJECT_HANDLE hpub, hpriv, h;
    check(C_GenerateKeyPair(s, &gen, pt, 4, kt, 3, &hpub, &hpriv), "C_GenerateKeyPair");
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kty = CKK_AES;
    char aes[] = FACTORY_AES, aes_label[] = "factory AES";
    CK_ATTRIBUTE at[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kty, sizeof(kty) },
                          { CKA_TOKEN, &yes, 1 },           { CKA_VALUE, aes, 16 },
                          { CKA_LABEL, aes_label, sizeof(aes_label) - 1 } };
    check(C_CreateObject(s, at, 5, &h), "C_CreateObject");
    CK_BYTE point[80];
    CK_ATTRIBUTE a = { CKA_EC_POINT, point, sizeof(point) };
    check(C_GetAttributeValue(s, hpub, &a, 1), "CKA_EC_POINT");
    printf("public key: ");
    for (CK_ULONG i = 0; i < a.ulValueLen; i++) {
        printf("%02x", point[i]);
    }
    CK_TOKEN_INFO info;
    check(C_GetTokenInfo(0, &info), "C_GetTokenInfo");
    printf("\nserial: %.16s\n", (const char *)info.serialNumber);
    check(C_CloseSession(s), "C_CloseSession");
    check(C_Finalize(NULL_PTR), "C_Finalize");
    return 0;
}

static int look(const char *image, const char *secret, const char *uid)
{
    settings(image, secret, uid);
    check(C_Initialize(NULL_PTR), "C_Initialize");
    nvt_token_diag_t d;
    if (nvt_token_diagnostics(0, &d) != NVT_OK) {
        fprintf(stderr, "nvt-factory-pc: no diagnostics\n");
        return 1;
    }
    static const char *const record[] = { "none", "ok", "unreadable" };
    printf("record: %s\nno key: %u\ntampered: %u\n", record[d.record], d.no_key, d.tampered);
    CK_SESSION_HANDLE s;
    CK_RV rv = C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s);
    printf("session: %s\n", rv == CKR_OK ? "ok" : rv == CKR_TOKEN_NOT_RECOGNIZED ? "refused" : "error");
    if (rv == CKR_OK) {
        CK_OBJECT_HANDLE h[16];
        CK_ULONG n = 0;
        check(C_FindObjectsInit(s, NULL_PTR, 0), "C_FindObjectsInit");
        check(C_FindObjects(s, h, 16, &n), "C_FindObjects");
        check(C_FindObjectsFinal(s), "C_FindObjectsFinal");
        printf("public objects: %lu\n", (unsigned long)n);
    }
    CK_UTF8CHAR so[] = FACTORY_SO_PIN, label[32];
    memset(label, ' ', sizeof(label));
    if (d.record != NVT_TOKEN_RECORD_OK) {
        /* a PC without the key must not be able to take the token over */
        rv = C_InitToken(0, so, sizeof(so) - 1, label);
        printf("C_InitToken: %s\n", rv == CKR_TOKEN_WRITE_PROTECTED ? "refused, write-protected" : "ALLOWED");
    }
    check(C_Finalize(NULL_PTR), "C_Finalize");
    return 0;
}

static int golden(const char *image)
{
    nvt_flash_geometry_t geo;
    nvt_flash_file_t f;
    static nvt_store_entry_t idx[64];
    static nvt_store_sector_t sec[64];
    static uint8_t scratch[256];
    nvt_store_t st;
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE];
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (uint8_t)(0x60 + i); /* the same in every clone: no secret */
    }
    if (nvt_flash_geometry_parse(FACTORY_GEOMETRY, &geo) != NVT_OK ||
        nvt_flash_file_open(&f, image, &geo, NVT_FLASH_FILE_CREATE) != NVT_OK) {
        fprintf(stderr, "nvt-factory-pc: cannot create %s\n", image);
        return 1;
    }
    nvt_store_config_t c = { &f.flash, idx, sizeof(idx), sec, NVT_STORE_SECTORS_BYTES(geo.sector_count), scratch,
                             sizeof(scratch) };
    int rc = nvt_store_format(&st, &c);
    rc = rc != NVT_OK ? rc : nvt_token_provision_nv_seed(&st, seed, sizeof(seed));
    rc = rc != NVT_OK ? rc : nvt_flash_file_close(&f);
    if (rc != NVT_OK) {
        fprintf(stderr, "nvt-factory-pc: %s: %s\n", image, nvt_err_name(rc));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "provision") == 0) {
        return provision(argv[2], argv[3], argv[4]);
    }
    if ((argc == 3 || argc == 5) && strcmp(argv[1], "check") == 0) {
        return look(argv[2], argc == 5 ? argv[3] : NULL, argc == 5 ? argv[4] : NULL);
    }
    if (argc == 3 && strcmp(argv[1], "golden") == 0) {
        return golden(argv[2]);
    }
    fprintf(stderr, "usage: nvt-factory-pc provision IMAGE SECRET UID | check IMAGE [SECRET UID] | golden IMAGE\n");
    return 2;
}
