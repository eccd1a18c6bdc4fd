/* The PKCS#11 v2.40 function list (section 5.2, C_GetFunctionList): every
 * entry filled, in the specification's order; and the v3.0 interface
 * discovery (C_GetInterfaceList, C_GetInterface) offering that list as the
 * one interface "PKCS 11" version 2.40. All three work before
 * C_Initialize. */
#include "p11_internal.h"

#include <string.h>

static CK_FUNCTION_LIST p11_function_list = {
    { CRYPTOKI_VERSION_MAJOR, CRYPTOKI_VERSION_MINOR },
    C_Initialize,
    C_Finalize,
    C_GetInfo,
    C_GetFunctionList,
    C_GetSlotList,
    C_GetSlotInfo,
    C_GetTokenInfo,
    C_GetMechanismList,
    C_GetMechanismInfo,
    C_InitToken,
    C_InitPIN,
    C_SetPIN,
    C_OpenSession,
    C_CloseSession,
    C_CloseAllSessions,
    C_GetSessionInfo,
    C_GetOperationState,
    C_SetOperationState,
    C_Login,
    C_Logout,
    C_CreateObject,
    C_CopyObject,
    C_DestroyObject,
    C_GetObjectSize,
    C_GetAttributeValue,
    C_SetAttributeValue,
    C_FindObjectsInit,
    C_FindObjects,
    C_FindObjectsFinal,
    C_EncryptInit,
    C_Encrypt,
    C_EncryptUpdate,
    C_EncryptFinal,
    C_DecryptInit,
    C_Decrypt,
    C_DecryptUpdate,
    C_DecryptFinal,
    C_DigestInit,
    C_Digest,
    C_DigestUpdate,
    C_DigestKey,
    C_DigestFinal,
    C_SignInit,
    C_Sign,
    C_SignUpdate,
    C_SignFinal,
    C_SignRecoverInit,
    C_SignRecover,
    C_VerifyInit,
    C_Verify,
    C_VerifyUpdate,
    C_VerifyFinal,
    C_VerifyRecoverInit,
    C_VerifyRecover,
    C_DigestEncryptUpdate,
    C_DecryptDigestUpdate,
    C_SignEncryptUpdate,
    C_DecryptVerifyUpdate,
    C_GenerateKey,
    C_GenerateKeyPair,
    C_WrapKey,
    C_UnwrapKey,
    C_DeriveKey,
    C_SeedRandom,
    C_GenerateRandom,
    C_GetFunctionStatus,
    C_CancelFunction,
    C_WaitForSlotEvent
};

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    if (ppFunctionList == NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    *ppFunctionList = &p11_function_list;
    return CKR_OK;
}

/* The one interface. */
static CK_CHAR p11_interface_name[] = "PKCS 11";

static CK_INTERFACE p11_interfaces[] = {
    { p11_interface_name, &p11_function_list, 0 },
};

#define P11_INTERFACES (sizeof(p11_interfaces) / sizeof(p11_interfaces[0]))

CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount)
{
    P11_REQUIRE_ARGS(pulCount != NULL_PTR);
    if (pInterfacesList == NULL_PTR) {
        *pulCount = P11_INTERFACES;
        return CKR_OK;
    }
    if (*pulCount < P11_INTERFACES) {
        *pulCount = P11_INTERFACES;
        return CKR_BUFFER_TOO_SMALL;
    }
    memcpy(pInterfacesList, p11_interfaces, sizeof(p11_interfaces));
    *pulCount = P11_INTERFACES;
    return CKR_OK;
}

CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion, CK_INTERFACE_PTR_PTR ppInterface,
                     CK_FLAGS flags)
{
    P11_REQUIRE_ARGS(ppInterface != NULL_PTR);
    for (size_t i = 0; i < P11_INTERFACES; i++) {
        const CK_INTERFACE *it = &p11_interfaces[i];
        const CK_VERSION *v = it->pFunctionList;
        if ((pInterfaceName == NULL_PTR || strcmp((const char *)pInterfaceName, (const char *)it->pInterfaceName) == 0) &&
            (pVersion == NULL_PTR || (pVersion->major == v->major && pVersion->minor == v->minor)) &&
            (flags & it->flags) == flags) {
            *ppInterface = &p11_interfaces[i];
            return CKR_OK;
        }
    }
    return CKR_ARGUMENTS_BAD; /* no such interface */
}
