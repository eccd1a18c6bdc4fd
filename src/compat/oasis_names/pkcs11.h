/* The OASIS header name, for building corePKCS11 (whose headers include
 * "pkcs11.h" and "pkcs11t.h") against nvtoken's own pkcs11.h. Put this
 * folder on the include path of corePKCS11's sources; not for code that
 * already includes nvtoken/pkcs11.h under its own name. */
#ifndef NVT_OASIS_NAMES_PKCS11_H
#define NVT_OASIS_NAMES_PKCS11_H
#include "nvtoken/pkcs11.h"
#endif
