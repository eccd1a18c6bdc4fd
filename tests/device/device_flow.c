/* The reference board's provisioning steps and their checks: see
 * device_flow.h. */
#include "device_flow.h"

#include <stdio.h>
#include <string.h>

#include "nvt_test_certs.h"

static CK_UTF8CHAR so_pin[] = "87654321";
static CK_UTF8CHAR user_pin[] = "2468";
static char key_label[] = "device key";
static char cert_label[] = "device cert";
static CK_BBOOL yes = CK_TRUE;

/* The one slot of the board. */
#define SLOT 0

const char *device_state_name(device_state_t state)
{
    static const char *const names[] = { "blank", "factory", "token", "pin", "keypair", "cert" };
    return names[state];
}

const char *device_option(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    return NULL;
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int device_parse_seed(const char *hex, uint8_t seed[NVT_TOKEN_NV_SEED_SIZE])
{
    if (hex == NULL || strlen(hex) != 2 * NVT_TOKEN_NV_SEED_SIZE) {
        return -1;
    }
    for (size_t i = 0; i < NVT_TOKEN_NV_SEED_SIZE; i++) {
        int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        seed[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int device_factory(nvt_qemu_token_t *board, const uint8_t seed[NVT_TOKEN_NV_SEED_SIZE])
{
    if (nvt_store_format(&board->store, &board->store_cfg) != NVT_OK) {
        return -1;
    }
    return nvt_token_provision_nv_seed(&board->store, seed, NVT_TOKEN_NV_SEED_SIZE) == NVT_OK ? 0 : -1;
}

int device_has_factory(nvt_qemu_token_t *board)
{
    size_t len = 0;
    return nvt_store_mount(&board->store, &board->store_cfg) == NVT_OK &&
           nvt_store_size(&board->store, NVT_TOKEN_ID_NV_SEED, &len, NULL) == NVT_OK &&
           len == NVT_TOKEN_NV_SEED_SIZE;
}

CK_RV device_init_token(void)
{
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "reference board", 15);
    return C_InitToken(SLOT, so_pin, sizeof(so_pin) - 1, label);
}

/* A read-write session logged in as \p user. */
static CK_RV session(CK_USER_TYPE user, CK_SESSION_HANDLE *s)
{
    CK_RV rv = C_OpenSession(SLOT, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = user == CKU_SO ? C_Login(*s, CKU_SO, so_pin, sizeof(so_pin) - 1)
                        : C_Login(*s, CKU_USER, user_pin, sizeof(user_pin) - 1);
    if (rv != CKR_OK) {
        (void)C_CloseSession(*s);
    }
    return rv;
}

/* Close the session, keeping the first error. */
static CK_RV done(CK_SESSION_HANDLE s, CK_RV rv)
{
    CK_RV closed = C_CloseSession(s);
    return rv != CKR_OK ? rv : closed;
}

CK_RV device_init_pin(void)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = session(CKU_SO, &s);
    return rv != CKR_OK ? rv : done(s, C_InitPIN(s, user_pin, sizeof(user_pin) - 1));
}

CK_RV device_make_keypair(void)
{
    static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pub[] = { { CKA_TOKEN, &yes, 1 },
                           { CKA_LABEL, key_label, sizeof(key_label) - 1 },
                           { CKA_EC_PARAMS, p256, sizeof(p256) },
                           { CKA_VERIFY, &yes, 1 } };
    CK_ATTRIBUTE priv[] = { { CKA_TOKEN, &yes, 1 },
                            { CKA_LABEL, key_label, sizeof(key_label) - 1 },
                            { CKA_SIGN, &yes, 1 } };
    CK_OBJECT_HANDLE h_pub, h_priv;
    CK_SESSION_HANDLE s;
    CK_RV rv = session(CKU_USER, &s);
    return rv != CKR_OK ? rv : done(s, C_GenerateKeyPair(s, &gen, pub, 4, priv, 3, &h_pub, &h_priv));
}

CK_RV device_store_cert(void)
{
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE type = CKC_X_509;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                         { CKA_CERTIFICATE_TYPE, &type, sizeof(type) },
                         { CKA_TOKEN, &yes, 1 },
                         { CKA_LABEL, cert_label, sizeof(cert_label) - 1 },
                         { CKA_VALUE, (CK_VOID_PTR)(uintptr_t)nvt_test_device_cert, sizeof(nvt_test_device_cert) } };
    CK_OBJECT_HANDLE h;
    CK_SESSION_HANDLE s;
    CK_RV rv = session(CKU_USER, &s);
    return rv != CKR_OK ? rv : done(s, C_CreateObject(s, t, 5, &h));
}

/* The objects of class \p cls labelled \p label: how many (up to 2), and
 * the first. */
static CK_RV find(CK_SESSION_HANDLE s, CK_OBJECT_CLASS cls, const char *label, CK_OBJECT_HANDLE *h,
                  CK_ULONG *count)
{
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                         { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) } };
    CK_OBJECT_HANDLE found[2] = { CK_INVALID_HANDLE, CK_INVALID_HANDLE };
    CK_RV rv = C_FindObjectsInit(s, t, 2);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_FindObjects(s, found, 2, count);
    CK_RV fin = C_FindObjectsFinal(s);
    *h = found[0];
    return rv != CKR_OK ? rv : fin;
}

static CK_RV wrong(const char *what)
{
    printf("inconsistent: %s\n", what);
    return CKR_GENERAL_ERROR;
}

/* With the user logged in: the key pair and the certificate. */
static CK_RV examine_objects(CK_SESSION_HANDLE s, device_state_t *state)
{
    CK_OBJECT_HANDLE priv, pub, cert;
    CK_ULONG n_priv, n_pub, n_cert;
    CK_RV rv = find(s, CKO_PRIVATE_KEY, key_label, &priv, &n_priv);
    if (rv == CKR_OK) {
        rv = find(s, CKO_PUBLIC_KEY, key_label, &pub, &n_pub);
    }
    if (rv == CKR_OK) {
        rv = find(s, CKO_CERTIFICATE, cert_label, &cert, &n_cert);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (n_priv > 1 || n_pub > 1 || n_cert > 1) {
        return wrong("an object stored twice");
    }
    if (n_priv != n_pub) {
        return wrong("half a key pair");
    }
    if (n_cert == 1) {
        static CK_BYTE value[NVT_TEST_DEVICE_CERT_LEN + 1];
        CK_ATTRIBUTE a = { CKA_VALUE, value, sizeof(value) };
        rv = C_GetAttributeValue(s, cert, &a, 1);
        if (rv != CKR_OK) {
            return rv;
        }
        if (a.ulValueLen != NVT_TEST_DEVICE_CERT_LEN || memcmp(value, nvt_test_device_cert, a.ulValueLen) != 0) {
            return wrong("the certificate differs from the one stored");
        }
        if (n_priv == 0) {
            return wrong("a certificate without its key pair");
        }
    }
    *state = n_cert == 1 ? DEVICE_CERT : n_priv == 1 ? DEVICE_KEYPAIR : DEVICE_PIN;
    return CKR_OK;
}

CK_RV device_examine(device_state_t *state)
{
    CK_TOKEN_INFO info;
    CK_RV rv = C_GetTokenInfo(SLOT, &info);
    if (rv != CKR_OK) {
        return rv;
    }
    if (!(info.flags & CKF_TOKEN_INITIALIZED)) {
        *state = DEVICE_FACTORY;
        return CKR_OK;
    }
    if (!(info.flags & CKF_USER_PIN_INITIALIZED)) {
        *state = DEVICE_TOKEN;
        return CKR_OK;
    }
    CK_SESSION_HANDLE s;
    rv = session(CKU_USER, &s);
    return rv != CKR_OK ? rv : done(s, examine_objects(s, state));
}

CK_RV device_complete(device_state_t state)
{
    CK_RV rv = CKR_OK;
    if (rv == CKR_OK && state < DEVICE_TOKEN) {
        rv = device_init_token();
    }
    if (rv == CKR_OK && state < DEVICE_PIN) {
        rv = device_init_pin();
    }
    if (rv == CKR_OK && state < DEVICE_KEYPAIR) {
        rv = device_make_keypair();
    }
    if (rv == CKR_OK && state < DEVICE_CERT) {
        rv = device_store_cert();
    }
    return rv;
}

static void print_hex(const char *name, const CK_BYTE *bytes, CK_ULONG len)
{
    printf("%s: ", name);
    for (CK_ULONG i = 0; i < len; i++) {
        printf("%02x", bytes[i]);
    }
    printf("\n");
}

static CK_RV sign_and_report(CK_SESSION_HANDLE s)
{
    static char message[] = "nvtoken reference board: signed after a reboot";
    CK_OBJECT_HANDLE priv, pub, cert;
    CK_ULONG n;
    CK_RV rv = find(s, CKO_PRIVATE_KEY, key_label, &priv, &n);
    if (rv == CKR_OK && n == 1) {
        rv = find(s, CKO_PUBLIC_KEY, key_label, &pub, &n);
    }
    if (rv == CKR_OK && n == 1) {
        rv = find(s, CKO_CERTIFICATE, cert_label, &cert, &n);
    }
    if (rv != CKR_OK || n != 1) {
        return rv != CKR_OK ? rv : wrong("the key or the certificate is missing");
    }
    CK_BYTE digest[32], sig[64], point[67];
    CK_ULONG digest_len = sizeof(digest), sig_len = sizeof(sig);
    CK_MECHANISM sha256 = { CKM_SHA256, NULL_PTR, 0 }, ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_ATTRIBUTE ec_point = { CKA_EC_POINT, point, sizeof(point) };
    rv = C_DigestInit(s, &sha256);
    if (rv == CKR_OK) {
        rv = C_Digest(s, (CK_BYTE_PTR)message, sizeof(message) - 1, digest, &digest_len);
    }
    if (rv == CKR_OK) {
        rv = C_SignInit(s, &ecdsa, priv);
    }
    if (rv == CKR_OK) {
        rv = C_Sign(s, digest, digest_len, sig, &sig_len);
    }
    if (rv == CKR_OK) {
        rv = C_VerifyInit(s, &ecdsa, pub);
    }
    if (rv == CKR_OK) {
        rv = C_Verify(s, digest, digest_len, sig, sig_len);
    }
    if (rv == CKR_OK) {
        rv = C_GetAttributeValue(s, pub, &ec_point, 1);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    /* CKA_EC_POINT is the point as a DER OCTET STRING: 04 41, then 04 x y. */
    if (ec_point.ulValueLen != 67 || point[0] != 0x04 || point[1] != 65) {
        return wrong("the public key is not a P-256 point");
    }
    print_hex("public", point + 2, 65);
    print_hex("digest", digest, digest_len);
    print_hex("signature", sig, sig_len);
    return CKR_OK;
}

CK_RV device_sign_and_report(void)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = session(CKU_USER, &s);
    return rv != CKR_OK ? rv : done(s, sign_and_report(s));
}
