/**
 * \file conf_mech.h
 * \brief What the mechanism conformance programs share: making key objects
 *        from known values, and running an operation single-part or in
 *        parts of a given size.
 *
 * Keys are session objects (the test's session must be logged in as the
 * user, as they are private); secret and private keys are made readable
 * (not sensitive, extractable) where a test compares values, unless the
 * caller passes its own template.
 */
#ifndef CONF_MECH_H
#define CONF_MECH_H

#include "conf.h"
#include "nvt_kat.h"

/** Largest value the helpers handle (an RSA-4096 signature, a message). */
#define CM_MAX 1024u

/** A logged-in read-write session. */
CK_SESSION_HANDLE cm_session(void);

/** DER OID of P-256 (bits 256), P-384 (384) or P-521 (521). */
const CK_BYTE *cm_curve_oid(unsigned bits, CK_ULONG *len);

/** \p v as a DER OCTET STRING into \p out (which may overlap \p v's
 *  place after the header: the value is moved); returns its length. The
 *  length is one byte below 128, else 0x81 and one byte (P-521 points). */
size_t cm_octet_string(const uint8_t *v, size_t n, uint8_t *out);

/** A secret key of type \p kt with value \p v (readable, every usage). */
CK_OBJECT_HANDLE cm_secret(CK_SESSION_HANDLE s, CK_KEY_TYPE kt, const uint8_t *v, size_t n);
/** An EC private key with private value \p d (signing and derivation). */
CK_OBJECT_HANDLE cm_ec_priv(CK_SESSION_HANDLE s, unsigned bits, const uint8_t *d, size_t n);
/** An EC public key of the uncompressed \p point (made a DER OCTET STRING). */
CK_OBJECT_HANDLE cm_ec_pub(CK_SESSION_HANDLE s, unsigned bits, const uint8_t *point, size_t n);
/** RSA private / public keys of a KAT key (every usage). */
CK_OBJECT_HANDLE cm_rsa_priv(CK_SESSION_HANDLE s, const kat_rsa_key_t *k);
CK_OBJECT_HANDLE cm_rsa_pub(CK_SESSION_HANDLE s, const kat_rsa_key_t *k);

/**
 * \brief Sign \p in with \p key: single-part if \p chunk is 0, else
 *        C_SignUpdate in pieces of \p chunk bytes and C_SignFinal (after a
 *        length query). \return the last CK_RV.
 */
CK_RV cm_sign(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n, size_t chunk,
              uint8_t *sig, CK_ULONG *sig_len);
/** \brief Verify, single- or multi-part as cm_sign(). */
CK_RV cm_verify(CK_SESSION_HANDLE s, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n, size_t chunk,
                const uint8_t *sig, CK_ULONG sig_len);
/** \brief Encrypt or decrypt (\p decrypt), single- or multi-part; *out_len
 *         in: room, out: bytes produced. Each call's output length is
 *         queried first and checked against what the call then gives. */
CK_RV cm_crypt(CK_SESSION_HANDLE s, int decrypt, CK_MECHANISM *m, CK_OBJECT_HANDLE key, const uint8_t *in, size_t n,
               size_t chunk, uint8_t *out, CK_ULONG *out_len);
/** The value of a readable attribute (asserts), its length returned. */
CK_ULONG cm_value(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, uint8_t *out, CK_ULONG cap);

#endif /* CONF_MECH_H */
