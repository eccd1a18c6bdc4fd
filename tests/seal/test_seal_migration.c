/* seal_migration IMAGE - an image written by the token of the last version
 * before sealing (tests/seal/v1_mkimage.c, that version's own code) mounts
 * here as it is, and its first write seals every sensitive record
 * (docs/DESIGN.md, "Migration"). Host only: the image is a file.
 *
 * - Mounting and reading change no byte of the image; the token is there
 *   with its label, its objects and its counted wrong PIN.
 * - The first write (a login) seals the token record, the NV seed and every
 *   key; afterwards not one 8-byte piece of any key, of the old PIN
 *   verifiers or of the old seed is in the image file, and every key still
 *   works - across a restart too.
 * - The image is also of the store's format version 1 (that version's
 *   store wrote it): the same first write migrates every sector of it to
 *   version 2 (docs/FORMAT.md, "Reading and migrating version 1"). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvt_kat.h"
#include "nvt_test_token.h"
#include "nvtoken/flash_file.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "v1_values.h"

#define REGION (4096u * 16u)

static const char *v1_image;
static char work[1100];

static nvt_flash_file_t file;
static nvt_store_t store;
static nvt_store_entry_t idx[256];
static nvt_store_sector_t sec[16];
static uint8_t scratch[512];
static nvt_store_config_t store_cfg;
static nvt_token_slot_config_t slot;
static nvt_token_config_t cfg;

static CK_UTF8CHAR user_pin[] = V1_USER_PIN;

static int test_key(void *ctx, int create, nvt_token_device_key_t *key)
{
    (void)ctx;
    (void)create;
    return nvt_test_token_device_key(0, key) == 0 ? NVT_OK : NVT_E_NOT_FOUND;
}

static void read_file(const char *path, uint8_t *out, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(out, 1, size, f), size);
    fclose(f);
}

static void write_file(const char *path, const uint8_t *in, size_t size)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(in, 1, size, f), size);
    assert_int_equal(fclose(f), 0);
}

static void start(void)
{
    nvt_flash_geometry_t geo;
    assert_int_equal(nvt_flash_geometry_parse(V1_GEOMETRY, &geo), NVT_OK);
    assert_int_equal(nvt_flash_file_open(&file, work, &geo, 0), NVT_OK);
    store_cfg = (nvt_store_config_t){ &file.flash, idx, sizeof(idx), sec, sizeof(sec), scratch, sizeof(scratch) };
    memset(&slot, 0, sizeof(slot));
    slot.store_cfg = &store_cfg;
    slot.store = &store;
    slot.device_key = test_key;
    cfg.slots = &slot;
    cfg.slot_count = 1;
    assert_int_equal(nvt_token_configure(&cfg), NVT_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

static void stop(void)
{
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_flash_file_close(&file), NVT_OK);
}

static CK_OBJECT_HANDLE find(CK_SESSION_HANDLE s, const char *label, CK_OBJECT_CLASS cls)
{
    CK_ATTRIBUTE t[] = { { CKA_LABEL, (void *)(uintptr_t)label, strlen(label) }, { CKA_CLASS, &cls, sizeof(cls) } };
    CK_OBJECT_HANDLE h[2];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(s, t, 2), CKR_OK);
    assert_int_equal(C_FindObjects(s, h, 2, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(n, 1);
    return h[0];
}

/* Every key of the image works as that version stored it. */
static void the_keys_work(CK_SESSION_HANDLE s)
{
    uint8_t v[64];
    CK_ATTRIBUTE a = { CKA_VALUE, v, sizeof(v) };
    assert_int_equal(C_GetAttributeValue(s, find(s, "v1 aes readable", CKO_SECRET_KEY), &a, 1), CKR_OK);
    assert_int_equal(a.ulValueLen, V1_AES_LEN128);
    assert_memory_equal(v, V1_AES128, V1_AES_LEN128);
    assert_int_equal(C_GetAttributeValue(s, find(s, "v1 private", CKO_DATA), &a, 1), CKR_OK);
    assert_memory_equal(v, "private data", 12);
    /* the sensitive AES key: ECB of a block, against a session key of the same value */
    CK_OBJECT_CLASS secret = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_BBOOL yes = CK_TRUE;
    char value[] = V1_AES256;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &secret, sizeof(secret) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                         { CKA_VALUE, value, V1_AES_LEN256 },    { CKA_ENCRYPT, &yes, 1 } };
    CK_OBJECT_HANDLE ref;
    assert_int_equal(C_CreateObject(s, t, 4, &ref), CKR_OK);
    CK_MECHANISM ecb = { CKM_AES_ECB, NULL_PTR, 0 };
    uint8_t block[16] = "sixteen bytes...", c1[16], c2[16];
    CK_ULONG n1 = 16, n2 = 16;
    assert_int_equal(C_EncryptInit(s, &ecb, find(s, "v1 aes", CKO_SECRET_KEY)), CKR_OK);
    assert_int_equal(C_Encrypt(s, block, 16, c1, &n1), CKR_OK);
    assert_int_equal(C_EncryptInit(s, &ecb, ref), CKR_OK);
    assert_int_equal(C_Encrypt(s, block, 16, c2, &n2), CKR_OK);
    assert_memory_equal(c1, c2, 16);
    /* EC: sign with the private key, verify with the public one */
    CK_MECHANISM ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    uint8_t hash[32], sig[72];
    CK_ULONG sig_len = sizeof(sig);
    memset(hash, 0x42, sizeof(hash));
    assert_int_equal(C_SignInit(s, &ecdsa, find(s, "v1 ec", CKO_PRIVATE_KEY)), CKR_OK);
    assert_int_equal(C_Sign(s, hash, sizeof(hash), sig, &sig_len), CKR_OK);
    assert_int_equal(C_VerifyInit(s, &ecdsa, find(s, "v1 ec", CKO_PUBLIC_KEY)), CKR_OK);
    assert_int_equal(C_Verify(s, hash, sizeof(hash), sig, sig_len), CKR_OK);
    /* RSA: the deterministic PKCS#1 v1.5 signature of the vectors */
    const kat_rsa_sig_t *k = NULL;
    for (size_t i = 0; i < kat_rsa_sig_count && k == NULL; i++) {
        const kat_rsa_sig_t *c = &kat_rsa_sigs[i];
        k = c->key == &kat_rsa_key_a && c->mech == CKM_SHA256_RSA_PKCS && c->deterministic ? c : NULL;
    }
    assert_non_null(k);
    static uint8_t msg[1024], want[512], got[512];
    size_t mlen = kat_hex(k->msg, msg, sizeof(msg)), wlen = kat_hex(k->sig, want, sizeof(want));
    CK_ULONG glen = sizeof(got);
    CK_MECHANISM m = { CKM_SHA256_RSA_PKCS, NULL_PTR, 0 };
    assert_int_equal(C_SignInit(s, &m, find(s, "v1 rsa", CKO_PRIVATE_KEY)), CKR_OK);
    assert_int_equal(C_Sign(s, msg, mlen, got, &glen), CKR_OK);
    assert_int_equal(glen, wlen);
    assert_memory_equal(got, want, wlen);
}

/* ---- the secrets of the image ------------------------------------------------------------------ */

#define NSECRETS 16

static struct {
    uint8_t v[520];
    size_t len;
    char name[24];
} secrets[NSECRETS];
static size_t nsecrets;

static void remember(const char *name, const uint8_t *v, size_t len)
{
    assert_true(nsecrets < NSECRETS && len <= sizeof(secrets[0].v) && len >= 8);
    snprintf(secrets[nsecrets].name, sizeof(secrets[0].name), "%s", name);
    memcpy(secrets[nsecrets].v, v, len);
    secrets[nsecrets++].len = len;
}

/* 8-byte pieces of the secrets in the bytes. */
static size_t hits(const uint8_t *img, size_t size, int verbose)
{
    size_t n = 0;
    for (size_t k = 0; k < nsecrets; k++) {
        for (size_t i = 0; i + 8 <= secrets[k].len; i++) {
            for (size_t p = 0; p + 8 <= size; p++) {
                if (img[p] == secrets[k].v[i] && memcmp(img + p, secrets[k].v + i, 8) == 0) {
                    if (verbose && n < 8) {
                        print_error("%s bytes %zu.. at image offset 0x%zx\n", secrets[k].name, i, p);
                    }
                    n++;
                }
            }
        }
    }
    return n;
}

static void remember_the_images_secrets(void)
{
    nsecrets = 0;
    remember("AES-256", (const uint8_t *)V1_AES256, V1_AES_LEN256);
    remember("AES-128", (const uint8_t *)V1_AES128, V1_AES_LEN128);
    uint8_t v[520];
    for (size_t i = 0; i < kat_ecdsa_count; i++) {
        if (kat_ecdsas[i].bits == 256) {
            remember("EC d", v, kat_hex(kat_ecdsas[i].d, v, sizeof(v)));
            break;
        }
    }
    const kat_rsa_key_t *r = &kat_rsa_key_a;
    const char *hex[6] = { r->d, r->p, r->q, r->dp, r->dq, r->qi };
    for (int i = 0; i < 6; i++) {
        remember("RSA private part", v, kat_hex(hex[i], v, sizeof(v)));
    }
    /* the v1 token record (in the clear: PIN verifiers at 68 and 120) and NV seed */
    size_t n = 0;
    assert_int_equal(nvt_store_get(&store, NVT_TOKEN_ID_RECORD, v, sizeof(v), &n), NVT_OK);
    assert_int_equal(n, 172);
    remember("SO verifier", v + 68 + 4, 48);
    remember("user verifier", v + 120 + 4, 48);
    assert_int_equal(nvt_store_get(&store, NVT_TOKEN_ID_NV_SEED, v, sizeof(v), &n), NVT_OK);
    assert_int_equal(n, 64);
    remember("NV seed", v, 64);
}

/* ---- the test ------------------------------------------------------------------------------- */

static void an_image_written_before_sealing_mounts_and_its_first_write_seals_it(void **state)
{
    (void)state;
    static uint8_t before[REGION], after[REGION];
    read_file(v1_image, before, REGION);
    snprintf(work, sizeof(work), "%s.work", v1_image);
    write_file(work, before, REGION);

    start();
    /* as written: every secret in the clear (the test's premise) */
    remember_the_images_secrets();
    assert_true(hits(before, REGION, 0) > 0);
    nvt_token_diag_t d;
    assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
    assert_int_equal(d.record, NVT_TOKEN_RECORD_OK);
    assert_int_equal(d.migrating, 1);
    nvt_token_seal_report_t r;
    assert_int_equal(nvt_token_seal_check(&store, NULL, &r), NVT_OK);
    assert_int_equal(r.sealed, 0);
    assert_int_equal(r.plaintext, 6); /* record, seed, 2 AES, EC, RSA */
    nvt_store_fsck_report_t f;
    assert_int_equal(nvt_store_fsck(&store, 0, &f, NULL, NULL), NVT_OK);
    assert_true(f.sectors_old > 0); /* store format version 1 */
    uint32_t old_sectors = f.sectors_old;
    /* reading writes nothing */
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_memory_equal(info.label, V1_LABEL, sizeof(V1_LABEL) - 1);
    assert_true((info.flags & CKF_USER_PIN_COUNT_LOW) != 0); /* its counted wrong PIN */
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    uint8_t v[64];
    CK_ATTRIBUTE a = { CKA_VALUE, v, sizeof(v) };
    assert_int_equal(C_GetAttributeValue(s, find(s, "v1 public", CKO_DATA), &a, 1), CKR_OK);
    assert_memory_equal(v, V1_PUBLIC_VALUE, sizeof(V1_PUBLIC_VALUE) - 1);
    read_file(work, after, REGION);
    assert_memory_equal(before, after, REGION);

    /* the first write: a login */
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
    assert_int_equal(d.migrating, 0);
    assert_int_equal(d.repairs_pending, 0);
    nvt_token_device_key_t key;
    assert_int_equal(nvt_test_token_device_key(0, &key), 0);
    assert_int_equal(nvt_token_seal_check(&store, &key, &r), NVT_OK);
    assert_int_equal(r.plaintext, 0);
    assert_int_equal(r.sealed, 8); /* 2 record copies, 2 seed copies, 4 keys */
    assert_int_equal(r.opened, 8);
    assert_int_equal(nvt_store_fsck(&store, 0, &f, NULL, NULL), NVT_OK);
    assert_int_equal(f.sectors_old, 0); /* and the store is of version 2 */
    the_keys_work(s);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_true((info.flags & CKF_USER_PIN_COUNT_LOW) == 0); /* the good login reset it */
    stop();

    read_file(work, after, REGION);
    size_t found = hits(after, REGION, 1);
    print_message("image written before sealing: %zu pieces of its secrets in it, %u sectors of store format 1; "
                  "after the first write: %zu, 0\n",
                  hits(before, REGION, 0), (unsigned)old_sectors, found);
    for (uint32_t i = 0; i < REGION / 4096u; i++) {
        assert_int_equal(after[i * 4096u + 3], 2); /* every erase block of version 2 */
    }
    assert_int_equal(found, 0);

    /* and so it stays */
    start();
    assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
    assert_int_equal(d.migrating, 0);
    assert_int_equal(d.refused + d.tampered + d.copies_damaged, 0);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    the_keys_work(s);
    stop();
    remove(work);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: seal_migration IMAGE (written by nvt-v1-mkimage)\n");
        return 2;
    }
    v1_image = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_image_written_before_sealing_mounts_and_its_first_write_seals_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
