/* Message-based functions (PKCS#11 v3.0 sections 5.13 to 5.16: encryption,
 * decryption, signing and verification of separate messages under one
 * key). The token offers no mechanism for them (no CKF_MESSAGE_* flag in
 * C_GetMechanismInfo), so each answers CKR_FUNCTION_NOT_SUPPORTED once the
 * library is initialised. docs/DESIGN.md, "The PKCS#11 3.0 interface",
 * says why message-based AES-GCM is left out. */
#include "p11_internal.h"

/* ---- encryption (5.13) -------------------------------------------------- */

CK_RV C_MessageEncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
}

CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                       CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pAssociatedData, (void)ulAssociatedDataLen;
    (void)pPlaintext, (void)ulPlaintextLen, (void)pCiphertext, (void)pulCiphertextLen;
    P11_LEFT_OUT();
}

CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pAssociatedData, (void)ulAssociatedDataLen;
    P11_LEFT_OUT();
}

CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen, CK_BYTE_PTR pCiphertextPart,
                           CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pPlaintextPart, (void)ulPlaintextPartLen;
    (void)pCiphertextPart, (void)pulCiphertextPartLen, (void)flags;
    P11_LEFT_OUT();
}

CK_RV C_MessageEncryptFinal(CK_SESSION_HANDLE hSession)
{
    (void)hSession;
    P11_LEFT_OUT();
}

/* ---- decryption (5.14) -------------------------------------------------- */

CK_RV C_MessageDecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
}

CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                       CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pAssociatedData, (void)ulAssociatedDataLen;
    (void)pCiphertext, (void)ulCiphertextLen, (void)pPlaintext, (void)pulPlaintextLen;
    P11_LEFT_OUT();
}

CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pAssociatedData, (void)ulAssociatedDataLen;
    P11_LEFT_OUT();
}

CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen, CK_BYTE_PTR pPlaintextPart,
                           CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pCiphertextPart, (void)ulCiphertextPartLen;
    (void)pPlaintextPart, (void)pulPlaintextPartLen, (void)flags;
    P11_LEFT_OUT();
}

CK_RV C_MessageDecryptFinal(CK_SESSION_HANDLE hSession)
{
    (void)hSession;
    P11_LEFT_OUT();
}

/* ---- signing and MACing (5.15) ------------------------------------------ */

CK_RV C_MessageSignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
}

CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulDataLen, (void)pSignature;
    (void)pulSignatureLen;
    P11_LEFT_OUT();
}

CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen;
    P11_LEFT_OUT();
}

CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                        CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulDataLen, (void)pSignature;
    (void)pulSignatureLen;
    P11_LEFT_OUT();
}

CK_RV C_MessageSignFinal(CK_SESSION_HANDLE hSession)
{
    (void)hSession;
    P11_LEFT_OUT();
}

/* ---- verification (5.16) ------------------------------------------------ */

CK_RV C_MessageVerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    (void)hSession, (void)pMechanism, (void)hKey;
    P11_LEFT_OUT();
}

CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                      CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulDataLen, (void)pSignature;
    (void)ulSignatureLen;
    P11_LEFT_OUT();
}

CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen;
    P11_LEFT_OUT();
}

CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                          CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    (void)hSession, (void)pParameter, (void)ulParameterLen, (void)pData, (void)ulDataLen, (void)pSignature;
    (void)ulSignatureLen;
    P11_LEFT_OUT();
}

CK_RV C_MessageVerifyFinal(CK_SESSION_HANDLE hSession)
{
    (void)hSession;
    P11_LEFT_OUT();
}
