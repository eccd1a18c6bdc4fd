/* The hardware entropy source of mbedTLS's pool (MBEDTLS_ENTROPY_HARDWARE_ALT,
 * set when NVT_CONFIG_CRYPTO_TRNG is 1): the port's TRNG. mbedTLS declares
 * this hook in a private header of its library; its signature is part of
 * its documented configuration. */
#include "nvtoken/config.h"
#include "nvtoken/port.h"

#include <stddef.h>

#if NVT_CONFIG_CRYPTO_TRNG

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    (void)data;
    size_t got = 0;
    int err = nvt_port_entropy(output, len, &got);
    *olen = err == NVT_OK ? got : 0;
    /* mbedTLS's convention: 0, or a negative code that stops seeding. */
    return err == NVT_OK ? 0 : -1;
}

#else

/* ISO C wants something in every translation unit. */
typedef int nvt_crypto_no_trng_t;

#endif
