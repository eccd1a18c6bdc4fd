/**
 * \file token.h
 * \brief Telling the PKCS#11 token where its tokens live.
 *
 * A firmware calls nvt_token_configure() once, before C_Initialize(), with
 * one entry per slot: the flash region (inside an nvt_store_config_t, with
 * the store's RAM buffers) and the nvt_store_t to mount it in. C_Initialize()
 * mounts each store (formatting a blank region if the slot asks for it;
 * never a region that holds anything else) and
 * C_Finalize() lets go of them; the memory stays the caller's throughout.
 *
 * On a host, a program that calls nothing here gets the host module's
 * default: one slot per flash image file, located as include/nvtoken/port.h
 * (nvt_port_image_path()) describes, each created with the default
 * geometry below if missing, and shared safely with other processes.
 *
 * Store ids the token uses (docs/FORMAT.md, "Token objects"):
 * NVT_TOKEN_ID_RECORD (label, PIN verifiers, generation),
 * NVT_TOKEN_ID_NV_SEED (the target's random-generator seed),
 * NVT_TOKEN_ID_PIN_COUNTERS (failure counters), each with a second copy
 * (NVT_TOKEN_ID_*_COPY) so that one damaged record costs nothing,
 * NVT_TOKEN_ID_PAIR_JOURNAL (present while C_GenerateKeyPair stores two
 * objects), and NVT_TOKEN_ID_FIRST_OBJECT and above for token objects.
 *
 * Sensitive records - private and secret keys, the token record with its
 * PIN verifiers, the NV seed - are sealed at rest under keys derived from
 * the slot's device key (nvt_token_slot_config_t.device_key, else the
 * port's nvt_port_device_key(); docs/DESIGN.md, "Encryption at rest").
 */
#ifndef NVTOKEN_TOKEN_H
#define NVTOKEN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/error.h"
#include "nvtoken/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Store id of the token record. */
#define NVT_TOKEN_ID_RECORD ((nvt_store_id_t)0x0000u)
/** Store id of the NV seed of the target's entropy pool. */
#define NVT_TOKEN_ID_NV_SEED ((nvt_store_id_t)0x0001u)
/** Store id of the PIN failure counters. */
#define NVT_TOKEN_ID_PIN_COUNTERS ((nvt_store_id_t)0x0002u)
/** Store id of the key-pair journal: present only while C_GenerateKeyPair
 *  writes two token objects; a mount that finds it deletes both
 *  (docs/FORMAT.md, "Key-pair journal"). */
#define NVT_TOKEN_ID_PAIR_JOURNAL ((nvt_store_id_t)0x0003u)
/** Store ids of the second copies of the token record, the NV seed and the
 *  PIN failure counters (docs/FORMAT.md, "Two copies"). */
#define NVT_TOKEN_ID_RECORD_COPY ((nvt_store_id_t)0x0004u)
#define NVT_TOKEN_ID_NV_SEED_COPY ((nvt_store_id_t)0x0005u)
#define NVT_TOKEN_ID_PIN_COUNTERS_COPY ((nvt_store_id_t)0x0006u)
/** First store id of a token object; ids below are reserved. */
#define NVT_TOKEN_ID_FIRST_OBJECT ((nvt_store_id_t)0x0010u)

/** Bytes of a device's root secret (include/nvtoken/port.h). */
#define NVT_TOKEN_DEVICE_KEY_SIZE 32u
/** Most bytes of a device's unique id. */
#define NVT_TOKEN_DEVICE_UID_MAX 32u

/** A device's root: the secret and the public unique id every sealing key
 *  is derived from (docs/DESIGN.md, "Key hierarchy"). Secret: wipe it. */
typedef struct nvt_token_device_key {
    uint8_t secret[NVT_TOKEN_DEVICE_KEY_SIZE];
    uint8_t uid[NVT_TOKEN_DEVICE_UID_MAX];
    size_t uid_len; /**< 0: no unique id */
} nvt_token_device_key_t;

/**
 * Where a slot's device key comes from. Called when the token first needs
 * it after C_Initialize (to open or seal a record, to mix the NV seed, to
 * name the serial number); the token derives its keys and wipes \p key.
 * \param create 1 if the slot's store holds no sealed record yet, so a
 *        host may make a new key (nvt_port_image_device_key()); 0 if it
 *        does, and only the key that sealed them will do.
 * \return NVT_OK; NVT_E_NOT_FOUND (no key: sealed records stay closed and
 *         sensitive ones cannot be written); another error.
 */
typedef int (*nvt_token_device_key_fn)(void *ctx, int create, nvt_token_device_key_t *key);

/**
 * Coordination with other users of the same region (host: other processes
 * on the same image). Both callbacks are called with the library's lock
 * held, around every operation that reads or writes the slot's store.
 */
typedef struct nvt_token_sync {
    /** Take the region for one operation. Set *changed to 1 if someone
     *  else changed it since this process's last end(); the token then
     *  mounts the store again. Return NVT_OK or an error (the operation
     *  fails with CKR_DEVICE_ERROR). */
    int (*begin)(void *ctx, int *changed);
    /** Let go of the region; \p wrote is 1 if this operation changed it. */
    int (*end)(void *ctx, int wrote);
    /** Optional (may be NULL): a short fixed text saying why begin() fails,
     *  or a warning about the region, or NULL when there is none.
     *  C_GetSlotInfo appends it to the slot description. */
    const char *(*status)(void *ctx);
    /** Passed to all three. */
    void *ctx;
} nvt_token_sync_t;

/** nvt_token_slot_config_t.flags: format the region when it holds no
 *  store and nothing a format could lose (nvt_store_blank(): a blank
 *  device, or a format cut short by a power cut). A region holding
 *  anything else - a store of another geometry or format version, foreign
 *  data, a damaged store - is never formatted by the token: the slot
 *  reports no token and its description says why. Without the flag a
 *  blank region reports no token too. */
#define NVT_TOKEN_SLOT_FORMAT_BLANK 0x01u

/** One slot. Everything pointed to must outlive the configuration. */
typedef struct nvt_token_slot_config {
    /** The region and the store's buffers (see store.h). */
    const nvt_store_config_t *store_cfg;
    /** Where the store's state lives while mounted. */
    nvt_store_t *store;
    /** NVT_TOKEN_SLOT_* flags. */
    unsigned flags;
    /** Slot description for C_GetSlotInfo (up to 64 characters), or NULL. */
    const char *description;
    /** Coordination with other processes, or NULL (a device; always NULL
     *  without NVT_CONFIG_TOKEN_SHARED_SLOTS). */
    const nvt_token_sync_t *sync;
    /** The slot's device key, or NULL: the port's nvt_port_device_key() and
     *  nvt_port_device_uid() (one device, one key). */
    nvt_token_device_key_fn device_key;
    /** Passed to device_key. */
    void *device_key_ctx;
} nvt_token_slot_config_t;

/** nvt_token_config_t.flags: leave out the legacy mechanisms of an
 *  NVT_CONFIG_MECH_LEGACY build (RSA keys of 1024 bits, triple-DES): they
 *  are not listed, and 1024-bit RSA keys and DES3 keys are refused, as in a
 *  build without them. No effect on other builds. */
#define NVT_TOKEN_LEGACY_OFF 0x01u

/** The token's configuration: its slots. */
typedef struct nvt_token_config {
    const nvt_token_slot_config_t *slots;
    unsigned slot_count; /**< 1 to NVT_CONFIG_TOKEN_SLOTS */
    /** PBKDF2 iterations for PIN verifiers made from now on; 0 means
     *  NVT_CONFIG_TOKEN_PIN_ITERATIONS; at most
     *  NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX. (Each verifier records its own
     *  count, so a change never locks anyone out.) */
    uint32_t pin_iterations;
    /** NVT_TOKEN_* flags (0: the build's defaults). */
    unsigned flags;
} nvt_token_config_t;

/**
 * \brief Set the slots C_Initialize() will use, or with NULL go back to the
 *        platform default (host: image files; target: none).
 *
 * The structure is used in place (not copied) and must stay valid until
 * C_Finalize(). Takes effect at the next C_Initialize().
 * \return NVT_OK; NVT_E_INVALID (0 or too many slots, NULL store or
 *         configuration, more PIN iterations than
 *         NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX); NVT_E_UNSUPPORTED (a slot
 *         with a sync in a build without NVT_CONFIG_TOKEN_SHARED_SLOTS);
 *         NVT_E_BUSY if the library is initialised.
 */
int nvt_token_configure(const nvt_token_config_t *cfg);

/**
 * \brief Write the NV seed that seeds a target's random generator, in a
 *        mounted store (manufacturing; the host module does it for every
 *        image it creates).
 * \param len must be the seed size of the build (NVT_TOKEN_NV_SEED_SIZE).
 * \return NVT_OK, NVT_E_INVALID (length), or a store error.
 */
int nvt_token_provision_nv_seed(nvt_store_t *store, const void *seed, size_t len);

/** Seed size the build's entropy pool reads (bytes): a block of its
 *  accumulator, SHA-512 when the profile has it (64 bytes), else SHA-256
 *  (32 bytes, e.g. profile ecdsa-p256). A longer seed in the store - an
 *  image provisioned by a build with the larger size - is accepted: its
 *  first bytes are read, and the seed is replaced at start-up by one of
 *  this build's size. */
#if NVT_CONFIG_MECH_SHA512
#define NVT_TOKEN_NV_SEED_SIZE 64u
#else
#define NVT_TOKEN_NV_SEED_SIZE 32u
#endif

/* ------------------------------------------------------------------------
 * Diagnostics, sealing and migration
 *
 * These run between C_Initialize() and C_Finalize() and are not serialised
 * with the PKCS#11 functions: call them from the thread that owns the
 * library (a tool, a firmware's start-up), never concurrently with C_*.
 * ---------------------------------------------------------------------- */

/** nvt_token_diag_t.record: the token record as the last mount found it. */
#define NVT_TOKEN_RECORD_NONE 0u       /**< none: a blank token */
#define NVT_TOKEN_RECORD_OK 1u         /**< read (from at least one copy) */
#define NVT_TOKEN_RECORD_UNREADABLE 2u /**< there, or objects are, but no copy
                                        *   can be read: never treated as
                                        *   blank, C_InitToken refuses */

/** What the token found in a slot's store at its last mount, and since. */
typedef struct nvt_token_diag {
    unsigned record;          /**< NVT_TOKEN_RECORD_* */
    unsigned sealed;          /**< 1: the token is sealed (NVT_CONFIG_TOKEN_SEAL) */
    unsigned migrating;       /**< 1: sensitive records in the clear wait to be
                               *   sealed (by the next write, or nvt_token_seal()) */
    unsigned no_key;          /**< 1: the device key was asked for and is missing */
    unsigned repairs_pending; /**< copies of the token's own records that are
                               *   damaged, missing or older than their twin
                               *   (the next write rewrites them) */
    unsigned copies_damaged;  /**< copies that failed their check at the last
                               *   mount (the store's CRC, or the seal's tag) */
    unsigned tampered;        /**< sealed records whose tag failed: treated as
                               *   absent (wrong device key, or edited) */
    unsigned refused;         /**< sensitive records in the clear where a
                               *   sealed token allows none: treated as absent */
    unsigned corrupt;         /**< token objects failing the store's CRC:
                               *   treated as absent */
} nvt_token_diag_t;

/**
 * \brief What the token found in slot \p slot (see nvt_token_diag_t).
 * \return NVT_OK; NVT_E_INVALID (no such slot, library not initialised).
 */
int nvt_token_diagnostics(unsigned slot, nvt_token_diag_t *diag);

/**
 * \brief Seal slot \p slot's sensitive records now and restore every
 *        missing or damaged copy (`nvtoken seal IMAGE`): what the next
 *        write would do anyway (docs/DESIGN.md, "Migration").
 * \return NVT_OK; NVT_E_INVALID (no such slot, not initialised);
 *         NVT_E_NOT_FOUND (no device key); NVT_E_CORRUPT (the token record
 *         is unreadable: nothing written); NVT_E_UNSUPPORTED (a build
 *         without NVT_CONFIG_TOKEN_SEAL); a store error.
 */
int nvt_token_seal(unsigned slot);

/**
 * \brief The CKA_LABEL of a token object from its stored bytes (e.g. those
 *        nvt_store_read_damaged() gives of an object that fails its CRC),
 *        for a diagnostic: an object whose bytes still parse names itself.
 * \param label receives up to \p cap - 1 bytes of the label and a NUL
 *        (caller-owned).
 * \return NVT_OK; NVT_E_NOT_FOUND (no label); NVT_E_CORRUPT (the bytes are
 *         not a token object); NVT_E_INVALID.
 */
int nvt_token_object_label(const void *rec, size_t len, char *label, size_t cap);

/** What nvt_token_seal_check() found. */
typedef struct nvt_token_seal_report {
    uint32_t sealed;    /**< sealed records (E bit) */
    uint32_t opened;    /**< of those, opened with the key given */
    uint32_t tampered;  /**< of those, not: edited, or another device's */
    uint32_t plaintext; /**< records put sensitive but not sealed (an image
                         *   written before sealing, to be migrated) */
    nvt_store_id_t first_tampered; /**< id of the first tampered record */
} nvt_token_seal_report_t;

/**
 * \brief Check every sealed record of a mounted store with a device key,
 *        without the library (`nvtoken fsck --device-key`). Reads only.
 * \param key the device's root; NULL counts the records without opening
 *        any (opened and tampered stay 0).
 * \return NVT_OK if nothing is tampered, NVT_E_VERIFY if a record is;
 *         NVT_E_INVALID; NVT_E_UNSUPPORTED (a build without
 *         NVT_CONFIG_TOKEN_SEAL, with a key); a store error.
 */
int nvt_token_seal_check(nvt_store_t *store, const nvt_token_device_key_t *key, nvt_token_seal_report_t *report);

/**
 * Default geometry of an image the host module creates: 64 sectors of
 * 64 KiB (4 MiB), program unit 8 bytes - the block size of common NOR parts,
 * room for thousands of objects. (The store's per-put work grows with the
 * number of sectors: at 1,000 objects, 64 x 64 KiB does about four times
 * the create+destroy rate of 256 x 16 KiB.)
 */
#define NVT_TOKEN_HOST_SECTOR_SIZE (64u * 1024u)
#define NVT_TOKEN_HOST_SECTOR_COUNT 64u
#define NVT_TOKEN_HOST_PROG_UNIT 8u

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_TOKEN_H */
