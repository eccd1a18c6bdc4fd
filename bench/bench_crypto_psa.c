/* Baseline cryptography speed of this build's mbedTLS through PSA: the
 * figures later benchmarks compare the token's own paths against. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <psa/crypto.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs fn until at least min_s seconds have passed; returns operations/s. */
static double rate(int (*fn)(void *), void *arg, double min_s)
{
    long n = 0;
    double t0 = now(), t;
    do {
        if (fn(arg) != 0) {
            return -1.0;
        }
        n++;
        t = now();
    } while (t - t0 < min_s);
    return (double)n / (t - t0);
}

static int sha256_1k(void *arg)
{
    static unsigned char msg[1024];
    unsigned char out[32];
    size_t len;
    (void)arg;
    return psa_hash_compute(PSA_ALG_SHA_256, msg, sizeof(msg), out, sizeof(out), &len) == PSA_SUCCESS ? 0 : 1;
}

static int ecdsa_p256_sign(void *arg)
{
    mbedtls_svc_key_id_t key = *(mbedtls_svc_key_id_t *)arg;
    unsigned char hash[32] = { 1 }, sig[64];
    size_t len;
    return psa_sign_hash(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, sizeof(hash), sig, sizeof(sig), &len) ==
                   PSA_SUCCESS
               ? 0
               : 1;
}

int main(void)
{
    if (psa_crypto_init() != PSA_SUCCESS) {
        fprintf(stderr, "psa_crypto_init failed\n");
        return 1;
    }
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    mbedtls_svc_key_id_t key = MBEDTLS_SVC_KEY_ID_INIT;
    if (psa_generate_key(&attr, &key) != PSA_SUCCESS) {
        fprintf(stderr, "key generation failed\n");
        return 1;
    }
    double sha = rate(sha256_1k, NULL, 0.5);
    double sign = rate(ecdsa_p256_sign, &key, 1.0);
    printf("\nPSA Crypto baseline (mbedTLS, host profile)\n");
    printf("%-28s %14s\n", "operation", "ops/s");
    printf("%-28s %14.0f\n", "SHA-256, 1 KiB", sha);
    printf("%-28s %14.1f\n", "ECDSA P-256 sign (hash)", sign);
    psa_destroy_key(key);
    mbedtls_psa_crypto_free();
    return (sha < 0 || sign < 0) ? 1 : 0;
}
