/* Keys derived from the device key and records sealed at rest
 * (src/crypto/nvt_crypto_seal.h): known answers, the synthetic nonce's
 * properties, and that nothing but the exact sealed bytes opens - before
 * PSA is started, as the NV seed needs. Host and Cortex-M4.
 *
 * The known answers were computed with implementations that share no code
 * with mbedTLS: RFC 5869 written out over Python's hmac and hashlib, and
 * ChaCha20-Poly1305 from pyca/cryptography (OpenSSL), checked again by
 * RFC 8439 written out in Python (both give RFC 8439's section 2.8.2
 * vector):
 *
 *   secret = 00 01 02 ... 1f, uid = 00 11 22 33 44 55 66 77
 *   enc    = HKDF-SHA256(salt=uid, ikm=secret, info="nvtoken/seal/enc/v1", 32)
 *   nonce  = HKDF-SHA256(..., info="nvtoken/seal/nonce/v1", 32)
 *   iv     = HMAC-SHA256(nonce, le32(len(ad)) || ad || pt)[0:12]
 *   ct,tag = ChaCha20-Poly1305(enc, iv, ad, pt)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_crypto_seal.h"

static const uint8_t uid[8] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static uint8_t secret[32];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(secret); i++) {
        secret[i] = (uint8_t)i;
    }
    return 0;
}

static void hex(uint8_t *out, const char *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = h[2 * i + (size_t)k];
            v = v * 16u + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        out[i] = (uint8_t)v;
    }
}

static void derivations_match_rfc_5869(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k;
    uint8_t want[64], got[64];
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    hex(want, "dfb8f8c402980613e27b20d9138f9ebcff8fe82c935e008041fa9c35835c7ace", 32);
    assert_memory_equal(k.enc, want, 32);
    hex(want, "457fbcba24972cc8e4709a25d991eb8756bfee439fbf3a445c88deee51f5a457", 32);
    assert_memory_equal(k.nonce, want, 32);
    /* no unique id: RFC 5869's all-zero salt */
    assert_int_equal(nvt_crypto_device_derive(secret, NULL, 0, "nvtoken/seal/enc/v1", NULL, 0, got, 32), NVT_OK);
    hex(want, "e354dc6bf08085d09b522f465a1ee169e5f682b6101b1e820857f2bd66ebf368", 32);
    assert_memory_equal(got, want, 32);
    /* a context after the label (the NV seed's mixing) */
    uint8_t seed[64];
    memset(seed, 0x5a, sizeof(seed));
    assert_int_equal(nvt_crypto_device_derive(secret, uid, sizeof(uid), "nvtoken/nv-seed/v1", seed, sizeof(seed), got,
                                              64),
                     NVT_OK);
    hex(want,
        "aca318e6836c6675d3d29215b52553278758f7e8d37983dcc6689231313dc5c12c48a40d653352ec640b17f70963f2dd6499c508"
        "7d24e4c6d0f02bd63d522786",
        64);
    assert_memory_equal(got, want, 64);
    assert_int_equal(nvt_crypto_device_derive(secret, uid, sizeof(uid), "nvtoken/serial/v1", NULL, 0, got, 8), NVT_OK);
    hex(want, "1efb22404f2956c6", 8);
    assert_memory_equal(got, want, 8);
}

static void derivations_refuse_bad_arguments(void **state)
{
    (void)state;
    uint8_t out[32], big_uid[NVT_CRYPTO_DEVICE_UID_MAX + 1] = { 0 };
    assert_int_equal(nvt_crypto_device_derive(NULL, uid, 8, "x", NULL, 0, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, NULL, 8, "x", NULL, 0, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, big_uid, sizeof(big_uid), "x", NULL, 0, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, uid, 8, "", NULL, 0, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, uid, 8, NULL, NULL, 0, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, uid, 8, "x", NULL, 4, out, 32), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_device_derive(secret, uid, 8, "x", NULL, 0, out, 0), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, 8, NULL), NVT_E_INVALID);
}

#if NVT_CONFIG_TOKEN_SEAL

static const uint8_t ad[3] = { 0x10, 0x00, 0x01 };
static const char pt[] = "nvtoken sealed record test vector";
#define PT_LEN (sizeof(pt) - 1)

static void a_record_seals_to_the_known_answer_and_opens(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k;
    uint8_t buf[PT_LEN], nonce[12], tag[16], want[PT_LEN];
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    memcpy(buf, pt, PT_LEN);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), buf, PT_LEN, nonce, tag), NVT_OK);
    hex(want, "2286413ce7eb2095a723ff47", 12);
    assert_memory_equal(nonce, want, 12);
    hex(want, "45752f46acd0931811ba9eadff20bba1e99906ac8540570e53a31e452b42f95d26", PT_LEN);
    assert_memory_equal(buf, want, PT_LEN);
    hex(want, "90023fb52160f8cbb401eeba40648280", 16);
    assert_memory_equal(tag, want, 16);
    assert_int_equal(nvt_crypto_seal_open(&k, ad, sizeof(ad), buf, PT_LEN, nonce, tag), NVT_OK);
    assert_memory_equal(buf, pt, PT_LEN);
}

/* A record of several ChaCha20 blocks and Poly1305 blocks, as keys are
 * (pt[i] = i * 7 + 1, 300 bytes): the tail of the ciphertext (block
 * counter 5) and the tag, which covers the rest. */
static void a_long_record_seals_to_the_known_answer_and_opens(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k;
    uint8_t buf[300], plain[300], nonce[12], tag[16], want[16];
    for (size_t i = 0; i < sizeof(plain); i++) {
        plain[i] = (uint8_t)(i * 7 + 1);
    }
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    memcpy(buf, plain, sizeof(buf));
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), buf, sizeof(buf), nonce, tag), NVT_OK);
    hex(want, "bc782c131fa6508b2cbe2688", 12);
    assert_memory_equal(nonce, want, 12);
    hex(want, "5b08d3f412b7e84af9a1ca3795900a12", 16);
    assert_memory_equal(buf + 284, want, 16);
    hex(want, "02bb0a7324c176e72a2d7f376e32421a", 16);
    assert_memory_equal(tag, want, 16);
    assert_int_equal(nvt_crypto_seal_open(&k, ad, sizeof(ad), buf, sizeof(buf), nonce, tag), NVT_OK);
    assert_memory_equal(buf, plain, sizeof(buf));
}

/* The nonce is a function of (keys, additional data, plaintext): the same
 * input gives the same bytes (so a repeated nonce is a repeated record,
 * never another plaintext under the same nonce), any change another nonce. */
static void the_nonce_follows_the_data_and_nothing_else(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k;
    uint8_t a[PT_LEN], b[PT_LEN], na[12], nb[12], ta[16], tb[16];
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    memcpy(a, pt, PT_LEN);
    memcpy(b, pt, PT_LEN);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), a, PT_LEN, na, ta), NVT_OK);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), b, PT_LEN, nb, tb), NVT_OK);
    assert_memory_equal(na, nb, 12);
    assert_memory_equal(a, b, PT_LEN);
    assert_memory_equal(ta, tb, 16);
    /* every bit of the plaintext and of the additional data moves it */
    for (size_t bit = 0; bit < 8 * (PT_LEN + sizeof(ad)); bit++) {
        uint8_t p[PT_LEN], d[sizeof(ad)];
        memcpy(p, pt, PT_LEN);
        memcpy(d, ad, sizeof(ad));
        if (bit < 8 * PT_LEN) {
            p[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        } else {
            d[bit / 8 - PT_LEN] ^= (uint8_t)(1u << (bit % 8));
        }
        assert_int_equal(nvt_crypto_seal(&k, d, sizeof(d), p, PT_LEN, nb, tb), NVT_OK);
        assert_memory_not_equal(na, nb, 12);
    }
    /* and the plaintext's length */
    memcpy(b, pt, PT_LEN);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), b, PT_LEN - 1, nb, tb), NVT_OK);
    assert_memory_not_equal(na, nb, 12);
}

/* Any change to what was sealed - a bit of the ciphertext, the tag, the
 * nonce, the additional data, or another device's key - fails, and the
 * buffer is wiped: no plaintext is ever released from a bad record. */
static void nothing_but_the_exact_record_opens(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k, other;
    uint8_t sealed[PT_LEN], nonce[12], tag[16];
    uint8_t other_uid[8];
    memcpy(other_uid, uid, sizeof(uid));
    other_uid[7] ^= 1;
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    assert_int_equal(nvt_crypto_seal_keys(secret, other_uid, sizeof(other_uid), &other), NVT_OK);
    assert_memory_not_equal(k.enc, other.enc, 32);
    memcpy(sealed, pt, PT_LEN);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), sealed, PT_LEN, nonce, tag), NVT_OK);
    static const uint8_t zero[PT_LEN];
    size_t total = PT_LEN + 16 + 12 + sizeof(ad);
    for (size_t bit = 0; bit < 8 * total; bit++) {
        uint8_t c[PT_LEN], t[16], n[12], d[sizeof(ad)];
        memcpy(c, sealed, PT_LEN);
        memcpy(t, tag, 16);
        memcpy(n, nonce, 12);
        memcpy(d, ad, sizeof(ad));
        size_t byte = bit / 8;
        uint8_t mask = (uint8_t)(1u << (bit % 8));
        if (byte < PT_LEN) {
            c[byte] ^= mask;
        } else if (byte < PT_LEN + 16) {
            t[byte - PT_LEN] ^= mask;
        } else if (byte < PT_LEN + 28) {
            n[byte - PT_LEN - 16] ^= mask;
        } else {
            d[byte - PT_LEN - 28] ^= mask;
        }
        assert_int_equal(nvt_crypto_seal_open(&k, d, sizeof(d), c, PT_LEN, n, t), NVT_E_VERIFY);
        assert_memory_equal(c, zero, PT_LEN);
    }
    uint8_t c[PT_LEN];
    memcpy(c, sealed, PT_LEN);
    assert_int_equal(nvt_crypto_seal_open(&other, ad, sizeof(ad), c, PT_LEN, nonce, tag), NVT_E_VERIFY);
    assert_memory_equal(c, zero, PT_LEN);
    /* the untouched record still opens */
    assert_int_equal(nvt_crypto_seal_open(&k, ad, sizeof(ad), sealed, PT_LEN, nonce, tag), NVT_OK);
    assert_memory_equal(sealed, pt, PT_LEN);
}

static void an_empty_record_is_authenticated_too(void **state)
{
    (void)state;
    nvt_crypto_seal_keys_t k;
    uint8_t nonce[12], tag[16];
    assert_int_equal(nvt_crypto_seal_keys(secret, uid, sizeof(uid), &k), NVT_OK);
    assert_int_equal(nvt_crypto_seal(&k, ad, sizeof(ad), NULL, 0, nonce, tag), NVT_OK);
    /* the known answer: Poly1305 over the additional data alone */
    uint8_t want[16];
    hex(want, "992359129897af0260a1b43f", 12);
    assert_memory_equal(nonce, want, 12);
    hex(want, "b3d985c2e310d3e3c414f46bb9341775", 16);
    assert_memory_equal(tag, want, 16);
    assert_int_equal(nvt_crypto_seal_open(&k, ad, sizeof(ad), NULL, 0, nonce, tag), NVT_OK);
    tag[0] ^= 1;
    assert_int_equal(nvt_crypto_seal_open(&k, ad, sizeof(ad), NULL, 0, nonce, tag), NVT_E_VERIFY);
    assert_int_equal(nvt_crypto_seal(NULL, ad, sizeof(ad), NULL, 0, nonce, tag), NVT_E_INVALID);
    assert_int_equal(nvt_crypto_seal(&k, NULL, 3, NULL, 0, nonce, tag), NVT_E_INVALID);
}

#endif /* NVT_CONFIG_TOKEN_SEAL */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(derivations_match_rfc_5869),
        cmocka_unit_test(derivations_refuse_bad_arguments),
#if NVT_CONFIG_TOKEN_SEAL
        cmocka_unit_test(a_record_seals_to_the_known_answer_and_opens),
        cmocka_unit_test(a_long_record_seals_to_the_known_answer_and_opens),
        cmocka_unit_test(the_nonce_follows_the_data_and_nothing_else),
        cmocka_unit_test(nothing_but_the_exact_record_opens),
        cmocka_unit_test(an_empty_record_is_authenticated_too),
#endif
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
