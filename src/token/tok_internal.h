/**
 * \file tok_internal.h
 * \brief The token layer's state and the helpers its files share.
 *
 * All state lives in one static structure, `tok` (tok_core.c), sized by
 * include/nvtoken/config.h: the slots with their token records and object
 * tables, the sessions with their find results and operations, the session
 * objects' fixed pool, and two object buffers. Only the host build
 * (NVT_CONFIG_TOKEN_HEAP) allocates: its object table grows and caches
 * every token object, so a find never reads flash.
 *
 * Callers hold the library lock (src/pkcs11/), so nothing here locks.
 */
#ifndef TOK_INTERNAL_H
#define TOK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "nvt_crypto.h"
#include "nvt_crypto_seal.h"
#include "nvt_token.h"
#include "tok_attr.h"
#include "tok_mech.h"

/* ------------------------------------------------------------------------
 * The token record (store id NVT_TOKEN_ID_RECORD) and the PIN counters
 * (NVT_TOKEN_ID_PIN_COUNTERS); docs/FORMAT.md
 * ---------------------------------------------------------------------- */

#define TOK_REC_MAGIC 0x4B54564Eu /* "NVTK" little-endian */
#define TOK_REC_VERSION 2u
#define TOK_REC_SIZE 176u     /* version 2; version 1 (read only) is 172 */
#define TOK_REC_V1_SIZE 172u
#define TOK_CNT_VERSION 2u
#define TOK_CNT_SIZE 20u      /* version 2; version 1 (read only) is 16 */
#define TOK_CNT_V1_SIZE 16u
#define TOK_SALT_SIZE 16u
#define TOK_KEY_SIZE 32u
#define TOK_LABEL_SIZE 32u
#define TOK_SERIAL_SIZE 16u
/** Record flag: the user PIN is set. */
#define TOK_REC_USER_PIN 0x01u
/** Record flag: sensitive records in the clear are being sealed (a token
 *  written before sealing); until it is cleared, they are accepted. */
#define TOK_REC_MIGRATING 0x02u

/** A PIN verifier: PBKDF2-HMAC-SHA256(PIN, salt, iterations). */
typedef struct tok_verifier {
    uint32_t iterations;
    uint8_t salt[TOK_SALT_SIZE];
    uint8_t key[TOK_KEY_SIZE];
} tok_verifier_t;

/** The token record, decoded, with the failure counts that apply to it. */
typedef struct tok_record {
    uint32_t seq;         /**< sequence of the record (the newer copy wins) */
    uint32_t gen;         /**< generation: objects of another one are stale */
    uint8_t flags;        /**< TOK_REC_* */
    uint8_t so_fails;     /**< consecutive wrong SO PINs (from the counters) */
    uint8_t user_fails;   /**< consecutive wrong user PINs (from the counters) */
    uint32_t so_serial;   /**< bumped whenever the SO verifier is set */
    uint32_t user_serial; /**< bumped whenever the user verifier is set */
    uint8_t label[TOK_LABEL_SIZE];
    uint8_t serial[TOK_SERIAL_SIZE];
    tok_verifier_t so;
    tok_verifier_t user;
} tok_record_t;

/** The record (version 2, with r->seq) without its counts (they live in
 *  the counter record). */
void tok_record_encode(const tok_record_t *r, uint8_t out[TOK_REC_SIZE]);
/** \brief Decode a token record of version 2, or 1 (sequence 0).
 *  \return CKR_OK (counts 0) or CKR_DEVICE_ERROR (not a token record). */
CK_RV tok_record_decode(tok_record_t *r, const uint8_t *in, size_t len);
/** The counter record (version 2) for r's counts, generation and verifier
 *  serials, with sequence \p seq. */
void tok_counters_encode(const tok_record_t *r, uint32_t seq, uint8_t out[TOK_CNT_SIZE]);
/** \brief A counter record's sequence (version 1: 0). \return 1, or 0 if
 *         the bytes are not a counter record. */
int tok_counters_seq(const uint8_t *in, size_t len, uint32_t *seq);
/** \brief Take the counts of a counter record that belongs to r: a count
 *         applies only while its verifier (generation, serial) is current. */
void tok_counters_apply(tok_record_t *r, const uint8_t *in, size_t len);

/* ------------------------------------------------------------------------
 * Sealed records and the token's own records in two copies (tok_seal.c;
 * docs/FORMAT.md, "Sealed records", "Two copies")
 * ---------------------------------------------------------------------- */

/** Bytes a sealed record adds after its ciphertext: tag, nonce, version. */
#define TOK_SEAL_TRAILER 32u
/** Envelope version 1: ChaCha20-Poly1305 with a synthetic nonce. */
#define TOK_SEAL_VERSION 1u

/** The token's records kept in two copies. */
#define TOK_TWIN_RECORD 0u   /**< ids 0x0000, 0x0004; sensitive */
#define TOK_TWIN_COUNTERS 1u /**< ids 0x0002, 0x0006 */
#define TOK_TWIN_SEED 2u     /**< ids 0x0001, 0x0005; sensitive */
#define TOK_TWINS 3u

/** What the slot knows of one two-copy record. */
typedef struct tok_twin {
    uint32_t seq;  /**< sequence of the newest valid copy (0: none, or version 1) */
    uint8_t have;  /**< a valid copy was read (or written) */
    uint8_t plain; /**< the copy in use was in the clear */
    uint8_t stale; /**< copies to rewrite (bit per copy): missing, damaged,
                    *   older than the other, or in the clear where sealing is due */
} tok_twin_t;

/** NV seed record, version 2: version, 3 reserved, sequence, the seed. */
#define TOK_SEED_VERSION 2u
#define TOK_SEED_RECORD (8u + NVT_TOKEN_NV_SEED_SIZE)
/** The longest NV seed record any build writes (a 64-byte seed): a build
 *  with 32-byte seeds reads an image a 64-byte build provisioned. */
#define TOK_SEED_RECORD_MAX (8u + 64u)
/** \brief Whether bytes are an NV seed record (version 2, or a bare seed:
 *         version 1, sequence 0), and its sequence. */
int tok_seed_valid(const uint8_t *p, size_t n, uint32_t *seq);
/** \brief The NV seed record (version 2, 8 + \p seed_len bytes at \p out)
 *         of \p seed with sequence \p seq. */
void tok_seed_encode(const uint8_t *seed, size_t seed_len, uint32_t seq, uint8_t *out);
/** \brief The seed inside \p n bytes that tok_seed_valid() accepted: its
 *         place (*\p seed) and length (32 or 64). */
size_t tok_seed_part(const uint8_t *rec, size_t n, const uint8_t **seed);

/* ------------------------------------------------------------------------
 * Slots
 * ---------------------------------------------------------------------- */

/** Nobody logged in (CKU_* are 0, 1, 2). */
#define TOK_NOBODY ((CK_USER_TYPE)0xFFFFu)

/** A token object known to this process. */
typedef struct tok_tobj {
    CK_OBJECT_HANDLE handle;
    uint32_t uid;
    nvt_store_id_t id;
    uint8_t priv; /**< CKA_PRIVATE */
    uint8_t seen; /**< found by the current scan */
#if NVT_CONFIG_TOKEN_HEAP
    uint8_t *blob; /**< cached serialised object */
    size_t len;
#endif
} tok_tobj_t;

typedef struct tok_slot {
    const nvt_token_slot_config_t *cfg;
    int mounted;      /**< the store is mounted */
    int present;      /**< ... and its token record readable (or absent) */
    int initialized;  /**< a token record was read */
    tok_record_t rec; /**< valid if initialized */
    CK_USER_TYPE login;
    tok_tobj_t *objs; /**< token objects */
    size_t nobjs;
    size_t cap;
    nvt_store_id_t next_id; /**< where the next id search starts */
    nvt_store_id_t pair[2]; /**< ids named by the key-pair journal */
    uint8_t pair_state;     /**< TOK_PAIR_* */
    uint8_t pair_used;      /**< ids of pair[] handed out so far */
    int entered;            /**< inside tok_slot_enter/leave */
    int wrote;              /**< this operation changed the store */
    const char *why;        /**< why the last mount found no token, or NULL */
    uint8_t event;          /**< a slot event not yet reported (C_WaitForSlotEvent) */
    int unreadable;         /**< a token is there but its record cannot be
                             *   read: nothing may be written */
    int migrating;          /**< sensitive records in the clear are accepted,
                             *   and sealed by the next write (read it
                             *   through tok_migrating()) */
    int store_sealed;       /**< the store holds a sealed record */
    int in_repair;          /**< tok_repair() is running */
    tok_twin_t twin[TOK_TWINS];
    nvt_crypto_seal_keys_t keys; /**< derived from the device key */
    int keys_ready;
    nvt_token_diag_t diag;  /**< what the last mount found */
} tok_slot_t;

/** The slot's coordination with other processes: never in a build without
 *  shared slots (NVT_CONFIG_TOKEN_SHARED_SLOTS 0), whose compiler then
 *  leaves out the mounts again and the slot events. */
static inline const nvt_token_sync_t *tok_sync(const tok_slot_t *s)
{
    return NVT_CONFIG_TOKEN_SHARED_SLOTS ? s->cfg->sync : NULL;
}

/** Whether the slot is migrating a token written before sealing: never in
 *  a build without migration (NVT_CONFIG_TOKEN_MIGRATE 0), whose compiler
 *  then leaves the migration out. */
static inline int tok_migrating(const tok_slot_t *s)
{
    return NVT_CONFIG_TOKEN_MIGRATE && s->migrating;
}

/* ------------------------------------------------------------------------
 * Sessions
 * ---------------------------------------------------------------------- */

#if NVT_CONFIG_TOKEN_HEAP
#define TOK_FIND_STATIC 0
#else
#define TOK_FIND_STATIC (NVT_CONFIG_TOKEN_MAX_OBJECTS + NVT_CONFIG_TOKEN_SESSION_OBJECTS)
#endif

typedef struct tok_find {
    int active;
    CK_OBJECT_HANDLE *h; /**< results */
    size_t n;
    size_t pos;
    size_t cap;
#if !NVT_CONFIG_TOKEN_HEAP
    CK_OBJECT_HANDLE buf[TOK_FIND_STATIC];
#endif
} tok_find_t;

typedef struct tok_session {
    CK_SESSION_HANDLE handle; /**< 0: free */
    unsigned slot;
    CK_FLAGS flags;
    tok_find_t find;
    tok_op_t ops[NVT_CONFIG_TOKEN_OPS_PER_SESSION];
    tok_loaded_t lent; /**< the key lent to PSA code (tok_lend.c), key 0: none */
} tok_session_t;

/** A session object: its bytes in the pool. */
typedef struct tok_sobj {
    CK_OBJECT_HANDLE handle;
    CK_SESSION_HANDLE session;
    unsigned slot;
    uint8_t priv;
    size_t off;
    size_t len;
} tok_sobj_t;

/* ------------------------------------------------------------------------
 * The whole state
 * ---------------------------------------------------------------------- */

/** Working buffers for serialised objects: one to read an object into,
 *  one to build a new one in. A profile whose every new object comes from
 *  a template or a mechanism alone (no C_CopyObject, C_SetAttributeValue,
 *  C_DeriveKey or C_UnwrapKey, which build from an object read before)
 *  uses one buffer for both. */
#define TOK_OBJ_BUFFERS                                                                                     \
    ((NVT_CONFIG_TOKEN_COPY || NVT_CONFIG_TOKEN_SET_ATTRIBUTE || NVT_TOKEN_HAS_DERIVE || NVT_TOKEN_HAS_WRAP) \
         ? 2                                                                                                \
         : 1)
/** The buffer an object is read into (tok_object_load's \p buf). */
#define TOK_BUF_READ 0
/** The buffer a new object is built in. */
#define TOK_BUF_BUILD (TOK_OBJ_BUFFERS - 1)

/** Buffers for the key material a mechanism makes: a key pair needs two. */
#define TOK_MADE_BUFFERS                                                                                    \
    (NVT_TOKEN_HAS_GENERATE_KEY_PAIR                                                                        \
         ? 2                                                                                                \
         : NVT_TOKEN_HAS_GENERATE_KEY || NVT_TOKEN_HAS_DERIVE || NVT_TOKEN_HAS_WRAP ? 1 : 0)

typedef struct tok_state {
    int up; /**< between nvt_token_init and nvt_token_finalize */
    const nvt_token_config_t *cfg;
    tok_slot_t slots[NVT_CONFIG_TOKEN_SLOTS];
    unsigned nslots;
    tok_session_t sessions[NVT_CONFIG_TOKEN_MAX_SESSIONS];
#if NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0
    tok_sobj_t sobjs[NVT_CONFIG_TOKEN_SESSION_OBJECTS];
    unsigned nsobjs;
    size_t arena_used;
    uint8_t arena[NVT_CONFIG_TOKEN_SESSION_ARENA];
#endif
    /** Working buffers for serialised objects (wiped after each call), with
     *  room to seal an object of NVT_CONFIG_TOKEN_OBJECT_MAX in place. */
    uint8_t buf[TOK_OBJ_BUFFERS][NVT_CONFIG_TOKEN_OBJECT_MAX + TOK_SEAL_TRAILER];
    size_t buf_used[TOK_OBJ_BUFFERS];
#if TOK_MADE_BUFFERS > 0
    /** Key material a mechanism made (wiped after use). */
    tok_made_t made[TOK_MADE_BUFFERS];
#endif
} tok_state_t;

extern tok_state_t tok;

/* ------------------------------------------------------------------------
 * Shared helpers
 * ---------------------------------------------------------------------- */

/** The one table from nvt_err_t to CK_RV (tok_core.c). */
CK_RV tok_rv(int err);

/** A fresh object / session handle (never reused while the process runs). */
CK_OBJECT_HANDLE tok_new_object_handle(void);
CK_SESSION_HANDLE tok_new_session_handle(void);

/** The slot of \p id, or NULL. */
tok_slot_t *tok_slot_get(CK_SLOT_ID id);

/**
 * \brief Begin an operation on a slot's store: coordinate with other
 *        processes (remounting if they changed it). Pair with leave.
 * \return CKR_OK, CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_ERROR.
 */
CK_RV tok_slot_enter(tok_slot_t *s);
/** \brief End it; wipe the working buffers. \return \p rv, or an error of
 *         the coordination if \p rv was CKR_OK. */
CK_RV tok_slot_leave(tok_slot_t *s, CK_RV rv);

/** Store access for the token's own records, marking the slot written. */
CK_RV tok_store_put(tok_slot_t *s, nvt_store_id_t id, const void *data, size_t len, unsigned flags);
CK_RV tok_store_delete(tok_slot_t *s, nvt_store_id_t id);

/** \brief Save \p rec as the slot's token record, both copies, with the
 *         next sequence (and adopt it on success). */
CK_RV tok_record_save(tok_slot_t *s, const tok_record_t *rec);
/** \brief Save new failure counts in the counter record, both copies (not
 *         sensitive: a count is no secret, and an attempt must not cost a
 *         scrub). */
CK_RV tok_counters_save(tok_slot_t *s, uint8_t so_fails, uint8_t user_fails);

/* Sealed records (tok_seal.c) */

/**
 * \brief Put record \p id: sealed (NVT_STORE_SEALED) if \p flags has
 *        NVT_STORE_SENSITIVE and the build seals, else as given. Seals in
 *        place: \p buf holds \p len bytes of plaintext and has room for
 *        TOK_SEAL_TRAILER more (\p cap); it holds the plaintext again on
 *        return.
 * \return CKR_OK; CKR_DEVICE_ERROR (no device key); a store error.
 */
CK_RV tok_seal_put(tok_slot_t *s, nvt_store_id_t id, uint8_t *buf, size_t len, size_t cap, unsigned flags);
/**
 * \brief Get record \p id into \p buf (\p cap bytes), opened if sealed.
 * \param sealed receives 1 if it was sealed, 0 if in the clear.
 * \return NVT_OK; NVT_E_NOT_FOUND; NVT_E_CORRUPT (the store's CRC);
 *         NVT_E_VERIFY (sealed, and does not open: edited, another key, or
 *         no key); NVT_E_BUFFER_TOO_SMALL; a store error. \p buf holds no
 *         plaintext on error.
 */
int tok_seal_get(tok_slot_t *s, nvt_store_id_t id, uint8_t *buf, size_t cap, size_t *len, int *sealed);
/** \brief Whether a token record or object in the clear is accepted here:
 *         always without sealing, else only while migrating. */
int tok_seal_plain_ok(const tok_slot_t *s);
/**
 * \brief Read the newest valid copy of two-copy record \p kind into \p buf
 *        (room for two copies: 2 x \p cap bytes), noting stale copies in
 *        s->twin[kind] and damaged ones in the diagnostics.
 * \param valid decides whether bytes are a record of this kind, and its
 *        sequence. \param plain_ok whether a copy in the clear counts.
 * \return 1 (found, *len bytes at buf), 0 (no valid copy), <0 a store
 *         error; *present receives whether any copy is in the store.
 */
int tok_twin_read(tok_slot_t *s, unsigned kind, uint8_t *buf, size_t cap, size_t *len, int plain_ok,
                  int (*valid)(const uint8_t *p, size_t n, uint32_t *seq), int *present);
/**
 * \brief Write both copies of two-copy record \p kind (sealed if
 *        sensitive), with the sequence \p seq encoded in \p buf. The
 *        record is written once the first copy is; a failure of the second
 *        leaves it stale for the next write to repair.
 * \return the first copy's result.
 */
CK_RV tok_twin_write(tok_slot_t *s, unsigned kind, uint8_t *buf, size_t len, size_t cap, uint32_t seq);
/**
 * \brief Derive \p n bytes for \p label (and \p context) from the slot's
 *        device key (nvt_crypto_device_derive()).
 * \return CKR_OK, CKR_DEVICE_ERROR (no device key: diag.no_key set).
 */
CK_RV tok_device_derive(tok_slot_t *s, const char *label, const uint8_t *context, size_t context_len, uint8_t *out,
                        size_t n);
/** \brief At mount: reset what the slot knows of sealing, find whether the
 *         store holds sealed records. */
void tok_seal_mount(tok_slot_t *s);
/** \brief Whether the store holds token objects (ids from
 *         NVT_TOKEN_ID_FIRST_OBJECT), readable or not. */
int tok_store_has_objects(tok_slot_t *s);
/**
 * \brief Rewrite stale copies and, while migrating, seal what is in the
 *        clear (docs/DESIGN.md, "Migration"). Called before the first write
 *        of an operation; every step leaves the token as it was.
 */
CK_RV tok_repair(tok_slot_t *s);
/** \brief A token written before sealing: seal its record (flagged
 *         migrating) now, before anything else is sealed - a store that
 *         holds a sealed record never again accepts a token record in the
 *         clear. Nothing to do otherwise. */
CK_RV tok_migrate_begin(tok_slot_t *s);
/** \brief Whether tok_repair() has work. */
int tok_repair_due(const tok_slot_t *s);
/** \brief The NV seed, mixed with the device key (the entropy pool's read). */
CK_RV tok_seed_read(tok_slot_t *s, uint8_t *out, size_t len);
/** \brief Replace the NV seed (both copies, sealed). */
CK_RV tok_seed_write(tok_slot_t *s, const uint8_t *seed, size_t len);
/** \brief Forget the slot's derived keys (wiped). */
void tok_seal_forget(tok_slot_t *s);

/** \brief Look up a session. \return CKR_OK or CKR_SESSION_HANDLE_INVALID. */
CK_RV tok_session_get(CK_SESSION_HANDLE hs, tok_session_t **sess, tok_slot_t **slot);

/** \brief Sessions open on slot \p slot (\p rw_only: read-write ones). */
unsigned tok_session_count(unsigned slot, int rw_only);

/** \brief Forget the login on \p s: private session objects destroyed,
 *         private token object handles replaced. */
void tok_logout_slot(tok_slot_t *s);

/* Objects (tok_object.c) */

/** Where an object is. */
typedef struct tok_ref {
    tok_slot_t *slot;
    int token;    /**< 1: token object (slot->objs[index]); 0: session (tok.sobjs[index]) */
    size_t index;
} tok_ref_t;

/** \brief Resolve a handle the session may see. \return CKR_OK or CKR_OBJECT_HANDLE_INVALID. */
CK_RV tok_object_ref(const tok_session_t *sess, CK_OBJECT_HANDLE h, tok_ref_t *ref);
/** \brief Parse the object into \p o, reading it into working buffer \p buf if needed. */
CK_RV tok_object_load(const tok_ref_t *ref, int buf, tok_obj_t *o);
/** \brief Build an object (b: mode, template, made, base) in working
 *         buffer 1 with a fresh uid and the slot's generation, then add it. */
CK_RV tok_object_make(tok_session_t *sess, tok_build_t *b, CK_OBJECT_HANDLE *h);
/** What tok_object_make() would refuse, without storing anything: the
 *  template, key material from outside, the session's right to store it. */
CK_RV tok_object_check(tok_session_t *sess, tok_build_t *b);
/** \brief Destroy an object without policy checks (undoing half a key pair). */
CK_RV tok_object_discard(tok_session_t *sess, CK_OBJECT_HANDLE h);
/** \brief Destroy session objects of session \p hs (0: all of slot \p slot),
 *         only private ones if \p private_only. */
void tok_sobj_purge(CK_SESSION_HANDLE hs, unsigned slot, int private_only);
/** \brief Whether the session may write an object with these flags. */
CK_RV tok_may_write(const tok_session_t *sess, int token, int priv);
/** \brief (Re)build the slot's token object table from the store. */
CK_RV tok_objects_scan(tok_slot_t *s);

/** A free store id for a new token object (skips ids a journal names). */
CK_RV tok_object_alloc_id(tok_slot_t *s, nvt_store_id_t *out);

/* ------------------------------------------------------------------------
 * Key-pair journal (tok_pair.c): C_GenerateKeyPair makes two token objects
 * with two store puts; the journal makes the pair all or nothing.
 * ---------------------------------------------------------------------- */

#define TOK_PAIR_NONE 0u     /**< no journal */
#define TOK_PAIR_ARMED 1u    /**< a pair is being made; journal not written yet */
#define TOK_PAIR_OPEN 2u     /**< journal written, pair being stored */
#define TOK_PAIR_STRANDED 3u /**< journal could not be deleted: ids reserved */

/** A key pair of two token objects is about to be made: the first store id
 *  taken (tok_pair_take_id) writes the journal. Nothing is written here,
 *  except that a stranded journal is settled first. */
CK_RV tok_pair_arm(tok_slot_t *s);
/** Whether a pair is being made (tok_object_add takes its ids from here). */
int tok_pair_armed(const tok_slot_t *s);
/** The id for the next half: the first call writes the journal naming both
 *  ids. Errors: those of the store put (nothing written then). */
CK_RV tok_pair_take_id(tok_slot_t *s, nvt_store_id_t *id);
/** Whether \p id is named by a journal still in the store. */
int tok_pair_reserves(const tok_slot_t *s, nvt_store_id_t id);
/** Close the journal: delete it (the pair becomes permanent). \p rv is the
 *  outcome of storing the halves; on failure the caller has discarded them
 *  already. Returns rv, or the store's error if the journal stays. */
CK_RV tok_pair_end(tok_slot_t *s, CK_RV rv);
/** At mount: a journal left by a cut means an incomplete pair; delete the
 *  ids it names, then the journal. */
CK_RV tok_pair_recover(tok_slot_t *s);
/** \brief Forget the slot's token object table (releasing the cache). */
void tok_objects_drop(tok_slot_t *s);
/** \brief End the session's find operation, releasing its results. */
void tok_find_end(tok_session_t *sess);
/** \brief \p h no longer names an object (destroyed, gone from the store,
 *         given a new handle at logout): no search of the slot begun
 *         before hands it out. Every place a handle dies calls this, so a
 *         search yields only handles that still work. */
void tok_searches_forget(unsigned slot, CK_OBJECT_HANDLE h);

/* Operations (tok_op.c) */

/** \brief End every operation of a session. */
void tok_ops_end(tok_session_t *sess);
/** \brief The operation of the session that waits for C_Login(
 *         CKU_CONTEXT_SPECIFIC) - its key has CKA_ALWAYS_AUTHENTICATE -,
 *         the last initialised if several; NULL if none. */
tok_op_t *tok_op_awaiting_login(tok_session_t *sess);

/**
 * \brief A key the session may use: a key object, with the usage
 *        attribute \p usage (0: none needed) and, unless \p mech is
 *        CK_UNAVAILABLE_INFORMATION, \p mech among its
 *        CKA_ALLOWED_MECHANISMS; loaded into working buffer \p buf - or, if
 *        \p view is given and the key cache has a view of the object, that
 *        view (*view set), so that a cached key costs no store read. The
 *        caller has entered the slot.
 * \return CKR_OK; CKR_KEY_HANDLE_INVALID (not visible, not a key);
 *         CKR_KEY_FUNCTION_NOT_PERMITTED; CKR_MECHANISM_INVALID; an error
 *         reading the object.
 */
CK_RV tok_key_for(tok_session_t *sess, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE usage, CK_MECHANISM_TYPE mech,
                  int buf, tok_obj_t *o, tok_ref_t *ref, int *view);

/* Keys lent to PSA code (tok_lend.c) */

/** \brief End the session's loan, if any (session closed, logout, C_Finalize). */
void tok_lend_end(tok_session_t *sess);

/* The key cache (tok_keycache.c): keys loaded into PSA between operations.
 * The object code tells it when what a key was made from may change. */

/* A view: header, CKA_KEY_TYPE and up to this many allowed mechanisms. */
#define KC_VIEW_MECHS 16u
#define KC_VIEW_MAX (TOK_OBJ_HEADER + TOK_ATTR_HEADER + 4u + TOK_ATTR_HEADER + 4u * KC_VIEW_MECHS)

/** An entry of the key cache (NVT_CONFIG_TOKEN_KEY_CACHE of them). */
typedef struct tok_kc_entry {
    CK_OBJECT_HANDLE handle; /**< 0: free, or forgotten while pinned */
    unsigned slot;
    uint16_t pins;     /**< operations using the key */
    uint8_t use;       /**< nvt_crypto_use_t */
    uint8_t priv;      /**< CKA_PRIVATE: forgotten at logout */
    uint16_t view_len; /**< 0: no view (allowed mechanisms too long) */
    uint32_t last;     /**< use stamp, for eviction */
    size_t bits;
    nvt_crypto_key_t key;
    uint8_t view[KC_VIEW_MAX];
} tok_kc_entry_t;

#if NVT_CONFIG_TOKEN_KEY_CACHE > 0
/** \brief Forget the keys of object \p h of slot \p slot (destroyed, modified). */
void tok_kc_forget(unsigned slot, CK_OBJECT_HANDLE h);
/** \brief Forget the slot's keys (private objects' only, if \p private_only). */
void tok_kc_forget_slot(unsigned slot, int private_only);
/** \brief Forget every key (C_Finalize). */
void tok_kc_forget_all(void);
/** \brief Keys held in PSA by the cache (tests). */
size_t tok_kc_count(void);
/** \brief The cache's view of object \p h (header, CKA_KEY_TYPE,
 *         CKA_ALLOWED_MECHANISMS) parsed into \p o. \return 1 if there is one. */
int tok_kc_view(unsigned slot, CK_OBJECT_HANDLE h, tok_obj_t *o);
#else
/* No key cache (NVT_CONFIG_TOKEN_KEY_CACHE 0): every operation loads its
 * key into PSA and destroys it at its end; nothing to forget. */
static inline void tok_kc_forget(unsigned slot, CK_OBJECT_HANDLE h)
{
    (void)slot;
    (void)h;
}
static inline void tok_kc_forget_slot(unsigned slot, int private_only)
{
    (void)slot;
    (void)private_only;
}
static inline void tok_kc_forget_all(void)
{
}
static inline size_t tok_kc_count(void)
{
    return 0;
}
static inline int tok_kc_view(unsigned slot, CK_OBJECT_HANDLE h, tok_obj_t *o)
{
    (void)slot;
    (void)h;
    (void)o;
    return 0;
}
#endif

/* PIN checks (tok_pin.c) */

/** \brief Whether \p len is an acceptable new PIN length. */
int tok_pin_len_ok(CK_ULONG len);

/* Host (tok_host.c): the default configuration, image files. */
#if defined(NVT_TOKEN_HOST_IMAGES)
CK_RV tok_host_open(const nvt_token_config_t **cfg);
void tok_host_close(void);
/** The `debug` setting's line on stderr about slot \p slot (no key
 *  material: \p what is one of the token's fixed texts). */
void tok_host_debug(unsigned slot, const char *what);
#endif

#endif /* TOK_INTERNAL_H */
