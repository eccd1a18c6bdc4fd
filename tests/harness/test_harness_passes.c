/* The harness runs cmocka tests and reports success: assertions, memory
 * checks and setup/teardown all work on this platform. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

static void assertions_hold(void **state)
{
    (void)state;
    assert_int_equal(2 + 2, 4);
    assert_string_equal("nvtoken", "nvtoken");
    assert_memory_equal("\x01\x02", "\x01\x02", 2);
    assert_true(sizeof(unsigned long) >= 4);
}

static void heap_is_usable(void **state)
{
    (void)state;
    unsigned char *p = test_malloc(4096);
    assert_non_null(p);
    memset(p, 0xa5, 4096);
    assert_int_equal(p[4095], 0xa5);
    test_free(p);
}

static int setup_state(void **state)
{
    static int value = 42;
    *state = &value;
    return 0;
}

static void state_reaches_the_test(void **state)
{
    assert_int_equal(*(int *)*state, 42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(assertions_hold),
        cmocka_unit_test(heap_is_usable),
        cmocka_unit_test_setup(state_reaches_the_test, setup_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
