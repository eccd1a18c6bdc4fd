/* Writes the seed corpus of a token fuzz target into a directory, made by
 * the library itself (no binary files live in git):
 *
 *   object    every object of the golden token and a key with allowed
 *             mechanisms, as stored (opened if sealed), each with a few
 *             templates (fuzz_object.c)
 *   records   the records of tokens in several states - fresh, PINs set,
 *             failed logins counted, a key pair cut by a power cut (its
 *             journal), objects of an earlier token - as the store holds
 *             them, sealed ones as their plaintext and a flag to seal them
 *             again (fuzz_records.c)
 *   template  valid templates for every way of making an object, each
 *             object class and key type (fuzz_template.c)
 *   keys      key material the token writes: PKCS#8 of its EC and RSA keys,
 *             the keys' parts, points, certificates (fuzz_keys.c)
 *   mech      every mechanism with a valid parameter and key (fuzz_mech.c)
 *   api       programs of C_* calls (fuzz_api.c)
 *   pki       the files the host's tools read: the test keys, certificates
 *             and a request, in PEM and DER, an encrypted key, names, a CA
 *             (fuzz_pki.c)
 *
 * usage: make_token_corpus TARGET DIR */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_token.h"
#include "nvt_crypto.h"
#include "nvt_kat.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"
#include "tok_attr.h"

#if NVT_FUZZ_PKI
#include <mbedtls/pem.h>

#include "nvt_crypto_pki.h"
#include "nvt_test_certs.h"
#include "nvt_test_pki.h"
#endif

/* The plain library uses the port's own entropy source. */
void nvt_fuzz_entropy_reset(uint64_t seed)
{
    (void)seed;
}

static const char *dir;
static unsigned files;

static void save(fz_out_t *o, const char *kind, unsigned n)
{
    char name[64];
    snprintf(name, sizeof(name), "seed-%s-%03u", kind, n);
    FZ_CHECK(fz_out_save(o, dir, name) == 0, "cannot write %s/%s", dir, name);
    files++;
}

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

/* ------------------------------------------------------------------------
 * object
 * ---------------------------------------------------------------------- */

static void object_seeds(void)
{
    static const char label[] = "relabelled";
    CK_ATTRIBUTE t_label[] = { { CKA_LABEL, (void *)(uintptr_t)label, sizeof(label) - 1 } };
    CK_ATTRIBUTE t_sens[] = { { CKA_SENSITIVE, &no, 1 }, { CKA_EXTRACTABLE, &yes, 1 } };
    CK_ATTRIBUTE t_token[] = { { CKA_TOKEN, &no, 1 }, { CKA_PRIVATE, &yes, 1 }, { CKA_MODIFIABLE, &no, 1 } };
    struct {
        const CK_ATTRIBUTE *a;
        CK_ULONG n;
    } tmpls[] = { { NULL, 0 }, { t_label, 1 }, { t_sens, 2 }, { t_token, 3 } };
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    /* and one with CKA_ALLOWED_MECHANISMS, which has CKF_ARRAY_ATTRIBUTE
     * but holds mechanisms, not attributes (a type the harness once read
     * as an attribute array) */
    static CK_OBJECT_CLASS sec = CKO_SECRET_KEY;
    static CK_KEY_TYPE aes = CKK_AES;
    static const CK_MECHANISM_TYPE mechs[] = { CKM_AES_CBC_PAD, CKM_AES_GCM, CKM_VENDOR_DEFINED | 1 };
    static const uint8_t value[16] = { 0x11 };
    CK_ATTRIBUTE limited[] = { { CKA_CLASS, &sec, sizeof(sec) },
                               { CKA_KEY_TYPE, &aes, sizeof(aes) },
                               { CKA_TOKEN, &yes, 1 },
                               { CKA_VALUE, (void *)(uintptr_t)value, sizeof(value) },
                               { CKA_ALLOWED_MECHANISMS, (void *)(uintptr_t)mechs, sizeof(mechs) } };
    CK_OBJECT_HANDLE h;
    FZ_CHECK(C_CreateObject(s, limited, sizeof(limited) / sizeof(limited[0]), &h) == CKR_OK, "allowed mechanisms");
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "finalize");
    /* every token object as the store holds it */
    nvt_store_t *st = fz_store();
    FZ_CHECK(fz_store_mount() == NVT_OK, "mount");
    nvt_store_id_t id = NVT_STORE_ID_NONE;
    static uint8_t buf[8192];
    unsigned n = 0;
    while (nvt_store_next(st, id, &id) == NVT_OK) {
        size_t len = 0;
        int sealed = 0;
        /* the plaintext the token's decoder reads (a sensitive object
         * opened with the device key) */
        if (id < NVT_TOKEN_ID_FIRST_OBJECT || fz_record_get(id, buf, sizeof(buf), &len, &sealed) != NVT_OK) {
            continue;
        }
        for (size_t k = 0; k < sizeof(tmpls) / sizeof(tmpls[0]); k++) {
            fz_out_t o = { NULL, 0, 0 };
            fz_put16(&o, (uint16_t)len);
            fz_put(&o, buf, len);
            fz_tmpl_write(&o, tmpls[k].a, tmpls[k].n);
            save(&o, "object", n++);
        }
    }
}

/* ------------------------------------------------------------------------
 * records
 * ---------------------------------------------------------------------- */

/* The store's records (after C_Finalize) as one input per flag value. */
static void records_dump(const char *kind, const unsigned *flags, size_t nflags)
{
    static unsigned n;
    static uint8_t buf[16384];
    FZ_CHECK(fz_store_mount() == NVT_OK, "mount");
    for (size_t f = 0; f < nflags; f++) {
        fz_out_t o = { NULL, 0, 0 };
        fz_put8(&o, (uint8_t)flags[f]);
        nvt_store_id_t id = NVT_STORE_ID_NONE;
        while (nvt_store_next(fz_store(), id, &id) == NVT_OK) {
            size_t len = 0;
            int sealed = 0;
            if (fz_record_get(id, buf, sizeof(buf), &len, &sealed) == NVT_OK && len < FZ_SEALED) {
                fz_put16(&o, id);
                fz_put16(&o, (uint16_t)(len | (sealed ? FZ_SEALED : 0u)));
                fz_put(&o, buf, len);
            }
        }
        save(&o, kind, n++);
    }
}

static CK_UTF8CHAR so_pin[] = FZ_SO_PIN, wrong_pin[] = "9999";

/* Golden token, then f(s) with a power cut at the k-th flash operation
 * (0: none); dumped. Returns 0 once a cut no longer happens. */
static int cut_run(void (*f)(CK_SESSION_HANDLE), uint32_t k, const char *kind)
{
    static const unsigned flags[] = { 1 };
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    nvt_flash_ram_cut_at(fz_flash(), k, NVT_FLASH_RAM_CUT_TORN);
    f(s);
    int cut = nvt_flash_ram_power_lost(fz_flash());
    (void)C_Finalize(NULL);
    nvt_flash_ram_power_on(fz_flash());
    records_dump(kind, flags, 1);
    return cut;
}

static void make_pair(CK_SESSION_HANDLE s)
{
    static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_MECHANISM m = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
    CK_ATTRIBUTE pub[] = { { CKA_TOKEN, &yes, 1 }, { CKA_EC_PARAMS, (void *)(uintptr_t)p256, sizeof(p256) } };
    CK_ATTRIBUTE priv[] = { { CKA_TOKEN, &yes, 1 }, { CKA_SIGN, &yes, 1 } };
    CK_OBJECT_HANDLE h1, h2;
    (void)C_GenerateKeyPair(s, &m, pub, 2, priv, 2, &h1, &h2);
}

static void reinit(CK_SESSION_HANDLE s)
{
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    (void)C_CloseSession(s);
    (void)C_InitToken(0, so_pin, sizeof(so_pin) - 1, label);
}

static void record_seeds(void)
{
    static const unsigned all[] = { 0, 1, 2, 3, 1 | 4, 1 | 8 };
    static const unsigned some[] = { 1, 2, 3 };
    CK_SESSION_HANDLE s;
    /* the golden token */
    fz_golden_reset(0, &s);
    (void)C_Finalize(NULL);
    records_dump("records", all, sizeof(all) / sizeof(all[0]));
    /* failed logins counted */
    fz_golden_reset(0, &s);
    for (int i = 0; i < 3; i++) {
        (void)C_Login(s, CKU_USER, wrong_pin, 4);
    }
    (void)C_Login(s, CKU_SO, wrong_pin, 4);
    (void)C_Finalize(NULL);
    records_dump("records", some, sizeof(some) / sizeof(some[0]));
    /* a fresh token without a user PIN */
    fz_flash_blank();
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "init");
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    FZ_CHECK(C_InitToken(0, so_pin, sizeof(so_pin) - 1, label) == CKR_OK, "init token");
    (void)C_Finalize(NULL);
    records_dump("records", some, sizeof(some) / sizeof(some[0]));
    /* a key pair and a new token, cut short at each flash operation: the
     * journal, stale objects of an earlier token */
    for (uint32_t k = 1; k < 64 && cut_run(make_pair, k, "records-pair"); k++) {
    }
    for (uint32_t k = 1; k < 64 && cut_run(reinit, k, "records-init"); k++) {
    }
}

/* ------------------------------------------------------------------------
 * template
 * ---------------------------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define AT(t, v) { (t), (void *)(uintptr_t)(v), sizeof(*(v)) }
#define AV(t, v, n) { (t), (void *)(uintptr_t)(v), (n) }

static void tmpl_seed(unsigned flags, unsigned op, unsigned obj, unsigned mech, const CK_ATTRIBUTE *t1, CK_ULONG n1,
                      const CK_ATTRIBUTE *t2, CK_ULONG n2, unsigned mode, const uint8_t *blob, size_t blob_len)
{
    static unsigned n;
    fz_out_t o = { NULL, 0, 0 };
    fz_put8(&o, (uint8_t)flags);
    fz_put8(&o, (uint8_t)op);
    fz_put8(&o, (uint8_t)obj);
    fz_put8(&o, (uint8_t)mech);
    fz_tmpl_write(&o, t1, n1);
    fz_tmpl_write(&o, t2, n2);
    fz_put8(&o, (uint8_t)mode);
    fz_put16(&o, (uint16_t)blob_len);
    fz_put(&o, blob, blob_len);
    save(&o, "template", n++);
}

static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };

/* The PKCS#8 encoding the token writes for private key golden object obj
 * (wrapped by the token, unwrapped here to its plain DER). */
static size_t pkcs8_of(CK_SESSION_HANDLE s, unsigned obj, uint8_t *der, size_t cap)
{
    CK_MECHANISM m = { CKM_AES_KEY_WRAP_PAD, NULL, 0 };
    uint8_t wrapped[4096];
    CK_ULONG len = sizeof(wrapped);
    size_t got = 0;
    if (C_WrapKey(s, &m, fz_obj[FZ_AES_KEK], fz_obj[obj], wrapped, &len) != CKR_OK ||
        nvt_crypto_aes_kw_unwrap(1, fz_kek_value, sizeof(fz_kek_value), wrapped, len, der, cap, &got) != NVT_OK) {
        return 0;
    }
    return got;
}

static void template_seeds(void)
{
    CK_OBJECT_CLASS data = CKO_DATA, cert = CKO_CERTIFICATE, sec = CKO_SECRET_KEY, priv = CKO_PRIVATE_KEY,
                    pub = CKO_PUBLIC_KEY;
    CK_KEY_TYPE aes = CKK_AES, gen = CKK_GENERIC_SECRET, ec = CKK_EC;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    CK_ULONG len16 = 16, len32 = 32;
    static const uint8_t value16[16] = { 7 }, label[] = "fuzz";
    uint8_t der[512], point[67];
    size_t der_len = fz_make_cert(der, 42, "issuer", "subject");
    point[0] = 0x04;
    point[1] = 65;
    memcpy(point + 2, fz_ec_point, 65);

    for (unsigned tok = 0; tok < 2; tok++) {
        CK_BBOOL *token = tok ? &yes : &no;
        CK_ATTRIBUTE t_data[] = { AT(CKA_CLASS, &data), AT(CKA_TOKEN, token), AV(CKA_LABEL, label, 4),
                                  AV(CKA_VALUE, value16, 16), AT(CKA_PRIVATE, &no) };
        CK_ATTRIBUTE t_cert[] = { AT(CKA_CLASS, &cert), AT(CKA_CERTIFICATE_TYPE, &x509), AT(CKA_TOKEN, token),
                                  AV(CKA_VALUE, der, der_len) };
        CK_ATTRIBUTE t_aes[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &aes), AT(CKA_TOKEN, token),
                                 AV(CKA_VALUE, value16, 16), AT(CKA_EXTRACTABLE, &yes), AT(CKA_SENSITIVE, &no) };
        CK_ATTRIBUTE t_gen[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &gen), AT(CKA_TOKEN, token),
                                 AV(CKA_VALUE, value16, 16), AT(CKA_SIGN, &yes) };
        CK_ATTRIBUTE t_ecpriv[] = { AT(CKA_CLASS, &priv), AT(CKA_KEY_TYPE, &ec), AT(CKA_TOKEN, token),
                                    AV(CKA_EC_PARAMS, p256, sizeof(p256)), AV(CKA_VALUE, fz_ec_d, 32) };
        CK_ATTRIBUTE t_ecpub[] = { AT(CKA_CLASS, &pub), AT(CKA_KEY_TYPE, &ec), AT(CKA_TOKEN, token),
                                   AV(CKA_EC_PARAMS, p256, sizeof(p256)), AV(CKA_EC_POINT, point, sizeof(point)) };
        unsigned fl = tok ? 1 : 0;
        tmpl_seed(fl, 0, 0, 0, t_data, N(t_data), NULL, 0, 0, NULL, 0);
        tmpl_seed(fl, 0, 0, 0, t_cert, N(t_cert), NULL, 0, 0, NULL, 0);
        tmpl_seed(fl | 1, 0, 0, 0, t_aes, N(t_aes), NULL, 0, 0, NULL, 0);
        tmpl_seed(fl | 1, 0, 0, 0, t_gen, N(t_gen), NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 0, 0, 0, t_ecpriv, N(t_ecpriv), NULL, 0, 0, NULL, 0);
        tmpl_seed(fl, 0, 0, 0, t_ecpub, N(t_ecpub), NULL, 0, 0, NULL, 0);
        /* generated keys */
        CK_ATTRIBUTE g_aes[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &aes), AT(CKA_VALUE_LEN, &len16),
                                 AT(CKA_TOKEN, token) };
        CK_ATTRIBUTE g_gen[] = { AT(CKA_VALUE_LEN, &len32), AT(CKA_TOKEN, token), AT(CKA_SIGN, &yes) };
        tmpl_seed(1, 3, 0, 0, g_aes, N(g_aes), NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 3, 0, 1, g_gen, N(g_gen), NULL, 0, 0, NULL, 0);
        CK_ATTRIBUTE p_pub[] = { AV(CKA_EC_PARAMS, p256, sizeof(p256)), AT(CKA_TOKEN, token), AT(CKA_VERIFY, &yes) };
        CK_ATTRIBUTE p_priv[] = { AT(CKA_TOKEN, token), AT(CKA_SIGN, &yes), AT(CKA_DERIVE, &yes),
                                  AT(CKA_EXTRACTABLE, &no) };
        tmpl_seed(1, 4, 0, 0, p_pub, N(p_pub), p_priv, N(p_priv), 0, NULL, 0);
        /* derived */
        CK_ATTRIBUTE d_aes[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &aes), AT(CKA_VALUE_LEN, &len16),
                                 AT(CKA_TOKEN, token) };
        CK_ATTRIBUTE d_gen[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &gen), AT(CKA_TOKEN, token) };
        tmpl_seed(1, 6, FZ_EC_PRIV, 0, d_aes, N(d_aes), NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 6, FZ_EC_PRIV, 0, d_gen, N(d_gen), NULL, 0, 0, NULL, 0);
        /* unwrapped: a secret value, and the token's own PKCS#8 encodings */
        CK_ATTRIBUTE u_aes[] = { AT(CKA_CLASS, &sec), AT(CKA_KEY_TYPE, &aes), AT(CKA_TOKEN, token) };
        tmpl_seed(1, 5, FZ_AES_KEK, 0, u_aes, N(u_aes), NULL, 0, 0, value16, 16);
        tmpl_seed(1, 5, FZ_AES_KEK, 1, u_aes, N(u_aes), NULL, 0, 0, value16, 16);
        CK_ATTRIBUTE u_priv[] = { AT(CKA_CLASS, &priv), AT(CKA_TOKEN, token), AT(CKA_SIGN, &yes) };
        CK_SESSION_HANDLE s;
        fz_golden_reset(1, &s);
        static uint8_t p8[4096];
        size_t p8_len = pkcs8_of(s, FZ_EC_OPEN, p8, sizeof(p8));
        if (p8_len > 0) {
            tmpl_seed(1, 5, FZ_AES_KEK, 1, u_priv, N(u_priv), NULL, 0, 0, p8, p8_len);
            tmpl_seed(1, 5, FZ_AES_KEK, 0, u_priv, N(u_priv), NULL, 0, 0, p8, p8_len);
        }
        (void)C_Finalize(NULL);
    }
    /* a key with attribute arrays, made and changed */
    {
        CK_OBJECT_CLASS sc = CKO_SECRET_KEY;
        CK_KEY_TYPE at = CKK_AES;
        CK_ATTRIBUTE inner[] = { AT(CKA_KEY_TYPE, &at), AT(CKA_EXTRACTABLE, &yes), AV(CKA_LABEL, "in", 2) };
        CK_ATTRIBUTE t_arr[] = { AT(CKA_CLASS, &sc), AT(CKA_KEY_TYPE, &at), AV(CKA_VALUE, value16, 16),
                                 AT(CKA_WRAP, &yes), AV(CKA_WRAP_TEMPLATE, inner, sizeof(inner)),
                                 AV(CKA_UNWRAP_TEMPLATE, inner, sizeof(inner)),
                                 AV(CKA_DERIVE_TEMPLATE, inner + 1, 2 * sizeof(inner[0])) };
        tmpl_seed(1, 0, 0, 0, t_arr, N(t_arr), NULL, 0, 0, NULL, 0);
        CK_ATTRIBUTE s_arr[] = { AV(CKA_WRAP_TEMPLATE, inner, sizeof(inner)) };
        tmpl_seed(1, 2, FZ_AES_TEMPLATED, 0, s_arr, 1, NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 1, FZ_AES_TEMPLATED, 0, s_arr, 1, NULL, 0, 0, NULL, 0);
        /* unwrapping and deriving under the templated key */
        CK_ATTRIBUTE u_aes2[] = { AT(CKA_CLASS, &sc), AT(CKA_KEY_TYPE, &at) };
        tmpl_seed(1, 5, FZ_AES_TEMPLATED, 0, u_aes2, N(u_aes2), NULL, 0, 0, value16, 16);
    }
    /* copies and changes of every golden object */
    CK_ATTRIBUTE c_label[] = { AV(CKA_LABEL, label, 4) };
    CK_ATTRIBUTE c_token[] = { AT(CKA_TOKEN, &no), AT(CKA_MODIFIABLE, &no) };
    CK_ATTRIBUTE s_sens[] = { AT(CKA_SENSITIVE, &yes), AT(CKA_EXTRACTABLE, &no) };
    CK_ATTRIBUTE s_id[] = { AV(CKA_ID, label, 4), AT(CKA_COPYABLE, &no) };
    for (unsigned obj = 0; obj < FZ_OBJS; obj++) {
        tmpl_seed(1, 1, obj, 0, c_label, 1, NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 1, obj, 0, c_token, 2, NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 2, obj, 0, s_sens, 2, NULL, 0, 0, NULL, 0);
        tmpl_seed(1, 2, obj, 0, s_id, 2, NULL, 0, 0, NULL, 0);
    }
}

/* ------------------------------------------------------------------------
 * keys
 * ---------------------------------------------------------------------- */

/* A seed of a target whose input is a kind byte and what the kind reads
 * (fuzz_keys, fuzz_pki): \p pre, then \p b; saved as seed-TARGET-NNN. */
static void kind_seed(const char *target, unsigned *n, unsigned kind, const void *pre, size_t pre_len,
                      const void *b, size_t len)
{
    fz_out_t o = { NULL, 0, 0 };
    fz_put8(&o, (uint8_t)kind);
    fz_put(&o, pre, pre_len);
    fz_put(&o, b, len);
    save(&o, target, (*n)++);
}

static void key_seed(unsigned kind, const uint8_t *pre, size_t pre_len, const uint8_t *b, size_t len)
{
    static unsigned n;
    kind_seed("keys", &n, kind, pre, pre_len, b, len);
}

/* The contents of the privateKey OCTET STRING of a PrivateKeyInfo. */
static const uint8_t *private_key_of(const uint8_t *der, size_t len, size_t *out_len)
{
    size_t i = 1;
    i += der[i] < 0x80 ? 1 : 1 + (der[i] & 0x7f); /* outer header */
    i += 3;                                     /* version */
    i += 2 + der[i + 1];                        /* AlgorithmIdentifier (short) */
    if (i + 2 > len || der[i] != 0x04) {
        return NULL;
    }
    size_t n = der[i + 1], h = 2;
    if (n & 0x80) {
        size_t k = n & 0x7f;
        n = 0;
        for (size_t j = 0; j < k; j++) {
            n = n << 8 | der[i + 2 + j];
        }
        h += k;
    }
    *out_len = n;
    return i + h + n <= len ? der + i + h : NULL;
}

static void key_seeds(void)
{
    static uint8_t p8[4096], parts[8][600];
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    /* an extractable RSA key, to have its PKCS#8 */
    CK_OBJECT_CLASS priv = CKO_PRIVATE_KEY;
    CK_KEY_TYPE rsa = CKK_RSA;
    const kat_rsa_key_t *k = &kat_rsa_key_a;
    const char *hex[8] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->qi };
    size_t len[8];
    for (int i = 0; i < 8; i++) {
        len[i] = kat_hex(hex[i], parts[i], sizeof(parts[i]));
    }
    CK_ATTRIBUTE t[] = { AT(CKA_CLASS, &priv), AT(CKA_KEY_TYPE, &rsa), AT(CKA_EXTRACTABLE, &yes),
                         AV(CKA_MODULUS, parts[0], len[0]), AV(CKA_PUBLIC_EXPONENT, parts[1], len[1]),
                         AV(CKA_PRIVATE_EXPONENT, parts[2], len[2]), AV(CKA_PRIME_1, parts[3], len[3]),
                         AV(CKA_PRIME_2, parts[4], len[4]), AV(CKA_EXPONENT_1, parts[5], len[5]),
                         AV(CKA_EXPONENT_2, parts[6], len[6]), AV(CKA_COEFFICIENT, parts[7], len[7]) };
    CK_OBJECT_HANDLE h;
    FZ_CHECK(C_CreateObject(s, t, N(t), &h) == CKR_OK, "extractable RSA key");
    uint8_t zero = 0, one = 1;
    CK_OBJECT_HANDLE keys[2] = { fz_obj[FZ_EC_OPEN], h };
    for (int i = 0; i < 2; i++) {
        CK_MECHANISM m = { CKM_AES_KEY_WRAP_PAD, NULL, 0 };
        uint8_t wrapped[4096];
        CK_ULONG wl = sizeof(wrapped);
        size_t got = 0;
        FZ_CHECK(C_WrapKey(s, &m, fz_obj[FZ_AES_KEK], keys[i], wrapped, &wl) == CKR_OK &&
                     nvt_crypto_aes_kw_unwrap(1, fz_kek_value, sizeof(fz_kek_value), wrapped, wl, p8, sizeof(p8),
                                              &got) == NVT_OK,
                 "the token's PKCS#8");
        key_seed(0, &one, 1, p8, got);
        key_seed(0, &zero, 1, p8, got);
        size_t inner_len = 0;
        const uint8_t *inner = private_key_of(p8, got, &inner_len);
        FZ_CHECK(inner != NULL, "PKCS#8 privateKey");
        if (i == 0) {
            uint8_t pre[2] = { 0, 1 }; /* P-256, KWP */
            key_seed(1, pre, 2, inner, inner_len);
        } else {
            key_seed(2, NULL, 0, inner, inner_len);
        }
    }
    (void)C_Finalize(NULL);
    /* points: DER and bare, P-256 and P-384; private values */
    uint8_t pt[100], c0 = 0, c1 = 1;
    pt[0] = 0x04;
    pt[1] = 65;
    memcpy(pt + 2, fz_ec_point, 65);
    key_seed(3, &c0, 1, pt, 67);
    key_seed(3, &c0, 1, fz_ec_point, 65);
    key_seed(3, &c0, 1, fz_ec_d, 32);
    size_t n384 = kat_hex(kat_ecdhs[1].peer, pt, sizeof(pt));
    key_seed(3, &c1, 1, pt, n384);
    /* RSA components */
    fz_out_t o = { NULL, 0, 0 };
    fz_put8(&o, 4);
    for (int i = 0; i < 8; i++) {
        fz_put16(&o, (uint16_t)len[i]);
        fz_put(&o, parts[i], len[i]);
    }
    save(&o, "keys-rsa", 0);
    o = (fz_out_t){ NULL, 0, 0 };
    fz_put8(&o, 4);
    for (int i = 0; i < 8; i++) {
        size_t l = i < 3 ? len[i] : 0; /* n, e, d only: the rest computed */
        fz_put16(&o, (uint16_t)l);
        fz_put(&o, parts[i], l);
    }
    save(&o, "keys-rsa", 1);
    /* certificates */
    uint8_t der[512];
    size_t der_len = fz_make_cert(der, 1, "CA", "device");
    key_seed(5, NULL, 0, der, der_len);
    der_len = fz_make_cert(der, 0xFFFFFFFFu, "a rather longer issuer name, for a long form length",
                           "and a subject name");
    key_seed(5, NULL, 0, der, der_len);
    /* key wrap: 16 and 13 bytes, KW and KWP; a wrapped blob */
    static const uint8_t v[24] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
    uint8_t f0 = 0, f1 = 1, f3 = 3, w[40];
    key_seed(6, &f0, 1, v, 16);
    key_seed(6, &f1, 1, v, 13);
    key_seed(6, &f0, 1, v, 24);
    size_t wl = 0;
    if (nvt_crypto_aes_kw_wrap(1, fz_kek_value, 16, v, 13, w, sizeof(w), &wl) == NVT_OK) {
        key_seed(6, &f3, 1, w, wl);
    }
}

/* ------------------------------------------------------------------------
 * mech
 * ---------------------------------------------------------------------- */

/* One input: function, key, other key, output mode, the mechanism (written
 * by mech(o)), data. */
static void mech_seed(unsigned fn, unsigned key, unsigned other, unsigned mode, void (*mech)(fz_out_t *, const void *),
                      const void *arg, const uint8_t *d, size_t len)
{
    static unsigned n;
    fz_out_t o = { NULL, 0, 0 };
    fz_put8(&o, (uint8_t)fn);
    fz_put8(&o, (uint8_t)key);
    fz_put8(&o, (uint8_t)other);
    fz_put8(&o, (uint8_t)mode);
    mech(&o, arg);
    fz_put16(&o, (uint16_t)len);
    fz_put(&o, d, len);
    save(&o, "mech", n++);
}

typedef struct raw_mech {
    CK_MECHANISM_TYPE type;
    const void *p;
    size_t len;
} raw_mech_t;

static void m_raw(fz_out_t *o, const void *arg)
{
    const raw_mech_t *r = arg;
    fz_mech_write_raw(o, r->type, r->p, r->len);
}

static void m_gcm_new(fz_out_t *o, const void *arg)
{
    static const uint8_t iv[12] = { 1 }, aad[5] = { 2 };
    (void)arg;
    fz_mech_write_gcm(o, iv, sizeof(iv), aad, sizeof(aad), 128, 1);
}

static void m_gcm_old(fz_out_t *o, const void *arg)
{
    static const uint8_t iv[16] = { 3 };
    (void)arg;
    fz_mech_write_gcm(o, iv, sizeof(iv), NULL, 0, 96, 0);
}

static void m_ctr(fz_out_t *o, const void *arg)
{
    static const uint8_t cb[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff };
    (void)arg;
    fz_mech_write_ctr(o, 32, cb);
}

static void m_oaep(fz_out_t *o, const void *arg)
{
    static const uint8_t label[] = "label";
    (void)arg;
    fz_mech_write_oaep(o, CKM_SHA256, CKG_MGF1_SHA256, CKZ_DATA_SPECIFIED, label, 5);
}

static void m_oaep_sha1(fz_out_t *o, const void *arg)
{
    (void)arg;
    fz_mech_write_oaep(o, CKM_SHA_1, CKG_MGF1_SHA1, CKZ_DATA_SPECIFIED, NULL, 0);
}

static void m_pss(fz_out_t *o, const void *arg)
{
    fz_mech_write_pss(o, *(const CK_MECHANISM_TYPE *)arg, CKM_SHA256, CKG_MGF1_SHA256, 32);
}

static void m_ecdh(fz_out_t *o, const void *arg)
{
    uint8_t der[67];
    der[0] = 0x04;
    der[1] = 65;
    memcpy(der + 2, fz_peer_point, 65);
    if (arg != NULL) {
        fz_mech_write_ecdh(o, CKD_NULL, NULL, 0, der, sizeof(der));
    } else {
        fz_mech_write_ecdh(o, CKD_NULL, NULL, 0, fz_peer_point, sizeof(fz_peer_point));
    }
}

static void mech_seeds(void)
{
    enum { F_ENCRYPT, F_DECRYPT, F_SIGN, F_VERIFY, F_DIGEST, F_WRAP, F_UNWRAP, F_DERIVE, F_GENKEY, F_PAIR };
    static const uint8_t iv[16] = { 9 }, kw_iv[8] = { 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6, 0xA6 };
    uint8_t d[512];
    memset(d, 0x61, sizeof(d));
    static const raw_mech_t ecb = { CKM_AES_ECB, NULL, 0 }, cbc = { CKM_AES_CBC, iv, 16 },
                            cbc_pad = { CKM_AES_CBC_PAD, iv, 16 }, rsa = { CKM_RSA_PKCS, NULL, 0 },
                            x509 = { CKM_RSA_X_509, NULL, 0 }, ecdsa = { CKM_ECDSA, NULL, 0 },
                            ecdsa256 = { CKM_ECDSA_SHA256, NULL, 0 }, hmac = { CKM_SHA256_HMAC, NULL, 0 },
                            cmac = { CKM_AES_CMAC, NULL, 0 }, rsa256 = { CKM_SHA256_RSA_PKCS, NULL, 0 },
                            sha256 = { CKM_SHA256, NULL, 0 }, sha512 = { CKM_SHA512, NULL, 0 },
                            kw = { CKM_AES_KEY_WRAP, kw_iv, 8 }, kwp = { CKM_AES_KEY_WRAP_PAD, NULL, 0 },
                            aesgen = { CKM_AES_KEY_GEN, NULL, 0 }, ecgen = { CKM_EC_KEY_PAIR_GEN, NULL, 0 };
    static const CK_MECHANISM_TYPE pss = CKM_RSA_PKCS_PSS, pss256 = CKM_SHA256_RSA_PKCS_PSS;
    for (unsigned mode = 0; mode < 3; mode++) {
        mech_seed(F_ENCRYPT, FZ_AES_256, 0, mode, m_raw, &ecb, d, 32);
        mech_seed(F_ENCRYPT, FZ_AES_256, 0, mode, m_raw, &cbc, d, 48);
        mech_seed(F_ENCRYPT, FZ_AES_256, 0, mode, m_raw, &cbc_pad, d, 21);
        mech_seed(F_DECRYPT, FZ_AES_256, 0, mode, m_raw, &cbc_pad, d, 32);
        mech_seed(F_ENCRYPT, FZ_AES_256, 0, mode, m_ctr, NULL, d, 40);
        mech_seed(F_ENCRYPT, FZ_AES_256, 0, mode, m_gcm_new, NULL, d, 33);
        mech_seed(F_DECRYPT, FZ_AES_256, 0, mode, m_gcm_old, NULL, d, 40);
        mech_seed(F_SIGN, FZ_AES_256, 0, mode, m_raw, &cmac, d, 20);
        mech_seed(F_SIGN, FZ_HMAC, 0, mode, m_raw, &hmac, d, 20);
        mech_seed(F_DIGEST, 0, 0, mode, m_raw, &sha256, d, 100);
        mech_seed(F_SIGN, FZ_EC_PRIV, 0, mode, m_raw, &ecdsa, d, 32);
    }
    mech_seed(F_DIGEST, 0, 0, 0, m_raw, &sha512, d, 0);
    mech_seed(F_SIGN, FZ_EC384_PRIV, 0, 0, m_raw, &ecdsa256, d, 10);
    mech_seed(F_VERIFY, FZ_EC_PUB, 0, 0, m_raw, &ecdsa, d, 32 + 64);
    mech_seed(F_VERIFY, FZ_HMAC, 0, 0, m_raw, &hmac, d, 20 + 32);
    mech_seed(F_ENCRYPT, FZ_RSA_PUB, 0, 0, m_raw, &rsa, d, 20);
    mech_seed(F_ENCRYPT, FZ_RSA_PUB, 0, 1, m_oaep, NULL, d, 20);
    mech_seed(F_ENCRYPT, FZ_RSA_PUB, 0, 0, m_oaep_sha1, NULL, d, 20);
    mech_seed(F_DECRYPT, FZ_RSA_PRIV, 0, 0, m_oaep, NULL, d, 256);
    mech_seed(F_ENCRYPT, FZ_RSA_PUB, 0, 0, m_raw, &x509, d, 256);
    mech_seed(F_SIGN, FZ_RSA_PRIV, 0, 0, m_raw, &rsa, d, 35);
    mech_seed(F_SIGN, FZ_RSA_PRIV, 0, 2, m_raw, &rsa256, d, 100);
    mech_seed(F_SIGN, FZ_RSA_PRIV, 0, 0, m_pss, &pss, d, 32);
    mech_seed(F_VERIFY, FZ_RSA_PUB, 0, 0, m_pss, &pss256, d, 32 + 256);
    mech_seed(F_WRAP, FZ_AES_KEK, FZ_SECRET_OPEN, 0, m_raw, &kw, NULL, 0);
    mech_seed(F_WRAP, FZ_AES_KEK, FZ_EC_OPEN, 0, m_raw, &kwp, NULL, 0);
    mech_seed(F_DERIVE, FZ_EC_PRIV, 0, 0, m_ecdh, "der", NULL, 0);
    mech_seed(F_DERIVE, FZ_EC_PRIV, 0, 0, m_ecdh, NULL, NULL, 0);
    mech_seed(F_GENKEY, 0, 0, 0, m_raw, &aesgen, NULL, 0);
    mech_seed(F_PAIR, 0, 0, 0, m_raw, &ecgen, NULL, 0);
    /* unwrap what the token wrapped */
    CK_SESSION_HANDLE s;
    fz_golden_reset(1, &s);
    CK_OBJECT_HANDLE what[2] = { fz_obj[FZ_SECRET_OPEN], fz_obj[FZ_EC_OPEN] };
    const raw_mech_t *how[2] = { &kw, &kwp };
    for (int i = 0; i < 2; i++) {
        CK_MECHANISM m = { how[i]->type, NULL, 0 };
        uint8_t w[1024];
        CK_ULONG wl = sizeof(w);
        FZ_CHECK(C_WrapKey(s, &m, fz_obj[FZ_AES_KEK], what[i], w, &wl) == CKR_OK, "wrap");
        mech_seed(F_UNWRAP, FZ_AES_KEK, i ? FZ_EC_OPEN : FZ_SECRET_OPEN, 0, m_raw, how[i], w, wl);
    }
    (void)C_Finalize(NULL);
}

/* ------------------------------------------------------------------------
 * api: programs of calls (the encoding of fuzz_api.c's call())
 * ---------------------------------------------------------------------- */

enum {
    OP_OPEN, OP_CLOSE, OP_CLOSE_ALL, OP_LOGIN, OP_LOGOUT, OP_INIT_TOKEN, OP_INIT_PIN, OP_SET_PIN,
    OP_CREATE, OP_CREATE_FUZZ, OP_COPY, OP_DESTROY, OP_GET, OP_SET, OP_FIND_INIT, OP_FIND, OP_FIND_FINAL,
    OP_INIT, OP_SINGLE, OP_UPDATE, OP_FINAL, OP_GENKEY, OP_PAIR, OP_WRAP, OP_UNWRAP, OP_DERIVE, OP_RANDOM,
    OP_INFO, OP_SIZE, OP_DIGEST_KEY
};
enum { K_ENCRYPT, K_DECRYPT, K_SIGN, K_VERIFY, K_DIGEST };
/* fuzz_api.c's tables: mechanisms by index, PINs by index, users by index */
enum { M_ECB, M_CBC, M_CBC_PAD, M_CTR, M_GCM, M_ECDSA, M_ECDSA_SHA256, M_HMAC, M_CMAC, M_SHA256, M_RSA_PKCS,
       M_SHA256_RSA, M_PSS, M_OAEP, M_HMAC384, M_SHA512 };
enum { P_SO, P_USER, P_WRONG, P_EMPTY, P_LONG, P_ABCD, P_NEW1, P_NEW2 };
enum { U_USER, U_SO, U_CONTEXT, U_BAD };
/* flags of a canned template: 2 bits per boolean (given, value) in the
 * order TOKEN, PRIVATE, SENSITIVE, EXTRACTABLE, MODIFIABLE, COPYABLE,
 * DESTROYABLE */
#define T_TOKEN 0x0003u
#define T_PUBLIC 0x0004u
#define T_OPEN 0x00d0u /* not sensitive, extractable */

static void b(fz_out_t *o, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        fz_put8(o, (uint8_t)va_arg(ap, int));
    }
    va_end(ap);
}

static void api_seeds(void)
{
    unsigned n = 0;
    static const CK_ATTRIBUTE none[1];
    fz_out_t o = { NULL, 0, 0 };
    /* 1: EC signature, length query then the signature; verify */
    b(&o, 5, OP_INIT, 0, K_SIGN, M_ECDSA, FZ_EC_PRIV);
    b(&o, 3, OP_SINGLE, 0, K_SIGN); fz_put16(&o, 32); fz_put8(&o, 0);
    b(&o, 3, OP_SINGLE, 0, K_SIGN); fz_put16(&o, 32); fz_put8(&o, 2);
    b(&o, 5, OP_INIT, 0, K_VERIFY, M_ECDSA, FZ_EC_PUB);
    b(&o, 3, OP_SINGLE, 0, K_VERIFY); fz_put16(&o, 96); fz_put8(&o, 2);
    save(&o, "api", n++);
    /* 2: AES-CBC and GCM, multi-part, buffers too small */
    b(&o, 5, OP_INIT, 0, K_ENCRYPT, M_CBC_PAD, FZ_AES_256);
    b(&o, 3, OP_UPDATE, 0, K_ENCRYPT); fz_put16(&o, 33); fz_put8(&o, 1);
    b(&o, 3, OP_UPDATE, 0, K_ENCRYPT); fz_put16(&o, 33); fz_put8(&o, 2);
    b(&o, 4, OP_FINAL, 0, K_ENCRYPT, 0);
    b(&o, 4, OP_FINAL, 0, K_ENCRYPT, 2);
    b(&o, 5, OP_INIT, 0, K_DECRYPT, M_GCM, FZ_AES_256);
    b(&o, 3, OP_UPDATE, 0, K_DECRYPT); fz_put16(&o, 40); fz_put8(&o, 2);
    b(&o, 4, OP_FINAL, 0, K_DECRYPT, 2);
    save(&o, "api", n++);
    /* 3: a token data object made, found, read, changed, copied, destroyed */
    b(&o, 4, OP_CREATE, 0, 'x', 0); fz_put16(&o, T_TOKEN | T_PUBLIC);
    b(&o, 2, OP_FIND_INIT, 0); fz_tmpl_write(&o, none, 0);
    b(&o, 3, OP_FIND, 0, 8);
    b(&o, 2, OP_FIND_FINAL, 0);
    b(&o, 8, OP_GET, 0, FZ_OBJS, 1, 3, 2, 5, 3);
    CK_ATTRIBUTE relabel = { CKA_LABEL, (void *)(uintptr_t)"relabelled", 10 };
    b(&o, 3, OP_SET, 0, FZ_OBJS); fz_tmpl_write(&o, &relabel, 1);
    b(&o, 4, OP_COPY, 0, FZ_OBJS, 'y'); fz_put16(&o, T_TOKEN);
    b(&o, 3, OP_DESTROY, 0, FZ_OBJS);
    b(&o, 3, OP_SIZE, 0, FZ_OBJS + 1);
    save(&o, "api", n++);
    /* 4: sessions and the SO: PINs set and changed */
    b(&o, 2, OP_OPEN, 0);
    b(&o, 2, OP_OPEN, 1);
    b(&o, 2, OP_LOGOUT, 0);
    b(&o, 4, OP_LOGIN, 1, U_SO, P_SO);
    b(&o, 2, OP_CLOSE, 1);
    b(&o, 4, OP_LOGIN, 2, U_SO, P_SO);
    b(&o, 3, OP_INIT_PIN, 2, P_NEW1);
    b(&o, 4, OP_SET_PIN, 2, P_SO, P_NEW2);
    b(&o, 2, OP_INFO, 2);
    b(&o, 2, OP_LOGOUT, 2);
    b(&o, 4, OP_LOGIN, 2, U_USER, P_WRONG);
    b(&o, 4, OP_LOGIN, 2, U_USER, P_NEW1);
    b(&o, 4, OP_SET_PIN, 2, P_NEW1, P_ABCD);
    save(&o, "api", n++);
    /* 5: a new token */
    b(&o, 2, OP_CLOSE_ALL, 0);
    b(&o, 3, OP_INIT_TOKEN, 3, P_SO);
    b(&o, 2, OP_OPEN, 1);
    b(&o, 4, OP_LOGIN, 1, U_SO, P_SO);
    b(&o, 3, OP_INIT_PIN, 1, P_USER);
    b(&o, 2, OP_LOGOUT, 1);
    b(&o, 4, OP_LOGIN, 1, U_USER, P_USER);
    b(&o, 4, OP_CREATE, 1, 'k', 1); fz_put16(&o, T_TOKEN);
    save(&o, "api", n++);
    /* 6: wrap and unwrap, secret and private */
    b(&o, 6, OP_WRAP, 0, 1, FZ_AES_KEK, FZ_EC_OPEN, 0);
    b(&o, 6, OP_WRAP, 0, 1, FZ_AES_KEK, FZ_EC_OPEN, 2);
    b(&o, 6, OP_UNWRAP, 0, 1, FZ_AES_KEK, 'u', 1); fz_put16(&o, T_TOKEN);
    b(&o, 6, OP_WRAP, 0, 0, FZ_AES_KEK, FZ_SECRET_OPEN, 2);
    b(&o, 6, OP_UNWRAP, 0, 0, FZ_AES_KEK, 'v', 0); fz_put16(&o, 0);
    save(&o, "api", n++);
    /* 7: keys generated and derived */
    b(&o, 4, OP_GENKEY, 0, 1, 'g'); fz_put16(&o, T_TOKEN);
    b(&o, 4, OP_GENKEY, 0, 0, 'h'); fz_put16(&o, 0);
    b(&o, 4, OP_PAIR, 0, 'p', 'q'); fz_put16(&o, T_TOKEN); fz_put16(&o, T_TOKEN | 0x8000u);
    b(&o, 4, OP_DERIVE, 0, FZ_EC_PRIV, 'd'); fz_put16(&o, T_TOKEN);
    b(&o, 3, OP_DIGEST_KEY, 0, FZ_SECRET_OPEN);
    save(&o, "api", n++);
    /* 8: operations interleaved across sessions and kinds */
    b(&o, 2, OP_OPEN, 1);
    b(&o, 5, OP_INIT, 0, K_SIGN, M_HMAC, FZ_HMAC);
    b(&o, 5, OP_INIT, 1, K_DIGEST, M_SHA256, 0);
    b(&o, 3, OP_UPDATE, 0, K_SIGN); fz_put16(&o, 100); fz_put8(&o, 0);
    b(&o, 3, OP_UPDATE, 1, K_DIGEST); fz_put16(&o, 100); fz_put8(&o, 0);
    b(&o, 5, OP_INIT, 0, K_ENCRYPT, M_CTR, FZ_AES_256);
    b(&o, 3, OP_SINGLE, 0, K_ENCRYPT); fz_put16(&o, 20); fz_put8(&o, 1);
    b(&o, 3, OP_SINGLE, 0, K_ENCRYPT); fz_put16(&o, 20); fz_put8(&o, 2);
    b(&o, 4, OP_FINAL, 0, K_SIGN, 1);
    b(&o, 4, OP_FINAL, 0, K_SIGN, 2);
    b(&o, 3, OP_DIGEST_KEY, 1, FZ_SECRET_OPEN);
    b(&o, 4, OP_FINAL, 1, K_DIGEST, 2);
    b(&o, 5, OP_INIT, 1, K_SIGN, M_CMAC, FZ_AES_256);
    b(&o, 2, OP_CLOSE, 1);
    b(&o, 3, OP_RANDOM, 0, 32);
    save(&o, "api", n++);
    /* 9: RSA, and wrong PINs until locked */
    b(&o, 5, OP_INIT, 0, K_SIGN, M_SHA256_RSA, FZ_RSA_PRIV);
    b(&o, 3, OP_UPDATE, 0, K_SIGN); fz_put16(&o, 50); fz_put8(&o, 0);
    b(&o, 4, OP_FINAL, 0, K_SIGN, 0);
    b(&o, 4, OP_FINAL, 0, K_SIGN, 2);
    b(&o, 5, OP_INIT, 0, K_DECRYPT, M_OAEP, FZ_RSA_PRIV);
    b(&o, 3, OP_SINGLE, 0, K_DECRYPT); fz_put16(&o, 256); fz_put8(&o, 2);
    b(&o, 2, OP_LOGOUT, 0);
    for (int i = 0; i < 6; i++) {
        b(&o, 4, OP_LOGIN, 0, U_USER, P_WRONG);
    }
    b(&o, 4, OP_LOGIN, 0, U_USER, P_USER);
    b(&o, 2, OP_INFO, 0);
    save(&o, "api", n++);
    /* 10: a fuzzed template, and a search by one */
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE t[] = { AT(CKA_CLASS, &cls), AV(CKA_LABEL, "z", 1) };
    b(&o, 3, OP_CREATE_FUZZ, 0, 'z'); fz_tmpl_write(&o, t, 2);
    b(&o, 2, OP_FIND_INIT, 0); fz_tmpl_write(&o, t, 1);
    b(&o, 3, OP_FIND, 0, 2);
    b(&o, 3, OP_FIND, 0, 0);
    b(&o, 2, OP_FIND_FINAL, 0);
    save(&o, "api", n++);
    /* 11: session objects that fill the pool (the target's: 4 KiB), then
     * one grown */
    static uint8_t big[1950];
    CK_OBJECT_CLASS data = CKO_DATA;
    CK_ATTRIBUTE t_big[] = { AT(CKA_CLASS, &data), AV(CKA_VALUE, big, sizeof(big)) };
    CK_ATTRIBUTE t_small[] = { AT(CKA_CLASS, &data), AV(CKA_LABEL, "s", 1) };
    CK_ATTRIBUTE t_grow[] = { AV(CKA_LABEL, big, 300) };
    b(&o, 3, OP_CREATE_FUZZ, 0, 's'); fz_tmpl_write(&o, t_small, 2);
    b(&o, 3, OP_CREATE_FUZZ, 0, 'b'); fz_tmpl_write(&o, t_big, 2);
    b(&o, 3, OP_CREATE_FUZZ, 0, 'b'); fz_tmpl_write(&o, t_big, 2);
    b(&o, 3, OP_SET, 0, FZ_OBJS); fz_tmpl_write(&o, t_grow, 1);
    save(&o, "api", n++);
}

/* ------------------------------------------------------------------------
 * pki (host builds with the PKI functions: NVT_HOST_PKI)
 * ---------------------------------------------------------------------- */
#if NVT_FUZZ_PKI

static void pki_seed(unsigned kind, const void *pre, size_t pre_len, const void *b, size_t len)
{
    static unsigned n;
    kind_seed("pki", &n, kind, pre, pre_len, b, len);
}

/* The DER inside a PEM text of the given type, by mbedTLS's PEM reader. */
static size_t pem_der(const char *pem, const char *type, uint8_t *der, size_t cap)
{
    char begin[64], end[64];
    size_t used = 0, n = 0;
    snprintf(begin, sizeof(begin), "-----BEGIN %s-----", type);
    snprintf(end, sizeof(end), "-----END %s-----", type);
    mbedtls_pem_context ctx;
    mbedtls_pem_init(&ctx);
    FZ_CHECK(mbedtls_pem_read_buffer(&ctx, begin, end, (const unsigned char *)pem, NULL, 0, &used) == 0,
             "pem_der: %s", type);
    const unsigned char *p = mbedtls_pem_get_buffer(&ctx, &n);
    FZ_CHECK(n <= cap, "pem_der: room");
    memcpy(der, p, n);
    mbedtls_pem_free(&ctx);
    return n;
}

static void pki_seeds(void)
{
    static uint8_t der[4096], parts[NVT_CRYPTO_PKI_KEY_MAX], spki[256], info[512], csr[1024], hash[32], sig[64];
    static char pem[2048];
    const char *keys[] = { test_ca_key, test_device_key }, *types[] = { "PRIVATE KEY", "EC PRIVATE KEY" };
    for (size_t i = 0; i < 2; i++) {
        pki_seed(0, NULL, 0, keys[i], strlen(keys[i]));
        pki_seed(0, NULL, 0, der, pem_der(keys[i], types[i], der, sizeof(der)));
    }
    /* the encrypted key and its (wrong) passphrase */
    static const uint8_t pass[] = { 5, 'w', 'r', 'o', 'n', 'g' };
    pki_seed(1, pass, sizeof(pass), test_padded_garbage_pem, strlen(test_padded_garbage_pem));
    pki_seed(1, pass, sizeof(pass), test_padded_garbage_der, sizeof(test_padded_garbage_der));
    /* the device key's public half, DER and PEM */
    nvt_crypto_key_material_t m, pub;
    size_t len = 0, pem_len = 0;
    FZ_CHECK(nvt_crypto_pki_read_private((const uint8_t *)test_device_key, strlen(test_device_key), NULL, 0, parts,
                                         sizeof(parts), &m) == NVT_OK,
             "device key");
    pub = m;
    pub.type = NVT_CRYPTO_KEY_EC_PUBLIC;
    pub.v[0] = m.v[1];
    FZ_CHECK(nvt_crypto_pki_write_public(&pub, spki, sizeof(spki), &len) == NVT_OK, "public key");
    pki_seed(2, NULL, 0, spki, len);
    FZ_CHECK(nvt_crypto_pki_pem_write("PUBLIC KEY", spki, len, pem, sizeof(pem), &pem_len) == NVT_OK, "PEM");
    pki_seed(2, NULL, 0, pem, pem_len);
    /* certificates: the CA's PEM and DER, the tests' RSA root and device
     * certificate */
    pki_seed(3, NULL, 0, test_ca_cert, strlen(test_ca_cert));
    FZ_CHECK(nvt_crypto_pki_read_cert((const uint8_t *)test_ca_cert, strlen(test_ca_cert), der, sizeof(der), &len) ==
                 NVT_OK,
             "CA certificate");
    pki_seed(3, NULL, 0, der, len);
    pki_seed(4, NULL, 0, der, len);
    pki_seed(4, NULL, 0, nvt_test_root_ca, sizeof(nvt_test_root_ca));
    pki_seed(4, NULL, 0, nvt_test_device_cert, sizeof(nvt_test_device_cert));
    /* a request for the device key, signed by it */
    size_t info_len = 0, hash_len = 0, sig_len = 0, csr_len = 0;
    nvt_crypto_key_t key;
    FZ_CHECK(nvt_crypto_pki_csr_info("CN=dev-0001,O=Acme\\, Inc.,C=DE", &pub, info, sizeof(info), &info_len) ==
                     NVT_OK &&
                 nvt_crypto_key_load(&m, NVT_CRYPTO_USE_EC, &key, NULL) == NVT_OK &&
                 nvt_crypto_hash(NVT_CRYPTO_SHA256, info, info_len, hash, sizeof(hash), &hash_len) == NVT_OK &&
                 nvt_crypto_sign_hash(key, NVT_CRYPTO_SIG_ECDSA, NVT_CRYPTO_SHA256, hash, hash_len, sig,
                                      sizeof(sig), &sig_len) == NVT_OK &&
                 nvt_crypto_pki_csr_finish(info, info_len, NVT_CRYPTO_SHA256, sig, sig_len, csr, sizeof(csr),
                                           &csr_len) == NVT_OK,
             "request");
    nvt_crypto_key_unload(key);
    pki_seed(5, NULL, 0, csr, csr_len);
    /* names, both ways of writing them */
    static const char *names[] = { "CN=dev-0001,O=Acme\\, Inc.,C=DE", "/CN=dev-0001/O=Acme/OU=Line 3" };
    for (size_t i = 0; i < 2; i++) {
        pki_seed(6, NULL, 0, names[i], strlen(names[i]));
    }
    /* a CA: its key and certificate */
    static uint8_t ca[2 + sizeof(test_ca_key)];
    len = strlen(test_ca_key);
    ca[0] = (uint8_t)len;
    ca[1] = (uint8_t)(len >> 8);
    memcpy(ca + 2, test_ca_key, len);
    pki_seed(7, ca, 2 + len, test_ca_cert, strlen(test_ca_cert));
    nvt_crypto_zeroize(parts, sizeof(parts));
}

#endif /* NVT_FUZZ_PKI */

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_token_corpus TARGET DIR\n");
        return 2;
    }
    dir = argv[2];
    fz_flash_init();
    if (strcmp(argv[1], "object") == 0) {
        object_seeds();
    } else if (strcmp(argv[1], "template") == 0) {
        template_seeds();
    } else if (strcmp(argv[1], "keys") == 0) {
        key_seeds();
    } else if (strcmp(argv[1], "mech") == 0) {
        mech_seeds();
    } else if (strcmp(argv[1], "api") == 0) {
        api_seeds();
    } else if (strcmp(argv[1], "records") == 0) {
        record_seeds();
#if NVT_FUZZ_PKI
    } else if (strcmp(argv[1], "pki") == 0) {
        pki_seeds();
#endif
    } else {
        fprintf(stderr, "make_token_corpus: no target %s\n", argv[1]);
        return 2;
    }
    printf("make_token_corpus: %u seeds in %s\n", files, dir);
    return 0;
}
