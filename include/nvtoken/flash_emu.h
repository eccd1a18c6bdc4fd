/**
 * \file flash_emu.h
 * \brief NOR flash emulated over a medium of plain bytes: the NOR rules,
 *        checked, and power-cut injection, for the drivers whose medium
 *        does not enforce them itself.
 *
 * Two drivers keep a flash region on a medium that can be read and
 * overwritten at will: the `file` driver (a host image file, flash_file.h)
 * and the QEMU reference board's driver (a host file reached through
 * semihosting, src/port/qemu/board_flash.c). Both give the emulation two
 * byte operations on their medium (nvt_flash_emu_io_t) and hand the store
 * the nvt_flash_t it sets up. A driver for real flash does not need this:
 * the part enforces the rules (docs/PORTING.md).
 *
 * NOR rules (flash.h), on the medium's bytes:
 * - erase writes 0xFF over the sector;
 * - program reads the units it covers and writes old AND new: it can only
 *   clear bits;
 * - with NVT_FLASH_EMU_STRICT, a program that covers a unit not reading all
 *   0xFF is refused as a whole (NVT_E_PROGRAMMED) before anything is
 *   written: a unit programmed twice is detected, as ECC flash refuses it.
 *   The medium keeps no state per unit, so a unit programmed with all-0xFF
 *   data, or torn leaving no bit cleared, reads erased and is not detected
 *   (the `ram` driver, which keeps a state per unit, counts those).
 *
 * Power cuts: nvt_flash_emu_cut_at() arms a cut at the n-th state-changing
 * operation (program or erase). That operation is not done, done, or torn:
 * a program completes a random prefix of its units and tears the next one
 * (of the bits it meant to clear, a random subset is cleared, the others
 * stay set: how the `ram` driver tears a unit, read stably); an erase
 * leaves each byte of the sector erased, unchanged or random. Then, if the
 * driver set `stop`, it is called: the board loses power at once (on QEMU
 * the emulator exits, leaving the medium exactly as the cut left it);
 * otherwise that operation and every later one, reads included, return
 * NVT_E_POWER_LOST until nvt_flash_emu_power_on().
 */
#ifndef NVTOKEN_FLASH_EMU_H
#define NVTOKEN_FLASH_EMU_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/** nvt_flash_emu_init() flags: refuse to program a unit that does not read
 *  all 0xFF. */
#define NVT_FLASH_EMU_STRICT 0x01u

/** Byte access to the medium (region offsets; the emulation checks ranges
 *  first). Each returns NVT_OK or a negative nvt_err_t. */
typedef struct nvt_flash_emu_io {
    /** Copy \p len bytes at \p addr into \p buf. */
    int (*read)(void *ctx, uint32_t addr, void *buf, size_t len);
    /** Overwrite \p len bytes at \p addr with \p buf. */
    int (*write)(void *ctx, uint32_t addr, const void *buf, size_t len);
    /** Make what was written durable (nvt_flash_sync()), or NULL. */
    int (*sync)(void *ctx);
} nvt_flash_emu_io_t;

/** The emulation's state. Caller-owned, set up by nvt_flash_emu_init(). */
typedef struct nvt_flash_emu {
    nvt_flash_geometry_t geo;      /**< the region's shape */
    const nvt_flash_emu_io_t *io;  /**< the medium */
    void *io_ctx;                  /**< passed to io and to stop */
    unsigned flags;                /**< NVT_FLASH_EMU_STRICT */
    uint32_t ops;                  /**< state-changing operations attempted */
    uint32_t cut_in;               /**< operations until the cut, 0: none armed */
    nvt_flash_cut_t cut_mode;      /**< what the cut does */
    int power_lost;                /**< nonzero after a cut (without stop) */
    uint64_t rng;                  /**< random state of torn operations */
    /** Called right after a cut has damaged the medium, or NULL. The
     *  driver sets it to stop the board dead; if it returns, the cut
     *  behaves as without it. */
    void (*stop)(void *io_ctx);
} nvt_flash_emu_t;

/**
 * \brief Set up \p flash as a region of geometry \p geo emulated by \p emu
 *        over the medium \p io (its bytes are used as they are: a new medium
 *        is filled with nvt_flash_emu_blank()). No cut armed, no stop hook.
 * \return NVT_OK; NVT_E_INVALID (NULL argument, missing read or write, bad
 *         geometry).
 */
int nvt_flash_emu_init(nvt_flash_t *flash, nvt_flash_emu_t *emu, const nvt_flash_geometry_t *geo,
                       const nvt_flash_emu_io_t *io, void *io_ctx, unsigned flags);

/**
 * \brief Write 0xFF over the whole region (a new, erased part). Not an
 *        operation the cut counter sees.
 * \return NVT_OK or the medium's error.
 */
int nvt_flash_emu_blank(nvt_flash_emu_t *emu);

/**
 * \brief Arm a power cut at the \p n-th state-changing operation from now
 *        (1: the next program or erase), of kind \p mode, with the random
 *        choices of a torn operation drawn from \p seed; 0 disarms.
 */
void nvt_flash_emu_cut_at(nvt_flash_emu_t *emu, uint32_t n, nvt_flash_cut_t mode, uint64_t seed);

/** \brief Nonzero if a cut has happened and power is not back on. */
int nvt_flash_emu_power_lost(const nvt_flash_emu_t *emu);

/** \brief Power back on after a cut: operations work again; the medium
 *         keeps what the cut left; an armed cut is disarmed. */
void nvt_flash_emu_power_on(nvt_flash_emu_t *emu);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_FLASH_EMU_H */
