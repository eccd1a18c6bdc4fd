/* Cortex-M4 vector table and reset entry for the QEMU mps2-an386 reference
 * board. Everything else happens in C (board.c). */
    .syntax unified
    .cpu cortex-m4
    .thumb

    .section .vectors, "a", %progbits
    .global nvt_qemu_vectors
    .type nvt_qemu_vectors, %object
nvt_qemu_vectors:
    .word nvt_qemu_stack_top        /* initial main stack pointer */
    .word nvt_qemu_reset            /* reset */
    .rept 14                        /* NMI, faults, SVCall, PendSV, SysTick */
    .word nvt_qemu_exception
    .endr
    .rept 32                        /* external interrupts (none enabled) */
    .word nvt_qemu_exception
    .endr
    .size nvt_qemu_vectors, . - nvt_qemu_vectors

    .text
    .global nvt_qemu_reset
    .type nvt_qemu_reset, %function
    .thumb_func
nvt_qemu_reset:
    ldr r0, =nvt_qemu_stack_top
    mov sp, r0
    bl nvt_qemu_start               /* never returns */
1:  b 1b
    .size nvt_qemu_reset, . - nvt_qemu_reset

    .type nvt_qemu_exception, %function
    .thumb_func
nvt_qemu_exception:
    mrs r0, ipsr                    /* exception number */
    mov r1, sp                      /* stacked frame: r0-r3, r12, lr, pc, xpsr */
    b nvt_qemu_fault
    .size nvt_qemu_exception, . - nvt_qemu_exception
