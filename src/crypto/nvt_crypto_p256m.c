/* The crypto layer without PSA's key store (NVT_CONFIG_CRYPTO_PSA 0): for
 * a build whose only public-key work is ECDSA and key generation on P-256,
 * p256-m's own functions, mbedTLS's SHA-256, the entropy pool and an
 * HMAC_DRBG, and of PSA only the call p256-m draws random numbers from.
 * PSA's key attributes, policies, slots, import and export and its driver
 * and hash dispatch (6.3 kB on Cortex-M4) stay out of the image. See
 * nvt_crypto.h for each function; the returns are those of the PSA build
 * (nvt_crypto.c, nvt_crypto_key.c, nvt_crypto_asym.c), so the token cannot
 * tell them apart.
 *
 * Keys: a loaded key is a slot of the table below, holding a key pair's
 * private value or a public key's point. A key pair's point is not kept:
 * signing needs only the private value, so a load is a range check (as
 * p256-m's PSA driver does), and a key pair that verifies (PSA allows it;
 * the token verifies with public keys) computes its point each time. */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include "nvtoken/config.h"

#if !NVT_CONFIG_CRYPTO_PSA

#include <string.h>

#include <mbedtls/entropy.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "p256-m.h"

_Static_assert(sizeof(mbedtls_sha256_context) <= NVT_CRYPTO_HASH_CTX_SIZE,
               "NVT_CRYPTO_HASH_CTX_SIZE is smaller than mbedtls_sha256_context");

#define P256_BYTES 32u
#define P256_SIG_BYTES 64u

/* Keys loaded at once: as many as PSA's slots in the PSA build
 * (src/crypto/config/mbedtls_target.h) - the key cache's, one per
 * operation in progress, and a check. */
#define KEY_SLOTS (NVT_CONFIG_TOKEN_KEY_CACHE + 4)

typedef struct p256_key {
    uint8_t kind;                  /* 0 free; NVT_CRYPTO_KEY_EC_PAIR or NVT_CRYPTO_KEY_EC_PUBLIC */
    uint8_t value[2 * P256_BYTES]; /* pair: d (32 bytes); public: X || Y */
} p256_key_t;

static p256_key_t keys[KEY_SLOTS];

/* ------------------------------------------------------------------------
 * The generator: the entropy pool (the TRNG and/or the NV seed, as
 * configured) feeding an HMAC_DRBG over SHA-256, the token's own. It is
 * also PSA's (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG, src/crypto/config/), which
 * p256-m draws its key pairs and signature nonces from (mbedTLS's
 * p256-m.c defines p256_generate_random over psa_generate_random).
 *
 * Hedged nonces. Without a TRNG the generator's state is a function of
 * the NV seed, and a flash restored to an earlier image (a rollback, a
 * reflashed backup) restores the seed: the generator would repeat its
 * output, and two signatures of different hashes with one nonce give the
 * private key away. Before each signature the DRBG is therefore updated
 * with the private value and the hash (nvt_crypto_sign_hash), so the nonce
 * depends on both, as RFC 6979 makes it depend on them, and on the
 * generator's state besides: after a rollback a nonce repeats only with
 * the same key and hash, and then the signature repeats whole and gives
 * nothing away. (p256-m has no deterministic ECDSA to call instead.)
 * ---------------------------------------------------------------------- */

static mbedtls_entropy_context entropy;
static mbedtls_hmac_drbg_context drbg;
static int drbg_up;

static int drbg_err(int ret)
{
    return ret == 0                                             ? NVT_OK
           : ret == MBEDTLS_ERR_HMAC_DRBG_ENTROPY_SOURCE_FAILED ? NVT_E_ENTROPY
                                                                : NVT_E_CRYPTO;
}

int nvt_crypto_init(void)
{
    if (drbg_up) {
        return NVT_OK;
    }
    static const unsigned char pers[] = "nvtoken token generator";
    mbedtls_entropy_init(&entropy);
    mbedtls_hmac_drbg_init(&drbg);
    int rc = drbg_err(mbedtls_hmac_drbg_seed(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA256),
                                             mbedtls_entropy_func, &entropy, pers, sizeof(pers) - 1));
    if (rc == NVT_OK) {
        drbg_up = 1; /* before PSA starts: it may draw at once */
        rc = nvt_crypto_from_psa(psa_crypto_init());
    }
    if (rc != NVT_OK) {
        nvt_crypto_free();
    }
    return rc;
}

void nvt_crypto_free(void)
{
    mbedtls_psa_crypto_free();
    if (drbg_up) {
        mbedtls_hmac_drbg_free(&drbg); /* wipes the state */
        mbedtls_entropy_free(&entropy);
    }
    drbg_up = 0;
    mbedtls_platform_zeroize(keys, sizeof(keys));
}

int nvt_crypto_random(void *buf, size_t len)
{
    if (buf == NULL && len > 0) {
        return NVT_E_INVALID;
    }
    if (!drbg_up) {
        return NVT_E_CRYPTO;
    }
    unsigned char *p = buf;
    while (len > 0) {
        size_t n = len < MBEDTLS_HMAC_DRBG_MAX_REQUEST ? len : MBEDTLS_HMAC_DRBG_MAX_REQUEST;
        int rc = drbg_err(mbedtls_hmac_drbg_random(&drbg, p, n));
        if (rc != NVT_OK) {
            return rc;
        }
        p += n;
        len -= n;
    }
    return NVT_OK;
}

int nvt_crypto_random_seed(const void *data, size_t len)
{
    if (data == NULL && len > 0) {
        return NVT_E_INVALID;
    }
    return drbg_up ? NVT_E_UNSUPPORTED : NVT_E_CRYPTO;
}

/* PSA's generator (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG): the token's. */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context, uint8_t *output,
                                             size_t output_size, size_t *output_length)
{
    (void)context;
    int rc = nvt_crypto_random(output, output_size);
    *output_length = rc == NVT_OK ? output_size : 0;
    return rc == NVT_OK ? PSA_SUCCESS : rc == NVT_E_ENTROPY ? PSA_ERROR_INSUFFICIENT_ENTROPY : PSA_ERROR_BAD_STATE;
}

/* The hedge (above): the DRBG's state updated with the private value and
 * the input's SHA-256 before a signature draws its nonce. */
static int hedge(const uint8_t d[32], const uint8_t *h, size_t h_len)
{
    uint8_t in[64];
    memcpy(in, d, 32);
    int ret = mbedtls_sha256(h, h_len, in + 32, 0);
    if (ret == 0) {
        ret = mbedtls_hmac_drbg_update(&drbg, in, sizeof(in));
    }
    mbedtls_platform_zeroize(in, sizeof(in));
    return ret == 0 ? NVT_OK : NVT_E_CRYPTO;
}

/* ------------------------------------------------------------------------
 * Digests: SHA-256, the only one these profiles have
 * ---------------------------------------------------------------------- */

size_t nvt_crypto_hash_size(nvt_crypto_hash_alg_t alg)
{
    return alg == NVT_CRYPTO_SHA256 ? 32u : 0u;
}

static mbedtls_sha256_context *sha256_ctx(nvt_crypto_hash_t *h)
{
    return (mbedtls_sha256_context *)(void *)h->u.bytes;
}

int nvt_crypto_hash_setup(nvt_crypto_hash_t *h, nvt_crypto_hash_alg_t alg)
{
    if (h == NULL) {
        return NVT_E_INVALID;
    }
    if (alg != NVT_CRYPTO_SHA256) {
        return NVT_E_UNSUPPORTED;
    }
    memset(h, 0, sizeof(*h));
    mbedtls_sha256_init(sha256_ctx(h));
    h->alg = (uint32_t)alg;
    if (mbedtls_sha256_starts(sha256_ctx(h), 0) != 0) {
        nvt_crypto_hash_abort(h);
        return NVT_E_CRYPTO;
    }
    return NVT_OK;
}

int nvt_crypto_hash_update(nvt_crypto_hash_t *h, const void *data, size_t len)
{
    if (h == NULL || (data == NULL && len > 0)) {
        return NVT_E_INVALID;
    }
    if (h->alg != NVT_CRYPTO_SHA256 || mbedtls_sha256_update(sha256_ctx(h), data, len) != 0) {
        nvt_crypto_hash_abort(h);
        return NVT_E_CRYPTO;
    }
    return NVT_OK;
}

int nvt_crypto_hash_finish(nvt_crypto_hash_t *h, void *out, size_t out_size, size_t *out_len)
{
    if (h == NULL || out == NULL || out_len == NULL || h->alg != NVT_CRYPTO_SHA256) {
        return NVT_E_INVALID;
    }
    if (out_size < 32u) {
        *out_len = 32u;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    int rc = mbedtls_sha256_finish(sha256_ctx(h), out) == 0 ? NVT_OK : NVT_E_CRYPTO;
    *out_len = rc == NVT_OK ? 32u : 0u;
    nvt_crypto_hash_abort(h);
    return rc;
}

void nvt_crypto_hash_abort(nvt_crypto_hash_t *h)
{
    if (h != NULL) {
        mbedtls_platform_zeroize(h, sizeof(*h)); /* the whole state: no other resource */
    }
}

/* ------------------------------------------------------------------------
 * Keys
 * ---------------------------------------------------------------------- */

/* The loaded key named key, or NULL. */
static p256_key_t *key_at(nvt_crypto_key_t key)
{
    return key >= 1 && key <= KEY_SLOTS && keys[key - 1].kind != 0 ? &keys[key - 1] : NULL;
}

/* The material's P-256 key into k: a private value (leading zero bytes
 * allowed) in [1, n-1], or an uncompressed point on the curve. */
static int material_read(const nvt_crypto_key_material_t *m, p256_key_t *k)
{
    const nvt_crypto_span_t *v = &m->v[0];
    if (m->type != NVT_CRYPTO_KEY_EC_PAIR && m->type != NVT_CRYPTO_KEY_EC_PUBLIC) {
        return NVT_E_INVALID;
    }
    if (m->curve != NVT_CRYPTO_CURVE_P256) {
        return NVT_E_UNSUPPORTED;
    }
    if (v->p == NULL || v->len == 0) {
        return NVT_E_INVALID;
    }
    if (m->type == NVT_CRYPTO_KEY_EC_PUBLIC) {
        if (v->len != 1 + 2 * P256_BYTES || v->p[0] != 0x04) {
            return NVT_E_INVALID;
        }
        memcpy(k->value, v->p + 1, sizeof(k->value));
        return p256_validate_pubkey(k->value) == P256_SUCCESS ? NVT_OK : NVT_E_INVALID;
    }
    size_t skip = 0;
    while (skip < v->len && v->p[skip] == 0) {
        skip++;
    }
    size_t len = v->len - skip;
    if (len == 0 || len > P256_BYTES) {
        return NVT_E_INVALID;
    }
    memcpy(k->value + P256_BYTES - len, v->p + skip, len);
    return p256_validate_privkey(k->value) == P256_SUCCESS ? NVT_OK : NVT_E_INVALID;
}

int nvt_crypto_key_load(const nvt_crypto_key_material_t *m, nvt_crypto_use_t use, nvt_crypto_key_t *key,
                        size_t *bits)
{
    if (m == NULL || key == NULL) {
        return NVT_E_INVALID;
    }
    *key = 0;
    if (use != NVT_CRYPTO_USE_EC) {
        /* A loan is PSA's; every other use is another family's. */
        return nvt_crypto_use_is_lent(use) ? NVT_E_UNSUPPORTED : NVT_E_INVALID;
    }
    size_t i = 0;
    while (i < KEY_SLOTS && keys[i].kind != 0) {
        i++;
    }
    p256_key_t k;
    memset(&k, 0, sizeof(k));
    int rc = material_read(m, &k);
    if (rc == NVT_OK && i == KEY_SLOTS) {
        rc = NVT_E_CRYPTO; /* no free slot, as PSA answers */
    }
    if (rc == NVT_OK) {
        k.kind = (uint8_t)m->type;
        keys[i] = k;
        *key = (nvt_crypto_key_t)(i + 1);
        if (bits != NULL) {
            *bits = 256;
        }
    }
    mbedtls_platform_zeroize(&k, sizeof(k));
    return rc;
}

void nvt_crypto_key_unload(nvt_crypto_key_t key)
{
    p256_key_t *k = key_at(key);
    if (k != NULL) {
        mbedtls_platform_zeroize(k, sizeof(*k));
    }
}

int nvt_crypto_key_check(const nvt_crypto_key_material_t *m, size_t *bits)
{
    nvt_crypto_key_t key = 0;
    int rc = nvt_crypto_key_load(m, NVT_CRYPTO_USE_EC, &key, bits);
    nvt_crypto_key_unload(key);
    return rc;
}

/* ------------------------------------------------------------------------
 * ECDSA and key generation
 * ---------------------------------------------------------------------- */

static int p256_err(int ret)
{
    switch (ret) {
    case P256_SUCCESS: return NVT_OK;
    case P256_RANDOM_FAILED: return NVT_E_ENTROPY;
    case P256_INVALID_SIGNATURE: return NVT_E_VERIFY;
    default: return NVT_E_INVALID;
    }
}

/* The checks signing and verifying share: the scheme ECDSA over a raw
 * value or a SHA-256 hash (either is used as ECDSA says, its leftmost 256
 * bits), and a loaded key (*k). */
static int ecdsa_args(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, p256_key_t **k)
{
    if (sig != NVT_CRYPTO_SIG_ECDSA || (hash != NVT_CRYPTO_HASH_NONE && hash != NVT_CRYPTO_SHA256)) {
        return NVT_E_UNSUPPORTED;
    }
    *k = key_at(key);
    return *k != NULL ? NVT_OK : NVT_E_INVALID;
}

int nvt_crypto_sign_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                         size_t h_len, uint8_t *out, size_t out_size, size_t *out_len)
{
    static const uint8_t none = 0;
    if ((h == NULL && h_len > 0) || out == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    p256_key_t *k = NULL;
    int rc = ecdsa_args(key, sig, hash, &k);
    if (rc != NVT_OK) {
        return rc;
    }
    if (k->kind != NVT_CRYPTO_KEY_EC_PAIR) {
        return NVT_E_CRYPTO; /* a public key may not sign: PSA's "not permitted" */
    }
    if (out_size < P256_SIG_BYTES) {
        *out_len = P256_SIG_BYTES;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    const uint8_t *in = h != NULL ? h : &none;
    rc = drbg_up ? hedge(k->value, in, h_len) : NVT_E_CRYPTO;
    if (rc == NVT_OK) {
        rc = p256_err(p256_ecdsa_sign(out, k->value, in, h_len));
    }
    *out_len = rc == NVT_OK ? P256_SIG_BYTES : 0;
    return rc;
}

int nvt_crypto_verify_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                           size_t h_len, const uint8_t *s, size_t s_len)
{
    static const uint8_t none = 0;
    if ((h == NULL && h_len > 0) || (s == NULL && s_len > 0)) {
        return NVT_E_INVALID;
    }
    p256_key_t *k = NULL;
    int rc = ecdsa_args(key, sig, hash, &k);
    if (rc != NVT_OK) {
        return rc;
    }
    if (s_len != P256_SIG_BYTES) {
        return NVT_E_VERIFY;
    }
    uint8_t point[2 * P256_BYTES];
    const uint8_t *pub = k->value;
    if (k->kind == NVT_CRYPTO_KEY_EC_PAIR) {
        rc = p256_err(p256_public_from_private(point, k->value));
        pub = point;
    }
    if (rc == NVT_OK) {
        rc = p256_err(p256_ecdsa_verify(s, pub, h != NULL ? h : &none, h_len));
    }
    return rc;
}

#if NVT_CONFIG_MECH_EC_KEYGEN
int nvt_crypto_ec_generate(nvt_crypto_curve_t curve, uint8_t *d, size_t d_size, size_t *d_len, uint8_t *q,
                           size_t q_size, size_t *q_len)
{
    if (d == NULL || d_len == NULL || q == NULL || q_len == NULL) {
        return NVT_E_INVALID;
    }
    if (curve != NVT_CRYPTO_CURVE_P256) {
        return NVT_E_UNSUPPORTED;
    }
    if (d_size < P256_BYTES || q_size < 1 + 2 * P256_BYTES) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    int rc = p256_err(p256_gen_keypair(d, q + 1));
    if (rc != NVT_OK) {
        mbedtls_platform_zeroize(d, d_size);
        return rc == NVT_E_ENTROPY ? rc : NVT_E_CRYPTO;
    }
    q[0] = 0x04;
    *d_len = P256_BYTES;
    *q_len = 1 + 2 * P256_BYTES;
    return NVT_OK;
}
#endif

#else

/* ISO C wants something in every translation unit. */
typedef int nvt_crypto_p256m_off_t;

#endif /* !NVT_CONFIG_CRYPTO_PSA */
