/* The crypto layer over PSA Crypto (mbedTLS 3.6, NVT_CONFIG_CRYPTO_PSA):
 * life cycle, random numbers and digests; and in every build wiping, the
 * NV seed's size, the PSA status mapping and the one-shot digest (the build without PSA:
 * nvt_crypto_p256m.c). See nvt_crypto.h. */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/platform_util.h>
#include <psa/crypto.h>

#include "nvtoken/token.h"

void nvt_crypto_zeroize(void *buf, size_t len)
{
    if (buf != NULL) {
        mbedtls_platform_zeroize(buf, len);
    }
}

size_t nvt_crypto_nv_seed_size(void)
{
    return MBEDTLS_ENTROPY_BLOCK_SIZE;
}

int nvt_crypto_from_psa(psa_status_t st)
{
    switch (st) {
    case PSA_SUCCESS: return NVT_OK;
    case PSA_ERROR_INSUFFICIENT_ENTROPY: return NVT_E_ENTROPY;
    case PSA_ERROR_NOT_SUPPORTED: return NVT_E_UNSUPPORTED;
    case PSA_ERROR_INVALID_ARGUMENT: return NVT_E_INVALID;
    case PSA_ERROR_BUFFER_TOO_SMALL: return NVT_E_BUFFER_TOO_SMALL;
    case PSA_ERROR_INVALID_SIGNATURE:
    case PSA_ERROR_INVALID_PADDING: return NVT_E_VERIFY;
    default: return NVT_E_CRYPTO;
    }
}

#if NVT_TOKEN_HAS_DIGEST || NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_RSA
/* A one-shot digest, over either build's multi-part digest. */
int nvt_crypto_hash(nvt_crypto_hash_alg_t alg, const void *data, size_t len, void *out, size_t out_size,
                    size_t *out_len)
{
    nvt_crypto_hash_t h;
    int rc = nvt_crypto_hash_setup(&h, alg);
    if (rc == NVT_OK) {
        rc = nvt_crypto_hash_update(&h, data, len);
    }
    if (rc == NVT_OK) {
        rc = nvt_crypto_hash_finish(&h, out, out_size, out_len);
    }
    nvt_crypto_hash_abort(&h);
    return rc;
}
#endif

#if NVT_CONFIG_CRYPTO_PSA

_Static_assert(sizeof(psa_hash_operation_t) <= NVT_CRYPTO_HASH_CTX_SIZE,
               "NVT_CRYPTO_HASH_CTX_SIZE is smaller than psa_hash_operation_t");
_Static_assert(_Alignof(psa_hash_operation_t) <= _Alignof(nvt_crypto_hash_t),
               "nvt_crypto_hash_t is less aligned than psa_hash_operation_t");

#define from_psa nvt_crypto_from_psa

/* ------------------------------------------------------------------------
 * The token's generator: a CTR_DRBG over PSA's generator (nvt_crypto.h,
 * nvt_crypto_random), with NVT_CONFIG_TOKEN_SEED_RANDOM. PSA has no call
 * to add caller data to its generator; this DRBG's reseed with additional
 * input is C_SeedRandom. Without it, the token draws from PSA directly.
 * ---------------------------------------------------------------------- */

#if NVT_CONFIG_TOKEN_SEED_RANDOM
static mbedtls_ctr_drbg_context nvt_drbg;

/* The DRBG's entropy input: PSA's generator. */
static int drbg_entropy(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return psa_generate_random(out, len) == PSA_SUCCESS ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

static int drbg_err(int ret)
{
    return ret == 0 ? NVT_OK : ret == MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED ? NVT_E_ENTROPY : NVT_E_CRYPTO;
}
#endif
static int nvt_drbg_up; /* started: the DRBG, or PSA's generator alone */

/* Stop PSA, if it is nvtoken's alone (NVT_CONFIG_CRYPTO_PSA_SHARED 0);
 * a firmware that shares it stops it itself. The token's own keys are
 * destroyed by the layers above either way. */
static void stop_psa(void)
{
#if !NVT_CONFIG_CRYPTO_PSA_SHARED
    mbedtls_psa_crypto_free();
#endif
}

int nvt_crypto_init(void)
{
    if (nvt_drbg_up) {
        return NVT_OK;
    }
    int rc = from_psa(psa_crypto_init());
#if NVT_CONFIG_TOKEN_SEED_RANDOM
    if (rc == NVT_OK) {
        static const unsigned char pers[] = "nvtoken token generator";
        mbedtls_ctr_drbg_init(&nvt_drbg);
        rc = drbg_err(mbedtls_ctr_drbg_seed(&nvt_drbg, drbg_entropy, NULL, pers, sizeof(pers) - 1));
        if (rc != NVT_OK) {
            mbedtls_ctr_drbg_free(&nvt_drbg);
            stop_psa();
        }
    }
#endif
    nvt_drbg_up = rc == NVT_OK;
    return rc;
}

void nvt_crypto_free(void)
{
#if NVT_CONFIG_TOKEN_SEED_RANDOM
    if (nvt_drbg_up) {
        mbedtls_ctr_drbg_free(&nvt_drbg); /* wipes the state */
    }
#endif
    nvt_drbg_up = 0;
    stop_psa();
}

int nvt_crypto_random(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return NVT_E_INVALID;
    }
    if (!nvt_drbg_up) {
        return NVT_E_CRYPTO;
    }
#if NVT_CONFIG_TOKEN_SEED_RANDOM
    unsigned char *p = buf;
    while (len > 0) {
        size_t n = len < MBEDTLS_CTR_DRBG_MAX_REQUEST ? len : MBEDTLS_CTR_DRBG_MAX_REQUEST;
        int rc = drbg_err(mbedtls_ctr_drbg_random(&nvt_drbg, p, n));
        if (rc != NVT_OK) {
            return rc;
        }
        p += n;
        len -= n;
    }
    return NVT_OK;
#else
    return from_psa(psa_generate_random(buf, len));
#endif
}

int nvt_crypto_random_seed(const void *data, size_t len)
{
    if (data == NULL && len > 0) {
        return NVT_E_INVALID;
    }
    if (!nvt_drbg_up) {
        return NVT_E_CRYPTO;
    }
#if NVT_CONFIG_TOKEN_SEED_RANDOM
    /* Each reseed takes fresh entropy plus up to this much caller data. */
    const size_t piece = MBEDTLS_CTR_DRBG_MAX_SEED_INPUT - MBEDTLS_CTR_DRBG_ENTROPY_LEN;
    const unsigned char *p = data;
    do {
        size_t n = len < piece ? len : piece;
        int rc = drbg_err(mbedtls_ctr_drbg_reseed(&nvt_drbg, p, n));
        if (rc != NVT_OK) {
            return rc;
        }
        p += n;
        len -= n;
    } while (len > 0);
    return NVT_OK;
#else
    return NVT_E_UNSUPPORTED;
#endif
}

psa_algorithm_t nvt_crypto_psa_hash(nvt_crypto_hash_alg_t alg)
{
    switch (alg) {
#if defined(PSA_WANT_ALG_SHA_1)
    case NVT_CRYPTO_SHA1: return PSA_ALG_SHA_1;
#endif
    case NVT_CRYPTO_SHA256: return PSA_ALG_SHA_256;
#if defined(PSA_WANT_ALG_SHA_512)
    case NVT_CRYPTO_SHA384: return PSA_ALG_SHA_384;
    case NVT_CRYPTO_SHA512: return PSA_ALG_SHA_512;
#endif
    default: return PSA_ALG_NONE;
    }
}

#if NVT_TOKEN_HAS_DIGEST || NVT_CONFIG_MECH_ECDSA || NVT_CONFIG_MECH_RSA
size_t nvt_crypto_hash_size(nvt_crypto_hash_alg_t alg)
{
    psa_algorithm_t a = nvt_crypto_psa_hash(alg);
    return a == PSA_ALG_NONE ? 0 : PSA_HASH_LENGTH(a);
}

static psa_hash_operation_t *hash_op(nvt_crypto_hash_t *h)
{
    return (psa_hash_operation_t *)(void *)h->u.bytes;
}

int nvt_crypto_hash_setup(nvt_crypto_hash_t *h, nvt_crypto_hash_alg_t alg)
{
    if (h == NULL) {
        return NVT_E_INVALID;
    }
    psa_algorithm_t a = nvt_crypto_psa_hash(alg);
    if (a == PSA_ALG_NONE) {
        return NVT_E_UNSUPPORTED;
    }
    memset(h, 0, sizeof(*h));
    psa_hash_operation_t *op = hash_op(h);
    *op = psa_hash_operation_init();
    int rc = from_psa(psa_hash_setup(op, a));
    h->alg = (uint32_t)alg;
    if (rc != NVT_OK) {
        nvt_crypto_hash_abort(h);
    }
    return rc;
}

int nvt_crypto_hash_update(nvt_crypto_hash_t *h, const void *data, size_t len)
{
    if (h == NULL || (data == NULL && len > 0)) {
        return NVT_E_INVALID;
    }
    int rc = from_psa(psa_hash_update(hash_op(h), data, len));
    if (rc != NVT_OK) {
        nvt_crypto_hash_abort(h);
    }
    return rc;
}

int nvt_crypto_hash_finish(nvt_crypto_hash_t *h, void *out, size_t out_size, size_t *out_len)
{
    if (h == NULL || out == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    /* PSA aborts on a short buffer; check first so the caller may retry. */
    size_t need = nvt_crypto_hash_size((nvt_crypto_hash_alg_t)h->alg);
    if (need == 0) {
        return NVT_E_INVALID;
    }
    if (out_size < need) {
        *out_len = need;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    int rc = from_psa(psa_hash_finish(hash_op(h), out, out_size, out_len));
    nvt_crypto_hash_abort(h);
    return rc;
}

void nvt_crypto_hash_abort(nvt_crypto_hash_t *h)
{
    if (h != NULL) {
        (void)psa_hash_abort(hash_op(h));
        mbedtls_platform_zeroize(h, sizeof(*h));
    }
}

#endif

#endif /* NVT_CONFIG_CRYPTO_PSA */
