/* newlib system calls for the QEMU reference board, over semihosting: console
 * output, a heap between .bss and the stack, process exit with a status, and
 * a clock. Anything else (files, processes) fails with ENOSYS. Test programs
 * need these; libnvtoken.a does not. */
#include "qemu_board.h"
#include "semihosting.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/time.h>

/* From mps2_an386.ld. */
extern char nvt_qemu_heap_start[], nvt_qemu_heap_end[];

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _lseek(int fd, int offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _open(const char *path, int flags, int mode);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);
clock_t _times(struct tms *t);
int _gettimeofday(struct timeval *tv, void *tz);
int _unlink(const char *path);

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    if (len <= 0) {
        return 0;
    }
    if (nvt_semihost_write(fd == 2, buf, (size_t)len) != 0) {
        errno = EIO;
        return -1;
    }
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0; /* no input: end of file */
}

int _close(int fd)
{
    (void)fd;
    return 0;
}

int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _open(const char *path, int flags, int mode)
{
    (void)path;
    (void)flags;
    (void)mode;
    errno = ENOSYS;
    return -1;
}

int _unlink(const char *path)
{
    (void)path;
    errno = ENOSYS;
    return -1;
}

/* The heap's end (sbrk's break); it only grows under newlib-nano's malloc. */
static char *brk = nvt_qemu_heap_start;

void *_sbrk(ptrdiff_t incr)
{
    if (incr < 0 ? (nvt_qemu_heap_start - brk > incr) : (nvt_qemu_heap_end - brk < incr)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += incr;
    return old;
}

void _exit(int status)
{
    nvt_semihost_exit(status);
}

int _kill(int pid, int sig)
{
    (void)pid;
    nvt_semihost_exit(128 + sig);
}

int _getpid(void)
{
    return 1;
}

clock_t _times(struct tms *t)
{
    clock_t now = (clock_t)nvt_semihost_clock();
    if (t != NULL) {
        t->tms_utime = now;
        t->tms_stime = 0;
        t->tms_cutime = 0;
        t->tms_cstime = 0;
    }
    return now;
}

int _gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    long cs = nvt_semihost_clock();
    tv->tv_sec = cs / 100;
    tv->tv_usec = (cs % 100) * 10000;
    return 0;
}

size_t nvt_qemu_heap_used(void)
{
    return (size_t)(brk - nvt_qemu_heap_start);
}
