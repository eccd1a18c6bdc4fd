/* Prints its command line and a line of C99 formatting, and exits with the
 * status it is asked for: `harness_status exit 3` ends with status 3. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    printf("argc=%d", argc);
    for (int i = 1; i < argc; i++) {
        printf(" argv[%d]=%s", i, argv[i]);
    }
    printf("\n");
    /* C99 conversions the reports rely on (sizes, 64-bit values). */
    printf("fmt=%zu/%llu/%lld/%#x/%5.3s|\n", (size_t)7, 18446744073709551615ULL, -5LL, 31u, "abcdef");
    fflush(stdout);
    if (argc >= 3 && strcmp(argv[1], "exit") == 0) {
        return atoi(argv[2]);
    }
    return 0;
}
