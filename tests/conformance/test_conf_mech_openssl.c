/* Cross-checks with the OpenSSL command line (host): signatures made by the
 * token verify in `openssl`, and OpenSSL's verify in the token; ciphertexts
 * go both ways; ECDH, MACs and AES modes agree. Keys move between the two
 * as DER the test writes and reads itself. Every openssl command and its
 * output is printed when a check fails. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "conf_mech.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[64];
static uint8_t buf[4096], out[4096], out2[4096];

/* ---- files and commands ------------------------------------------------------------------ */

static const char *path(const char *name)
{
    static char p[8][128];
    static int i;
    i = (i + 1) % 8;
    snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
    return p[i];
}

static void put(const char *name, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

static size_t get(const char *name, uint8_t *p, size_t cap)
{
    FILE *f = fopen(path(name), "rb");
    assert_non_null(f);
    size_t n = fread(p, 1, cap, f);
    fclose(f);
    return n;
}

/* Run an openssl command line in the temporary directory; 1 on success. */
#if defined(__GNUC__)
static int ossl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
static int ossl(const char *fmt, ...)
{
    char cmd[1024], full[1300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    snprintf(full, sizeof(full), "cd %s && openssl %s >out.txt 2>&1", dir, cmd);
    int rc = system(full);
    if (rc != 0) {
        uint8_t log[2048];
        size_t n = get("out.txt", log, sizeof(log) - 1);
        log[n] = 0;
        print_error("openssl %s\n%s\n", cmd, (const char *)log);
    }
    return rc == 0;
}

static void hexstr(const uint8_t *p, size_t n, char *s)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(s + 2 * i, 3, "%02x", p[i]);
    }
}

/* ---- DER ----------------------------------------------------------------------------------- */

static size_t der_hdr(uint8_t *p, uint8_t tag, size_t len)
{
    p[0] = tag;
    if (len < 128) {
        p[1] = (uint8_t)len;
        return 2;
    }
    if (len < 256) {
        p[1] = 0x81;
        p[2] = (uint8_t)len;
        return 3;
    }
    p[1] = 0x82;
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
    return 4;
}

/* Read the TLV at *p: its tag, contents and length; *p moves past it. */
static const uint8_t *der_get(const uint8_t **p, uint8_t *tag, size_t *len)
{
    const uint8_t *q = *p;
    *tag = q[0];
    size_t n = q[1], h = 2;
    if (n & 0x80) {
        size_t k = n & 0x7f;
        n = 0;
        for (size_t i = 0; i < k; i++) {
            n = n << 8 | q[2 + i];
        }
        h = 2 + k;
    }
    *len = n;
    *p = q + h + n;
    return q + h;
}

/* An INTEGER from a magnitude (leading zeros dropped, a zero added if the
 * top bit is set). */
static size_t der_int(uint8_t *p, const uint8_t *v, size_t n)
{
    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    int pad = (v[0] & 0x80) != 0;
    size_t h = der_hdr(p, 0x02, n + pad);
    p[h] = 0;
    memcpy(p + h + pad, v, n);
    return h + pad + n;
}

/* ECDSA r || s -> ECDSA-Sig-Value, and back. */
static size_t ecdsa_to_der(const uint8_t *rs, size_t n, uint8_t *der)
{
    uint8_t body[160];
    size_t b = der_int(body, rs, n / 2);
    b += der_int(body + b, rs + n / 2, n / 2);
    size_t h = der_hdr(der, 0x30, b);
    memcpy(der + h, body, b);
    return h + b;
}

static void ecdsa_from_der(const uint8_t *der, size_t cb, uint8_t *rs)
{
    const uint8_t *p = der, *q;
    uint8_t tag;
    size_t len;
    q = der_get(&p, &tag, &len);
    for (int i = 0; i < 2; i++) {
        const uint8_t *v = der_get(&q, &tag, &len);
        while (len > cb) {
            v++;
            len--;
        }
        memset(rs + i * cb, 0, cb - len);
        memcpy(rs + i * cb + cb - len, v, len);
    }
}

/* SubjectPublicKeyInfo of an EC point. */
static size_t ec_spki(unsigned bits, const uint8_t *point, size_t n, uint8_t *der)
{
    static const uint8_t id_ec[] = { 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 };
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
    uint8_t alg[40], body[200];
    size_t a = der_hdr(alg, 0x30, sizeof(id_ec) + oid_len);
    memcpy(alg + a, id_ec, sizeof(id_ec));
    memcpy(alg + a + sizeof(id_ec), oid, oid_len);
    a += sizeof(id_ec) + oid_len;
    memcpy(body, alg, a);
    size_t b = a + der_hdr(body + a, 0x03, n + 1);
    body[b++] = 0;
    memcpy(body + b, point, n);
    b += n;
    size_t h = der_hdr(der, 0x30, b);
    memcpy(der + h, body, b);
    return h + b;
}

/* RSAPublicKey (PKCS#1) of n, e. */
static size_t rsa_pub_der(const uint8_t *n, size_t nl, const uint8_t *e, size_t el, uint8_t *der)
{
    uint8_t body[600];
    size_t b = der_int(body, n, nl);
    b += der_int(body + b, e, el);
    size_t h = der_hdr(der, 0x30, b);
    memcpy(der + h, body, b);
    return h + b;
}

/* ---- the token's side ------------------------------------------------------------------------ */

static CK_SESSION_HANDLE s;

static int setup_ossl(void **state)
{
    if (conf_setup(state) != 0) {
        return -1;
    }
    snprintf(dir, sizeof(dir), "/tmp/nvt-openssl-XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    s = cm_session();
    return 0;
}

static int teardown_ossl(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0) {
        return -1;
    }
    return conf_teardown(state);
}

static void token_ec_pair(unsigned bits, CK_OBJECT_HANDLE *pub, CK_OBJECT_HANDLE *priv)
{
    CK_MECHANISM gen = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ULONG oid_len;
    const CK_BYTE *oid = cm_curve_oid(bits, &oid_len);
    CK_ATTRIBUTE pt[] = { { CKA_EC_PARAMS, (void *)(uintptr_t)oid, oid_len } };
    CK_ATTRIBUTE vt[] = { { CKA_DERIVE, &conf_true, 1 } };
    assert_int_equal(C_GenerateKeyPair(s, &gen, pt, 1, vt, 1, pub, priv), CKR_OK);
}

/* ---- ECDSA, ECDH ------------------------------------------------------------------------------ */

static void ecdsa_signatures_verify_both_ways(void **state)
{
    (void)state;
    static const char msg[] = "nvtoken and OpenSSL sign this.";
    put("msg", (const uint8_t *)msg, sizeof(msg) - 1);
    static const unsigned curves[] = {
        256, 384,
#if NVT_CONFIG_MECH_EC_P521
        521,
#endif
    };
    for (size_t c = 0; c < sizeof(curves) / sizeof(curves[0]); c++) {
        unsigned bits = curves[c];
        const char *md = bits == 256 ? "sha256" : bits == 384 ? "sha384" : "sha512";
        size_t cb = (bits + 7) / 8;
        /* token signs, OpenSSL verifies */
        CK_OBJECT_HANDLE pub, priv;
        token_ec_pair(bits, &pub, &priv);
        CK_ULONG n = cm_value(s, pub, CKA_EC_POINT, buf, sizeof(buf));
        size_t head = buf[1] == 0x81 ? 3 : 2; /* DER OCTET STRING header */
        put("tpub.der", out, ec_spki(bits, buf + head, n - head, out));
        CK_MECHANISM m = { bits == 256 ? CKM_ECDSA_SHA256 : bits == 384 ? CKM_ECDSA_SHA384 : CKM_ECDSA_SHA512,
                           NULL_PTR, 0 };
        CK_ULONG len = sizeof(buf);
        assert_int_equal(cm_sign(s, &m, priv, (const uint8_t *)msg, sizeof(msg) - 1, 0, buf, &len), CKR_OK);
        put("tsig.der", out, ecdsa_to_der(buf, len, out));
        assert_true(ossl("dgst -%s -verify tpub.der -keyform DER -signature tsig.der msg", md));
        /* OpenSSL signs, the token verifies */
        assert_true(ossl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-%u -out okey.pem", bits));
        assert_true(ossl("pkey -in okey.pem -pubout -outform DER -out opub.der"));
        assert_true(ossl("dgst -%s -sign okey.pem -out osig.der msg", md));
        size_t pn = get("opub.der", buf, sizeof(buf));
        CK_OBJECT_HANDLE opub = cm_ec_pub(s, bits, buf + pn - (2 * cb + 1), 2 * cb + 1);
        size_t sn = get("osig.der", buf, sizeof(buf));
        (void)sn;
        ecdsa_from_der(buf, cb, out);
        assert_int_equal(cm_verify(s, &m, opub, (const uint8_t *)msg, sizeof(msg) - 1, 0, out, 2 * cb), CKR_OK);
        out[3] ^= 1;
        assert_int_equal(cm_verify(s, &m, opub, (const uint8_t *)msg, sizeof(msg) - 1, 0, out, 2 * cb),
                         CKR_SIGNATURE_INVALID);
        /* ECDH: the token's private key with OpenSSL's public one, and
         * OpenSSL's private key with the token's public one, agree */
        CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
        CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_SENSITIVE, &conf_false, 1 }, { CKA_EXTRACTABLE, &conf_true, 1 } };
        CK_ECDH1_DERIVE_PARAMS dp = { CKD_NULL, 0, NULL_PTR, 2 * cb + 1, buf + pn - (2 * cb + 1) };
        pn = get("opub.der", buf, sizeof(buf));
        CK_MECHANISM ecdh = { CKM_ECDH1_DERIVE, &dp, sizeof(dp) };
        CK_OBJECT_HANDLE z;
        assert_int_equal(C_DeriveKey(s, &ecdh, priv, t, 4, &z), CKR_OK);
        assert_int_equal(cm_value(s, z, CKA_VALUE, out, sizeof(out)), cb);
        assert_true(ossl("pkeyutl -derive -inkey okey.pem -peerkey tpub.der -peerform DER -out z.bin"));
        assert_int_equal(get("z.bin", out2, sizeof(out2)), cb);
        assert_memory_equal(out, out2, cb);
    }
}

/* ---- RSA -------------------------------------------------------------------------------------- */

/* An OpenSSL RSA-2048 key imported into the token (private and public). */
static void openssl_rsa_into_token(CK_OBJECT_HANDLE *priv, CK_OBJECT_HANDLE *pub)
{
    assert_true(ossl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rkey.pem"));
    assert_true(ossl("rsa -in rkey.pem -outform DER -traditional -out rkey.der"));
    assert_true(ossl("rsa -in rkey.pem -pubout -out rpub.pem"));
    size_t n = get("rkey.der", buf, sizeof(buf));
    (void)n;
    const uint8_t *p = buf, *q;
    uint8_t tag;
    size_t len;
    static uint8_t part[9][520];
    size_t plen[9];
    q = der_get(&p, &tag, &len); /* RSAPrivateKey */
    for (int i = 0; i < 9; i++) { /* version, n, e, d, p, q, dp, dq, qinv */
        const uint8_t *v = der_get(&q, &tag, &len);
        memcpy(part[i], v, len);
        plen[i] = len;
    }
    CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY, uc = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_RSA;
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &pc, sizeof(pc) },          { CKA_KEY_TYPE, &kt, sizeof(kt) },
        { CKA_MODULUS, part[1], plen[1] },       { CKA_PUBLIC_EXPONENT, part[2], plen[2] },
        { CKA_PRIVATE_EXPONENT, part[3], plen[3] }, { CKA_PRIME_1, part[4], plen[4] },
        { CKA_PRIME_2, part[5], plen[5] },       { CKA_EXPONENT_1, part[6], plen[6] },
        { CKA_EXPONENT_2, part[7], plen[7] },    { CKA_COEFFICIENT, part[8], plen[8] },
    };
    assert_int_equal(C_CreateObject(s, t, 10, priv), CKR_OK);
    CK_ATTRIBUTE u[] = { { CKA_CLASS, &uc, sizeof(uc) },
                         { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_MODULUS, part[1], plen[1] },
                         { CKA_PUBLIC_EXPONENT, part[2], plen[2] } };
    assert_int_equal(C_CreateObject(s, u, 4, pub), CKR_OK);
}

/* The token's public key as PEM for OpenSSL. */
static void token_rsa_pub_pem(CK_OBJECT_HANDLE pub, const char *name)
{
    uint8_t n[520], e[16];
    CK_ULONG nl = cm_value(s, pub, CKA_MODULUS, n, sizeof(n)), el = cm_value(s, pub, CKA_PUBLIC_EXPONENT, e, sizeof(e));
    put("tpub1.der", out, rsa_pub_der(n, nl, e, el, out));
    assert_true(ossl("rsa -RSAPublicKey_in -inform DER -in tpub1.der -pubout -out %s", name));
}

static void rsa_signatures_verify_both_ways(void **state)
{
    (void)state;
    static const char msg[] = "nvtoken and OpenSSL sign this with RSA.";
    put("msg", (const uint8_t *)msg, sizeof(msg) - 1);
    CK_MECHANISM gen = { CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_ULONG bits = 2048;
    CK_ATTRIBUTE pt[] = { { CKA_MODULUS_BITS, &bits, sizeof(bits) } };
    CK_OBJECT_HANDLE tpub, tpriv, opriv, opub;
    assert_int_equal(C_GenerateKeyPair(s, &gen, pt, 1, NULL_PTR, 0, &tpub, &tpriv), CKR_OK);
    token_rsa_pub_pem(tpub, "tpub.pem");
    openssl_rsa_into_token(&opriv, &opub);
    static const struct {
        CK_MECHANISM_TYPE mech, hash;
        CK_RSA_PKCS_MGF_TYPE mgf;
        const char *md;
        int pss;
    } sigs[] = {
#if NVT_CONFIG_MECH_SHA1
        { CKM_SHA1_RSA_PKCS, 0, 0, "sha1", 0 },
#endif
        { CKM_SHA256_RSA_PKCS, 0, 0, "sha256", 0 },
        { CKM_SHA384_RSA_PKCS, 0, 0, "sha384", 0 },
        { CKM_SHA512_RSA_PKCS, 0, 0, "sha512", 0 },
        { CKM_SHA256_RSA_PKCS_PSS, CKM_SHA256, CKG_MGF1_SHA256, "sha256", 1 },
        { CKM_SHA384_RSA_PKCS_PSS, CKM_SHA384, CKG_MGF1_SHA384, "sha384", 1 },
        { CKM_SHA512_RSA_PKCS_PSS, CKM_SHA512, CKG_MGF1_SHA512, "sha512", 1 },
    };
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        CK_RSA_PKCS_PSS_PARAMS pp = { sigs[i].hash, sigs[i].mgf, 0 };
        pp.sLen = sigs[i].hash == CKM_SHA256 ? 32 : sigs[i].hash == CKM_SHA384 ? 48 : 64;
        CK_MECHANISM m = { sigs[i].mech, sigs[i].pss ? &pp : NULL_PTR, sigs[i].pss ? sizeof(pp) : 0 };
        const char *opt = sigs[i].pss ? "-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest" : "";
        CK_ULONG len = sizeof(buf);
        assert_int_equal(cm_sign(s, &m, tpriv, (const uint8_t *)msg, sizeof(msg) - 1, 0, buf, &len), CKR_OK);
        put("tsig", buf, len);
        assert_true(ossl("dgst -%s -verify tpub.pem %s -signature tsig msg", sigs[i].md, opt));
        assert_true(ossl("dgst -%s -sign rkey.pem %s -out osig msg", sigs[i].md, opt));
        size_t sn = get("osig", buf, sizeof(buf));
        assert_int_equal(cm_verify(s, &m, opub, (const uint8_t *)msg, sizeof(msg) - 1, 0, buf, sn), CKR_OK);
        if (!sigs[i].pss) {
            /* PKCS#1 v1.5 is deterministic: the token's signature with
             * OpenSSL's key is OpenSSL's */
            len = sizeof(out);
            assert_int_equal(cm_sign(s, &m, opriv, (const uint8_t *)msg, sizeof(msg) - 1, 0, out, &len), CKR_OK);
            assert_int_equal(len, sn);
            assert_memory_equal(out, buf, sn);
        }
    }
    /* PSS signatures with other salt lengths verify (signing uses the hash's length) */
    assert_true(ossl("dgst -sha256 -sign rkey.pem -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:max -out osig msg"));
    size_t sn = get("osig", buf, sizeof(buf));
    CK_RSA_PKCS_PSS_PARAMS pp = { CKM_SHA256, CKG_MGF1_SHA256, 222 };
    CK_MECHANISM m = { CKM_SHA256_RSA_PKCS_PSS, &pp, sizeof(pp) };
    assert_int_equal(cm_verify(s, &m, opub, (const uint8_t *)msg, sizeof(msg) - 1, 0, buf, sn), CKR_OK);
#if NVT_CONFIG_MECH_RSA_ENCRYPT
    /* Encryption both ways. */
    static const char secret[] = "a session key, say";
    put("plain", (const uint8_t *)secret, sizeof(secret) - 1);
    CK_BYTE label[] = { 'n', 'v', 't' };
    CK_RSA_PKCS_OAEP_PARAMS o1 = { CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL_PTR, 0 };
    CK_RSA_PKCS_OAEP_PARAMS o2 = { CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, label, sizeof(label) };
    struct {
        CK_MECHANISM m;
        const char *opt;
    } enc[] = {
        { { CKM_RSA_PKCS, NULL_PTR, 0 }, "-pkeyopt rsa_padding_mode:pkcs1" },
        { { CKM_RSA_PKCS_OAEP, &o1, sizeof(o1) }, "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1" },
        { { CKM_RSA_PKCS_OAEP, &o2, sizeof(o2) },
          "-pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 "
          "-pkeyopt rsa_oaep_label:6e7674" },
    };
    for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
        /* OpenSSL encrypts to the token's key, the token decrypts */
        assert_true(ossl("pkeyutl -encrypt -pubin -inkey tpub.pem %s -in plain -out ct", enc[i].opt));
        size_t cn = get("ct", buf, sizeof(buf));
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_crypt(s, 1, &enc[i].m, tpriv, buf, cn, 0, out, &len), CKR_OK);
        assert_int_equal(len, sizeof(secret) - 1);
        assert_memory_equal(out, secret, len);
        /* the token encrypts to OpenSSL's key, OpenSSL decrypts */
        len = sizeof(out);
        assert_int_equal(cm_crypt(s, 0, &enc[i].m, opub, (const uint8_t *)secret, sizeof(secret) - 1, 0, out, &len),
                         CKR_OK);
        put("ct2", out, len);
        assert_true(ossl("pkeyutl -decrypt -inkey rkey.pem %s -in ct2 -out pt2", enc[i].opt));
        assert_int_equal(get("pt2", out2, sizeof(out2)), sizeof(secret) - 1);
        assert_memory_equal(out2, secret, sizeof(secret) - 1);
    }
    /* Raw RSA: the token's x^d is OpenSSL's, and back. */
    memset(buf, 0x3c, 256);
    buf[0] = 0;
    put("block", buf, 256);
    CK_MECHANISM raw = { CKM_RSA_X_509, NULL_PTR, 0 };
    CK_ULONG len = sizeof(out);
    assert_int_equal(cm_crypt(s, 1, &raw, opriv, buf, 256, 0, out, &len), CKR_OK);
    assert_true(ossl("pkeyutl -decrypt -inkey rkey.pem -pkeyopt rsa_padding_mode:none -in block -out raw"));
    assert_int_equal(get("raw", out2, sizeof(out2)), 256);
    assert_memory_equal(out, out2, 256);
#endif
}

/* ---- private keys wrapped as PKCS#8 ---------------------------------------------------------- */

/* OpenSSL's PKCS#8 of a key wrapped with KWP by `openssl enc` unwraps into
 * a working token key; the token's wrap of that key unwraps in OpenSSL to
 * the very bytes OpenSSL encodes the key as. */
static void private_keys_wrap_as_openssls_pkcs8_both_ways(void **state)
{
    (void)state;
    static const uint8_t kek[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    static const char msg[] = "a key that travelled wrapped";
    char kek_hex[33];
    hexstr(kek, sizeof(kek), kek_hex);
    put("msg", (const uint8_t *)msg, sizeof(msg) - 1);
    CK_OBJECT_HANDLE hkek = cm_secret(s, CKK_AES, kek, sizeof(kek));
    CK_MECHANISM kwp = { CKM_AES_KEY_WRAP_PAD, NULL_PTR, 0 };
    static const struct {
        const char *genpkey, *dgst;
        CK_KEY_TYPE kt;
        CK_MECHANISM_TYPE sign;
    } keys[] = {
        { "-algorithm EC -pkeyopt ec_paramgen_curve:P-256", "sha256", CKK_EC, CKM_ECDSA_SHA256 },
        { "-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "sha384", CKK_EC, CKM_ECDSA_SHA384 },
#if NVT_CONFIG_MECH_EC_P521
        { "-algorithm EC -pkeyopt ec_paramgen_curve:P-521", "sha512", CKK_EC, CKM_ECDSA_SHA512 },
#endif
        { "-algorithm RSA -pkeyopt rsa_keygen_bits:2048", "sha256", CKK_RSA, CKM_SHA256_RSA_PKCS },
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        assert_true(ossl("genpkey %s -out wkey.pem", keys[i].genpkey));
        assert_true(ossl("pkcs8 -topk8 -nocrypt -in wkey.pem -outform DER -out wkey.p8"));
        assert_true(ossl("pkey -in wkey.pem -pubout -out wpub.pem"));
        assert_true(ossl("enc -id-aes128-wrap-pad -K %s -iv A65959A6 -in wkey.p8 -out wkey.wrap", kek_hex));
        /* OpenSSL -> token: the unwrapped key signs for OpenSSL's public key */
        static uint8_t wrapped[2048];
        size_t wn = get("wkey.wrap", wrapped, sizeof(wrapped));
        CK_OBJECT_CLASS pc = CKO_PRIVATE_KEY;
        CK_KEY_TYPE kt = keys[i].kt;
        CK_ATTRIBUTE t[] = { { CKA_CLASS, &pc, sizeof(pc) }, { CKA_KEY_TYPE, &kt, sizeof(kt) },
                             { CKA_SIGN, &conf_true, 1 }, { CKA_EXTRACTABLE, &conf_true, 1 } };
        CK_OBJECT_HANDLE h;
        assert_int_equal(C_UnwrapKey(s, &kwp, hkek, wrapped, wn, t, 4, &h), CKR_OK);
        CK_MECHANISM m = { keys[i].sign, NULL_PTR, 0 };
        CK_ULONG len = sizeof(buf);
        assert_int_equal(cm_sign(s, &m, h, (const uint8_t *)msg, sizeof(msg) - 1, 0, buf, &len), CKR_OK);
        if (kt == CKK_EC) {
            put("wsig", out, ecdsa_to_der(buf, len, out));
        } else {
            put("wsig", buf, len);
        }
        assert_true(ossl("dgst -%s -verify wpub.pem -signature wsig msg", keys[i].dgst));
        /* token -> OpenSSL: the same PKCS#8 bytes */
        len = sizeof(wrapped);
        assert_int_equal(C_WrapKey(s, &kwp, hkek, h, wrapped, &len), CKR_OK);
        put("tkey.wrap", wrapped, len);
        assert_true(ossl("enc -d -id-aes128-wrap-pad -K %s -iv A65959A6 -in tkey.wrap -out tkey.p8", kek_hex));
        size_t a = get("wkey.p8", out, sizeof(out)), b = get("tkey.p8", out2, sizeof(out2));
        assert_int_equal(a, b);
        assert_memory_equal(out, out2, a);
        assert_true(ossl("pkey -inform DER -in tkey.p8 -check -noout"));
    }
}

/* ---- MACs and AES ------------------------------------------------------------------------------ */

static void macs_and_aes_modes_agree_with_openssl(void **state)
{
    (void)state;
    static const uint8_t key[32] = { 0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae,
                                     0xf0, 0x85, 0x7d, 0x77, 0x81, 0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61,
                                     0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4 };
    static uint8_t iv[16] = { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6 };
    char khex[65], ivhex[33];
    hexstr(key, 32, khex);
    hexstr(iv, 16, ivhex);
    for (size_t i = 0; i < 1000; i++) {
        buf[i] = (uint8_t)(i * 7 + 3);
    }
    put("data", buf, 1000);
    CK_OBJECT_HANDLE aes = cm_secret(s, CKK_AES, key, 32), hk = cm_secret(s, CKK_GENERIC_SECRET, key, 32);
    /* HMAC and CMAC */
    static const struct {
        CK_MECHANISM_TYPE mech;
        const char *opt, *mac;
    } macs[] = {
        { CKM_SHA256_HMAC, "-digest SHA256", "HMAC" },
        { CKM_SHA384_HMAC, "-digest SHA384", "HMAC" },
        { CKM_SHA512_HMAC, "-digest SHA512", "HMAC" },
        { CKM_AES_CMAC, "-cipher AES-256-CBC", "CMAC" },
    };
    for (size_t i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
        CK_MECHANISM m = { macs[i].mech, NULL_PTR, 0 };
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_sign(s, &m, macs[i].mech == CKM_AES_CMAC ? aes : hk, buf, 1000, 99, out, &len), CKR_OK);
        assert_true(ossl("mac -binary -in data -out mac.bin %s -macopt hexkey:%s %s", macs[i].opt, khex, macs[i].mac));
        assert_int_equal(get("mac.bin", out2, sizeof(out2)), len);
        assert_memory_equal(out, out2, len);
    }
    /* AES modes, both ways */
    CK_AES_CTR_PARAMS ctr = { 128, { 0 } };
    memcpy(ctr.cb, iv, 16);
    static const struct {
        CK_MECHANISM_TYPE mech;
        const char *cipher;
        size_t n;
    } modes[] = {
        { CKM_AES_ECB, "aes-256-ecb -nopad", 992 },
        { CKM_AES_CBC, "aes-256-cbc -nopad", 992 },
        { CKM_AES_CBC_PAD, "aes-256-cbc", 1000 },
        { CKM_AES_CTR, "aes-256-ctr", 1000 },
    };
    put("data992", buf, 992);
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        CK_MECHANISM m = { modes[i].mech, iv, 16 };
        if (modes[i].mech == CKM_AES_CTR) {
            m.pParameter = &ctr;
            m.ulParameterLen = sizeof(ctr);
        } else if (modes[i].mech == CKM_AES_ECB) {
            m.pParameter = NULL_PTR;
            m.ulParameterLen = 0;
        }
        const char *in = modes[i].n == 992 ? "data992" : "data";
        const char *ivopt = modes[i].mech == CKM_AES_ECB ? "" : "-iv";
        CK_ULONG len = sizeof(out);
        assert_int_equal(cm_crypt(s, 0, &m, aes, buf, modes[i].n, 0, out, &len), CKR_OK);
        assert_true(ossl("enc -%s -K %s %s %s -in %s -out oct", modes[i].cipher, khex, ivopt,
                         modes[i].mech == CKM_AES_ECB ? "" : ivhex, in));
        size_t on = get("oct", out2, sizeof(out2));
        assert_int_equal(on, len);
        assert_memory_equal(out, out2, len);
        put("tct", out, len);
        assert_true(ossl("enc -d -%s -K %s %s %s -in tct -out opt", modes[i].cipher, khex, ivopt,
                         modes[i].mech == CKM_AES_ECB ? "" : ivhex));
        assert_int_equal(get("opt", out2, sizeof(out2)), modes[i].n);
        assert_memory_equal(out2, buf, modes[i].n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ecdsa_signatures_verify_both_ways, setup_ossl, teardown_ossl),
        cmocka_unit_test_setup_teardown(rsa_signatures_verify_both_ways, setup_ossl, teardown_ossl),
        cmocka_unit_test_setup_teardown(macs_and_aes_modes_agree_with_openssl, setup_ossl, teardown_ossl),
        cmocka_unit_test_setup_teardown(private_keys_wrap_as_openssls_pkcs8_both_ways, setup_ossl, teardown_ossl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
