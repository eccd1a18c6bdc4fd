/* NV seed hooks for mbedTLS's entropy pool: see nvt_crypto_nv_seed.h. */
#include "nvt_crypto_nv_seed.h"

static const nvt_crypto_nv_seed_backend_t *nv_seed_backend;

void nvt_crypto_nv_seed_bind(const nvt_crypto_nv_seed_backend_t *backend)
{
    nv_seed_backend = backend;
}

int nvt_crypto_nv_seed_read(unsigned char *buf, size_t buf_len)
{
    const nvt_crypto_nv_seed_backend_t *b = nv_seed_backend;
    if (b == NULL || b->read == NULL || buf_len > (size_t)0x7fffffff ||
        b->read(b->ctx, buf, buf_len) != 0) {
        return -1;
    }
    return (int)buf_len;
}

int nvt_crypto_nv_seed_write(unsigned char *buf, size_t buf_len)
{
    const nvt_crypto_nv_seed_backend_t *b = nv_seed_backend;
    if (b == NULL || b->write == NULL || buf_len > (size_t)0x7fffffff ||
        b->write(b->ctx, buf, buf_len) != 0) {
        return -1;
    }
    return (int)buf_len;
}
