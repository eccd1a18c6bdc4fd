/* The serialised form of token objects, of the token record and of the PIN
 * counters (docs/FORMAT.md, "Token objects"): exact bytes of a known
 * object, and bytes that are not an object (or not a record) are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/token.h"
#include "tok_attr.h"
#include "tok_internal.h"

/* C_CreateObject({CKA_CLASS: CKO_DATA, CKA_LABEL: "ab", CKA_VALUE: 01 02}),
 * generation 0x01020304, uid 0xA1B2C3D4 - the example of docs/FORMAT.md. */
static const uint8_t golden_data[] = {
    0x01, 0x00, 0x02, 0x00,             /* version 1, reserved, 2 entries */
    0x04, 0x03, 0x02, 0x01,             /* generation */
    0xd4, 0xc3, 0xb2, 0xa1,             /* uid */
    0x00, 0x00, 0x00, 0x00,             /* CKO_DATA */
    0x1f, 0x00, 0x00, 0x00,             /* booleans present: TOKEN PRIVATE MODIFIABLE COPYABLE DESTROYABLE */
    0x1c, 0x00, 0x00, 0x00,             /* their values: F F T T T */
    0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 'a', 'b',   /* CKA_LABEL */
    0x11, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02, /* CKA_VALUE */
};

static void a_data_object_serialises_to_the_documented_bytes(void **state)
{
    (void)state;
    CK_OBJECT_CLASS cls = CKO_DATA;
    char label[] = "ab";
    CK_BYTE value[] = { 1, 2 };
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_LABEL, label, 2 }, { CKA_VALUE, value, 2 } };
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = TOK_BUILD_CREATE;
    b.tmpl = t;
    b.tmpl_n = 3;
    b.gen = 0x01020304u;
    b.uid = 0xA1B2C3D4u;
    uint8_t out[128];
    size_t len = 0;
    assert_int_equal(tok_obj_build(&b, out, sizeof(out), &len), CKR_OK);
    assert_int_equal(len, sizeof(golden_data));
    assert_memory_equal(out, golden_data, sizeof(golden_data));
    /* and too small a buffer is refused, not overrun */
    assert_int_equal(tok_obj_build(&b, out, sizeof(golden_data) - 1, &len), CKR_DEVICE_MEMORY);
}

static void the_documented_bytes_parse_back(void **state)
{
    (void)state;
    tok_obj_t o;
    assert_int_equal(tok_obj_parse(&o, golden_data, sizeof(golden_data)), CKR_OK);
    assert_int_equal(o.cls, CKO_DATA);
    assert_int_equal(o.gen, 0x01020304u);
    assert_int_equal(o.uid, 0xA1B2C3D4u);
    assert_int_equal(o.count, 2);
    assert_int_equal(tok_obj_bool(&o, CKA_MODIFIABLE, CK_FALSE), CK_TRUE);
    assert_int_equal(tok_obj_bool(&o, CKA_TOKEN, CK_TRUE), CK_FALSE);
    const uint8_t *v;
    size_t n;
    assert_true(tok_obj_value(&o, CKA_VALUE, &v, &n));
    assert_int_equal(n, 2);
    assert_false(tok_obj_value(&o, CKA_APPLICATION, &v, &n));
    char buf[4];
    CK_ATTRIBUTE a = { CKA_LABEL, buf, sizeof(buf) };
    assert_int_equal(tok_obj_get(&o, &a), CKR_OK);
    assert_int_equal(a.ulValueLen, 2);
}

static void bytes_that_are_not_an_object_are_refused(void **state)
{
    (void)state;
    uint8_t bad[sizeof(golden_data)];
    tok_obj_t o;
    assert_int_equal(tok_obj_parse(&o, golden_data, sizeof(golden_data) - 1), CKR_DEVICE_ERROR); /* truncated */
    assert_int_equal(tok_obj_parse(&o, golden_data, 10), CKR_DEVICE_ERROR);
    memcpy(bad, golden_data, sizeof(bad));
    bad[0] = 2; /* unknown version */
    assert_int_equal(tok_obj_parse(&o, bad, sizeof(bad)), CKR_DEVICE_ERROR);
    memcpy(bad, golden_data, sizeof(bad));
    bad[28] = 0xff; /* an entry longer than the object */
    assert_int_equal(tok_obj_parse(&o, bad, sizeof(bad)), CKR_DEVICE_ERROR);
    memcpy(bad, golden_data, sizeof(bad));
    bad[34] = 0x02; /* second type (0x02) not above the first (0x03) */
    assert_int_equal(tok_obj_parse(&o, bad, sizeof(bad)), CKR_DEVICE_ERROR);
    memcpy(bad, golden_data, sizeof(bad));
    bad[12] = 0x77; /* unknown class */
    assert_int_equal(tok_obj_parse(&o, bad, sizeof(bad)), CKR_DEVICE_ERROR);
    memcpy(bad, golden_data, sizeof(bad));
    bad[2] = 3; /* more entries than there are */
    assert_int_equal(tok_obj_parse(&o, bad, sizeof(bad)), CKR_DEVICE_ERROR);
}

static void the_token_record_and_its_counters_round_trip(void **state)
{
    (void)state;
    tok_record_t r, back;
    memset(&r, 0, sizeof(r));
    r.gen = 7;
    r.flags = TOK_REC_USER_PIN;
    r.so_serial = 11;
    r.user_serial = 12;
    memset(r.label, 'L', sizeof(r.label));
    memset(r.serial, 'S', sizeof(r.serial));
    r.so.iterations = 1000;
    memset(r.so.salt, 1, sizeof(r.so.salt));
    memset(r.so.key, 2, sizeof(r.so.key));
    r.user.iterations = 2000;
    memset(r.user.salt, 3, sizeof(r.user.salt));
    memset(r.user.key, 4, sizeof(r.user.key));
    r.seq = 0x01020304u;
    uint8_t bytes[TOK_REC_SIZE];
    tok_record_encode(&r, bytes);
    assert_int_equal(TOK_REC_SIZE, 176);
    assert_memory_equal(bytes, "NVTK", 4);
    assert_int_equal(bytes[4], 2);
    static const uint8_t seq_le[4] = { 4, 3, 2, 1 };
    assert_memory_equal(bytes + 172, seq_le, 4); /* the sequence, after version 1's fields */
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_OK);
    assert_memory_equal(&back, &r, sizeof(r));
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes) - 1), CKR_DEVICE_ERROR);
    /* version 1 (written before this format step): 172 bytes, sequence 0 */
    bytes[4] = 1;
    assert_int_equal(tok_record_decode(&back, bytes, TOK_REC_V1_SIZE), CKR_OK);
    assert_int_equal(back.seq, 0);
    assert_memory_equal(back.so.key, r.so.key, sizeof(r.so.key));
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_DEVICE_ERROR); /* v1 of v2's length */
    bytes[4] = 2;
    assert_int_equal(tok_record_decode(&back, bytes, TOK_REC_V1_SIZE), CKR_DEVICE_ERROR); /* v2 of v1's length */
    bytes[0] ^= 1;
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_DEVICE_ERROR);

    /* the counts apply while their verifier is the current one */
    uint8_t cnt[TOK_CNT_SIZE];
    uint32_t seq = 0;
    r.so_fails = 2;
    r.user_fails = 3;
    tok_counters_encode(&r, 0x0A0B0C0Du, cnt);
    static const uint8_t want[TOK_CNT_SIZE] = { 2, 2, 3, 0, 7, 0, 0, 0, 11, 0, 0, 0, 12, 0, 0, 0, 0x0D, 0x0C, 0x0B, 0x0A };
    assert_memory_equal(cnt, want, sizeof(want));
    assert_true(tok_counters_seq(cnt, sizeof(cnt), &seq));
    assert_int_equal(seq, 0x0A0B0C0Du);
    static const uint8_t v1[TOK_CNT_V1_SIZE] = { 1, 2, 3, 0, 7, 0, 0, 0, 11, 0, 0, 0, 12, 0, 0, 0 };
    assert_true(tok_counters_seq(v1, sizeof(v1), &seq));
    assert_int_equal(seq, 0);
    assert_false(tok_counters_seq(cnt, TOK_CNT_V1_SIZE, &seq));
    back = r;
    back.so_fails = back.user_fails = 0;
    tok_counters_apply(&back, v1, sizeof(v1));
    assert_int_equal(back.so_fails, 2);
    assert_int_equal(back.user_fails, 3);
    back = r;
    back.so_fails = back.user_fails = 0;
    tok_counters_apply(&back, cnt, sizeof(cnt));
    assert_int_equal(back.so_fails, 2);
    assert_int_equal(back.user_fails, 3);
    back.so_fails = back.user_fails = 0;
    back.user_serial = 13; /* a new user PIN: its count starts again */
    tok_counters_apply(&back, cnt, sizeof(cnt));
    assert_int_equal(back.so_fails, 2);
    assert_int_equal(back.user_fails, 0);
    back.so_fails = 0;
    back.gen = 8; /* a new token: nothing counts */
    tok_counters_apply(&back, cnt, sizeof(cnt));
    assert_int_equal(back.so_fails, 0);
    assert_int_equal(back.user_fails, 0);
}

/* The NV seed record: version 2 with its sequence, or a bare seed of 64
 * bytes provisioned in the clear (version 1, sequence 0). */
static void the_nv_seed_record_round_trips(void **state)
{
    (void)state;
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE], rec[TOK_SEED_RECORD];
    uint32_t seq = 1;
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (uint8_t)(i * 5);
    }
    tok_seed_encode(seed, sizeof(seed), 0x11223344u, rec);
    static const uint8_t head[8] = { 2, 0, 0, 0, 0x44, 0x33, 0x22, 0x11 };
    assert_memory_equal(rec, head, sizeof(head));
    assert_memory_equal(rec + 8, seed, sizeof(seed));
    assert_true(tok_seed_valid(rec, sizeof(rec), &seq));
    assert_int_equal(seq, 0x11223344u);
    assert_true(tok_seed_valid(seed, sizeof(seed), &seq));
    assert_int_equal(seq, 0);
    /* a seed of the other size (32 or 64 bytes) is read too: an image a
     * host build provisioned starts a device build without SHA-512 */
    uint8_t other[8 + 64] = { 2, 0, 0, 0, 7, 0, 0, 0 };
    size_t other_seed = NVT_TOKEN_NV_SEED_SIZE == 64u ? 32u : 64u;
    assert_true(tok_seed_valid(other + 8, other_seed, &seq));
    assert_int_equal(seq, 0);
    assert_true(tok_seed_valid(other, 8 + other_seed, &seq));
    assert_int_equal(seq, 7);
    assert_false(tok_seed_valid(other, 8 + 48, &seq));
    rec[1] = 1;
    assert_false(tok_seed_valid(rec, sizeof(rec), &seq));
    assert_false(tok_seed_valid(seed, sizeof(seed) - 1, &seq));
}

/* Found by fuzzing (fuzz_records): a bare seed shorter than the build's
 * (32 bytes in a 64-byte build) was read from before the start of its
 * buffer, into the generator and into the rewritten copies. A seed of the
 * other size is read whole, and its copies are rewritten at its size. */
static void a_seed_of_the_other_size_is_read_and_rewritten_whole(void **state)
{
    (void)state;
    const size_t other = NVT_TOKEN_NV_SEED_SIZE == 64u ? 32u : 64u;
    uint8_t seed[64], out1[NVT_TOKEN_NV_SEED_SIZE], out2[NVT_TOKEN_NV_SEED_SIZE];
    for (size_t i = 0; i < sizeof(seed); i++) {
        seed[i] = (uint8_t)(0xa5 ^ i);
    }
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(nvt_test_token_init(0), CKR_OK);
    nvt_store_t *st = nvt_test_token_store(0);
    assert_int_equal(nvt_store_put(st, NVT_TOKEN_ID_NV_SEED, seed, other, NVT_STORE_SENSITIVE), NVT_OK);
    assert_int_equal(nvt_store_delete(st, NVT_TOKEN_ID_NV_SEED_COPY), NVT_OK);
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    tok_slot_t *s = tok_slot_get(0);
    size_t len = 0;
    unsigned flags = 0;
#if NVT_CONFIG_CRYPTO_NV_SEED
    /* a target: the start-up read it to seed the generator and replaced it
     * by a seed of this build's size, both copies */
    (void)out2;
    const size_t want = 8u + NVT_TOKEN_NV_SEED_SIZE + (NVT_CONFIG_TOKEN_SEAL ? TOK_SEAL_TRAILER : 0u);
    assert_int_equal(tok_seed_read(s, out1, sizeof(out1)), CKR_OK);
#else
    assert_int_equal(tok_seed_read(s, out1, sizeof(out1)), CKR_OK);
    /* the repair writes both copies, at the seed's own size */
    const size_t want = 8u + other + (NVT_CONFIG_TOKEN_SEAL ? TOK_SEAL_TRAILER : 0u);
    assert_true(tok_repair_due(s));
    assert_int_equal(tok_repair(s), CKR_OK);
#endif
    assert_int_equal(nvt_store_size(st, NVT_TOKEN_ID_NV_SEED, &len, &flags), NVT_OK);
    assert_int_equal(len, want);
    assert_int_equal(nvt_store_size(st, NVT_TOKEN_ID_NV_SEED_COPY, &len, &flags), NVT_OK);
    assert_int_equal(len, want);
#if !NVT_CONFIG_CRYPTO_NV_SEED
    /* the same seed: the generator reads the same bytes */
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    assert_int_equal(tok_seed_read(tok_slot_get(0), out2, sizeof(out2)), CKR_OK);
    assert_memory_equal(out1, out2, sizeof(out1));
#endif
    const uint8_t *part = NULL;
    uint8_t rec[8 + 64] = { 2, 0, 0, 0, 1, 0, 0, 0 };
    assert_int_equal(tok_seed_part(rec, 8 + other, &part), other);
    assert_ptr_equal(part, rec + 8);
    assert_int_equal(tok_seed_part(seed, other, &part), other);
    assert_ptr_equal(part, seed);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    nvt_test_token_teardown();
}

/* Found by fuzzing (tests/fuzz/fuzz_records.c): a record whose verifier
 * asked for 2^32 - 1 PBKDF2 iterations was taken as it was, and C_Login
 * then ran for hours. Such a record is not a token record now. */
static void a_record_asking_for_too_many_pin_iterations_is_refused(void **state)
{
    (void)state;
    tok_record_t r, back;
    uint8_t bytes[TOK_REC_SIZE];
    memset(&r, 0, sizeof(r));
    r.flags = TOK_REC_USER_PIN;
    r.so.iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX;
    r.user.iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS;
    tok_record_encode(&r, bytes);
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_OK);
    r.so.iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX + 1u;
    tok_record_encode(&r, bytes);
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_DEVICE_ERROR);
    r.so.iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS;
    r.user.iterations = 0xFFFFFFFFu;
    tok_record_encode(&r, bytes);
    assert_int_equal(tok_record_decode(&back, bytes, sizeof(bytes)), CKR_DEVICE_ERROR);

    /* Through the API: the token's record is unreadable (a token that is
     * never blank: write-protected, no session, so no login can start);
     * the library still starts (on a target its random generator is
     * seeded from the store's NV seed, which a refused record does not
     * make unreadable - it did, and C_Initialize failed). */
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(nvt_test_token_init(0), CKR_OK);
    /* written the way the token writes its record (both copies, sealed
     * under the device key where the build seals): the record a crafted
     * image would hold if its maker had the device key */
    assert_int_equal(tok_record_save(tok_slot_get(0), &r), CKR_OK);
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    CK_TOKEN_INFO info;
    CK_SESSION_HANDLE s;
    nvt_token_diag_t diag;
    assert_int_equal(nvt_token_diagnostics(0, &diag), NVT_OK);
    assert_int_equal(diag.record, NVT_TOKEN_RECORD_UNREADABLE);
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
    assert_true((info.flags & CKF_WRITE_PROTECTED) != 0);
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_TOKEN_NOT_RECOGNIZED);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    nvt_test_token_teardown();

    /* and no configuration makes verifiers the token would refuse */
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    nvt_token_slot_config_t slot = { .store_cfg = &store_cfg, .store = &store };
    nvt_token_config_t cfg = { .slots = &slot, .slot_count = 1,
                               .pin_iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX + 1u };
    assert_int_equal(nvt_token_configure(&cfg), NVT_E_INVALID);
    cfg.pin_iterations = NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX;
    assert_int_equal(nvt_token_configure(&cfg), NVT_OK);
    assert_int_equal(nvt_token_configure(NULL), NVT_OK);
}

#if NVT_CONFIG_TOKEN_SEAL
#if !NVT_CONFIG_TOKEN_MIGRATE
/* Whether the blank-padded field holds the text. */
static int holds_text(const CK_UTF8CHAR *field, size_t size, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= size; i++) {
        if (memcmp(field + i, text, n) == 0) {
            return 1;
        }
    }
    return 0;
}
#endif

/* A token written by a version before sealing (its records in the clear,
 * one copy each): a build that migrates mounts it and seals it at its first
 * write (the migration's own tests: tests/seal, tests/powercut); a build
 * without migration (NVT_CONFIG_TOKEN_MIGRATE 0, profile ecdsa-p256) finds
 * it unreadable, says why, and writes nothing to it - its token record
 * stays as it was, in the clear, and no C_InitToken takes it over. */
static void a_token_written_before_sealing_is_migrated_only_where_the_build_migrates(void **state)
{
    (void)state;
    assert_int_equal(nvt_test_token_setup(1), 0);
    assert_int_equal(C_Initialize(NULL), CKR_OK);
    assert_int_equal(nvt_test_token_init(0), CKR_OK);
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    assert_int_equal(nvt_test_token_downgrade(0), 0);
    assert_int_equal(C_Initialize(NULL), CKR_OK);

    nvt_token_diag_t diag;
    CK_SLOT_INFO slot;
    CK_TOKEN_INFO info;
    CK_SESSION_HANDLE s;
    CK_UTF8CHAR label[32];
    size_t n = 0;
    unsigned flags = 0;
    nvt_test_label(label, "taken over");
    assert_int_equal(nvt_token_diagnostics(0, &diag), NVT_OK);
    assert_int_equal(C_GetSlotInfo(0, &slot), CKR_OK);
    assert_int_equal(C_GetTokenInfo(0, &info), CKR_OK);
#if NVT_CONFIG_TOKEN_MIGRATE
    /* readable; sealed by the first write (a device's start-up writes its
     * NV seed, so there already at C_Initialize; else the login's) */
    assert_int_equal(diag.record, NVT_TOKEN_RECORD_OK);
    CK_UTF8CHAR user_pin[] = NVT_TEST_USER_PIN;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_OK);
    assert_int_equal(C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1), CKR_OK);
    assert_int_equal(C_CloseSession(s), CKR_OK);
    assert_int_equal(nvt_token_diagnostics(0, &diag), NVT_OK);
    assert_int_equal(diag.migrating, 0);
    assert_int_equal(nvt_store_size(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD, &n, &flags), NVT_OK);
    assert_int_equal(flags & NVT_STORE_SEALED, NVT_STORE_SEALED);
#else
    assert_int_equal(diag.record, NVT_TOKEN_RECORD_UNREADABLE);
    assert_int_equal(diag.migrating, 0);
    assert_true(diag.refused > 0);
    assert_true(holds_text(slot.slotDescription, sizeof(slot.slotDescription), "in the clear"));
    assert_true((info.flags & (CKF_TOKEN_INITIALIZED | CKF_WRITE_PROTECTED)) ==
                (CKF_TOKEN_INITIALIZED | CKF_WRITE_PROTECTED));
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL, NULL, &s), CKR_TOKEN_NOT_RECOGNIZED);
    CK_UTF8CHAR so_pin[] = NVT_TEST_SO_PIN;
    assert_int_equal(C_InitToken(0, so_pin, sizeof(so_pin) - 1, label), CKR_TOKEN_WRITE_PROTECTED);
    assert_int_equal(nvt_token_seal(0), NVT_E_CORRUPT); /* `nvtoken seal` cannot take it over either */
    /* after a reboot too: nothing was sealed, nothing replaced */
    assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    assert_int_equal(nvt_store_size(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD, &n, &flags), NVT_OK);
    assert_int_equal(flags & NVT_STORE_SEALED, 0);
    assert_int_equal(nvt_store_size(nvt_test_token_store(0), NVT_TOKEN_ID_RECORD_COPY, &n, &flags), NVT_E_NOT_FOUND);
    assert_int_equal(nvt_token_diagnostics(0, &diag), NVT_OK);
    assert_int_equal(diag.record, NVT_TOKEN_RECORD_UNREADABLE);
#endif
    assert_int_equal(C_Finalize(NULL), CKR_OK);
    nvt_test_token_teardown();
}
#endif

/* A crafted image (CRC and seal valid) whose data object sets header bits
 * of booleans no data object has - CKA_DERIVE and CKA_ALWAYS_SENSITIVE: the
 * bits read as absent everywhere, as C_GetAttributeValue has always said,
 * and a key derived with it as the base claims no history from them
 * (fuzz_object's finding). */
static void boolean_bits_the_class_does_not_have_read_as_absent(void **state)
{
    (void)state;
    uint8_t crafted[sizeof(golden_data)];
    memcpy(crafted, golden_data, sizeof(crafted));
    const uint32_t derive = 1u << 15, always_sensitive = 1u << 19, sensitive = 1u << 6;
    tok_put32(crafted + 16, tok_get32(crafted + 16) | derive | always_sensitive | sensitive);
    tok_put32(crafted + 20, tok_get32(crafted + 20) | derive | always_sensitive | sensitive);
    tok_obj_t o;
    assert_int_equal(tok_obj_parse(&o, crafted, sizeof(crafted)), CKR_OK);
    assert_int_equal(tok_obj_bool(&o, CKA_DERIVE, CK_FALSE), CK_FALSE);
    assert_int_equal(tok_obj_bool(&o, CKA_ALWAYS_SENSITIVE, CK_FALSE), CK_FALSE);
    assert_int_equal(tok_obj_bool(&o, CKA_SENSITIVE, CK_FALSE), CK_FALSE);
    assert_int_equal(tok_obj_bool(&o, CKA_MODIFIABLE, CK_FALSE), CK_TRUE); /* its own bits stay */
    CK_BBOOL b = CK_FALSE;
    CK_ATTRIBUTE a = { CKA_ALWAYS_SENSITIVE, &b, sizeof(b) };
    assert_int_equal(tok_obj_get(&o, &a), CKR_ATTRIBUTE_TYPE_INVALID);
    /* a template asking for the bit does not match it */
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE want = { CKA_DERIVE, &yes, sizeof(yes) };
    assert_int_equal(tok_obj_match(&o, &want, 1), 0);
#if NVT_TOKEN_HAS_DERIVE
    static const uint8_t value[16] = { 1 };
    CK_ATTRIBUTE made = { CKA_VALUE, (void *)(uintptr_t)value, sizeof(value) };
    CK_KEY_TYPE gen = CKK_GENERIC_SECRET;
    CK_ATTRIBUTE t[] = { { CKA_KEY_TYPE, &gen, sizeof(gen) }, { CKA_SENSITIVE, &yes, sizeof(yes) } };
    tok_build_t bld;
    memset(&bld, 0, sizeof(bld));
    bld.mode = TOK_BUILD_DERIVE;
    bld.tmpl = t;
    bld.tmpl_n = 2;
    bld.base = &o;
    bld.made = &made;
    bld.made_n = 1;
    bld.cls = CKO_SECRET_KEY;
    bld.sub = CK_UNAVAILABLE_INFORMATION;
    bld.mech = CKM_ECDH1_DERIVE;
    uint8_t out[256];
    size_t len = 0;
    assert_int_equal(tok_obj_build(&bld, out, sizeof(out), &len), CKR_OK);
    tok_obj_t k;
    assert_int_equal(tok_obj_parse(&k, out, len), CKR_OK);
    assert_int_equal(tok_obj_bool(&k, CKA_SENSITIVE, CK_FALSE), CK_TRUE);
    assert_int_equal(tok_obj_bool(&k, CKA_ALWAYS_SENSITIVE, CK_TRUE), CK_FALSE);
#endif
}

/* The boolean bits a parse keeps are exactly the booleans the object's
 * class has, as C_GetAttributeValue knows them: an object of each class
 * whose header sets all 22 bits (docs/FORMAT.md's table) keeps the bit of
 * each attribute it reads and drops every other. */
static void a_parse_keeps_the_boolean_bits_of_each_class(void **state)
{
    (void)state;
    static const CK_ATTRIBUTE_TYPE bits[22] = {
        CKA_TOKEN, CKA_PRIVATE, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE, CKA_TRUSTED,
        CKA_SENSITIVE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN,
        CKA_SIGN_RECOVER, CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_DERIVE, CKA_EXTRACTABLE, CKA_LOCAL,
        CKA_NEVER_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_ALWAYS_AUTHENTICATE, CKA_WRAP_WITH_TRUSTED,
    };
    static const CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_BYTE bytes[65] = { 0x04, 1 };
    CK_OBJECT_CLASS data = CKO_DATA, cert = CKO_CERTIFICATE, pub = CKO_PUBLIC_KEY, priv = CKO_PRIVATE_KEY,
                    sec = CKO_SECRET_KEY;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_KEY_TYPE ec = CKK_EC, aes = CKK_AES;
    CK_ATTRIBUTE t_data[] = { { CKA_CLASS, &data, sizeof(data) } };
    CK_ATTRIBUTE t_cert[] = { { CKA_CLASS, &cert, sizeof(cert) },
                              { CKA_CERTIFICATE_TYPE, &x509, sizeof(x509) },
                              { CKA_SUBJECT, bytes, 4 },
                              { CKA_VALUE, bytes, 8 } };
    CK_ATTRIBUTE t_pub[] = { { CKA_CLASS, &pub, sizeof(pub) },
                             { CKA_KEY_TYPE, &ec, sizeof(ec) },
                             { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) },
                             { CKA_EC_POINT, bytes, sizeof(bytes) } };
    CK_ATTRIBUTE t_priv[] = { { CKA_CLASS, &priv, sizeof(priv) },
                              { CKA_KEY_TYPE, &ec, sizeof(ec) },
                              { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) },
                              { CKA_VALUE, bytes, 32 } };
    CK_ATTRIBUTE t_sec[] = { { CKA_CLASS, &sec, sizeof(sec) },
                             { CKA_KEY_TYPE, &aes, sizeof(aes) },
                             { CKA_VALUE, bytes, 16 } };
    const struct {
        const CK_ATTRIBUTE *t;
        CK_ULONG n;
    } objs[] = { { t_data, 1 }, { t_cert, 4 }, { t_pub, 4 }, { t_priv, 4 }, { t_sec, 3 } };
    for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        tok_build_t b;
        memset(&b, 0, sizeof(b));
        b.mode = TOK_BUILD_CREATE;
        b.tmpl = objs[i].t;
        b.tmpl_n = objs[i].n;
        uint8_t out[256];
        size_t len = 0;
        assert_int_equal(tok_obj_build(&b, out, sizeof(out), &len), CKR_OK);
        tok_put32(out + 16, 0x003FFFFFu); /* every boolean present */
        tok_put32(out + 20, 0x003FFFFFu); /* and true */
        tok_obj_t o;
        assert_int_equal(tok_obj_parse(&o, out, len), CKR_OK);
        for (unsigned bit = 0; bit < 22; bit++) {
            CK_BBOOL v = CK_FALSE;
            CK_ATTRIBUTE a = { bits[bit], &v, sizeof(v) };
            int has = tok_obj_get(&o, &a) != CKR_ATTRIBUTE_TYPE_INVALID;
            int kept = (o.bool_set >> bit) & 1u;
            if (has != kept) {
                print_error("object %zu, bit %u: read %d, kept %d\n", i, bit, has, kept);
            }
            assert_int_equal(has, kept);
            assert_int_equal(tok_obj_bool(&o, bits[bit], CK_FALSE), kept ? CK_TRUE : CK_FALSE);
        }
    }
}

#if TOK_ATTR_ARRAYS /* the profile keeps attribute arrays (wrap, unwrap or derive) */
/* An attribute array (CKA_WRAP_TEMPLATE) is one entry whose value is a run
 * of entries in the caller's order - the example of docs/FORMAT.md. */
static const uint8_t golden_wrap_template[] = {
    0x00, 0x01, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, /* CKA_KEY_TYPE: CKK_AES */
    0x62, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,                   /* CKA_EXTRACTABLE: CK_TRUE */
};

static void an_attribute_array_serialises_to_the_documented_bytes(void **state)
{
    (void)state;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE aes = CKK_AES;
    CK_BBOOL yes = 7; /* any true value is stored as 1 */
    CK_BYTE value[16] = { 0 };
    CK_ATTRIBUTE inner[] = { { CKA_KEY_TYPE, &aes, sizeof(aes) }, { CKA_EXTRACTABLE, &yes, 1 } };
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &aes, sizeof(aes) },
                         { CKA_VALUE, value, sizeof(value) }, { CKA_WRAP_TEMPLATE, inner, sizeof(inner) } };
    tok_build_t b;
    memset(&b, 0, sizeof(b));
    b.mode = TOK_BUILD_CREATE;
    b.tmpl = t;
    b.tmpl_n = 4;
    uint8_t out[512];
    size_t len = 0;
    assert_int_equal(tok_obj_build(&b, out, sizeof(out), &len), CKR_OK);
    tok_obj_t o;
    assert_int_equal(tok_obj_parse(&o, out, len), CKR_OK);
    const uint8_t *v;
    size_t n;
    assert_true(tok_obj_value(&o, CKA_WRAP_TEMPLATE, &v, &n));
    assert_int_equal(n, sizeof(golden_wrap_template));
    assert_memory_equal(v, golden_wrap_template, n);
    /* and the entry itself: type 0x40000211 */
    assert_int_equal(tok_get32(v - 8), 0x40000211u);
    /* the key it describes matches it; another does not */
    assert_int_equal(tok_obj_match_array(&o, v, n), 0); /* not extractable */
    uint8_t bad[sizeof(golden_wrap_template)];
    memcpy(bad, golden_wrap_template, sizeof(bad));
    bad[4] = 5; /* a length past the end */
    assert_int_equal(tok_obj_match_array(&o, bad, sizeof(bad)), 0);
}
#endif /* TOK_ATTR_ARRAYS */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_data_object_serialises_to_the_documented_bytes),
        cmocka_unit_test(the_documented_bytes_parse_back),
        cmocka_unit_test(bytes_that_are_not_an_object_are_refused),
        cmocka_unit_test(the_token_record_and_its_counters_round_trip),
        cmocka_unit_test(the_nv_seed_record_round_trips),
        cmocka_unit_test(a_seed_of_the_other_size_is_read_and_rewritten_whole),
        cmocka_unit_test(a_record_asking_for_too_many_pin_iterations_is_refused),
#if NVT_CONFIG_TOKEN_SEAL
        cmocka_unit_test(a_token_written_before_sealing_is_migrated_only_where_the_build_migrates),
#endif
        cmocka_unit_test(boolean_bits_the_class_does_not_have_read_as_absent),
        cmocka_unit_test(a_parse_keeps_the_boolean_bits_of_each_class),
#if TOK_ATTR_ARRAYS
        cmocka_unit_test(an_attribute_array_serialises_to_the_documented_bytes),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
