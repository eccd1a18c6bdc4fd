/**
 * \file psa_target.h
 * \brief PSA Crypto wants for microcontroller builds: the common set only
 * (no SHA-1, no RSA PKCS#1 v1.5 encryption).
 */
#ifndef NVT_PSA_TARGET_H
#define NVT_PSA_TARGET_H

#include "psa_common.h"

#endif /* NVT_PSA_TARGET_H */
