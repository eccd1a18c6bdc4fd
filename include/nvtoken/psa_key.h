/**
 * \file psa_key.h
 * \brief Lending a token's private key to code that calls PSA Crypto
 *        itself - a TLS stack, a certificate-request writer - while the
 *        key stays in the token.
 *
 * In a firmware that links one mbedTLS for nvtoken and for its own code
 * (examples/tls-client/README.md, "mbedTLS in your firmware"), the token
 * can hand a private key to that code as a PSA key identifier. The key
 * material never leaves the token's RAM and PSA: the identifier names a
 * volatile PSA key that the token loaded from the object, whose PSA policy
 * allows signing a given hash and nothing else (no export, no
 * verification, no key agreement). mbedTLS wraps it with
 * mbedtls_pk_setup_opaque() and signs through psa_sign_hash():
 *
 *     uint32_t id;
 *     rv = nvt_token_psa_key_lend(session, private_key, &id);
 *     mbedtls_pk_setup_opaque(&pk, mbedtls_svc_key_id_make(0, id));
 *     ... mbedtls_ssl_conf_own_cert(&conf, &cert, &pk); handshakes ...
 *     mbedtls_pk_free(&pk);
 *     nvt_token_psa_key_return(session);
 *
 * The loan goes through the token's key cache (src/token/tok_keycache.c):
 * a key lent before is not read from flash again, and the cache entry is
 * pinned - never evicted - while it is lent.
 *
 * The object's policy is enforced when the key is lent:
 * - the user is logged in on the session's slot (whatever the object's
 *   CKA_PRIVATE);
 * - the object is a private key (CKO_PRIVATE_KEY) of type CKK_EC or
 *   CKK_RSA with CKA_SIGN true, and without CKA_ALWAYS_AUTHENTICATE (a
 *   key that asks for the PIN at every use cannot be lent for many);
 * - if it has CKA_ALLOWED_MECHANISMS, a lent EC key needs CKM_ECDSA among
 *   them, an RSA key CKM_RSA_PKCS (then PKCS#1 v1.5 signatures are
 *   allowed) or CKM_RSA_PKCS_PSS (PSS with a salt as long as the hash), or
 *   both: the PSA policy allows exactly those. (psa_sign_hash() signs a
 *   hash the caller computed: that is what the raw mechanisms do in
 *   PKCS#11.)
 *
 * A loan ends when the session returns it, when the user logs out (every
 * loan on the slot), when the session is closed, and at C_Finalize. After
 * it ends the identifier must not be used any more: the key may stay in
 * the key cache for the next loan, or be destroyed, and PSA may then give
 * the same identifier to another key. Destroying or modifying the object
 * while it is lent does not end the loan (as with an operation in
 * progress): the lent key is the one loaded when the loan began.
 *
 * A session lends at most one key at a time; open another session to lend
 * a second. Both functions take the library lock; the lent key is used
 * without it (PSA has its own locking where MBEDTLS_THREADING_C is on).
 *
 * Firmware (libnvtoken.a) only: the host module libnvtoken.so keeps its
 * PSA to itself and exports the PKCS#11 functions alone.
 */
#ifndef NVTOKEN_PSA_KEY_H
#define NVTOKEN_PSA_KEY_H

#include <stdint.h>

#include "nvtoken/pkcs11.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * \brief Lend the private key \p hKey to PSA code: \p psa_key_id receives
 *        the psa_key_id_t (mbedTLS 3.6: mbedtls_svc_key_id_make(0, id)) of
 *        a key that signs hashes only.
 *
 * \param hSession a session on the key's slot; it holds the loan.
 * \param hKey     a private key object the session can see.
 * \param psa_key_id receives the identifier (caller-owned; left unchanged
 *        on error).
 * \return CKR_OK;
 *         CKR_CRYPTOKI_NOT_INITIALIZED;
 *         CKR_ARGUMENTS_BAD (\p psa_key_id NULL);
 *         CKR_SESSION_HANDLE_INVALID;
 *         CKR_FUNCTION_NOT_SUPPORTED (a build without PSA's key store,
 *         NVT_CONFIG_CRYPTO_PSA 0: profile `ecdsa-p256` on p256-m);
 *         CKR_OPERATION_ACTIVE (the session lends a key already);
 *         CKR_USER_NOT_LOGGED_IN (no user login on the slot);
 *         CKR_KEY_HANDLE_INVALID (no such object, or not a key);
 *         CKR_KEY_TYPE_INCONSISTENT (not an EC or RSA private key, or its
 *         value is unusable);
 *         CKR_KEY_FUNCTION_NOT_PERMITTED (CKA_SIGN is false, or
 *         CKA_ALWAYS_AUTHENTICATE is true);
 *         CKR_MECHANISM_INVALID (CKA_ALLOWED_MECHANISMS has no raw
 *         signature mechanism for the key, see above);
 *         CKR_CURVE_NOT_SUPPORTED;
 *         CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_ERROR (reading the object);
 *         CKR_FUNCTION_FAILED (PSA refused the key, e.g. no free key slot:
 *         MBEDTLS_PSA_KEY_SLOT_COUNT).
 *         Nothing is lent on error.
 */
CK_RV nvt_token_psa_key_lend(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey, uint32_t *psa_key_id);

/**
 * \brief End the session's loan: the identifier must not be used any more.
 * \return CKR_OK; CKR_CRYPTOKI_NOT_INITIALIZED; CKR_SESSION_HANDLE_INVALID;
 *         CKR_OPERATION_NOT_INITIALIZED (the session lends nothing).
 */
CK_RV nvt_token_psa_key_return(CK_SESSION_HANDLE hSession);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_PSA_KEY_H */
