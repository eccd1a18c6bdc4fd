/**
 * \file nvt_test_token.h
 * \brief A token on a RAM flash region for test programs, on the host and
 *        on the emulated Cortex-M4 alike.
 *
 * nvt_test_token_setup() formats the regions, provisions the NV seed the
 * target's random generator starts from, and hands the slots to
 * nvt_token_configure(); the program then uses the PKCS#11 API as any
 * client would. PIN verifiers use few PBKDF2 iterations so that tests that
 * log in hundreds of times stay fast (NVT_TEST_PIN_ITERATIONS).
 */
#ifndef NVT_TEST_TOKEN_H
#define NVT_TEST_TOKEN_H

#include "nvtoken/pkcs11.h"

/** The simulated region of each slot (ram flash driver): 16 sectors of
 *  4 KiB, 8-byte program unit, an index of 256 objects. */
#define NVT_TEST_SECTOR_SIZE 4096u
#define NVT_TEST_SECTORS 16u
#define NVT_TEST_PROG_UNIT 8u
#define NVT_TEST_INDEX_OBJECTS 256u

/** PBKDF2 iterations of verifiers made in tests. */
#define NVT_TEST_PIN_ITERATIONS 16u

/** The PINs and label tokens get in nvt_test_token_init(). */
#define NVT_TEST_SO_PIN "12345678"
#define NVT_TEST_USER_PIN "1234"
#define NVT_TEST_LABEL "nvtoken test token"

/**
 * \brief Give the library \p slots fresh, blank RAM regions. Call before
 *        C_Initialize(). Returns 0 on success.
 */
int nvt_test_token_setup(unsigned slots);

/** \brief Release what setup made (after C_Finalize()). */
void nvt_test_token_teardown(void);

/**
 * \brief C_InitToken(slot, SO PIN, label), then set the user PIN through
 *        an SO session; leaves no session open. \return CKR_OK or the
 *        first error.
 */
CK_RV nvt_test_token_init(CK_SLOT_ID slot);

/** \brief The store of slot \p slot (for white-box checks of records). */
struct nvt_store;
struct nvt_store *nvt_test_token_store(unsigned slot);

/** \brief The simulated flash of slot \p slot (to arm power cuts). */
struct nvt_flash_ram;
struct nvt_flash_ram *nvt_test_token_flash(unsigned slot);

/**
 * \brief A reboot: C_Finalize, power back on, C_Initialize (which mounts
 *        the stores again). \return the first error, or CKR_OK.
 */
CK_RV nvt_test_token_power_cycle(void);

/**
 * \brief Make slot \p slot shared, as a host module's image is: before
 *        each use the token asks (its nvt_token_sync_t) whether another
 *        process changed the region, which nvt_test_token_changed() makes
 *        true once; and a blank region is no token (no
 *        NVT_TOKEN_SLOT_FORMAT_BLANK). Call after setup, before
 *        C_Initialize(). \return 0 on success.
 */
int nvt_test_token_share(unsigned slot);

/** \brief "Another process changed slot \p slot's region" (shared slots). */
void nvt_test_token_changed(unsigned slot);

/** \brief nvt_token_config_t.flags (NVT_TOKEN_*) of the configuration
 *         setup made, for the next C_Initialize(). */
void nvt_test_token_set_flags(unsigned flags);

/** \brief A label as PKCS#11 wants it: 32 bytes, blank padded. */
void nvt_test_label(CK_UTF8CHAR out[32], const char *text);

#endif /* NVT_TEST_TOKEN_H */
