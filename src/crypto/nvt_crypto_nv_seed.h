/**
 * \file nvt_crypto_nv_seed.h
 * \brief NV seed hooks: where mbedTLS's entropy pool keeps its seed file.
 *
 * A device without a true random number generator seeds its generator from a
 * secret seed written at manufacturing and replaced at every start-up
 * (MBEDTLS_ENTROPY_NV_SEED). mbedTLS reads and writes that seed through two
 * functions its configuration names: nvt_crypto_nv_seed_read() and
 * nvt_crypto_nv_seed_write() (src/crypto/config/mbedtls_target.h). They
 * forward to a backend bound at run time - the store, once the token mounts
 * it - so mbedTLS never depends on a layer above it at link time.
 *
 * mbedTLS's hooks are process-wide, so the binding is too: one per program.
 */
#ifndef NVT_CRYPTO_NV_SEED_H
#define NVT_CRYPTO_NV_SEED_H

#include <stddef.h>

/** Where the seed lives: two callbacks and their context. */
typedef struct nvt_crypto_nv_seed_backend {
    /** Fill \p buf with exactly \p len seed bytes; 0 on success, <0 on error. */
    int (*read)(void *ctx, unsigned char *buf, size_t len);
    /** Replace the seed with \p len bytes from \p buf, atomically; 0 or <0. */
    int (*write)(void *ctx, const unsigned char *buf, size_t len);
    /** Passed to both callbacks. */
    void *ctx;
} nvt_crypto_nv_seed_backend_t;

/**
 * \brief Bind the NV seed to \p backend, or unbind it with NULL.
 *
 * The structure is used in place and must outlive the binding. While
 * unbound, both hooks fail, so the entropy pool cannot be seeded from a
 * missing seed (it fails closed).
 */
void nvt_crypto_nv_seed_bind(const nvt_crypto_nv_seed_backend_t *backend);

/**
 * \brief mbedTLS's NV seed read hook.
 * \return \p buf_len on success, -1 if unbound or the backend failed.
 */
int nvt_crypto_nv_seed_read(unsigned char *buf, size_t buf_len);

/**
 * \brief mbedTLS's NV seed write hook.
 * \return \p buf_len on success, -1 if unbound or the backend failed.
 */
int nvt_crypto_nv_seed_write(unsigned char *buf, size_t buf_len);

#endif /* NVT_CRYPTO_NV_SEED_H */
