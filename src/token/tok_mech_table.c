/* The mechanism dispatch table (tok_mech.h). A mechanism is one row here
 * plus its functions in a tok_mech_<family>.c; nothing else changes. The
 * rows are what C_GetMechanismList and C_GetMechanismInfo report: key
 * sizes in bits for EC, RSA and generic secret key generation, in bytes
 * for AES and HMAC keys, as PKCS#11 v2.40 defines them per mechanism. */
#include "tok_mech.h"

#include <string.h>

/* EC mechanisms: prime fields, named curves, uncompressed points. */
#define EC_FLAGS (CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS)
/* Operation classes serving both kinds of a pair. */
#define SIGN_VERIFY(c) { [TOK_OP_SIGN] = &(c), [TOK_OP_VERIFY] = &(c) }
#define ENCRYPT_DECRYPT(c) { [TOK_OP_ENCRYPT] = &(c), [TOK_OP_DECRYPT] = &(c) }
/* RSA rows start at the smallest key the build can take (1024 bits with
 * NVT_CONFIG_MECH_LEGACY); tok_mech_min_key() reports the run-time one. */
#if NVT_CONFIG_MECH_LEGACY
#define RSA_MIN TOK_RSA_LEGACY_MIN_BITS
#else
#define RSA_MIN TOK_RSA_MIN_BITS
#endif
#define RSA_MAX TOK_RSA_MAX_BITS
/* EC key sizes in bits: P-256 to the build's largest curve. */
#define EC_MIN 256
#if NVT_CONFIG_MECH_EC_P521
#define EC_MAX 521
#else
#define EC_MAX 384
#endif
#define SV (CKF_SIGN | CKF_VERIFY)
#define ED (CKF_ENCRYPT | CKF_DECRYPT)

static const tok_mech_t tok_mechs[] = {
    /* type, min key, max key, CK_MECHANISM_INFO flags, operations, key making */

    /* Digests (C_Digest*, C_DigestKey). */
#if NVT_CONFIG_MECH_SHA1
    { CKM_SHA_1, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },
#endif
    { CKM_SHA256, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },
    { CKM_SHA384, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },
    { CKM_SHA512, 0, 0, CKF_DIGEST, { [TOK_OP_DIGEST] = &tok_digest }, NULL },

    /* EC on P-256, P-384 and P-521 (key sizes in bits). */
    { CKM_EC_KEY_PAIR_GEN, EC_MIN, EC_MAX, CKF_GENERATE_KEY_PAIR | EC_FLAGS, { NULL }, &tok_ec_keygen },
    { CKM_ECDSA, EC_MIN, EC_MAX, SV | EC_FLAGS, SIGN_VERIFY(tok_ecdsa_raw), NULL },
#if NVT_CONFIG_MECH_SHA1
    { CKM_ECDSA_SHA1, EC_MIN, EC_MAX, SV | EC_FLAGS, SIGN_VERIFY(tok_ecdsa), NULL },
#endif
    { CKM_ECDSA_SHA256, EC_MIN, EC_MAX, SV | EC_FLAGS, SIGN_VERIFY(tok_ecdsa), NULL },
    { CKM_ECDSA_SHA384, EC_MIN, EC_MAX, SV | EC_FLAGS, SIGN_VERIFY(tok_ecdsa), NULL },
    { CKM_ECDSA_SHA512, EC_MIN, EC_MAX, SV | EC_FLAGS, SIGN_VERIFY(tok_ecdsa), NULL },
    { CKM_ECDH1_DERIVE, EC_MIN, EC_MAX, CKF_DERIVE | EC_FLAGS, { NULL }, &tok_ecdh_derive },

    /* RSA, 2048 to 4096 bits (generation to NVT_CONFIG_MECH_RSA_GEN_MAX_BITS). */
    { CKM_RSA_PKCS_KEY_PAIR_GEN, RSA_MIN, NVT_CONFIG_MECH_RSA_GEN_MAX_BITS, CKF_GENERATE_KEY_PAIR, { NULL },
      &tok_rsa_keygen },
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    { CKM_RSA_PKCS, RSA_MIN, RSA_MAX, SV | ED,
      { [TOK_OP_SIGN] = &tok_rsa_sig_raw, [TOK_OP_VERIFY] = &tok_rsa_sig_raw, [TOK_OP_ENCRYPT] = &tok_rsa_crypt,
        [TOK_OP_DECRYPT] = &tok_rsa_crypt },
      NULL },
#else
    { CKM_RSA_PKCS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig_raw), NULL },
#endif
#if NVT_CONFIG_MECH_SHA1
    { CKM_SHA1_RSA_PKCS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
#endif
    { CKM_SHA256_RSA_PKCS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
    { CKM_SHA384_RSA_PKCS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
    { CKM_SHA512_RSA_PKCS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
    { CKM_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig_raw), NULL },
    { CKM_SHA256_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
    { CKM_SHA384_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
    { CKM_SHA512_RSA_PKCS_PSS, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig), NULL },
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    { CKM_RSA_PKCS_OAEP, RSA_MIN, RSA_MAX, ED, ENCRYPT_DECRYPT(tok_rsa_crypt), NULL },
    { CKM_RSA_X_509, RSA_MIN, RSA_MAX, SV | ED,
      { [TOK_OP_SIGN] = &tok_rsa_sig_raw, [TOK_OP_VERIFY] = &tok_rsa_sig_raw, [TOK_OP_ENCRYPT] = &tok_rsa_crypt,
        [TOK_OP_DECRYPT] = &tok_rsa_crypt },
      NULL },
#else
    { CKM_RSA_X_509, RSA_MIN, RSA_MAX, SV, SIGN_VERIFY(tok_rsa_sig_raw), NULL },
#endif

    /* MACs (HMAC key sizes in bytes, AES in bytes). */
    { CKM_SHA256_HMAC, 1, 512, SV, SIGN_VERIFY(tok_mac), NULL },
    { CKM_SHA384_HMAC, 1, 512, SV, SIGN_VERIFY(tok_mac), NULL },
    { CKM_SHA512_HMAC, 1, 512, SV, SIGN_VERIFY(tok_mac), NULL },
    { CKM_AES_CMAC, 16, 32, SV, SIGN_VERIFY(tok_mac), NULL },

    /* Secret keys: generation (generic secret in bits, AES in bytes). */
    { CKM_GENERIC_SECRET_KEY_GEN, 8, 4096, CKF_GENERATE, { NULL }, &tok_keygen_secret },
    { CKM_AES_KEY_GEN, 16, 32, CKF_GENERATE, { NULL }, &tok_keygen_secret },

    /* AES (key sizes in bytes). */
    { CKM_AES_ECB, 16, 32, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_AES_CBC, 16, 32, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_AES_CBC_PAD, 16, 32, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_AES_CTR, 16, 32, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_AES_GCM, 16, 32, ED, ENCRYPT_DECRYPT(tok_gcm), NULL },
    { CKM_AES_KEY_WRAP, 16, 32, CKF_WRAP | CKF_UNWRAP, { NULL }, &tok_aes_kw },
    { CKM_AES_KEY_WRAP_PAD, 16, 32, CKF_WRAP | CKF_UNWRAP, { NULL }, &tok_aes_kw },
};

#define TOK_MECHS (sizeof(tok_mechs) / sizeof(tok_mechs[0]))

#if NVT_CONFIG_MECH_LEGACY
/* The legacy mechanisms (triple-DES, key sizes in bytes; 1024-bit RSA is
 * RSA_MIN above), listed after the others while switched on. */
static const tok_mech_t tok_legacy_mechs[] = {
    { CKM_DES3_KEY_GEN, 24, 24, CKF_GENERATE, { NULL }, &tok_keygen_secret },
    { CKM_DES3_ECB, 24, 24, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_DES3_CBC, 24, 24, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
    { CKM_DES3_CBC_PAD, 24, 24, ED, ENCRYPT_DECRYPT(tok_aes), NULL },
};
static int tok_legacy_on = 1;
#define TOK_LEGACY_MECHS (tok_legacy_on ? sizeof(tok_legacy_mechs) / sizeof(tok_legacy_mechs[0]) : 0u)
#else
#define TOK_LEGACY_MECHS 0u
#endif

void tok_mech_legacy_enable(int on)
{
#if NVT_CONFIG_MECH_LEGACY
    tok_legacy_on = on != 0;
#else
    (void)on;
#endif
}

int tok_mech_legacy(void)
{
#if NVT_CONFIG_MECH_LEGACY
    return tok_legacy_on;
#else
    return 0;
#endif
}

CK_ULONG tok_rsa_min_bits(void)
{
    return tok_mech_legacy() ? TOK_RSA_LEGACY_MIN_BITS : TOK_RSA_MIN_BITS;
}

CK_ULONG tok_mech_min_key(const tok_mech_t *m)
{
    return m->min_key == RSA_MIN && RSA_MIN == TOK_RSA_LEGACY_MIN_BITS ? tok_rsa_min_bits() : m->min_key;
}

#if defined(NVT_TOKEN_TEST_MECHANISMS)
/* The operation engine's unit test builds the layer once more with
 * vendor-defined test mechanisms appended (tests/unit/token_test_mechs.c). */
extern const tok_mech_t tok_test_mechs[];
extern const size_t tok_test_mech_count;
#define TOK_TEST_MECHS tok_test_mech_count
#else
#define TOK_TEST_MECHS 0u
#endif

size_t tok_mech_count(void)
{
    return TOK_MECHS + TOK_LEGACY_MECHS + TOK_TEST_MECHS;
}

const tok_mech_t *tok_mech_at(size_t i)
{
    if (i < TOK_MECHS) {
        return &tok_mechs[i];
    }
    i -= TOK_MECHS;
#if NVT_CONFIG_MECH_LEGACY
    if (i < TOK_LEGACY_MECHS) {
        return &tok_legacy_mechs[i];
    }
#endif
    i -= TOK_LEGACY_MECHS;
#if defined(NVT_TOKEN_TEST_MECHANISMS)
    if (i < tok_test_mech_count) {
        return &tok_test_mechs[i];
    }
#endif
    return NULL;
}

const tok_mech_t *tok_mech_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < tok_mech_count(); i++) {
        const tok_mech_t *m = tok_mech_at(i);
        if (m->type == type) {
            return m;
        }
    }
    return NULL;
}

/* Bit length of a big-endian magnitude. */
static size_t bit_length(nvt_crypto_span_t v)
{
    size_t i = 0;
    while (i < v.len && v.p[i] == 0) {
        i++;
    }
    if (i == v.len) {
        return 0;
    }
    size_t bits = (v.len - i - 1) * 8;
    for (uint8_t top = v.p[i]; top != 0; top >>= 1) {
        bits++;
    }
    return bits;
}

CK_RV tok_mech_check_key(const tok_obj_t *o)
{
    if (o->cls != CKO_PUBLIC_KEY && o->cls != CKO_PRIVATE_KEY && o->cls != CKO_SECRET_KEY) {
        return CKR_OK;
    }
    if (o->sub == CKK_GENERIC_SECRET) {
        return CKR_OK;
    }
    nvt_crypto_key_material_t m;
    CK_RV rv = tok_key_material(o, &m);
    if (rv != CKR_OK) {
        return rv == CKR_CURVE_NOT_SUPPORTED ? rv : CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (o->sub == CKK_AES) {
        return m.v[0].len == 16 || m.v[0].len == 24 || m.v[0].len == 32 ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
    }
#if NVT_CONFIG_MECH_LEGACY
    if (o->sub == CKK_DES3) {
        /* Only while the legacy mechanisms are on; 24 bytes whose parity
         * bits are set (odd parity in every byte, FIPS 46-3), as PKCS#11
         * requires of every DES3 key. */
        if (!tok_mech_legacy() || m.v[0].len != 24) {
            return CKR_ATTRIBUTE_VALUE_INVALID;
        }
        for (size_t i = 0; i < 24; i++) {
            uint8_t b = m.v[0].p[i];
            b ^= (uint8_t)(b >> 4);
            b ^= (uint8_t)(b >> 2);
            b ^= (uint8_t)(b >> 1);
            if ((b & 1) == 0) {
                return CKR_ATTRIBUTE_VALUE_INVALID;
            }
        }
    }
#endif
    if (o->sub == CKK_RSA) {
        size_t bits = bit_length(m.v[0]);
        if (bits < tok_rsa_min_bits() || bits > RSA_MAX) {
            return CKR_ATTRIBUTE_VALUE_INVALID; /* docs/COMPATIBILITY.md: no keys below 2048 bits (legacy: 1024) */
        }
    }
    /* PSA checks the rest as it imports: the point on the curve, the
     * private value in range, the RSA parts consistent. */
    return nvt_crypto_key_check(&m, NULL) == NVT_OK ? CKR_OK : CKR_ATTRIBUTE_VALUE_INVALID;
}
