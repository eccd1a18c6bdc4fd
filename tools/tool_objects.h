/* Token objects as the tool finds, reads and shows them, through C_*
 * calls only. See tool_objects.c. */
#ifndef NVT_TOOL_OBJECTS_H
#define NVT_TOOL_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "nvt_crypto.h"
#include "nvtoken/pkcs11.h"

/** Any class, in tool_match_t. */
#define TOOL_ANY_CLASS ((CK_OBJECT_CLASS) ~0ul)

/** Which objects: a class, an id and a label, each optional. */
typedef struct tool_match {
    CK_OBJECT_CLASS cls;  /**< or TOOL_ANY_CLASS */
    const uint8_t *id;    /**< NULL: any */
    size_t id_len;
    const char *label;    /**< NULL: any */
} tool_match_t;

/** Up to \p max handles of objects matching \p m into \p out; \p count
 *  receives how many match in all (it may exceed \p max). */
CK_RV tool_find(CK_SESSION_HANDLE s, const tool_match_t *m, CK_OBJECT_HANDLE *out, CK_ULONG max, CK_ULONG *count);

/** An attribute's value in a heap buffer with a NUL after it (not counted);
 *  *value is NULL and *len 0 when the object has no such attribute or it
 *  cannot be read (sensitive) - then the result is CKR_OK too, unless
 *  \p strict. */
CK_RV tool_get(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, uint8_t **value, CK_ULONG *len,
               int strict);

/** A CK_ULONG or CK_BBOOL attribute; \p dflt when the object lacks it. */
CK_ULONG tool_get_ulong(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt);

/** The public key of a public key object (EC: CKA_EC_PARAMS and
 *  CKA_EC_POINT; RSA: modulus and exponent), its parts copied into \p buf.
 *  \return CKR_OK, CKR_KEY_TYPE_INCONSISTENT (another key type or curve),
 *  CKR_BUFFER_TOO_SMALL, or a C_GetAttributeValue error. */
CK_RV tool_public_material(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, uint8_t *buf, size_t size,
                           nvt_crypto_key_material_t *m);

/** An uncompressed EC point as CKA_EC_POINT holds it: a DER OCTET STRING.
 *  \return its length in \p out (at most 2 + 1 + 2 * 66 + 1 bytes). */
size_t tool_ec_point_der(const uint8_t *q, size_t q_len, uint8_t *out, size_t size);

/** A token object, described for `list`: never a secret value. */
typedef struct tool_object {
    CK_OBJECT_HANDLE handle;
    CK_OBJECT_CLASS cls;
    CK_ULONG type;          /**< CKA_KEY_TYPE or CKA_CERTIFICATE_TYPE */
    char *label;            /**< heap, NUL-terminated ("" if none) */
    uint8_t *id;            /**< heap (NULL if none) */
    size_t id_len;
    char algo[24];          /**< "EC P-256", "RSA", "AES", "X.509", "data" */
    CK_ULONG bits;          /**< key size, 0 if not a key or unknown */
    int is_private, sensitive, extractable, local, always_sensitive, never_extractable, modifiable, trusted;
    int sign, verify, encrypt, decrypt, wrap, unwrap, derive;
    char key_sha256[65];    /**< SHA-256 of its SubjectPublicKeyInfo; "" if unknown */
    /* certificates */
    char subject[256], issuer[256], serial[65], not_before[21], not_after[21];
    int is_ca;
    CK_ULONG category;
    size_t value_len;       /**< certificate or data object: its value's size */
} tool_object_t;

/** Read what `list` shows of object \p h. */
CK_RV tool_object_describe(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, tool_object_t *o);

/** Free what tool_object_describe() allocated. */
void tool_object_free(tool_object_t *o);

/** "private-key", "public-key", "certificate", "secret-key", "data", ... */
const char *tool_class_name(CK_OBJECT_CLASS cls);

/** The objects' order in listings: class, then id, then label. */
int tool_object_cmp(const void *a, const void *b);

/** Whether the token's profile has keys of \p type and \p bits, from its
 *  mechanisms (C_GetMechanismInfo of CKM_ECDSA or CKM_RSA_PKCS, slot 0).
 *  \return CKR_OK, or CKR_MECHANISM_INVALID / CKR_KEY_SIZE_RANGE. */
CK_RV tool_token_has_key(CK_KEY_TYPE type, CK_ULONG bits);

#endif /* NVT_TOOL_OBJECTS_H */
