/**
 * \file psa_common.h
 * \brief The PSA Crypto algorithms and key types of the build, derived from
 *        the profile's switches (include/nvtoken/config.h).
 *
 * Each PSA_WANT_* makes mbedTLS build the matching built-in driver (and the
 * legacy modules under it: mbedTLS's config_adjust_legacy_from_psa.h), so
 * PSA holds exactly what the profile's mechanisms and token features use:
 * a family switched off takes its algorithms out of mbedTLS as well as its
 * rows out of the mechanism table. The profile files (psa_host.h,
 * psa_target.h) include this one.
 *
 * Sections: what every profile needs (the token's own use), then one block
 * per switch. To add a family, add its switch to config.h and its block
 * here.
 */
#ifndef NVT_PSA_COMMON_H
#define NVT_PSA_COMMON_H

#include "nvtoken/config.h"

/* ---- Every profile ---------------------------------------------------------
 * SHA-256: PIN verifiers (PBKDF2-HMAC-SHA-256, computed by the crypto layer
 * over it: src/crypto/nvt_crypto_pbkdf2.c), the hashed signature mechanisms
 * and the device's own hashing. */
#define PSA_WANT_ALG_SHA_256 1

/* ---- Sealed records (NVT_CONFIG_TOKEN_SEAL), every profile -----------------
 * Nothing from PSA: records are sealed and opened before psa_crypto_init
 * (the NV seed that starts PSA is sealed), with mbedTLS's own
 * ChaCha20-Poly1305, HKDF and HMAC modules (mbedtls_common.h). */

/* ---- Digests: SHA-1, SHA-384/512 --------------------------------------------
 * SHA-256 is always there (above). */
#if NVT_CONFIG_MECH_SHA1
/* CKM_SHA_1, CKM_ECDSA_SHA1, CKM_SHA1_RSA_PKCS, OAEP with SHA-1. */
#define PSA_WANT_ALG_SHA_1 1
#endif
#if NVT_CONFIG_MECH_SHA512
/* CKM_SHA384/512 and the mechanisms hashing with them. */
#define PSA_WANT_ALG_SHA_384 1
#define PSA_WANT_ALG_SHA_512 1
#endif

/* ---- MACs ------------------------------------------------------------------- */
#if NVT_CONFIG_MECH_HMAC
/* CKM_SHA*_HMAC on generic secret keys. */
#define PSA_WANT_ALG_HMAC 1
#define PSA_WANT_KEY_TYPE_HMAC 1
#endif
#if NVT_CONFIG_MECH_CMAC
/* CKM_AES_CMAC. */
#define PSA_WANT_ALG_CMAC 1
#endif

/* ---- AES ----------------------------------------------------------------- */
#if NVT_CONFIG_MECH_AES
/* CKM_AES_ECB, _CBC, _CBC_PAD, _CTR. */
#define PSA_WANT_ALG_ECB_NO_PADDING 1
#define PSA_WANT_ALG_CBC_NO_PADDING 1
#define PSA_WANT_ALG_CBC_PKCS7 1
#define PSA_WANT_ALG_CTR 1
#endif
#if NVT_CONFIG_MECH_AES_GCM
/* CKM_AES_GCM. */
#define PSA_WANT_ALG_GCM 1
#endif
#if NVT_CONFIG_MECH_AES || NVT_CONFIG_MECH_AES_GCM || NVT_CONFIG_MECH_CMAC
#define PSA_WANT_KEY_TYPE_AES 1
#endif
/* CKM_AES_KEY_WRAP(_PAD) uses mbedTLS's NIST KW module (mbedtls_common.h). */

/* ---- EC ---------------------------------------------------------------------
 * P-256 for every EC mechanism, P-384 with NVT_CONFIG_MECH_EC_P384, P-521
 * with NVT_CONFIG_MECH_EC_P521. */
#if NVT_TOKEN_HAS_EC
#define PSA_WANT_ECC_SECP_R1_256 1
#if NVT_CONFIG_MECH_EC_P384
#define PSA_WANT_ECC_SECP_R1_384 1
#endif
#if NVT_CONFIG_MECH_EC_P521
#define PSA_WANT_ECC_SECP_R1_521 1
#endif
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT 1
#if NVT_CONFIG_MECH_EC_KEYGEN
/* CKM_EC_KEY_PAIR_GEN. */
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE 1
#endif
#endif
#if NVT_CONFIG_MECH_ECDSA
/* CKM_ECDSA, CKM_ECDSA_SHA*: verified as ECDSA; signed as deterministic
 * ECDSA (RFC 6979) where mbedTLS's ECP engine signs, so that a nonce never
 * comes from a generator that a restored flash can make repeat
 * (docs/DESIGN.md, "Restored images and signature nonces"). p256-m has no
 * deterministic variant: the build without PSA's key store hedges its
 * nonces instead (src/crypto/nvt_crypto_p256m.c). */
#define PSA_WANT_ALG_ECDSA 1
#if !NVT_CONFIG_CRYPTO_P256M
#define PSA_WANT_ALG_DETERMINISTIC_ECDSA 1
#endif
#endif
#if NVT_CONFIG_MECH_ECDH
/* CKM_ECDH1_DERIVE. */
#define PSA_WANT_ALG_ECDH 1
#endif

/* ---- RSA --------------------------------------------------------------------
 * Signatures: CKM_RSA_PKCS (sign), CKM_SHA*_RSA_PKCS, CKM_*RSA_PKCS_PSS;
 * raw RSA (CKM_RSA_X_509) uses mbedTLS's RSA module (mbedtls_common.h). */
#if NVT_CONFIG_MECH_RSA
#define PSA_WANT_ALG_RSA_PKCS1V15_SIGN 1
#define PSA_WANT_ALG_RSA_PSS 1
#define PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_EXPORT 1
#if NVT_CONFIG_MECH_RSA_KEYGEN
/* CKM_RSA_PKCS_KEY_PAIR_GEN. */
#define PSA_WANT_KEY_TYPE_RSA_KEY_PAIR_GENERATE 1
#endif
#if NVT_CONFIG_MECH_RSA_ENCRYPT
/* RSA encryption: CKM_RSA_PKCS (encrypt, decrypt), CKM_RSA_PKCS_OAEP. */
#define PSA_WANT_ALG_RSA_PKCS1V15_CRYPT 1
#define PSA_WANT_ALG_RSA_OAEP 1
#endif
#endif

/* ---- Legacy -----------------------------------------------------------------
 * Triple-DES (CKM_DES3_ECB, _CBC, _CBC_PAD, through the token's block-mode
 * code; mbedTLS's DES module comes with the key type). 1024-bit RSA keys
 * need nothing more of PSA. */
#if NVT_CONFIG_MECH_LEGACY
#define PSA_WANT_KEY_TYPE_DES 1
#define PSA_WANT_ALG_ECB_NO_PADDING 1
#define PSA_WANT_ALG_CBC_NO_PADDING 1
#define PSA_WANT_ALG_CBC_PKCS7 1
#endif

#endif /* NVT_PSA_COMMON_H */
