/**
 * \file core_pkcs11_config_defaults.h
 * \brief Defaults of corePKCS11's configuration, for code that uses
 *        nvtoken through core_pkcs11.h.
 *
 * As with corePKCS11, code includes its own core_pkcs11_config.h first and
 * this file after it: every setting the firmware did not make gets the
 * value corePKCS11 gives it. The labels are the names under which the
 * FreeRTOS and AWS IoT code stores and finds the device's credentials
 * (docs/PORTING.md maps each to how nvtoken stores it).
 *
 * nvtoken's own implementation of the helpers (nvt_core_pkcs11.c) reads
 * pkcs11configPKCS11_DEFAULT_USER_PIN and the allocator settings; the
 * other settings size corePKCS11's own tables and mean nothing to nvtoken
 * (its sizes are in include/nvtoken/config.h).
 */
#ifndef CORE_PKCS11_CONFIG_DEFAULTS_H_NVTOKEN
#define CORE_PKCS11_CONFIG_DEFAULTS_H_NVTOKEN

/* Older names corePKCS11 still accepts. */
#if defined(PKCS11_MALLOC) && !defined(pkcs11configPKCS11_MALLOC)
#define pkcs11configPKCS11_MALLOC PKCS11_MALLOC
#endif
#if defined(PKCS11_FREE) && !defined(pkcs11configPKCS11_FREE)
#define pkcs11configPKCS11_FREE PKCS11_FREE
#endif
#if defined(configPKCS11_DEFAULT_USER_PIN) && !defined(pkcs11configPKCS11_DEFAULT_USER_PIN)
#define pkcs11configPKCS11_DEFAULT_USER_PIN configPKCS11_DEFAULT_USER_PIN
#endif

/** Allocator of what the helpers hand out (xGetSlotList's list). */
#ifndef pkcs11configPKCS11_MALLOC
#define pkcs11configPKCS11_MALLOC malloc
#endif
#ifndef pkcs11configPKCS11_FREE
#define pkcs11configPKCS11_FREE free
#endif

/** The PIN the helpers log in with (on nvtoken: the token's user and SO
 *  PIN after xInitializePkcs11Token; change it for a product). */
#ifndef pkcs11configPKCS11_DEFAULT_USER_PIN
#define pkcs11configPKCS11_DEFAULT_USER_PIN "0000"
#endif

/** corePKCS11's table sizes and switches (unused by nvtoken). */
#ifndef pkcs11configMAX_LABEL_LENGTH
#define pkcs11configMAX_LABEL_LENGTH 32
#endif
#ifndef pkcs11configMAX_NUM_OBJECTS
#define pkcs11configMAX_NUM_OBJECTS 6
#endif
#ifndef pkcs11configMAX_SESSIONS
#define pkcs11configMAX_SESSIONS 10
#endif
#ifndef pkcs11configPAL_DESTROY_SUPPORTED
#define pkcs11configPAL_DESTROY_SUPPORTED 0
#endif
#ifndef pkcs11configOTA_SUPPORTED
#define pkcs11configOTA_SUPPORTED 0
#endif
#ifndef pkcs11configJITP_CODEVERIFY_ROOT_CERT_SUPPORTED
#define pkcs11configJITP_CODEVERIFY_ROOT_CERT_SUPPORTED 0
#endif

/** Labels of the device's credentials. */
#ifndef pkcs11configLABEL_DEVICE_PRIVATE_KEY_FOR_TLS
#define pkcs11configLABEL_DEVICE_PRIVATE_KEY_FOR_TLS "Device Priv TLS Key"
#endif
#ifndef pkcs11configLABEL_DEVICE_PUBLIC_KEY_FOR_TLS
#define pkcs11configLABEL_DEVICE_PUBLIC_KEY_FOR_TLS "Device Pub TLS Key"
#endif
#ifndef pkcs11configLABEL_DEVICE_CERTIFICATE_FOR_TLS
#define pkcs11configLABEL_DEVICE_CERTIFICATE_FOR_TLS "Device Cert"
#endif
#ifndef pkcs11configLABEL_ROOT_CERTIFICATE
#define pkcs11configLABEL_ROOT_CERTIFICATE "Root Cert"
#endif
#ifndef pkcs11configLABEL_HMAC_KEY
#define pkcs11configLABEL_HMAC_KEY "HMAC Key"
#endif
#ifndef pkcs11configLABEL_CMAC_KEY
#define pkcs11configLABEL_CMAC_KEY "CMAC Key"
#endif
#ifndef pkcs11configLABEL_CODE_VERIFICATION_KEY
#define pkcs11configLABEL_CODE_VERIFICATION_KEY "Code Verify Key"
#endif
#ifndef pkcs11configLABEL_JITP_CERTIFICATE
#define pkcs11configLABEL_JITP_CERTIFICATE "JITP Cert"
#endif
#ifndef pkcs11configLABEL_CLAIM_CERTIFICATE
#define pkcs11configLABEL_CLAIM_CERTIFICATE "Claim Cert"
#endif
#ifndef pkcs11configLABEL_CLAIM_PRIVATE_KEY
#define pkcs11configLABEL_CLAIM_PRIVATE_KEY "Claim Key"
#endif

/** Logging hooks corePKCS11 code may use; silent unless defined. */
#ifndef LogError
#define LogError(message)
#endif
#ifndef LogWarn
#define LogWarn(message)
#endif
#ifndef LogInfo
#define LogInfo(message)
#endif
#ifndef LogDebug
#define LogDebug(message)
#endif

#endif /* CORE_PKCS11_CONFIG_DEFAULTS_H_NVTOKEN */
