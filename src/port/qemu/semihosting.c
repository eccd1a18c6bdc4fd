/* Arm semihosting for the QEMU reference board: see semihosting.h. */
#include "semihosting.h"

#include <string.h>

/* Operation numbers from Arm's "Semihosting for AArch32 and AArch64". */
enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE = 0x05,
    SYS_READ = 0x06,
    SYS_SEEK = 0x0A,
    SYS_FLEN = 0x0C,
    SYS_CLOCK = 0x10,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT = 0x18,
    SYS_EXIT_EXTENDED = 0x20,
};
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define OPEN_MODE_RB 1 /* "rb" */
#define OPEN_MODE_W 4 /* "w": ":tt" opened this way is standard output */
#define OPEN_MODE_A 8 /* "a": ":tt" opened this way is standard error */

static long semihost_call(long op, void *arg)
{
    register long r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

long nvt_semihost_open(const char *path, int mode)
{
    long args[3] = { (long)path, mode, (long)strlen(path) };
    return semihost_call(SYS_OPEN, args);
}

int nvt_semihost_close(long handle)
{
    long args[1] = { handle };
    return semihost_call(SYS_CLOSE, args) == 0 ? 0 : -1;
}

int nvt_semihost_read(long handle, void *buf, size_t len)
{
    long args[3] = { handle, (long)buf, (long)len };
    /* SYS_READ returns the number of bytes it did NOT read. */
    return semihost_call(SYS_READ, args) == 0 ? 0 : -1;
}

int nvt_semihost_fwrite(long handle, const void *buf, size_t len)
{
    long args[3] = { handle, (long)buf, (long)len };
    /* SYS_WRITE returns the number of bytes it did NOT write. */
    return semihost_call(SYS_WRITE, args) == 0 ? 0 : -1;
}

int nvt_semihost_seek(long handle, size_t pos)
{
    long args[2] = { handle, (long)pos };
    return semihost_call(SYS_SEEK, args) == 0 ? 0 : -1;
}

long nvt_semihost_flen(long handle)
{
    long args[1] = { handle };
    return semihost_call(SYS_FLEN, args);
}

static long console_handle(int err)
{
    static long handles[2] = { -1, -1 };
    long *h = &handles[err ? 1 : 0];
    if (*h < 0) {
        *h = nvt_semihost_open(":tt", err ? OPEN_MODE_A : OPEN_MODE_W);
    }
    return *h;
}

int nvt_semihost_write(int err, const void *buf, size_t len)
{
    long h = console_handle(err);
    return h < 0 ? -1 : nvt_semihost_fwrite(h, buf, len);
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

int nvt_semihost_read_file(const char *path, void *buf, size_t size, size_t *len)
{
    long open_args[3] = { (long)path, OPEN_MODE_RB, (long)strlen(path) };
    long h = semihost_call(SYS_OPEN, open_args);
    if (h < 0) {
        return -1;
    }
    long flen = semihost_call(SYS_FLEN, &h);
    int rc = -1;
    if (flen >= 0 && (unsigned long)flen <= size) {
        long read_args[3] = { h, (long)buf, flen };
        /* SYS_READ returns the number of bytes it did NOT read. */
        if (semihost_call(SYS_READ, read_args) == 0) {
            *len = (size_t)flen;
            rc = 0;
        }
    }
    (void)semihost_call(SYS_CLOSE, &h);
    return rc;
}
