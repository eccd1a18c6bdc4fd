/* nvtoken seal, and the repair of nvtoken fsck --repair: the two commands
 * that write an existing image to put it right. Both open the image as the
 * tool opens every token (tool_token.c: its lock, its device key,
 * <image>.key made if the image holds nothing sealed yet) and call
 * libnvtoken's nvt_token_seal(): sensitive records an image written before
 * sealing keeps in the clear are sealed, and missing or damaged copies of
 * the token's own records are written again - what the token's next write
 * would do (docs/DESIGN.md, "Migration"). The repair then has the store
 * rewrite what it read with a flipped bit corrected, or in format
 * version 1 (nvt_store_fsck() with NVT_STORE_FSCK_REPAIR). */
#include <inttypes.h>
#include <stdio.h>

#include "tool.h"
#include "tool_token.h"

int tool_put_right(const char *path, const char *geometry, int repair)
{
    tool_token_t t;
    tool_token_options_t o = { geometry, 0, 0, NULL };
    int status = tool_token_open(&t, path, &o);
    if (status == TOOL_OK) {
        nvt_token_diag_t before;
        int rc = nvt_token_diagnostics(0, &before);
        rc = rc != NVT_OK ? rc : nvt_token_seal(0);
        char key[NVT_PORT_PATH_MAX];
        if (nvt_port_image_device_key_path(path, key, sizeof(key)) != NVT_OK) {
            snprintf(key, sizeof(key), "?");
        }
        nvt_store_fsck_report_t r = { 0 };
        if (rc == NVT_OK && repair) {
            rc = tool_token_store_repair(&t, &r);
        }
        switch (rc) {
        case NVT_OK:
            printf("image:          %s\n", path);
            printf("device key:     %s\n", key);
            printf("sealed:         %s\n", before.migrating ? "now" : "already");
            printf("token copies:   %s\n", before.repairs_pending ? "restored" : "all there");
            if (repair) {
                printf("store repairs:  %" PRIu32 " (sectors rewritten or erased)\n", r.repaired);
            }
            break;
        case NVT_E_NOT_FOUND:
            status = tool_complain(TOOL_FILE, path, "no device key (%s)", key);
            break;
        case NVT_E_CORRUPT:
            status = tool_complain(TOOL_DAMAGED, path, "its token record cannot be read: nothing written");
            break;
        default:
            status = tool_complain(TOOL_DAMAGED, path, "cannot put it right: %s", nvt_err_name(rc));
            break;
        }
    }
    int closed = tool_token_close(&t);
    return status != TOOL_OK ? status : closed;
}

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
    return status != TOOL_OK ? status : tool_put_right(path, NULL, 0);
}
