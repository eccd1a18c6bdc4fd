/* Memory figures of the QEMU reference board for firmware examples: the
 * stack's high-water mark (the heap's is kept by syscalls.c). See
 * qemu_board.h. */
#include "qemu_board.h"

/* From mps2_an386.ld. */
extern uint32_t nvt_qemu_stack_limit[], nvt_qemu_stack_top[];

#define NVT_QEMU_STACK_PAINT 0x5AC4DEADu
/* Words left unpainted below the caller's frame (the painter's own frame). */
#define NVT_QEMU_STACK_MARGIN 64u

void nvt_qemu_stack_paint(void)
{
    /* Addresses as integers and volatile stores: the words below the
     * caller's frame belong to no object the compiler knows of. */
    volatile uint32_t here = 0;
    uintptr_t end = ((uintptr_t)&here & ~(uintptr_t)3) - 4u * NVT_QEMU_STACK_MARGIN;
    for (uintptr_t a = (uintptr_t)nvt_qemu_stack_limit; a < end; a += 4u) {
        *(volatile uint32_t *)a = NVT_QEMU_STACK_PAINT;
    }
}

size_t nvt_qemu_stack_used(void)
{
    const uint32_t *p = nvt_qemu_stack_limit;
    while (p < nvt_qemu_stack_top && *p == NVT_QEMU_STACK_PAINT) {
        p++;
    }
    return (size_t)((const char *)nvt_qemu_stack_top - (const char *)p);
}
