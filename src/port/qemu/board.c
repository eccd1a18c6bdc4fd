/* Start-up of the QEMU mps2-an386 reference board: memory initialisation,
 * C library constructors, the semihosting command line as argc/argv (less
 * the board's own options: the device identity of qemu_device.h), and the
 * exit status of main() handed back to the host. Also the fault handler that
 * turns a crash into a failed run rather than a hang. */
#include "qemu_device.h"
#include "semihosting.h"

#include <stdint.h>
#include <stdio.h>
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

/* The board's identity (qemu_device.h) from `--nvt-uid=HEX` and
 * `--nvt-factory-secret=HEX`, wherever they stand; they are removed from
 * argv. A malformed one stops the board: a device must not start with an
 * identity it was not given. */
static int take_device_options(int argc, char **argv)
{
    static const char uid[] = "--nvt-uid=", secret[] = "--nvt-factory-secret=";
    int kept = 0;
    for (int i = 0; i < argc; i++) {
        int rc = 1;
        if (strncmp(argv[i], uid, sizeof(uid) - 1) == 0) {
            rc = nvt_qemu_device_set_uid(argv[i] + sizeof(uid) - 1);
        } else if (strncmp(argv[i], secret, sizeof(secret) - 1) == 0) {
            rc = nvt_qemu_device_set_secret(argv[i] + sizeof(secret) - 1);
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
    if (argc > 1 && strcmp(argv[argc - 1], "--nvt-icount") == 0) {
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
 * that cannot be mistaken for a test count. */
void nvt_qemu_fault(uint32_t ipsr, const uint32_t *frame)
{
    char msg[96];
    int n = snprintf(msg, sizeof(msg), "\nfatal: exception %lu at pc=0x%08lx lr=0x%08lx\n",
                     (unsigned long)(ipsr & 0x1ffu), (unsigned long)frame[6],
                     (unsigned long)frame[5]);
    if (n > 0) {
        (void)nvt_semihost_write(1, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
    }
    nvt_semihost_exit(125);
}
