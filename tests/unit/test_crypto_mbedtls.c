/* mbedTLS as the build configures it: PSA Crypto initialises (on the target
 * from the NV seed alone), and the algorithms the profiles promise give the
 * published answers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <psa/crypto.h>

#include "nvt_crypto.h"
#include "nvt_crypto_nv_seed.h"

/* A seed in RAM standing in for the store; counts the calls. */
static struct {
    unsigned char seed[64];
    int reads;
    int writes;
} ram_seed;

static int ram_seed_read(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    if (len > sizeof(ram_seed.seed)) {
        return -1;
    }
    memcpy(buf, ram_seed.seed, len);
    ram_seed.reads++;
    return 0;
}

static int ram_seed_write(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    if (len > sizeof(ram_seed.seed)) {
        return -1;
    }
    memcpy(ram_seed.seed, buf, len);
    ram_seed.writes++;
    return 0;
}

static const nvt_crypto_nv_seed_backend_t ram_backend = { ram_seed_read, ram_seed_write, NULL };

static void nv_seed_hooks_fail_while_unbound(void **state)
{
    (void)state;
    unsigned char buf[32];
    nvt_crypto_nv_seed_bind(NULL);
    assert_int_equal(nvt_crypto_nv_seed_read(buf, sizeof(buf)), -1);
    assert_int_equal(nvt_crypto_nv_seed_write(buf, sizeof(buf)), -1);
}

static void nv_seed_hooks_forward_to_the_backend(void **state)
{
    (void)state;
    unsigned char buf[32];
    memset(ram_seed.seed, 0x5a, sizeof(ram_seed.seed));
    nvt_crypto_nv_seed_bind(&ram_backend);
    assert_int_equal(nvt_crypto_nv_seed_read(buf, sizeof(buf)), (int)sizeof(buf));
    assert_int_equal(buf[0], 0x5a);
    buf[0] = 0x11;
    assert_int_equal(nvt_crypto_nv_seed_write(buf, sizeof(buf)), (int)sizeof(buf));
    assert_int_equal(ram_seed.seed[0], 0x11);
    /* A backend failure is a hook failure. */
    assert_int_equal(nvt_crypto_nv_seed_read(buf, sizeof(ram_seed.seed) + 1), -1);
}

static void psa_crypto_initialises(void **state)
{
    (void)state;
    /* Provisioned seed (a test value; a device gets a random one). */
    for (size_t i = 0; i < sizeof(ram_seed.seed); i++) {
        ram_seed.seed[i] = (unsigned char)(i * 7 + 1);
    }
    unsigned char before[sizeof(ram_seed.seed)];
    memcpy(before, ram_seed.seed, sizeof(before));
    ram_seed.reads = ram_seed.writes = 0;
    nvt_crypto_nv_seed_bind(&ram_backend);

    /* The crypto layer starts PSA (and, in a build without PSA's key
     * store, the generator PSA draws from). */
    assert_int_equal(nvt_crypto_init(), NVT_OK);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    unsigned char r[32];
    assert_int_equal(psa_generate_random(r, sizeof(r)), PSA_SUCCESS);
#if defined(MBEDTLS_ENTROPY_NV_SEED)
    /* The entropy pool read the seed and replaced it with a fresh one. */
    assert_true(ram_seed.reads >= 1);
    assert_true(ram_seed.writes >= 1);
    assert_memory_not_equal(before, ram_seed.seed, sizeof(before));
#endif
}

static void sha256_gives_the_fips180_answer(void **state)
{
    (void)state;
    static const unsigned char expect[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
    };
    unsigned char out[32];
    size_t len = 0;
    assert_int_equal(psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, out, sizeof(out), &len),
                     PSA_SUCCESS);
    assert_int_equal(len, 32);
    assert_memory_equal(out, expect, 32);
}

/* PBKDF2-HMAC-SHA-256 of the crypto layer (PIN verifiers): the published
 * answers (RFC 6070's inputs with SHA-256, RFC 7914 section 11's form),
 * a key longer than SHA-256's block (hashed first), an empty password and
 * salt, and several output blocks. */
static void pbkdf2_hmac_sha256_gives_the_published_answers(void **state)
{
    (void)state;
    static const struct {
        const char *pw, *salt;
        uint32_t c;
        size_t n;
        const char *dk;
    } v[] = {
        { "password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b" },
        { "password", "salt", 2, 32, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43" },
        { "password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a" },
        { "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
          "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9" },
        { "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
          "salt", 3, 64,
          "219c68bb88f1010f4a763b7c8fd58639c2280baf6820814c6d404891fcd85c3d19af9f11e8544f706d60a2c0a33eeca0b531a9b66b"
          "76636312434826f41291eb" },
        { "", "", 1, 32, "f7ce0b653d2d72a4108cf5abe912ffdd777616dbbb27a70e8204f3ae2d0f6fad" },
    };
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        unsigned char out[64], want[64];
        for (size_t j = 0; j < v[i].n; j++) {
            unsigned hi = 0, lo = 0;
            assert_int_equal(sscanf(v[i].dk + 2 * j, "%1x%1x", &hi, &lo), 2);
            want[j] = (unsigned char)(hi << 4 | lo);
        }
        memset(out, 0xee, sizeof(out));
        assert_int_equal(nvt_crypto_pbkdf2_sha256(v[i].pw, strlen(v[i].pw), v[i].salt, strlen(v[i].salt), v[i].c, out,
                                                  v[i].n),
                         NVT_OK);
        assert_memory_equal(out, want, v[i].n);
        assert_int_equal(out[v[i].n < sizeof(out) ? v[i].n : 0], v[i].n < sizeof(out) ? 0xee : out[0]);
    }
    unsigned char out[32];
    assert_int_equal(nvt_crypto_pbkdf2_sha256("p", 1, "s", 1, 0, out, sizeof(out)), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_pbkdf2_sha256(NULL, 1, "s", 1, 1, out, sizeof(out)), NVT_E_INVALID);
}

static void ecdsa_p256_signs_and_verifies(void **state)
{
    (void)state;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    mbedtls_svc_key_id_t key = MBEDTLS_SVC_KEY_ID_INIT;
    assert_int_equal(psa_generate_key(&attr, &key), PSA_SUCCESS);

    unsigned char hash[32];
    size_t hlen = 0;
    assert_int_equal(psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"nvtoken", 7, hash, sizeof(hash), &hlen),
                     PSA_SUCCESS);
    unsigned char sig[64];
    size_t slen = 0;
    assert_int_equal(psa_sign_hash(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, hlen, sig, sizeof(sig), &slen),
                     PSA_SUCCESS);
    assert_int_equal(slen, 64);
    assert_int_equal(psa_verify_hash(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, hlen, sig, slen), PSA_SUCCESS);
    sig[10] ^= 1;
    assert_int_equal(psa_verify_hash(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, hlen, sig, slen),
                     PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nv_seed_hooks_fail_while_unbound),
        cmocka_unit_test(nv_seed_hooks_forward_to_the_backend),
        cmocka_unit_test(psa_crypto_initialises),
        cmocka_unit_test(sha256_gives_the_fips180_answer),
        cmocka_unit_test(pbkdf2_hmac_sha256_gives_the_published_answers),
        cmocka_unit_test(ecdsa_p256_signs_and_verifies),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nvt_crypto_free();
    return failed;
}
