/* nvtoken firmware example: the program a customer ships on a device whose
 * TLS or cloud client signs with a key that never leaves the token.
 *
 * At each boot it mounts the store in the device's flash region (on a blank
 * device it formats it and writes the NV seed, as the factory would), hands
 * the region to the token and then does, through the PKCS#11 function list:
 *
 *   C_Initialize; on a blank token C_InitToken and C_InitPIN (provisioning);
 *   C_OpenSession, C_Login;
 *   C_FindObjects for the device's EC P-256 private key by its label - on
 *   first boot there is none: C_GenerateKeyPair makes it inside the token
 *   and a device certificate is made and stored (C_CreateObject);
 *   C_SignInit + C_Sign (CKM_ECDSA) over the SHA-256 hash of a message;
 *   C_VerifyInit + C_Verify with the public key (and a flipped bit must
 *   fail); C_GetAttributeValue for the certificate's CKA_VALUE, whose key
 *   must be the token's and whose signature must verify;
 *   C_Logout, C_CloseSession, C_Finalize.
 *
 * It boots twice, the region powered off between: the second boot finds
 * what the first provisioned in the store. Every return code is checked;
 * any failure ends the program with status 1. It prints the image's size,
 * its heap and stack high-water marks and, under `NVT_QEMU_ICOUNT=1`, the
 * instructions of one C_SignInit + C_Sign.
 *
 *   firmware [--image FILE] [--blank]
 *
 * Board: QEMU mps2-an386 (src/port/qemu/). The token's flash is the board's
 * region (the last 64 KiB of the code flash, reserved by the linker script,
 * the token configured on it by board_token.c), its cells kept across
 * power-off in the host file FILE (default firmware-token.img; a missing
 * file is a new, blank part). --blank: the device must be blank at the
 * first boot (the ctest removes the file first). */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "device_cert.h"
#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "qemu_board.h"
#include "semihosting.h"

/* ---- the device ------------------------------------------------------------------------ */

/* The token on the board's flash region (qemu_board.h: 16 sectors of
 * 4 KiB, 8-byte program unit), and the store's RAM. */
static nvt_qemu_token_t board;
static const char *image = "firmware-token.img";

static CK_UTF8CHAR so_pin[] = "factory-so-pin";
static CK_UTF8CHAR user_pin[] = "1234";
static char key_label[] = "device";
static char cert_label[] = "device-cert";
static CK_BYTE oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

static CK_FUNCTION_LIST_PTR p11;

/* ---- console: the board's semihosting, no printf (a device logs through
 * something as small) ------------------------------------------------------------------------- */

static void put(const char *text)
{
    (void)nvt_semihost_write(0, text, strlen(text));
}

static void put_num(unsigned long v, unsigned base)
{
    char digits[12];
    size_t i = sizeof(digits);
    digits[--i] = '\0';
    do {
        digits[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    put(digits + i);
}

/* ---- checking every result ------------------------------------------------------------------- */

/* The call on line `line` of this file gave `rv`: report and stop. */
static void fail(int line, unsigned long rv)
{
    put("firmware: the check at firmware.c:");
    put_num((unsigned long)line, 10);
    put(" failed (0x");
    put_num(rv, 16);
    put(")\n");
    exit(1);
}

/* A PKCS#11 call that must return CKR_OK. */
#define CHECK(call)                                 \
    do {                                            \
        CK_RV rv_ = (call);                         \
        if (rv_ != CKR_OK) {                        \
            fail(__LINE__, (unsigned long)rv_);     \
        }                                           \
    } while (0)

/* A call that must return exactly `want`. */
#define EXPECT(call, want)                          \
    do {                                            \
        CK_RV rv_ = (call);                         \
        if (rv_ != (want)) {                        \
            fail(__LINE__, (unsigned long)rv_);     \
        }                                           \
    } while (0)

/* Any other condition. */
#define REQUIRE(cond)                               \
    do {                                            \
        if (!(cond)) {                              \
            fail(__LINE__, 0);                      \
        }                                           \
    } while (0)

/* ---- the flash region and the store -------------------------------------------------------- */

/* Power-on: the region as the flash holds it, handed to the token; the
 * store mounted. A blank device gets a store and its NV seed. */
static int power_on(void)
{
    REQUIRE(nvt_qemu_token_configure(&board, image) == NVT_OK);
    int err = nvt_store_mount(&board.store, &board.store_cfg);
    if (err != NVT_E_NOT_FORMATTED) {
        REQUIRE(err == NVT_OK);
        return 0;
    }
    /* Factory step: a blank device. The factory writes the seed of the
     * device's random generator from its own TRNG; QEMU has none, so the
     * example uses a fixed pattern (never do that on a device). */
    REQUIRE(nvt_store_format(&board.store, &board.store_cfg) == NVT_OK);
    REQUIRE(nvt_store_mount(&board.store, &board.store_cfg) == NVT_OK);
    unsigned char seed[NVT_TOKEN_NV_SEED_SIZE];
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (unsigned char)(i * 29u + 7u);
    }
    REQUIRE(nvt_token_provision_nv_seed(&board.store, seed, sizeof(seed)) == NVT_OK);
    return 1;
}

/* ---- provisioning ---------------------------------------------------------------------------- */

/* A blank token gets its label, SO PIN and user PIN. */
static int token_init_if_blank(void)
{
    CK_TOKEN_INFO info;
    CHECK(p11->C_GetTokenInfo(0, &info));
    if (info.flags & CKF_TOKEN_INITIALIZED) {
        return 0;
    }
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "nvtoken device", 14);
    CHECK(p11->C_InitToken(0, so_pin, sizeof(so_pin) - 1, label));
    CK_SESSION_HANDLE s;
    CHECK(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s));
    CHECK(p11->C_Login(s, CKU_SO, so_pin, sizeof(so_pin) - 1));
    CHECK(p11->C_InitPIN(s, user_pin, sizeof(user_pin) - 1));
    CHECK(p11->C_Logout(s));
    CHECK(p11->C_CloseSession(s));
    return 1;
}

/* The one object of class cls labelled label, or CK_INVALID_HANDLE. */
static CK_OBJECT_HANDLE find_one(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, char *label)
{
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, label, strlen(label) } };
    CK_OBJECT_HANDLE h[2] = { CK_INVALID_HANDLE, CK_INVALID_HANDLE };
    CK_ULONG n = 0;
    CHECK(p11->C_FindObjectsInit(s, t, 2));
    CHECK(p11->C_FindObjects(s, h, 2, &n));
    CHECK(p11->C_FindObjectsFinal(s));
    REQUIRE(n <= 1);
    return n == 1 ? h[0] : CK_INVALID_HANDLE;
}

static void sha256(const void *data, size_t len, uint8_t out[32])
{
    REQUIRE(mbedtls_sha256(data, len, out, 0) == 0);
}

/* r || s of CKM_ECDSA over hash with key. */
static void sign(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, uint8_t hash[32], uint8_t rs[64])
{
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ULONG len = 0;
    CHECK(p11->C_SignInit(s, &ecdsa, key));
    CHECK(p11->C_Sign(s, hash, 32, NULL_PTR, &len)); /* length query */
    REQUIRE(len == 64);
    CHECK(p11->C_Sign(s, hash, 32, rs, &len));
    REQUIRE(len == 64);
}

static CK_RV verify(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE key, uint8_t hash[32], uint8_t rs[64])
{
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CHECK(p11->C_VerifyInit(s, &ecdsa, key));
    return p11->C_Verify(s, hash, 32, rs, 64);
}

/* The uncompressed point of a public key object (CKA_EC_POINT is a DER
 * OCTET STRING). */
static void public_point(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE pub, uint8_t point[DEVICE_CERT_POINT_LEN])
{
    uint8_t der[2 + DEVICE_CERT_POINT_LEN];
    CK_ATTRIBUTE a = { CKA_EC_POINT, der, sizeof(der) };
    CHECK(p11->C_GetAttributeValue(s, pub, &a, 1));
    REQUIRE(a.ulValueLen == sizeof(der) && der[0] == 0x04 && der[1] == DEVICE_CERT_POINT_LEN);
    memcpy(point, der + 2, DEVICE_CERT_POINT_LEN);
}

/* First boot: the device's key pair, made inside the token (the private
 * key sensitive and never extractable), and its certificate. */
static void provision_key(CK_SESSION_HANDLE s)
{
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_BYTE id[] = { 0x01 };
    CK_ATTRIBUTE pub_t[] = {
        { CKA_TOKEN, &yes, 1 },          { CKA_VERIFY, &yes, 1 },
        { CKA_EC_PARAMS, oid_p256, sizeof(oid_p256) },
        { CKA_LABEL, key_label, strlen(key_label) }, { CKA_ID, id, sizeof(id) },
    };
    CK_ATTRIBUTE priv_t[] = {
        { CKA_TOKEN, &yes, 1 },      { CKA_PRIVATE, &yes, 1 }, { CKA_SENSITIVE, &yes, 1 },
        { CKA_EXTRACTABLE, &no, 1 }, { CKA_SIGN, &yes, 1 },    { CKA_LABEL, key_label, strlen(key_label) },
        { CKA_ID, id, sizeof(id) },
    };
    CK_OBJECT_HANDLE pub, priv;
    CHECK(p11->C_GenerateKeyPair(s, &gen, pub_t, 5, priv_t, 7, &pub, &priv));

    /* The certificate: self-signed here (device_cert.h); a factory's CA
     * would sign it instead. */
    uint8_t point[DEVICE_CERT_POINT_LEN], serial[8], tbs[DEVICE_CERT_MAX], hash[32], rs[64];
    uint8_t cert[DEVICE_CERT_MAX];
    public_point(s, pub, point);
    CHECK(p11->C_GenerateRandom(s, serial, sizeof(serial)));
    size_t tbs_len = device_cert_tbs(point, serial, tbs, sizeof(tbs));
    REQUIRE(tbs_len > 0);
    sha256(tbs, tbs_len, hash);
    sign(s, priv, hash, rs);
    size_t cert_len = device_cert_make(tbs, tbs_len, rs, cert, sizeof(cert));
    REQUIRE(cert_len > 0);
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE type = CKC_X_509;
    CK_ATTRIBUTE cert_t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },   { CKA_CERTIFICATE_TYPE, &type, sizeof(type) },
        { CKA_TOKEN, &yes, 1 },             { CKA_LABEL, cert_label, strlen(cert_label) },
        { CKA_ID, id, sizeof(id) },         { CKA_VALUE, cert, cert_len },
    };
    CK_OBJECT_HANDLE h;
    CHECK(p11->C_CreateObject(s, cert_t, 6, &h));
}

/* ---- one boot ------------------------------------------------------------------------------------ */

static uint64_t sign_icount, login_icount;

/* One boot; first: the run's first, which must find a blank device if
 * must_be_blank. */
static void boot(int first, int must_be_blank)
{
    int blank = power_on();
    REQUIRE(!first || !must_be_blank || blank);
    CHECK(C_GetFunctionList(&p11));
    CHECK(p11->C_Initialize(NULL_PTR));
    int initialised = token_init_if_blank();

    CK_SESSION_HANDLE s;
    CHECK(p11->C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s));
    nvt_qemu_icount_start();
    CHECK(p11->C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1));
    login_icount = nvt_qemu_icount_read();
    CK_OBJECT_HANDLE priv = find_one(s, CKO_PRIVATE_KEY, key_label);
    int provisioned = priv == CK_INVALID_HANDLE;
    if (provisioned) {
        provision_key(s);
        priv = find_one(s, CKO_PRIVATE_KEY, key_label);
    }
    CK_OBJECT_HANDLE pub = find_one(s, CKO_PUBLIC_KEY, key_label);
    CK_OBJECT_HANDLE cert = find_one(s, CKO_CERTIFICATE, cert_label);
    REQUIRE(priv != CK_INVALID_HANDLE && pub != CK_INVALID_HANDLE && cert != CK_INVALID_HANDLE);
    REQUIRE(blank == provisioned && blank == initialised && (first || !blank));

    /* Sign the hash of a message, as a TLS client signs its handshake. */
    static const char message[] = "nvtoken firmware example: the handshake to sign";
    uint8_t hash[32], rs[64];
    sha256(message, sizeof(message) - 1, hash);
    nvt_qemu_icount_start();
    sign(s, priv, hash, rs);
    sign_icount = nvt_qemu_icount_read();
    CHECK(verify(s, pub, hash, rs));
    rs[17] ^= 0x01;
    EXPECT(verify(s, pub, hash, rs), CKR_SIGNATURE_INVALID);

    /* The certificate: its key is the token's, its signature verifies. */
    CK_ATTRIBUTE value = { CKA_VALUE, NULL_PTR, 0 };
    CHECK(p11->C_GetAttributeValue(s, cert, &value, 1));
    REQUIRE(value.ulValueLen > 0 && value.ulValueLen <= DEVICE_CERT_MAX);
    uint8_t der[DEVICE_CERT_MAX], point[DEVICE_CERT_POINT_LEN];
    value.pValue = der;
    CHECK(p11->C_GetAttributeValue(s, cert, &value, 1));
    device_cert_parts_t parts;
    REQUIRE(device_cert_parse(der, value.ulValueLen, &parts) == 0);
    public_point(s, pub, point);
    REQUIRE(memcmp(parts.point, point, sizeof(point)) == 0);
    sha256(parts.tbs, parts.tbs_len, hash);
    CHECK(verify(s, pub, hash, parts.rs));

    CHECK(p11->C_Logout(s));
    CHECK(p11->C_CloseSession(s));
    CHECK(p11->C_Finalize(NULL_PTR));
    REQUIRE(nvt_qemu_flash_close(&board.flash) == NVT_OK); /* power off */
    put(first ? "boot 1: " : "boot 2: ");
    put(blank ? "blank device: store formatted, token initialised, key pair generated, certificate stored"
              : "key and certificate found in the store");
    put("; signed and verified with the device key, certificate checked (");
    put_num(value.ulValueLen, 10);
    put(" B)\n");
}

/* ---- the figures --------------------------------------------------------------------------------- */

/* From mps2_an386.ld: where .data is loaded in flash and lives in RAM. */
extern char nvt_qemu_data_load[], nvt_qemu_data_start[], nvt_qemu_data_end[];
extern char nvt_qemu_bss_start[], nvt_qemu_bss_end[];

/* Whether two strings are equal (no strcmp: 0.7 kB of newlib for this). */
static int same(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int main(int argc, char **argv)
{
    int must_be_blank = 0;
    for (int i = 1; i < argc; i++) {
        if (same(argv[i], "--image") && i + 1 < argc) {
            image = argv[++i];
        } else if (same(argv[i], "--blank")) {
            must_be_blank = 1;
        } else {
            put("usage: firmware [--image FILE] [--blank]\n");
            return 2;
        }
    }
    nvt_qemu_stack_paint();
    boot(1, must_be_blank);
    boot(0, must_be_blank);
    size_t data = (size_t)(nvt_qemu_data_end - nvt_qemu_data_start);
    size_t bss = (size_t)(nvt_qemu_bss_end - nvt_qemu_bss_start);
    size_t text = (size_t)(uintptr_t)nvt_qemu_data_load; /* flash starts at 0 */
    put("profile " NVT_CONFIG_PROFILE_NAME ": flash ");
    put_num(text + data, 10);
    put(" B (.text ");
    put_num(text, 10);
    put(" + .data ");
    put_num(data, 10);
    put("), RAM ");
    put_num(data + bss, 10);
    put(" B (.data + .bss) + heap high-water ");
    put_num(nvt_qemu_heap_used(), 10);
    put(" B + stack high-water ");
    put_num(nvt_qemu_stack_used(), 10);
    put(" B\n");
    if (nvt_qemu_icount_exact()) {
        put("C_SignInit + C_Sign (CKM_ECDSA, P-256): ");
        put_num((unsigned long)sign_icount, 10);
        put(" instructions; C_Login (PBKDF2, ");
        put_num(NVT_CONFIG_TOKEN_PIN_ITERATIONS, 10);
        put(" iterations): ");
        put_num((unsigned long)login_icount, 10);
        put(" instructions\n");
    }
    return 0;
}
