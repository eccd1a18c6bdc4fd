/* The mbedTLS configuration the compatibility tests build corePKCS11 with
 * (its core_pkcs11_mbedtls.c needs the PK, X.509, ECDSA, RSA, CTR_DRBG,
 * CMAC and threading modules, most of which nvtoken's trimmed target
 * configuration leaves out). A separate mbedTLS build, linked only into the
 * tests that run corePKCS11; nvtoken's own configuration is not touched. */
#ifndef TEST_COREPKCS11_MBEDTLS_CONFIG_H
#define TEST_COREPKCS11_MBEDTLS_CONFIG_H

#define MBEDTLS_AES_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CMAC_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_ERROR_C
#define MBEDTLS_MD_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_RSA_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_THREADING_C

#if defined(__unix__)
/* Host: pthread mutexes, and the kernel's random source. */
#define MBEDTLS_THREADING_PTHREAD
#else
/* QEMU board: mutexes the test sets up (threading_alt.h), no OS entropy;
 * the test supplies mbedtls_hardware_poll(). */
#define MBEDTLS_THREADING_ALT
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#endif

#endif /* TEST_COREPKCS11_MBEDTLS_CONFIG_H */
