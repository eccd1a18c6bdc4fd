/**
 * \file qemu_board.h
 * \brief Services of the QEMU mps2-an386 reference board for target test,
 *        benchmark and example programs: instruction counting, serial
 *        ports, the token's flash region and the token configured on it.
 */
#ifndef NVT_QEMU_BOARD_H
#define NVT_QEMU_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/flash_emu.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

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

/* ------------------------------------------------------------------------
 * The token's flash region (board_flash.c)
 *
 * The board has no flash controller: its "code flash" is RAM. The region
 * the linker script reserves for the token (NVTOKEN, the last 64 KiB) is
 * the flash window the CPU reads, and a host file, reached through
 * semihosting file calls, holds its cells across power-off: every program
 * and erase is written to the file first and to the window after, and
 * opening the region loads the file into the window. The NOR rules are
 * checked by the emulation of flash_emu.h in strict mode (a unit that does
 * not read erased is never programmed again).
 * ---------------------------------------------------------------------- */

/** Exit status of a run whose power was cut (nvt_flash_emu_cut_at() on
 *  the region): the emulator stops at once, leaving the file as the cut
 *  left it. */
#define NVT_QEMU_EXIT_POWER_CUT 86

/** The board's flash: the geometry its token uses (16 sectors of 4 KiB,
 *  8-byte program unit: an STM32L4's double-word programming). */
#define NVT_QEMU_FLASH_SECTOR_SIZE 4096u
#define NVT_QEMU_FLASH_SECTORS 16u
#define NVT_QEMU_FLASH_PROG_UNIT 8u

/** The region's driver state. Caller-owned. */
typedef struct nvt_qemu_flash {
    nvt_flash_t flash;   /**< the region to hand to the store */
    nvt_flash_emu_t emu; /**< NOR rules and cut injection (arm cuts here) */
    long handle;         /**< the host file (semihosting handle) */
    uint8_t *window;     /**< the region in the memory map */
} nvt_qemu_flash_t;

/**
 * \brief Open the token region with geometry \p geo (at most the 64 KiB
 *        window), its cells kept in the host file \p path. A missing file
 *        is created erased (a new part); an existing one is loaded into
 *        the window. A cut armed on `emu` stops the board with
 *        NVT_QEMU_EXIT_POWER_CUT.
 * \return NVT_OK; NVT_E_INVALID (bad geometry, larger than the window, or
 *         a file of another size); NVT_E_IO (the file cannot be opened,
 *         created or read).
 */
int nvt_qemu_flash_open(nvt_qemu_flash_t *f, const char *path, const nvt_flash_geometry_t *geo);

/* ------------------------------------------------------------------------
 * The token on that region (board_token.c): what a firmware writes to give
 * nvtoken its flash (docs/PORTING.md, step 3)
 * ---------------------------------------------------------------------- */

/** The board's token: its flash, the store's RAM and the slot. */
typedef struct nvt_qemu_token {
    nvt_qemu_flash_t flash;
    nvt_store_t store;
    nvt_store_config_t store_cfg;
    nvt_store_entry_t index[NVT_CONFIG_STORE_MAX_OBJECTS];
    nvt_store_sector_t sectors[NVT_QEMU_FLASH_SECTORS];
    uint32_t scratch[NVT_CONFIG_STORE_SCRATCH / 4];
    nvt_token_slot_config_t slot;
    nvt_token_config_t cfg;
} nvt_qemu_token_t;

/**
 * \brief Open the board's flash (cells in the host file \p image) and
 *        hand it to the token as its one slot (nvt_token_configure()).
 *        A blank region reports no token until it is formatted and given
 *        its NV seed (manufacturing: nvt_store_format(),
 *        nvt_token_provision_nv_seed() on t->store).
 * \return NVT_OK or the error of nvt_qemu_flash_open() / the token.
 */
int nvt_qemu_token_configure(nvt_qemu_token_t *t, const char *image);

#endif /* NVT_QEMU_BOARD_H */
