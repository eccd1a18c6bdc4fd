/**
 * \file psa_host.h
 * \brief PSA Crypto wants for host builds: the common set plus the legacy
 * algorithms that real PKCS#11 clients still exercise (SHA-1 for
 * CKM_SHA_1 / CKM_ECDSA_SHA1 / CKM_SHA1_RSA_PKCS / OAEP-SHA1) and RSA
 * PKCS#1 v1.5 encryption (CKM_RSA_PKCS encrypt/decrypt).
 */
#ifndef NVT_PSA_HOST_H
#define NVT_PSA_HOST_H

#include "psa_common.h"

#define PSA_WANT_ALG_SHA_1 1
#define PSA_WANT_ALG_RSA_PKCS1V15_CRYPT 1

#endif /* NVT_PSA_HOST_H */
