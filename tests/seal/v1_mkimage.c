/* nvt-v1-mkimage IMAGE - write a token image with the code of the last
 * version before sealing (the commit pinned in tests/seal/CMakeLists.txt,
 * built from git for this program alone), through its PKCS#11 module's own
 * path: the image file named by NVTOKEN_IMAGE, created by the module. The
 * image holds an initialised token with a user PIN and one wrong attempt
 * counted, a public and a private data object, two AES keys (one
 * sensitive), the EC P-256 and RSA-2048 key pairs of tests/kat/, and the
 * NV seed - every sensitive record in the clear, as that version wrote it.
 *
 * Only the PKCS#11 API and getenv/setenv: the same source builds against
 * that version's headers. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvt_kat.h"
#include "nvtoken/pkcs11.h"
#include "v1_values.h"

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

static int check(CK_RV rv, const char *what)
{
    if (rv != CKR_OK) {
        fprintf(stderr, "nvt-v1-mkimage: %s: 0x%lx\n", what, (unsigned long)rv);
        exit(1);
    }
    return 0;
}

static void create(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n, const char *what)
{
    CK_OBJECT_HANDLE h;
    check(C_CreateObject(s, t, n, &h), what);
}

static void label32(CK_UTF8CHAR out[32], const char *text)
{
    size_t n = strlen(text);
    memset(out, ' ', 32);
    memcpy(out, text, n < 32 ? n : 32);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: nvt-v1-mkimage IMAGE\n");
        return 2;
    }
    remove(argv[1]);
    setenv("NVTOKEN_IMAGE", argv[1], 1);
    setenv("NVTOKEN_GEOMETRY", V1_GEOMETRY, 1);
    setenv("NVTOKEN_SYNC", "0", 1);
    unsetenv("NVTOKEN_CONF");
    check(C_Initialize(NULL_PTR), "C_Initialize");
    CK_UTF8CHAR label[32];
    label32(label, V1_LABEL);
    CK_UTF8CHAR so_pin[] = V1_SO_PIN, user_pin[] = V1_USER_PIN;
    check(C_InitToken(0, so_pin, sizeof(so_pin) - 1, label), "C_InitToken");
    CK_SESSION_HANDLE s;
    check(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), "C_OpenSession");
    check(C_Login(s, CKU_SO, so_pin, sizeof(so_pin) - 1), "C_Login SO");
    check(C_InitPIN(s, user_pin, sizeof(user_pin) - 1), "C_InitPIN");
    check(C_Logout(s), "C_Logout");
    check(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), "C_Login user");

    CK_OBJECT_CLASS data = CKO_DATA, secret = CKO_SECRET_KEY, priv = CKO_PRIVATE_KEY, pub = CKO_PUBLIC_KEY;
    CK_KEY_TYPE aes = CKK_AES, ec = CKK_EC, rsa = CKK_RSA;
    char v[] = V1_PUBLIC_VALUE, l_pub[] = "v1 public", l_priv[] = "v1 private", v_priv[] = "private data";
    char l_aes[] = "v1 aes", l_aes2[] = "v1 aes readable", l_ec[] = "v1 ec", l_rsa[] = "v1 rsa";
    char aes256[] = V1_AES256, aes128[] = V1_AES128;
    CK_ATTRIBUTE t_pub[] = { { CKA_CLASS, &data, sizeof(data) }, { CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &no, 1 },
                             { CKA_LABEL, l_pub, 9 },            { CKA_VALUE, v, sizeof(v) - 1 } };
    create(s, t_pub, 5, "public data");
    CK_ATTRIBUTE t_priv[] = { { CKA_CLASS, &data, sizeof(data) }, { CKA_TOKEN, &yes, 1 },
                              { CKA_LABEL, l_priv, 10 },          { CKA_VALUE, v_priv, 12 } };
    create(s, t_priv, 4, "private data");
    CK_ATTRIBUTE t_aes[] = { { CKA_CLASS, &secret, sizeof(secret) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                             { CKA_TOKEN, &yes, 1 },                 { CKA_LABEL, l_aes, 6 },
                             { CKA_VALUE, aes256, V1_AES_LEN256 },   { CKA_ENCRYPT, &yes, 1 } };
    create(s, t_aes, 6, "AES-256");
    CK_ATTRIBUTE t_aes2[] = { { CKA_CLASS, &secret, sizeof(secret) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                              { CKA_TOKEN, &yes, 1 },                 { CKA_LABEL, l_aes2, 15 },
                              { CKA_VALUE, aes128, V1_AES_LEN128 },   { CKA_SENSITIVE, &no, 1 },
                              { CKA_EXTRACTABLE, &yes, 1 } };
    create(s, t_aes2, 7, "AES-128");

    static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    const kat_ecdsa_t *k = NULL;
    for (size_t i = 0; i < kat_ecdsa_count && k == NULL; i++) {
        k = kat_ecdsas[i].bits == 256 ? &kat_ecdsas[i] : NULL;
    }
    uint8_t d[32], point[2 + 65];
    size_t dn = kat_hex(k->d, d, sizeof(d));
    size_t pn = kat_hex(k->point, point + 2, sizeof(point) - 2);
    point[0] = 0x04;
    point[1] = (uint8_t)pn;
    CK_ATTRIBUTE t_ec[] = { { CKA_CLASS, &priv, sizeof(priv) }, { CKA_KEY_TYPE, &ec, sizeof(ec) },
                            { CKA_TOKEN, &yes, 1 },             { CKA_LABEL, l_ec, 5 },
                            { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) }, { CKA_VALUE, d, dn },
                            { CKA_SIGN, &yes, 1 } };
    create(s, t_ec, 7, "EC private key");
    CK_ATTRIBUTE t_ecp[] = { { CKA_CLASS, &pub, sizeof(pub) }, { CKA_KEY_TYPE, &ec, sizeof(ec) },
                             { CKA_TOKEN, &yes, 1 },           { CKA_LABEL, l_ec, 5 },
                             { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) }, { CKA_EC_POINT, point, pn + 2 },
                             { CKA_VERIFY, &yes, 1 } };
    create(s, t_ecp, 7, "EC public key");

    static uint8_t part[8][520];
    size_t len[8];
    const kat_rsa_key_t *r = &kat_rsa_key_a;
    const char *hex[8] = { r->n, r->e, r->d, r->p, r->q, r->dp, r->dq, r->qi };
    for (int i = 0; i < 8; i++) {
        len[i] = kat_hex(hex[i], part[i], sizeof(part[i]));
    }
    CK_ATTRIBUTE t_rsa[] = {
        { CKA_CLASS, &priv, sizeof(priv) },       { CKA_KEY_TYPE, &rsa, sizeof(rsa) },
        { CKA_TOKEN, &yes, 1 },                   { CKA_LABEL, l_rsa, 6 },
        { CKA_MODULUS, part[0], len[0] },         { CKA_PUBLIC_EXPONENT, part[1], len[1] },
        { CKA_PRIVATE_EXPONENT, part[2], len[2] }, { CKA_PRIME_1, part[3], len[3] },
        { CKA_PRIME_2, part[4], len[4] },         { CKA_EXPONENT_1, part[5], len[5] },
        { CKA_EXPONENT_2, part[6], len[6] },      { CKA_COEFFICIENT, part[7], len[7] },
        { CKA_SIGN, &yes, 1 },
    };
    create(s, t_rsa, sizeof(t_rsa) / sizeof(t_rsa[0]), "RSA private key");
    check(C_Logout(s), "C_Logout");
    /* one wrong attempt, counted in the counter record */
    CK_UTF8CHAR wrong[] = "wrong PIN";
    if (C_Login(s, CKU_USER, wrong, 9) != CKR_PIN_INCORRECT) {
        fprintf(stderr, "nvt-v1-mkimage: a wrong PIN was not refused\n");
        return 1;
    }
    check(C_CloseSession(s), "C_CloseSession");
    check(C_Finalize(NULL_PTR), "C_Finalize");
    printf("%s: written by the token of the last version before sealing\n", argv[1]);
    return 0;
}
