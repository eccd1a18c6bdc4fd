/* The OASIS types header name: see pkcs11.h in this folder. nvtoken's
 * pkcs11.h holds the types and the functions in one file. */
#ifndef NVT_OASIS_NAMES_PKCS11T_H
#define NVT_OASIS_NAMES_PKCS11T_H
#include "nvtoken/pkcs11.h"
#endif
