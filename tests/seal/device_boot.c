/* device_boot IMAGE OUT MODE - a QEMU "device" (the reference board, its
 * identity from --nvt-uid on its command line: scripts/qemu-run's
 * NVT_QEMU_UID) whose token flash is loaded from the host file IMAGE, used,
 * and written back to the host file OUT. The device key is the board's
 * (src/port/qemu/port_device.c): nothing here knows it.
 *
 *   sign       the factory path: log in with the user PIN the PC set, sign
 *              with the key labelled "device key", verify with its public
 *              half; prints "signature verified"
 *   firstboot  a cloned golden image: initialise the token, generate an EC
 *              P-256 key pair; prints "public key: <hex of CKA_EC_POINT>"
 *
 * Exit status 0, or 1 with one line saying what failed (3: the token did
 * not start). The flash is a RAM simulator filled from the image (no
 * persistent flash driver: tests/seal/factory.sh carries the image across
 * runs; the board's persistent flash, src/port/qemu/board_flash.c, keeps
 * one region per run). Target only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "factory.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "semihosting.h"

#define MAX_REGION (64u * 1024u)

static uint8_t image[MAX_REGION];
static uint32_t ram_mem[NVT_FLASH_RAM_MEM_BYTES(MAX_REGION, 1, 1) / 4u + 64u];
static nvt_flash_ram_t ram;
static nvt_store_t store;
static nvt_store_entry_t idx[64];
static nvt_store_sector_t sec[64];
static uint8_t scratch[256];

static int fail(int status, const char *what, CK_RV rv)
{
    printf("device: %s (0x%lx)\n", what, (unsigned long)rv);
    return status;
}

static int image_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
    size_t size = *(const size_t *)ctx;
    if (addr > size || len > size - addr) {
        return NVT_E_IO;
    }
    memcpy(buf, image + addr, len);
    return NVT_OK;
}

static CK_OBJECT_HANDLE find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls)
{
    char label[] = FACTORY_KEY_LABEL;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, label, sizeof(label) - 1 } };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_ULONG n = 0;
    if (C_FindObjectsInit(s, t, 2) != CKR_OK || C_FindObjects(s, &h, 1, &n) != CKR_OK ||
        C_FindObjectsFinal(s) != CKR_OK || n != 1) {
        return CK_INVALID_HANDLE;
    }
    return h;
}

static int sign(void)
{
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR pin[] = FACTORY_USER_PIN;
    CK_RV rv = C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s);
    if (rv == CKR_OK) {
        rv = C_Login(s, CKU_USER, pin, sizeof(pin) - 1);
    }
    if (rv != CKR_OK) {
        return fail(1, "cannot log in", rv);
    }
    CK_OBJECT_HANDLE priv = find(s, CKO_PRIVATE_KEY), pub = find(s, CKO_PUBLIC_KEY);
    if (priv == CK_INVALID_HANDLE || pub == CK_INVALID_HANDLE) {
        return fail(1, "no device key", 0);
    }
    CK_MECHANISM m = { CKM_ECDSA_SHA256, NULL_PTR, 0 };
    CK_BYTE msg[] = "a message the device signs", sig[72];
    CK_ULONG sig_len = sizeof(sig);
    rv = C_SignInit(s, &m, priv);
    rv = rv != CKR_OK ? rv : C_Sign(s, msg, sizeof(msg) - 1, sig, &sig_len);
    rv = rv != CKR_OK ? rv : C_VerifyInit(s, &m, pub);
    rv = rv != CKR_OK ? rv : C_Verify(s, msg, sizeof(msg) - 1, sig, sig_len);
    if (rv != CKR_OK) {
        return fail(1, "signature", rv);
    }
    printf("signature verified by the public key\n");
    return C_CloseSession(s) == CKR_OK ? 0 : 1;
}

static int firstboot(void)
{
    CK_UTF8CHAR so[] = FACTORY_SO_PIN, user[] = FACTORY_USER_PIN, label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "first boot", 10);
    CK_SESSION_HANDLE s;
    CK_RV rv = C_InitToken(0, so, sizeof(so) - 1, label);
    rv = rv != CKR_OK ? rv : C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s);
    rv = rv != CKR_OK ? rv : C_Login(s, CKU_SO, so, sizeof(so) - 1);
    rv = rv != CKR_OK ? rv : C_InitPIN(s, user, sizeof(user) - 1);
    rv = rv != CKR_OK ? rv : C_Logout(s);
    rv = rv != CKR_OK ? rv : C_Login(s, CKU_USER, user, sizeof(user) - 1);
    if (rv != CKR_OK) {
        return fail(1, "cannot initialise the token", rv);
    }
    static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_BBOOL yes = CK_TRUE;
    char name[] = FACTORY_KEY_LABEL;
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pt[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) }, { CKA_TOKEN, &yes, 1 },
                          { CKA_LABEL, name, sizeof(name) - 1 } };
    CK_ATTRIBUTE kt[] = { { CKA_TOKEN, &yes, 1 }, { CKA_SIGN, &yes, 1 }, { CKA_LABEL, name, sizeof(name) - 1 } };
    CK_OBJECT_HANDLE hpub, hpriv;
    rv = C_GenerateKeyPair(s, &gen, pt, 3, kt, 3, &hpub, &hpriv);
    CK_BYTE point[80];
    CK_ATTRIBUTE a = { CKA_EC_POINT, point, sizeof(point) };
    rv = rv != CKR_OK ? rv : C_GetAttributeValue(s, hpub, &a, 1);
    if (rv != CKR_OK) {
        return fail(1, "cannot generate the key pair", rv);
    }
    printf("public key: ");
    for (CK_ULONG i = 0; i < a.ulValueLen; i++) {
        printf("%02x", point[i]);
    }
    printf("\n");
    return C_CloseSession(s) == CKR_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "sign") != 0 && strcmp(argv[3], "firstboot") != 0)) {
        printf("usage: device_boot IMAGE OUT sign|firstboot\n");
        return 2;
    }
    size_t size = 0;
    if (nvt_semihost_read_file(argv[1], image, sizeof(image), &size) != 0 || size == 0) {
        return fail(1, "cannot load the image", 0);
    }
    nvt_flash_geometry_t geo;
    if (nvt_store_probe(image_read, &size, size, &geo, NULL) != NVT_OK ||
        nvt_flash_ram_init(&ram, &geo, ram_mem, sizeof(ram_mem), 0, 1) != NVT_OK ||
        geo.sector_count > sizeof(sec) / sizeof(sec[0]) || nvt_flash_ram_load(&ram, image, size) != NVT_OK) {
        return fail(1, "not a store image this device holds", 0);
    }
    nvt_store_config_t sc = { &ram.flash, idx, sizeof(idx), sec, NVT_STORE_SECTORS_BYTES(geo.sector_count),
                              scratch, sizeof(scratch) };
    /* the device key: the board's (device_key NULL) */
    nvt_token_slot_config_t slot = { .store_cfg = &sc, .store = &store, .description = "QEMU device" };
    nvt_token_config_t cfg = { .slots = &slot, .slot_count = 1 };
    if (nvt_token_configure(&cfg) != NVT_OK) {
        return fail(1, "configuration", 0);
    }
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv != CKR_OK) {
        return fail(3, "the token does not start (its NV seed does not open with this device's key)", rv);
    }
    int status = strcmp(argv[3], "sign") == 0 ? sign() : firstboot();
    (void)C_Finalize(NULL_PTR);
    long out = nvt_semihost_open(argv[2], NVT_SEMIHOST_OPEN_CREATE);
    int saved = out >= 0 && nvt_semihost_fwrite(out, ram.bytes, size) == 0;
    if (out >= 0 && nvt_semihost_close(out) != 0) {
        saved = 0;
    }
    if (!saved) {
        return fail(1, "cannot save the image", 0);
    }
    return status;
}
