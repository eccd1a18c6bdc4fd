/* Objects as attribute sets: schema, serialised form and template engine.
 * See tok_attr.h; the byte layout is docs/FORMAT.md, "Token objects". */
#include "tok_attr.h"

#include <string.h>

#include "nvt_crypto.h"
#include "nvtoken/config.h"
#include "nvtoken/error.h"
#include "nvtoken/token.h"

/* ------------------------------------------------------------------------
 * The schema: one row per (attribute, classes, key types) with the rules of
 * PKCS#11 v2.40's attribute tables. Rows are sorted by type (the serialised
 * form lists attributes in this order); a type may have several rows for
 * different classes, which never overlap.
 * ---------------------------------------------------------------------- */

enum { K_BOOL, K_ULONG, K_BYTES, K_DATE, K_MECHS, K_ATTRS };

/* Classes. */
#define C_DATA 0x01u
#define C_CERT 0x02u
#define C_PUB 0x04u
#define C_PRIV 0x08u
#define C_SEC 0x10u
#define C_KEY (C_PUB | C_PRIV | C_SEC)
#define C_ANY (C_DATA | C_CERT | C_KEY)

/* Key and certificate types; data objects match S_ANY rows only. */
#define S_RSA 0x01u
#define S_EC 0x02u
#define S_AES 0x04u
#define S_GEN 0x08u
#define S_X509 0x10u
#define S_DES3 0x20u /* NVT_CONFIG_MECH_LEGACY */
#define S_DATA 0x80u
#define S_ANY 0xFFu

/* Default when no template, mechanism or base object gives a value. */
enum { D_NONE, D_FALSE, D_TRUE, D_KEYS, D_ZERO, D_TOKEN };

/* Rules, by the specification's footnotes (Table 10). */
#define F_REQ 0x001u      /* 1: must be given to C_CreateObject */
#define F_NOCREATE 0x002u /* 2: must not be given to C_CreateObject */
#define F_NOGEN 0x004u    /* 4, 6: must not be given to C_GenerateKey / C_UnwrapKey */
#define F_SENS 0x008u     /* 7: never revealed if sensitive or unextractable */
#define F_MOD 0x010u      /* 8: C_SetAttributeValue and C_CopyObject may change it */
#define F_SO 0x020u       /* 10: only the SO may set it to CK_TRUE */
#define F_STICKY_T 0x040u /* 11: once CK_TRUE, read-only */
#define F_STICKY_F 0x080u /* 12: once CK_FALSE, read-only */
#define F_COPY 0x100u     /* C_CopyObject (only) may change it: TOKEN, PRIVATE, MODIFIABLE */

/* Value checks beyond the kind's. */
enum { V_NONE, V_CLASS, V_KEY_TYPE, V_CERT_TYPE, V_CATEGORY, V_AES_LEN, V_NONEMPTY };

typedef struct tok_def {
    uint32_t type;
    uint8_t kind;
    uint8_t classes;
    uint8_t subs;
    uint8_t dflt;
    uint16_t flags;
    uint8_t check;
} tok_def_t;

#define ROW(t, k, c, s, d, f, v) { (uint32_t)(t), (k), (c), (s), (d), (f), (v) }

static const tok_def_t tok_schema[] = {
    ROW(CKA_CLASS, K_ULONG, C_ANY, S_ANY, D_NONE, F_REQ, V_CLASS),
    ROW(CKA_TOKEN, K_BOOL, C_ANY, S_ANY, D_FALSE, F_COPY, V_NONE),
    ROW(CKA_PRIVATE, K_BOOL, C_ANY, S_ANY, D_KEYS, F_COPY, V_NONE),
    ROW(CKA_LABEL, K_BYTES, C_ANY, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_APPLICATION, K_BYTES, C_DATA, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_VALUE, K_BYTES, C_DATA, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_VALUE, K_BYTES, C_CERT, S_X509, D_NONE, F_REQ, V_NONEMPTY),
    ROW(CKA_VALUE, K_BYTES, C_PRIV, S_EC, D_NONE, F_REQ | F_NOGEN | F_SENS, V_NONEMPTY),
    ROW(CKA_VALUE, K_BYTES, C_SEC, S_AES, D_NONE, F_REQ | F_NOGEN | F_SENS, V_AES_LEN),
    ROW(CKA_VALUE, K_BYTES, C_SEC, S_GEN | S_DES3, D_NONE, F_REQ | F_NOGEN | F_SENS, V_NONEMPTY),
    ROW(CKA_OBJECT_ID, K_BYTES, C_DATA, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_CERTIFICATE_TYPE, K_ULONG, C_CERT, S_ANY, D_NONE, F_REQ, V_CERT_TYPE),
    ROW(CKA_ISSUER, K_BYTES, C_CERT, S_X509, D_NONE, F_MOD, V_NONE),
    ROW(CKA_SERIAL_NUMBER, K_BYTES, C_CERT, S_X509, D_NONE, F_MOD, V_NONE),
    ROW(CKA_TRUSTED, K_BOOL, C_CERT | C_PUB | C_SEC, S_ANY, D_FALSE, F_SO, V_NONE),
    ROW(CKA_CERTIFICATE_CATEGORY, K_ULONG, C_CERT, S_ANY, D_ZERO, 0, V_CATEGORY),
    ROW(CKA_JAVA_MIDP_SECURITY_DOMAIN, K_ULONG, C_CERT, S_X509, D_ZERO, 0, V_NONE),
    ROW(CKA_URL, K_BYTES, C_CERT, S_X509, D_NONE, 0, V_NONE),
    ROW(CKA_HASH_OF_SUBJECT_PUBLIC_KEY, K_BYTES, C_CERT, S_X509, D_NONE, 0, V_NONE),
    ROW(CKA_HASH_OF_ISSUER_PUBLIC_KEY, K_BYTES, C_CERT, S_X509, D_NONE, 0, V_NONE),
    ROW(CKA_NAME_HASH_ALGORITHM, K_ULONG, C_CERT, S_X509, D_NONE, 0, V_NONE),
    ROW(CKA_CHECK_VALUE, K_BYTES, C_CERT | C_SEC, S_ANY, D_NONE, 0, V_NONE),
    ROW(CKA_KEY_TYPE, K_ULONG, C_KEY, S_ANY, D_NONE, F_REQ, V_KEY_TYPE),
    ROW(CKA_SUBJECT, K_BYTES, C_CERT, S_X509, D_NONE, F_REQ, V_NONE),
    ROW(CKA_SUBJECT, K_BYTES, C_PUB | C_PRIV, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_ID, K_BYTES, C_CERT | C_KEY, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_SENSITIVE, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TRUE, F_MOD | F_STICKY_T, V_NONE),
    ROW(CKA_ENCRYPT, K_BOOL, C_PUB | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_DECRYPT, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_WRAP, K_BOOL, C_PUB | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_UNWRAP, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_SIGN, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_SIGN_RECOVER, K_BOOL, C_PRIV, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_VERIFY, K_BOOL, C_PUB | C_SEC, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_VERIFY_RECOVER, K_BOOL, C_PUB, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_DERIVE, K_BOOL, C_KEY, S_ANY, D_FALSE, F_MOD, V_NONE),
    ROW(CKA_START_DATE, K_DATE, C_CERT | C_KEY, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_END_DATE, K_DATE, C_CERT | C_KEY, S_ANY, D_NONE, F_MOD, V_NONE),
    ROW(CKA_MODULUS, K_BYTES, C_PUB | C_PRIV, S_RSA, D_NONE, F_REQ | F_NOGEN, V_NONEMPTY),
    ROW(CKA_MODULUS_BITS, K_ULONG, C_PUB, S_RSA, D_NONE, F_NOCREATE, V_NONE),
    ROW(CKA_PUBLIC_EXPONENT, K_BYTES, C_PUB, S_RSA, D_NONE, F_REQ, V_NONEMPTY),
    ROW(CKA_PUBLIC_EXPONENT, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN, V_NONE),
    ROW(CKA_PRIVATE_EXPONENT, K_BYTES, C_PRIV, S_RSA, D_NONE, F_REQ | F_NOGEN | F_SENS, V_NONEMPTY),
    ROW(CKA_PRIME_1, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN | F_SENS, V_NONE),
    ROW(CKA_PRIME_2, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN | F_SENS, V_NONE),
    ROW(CKA_EXPONENT_1, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN | F_SENS, V_NONE),
    ROW(CKA_EXPONENT_2, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN | F_SENS, V_NONE),
    ROW(CKA_COEFFICIENT, K_BYTES, C_PRIV, S_RSA, D_NONE, F_NOGEN | F_SENS, V_NONE),
    ROW(CKA_PUBLIC_KEY_INFO, K_BYTES, C_CERT | C_PUB | C_PRIV, S_ANY, D_NONE, 0, V_NONE),
    ROW(CKA_VALUE_LEN, K_ULONG, C_SEC, S_AES | S_GEN | S_DES3, D_NONE, F_NOCREATE, V_NONE),
    ROW(CKA_EXTRACTABLE, K_BOOL, C_PRIV | C_SEC, S_ANY, D_FALSE, F_MOD | F_STICKY_F, V_NONE),
    ROW(CKA_LOCAL, K_BOOL, C_KEY, S_ANY, D_TOKEN, F_NOCREATE | F_NOGEN, V_NONE),
    ROW(CKA_NEVER_EXTRACTABLE, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TOKEN, F_NOCREATE | F_NOGEN, V_NONE),
    ROW(CKA_ALWAYS_SENSITIVE, K_BOOL, C_PRIV | C_SEC, S_ANY, D_TOKEN, F_NOCREATE | F_NOGEN, V_NONE),
    ROW(CKA_KEY_GEN_MECHANISM, K_ULONG, C_KEY, S_ANY, D_TOKEN, F_NOCREATE | F_NOGEN, V_NONE),
    ROW(CKA_MODIFIABLE, K_BOOL, C_ANY, S_ANY, D_TRUE, F_COPY, V_NONE),
    ROW(CKA_COPYABLE, K_BOOL, C_ANY, S_ANY, D_TRUE, F_MOD | F_STICKY_F, V_NONE),
    ROW(CKA_DESTROYABLE, K_BOOL, C_ANY, S_ANY, D_TRUE, F_MOD, V_NONE),
    ROW(CKA_EC_PARAMS, K_BYTES, C_PUB, S_EC, D_NONE, F_REQ, V_NONEMPTY),
    ROW(CKA_EC_PARAMS, K_BYTES, C_PRIV, S_EC, D_NONE, F_REQ | F_NOGEN, V_NONEMPTY),
    ROW(CKA_EC_POINT, K_BYTES, C_PUB, S_EC, D_NONE, F_REQ | F_NOGEN, V_NONEMPTY),
    ROW(CKA_ALWAYS_AUTHENTICATE, K_BOOL, C_PRIV, S_ANY, D_FALSE, 0, V_NONE),
    ROW(CKA_WRAP_WITH_TRUSTED, K_BOOL, C_PRIV | C_SEC, S_ANY, D_FALSE, F_MOD | F_STICKY_T, V_NONE),
#if TOK_ATTR_ARRAYS
    ROW(CKA_WRAP_TEMPLATE, K_ATTRS, C_PUB | C_SEC, S_ANY, D_NONE, 0, V_NONE),
    ROW(CKA_UNWRAP_TEMPLATE, K_ATTRS, C_PRIV | C_SEC, S_ANY, D_NONE, 0, V_NONE),
    ROW(CKA_DERIVE_TEMPLATE, K_ATTRS, C_PRIV | C_SEC, S_ANY, D_NONE, 0, V_NONE),
#endif
    ROW(CKA_ALLOWED_MECHANISMS, K_MECHS, C_KEY, S_ANY, D_NONE, 0, V_NONE),
};

#define SCHEMA_ROWS (sizeof(tok_schema) / sizeof(tok_schema[0]))

/* Boolean attributes live in the header's two masks; the bit of each is
 * part of the format (docs/FORMAT.md) and never changes. */
enum {
    B_TOKEN, B_PRIVATE, B_MODIFIABLE, B_COPYABLE, B_DESTROYABLE, B_TRUSTED,
    B_SENSITIVE, B_ENCRYPT, B_DECRYPT, B_WRAP, B_UNWRAP, B_SIGN,
    B_SIGN_RECOVER, B_VERIFY, B_VERIFY_RECOVER, B_DERIVE, B_EXTRACTABLE, B_LOCAL,
    B_NEVER_EXTRACTABLE, B_ALWAYS_SENSITIVE, B_ALWAYS_AUTHENTICATE, B_WRAP_WITH_TRUSTED,
};
static const uint32_t tok_bool_types[] = {
    [B_TOKEN] = CKA_TOKEN,
    [B_PRIVATE] = CKA_PRIVATE,
    [B_MODIFIABLE] = CKA_MODIFIABLE,
    [B_COPYABLE] = CKA_COPYABLE,
    [B_DESTROYABLE] = CKA_DESTROYABLE,
    [B_TRUSTED] = CKA_TRUSTED,
    [B_SENSITIVE] = CKA_SENSITIVE,
    [B_ENCRYPT] = CKA_ENCRYPT,
    [B_DECRYPT] = CKA_DECRYPT,
    [B_WRAP] = CKA_WRAP,
    [B_UNWRAP] = CKA_UNWRAP,
    [B_SIGN] = CKA_SIGN,
    [B_SIGN_RECOVER] = CKA_SIGN_RECOVER,
    [B_VERIFY] = CKA_VERIFY,
    [B_VERIFY_RECOVER] = CKA_VERIFY_RECOVER,
    [B_DERIVE] = CKA_DERIVE,
    [B_EXTRACTABLE] = CKA_EXTRACTABLE,
    [B_LOCAL] = CKA_LOCAL,
    [B_NEVER_EXTRACTABLE] = CKA_NEVER_EXTRACTABLE,
    [B_ALWAYS_SENSITIVE] = CKA_ALWAYS_SENSITIVE,
    [B_ALWAYS_AUTHENTICATE] = CKA_ALWAYS_AUTHENTICATE,
    [B_WRAP_WITH_TRUSTED] = CKA_WRAP_WITH_TRUSTED,
};

/* The header bits of the booleans an object of each class has: the
 * classes of the K_BOOL rows above (all S_ANY), written out so that a parse
 * costs no walk of the schema. The token writes no other bit; a bit beyond
 * them (a crafted image) reads as absent, as C_GetAttributeValue answers
 * CKR_ATTRIBUTE_TYPE_INVALID for it, so that no rule reading the masks (a
 * derived key's CKA_ALWAYS_SENSITIVE from its base's, a key's usage) sees a
 * value the object cannot have. unit_token_format checks these against
 * C_GetAttributeValue's answers for every class. */
#define BIT(b) (1u << (b))
#define BOOLS_ANY (BIT(B_TOKEN) | BIT(B_PRIVATE) | BIT(B_MODIFIABLE) | BIT(B_COPYABLE) | BIT(B_DESTROYABLE))
#define BOOLS_KEY (BOOLS_ANY | BIT(B_DERIVE) | BIT(B_LOCAL))
#define BOOLS_SECRET_OR_PRIVATE                                                                               \
    (BOOLS_KEY | BIT(B_SENSITIVE) | BIT(B_DECRYPT) | BIT(B_UNWRAP) | BIT(B_SIGN) | BIT(B_EXTRACTABLE) |       \
     BIT(B_NEVER_EXTRACTABLE) | BIT(B_ALWAYS_SENSITIVE) | BIT(B_WRAP_WITH_TRUSTED))
#define BOOLS_SECRET_OR_PUBLIC (BOOLS_KEY | BIT(B_TRUSTED) | BIT(B_ENCRYPT) | BIT(B_WRAP) | BIT(B_VERIFY))

static uint32_t class_bools(uint8_t cbit)
{
    switch (cbit) {
    case C_CERT: return BOOLS_ANY | BIT(B_TRUSTED);
    case C_PUB: return BOOLS_SECRET_OR_PUBLIC | BIT(B_VERIFY_RECOVER);
    case C_PRIV: return BOOLS_SECRET_OR_PRIVATE | BIT(B_SIGN_RECOVER) | BIT(B_ALWAYS_AUTHENTICATE);
    case C_SEC: return BOOLS_SECRET_OR_PRIVATE | BOOLS_SECRET_OR_PUBLIC;
    default: return BOOLS_ANY;
    }
}

static int bool_bit(CK_ATTRIBUTE_TYPE type)
{
    for (unsigned i = 0; i < sizeof(tok_bool_types) / sizeof(tok_bool_types[0]); i++) {
        if (tok_bool_types[i] == type) {
            return (int)i;
        }
    }
    return -1;
}

static uint8_t class_bit(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_DATA: return C_DATA;
    case CKO_CERTIFICATE: return C_CERT;
    case CKO_PUBLIC_KEY: return C_PUB;
    case CKO_PRIVATE_KEY: return C_PRIV;
    case CKO_SECRET_KEY: return C_SEC;
    default: return 0;
    }
}

/* Key types the token has (CKK_DES3 with the legacy mechanisms). */
static int known_key_type(CK_ULONG type)
{
    return type == CKK_RSA || type == CKK_EC || type == CKK_AES || type == CKK_GENERIC_SECRET ||
           (NVT_CONFIG_MECH_LEGACY && type == CKK_DES3);
}

/* The sub-type bit of (class, key or certificate type); 0 if unsupported. */
static uint8_t sub_bit(uint8_t cbit, CK_ULONG sub)
{
    if (cbit == C_DATA) {
        return S_DATA;
    }
    if (cbit == C_CERT) {
        return sub == CKC_X_509 ? S_X509 : 0;
    }
    switch (sub) {
    case CKK_RSA: return cbit == C_SEC ? 0 : S_RSA;
    case CKK_EC: return cbit == C_SEC ? 0 : S_EC;
    case CKK_AES: return cbit == C_SEC ? S_AES : 0;
    case CKK_GENERIC_SECRET: return cbit == C_SEC ? S_GEN : 0;
#if NVT_CONFIG_MECH_LEGACY
    case CKK_DES3: return cbit == C_SEC ? S_DES3 : 0;
#endif
    default: return 0;
    }
}

/* The row for attribute type in (class, sub), or NULL. */
static const tok_def_t *def_for(uint8_t cbit, uint8_t sbit, CK_ATTRIBUTE_TYPE type)
{
    size_t lo = 0, hi = SCHEMA_ROWS;
    while (lo < hi) { /* first row with type >= type */
        size_t mid = lo + (hi - lo) / 2;
        if (tok_schema[mid].type < type) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t i = lo; i < SCHEMA_ROWS && tok_schema[i].type == type; i++) {
        if ((tok_schema[i].classes & cbit) != 0 && (tok_schema[i].subs & sbit) != 0) {
            return &tok_schema[i];
        }
    }
    return NULL;
}

static int applies(const tok_def_t *r, uint8_t cbit, uint8_t sbit)
{
    return (r->classes & cbit) != 0 && (r->subs & sbit) != 0;
}

/* ------------------------------------------------------------------------
 * Serialised form
 * ---------------------------------------------------------------------- */

uint32_t tok_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void tok_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* CK_ULONG <-> stored 32-bit word; CK_UNAVAILABLE_INFORMATION is all ones
 * in both. */
static CK_ULONG from_wire(uint32_t w)
{
    return w == 0xFFFFFFFFu ? CK_UNAVAILABLE_INFORMATION : (CK_ULONG)w;
}

static int to_wire(CK_ULONG v, uint32_t *w)
{
    if (v == CK_UNAVAILABLE_INFORMATION) {
        *w = 0xFFFFFFFFu;
        return 1;
    }
    if (v >= 0xFFFFFFFFul) {
        return 0;
    }
    *w = (uint32_t)v;
    return 1;
}

CK_RV tok_obj_parse_header(tok_obj_t *o, const uint8_t *p, size_t len)
{
    if (p == NULL || len < TOK_OBJ_HEADER || p[0] != TOK_OBJ_VERSION) {
        return CKR_DEVICE_ERROR;
    }
    memset(o, 0, sizeof(*o));
    o->p = p;
    o->len = TOK_OBJ_HEADER;
    o->gen = tok_get32(p + 4);
    o->uid = tok_get32(p + 8);
    o->cls = from_wire(tok_get32(p + 12));
    o->bool_set = tok_get32(p + 16);
    o->bool_val = tok_get32(p + 20);
    return class_bit(o->cls) != 0 ? CKR_OK : CKR_DEVICE_ERROR;
}

CK_RV tok_obj_parse(tok_obj_t *o, const uint8_t *p, size_t len)
{
    if (tok_obj_parse_header(o, p, len) != CKR_OK) {
        return CKR_DEVICE_ERROR;
    }
    o->len = len;
    o->count = (unsigned)p[2] | (unsigned)p[3] << 8;
    size_t off = TOK_OBJ_HEADER;
    uint32_t prev = 0;
    for (unsigned i = 0; i < o->count; i++) {
        if (len - off < TOK_ATTR_HEADER) {
            return CKR_DEVICE_ERROR;
        }
        uint32_t type = tok_get32(p + off);
        uint32_t vlen = tok_get32(p + off + 4);
        if ((i > 0 && type <= prev) || vlen > len - off - TOK_ATTR_HEADER) {
            return CKR_DEVICE_ERROR;
        }
        prev = type;
        off += TOK_ATTR_HEADER + vlen;
    }
    if (off != len) {
        return CKR_DEVICE_ERROR;
    }
    uint8_t cbit = class_bit(o->cls);
    if (cbit != C_DATA) {
        o->sub = tok_obj_ulong(o, cbit == C_CERT ? CKA_CERTIFICATE_TYPE : CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
        if (sub_bit(cbit, o->sub) == 0) {
            return CKR_DEVICE_ERROR;
        }
    }
    o->bool_set &= class_bools(cbit);
    return CKR_OK;
}

int tok_obj_value(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, const uint8_t **v, size_t *len)
{
    size_t off = TOK_OBJ_HEADER;
    for (unsigned i = 0; i < o->count; i++) {
        uint32_t t = tok_get32(o->p + off);
        uint32_t n = tok_get32(o->p + off + 4);
        if (t == type) {
            *v = o->p + off + TOK_ATTR_HEADER;
            *len = n;
            return 1;
        }
        if (t > type) {
            break;
        }
        off += TOK_ATTR_HEADER + n;
    }
    return 0;
}

CK_BBOOL tok_obj_bool(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, CK_BBOOL dflt)
{
    int bit = bool_bit(type);
    if (bit < 0 || (o->bool_set & (1u << bit)) == 0) {
        return dflt;
    }
    return (o->bool_val & (1u << bit)) != 0 ? CK_TRUE : CK_FALSE;
}

CK_ULONG tok_obj_ulong(const tok_obj_t *o, CK_ATTRIBUTE_TYPE type, CK_ULONG dflt)
{
    const uint8_t *v;
    size_t n;
    if (type == CKA_CLASS) {
        return o->cls;
    }
    if (!tok_obj_value(o, type, &v, &n) || n != 4) {
        return dflt;
    }
    return from_wire(tok_get32(v));
}

int tok_obj_is_secret_class(const tok_obj_t *o)
{
    return o->cls == CKO_PRIVATE_KEY || o->cls == CKO_SECRET_KEY;
}

/* ------------------------------------------------------------------------
 * Attribute arrays (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE,
 * CKA_DERIVE_TEMPLATE): the value is a run of entries like an object's -
 * type, length, value in stored form - in the order the caller gave.
 * Only in a profile that wraps, unwraps or derives (TOK_ATTR_ARRAYS).
 * ---------------------------------------------------------------------- */

#if TOK_ATTR_ARRAYS
static CK_RV check_value(const tok_def_t *r, const CK_ATTRIBUTE *a);
static int readable(const tok_obj_t *o, const tok_def_t *r);

/* The row saying how attribute \p type is kept, whatever the class (every
 * row of a type has the same kind). */
static const tok_def_t *def_any(CK_ATTRIBUTE_TYPE type)
{
    return def_for(0xFFu, 0xFFu, type);
}

/* One entry of a stored attribute array. */
typedef struct arr_entry {
    uint32_t type;
    const uint8_t *v;
    uint32_t len;
    const tok_def_t *r;
} arr_entry_t;

/* The entry at *off (then advanced past it): 1; 0 at the end; -1 if the
 * bytes are not an attribute array (nested arrays are not). */
static int arr_next(const uint8_t *p, size_t len, size_t *off, arr_entry_t *e)
{
    if (*off == len) {
        return 0;
    }
    if (len - *off < TOK_ATTR_HEADER) {
        return -1;
    }
    e->type = tok_get32(p + *off);
    e->len = tok_get32(p + *off + 4);
    e->v = p + *off + TOK_ATTR_HEADER;
    e->r = def_any(e->type);
    if (e->len > len - *off - TOK_ATTR_HEADER || e->r == NULL || e->r->kind == K_ATTRS ||
        (e->r->kind == K_BOOL && e->len != 1) || (e->r->kind == K_ULONG && e->len != 4) ||
        (e->r->kind == K_MECHS && e->len % 4 != 0)) {
        return -1;
    }
    *off += TOK_ATTR_HEADER + e->len;
    return 1;
}

/* Length of an entry's value in PKCS#11 form. */
static size_t arr_ck_len(const arr_entry_t *e)
{
    return e->r->kind == K_ULONG || e->r->kind == K_MECHS ? e->len / 4 * sizeof(CK_ULONG) : e->len;
}

/* An entry's value in PKCS#11 form into dst (arr_ck_len() bytes). */
static void arr_ck_copy(const arr_entry_t *e, void *dst)
{
    if (e->r->kind == K_ULONG || e->r->kind == K_MECHS) {
        for (size_t i = 0; i < e->len / 4; i++) {
            CK_ULONG w = from_wire(tok_get32(e->v + 4 * i));
            memcpy((uint8_t *)dst + i * sizeof(CK_ULONG), &w, sizeof(w));
        }
    } else if (e->len > 0) {
        memcpy(dst, e->v, e->len);
    }
}

/* Bytes a template attribute takes in stored form. */
static size_t stored_len(const tok_def_t *r, const CK_ATTRIBUTE *a)
{
    switch (r->kind) {
    case K_BOOL: return 1;
    case K_ULONG: return 4;
    case K_MECHS: return a->ulValueLen / sizeof(CK_ULONG) * 4;
    default: return a->ulValueLen;
    }
}

/* A template's attribute array: at most TOK_TMPL_MAX attributes and
 * TOK_TMPL_WORDS CK_ULONG values, each known, once, well formed, none an
 * array itself. */
static CK_RV check_array(const CK_ATTRIBUTE *a)
{
    if (a->ulValueLen % sizeof(CK_ATTRIBUTE) != 0 || a->ulValueLen / sizeof(CK_ATTRIBUTE) > TOK_TMPL_MAX) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    const CK_ATTRIBUTE *t = a->pValue;
    CK_ULONG n = a->ulValueLen / sizeof(CK_ATTRIBUTE);
    size_t words = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        const tok_def_t *r = def_any(t[i].type);
        if (r == NULL || r->kind == K_ATTRS || check_value(r, &t[i]) != CKR_OK) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        for (CK_ULONG j = 0; j < i; j++) {
            if (t[j].type == t[i].type) {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
        }
        words += r->kind == K_ULONG ? 1 : r->kind == K_MECHS ? t[i].ulValueLen / sizeof(CK_ULONG) : 0;
    }
    return words <= TOK_TMPL_WORDS ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}

/* Append a template's attribute array (checked by check_array()) as one
 * stored entry. */
static CK_RV emit_array(uint8_t *out, size_t cap, size_t *off, uint32_t type, const uint8_t *p, size_t len)
{
    const CK_ATTRIBUTE *t = (const CK_ATTRIBUTE *)(const void *)p;
    CK_ULONG n = len / sizeof(CK_ATTRIBUTE);
    size_t total = 0;
    for (CK_ULONG i = 0; i < n; i++) {
        total += TOK_ATTR_HEADER + stored_len(def_any(t[i].type), &t[i]);
    }
    if (total > cap || cap - total < *off + TOK_ATTR_HEADER) {
        return CKR_DEVICE_MEMORY;
    }
    tok_put32(out + *off, type);
    tok_put32(out + *off + 4, (uint32_t)total);
    size_t at = *off + TOK_ATTR_HEADER;
    for (CK_ULONG i = 0; i < n; i++) {
        const tok_def_t *r = def_any(t[i].type);
        size_t sl = stored_len(r, &t[i]);
        tok_put32(out + at, (uint32_t)t[i].type);
        tok_put32(out + at + 4, (uint32_t)sl);
        at += TOK_ATTR_HEADER;
        if (r->kind == K_BOOL) {
            out[at] = *(const CK_BBOOL *)t[i].pValue != CK_FALSE;
        } else if (r->kind == K_ULONG || r->kind == K_MECHS) {
            for (size_t k = 0; k < sl / 4; k++) {
                CK_ULONG v;
                uint32_t w = 0;
                memcpy(&v, (const uint8_t *)t[i].pValue + k * sizeof(CK_ULONG), sizeof(v));
                (void)to_wire(v, &w); /* checked by check_value() */
                tok_put32(out + at + 4 * k, w);
            }
        } else if (sl > 0) {
            memcpy(out + at, t[i].pValue, sl);
        }
        at += sl;
    }
    *off = at;
    return CKR_OK;
}

/* Whether the template attribute \p u says what the stored entry \p e says
 * (booleans by truth value). */
static int arr_entry_equals(const arr_entry_t *e, const CK_ATTRIBUTE *u)
{
    if (u->type != e->type || u->ulValueLen != arr_ck_len(e) || (u->ulValueLen > 0 && u->pValue == NULL)) {
        return 0;
    }
    if (e->r->kind == K_BOOL) {
        return (*(const CK_BBOOL *)u->pValue != CK_FALSE) == (e->v[0] != 0);
    }
    if (e->r->kind == K_ULONG || e->r->kind == K_MECHS) {
        for (size_t i = 0; i < e->len / 4; i++) {
            CK_ULONG w;
            memcpy(&w, (const uint8_t *)u->pValue + i * sizeof(CK_ULONG), sizeof(w));
            if (w != from_wire(tok_get32(e->v + 4 * i))) {
                return 0;
            }
        }
        return 1;
    }
    return e->len == 0 || memcmp(u->pValue, e->v, e->len) == 0;
}

/* C_GetAttributeValue of an attribute array: the number of attributes
 * (times sizeof(CK_ATTRIBUTE)) for a NULL buffer; else each element of the
 * caller's array gets the type and, as for any attribute, the length (NULL
 * pValue), the value, or CK_UNAVAILABLE_INFORMATION and
 * CKR_BUFFER_TOO_SMALL. */
static CK_RV get_array(const tok_obj_t *o, const tok_def_t *r, CK_ATTRIBUTE *a)
{
    const uint8_t *p = NULL;
    size_t len = 0, off = 0;
    (void)tok_obj_value(o, r->type, &p, &len);
    arr_entry_t e;
    CK_ULONG n = 0;
    int got;
    while ((got = arr_next(p, len, &off, &e)) > 0) {
        n++;
    }
    if (got < 0) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_DEVICE_ERROR;
    }
    if (a->pValue == NULL_PTR) {
        a->ulValueLen = n * sizeof(CK_ATTRIBUTE);
        return CKR_OK;
    }
    if (a->ulValueLen < n * sizeof(CK_ATTRIBUTE)) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    CK_ATTRIBUTE *t = a->pValue;
    CK_RV rv = CKR_OK;
    off = 0;
    for (CK_ULONG i = 0; arr_next(p, len, &off, &e) > 0; i++) {
        size_t need = arr_ck_len(&e);
        t[i].type = e.type;
        if (t[i].pValue == NULL_PTR) {
            t[i].ulValueLen = need;
        } else if (t[i].ulValueLen < need) {
            t[i].ulValueLen = CK_UNAVAILABLE_INFORMATION;
            rv = CKR_BUFFER_TOO_SMALL;
        } else {
            arr_ck_copy(&e, t[i].pValue);
            t[i].ulValueLen = need;
        }
    }
    a->ulValueLen = n * sizeof(CK_ATTRIBUTE);
    return rv;
}

/* Whether a stored array equals a template's (same attributes, same order). */
static int array_equals(const uint8_t *p, size_t len, const CK_ATTRIBUTE *t)
{
    if (t->ulValueLen % sizeof(CK_ATTRIBUTE) != 0 || (t->ulValueLen > 0 && t->pValue == NULL)) {
        return 0;
    }
    const CK_ATTRIBUTE *u = t->pValue;
    CK_ULONG n = t->ulValueLen / sizeof(CK_ATTRIBUTE), i = 0;
    size_t off = 0;
    arr_entry_t e;
    int got;
    while ((got = arr_next(p, len, &off, &e)) > 0) {
        if (i == n || !arr_entry_equals(&e, &u[i])) {
            return 0;
        }
        i++;
    }
    return got == 0 && i == n;
}

CK_RV tok_tmpl_merge(const CK_ATTRIBUTE *tmpl, CK_ULONG n, const uint8_t *stored, size_t len, tok_tmpl_merged_t *m)
{
    if (n > TOK_TMPL_MERGED_MAX) {
        return CKR_DEVICE_MEMORY;
    }
    if (n > 0) {
        memcpy(m->attr, tmpl, n * sizeof(CK_ATTRIBUTE));
    }
    m->n = n;
    size_t off = 0, words = 0;
    arr_entry_t e;
    int got;
    while ((got = arr_next(stored, len, &off, &e)) > 0) {
        const CK_ATTRIBUTE *u = tok_tmpl_find(tmpl, n, e.type);
        if (u != NULL) {
            /* given by both: they must agree (a malformed value the
             * template engine reports) */
            if (check_value(e.r, u) == CKR_OK && !arr_entry_equals(&e, u)) {
                return CKR_TEMPLATE_INCONSISTENT;
            }
            continue;
        }
        size_t ck = arr_ck_len(&e);
        if (m->n == TOK_TMPL_MERGED_MAX || (e.r->kind == K_ULONG || e.r->kind == K_MECHS
                                                ? ck / sizeof(CK_ULONG) > TOK_TMPL_WORDS - words
                                                : 0)) {
            return CKR_DEVICE_MEMORY;
        }
        CK_ATTRIBUTE *a = &m->attr[m->n++];
        a->type = e.type;
        a->ulValueLen = ck;
        if (e.r->kind == K_ULONG || e.r->kind == K_MECHS) {
            a->pValue = &m->words[words];
            arr_ck_copy(&e, a->pValue);
            words += ck / sizeof(CK_ULONG);
        } else {
            a->pValue = (CK_VOID_PTR)(uintptr_t)e.v; /* read, never written */
        }
    }
    return got == 0 ? CKR_OK : CKR_DEVICE_ERROR;
}

int tok_obj_match_array(const tok_obj_t *o, const uint8_t *p, size_t len)
{
    uint8_t cbit = class_bit(o->cls);
    uint8_t sbit = sub_bit(cbit, o->sub);
    size_t off = 0;
    arr_entry_t e;
    int got;
    while ((got = arr_next(p, len, &off, &e)) > 0) {
        const tok_def_t *r = def_for(cbit, sbit, e.type);
        const uint8_t *v = NULL;
        size_t n = 0;
        /* an attribute the caller may not read never matches (no oracle) */
        if (r == NULL || !readable(o, r)) {
            return 0;
        }
        if (r->kind == K_BOOL) {
            if ((tok_obj_bool(o, e.type, CK_FALSE) != CK_FALSE) != (e.v[0] != 0)) {
                return 0;
            }
        } else if (e.type == CKA_CLASS) {
            if (from_wire(tok_get32(e.v)) != o->cls) {
                return 0;
            }
        } else {
            if (!tok_obj_value(o, e.type, &v, &n)) {
                n = 0; /* no entry: empty */
            }
            if (n != e.len || (n > 0 && memcmp(v, e.v, n) != 0)) {
                return 0; /* both in stored form */
            }
        }
    }
    return got == 0;
}
#endif /* TOK_ATTR_ARRAYS */

/* ------------------------------------------------------------------------
 * Reading attributes out, and matching templates
 * ---------------------------------------------------------------------- */

/* An object's attribute in PKCS#11 form: numbers and booleans in num/b,
 * byte strings and mechanism lists pointing into the object. */
typedef struct ck_value {
    const uint8_t *p;
    size_t len;     /* in PKCS#11 form (a mechanism list: count * sizeof(CK_ULONG)) */
    CK_ULONG num;
    CK_BBOOL b;
    uint8_t kind;
} ck_value_t;

/* Whether the caller may see r's value in o. */
static int readable(const tok_obj_t *o, const tok_def_t *r)
{
    return (r->flags & F_SENS) == 0 ||
           (tok_obj_bool(o, CKA_SENSITIVE, CK_TRUE) == CK_FALSE && tok_obj_bool(o, CKA_EXTRACTABLE, CK_FALSE) == CK_TRUE);
}

static void object_value(const tok_obj_t *o, const tok_def_t *r, ck_value_t *v)
{
    const uint8_t *p = NULL;
    size_t n = 0;
    memset(v, 0, sizeof(*v));
    v->kind = r->kind;
    switch (r->kind) {
    case K_BOOL:
        v->b = tok_obj_bool(o, r->type, CK_FALSE);
        v->p = &v->b;
        v->len = sizeof(CK_BBOOL);
        break;
    case K_ULONG:
        if (r->type == CKA_CLASS) {
            v->num = o->cls;
        } else if (!tok_obj_value(o, r->type, &p, &n) || n != 4) {
            break; /* no value: empty */
        } else {
            v->num = from_wire(tok_get32(p));
        }
        v->p = (const uint8_t *)&v->num;
        v->len = sizeof(CK_ULONG);
        break;
    case K_MECHS:
        if (tok_obj_value(o, r->type, &p, &n)) {
            v->p = p;
            v->len = n / 4 * sizeof(CK_ULONG);
        }
        break;
    default: /* bytes, dates; attribute arrays in stored form */
        if (tok_obj_value(o, r->type, &p, &n)) {
            v->p = p;
            v->len = n;
        }
        break;
    }
}

/* Copy a value out in PKCS#11 form (dst has room for v->len). */
static void copy_out(const ck_value_t *v, void *dst)
{
    if (v->kind == K_MECHS) {
        for (size_t i = 0; i < v->len / sizeof(CK_ULONG); i++) {
            CK_ULONG m = from_wire(tok_get32(v->p + 4 * i));
            memcpy((uint8_t *)dst + i * sizeof(CK_ULONG), &m, sizeof(m));
        }
    } else if (v->len > 0) {
        memcpy(dst, v->p, v->len);
    }
}

CK_RV tok_obj_get(const tok_obj_t *o, CK_ATTRIBUTE *a)
{
    uint8_t cbit = class_bit(o->cls);
    const tok_def_t *r = def_for(cbit, sub_bit(cbit, o->sub), a->type);
    if (r == NULL) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if (!readable(o, r)) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_SENSITIVE;
    }
#if TOK_ATTR_ARRAYS
    if (r->kind == K_ATTRS) {
        return get_array(o, r, a);
    }
#endif
    ck_value_t v;
    object_value(o, r, &v);
    if (a->pValue == NULL_PTR) {
        a->ulValueLen = v.len;
        return CKR_OK;
    }
    if (a->ulValueLen < v.len) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    copy_out(&v, a->pValue);
    a->ulValueLen = v.len;
    return CKR_OK;
}

/* Whether the template attribute t (any type) equals the object's value. */
static int value_equals(const ck_value_t *v, const CK_ATTRIBUTE *t)
{
    switch (v->kind) {
    case K_BOOL:
        return t->ulValueLen == sizeof(CK_BBOOL) && t->pValue != NULL &&
               (*(const CK_BBOOL *)t->pValue != CK_FALSE) == (v->b != CK_FALSE);
    case K_ULONG: {
        CK_ULONG n;
        if (v->len == 0) {
            return t->ulValueLen == 0;
        }
        if (t->ulValueLen != sizeof(CK_ULONG) || t->pValue == NULL) {
            return 0;
        }
        memcpy(&n, t->pValue, sizeof(n));
        return n == v->num;
    }
    case K_MECHS:
        if (t->ulValueLen != v->len || (v->len > 0 && t->pValue == NULL)) {
            return 0;
        }
        for (size_t i = 0; i < v->len / sizeof(CK_ULONG); i++) {
            CK_ULONG m;
            memcpy(&m, (const uint8_t *)t->pValue + i * sizeof(CK_ULONG), sizeof(m));
            if (m != from_wire(tok_get32(v->p + 4 * i))) {
                return 0;
            }
        }
        return 1;
#if TOK_ATTR_ARRAYS
    case K_ATTRS:
        return array_equals(v->p, v->len, t);
#endif
    default:
        return t->ulValueLen == v->len && (v->len == 0 || (t->pValue != NULL && memcmp(t->pValue, v->p, v->len) == 0));
    }
}

int tok_obj_match(const tok_obj_t *o, const CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    uint8_t cbit = class_bit(o->cls);
    uint8_t sbit = sub_bit(cbit, o->sub);
    for (CK_ULONG i = 0; i < n; i++) {
        const tok_def_t *r = def_for(cbit, sbit, tmpl[i].type);
        if (r == NULL || !readable(o, r)) {
            return 0;
        }
        ck_value_t v;
        object_value(o, r, &v);
        if (!value_equals(&v, &tmpl[i])) {
            return 0;
        }
    }
    return 1;
}

/* ------------------------------------------------------------------------
 * Templates
 * ---------------------------------------------------------------------- */

const CK_ATTRIBUTE *tok_tmpl_find(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < n; i++) {
        if (t[i].type == type) {
            return &t[i];
        }
    }
    return NULL;
}

int tok_tmpl_bool(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_BBOOL *v)
{
    const CK_ATTRIBUTE *a = tok_tmpl_find(t, n, type);
    if (a == NULL) {
        return 0;
    }
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_BBOOL)) {
        return -1;
    }
    *v = *(const CK_BBOOL *)a->pValue != CK_FALSE ? CK_TRUE : CK_FALSE;
    return 1;
}

int tok_tmpl_ulong(const CK_ATTRIBUTE *t, CK_ULONG n, CK_ATTRIBUTE_TYPE type, CK_ULONG *v)
{
    const CK_ATTRIBUTE *a = tok_tmpl_find(t, n, type);
    if (a == NULL) {
        return 0;
    }
    if (a->pValue == NULL || a->ulValueLen != sizeof(CK_ULONG)) {
        return -1;
    }
    memcpy(v, a->pValue, sizeof(*v));
    return 1;
}

/* Kind and value checks of one template attribute against row r. */
static CK_RV check_value(const tok_def_t *r, const CK_ATTRIBUTE *a)
{
    CK_ULONG num = 0;
    uint32_t w;
    if (a->pValue == NULL && a->ulValueLen > 0) {
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    switch (r->kind) {
    case K_BOOL:
        if (a->ulValueLen != sizeof(CK_BBOOL)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        break;
    case K_ULONG:
        if (a->ulValueLen != sizeof(CK_ULONG)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        memcpy(&num, a->pValue, sizeof(num));
        if (!to_wire(num, &w)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        break;
    case K_MECHS:
        if (a->ulValueLen % sizeof(CK_ULONG) != 0) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        for (CK_ULONG i = 0; i < a->ulValueLen / sizeof(CK_ULONG); i++) {
            memcpy(&num, (const uint8_t *)a->pValue + i * sizeof(CK_ULONG), sizeof(num));
            if (!to_wire(num, &w)) {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
        }
        break;
#if TOK_ATTR_ARRAYS
    case K_ATTRS:
        return check_array(a);
#endif
    case K_DATE:
        if (a->ulValueLen != 0 && a->ulValueLen != sizeof(CK_DATE)) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        for (CK_ULONG i = 0; i < a->ulValueLen; i++) {
            uint8_t c = ((const uint8_t *)a->pValue)[i];
            if (c < '0' || c > '9') {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
        }
        break;
    default:
        break;
    }
    switch (r->check) {
    case V_CLASS:
        return class_bit(num) != 0 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case V_KEY_TYPE:
        return known_key_type(num) ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case V_CERT_TYPE:
        return num == CKC_X_509 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case V_CATEGORY:
        return num <= CK_CERTIFICATE_CATEGORY_OTHER_ENTITY ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    case V_AES_LEN:
        return a->ulValueLen == 16 || a->ulValueLen == 24 || a->ulValueLen == 32 ? CKR_OK
                                                                                  : CKR_ATTRIBUTE_VALUE_INVALID;
    case V_NONEMPTY:
        return a->ulValueLen > 0 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    default:
        return CKR_OK;
    }
}

/* ------------------------------------------------------------------------
 * Building an object
 * ---------------------------------------------------------------------- */

/* A value from one of the sources, in PKCS#11 form (ck) or stored form. */
typedef struct src_value {
    const uint8_t *p;
    size_t len;
    int stored; /* 1: stored form (numbers are 32-bit words) */
} src_value_t;

/* Attributes computed from others. */
typedef struct derived {
    nvt_crypto_x509_fields_t cert;
    int have_cert;
    CK_ULONG value_len;
    int have_value_len;
    CK_ULONG modulus_bits;
    int have_modulus_bits;
} derived_t;

typedef struct build_ctx {
    const tok_build_t *b;
    uint8_t cbit;
    uint8_t sbit;
    CK_OBJECT_CLASS cls;
    CK_ULONG sub;
    derived_t d;
} build_ctx_t;

/* Whether an object is built from a base object (C_CopyObject,
 * C_SetAttributeValue): never in a profile without both, whose compiler
 * then leaves those paths out. */
#define FROM_BASE(b)                                                                                        \
    ((NVT_CONFIG_TOKEN_COPY || NVT_CONFIG_TOKEN_SET_ATTRIBUTE) &&                                          \
     ((b)->mode == TOK_BUILD_COPY || (b)->mode == TOK_BUILD_SET))

/* First source with a value for r->type: template, what the mechanism
 * made, the base object, derived. */
static int resolve(const build_ctx_t *c, const tok_def_t *r, src_value_t *v)
{
    const tok_build_t *b = c->b;
    const CK_ATTRIBUTE *a;
    const derived_t *d = &c->d;
    v->stored = 0;
    /* Facts about the value win over anything a template says. */
    if (r->type == CKA_VALUE_LEN && d->have_value_len) {
        v->p = (const uint8_t *)&d->value_len;
        v->len = sizeof(CK_ULONG);
        return 1;
    }
    if (r->type == CKA_MODULUS_BITS && d->have_modulus_bits) {
        v->p = (const uint8_t *)&d->modulus_bits;
        v->len = sizeof(CK_ULONG);
        return 1;
    }
    if ((a = tok_tmpl_find(b->tmpl, b->tmpl_n, r->type)) != NULL ||
        (a = tok_tmpl_find(b->made, b->made_n, r->type)) != NULL) {
        v->p = a->pValue;
        v->len = a->ulValueLen;
        return 1;
    }
    if (b->base != NULL && FROM_BASE(b) && tok_obj_value(b->base, r->type, &v->p, &v->len)) {
        v->stored = 1;
        return 1;
    }
    if (d->have_cert && b->mode == TOK_BUILD_CREATE) {
        const nvt_crypto_span_t *s = r->type == CKA_SUBJECT         ? &d->cert.subject
                                     : r->type == CKA_ISSUER        ? &d->cert.issuer
                                     : r->type == CKA_SERIAL_NUMBER ? &d->cert.serial
                                                                    : NULL;
        if (s != NULL) {
            v->p = s->p;
            v->len = s->len;
            return 1;
        }
    }
    return 0;
}

/* Resolve a boolean: sources, then the default; -1 if none applies
 * (attributes the token maintains). */
static int resolve_bool(const build_ctx_t *c, const tok_def_t *r)
{
    const tok_build_t *b = c->b;
    CK_BBOOL v;
    if (tok_tmpl_bool(b->tmpl, b->tmpl_n, r->type, &v) == 1 || tok_tmpl_bool(b->made, b->made_n, r->type, &v) == 1) {
        return v;
    }
    if (b->base != NULL && FROM_BASE(b)) {
        int bit = bool_bit(r->type);
        if (bit >= 0 && (b->base->bool_set & (1u << bit)) != 0) {
            return (b->base->bool_val & (1u << bit)) != 0;
        }
    }
    switch (r->dflt) {
    case D_TRUE: return 1;
    case D_KEYS: return c->cbit == C_PRIV || c->cbit == C_SEC;
    case D_TOKEN: return -1;
    default: return 0;
    }
}

/* The class and key/certificate type of the new object. */
static CK_RV class_of(build_ctx_t *c)
{
    const tok_build_t *b = c->b;
    CK_ULONG cls = CK_UNAVAILABLE_INFORMATION, sub = CK_UNAVAILABLE_INFORMATION, v;
    if (FROM_BASE(b)) {
        cls = b->base->cls;
        sub = b->base->sub;
    } else {
        int got = tok_tmpl_ulong(b->tmpl, b->tmpl_n, CKA_CLASS, &v);
        if (got < 0) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        if (b->mode == TOK_BUILD_CREATE || b->cls == CK_UNAVAILABLE_INFORMATION) {
            if (got == 0) {
                return CKR_TEMPLATE_INCOMPLETE;
            }
            cls = v;
        } else {
            cls = b->cls;
            if (got == 1 && v != cls) {
                return CKR_TEMPLATE_INCONSISTENT;
            }
        }
        if (class_bit(cls) == 0) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        if (cls != CKO_DATA) {
            CK_ATTRIBUTE_TYPE st = cls == CKO_CERTIFICATE ? CKA_CERTIFICATE_TYPE : CKA_KEY_TYPE;
            got = tok_tmpl_ulong(b->tmpl, b->tmpl_n, st, &v);
            if (got < 0) {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
            if (b->mode == TOK_BUILD_CREATE || b->sub == CK_UNAVAILABLE_INFORMATION) {
                if (got == 0 && tok_tmpl_ulong(b->made, b->made_n, st, &v) != 1) {
                    return CKR_TEMPLATE_INCOMPLETE;
                }
                sub = v;
            } else {
                sub = b->sub;
                if (got == 1 && v != sub) {
                    return CKR_TEMPLATE_INCONSISTENT;
                }
            }
        } else {
            sub = 0;
        }
    }
    c->cls = cls;
    c->sub = sub;
    c->cbit = class_bit(cls);
    c->sbit = sub_bit(c->cbit, sub);
    if (c->sbit == 0) {
        /* A known key type on the wrong class (an AES private key) is a
         * contradiction; an unknown one is simply not supported. */
        return known_key_type(sub) ? CKR_TEMPLATE_INCONSISTENT : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    return CKR_OK;
}

/* Whether the template may give attribute r in this mode. */
static CK_RV may_give(const tok_build_t *b, const tok_def_t *r)
{
    switch (b->mode) {
    case TOK_BUILD_CREATE:
        return (r->flags & F_NOCREATE) != 0 ? CKR_ATTRIBUTE_READ_ONLY : CKR_OK;
    case TOK_BUILD_GENERATE:
    case TOK_BUILD_UNWRAP:
    case TOK_BUILD_DERIVE:
        return (r->flags & F_NOGEN) != 0 || r->dflt == D_TOKEN ? CKR_ATTRIBUTE_READ_ONLY : CKR_OK;
    case TOK_BUILD_COPY:
        return (r->flags & (F_MOD | F_COPY)) != 0 ? CKR_OK : CKR_ATTRIBUTE_READ_ONLY;
    default: /* SET */
        return (r->flags & F_MOD) != 0 ? CKR_OK : CKR_ATTRIBUTE_READ_ONLY;
    }
}

/* Every template attribute: known here, allowed in this mode, well
 * formed, given once, one-way booleans respected. */
static CK_RV check_template(const build_ctx_t *c)
{
    const tok_build_t *b = c->b;
    for (CK_ULONG i = 0; i < b->tmpl_n; i++) {
        const CK_ATTRIBUTE *a = &b->tmpl[i];
        const tok_def_t *r = def_for(c->cbit, c->sbit, a->type);
        if (r == NULL) {
            return CKR_ATTRIBUTE_TYPE_INVALID;
        }
        CK_RV rv = may_give(b, r);
        if (rv == CKR_OK) {
            rv = check_value(r, a); /* a NULL value with a length stops here */
        }
        if (rv != CKR_OK) {
            return rv;
        }
        for (CK_ULONG j = 0; j < i; j++) {
            if (b->tmpl[j].type == a->type &&
                (b->tmpl[j].ulValueLen != a->ulValueLen ||
                 (a->ulValueLen > 0 && memcmp(b->tmpl[j].pValue, a->pValue, a->ulValueLen) != 0))) {
                return CKR_TEMPLATE_INCONSISTENT;
            }
        }
        if (r->kind != K_BOOL) {
            continue;
        }
        int now = *(const CK_BBOOL *)a->pValue != CK_FALSE;
        if ((r->flags & F_SO) != 0 && now && !b->so) {
            return CKR_ATTRIBUTE_READ_ONLY;
        }
        if (b->base != NULL && FROM_BASE(b)) {
            int was = tok_obj_bool(b->base, r->type, CK_FALSE) != CK_FALSE;
            if (((r->flags & F_STICKY_T) != 0 && was && !now) || ((r->flags & F_STICKY_F) != 0 && !was && now)) {
                return CKR_ATTRIBUTE_READ_ONLY;
            }
        }
    }
    return CKR_OK;
}

/* Bit length of a big-endian unsigned integer. */
static CK_ULONG bit_length(const uint8_t *p, size_t len)
{
    size_t i = 0;
    while (i < len && p[i] == 0) {
        i++;
    }
    if (i == len) {
        return 0;
    }
    CK_ULONG bits = (CK_ULONG)(len - i - 1) * 8;
    for (uint8_t top = p[i]; top != 0; top >>= 1) {
        bits++;
    }
    return bits;
}

/* Attributes computed from the object's other values. */
static CK_RV derive(build_ctx_t *c)
{
    const tok_def_t value_row = { CKA_VALUE, K_BYTES, 0, 0, 0, 0, 0 };
    const tok_def_t modulus_row = { CKA_MODULUS, K_BYTES, 0, 0, 0, 0, 0 };
    src_value_t v;
    if (c->cbit == C_CERT && c->b->mode == TOK_BUILD_CREATE && resolve(c, &value_row, &v)) {
        c->d.have_cert = nvt_crypto_x509_fields(v.p, v.len, &c->d.cert) == NVT_OK;
        if (!c->d.have_cert && tok_tmpl_find(c->b->tmpl, c->b->tmpl_n, CKA_SUBJECT) == NULL) {
            return CKR_ATTRIBUTE_VALUE_INVALID; /* nothing to take the subject from */
        }
    }
    if (c->cbit == C_SEC && resolve(c, &value_row, &v)) {
        c->d.value_len = v.len;
        c->d.have_value_len = 1;
    }
    if (c->sbit == S_RSA && c->cbit == C_PUB && resolve(c, &modulus_row, &v)) {
        c->d.modulus_bits = bit_length(v.p, v.len);
        c->d.have_modulus_bits = 1;
    }
    return CKR_OK;
}

/* The booleans the token maintains (CKA_LOCAL, CKA_ALWAYS_SENSITIVE,
 * CKA_NEVER_EXTRACTABLE) from the final CKA_SENSITIVE / CKA_EXTRACTABLE. */
static int maintained_bool(const build_ctx_t *c, CK_ATTRIBUTE_TYPE type, int sensitive, int extractable)
{
    const tok_build_t *b = c->b;
    if (FROM_BASE(b)) {
        return tok_obj_bool(b->base, type, CK_FALSE) != CK_FALSE;
    }
    switch (b->mode) {
    case TOK_BUILD_GENERATE:
        return type == CKA_LOCAL ? 1 : type == CKA_ALWAYS_SENSITIVE ? sensitive : !extractable;
#if NVT_TOKEN_HAS_DERIVE
    case TOK_BUILD_DERIVE:
        if (type == CKA_LOCAL) {
            return 0;
        }
        return type == CKA_ALWAYS_SENSITIVE
                   ? sensitive && tok_obj_bool(b->base, CKA_ALWAYS_SENSITIVE, CK_FALSE) != CK_FALSE
                   : !extractable && tok_obj_bool(b->base, CKA_NEVER_EXTRACTABLE, CK_FALSE) != CK_FALSE;
#endif
    default: /* CREATE, UNWRAP: the value came from outside */
        return 0;
    }
}

/* Append one stored entry. */
static CK_RV emit(uint8_t *out, size_t cap, size_t *off, uint32_t type, const uint8_t *p, size_t len)
{
    if (len > cap || cap - len < *off + TOK_ATTR_HEADER) {
        return CKR_DEVICE_MEMORY;
    }
    tok_put32(out + *off, type);
    tok_put32(out + *off + 4, (uint32_t)len);
    if (len > 0) {
        memcpy(out + *off + TOK_ATTR_HEADER, p, len);
    }
    *off += TOK_ATTR_HEADER + len;
    return CKR_OK;
}

/* Append a number or mechanism list given in PKCS#11 form, as 32-bit words. */
static CK_RV emit_words(uint8_t *out, size_t cap, size_t *off, uint32_t type, const uint8_t *p, size_t len)
{
    size_t n = len / sizeof(CK_ULONG);
    if (n * 4 > cap || cap - n * 4 < *off + TOK_ATTR_HEADER) {
        return CKR_DEVICE_MEMORY;
    }
    tok_put32(out + *off, type);
    tok_put32(out + *off + 4, (uint32_t)(n * 4));
    for (size_t i = 0; i < n; i++) {
        CK_ULONG v;
        uint32_t w = 0;
        memcpy(&v, p + i * sizeof(CK_ULONG), sizeof(v));
        (void)to_wire(v, &w); /* checked by check_value() */
        tok_put32(out + *off + TOK_ATTR_HEADER + 4 * i, w);
    }
    *off += TOK_ATTR_HEADER + n * 4;
    return CKR_OK;
}

CK_RV tok_obj_build(const tok_build_t *b, uint8_t *out, size_t cap, size_t *len)
{
    if (b == NULL || out == NULL || len == NULL || (b->tmpl == NULL && b->tmpl_n > 0) ||
        ((b->mode == TOK_BUILD_COPY || b->mode == TOK_BUILD_SET || b->mode == TOK_BUILD_DERIVE) && b->base == NULL)) {
        return CKR_ARGUMENTS_BAD;
    }
    build_ctx_t c;
    memset(&c, 0, sizeof(c));
    c.b = b;
    CK_RV rv = class_of(&c);
    if (rv == CKR_OK) {
        rv = check_template(&c);
    }
    if (rv == CKR_OK) {
        rv = derive(&c);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (cap < TOK_OBJ_HEADER) {
        return CKR_DEVICE_MEMORY;
    }

    /* Booleans: the header's masks. */
    uint32_t set = 0, val = 0;
    for (size_t i = 0; i < SCHEMA_ROWS; i++) {
        const tok_def_t *r = &tok_schema[i];
        if (r->kind != K_BOOL || !applies(r, c.cbit, c.sbit)) {
            continue;
        }
        int v = resolve_bool(&c, r);
        if (v >= 0) {
            int bit = bool_bit(r->type);
            set |= 1u << bit;
            val |= (uint32_t)(v != 0) << bit;
        }
    }
    /* A key that asks for the PIN at every use is private (PKCS#11 4.9). */
    if (c.cbit == C_PRIV && ((val >> bool_bit(CKA_ALWAYS_AUTHENTICATE)) & 1u) != 0 &&
        ((val >> bool_bit(CKA_PRIVATE)) & 1u) == 0) {
        return CKR_TEMPLATE_INCONSISTENT;
    }
    if (c.cbit == C_PRIV || c.cbit == C_SEC || c.cbit == C_PUB) {
        int sens = (val >> bool_bit(CKA_SENSITIVE)) & 1u;
        int extr = (val >> bool_bit(CKA_EXTRACTABLE)) & 1u;
        static const CK_ATTRIBUTE_TYPE kept[] = { CKA_LOCAL, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE };
        for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
            if (def_for(c.cbit, c.sbit, kept[i]) != NULL) {
                int bit = bool_bit(kept[i]);
                set |= 1u << bit;
                val |= (uint32_t)maintained_bool(&c, kept[i], sens, extr) << bit;
            }
        }
    }

    /* Everything else, in type order. */
    size_t off = TOK_OBJ_HEADER;
    unsigned count = 0;
    for (size_t i = 0; i < SCHEMA_ROWS && rv == CKR_OK; i++) {
        const tok_def_t *r = &tok_schema[i];
        if (r->kind == K_BOOL || r->type == CKA_CLASS || !applies(r, c.cbit, c.sbit)) {
            continue;
        }
        src_value_t v;
        CK_ULONG num;
        if (r->type == CKA_KEY_GEN_MECHANISM && !FROM_BASE(b)) {
            num = b->mode == TOK_BUILD_GENERATE ? b->mech : CK_UNAVAILABLE_INFORMATION;
            v.p = (const uint8_t *)&num;
            v.len = sizeof(num);
            v.stored = 0;
        } else if (!resolve(&c, r, &v)) {
            if ((r->flags & F_REQ) != 0 && b->mode == TOK_BUILD_CREATE) {
                return CKR_TEMPLATE_INCOMPLETE;
            }
            if (r->kind == K_ULONG && (r->dflt == D_ZERO || r->type == CKA_CERTIFICATE_TYPE || r->type == CKA_KEY_TYPE)) {
                num = r->dflt == D_ZERO ? 0 : c.sub;
                v.p = (const uint8_t *)&num;
                v.len = sizeof(num);
                v.stored = 0;
            } else {
                continue; /* no value: reads as empty */
            }
        }
        if (!v.stored && (r->kind == K_ULONG || r->kind == K_MECHS)) {
            rv = emit_words(out, cap, &off, r->type, v.p, v.len);
#if TOK_ATTR_ARRAYS
        } else if (!v.stored && r->kind == K_ATTRS) {
            rv = emit_array(out, cap, &off, r->type, v.p, v.len);
#endif
        } else {
            rv = emit(out, cap, &off, r->type, v.p, v.len);
        }
        count++;
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (count > 0xFFFFu) {
        return CKR_DEVICE_MEMORY;
    }
    uint32_t cls_wire = 0;
    (void)to_wire(c.cls, &cls_wire);
    out[0] = TOK_OBJ_VERSION;
    out[1] = 0;
    out[2] = (uint8_t)count;
    out[3] = (uint8_t)(count >> 8);
    tok_put32(out + 4, b->gen);
    tok_put32(out + 8, b->uid);
    tok_put32(out + 12, cls_wire);
    tok_put32(out + 16, set);
    tok_put32(out + 20, val);
    *len = off;
    return CKR_OK;
}

int nvt_token_object_label(const void *rec, size_t len, char *label, size_t cap)
{
    tok_obj_t o;
    const uint8_t *v = NULL;
    size_t n = 0;
    if (rec == NULL || label == NULL || cap == 0) {
        return NVT_E_INVALID;
    }
    label[0] = '\0';
    if (tok_obj_parse(&o, rec, len) != CKR_OK) {
        return NVT_E_CORRUPT;
    }
    if (!tok_obj_value(&o, CKA_LABEL, &v, &n)) {
        return NVT_E_NOT_FOUND;
    }
    n = n < cap - 1 ? n : cap - 1;
    memcpy(label, v, n);
    label[n] = '\0';
    return NVT_OK;
}
