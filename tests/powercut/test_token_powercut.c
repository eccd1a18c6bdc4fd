/* Power cuts during token operations: for every operation below and every
 * flash operation it performs, cut the power there (the operation not
 * done, done, or torn), reboot, and require the token the application
 * sees to be exactly the one before the operation or the one after it -
 * never a mixture - and the store to check clean. PIN failure counters
 * must never be lost: a wrong PIN that was answered CKR_PIN_INCORRECT has
 * been counted, and a login that succeeded has reset the counter.
 *
 * What "the token" means here: the failure counters (read from the token
 * record, docs/FORMAT.md), the token's flags (initialised, user PIN set,
 * PIN counters), which user PIN works, and every object the user can see
 * with its class, label and, where readable, value.
 *
 * One intermediate state is allowed, by design: an operation that checks a
 * PIN first writes the attempt counted, so a cut after that write leaves
 * "before, with the attempt counted" - the alternative would let an
 * attacker try PINs for free by cutting the power before the count.
 * Runs on the host and on the emulated Cortex-M4. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

static CK_UTF8CHAR so_pin[] = NVT_TEST_SO_PIN;
static CK_UTF8CHAR user_pin[] = NVT_TEST_USER_PIN;
static CK_UTF8CHAR new_pin[] = "24680";
static CK_UTF8CHAR wrong_pin[] = "0000";
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

#define FP_SIZE 2048

/* The token as seen after a reboot. */
typedef struct fp {
    int so_fails;   /* from the token record; -1 without one */
    int user_fails;
    char text[FP_SIZE];
} fp_t;

/* ---- the token as the application sees it --------------------------------------- */

/* The end of the fingerprint being written, and the room left there. */
#define FP_END(fp) (fp) + strlen(fp), FP_SIZE - strlen(fp)

/* One object: "class:label=value" (value in hex, or "-" when hidden). */
static void fp_object(char *line, size_t size, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    CK_OBJECT_CLASS cls = 0;
    char label[40] = "";
    CK_BYTE value[64];
    CK_ATTRIBUTE a[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, label, sizeof(label) - 1 } };
    assert_int_equal(C_GetAttributeValue(s, h, a, 2), CKR_OK);
    label[a[1].ulValueLen] = '\0';
    CK_ATTRIBUTE v = { CKA_VALUE, value, sizeof(value) };
    int n = snprintf(line, size, "%lu:%s=", (unsigned long)cls, label);
    if (C_GetAttributeValue(s, h, &v, 1) == CKR_OK) {
        for (CK_ULONG i = 0; i < v.ulValueLen && (size_t)n + 3 < size; i++) {
            n += snprintf(line + n, size - (size_t)n, "%02x", value[i]);
        }
    } else {
        snprintf(line + n, size - (size_t)n, "-");
    }
}

static int cmp_lines(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* The newer of a two-copy record's copies (docs/FORMAT.md, "Two copies"):
 * its bytes and length (0: neither copy reads), its sequence at seq_at; a
 * record of version 1 (seq_at bytes long, written before the copies) has
 * sequence 0. */
static size_t newest(uint16_t id, uint16_t copy, size_t size, size_t seq_at, unsigned char *out)
{
    const uint16_t ids[2] = { id, copy };
    unsigned char b[256];
    size_t best = 0;
    uint32_t best_seq = 0;
    for (int i = 0; i < 2; i++) {
        size_t n = 0;
        int sealed = 0;
        if (nvt_test_token_read_record(0, ids[i], b, sizeof(b), &n, &sealed) != NVT_OK ||
            (n != size && n != seq_at)) {
            continue;
        }
        uint32_t seq = n == seq_at ? 0
                                   : (uint32_t)b[seq_at] | (uint32_t)b[seq_at + 1] << 8 | (uint32_t)b[seq_at + 2] << 16 |
                                         (uint32_t)b[seq_at + 3] << 24;
        if (best == 0 || seq > best_seq) {
            memcpy(out, b, n);
            best = n;
            best_seq = seq;
        }
    }
    return best;
}

/* The fingerprint of the token after a reboot. Logging in to look is
 * itself counted, the same way for every fingerprint (after the counters
 * were read). */
static void fingerprint(fp_t *f)
{
    /* The counts that apply (docs/FORMAT.md): those of the counter record
     * whose generation and verifier serials are the token record's; of each
     * the newer copy (the token record is sealed: opened with the slot's
     * device key). */
    unsigned char rec[256], cnt[32];
    f->so_fails = f->user_fails = -1;
    if (newest(NVT_TOKEN_ID_RECORD, NVT_TOKEN_ID_RECORD_COPY, 176, 172, rec) != 0) {
        f->so_fails = f->user_fails = 0;
        if (newest(NVT_TOKEN_ID_PIN_COUNTERS, NVT_TOKEN_ID_PIN_COUNTERS_COPY, 20, 16, cnt) != 0 &&
            memcmp(cnt + 4, rec + 8, 4) == 0) {
            f->so_fails = memcmp(cnt + 8, rec + 60, 4) == 0 ? cnt[1] : 0;
            f->user_fails = memcmp(cnt + 12, rec + 64, 4) == 0 ? cnt[2] : 0;
        }
    }
    char *fp = f->text;
    fp[0] = '\0';
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    snprintf(FP_END(fp), "flags=%lx label=%.8s ", (unsigned long)(info.flags & (CKF_TOKEN_INITIALIZED | CKF_USER_PIN_INITIALIZED |
                                                                       CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_LOCKED |
                                                                       CKF_SO_PIN_COUNT_LOW)),
           (const char *)info.label);
    if ((info.flags & CKF_TOKEN_INITIALIZED) == 0) {
        return;
    }
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    const char *who = "none";
    if ((info.flags & CKF_USER_PIN_INITIALIZED) != 0) {
        if (C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1) == CKR_OK) {
            who = "old";
        } else if (C_Login(s, CKU_USER, new_pin, sizeof(new_pin) - 1) == CKR_OK) {
            who = "new";
        }
    }
    snprintf(FP_END(fp), "pin=%s objects:", who);
    static char lines[32][160];
    CK_OBJECT_HANDLE found[32];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(s, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjects(s, found, 32, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    for (CK_ULONG i = 0; i < n; i++) {
        fp_object(lines[i], sizeof(lines[i]), s, found[i]);
    }
    qsort(lines, n, sizeof(lines[0]), cmp_lines);
    for (CK_ULONG i = 0; i < n; i++) {
        snprintf(FP_END(fp), " %s", lines[i]);
    }
    assert_int_equal(C_CloseSession(s), CKR_OK);
}

/* ---- the starting token ------------------------------------------------------------ */

static CK_OBJECT_HANDLE h_public, h_private, h_key;

static CK_OBJECT_HANDLE data_object(CK_SESSION_HANDLE s, const char *label, CK_BBOOL priv, CK_BYTE fill)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BYTE value[24];
    memset(value, fill, sizeof(value));
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &priv, 1 },
                         { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) },
                         { CKA_VALUE, value, sizeof(value) } };
    CK_OBJECT_HANDLE h = 0;
    assert_int_equal(C_CreateObject(s, t, 5, &h), CKR_OK);
    return h;
}

static CK_OBJECT_HANDLE secret_key(CK_SESSION_HANDLE s, const char *label)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BYTE value[16];
    memset(value, 0x4b, sizeof(value));
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_TOKEN, &yes, 1 },            { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) },
                         { CKA_VALUE, value, sizeof(value) } };
    CK_OBJECT_HANDLE h = 0;
    assert_int_equal(C_CreateObject(s, t, 5, &h), CKR_OK);
    return h;
}

/* A fresh token with three objects; leaves session s open, user logged in. */
static CK_SESSION_HANDLE starting_token(void)
{
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_test_token_init(0), CKR_OK);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    h_public = data_object(s, "public", CK_FALSE, 0x11);
    h_private = data_object(s, "private", CK_TRUE, 0x22);
    h_key = secret_key(s, "key");
    return s;
}

/* ---- the operations ------------------------------------------------------------------- */

typedef CK_RV (*operation_fn)(CK_SESSION_HANDLE s);

static CK_RV op_create(CK_SESSION_HANDLE s)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BYTE value[40];
    memset(value, 0x33, sizeof(value));
    char label[] = "created";
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &no, 1 },
                         { CKA_LABEL, label, 7 }, { CKA_VALUE, value, sizeof(value) } };
    CK_OBJECT_HANDLE h;
    return C_CreateObject(s, t, 5, &h);
}

static CK_RV op_create_key(CK_SESSION_HANDLE s)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE kt = CKK_AES;
    CK_BYTE value[32];
    memset(value, 0x44, sizeof(value));
    char label[] = "key 2";
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_TOKEN, &yes, 1 }, { CKA_LABEL, label, 5 }, { CKA_VALUE, value, sizeof(value) } };
    CK_OBJECT_HANDLE h;
    return C_CreateObject(s, t, 5, &h);
}

static CK_RV op_destroy(CK_SESSION_HANDLE s)
{
    return C_DestroyObject(s, h_public);
}

static CK_RV op_destroy_key(CK_SESSION_HANDLE s)
{
    return C_DestroyObject(s, h_key);
}

#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
static CK_RV op_set_attribute(CK_SESSION_HANDLE s)
{
    char label[] = "renamed";
    CK_BYTE value[30];
    memset(value, 0x55, sizeof(value));
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, 7 }, { CKA_VALUE, value, sizeof(value) } };
    return C_SetAttributeValue(s, h_private, t, 2);
}
#endif

#if NVT_CONFIG_TOKEN_COPY
static CK_RV op_copy(CK_SESSION_HANDLE s)
{
    char label[] = "copy";
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, 4 } };
    CK_OBJECT_HANDLE h;
    return C_CopyObject(s, h_public, t, 1, &h);
}
#endif

/* An EC P-256 key pair, both halves token objects: two store puts that
 * must land together (the key-pair journal, docs/DESIGN.md). */
static CK_RV op_generate_pair(CK_SESSION_HANDLE s)
{
    static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    char label[] = "pair";
    CK_MECHANISM mech = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ATTRIBUTE pub[] = { { CKA_EC_PARAMS, p256, sizeof(p256) }, { CKA_TOKEN, &yes, 1 }, { CKA_LABEL, label, 4 } };
    CK_ATTRIBUTE priv[] = { { CKA_TOKEN, &yes, 1 }, { CKA_SIGN, &yes, 1 }, { CKA_LABEL, label, 4 } };
    CK_OBJECT_HANDLE hpub, hpriv;
    return C_GenerateKeyPair(s, &mech, pub, 3, priv, 3, &hpub, &hpriv);
}

static CK_RV op_set_pin(CK_SESSION_HANDLE s)
{
    return C_SetPIN(s, user_pin, sizeof(user_pin) - 1, new_pin, sizeof(new_pin) - 1);
}

static void logout(CK_SESSION_HANDLE s)
{
    assert_int_equal(C_Logout(s), CKR_OK);
}

static CK_RV op_failed_login(CK_SESSION_HANDLE s)
{
    return C_Login(s, CKU_USER, wrong_pin, sizeof(wrong_pin) - 1);
}

static void logout_and_fail_once(CK_SESSION_HANDLE s)
{
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, wrong_pin, sizeof(wrong_pin) - 1), CKR_PIN_INCORRECT);
}

static CK_RV op_good_login(CK_SESSION_HANDLE s)
{
    return C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1);
}

static void become_so(CK_SESSION_HANDLE s)
{
    assert_int_equal(C_Logout(s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_SO, so_pin, sizeof(so_pin) - 1), CKR_OK);
}

static CK_RV op_init_pin(CK_SESSION_HANDLE s)
{
    return C_InitPIN(s, new_pin, sizeof(new_pin) - 1);
}

static void close_session(CK_SESSION_HANDLE s)
{
    assert_int_equal(C_CloseSession(s), CKR_OK);
}

static CK_RV op_init_token(CK_SESSION_HANDLE s)
{
    (void)s;
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "reborn");
    return C_InitToken(0, so_pin, sizeof(so_pin) - 1, label);
}

#if NVT_CONFIG_TOKEN_MIGRATE
/* A token written before sealing (docs/FORMAT.md, versions 1): its first
 * write seals it. The session the sweep opened is gone with the reboot; the
 * operations below open their own. */
static void written_before_sealing(CK_SESSION_HANDLE s)
{
    (void)s;
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_test_token_downgrade(0), 0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}
#endif

/* A token one of whose record copies a flipped bit damaged: the next write
 * rewrites it. */
static void record_copy_damaged(CK_SESSION_HANDLE s)
{
    (void)s;
    unsigned char rec[256];
    size_t n = 0;
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_store_get(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD_COPY, rec, sizeof(rec), &n), NVT_OK);
    nvt_flash_ram_t *ram = nvt_test_token_flash(0);
    size_t size = (size_t)ram->flash.geo.sector_size * ram->flash.geo.sector_count;
    for (size_t p = 0; p + n <= size; p += 4) {
        if (memcmp(ram->bytes + p, rec, n) == 0) {
            ram->bytes[p + 7] ^= 0x08;
            break;
        }
    }
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

/* A session with the user logged in - the login is a write too, and may be
 * where the cut falls. */
static CK_RV own_session(CK_SESSION_HANDLE *s)
{
    CK_RV rv = C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, s);
    return rv == CKR_OK ? C_Login(*s, CKU_USER, user_pin, sizeof(user_pin) - 1) : rv;
}

static CK_RV op_create_in_own_session(CK_SESSION_HANDLE s)
{
    CK_RV rv = own_session(&s);
    return rv == CKR_OK ? op_create(s) : rv;
}


/* ---- the sweep -------------------------------------------------------------------------- */

typedef struct sweep {
    const char *name;
    void (*prepare)(CK_SESSION_HANDLE s); /* before the cut is armed, or NULL */
    operation_fn op;                      /* the operation cut */
    int checks;                           /* the PIN it checks: CKU_SO, CKU_USER, or -1 */
} sweep_t;

static int same(const fp_t *a, const fp_t *b)
{
    return a->so_fails == b->so_fails && a->user_fails == b->user_fails && strcmp(a->text, b->text) == 0;
}

/* before, with one attempt at who's PIN counted */
static int counted(const fp_t *seen, const fp_t *before, int who)
{
    fp_t c = *before;
    if (who == (int)CKU_SO) {
        c.so_fails++;
    } else if (who == (int)CKU_USER) {
        c.user_fails++;
    } else {
        return 0;
    }
    /* The flags may show the count too (CKF_*_PIN_COUNT_LOW ...). */
    return seen->so_fails == c.so_fails && seen->user_fails == c.user_fails &&
           strcmp(strchr(seen->text, ' '), strchr(before->text, ' ')) == 0;
}

/* Run op on a fresh starting token with a cut armed at the n-th flash
 * operation (0: none); report the result, whether the cut happened, and
 * the fingerprint after a reboot. */
static CK_RV run_once(const sweep_t *sw, int n, nvt_flash_ram_cut_t mode, unsigned ram_flags, int *cut, fp_t *fp)
{
    CK_SESSION_HANDLE s = starting_token();
    nvt_flash_ram_t *ram = nvt_test_token_flash(0);
    if (sw->prepare != NULL) {
        sw->prepare(s);
    }
    nvt_flash_ram_set_flags(ram, ram_flags); /* for the operation and its recovery */
    if (n > 0) {
        nvt_flash_ram_cut_at(ram, (uint32_t)n, mode);
    }
    CK_RV rv = sw->op(s);
    *cut = nvt_flash_ram_power_lost(ram);
    nvt_flash_ram_cut_at(ram, 0, NVT_FLASH_RAM_CUT_NOT_DONE);
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    nvt_store_fsck_report_t report;
    int fsck = nvt_store_fsck(nvt_test_token_store(0), 0, &report, NULL, NULL);
    /* (a copy the preparation damaged stays corrupt until it is rewritten) */
    assert_true(fsck == NVT_OK || (sw->prepare == record_copy_damaged && fsck == NVT_E_CORRUPT));
    size_t len;
    unsigned flags;
    /* the mount settled any key pair a cut left half-made */
    assert_int_equal(nvt_store_size(nvt_test_token_store(0), NVT_TOKEN_ID_PAIR_JOURNAL, &len, &flags), NVT_E_NOT_FOUND);
    fingerprint(fp);
    /* Nothing is left that does not open, and nothing sensitive is left in
     * the clear once the token has no migration or repair pending (the
     * fingerprint's login is a write, which does them). */
    nvt_token_device_key_t key;
    nvt_token_seal_report_t seal;
    nvt_token_diag_t diag;
    assert_int_equal(nvt_test_token_device_key(0, &key), 0);
    assert_int_equal(nvt_token_seal_check(nvt_test_token_store(0), NVT_CONFIG_TOKEN_SEAL ? &key : NULL, &seal), NVT_OK);
    assert_int_equal(nvt_token_diagnostics(0, &diag), NVT_OK);
    if (NVT_CONFIG_TOKEN_SEAL && !diag.migrating && diag.repairs_pending == 0) {
        assert_int_equal(seal.plaintext, 0);
    }
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_test_token_teardown();
    return rv;
}

static void sweep(const sweep_t *sw, CK_RV want)
{
    static fp_t before, after, seen;
    int cut = 0;
    /* before: the starting token, prepared, without the operation */
    CK_SESSION_HANDLE s = starting_token();
    if (sw->prepare != NULL) {
        sw->prepare(s);
    }
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    fingerprint(&before);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_test_token_teardown();
    assert_int_equal(run_once(sw, 0, NVT_FLASH_RAM_CUT_NOT_DONE, 0, &cut, &after), want);
    assert_false(cut);
    assert_false(same(&before, &after));

    /* Every cut mode; on the host also torn units that read differently
     * each time, and ECC flash that refuses a second program of a unit (the
     * emulated Cortex-M4 runs the first three, for time). */
    static const struct {
        nvt_flash_ram_cut_t cut;
        unsigned flags;
    } modes[] = {
        { NVT_FLASH_RAM_CUT_NOT_DONE, 0 }, { NVT_FLASH_RAM_CUT_DONE, 0 }, { NVT_FLASH_RAM_CUT_TORN, 0 },
#if NVT_CONFIG_TOKEN_HOST_DEFAULTS
        { NVT_FLASH_RAM_CUT_TORN, NVT_FLASH_RAM_UNSTABLE }, { NVT_FLASH_RAM_CUT_TORN, NVT_FLASH_RAM_STRICT },
#endif
    };
    unsigned runs = 0, cuts_before = 0, cuts_after = 0, cuts_counted = 0;
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        for (int n = 1;; n++) {
            CK_RV rv = run_once(sw, n, modes[m].cut, modes[m].flags, &cut, &seen);
            runs++;
            int is_before = same(&seen, &before), is_after = same(&seen, &after);
            int is_counted = !is_before && !is_after && counted(&seen, &before, sw->checks);
            if (!is_before && !is_after && !is_counted) {
                print_error("%s: cut at flash operation %d (mode %d, flags %u) left\n  so=%d user=%d %s\nneither "
                            "before\n  so=%d user=%d %s\nnor after\n  so=%d user=%d %s\n",
                            sw->name, n, (int)modes[m].cut, modes[m].flags, seen.so_fails, seen.user_fails, seen.text, before.so_fails,
                            before.user_fails, before.text, after.so_fails, after.user_fails, after.text);
                fail();
            }
            if (!cut) {
                assert_int_equal(rv, want); /* ran to the end */
                assert_true(is_after);
                break;
            }
            cuts_before += is_before;
            cuts_after += is_after;
            cuts_counted += is_counted;
            /* An operation that answered has happened: a PIN answered
             * CKR_PIN_INCORRECT was counted, a login that succeeded reset. */
            if (rv == CKR_OK || rv == CKR_PIN_INCORRECT) {
                assert_true(is_after);
            }
            assert_true(n < 2000);
        }
    }
    print_message("%-20s %3u runs; cuts left it as before: %u, after: %u, attempt counted: %u\n", sw->name, runs,
                  cuts_before, cuts_after, cuts_counted);
}

static void a_cut_while_creating_an_object_leaves_it_absent_or_whole(void **state)
{
    (void)state;
    const sweep_t sw = { "create", NULL, op_create, -1 };
    sweep(&sw, CKR_OK);
    const sweep_t key = { "create secret key", NULL, op_create_key, -1 };
    sweep(&key, CKR_OK);
}

static void a_cut_while_destroying_an_object_leaves_it_present_or_gone(void **state)
{
    (void)state;
    const sweep_t sw = { "destroy", NULL, op_destroy, -1 };
    sweep(&sw, CKR_OK);
    const sweep_t key = { "destroy secret key", NULL, op_destroy_key, -1 };
    sweep(&key, CKR_OK);
}

#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE || NVT_CONFIG_TOKEN_COPY
static void a_cut_while_setting_attributes_leaves_old_or_new_values(void **state)
{
    (void)state;
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    const sweep_t sw = { "set attributes", NULL, op_set_attribute, -1 };
    sweep(&sw, CKR_OK);
#endif
#if NVT_CONFIG_TOKEN_COPY
    const sweep_t copy = { "copy", NULL, op_copy, -1 };
    sweep(&copy, CKR_OK);
#endif
}
#endif

static void a_cut_while_generating_a_key_pair_leaves_both_halves_or_neither(void **state)
{
    (void)state;
    const sweep_t sw = { "C_GenerateKeyPair", NULL, op_generate_pair, -1 };
    sweep(&sw, CKR_OK);
}

/* A journal this version cannot read names nothing: the mount drops it and
 * deletes no object. */
static void an_unreadable_key_pair_journal_is_dropped_and_deletes_nothing(void **state)
{
    (void)state;
    static fp_t before, after;
    starting_token();
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    fingerprint(&before);
    static const unsigned char junk[] = { 9, 2, 0x10, 0, 0x11, 0 }; /* version 9 */
    assert_int_equal(nvt_store_put(nvt_test_token_store(0), NVT_TOKEN_ID_PAIR_JOURNAL, junk, sizeof(junk), 0), NVT_OK);
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    size_t len;
    unsigned flags;
    assert_int_equal(nvt_store_size(nvt_test_token_store(0), NVT_TOKEN_ID_PAIR_JOURNAL, &len, &flags), NVT_E_NOT_FOUND);
    fingerprint(&after);
    assert_true(same(&before, &after));
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_test_token_teardown();
}

static void a_cut_while_changing_the_pin_leaves_the_old_or_the_new_pin(void **state)
{
    (void)state;
    const sweep_t sw = { "C_SetPIN", NULL, op_set_pin, (int)CKU_USER };
    sweep(&sw, CKR_OK);
}

static void a_cut_during_a_failed_login_never_loses_the_failure(void **state)
{
    (void)state;
    const sweep_t sw = { "failed C_Login", logout, op_failed_login, (int)CKU_USER };
    sweep(&sw, CKR_PIN_INCORRECT);
}

static void a_cut_during_a_good_login_leaves_the_counter_counted_or_reset(void **state)
{
    (void)state;
    const sweep_t sw = { "good C_Login", logout_and_fail_once, op_good_login, (int)CKU_USER };
    sweep(&sw, CKR_OK);
}

static void a_cut_while_the_so_sets_the_user_pin_leaves_old_or_new(void **state)
{
    (void)state;
    const sweep_t sw = { "C_InitPIN", become_so, op_init_pin, -1 };
    sweep(&sw, CKR_OK);
}

static void a_cut_while_initialising_the_token_leaves_the_old_or_the_new_token(void **state)
{
    (void)state;
    const sweep_t sw = { "C_InitToken", close_session, op_init_token, (int)CKU_SO };
    sweep(&sw, CKR_OK);
}

#if NVT_CONFIG_TOKEN_MIGRATE
/* The first write to a token written before sealing seals every sensitive
 * record (docs/DESIGN.md, "Migration"): a login's counter write, then the
 * whole migration at the end of the operation; C_InitToken, whose first
 * sealed put seals the old token record (flagged migrating) before its new
 * one. A cut anywhere leaves the token before, counted, or after, and the
 * next write completes the migration (run_once checks nothing sensitive is
 * left in the clear). */
static void a_cut_while_migrating_a_token_written_before_sealing_leaves_it_whole(void **state)
{
    (void)state;
    const sweep_t sw = { "migrate + create", written_before_sealing, op_create_in_own_session, (int)CKU_USER };
    sweep(&sw, CKR_OK);
    const sweep_t init = { "migrate + InitToken", written_before_sealing, op_init_token, (int)CKU_SO };
    sweep(&init, CKR_OK);
}

#endif

static void a_cut_while_a_damaged_copy_is_rewritten_leaves_the_token_whole(void **state)
{
    (void)state;
    const sweep_t sw = { "repair + create", record_copy_damaged, op_create_in_own_session, (int)CKU_USER };
    sweep(&sw, CKR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_cut_while_creating_an_object_leaves_it_absent_or_whole),
        cmocka_unit_test(a_cut_while_destroying_an_object_leaves_it_present_or_gone),
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE || NVT_CONFIG_TOKEN_COPY
        cmocka_unit_test(a_cut_while_setting_attributes_leaves_old_or_new_values),
#endif
        cmocka_unit_test(a_cut_while_generating_a_key_pair_leaves_both_halves_or_neither),
        cmocka_unit_test(an_unreadable_key_pair_journal_is_dropped_and_deletes_nothing),
        cmocka_unit_test(a_cut_while_changing_the_pin_leaves_the_old_or_the_new_pin),
        cmocka_unit_test(a_cut_during_a_failed_login_never_loses_the_failure),
        cmocka_unit_test(a_cut_during_a_good_login_leaves_the_counter_counted_or_reset),
        cmocka_unit_test(a_cut_while_the_so_sets_the_user_pin_leaves_old_or_new),
        cmocka_unit_test(a_cut_while_initialising_the_token_leaves_the_old_or_the_new_token),
#if NVT_CONFIG_TOKEN_MIGRATE
        cmocka_unit_test(a_cut_while_migrating_a_token_written_before_sealing_leaves_it_whole),
#endif
        cmocka_unit_test(a_cut_while_a_damaged_copy_is_rewritten_leaves_the_token_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
