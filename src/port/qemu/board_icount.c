/* Instruction counting on the QEMU reference board: see qemu_board.h.
 * CMSDK APB timer 0 of the MPS2 board: CTRL at +0x0 (bit 0 enables), VALUE
 * at +0x4 (counts down at 25 MHz), RELOAD at +0x8. */
#include "qemu_board.h"

#include <string.h>

#define NVT_QEMU_TIMER0 ((volatile uint32_t *)0x40000000u)
#define NVT_QEMU_INSNS_PER_TICK 40u /* 1 GHz virtual clock / 25 MHz timer */

static uint32_t icount_origin;

void nvt_qemu_icount_start(void)
{
    NVT_QEMU_TIMER0[0] = 0;
    NVT_QEMU_TIMER0[2] = 0xffffffffu;
    NVT_QEMU_TIMER0[1] = 0xffffffffu;
    NVT_QEMU_TIMER0[0] = 1;
    icount_origin = NVT_QEMU_TIMER0[1];
}

uint64_t nvt_qemu_icount_read(void)
{
    uint32_t ticks = icount_origin - NVT_QEMU_TIMER0[1];
    return (uint64_t)ticks * NVT_QEMU_INSNS_PER_TICK;
}

/* qemu-run passes "--icount" as the program's last argument when
 * NVT_QEMU_ICOUNT=1; board.c records it. */
extern int nvt_qemu_icount_flag;

int nvt_qemu_icount_exact(void)
{
    return nvt_qemu_icount_flag;
}
