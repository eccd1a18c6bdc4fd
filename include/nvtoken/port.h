/**
 * \file port.h
 * \brief What differs per platform: mutexes, the entropy source and, on a
 *        host, where token images live and how processes share them.
 *
 * nvtoken's portable layers call these functions and nothing else of the
 * platform. Three ports ship with it (src/port/<name>/, chosen with the
 * NVT_PORT CMake option):
 *
 * | port    | mutex                   | host image functions |
 * |---------|-------------------------|----------------------|
 * | `posix` | pthread mutex (heap)    | yes                  |
 * | `qemu`  | no-op (one thread)      | no                   |
 * | `none`  | the firmware's own      | no                   |
 *
 * With `none`, a firmware that links libnvtoken.a implements the four mutex
 * functions itself (an RTOS mutex, or no-ops on a single-threaded system)
 * and, if NVT_CONFIG_CRYPTO_TRNG is 1, nvt_port_entropy() over its TRNG.
 *
 * Conventions: functions return NVT_OK or a negative nvt_err_t; no function
 * logs; no function keeps a pointer to a caller's buffer after it returns.
 */
#ifndef NVTOKEN_PORT_H
#define NVTOKEN_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Mutexes
 *
 * The PKCS#11 layer uses them when the application initialises the library
 * with CKF_OS_LOCKING_OK and no callbacks of its own. The signatures follow
 * the PKCS#11 mutex callbacks, so the two kinds are used interchangeably.
 * ---------------------------------------------------------------------- */

/**
 * \brief Create a mutex, unlocked.
 * \param mutex receives an opaque handle, never NULL on success.
 * \return NVT_OK; NVT_E_UNSUPPORTED if this platform has no locking (the
 *         PKCS#11 layer then answers CKR_CANT_LOCK); NVT_E_IO if resources
 *         ran out.
 */
int nvt_port_mutex_create(void **mutex);

/**
 * \brief Destroy a mutex made by nvt_port_mutex_create(). It must be
 *        unlocked. NULL is accepted and ignored.
 */
void nvt_port_mutex_destroy(void *mutex);

/** \brief Lock \p mutex, waiting as long as needed. \return NVT_OK or NVT_E_IO. */
int nvt_port_mutex_lock(void *mutex);

/** \brief Unlock \p mutex (held by the caller). \return NVT_OK or NVT_E_IO. */
int nvt_port_mutex_unlock(void *mutex);

/* ------------------------------------------------------------------------
 * Entropy
 *
 * A true random number generator, if the platform has one: the hardware
 * source of mbedTLS's entropy pool (the crypto layer's
 * mbedtls_hardware_poll() calls this), used when NVT_CONFIG_CRYPTO_TRNG is
 * 1. Without one (NVT_CONFIG_CRYPTO_TRNG 0), the pool is seeded from the NV
 * seed in the store, and this function is never called.
 *
 * | port    | source                                          |
 * |---------|-------------------------------------------------|
 * | `posix` | getrandom() (the kernel's CSPRNG)               |
 * | `qemu`  | none: the reference board relies on the NV seed |
 * | `none`  | the firmware's TRNG driver                      |
 * ---------------------------------------------------------------------- */

/**
 * \brief Fill \p buf with up to \p len bytes of full-entropy output from
 *        the platform's true random number generator.
 *
 * The bytes are secret: the caller wipes them after use.
 * \param got receives the number of bytes written (fewer than \p len is
 *        allowed; the pool asks again).
 * \return NVT_OK; NVT_E_UNSUPPORTED if the platform has no TRNG; NVT_E_IO if
 *         the generator failed (e.g. its health test).
 */
int nvt_port_entropy(void *buf, size_t len, size_t *got);

/* ------------------------------------------------------------------------
 * Host only (posix port): token images and sharing them between processes
 *
 * The host module keeps each slot's token in a flash image file. These
 * functions say where the images are and serialise processes that use the
 * same image. They do not exist in the target ports.
 * ---------------------------------------------------------------------- */

/** Longest image path the host functions handle, NUL included. */
#define NVT_PORT_PATH_MAX 1024u

/**
 * \brief Path of the image of slot \p index.
 *
 * The list of images comes from, in order of precedence:
 * 1. the environment variable `NVTOKEN_IMAGE`: one path, or several
 *    separated by ':' (one slot each);
 * 2. the configuration file named by `NVTOKEN_CONF`, else
 *    `$XDG_CONFIG_HOME/nvtoken/nvtoken.conf` (default `~/.config/...`):
 *    one `image = PATH` line per slot; `#` starts a comment;
 * 3. the default `$XDG_DATA_HOME/nvtoken/token.img` (default
 *    `~/.local/share/nvtoken/token.img`).
 * For the default path the directory is created (mode 0700) if missing.
 *
 * \param buf receives the NUL-terminated path (caller-owned, \p len bytes).
 * \return NVT_OK; NVT_E_NOT_FOUND if there is no slot \p index;
 *         NVT_E_BUFFER_TOO_SMALL if the path does not fit; NVT_E_IO if the
 *         configuration file cannot be read or no home directory is known.
 */
int nvt_port_image_path(unsigned index, char *buf, size_t len);

/**
 * \brief A host setting \p name: the environment variable
 *        `NVTOKEN_<NAME>` (upper case) if set and not empty, else the first
 *        `name = value` line of the configuration file (as above).
 * \param buf receives the NUL-terminated value (caller-owned).
 * \return NVT_OK; NVT_E_NOT_FOUND (not set); NVT_E_BUFFER_TOO_SMALL;
 *         NVT_E_IO (a named configuration file cannot be read);
 *         NVT_E_INVALID.
 */
int nvt_port_setting(const char *name, char *buf, size_t len);

/**
 * \brief Whether a file exists at \p path.
 * \return 1 (exists), 0 (does not), or NVT_E_IO (cannot tell: permissions,
 *         I/O error) - never a guess, as a missing image gets created.
 */
int nvt_port_file_exists(const char *path);

/** What nvt_port_image_open() found about the file. */
typedef struct nvt_port_image_info {
    uint64_t size;  /**< bytes (0 for a file just created) */
    unsigned mode;  /**< permission bits, e.g. 0600 */
} nvt_port_image_info_t;

/**
 * \brief Open the image at \p path for reading and writing. With \p create,
 *        a missing file is created empty, mode 0600 (only its owner may
 *        read or write it, whatever the umask); an existing file keeps its
 *        contents and mode.
 * \param fd receives the descriptor (close it with nvt_port_image_close()).
 * \param info receives the file's size and permission bits.
 * \return NVT_OK; NVT_E_NOT_FOUND (missing and not \p create); NVT_E_IO
 *         (cannot be opened: permissions, not a regular file, I/O error);
 *         NVT_E_INVALID.
 */
int nvt_port_image_open(const char *path, int create, int *fd, nvt_port_image_info_t *info);

/** \brief Read \p len bytes at byte offset \p addr of an image opened by
 *         nvt_port_image_open() (an nvt_store_read_fn, with a pointer to
 *         the descriptor as context). \return NVT_OK or NVT_E_IO (also when
 *         the file ends before). */
int nvt_port_image_read(void *fd, uint32_t addr, void *buf, size_t len);

/** \brief Close a descriptor of nvt_port_image_open(); -1 is ignored. */
void nvt_port_image_close(int fd);

/** An inter-process lock over one image, with a change counter. */
typedef struct nvt_port_filelock nvt_port_filelock_t;

/**
 * \brief Open the lock of the image at \p image_path: the file
 *        `<image_path>.lock`, created if missing. It holds an 8-byte
 *        counter that every process bumps when it changes the image.
 * \param lock receives the lock (heap-allocated; release with
 *        nvt_port_filelock_close()).
 * \return NVT_OK, NVT_E_IO (cannot create or open), NVT_E_INVALID.
 */
int nvt_port_filelock_open(const char *image_path, nvt_port_filelock_t **lock);

/**
 * \brief Take the lock exclusively (waiting for other processes) and read
 *        the change counter.
 * \param counter receives the counter: if it differs from the value the
 *        caller saw last, another process changed the image meanwhile.
 * \return NVT_OK or NVT_E_IO.
 */
int nvt_port_filelock_acquire(nvt_port_filelock_t *lock, uint64_t *counter);

/**
 * \brief Release the lock; if \p changed, first bump the change counter.
 * \param counter receives the counter as left (may be NULL).
 * \return NVT_OK or NVT_E_IO (the lock is released in any case).
 */
int nvt_port_filelock_release(nvt_port_filelock_t *lock, int changed, uint64_t *counter);

/** \brief Close the lock (released if held). NULL is ignored. */
void nvt_port_filelock_close(nvt_port_filelock_t *lock);

/* ------------------------------------------------------------------------
 * Host only (posix port): memory for secrets
 *
 * A core dump writes a crashed process's memory to disk. The host module
 * keeps key material in RAM for a slot's life (its cache of token objects)
 * and in the token's static state; these functions keep that memory out of
 * core dumps where the system can (Linux: madvise(MADV_DONTDUMP)).
 * ---------------------------------------------------------------------- */

/**
 * \brief \p len bytes of zeroed memory that no core dump contains (whole
 *        pages of their own; where the system cannot exclude memory from
 *        dumps, plain memory).
 * \return the memory, or NULL (\p len 0, out of memory).
 */
void *nvt_port_secret_alloc(size_t len);

/** \brief Wipe and release memory of nvt_port_secret_alloc() (\p len as
 *         asked for). NULL is ignored. */
void nvt_port_secret_free(void *p, size_t len);

/**
 * \brief Keep the pages that hold [p, p + len) (static memory) out of core
 *        dumps: whole pages, so neighbouring data on them is left out too.
 * \return NVT_OK; NVT_E_UNSUPPORTED (the system cannot); NVT_E_IO;
 *         NVT_E_INVALID.
 */
int nvt_port_secret_exclude(void *p, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_PORT_H */
