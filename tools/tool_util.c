/* nvtoken tool: errors, command lines, files, secrets, hexadecimal. */
#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nvt_crypto.h"

/* Where complaints go instead of stderr while captured (batch). */
static char *captured;
static size_t captured_size;

void tool_capture(char *buf, size_t size)
{
    captured = buf;
    captured_size = size;
    if (buf != NULL && size > 0) {
        buf[0] = '\0';
    }
}

int tool_complain(int status, const char *where, const char *fmt, ...)
{
    va_list ap;
    if (captured != NULL) {
        /* The first complaint is the cause; later ones follow from it. */
        if (captured[0] == '\0' && captured_size > 0) {
            int n = where != NULL ? snprintf(captured, captured_size, "%s: ", where) : 0;
            if (n >= 0 && (size_t)n < captured_size) {
                va_start(ap, fmt);
                vsnprintf(captured + n, captured_size - (size_t)n, fmt, ap);
                va_end(ap);
            }
        }
        return status;
    }
    fprintf(stderr, "%s: ", tool_prog);
    if (where != NULL) {
        fprintf(stderr, "%s: ", where);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int tool_getopt(int argc, char **argv, const char *shortopts, const struct option *opts)
{
    opterr = 0;
    int c = getopt_long(argc, argv, shortopts, opts, NULL);
    if (c == '?' || c == ':') {
        const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
        if (c == ':') {
            tool_complain(TOOL_USAGE, argv[0], "option '%s' needs a value (%s %s --help)", arg, tool_prog, argv[0]);
        } else if (optopt != 0 && (arg[0] != '-' || arg[1] == '-' || strlen(arg) != 2)) {
            tool_complain(TOOL_USAGE, argv[0], "unknown option '-%c' (%s %s --help)", optopt, tool_prog, argv[0]);
        } else {
            tool_complain(TOOL_USAGE, argv[0], "unknown option '%s' (%s %s --help)", arg, tool_prog, argv[0]);
        }
        return '?';
    }
    return c;
}

int tool_getopt_done(int argc, char **argv, int want, const char **args, const char *what)
{
    int have = argc - optind;
    if (have != want) {
        if (have > want) {
            return tool_complain(TOOL_USAGE, argv[0], "unexpected argument '%s' (%s %s --help)", argv[optind + want],
                                 tool_prog, argv[0]);
        }
        return tool_complain(TOOL_USAGE, argv[0], "no %s given (%s %s --help)", what, tool_prog, argv[0]);
    }
    for (int i = 0; i < want; i++) {
        args[i] = argv[optind + i];
    }
    return TOOL_OK;
}

/* ------------------------------------------------------------------------
 * Files
 * ---------------------------------------------------------------------- */

int tool_read_file(const char *path, uint8_t **data, size_t *len)
{
    int std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return tool_complain(TOOL_FILE, path, "cannot open: %s", strerror(errno));
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    int status = buf == NULL ? tool_complain(TOOL_FAILED, path, "out of memory") : TOOL_OK;
    while (status == TOOL_OK) {
        if (n == cap) {
            uint8_t *bigger = cap < TOOL_INPUT_MAX ? realloc(buf, 2 * cap + 1) : NULL;
            if (bigger == NULL) {
                status = cap < TOOL_INPUT_MAX ? tool_complain(TOOL_FAILED, path, "out of memory")
                                              : tool_complain(TOOL_INPUT, path, "larger than %u bytes", TOOL_INPUT_MAX);
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                status = tool_complain(TOOL_FILE, path, "cannot read: %s", strerror(errno));
            }
            break;
        }
    }
    if (!std) {
        fclose(f);
    }
    if (status != TOOL_OK) {
        if (buf != NULL) {
            tool_wipe(buf, n);
        }
        free(buf);
        return status;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return TOOL_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int tool_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            return tool_complain(TOOL_FILE, "standard output", "cannot write: %s", strerror(errno));
        }
        return TOOL_OK;
    }
    char *tmp = tool_tmp_name(path);
    if (tmp == NULL) {
        return tool_complain(TOOL_FAILED, path, "out of memory");
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode);
    int status = TOOL_OK;
    if (fd < 0) {
        status = tool_complain(TOOL_FILE, path, "cannot write: %s", strerror(errno));
    } else {
        /* The mode whatever the umask (secrets: 0600). */
        if (fchmod(fd, (mode_t)mode) != 0 || write_all(fd, data, len) != 0 || fsync(fd) != 0) {
            status = tool_complain(TOOL_FILE, path, "cannot write: %s", strerror(errno));
        }
        if (close(fd) != 0 && status == TOOL_OK) {
            status = tool_complain(TOOL_FILE, path, "cannot write: %s", strerror(errno));
        }
        if (status == TOOL_OK) {
            status = tool_place_file(tmp, path, 1);
        } else {
            (void)unlink(tmp);
        }
    }
    free(tmp);
    return status;
}

int tool_make_parents(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path) {
        return TOOL_OK;
    }
    if ((size_t)(slash - path) >= sizeof(dir)) {
        return tool_complain(TOOL_FILE, path, "path too long");
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    for (char *p = dir + 1;; p++) {
        char c = *p;
        if (c == '/' || c == '\0') {
            *p = '\0';
            if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
                return tool_complain(TOOL_FILE, path, "cannot make the directory %s: %s", dir, strerror(errno));
            }
            *p = c;
            if (c == '\0') {
                return TOOL_OK;
            }
        }
    }
}

char *tool_tmp_name(const char *path)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (tmp != NULL) {
        snprintf(tmp, n, "%s.tmp-%ld", path, (long)getpid());
    }
    return tmp;
}

/* Flush the directory holding path, so a rename into it lasts. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else {
        snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
    }
    int fd = open(dir, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

int tool_place_file(const char *tmp, const char *path, int replace)
{
    int rc = replace ? rename(tmp, path) : link(tmp, path);
    int err = errno;
    if (!replace || rc != 0) {
        (void)unlink(tmp);
    }
    if (rc != 0) {
        return err == EEXIST ? tool_complain(TOOL_EXISTS, path, "exists already")
                             : tool_complain(TOOL_FILE, path, "cannot write: %s", strerror(err));
    }
    sync_dir(path);
    return TOOL_OK;
}

/* ------------------------------------------------------------------------
 * Secrets
 * ---------------------------------------------------------------------- */

void tool_wipe(void *p, size_t len)
{
    nvt_crypto_zeroize(p, len);
}

void tool_secret_wipe(tool_secret_t *s)
{
    tool_wipe(s, sizeof(*s));
}

int tool_secret_read(const char *path, const char *what, tool_secret_t *s)
{
    tool_secret_wipe(s);
    int std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (f == NULL) {
        return tool_complain(TOOL_FILE, path, "cannot open the %s: %s", what, strerror(errno));
    }
    /* One line: read byte by byte, so that standard input is consumed up
     * to its first line end only (another secret may follow). */
    int c;
    int status = TOOL_OK;
    while ((c = fgetc(f)) != EOF && c != '\n') {
        if (s->len == sizeof(s->value)) {
            status = tool_complain(TOOL_INPUT, path, "the %s is longer than %zu bytes", what, sizeof(s->value));
            break;
        }
        s->value[s->len++] = (uint8_t)c;
    }
    if (status == TOOL_OK && ferror(f)) {
        status = tool_complain(TOOL_FILE, path, "cannot read the %s: %s", what, strerror(errno));
    }
    if (!std) {
        fclose(f);
    }
    if (status == TOOL_OK && s->len > 0 && s->value[s->len - 1] == '\r') {
        s->len--;
    }
    if (status == TOOL_OK && s->len == 0) {
        status = tool_complain(TOOL_INPUT, path, "the %s is empty", what);
    }
    if (status != TOOL_OK) {
        tool_secret_wipe(s);
        return status;
    }
    s->set = 1;
    return TOOL_OK;
}

/* ------------------------------------------------------------------------
 * Numbers and text
 * ---------------------------------------------------------------------- */

static int hex_digit(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int tool_parse_hex(const char *text, uint8_t *out, size_t size, size_t *len)
{
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        text += 2;
    }
    size_t n = strlen(text);
    if (n == 0 || n % 2 != 0 || n / 2 > size) {
        return -1;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_digit((unsigned char)text[2 * i]), lo = hex_digit((unsigned char)text[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

void tool_hex(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

int tool_parse_number(const char *text, uint64_t max, uint64_t *value)
{
    int base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text += 2;
    }
    if (text[0] == '\0') {
        return -1;
    }
    uint64_t v = 0;
    for (const char *p = text; *p != '\0'; p++) {
        int d = base == 16 ? hex_digit((unsigned char)*p) : (*p >= '0' && *p <= '9' ? *p - '0' : -1);
        if (d < 0 || v > (max - (uint64_t)d) / (uint64_t)base) {
            return -1;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *value = v;
    return 0;
}

int tool_sha256_hex(const void *data, size_t len, char out[65])
{
    uint8_t h[32];
    size_t n = 0;
    if (nvt_crypto_init() != NVT_OK || nvt_crypto_hash(NVT_CRYPTO_SHA256, data, len, h, sizeof(h), &n) != NVT_OK ||
        n != sizeof(h)) {
        out[0] = '\0';
        return -1;
    }
    tool_hex(h, sizeof(h), out);
    return 0;
}

void tool_geometry_text(const nvt_flash_geometry_t *geo, char *out, size_t size)
{
    snprintf(out, size, "%" PRIu32 "x%" PRIu32 "x%" PRIu32, geo->sector_size, geo->sector_count, geo->prog_unit);
}
