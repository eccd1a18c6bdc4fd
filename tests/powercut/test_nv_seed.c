/* The NV seed (NVT_CONFIG_CRYPTO_NV_SEED): the random generator of a device
 * without a TRNG starts from a secret seed in the store, written at
 * provisioning and replaced by a fresh one at every start-up before any
 * random number leaves (mbedTLS's MBEDTLS_ENTROPY_NV_SEED, through the
 * hooks the token binds to slot 0's store).
 *
 * - Two start-ups never reuse a seed, and never give the same random
 *   numbers (builds with the NV seed: the emulated Cortex-M4).
 * - A power cut at any flash operation of the start-up's seed update, in
 *   every cut mode, leaves a valid seed - the old one or the new one - and
 *   the next start-up works.
 * - The token's seed backend replaces the seed atomically: a cut at any
 *   flash operation of a write leaves the old or the new seed (every build:
 *   on the host through the hooks directly, as its generator uses the TRNG).
 * - Without a provisioned seed, a device without a TRNG does not start. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nvt_crypto_nv_seed.h"
#include "nvt_crypto_seal.h"
#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

#define SEED NVT_TOKEN_NV_SEED_SIZE

static int setup(void **state)
{
    (void)state;
    if (nvt_test_token_setup(1) != 0 || C_Initialize(NULL_PTR) != CKR_OK) {
        return -1;
    }
    return nvt_test_token_init(0) == CKR_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    (void)C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return 0;
}

/* The seed in slot 0's store: the newer of its two copies, opened
 * (asserts one is there, whole). docs/FORMAT.md, "NV seed". */
static void read_seed(uint8_t out[SEED])
{
    static const uint16_t ids[2] = { NVT_TOKEN_ID_NV_SEED, NVT_TOKEN_ID_NV_SEED_COPY };
    uint8_t rec[SEED + 64];
    uint32_t best = 0;
    int found = 0;
    for (int i = 0; i < 2; i++) {
        size_t n = 0;
        int sealed = 0;
        if (nvt_test_token_read_record(0, ids[i], rec, sizeof(rec), &n, &sealed) != NVT_OK) {
            continue;
        }
        uint32_t seq = 0;
        if (n == SEED + 8 && rec[0] == 2) {
            seq = (uint32_t)rec[4] | (uint32_t)rec[5] << 8 | (uint32_t)rec[6] << 16 | (uint32_t)rec[7] << 24;
            assert_true(sealed); /* version 2 is written sealed only */
        } else {
            assert_int_equal(n, SEED); /* version 1: provisioned in the clear */
        }
        if (!found || seq > best) {
            memcpy(out, rec + (n - SEED), SEED);
            best = seq;
            found = 1;
        }
    }
    assert_true(found);
}

/* What the entropy pool reads for stored seed \p seed: the seed mixed
 * with slot 0's device key (docs/DESIGN.md, "Cloned images"). */
static void mixed(const uint8_t seed[SEED], uint8_t out[SEED])
{
    nvt_token_device_key_t k;
    assert_int_equal(nvt_test_token_device_key(0, &k), 0);
    assert_int_equal(nvt_crypto_device_derive(k.secret, k.uid, k.uid_len, "nvtoken/nv-seed/v1", seed, SEED, out, SEED),
                     NVT_OK);
}

static void random_bytes(uint8_t out[32])
{
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
    assert_int_equal(C_GenerateRandom(s, out, 32), CKR_OK);
    assert_int_equal(C_CloseSession(s), CKR_OK);
}

static void two_start_ups_never_reuse_a_seed(void **state)
{
    (void)state;
    enum { STARTS = 8 };
    static uint8_t seeds[STARTS][SEED], rnd[STARTS][32];
    for (int i = 0; i < STARTS; i++) {
        read_seed(seeds[i]);
        random_bytes(rnd[i]);
        for (int j = 0; j < i; j++) {
#if NVT_CONFIG_CRYPTO_NV_SEED
            assert_memory_not_equal(seeds[i], seeds[j], SEED);
#endif
            assert_memory_not_equal(rnd[i], rnd[j], 32);
        }
        assert_int_equal(nvt_test_token_power_cycle(), CKR_OK);
    }
}

static void a_cut_during_the_start_up_seed_update_leaves_a_valid_seed(void **state)
{
    (void)state;
#if NVT_CONFIG_CRYPTO_NV_SEED
    static const nvt_flash_ram_cut_t modes[] = { NVT_FLASH_RAM_CUT_NOT_DONE, NVT_FLASH_RAM_CUT_DONE,
                                                 NVT_FLASH_RAM_CUT_TORN };
    struct nvt_flash_ram *fl = nvt_test_token_flash(0);
    uint8_t before[SEED], after[SEED];
    unsigned cuts = 0, old = 0, fresh = 0;
    for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
        for (uint32_t n = 1;; n++) {
            read_seed(before);
            assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
            nvt_flash_ram_cut_at(fl, n, modes[m]);
            CK_RV rv = C_Initialize(NULL_PTR); /* mounts, reads the seed, writes the next */
            int cut = nvt_flash_ram_power_lost(fl);
            nvt_flash_ram_cut_at(fl, 0, NVT_FLASH_RAM_CUT_NOT_DONE);
            if (!cut) {
                assert_int_equal(rv, CKR_OK); /* the start-up finished before the n-th operation */
                break;
            }
            cuts++;
            if (rv == CKR_OK) {
                assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
            }
            /* Power back: the store recovers, a valid seed is there and the
             * start-up works (replacing it again). */
            nvt_flash_ram_power_on(fl);
            assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
            assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
            assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
            read_seed(after);
            if (memcmp(after, before, SEED) == 0) {
                old++; /* cannot be: each start-up replaced it */
            } else {
                fresh++;
            }
            assert_true(n < 10000);
        }
    }
    printf("nv seed: %u cut points over 3 modes, every one left a valid seed\n", cuts);
    assert_true(cuts > 0);
    assert_int_equal(old, 0);
    assert_int_equal(fresh, cuts);
#else
    skip();
#endif
}

static void the_seed_backend_replaces_the_seed_atomically(void **state)
{
    (void)state;
    /* Through the hooks mbedTLS calls, bound by the token to slot 0's store. */
    struct nvt_flash_ram *fl = nvt_test_token_flash(0);
    uint8_t old_seed[SEED], new_seed[SEED], got[SEED], want[SEED];
    read_seed(old_seed);
    mixed(old_seed, want);
    assert_int_equal(nvt_crypto_nv_seed_read(got, SEED), SEED);
    assert_memory_equal(got, want, SEED); /* the pool never sees the stored seed itself */
    assert_memory_not_equal(got, old_seed, SEED);
    unsigned cuts = 0, olds = 0, news = 0;
    for (uint32_t n = 1;; n++) {
        memset(new_seed, (int)(n & 0xff), SEED);
        new_seed[0] ^= 0x5a;
        nvt_flash_ram_cut_at(fl, n, NVT_FLASH_RAM_CUT_TORN);
        int rc = nvt_crypto_nv_seed_write(new_seed, SEED);
        int cut = nvt_flash_ram_power_lost(fl);
        nvt_flash_ram_cut_at(fl, 0, NVT_FLASH_RAM_CUT_NOT_DONE);
        if (!cut) {
            assert_int_equal(rc, SEED);
            read_seed(got);
            assert_memory_equal(got, new_seed, SEED);
            mixed(new_seed, want);
            assert_int_equal(nvt_crypto_nv_seed_read(got, SEED), SEED);
            assert_memory_equal(got, want, SEED);
            break;
        }
        cuts++;
        assert_int_equal(nvt_test_token_power_cycle(), CKR_OK); /* remounts the store */
        read_seed(got);
        if (memcmp(got, old_seed, SEED) == 0) {
            olds++;
        } else {
            /* on a device the start-up replaced it again; on the host it is the write's */
            news++;
        }
        memcpy(old_seed, got, SEED);
        assert_true(n < 10000);
    }
    printf("nv seed backend: %u cut points, %u left the old seed, %u the new\n", cuts, olds, news);
    assert_true(cuts > 0);
}

static void without_a_seed_a_device_without_trng_does_not_start(void **state)
{
    (void)state;
#if NVT_CONFIG_CRYPTO_NV_SEED && !NVT_CONFIG_CRYPTO_TRNG
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    assert_int_equal(nvt_store_delete(nvt_test_token_store(0), NVT_TOKEN_ID_NV_SEED), NVT_OK);
    assert_int_equal(nvt_store_delete(nvt_test_token_store(0), NVT_TOKEN_ID_NV_SEED_COPY), NVT_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_FUNCTION_FAILED); /* fails closed */
    uint8_t seed[SEED];
    memset(seed, 0xa5, sizeof(seed));
    assert_int_equal(nvt_token_provision_nv_seed(nvt_test_token_store(0), seed, SEED), NVT_OK);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    uint8_t now[SEED];
    read_seed(now);
    assert_memory_not_equal(now, seed, SEED); /* replaced at once */
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(two_start_ups_never_reuse_a_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(a_cut_during_the_start_up_seed_update_leaves_a_valid_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(the_seed_backend_replaces_the_seed_atomically, setup, teardown),
        cmocka_unit_test_setup_teardown(without_a_seed_a_device_without_trng_does_not_start, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
