/**
 * \file psa_host.h
 * \brief PSA Crypto wants for host builds: the common set, which with the
 * host defaults of include/nvtoken/config.h includes SHA-1 and RSA
 * encryption (real PKCS#11 clients still exercise both).
 */
#ifndef NVT_PSA_HOST_H
#define NVT_PSA_HOST_H

#include "psa_common.h"

#endif /* NVT_PSA_HOST_H */
