/* Arm semihosting for the QEMU reference board: see semihosting.h. */
#include "semihosting.h"

#include <string.h>

/* Operation numbers from Arm's "Semihosting for AArch32 and AArch64". */
enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_FLEN = 0x0C,
    SYS_CLOCK = 0x10,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
};
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define OPEN_MODE_RB 1 /* "rb" */
#define OPEN_MODE_W 4  /* "w": ":tt" opened this way is standard output */
#define OPEN_MODE_WB 5 /* "wb" */
#define OPEN_MODE_A 8  /* "a": ":tt" opened this way is standard error */

static long semihost_call(long op, void *arg)
{
    register long r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static long console_handle(int err)
{
    static long handles[2] = { -1, -1 };
    long *h = &handles[err ? 1 : 0];
    if (*h < 0) {
        static char tt[] = ":tt";
        long args[3] = { (long)tt, err ? OPEN_MODE_A : OPEN_MODE_W, 3 };
        *h = semihost_call(SYS_OPEN, args);
    }
    return *h;
}

int nvt_semihost_write(int err, const void *buf, size_t len)
{
    long h = console_handle(err);
    if (h < 0) {
        return -1;
    }
    long args[3] = { h, (long)buf, (long)len };
    /* SYS_WRITE returns the number of bytes it did NOT write. */
    return semihost_call(SYS_WRITE, args) == 0 ? 0 : -1;
}

int nvt_semihost_cmdline(char *buf, size_t size)
{
    long args[2] = { (long)buf, (long)size };
    if (size == 0 || semihost_call(SYS_GET_CMDLINE, args) != 0) {
        return -1;
    }
    buf[size - 1] = '\0';
    return (int)strlen(buf);
}

static long open_file(const char *path, long mode)
{
    long args[3] = { (long)path, mode, (long)strlen(path) };
    return semihost_call(SYS_OPEN, args);
}

static void close_file(long h)
{
    long args[1] = { h };
    (void)semihost_call(SYS_CLOSE, args);
}

long nvt_semihost_load(const char *path, void *buf, size_t size)
{
    long h = open_file(path, OPEN_MODE_RB);
    if (h < 0) {
        return -1;
    }
    long args[3] = { h, 0, 0 };
    long len = semihost_call(SYS_FLEN, args);
    if (len >= 0 && (size_t)len <= size) {
        long rd[3] = { h, (long)buf, len };
        /* SYS_READ returns the number of bytes it did NOT read. */
        len = semihost_call(SYS_READ, rd) == 0 ? len : -1;
    } else {
        len = -1;
    }
    close_file(h);
    return len;
}

int nvt_semihost_save(const char *path, const void *buf, size_t size)
{
    long h = open_file(path, OPEN_MODE_WB);
    if (h < 0) {
        return -1;
    }
    long args[3] = { h, (long)buf, (long)size };
    int rc = semihost_call(SYS_WRITE, args) == 0 ? 0 : -1;
    close_file(h);
    return rc;
}

long nvt_semihost_clock(void)
{
    return semihost_call(SYS_CLOCK, NULL);
}

void nvt_semihost_exit(int status)
{
    long args[2] = { (long)ADP_STOPPED_APPLICATION_EXIT, status };
    semihost_call(SYS_EXIT_EXTENDED, args);
    /* A host without the extended call: plain exit (status 0 or 1). */
    semihost_call(SYS_EXIT, (void *)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT : 0x20023u));
    for (;;) {
    }
}
