/**
 * \file flash_file.h
 * \brief The `file` flash driver (host builds only): a flash region kept in
 *        an image file, with the NOR rules of flash.h.
 *
 * The image holds exactly sector_size * sector_count bytes, the raw flash
 * contents from region offset 0, so it can be flashed into a device's
 * reserved region as it is, and a device's region dumped into a file can be
 * opened here. The NOR rules are those of the emulation in flash_emu.h:
 * program ANDs into the file's bytes (it can only clear bits), erase writes
 * 0xFF over a sector; alignment and bounds are checked by
 * nvt_flash_program() and friends. A raw image keeps no per-unit state, so a
 * second program of a unit cannot be counted; NVT_FLASH_FILE_STRICT refuses
 * (NVT_E_PROGRAMMED) a program over a unit that does not read all 0xFF.
 * Power cuts can be simulated on an image with nvt_flash_emu_cut_at() on
 * the `emu` member.
 *
 * The driver is a plain region: it does not lock the file (callers that
 * share an image between processes lock around it).
 */
#ifndef NVTOKEN_FLASH_FILE_H
#define NVTOKEN_FLASH_FILE_H

#include "nvtoken/flash.h"
#include "nvtoken/flash_emu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** nvt_flash_file_open() flags. */
/** Create the image (or truncate an existing one) filled with 0xFF. */
#define NVT_FLASH_FILE_CREATE 0x01u
/** nvt_flash_sync() calls fdatasync() (durable against host power loss);
 *  without it sync does nothing. */
#define NVT_FLASH_FILE_SYNC 0x02u
/** Refuse to program a unit that is not all 0xFF (models ECC flash). */
#define NVT_FLASH_FILE_STRICT 0x04u

/** An open image. Caller-owned; hand `flash` to the store. */
typedef struct nvt_flash_file {
    nvt_flash_t flash;   /**< the region */
    nvt_flash_emu_t emu; /**< the NOR emulation over the image's bytes */
    int fd;              /**< the image's file descriptor, -1 when closed */
    unsigned flags;    /**< NVT_FLASH_FILE_* */
    int own_fd;        /**< nonzero if close() closes fd */
} nvt_flash_file_t;

/**
 * \brief Open (or, with NVT_FLASH_FILE_CREATE, create) the image at \p path
 *        with geometry \p geo.
 * \return NVT_OK; NVT_E_INVALID (NULL argument, bad geometry, or an existing
 *         image whose size is not sector_size * sector_count); NVT_E_IO
 *         (the file cannot be opened, created or filled).
 */
int nvt_flash_file_open(nvt_flash_file_t *f, const char *path, const nvt_flash_geometry_t *geo,
                        unsigned flags);

/**
 * \brief Use the already-open, readable and writable descriptor \p fd as the
 *        image (same checks and flags as nvt_flash_file_open()). The caller
 *        keeps ownership of \p fd: nvt_flash_file_close() does not close it.
 */
int nvt_flash_file_open_fd(nvt_flash_file_t *f, int fd, const nvt_flash_geometry_t *geo,
                           unsigned flags);

/**
 * \brief Close the image (the descriptor too if this driver opened it).
 *        Accepts a closed or never-opened (zeroed) nvt_flash_file_t.
 * \return NVT_OK or NVT_E_IO.
 */
int nvt_flash_file_close(nvt_flash_file_t *f);

/**
 * \brief Read a geometry written as "SIZExCOUNTxUNIT" (decimal; e.g.
 *        "4096x64x8"), the syntax of the host module's `geometry` setting
 *        and of `nvtoken --geometry`.
 * \return NVT_OK and \p geo set; NVT_E_INVALID for text of another shape,
 *         a number that does not fit 32 bits, or a geometry that
 *         nvt_flash_geometry_check() refuses (\p geo may then be changed).
 */
int nvt_flash_geometry_parse(const char *text, nvt_flash_geometry_t *geo);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_FLASH_FILE_H */
