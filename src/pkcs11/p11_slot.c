/* Slot and token management (PKCS#11 v2.40 section 5.5). */
#include "p11_internal.h"

CK_RV C_GetSlotList(CK_BBOOL tokenPresent, CK_SLOT_ID_PTR pSlotList, CK_ULONG_PTR pulCount)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pulCount != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_slot_list(tokenPresent, pSlotList, pulCount));
}

CK_RV C_GetSlotInfo(CK_SLOT_ID slotID, CK_SLOT_INFO_PTR pInfo)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pInfo != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_slot_info(slotID, pInfo));
}

CK_RV C_GetTokenInfo(CK_SLOT_ID slotID, CK_TOKEN_INFO_PTR pInfo)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pInfo != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_token_info(slotID, pInfo));
}

/* Events are tokens appearing in, leaving or replaced in a slot
 * (nvt_token_wait_for_slot_event); a blocking wait with no event pending
 * answers CKR_FUNCTION_NOT_SUPPORTED. */
CK_RV C_WaitForSlotEvent(CK_FLAGS flags, CK_SLOT_ID_PTR pSlot, CK_VOID_PTR pReserved)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pSlot != NULL_PTR && pReserved == NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_wait_for_slot_event(flags, pSlot));
}

CK_RV C_GetMechanismList(CK_SLOT_ID slotID, CK_MECHANISM_TYPE_PTR pMechanismList, CK_ULONG_PTR pulCount)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pulCount != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_mechanism_list(slotID, pMechanismList, pulCount));
}

CK_RV C_GetMechanismInfo(CK_SLOT_ID slotID, CK_MECHANISM_TYPE type, CK_MECHANISM_INFO_PTR pInfo)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pInfo != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_mechanism_info(slotID, type, pInfo));
}

/* No protected authentication path: a PIN is always passed in. */
CK_RV C_InitToken(CK_SLOT_ID slotID, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen, CK_UTF8CHAR_PTR pLabel)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pPin != NULL_PTR && pLabel != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_init_token(slotID, pPin, ulPinLen, pLabel));
}

CK_RV C_InitPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pPin != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_init_pin(hSession, pPin, ulPinLen));
}

CK_RV C_SetPIN(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pOldPin, CK_ULONG ulOldLen, CK_UTF8CHAR_PTR pNewPin,
               CK_ULONG ulNewLen)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pOldPin != NULL_PTR && pNewPin != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_set_pin(hSession, pOldPin, ulOldLen, pNewPin, ulNewLen));
}
