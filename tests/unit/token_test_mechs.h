/* Vendor-defined mechanisms that exist only in the operation engine's unit
 * test (token_test_mechs.c, linked into a variant of the token layer built
 * with NVT_TOKEN_TEST_MECHANISMS). Toy cryptography, real plumbing. */
#ifndef TOKEN_TEST_MECHS_H
#define TOKEN_TEST_MECHS_H

#include "nvtoken/pkcs11.h"

/** Sign/verify: a 4-byte sum of the data bytes XOR the key's first byte. */
#define TEST_MECH_SUM (CKM_VENDOR_DEFINED | 0x4E5601UL)
/** Encrypt/decrypt: every byte XOR the key's first byte. */
#define TEST_MECH_XOR (CKM_VENDOR_DEFINED | 0x4E5602UL)
/** Key pair generation: a (fake) EC P-256 pair. */
#define TEST_MECH_PAIR (CKM_VENDOR_DEFINED | 0x4E5603UL)
/** Derivation: a generic secret whose value is the base key's, reversed. */
#define TEST_MECH_DERIVE (CKM_VENDOR_DEFINED | 0x4E5604UL)
/** Wrap/unwrap: the key's value XOR the wrapping key's first byte. */
#define TEST_MECH_WRAP (CKM_VENDOR_DEFINED | 0x4E5605UL)

#endif
