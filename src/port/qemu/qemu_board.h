/**
 * \file qemu_board.h
 * \brief Services of the QEMU mps2-an386 reference board for target test and
 *        benchmark programs.
 */
#ifndef NVT_QEMU_BOARD_H
#define NVT_QEMU_BOARD_H

#include <stddef.h>
#include <stdint.h>

/**
 * \brief Start the instruction counter (CMSDK APB timer 0).
 *
 * Counting is exact only when QEMU runs with `-icount shift=0` (virtual time
 * advances 1 ns per instruction): scripts/qemu-run adds it when the
 * environment has NVT_QEMU_ICOUNT=1. The timer runs at the board's 25 MHz,
 * so one tick is 40 instructions: counts have a resolution of 40.
 */
void nvt_qemu_icount_start(void);

/**
 * \brief Instructions executed since nvt_qemu_icount_start() (multiple of
 *        40; wraps after about 1.7e11).
 */
uint64_t nvt_qemu_icount_read(void);

/** \brief Whether QEMU counts instructions (NVT_QEMU_ICOUNT=1 was set). */
int nvt_qemu_icount_exact(void);

/**
 * \brief The board's stand-in for a device's flash region: RAM that is not
 *        part of the program's .data or .bss (it lies between the heap and
 *        the stack, mps2_an386.ld), so that a firmware's RAM figures count
 *        only what a device keeps in RAM. Its contents are undefined at
 *        reset; \p len receives its size (256 KiB).
 */
void *nvt_qemu_flash_sim(size_t *len);

/** \brief Bytes of heap handed out so far (newlib's break; it never shrinks
 *         under newlib-nano's allocator, so this is the high-water mark). */
size_t nvt_qemu_heap_used(void);

/**
 * \brief Fill the unused part of the stack with a pattern, to measure its
 *        depth later with nvt_qemu_stack_used(). Call early in main().
 */
void nvt_qemu_stack_paint(void);

/** \brief Deepest stack use (bytes below the stack's top) since the paint. */
size_t nvt_qemu_stack_used(void);

#endif /* NVT_QEMU_BOARD_H */
