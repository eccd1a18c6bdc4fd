/* The fuzz targets' entropy source, in place of the posix port's
 * getrandom(): a fixed pseudo-random stream (splitmix64) that each input
 * restarts (nvt_fuzz_entropy_reset()), so that the library's random numbers
 * - salts, unique ids, generated keys, signature nonces - are the same every
 * time an input runs, and a crash reproduces. Never part of the library. */
#include <string.h>

#include "fuzz_token.h"
#include "nvtoken/port.h"

static uint64_t fuzz_entropy_state = 0x6e76746f6b656e00u;

void nvt_fuzz_entropy_reset(uint64_t seed)
{
    fuzz_entropy_state = seed;
}

int nvt_port_entropy(void *buf, size_t len, size_t *got)
{
    if ((buf == NULL && len > 0) || got == NULL) {
        return NVT_E_INVALID;
    }
    unsigned char *p = buf;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t z = (fuzz_entropy_state += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        z ^= z >> 31;
        memcpy(p + i, &z, len - i < 8 ? len - i : 8);
    }
    *got = len;
    return NVT_OK;
}
