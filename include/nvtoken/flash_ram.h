/**
 * \file flash_ram.h
 * \brief The `ram` flash driver: a NOR flash simulator in caller memory, with
 *        counters and power-cut injection. Every store test runs on it, on
 *        the host and on the emulated Cortex-M4.
 *
 * NOR rules it enforces (see flash.h): erase sets a sector to 0xFF; program
 * only clears bits (content &= data) and must be unit-aligned (checked by
 * nvt_flash_program(), which answers NVT_E_INVALID). Each program unit has a
 * state: ERASED, PROGRAMMED or TORN (hit by a cut). Programming a unit that
 * is not ERASED is counted in `programmed_twice`; in strict mode
 * (NVT_FLASH_RAM_STRICT, which models ECC flash such as STM32L4/H7) the whole
 * operation is then refused with NVT_E_PROGRAMMED before anything changes.
 *
 * Power cuts: nvt_flash_ram_cut_at() arms a cut at the n-th state-changing
 * operation (program or erase; reads do not count). The interrupted operation
 * is, per nvt_flash_ram_cut_t:
 * - NOT_DONE: nothing changes;
 * - DONE: the operation completes;
 * - TORN: a program sets a random prefix of k of its n units completely
 *   (0 <= k < n) and tears unit k: of the bits it meant to clear, a random
 *   subset is solidly cleared: with probability 1/4 each, none of them, all
 *   of them, all but one, or each bit with probability 1/2; the others stay
 *   set but are uncertain (a unit torn with one uncertain bit is the worst
 *   case for a reader: in unstable mode it reads as written half the
 *   time). Unit k is marked TORN: it may well read all 0xFF although it was
 *   touched (the "erased-looking" torn unit). An erase
 *   leaves every byte of the sector independently erased (0xFF), unchanged or
 *   random, with per-cut proportions drawn from a few profiles (mostly erased,
 *   mostly intact, even); a unit left all 0xFF is ERASED, any other
 *   PROGRAMMED.
 * In every mode the operation returns NVT_E_POWER_LOST, and so does every
 * later operation (reads included) until nvt_flash_ram_power_on(); contents,
 * unit states and counters survive, as across a reboot.
 *
 * Unstable mode (NVT_FLASH_RAM_UNSTABLE): the uncertain bits of a TORN unit
 * read as fresh random values on every read (in stable mode they read as
 * set). Programming a TORN unit again settles it: its uncertain
 * bits resolve to random values, the program's AND applies, and the unit is
 * PROGRAMMED (and counted in `programmed_twice`).
 *
 * Randomness comes from a seeded xorshift generator, so every run, and every
 * cut of a power-cut sweep, is reproducible.
 */
#ifndef NVTOKEN_FLASH_RAM_H
#define NVTOKEN_FLASH_RAM_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/flash.h"

#ifdef __cplusplus
extern "C" {
#endif

/** nvt_flash_ram_init() / nvt_flash_ram_set_flags() flags. */
/** Refuse to program a unit that is not ERASED (ECC flash). */
#define NVT_FLASH_RAM_STRICT 0x01u
/** TORN units read differently on every read. */
#define NVT_FLASH_RAM_UNSTABLE 0x02u

/** What a power cut does to the operation it interrupts (flash.h's
 *  nvt_flash_cut_t, under the names the ram driver's users know). */
typedef nvt_flash_cut_t nvt_flash_ram_cut_t;
#define NVT_FLASH_RAM_CUT_NOT_DONE NVT_FLASH_CUT_NOT_DONE /**< the operation does nothing */
#define NVT_FLASH_RAM_CUT_DONE NVT_FLASH_CUT_DONE         /**< the operation completes */
#define NVT_FLASH_RAM_CUT_TORN NVT_FLASH_CUT_TORN         /**< the operation is torn (see above) */

/** State of one program unit (nvt_flash_ram_t::units). */
#define NVT_FLASH_RAM_ERASED 0u
#define NVT_FLASH_RAM_PROGRAMMED 1u
#define NVT_FLASH_RAM_TORN 2u

/** What the simulator has seen; nvt_flash_ram_reset_counters() zeroes it
 *  (and the per-sector erase counts). */
typedef struct nvt_flash_ram_counters {
    uint64_t bytes_read;       /**< bytes returned by read */
    uint64_t bytes_programmed; /**< bytes written by program (torn: the units touched) */
    uint32_t program_ops;      /**< program operations that changed the flash */
    uint32_t erase_ops;        /**< erase operations (torn ones included) */
    uint32_t programmed_twice; /**< units programmed while not ERASED */
    uint32_t refused;          /**< programs refused by strict mode */
    uint32_t ops;              /**< state-changing operations attempted (the cut index) */
} nvt_flash_ram_counters_t;

/**
 * Bytes of caller memory the simulator needs for a geometry: the contents,
 * a mask of uncertain bits (same size), one state byte per program unit and
 * one 32-bit erase counter per sector. The memory must be 4-byte aligned.
 */
#define NVT_FLASH_RAM_MEM_BYTES(sector_size, sector_count, prog_unit)                             \
    ((size_t)(sector_count) * 4u + (size_t)(sector_size) * (sector_count) * 2u +                  \
     (size_t)(sector_size) * (sector_count) / (prog_unit))

/**
 * The simulator. Caller-owned; fields are public so tests can inspect and
 * corrupt the raw contents (`bytes`), but only the functions below change
 * the simulated state.
 */
typedef struct nvt_flash_ram {
    nvt_flash_t flash;          /**< the region to hand to the store */
    uint32_t *erases;           /**< erase count per sector */
    uint8_t *bytes;             /**< contents, sector_size * sector_count bytes */
    uint8_t *weak;              /**< uncertain bits of TORN units (same size) */
    uint8_t *units;             /**< NVT_FLASH_RAM_ERASED/PROGRAMMED/TORN per unit */
    unsigned flags;             /**< NVT_FLASH_RAM_STRICT | NVT_FLASH_RAM_UNSTABLE */
    nvt_flash_ram_counters_t counters;
    uint32_t cut_in;            /**< state-changing operations until the cut, 0: none */
    nvt_flash_ram_cut_t cut_mode;
    int power_lost;             /**< nonzero after a cut until power on */
    uint64_t rng;               /**< xorshift state */
} nvt_flash_ram_t;

/**
 * \brief Set up a simulated region of geometry \p geo in \p mem: every byte
 *        0xFF, every unit ERASED, erase counts and counters zero, no cut
 *        armed, power on.
 * \param mem caller memory of at least NVT_FLASH_RAM_MEM_BYTES(...) bytes,
 *        4-byte aligned, owned by the caller and used until it is reused.
 * \param flags NVT_FLASH_RAM_STRICT and/or NVT_FLASH_RAM_UNSTABLE.
 * \param seed seed of the random generator (any value).
 * \return NVT_OK; NVT_E_INVALID (NULL argument, bad geometry, \p mem too
 *         small or misaligned).
 */
int nvt_flash_ram_init(nvt_flash_ram_t *ram, const nvt_flash_geometry_t *geo, void *mem,
                       size_t mem_len, unsigned flags, uint64_t seed);

/**
 * \brief Give the region the contents of a flash image (a file written by
 *        the host tools, read into RAM): \p len bytes, the region's size.
 *        A program unit that holds any byte other than 0xFF is PROGRAMMED,
 *        the others ERASED; no uncertain bits; counters and erase counts
 *        unchanged.
 * \return NVT_OK; NVT_E_INVALID (NULL, or \p len is not the region's size).
 */
int nvt_flash_ram_load(nvt_flash_ram_t *ram, const void *image, size_t len);

/** \brief Change the STRICT / UNSTABLE flags (contents are kept). */
void nvt_flash_ram_set_flags(nvt_flash_ram_t *ram, unsigned flags);

/**
 * \brief Arm a power cut at the \p n-th state-changing operation from now
 *        (1: the next program or erase), of kind \p mode; 0 disarms.
 */
void nvt_flash_ram_cut_at(nvt_flash_ram_t *ram, uint32_t n, nvt_flash_ram_cut_t mode);

/** \brief Nonzero if a cut has happened and power is not back on. */
int nvt_flash_ram_power_lost(const nvt_flash_ram_t *ram);

/** \brief Power back on after a cut: operations work again. Contents, unit
 *         states and counters are kept; any armed cut is disarmed. */
void nvt_flash_ram_power_on(nvt_flash_ram_t *ram);

/** \brief Zero the counters and the per-sector erase counts. */
void nvt_flash_ram_reset_counters(nvt_flash_ram_t *ram);

/** \brief Re-seed the random generator. */
void nvt_flash_ram_seed(nvt_flash_ram_t *ram, uint64_t seed);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_FLASH_RAM_H */
