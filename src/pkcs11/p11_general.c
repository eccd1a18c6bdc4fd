/* General-purpose functions (PKCS#11 v2.40 section 5.4): C_Initialize,
 * C_Finalize, C_GetInfo. */
#include "nvtoken/pkcs11.h"
#include "nvtoken/version.h"

#include <string.h>

static int p11_initialized;

/* Copy a string into a blank-padded, not NUL-terminated PKCS#11 field. */
static void p11_pad(CK_UTF8CHAR *field, size_t size, const char *text)
{
    size_t n = strlen(text);
    memset(field, ' ', size);
    memcpy(field, text, n < size ? n : size);
}

CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
    if (pInitArgs != NULL_PTR) {
        const CK_C_INITIALIZE_ARGS *args = pInitArgs;
        if (args->pReserved != NULL_PTR) {
            return CKR_ARGUMENTS_BAD;
        }
    }
    if (p11_initialized) {
        return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    }
    p11_initialized = 1;
    return CKR_OK;
}

CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
    if (pReserved != NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    if (!p11_initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    p11_initialized = 0;
    return CKR_OK;
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo)
{
    if (!p11_initialized) {
        return CKR_CRYPTOKI_NOT_INITIALIZED;
    }
    if (pInfo == NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    memset(pInfo, 0, sizeof(*pInfo));
    pInfo->cryptokiVersion.major = CRYPTOKI_VERSION_MAJOR;
    pInfo->cryptokiVersion.minor = CRYPTOKI_VERSION_MINOR;
    p11_pad(pInfo->manufacturerID, sizeof(pInfo->manufacturerID), "nvtoken project");
    pInfo->flags = 0;
    p11_pad(pInfo->libraryDescription, sizeof(pInfo->libraryDescription), "nvtoken flash PKCS#11 token");
    pInfo->libraryVersion.major = NVT_VERSION_MAJOR;
    pInfo->libraryVersion.minor = NVT_VERSION_MINOR;
    return CKR_OK;
}
