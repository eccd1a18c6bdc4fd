/* POSIX port: memory for secrets, kept out of core dumps. A process that
 * crashes with core dumps enabled writes its memory to disk; the module's
 * own buffers that hold key material (the host's object cache, the store's
 * scratch, the token's static state) are marked MADV_DONTDUMP where the
 * system has it (Linux 3.4+), so a core file never carries them. Memory of
 * nvt_port_secret_alloc() is whole pages of its own, so nothing else shares
 * the mark, and is wiped before it is given back. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_DONTDUMP */
#include "nvtoken/port.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* memset through a volatile pointer: not removed as a dead store. */
static void *(*const volatile wipe)(void *, int, size_t) = memset;

static size_t page_size(void)
{
    long n = sysconf(_SC_PAGESIZE);
    return n > 0 ? (size_t)n : 4096u;
}

static size_t whole_pages(size_t len)
{
    size_t page = page_size();
    return len > SIZE_MAX - page ? 0 : (len + page - 1) / page * page;
}

int nvt_port_secret_exclude(void *p, size_t len)
{
#if defined(MADV_DONTDUMP)
    if (p == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    size_t page = page_size();
    uintptr_t start = (uintptr_t)p / page * page;
    uintptr_t end = ((uintptr_t)p + len + page - 1) / page * page;
    return madvise((void *)start, end - start, MADV_DONTDUMP) == 0 ? NVT_OK : NVT_E_IO;
#else
    (void)p;
    (void)len;
    return NVT_E_UNSUPPORTED;
#endif
}

void *nvt_port_secret_alloc(size_t len)
{
    size_t size = whole_pages(len);
    if (len == 0 || size == 0) {
        return NULL;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    int rc = nvt_port_secret_exclude(p, size);
    if (rc != NVT_OK && rc != NVT_E_UNSUPPORTED) {
        (void)munmap(p, size);
        return NULL;
    }
    return p; /* anonymous pages read as zeros */
}

void nvt_port_secret_free(void *p, size_t len)
{
    if (p != NULL) {
        wipe(p, 0, len);
        (void)munmap(p, whole_pages(len));
    }
}
