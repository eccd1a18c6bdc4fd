/**
 * \file nvt_crypto_seal.h
 * \brief Keys derived from the device key, and records sealed at rest.
 *
 * The token keeps its secrets (private and secret keys, the PIN verifiers,
 * the NV seed) sealed in the store under keys derived from the device's
 * root key; docs/DESIGN.md, "Keys at rest", says why it is built
 * this way and what an attacker learns.
 *
 * - The device root is a secret (a hardware unique key, an OTP key, a
 *   factory secret, a host key file) and an optional public unique id
 *   (the chip's UID). Every key is derived from both with HKDF-SHA256
 *   (RFC 5869): extract with the UID as salt and the secret as input key
 *   material, expand with a purpose label. The root itself never keys a
 *   cipher.
 * - Sealing is ChaCha20-Poly1305 (RFC 8439) with a synthetic nonce: the
 *   first 12 bytes of HMAC-SHA256 under a second derived key of the
 *   additional data and the plaintext. No counter or random number is kept
 *   or needed, so nothing a power cut, an image restore or a reformat does
 *   can repeat a nonce with another plaintext (the argument:
 *   docs/DESIGN.md).
 *
 * Everything here works before nvt_crypto_init(): the NV seed that starts
 * PSA's generator is itself sealed, so these functions call mbedTLS's own
 * HKDF, HMAC and ChaCha20-Poly1305 modules - the code PSA's built-in
 * drivers run - and never PSA. The AEAD's context is on the stack for the
 * call (no heap).
 *
 * Returns: NVT_OK or a negative nvt_err_t (NVT_E_INVALID for bad arguments,
 * NVT_E_VERIFY when a sealed record does not open, NVT_E_CRYPTO). Every
 * secret these functions hold is wiped before they return.
 */
#ifndef NVT_CRYPTO_SEAL_H
#define NVT_CRYPTO_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes of a device's root secret. */
#define NVT_CRYPTO_DEVICE_SECRET_SIZE 32u
/** Most bytes of a device's unique id. */
#define NVT_CRYPTO_DEVICE_UID_MAX 32u

/**
 * \brief Derive \p out_len bytes for one purpose from a device root:
 *        HKDF-SHA256(salt = \p uid, IKM = \p secret,
 *        info = \p label || \p context).
 *
 * \param secret the root secret (NVT_CRYPTO_DEVICE_SECRET_SIZE bytes).
 * \param uid the device's unique id, \p uid_len bytes (0 to
 *        NVT_CRYPTO_DEVICE_UID_MAX; NULL with 0: none, RFC 5869's zero salt).
 * \param label the purpose, a NUL-terminated ASCII string
 *        ("nvtoken/<purpose>/v<n>"); two purposes never share a label.
 * \param context more input for this derivation (may be NULL with 0).
 * \param out receives the bytes (1 to 8160).
 * \return NVT_OK, NVT_E_INVALID, NVT_E_CRYPTO (\p out wiped).
 */
int nvt_crypto_device_derive(const uint8_t *secret, const uint8_t *uid, size_t uid_len, const char *label,
                             const uint8_t *context, size_t context_len, uint8_t *out, size_t out_len);

/** The two keys records are sealed with. */
typedef struct nvt_crypto_seal_keys {
    uint8_t enc[32];   /**< ChaCha20-Poly1305 key ("nvtoken/seal/enc/v1") */
    uint8_t nonce[32]; /**< HMAC-SHA256 key of the synthetic nonce ("nvtoken/seal/nonce/v1") */
} nvt_crypto_seal_keys_t;

/**
 * \brief Derive the sealing keys from a device root (as
 *        nvt_crypto_device_derive()). The caller wipes \p keys when done
 *        (nvt_crypto_zeroize()).
 * \return NVT_OK, NVT_E_INVALID, NVT_E_CRYPTO (\p keys wiped).
 */
int nvt_crypto_seal_keys(const uint8_t *secret, const uint8_t *uid, size_t uid_len, nvt_crypto_seal_keys_t *keys);

/** Bytes of a synthetic nonce. */
#define NVT_CRYPTO_SEAL_NONCE_SIZE 12u
/** Bytes of a Poly1305 tag. */
#define NVT_CRYPTO_SEAL_TAG_SIZE 16u

/**
 * \brief Seal \p len bytes in place: the nonce is the first 12 bytes of
 *        HMAC-SHA256(keys->nonce, len(ad) as 4 bytes LE || \p ad ||
 *        plaintext); then ChaCha20-Poly1305 under keys->enc with that
 *        nonce and \p ad encrypts \p data into itself and makes the tag.
 *
 * The same keys, additional data and plaintext always give the same nonce,
 * ciphertext and tag; any other input gives another nonce (but with the
 * probability of a 96-bit PRF collision).
 * \param data the plaintext, replaced by the ciphertext (caller-owned).
 * \param nonce, tag receive the nonce and the tag.
 * \return NVT_OK; NVT_E_INVALID; NVT_E_CRYPTO (\p data then wiped).
 */
int nvt_crypto_seal(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data, size_t len,
                    uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE], uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE]);

/**
 * \brief Open in place what nvt_crypto_seal() sealed: decrypt \p data and
 *        check the tag against \p ad.
 * \return NVT_OK (\p data is the plaintext); NVT_E_VERIFY (wrong key,
 *         additional data, nonce, tag or ciphertext: \p data is wiped, no
 *         plaintext is ever released); NVT_E_INVALID; NVT_E_CRYPTO.
 */
int nvt_crypto_seal_open(const nvt_crypto_seal_keys_t *keys, const uint8_t *ad, size_t ad_len, uint8_t *data,
                         size_t len, const uint8_t nonce[NVT_CRYPTO_SEAL_NONCE_SIZE],
                         const uint8_t tag[NVT_CRYPTO_SEAL_TAG_SIZE]);

#ifdef __cplusplus
}
#endif

#endif /* NVT_CRYPTO_SEAL_H */
