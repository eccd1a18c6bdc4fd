/* Object management (PKCS#11 v2.40 section 5.7). */
#include "p11_internal.h"

CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                     CK_OBJECT_HANDLE_PTR phObject)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS((pTemplate != NULL_PTR || ulCount == 0) && phObject != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_create_object(hSession, pTemplate, ulCount, phObject));
}

CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject)
{
#if NVT_CONFIG_TOKEN_COPY
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS((pTemplate != NULL_PTR || ulCount == 0) && phNewObject != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_copy_object(hSession, hObject, pTemplate, ulCount, phNewObject));
#else
    (void)hSession, (void)hObject, (void)pTemplate, (void)ulCount, (void)phNewObject;
    P11_LEFT_OUT();
#endif
}

CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_destroy_object(hSession, hObject));
}

CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pulSize != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_object_size(hSession, hObject, pulSize));
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pTemplate != NULL_PTR || ulCount == 0);
    P11_LOCKED_RETURN(nvt_token_get_attributes(hSession, hObject, pTemplate, ulCount));
}

CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount)
{
#if NVT_CONFIG_TOKEN_SET_ATTRIBUTE
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pTemplate != NULL_PTR || ulCount == 0);
    P11_LOCKED_RETURN(nvt_token_set_attributes(hSession, hObject, pTemplate, ulCount));
#else
    (void)hSession, (void)hObject, (void)pTemplate, (void)ulCount;
    P11_LEFT_OUT();
#endif
}

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pTemplate != NULL_PTR || ulCount == 0);
    P11_LOCKED_RETURN(nvt_token_find_init(hSession, pTemplate, ulCount));
}

CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject, CK_ULONG ulMaxObjectCount,
                    CK_ULONG_PTR pulObjectCount)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS((phObject != NULL_PTR || ulMaxObjectCount == 0) && pulObjectCount != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_find(hSession, phObject, ulMaxObjectCount, pulObjectCount));
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_find_final(hSession));
}
