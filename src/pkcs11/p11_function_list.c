/* The function lists and the interfaces that offer them.
 *
 * Two lists, every entry filled, in the specification's order:
 * - CK_FUNCTION_LIST version 2.40 (v2.40 section 5.2): what
 *   C_GetFunctionList returns, for clients written for PKCS#11 2.x;
 * - CK_FUNCTION_LIST_3_0 version 3.0 (v3.0 section 5.2): the same 68
 *   entries followed by the 24 functions v3.0 adds.
 * C_GetInterfaceList offers both as interface "PKCS 11": 3.0 first (the
 * default C_GetInterface returns), then 2.40; neither is fork-safe (flags
 * 0: after fork() a child must call C_Initialize again). The lists differ
 * in one more entry: C_GetInfo reports the cryptoki version of the list it
 * was taken from (3.0 or 2.40), so an application sees one version
 * whichever way it asks. The exported symbol C_GetInfo is the 2.40 one, as
 * C_GetFunctionList's list is. All three discovery functions work before
 * C_Initialize. */
#include "p11_internal.h"

#include <string.h>

/* C_GetInfo as the 3.0 list answers it. */
static CK_RV p11_get_info_3_0(CK_INFO_PTR pInfo)
{
    return p11_get_info(pInfo, 3, 0);
}

static CK_FUNCTION_LIST p11_list_2_40 = {
    { 2, 40 },
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

static CK_FUNCTION_LIST_3_0 p11_list_3_0 = {
    { 3, 0 },
    C_Initialize,
    C_Finalize,
    p11_get_info_3_0,
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
    C_WaitForSlotEvent,
    C_GetInterfaceList,
    C_GetInterface,
    C_LoginUser,
    C_SessionCancel,
    C_MessageEncryptInit,
    C_EncryptMessage,
    C_EncryptMessageBegin,
    C_EncryptMessageNext,
    C_MessageEncryptFinal,
    C_MessageDecryptInit,
    C_DecryptMessage,
    C_DecryptMessageBegin,
    C_DecryptMessageNext,
    C_MessageDecryptFinal,
    C_MessageSignInit,
    C_SignMessage,
    C_SignMessageBegin,
    C_SignMessageNext,
    C_MessageSignFinal,
    C_MessageVerifyInit,
    C_VerifyMessage,
    C_VerifyMessageBegin,
    C_VerifyMessageNext,
    C_MessageVerifyFinal
};

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList)
{
    if (ppFunctionList == NULL_PTR) {
        return CKR_ARGUMENTS_BAD;
    }
    *ppFunctionList = &p11_list_2_40;
    return CKR_OK;
}

/* The interfaces, the default (3.0) first. */
static CK_CHAR p11_interface_name[] = "PKCS 11";

static CK_INTERFACE p11_interfaces[] = {
    { p11_interface_name, &p11_list_3_0, 0 },
    { p11_interface_name, &p11_list_2_40, 0 },
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
    return CKR_ARGUMENTS_BAD; /* no such interface (v3.0 section 5.4.4) */
}
