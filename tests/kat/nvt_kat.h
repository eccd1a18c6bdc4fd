/**
 * \file nvt_kat.h
 * \brief Known-answer vectors for the mechanism tests, from published
 *        sources (the name of each says which; tests/kat/gen_kat_data.py
 *        writes nvt_kat_data.c and lists them all).
 *
 * Values are hexadecimal strings, as the sources print them; kat_hex()
 * turns them into bytes. Vectors of mechanisms a build leaves out
 * (NVT_CONFIG_MECH_SHA1, NVT_CONFIG_MECH_RSA_ENCRYPT,
 * NVT_CONFIG_MECH_EC_P521, NVT_CONFIG_MECH_LEGACY) are compiled out,
 * so the same tables serve the host and the Cortex-M4.
 */
#ifndef NVT_KAT_H
#define NVT_KAT_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"

/** Digest of msg. */
typedef struct kat_digest {
    const char *name;
    CK_MECHANISM_TYPE mech;
    const char *msg, *md;
} kat_digest_t;

/** MAC of msg under key (CKM_SHA*_HMAC: generic secret; CKM_AES_CMAC: AES). */
typedef struct kat_mac {
    const char *name;
    CK_MECHANISM_TYPE mech;
    const char *key, *msg, *mac;
} kat_mac_t;

/** AES in an unauthenticated mode: pt -> ct. iv: the IV, or the counter
 *  block (CTR, with ctr_bits counter bits); empty for ECB. */
typedef struct kat_cipher {
    const char *name;
    CK_MECHANISM_TYPE mech;
    const char *key, *iv, *pt, *ct;
    CK_ULONG ctr_bits;
} kat_cipher_t;

/** AES-GCM: pt -> ct and tag. */
typedef struct kat_gcm {
    const char *name;
    const char *key, *iv, *aad, *pt, *ct, *tag;
} kat_gcm_t;

/** AES key wrap: key wrapped under kek. */
typedef struct kat_kw {
    const char *name;
    CK_MECHANISM_TYPE mech;
    const char *kek, *key, *wrapped;
} kat_kw_t;

/** ECDSA: private value d, public point (uncompressed), msg, its hash under
 *  mech's digest, and the signature r || s. */
typedef struct kat_ecdsa {
    const char *name;
    unsigned bits;
    const char *d, *point, *msg;
    CK_MECHANISM_TYPE mech;
    const char *hash, *sig;
} kat_ecdsa_t;

/** ECDH: private value d, the peer's point, the shared secret z. */
typedef struct kat_ecdh {
    const char *name;
    unsigned bits;
    const char *d, *peer, *z;
} kat_ecdh_t;

/** An RSA key pair: n, e, d, p, q, d mod (p-1), d mod (q-1), q^-1 mod p. */
typedef struct kat_rsa_key {
    const char *n, *e, *d, *p, *q, *dp, *dq, *qi;
} kat_rsa_key_t;

/** An RSA signature of msg (the input of mech); deterministic: the token
 *  must produce exactly sig. hash: the PSS parameters' hash (0 else). */
typedef struct kat_rsa_sig {
    const char *name;
    const kat_rsa_key_t *key;
    CK_MECHANISM_TYPE mech;
    CK_MECHANISM_TYPE hash;
    const char *msg, *sig;
    int deterministic;
} kat_rsa_sig_t;

/** An RSA signature to verify with a public key (key: n and e only): valid
 *  or to be refused. hash: the PSS parameters' hash (0 else). */
typedef struct kat_rsa_ver {
    const char *name;
    const kat_rsa_key_t *key;
    CK_MECHANISM_TYPE mech;
    CK_MECHANISM_TYPE hash;
    const char *msg, *sig;
    int valid;
} kat_rsa_ver_t;

/** An RSA decryption of ct (valid: gives msg; else refused). hash: OAEP's. */
typedef struct kat_rsa_dec {
    const char *name;
    const kat_rsa_key_t *key;
    CK_MECHANISM_TYPE mech;
    CK_MECHANISM_TYPE hash;
    const char *label, *msg, *ct;
    int valid;
} kat_rsa_dec_t;

extern const kat_digest_t kat_digests[];
extern const size_t kat_digest_count;
extern const kat_mac_t kat_macs[];
extern const size_t kat_mac_count;
extern const kat_cipher_t kat_ciphers[];
extern const size_t kat_cipher_count;
extern const kat_gcm_t kat_gcms[];
extern const size_t kat_gcm_count;
extern const kat_kw_t kat_kws[];
extern const size_t kat_kw_count;
extern const kat_ecdsa_t kat_ecdsas[];
extern const size_t kat_ecdsa_count;
extern const kat_ecdh_t kat_ecdhs[];
extern const size_t kat_ecdh_count;
extern const kat_rsa_key_t kat_rsa_key_a, kat_rsa_key_b, kat_rsa_key_c, kat_rsa_key_ex10;
#if NVT_CONFIG_MECH_LEGACY
/** Legacy vectors: triple-DES (mech CKM_DES3_*), RSA-1024 keys. */
extern const kat_cipher_t kat_des3s[];
extern const size_t kat_des3_count;
extern const kat_rsa_key_t kat_rsa_key_int1024, kat_rsa_key_pss_int1024;
#endif
extern const kat_rsa_sig_t kat_rsa_sigs[];
extern const size_t kat_rsa_sig_count;
extern const kat_rsa_key_t kat_rsa_pub_d, kat_rsa_pub_e, kat_rsa_pub_f, kat_rsa_pub_cavp;
extern const kat_rsa_ver_t kat_rsa_vers[];
extern const size_t kat_rsa_ver_count;
#if NVT_CONFIG_MECH_RSA_ENCRYPT
extern const kat_rsa_dec_t kat_rsa_decs[];
extern const size_t kat_rsa_dec_count;
#endif

/**
 * \brief Bytes of hex string \p hex into \p out (at most \p cap; a longer
 *        string, or one that is not hex, stops the program).
 * \return the number of bytes.
 */
size_t kat_hex(const char *hex, uint8_t *out, size_t cap);

#endif /* NVT_KAT_H */
