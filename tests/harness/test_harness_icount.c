/* The QEMU board counts instructions exactly under -icount: a loop of
 * 2 x n instructions (subs + bne) measures 2 x n, to the timer's 40. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "qemu_board.h"

static void __attribute__((noinline)) spin(uint32_t n)
{
    __asm__ volatile("1: subs %0, %0, #1\n"
                     "   bne 1b\n"
                     : "+r"(n)
                     :
                     : "cc");
}

static void loop_instructions_are_counted_exactly(void **state)
{
    (void)state;
    assert_true(nvt_qemu_icount_exact());
    for (uint32_t n = 10000; n <= 1000000; n *= 10) {
        nvt_qemu_icount_start();
        spin(n);
        uint64_t insns = nvt_qemu_icount_read();
        /* 2n in the loop, plus the call and the timer reads: < 80. */
        assert_true(insns >= 2u * n - 40u);
        assert_true(insns <= 2u * n + 80u);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loop_instructions_are_counted_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
