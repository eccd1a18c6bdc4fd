/**
 * \file flash.h
 * \brief One region of NOR flash: its geometry and its three operations.
 *
 * The store never touches hardware. It is handed an nvt_flash_t: a small
 * table of driver operations, the driver's context, and the region's
 * geometry. A firmware implements the three operations over its MCU's flash
 * controller (docs/PORTING.md); nvtoken ships two drivers: `ram` (a NOR
 * simulator with fault injection, used by every test, see flash_ram.h) and
 * `file` (a host image file with the same rules, see flash_file.h), and the
 * NOR emulation the file driver and the QEMU board's driver share
 * (flash_emu.h).
 *
 * NOR rules every driver and every caller obey:
 * - the region is sector_count sectors of sector_size bytes, addressed from
 *   0 (the driver adds its base address);
 * - erase sets every byte of one sector to 0xFF;
 * - program writes whole program units: address and length are multiples of
 *   prog_unit; it can only clear bits (the result is old AND new);
 * - a unit is programmed at most once between erases (ECC flash refuses a
 *   second program, see NVT_E_PROGRAMMED);
 * - read has no alignment rule.
 *
 * nvt_flash_read/program/erase/sync check their arguments and then call the
 * driver; a zero-length read or program does nothing and returns NVT_OK.
 * Buffers are the caller's and are not kept after the call returns.
 */
#ifndef NVTOKEN_FLASH_H
#define NVTOKEN_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Smallest and largest sector size the store supports. */
#define NVT_FLASH_SECTOR_MIN 256u
#define NVT_FLASH_SECTOR_MAX (256u * 1024u)
/** Largest program unit (bytes). Units are 1, 2, 4, 8, 16 or 32. */
#define NVT_FLASH_PROG_UNIT_MAX 32u
/** Value of an erased byte. */
#define NVT_FLASH_ERASED 0xFFu

/** What a simulated power cut does to the flash operation it interrupts
 *  (the ram driver, flash_ram.h, and the NOR emulation, flash_emu.h). */
typedef enum nvt_flash_cut {
    NVT_FLASH_CUT_NOT_DONE = 0, /**< the operation does nothing */
    NVT_FLASH_CUT_DONE = 1,     /**< the operation completes */
    NVT_FLASH_CUT_TORN = 2,     /**< the operation is torn (see the driver) */
} nvt_flash_cut_t;

/** Shape of a flash region. */
typedef struct nvt_flash_geometry {
    /** Bytes per sector (the erase unit): a power of two from
     *  NVT_FLASH_SECTOR_MIN to NVT_FLASH_SECTOR_MAX. */
    uint32_t sector_size;
    /** Number of sectors in the region, at least 2. */
    uint32_t sector_count;
    /** Bytes per program unit: 1, 2, 4, 8, 16 or 32. */
    uint32_t prog_unit;
} nvt_flash_geometry_t;

/**
 * Driver operations. Each returns NVT_OK or a negative nvt_err_t. They are
 * called only with arguments nvt_flash_read/program/erase have checked.
 */
typedef struct nvt_flash_ops {
    /** Copy \p len bytes at region offset \p addr into \p buf. */
    int (*read)(void *ctx, uint32_t addr, void *buf, size_t len);
    /** Program \p len bytes from \p buf at \p addr (both unit-aligned). */
    int (*program)(void *ctx, uint32_t addr, const void *buf, size_t len);
    /** Erase sector \p sector (index from 0). */
    int (*erase)(void *ctx, uint32_t sector);
    /** Make everything programmed and erased so far durable (a write
     *  barrier). NULL when the medium needs none (real flash). */
    int (*sync)(void *ctx);
} nvt_flash_ops_t;

/** A flash region: what the store is given. Owned by the caller. */
typedef struct nvt_flash {
    const nvt_flash_ops_t *ops; /**< driver operations */
    void *ctx;                  /**< driver context, passed to every op */
    nvt_flash_geometry_t geo;   /**< the region's shape */
} nvt_flash_t;

/**
 * \brief Check that \p geo describes a region the store can use.
 * \return NVT_OK, or NVT_E_INVALID naming nothing more (sizes out of range,
 *         not a power of two, fewer than 2 sectors, bad program unit).
 */
int nvt_flash_geometry_check(const nvt_flash_geometry_t *geo);

/** \brief Total bytes in the region (sector_size * sector_count). */
uint32_t nvt_flash_size(const nvt_flash_t *flash);

/**
 * \brief Read \p len bytes at \p addr.
 * \return NVT_OK; NVT_E_INVALID if the range leaves the region or \p buf is
 *         NULL with len > 0; otherwise the driver's error.
 */
int nvt_flash_read(const nvt_flash_t *flash, uint32_t addr, void *buf, size_t len);

/**
 * \brief Program \p len bytes at \p addr.
 * \return NVT_OK; NVT_E_INVALID if misaligned or out of range; otherwise
 *         the driver's error (NVT_E_PROGRAMMED, NVT_E_IO, NVT_E_POWER_LOST).
 */
int nvt_flash_program(const nvt_flash_t *flash, uint32_t addr, const void *buf, size_t len);

/**
 * \brief Erase sector \p sector.
 * \return NVT_OK; NVT_E_INVALID if \p sector is out of range; otherwise the
 *         driver's error.
 */
int nvt_flash_erase(const nvt_flash_t *flash, uint32_t sector);

/**
 * \brief Make previous programs and erases durable (no-op if the driver has
 *        no sync operation).
 */
int nvt_flash_sync(const nvt_flash_t *flash);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_FLASH_H */
