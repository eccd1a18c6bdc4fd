/* General-purpose functions (PKCS#11 v2.40 section 5.4): C_Initialize with
 * its locking choices, C_Finalize, C_GetInfo (the version it reports is the
 * function list's); and the library lock. */
#include "p11_internal.h"

#include <string.h>

#include "nvtoken/port.h"

int p11_initialized;

/* The lock: the application's callbacks, the port's mutex, or none. */
static struct {
    CK_CREATEMUTEX create;
    CK_DESTROYMUTEX destroy;
    CK_LOCKMUTEX lock;
    CK_UNLOCKMUTEX unlock;
    void *mutex;
} p11_mutex;

/* The port's mutex behind the PKCS#11 callback signatures. A platform
 * without locking says so (NVT_E_UNSUPPORTED): CKR_CANT_LOCK. */
static CK_RV os_create(CK_VOID_PTR_PTR mutex)
{
    int err = nvt_port_mutex_create(mutex);
    return err == NVT_OK ? CKR_OK : err == NVT_E_UNSUPPORTED ? CKR_CANT_LOCK : CKR_HOST_MEMORY;
}

static CK_RV os_destroy(CK_VOID_PTR mutex)
{
    nvt_port_mutex_destroy(mutex);
    return CKR_OK;
}

static CK_RV os_lock(CK_VOID_PTR mutex)
{
    return nvt_port_mutex_lock(mutex) == NVT_OK ? CKR_OK : CKR_GENERAL_ERROR;
}

static CK_RV os_unlock(CK_VOID_PTR mutex)
{
    return nvt_port_mutex_unlock(mutex) == NVT_OK ? CKR_OK : CKR_GENERAL_ERROR;
}

CK_RV p11_lock(void)
{
    return p11_mutex.lock != NULL ? p11_mutex.lock(p11_mutex.mutex) : CKR_OK;
}

void p11_unlock(void)
{
    if (p11_mutex.unlock != NULL) {
        (void)p11_mutex.unlock(p11_mutex.mutex);
    }
}

static void drop_mutex(void)
{
    if (p11_mutex.destroy != NULL) {
        (void)p11_mutex.destroy(p11_mutex.mutex);
    }
    memset(&p11_mutex, 0, sizeof(p11_mutex));
}

/* Choose the locking from the arguments (section 5.4, C_Initialize):
 * callbacks all or none; CKF_OS_LOCKING_OK prefers the platform's mutex. */
static CK_RV choose_locking(const CK_C_INITIALIZE_ARGS *args)
{
    memset(&p11_mutex, 0, sizeof(p11_mutex));
    if (args == NULL) {
        return CKR_OK; /* the application will not call from several threads */
    }
    if (args->pReserved != NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    int given = (args->CreateMutex != NULL_PTR) + (args->DestroyMutex != NULL_PTR) +
                (args->LockMutex != NULL_PTR) + (args->UnlockMutex != NULL_PTR);
    if (given != 0 && given != 4) {
        return CKR_ARGUMENTS_BAD;
    }
    if ((args->flags & CKF_OS_LOCKING_OK) != 0) {
        void *probe = NULL;
        if (os_create(&probe) == CKR_OK) {
            (void)os_destroy(probe);
            p11_mutex.create = os_create;
            p11_mutex.destroy = os_destroy;
            p11_mutex.lock = os_lock;
            p11_mutex.unlock = os_unlock;
            return CKR_OK;
        }
        if (given == 0) {
            return CKR_CANT_LOCK;
        }
    }
    if (given == 4) {
        p11_mutex.create = args->CreateMutex;
        p11_mutex.destroy = args->DestroyMutex;
        p11_mutex.lock = args->LockMutex;
        p11_mutex.unlock = args->UnlockMutex;
    }
    return CKR_OK;
}

CK_RV p11_not_supported(void)
{
    P11_REQUIRE_INIT();
    return CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    if (p11_initialized) {
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    CK_RV rv = choose_locking(pInitArgs);
    if (rv != CKR_OK) {
        memset(&p11_mutex, 0, sizeof(p11_mutex));
        return rv;
    }
    if (p11_mutex.create != NULL) {
        rv = p11_mutex.create(&p11_mutex.mutex);
        if (rv != CKR_OK) {
            memset(&p11_mutex, 0, sizeof(p11_mutex));
            return rv;
        }
    }
    rv = nvt_token_init();
    if (rv != CKR_OK) {
        drop_mutex();
        return rv;
    }
    p11_initialized = 1;
    return CKR_OK;
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    P11_REQUIRE_ARGS(pReserved == NULL_PTR);
    P11_REQUIRE_INIT();
    CK_RV rv = p11_lock();
    if (rv != CKR_OK) {
        return rv;
    }
    nvt_token_finalize();
    p11_initialized = 0;
    p11_unlock();
    drop_mutex();
    return CKR_OK;
}

CK_RV p11_get_info(CK_INFO_PTR pInfo, CK_BYTE major, CK_BYTE minor)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pInfo != NULL_PTR);
    nvt_token_library_info(pInfo);
    pInfo->cryptokiVersion.major = major;
    pInfo->cryptokiVersion.minor = minor;
    return CKR_OK;
}

/* The 2.40 list's C_GetInfo (and the exported symbol); the 3.0 list has
 * its own (p11_function_list.c). */
CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    return p11_get_info(pInfo, 2, 40);
}
