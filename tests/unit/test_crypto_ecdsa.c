/* The crypto layer's P-256 keys, ECDSA, key generation, SHA-256 and
 * generator, through its own API (nvt_crypto.h) - the same answers over
 * PSA (NVT_CONFIG_CRYPTO_PSA 1: host, `full`) and over p256-m called
 * directly (0: profile `ecdsa-p256` on Cortex-M4). Known answers: RFC 6979
 * A.2.5 (its key, its SHA-256 signature of "sample", which any ECDSA
 * verifier must accept, and which a deterministic build must give) and
 * FIPS 180-2's SHA-256 of "abc". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <psa/crypto.h> /* PSA_WANT_ALG_DETERMINISTIC_ECDSA */

#include "nvt_crypto.h"
#include "nvt_crypto_nv_seed.h"

/* A seed in RAM standing in for the store (a target build's generator
 * starts from it). */
static unsigned char ram_seed[64];

static int ram_seed_read(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    if (len > sizeof(ram_seed)) {
        return -1;
    }
    memcpy(buf, ram_seed, len);
    return 0;
}

static int ram_seed_write(void *ctx, const unsigned char *buf, size_t len)
{
    (void)ctx;
    if (len > sizeof(ram_seed)) {
        return -1;
    }
    memcpy(ram_seed, buf, len);
    return 0;
}

static const nvt_crypto_nv_seed_backend_t ram_backend = { ram_seed_read, ram_seed_write, NULL };

static void hex(const char *s, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* RFC 6979 A.2.5: the P-256 key, SHA-256("sample"), and the deterministic
 * signature (r || s) of it. */
static uint8_t d[32], q[65], h_sample[32], rs_sample[64];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ram_seed); i++) {
        ram_seed[i] = (unsigned char)(i * 13 + 5);
    }
    nvt_crypto_nv_seed_bind(&ram_backend);
    hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", d, 32);
    q[0] = 0x04;
    hex("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", q + 1, 32);
    hex("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", q + 33, 32);
    hex("AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF", h_sample, 32);
    hex("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", rs_sample, 32);
    hex("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", rs_sample + 32, 32);
    return nvt_crypto_init() == NVT_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    nvt_crypto_free();
    return 0;
}

static nvt_crypto_key_material_t ec_material(nvt_crypto_key_type_t type, const uint8_t *v, size_t len)
{
    nvt_crypto_key_material_t m;
    memset(&m, 0, sizeof(m));
    m.type = type;
    m.curve = NVT_CRYPTO_CURVE_P256;
    m.v[0].p = v;
    m.v[0].len = len;
    return m;
}

static nvt_crypto_key_t load(nvt_crypto_key_type_t type, const uint8_t *v, size_t len)
{
    nvt_crypto_key_material_t m = ec_material(type, v, len);
    nvt_crypto_key_t key = 0;
    size_t bits = 0;
    assert_int_equal(nvt_crypto_key_load(&m, NVT_CRYPTO_USE_EC, &key, &bits), NVT_OK);
    assert_int_not_equal(key, 0);
    assert_int_equal(bits, 256);
    return key;
}

static void sha256_gives_the_fips180_answer_whole_and_in_parts(void **state)
{
    (void)state;
    uint8_t want[32], out[32];
    hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", want, 32);
    size_t n = 0;
    assert_int_equal(nvt_crypto_hash_size(NVT_CRYPTO_SHA256), 32);
    assert_int_equal(nvt_crypto_hash(NVT_CRYPTO_SHA256, "abc", 3, out, sizeof(out), &n), NVT_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(out, want, 32);

    nvt_crypto_hash_t h;
    assert_int_equal(nvt_crypto_hash_setup(&h, NVT_CRYPTO_SHA256), NVT_OK);
    assert_int_equal(nvt_crypto_hash_update(&h, "a", 1), NVT_OK);
    assert_int_equal(nvt_crypto_hash_update(&h, "bc", 2), NVT_OK);
    /* A short buffer keeps the operation for the retry. */
    assert_int_equal(nvt_crypto_hash_finish(&h, out, 31, &n), NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 32);
    memset(out, 0, sizeof(out));
    assert_int_equal(nvt_crypto_hash_finish(&h, out, sizeof(out), &n), NVT_OK);
    assert_memory_equal(out, want, 32);
    nvt_crypto_hash_abort(&h); /* idle: harmless */
    assert_int_equal(nvt_crypto_hash_setup(&h, NVT_CRYPTO_HASH_NONE), NVT_E_UNSUPPORTED);
}

static void rfc6979_signature_verifies_and_a_flipped_bit_does_not(void **state)
{
    (void)state;
    nvt_crypto_key_t pub = load(NVT_CRYPTO_KEY_EC_PUBLIC, q, sizeof(q));
    nvt_crypto_key_t pair = load(NVT_CRYPTO_KEY_EC_PAIR, d, sizeof(d));
    for (int k = 0; k < 2; k++) { /* the public key, and the key pair (PSA lets a pair verify) */
        nvt_crypto_key_t key = k == 0 ? pub : pair;
        assert_int_equal(nvt_crypto_verify_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32,
                                                rs_sample, 64),
                         NVT_OK);
        assert_int_equal(nvt_crypto_verify_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_HASH_NONE, h_sample, 32,
                                                rs_sample, 64),
                         NVT_OK);
        for (size_t bit = 0; bit < 64 * 8; bit += 37) {
            uint8_t bad[64];
            memcpy(bad, rs_sample, sizeof(bad));
            bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            assert_int_equal(nvt_crypto_verify_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, bad,
                                                    64),
                             NVT_E_VERIFY);
        }
        uint8_t other[32];
        memcpy(other, h_sample, sizeof(other));
        other[31] ^= 1;
        assert_int_equal(nvt_crypto_verify_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, other, 32, rs_sample,
                                                64),
                         NVT_E_VERIFY);
        /* A signature of the wrong length is a bad signature. */
        assert_int_equal(nvt_crypto_verify_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32,
                                                rs_sample, 63),
                         NVT_E_VERIFY);
    }
    nvt_crypto_key_unload(pub);
    nvt_crypto_key_unload(pair);
}

static void a_key_pair_signs_what_its_public_key_verifies(void **state)
{
    (void)state;
    nvt_crypto_key_t pub = load(NVT_CRYPTO_KEY_EC_PUBLIC, q, sizeof(q));
    /* The private value with leading zero bytes is the same key. */
    uint8_t d_long[40] = { 0 };
    memcpy(d_long + 8, d, 32);
    nvt_crypto_key_t pair = load(NVT_CRYPTO_KEY_EC_PAIR, d_long, sizeof(d_long));
    uint8_t sig[80], sig2[64];
    size_t n = 0;
    /* A length query by a short buffer. */
    assert_int_equal(nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, 63, &n),
                     NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(n, 64);
    assert_int_equal(
        nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, sizeof(sig), &n),
        NVT_OK);
    assert_int_equal(n, 64);
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, 64),
                     NVT_OK);
    assert_int_equal(
        nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig2, sizeof(sig2), &n),
        NVT_OK);
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA) && NVT_CONFIG_CRYPTO_PSA
    /* Deterministic (mbedTLS's ECP engine): RFC 6979's signature, each time. */
    assert_memory_equal(sig, rs_sample, 64);
    assert_memory_equal(sig2, rs_sample, 64);
#else
    /* A fresh nonce each time: another signature, as valid. */
    assert_memory_not_equal(sig, sig2, 64);
#endif
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig2, 64),
                     NVT_OK);
    /* CKM_ECDSA signs a value of any length (truncated or padded as
     * ECDSA says; the token refuses an empty one before). */
    static const size_t lens[] = { 1, 20, 31, 33, 48, 64 };
    uint8_t data[64];
    memset(data, 0xa5, sizeof(data));
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        assert_int_equal(nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_HASH_NONE, data, lens[i], sig,
                                              sizeof(sig), &n),
                         NVT_OK);
        assert_int_equal(
            nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_HASH_NONE, data, lens[i], sig, 64), NVT_OK);
    }
    /* A public key does not sign. */
    assert_int_not_equal(
        nvt_crypto_sign_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, sizeof(sig), &n),
        NVT_OK);
    nvt_crypto_key_unload(pub);
    nvt_crypto_key_unload(pair);
    /* An unloaded key is no key. */
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig2, 64),
                     NVT_E_INVALID);
}

static void bad_key_material_is_refused(void **state)
{
    (void)state;
    /* n, the group order: one past the largest private value. */
    uint8_t n_order[32], zero[32] = { 0 }, ones[33];
    hex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", n_order, 32);
    memset(ones, 0x01, sizeof(ones));
    uint8_t off_curve[65], compressed[65];
    memcpy(off_curve, q, sizeof(q));
    off_curve[64] ^= 1;
    memcpy(compressed, q, sizeof(q));
    compressed[0] = 0x02;
    const struct {
        nvt_crypto_key_type_t type;
        const uint8_t *v;
        size_t len;
    } bad[] = {
        { NVT_CRYPTO_KEY_EC_PAIR, zero, sizeof(zero) },         { NVT_CRYPTO_KEY_EC_PAIR, n_order, 32 },
        { NVT_CRYPTO_KEY_EC_PAIR, ones, sizeof(ones) },         { NVT_CRYPTO_KEY_EC_PAIR, NULL, 0 },
        { NVT_CRYPTO_KEY_EC_PUBLIC, off_curve, sizeof(q) },     { NVT_CRYPTO_KEY_EC_PUBLIC, compressed, sizeof(q) },
        { NVT_CRYPTO_KEY_EC_PUBLIC, q, sizeof(q) - 1 },         { NVT_CRYPTO_KEY_EC_PUBLIC, q + 1, 64 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        nvt_crypto_key_material_t m = ec_material(bad[i].type, bad[i].v, bad[i].len);
        nvt_crypto_key_t key = 99;
        assert_int_equal(nvt_crypto_key_load(&m, NVT_CRYPTO_USE_EC, &key, NULL), NVT_E_INVALID);
        assert_int_equal(key, 0);
        assert_int_equal(nvt_crypto_key_check(&m, NULL), NVT_E_INVALID);
    }
    /* A use of another family. */
    nvt_crypto_key_material_t m = ec_material(NVT_CRYPTO_KEY_EC_PAIR, d, sizeof(d));
    nvt_crypto_key_t key = 0;
    assert_int_equal(nvt_crypto_key_load(&m, NVT_CRYPTO_USE_AES_ECB, &key, NULL), NVT_E_INVALID);
    size_t bits = 0;
    assert_int_equal(nvt_crypto_key_check(&m, &bits), NVT_OK);
    assert_int_equal(bits, 256);
    /* A key lent to PSA code: only where keys go through PSA. */
    int rc = nvt_crypto_key_load(&m, NVT_CRYPTO_USE_LEND_ECDSA, &key, NULL);
    assert_int_equal(rc, NVT_CONFIG_CRYPTO_PSA ? NVT_OK : NVT_E_UNSUPPORTED);
    nvt_crypto_key_unload(key);
}

static void generated_key_pairs_sign_and_differ(void **state)
{
    (void)state;
    uint8_t d1[32], q1[65], d2[32], q2[65], sig[64];
    size_t dl = 0, ql = 0, n = 0;
    assert_int_equal(nvt_crypto_ec_generate(NVT_CRYPTO_CURVE_P256, d1, 31, &dl, q1, sizeof(q1), &ql),
                     NVT_E_BUFFER_TOO_SMALL);
    assert_int_equal(nvt_crypto_ec_generate(NVT_CRYPTO_CURVE_P256, d1, sizeof(d1), &dl, q1, sizeof(q1), &ql), NVT_OK);
    assert_int_equal(dl, 32);
    assert_int_equal(ql, 65);
    assert_int_equal(q1[0], 0x04);
    assert_int_equal(nvt_crypto_ec_generate(NVT_CRYPTO_CURVE_P256, d2, sizeof(d2), &dl, q2, sizeof(q2), &ql), NVT_OK);
    assert_memory_not_equal(d1, d2, 32);
    nvt_crypto_key_t pair = load(NVT_CRYPTO_KEY_EC_PAIR, d1, 32);
    nvt_crypto_key_t pub = load(NVT_CRYPTO_KEY_EC_PUBLIC, q1, 65);
    nvt_crypto_key_t other = load(NVT_CRYPTO_KEY_EC_PUBLIC, q2, 65);
    assert_int_equal(
        nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, sizeof(sig), &n),
        NVT_OK);
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, 64),
                     NVT_OK);
    assert_int_equal(nvt_crypto_verify_hash(other, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig, 64),
                     NVT_E_VERIFY);
    nvt_crypto_key_unload(pair);
    nvt_crypto_key_unload(pub);
    nvt_crypto_key_unload(other);
}

static void the_generator_gives_fresh_bytes(void **state)
{
    (void)state;
    uint8_t a[48], b[48];
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_int_equal(nvt_crypto_random(a, sizeof(a)), NVT_OK);
    assert_int_equal(nvt_crypto_random(b, sizeof(b)), NVT_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(nvt_crypto_random(NULL, 1), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_random(NULL, 0), NVT_OK);
}

#if !NVT_CONFIG_CRYPTO_PSA
/* One signature after a start from the NV seed `pattern` (a device booted
 * from one flash image again and again: a rollback). */
static void sign_after_boot(uint8_t pattern, const uint8_t h[32], uint8_t sig[64])
{
    nvt_crypto_free();
    memset(ram_seed, pattern, sizeof(ram_seed));
    assert_int_equal(nvt_crypto_init(), NVT_OK);
    nvt_crypto_key_t pair = load(NVT_CRYPTO_KEY_EC_PAIR, d, sizeof(d));
    size_t n = 0;
    assert_int_equal(nvt_crypto_sign_hash(pair, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h, 32, sig, 64, &n), NVT_OK);
    nvt_crypto_key_unload(pair);
}

/* p256-m draws its nonce from the generator, whose state without a TRNG is
 * a function of the NV seed: restoring the seed restores it. The nonce is
 * hedged with the key and the hash, so a restored seed repeats a nonce
 * only for the same hash - the same signature again - and two hashes
 * signed from one seed get two nonces (r = x(kG) differs); with one nonce
 * the two signatures would give d away. */
static void a_restored_nv_seed_repeats_no_nonce_for_another_hash(void **state)
{
    (void)state;
    uint8_t other[32], sig_a[64], sig_b[64], sig_c[64];
    memcpy(other, h_sample, sizeof(other));
    other[0] ^= 0x80;
    sign_after_boot(0x3c, h_sample, sig_a);
    sign_after_boot(0x3c, h_sample, sig_b);
    sign_after_boot(0x3c, other, sig_c);
#if !NVT_CONFIG_CRYPTO_TRNG
    /* The rollback is real: the same seed, the same generator. */
    assert_memory_equal(sig_a, sig_b, 64);
#endif
    assert_memory_not_equal(sig_a, sig_c, 32); /* r */
    nvt_crypto_key_t pub = load(NVT_CRYPTO_KEY_EC_PUBLIC, q, sizeof(q));
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, h_sample, 32, sig_a, 64),
                     NVT_OK);
    assert_int_equal(nvt_crypto_verify_hash(pub, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, other, 32, sig_c, 64),
                     NVT_OK);
    nvt_crypto_key_unload(pub);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_gives_the_fips180_answer_whole_and_in_parts),
        cmocka_unit_test(rfc6979_signature_verifies_and_a_flipped_bit_does_not),
        cmocka_unit_test(a_key_pair_signs_what_its_public_key_verifies),
        cmocka_unit_test(bad_key_material_is_refused),
        cmocka_unit_test(generated_key_pairs_sign_and_differ),
        cmocka_unit_test(the_generator_gives_fresh_bytes),
#if !NVT_CONFIG_CRYPTO_PSA
        cmocka_unit_test(a_restored_nv_seed_repeats_no_nonce_for_another_hash),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
