/* Start-up of the QEMU mps2-an386 reference board: memory initialisation,
 * C library constructors, the semihosting command line as argc/argv (less
 * the board's own options: the device identity of qemu_device.h), and the
 * exit status of main() handed back to the host. Also the fault handler that
 * turns a crash into a failed run rather than a hang. */
#include "qemu_device.h"
#include "semihosting.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* From mps2_an386.ld. */
extern uint32_t nvt_qemu_data_load[], nvt_qemu_data_start[], nvt_qemu_data_end[];
extern uint32_t nvt_qemu_bss_start[], nvt_qemu_bss_end[];

int main(int argc, char **argv);
void __libc_init_array(void);
void nvt_qemu_start(void) __attribute__((noreturn));
void nvt_qemu_fault(uint32_t ipsr, const uint32_t *frame) __attribute__((noreturn));
void _init(void);
void _fini(void);

/* The C library's constructor walk calls these; nothing to do on this board. */
void _init(void)
{
}

void _fini(void)
{
}

#define NVT_QEMU_MAX_ARGS 16
#define NVT_QEMU_CMDLINE 512

/* Split the command line in place on spaces (qemu-run passes no quoting). */
static int split_cmdline(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line;
    while (*p != '\0' && argc < max - 1) {
        while (*p == ' ') {
            *p++ = '\0';
        }
        if (*p == '\0') {
            break;
        }
        argv[argc++] = p;
        while (*p != '\0' && *p != ' ') {
            p++;
        }
    }
    argv[argc] = NULL;
    return argc;
}

/* Whether two strings are equal (newlib's strcmp is 0.7 kB of code that a
 * firmware image would carry for this one comparison). */
static int same(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The rest of \p s after \p prefix, or NULL if \p s does not start with it
 * (for the same reason as same()). */
static const char *after(const char *s, const char *prefix)
{
    while (*prefix != '\0' && *s == *prefix) {
        s++;
        prefix++;
    }
    return *prefix == '\0' ? s : NULL;
}

/* The board's identity (qemu_device.h) from `--nvt-uid=HEX` and
 * `--nvt-factory-secret=HEX`, wherever they stand; they are removed from
 * argv. A malformed one stops the board: a device must not start with an
 * identity it was not given. */
static int take_device_options(int argc, char **argv)
{
    int kept = 0;
    for (int i = 0; i < argc; i++) {
        int rc = 1;
        const char *uid = after(argv[i], "--nvt-uid=");
        const char *secret = after(argv[i], "--nvt-factory-secret=");
        if (uid != NULL) {
            rc = nvt_qemu_device_set_uid(uid);
        } else if (secret != NULL) {
            rc = nvt_qemu_device_set_secret(secret);
        } else {
            argv[kept++] = argv[i];
        }
        if (rc < 0) {
            static const char msg[] = "fatal: bad --nvt-uid or --nvt-factory-secret\n";
            (void)nvt_semihost_write(1, msg, sizeof(msg) - 1);
            nvt_semihost_exit(126);
        }
    }
    argv[kept] = NULL;
    return kept;
}

/* Set when qemu-run ran QEMU with -icount shift=0 (see qemu_board.h). */
int nvt_qemu_icount_flag;

void nvt_qemu_start(void)
{
    static char line[NVT_QEMU_CMDLINE];
    static char *argv[NVT_QEMU_MAX_ARGS];
    static char name[] = "nvt-target";

    memcpy(nvt_qemu_data_start, nvt_qemu_data_load,
           (size_t)((char *)nvt_qemu_data_end - (char *)nvt_qemu_data_start));
    memset(nvt_qemu_bss_start, 0,
           (size_t)((char *)nvt_qemu_bss_end - (char *)nvt_qemu_bss_start));
    __libc_init_array();

    int argc = 0;
    if (nvt_semihost_cmdline(line, sizeof(line)) > 0) {
        argc = split_cmdline(line, argv, NVT_QEMU_MAX_ARGS);
    }
    /* qemu-run appends this marker; the program never sees it. */
    if (argc > 1 && same(argv[argc - 1], "--nvt-icount")) {
        nvt_qemu_icount_flag = 1;
        argv[--argc] = NULL;
    }
    argc = take_device_options(argc, argv);
    if (argc == 0) {
        argv[0] = name;
        argv[1] = NULL;
        argc = 1;
    }
    exit(main(argc, argv));
}

/* Any exception is fatal on this board: report where and stop with a status
 * that cannot be mistaken for a test count. (Formatted by hand: snprintf
 * would bring the whole printf into every firmware image.) */
static size_t put_hex(char *out, const char *label, uint32_t v)
{
    size_t n = strlen(label);
    memcpy(out, label, n);
    for (int shift = 28; shift >= 0; shift -= 4) {
        out[n++] = "0123456789abcdef"[(v >> shift) & 0xfu];
    }
    return n;
}

void nvt_qemu_fault(uint32_t ipsr, const uint32_t *frame)
{
    static const char head[] = "\nfatal: exception ";
    char msg[64];
    uint32_t number = ipsr & 0x1ffu; /* 0 to 511, in decimal */
    size_t n = sizeof(head) - 1;
    memcpy(msg, head, n);
    for (uint32_t unit = 100; unit > 0; unit /= 10) {
        if (number >= unit || unit == 1) {
            msg[n++] = (char)('0' + number / unit % 10);
        }
    }
    n += put_hex(msg + n, " at pc=0x", frame[6]);
    n += put_hex(msg + n, " lr=0x", frame[5]);
    msg[n++] = '\n';
    (void)nvt_semihost_write(1, msg, n);
    nvt_semihost_exit(125);
}
