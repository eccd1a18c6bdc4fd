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

/**
 * \brief Copy the program's command line (as given to scripts/qemu-run) into
 *        \p buf, NUL-terminated.
 * \return its length, or -1 if it does not fit or the host has none.
 */
int nvt_semihost_cmdline(char *buf, size_t size);

/**
 * \brief Read the whole host file \p path into \p buf (\p size bytes).
 * \return its length, or -1 if it cannot be read or is larger than \p size.
 */
long nvt_semihost_load(const char *path, void *buf, size_t size);

/**
 * \brief Write \p size bytes to the host file \p path (created or
 *        truncated). \return 0, or -1.
 */
int nvt_semihost_save(const char *path, const void *buf, size_t size);

/**
 * \brief Centiseconds since the program started (host clock).
 */
long nvt_semihost_clock(void);

/**
 * \brief End the emulation; QEMU exits with \p status as its own status.
 */
void nvt_semihost_exit(int status) __attribute__((noreturn));

#endif /* NVT_QEMU_SEMIHOSTING_H */
