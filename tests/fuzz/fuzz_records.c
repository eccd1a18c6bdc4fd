/* libFuzzer target: what a mount finds in a store whose records have valid
 * CRCs but crafted contents - the token record, the PIN failure counters,
 * the key-pair journal, the NV seed and token objects (docs/FORMAT.md,
 * "Token objects"). The store is the honest carrier here (fuzz_store.c
 * attacks it); every byte of every record is the input's.
 *
 * The target knows the store ids only, not the records' layouts: the seeds
 * (make_token_corpus records) are records the token itself wrote, so a new
 * record format needs no change here - only the seeds, which follow the
 * code.
 *
 * Sensitive records are sealed at rest: the input gives a record's
 * plaintext, and the harness seals it under the slot's device key as the
 * token would (fz_record_put()), so that the token's decoders behind the
 * seal see the input's bytes; a record left in the clear is one of an
 * image written before sealing, or one a sealed store refuses.
 *
 * Input: flags (1 byte), then records: store id (2 bytes), length (2
 * bytes: 15 bits, and FZ_SEALED to seal it), bytes. Flags: bits 0-1 who logs in (nobody, the user, the user
 * with a wrong PIN, the SO); bit 2 write a token object after the mount;
 * bit 3 C_InitToken at the end.
 *
 * Per input: a fresh store holding the records, C_Initialize (the mount:
 * record, counters, journal recovery, stale objects, object scan), token
 * information, the NV seed hooks, a login, every visible object read in
 * full (fz_check_object: no secret attribute of a protected key given), a
 * key operation started with each key, then C_Finalize and a second mount
 * that must see the same objects (a mount's recovery is complete at once),
 * and fsck must find the store sound. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto_nv_seed.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLAG_LOGIN 0x03u
#define FLAG_WRITE 0x04u
#define FLAG_REINIT 0x08u
#define MAX_SEEN 64u

static CK_UTF8CHAR so_pin[] = FZ_SO_PIN, user_pin[] = FZ_USER_PIN, wrong_pin[] = "0000";

static void check(fz_fn_t fn, CK_RV rv)
{
    FZ_CHECK(fz_rv_allowed(fn, rv), "%s returned 0x%lx", fz_fn_name(fn), (unsigned long)rv);
}

/* A key operation started with object h (the key loaded from the object),
 * then done for symmetric keys, or ended by a call the engine refuses
 * before any arithmetic for the others. */
static void use_key(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    CK_ULONG cls = 0, kt = 0;
    CK_ATTRIBUTE a[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) } };
    if (C_GetAttributeValue(s, h, a, 2) != CKR_OK) {
        return;
    }
    uint8_t in[32] = { 1 }, out[64];
    CK_ULONG out_len = sizeof(out);
    CK_MECHANISM m = { CKM_ECDSA, NULL, 0 };
    int sign = cls == CKO_PRIVATE_KEY || cls == CKO_SECRET_KEY;
    int symmetric = kt == CKK_AES || kt == CKK_GENERIC_SECRET;
    switch (kt) {
    case CKK_RSA: m.mechanism = CKM_RSA_PKCS; break;
    case CKK_AES: m.mechanism = CKM_AES_CMAC; break;
    case CKK_GENERIC_SECRET: m.mechanism = CKM_SHA256_HMAC; break;
    case CKK_EC: break;
    default: return;
    }
    CK_RV rv = sign ? C_SignInit(s, &m, h) : C_VerifyInit(s, &m, h);
    check(FZ_FN_SIGN_INIT, rv);
    if (rv != CKR_OK) {
        return;
    }
    if (!sign) {
        rv = C_Verify(s, in, sizeof(in), out, symmetric ? 32 : 1); /* asymmetric: a signature too short */
        check(FZ_FN_VERIFY, rv);
    } else if (symmetric) {
        check(FZ_FN_SIGN, C_Sign(s, in, sizeof(in), out, &out_len));
    } else {
        out_len = 1;
        check(FZ_FN_SIGN, C_Sign(s, in, sizeof(in), out, &out_len)); /* too small: stays active */
        check(FZ_FN_SIGN, C_Sign(s, in, sizeof(in), out, NULL));     /* a bad argument ends it */
    }
}

/* Every object the session sees: checked, and fingerprinted into fp[]. */
static size_t visit(CK_SESSION_HANDLE s, uint64_t fp[MAX_SEEN], int use)
{
    CK_OBJECT_HANDLE h[MAX_SEEN];
    CK_ULONG n = 0;
    CK_RV rv = C_FindObjectsInit(s, NULL, 0);
    check(FZ_FN_FIND_INIT, rv);
    if (rv != CKR_OK) {
        return 0;
    }
    check(FZ_FN_FIND, C_FindObjects(s, h, MAX_SEEN, &n));
    check(FZ_FN_FIND_FINAL, C_FindObjectsFinal(s));
    for (CK_ULONG i = 0; i < n; i++) {
        CK_ULONG size = 0;
        check(FZ_FN_OBJECT_SIZE, C_GetObjectSize(s, h[i], &size));
        FZ_CHECK(fz_check_object(s, h[i]) == 0, "a found object cannot be read");
        /* fingerprint: class, key type, id, label */
        uint8_t buf[4][64];
        CK_ATTRIBUTE a[] = { { CKA_CLASS, buf[0], 64 }, { CKA_KEY_TYPE, buf[1], 64 }, { CKA_ID, buf[2], 64 },
                             { CKA_LABEL, buf[3], 64 } };
        (void)C_GetAttributeValue(s, h[i], a, 4);
        uint64_t f = 0xcbf29ce484222325u;
        for (int k = 0; k < 4; k++) {
            CK_ULONG len = a[k].ulValueLen == CK_UNAVAILABLE_INFORMATION ? 0 : a[k].ulValueLen;
            for (CK_ULONG j = 0; j < len && j < 64; j++) {
                f = (f ^ buf[k][j]) * 0x100000001b3u;
            }
            f = (f ^ (0x80u + (unsigned)k)) * 0x100000001b3u;
        }
        fp[i] = f;
        if (use) {
            use_key(s, h[i]);
        }
    }
    return n;
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Open a session and log in as the flags say. */
static CK_RV session(unsigned flags, CK_SESSION_HANDLE *s)
{
    unsigned who = flags & FLAG_LOGIN;
    CK_RV rv = C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, s);
    check(FZ_FN_OPEN_SESSION, rv);
    if (rv != CKR_OK || who == 0) {
        return rv;
    }
    rv = who == 3   ? C_Login(*s, CKU_SO, so_pin, sizeof(so_pin) - 1)
         : who == 1 ? C_Login(*s, CKU_USER, user_pin, sizeof(user_pin) - 1)
                    : C_Login(*s, CKU_USER, wrong_pin, sizeof(wrong_pin) - 1);
    check(FZ_FN_LOGIN, rv);
    fz_trace("login %u: 0x%lx", who, (unsigned long)rv);
    return CKR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in_t in = { data, size };
    unsigned flags = fz_u8(&in);
    fz_flash_blank();
    while (in.n >= 4) {
        nvt_store_id_t id = fz_u16(&in);
        unsigned len_field = fz_u16(&in);
        size_t len;
        const uint8_t *v = fz_bytes(&in, len_field & ~FZ_SEALED, &len);
        if (id != NVT_STORE_ID_NONE) {
            (void)fz_record_put(id, v, len, (len_field & FZ_SEALED) != 0);
        }
    }
    nvt_fuzz_entropy_reset(4);
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "C_Initialize failed");

    CK_TOKEN_INFO ti;
    CK_RV rv = C_GetTokenInfo(0, &ti);
    check(FZ_FN_TOKEN_INFO, rv);
    fz_trace("token info: 0x%lx, flags 0x%lx", (unsigned long)rv, rv == CKR_OK ? (unsigned long)ti.flags : 0ul);
    /* The NV seed, as mbedTLS reads and replaces it on a target. */
    unsigned char seed[NVT_TOKEN_NV_SEED_SIZE];
    if (nvt_crypto_nv_seed_read(seed, sizeof(seed)) == (int)sizeof(seed)) {
        (void)nvt_crypto_nv_seed_write(seed, sizeof(seed));
    }

    uint64_t fp1[MAX_SEEN + 1], fp2[MAX_SEEN + 1];
    size_t n1 = 0, n2 = 0;
    CK_SESSION_HANDLE s;
    if (session(flags, &s) == CKR_OK) {
        if (flags & FLAG_WRITE) {
            CK_OBJECT_CLASS cls = CKO_DATA;
            CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
            static char label[] = "written";
            CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &no, 1 },
                                 { CKA_LABEL, label, sizeof(label) - 1 } };
            CK_OBJECT_HANDLE h;
            check(FZ_FN_CREATE, C_CreateObject(s, t, 4, &h));
        }
        n1 = visit(s, fp1, 1);
        fz_trace("objects seen: %zu", n1);
    }
    if (flags & FLAG_REINIT) {
        (void)C_CloseAllSessions(0);
        CK_UTF8CHAR label[32];
        memset(label, ' ', sizeof(label));
        check(FZ_FN_INIT_TOKEN, C_InitToken(0, so_pin, sizeof(so_pin) - 1, label));
    }
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "C_Finalize failed");

    /* The second mount sees what the first left. */
    nvt_fuzz_entropy_reset(5);
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "C_Initialize (again) failed");
    if (!(flags & FLAG_REINIT)) {
        /* (a login as the first one: a wrong PIN fails both times) */
        if (session(flags, &s) == CKR_OK) {
            n2 = visit(s, fp2, 0);
        }
        FZ_CHECK(n1 == n2, "the second mount sees %zu objects, the first %zu", n2, n1);
        qsort(fp1, n1, sizeof(fp1[0]), cmp64);
        qsort(fp2, n2, sizeof(fp2[0]), cmp64);
        FZ_CHECK(n1 != n2 || memcmp(fp1, fp2, n1 * sizeof(fp1[0])) == 0,
                 "the second mount sees other objects than the first");
    }
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "C_Finalize failed");

    /* What the token wrote left the store sound. */
    nvt_store_fsck_report_t rep;
    FZ_CHECK(fz_store_mount() == NVT_OK, "the store no longer mounts");
    FZ_CHECK(nvt_store_fsck(fz_store(), 0, &rep, NULL, NULL) == NVT_OK && rep.records_corrupt == 0 && rep.records_torn == 0 &&
                 rep.sectors_damaged == 0,
             "fsck: %u corrupt, %u torn, %u damaged", (unsigned)rep.records_corrupt, (unsigned)rep.records_torn,
             (unsigned)rep.sectors_damaged);
    return 0;
}
