/* The CMSDK APB UARTs of the QEMU mps2-an386 board, polled: see
 * qemu_board.h. Registers (Arm CMSDK, "APB UART"): DATA at +0x00, STATE at
 * +0x04 (bit 0 transmit buffer full, bit 1 receive buffer full), CTRL at
 * +0x08 (bit 0 transmit enable, bit 1 receive enable), BAUDDIV at +0x10.
 * Each direction holds one byte. QEMU connects UART n to its n-th -serial
 * chardev. */
#include "qemu_board.h"
#include "semihosting.h"

#define UART_DATA 0u
#define UART_STATE 1u
#define UART_CTRL 2u
#define UART_BAUDDIV 4u
#define UART_STATE_TX_FULL 0x1u
#define UART_STATE_RX_FULL 0x2u
#define UART_CTRL_TX_EN 0x1u
#define UART_CTRL_RX_EN 0x2u

/* The board's 25 MHz peripheral clock over 115200 baud; QEMU moves bytes
 * as fast as the host can, but leaves a UART whose divider is below 16
 * silent. */
#define UART_BAUDDIV_115200 217u

/* Polls of STATE between two looks at the host clock while waiting. */
#define UART_POLLS_PER_CLOCK 2048u

static volatile uint32_t *uart_regs(unsigned n)
{
    static const uint32_t base[NVT_QEMU_UARTS] = { 0x40004000u, 0x40005000u, 0x40006000u, 0x40007000u,
                                                   0x40009000u };
    return (volatile uint32_t *)base[n];
}

int nvt_qemu_uart_open(unsigned n)
{
    if (n >= NVT_QEMU_UARTS) {
        return -1;
    }
    volatile uint32_t *r = uart_regs(n);
    r[UART_CTRL] = 0;
    r[UART_BAUDDIV] = UART_BAUDDIV_115200;
    r[UART_CTRL] = UART_CTRL_TX_EN | UART_CTRL_RX_EN;
    return 0;
}

int nvt_qemu_uart_write(unsigned n, const void *buf, size_t len)
{
    if (n >= NVT_QEMU_UARTS) {
        return -1;
    }
    volatile uint32_t *r = uart_regs(n);
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++) {
        while ((r[UART_STATE] & UART_STATE_TX_FULL) != 0) {
        }
        r[UART_DATA] = p[i];
    }
    return 0;
}

long nvt_qemu_uart_read(unsigned n, void *buf, size_t len, unsigned timeout_ms)
{
    if (n >= NVT_QEMU_UARTS || (buf == NULL && len > 0)) {
        return -1;
    }
    volatile uint32_t *r = uart_regs(n);
    uint8_t *p = buf;
    size_t got = 0;
    /* Wait for the first byte, up to the timeout (host clock, 10 ms steps). */
    long start = nvt_semihost_clock();
    unsigned polls = 0;
    while (len > 0 && (r[UART_STATE] & UART_STATE_RX_FULL) == 0) {
        if (++polls % UART_POLLS_PER_CLOCK == 0 && (nvt_semihost_clock() - start) * 10 >= (long)timeout_ms) {
            return 0;
        }
    }
    /* Then take what is there, without waiting. */
    while (got < len && (r[UART_STATE] & UART_STATE_RX_FULL) != 0) {
        p[got++] = (uint8_t)r[UART_DATA];
    }
    return (long)got;
}
