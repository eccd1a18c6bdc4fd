/* nvtoken create: a new token image - erased, formatted by the token's
 * first mount, initialised with C_InitToken and C_InitPIN. Made under a
 * temporary name and linked into place when finished, so IMAGE is never
 * half made and never replaces a file. */
#include <string.h>
#include <unistd.h>
#include <stdlib.h>

#include "tool.h"
#include "tool_token.h"

/* PBKDF2 iterations of the PIN verifiers the tool makes: the device build's
 * default (include/nvtoken/config.h, NVT_CONFIG_TOKEN_PIN_ITERATIONS on a
 * target), since the device checks the PIN at every login. */
#define TOOL_PIN_ITERATIONS 1000u

int tool_pin_iterations(const char *text, uint32_t *out, const char *command)
{
    uint64_t v;
    if (text == NULL) {
        *out = TOOL_PIN_ITERATIONS;
        return TOOL_OK;
    }
    if (tool_parse_number(text, UINT32_MAX, &v) != 0 || v == 0) {
        return tool_complain(TOOL_USAGE, command, "bad --pin-iterations '%s' (1 to %u)", text, (unsigned)UINT32_MAX);
    }
    *out = (uint32_t)v;
    return TOOL_OK;
}

int tool_cmd_create(int argc, char **argv)
{
    static const struct option opts[] = {
        { "geometry", required_argument, NULL, 'g' },
        { "label", required_argument, NULL, 'l' },
        { "so-pin-file", required_argument, NULL, 's' },
        { "pin-file", required_argument, NULL, 'p' },
        { "pin-iterations", required_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *geometry = NULL, *label = "nvtoken", *so_pin_file = NULL, *pin_file = NULL, *iterations = NULL;
    const char *image = NULL;
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'g': geometry = optarg; break;
        case 'l': label = optarg; break;
        case 's': so_pin_file = optarg; break;
        case 'p': pin_file = optarg; break;
        case 'i': iterations = optarg; break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    if (geometry == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--geometry SIZExCOUNTxUNIT is needed (e.g. 2048x16x8)");
    }
    if (pin_file != NULL && so_pin_file == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--pin-file needs --so-pin-file (the SO sets the user PIN)");
    }
    if (strlen(label) > 32) {
        return tool_complain(TOOL_USAGE, argv[0], "the label is longer than 32 bytes");
    }
    tool_token_options_t o = { geometry, 0, TOOL_TOKEN_NEW, image };
    status = tool_pin_iterations(iterations, &o.pin_iterations, argv[0]);
    if (status != TOOL_OK) {
        return status;
    }
    nvt_flash_geometry_t geo;
    if (nvt_flash_geometry_parse(geometry, &geo) != NVT_OK) {
        return tool_complain(TOOL_USAGE, argv[0], "bad geometry '%s' (SIZExCOUNTxUNIT, e.g. 2048x16x8)", geometry);
    }
    if (access(image, F_OK) == 0) {
        return tool_complain(TOOL_EXISTS, image, "exists already (remove it to make a new one)");
    }
    /* Secrets first: with both from standard input, the SO PIN is its
     * first line and the user PIN its second. */
    tool_secret_t so_pin, pin;
    memset(&so_pin, 0, sizeof(so_pin));
    memset(&pin, 0, sizeof(pin));
    if (so_pin_file != NULL) {
        status = tool_secret_read(so_pin_file, "SO PIN", &so_pin);
    }
    if (status == TOOL_OK && pin_file != NULL) {
        status = tool_secret_read(pin_file, "PIN", &pin);
    }
    char *tmp = status == TOOL_OK ? tool_tmp_name(image) : NULL;
    if (status == TOOL_OK && tmp == NULL) {
        status = tool_complain(TOOL_FAILED, image, "out of memory");
    }
    if (status == TOOL_OK) {
        status = tool_token_blank_image(tmp, geometry);
    }
    if (status == TOOL_OK) {
        tool_token_t t;
        status = tool_token_open(&t, tmp, &o);
        if (status == TOOL_OK && so_pin.set) {
            status = tool_token_init(&t, label, &so_pin, pin.set ? &pin : NULL);
        }
        int closed = tool_token_close(&t);
        status = status != TOOL_OK ? status : closed;
        if (status == TOOL_OK) {
            status = tool_place_file(tmp, image, 0);
        } else {
            (void)unlink(tmp);
        }
    }
    int had_so_pin = so_pin.set, had_pin = pin.set;
    tool_secret_wipe(&so_pin);
    tool_secret_wipe(&pin);
    free(tmp);
    if (status == TOOL_OK) {
        char g[48];
        tool_geometry_text(&geo, g, sizeof(g));
        printf("created %s: %s (%lu bytes); %s\n", image, g, (unsigned long)geo.sector_size * geo.sector_count,
               !had_so_pin ? "formatted, token not initialised"
               : had_pin   ? "token initialised, user PIN set"
                           : "token initialised, no user PIN yet");
    }
    return status;
}
