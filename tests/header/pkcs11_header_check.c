/*
 * pkcs11_header_check.c - compile-time comparison of nvtoken/pkcs11.h with
 * p11-kit's pkcs11.h.
 *
 * This file sees nvtoken's header only.  p11kit_facts.h is generated at
 * build time by p11kit_dump (which was compiled against p11-kit's header)
 * and consists of #ifndef/#error and _Static_assert lines, so:
 *
 *   - a constant p11-kit defines but nvtoken does not -> #error naming it
 *   - a constant with another value or type           -> static assertion
 *                                                         naming it
 *   - a structure size/alignment/member offset or size that differs
 *                                                      -> static assertion
 *                                                         naming type.member
 *
 * If this file compiles, the headers agree; running it only reports the
 * number of facts that were checked.
 */
#include "nvtoken/pkcs11.h"
#include "p11kit_facts.h"

#include <stdio.h>

int main(void)
{
    printf("nvtoken/pkcs11.h agrees with p11-kit on %d constants and "
           "%d structure members\n",
           P11KIT_FACTS_CONSTANTS, P11KIT_FACTS_MEMBERS);
    return 0;
}
