/**
 * \file psa_host.h
 * \brief PSA Crypto wants for host builds: the common set, which with the
 * host defaults of include/nvtoken/config.h includes SHA-1 and RSA
 * encryption (real PKCS#11 clients still exercise both).
 */
#ifndef NVT_PSA_HOST_H
#define NVT_PSA_HOST_H

#include "psa_common.h"

/* PSA's own PBKDF2-HMAC: the token computes PIN verifiers itself
 * (nvt_crypto_pbkdf2.c), but the token of format 1, built from git by
 * tests/seal/ to write an image for the migration test, used PSA's. */
#define PSA_WANT_ALG_PBKDF2_HMAC 1

#endif /* NVT_PSA_HOST_H */
