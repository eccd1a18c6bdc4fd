/**
 * \file qemu_board.h
 * \brief Services of the QEMU mps2-an386 reference board for target test,
 *        benchmark and example programs: an instruction counter, serial
 *        ports.
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

/* ------------------------------------------------------------------------
 * Serial ports (uart.c): the board's five CMSDK APB UARTs, polled, 8N1.
 * QEMU wires UART n to its n-th -serial option (scripts/qemu-run passes
 * NVT_QEMU_SERIAL as the first, e.g. tcp:127.0.0.1:PORT to reach a host
 * program); without one the UART is silent.
 * ---------------------------------------------------------------------- */

/** Number of UARTs (0 to 4). */
#define NVT_QEMU_UARTS 5u

/** \brief Enable UART \p n for transmission and reception. \return 0 or -1 (no such UART). */
int nvt_qemu_uart_open(unsigned n);

/** \brief Send \p len bytes, waiting while the transmitter is busy.
 *  \return 0 or -1 (no such UART). */
int nvt_qemu_uart_write(unsigned n, const void *buf, size_t len);

/**
 * \brief Receive up to \p len bytes: waits up to \p timeout_ms for the
 *        first, then takes those that have arrived, without waiting.
 * \return the number of bytes received (0 after the timeout), or -1 (no
 *         such UART, \p buf NULL).
 */
long nvt_qemu_uart_read(unsigned n, void *buf, size_t len, unsigned timeout_ms);

#endif /* NVT_QEMU_BOARD_H */
