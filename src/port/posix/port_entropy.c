/* POSIX port: the entropy source is the kernel's CSPRNG through getrandom(),
 * which blocks only until the kernel's pool was first seeded at boot. */
#include "nvtoken/port.h"

#include <errno.h>
#include <sys/random.h>

int nvt_port_entropy(void *buf, size_t len, size_t *got)
{
    if ((buf == NULL && len > 0) || got == NULL) {
        return NVT_E_INVALID;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = getrandom((unsigned char *)buf + done, len - done, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            *got = done;
            return NVT_E_IO;
        }
        done += (size_t)n;
    }
    *got = done;
    return NVT_OK;
}
