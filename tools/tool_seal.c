/* nvtoken seal: seal what an image written before sealing keeps in the
 * clear, and restore any missing or damaged copy of the token's own
 * records - what the token's next write would do (docs/DESIGN.md,
 * "Migration") - through libnvtoken's nvt_token_seal() on the image opened
 * as the tool opens every token (tool_token.c: its lock, its device key,
 * <image>.key made if the image holds nothing sealed yet). */
#include <stdio.h>

#include "tool.h"
#include "tool_token.h"

int tool_cmd_seal(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &path, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    tool_token_t t;
    tool_token_options_t o = { NULL, 0, 0, NULL };
    status = tool_token_open(&t, path, &o);
    if (status == TOOL_OK) {
        nvt_token_diag_t before;
        int rc = nvt_token_diagnostics(0, &before);
        rc = rc != NVT_OK ? rc : nvt_token_seal(0);
        char key[NVT_PORT_PATH_MAX];
        if (nvt_port_image_device_key_path(path, key, sizeof(key)) != NVT_OK) {
            snprintf(key, sizeof(key), "?");
        }
        switch (rc) {
        case NVT_OK:
            printf("image:          %s\n", path);
            printf("device key:     %s\n", key);
            printf("sealed:         %s\n", before.migrating || before.repairs_pending ? "now" : "already");
            break;
        case NVT_E_NOT_FOUND:
            status = tool_complain(TOOL_FILE, path, "no device key (%s)", key);
            break;
        case NVT_E_CORRUPT:
            status = tool_complain(TOOL_DAMAGED, path, "its token record cannot be read: nothing written");
            break;
        default:
            status = tool_complain(TOOL_DAMAGED, path, "cannot seal: %s", nvt_err_name(rc));
            break;
        }
    }
    int closed = tool_token_close(&t);
    return status != TOOL_OK ? status : closed;
}
