/**
 * \file tok_mech.h
 * \brief The mechanism dispatch table: how a PKCS#11 mechanism plugs into
 *        the token.
 *
 * Every mechanism is one constant tok_mech_t row in a table
 * (tok_mech_table.c). A row says what C_GetMechanismInfo reports and points
 * to the functions that do the work, one set per kind of operation. The
 * token owns everything the mechanisms share - sessions, key handles and
 * their policy (CKA_SIGN, CKA_ALLOWED_MECHANISMS, ...), the operation-state
 * rules, buffer-length negotiation, making objects from templates - so a
 * mechanism only does its cryptography, through src/crypto/nvt_crypto.h.
 * The PKCS#11 layer never changes when a mechanism is added.
 *
 * Operation-state rules the engine (tok_op.c) applies to every mechanism:
 * - one active operation per kind per session (CKR_OPERATION_ACTIVE), at
 *   most NVT_CONFIG_TOKEN_OPS_PER_SESSION kinds at once;
 * - calls without an active operation: CKR_OPERATION_NOT_INITIALIZED;
 * - a single-part call after update: the operation ends, CKR_OPERATION_ACTIVE;
 * - an operation ends when its single-part or final call succeeds, and on
 *   any error, except CKR_BUFFER_TOO_SMALL and a successful length query
 *   (output pointer NULL), which leave it active for the retry.
 *
 * Contract for the functions of tok_op_class_t:
 * - init() checks the parameters (CKR_MECHANISM_PARAM_INVALID) and the key
 *   (CKR_KEY_TYPE_INCONSISTENT, CKR_KEY_SIZE_RANGE) and sets up op->ctx; it
 *   copies what it needs from the key (or takes it in PSA from the key
 *   cache, tok_key_load()), as the key view is valid during init() only.
 *   Usage flags and visibility are checked before init() is called. A key
 *   the cache knows comes as a view (key->view): its header, CKA_KEY_TYPE
 *   and CKA_ALLOWED_MECHANISMS only; tok_key_load() or tok_key_object()
 *   get the rest. An init() that fails releases what it took.
 * - out_len() gives an upper bound of the output for \p in_len more input
 *   (\p last: the single-part or final call), for length queries.
 * - update() / final() / single() write at most *out_len bytes; when the
 *   output does not fit they set *out_len to the size needed, change
 *   nothing and return CKR_BUFFER_TOO_SMALL. For verify, final() and
 *   single() take the signature as \p sig and return CKR_SIGNATURE_INVALID
 *   or CKR_SIGNATURE_LEN_RANGE.
 * - single() may be NULL (then update() + final() serve single-part calls);
 *   update() may be NULL for single-part-only mechanisms (raw ECDSA).
 * - free() releases op->ctx (wiping it); called exactly once per init().
 */
#ifndef TOK_MECH_H
#define TOK_MECH_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"
#include "nvt_crypto.h"
#include "tok_attr.h"

/** Kinds of multi-part operation. */
typedef enum tok_op_kind {
    TOK_OP_NONE = 0,
    TOK_OP_ENCRYPT,
    TOK_OP_DECRYPT,
    TOK_OP_DIGEST,
    TOK_OP_SIGN,
    TOK_OP_VERIFY,
    TOK_OP_SIGN_RECOVER,
    TOK_OP_VERIFY_RECOVER,
    TOK_OP_KINDS
} tok_op_kind_t;

struct tok_ref;

/** A key as a mechanism sees it (valid during the call only). */
typedef struct tok_key {
    CK_OBJECT_HANDLE handle;
    const tok_obj_t *obj; /**< read attributes with tok_obj_value/_bool/_ulong */
    const struct tok_ref *ref; /**< where the object lives (for the key cache) */
    int view; /**< obj is the key cache's view of the object: header,
               *   CKA_KEY_TYPE and CKA_ALLOWED_MECHANISMS only */
} tok_key_t;

/** A key in PSA taken from the key cache (tok_keycache.c); release it. */
typedef struct tok_loaded {
    nvt_crypto_key_t key; /**< 0: none */
    size_t bits;          /**< the key's size */
    uint16_t entry;       /**< the cache entry it pins (0: the operation's own key) */
} tok_loaded_t;

/**
 * \brief The key in PSA for \p use: from the key cache, or loaded from the
 *        object (and kept in the cache). The cache entry stays pinned -
 *        never evicted - until tok_key_release().
 * \return CKR_OK; CKR_KEY_TYPE_INCONSISTENT (the key does not suit the use,
 *         or its material is bad); CKR_CURVE_NOT_SUPPORTED; an error
 *         reading the object.
 */
CK_RV tok_key_load(const tok_key_t *key, nvt_crypto_use_t use, tok_loaded_t *out);

/** \brief Let go of a key from tok_key_load() (zeroes \p l; safe twice). */
void tok_key_release(tok_loaded_t *l);

/**
 * \brief The whole object of \p key: key->obj, or (a view) read into
 *        \p full. \return CKR_OK or an error reading it.
 */
CK_RV tok_key_object(const tok_key_t *key, tok_obj_t *full, const tok_obj_t **o);

/** The attributes holding an RSA key's parts, in the crypto layer's order
 *  (nvt_crypto_key_material_t.v: n, e, d, p, q, dp, dq, qinv). */
extern const CK_ATTRIBUTE_TYPE tok_rsa_parts[NVT_CRYPTO_RSA_PARTS];

/**
 * \brief Key material of a key object for the crypto layer (pointing into
 *        the object).
 * \return CKR_OK; CKR_KEY_TYPE_INCONSISTENT (not a key type the token
 *         uses, or a value missing); CKR_CURVE_NOT_SUPPORTED.
 */
CK_RV tok_key_material(const tok_obj_t *o, nvt_crypto_key_material_t *m);

/**
 * \brief The uncompressed point in a CKA_EC_POINT value (a DER OCTET
 *        STRING, or the bare point) for \p curve.
 * \return CKR_OK (point->p points into \p p) or CKR_ARGUMENTS_BAD.
 */
CK_RV tok_ec_point(const uint8_t *p, size_t len, nvt_crypto_curve_t curve, nvt_crypto_span_t *point);

/** Public-key operation state: signatures, verification (tok_mech_ec.c,
 *  tok_mech_rsa.c). Multi-part mechanisms hash the data here. */
typedef struct tok_sig_ctx {
    nvt_crypto_hash_t h; /**< the data's digest (hashing mechanisms) */
    tok_loaded_t key;
    uint16_t len;        /**< signature length */
    uint8_t sig;         /**< nvt_crypto_sig_t */
    uint8_t hash;        /**< nvt_crypto_hash_alg_t the scheme uses */
    uint8_t hashing;     /**< 1: the mechanism hashes the data (multi-part) */
    uint8_t raw;         /**< 1: raw RSA (CKM_RSA_X_509) */
} tok_sig_ctx_t;

/** Longest OAEP label the token accepts (CKR_MECHANISM_PARAM_INVALID above). */
#define TOK_OAEP_LABEL_MAX 256u

/** RSA encryption state (tok_mech_rsa.c). */
typedef struct tok_rsa_ctx {
    tok_loaded_t key;
    uint16_t len;       /**< modulus bytes */
    uint8_t pad;        /**< nvt_crypto_rsa_pad_t */
    uint16_t label_len;
    uint8_t label[TOK_OAEP_LABEL_MAX];
} tok_rsa_ctx_t;

/** MAC state (tok_mech_mac.c). */
typedef struct tok_mac_ctx {
    nvt_crypto_mac_t m;
    uint8_t len; /**< MAC length */
} tok_mac_ctx_t;

/** AES mode state (tok_mech_aes.c). */
typedef struct tok_cipher_ctx {
    nvt_crypto_cipher_t c;
    uint64_t ctr_limit; /**< CTR: counter blocks before the counter bits wrap */
    uint64_t ctr_bytes; /**< CTR: bytes processed */
} tok_cipher_ctx_t;

/** Per-operation state a mechanism keeps. Add a member for a new kind of
 *  context; the union grows to the largest. */
typedef union tok_op_ctx {
    nvt_crypto_hash_t hash;
    tok_sig_ctx_t sig;
    tok_rsa_ctx_t rsa;
    tok_mac_ctx_t mac;
    tok_cipher_ctx_t cipher;
    nvt_crypto_aead_t aead;
    unsigned char small[64]; /**< a few bytes of state (simple mechanisms) */
    uint64_t align;
} tok_op_ctx_t;

struct tok_mech;

/** An active operation. */
typedef struct tok_op {
    tok_op_kind_t kind;          /**< TOK_OP_NONE when free */
    const struct tok_mech *mech; /**< its mechanism */
    uint8_t updated;             /**< an update() was made (no single-part call now) */
    /** CKA_ALWAYS_AUTHENTICATE: 0 if the key needs no login per use;
     *  TOK_OP_AUTHENTICATED after C_Login(CKU_CONTEXT_SPECIFIC); else the
     *  operation waits for that login (the higher, the later initialised). */
    uint32_t auth;
    tok_op_ctx_t ctx;            /**< the mechanism's state */
} tok_op_t;

/** tok_op_t.auth: the context-specific login was made. */
#define TOK_OP_AUTHENTICATED 0xFFFFFFFFu

/** The functions of one kind of operation of one mechanism. */
typedef struct tok_op_class {
    CK_RV (*init)(tok_op_t *op, const CK_MECHANISM *mech, const tok_key_t *key);
    CK_RV (*out_len)(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len);
    CK_RV (*update)(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len);
    CK_RV (*final)(tok_op_t *op, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out, CK_ULONG *out_len);
    CK_RV (*single)(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, const uint8_t *sig, CK_ULONG sig_len,
                    uint8_t *out, CK_ULONG *out_len);
    void (*free)(tok_op_t *op);
} tok_op_class_t;

/** Attributes a mechanism made, for the token to turn into an object
 *  (C_GenerateKey, C_GenerateKeyPair, C_UnwrapKey, C_DeriveKey). */
#define TOK_MADE_MAX 12
typedef struct tok_made {
    CK_ATTRIBUTE attr[TOK_MADE_MAX]; /**< values point into buf */
    CK_ULONG n;
    /** Class made; CK_UNAVAILABLE_INFORMATION (the starting value) lets the
     *  template's CKA_CLASS decide (unwrap, derive). A template that names
     *  another class than a given one is CKR_TEMPLATE_INCONSISTENT. */
    CK_OBJECT_CLASS cls;
    /** Key type made, or CK_UNAVAILABLE_INFORMATION: the template's. */
    CK_KEY_TYPE key_type;
    uint8_t buf[NVT_CONFIG_TOKEN_MADE_MAX]; /**< value storage (wiped after use) */
    size_t used;
} tok_made_t;

/**
 * \brief Add an attribute to \p m, copying \p len bytes of \p value
 *        (\p value NULL: zero-filled, for the caller to fill in place).
 * \return CKR_OK or CKR_DEVICE_MEMORY (no room).
 */
CK_RV tok_made_add(tok_made_t *m, CK_ATTRIBUTE_TYPE type, const void *value, size_t len);

/** Object-making and wrapping functions of a mechanism. Each returns CK_RV. */
typedef struct tok_mech_ops {
    /** C_GenerateKey: fill \p out from the mechanism and the template
     *  (e.g. CKA_VALUE_LEN); set out->cls and out->key_type. */
    CK_RV (*generate_key)(const CK_MECHANISM *mech, const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out);
    /** C_GenerateKeyPair: fill both halves. */
    CK_RV (*generate_key_pair)(const CK_MECHANISM *mech, const CK_ATTRIBUTE *pub_tmpl, CK_ULONG pub_n,
                               const CK_ATTRIBUTE *priv_tmpl, CK_ULONG priv_n, tok_made_t *pub, tok_made_t *priv);
    /** C_DeriveKey: from \p base (CKA_DERIVE checked). */
    CK_RV (*derive)(const CK_MECHANISM *mech, const tok_key_t *base, const CK_ATTRIBUTE *tmpl, CK_ULONG n,
                    tok_made_t *out);
    /** C_WrapKey: wrap \p key with \p wrapping into \p out (same length
     *  rules as update(); \p out NULL asks the length). */
    CK_RV (*wrap)(const CK_MECHANISM *mech, const tok_key_t *wrapping, const tok_key_t *key, uint8_t *out,
                  CK_ULONG *out_len);
    /** C_UnwrapKey: recover the key material into \p out. */
    CK_RV (*unwrap)(const CK_MECHANISM *mech, const tok_key_t *unwrapping, const uint8_t *wrapped, CK_ULONG len,
                    const CK_ATTRIBUTE *tmpl, CK_ULONG n, tok_made_t *out);
} tok_mech_ops_t;

/** One row of the dispatch table. */
typedef struct tok_mech {
    CK_MECHANISM_TYPE type;
    CK_ULONG min_key;                    /**< CK_MECHANISM_INFO.ulMinKeySize */
    CK_ULONG max_key;                    /**< CK_MECHANISM_INFO.ulMaxKeySize */
    CK_FLAGS flags;                      /**< CK_MECHANISM_INFO.flags */
    const tok_op_class_t *op[TOK_OP_KINDS]; /**< per kind, NULL if not supported */
    const tok_mech_ops_t *ops;           /**< key making / wrapping, or NULL */
} tok_mech_t;

/** \brief The row of \p type, or NULL. */
const tok_mech_t *tok_mech_find(CK_MECHANISM_TYPE type);

/** \brief Number of rows, and row \p i (for C_GetMechanismList). */
size_t tok_mech_count(void);
const tok_mech_t *tok_mech_at(size_t i);

/* The legacy mechanisms (NVT_CONFIG_MECH_LEGACY): 1024-bit RSA keys and
 * triple-DES, a run-time choice of the configuration
 * (NVT_TOKEN_LEGACY_OFF). Off, they are as absent as in a build without
 * them: not listed, their keys refused. */

/** RSA key sizes, in bits: from TOK_RSA_MIN_BITS (TOK_RSA_LEGACY_MIN_BITS
 *  while the legacy mechanisms are on) to TOK_RSA_MAX_BITS. */
#define TOK_RSA_MIN_BITS 2048u
#define TOK_RSA_LEGACY_MIN_BITS 1024u
#define TOK_RSA_MAX_BITS 4096u

/** \brief Switch the legacy mechanisms on or off (C_Initialize; no effect
 *         without NVT_CONFIG_MECH_LEGACY). */
void tok_mech_legacy_enable(int on);
/** \brief Whether they are on (always 0 without NVT_CONFIG_MECH_LEGACY). */
int tok_mech_legacy(void);
/** \brief The smallest RSA key the token takes now. */
CK_ULONG tok_rsa_min_bits(void);
/** \brief C_GetMechanismInfo's ulMinKeySize of \p m (the RSA rows say
 *         tok_rsa_min_bits()). */
CK_ULONG tok_mech_min_key(const tok_mech_t *m);

/** Sign (op->kind TOK_OP_SIGN: into \p out) or verify (\p sig) the digest
 *  or the raw input \p h of a signature operation. */
typedef CK_RV (*tok_sig_fn_t)(tok_op_t *op, const uint8_t *h, size_t h_len, const uint8_t *sig, CK_ULONG sig_len,
                              uint8_t *out, CK_ULONG *out_len);

/* Shared by the signature mechanisms (tok_mech_sig.c). */
/** out_len(): the signature's length on the last call, nothing before. */
CK_RV tok_sig_out_len(const tok_op_t *op, CK_ULONG in_len, int last, CK_ULONG *len);
/** update() of the hashing mechanisms: the data into the digest. */
CK_RV tok_sig_update(tok_op_t *op, const uint8_t *in, CK_ULONG in_len, uint8_t *out, CK_ULONG *out_len);
/** final() of the hashing mechanisms: a short buffer leaves the digest
 *  open for the retry; else the digest is finished and given to \p fn. */
CK_RV tok_sig_final(tok_op_t *op, tok_sig_fn_t fn, const uint8_t *sig, CK_ULONG sig_len, uint8_t *out,
                    CK_ULONG *out_len);
/** free(): the digest and the key let go. */
void tok_sig_free(tok_op_t *op);

/* The mechanisms (one file per family). */
/** Digests (tok_mech_digest.c): the algorithm follows the mechanism type. */
extern const tok_op_class_t tok_digest;
/** Secret-key generation (tok_mech_keygen.c): CKM_AES_KEY_GEN,
 *  CKM_GENERIC_SECRET_KEY_GEN, and the legacy CKM_DES3_KEY_GEN. */
extern const tok_mech_ops_t tok_keygen_secret;
/** EC (tok_mech_ec.c): CKM_ECDSA (single-part), CKM_ECDSA_SHA* (multi-part);
 *  key pair generation; CKM_ECDH1_DERIVE. */
extern const tok_op_class_t tok_ecdsa, tok_ecdsa_raw;
extern const tok_mech_ops_t tok_ec_keygen, tok_ecdh_derive;
/** RSA (tok_mech_rsa.c): signatures - hashing (multi-part) and on a given
 *  hash or block (single-part: CKM_RSA_PKCS, CKM_RSA_PKCS_PSS,
 *  CKM_RSA_X_509) - and encryption (PKCS#1 v1.5, OAEP, raw); key pair
 *  generation. */
extern const tok_op_class_t tok_rsa_sig, tok_rsa_sig_raw, tok_rsa_crypt;
extern const tok_mech_ops_t tok_rsa_keygen;
/** MACs (tok_mech_mac.c): CKM_SHA*_HMAC, CKM_AES_CMAC (signing and
 *  verification). */
extern const tok_op_class_t tok_mac;
/** AES modes (tok_mech_aes.c): ECB, CBC, CBC_PAD, CTR (tok_aes), GCM
 *  (tok_gcm); each class serves encryption and decryption. tok_aes also
 *  serves the legacy CKM_DES3_ECB, _CBC and _CBC_PAD. */
extern const tok_op_class_t tok_aes, tok_gcm;
/** AES key wrap (tok_mech_wrap.c): CKM_AES_KEY_WRAP, CKM_AES_KEY_WRAP_PAD. */
extern const tok_mech_ops_t tok_aes_kw;

/**
 * \brief Check the key material of a key object made from outside
 *        (C_CreateObject, C_UnwrapKey, C_DeriveKey): a curve the token has,
 *        a point on it, a private value in range, an RSA modulus of
 *        tok_rsa_min_bits() to 4096 bits, consistent RSA parts, a DES3 key
 *        of 24 bytes with odd parity while the legacy mechanisms are on
 *        (tok_mech_table.c; the object code calls it before storing).
 *        Other objects pass.
 * \return CKR_OK; CKR_CURVE_NOT_SUPPORTED; CKR_ATTRIBUTE_VALUE_INVALID.
 */
CK_RV tok_mech_check_key(const tok_obj_t *o);

#endif /* TOK_MECH_H */
