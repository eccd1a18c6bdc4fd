/**
 * \file psa_target.h
 * \brief PSA Crypto wants for microcontroller builds: the common set, which
 * with the target defaults of include/nvtoken/config.h leaves out SHA-1
 * and RSA encryption (NVT_CONFIG_MECH_SHA1, NVT_CONFIG_MECH_RSA_ENCRYPT).
 */
#ifndef NVT_PSA_TARGET_H
#define NVT_PSA_TARGET_H

#include "psa_common.h"

#endif /* NVT_PSA_TARGET_H */
