/**
 * \file semihosting.h
 * \brief Arm semihosting calls used by the QEMU reference board.
 *
 * A semihosting call is `BKPT 0xAB` with the operation in r0 and a pointer to
 * its argument block in r1; the debugger (here QEMU with
 * `-semihosting-config enable=on,target=native`) performs it on the host.
 * Only the board support of the QEMU port uses these; nvtoken's library code
 * never does.
 */
#ifndef NVT_QEMU_SEMIHOSTING_H
#define NVT_QEMU_SEMIHOSTING_H

#include <stddef.h>

/**
 * \brief Write \p len bytes to the host's standard output (\p err = 0) or
 *        standard error (\p err != 0).
 * \return 0 on success, -1 if the host did not take every byte.
 */
int nvt_semihost_write(int err, const void *buf, size_t len);

/** nvt_semihost_open() modes: the ISO C fopen() modes, numbered as the
 *  semihosting specification does. */
#define NVT_SEMIHOST_OPEN_RW 3     /**< "r+b": an existing file, read and write */
#define NVT_SEMIHOST_OPEN_CREATE 7 /**< "w+b": create (or truncate), read and write */

/**
 * \brief Open the host file \p path (relative to QEMU's working directory).
 * \return a handle (>= 0), or -1.
 */
long nvt_semihost_open(const char *path, int mode);

/** \brief Close a handle. \return 0 or -1. */
int nvt_semihost_close(long handle);

/** \brief Read \p len bytes at the handle's position. \return 0 if all
 *         were read, -1 otherwise. */
int nvt_semihost_read(long handle, void *buf, size_t len);

/** \brief Write \p len bytes at the handle's position (straight into the
 *         host file: nothing is buffered on the target). \return 0 if all
 *         were written, -1 otherwise. */
int nvt_semihost_fwrite(long handle, const void *buf, size_t len);

/** \brief Move the handle's position to byte \p pos. \return 0 or -1. */
int nvt_semihost_seek(long handle, size_t pos);

/** \brief The file's length in bytes, or -1. */
long nvt_semihost_flen(long handle);

/**
 * \brief Copy the program's command line (as given to scripts/qemu-run) into
 *        \p buf, NUL-terminated.
 * \return its length, or -1 if it does not fit or the host has none.
 */
int nvt_semihost_cmdline(char *buf, size_t size);

/**
 * \brief Centiseconds since the program started (host clock).
 */
long nvt_semihost_clock(void);

/**
 * \brief Read the whole host file \p path (relative to QEMU's working
 *        directory) into \p buf.
 * \param len receives the file's length.
 * \return 0, or -1 if it cannot be opened or read, or is longer than
 *         \p size.
 */
int nvt_semihost_read_file(const char *path, void *buf, size_t size, size_t *len);

/**
 * \brief End the emulation; QEMU exits with \p status as its own status.
 */
void nvt_semihost_exit(int status) __attribute__((noreturn));

#endif /* NVT_QEMU_SEMIHOSTING_H */
