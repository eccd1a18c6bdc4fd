/**
 * \file psa_common.h
 * \brief PSA Crypto algorithms and key types nvtoken's mechanisms use.
 *
 * Each PSA_WANT_* makes mbedTLS build the matching built-in driver; the
 * PKCS#11 mechanisms they serve are named beside them. The options of
 * include/nvtoken/config.h decide the optional parts (SHA-1, RSA
 * encryption, P-521, the legacy DES), so PSA holds exactly what the token
 * offers; the profile files (psa_host.h, psa_target.h) include this one.
 */
#ifndef NVT_PSA_COMMON_H
#define NVT_PSA_COMMON_H

#include "nvtoken/config.h"

/* Digests: CKM_SHA256/384/512, the hashed signature mechanisms, HMAC. */
#define PSA_WANT_ALG_SHA_256 1
#define PSA_WANT_ALG_SHA_384 1
#define PSA_WANT_ALG_SHA_512 1
#if NVT_CONFIG_MECH_SHA1
/* CKM_SHA_1, CKM_ECDSA_SHA1, CKM_SHA1_RSA_PKCS, OAEP with SHA-1. */
#define PSA_WANT_ALG_SHA_1 1
#endif

/* MACs: CKM_SHA*_HMAC, CKM_AES_CMAC; PBKDF2-HMAC-SHA256 for PIN verifiers. */
#define PSA_WANT_ALG_HMAC 1
#define PSA_WANT_ALG_CMAC 1
#define PSA_WANT_ALG_PBKDF2_HMAC 1

/* AES: CKM_AES_ECB, _CBC, _CBC_PAD, _CTR, _GCM. */
#define PSA_WANT_ALG_ECB_NO_PADDING 1
#define PSA_WANT_ALG_CBC_NO_PADDING 1
#define PSA_WANT_ALG_CBC_PKCS7 1
#define PSA_WANT_ALG_CTR 1
#define PSA_WANT_ALG_GCM 1

/* EC on P-256 and P-384: CKM_ECDSA*, CKM_ECDH1_DERIVE, key generation. */
#define PSA_WANT_ALG_ECDSA 1
#define PSA_WANT_ALG_ECDH 1
#define PSA_WANT_ECC_SECP_R1_256 1
#define PSA_WANT_ECC_SECP_R1_384 1
#if NVT_CONFIG_MECH_EC_P521
/* ... and P-521. */
#define PSA_WANT_ECC_SECP_R1_521 1
#endif

/* RSA signatures: CKM_RSA_PKCS (sign), CKM_SHA*_RSA_PKCS, CKM_*RSA_PKCS_PSS. */
#define PSA_WANT_ALG_RSA_PKCS1V15_SIGN 1
#define PSA_WANT_ALG_RSA_PSS 1
#if NVT_CONFIG_MECH_RSA_ENCRYPT
/* RSA encryption: CKM_RSA_PKCS (encrypt, decrypt), CKM_RSA_PKCS_OAEP. */
#define PSA_WANT_ALG_RSA_PKCS1V15_CRYPT 1
#define PSA_WANT_ALG_RSA_OAEP 1
#endif

#if NVT_CONFIG_MECH_LEGACY
/* Triple-DES (CKM_DES3_ECB, _CBC, _CBC_PAD through the block modes above;
 * mbedTLS's DES module comes with it). */
#define PSA_WANT_KEY_TYPE_DES 1
#endif

/* Key types. */
#define PSA_WANT_KEY_TYPE_AES 1
#define PSA_WANT_KEY_TYPE_HMAC 1
#define PSA_WANT_KEY_TYPE_DERIVE 1
#define PSA_WANT_KEY_TYPE_PASSWORD 1
#define PSA_WANT_KEY_TYPE_RAW_DATA 1
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE 1
#define PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE 1

#endif /* NVT_PSA_COMMON_H */
