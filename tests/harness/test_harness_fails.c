/* Deliberately fails one assertion: the run must end with status 1 and
 * cmocka's failure report (checked by expect_run.cmake). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

static void passing_assertion(void **state)
{
    (void)state;
    assert_int_equal(1, 1);
}

static void deliberately_failing_assertion(void **state)
{
    (void)state;
    assert_int_equal(1, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(passing_assertion),
        cmocka_unit_test(deliberately_failing_assertion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
