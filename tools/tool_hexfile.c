/* Intel HEX and Motorola S-records (tool_hexfile.h).
 *
 * Intel HEX (the Intel Hexadecimal Object File Format Specification, rev.
 * A): data records of 16 bytes, type 00, 16-bit offsets within a 64 KiB
 * segment whose upper address bits an Extended Linear Address record (type
 * 04) sets before the first data record and at every 64 KiB boundary; a
 * record never crosses one. Then the End Of File record. No start address
 * record: the file is data, not a program.
 *
 * S-records (Motorola): an S0 header, data records of 16 bytes with the
 * smallest address field that holds the last address (S1: 16 bits, S2: 24,
 * S3: 32), a count record (S5, or S6 past 65,535 records), and the
 * termination record matching the data records (S9, S8, S7) with address
 * 0: no entry point.
 *
 * Lines end in a line feed. Every byte of the region is written: a flasher
 * leaves out what a file does not contain, and a sector of the token left
 * with the device's old contents would be read as the store's. */
#include "tool_hexfile.h"

#include <stdlib.h>
#include <string.h>

#include "tool.h"

#define RECORD_BYTES 16u

int tool_format(const char *text, const char *path, tool_format_t *f, const char *command)
{
    static const struct {
        const char *name;
        tool_format_t f;
    } names[] = {
        { "bin", TOOL_FORMAT_BIN },   { "ihex", TOOL_FORMAT_IHEX }, { "hex", TOOL_FORMAT_IHEX },
        { "srec", TOOL_FORMAT_SREC }, { "s19", TOOL_FORMAT_SREC },  { "s28", TOOL_FORMAT_SREC },
        { "s37", TOOL_FORMAT_SREC },  { "mot", TOOL_FORMAT_SREC },
    };
    const char *name = text;
    if (name == NULL) {
        const char *dot = path != NULL ? strrchr(path, '.') : NULL;
        const char *slash = path != NULL ? strrchr(path, '/') : NULL;
        name = dot != NULL && (slash == NULL || dot > slash) ? dot + 1 : NULL;
        if (name == NULL) {
            return tool_complain(TOOL_USAGE, command, "no --format, and '%s' has no extension that names one",
                                 path != NULL ? path : "-");
        }
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *f = names[i].f;
            return TOOL_OK;
        }
    }
    return text != NULL ? tool_complain(TOOL_USAGE, command, "unknown format '%s' (bin, ihex or srec)", text)
                        : tool_complain(TOOL_USAGE, command, "no --format, and '.%s' names none (bin, ihex or srec)",
                                        name);
}

const char *tool_format_ext(tool_format_t f)
{
    return f == TOOL_FORMAT_IHEX ? ".hex" : f == TOOL_FORMAT_SREC ? ".srec" : ".bin";
}

const char *tool_format_name(tool_format_t f)
{
    return f == TOOL_FORMAT_IHEX ? "ihex" : f == TOOL_FORMAT_SREC ? "srec" : "bin";
}

/* A line being written: hex digits and a running byte sum. */
typedef struct line {
    char *p;
    unsigned sum;
} line_t;

static void put_byte(line_t *l, unsigned b)
{
    static const char digits[] = "0123456789ABCDEF";
    b &= 0xffu;
    *l->p++ = digits[b >> 4];
    *l->p++ = digits[b & 15];
    l->sum += b;
}

/* Intel HEX: ":" count, offset, type, data, two's complement checksum. */
static char *ihex_record(char *p, unsigned type, unsigned offset, const uint8_t *data, size_t n)
{
    line_t l = { p, 0 };
    *l.p++ = ':';
    put_byte(&l, (unsigned)n);
    put_byte(&l, offset >> 8);
    put_byte(&l, offset);
    put_byte(&l, type);
    for (size_t i = 0; i < n; i++) {
        put_byte(&l, data[i]);
    }
    put_byte(&l, 0x100u - (l.sum & 0xffu));
    *l.p++ = '\n';
    return l.p;
}

/* S-record: "S" type, count (address, data, checksum), address, data,
 * ones' complement checksum. */
static char *srec_record(char *p, char type, unsigned addr_bytes, uint32_t addr, const uint8_t *data, size_t n)
{
    line_t l = { p, 0 };
    *l.p++ = 'S';
    *l.p++ = type;
    put_byte(&l, (unsigned)(addr_bytes + n + 1));
    for (unsigned i = addr_bytes; i > 0; i--) {
        put_byte(&l, (unsigned)(addr >> (8 * (i - 1))));
    }
    for (size_t i = 0; i < n; i++) {
        put_byte(&l, data[i]);
    }
    put_byte(&l, ~l.sum);
    *l.p++ = '\n';
    return l.p;
}

int tool_flash_file(tool_format_t f, const uint8_t *data, size_t len, uint32_t address, const char *header,
                    uint8_t **out, size_t *out_len)
{
    if (len == 0 || (uint64_t)address + len - 1 > UINT32_MAX) {
        return tool_complain(TOOL_USAGE, NULL, "the image does not fit below 4 GiB at address 0x%08lX",
                             (unsigned long)address);
    }
    if (f == TOOL_FORMAT_BIN) {
        *out = malloc(len);
        if (*out == NULL) {
            return tool_complain(TOOL_FAILED, NULL, "out of memory");
        }
        memcpy(*out, data, len);
        *out_len = len;
        return TOOL_OK;
    }
    size_t records = (len + RECORD_BYTES - 1) / RECORD_BYTES + len / 65536u + 2;
    /* Longest line: S3 (2 + 2 + 8 + 32 + 2 + newline); headers to 64 bytes. */
    size_t size = (records + 8) * (2 + 2 * (1 + 4 + RECORD_BYTES + 1) + 2) + 256;
    char *buf = malloc(size), *p = buf;
    if (buf == NULL) {
        return tool_complain(TOOL_FAILED, NULL, "out of memory");
    }
    uint32_t last = address + (uint32_t)(len - 1);
    if (f == TOOL_FORMAT_IHEX) {
        uint32_t upper = 0xffffffffu;
        for (size_t off = 0; off < len;) {
            uint32_t at = address + (uint32_t)off;
            if (at >> 16 != upper) {
                upper = at >> 16;
                const uint8_t ela[2] = { (uint8_t)(upper >> 8), (uint8_t)upper };
                p = ihex_record(p, 0x04, 0, ela, 2);
            }
            size_t n = len - off < RECORD_BYTES ? len - off : RECORD_BYTES;
            size_t to_boundary = 0x10000u - (at & 0xffffu);
            n = n < to_boundary ? n : to_boundary;
            p = ihex_record(p, 0x00, at & 0xffffu, data + off, n);
            off += n;
        }
        p = ihex_record(p, 0x01, 0, NULL, 0);
    } else {
        unsigned addr_bytes = last <= 0xffffu ? 2 : last <= 0xffffffu ? 3 : 4;
        char data_type = (char)('0' + addr_bytes - 1), end_type = (char)('0' + 11 - addr_bytes);
        size_t n_header = header != NULL ? strlen(header) : 0;
        p = srec_record(p, '0', 2, 0, (const uint8_t *)header, n_header < 64 ? n_header : 64);
        size_t count = 0;
        for (size_t off = 0; off < len; off += RECORD_BYTES, count++) {
            size_t n = len - off < RECORD_BYTES ? len - off : RECORD_BYTES;
            p = srec_record(p, data_type, addr_bytes, address + (uint32_t)off, data + off, n);
        }
        p = count <= 0xffffu ? srec_record(p, '5', 2, (uint32_t)count, NULL, 0)
                             : srec_record(p, '6', 3, (uint32_t)count, NULL, 0);
        p = srec_record(p, end_type, addr_bytes, 0, NULL, 0);
    }
    *out = (uint8_t *)buf;
    *out_len = (size_t)(p - buf);
    return TOOL_OK;
}
