/**
 * \file fuzz_token.h
 * \brief What the token fuzz targets and their seed-corpus generator share:
 *        reading an input, a token on a simulated flash region, templates
 *        and mechanisms built from input bytes (and written back as bytes by
 *        the generator), and the checks every target applies.
 *
 * Input encodings (the generator writes exactly what the readers read):
 * - integers are little-endian; a read past the end of the input gives 0;
 * - a template (fz_tmpl_read): count (1 byte, at most FZ_TMPL_MAX), then
 *   per attribute: type (4 bytes), form (1 byte), then for form 0 a length
 *   (2 bytes) and that many value bytes (fewer if the input ends: the value
 *   is as long as what is there), for form 1 a length (4 bytes) given with
 *   a NULL pointer. Every value lives in its own heap block of exactly its
 *   length, so that reading a byte past it is an AddressSanitizer report;
 * - a mechanism (fz_mech_read): type (4 bytes), form (1 byte): 0 no
 *   parameter, 1 NULL with a length (4 bytes), 2 raw bytes (length 2 bytes,
 *   bytes), 3 the parameter structure of the mechanism's family built from
 *   fields (fz_mech_read() says which), with every pointer in it either
 *   NULL or to a block of exactly the length that goes with it.
 */
#ifndef FUZZ_TOKEN_H
#define FUZZ_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/pkcs11.h"

/* ------------------------------------------------------------------------
 * Reading an input
 * ---------------------------------------------------------------------- */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in_t;

static inline uint8_t fz_u8(fz_in_t *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static inline uint16_t fz_u16(fz_in_t *in)
{
    uint16_t lo = fz_u8(in);
    return (uint16_t)(lo | (uint16_t)fz_u8(in) << 8);
}

static inline uint32_t fz_u32(fz_in_t *in)
{
    uint32_t lo = fz_u16(in);
    return lo | (uint32_t)fz_u16(in) << 16;
}

/** Up to \p len bytes of the input (*got: how many there were). */
static inline const uint8_t *fz_bytes(fz_in_t *in, size_t len, size_t *got)
{
    const uint8_t *p = in->p;
    *got = len < in->n ? len : in->n;
    in->p += *got;
    in->n -= *got;
    return p;
}

/* ------------------------------------------------------------------------
 * Writing an input (the seed-corpus generator)
 * ---------------------------------------------------------------------- */

typedef struct fz_out {
    uint8_t *p;
    size_t len;
    size_t cap;
} fz_out_t;

void fz_put8(fz_out_t *o, uint8_t v);
void fz_put16(fz_out_t *o, uint16_t v);
void fz_put32(fz_out_t *o, uint32_t v);
void fz_put(fz_out_t *o, const void *p, size_t len);
/** Write \p o to DIR/NAME; returns 0 or -1. Frees \p o's buffer. */
int fz_out_save(fz_out_t *o, const char *dir, const char *name);

/* ------------------------------------------------------------------------
 * Templates and mechanisms from input bytes
 * ---------------------------------------------------------------------- */

#define FZ_TMPL_MAX 24u

typedef struct fz_tmpl {
    CK_ATTRIBUTE a[FZ_TMPL_MAX];
    CK_ULONG n;
    struct fz_tmpl *inner[FZ_TMPL_MAX]; /**< the templates of array attributes */
} fz_tmpl_t;

/**
 * \brief Whether \p type's value is an array of CK_ATTRIBUTE: a type with
 *        CKF_ARRAY_ATTRIBUTE (CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE,
 *        CKA_DERIVE_TEMPLATE, or an unknown one) other than
 *        CKA_ALLOWED_MECHANISMS, which carries the flag too but whose value
 *        is an array of CK_MECHANISM_TYPE.
 */
int fz_is_attribute_array(CK_ATTRIBUTE_TYPE type);

/**
 * \brief Read a template (encoding above); release it with fz_tmpl_free().
 *
 * An attribute array (fz_is_attribute_array())
 * takes a CK_ATTRIBUTE array: its form-0 bytes are read as a template in
 * the same encoding, and the value is that template's array (one level;
 * an array inside one is given as NULL with its length). So no byte of the
 * input is ever taken for a pointer.
 */
void fz_tmpl_read(fz_in_t *in, fz_tmpl_t *t);
void fz_tmpl_free(fz_tmpl_t *t);
/** Write \p n attributes in fz_tmpl_read()'s encoding (a NULL value with a
 *  length as form 1, an array attribute's template nested). */
void fz_tmpl_write(fz_out_t *o, const CK_ATTRIBUTE *a, CK_ULONG n);

typedef struct fz_mech {
    CK_MECHANISM m;
    void *blocks[4]; /**< the parameter and what it points to */
} fz_mech_t;

/** Read a mechanism (encoding above); release it with fz_mech_free(). */
void fz_mech_read(fz_in_t *in, fz_mech_t *m);
void fz_mech_free(fz_mech_t *m);
/** Write a mechanism without parameter, or with a raw one. */
void fz_mech_write_raw(fz_out_t *o, CK_MECHANISM_TYPE type, const void *param, size_t len);
/** Write form 3 of each family (fields as fz_mech_read() reads them). */
void fz_mech_write_gcm(fz_out_t *o, const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                       uint32_t tag_bits, int with_iv_bits);
void fz_mech_write_oaep(fz_out_t *o, CK_MECHANISM_TYPE hash, uint32_t mgf, uint32_t source, const uint8_t *label,
                        size_t label_len);
void fz_mech_write_pss(fz_out_t *o, CK_MECHANISM_TYPE type, CK_MECHANISM_TYPE hash, uint32_t mgf, uint32_t slen);
void fz_mech_write_ecdh(fz_out_t *o, uint32_t kdf, const uint8_t *shared, size_t shared_len, const uint8_t *pub,
                        size_t pub_len);
void fz_mech_write_ctr(fz_out_t *o, uint32_t bits, const uint8_t cb[16]);

/* ------------------------------------------------------------------------
 * A token on a simulated flash region (16 sectors of 4 KiB, 8-byte unit)
 * ---------------------------------------------------------------------- */

#define FZ_SECTOR_SIZE 4096u
#define FZ_SECTORS 16u
#define FZ_PROG_UNIT 8u
#define FZ_SO_PIN "12345678"
#define FZ_USER_PIN "1234"
#define FZ_PIN_ITERATIONS 2u

struct nvt_store;
struct nvt_flash_ram;

/** Set up the region and the token's configuration (once per process). */
void fz_flash_init(void);
/** Erase the region and format the store (no NV seed, no token). */
void fz_flash_blank(void);
/** The region's store (mounted by fz_flash_blank(), or by the token). */
struct nvt_store *fz_store(void);
/** Mount the region's store (after C_Finalize, to look at the records). */
int fz_store_mount(void);
struct nvt_flash_ram *fz_flash(void);
/** A hash of the region's contents (what a failed call must not change). */
uint64_t fz_flash_hash(void);
/** Bytes of the region's contents. */
#define FZ_FLASH_BYTES ((size_t)FZ_SECTOR_SIZE * FZ_SECTORS)
/** Copy the region's contents; compare them with a copy (1: the same). */
void fz_flash_copy(uint8_t out[FZ_FLASH_BYTES]);
int fz_flash_same(const uint8_t copy[FZ_FLASH_BYTES]);
/**
 * \brief A hash of the records of a store - ids and contents, both
 *        copies of the PIN counter record left out: the live store (\p image NULL, mounted by
 *        the token), or the store in an earlier copy of the region's
 *        contents (mounted on a second simulated region).
 */
uint64_t fz_records_hash(const uint8_t *image);
/**
 * The token's slot has a fixed device key (a test secret and unique id, as
 * a board's factory secret and UID): records sealed under it open, so the
 * decoders behind the seal see the plaintext an input gives. FZ_SEALED in
 * a record's length (fuzz_records.c) asks for the record sealed.
 */
#define FZ_SEALED 0x8000u
/**
 * \brief Put record \p id into the region's store as the token puts it:
 *        sealed under the fuzzed token's device key (flags
 *        NVT_STORE_SENSITIVE | NVT_STORE_SEALED, the envelope of
 *        docs/FORMAT.md) if \p sealed, else in the clear with no flag.
 * \return the store's result.
 */
int fz_record_put(uint16_t id, const uint8_t *data, size_t len, int sealed);
/**
 * \brief Get record \p id from the region's store, opened with the
 *        device key if it is sealed (*\p sealed then 1).
 * \return NVT_OK or the store's or the seal's error.
 */
int fz_record_get(uint16_t id, uint8_t *buf, size_t cap, size_t *len, int *sealed);
/** Save / restore the region's whole state (contents, unit states). */
size_t fz_flash_state_size(void);
void fz_flash_save(void *state);
void fz_flash_restore(const void *state);

/** The golden token's objects, found by their CKA_ID after a reset. */
enum fz_obj {
    FZ_AES_KEK,     /**< AES-128, wrap/unwrap/encrypt/decrypt, known value */
    FZ_AES_256,     /**< AES-256, every use */
    FZ_HMAC,        /**< generic secret, 32 bytes, sign/verify/derive */
    FZ_EC_PRIV,     /**< P-256 private key, sign/derive */
    FZ_EC_PUB,      /**< its public key */
    FZ_EC384_PRIV,  /**< P-384 private key */
    FZ_RSA_PRIV,    /**< RSA-2048 private key (KAT key a), sign/decrypt */
    FZ_RSA_PUB,     /**< its public key */
    FZ_SECRET_OPEN, /**< AES-128, not sensitive, extractable (wrappable) */
    FZ_EC_OPEN,     /**< P-256 private key, extractable (wrappable) */
    FZ_CERT,        /**< an X.509 certificate */
    FZ_DATA,        /**< a data object */
    FZ_AES_TEMPLATED, /**< AES-128 with wrap, unwrap and derive templates */
    FZ_OBJS
};
extern CK_OBJECT_HANDLE fz_obj[FZ_OBJS];
/** The known values of the golden keys. */
extern const uint8_t fz_kek_value[16];
extern const uint8_t fz_ec_d[32];
extern const uint8_t fz_ec_point[65];   /**< its uncompressed point */
extern const uint8_t fz_peer_point[65]; /**< another P-256 point (ECDH peer) */

/**
 * \brief Make the golden token once per process (initialised, user PIN
 *        set, the objects above as token objects) and keep its image.
 */
void fz_golden_boot(void);
/**
 * \brief The golden token again: image restored, entropy restarted,
 *        C_Initialize, one read-write session (*s), the user logged in if
 *        \p login, fz_obj[] found. Aborts if any of it fails.
 */
void fz_golden_reset(int login, CK_SESSION_HANDLE *s);

/** A minimal X.509 certificate (DER) with these serial, issuer and subject
 *  names (CN); returns its length (\p out holds 512 bytes). */
size_t fz_make_cert(uint8_t out[512], uint32_t serial, const char *issuer, const char *subject);

/* ------------------------------------------------------------------------
 * Checks
 * ---------------------------------------------------------------------- */

/** Stop with a message: a finding (libFuzzer reports the input). */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 1, 2)))
#endif
void fz_fail(const char *fmt, ...);

/** Print when the environment has FZ_TRACE (to see what an input does). */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void fz_trace(const char *fmt, ...);

#define FZ_CHECK(cond, ...)        \
    do {                           \
        if (!(cond)) {             \
            fz_fail(__VA_ARGS__);  \
        }                          \
    } while (0)

/** The PKCS#11 functions the targets call, for fz_rv_allowed(). */
typedef enum fz_fn {
    FZ_FN_INIT_TOKEN, FZ_FN_INIT_PIN, FZ_FN_SET_PIN, FZ_FN_OPEN_SESSION, FZ_FN_CLOSE_SESSION,
    FZ_FN_CLOSE_ALL, FZ_FN_SESSION_INFO, FZ_FN_LOGIN, FZ_FN_LOGOUT, FZ_FN_CREATE, FZ_FN_COPY,
    FZ_FN_DESTROY, FZ_FN_OBJECT_SIZE, FZ_FN_GET_ATTR, FZ_FN_SET_ATTR, FZ_FN_FIND_INIT, FZ_FN_FIND,
    FZ_FN_FIND_FINAL, FZ_FN_CRYPT_INIT, FZ_FN_CRYPT, FZ_FN_CRYPT_UPDATE, FZ_FN_CRYPT_FINAL,
    FZ_FN_DIGEST_INIT, FZ_FN_DIGEST, FZ_FN_DIGEST_KEY, FZ_FN_SIGN_INIT, FZ_FN_SIGN, FZ_FN_SIGN_UPDATE,
    FZ_FN_VERIFY, FZ_FN_GENERATE_KEY, FZ_FN_GENERATE_PAIR, FZ_FN_WRAP, FZ_FN_UNWRAP, FZ_FN_DERIVE,
    FZ_FN_RANDOM, FZ_FN_TOKEN_INFO, FZ_FN_MECH_INFO,
    FZ_FNS
} fz_fn_t;

/** Whether PKCS#11 v2.40 lets \p fn return \p rv (its list in section 5,
 *  plus the codes every function may return). CKR_GENERAL_ERROR is never
 *  allowed: nvtoken returns it only for a bug of its own. */
int fz_rv_allowed(fz_fn_t fn, CK_RV rv);
const char *fz_fn_name(fz_fn_t fn);

/** Attributes a sensitive or unextractable key never reveals. */
int fz_is_secret_attribute(CK_ATTRIBUTE_TYPE type);

/** Every attribute type the schema knows, and some it does not. */
extern const CK_ATTRIBUTE_TYPE fz_types[];
extern const size_t fz_type_count;

/**
 * \brief Read every attribute of object \p h through C_GetAttributeValue,
 *        one at a time (length query, exact buffer, one byte short) and
 *        check: the return codes, the lengths, and that a private or
 *        secret key whose CKA_SENSITIVE reads CK_TRUE or CKA_EXTRACTABLE
 *        CK_FALSE never gives a value of fz_is_secret_attribute().
 * \return 0, or -1 if the object is not readable at all (handle invalid).
 */
int fz_check_object(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h);

/** Restart the fuzz build's entropy source (fuzz_entropy.c). */
void nvt_fuzz_entropy_reset(uint64_t seed);

#endif /* FUZZ_TOKEN_H */
