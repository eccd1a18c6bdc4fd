/* Session management (PKCS#11 v2.40 section 5.6, with v3.0's C_LoginUser
 * and C_SessionCancel) and parallel-function management (5.17). */
#include "p11_internal.h"

CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR pApplication, CK_NOTIFY Notify,
                    CK_SESSION_HANDLE_PTR phSession)
{
    (void)pApplication; /* no callbacks: nothing is ever pending */
    (void)Notify;
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(phSession != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_open_session(slotID, flags, phSession));
}

CK_RV C_CloseSession(CK_SESSION_HANDLE hSession)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_close_session(hSession));
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slotID)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_close_all_sessions(slotID));
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pInfo != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_session_info(hSession, pInfo));
}

/* Operation state is not saved or restored. */
CK_RV C_GetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                          CK_ULONG_PTR pulOperationStateLen)
{
    (void)hSession;
    (void)pOperationState;
    (void)pulOperationStateLen;
    P11_LEFT_OUT();
}

CK_RV C_SetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState, CK_ULONG ulOperationStateLen,
                          CK_OBJECT_HANDLE hEncryptionKey, CK_OBJECT_HANDLE hAuthenticationKey)
{
    (void)hSession;
    (void)pOperationState;
    (void)ulOperationStateLen;
    (void)hEncryptionKey;
    (void)hAuthenticationKey;
    P11_LEFT_OUT();
}

/* No PIN pad: a PIN is always passed in. */
CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen)
{
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pPin != NULL_PTR);
    P11_LOCKED_RETURN(nvt_token_login(hSession, userType, pPin, ulPinLen));
}

/* v3.0: a token's users have no names here (one user and one SO per
 * token), so a user name is an argument the token cannot honour; without
 * one (NULL or empty) this is C_Login. */
CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen)
{
    (void)pUsername;
    P11_REQUIRE_INIT();
    P11_REQUIRE_ARGS(pPin != NULL_PTR && ulUsernameLen == 0);
    P11_LOCKED_RETURN(nvt_token_login(hSession, userType, pPin, ulPinLen));
}

/* v3.0: end the session's operations named by flags (CKF_ENCRYPT ...,
 * CKF_FIND_OBJECTS); every operation can be cancelled. */
CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_session_cancel(hSession, flags));
}

CK_RV C_Logout(CK_SESSION_HANDLE hSession)
{
    P11_REQUIRE_INIT();
    P11_LOCKED_RETURN(nvt_token_logout(hSession));
}

/* Legacy functions: every call runs to completion before it returns. */
CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE hSession)
{
    P11_REQUIRE_INIT();
    CK_RV rv = p11_lock();
    if (rv == CKR_OK) {
        rv = nvt_token_session_check(hSession);
        p11_unlock();
    }
    return rv == CKR_OK ? CKR_FUNCTION_NOT_PARALLEL : rv;
}

CK_RV C_CancelFunction(CK_SESSION_HANDLE hSession)
{
    return C_GetFunctionStatus(hSession);
}
