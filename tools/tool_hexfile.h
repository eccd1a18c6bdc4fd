/* The image as a flashing tool takes it: raw bytes, Intel HEX or Motorola
 * S-records at an address. See tool_hexfile.c. */
#ifndef NVT_TOOL_HEXFILE_H
#define NVT_TOOL_HEXFILE_H

#include <stddef.h>
#include <stdint.h>

typedef enum tool_format {
    TOOL_FORMAT_BIN,
    TOOL_FORMAT_IHEX,
    TOOL_FORMAT_SREC,
} tool_format_t;

/** --format \p text, or (NULL) the format \p path's extension names.
 *  Complains itself (TOOL_USAGE). */
int tool_format(const char *text, const char *path, tool_format_t *f, const char *command);

/** The usual extension of \p f (".bin", ".hex", ".srec"). */
const char *tool_format_ext(tool_format_t f);

/** "bin", "ihex", "srec". */
const char *tool_format_name(tool_format_t f);

/** \p len bytes placed at \p address in format \p f, in a heap buffer
 *  (\p header: the S0 record's text for SREC). Every byte is written,
 *  erased ones too. \return TOOL_OK, TOOL_USAGE (the bytes would pass the
 *  4 GiB address space; complained), TOOL_FAILED (out of memory). */
int tool_flash_file(tool_format_t f, const uint8_t *data, size_t len, uint32_t address, const char *header,
                    uint8_t **out, size_t *out_len);

#endif /* NVT_TOOL_HEXFILE_H */
