/* PBKDF2-HMAC-SHA-256 (RFC 8018, RFC 2104) for PIN verifiers, over
 * mbedTLS's SHA-256 (with and without PSA). See nvt_crypto.h.
 *
 * HMAC's key schedule - the hash states after the key XOR ipad and the key
 * XOR opad - is computed once and cloned for every HMAC of the iterations,
 * so an iteration costs two SHA-256 compressions. PSA's own PBKDF2 sets the
 * key up again in each iteration (four compressions), and needs PSA's key
 * derivation and MAC code, which a profile without HMAC mechanisms then
 * leaves out. */
#include "nvt_crypto.h"

#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#define SHA256_BLOCK 64u
#define SHA256_LEN 32u

/* The keyed HMAC: the inner and outer hash states after their key block. */
typedef struct hmac_key {
    mbedtls_sha256_context inner;
    mbedtls_sha256_context outer;
} hmac_key_t;

static int hmac_setup(hmac_key_t *k, const uint8_t *key, size_t len)
{
    uint8_t block[SHA256_BLOCK], hashed[SHA256_LEN];
    int ret = 0;
    mbedtls_sha256_init(&k->inner);
    mbedtls_sha256_init(&k->outer);
    if (len > SHA256_BLOCK) { /* a long key is hashed first */
        ret = mbedtls_sha256(key, len, hashed, 0);
        key = hashed;
        len = SHA256_LEN;
    }
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        block[i] = (uint8_t)((i < len ? key[i] : 0u) ^ 0x36u);
    }
    if (ret == 0) {
        ret = mbedtls_sha256_starts(&k->inner, 0);
    }
    if (ret == 0) {
        ret = mbedtls_sha256_update(&k->inner, block, sizeof(block));
    }
    for (size_t i = 0; i < SHA256_BLOCK; i++) {
        block[i] ^= 0x36u ^ 0x5cu;
    }
    if (ret == 0) {
        ret = mbedtls_sha256_starts(&k->outer, 0);
    }
    if (ret == 0) {
        ret = mbedtls_sha256_update(&k->outer, block, sizeof(block));
    }
    mbedtls_platform_zeroize(block, sizeof(block));
    mbedtls_platform_zeroize(hashed, sizeof(hashed));
    return ret;
}

static void hmac_free(hmac_key_t *k)
{
    mbedtls_sha256_free(&k->inner); /* wipes the state */
    mbedtls_sha256_free(&k->outer);
}

/* out = HMAC(key, m1 || m2): one copy of each state. */
static int hmac(const hmac_key_t *k, const uint8_t *m1, size_t n1, const uint8_t *m2, size_t n2,
                uint8_t out[SHA256_LEN])
{
    mbedtls_sha256_context h;
    mbedtls_sha256_init(&h);
    mbedtls_sha256_clone(&h, &k->inner);
    int ret = mbedtls_sha256_update(&h, m1, n1);
    if (ret == 0) {
        ret = mbedtls_sha256_update(&h, m2, n2);
    }
    if (ret == 0) {
        ret = mbedtls_sha256_finish(&h, out);
    }
    mbedtls_sha256_clone(&h, &k->outer);
    if (ret == 0) {
        ret = mbedtls_sha256_update(&h, out, SHA256_LEN);
    }
    if (ret == 0) {
        ret = mbedtls_sha256_finish(&h, out);
    }
    mbedtls_sha256_free(&h);
    return ret;
}

int nvt_crypto_pbkdf2_sha256(const void *pw, size_t pw_len, const void *salt, size_t salt_len,
                             uint32_t iterations, void *out, size_t out_len)
{
    if ((pw == NULL && pw_len > 0) || (salt == NULL && salt_len > 0) || out == NULL || iterations == 0) {
        return NVT_E_INVALID;
    }
    static const uint8_t none = 0;
    hmac_key_t k;
    uint8_t u[SHA256_LEN], t[SHA256_LEN], counter[4];
    uint8_t *o = out;
    int st = hmac_setup(&k, pw_len > 0 ? pw : &none, pw_len);
    /* T_b = U_1 ^ ... ^ U_c, U_1 = HMAC(P, S || INT(b)), U_i = HMAC(P, U_i-1) */
    for (uint32_t b = 1; st == 0 && out_len > 0; b++) {
        counter[0] = (uint8_t)(b >> 24);
        counter[1] = (uint8_t)(b >> 16);
        counter[2] = (uint8_t)(b >> 8);
        counter[3] = (uint8_t)b;
        st = hmac(&k, salt_len > 0 ? salt : &none, salt_len, counter, sizeof(counter), u);
        memcpy(t, u, sizeof(t));
        for (uint32_t i = 1; st == 0 && i < iterations; i++) {
            st = hmac(&k, u, sizeof(u), &none, 0, u);
            for (size_t j = 0; j < sizeof(t); j++) {
                t[j] ^= u[j];
            }
        }
        size_t n = out_len < sizeof(t) ? out_len : sizeof(t);
        memcpy(o, t, n);
        o += n;
        out_len -= n;
    }
    hmac_free(&k);
    mbedtls_platform_zeroize(u, sizeof(u));
    mbedtls_platform_zeroize(t, sizeof(t));
    if (st != 0) {
        mbedtls_platform_zeroize(out, (size_t)(o - (uint8_t *)out) + out_len);
    }
    return st == 0 ? NVT_OK : NVT_E_CRYPTO;
}
