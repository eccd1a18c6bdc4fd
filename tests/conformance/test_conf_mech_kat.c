/* Conformance: every mechanism gives the published answers (tests/kat/),
 * through the PKCS#11 API, single-part and in parts of several sizes where
 * the mechanism allows; a tampered signature, MAC, tag or wrapped key is
 * refused. The same program runs on the host and the emulated Cortex-M4,
 * for every profile: a vector whose mechanism (or curve, or key type) the
 * profile leaves out checks that it is refused with the specification's
 * code instead (SHA-1 and RSA encryption vectors are compiled out when
 * their switches are off). */
#include "conf_mech.h"

#include <psa/crypto.h> /* PSA_WANT_ALG_DETERMINISTIC_ECDSA: how the build signs */

/* Part sizes: 0 is single-part; parts only where the profile has
 * multi-part operations. */
static const size_t chunks[] = { 0, 1, 7, 16, 33 };
#define CHUNKS (NVT_CONFIG_TOKEN_MULTIPART ? sizeof(chunks) / sizeof(chunks[0]) : 1u)

static uint8_t a[CM_MAX], b[CM_MAX], c[CM_MAX], d[CM_MAX], out[CM_MAX];

static void c_digest_and_c_digest_key_give_the_fips_180_digests(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_digest_count; i++) {
        const kat_digest_t *v = &kat_digests[i];
        size_t n = kat_hex(v->msg, a, sizeof(a)), md = kat_hex(v->md, b, sizeof(b));
        CK_MECHANISM m = { v->mech, NULL_PTR, 0 };
        if (!cm_has(v->mech)) {
            assert_int_equal(C_DigestInit(s, &m), CM_ABSENT(NVT_TOKEN_HAS_DIGEST));
            continue;
        }
        for (size_t k = 0; k < CHUNKS; k++) {
            CK_ULONG len = sizeof(out);
            assert_int_equal(C_DigestInit(s, &m), CKR_OK);
            if (chunks[k] == 0) {
                assert_int_equal(C_Digest(s, a, n, out, &len), CKR_OK);
            } else {
                for (size_t off = 0; off < n; off += chunks[k]) {
                    assert_int_equal(C_DigestUpdate(s, a + off, n - off < chunks[k] ? n - off : chunks[k]), CKR_OK);
                }
                assert_int_equal(C_DigestFinal(s, out, &len), CKR_OK);
            }
            assert_int_equal(len, md);
            assert_memory_equal(out, b, md);
        }
        if (n > 0 && NVT_CONFIG_TOKEN_MULTIPART) {
            /* C_DigestKey: the same digest of a readable key holding the message. */
            CK_OBJECT_HANDLE key = cm_secret(s, CKK_GENERIC_SECRET, a, n);
            CK_ULONG len = sizeof(out);
            assert_int_equal(C_DigestInit(s, &m), CKR_OK);
            assert_int_equal(C_DigestKey(s, key), CKR_OK);
            assert_int_equal(C_DigestFinal(s, out, &len), CKR_OK);
            assert_memory_equal(out, b, md);
            assert_int_equal(C_DestroyObject(s, key), CKR_OK);
        }
    }
}

static void macs_give_the_rfc_4231_and_sp_800_38b_answers(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_mac_count; i++) {
        const kat_mac_t *v = &kat_macs[i];
        size_t kn = kat_hex(v->key, a, sizeof(a)), n = kat_hex(v->msg, b, sizeof(b));
        size_t mn = kat_hex(v->mac, c, sizeof(c));
        CK_OBJECT_HANDLE key = cm_secret(s, v->mech == CKM_AES_CMAC ? CKK_AES : CKK_GENERIC_SECRET, a, kn);
        CK_MECHANISM m = { v->mech, NULL_PTR, 0 };
        if (!cm_has(v->mech)) {
            assert_int_equal(C_SignInit(s, &m, key), CKR_MECHANISM_INVALID);
            assert_int_equal(C_DestroyObject(s, key), CKR_OK);
            continue;
        }
        for (size_t k = 0; k < CHUNKS; k++) {
            CK_ULONG len = sizeof(out);
            assert_int_equal(cm_sign(s, &m, key, b, n, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, mn);
            assert_memory_equal(out, c, mn);
            assert_int_equal(cm_verify(s, &m, key, b, n, chunks[k], c, mn), CKR_OK);
        }
        c[mn - 1] ^= 1;
        assert_int_equal(cm_verify(s, &m, key, b, n, 0, c, mn), CKR_SIGNATURE_INVALID);
        if (NVT_CONFIG_TOKEN_MULTIPART) {
            assert_int_equal(cm_verify(s, &m, key, b, n, 5, c, mn), CKR_SIGNATURE_INVALID);
        }
        assert_int_equal(cm_verify(s, &m, key, b, n, 0, c, mn - 1), CKR_SIGNATURE_LEN_RANGE);
        assert_int_equal(C_DestroyObject(s, key), CKR_OK);
    }
}

static void aes_modes_give_the_sp_800_38a_answers_both_ways(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_cipher_count; i++) {
        const kat_cipher_t *v = &kat_ciphers[i];
        size_t kn = kat_hex(v->key, a, sizeof(a)), ivn = kat_hex(v->iv, d, sizeof(d));
        size_t pn = kat_hex(v->pt, b, sizeof(b)), cn = kat_hex(v->ct, c, sizeof(c));
        CK_OBJECT_HANDLE key = cm_secret(s, CKK_AES, a, kn);
        CK_AES_CTR_PARAMS ctr;
        CK_MECHANISM m = { v->mech, ivn > 0 ? d : NULL_PTR, ivn };
        if (v->mech == CKM_AES_CTR) {
            ctr.ulCounterBits = v->ctr_bits;
            memcpy(ctr.cb, d, 16);
            m.pParameter = &ctr;
            m.ulParameterLen = sizeof(ctr);
        }
        if (!cm_has(v->mech)) {
            assert_int_equal(C_EncryptInit(s, &m, key), CM_ABSENT(NVT_TOKEN_HAS_ENCRYPT));
            assert_int_equal(C_DestroyObject(s, key), CKR_OK);
            continue;
        }
        for (size_t k = 0; k < CHUNKS; k++) {
            CK_ULONG len = sizeof(out);
            assert_int_equal(cm_crypt(s, 0, &m, key, b, pn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, cn);
            assert_memory_equal(out, c, cn);
            len = sizeof(out);
            assert_int_equal(cm_crypt(s, 1, &m, key, c, cn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, pn);
            assert_memory_equal(out, b, pn);
        }
        assert_int_equal(C_DestroyObject(s, key), CKR_OK);
    }
}

static void aes_gcm_gives_the_published_ciphertexts_and_tags(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    static uint8_t iv[128], aad[128];
    for (size_t i = 0; i < kat_gcm_count; i++) {
        const kat_gcm_t *v = &kat_gcms[i];
        size_t kn = kat_hex(v->key, a, sizeof(a)), pn = kat_hex(v->pt, b, sizeof(b));
        size_t cn = kat_hex(v->ct, c, sizeof(c));
        size_t tn = kat_hex(v->tag, c + cn, sizeof(c) - cn);
        size_t ivn = kat_hex(v->iv, iv, sizeof(iv)), an = kat_hex(v->aad, aad, sizeof(aad));
        CK_OBJECT_HANDLE key = cm_secret(s, CKK_AES, a, kn);
        CK_GCM_PARAMS p = { iv, ivn, ivn * 8, an > 0 ? aad : NULL_PTR, an, tn * 8 };
        CK_MECHANISM m = { CKM_AES_GCM, &p, sizeof(p) };
        if (!cm_has(CKM_AES_GCM)) {
            assert_int_equal(C_EncryptInit(s, &m, key), CM_ABSENT(NVT_TOKEN_HAS_ENCRYPT));
            assert_int_equal(C_DestroyObject(s, key), CKR_OK);
            continue;
        }
        for (size_t k = 0; k < CHUNKS; k++) {
            CK_ULONG len = sizeof(out);
            assert_int_equal(cm_crypt(s, 0, &m, key, b, pn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, cn + tn);
            assert_memory_equal(out, c, cn + tn);
            len = sizeof(out);
            assert_int_equal(cm_crypt(s, 1, &m, key, c, cn + tn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, pn);
            assert_memory_equal(out, b, pn);
        }
        /* A tampered tag or ciphertext gives no plaintext. */
        c[cn + tn - 1] ^= 1;
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_crypt(s, 1, &m, key, c, cn + tn, 0, out, &len), CKR_ENCRYPTED_DATA_INVALID);
        len = sizeof(out);
        if (NVT_CONFIG_TOKEN_MULTIPART) {
            assert_int_equal(cm_crypt(s, 1, &m, key, c, cn + tn, 16, out, &len), CKR_ENCRYPTED_DATA_INVALID);
        }
        assert_int_equal(C_DestroyObject(s, key), CKR_OK);
    }
}

static void aes_key_wrap_gives_the_rfc_3394_and_5649_answers(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_kw_count; i++) {
        const kat_kw_t *v = &kat_kws[i];
        size_t kekn = kat_hex(v->kek, a, sizeof(a)), kn = kat_hex(v->key, b, sizeof(b));
        size_t wn = kat_hex(v->wrapped, c, sizeof(c));
        CK_KEY_TYPE kt = kn == 16 || kn == 24 || kn == 32 ? CKK_AES : CKK_GENERIC_SECRET;
        CK_OBJECT_HANDLE kek = cm_secret(s, CKK_AES, a, kekn), key = cm_secret(s, kt, b, kn), got;
        CK_MECHANISM m = { v->mech, NULL_PTR, 0 };
        CK_ULONG len = 0;
        if (!cm_has(v->mech)) {
            assert_int_equal(C_WrapKey(s, &m, kek, key, NULL_PTR, &len), CM_ABSENT(NVT_TOKEN_HAS_WRAP));
            assert_int_equal(C_DestroyObject(s, kek), CKR_OK);
            assert_int_equal(C_DestroyObject(s, key), CKR_OK);
            continue;
        }
        assert_int_equal(C_WrapKey(s, &m, kek, key, NULL_PTR, &len), CKR_OK);
        assert_int_equal(len, wn);
        len = wn - 1;
        assert_int_equal(C_WrapKey(s, &m, kek, key, out, &len), CKR_BUFFER_TOO_SMALL);
        assert_int_equal(len, wn);
        assert_int_equal(C_WrapKey(s, &m, kek, key, out, &len), CKR_OK);
        assert_int_equal(len, wn);
        assert_memory_equal(out, c, wn);
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                             { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_SENSITIVE, &conf_false, 1 },
                             { CKA_EXTRACTABLE, &conf_true, 1 },
                             { CKA_TOKEN, &conf_scratch, 1 } };
        assert_int_equal(C_UnwrapKey(s, &m, kek, c, wn, t, 5, &got), CKR_OK);
        assert_int_equal(cm_value(s, got, CKA_VALUE, d, sizeof(d)), kn);
        assert_memory_equal(d, b, kn);
        assert_int_equal(C_DestroyObject(s, got), CKR_OK);
        c[wn / 2] ^= 1;
        assert_int_equal(C_UnwrapKey(s, &m, kek, c, wn, t, 5, &got), CKR_WRAPPED_KEY_INVALID);
        assert_int_equal(C_DestroyObject(s, kek), CKR_OK);
        assert_int_equal(C_DestroyObject(s, key), CKR_OK);
    }
}

static void ecdsa_verifies_the_rfc_6979_signatures(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_ecdsa_count; i++) {
        const kat_ecdsa_t *v = &kat_ecdsas[i];
        size_t pn = kat_hex(v->point, a, sizeof(a)), mn = kat_hex(v->msg, b, sizeof(b));
        size_t hn = kat_hex(v->hash, c, sizeof(c)), sn = kat_hex(v->sig, d, sizeof(d));
        if (v->bits == 384 && !NVT_CONFIG_MECH_EC_P384) {
            /* A curve the profile leaves out: its keys are refused. */
            CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
            CK_KEY_TYPE kt = CKK_EC;
            CK_ULONG oid_len;
            const CK_BYTE *oid = cm_curve_oid(384, &oid_len);
            a[pn + 2] = 0;
            memmove(a + 2, a, pn);
            a[0] = 0x04;
            a[1] = (uint8_t)pn;
            CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                                 { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len }, { CKA_EC_POINT, a, pn + 2 } };
            CK_OBJECT_HANDLE h;
            assert_int_equal(conf_create(s, t, 4, &h), CKR_CURVE_NOT_SUPPORTED);
            continue;
        }
        CK_OBJECT_HANDLE pub = cm_ec_pub(s, v->bits, a, pn);
        CK_MECHANISM raw = { CKM_ECDSA, NULL_PTR, 0 }, hashed = { v->mech, NULL_PTR, 0 };
        assert_int_equal(cm_verify(s, &raw, pub, c, hn, 0, d, sn), CKR_OK);
        /* The private value signs, and the RFC's public key verifies it
         * (with the mechanism that hashes, or, where the profile lacks it,
         * CKM_ECDSA over the vector's hash). */
        size_t dn = kat_hex(v->d, a + 256, sizeof(a) - 256);
        CK_OBJECT_HANDLE priv = cm_ec_priv(s, v->bits, a + 256, dn);
        int hashing = cm_has(v->mech);
        if (!hashing) {
            assert_int_equal(C_VerifyInit(s, &hashed, pub), CKR_MECHANISM_INVALID);
            assert_int_equal(C_SignInit(s, &hashed, priv), CKR_MECHANISM_INVALID);
        }
        CK_MECHANISM *m = hashing ? &hashed : &raw;
        const uint8_t *in = hashing ? b : c;
        size_t in_len = hashing ? mn : hn;
        for (size_t k = 0; hashing && k < CHUNKS; k++) {
            assert_int_equal(cm_verify(s, m, pub, in, in_len, chunks[k], d, sn), CKR_OK);
        }
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, m, priv, in, in_len, 0, out, &len), CKR_OK);
        assert_int_equal(len, sn);
        assert_int_equal(cm_verify(s, m, pub, in, in_len, 0, out, len), CKR_OK);
#if defined(PSA_WANT_ALG_DETERMINISTIC_ECDSA)
        /* A build that signs deterministically (mbedTLS's ECP engine) gives
         * the RFC's own signature: with the mechanism that hashes, its
         * nonce's HMAC uses that hash, as the RFC's; CKM_ECDSA's uses
         * SHA-256. */
        if (hashing || v->mech == CKM_ECDSA_SHA256) {
            assert_memory_equal(out, d, sn);
        }
#endif
        d[sn / 4] ^= 1;
        assert_int_equal(cm_verify(s, m, pub, in, in_len, 0, d, sn), CKR_SIGNATURE_INVALID);
        assert_int_equal(cm_verify(s, &raw, pub, c, hn, 0, d, sn), CKR_SIGNATURE_INVALID);
        assert_int_equal(cm_verify(s, &raw, pub, c, hn, 0, d, sn - 1), CKR_SIGNATURE_LEN_RANGE);
        assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
        assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    }
}

static void ecdh_derives_the_rfc_5903_shared_secrets(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_ecdh_count; i++) {
        const kat_ecdh_t *v = &kat_ecdhs[i];
        size_t dn = kat_hex(v->d, a, sizeof(a)), pn = kat_hex(v->peer, b + 3, sizeof(b) - 3);
        size_t zn = kat_hex(v->z, c, sizeof(c));
        if (v->bits == 384 && !NVT_CONFIG_MECH_EC_P384) {
            continue; /* the curve's keys are refused: ecdsa_verifies_the_rfc_6979_signatures */
        }
        CK_OBJECT_HANDLE priv = cm_ec_priv(s, v->bits, a, dn), got;
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                             { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_SENSITIVE, &conf_false, 1 },
                             { CKA_EXTRACTABLE, &conf_true, 1 },
                             { CKA_TOKEN, &conf_scratch, 1 } };
        /* The peer's point bare, then as a DER OCTET STRING (put before
         * the point: 3 bytes of room). */
        uint8_t *bare = b + 3, *der_at = b + 3 - (pn < 128 ? 2 : 3);
        uint8_t point[133];
        memcpy(point, bare, pn);
        size_t der_len = cm_octet_string(point, pn, der_at);
        for (int der = 0; der < 2; der++) {
            CK_ECDH1_DERIVE_PARAMS p = { CKD_NULL, 0, NULL_PTR, der ? der_len : pn, der ? der_at : bare };
            CK_MECHANISM m = { CKM_ECDH1_DERIVE, &p, sizeof(p) };
            if (!cm_has(CKM_ECDH1_DERIVE)) {
                assert_int_equal(C_DeriveKey(s, &m, priv, t, 5, &got), CM_ABSENT(NVT_TOKEN_HAS_DERIVE));
                continue;
            }
            assert_int_equal(C_DeriveKey(s, &m, priv, t, 5, &got), CKR_OK);
            assert_int_equal(cm_value(s, got, CKA_VALUE, d, sizeof(d)), zn);
            assert_memory_equal(d, c, zn);
            assert_int_equal(C_DestroyObject(s, got), CKR_OK);
        }
        assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
    }
}

static void rsa_signatures_match_the_published_ones(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    const kat_rsa_key_t *last = NULL;
    CK_OBJECT_HANDLE priv = 0, pub = 0;
    for (size_t i = 0; i < kat_rsa_sig_count; i++) {
        const kat_rsa_sig_t *v = &kat_rsa_sigs[i];
        size_t mn = kat_hex(v->msg, b, sizeof(b)), sn = kat_hex(v->sig, c, sizeof(c));
        if (!NVT_CONFIG_MECH_RSA) {
            /* No RSA in the profile: nor its mechanisms, nor its keys. */
            CK_MECHANISM m = { v->mech, NULL_PTR, 0 };
            assert_int_equal(cm_has(v->mech), 0);
            assert_int_equal(C_SignInit(s, &m, CK_INVALID_HANDLE), CKR_MECHANISM_INVALID);
            continue;
        }
        if (v->key != last) {
            if (last != NULL) {
                assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
                assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
            }
            priv = cm_rsa_priv(s, v->key);
            pub = cm_rsa_pub(s, v->key);
            last = v->key;
        }
        CK_RSA_PKCS_PSS_PARAMS pss = { v->hash, 0, 32 };
        pss.mgf = v->hash == CKM_SHA256 ? CKG_MGF1_SHA256 : v->hash == CKM_SHA384 ? CKG_MGF1_SHA384 : CKG_MGF1_SHA512;
        pss.sLen = v->hash == CKM_SHA256 ? 32 : v->hash == CKM_SHA384 ? 48 : 64;
        CK_MECHANISM m = { v->mech, v->hash != 0 ? &pss : NULL_PTR, v->hash != 0 ? sizeof(pss) : 0 };
        if (!cm_has(v->mech)) {
            assert_int_equal(C_SignInit(s, &m, priv), CKR_MECHANISM_INVALID);
            continue;
        }
        int multi = v->mech != CKM_RSA_PKCS && v->mech != CKM_RSA_PKCS_PSS && v->mech != CKM_RSA_X_509;
        for (size_t k = 0; k < (multi ? CHUNKS : 1); k++) {
            assert_int_equal(cm_verify(s, &m, pub, b, mn, chunks[k], c, sn), CKR_OK);
            CK_ULONG len = sizeof(out);
            assert_int_equal(cm_sign(s, &m, priv, b, mn, chunks[k], out, &len), CKR_OK);
            assert_int_equal(len, sn);
            if (v->deterministic) {
                assert_memory_equal(out, c, sn);
            } else {
                assert_int_equal(cm_verify(s, &m, pub, b, mn, 0, out, len), CKR_OK);
            }
        }
        c[7] ^= 0x10;
        assert_int_equal(cm_verify(s, &m, pub, b, mn, 0, c, sn), CKR_SIGNATURE_INVALID);
        assert_int_equal(cm_verify(s, &m, pub, b, mn, 0, c, sn - 1), CKR_SIGNATURE_LEN_RANGE);
    }
}

/* Published signatures verified with the public key alone (PKCS#1 v1.5
 * SHA-1 and SHA-512, PSS SHA-384 and SHA-512), and a published invalid one
 * refused. */
static void rsa_verification_gives_the_published_verdicts(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    for (size_t i = 0; i < kat_rsa_ver_count; i++) {
        const kat_rsa_ver_t *v = &kat_rsa_vers[i];
        size_t mn = kat_hex(v->msg, b, sizeof(b)), sn = kat_hex(v->sig, c, sizeof(c));
        if (!NVT_CONFIG_MECH_RSA) {
            CK_MECHANISM m = { v->mech, NULL_PTR, 0 };
            assert_int_equal(cm_has(v->mech), 0);
            assert_int_equal(C_VerifyInit(s, &m, CK_INVALID_HANDLE), CKR_MECHANISM_INVALID);
            continue;
        }
        CK_OBJECT_HANDLE pub = cm_rsa_pub(s, v->key);
        CK_RSA_PKCS_PSS_PARAMS pss = { v->hash, v->hash == CKM_SHA384 ? CKG_MGF1_SHA384 : CKG_MGF1_SHA512,
                                       v->hash == CKM_SHA384 ? 48u : 64u };
        CK_MECHANISM m = { v->mech, v->hash != 0 ? &pss : NULL_PTR, v->hash != 0 ? sizeof(pss) : 0 };
        if (!cm_has(v->mech)) {
            assert_int_equal(C_VerifyInit(s, &m, pub), CKR_MECHANISM_INVALID);
            assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
            continue;
        }
        int multi = v->mech != CKM_RSA_PKCS_PSS;
        for (size_t k = 0; k < (multi ? CHUNKS : 1); k++) {
            assert_int_equal(cm_verify(s, &m, pub, b, mn, chunks[k], c, sn),
                             v->valid ? CKR_OK : CKR_SIGNATURE_INVALID);
        }
        if (v->valid) {
            c[sn / 2] ^= 0x01;
            assert_int_equal(cm_verify(s, &m, pub, b, mn, 0, c, sn), CKR_SIGNATURE_INVALID);
        }
        assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
    }
}

#if NVT_CONFIG_MECH_RSA_ENCRYPT
static void rsa_decryption_recovers_the_published_messages(void **state)
{
    (void)state;
    CK_SESSION_HANDLE s = cm_session();
    static uint8_t label[64];
    for (size_t i = 0; i < kat_rsa_dec_count; i++) {
        const kat_rsa_dec_t *v = &kat_rsa_decs[i];
        size_t mn = kat_hex(v->msg, b, sizeof(b)), cn = kat_hex(v->ct, c, sizeof(c));
        size_t ln = kat_hex(v->label, label, sizeof(label));
        CK_OBJECT_HANDLE priv = cm_rsa_priv(s, v->key), pub = cm_rsa_pub(s, v->key);
        CK_RSA_PKCS_OAEP_PARAMS oaep = { v->hash, v->hash == CKM_SHA_1 ? CKG_MGF1_SHA1 : CKG_MGF1_SHA256,
                                         CKZ_DATA_SPECIFIED, ln > 0 ? label : NULL_PTR, ln };
        CK_MECHANISM m = { v->mech, v->mech == CKM_RSA_PKCS_OAEP ? &oaep : NULL_PTR,
                           v->mech == CKM_RSA_PKCS_OAEP ? sizeof(oaep) : 0 };
        CK_ULONG len = sizeof(out);
        if (!v->valid) {
            assert_int_equal(cm_crypt(s, 1, &m, priv, c, cn, 0, out, &len), CKR_ENCRYPTED_DATA_INVALID);
        } else {
            assert_int_equal(cm_crypt(s, 1, &m, priv, c, cn, 0, out, &len), CKR_OK);
            assert_int_equal(len, mn);
            assert_memory_equal(out, b, mn);
            /* The token's own ciphertext of the message decrypts to it too. */
            len = sizeof(out);
            assert_int_equal(cm_crypt(s, 0, &m, pub, b, mn, 0, out, &len), CKR_OK);
            assert_int_equal(len, cn);
            CK_ULONG len2 = sizeof(d);
            assert_int_equal(cm_crypt(s, 1, &m, priv, out, len, 0, d, &len2), CKR_OK);
            assert_int_equal(len2, mn);
            assert_memory_equal(d, b, mn);
        }
        assert_int_equal(C_DestroyObject(s, priv), CKR_OK);
        assert_int_equal(C_DestroyObject(s, pub), CKR_OK);
    }
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        CONF_TEST(c_digest_and_c_digest_key_give_the_fips_180_digests),
        CONF_TEST(macs_give_the_rfc_4231_and_sp_800_38b_answers),
        CONF_TEST(aes_modes_give_the_sp_800_38a_answers_both_ways),
        CONF_TEST(aes_gcm_gives_the_published_ciphertexts_and_tags),
        CONF_TEST(aes_key_wrap_gives_the_rfc_3394_and_5649_answers),
        CONF_TEST(ecdsa_verifies_the_rfc_6979_signatures),
        CONF_TEST(ecdh_derives_the_rfc_5903_shared_secrets),
        CONF_TEST(rsa_signatures_match_the_published_ones),
        CONF_TEST(rsa_verification_gives_the_published_verdicts),
#if NVT_CONFIG_MECH_RSA_ENCRYPT
        CONF_TEST(rsa_decryption_recovers_the_published_messages),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
