/**
 * \file qemu_board.h
 * \brief Services of the QEMU mps2-an386 reference board for target test and
 *        benchmark programs.
 */
#ifndef NVT_QEMU_BOARD_H
#define NVT_QEMU_BOARD_H

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

#endif /* NVT_QEMU_BOARD_H */
