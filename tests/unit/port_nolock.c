/* A port whose platform cannot lock (nvt_port_mutex_create answers
 * NVT_E_UNSUPPORTED), for the CKR_CANT_LOCK test. */
#include "nvtoken/port.h"

int nvt_port_mutex_create(void **mutex)
{
    (void)mutex;
    return NVT_E_UNSUPPORTED;
}

void nvt_port_mutex_destroy(void *mutex)
{
    (void)mutex;
}

int nvt_port_mutex_lock(void *mutex)
{
    (void)mutex;
    return NVT_E_IO;
}

int nvt_port_mutex_unlock(void *mutex)
{
    (void)mutex;
    return NVT_E_IO;
}
