/* Constant-time primitives: see nvt_ct.h for why and how. */
#include "nvt_ct.h"

uint32_t nvt_ct_is_zero_mask(uint32_t x)
{
    /* (x | -x) has its top bit set exactly when x != 0. */
    uint32_t nonzero = (x | (0u - x)) >> 31;
    return (nonzero ^ 1u) * 0xFFFFFFFFu;
}

int nvt_ct_memeq(const void *a, const void *b, size_t len)
{
    /* volatile: the compiler may not stop at the first difference. */
    const volatile unsigned char *x = a;
    const volatile unsigned char *y = b;
    uint32_t diff = 0;
    for (size_t i = 0; i < len; i++) {
        diff |= (uint32_t)(x[i] ^ y[i]);
    }
    return (int)(nvt_ct_is_zero_mask(diff) & 1u);
}
