/* How a simulated power cut damages flash, shared by the drivers that
 * simulate cuts: the ram driver (nvt_flash_ram.c) and the NOR emulation
 * (nvt_flash_emu.c). Private to the flash layer.
 *
 * Every random choice comes from one seeded xorshift64* state, so a run and
 * every cut of a sweep are reproducible; the order in which these functions
 * draw from it is part of that reproducibility. */
#ifndef NVT_FLASH_TEAR_H
#define NVT_FLASH_TEAR_H

#include <stddef.h>
#include <stdint.h>

/** The next 32 random bits of \p state. */
uint32_t nvt_flash_rand(uint64_t *state);

/** A generator state for \p seed (never the stuck state 0). */
uint64_t nvt_flash_rand_seed(uint64_t seed);

/** A program torn inside one unit: which bits it managed to clear. */
typedef struct nvt_flash_tear {
    uint32_t kind; /* 0: none solid, 1: all solid, 2: all but one bit, 3: each bit 1/2 */
    uint32_t left; /* kind 2: bit position from which the uncertain bit is
                      looked for; 0xFFFFFFFF once it is chosen */
} nvt_flash_tear_t;

/** Start a unit of \p unit bytes: torn if \p torn (random kind), else
 *  programmed completely (every bit solid, nothing drawn). */
void nvt_flash_tear_begin(nvt_flash_tear_t *t, uint64_t *state, uint32_t unit, int torn);

/** Of the bits \p clear that byte \p i of the unit was meant to clear,
 *  those solidly cleared; the others stay set but uncertain. Bytes are
 *  passed in order from 0. */
uint8_t nvt_flash_tear_solid(nvt_flash_tear_t *t, uint64_t *state, uint32_t i, uint8_t clear);

/** An erase torn: how likely (of 256) each byte ends erased and unchanged
 *  (the rest random), one of a few profiles drawn per cut. */
typedef struct nvt_flash_tear_erase {
    uint8_t erased;
    uint8_t unchanged;
} nvt_flash_tear_erase_t;

nvt_flash_tear_erase_t nvt_flash_tear_erase_begin(uint64_t *state);

/** Apply a torn erase to \p n bytes of the sector, in order. */
void nvt_flash_tear_erase_bytes(nvt_flash_tear_erase_t p, uint64_t *state, uint8_t *bytes, size_t n);

#endif /* NVT_FLASH_TEAR_H */
