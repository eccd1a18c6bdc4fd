/**
 * \file nvt_crypto.h
 * \brief The token's only door to cryptography.
 *
 * Everything the layers above need from cryptography goes through these
 * functions; only src/crypto/ includes PSA or mbedTLS headers. The contexts
 * below are plain storage the caller places (a session, the stack): their
 * size is fixed here and checked against PSA's own types at compile time in
 * nvt_crypto.c, so no PSA type leaks upward.
 *
 * Return values: NVT_OK or a negative nvt_err_t (NVT_E_CRYPTO for a failed
 * computation, NVT_E_ENTROPY when the generator cannot be seeded,
 * NVT_E_INVALID for bad arguments, NVT_E_BUFFER_TOO_SMALL with nothing
 * written). No function logs; none keeps a pointer to a caller's buffer.
 *
 * Extending (mechanisms): add an algorithm to an enum or a new family of
 * functions here, implement it in a src/crypto/nvt_crypto_<family>.c over
 * PSA, and plug the PKCS#11 mechanism into the token's dispatch table
 * (src/token/tok_mech.h).
 */
#ifndef NVT_CRYPTO_H
#define NVT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A byte range inside a caller's buffer. */
typedef struct nvt_crypto_span {
    const uint8_t *p;
    size_t len;
} nvt_crypto_span_t;

/* ------------------------------------------------------------------------
 * Life cycle
 * ---------------------------------------------------------------------- */

/**
 * \brief Start the crypto library (PSA): key store and random generator.
 *
 * On the target the generator is seeded from the NV seed, so the seed
 * backend must be bound first (nvt_crypto_nv_seed_bind()). Calling it again
 * while started does nothing.
 * \return NVT_OK or NVT_E_ENTROPY (no seed / no entropy), NVT_E_CRYPTO.
 */
int nvt_crypto_init(void);

/**
 * \brief Stop the crypto library, wiping its generator state, and PSA with
 *        every key in it - unless PSA is shared with the firmware
 *        (NVT_CONFIG_CRYPTO_PSA_SHARED): then PSA keeps running, and the
 *        callers have unloaded the keys they loaded.
 */
void nvt_crypto_free(void);

/** \brief Bytes of the NV seed the target's entropy pool reads and writes. */
size_t nvt_crypto_nv_seed_size(void);

/* ------------------------------------------------------------------------
 * Random numbers
 * ---------------------------------------------------------------------- */

/**
 * \brief Fill \p buf with \p len bytes from the cryptographic generator.
 *
 * With NVT_CONFIG_TOKEN_SEED_RANDOM, the token's generator is a CTR_DRBG
 * (AES-256, NIST SP 800-90A) of this layer's own, whose entropy input is
 * PSA's generator (psa_generate_random(), itself fed by the port's TRNG or
 * the NV seed). It exists so that nvt_crypto_random_seed() has something
 * to mix caller data into: PSA has no such call. Without it, this is PSA's
 * generator. Keys PSA generates itself (nvt_crypto_ec_generate(),
 * nvt_crypto_rsa_generate()) come from PSA's generator directly.
 * \return NVT_OK, NVT_E_ENTROPY, NVT_E_CRYPTO (e.g. not started).
 */
int nvt_crypto_random(void *buf, size_t len);

/**
 * \brief Mix \p len bytes of caller data into the generator (C_SeedRandom).
 *
 * A reseed of the DRBG with fresh entropy from PSA plus \p data as
 * additional input, so the data can only add to the generator's
 * unpredictability, never replace it. Any length is accepted (long input
 * is fed in pieces).
 * \return NVT_OK, NVT_E_INVALID (NULL with a length), NVT_E_ENTROPY,
 *         NVT_E_CRYPTO (not started); NVT_E_UNSUPPORTED without
 *         NVT_CONFIG_TOKEN_SEED_RANDOM.
 */
int nvt_crypto_random_seed(const void *data, size_t len);

/* ------------------------------------------------------------------------
 * Message digests
 * ---------------------------------------------------------------------- */

/** Digest algorithms (those the build's PSA configuration provides). */
typedef enum nvt_crypto_hash_alg {
    NVT_CRYPTO_HASH_NONE = 0, /**< no digest (raw signatures) */
    NVT_CRYPTO_SHA1 = 1,
    NVT_CRYPTO_SHA256,
    NVT_CRYPTO_SHA384,
    NVT_CRYPTO_SHA512,
} nvt_crypto_hash_alg_t;

/** Largest digest, in bytes. */
#define NVT_CRYPTO_HASH_MAX 64u

/** Bytes reserved for a digest context (checked against PSA's): SHA-512's
 *  state is twice SHA-256's. */
#if NVT_CONFIG_MECH_SHA512
#define NVT_CRYPTO_HASH_CTX_SIZE 256u
#else
#define NVT_CRYPTO_HASH_CTX_SIZE 128u
#endif

/** A multi-part digest in progress. Caller-placed; zero-filled is "idle". */
typedef struct nvt_crypto_hash {
    uint32_t alg; /**< nvt_crypto_hash_alg_t while active, 0 when idle */
    union {
        unsigned char bytes[NVT_CRYPTO_HASH_CTX_SIZE];
        uint64_t align_u64;
        void *align_ptr;
    } u;
} nvt_crypto_hash_t;

/**
 * \brief Digest length of \p alg in bytes; 0 if the build lacks \p alg.
 */
size_t nvt_crypto_hash_size(nvt_crypto_hash_alg_t alg);

/**
 * \brief Start a digest in \p h (any previous content is overwritten).
 * \return NVT_OK; NVT_E_UNSUPPORTED if the build lacks \p alg; NVT_E_CRYPTO.
 */
int nvt_crypto_hash_setup(nvt_crypto_hash_t *h, nvt_crypto_hash_alg_t alg);

/** \brief Feed \p len bytes. \return NVT_OK or NVT_E_CRYPTO (then aborted). */
int nvt_crypto_hash_update(nvt_crypto_hash_t *h, const void *data, size_t len);

/**
 * \brief Finish: write the digest to \p out and end the operation.
 * \param out_len receives the digest length.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (operation still active, nothing
 *         written); NVT_E_CRYPTO.
 */
int nvt_crypto_hash_finish(nvt_crypto_hash_t *h, void *out, size_t out_size, size_t *out_len);

/** \brief End the operation early and wipe \p h. Safe on an idle context. */
void nvt_crypto_hash_abort(nvt_crypto_hash_t *h);

/** \brief One-shot digest of \p len bytes. Same returns as above. */
int nvt_crypto_hash(nvt_crypto_hash_alg_t alg, const void *data, size_t len, void *out, size_t out_size,
                    size_t *out_len);

/* ------------------------------------------------------------------------
 * Password-based key derivation (PIN verifiers)
 * ---------------------------------------------------------------------- */

/**
 * \brief PBKDF2-HMAC-SHA256 (RFC 8018) of \p pw with \p salt and
 *        \p iterations, \p out_len bytes into \p out.
 * \return NVT_OK, NVT_E_INVALID (0 iterations, NULL), NVT_E_CRYPTO. Any
 *         internal copy of the password is wiped before returning.
 */
int nvt_crypto_pbkdf2_sha256(const void *pw, size_t pw_len, const void *salt, size_t salt_len,
                             uint32_t iterations, void *out, size_t out_len);

/* ------------------------------------------------------------------------
 * Secrets in RAM
 * ---------------------------------------------------------------------- */

/** \brief Overwrite \p len bytes at \p buf with zeros; never optimised away. */
void nvt_crypto_zeroize(void *buf, size_t len);

/* ------------------------------------------------------------------------
 * Keys
 *
 * A key is loaded into PSA as a volatile key for one use (its PSA policy:
 * algorithm and usage flags) and named by an nvt_crypto_key_t until it is
 * unloaded. Key material comes in as big-endian byte strings, the form
 * PKCS#11 attributes hold; loading checks it (sizes, curve points, RSA
 * consistency).
 * ---------------------------------------------------------------------- */

/** A key loaded into PSA (a volatile key id); 0 is no key. */
typedef uint32_t nvt_crypto_key_t;

/** Kinds of key material, and what nvt_crypto_key_material_t.v holds. */
typedef enum nvt_crypto_key_type {
    NVT_CRYPTO_KEY_AES = 1,    /**< v[0]: the key, 16, 24 or 32 bytes */
    NVT_CRYPTO_KEY_HMAC,       /**< v[0]: the key, 1 byte or more */
    NVT_CRYPTO_KEY_EC_PAIR,    /**< v[0]: the private value d */
    NVT_CRYPTO_KEY_EC_PUBLIC,  /**< v[0]: the point, uncompressed (04 || X || Y) */
    NVT_CRYPTO_KEY_RSA_PAIR,   /**< v[0..7]: n, e, d, p, q, d mod p-1, d mod q-1,
                                *   q^-1 mod p; n, e, d required, the rest optional
                                *   (recomputed) */
    NVT_CRYPTO_KEY_RSA_PUBLIC, /**< v[0..1]: n, e */
    NVT_CRYPTO_KEY_DES3,       /**< v[0]: the key, 24 bytes (three-key triple-DES;
                                *   NVT_CONFIG_MECH_LEGACY builds) */
} nvt_crypto_key_type_t;

/** Elliptic curves (all of them named here; a build has those its
 *  configuration keeps: P-256 with any EC mechanism, P-384 with
 *  NVT_CONFIG_MECH_EC_P384, P-521 with NVT_CONFIG_MECH_EC_P521). */
typedef enum nvt_crypto_curve {
    NVT_CRYPTO_CURVE_NONE = 0,
    NVT_CRYPTO_CURVE_P256, /**< secp256r1 */
    NVT_CRYPTO_CURVE_P384, /**< secp384r1 */
    NVT_CRYPTO_CURVE_P521, /**< secp521r1 */
} nvt_crypto_curve_t;

/** Bytes of a coordinate (and of a private value) on the largest curve of
 *  the build: buffers for EC values are this large. */
#if NVT_CONFIG_MECH_EC_P521
#define NVT_CRYPTO_EC_MAX_BYTES 66u
#elif NVT_CONFIG_MECH_EC_P384
#define NVT_CRYPTO_EC_MAX_BYTES 48u
#else
#define NVT_CRYPTO_EC_MAX_BYTES 32u
#endif

/** Parts of an RSA private key (nvt_crypto_key_material_t.v). */
#define NVT_CRYPTO_RSA_PARTS 8u

/** Key material, pointing into the caller's buffers. */
typedef struct nvt_crypto_key_material {
    nvt_crypto_key_type_t type;
    nvt_crypto_curve_t curve; /**< EC keys */
    nvt_crypto_span_t v[NVT_CRYPTO_RSA_PARTS];
} nvt_crypto_key_material_t;

/** What a loaded key may be used for: its PSA policy. */
typedef enum nvt_crypto_use {
    NVT_CRYPTO_USE_NONE = 0,
    NVT_CRYPTO_USE_EC,              /**< ECDSA (raw or any hash); key pairs also ECDH */
    NVT_CRYPTO_USE_RSA_SIGN,        /**< PKCS#1 v1.5 (raw DigestInfo or hashed) and PSS */
    NVT_CRYPTO_USE_RSA_PKCS1_CRYPT, /**< PKCS#1 v1.5 encryption */
    NVT_CRYPTO_USE_RSA_OAEP_SHA1,   /**< OAEP, SHA-1 and MGF1-SHA-1 */
    NVT_CRYPTO_USE_RSA_OAEP_SHA256, /**< OAEP, SHA-256 and MGF1-SHA-256 */
    NVT_CRYPTO_USE_RSA_RAW,         /**< raw RSA (mbedTLS's RSA module) */
    NVT_CRYPTO_USE_HMAC_SHA256,
    NVT_CRYPTO_USE_HMAC_SHA384,
    NVT_CRYPTO_USE_HMAC_SHA512,
    NVT_CRYPTO_USE_AES_CMAC,
    NVT_CRYPTO_USE_AES_ECB,
    NVT_CRYPTO_USE_AES_CBC,
    NVT_CRYPTO_USE_AES_CBC_PAD,
    NVT_CRYPTO_USE_AES_CTR,
    NVT_CRYPTO_USE_AES_GCM,
    NVT_CRYPTO_USE_DES3_ECB, /**< triple-DES modes (NVT_CONFIG_MECH_LEGACY) */
    NVT_CRYPTO_USE_DES3_CBC,
    NVT_CRYPTO_USE_DES3_CBC_PAD,
    /* Keys lent to code that calls PSA itself (include/nvtoken/psa_key.h):
     * a key pair that signs a given hash and does nothing else - no
     * verification, no key agreement, no export. */
    NVT_CRYPTO_USE_LEND_ECDSA,     /**< ECDSA, any hash; deterministic (RFC 6979) if
                                    *   the build has PSA_WANT_ALG_DETERMINISTIC_ECDSA */
    NVT_CRYPTO_USE_LEND_RSA_PKCS1, /**< RSASSA-PKCS1-v1_5, any hash */
    NVT_CRYPTO_USE_LEND_RSA_PSS,   /**< RSASSA-PSS, salt as long as the hash, any hash */
    NVT_CRYPTO_USE_LEND_RSA,       /**< both RSA schemes */
    NVT_CRYPTO_USES
} nvt_crypto_use_t;

/**
 * \brief Load key material into PSA for one use.
 * \param bits receives the key's size in bits (may be NULL).
 * \return NVT_OK; NVT_E_INVALID (material inconsistent, wrong size, point
 *         not on the curve, \p use does not fit the key type);
 *         NVT_E_UNSUPPORTED (curve, size or use not in this build);
 *         NVT_E_CRYPTO (PSA refused, e.g. no free key slot).
 */
int nvt_crypto_key_load(const nvt_crypto_key_material_t *m, nvt_crypto_use_t use, nvt_crypto_key_t *key,
                        size_t *bits);

/**
 * \brief Whether \p use is one of the NVT_CRYPTO_USE_LEND_* uses: a key
 *        loaded for it is handed to code outside the token, by its PSA key
 *        identifier (an nvt_crypto_key_t is one: the psa_key_id_t of a
 *        volatile key).
 */
static inline int nvt_crypto_use_is_lent(nvt_crypto_use_t use)
{
    return use >= NVT_CRYPTO_USE_LEND_ECDSA && use <= NVT_CRYPTO_USE_LEND_RSA;
}

/** \brief Destroy a loaded key in PSA (wiping its copy). 0 is ignored. */
void nvt_crypto_key_unload(nvt_crypto_key_t key);

/**
 * \brief Check key material without keeping it (an object being created).
 * \param bits receives the key's size in bits (may be NULL).
 * \return as nvt_crypto_key_load().
 */
int nvt_crypto_key_check(const nvt_crypto_key_material_t *m, size_t *bits);

/** \brief Bytes of a coordinate (and of the private value) on \p curve; 0
 *         if unknown or not in this build. */
size_t nvt_crypto_curve_bytes(nvt_crypto_curve_t curve);

/** \brief Size of \p curve in bits (256, 384, 521); 0 if unknown or not in
 *         this build. */
size_t nvt_crypto_curve_bits(nvt_crypto_curve_t curve);

/** \brief The curve of a loaded EC key of \p bits bits (the size
 *         nvt_crypto_key_load() reports), or NVT_CRYPTO_CURVE_NONE. */
nvt_crypto_curve_t nvt_crypto_curve_of_bits(size_t bits);

/**
 * \brief The curve named by a DER OID (CKA_EC_PARAMS: namedCurve).
 * \return the curve, or NVT_CRYPTO_CURVE_NONE if it is not one this build
 *         has.
 */
nvt_crypto_curve_t nvt_crypto_curve_from_oid(const uint8_t *der, size_t len);

/**
 * \brief The DER OID (tag, length, value) naming \p curve, as
 *        CKA_EC_PARAMS holds it.
 * \return the OID and its length in *len, or NULL (and 0) for an unknown
 *         curve.
 */
const uint8_t *nvt_crypto_curve_oid(nvt_crypto_curve_t curve, size_t *len);

/**
 * \brief Generate an EC key pair in PSA and hand out its values (the
 *        private value to be stored as the token's sensitive object).
 *
 * The PSA key is destroyed before returning.
 * \param d receives the private value (curve bytes).
 * \param q receives the public point, uncompressed (1 + 2 x curve bytes).
 * \return NVT_OK, NVT_E_BUFFER_TOO_SMALL, NVT_E_UNSUPPORTED, NVT_E_CRYPTO,
 *         NVT_E_ENTROPY. \p d is wiped on error.
 */
int nvt_crypto_ec_generate(nvt_crypto_curve_t curve, uint8_t *d, size_t d_size, size_t *d_len, uint8_t *q,
                           size_t q_size, size_t *q_len);

/**
 * \brief Generate an RSA key pair in PSA and hand out its parts.
 *
 * The parts are written into \p buf (the PKCS#1 RSAPrivateKey PSA
 * exports) and \p parts[i] points at each of n, e, d, p, q, dp, dq, qinv
 * (big-endian, no leading zero bytes). The PSA key is destroyed before
 * returning; the caller wipes \p buf.
 * \param e public exponent (big-endian), or NULL for 65537.
 * \return NVT_OK, NVT_E_INVALID (bits, exponent), NVT_E_BUFFER_TOO_SMALL,
 *         NVT_E_UNSUPPORTED, NVT_E_CRYPTO, NVT_E_ENTROPY. \p buf is wiped
 *         on error.
 */
int nvt_crypto_rsa_generate(size_t bits, const uint8_t *e, size_t e_len, uint8_t *buf, size_t size,
                            nvt_crypto_span_t parts[NVT_CRYPTO_RSA_PARTS]);

/** Bytes nvt_crypto_rsa_generate() needs in \p buf for \p bits. */
#define NVT_CRYPTO_RSA_GENERATE_BUF(bits) (9u * ((bits) / 16u) + 64u)

/* ------------------------------------------------------------------------
 * Signatures
 * ---------------------------------------------------------------------- */

/** Signature schemes. */
typedef enum nvt_crypto_sig {
    NVT_CRYPTO_SIG_ECDSA = 1,     /**< r || s; any hash (or none: the input is
                                   *   the hash, truncated to the curve) */
    NVT_CRYPTO_SIG_RSA_PKCS1V15,  /**< with a hash: DigestInfo made here;
                                   *   NVT_CRYPTO_HASH_NONE: the input is the
                                   *   DigestInfo (or any data up to k - 11) */
    NVT_CRYPTO_SIG_RSA_PSS,       /**< MGF1 with the same hash; signs with a
                                   *   salt as long as the hash, verifies any */
} nvt_crypto_sig_t;

/**
 * \brief Sign the hash \p h with a key loaded for NVT_CRYPTO_USE_EC or
 *        NVT_CRYPTO_USE_RSA_SIGN.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (nothing written); NVT_E_INVALID
 *         (input length wrong for the scheme, or key and scheme disagree);
 *         NVT_E_UNSUPPORTED; NVT_E_CRYPTO.
 */
int nvt_crypto_sign_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                         size_t h_len, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Verify signature \p s of the hash \p h.
 * \return NVT_OK (valid); NVT_E_VERIFY (not valid); NVT_E_INVALID;
 *         NVT_E_UNSUPPORTED; NVT_E_CRYPTO.
 */
int nvt_crypto_verify_hash(nvt_crypto_key_t key, nvt_crypto_sig_t sig, nvt_crypto_hash_alg_t hash, const uint8_t *h,
                           size_t h_len, const uint8_t *s, size_t s_len);

/* ------------------------------------------------------------------------
 * RSA encryption
 * ---------------------------------------------------------------------- */

/** RSA encryption schemes. */
typedef enum nvt_crypto_rsa_pad {
    NVT_CRYPTO_RSA_PKCS1V15 = 1, /**< RSAES-PKCS1-v1_5 (key: NVT_CRYPTO_USE_RSA_PKCS1_CRYPT) */
    NVT_CRYPTO_RSA_OAEP,         /**< RSAES-OAEP (key: NVT_CRYPTO_USE_RSA_OAEP_*) */
    NVT_CRYPTO_RSA_RAW,          /**< x^e or x^d mod n, no padding (key:
                                  *   NVT_CRYPTO_USE_RSA_RAW); input shorter than
                                  *   the modulus is taken as a number */
} nvt_crypto_rsa_pad_t;

/**
 * \brief Encrypt with a public key (or a key pair's public half).
 * \param label OAEP label (may be NULL with \p label_len 0).
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL; NVT_E_INVALID (input too long);
 *         NVT_E_UNSUPPORTED; NVT_E_CRYPTO.
 */
int nvt_crypto_rsa_encrypt(nvt_crypto_key_t key, nvt_crypto_rsa_pad_t pad, const uint8_t *label, size_t label_len,
                           const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Decrypt with a key pair (raw: x^d mod n, the raw signature too).
 *
 * The plaintext is made in a buffer of this layer and copied out only if
 * it fits (NVT_E_BUFFER_TOO_SMALL with the needed length otherwise).
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL; NVT_E_INVALID (input length);
 *         NVT_E_VERIFY (padding invalid); NVT_E_UNSUPPORTED; NVT_E_CRYPTO.
 */
int nvt_crypto_rsa_decrypt(nvt_crypto_key_t key, nvt_crypto_rsa_pad_t pad, const uint8_t *label, size_t label_len,
                           const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size, size_t *out_len);

/* ------------------------------------------------------------------------
 * Key agreement
 * ---------------------------------------------------------------------- */

/**
 * \brief ECDH: the x coordinate of d x peer, with a key pair loaded for
 *        NVT_CRYPTO_USE_EC.
 * \param peer uncompressed point on the key's curve.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL; NVT_E_INVALID (not a point of the
 *         curve); NVT_E_CRYPTO.
 */
int nvt_crypto_ecdh(nvt_crypto_key_t key, const uint8_t *peer, size_t peer_len, uint8_t *out, size_t out_size,
                     size_t *out_len);

/* ------------------------------------------------------------------------
 * MACs
 * ---------------------------------------------------------------------- */

/** MAC algorithms (the key's use must match). */
typedef enum nvt_crypto_mac_alg {
    NVT_CRYPTO_HMAC_SHA256 = 1,
    NVT_CRYPTO_HMAC_SHA384,
    NVT_CRYPTO_HMAC_SHA512,
    NVT_CRYPTO_CMAC_AES,
} nvt_crypto_mac_alg_t;

/** Bytes reserved for a MAC context (checked against PSA's). */
#define NVT_CRYPTO_MAC_CTX_SIZE 400u

/** A multi-part MAC in progress. Caller-placed; zero-filled is idle. */
typedef struct nvt_crypto_mac {
    uint8_t alg;    /**< nvt_crypto_mac_alg_t while active, 0 when idle */
    uint8_t verify; /**< started for verification */
    union {
        unsigned char bytes[NVT_CRYPTO_MAC_CTX_SIZE];
        uint64_t align_u64;
        void *align_ptr;
    } u;
} nvt_crypto_mac_t;

/** \brief MAC length of \p alg in bytes (0 if unknown). */
size_t nvt_crypto_mac_size(nvt_crypto_mac_alg_t alg);

/**
 * \brief Start a MAC with \p key (loaded for the matching use).
 * \return NVT_OK, NVT_E_INVALID (key and algorithm disagree), NVT_E_CRYPTO.
 */
int nvt_crypto_mac_setup(nvt_crypto_mac_t *m, nvt_crypto_key_t key, nvt_crypto_mac_alg_t alg, int verify);

/** \brief Feed \p len bytes. \return NVT_OK or NVT_E_CRYPTO (then aborted). */
int nvt_crypto_mac_update(nvt_crypto_mac_t *m, const void *data, size_t len);

/**
 * \brief Finish a MAC started for signing, writing it to \p out.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (still active, *out_len set);
 *         NVT_E_CRYPTO.
 */
int nvt_crypto_mac_sign_finish(nvt_crypto_mac_t *m, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Finish a MAC started for verification (constant-time compare).
 * \return NVT_OK; NVT_E_VERIFY; NVT_E_CRYPTO.
 */
int nvt_crypto_mac_verify_finish(nvt_crypto_mac_t *m, const uint8_t *mac, size_t mac_len);

/** \brief End early and wipe. Safe on an idle context. */
void nvt_crypto_mac_abort(nvt_crypto_mac_t *m);

/* ------------------------------------------------------------------------
 * Block cipher modes (AES)
 * ---------------------------------------------------------------------- */

/** Unauthenticated block cipher modes (the key's use must match): AES
 *  (16-byte blocks) and, in NVT_CONFIG_MECH_LEGACY builds, triple-DES
 *  (8-byte blocks). */
typedef enum nvt_crypto_cipher_mode {
    NVT_CRYPTO_AES_ECB = 1,
    NVT_CRYPTO_AES_CBC,     /**< no padding: whole blocks only */
    NVT_CRYPTO_AES_CBC_PAD, /**< PKCS#7 padding */
    NVT_CRYPTO_AES_CTR,     /**< 128-bit big-endian counter */
    NVT_CRYPTO_DES3_ECB,
    NVT_CRYPTO_DES3_CBC,     /**< no padding: whole blocks only */
    NVT_CRYPTO_DES3_CBC_PAD, /**< PKCS#7 padding */
} nvt_crypto_cipher_mode_t;

/** Bytes reserved for a cipher context (checked against PSA's). */
#define NVT_CRYPTO_CIPHER_CTX_SIZE 128u

/** A multi-part encryption or decryption. Caller-placed; zero is idle. */
typedef struct nvt_crypto_cipher {
    uint8_t mode;      /**< nvt_crypto_cipher_mode_t while active, 0 idle */
    uint8_t block;     /**< the cipher's block size: 16 or 8 */
    uint8_t pad;       /**< a PKCS#7 padding mode */
    uint8_t encrypt;
    uint8_t pending;   /**< input bytes held back (block modes) */
    uint8_t done;      /**< CBC_PAD decryption finished: tail[] awaits a
                        *   larger output buffer */
    uint8_t tail_len;
    uint8_t tail[16];
    union {
        unsigned char bytes[NVT_CRYPTO_CIPHER_CTX_SIZE];
        uint64_t align_u64;
        void *align_ptr;
    } u;
} nvt_crypto_cipher_t;

/**
 * \brief Start \p mode with \p key (loaded for the matching use).
 * \param iv a block (CBC modes: the IV; CTR: the first counter block);
 *        NULL for ECB.
 * \return NVT_OK, NVT_E_INVALID (IV length, key/mode mismatch), NVT_E_CRYPTO.
 */
int nvt_crypto_cipher_setup(nvt_crypto_cipher_t *c, nvt_crypto_cipher_mode_t mode, int encrypt, nvt_crypto_key_t key,
                            const uint8_t *iv, size_t iv_len);

/** \brief Exact output of an update with \p in_len more bytes. */
size_t nvt_crypto_cipher_update_len(const nvt_crypto_cipher_t *c, size_t in_len);

/** \brief Output of finish: exact, except CBC_PAD decryption (an upper
 *         bound: the padding is seen only then). */
size_t nvt_crypto_cipher_finish_len(const nvt_crypto_cipher_t *c);

/**
 * \brief Process \p in_len bytes; writes exactly
 *        nvt_crypto_cipher_update_len() bytes.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (nothing done, *out_len = need);
 *         NVT_E_CRYPTO (then aborted).
 */
int nvt_crypto_cipher_update(nvt_crypto_cipher_t *c, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                             size_t *out_len);

/**
 * \brief Finish: the last output and the end of the operation.
 * \return NVT_OK (ended); NVT_E_BUFFER_TOO_SMALL (still active, *out_len =
 *         need; for CBC_PAD decryption the exact length); NVT_E_INVALID
 *         (input not a whole number of blocks; ended); NVT_E_VERIFY (bad
 *         padding; ended); NVT_E_CRYPTO (ended).
 */
int nvt_crypto_cipher_finish(nvt_crypto_cipher_t *c, uint8_t *out, size_t out_size, size_t *out_len);

/** \brief End early and wipe. Safe on an idle context. */
void nvt_crypto_cipher_abort(nvt_crypto_cipher_t *c);

/* ------------------------------------------------------------------------
 * Authenticated encryption (AES-GCM)
 * ---------------------------------------------------------------------- */

/** Bytes reserved for an AEAD context (checked against PSA's). */
#define NVT_CRYPTO_AEAD_CTX_SIZE 480u

/**
 * A multi-part AES-GCM operation. Encryption streams; decryption keeps the
 * ciphertext (in memory from mbedTLS's allocator, at most
 * NVT_CONFIG_MECH_GCM_BUFFER bytes) and releases plaintext only after the
 * tag verified. Caller-placed; zero-filled is idle.
 */
typedef struct nvt_crypto_aead {
    uint8_t active;
    uint8_t encrypt;
    uint8_t tag_len;
    uint8_t *buf; /**< decryption: the ciphertext so far */
    size_t len;
    size_t cap;
    union {
        unsigned char bytes[NVT_CRYPTO_AEAD_CTX_SIZE];
        uint64_t align_u64;
        void *align_ptr;
    } u;
} nvt_crypto_aead_t;

/**
 * \brief Start AES-GCM with \p key (NVT_CRYPTO_USE_AES_GCM): nonce and
 *        additional data are taken now.
 * \param tag_len 4, 8 or 12 to 16 bytes.
 * \return NVT_OK, NVT_E_INVALID (lengths), NVT_E_CRYPTO.
 */
int nvt_crypto_aead_setup(nvt_crypto_aead_t *a, int encrypt, nvt_crypto_key_t key, const uint8_t *iv, size_t iv_len,
                          const uint8_t *aad, size_t aad_len, size_t tag_len);

/** \brief Exact output of an update of \p in_len bytes (decryption: 0). */
size_t nvt_crypto_aead_update_len(const nvt_crypto_aead_t *a, size_t in_len);

/** \brief Output of finish (encryption: the tag; decryption: an upper
 *         bound, the ciphertext less the tag). */
size_t nvt_crypto_aead_finish_len(const nvt_crypto_aead_t *a);

/**
 * \brief Encryption: output the ciphertext of \p in. Decryption: keep
 *        \p in for finish.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (nothing done); NVT_E_INVALID
 *         (decryption: more than NVT_CONFIG_MECH_GCM_BUFFER bytes);
 *         NVT_E_CRYPTO.
 */
int nvt_crypto_aead_update(nvt_crypto_aead_t *a, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_size,
                           size_t *out_len);

/**
 * \brief Encryption: output the tag. Decryption: verify the tag (the last
 *        tag_len bytes given) and output the plaintext.
 * \return NVT_OK (ended); NVT_E_BUFFER_TOO_SMALL (still active, *out_len =
 *         need); NVT_E_VERIFY (tag did not verify, nothing output; ended);
 *         NVT_E_INVALID (less input than a tag; ended); NVT_E_CRYPTO.
 */
int nvt_crypto_aead_finish(nvt_crypto_aead_t *a, uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Decryption in one call, with nothing kept: \p in is the whole
 *        ciphertext and tag (single-part C_Decrypt; no buffer limit).
 * \return as nvt_crypto_aead_finish().
 */
int nvt_crypto_aead_decrypt_all(nvt_crypto_aead_t *a, const uint8_t *in, size_t in_len, uint8_t *out,
                                size_t out_size, size_t *out_len);

/** \brief End early, wiping and releasing what it kept. Safe when idle. */
void nvt_crypto_aead_abort(nvt_crypto_aead_t *a);

/* ------------------------------------------------------------------------
 * AES key wrap (NIST SP 800-38F: KW, RFC 3394; KWP, RFC 5649)
 *
 * PSA 3.6 has no key wrap: this is mbedTLS's NIST_KW module, called here
 * and nowhere else. The key-encryption key comes as bytes.
 * ---------------------------------------------------------------------- */

/**
 * \brief Wrap \p in (KW: a multiple of 8 bytes, at least 16; KWP: 1 byte
 *        or more) under \p kek (16, 24 or 32 bytes).
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL (*out_len = need); NVT_E_INVALID
 *         (lengths); NVT_E_CRYPTO.
 */
int nvt_crypto_aes_kw_wrap(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                           uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Unwrap \p in under \p kek, checking its integrity.
 * \param out receives at most \p in_len - 8 bytes.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL; NVT_E_INVALID (lengths);
 *         NVT_E_VERIFY (integrity check failed; nothing output); NVT_E_CRYPTO.
 */
int nvt_crypto_aes_kw_unwrap(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                             uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Wrap a private key under \p kek as PKCS#11 wraps private keys:
 *        its PKCS#8 PrivateKeyInfo (RFC 5208), then KW or KWP.
 *
 * RSA keys are encoded as an RSAPrivateKey (RFC 8017; CRT parts the
 * material lacks are recomputed), EC keys as an ECPrivateKey (RFC 5915)
 * with the public key, the curve in the AlgorithmIdentifier. The encoding
 * lives in a buffer from mbedtls_calloc (at most about 2.5 KiB) and is
 * wiped before it is freed.
 * \param m an RSA or EC key pair's material.
 * \param out NULL (with \p out_size 0) to ask the length.
 * \return NVT_OK; NVT_E_BUFFER_TOO_SMALL with *out_len: KWP's exact length,
 *         for KW the encoding's length rounded up to 8 bytes plus 8 (a
 *         bound); NVT_E_UNSUPPORTED (KW, whose input is whole 8-byte
 *         blocks, and an encoding that is not; or a curve this build
 *         lacks); NVT_E_INVALID (material); NVT_E_CRYPTO.
 */
int nvt_crypto_aes_kw_wrap_private(int pad, const uint8_t *kek, size_t kek_len, const nvt_crypto_key_material_t *m,
                                   uint8_t *out, size_t out_size, size_t *out_len);

/**
 * \brief Unwrap a private key wrapped as nvt_crypto_aes_kw_wrap_private()
 *        wraps one (any PKCS#8 PrivateKeyInfo or OneAsymmetricKey of an
 *        RSA key or an EC key on a curve this build has).
 *
 * The key's parts are copied into \p out one after the other and \p m
 * points at them: RSA n, e, d, p, q, dp, dq, qinv (big-endian, no leading
 * zero bytes); EC d at the curve's width, with m->curve. An EC key's
 * public key, when the encoding has one, must be its private value's.
 * \return NVT_OK; NVT_E_INVALID (lengths); NVT_E_VERIFY (integrity check
 *         failed); NVT_E_CORRUPT (not such an encoding, or an invalid key);
 *         NVT_E_UNSUPPORTED (another algorithm or curve);
 *         NVT_E_BUFFER_TOO_SMALL (\p out); NVT_E_CRYPTO. \p out holds no
 *         key on error.
 */
int nvt_crypto_aes_kw_unwrap_private(int pad, const uint8_t *kek, size_t kek_len, const uint8_t *in, size_t in_len,
                                     uint8_t *out, size_t out_size, nvt_crypto_key_material_t *m);

/* ------------------------------------------------------------------------
 * X.509 certificates
 * ---------------------------------------------------------------------- */

/** Fields of a certificate, each the complete DER element (tag, length,
 *  contents), pointing into the certificate given. */
typedef struct nvt_crypto_x509_fields {
    nvt_crypto_span_t serial;  /**< CertificateSerialNumber (INTEGER) */
    nvt_crypto_span_t issuer;  /**< issuer Name (SEQUENCE) */
    nvt_crypto_span_t subject; /**< subject Name (SEQUENCE) */
} nvt_crypto_x509_fields_t;

/**
 * \brief Locate serial number, issuer and subject in a DER certificate.
 *
 * Walks the structure of RFC 5280 Certificate / TBSCertificate as far as
 * the subject and checks that the outer SEQUENCE spans exactly \p len
 * bytes. It does not verify signatures or validity.
 * \return NVT_OK, or NVT_E_INVALID if \p der is not such a structure.
 */
int nvt_crypto_x509_fields(const uint8_t *der, size_t len, nvt_crypto_x509_fields_t *fields);

#ifdef __cplusplus
}
#endif

#endif /* NVT_CRYPTO_H */
