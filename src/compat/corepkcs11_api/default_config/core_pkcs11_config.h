/* The configuration nvtoken's corePKCS11 helpers are built with when the
 * firmware names none (CMake NVT_COREPKCS11_CONFIG_DIR): every setting at
 * corePKCS11's default (core_pkcs11_config_defaults.h). A firmware points
 * NVT_COREPKCS11_CONFIG_DIR at the folder of its own core_pkcs11_config.h,
 * so the helpers log in with its pkcs11configPKCS11_DEFAULT_USER_PIN. */
#ifndef CORE_PKCS11_CONFIG_H_NVTOKEN_DEFAULT
#define CORE_PKCS11_CONFIG_H_NVTOKEN_DEFAULT
#endif
