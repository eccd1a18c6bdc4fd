/* Crashes on purpose (an undefined instruction): a crash must fail the run,
 * never hang or pass. On the target the board's fault handler reports the
 * exception and exits with status 125; on the host the process dies of
 * SIGILL. */
#include <stdio.h>

int main(void)
{
    printf("about to crash\n");
    fflush(stdout);
    __builtin_trap();
}
