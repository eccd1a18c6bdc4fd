/* corePKCS11's application helpers (core_pkcs11.h) over nvtoken's PKCS#11
 * functions. Written for nvtoken from corePKCS11's documented interface;
 * the differences from corePKCS11 are listed in core_pkcs11.h. */
#include <stdlib.h>
#include <string.h>

#include "core_pkcs11_config.h"
#include "core_pkcs11_config_defaults.h"
#include "core_pkcs11.h"

/* The default PIN, as PKCS#11 takes it. */
static CK_UTF8CHAR default_pin[] = pkcs11configPKCS11_DEFAULT_USER_PIN;
#define DEFAULT_PIN_LEN (sizeof(default_pin) - 1u)

CK_RV xInitializePKCS11(void)
{
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    return C_Initialize(&args);
}

CK_RV xGetSlotList(CK_SLOT_ID **ppxSlotId, CK_ULONG *pxSlotCount)
{
    if (ppxSlotId == NULL || pxSlotCount == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *ppxSlotId = NULL;
    *pxSlotCount = 0;
    CK_ULONG count = 0;
    CK_RV rv = C_GetSlotList(CK_TRUE, NULL_PTR, &count);
    /* Ask again while the list grows between the two calls. */
    while (rv == CKR_OK && count > 0) {
        if (count > SIZE_MAX / sizeof(CK_SLOT_ID)) {
            return CKR_HOST_MEMORY;
        }
        CK_SLOT_ID *list = pkcs11configPKCS11_MALLOC(count * sizeof(CK_SLOT_ID));
        if (list == NULL) {
            return CKR_HOST_MEMORY;
        }
        CK_ULONG got = count;
        rv = C_GetSlotList(CK_TRUE, list, &got);
        if (rv == CKR_OK) {
            *ppxSlotId = list;
            *pxSlotCount = got;
            return CKR_OK;
        }
        pkcs11configPKCS11_FREE(list);
        if (rv == CKR_BUFFER_TOO_SMALL) {
            count = got;
            rv = CKR_OK;
        }
    }
    return rv;
}

/* The first slot with a token, after initialising the library if needed. */
static CK_RV first_slot(CK_SLOT_ID *slot)
{
    CK_RV rv = xInitializePKCS11();
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        return rv;
    }
    CK_SLOT_ID *list = NULL;
    CK_ULONG count = 0;
    rv = xGetSlotList(&list, &count);
    if (rv == CKR_OK && count == 0) {
        rv = CKR_TOKEN_NOT_PRESENT;
    }
    if (rv == CKR_OK) {
        *slot = list[0];
    }
    pkcs11configPKCS11_FREE(list);
    return rv;
}

CK_RV xInitializePkcs11Session(CK_SESSION_HANDLE *pxSession)
{
    if (pxSession == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *pxSession = CK_INVALID_HANDLE;
    CK_SLOT_ID slot;
    CK_RV rv = first_slot(&slot);
    if (rv != CKR_OK) {
        return rv;
    }
    CK_SESSION_HANDLE s;
    rv = C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_Login(s, CKU_USER, default_pin, DEFAULT_PIN_LEN);
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
        (void)C_CloseSession(s);
        return rv;
    }
    *pxSession = s;
    return CKR_OK;
}

/* Give a token that has none the default PIN as its user PIN. */
static CK_RV set_user_pin(CK_SLOT_ID slot)
{
    CK_SESSION_HANDLE s;
    CK_RV rv = C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_Login(s, CKU_SO, default_pin, DEFAULT_PIN_LEN);
    if (rv == CKR_OK) {
        rv = C_InitPIN(s, default_pin, DEFAULT_PIN_LEN);
        CK_RV out = C_Logout(s);
        rv = rv != CKR_OK ? rv : out;
    }
    CK_RV closed = C_CloseSession(s);
    return rv != CKR_OK ? rv : closed;
}

CK_RV xInitializePkcs11Token(void)
{
    CK_SLOT_ID slot;
    CK_TOKEN_INFO info;
    CK_RV rv = first_slot(&slot);
    if (rv == CKR_OK) {
        rv = C_GetTokenInfo(slot, &info);
    }
    if (rv == CKR_OK && !(info.flags & CKF_TOKEN_INITIALIZED)) {
        CK_UTF8CHAR label[32];
        memset(label, ' ', sizeof(label));
        memcpy(label, "FreeRTOS", 8);
        rv = C_InitToken(slot, default_pin, DEFAULT_PIN_LEN, label);
        if (rv == CKR_OK) {
            rv = C_GetTokenInfo(slot, &info);
        }
    }
    if (rv == CKR_OK && !(info.flags & CKF_USER_PIN_INITIALIZED)) {
        rv = set_user_pin(slot);
    }
    return rv;
}

CK_RV xFindObjectWithLabelAndClass(CK_SESSION_HANDLE xSession, char *pcLabelName, CK_ULONG ulLabelNameLen,
                                   CK_OBJECT_CLASS xClass, CK_OBJECT_HANDLE_PTR pxHandle)
{
    if (pcLabelName == NULL || pxHandle == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    *pxHandle = CK_INVALID_HANDLE;
    CK_ATTRIBUTE t[] = { { CKA_LABEL, pcLabelName, ulLabelNameLen }, { CKA_CLASS, &xClass, sizeof(xClass) } };
    CK_ULONG count = 0;
    CK_RV rv = C_FindObjectsInit(xSession, t, 2);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_FindObjects(xSession, pxHandle, 1, &count);
    CK_RV final = C_FindObjectsFinal(xSession);
    if (rv != CKR_OK || count == 0) {
        *pxHandle = CK_INVALID_HANDLE;
    }
    return rv != CKR_OK ? rv : final;
}

CK_RV vAppendSHA256AlgorithmIdentifierSequence(const uint8_t *puc32ByteHashedMessage,
                                               uint8_t *puc51ByteHashOidBuffer)
{
    static const uint8_t prefix[] = pkcs11STUFF_APPENDED_TO_RSA_SIG;
    if (puc32ByteHashedMessage == NULL || puc51ByteHashOidBuffer == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    memcpy(puc51ByteHashOidBuffer, prefix, sizeof(prefix));
    memcpy(puc51ByteHashOidBuffer + sizeof(prefix), puc32ByteHashedMessage, pkcs11SHA256_DIGEST_LENGTH);
    return CKR_OK;
}
