/**
 * \file tok_attr.h
 * \brief Objects as attribute sets: the attribute schema (which attribute
 *        belongs to which class and key type, with which rules), the
 *        serialised form of an object, and the template engine that turns
 *        a PKCS#11 template into that form.
 *
 * An object, in RAM (session objects, the host's cache) and in the store
 * (token objects), is one byte string in the format of docs/FORMAT.md,
 * "Token objects": a 24-byte header (format version, generation, unique
 * id, class, the boolean attributes as two bit masks) and the other
 * attributes as (type, length, value) entries in increasing type order.
 * CK_ULONG values are stored as 32-bit little-endian words, so an image is
 * the same on a 64-bit host and a 32-bit device.
 */
#ifndef TOK_ATTR_H
#define TOK_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/pkcs11.h"

/** Format version of a serialised object. */
#define TOK_OBJ_VERSION 1u
/** Header bytes. */
#define TOK_OBJ_HEADER 24u
/** Bytes before each attribute value (type, length). */
#define TOK_ATTR_HEADER 8u

/** A serialised object, parsed (points into the bytes it was parsed from). */
typedef struct tok_obj {
    const uint8_t *p;   /**< the serialised object */
    size_t len;         /**< its length */
    uint32_t gen;       /**< token generation it belongs to */
    uint32_t uid;       /**< unique id, kept for the object's life */
    CK_OBJECT_CLASS cls;
    CK_ULONG sub;       /**< CKA_KEY_TYPE or CKA_CERTIFICATE_TYPE; 0 for data */
    uint32_t bool_set;  /**< boolean attributes present (bit per tok_bool_bit()) */
    uint32_t bool_val;  /**< their values */
    unsigned count;     /**< attribute entries after the header */
} tok_obj_t;

/**
 * \brief Parse and check \p len bytes: header, every entry inside the
 *        buffer, types strictly increasing.
 * \return CKR_OK, or CKR_DEVICE_ERROR if the bytes are not an object.
 */
CK_RV tok_obj_parse(tok_obj_t *o, const uint8_t *p, size_t len);

/**
 * \brief Parse only the header of an object (its first TOK_OBJ_HEADER
 *        bytes): generation, uid, class and booleans; count and sub are
 *        left 0 and the entries unchecked.
 * \return CKR_OK, or CKR_DEVICE_ERROR if the bytes are not an object header.
 */
CK_RV tok_obj_parse_header(tok_obj_t *o, const uint8_t *p, size_t len);

/**
 * \brief Stored value of non-boolean attribute \p type (wire form).
 * \return 1 and the value's place, or 0 if the object has no such entry.
 */
int tok_obj_value(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, const uint8_t **v, size_t *len);

/** \brief Value of boolean attribute \p type, \p dflt if absent. */
CK_BBOOL tok_obj_bool(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt);

/** \brief Value of CK_ULONG attribute \p type, \p dflt if absent. */
CK_ULONG tok_obj_ulong(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt);

/**
 * \brief C_GetAttributeValue for one attribute: fill \p a as the
 *        specification's five cases say (sensitive, invalid type, length
 *        query, copy, too small), setting a->ulValueLen.
 *        An attribute array (CKF_ARRAY_ATTRIBUTE) is read with the
 *        specification's convention: a NULL buffer gets the count times
 *        sizeof(CK_ATTRIBUTE); then each element of the caller's array
 *        gets its type and, by the same cases, its length or value.
 * \return CKR_OK, CKR_ATTRIBUTE_SENSITIVE, CKR_ATTRIBUTE_TYPE_INVALID,
 *         CKR_BUFFER_TOO_SMALL, or CKR_DEVICE_ERROR (a stored array that
 *         does not parse).
 */
CK_RV tok_obj_get(const tok_obj_t *o, CK_ATTRIBUTE *a);

/**
 * \brief 1 if the object has every attribute of the template with the
 *        same value (an empty template matches). Attributes the caller may
 *        not read never match.
 */
int tok_obj_match(const tok_obj_t *o, const CK_ATTRIBUTE *tmpl, CK_ULONG n);

/** \brief 1 if \p o is sensitive material (private or secret key). */
int tok_obj_is_secret_class(const tok_obj_t *o);

/** How an object is being made (which template rules apply). */
typedef enum tok_build_mode {
    TOK_BUILD_CREATE,   /**< C_CreateObject */
    TOK_BUILD_COPY,     /**< C_CopyObject: base + template */
    TOK_BUILD_SET,      /**< C_SetAttributeValue: base + template */
    TOK_BUILD_GENERATE, /**< C_GenerateKey(Pair): template + generated */
    TOK_BUILD_UNWRAP,   /**< C_UnwrapKey: template + unwrapped */
    TOK_BUILD_DERIVE,   /**< C_DeriveKey: template + derived, base key */
} tok_build_mode_t;

/** What an object is made from. Unused members are zero / NULL. */
typedef struct tok_build {
    tok_build_mode_t mode;
    const CK_ATTRIBUTE *tmpl;   /**< the caller's template */
    CK_ULONG tmpl_n;
    const tok_obj_t *base;      /**< COPY, SET: the object; DERIVE: base key */
    const CK_ATTRIBUTE *made;   /**< GENERATE, UNWRAP, DERIVE: what the
                                 *   mechanism made (CK form), e.g. CKA_VALUE */
    CK_ULONG made_n;
    CK_OBJECT_CLASS cls;        /**< GENERATE, UNWRAP, DERIVE: class the
                                 *   mechanism implies, or CK_UNAVAILABLE_INFORMATION */
    CK_ULONG sub;               /**< key type implied, or CK_UNAVAILABLE_INFORMATION */
    CK_MECHANISM_TYPE mech;     /**< GENERATE: CKA_KEY_GEN_MECHANISM */
    int so;                     /**< the SO is logged in (CKA_TRUSTED) */
    uint32_t gen;               /**< generation for the header */
    uint32_t uid;               /**< unique id for the header */
} tok_build_t;

/**
 * \brief Apply the template rules and serialise the result into \p out.
 *
 * Checks every template attribute (known for the class and key type, may
 * be given in this mode, well-formed value, one-way booleans), requires
 * what the class requires, fills defaults and derived attributes
 * (certificate subject/issuer/serial from the DER, CKA_VALUE_LEN,
 * CKA_MODULUS_BITS) and the ones the token maintains (CKA_LOCAL,
 * CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_KEY_GEN_MECHANISM).
 * \param len receives the serialised length.
 * \return CKR_OK; CKR_TEMPLATE_INCOMPLETE; CKR_TEMPLATE_INCONSISTENT;
 *         CKR_ATTRIBUTE_TYPE_INVALID; CKR_ATTRIBUTE_VALUE_INVALID;
 *         CKR_ATTRIBUTE_READ_ONLY; CKR_ARGUMENTS_BAD; CKR_DEVICE_MEMORY if
 *         the result exceeds \p cap. \p out is unspecified on error.
 */
CK_RV tok_obj_build(const tok_build_t *b, uint8_t *out, size_t cap, size_t *len);

/** Most attributes in an attribute array kept in an object
 *  (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE, CKA_DERIVE_TEMPLATE), and most
 *  CK_ULONG values among them; a longer array is CKR_ATTRIBUTE_VALUE_INVALID. */
#define TOK_TMPL_MAX 16u
#define TOK_TMPL_WORDS 32u
/** Most attributes of a template merged with a key's (CKR_DEVICE_MEMORY
 *  beyond). */
#define TOK_TMPL_MERGED_MAX 32u

/** A caller's template merged with an attribute array kept in a key: the
 *  caller's attributes, then the key's that the caller did not give. */
typedef struct tok_tmpl_merged {
    CK_ATTRIBUTE attr[TOK_TMPL_MERGED_MAX]; /**< values point into the template, the stored array or words */
    CK_ULONG n;
    CK_ULONG words[TOK_TMPL_WORDS];         /**< CK_ULONG values of the key's array, in PKCS#11 form */
} tok_tmpl_merged_t;

/**
 * \brief Merge \p tmpl with the stored attribute array \p stored of a key
 *        (its CKA_UNWRAP_TEMPLATE or CKA_DERIVE_TEMPLATE, as the value
 *        tok_obj_value() gives): the key's template applies, and the
 *        caller's may add to it but not contradict it.
 * \return CKR_OK (\p m holds the merged template; it points into \p tmpl
 *         and \p stored, which must outlive it); CKR_TEMPLATE_INCONSISTENT
 *         (an attribute given by both with different values);
 *         CKR_DEVICE_MEMORY (more than TOK_TMPL_MERGED_MAX attributes);
 *         CKR_DEVICE_ERROR (\p stored is no attribute array).
 */
CK_RV tok_tmpl_merge(const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *stored, size_t len, tok_tmpl_merged_t *m);

/**
 * \brief 1 if the object has every attribute of the stored attribute array
 *        (a wrapping key's CKA_WRAP_TEMPLATE) with the same value;
 *        attributes the caller may not read never match. 0 otherwise, also
 *        if \p p is no attribute array.
 */
int tok_obj_match_array(const tok_obj_t *o, const uint8_t *p, size_t len);

/** \brief The first attribute of \p type in a template, or NULL. */
const CK_ATTRIBUTE *tok_tmpl_find(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type);

/**
 * \brief Read a CK_BBOOL or CK_ULONG attribute from a template.
 * \return 1 if present and well-formed (value in *v), 0 if absent, -1 if
 *         present with a bad length.
 */
int tok_tmpl_bool(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_BBOOL *v);
int tok_tmpl_ulong(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_ULONG *v);

/** Little-endian helpers shared by the token's serialisers. */
uint32_t tok_get32(const uint8_t *p);
void tok_put32(uint8_t *p, uint32_t v);

#endif /* TOK_ATTR_H */
