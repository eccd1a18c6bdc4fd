/* QEMU reference board (bare metal, one thread): mutexes are no-ops that
 * always succeed, which is exact on a system with nothing to exclude. A
 * firmware with an RTOS uses the `none` port and its own mutexes. */
#include "nvtoken/port.h"

/* A distinct non-NULL handle: PKCS#11 treats NULL as "no mutex". */
static unsigned char qemu_mutex_token;

int nvt_port_mutex_create(void **mutex)
{
    if (mutex == 0) {
        return NVT_E_INVALID;
    }
    *mutex = &qemu_mutex_token;
    return NVT_OK;
}

void nvt_port_mutex_destroy(void *mutex)
{
    (void)mutex;
}

int nvt_port_mutex_lock(void *mutex)
{
    return mutex != 0 ? NVT_OK : NVT_E_IO;
}

int nvt_port_mutex_unlock(void *mutex)
{
    return mutex != 0 ? NVT_OK : NVT_E_IO;
}
