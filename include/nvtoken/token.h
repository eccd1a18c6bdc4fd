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
 * NVT_TOKEN_ID_PIN_COUNTERS (failure counters), NVT_TOKEN_ID_PAIR_JOURNAL
 * (present while C_GenerateKeyPair stores two objects), and
 * NVT_TOKEN_ID_FIRST_OBJECT and above for token objects.
 */
#ifndef NVTOKEN_TOKEN_H
#define NVTOKEN_TOKEN_H

#include <stddef.h>
#include <stdint.h>

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
/** First store id of a token object; ids below are reserved. */
#define NVT_TOKEN_ID_FIRST_OBJECT ((nvt_store_id_t)0x0010u)

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
    /** Coordination with other processes, or NULL (a device). */
    const nvt_token_sync_t *sync;
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
 *         NVT_CONFIG_TOKEN_PIN_ITERATIONS_MAX); NVT_E_BUSY if the library
 *         is initialised.
 */
int nvt_token_configure(const nvt_token_config_t *cfg);

/**
 * \brief Write the NV seed that seeds a target's random generator, in a
 *        mounted store (manufacturing; the host module does it for every
 *        image it creates).
 * \param len must be the seed size of the build (64 bytes).
 * \return NVT_OK, NVT_E_INVALID (length), or a store error.
 */
int nvt_token_provision_nv_seed(nvt_store_t *store, const void *seed, size_t len);

/** Seed size the build's entropy pool reads (bytes). */
#define NVT_TOKEN_NV_SEED_SIZE 64u

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
