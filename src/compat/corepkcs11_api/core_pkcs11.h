/**
 * \file core_pkcs11.h
 * \brief corePKCS11's application API, over nvtoken's PKCS#11.
 *
 * Application code written for FreeRTOS corePKCS11 (the AWS IoT demos and
 * reference integrations) includes "core_pkcs11.h" and calls the helpers
 * below, then the standard C_* functions through C_GetFunctionList(). This
 * header declares the same helpers, types and constants, written for
 * nvtoken from corePKCS11's published interface, so that such code
 * compiles and runs against nvtoken's token unchanged: put this folder on
 * the include path instead of corePKCS11's, keep the application's own
 * core_pkcs11_config.h, and link nvtoken_core_pkcs11 and libnvtoken.
 *
 * Where nvtoken behaves differently (it is a real token; corePKCS11 is a
 * software mock), the differences are deliberate and listed with each
 * function: PINs are checked, so xInitializePkcs11Token sets the user PIN
 * corePKCS11's configuration names (pkcs11configPKCS11_DEFAULT_USER_PIN).
 *
 * The labels of the standard objects (pkcs11configLABEL_*) and the other
 * configuration defaults are in core_pkcs11_config_defaults.h, which code
 * includes after its core_pkcs11_config.h, as with corePKCS11.
 */
#ifndef CORE_PKCS11_H_NVTOKEN
#define CORE_PKCS11_H_NVTOKEN

#include <stdint.h>

#include "nvtoken/pkcs11.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes and encodings the helpers' users rely on (PKCS #1, SEC 2, RFC 5480). */

/** Length of a SHA-256 digest, in bytes. */
#define pkcs11SHA256_DIGEST_LENGTH 32UL
/** Length of an AES-CMAC signature, in bytes. */
#define pkcs11AES_CMAC_SIGNATURE_LENGTH 16UL
/** Length of a P-256 ECDSA signature as PKCS #11 returns it: r || s. */
#define pkcs11ECDSA_P256_SIGNATURE_LENGTH 64UL
/** Bits of a P-256 key. */
#define pkcs11ECDSA_P256_KEY_BITS 256UL
/** The RSA public exponent 65537, big-endian. */
#define pkcs11RSA_PUBLIC_EXPONENT { 0x01, 0x00, 0x01 }
/** Bits of an RSA-2048 modulus. */
#define pkcs11RSA_2048_MODULUS_BITS 2048UL
/** Length of an RSA-2048 signature, in bytes. */
#define pkcs11RSA_2048_SIGNATURE_LENGTH (pkcs11RSA_2048_MODULUS_BITS / 8UL)
/** Length of a SHA-256 DigestInfo (the prefix below and the digest). */
#define pkcs11RSA_SIGNATURE_INPUT_LENGTH 51UL
/** The P-256 curve's object identifier, in dotted form. */
#define pkcs11ELLIPTIC_CURVE_NISTP256 "1.2.840.10045.3.1.7"
/** Room for a label: 31 characters and a terminating NUL. */
#define pkcs11MAX_LABEL_LENGTH 32UL
/** CKA_EC_PARAMS of P-256: the DER of its named-curve OID. */
#define pkcs11DER_ENCODED_OID_P256 { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 }

/** 1 if private keys may be imported with C_CreateObject (nvtoken: yes). */
#ifndef pkcs11configIMPORT_PRIVATE_KEYS_SUPPORTED
#define pkcs11configIMPORT_PRIVATE_KEYS_SUPPORTED 1
#endif

/** The DER that precedes a SHA-256 digest in a PKCS #1 v1.5 DigestInfo:
 *  SEQUENCE { SEQUENCE { OID sha256, NULL }, OCTET STRING (32 bytes) }. */
#define pkcs11STUFF_APPENDED_TO_RSA_SIG                                                            \
    { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,    \
      0x05, 0x00, 0x04, 0x20 }

/** A certificate's template, in the order C_CreateObject receives it when
 *  the structure is passed as an array of attributes (class first). */
typedef struct PKCS11_CertificateTemplate {
    CK_ATTRIBUTE xObjectClass;     /**< CKA_CLASS: CKO_CERTIFICATE */
    CK_ATTRIBUTE xSubject;         /**< CKA_SUBJECT */
    CK_ATTRIBUTE xCertificateType; /**< CKA_CERTIFICATE_TYPE: CKC_X_509 */
    CK_ATTRIBUTE xValue;           /**< CKA_VALUE: the certificate's DER */
    CK_ATTRIBUTE xLabel;           /**< CKA_LABEL */
    CK_ATTRIBUTE xTokenObject;     /**< CKA_TOKEN */
} PKCS11_CertificateTemplate_t;

/**
 * \brief C_Initialize with CKF_OS_LOCKING_OK (the port's mutexes).
 * \return CKR_OK, CKR_CRYPTOKI_ALREADY_INITIALIZED, or C_Initialize's error.
 */
CK_RV xInitializePKCS11(void);

/**
 * \brief The slots that have a token.
 * \param ppxSlotId receives a list allocated with malloc(): the caller
 *        frees it (with free(), corePKCS11's default pkcs11configPKCS11_FREE);
 *        NULL when there is no slot.
 * \param pxSlotCount receives the number of slots.
 * \return CKR_OK; CKR_ARGUMENTS_BAD; CKR_HOST_MEMORY; or C_GetSlotList's
 *         error (nothing allocated).
 */
CK_RV xGetSlotList(CK_SLOT_ID **ppxSlotId, CK_ULONG *pxSlotCount);

/**
 * \brief Initialise the library (if it is not) and open a read-write
 *        session on the first slot with a token, logged in as the user
 *        with pkcs11configPKCS11_DEFAULT_USER_PIN. A user already logged in
 *        (another session) is not an error.
 * \return CKR_OK and the session; CKR_ARGUMENTS_BAD; CKR_TOKEN_NOT_PRESENT
 *         when no slot has a token; or the first error (then no session
 *         is left open: corePKCS11 leaves one open after a failed login).
 */
CK_RV xInitializePkcs11Session(CK_SESSION_HANDLE *pxSession);

/**
 * \brief Initialise the library (if it is not) and make the first slot's
 *        token usable by xInitializePkcs11Session(): a token not yet
 *        initialised gets C_InitToken with the default PIN as SO PIN and the
 *        label "FreeRTOS" (what corePKCS11 passes); a token without a user
 *        PIN then gets the default PIN as user PIN (C_InitPIN, by the SO).
 *        corePKCS11 has no PINs; nvtoken does, so on nvtoken the default PIN
 *        becomes the token's PIN: change pkcs11configPKCS11_DEFAULT_USER_PIN
 *        in the firmware's core_pkcs11_config.h.
 * \return CKR_OK; CKR_TOKEN_NOT_PRESENT; or the first error.
 */
CK_RV xInitializePkcs11Token(void);

/**
 * \brief The object of class \p xClass labelled \p pcLabelName (the first,
 *        if there are several).
 * \param pxHandle receives its handle, or CK_INVALID_HANDLE if there is
 *        none (the result is still CKR_OK).
 * \return CKR_OK; CKR_ARGUMENTS_BAD; or the find's error.
 */
CK_RV xFindObjectWithLabelAndClass(CK_SESSION_HANDLE xSession, char *pcLabelName, CK_ULONG ulLabelNameLen,
                                   CK_OBJECT_CLASS xClass, CK_OBJECT_HANDLE_PTR pxHandle);

/**
 * \brief The PKCS #1 v1.5 DigestInfo of a SHA-256 digest, for CKM_RSA_PKCS
 *        signing: pkcs11STUFF_APPENDED_TO_RSA_SIG then the 32 bytes.
 * \param puc51ByteHashOidBuffer receives 51 bytes (caller's buffer).
 * \return CKR_OK, or CKR_ARGUMENTS_BAD for a NULL pointer.
 */
CK_RV vAppendSHA256AlgorithmIdentifierSequence(const uint8_t *puc32ByteHashedMessage,
                                               uint8_t *puc51ByteHashOidBuffer);

#ifdef __cplusplus
}
#endif

#endif /* CORE_PKCS11_H_NVTOKEN */
