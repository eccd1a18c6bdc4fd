/* core_pkcs11_config.h of the application the compatibility tests build:
 * the same file for corePKCS11 itself (its PAL on nvtoken's store) and for
 * nvtoken's corePKCS11 API. Settings not made here keep corePKCS11's
 * defaults (core_pkcs11_config_defaults.h). */
#ifndef TEST_CORE_PKCS11_CONFIG_H
#define TEST_CORE_PKCS11_CONFIG_H

/* corePKCS11 keeps a table of the objects it has seen: room for the six
 * credentials the application stores and finds. */
#define pkcs11configMAX_NUM_OBJECTS 10

/* corePKCS11 destroys through the PAL (PKCS11_PAL_DestroyObject). */
#define pkcs11configPAL_DESTROY_SUPPORTED 1

#endif /* TEST_CORE_PKCS11_CONFIG_H */
