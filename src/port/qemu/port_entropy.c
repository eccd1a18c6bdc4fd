/* QEMU reference board: mps2-an386 has no TRNG. Its builds seed the random
 * generator from the NV seed in the store (NVT_CONFIG_CRYPTO_NV_SEED), and
 * NVT_CONFIG_CRYPTO_TRNG 0 keeps the crypto layer from asking. */
#include "nvtoken/port.h"

int nvt_port_entropy(void *buf, size_t len, size_t *got)
{
    (void)buf;
    (void)len;
    if (got != 0) {
        *got = 0;
    }
    return NVT_E_UNSUPPORTED;
}
