/* Symmetric operations on loaded keys: MACs (HMAC, CMAC), AES modes (and
 * triple-DES's, NVT_CONFIG_MECH_LEGACY) and AES-GCM through PSA's
 * multi-part API; AES key wrap through mbedTLS's
 * NIST_KW module (PSA 3.6 has none). See nvt_crypto.h.
 *
 * PSA asks for output buffers sized by its own bounds (a block more than a
 * call can produce); PKCS#11 gives exact ones. Updates therefore run
 * through a small bounce buffer here, in pieces, and hand the caller
 * exactly what was produced. */
#include "nvt_crypto.h"
#include "nvt_crypto_internal.h"

#include <string.h>

#include <mbedtls/nist_kw.h>
#include <mbedtls/platform.h>
#include <mbedtls/platform_util.h>

#include "nvt_ct.h"

#define from_psa nvt_crypto_from_psa

_Static_assert(sizeof(psa_mac_operation_t) <= NVT_CRYPTO_MAC_CTX_SIZE,
               "NVT_CRYPTO_MAC_CTX_SIZE is smaller than psa_mac_operation_t");
_Static_assert(sizeof(psa_cipher_operation_t) <= NVT_CRYPTO_CIPHER_CTX_SIZE,
               "NVT_CRYPTO_CIPHER_CTX_SIZE is smaller than psa_cipher_operation_t");
_Static_assert(sizeof(psa_aead_operation_t) <= NVT_CRYPTO_AEAD_CTX_SIZE,
               "NVT_CRYPTO_AEAD_CTX_SIZE is smaller than psa_aead_operation_t");
_Static_assert(_Alignof(psa_mac_operation_t) <= _Alignof(nvt_crypto_mac_t), "nvt_crypto_mac_t alignment");
_Static_assert(_Alignof(psa_cipher_operation_t) <= _Alignof(nvt_crypto_cipher_t), "nvt_crypto_cipher_t alignment");
_Static_assert(_Alignof(psa_aead_operation_t) <= _Alignof(nvt_crypto_aead_t), "nvt_crypto_aead_t alignment");

/* Bytes an update pushes through PSA at once (plus a block of room). */
#define PIECE 256u
#define BLOCK 16u

/* ------------------------------------------------------------------------
 * MACs
 * ---------------------------------------------------------------------- */

static psa_mac_operation_t *mac_op(nvt_crypto_mac_t *m)
{
    return (psa_mac_operation_t *)(void *)m->u.bytes;
}

static psa_algorithm_t mac_alg(nvt_crypto_mac_alg_t alg)
{
    switch (alg) {
    case NVT_CRYPTO_HMAC_SHA256: return PSA_ALG_HMAC(PSA_ALG_SHA_256);
    case NVT_CRYPTO_HMAC_SHA384: return PSA_ALG_HMAC(PSA_ALG_SHA_384);
    case NVT_CRYPTO_HMAC_SHA512: return PSA_ALG_HMAC(PSA_ALG_SHA_512);
    case NVT_CRYPTO_CMAC_AES: return PSA_ALG_CMAC;
    default: return PSA_ALG_NONE;
    }
}

size_t nvt_crypto_mac_size(nvt_crypto_mac_alg_t alg)
{
    switch (alg) {
    case NVT_CRYPTO_HMAC_SHA256: return 32;
    case NVT_CRYPTO_HMAC_SHA384: return 48;
    case NVT_CRYPTO_HMAC_SHA512: return 64;
    case NVT_CRYPTO_CMAC_AES: return 16;
    default: return 0;
    }
}

int nvt_crypto_mac_setup(nvt_crypto_mac_t *m, nvt_crypto_key_t key, nvt_crypto_mac_alg_t alg, int verify)
{
    if (m == NULL || mac_alg(alg) == PSA_ALG_NONE) {
        return NVT_E_INVALID;
    }
    memset(m, 0, sizeof(*m));
    *mac_op(m) = psa_mac_operation_init();
    psa_status_t st = verify ? psa_mac_verify_setup(mac_op(m), key, mac_alg(alg))
                             : psa_mac_sign_setup(mac_op(m), key, mac_alg(alg));
    if (st != PSA_SUCCESS) {
        nvt_crypto_mac_abort(m);
        return st == PSA_ERROR_NOT_PERMITTED ? NVT_E_INVALID : from_psa(st);
    }
    m->alg = (uint8_t)alg;
    m->verify = (uint8_t)(verify != 0);
    return NVT_OK;
}

int nvt_crypto_mac_update(nvt_crypto_mac_t *m, const void *data, size_t len)
{
    if (m == NULL || m->alg == 0 || (data == NULL && len > 0)) {
        return NVT_E_INVALID;
    }
    int rc = from_psa(psa_mac_update(mac_op(m), data, len));
    if (rc != NVT_OK) {
        nvt_crypto_mac_abort(m);
    }
    return rc;
}

int nvt_crypto_mac_sign_finish(nvt_crypto_mac_t *m, uint8_t *out, size_t out_size, size_t *out_len)
{
    if (m == NULL || m->alg == 0 || m->verify || out == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    size_t need = nvt_crypto_mac_size((nvt_crypto_mac_alg_t)m->alg);
    if (out_size < need) {
        *out_len = need; /* PSA would end the operation: check first */
        return NVT_E_BUFFER_TOO_SMALL;
    }
    int rc = from_psa(psa_mac_sign_finish(mac_op(m), out, out_size, out_len));
    nvt_crypto_mac_abort(m);
    return rc;
}

int nvt_crypto_mac_verify_finish(nvt_crypto_mac_t *m, const uint8_t *mac, size_t mac_len)
{
    if (m == NULL || m->alg == 0 || !m->verify || (mac == NULL && mac_len > 0)) {
        return NVT_E_INVALID;
    }
    /* PSA compares in constant time. */
    int rc = from_psa(psa_mac_verify_finish(mac_op(m), mac, mac_len));
    nvt_crypto_mac_abort(m);
    return rc;
}

void nvt_crypto_mac_abort(nvt_crypto_mac_t *m)
{
    if (m != NULL) {
        (void)psa_mac_abort(mac_op(m));
        mbedtls_platform_zeroize(m, sizeof(*m));
    }
}

/* ------------------------------------------------------------------------
 * Block cipher modes: AES, and triple-DES (NVT_CONFIG_MECH_LEGACY)
 * ---------------------------------------------------------------------- */

static psa_cipher_operation_t *cipher_op(nvt_crypto_cipher_t *c)
{
    return (psa_cipher_operation_t *)(void *)c->u.bytes;
}

static int block_mode(const nvt_crypto_cipher_t *c)
{
    return c->mode != NVT_CRYPTO_AES_CTR;
}

int nvt_crypto_cipher_setup(nvt_crypto_cipher_t *c, nvt_crypto_cipher_mode_t mode, int encrypt, nvt_crypto_key_t key,
                            const uint8_t *iv, size_t iv_len)
{
    psa_algorithm_t alg;
    uint8_t block = BLOCK;
    switch (mode) {
    case NVT_CRYPTO_AES_ECB: alg = PSA_ALG_ECB_NO_PADDING; break;
    case NVT_CRYPTO_AES_CBC: alg = PSA_ALG_CBC_NO_PADDING; break;
    case NVT_CRYPTO_AES_CBC_PAD: alg = PSA_ALG_CBC_PKCS7; break;
    case NVT_CRYPTO_AES_CTR: alg = PSA_ALG_CTR; break;
#if NVT_CONFIG_MECH_LEGACY
    case NVT_CRYPTO_DES3_ECB: alg = PSA_ALG_ECB_NO_PADDING, block = 8; break;
    case NVT_CRYPTO_DES3_CBC: alg = PSA_ALG_CBC_NO_PADDING, block = 8; break;
    case NVT_CRYPTO_DES3_CBC_PAD: alg = PSA_ALG_CBC_PKCS7, block = 8; break;
#endif
    default: return NVT_E_INVALID;
    }
    const int ecb = alg == PSA_ALG_ECB_NO_PADDING;
    if (c == NULL || (ecb ? iv_len != 0 : iv == NULL || iv_len != block)) {
        return NVT_E_INVALID;
    }
    memset(c, 0, sizeof(*c));
    *cipher_op(c) = psa_cipher_operation_init();
    psa_status_t st = encrypt ? psa_cipher_encrypt_setup(cipher_op(c), key, alg)
                              : psa_cipher_decrypt_setup(cipher_op(c), key, alg);
    if (st == PSA_SUCCESS && !ecb) {
        st = psa_cipher_set_iv(cipher_op(c), iv, iv_len);
    }
    if (st != PSA_SUCCESS) {
        nvt_crypto_cipher_abort(c);
        return st == PSA_ERROR_NOT_PERMITTED ? NVT_E_INVALID : from_psa(st);
    }
    c->mode = (uint8_t)mode;
    c->block = block;
    c->pad = alg == PSA_ALG_CBC_PKCS7;
    c->encrypt = (uint8_t)(encrypt != 0);
    return NVT_OK;
}

size_t nvt_crypto_cipher_update_len(const nvt_crypto_cipher_t *c, size_t in_len)
{
    if (!block_mode(c)) {
        return in_len;
    }
    size_t total = c->pending + in_len;
    if (c->pad && !c->encrypt && total > 0) {
        /* Decryption keeps the last whole block back: it holds the padding. */
        return (total - 1) / c->block * c->block;
    }
    return total / c->block * c->block;
}

size_t nvt_crypto_cipher_finish_len(const nvt_crypto_cipher_t *c)
{
    if (c->done) {
        return c->tail_len;
    }
    if (c->pad) {
        return c->encrypt ? c->block : (c->pending == c->block ? c->block - 1u : 0u);
    }
    return 0;
}

int nvt_crypto_cipher_update(nvt_crypto_cipher_t *c, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                             size_t *out_len)
{
    if (c == NULL || c->mode == 0 || c->done || (in == NULL && in_len > 0) || out_len == NULL) {
        return NVT_E_INVALID;
    }
    size_t need = nvt_crypto_cipher_update_len(c, in_len);
    if (out_size < need || (out == NULL && need > 0)) {
        *out_len = need;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    uint8_t bounce[PIECE + BLOCK];
    size_t done = 0, made = 0;
    int rc = NVT_OK;
    while (done < in_len && rc == NVT_OK) {
        size_t n = in_len - done < PIECE ? in_len - done : PIECE;
        size_t got = 0;
        rc = from_psa(psa_cipher_update(cipher_op(c), in + done, n, bounce, sizeof(bounce), &got));
        if (rc == NVT_OK && made + got <= need) {
            if (got > 0) {
                memcpy(out + made, bounce, got);
            }
            made += got;
            done += n;
        } else if (rc == NVT_OK) {
            rc = NVT_E_CRYPTO; /* PSA produced more than the mode allows */
        }
        if (block_mode(c) && rc == NVT_OK) {
            c->pending = (uint8_t)((c->pending + n) % c->block);
            if (c->pad && !c->encrypt && c->pending == 0) {
                c->pending = c->block; /* a whole block held back */
            }
        }
    }
    mbedtls_platform_zeroize(bounce, sizeof(bounce));
    if (rc == NVT_OK && made != need) {
        rc = NVT_E_CRYPTO;
    }
    if (rc != NVT_OK) {
        nvt_crypto_cipher_abort(c);
        return rc;
    }
    *out_len = made;
    return NVT_OK;
}

int nvt_crypto_cipher_finish(nvt_crypto_cipher_t *c, uint8_t *out, size_t out_size, size_t *out_len)
{
    if (c == NULL || c->mode == 0 || out_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    if (!c->done) {
        if (block_mode(c) && !c->pad && c->pending != 0) {
            nvt_crypto_cipher_abort(c);
            return NVT_E_INVALID; /* not a whole number of blocks */
        }
        if (c->pad && !c->encrypt && c->pending != c->block) {
            nvt_crypto_cipher_abort(c);
            return NVT_E_INVALID;
        }
        if (c->pad && c->encrypt && out_size < c->block) {
            *out_len = c->block; /* exact: padding makes a whole block */
            return NVT_E_BUFFER_TOO_SMALL;
        }
        /* Finish into our own block: a padded decryption's length is
         * known only now, and may not fit the caller's buffer. */
        uint8_t last[BLOCK];
        size_t got = 0;
        int rc = from_psa(psa_cipher_finish(cipher_op(c), last, sizeof(last), &got));
        (void)psa_cipher_abort(cipher_op(c));
        if (rc == NVT_E_INVALID && c->pad && !c->encrypt) {
            rc = NVT_E_VERIFY;
        }
        if (rc != NVT_OK) {
            mbedtls_platform_zeroize(last, sizeof(last));
            nvt_crypto_cipher_abort(c);
            return rc;
        }
        memcpy(c->tail, last, got);
        c->tail_len = (uint8_t)got;
        c->done = 1;
        mbedtls_platform_zeroize(last, sizeof(last));
    }
    if (out_size < c->tail_len) {
        *out_len = c->tail_len;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    if (c->tail_len > 0) {
        memcpy(out, c->tail, c->tail_len);
    }
    *out_len = c->tail_len;
    nvt_crypto_cipher_abort(c);
    return NVT_OK;
}

void nvt_crypto_cipher_abort(nvt_crypto_cipher_t *c)
{
    if (c != NULL) {
        (void)psa_cipher_abort(cipher_op(c));
        mbedtls_platform_zeroize(c, sizeof(*c));
    }
}

/* ------------------------------------------------------------------------
 * AES-GCM
 * ---------------------------------------------------------------------- */

static psa_aead_operation_t *aead_op(nvt_crypto_aead_t *a)
{
    return (psa_aead_operation_t *)(void *)a->u.bytes;
}

int nvt_crypto_aead_setup(nvt_crypto_aead_t *a, int encrypt, nvt_crypto_key_t key, const uint8_t *iv, size_t iv_len,
                          const uint8_t *aad, size_t aad_len, size_t tag_len)
{
    if (a == NULL || iv == NULL || iv_len == 0 || (aad == NULL && aad_len > 0) ||
        !(tag_len == 4 || tag_len == 8 || (tag_len >= 12 && tag_len <= 16))) {
        return NVT_E_INVALID;
    }
    memset(a, 0, sizeof(*a));
    *aead_op(a) = psa_aead_operation_init();
    psa_algorithm_t alg = PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_GCM, tag_len);
    psa_status_t st = encrypt ? psa_aead_encrypt_setup(aead_op(a), key, alg)
                              : psa_aead_decrypt_setup(aead_op(a), key, alg);
    if (st == PSA_SUCCESS) {
        st = psa_aead_set_nonce(aead_op(a), iv, iv_len);
    }
    if (st == PSA_SUCCESS && aad_len > 0) {
        st = psa_aead_update_ad(aead_op(a), aad, aad_len);
    }
    if (st != PSA_SUCCESS) {
        nvt_crypto_aead_abort(a);
        return st == PSA_ERROR_NOT_PERMITTED ? NVT_E_INVALID : from_psa(st);
    }
    a->active = 1;
    a->encrypt = (uint8_t)(encrypt != 0);
    a->tag_len = (uint8_t)tag_len;
    return NVT_OK;
}

size_t nvt_crypto_aead_update_len(const nvt_crypto_aead_t *a, size_t in_len)
{
    return a->encrypt ? in_len : 0;
}

size_t nvt_crypto_aead_finish_len(const nvt_crypto_aead_t *a)
{
    if (a->encrypt) {
        return a->tag_len;
    }
    return a->len > a->tag_len ? a->len - a->tag_len : 0;
}

/* Run in through psa_aead_update in pieces; exactly in_len bytes out (GCM
 * is a stream mode in mbedTLS). */
static int aead_stream(nvt_crypto_aead_t *a, const uint8_t *in, size_t in_len, uint8_t *out)
{
    uint8_t bounce[PIECE + BLOCK];
    size_t done = 0, made = 0;
    int rc = NVT_OK;
    while (done < in_len && rc == NVT_OK) {
        size_t n = in_len - done < PIECE ? in_len - done : PIECE;
        size_t got = 0;
        rc = from_psa(psa_aead_update(aead_op(a), in + done, n, bounce, sizeof(bounce), &got));
        if (rc == NVT_OK && made + got <= in_len) {
            if (got > 0) {
                memcpy(out + made, bounce, got);
            }
            made += got;
            done += n;
        } else if (rc == NVT_OK) {
            rc = NVT_E_CRYPTO;
        }
    }
    mbedtls_platform_zeroize(bounce, sizeof(bounce));
    return rc == NVT_OK && made != in_len ? NVT_E_CRYPTO : rc;
}

int nvt_crypto_aead_update(nvt_crypto_aead_t *a, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                           size_t *out_len)
{
    if (a == NULL || !a->active || (in == NULL && in_len > 0) || out_len == NULL) {
        return NVT_E_INVALID;
    }
    if (a->encrypt) {
        if (out_size < in_len || (out == NULL && in_len > 0)) {
            *out_len = in_len;
            return NVT_E_BUFFER_TOO_SMALL;
        }
        int rc = aead_stream(a, in, in_len, out);
        if (rc != NVT_OK) {
            nvt_crypto_aead_abort(a);
            return rc;
        }
        *out_len = in_len;
        return NVT_OK;
    }
    /* Decryption: keep the ciphertext until the tag is known and checked. */
    if (in_len > NVT_CONFIG_MECH_GCM_BUFFER - a->len) {
        nvt_crypto_aead_abort(a);
        return NVT_E_INVALID;
    }
    if (a->len + in_len > a->cap) {
        size_t cap = a->cap > 0 ? a->cap : 256;
        while (cap < a->len + in_len) {
            cap *= 2;
        }
        cap = cap > NVT_CONFIG_MECH_GCM_BUFFER ? NVT_CONFIG_MECH_GCM_BUFFER : cap;
        uint8_t *p = mbedtls_calloc(1, cap);
        if (p == NULL) {
            nvt_crypto_aead_abort(a);
            return NVT_E_CRYPTO;
        }
        if (a->len > 0) {
            memcpy(p, a->buf, a->len);
            mbedtls_platform_zeroize(a->buf, a->len);
        }
        mbedtls_free(a->buf);
        a->buf = p;
        a->cap = cap;
    }
    if (in_len > 0) {
        memcpy(a->buf + a->len, in, in_len);
    }
    a->len += in_len;
    *out_len = 0;
    return NVT_OK;
}

int nvt_crypto_aead_finish(nvt_crypto_aead_t *a, uint8_t *out, size_t out_size, size_t *out_len)
{
    if (a == NULL || !a->active || out_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    int rc;
    if (a->encrypt) {
        if (out_size < a->tag_len) {
            *out_len = a->tag_len;
            return NVT_E_BUFFER_TOO_SMALL;
        }
        uint8_t rest[BLOCK];
        size_t rest_len = 0, tag_len = 0;
        rc = from_psa(psa_aead_finish(aead_op(a), rest, sizeof(rest), &rest_len, out, out_size, &tag_len));
        if (rc == NVT_OK && (rest_len != 0 || tag_len != a->tag_len)) {
            rc = NVT_E_CRYPTO; /* GCM streams: nothing may be left over */
        }
        *out_len = rc == NVT_OK ? tag_len : 0;
    } else {
        return nvt_crypto_aead_decrypt_all(a, a->buf, a->len, out, out_size, out_len);
    }
    nvt_crypto_aead_abort(a);
    return rc;
}

int nvt_crypto_aead_decrypt_all(nvt_crypto_aead_t *a, const uint8_t *in, size_t in_len, uint8_t *out,
                                size_t out_size, size_t *out_len)
{
    if (a == NULL || !a->active || a->encrypt || out_len == NULL || (out == NULL && out_size > 0) ||
        (in == NULL && in_len > 0)) {
        return NVT_E_INVALID;
    }
    if (in_len < a->tag_len) {
        nvt_crypto_aead_abort(a);
        return NVT_E_INVALID;
    }
    size_t n = in_len - a->tag_len;
    if (out_size < n) {
        *out_len = n;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    int rc = n > 0 ? aead_stream(a, in, n, out) : NVT_OK;
    uint8_t rest[BLOCK];
    size_t rest_len = 0;
    if (rc == NVT_OK) {
        rc = from_psa(psa_aead_verify(aead_op(a), rest, sizeof(rest), &rest_len, in + n, a->tag_len));
    }
    if (rc == NVT_OK && rest_len != 0) {
        rc = NVT_E_CRYPTO;
    }
    if (rc != NVT_OK && n > 0) {
        mbedtls_platform_zeroize(out, n); /* nothing unauthenticated escapes */
    }
    *out_len = rc == NVT_OK ? n : 0;
    nvt_crypto_aead_abort(a);
    return rc;
}

void nvt_crypto_aead_abort(nvt_crypto_aead_t *a)
{
    if (a != NULL) {
        (void)psa_aead_abort(aead_op(a));
        if (a->buf != NULL) {
            mbedtls_platform_zeroize(a->buf, a->cap);
            mbedtls_free(a->buf);
        }
        mbedtls_platform_zeroize(a, sizeof(*a));
    }
}

/* ------------------------------------------------------------------------
 * AES key wrap (mbedTLS NIST_KW)
 * ---------------------------------------------------------------------- */

static int kek_ok(const uint8_t *kek, size_t kek_len)
{
    return kek != NULL && (kek_len == 16 || kek_len == 24 || kek_len == 32);
}

int nvt_crypto_aes_kw_wrap(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                           uint8_t *out, size_t out_size, size_t *out_len)
{
    if (!kek_ok(kek, kek_len) || in == NULL || out_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    if (pad ? in_len == 0 : in_len < 16 || in_len % 8 != 0) {
        return NVT_E_INVALID;
    }
    size_t need = pad ? (in_len + 7) / 8 * 8 + 8 : in_len + 8;
    if (out_size < need) {
        *out_len = need;
        return NVT_E_BUFFER_TOO_SMALL;
    }
    mbedtls_nist_kw_context ctx;
    mbedtls_nist_kw_init(&ctx);
    int ret = mbedtls_nist_kw_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, kek, (unsigned)(kek_len * 8), 1);
    if (ret == 0) {
        ret = mbedtls_nist_kw_wrap(&ctx, pad ? MBEDTLS_KW_MODE_KWP : MBEDTLS_KW_MODE_KW, in, in_len, out, out_len,
                                   out_size);
    }
    mbedtls_nist_kw_free(&ctx);
    return ret == 0 ? NVT_OK : NVT_E_CRYPTO;
}

int nvt_crypto_aes_kw_unwrap(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                             uint8_t *out, size_t out_size, size_t *out_len)
{
    if (!kek_ok(kek, kek_len) || in == NULL || out_len == NULL || (out == NULL && out_size > 0)) {
        return NVT_E_INVALID;
    }
    if (in_len < (pad ? 16u : 24u) || in_len % 8 != 0) {
        return NVT_E_INVALID;
    }
    /* Unwrap into our own buffer: the length (KWP) and the integrity are
     * known only afterwards. */
    uint8_t *tmp = mbedtls_calloc(1, in_len);
    if (tmp == NULL) {
        return NVT_E_CRYPTO;
    }
    mbedtls_nist_kw_context ctx;
    mbedtls_nist_kw_init(&ctx);
    size_t n = 0;
    int ret = mbedtls_nist_kw_setkey(&ctx, MBEDTLS_CIPHER_ID_AES, kek, (unsigned)(kek_len * 8), 0);
    int rc = NVT_E_CRYPTO;
    if (ret == 0) {
        ret = mbedtls_nist_kw_unwrap(&ctx, pad ? MBEDTLS_KW_MODE_KWP : MBEDTLS_KW_MODE_KW, in, in_len, tmp, &n, in_len);
        rc = ret == 0 ? NVT_OK : ret == MBEDTLS_ERR_CIPHER_AUTH_FAILED ? NVT_E_VERIFY : NVT_E_CRYPTO;
    }
    mbedtls_nist_kw_free(&ctx);
    if (rc == NVT_OK) {
        if (out_size < n) {
            rc = NVT_E_BUFFER_TOO_SMALL;
        } else if (n > 0) {
            memcpy(out, tmp, n);
        }
        *out_len = n;
    }
    mbedtls_platform_zeroize(tmp, in_len);
    mbedtls_free(tmp);
    return rc;
}
