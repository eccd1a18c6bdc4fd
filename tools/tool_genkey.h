/* Key pairs generated inside the token and their certificate requests
 * (genkey, and batch per device). See tool_genkey.c. */
#ifndef NVT_TOOL_GENKEY_H
#define NVT_TOOL_GENKEY_H

#include <stddef.h>
#include <stdint.h>

#include "nvt_crypto.h"
#include "tool_token.h"

/** A key type as --type names it. */
typedef struct tool_keyspec {
    const char *name;          /**< "ec:p256" */
    CK_KEY_TYPE type;
    CK_ULONG bits;
    nvt_crypto_curve_t curve;  /**< EC */
} tool_keyspec_t;

/** \p text ("ec:p256", "ec:p384", "rsa:2048", "rsa:3072"; NULL: ec:p256).
 *  Complains itself (TOOL_USAGE). */
int tool_keyspec(const char *text, tool_keyspec_t *k, const char *command);

/** C_GenerateKeyPair of \p k with \p id and \p label on both halves: the
 *  private key private, sensitive, not extractable, for signing (then the
 *  --attr options), the public key for verifying. Refuses an id a key has
 *  already (TOOL_EXISTS). Complains itself. */
int tool_genkey_pair(tool_token_t *t, const tool_keyspec_t *k, const uint8_t *id, size_t id_len, const char *id_text,
                     const char *label, const char *const *attrs, size_t n_attrs, CK_OBJECT_HANDLE *pub,
                     CK_OBJECT_HANDLE *priv);

/** A PKCS#10 request for the pair (pub, priv) with \p subject, signed
 *  inside the token (CKM_ECDSA_SHA256/384 or CKM_SHA256_RSA_PKCS), DER in
 *  a heap buffer. Complains itself. */
int tool_make_csr(tool_token_t *t, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv, const char *subject, uint8_t **der,
                  size_t *len);

/** \p der as PEM of type \p label in a heap buffer. Complains itself. */
int tool_pem(const char *label, const uint8_t *der, size_t len, char **pem, size_t *pem_len);

#endif /* NVT_TOOL_GENKEY_H */
