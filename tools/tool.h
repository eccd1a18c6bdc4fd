/* nvtoken tool: what its command files share (tools/README.md).
 *
 * One file per concept: nvtoken.c (the command table, every --help),
 * tool_util.c (errors, command lines, files, secrets, hex), tool_image.c
 * (an image opened read-only: stat, fsck, write), tool_token.c (an image
 * opened as a PKCS#11 token: the one place the token is configured),
 * tool_objects.c (finding and describing token objects), tool_template.c
 * (templates and --attr), one tool_<command>.c per command (tool_stat.c
 * has stat and fsck; tool_genkey.c also the key pairs and requests batch
 * makes), and tool_json.c, tool_hexfile.c, tool_manifest.c for the
 * formats. */
#ifndef NVT_TOOL_H
#define NVT_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <getopt.h>

#include "nvtoken/flash.h"
#include "nvtoken/pkcs11.h"

/* ------------------------------------------------------------------------
 * Exit statuses: stable, documented in tools/README.md.
 * ---------------------------------------------------------------------- */
enum {
    TOOL_OK = 0,
    TOOL_FAILED = 1,      /* out of memory, or an error this tool did not expect */
    TOOL_USAGE = 2,       /* bad command line */
    TOOL_FILE = 3,        /* a file cannot be opened, read or written */
    TOOL_DAMAGED = 4,     /* not an image of this geometry and format, or damaged */
    TOOL_PIN = 5,         /* a PIN was refused (wrong, locked, not set) */
    TOOL_NOT_FOUND = 6,   /* no such object (or more than one where one is meant) */
    TOOL_EXISTS = 7,      /* the object or file is there already */
    TOOL_FULL = 8,        /* the image has no room for it */
    TOOL_INPUT = 9,       /* an input (key, certificate, manifest...) is malformed or refused */
    TOOL_UNSUPPORTED = 10, /* a key type, curve or size this token does not have */
    TOOL_BATCH = 11,      /* batch: some devices failed (the others were done) */
};

extern const char *tool_prog;

/** One line on stderr, "nvtoken: WHERE: what" (WHERE may be NULL); returns
 *  \p status. */
__attribute__((format(printf, 3, 4))) int tool_complain(int status, const char *where, const char *fmt, ...);

/** While \p buf is set, tool_complain() writes its first complaint there
 *  (without the program's name) instead of on stderr: batch turns each
 *  device's failure into one line. NULL ends the capture. */
void tool_capture(char *buf, size_t size);

/** A command's help text on stdout (for --help, returns TOOL_OK) or its
 *  usage lines on stderr after a complaint (returns TOOL_USAGE). */
int tool_usage(const char *command, int help);

/** getopt_long() over a command's argv (argv[0] the command's name),
 *  without getopt's own messages: returns the option's value, -1 at the
 *  end, or '?' after one line about an unknown option or a missing value.
 *  \p shortopts must start with ':'. Reset optind to 1 before the first call. */
int tool_getopt(int argc, char **argv, const char *shortopts, const struct option *opts);

/** After the options: exactly \p want arguments into \p args, else one line
 *  naming what is missing (\p what) or extra. \return TOOL_OK or TOOL_USAGE. */
int tool_getopt_done(int argc, char **argv, int want, const char **args, const char *what);

/* ------------------------------------------------------------------------
 * Files and secrets (tool_util.c)
 * ---------------------------------------------------------------------- */

/** Largest input file read (keys, certificates, manifests). */
#define TOOL_INPUT_MAX (16u * 1024u * 1024u)

/** Read all of \p path ("-": standard input) into a heap buffer with a NUL
 *  after it (not counted). Complains itself (TOOL_FILE). */
int tool_read_file(const char *path, uint8_t **data, size_t *len);

/** Write \p len bytes to \p path ("-": standard output) durably and whole:
 *  into a temporary file beside it, fsync'ed, then renamed over it, so the
 *  path holds the old file or the new one, never part of one. \p mode: the
 *  new file's permission bits. Complains itself (TOOL_FILE). */
int tool_write_file(const char *path, const void *data, size_t len, unsigned mode);

/** Put the finished file \p tmp (flushed) at \p path: over an existing
 *  file if \p replace, else never (TOOL_EXISTS, and \p tmp is removed).
 *  The directory is flushed too. Complains itself. */
int tool_place_file(const char *tmp, const char *path, int replace);

/** Make the directories \p path lies in, if missing (mode 0755).
 *  Complains itself (TOOL_FILE). */
int tool_make_parents(const char *path);

/** "PATH.tmp-PID" into a heap string (NULL if out of memory). */
char *tool_tmp_name(const char *path);

/** A PIN or passphrase, read from a file and wiped after use. */
typedef struct tool_secret {
    uint8_t value[1024];
    size_t len;
    int set;
} tool_secret_t;

/** Read a secret from \p path ("-": standard input): the first line, without
 *  its line end. \p what names it in errors ("PIN file"). Complains itself. */
int tool_secret_read(const char *path, const char *what, tool_secret_t *s);

/** Wipe a secret. */
void tool_secret_wipe(tool_secret_t *s);

/** Overwrite memory with zeros; never optimised away. */
void tool_wipe(void *p, size_t len);

/** Parse hexadecimal text ("0a1b", optionally "0x"-prefixed) into at most
 *  \p size bytes. \return 0, or -1 for text that is not that. */
int tool_parse_hex(const char *text, uint8_t *out, size_t size, size_t *len);

/** Lower-case hexadecimal of \p len bytes into \p out (2 * len + 1 bytes). */
void tool_hex(const uint8_t *data, size_t len, char *out);

/** Parse a decimal or 0x-prefixed hexadecimal number up to \p max.
 *  \return 0 or -1. */
int tool_parse_number(const char *text, uint64_t max, uint64_t *value);

/** SHA-256 of \p len bytes as 64 lower-case hex digits in \p out[65]. */
int tool_sha256_hex(const void *data, size_t len, char out[65]);

/** "2048x16x8" of \p geo into \p out. */
void tool_geometry_text(const nvt_flash_geometry_t *geo, char *out, size_t size);

/** --pin-iterations (NULL: the tool's default, the device build's 1000).
 *  Complains itself (TOOL_USAGE). */
int tool_pin_iterations(const char *text, uint32_t *out, const char *command);

/* ------------------------------------------------------------------------
 * Commands
 * ---------------------------------------------------------------------- */

int tool_cmd_stat(int argc, char **argv);
int tool_cmd_fsck(int argc, char **argv);
int tool_cmd_seal(int argc, char **argv);
/** nvtoken seal (\p repair 0) and the repair of fsck --repair (1): the
 *  image at \p path opened as a token, sealed, the token's copies restored,
 *  and with \p repair the store's repairs made; prints what was done.
 *  Complains itself. */
int tool_put_right(const char *path, const char *geometry, int repair);
int tool_cmd_create(int argc, char **argv);
int tool_cmd_import(int argc, char **argv);
int tool_cmd_list(int argc, char **argv);
int tool_cmd_export(int argc, char **argv);
int tool_cmd_genkey(int argc, char **argv);
int tool_cmd_write(int argc, char **argv);
int tool_cmd_batch(int argc, char **argv);

#endif /* NVT_TOOL_H */
