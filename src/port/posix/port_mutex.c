/* POSIX port: mutexes over pthreads (include/nvtoken/port.h). */
#include "nvtoken/port.h"

#include <pthread.h>
#include <stdlib.h>

int nvt_port_mutex_create(void **mutex)
{
    if (mutex == NULL) {
        return NVT_E_INVALID;
    }
    pthread_mutex_t *m = malloc(sizeof(*m));
    if (m == NULL) {
        return NVT_E_IO;
    }
    if (pthread_mutex_init(m, NULL) != 0) {
        free(m);
        return NVT_E_IO;
    }
    *mutex = m;
    return NVT_OK;
}

void nvt_port_mutex_destroy(void *mutex)
{
    if (mutex != NULL) {
        (void)pthread_mutex_destroy(mutex);
        free(mutex);
    }
}

int nvt_port_mutex_lock(void *mutex)
{
    return mutex != NULL && pthread_mutex_lock(mutex) == 0 ? NVT_OK : NVT_E_IO;
}

int nvt_port_mutex_unlock(void *mutex)
{
    return mutex != NULL && pthread_mutex_unlock(mutex) == 0 ? NVT_OK : NVT_E_IO;
}
