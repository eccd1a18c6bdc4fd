/* One flipped bit must not cost the token (issue 18, the token's part), and
 * a token whose record cannot be read is never taken for a blank one.
 *
 * - Every bit of every byte of the token's own records - both copies of the
 *   token record, of the PIN failure counters and of the NV seed, and a
 *   key-pair journal left by a cut - flipped in turn in an image holding a
 *   few objects: after each flip the token is there, reports its label and
 *   flags, the user logs in, every object is intact, and the write of that
 *   login rewrites the damaged copy. A flip in a record's data fails its
 *   CRC: the token reads the other copy and rewrites this one. A flip in
 *   its table entry the store corrects as it reads (format version 2), and
 *   its next change rewrites the block: after the login fsck finds nothing
 *   corrected any more. On the emulated Cortex-M4 every bit of every
 *   seventh byte, for time.
 * - Both copies of the token record gone, damaged, or sealed under another
 *   device key, in a store holding objects: the token is reported present,
 *   initialised and write-protected, sessions are refused, C_InitToken
 *   answers CKR_TOKEN_WRITE_PROTECTED, and no byte of the region changes.
 *
 * The bytes of a record are found in the raw region from what the store
 * returns for it (its data, unique in the region) and from its table entry
 * (docs/FORMAT.md, Part 1, format version 2: the 16-byte entry, padded to a
 * unit, holding its id at bytes 1-2 and its data CRC at bytes 8-11, and the
 * mark after it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

static CK_BBOOL yes = CK_TRUE;
static CK_UTF8CHAR so_pin[] = NVT_TEST_SO_PIN;
static CK_UTF8CHAR user_pin[] = NVT_TEST_USER_PIN;

#define REGION (NVT_TEST_SECTOR_SIZE * NVT_TEST_SECTORS)
#define UNITS (REGION / NVT_TEST_PROG_UNIT)
#define NOBJ 4
/* A table entry's info block and mark (docs/FORMAT.md: IB + DA bytes). */
#define ENTRY_INFO (NVT_TEST_PROG_UNIT > 16u ? NVT_TEST_PROG_UNIT : 16u)
#define ENTRY_MARK (NVT_TEST_PROG_UNIT > 4u ? NVT_TEST_PROG_UNIT : 4u)

static uint8_t pristine[REGION], pristine_units[UNITS];

static int setup(void **state)
{
    (void)state;
    if (nvt_test_token_setup(1) != 0 || C_Initialize(NULL_PTR) != CKR_OK || nvt_test_token_init(0) != CKR_OK) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    (void)C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return 0;
}

static void value_of(unsigned i, uint8_t v[32])
{
    for (unsigned k = 0; k < 32; k++) {
        v[k] = (uint8_t)(i * 41u + k * 7u + 3u);
    }
}

/* A few objects: a certificate-sized public data object, a private data
 * object, and two AES keys. */
static void a_few_objects(void)
{
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    for (unsigned i = 0; i < NOBJ; i++) {
        uint8_t v[32];
        char label[8] = "obj N";
        label[4] = (char)('0' + i);
        value_of(i, v);
        CK_OBJECT_CLASS cls = i < 2 ? CKO_DATA : CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_AES;
        CK_BBOOL priv = i != 0, no = CK_FALSE;
        /* keys readable (not sensitive) for the check, but sealed all the same */
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &yes, 1 }, { CKA_PRIVATE, &priv, 1 },
                             { CKA_LABEL, label, 5 },          { CKA_VALUE, v, 32 },   { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_EXTRACTABLE, &yes, 1 },     { CKA_SENSITIVE, &no, 1 } };
        CK_OBJECT_HANDLE h;
        assert_int_equal(C_CreateObject(s, t, i < 2 ? 5 : 8, &h), CKR_OK);
    }
    assert_int_equal(C_CloseSession(s), CKR_OK);
}

/* The token after a mount: there, initialised, not write-protected, its
 * label; the user logs in; every object is there with its value. */
static void the_token_is_whole(void)
{
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_true((info.flags & CKF_TOKEN_INITIALIZED) != 0);
    assert_true((info.flags & CKF_USER_PIN_INITIALIZED) != 0);
    assert_true((info.flags & CKF_WRITE_PROTECTED) == 0);
    assert_memory_equal(info.label, NVT_TEST_LABEL, sizeof(NVT_TEST_LABEL) - 1);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    for (unsigned i = 0; i < NOBJ; i++) {
        char label[8] = "obj N";
        label[4] = (char)('0' + i);
        CK_ATTRIBUTE t = { CKA_LABEL, label, 5 };
        CK_OBJECT_HANDLE h[2];
        CK_ULONG n = 0;
        assert_int_equal(C_FindObjectsInit(s, &t, 1), CKR_OK);
        assert_int_equal(C_FindObjects(s, h, 2, &n), CKR_OK);
        assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
        assert_int_equal(n, 1);
        uint8_t v[32], want[32];
        CK_ATTRIBUTE a = { CKA_VALUE, v, sizeof(v) };
        assert_int_equal(C_GetAttributeValue(s, h[0], &a, 1), CKR_OK);
        value_of(i, want);
        assert_memory_equal(v, want, 32);
    }
    assert_int_equal(C_CloseSession(s), CKR_OK);
}

/* ---- where a record's bytes are ---------------------------------------------------------- */

typedef struct span {
    uint16_t id;
    uint32_t off, len;
} span_t;

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n-- > 0) {
        c ^= *p++;
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
    }
    return ~c;
}

/* The data and the table entry (info and mark) of record id, live version. */
static size_t record_spans(uint16_t id, span_t *out)
{
    static uint8_t data[512];
    size_t n = 0;
    if (nvt_store_get(nvt_test_token_store(0), id, data, sizeof(data), &n) != NVT_OK) {
        return 0;
    }
    const uint8_t *r = nvt_test_token_flash(0)->bytes;
    uint32_t crc = crc32(data, n);
    uint8_t key[4] = { (uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24) };
    size_t found = 0;
    for (size_t p = 0; p + 16 <= REGION; p += NVT_TEST_PROG_UNIT) {
        /* a whole record in one fragment: magic 010, kind 00, L set (E and
         * S either way) */
        if (r[p + 1] == (uint8_t)id && r[p + 2] == (uint8_t)(id >> 8) && memcmp(r + p + 8, key, 4) == 0 &&
            (r[p] & 0xF9) == 0x41) {
            out[1].id = id;
            out[1].off = (uint32_t)p;
            out[1].len = ENTRY_INFO + ENTRY_MARK;
            found++;
        }
    }
    assert_int_equal(found, 1);
    /* its data: at (bytes 3-4) x 4 in the entry's sector */
    uint32_t sector = out[1].off / NVT_TEST_SECTOR_SIZE * NVT_TEST_SECTOR_SIZE;
    out[0].id = id;
    out[0].off = sector + 4u * ((uint32_t)r[out[1].off + 3] | (uint32_t)r[out[1].off + 4] << 8);
    out[0].len = (uint32_t)n;
    assert_memory_equal(r + out[0].off, data, n);
    return 2;
}

static void snapshot(void)
{
    nvt_flash_ram_t *ram = nvt_test_token_flash(0);
    memcpy(pristine, ram->bytes, REGION);
    memcpy(pristine_units, ram->units, UNITS);
}

static void restore(void)
{
    nvt_flash_ram_t *ram = nvt_test_token_flash(0);
    memcpy(ram->bytes, pristine, REGION);
    memcpy(ram->units, pristine_units, UNITS);
}

static void every_flip_in_the_tokens_own_records_costs_nothing(void **state)
{
    (void)state;
    a_few_objects();
    /* a key-pair journal, as a cut C_GenerateKeyPair leaves it (naming two
     * ids it never got to use) */
    static const uint8_t journal[6] = { 1, 2, 0x40, 0, 0x41, 0 };
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_store_t *st = nvt_test_token_store(0);
    assert_int_equal(nvt_store_put(st, NVT_TOKEN_ID_PAIR_JOURNAL, journal, sizeof(journal), 0), NVT_OK);
    static const uint16_t ids[] = { NVT_TOKEN_ID_RECORD, NVT_TOKEN_ID_RECORD_COPY, NVT_TOKEN_ID_PIN_COUNTERS,
                                    NVT_TOKEN_ID_PIN_COUNTERS_COPY, NVT_TOKEN_ID_NV_SEED, NVT_TOKEN_ID_NV_SEED_COPY,
                                    NVT_TOKEN_ID_PAIR_JOURNAL };
    span_t spans[2 * sizeof(ids) / sizeof(ids[0])];
    size_t nspans = 0, bytes = 0;
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        size_t k = record_spans(ids[i], spans + nspans);
        assert_int_equal(k, 2); /* every one of them is there */
        nspans += k;
    }
    snapshot();
#if NVT_CONFIG_TOKEN_HEAP
    const size_t stride = 1;
#else
    const size_t stride = 7;
#endif
    nvt_token_diag_t d;
    nvt_store_fsck_report_t fr;
    size_t flips = 0, repaired = 0, journals_dropped = 0, corrected = 0;
    for (size_t k = 0; k < nspans; k++) {
        bytes += spans[k].len;
        for (size_t b = k % stride; b < spans[k].len; b += stride) {
            for (unsigned bit = 0; bit < 8; bit++) {
                restore();
                nvt_test_token_flash(0)->bytes[spans[k].off + b] ^= (uint8_t)(1u << bit);
                assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
                /* (a flip in an entry's info block: the store corrects it) */
                corrected += k % 2 == 1 && b < ENTRY_INFO;
                assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
                if (d.record != NVT_TOKEN_RECORD_OK) {
                    print_error("record 0x%04x, %s byte %zu bit %u: the token record is lost\n", spans[k].id,
                                k % 2 == 0 ? "data" : "entry", b, bit);
                    fail();
                }
                journals_dropped += spans[k].id == NVT_TOKEN_ID_PAIR_JOURNAL && d.corrupt > 0;
                the_token_is_whole(); /* logs in: a write */
                assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
                assert_int_equal(d.repairs_pending, 0);
                assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
                /* The store's repair too: nothing corrected is left. (A copy
                 * of the NV seed whose data a flip damaged is not rewritten
                 * by a login: fsck still names it.) */
                int frc = nvt_store_fsck(st, 0, &fr, NULL, NULL);
                assert_true(frc == NVT_OK || (frc == NVT_E_CORRUPT && k % 2 == 0 &&
                                              (spans[k].id == NVT_TOKEN_ID_NV_SEED ||
                                               spans[k].id == NVT_TOKEN_ID_NV_SEED_COPY)));
                assert_int_equal(fr.blocks_corrected, 0);
                repaired++;
                flips++;
            }
        }
    }
    print_message("%zu bit flips in %zu bytes of the token's records (%zu copies and a journal): the token and "
                  "its %d objects intact after every one, every damaged copy rewritten by the next write (%zu "
                  "in entries, which the store corrected as it read and its next change rewrote); %zu journal "
                  "flips dropped it\n",
                  flips, bytes, nspans / 2 - 1, NOBJ, corrected, journals_dropped);
    assert_int_equal(repaired, flips);
    restore();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

/* ---- unreadable, never blank ------------------------------------------------------------ */

static uint32_t region_crc(void)
{
    return crc32(nvt_test_token_flash(0)->bytes, REGION);
}

/* What a token whose record cannot be read looks like: present,
 * initialised, write-protected; no session; C_InitToken refused; not one
 * byte of the region changed by any of it. */
static void unreadable_and_untouched(void)
{
    uint32_t before = region_crc();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    nvt_token_diag_t d;
    assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
    assert_int_equal(d.record, NVT_TOKEN_RECORD_UNREADABLE);
    CK_TOKEN_INFO info;
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_true((info.flags & CKF_TOKEN_INITIALIZED) != 0);
    assert_true((info.flags & CKF_WRITE_PROTECTED) != 0);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_TOKEN_NOT_RECOGNIZED);
    CK_UTF8CHAR label[32];
    nvt_test_label(label, "a new token");
    assert_int_equal(C_InitToken(0, so_pin, sizeof(so_pin) - 1, label), CKR_TOKEN_WRITE_PROTECTED);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
#if !NVT_CONFIG_CRYPTO_NV_SEED
    /* (a device replaces its NV seed at every start; nothing else changes) */
    assert_int_equal(region_crc(), before);
#else
    (void)before;
#endif
}

static void a_token_without_its_record_but_with_objects_is_not_blank(void **state)
{
    (void)state;
    a_few_objects();
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    nvt_store_t *st = nvt_test_token_store(0);
    assert_int_equal(nvt_store_delete(st, NVT_TOKEN_ID_RECORD), NVT_OK);
    assert_int_equal(nvt_store_delete(st, NVT_TOKEN_ID_RECORD_COPY), NVT_OK);
    unreadable_and_untouched();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

static void a_token_with_both_record_copies_damaged_is_not_blank(void **state)
{
    (void)state;
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    /* no objects at all: the damaged record alone says a token is there */
    span_t a[2], b[2];
    assert_int_equal(record_spans(NVT_TOKEN_ID_RECORD, a), 2);
    assert_int_equal(record_spans(NVT_TOKEN_ID_RECORD_COPY, b), 2);
    nvt_test_token_flash(0)->bytes[a[0].off + 5] ^= 1;
    nvt_test_token_flash(0)->bytes[b[0].off + 9] ^= 1;
    unreadable_and_untouched();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
}

/* Another device's key: a token sealed elsewhere cannot be read here, and
 * is left alone. */
static void a_token_sealed_under_another_device_key_is_not_blank(void **state)
{
    (void)state;
    a_few_objects();
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    /* the same region, configured with slot 1's device key */
    assert_int_equal(nvt_test_token_use_device_key(0, 1), 0);
#if NVT_CONFIG_CRYPTO_NV_SEED && !NVT_CONFIG_CRYPTO_TRNG
    /* A device without a TRNG cannot even open its NV seed: it does not
     * start (fails closed), and changes nothing. */
    uint32_t before = region_crc();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_FUNCTION_FAILED);
    assert_int_equal(region_crc(), before);
#else
    unreadable_and_untouched();
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    nvt_token_diag_t d;
    assert_int_equal(nvt_token_diagnostics(0, &d), NVT_OK);
    assert_true(d.tampered >= 2);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
#endif
    assert_int_equal(nvt_test_token_use_device_key(0, 0), 0);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    the_token_is_whole();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_flip_in_the_tokens_own_records_costs_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(a_token_without_its_record_but_with_objects_is_not_blank, setup, teardown),
        cmocka_unit_test_setup_teardown(a_token_with_both_record_copies_damaged_is_not_blank, setup, teardown),
        cmocka_unit_test_setup_teardown(a_token_sealed_under_another_device_key_is_not_blank, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
