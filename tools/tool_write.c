/* nvtoken write: the image as a flashing tool takes it (tool_hexfile.c),
 * after fsck: a damaged image is not written out. */
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "tool_hexfile.h"
#include "tool_image.h"

int tool_write_image(tool_image_t *im, int format, uint32_t address, const char *out)
{
    tool_format_t f = (tool_format_t)format;
    nvt_store_fsck_report_t r;
    int rc = nvt_store_fsck(&im->store, 0, &r, NULL, NULL);
    if (rc != NVT_OK) {
        return tool_complain(rc == NVT_E_IO ? TOOL_FILE : TOOL_DAMAGED, im->path, "fails fsck (%s): not written",
                             nvt_err_name(rc));
    }
    uint8_t *data = NULL, *file = NULL;
    size_t len = 0, file_len = 0;
    int status = tool_image_bytes(im, &data, &len);
    if (status == TOOL_OK) {
        const char *base = strrchr(im->path, '/');
        status = tool_flash_file(f, data, len, address, base != NULL ? base + 1 : im->path, &file, &file_len);
    }
    if (status == TOOL_OK) {
        status = tool_write_file(out, file, file_len, 0600); /* it holds the token's secrets */
    }
    free(data);
    free(file);
    return status;
}

int tool_cmd_write(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "address", required_argument, NULL, 'a' },
        { "output", required_argument, NULL, 'o' },
        { "geometry", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *address_text = NULL, *out = NULL, *geometry = NULL, *image = NULL;
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":ho:", opts)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'a': address_text = optarg; break;
        case 'o': out = optarg; break;
        case 'g': geometry = optarg; break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    if (out == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "-o FILE is needed (\"-\": standard output)");
    }
    tool_format_t f;
    uint64_t address = 0;
    if ((status = tool_format(format, strcmp(out, "-") == 0 ? NULL : out, &f, argv[0])) != TOOL_OK) {
        return status;
    }
    if (address_text != NULL && tool_parse_number(address_text, UINT32_MAX, &address) != 0) {
        return tool_complain(TOOL_USAGE, argv[0], "bad --address '%s' (e.g. 0x0807C000)", address_text);
    }
    tool_image_t im;
    status = tool_image_open(&im, image, geometry);
    if (status == TOOL_OK) {
        status = tool_write_image(&im, f, (uint32_t)address, out);
    }
    if (status == TOOL_OK && strcmp(out, "-") != 0) {
        printf("wrote %s: %s, %lu bytes at 0x%08lX to 0x%08lX\n", out, tool_format_name(f),
               (unsigned long)im.ro.geo.sector_size * im.ro.geo.sector_count, (unsigned long)address,
               (unsigned long)(address + (uint64_t)im.ro.geo.sector_size * im.ro.geo.sector_count - 1));
    }
    tool_image_close(&im);
    return status;
}
