/**
 * \file config.h
 * \brief nvtoken's compile-time configuration: every size and policy knob,
 *        in one place.
 *
 * Each option has a default here. A build overrides options by defining
 * NVT_USER_CONFIG_FILE as the name of a header to include first (as mbedTLS
 * does with MBEDTLS_USER_CONFIG_FILE), or by -D on the command line. The host
 * and Cortex-M4 builds differ only in that file. config_check.h rejects
 * impossible combinations at compile time.
 *
 * Sections are added by the layer that owns them.
 */
#ifndef NVTOKEN_CONFIG_H
#define NVTOKEN_CONFIG_H

#if defined(NVT_USER_CONFIG_FILE)
#include NVT_USER_CONFIG_FILE
#endif

/* ------------------------------------------------------------------------
 * Store
 * ---------------------------------------------------------------------- */

/**
 * \def NVT_CONFIG_STORE_WEAR_GAP
 * Static wear levelling: when the erase counts of the most- and least-erased
 * sectors differ by more than this, the store moves the data of the
 * least-erased sector (data that never changes, such as certificates) so
 * that sector joins the rotation. Smaller evens wear sooner and costs more
 * copying; 0 disables static wear levelling.
 */
#ifndef NVT_CONFIG_STORE_WEAR_GAP
#define NVT_CONFIG_STORE_WEAR_GAP 16
#endif

/**
 * \def NVT_CONFIG_STORE_MAX_OBJECTS
 * Index slots a store user (the token layer, the tools) allocates: the most
 * objects, plus tombstones of deleted objects not yet collected, that one
 * store can hold. Each slot is NVT_STORE_INDEX_BYTES(1) = 12 bytes of RAM.
 */
#ifndef NVT_CONFIG_STORE_MAX_OBJECTS
#define NVT_CONFIG_STORE_MAX_OBJECTS 16
#endif

/**
 * \def NVT_CONFIG_STORE_SCRATCH
 * Scratch buffer a store user allocates (at least NVT_STORE_SCRATCH_MIN):
 * data moves between flash and RAM through it, so a larger buffer means
 * fewer flash operations.
 */
#ifndef NVT_CONFIG_STORE_SCRATCH
#define NVT_CONFIG_STORE_SCRATCH 128
#endif

#include "nvtoken/config_check.h"

#endif /* NVTOKEN_CONFIG_H */
