/* nvtoken genkey: a key pair generated inside the token, and a PKCS#10
 * request for it: the request's contents made by the crypto layer
 * (mbedTLS's X.509 and ASN.1 writers), signed by the token with C_Sign -
 * the private key never leaves it - and checked by the crypto layer before
 * it is written out. */
#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_pki.h"
#include "tool.h"
#include "tool_genkey.h"
#include "tool_objects.h"
#include "tool_template.h"

#define ID_MAX 64
#define MAX_ATTRS 32

static const tool_keyspec_t keyspecs[] = {
    { "ec:p256", CKK_EC, 256, NVT_CRYPTO_CURVE_P256 },
    { "ec:p384", CKK_EC, 384, NVT_CRYPTO_CURVE_P384 },
#if NVT_CONFIG_MECH_EC_P521
    { "ec:p521", CKK_EC, 521, NVT_CRYPTO_CURVE_P521 },
#endif
    { "rsa:2048", CKK_RSA, 2048, NVT_CRYPTO_CURVE_NONE },
    { "rsa:3072", CKK_RSA, 3072, NVT_CRYPTO_CURVE_NONE },
};

int tool_keyspec(const char *text, tool_keyspec_t *k, const char *command)
{
    for (size_t i = 0; i < sizeof(keyspecs) / sizeof(keyspecs[0]); i++) {
        if (text == NULL || strcmp(text, keyspecs[i].name) == 0) {
            *k = keyspecs[i];
            return TOOL_OK;
        }
    }
    return tool_complain(TOOL_USAGE, command, "unknown key type '%s' (ec:p256, ec:p384%s, rsa:2048, rsa:3072)", text,
                         NVT_CONFIG_MECH_EC_P521 ? ", ec:p521" : "");
}

int tool_pem(const char *label, const uint8_t *der, size_t len, char **pem, size_t *pem_len)
{
    size_t need = 0;
    (void)nvt_crypto_pki_pem_write(label, der, len, NULL, 0, &need);
    *pem = malloc(need + 1);
    if (*pem == NULL || nvt_crypto_pki_pem_write(label, der, len, *pem, need + 1, pem_len) != NVT_OK) {
        free(*pem);
        *pem = NULL;
        return tool_complain(TOOL_FAILED, NULL, "cannot write PEM (out of memory)");
    }
    return TOOL_OK;
}

int tool_genkey_pair(tool_token_t *t, const tool_keyspec_t *k, const uint8_t *id, size_t id_len, const char *id_text,
                     const char *label, const char *const *attrs, size_t n_attrs, CK_OBJECT_HANDLE *pub,
                     CK_OBJECT_HANDLE *priv)
{
    CK_RV rv = tool_token_has_key(k->type, k->bits);
    if (rv != CKR_OK) {
        return tool_complain(TOOL_UNSUPPORTED, t->path, "this token's profile has no %s keys (%s)", k->name,
                             tool_ckr_name(rv));
    }
    static const CK_OBJECT_CLASS classes[2] = { CKO_PRIVATE_KEY, CKO_PUBLIC_KEY };
    for (int i = 0; i < 2; i++) {
        tool_match_t m = { classes[i], id, id_len, NULL };
        CK_OBJECT_HANDLE h;
        CK_ULONG n = 0;
        rv = tool_find(t->session, &m, &h, 1, &n);
        if (rv != CKR_OK) {
            return tool_token_fail(t, rv, "C_FindObjects");
        }
        if (n > 0) {
            return tool_complain(TOOL_EXISTS, t->path, "a %s with id %s is there already", tool_class_name(classes[i]),
                                 id_text);
        }
    }
    tool_template_t pt, vt;
    memset(&pt, 0, sizeof(pt));
    memset(&vt, 0, sizeof(vt));
    static const uint8_t f4[3] = { 0x01, 0x00, 0x01 };
    size_t oid_len = 0;
    const uint8_t *oid = nvt_crypto_curve_oid(k->curve, &oid_len);
    tool_tmpl_bool(&vt, CKA_TOKEN, CK_TRUE);
    tool_tmpl_bool(&vt, CKA_PRIVATE, CK_FALSE);
    tool_tmpl_bool(&vt, CKA_VERIFY, CK_TRUE);
    tool_tmpl_bool(&vt, CKA_ENCRYPT, CK_FALSE);
    tool_tmpl_bool(&vt, CKA_WRAP, CK_FALSE);
    tool_tmpl_bytes(&vt, CKA_ID, id, id_len);
    tool_tmpl_bytes(&vt, CKA_LABEL, label, strlen(label));
    if (k->type == CKK_EC) {
        tool_tmpl_bytes(&vt, CKA_EC_PARAMS, oid, oid_len);
    } else {
        tool_tmpl_ulong(&vt, CKA_MODULUS_BITS, k->bits);
        tool_tmpl_bytes(&vt, CKA_PUBLIC_EXPONENT, f4, sizeof(f4));
    }
    tool_tmpl_bool(&pt, CKA_TOKEN, CK_TRUE);
    tool_tmpl_bool(&pt, CKA_PRIVATE, CK_TRUE);
    tool_tmpl_bool(&pt, CKA_SENSITIVE, CK_TRUE);
    tool_tmpl_bool(&pt, CKA_EXTRACTABLE, CK_FALSE);
    tool_tmpl_bool(&pt, CKA_SIGN, CK_TRUE);
    tool_tmpl_bool(&pt, CKA_DECRYPT, CK_FALSE);
    tool_tmpl_bool(&pt, CKA_UNWRAP, CK_FALSE);
    tool_tmpl_bool(&pt, CKA_DERIVE, CK_FALSE);
    tool_tmpl_bytes(&pt, CKA_ID, id, id_len);
    tool_tmpl_bytes(&pt, CKA_LABEL, label, strlen(label));
    int status = tool_tmpl_attrs(&pt, attrs, n_attrs, "genkey");
    if (status != TOOL_OK) {
        return status;
    }
    CK_MECHANISM mech = { k->type == CKK_EC ? CKM_EC_KEY_PAIR_GEN : CKM_RSA_PKCS_KEY_PAIR_GEN, NULL_PTR, 0 };
    rv = C_GenerateKeyPair(t->session, &mech, vt.a, vt.n, pt.a, pt.n, pub, priv);
    return rv == CKR_OK ? TOOL_OK : tool_token_fail(t, rv, "C_GenerateKeyPair");
}

int tool_make_csr(tool_token_t *t, CK_OBJECT_HANDLE pub, CK_OBJECT_HANDLE priv, const char *subject, uint8_t **der,
                  size_t *len)
{
    uint8_t buf[1100], info[2048], sig[512];
    nvt_crypto_key_material_t m;
    size_t info_len = 0;
    *der = NULL;
    CK_RV rv = tool_public_material(t->session, pub, buf, sizeof(buf), &m);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "reading the public key");
    }
    int rc = nvt_crypto_pki_csr_info(subject, &m, info, sizeof(info), &info_len);
    if (rc != NVT_OK) {
        return rc == NVT_E_INVALID ? tool_complain(TOOL_INPUT, NULL, "bad subject '%s' (e.g. \"CN=dev-0001,O=Acme\")",
                                                   subject)
                                   : tool_complain(TOOL_FAILED, t->path, "cannot make the request: %s",
                                                   nvt_err_name(rc));
    }
    /* The digest as strong as the curve: SHA-256 for P-256 (and RSA),
     * SHA-384 for P-384, SHA-512 for P-521. */
    size_t curve_bits = nvt_crypto_curve_bits(m.curve);
    nvt_crypto_hash_alg_t hash = curve_bits > 384 ? NVT_CRYPTO_SHA512
                                 : curve_bits > 256 ? NVT_CRYPTO_SHA384
                                                    : NVT_CRYPTO_SHA256;
    CK_MECHANISM mech = { m.type == NVT_CRYPTO_KEY_RSA_PUBLIC ? CKM_SHA256_RSA_PKCS
                          : hash == NVT_CRYPTO_SHA512         ? CKM_ECDSA_SHA512
                          : hash == NVT_CRYPTO_SHA384         ? CKM_ECDSA_SHA384
                                                              : CKM_ECDSA_SHA256,
                          NULL_PTR, 0 };
    CK_ULONG sig_len = sizeof(sig);
    rv = C_SignInit(t->session, &mech, priv);
    if (rv == CKR_OK) {
        rv = C_Sign(t->session, info, (CK_ULONG)info_len, sig, &sig_len);
    }
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "signing the request");
    }
    size_t size = info_len + sig_len + 64;
    *der = malloc(size);
    if (*der == NULL) {
        return tool_complain(TOOL_FAILED, t->path, "out of memory");
    }
    rc = nvt_crypto_pki_csr_finish(info, info_len, hash, sig, sig_len, *der, size, len);
    if (rc != NVT_OK) {
        free(*der);
        *der = NULL;
        return tool_complain(TOOL_FAILED, t->path, "the token's signature of the request does not verify (%s)",
                             nvt_err_name(rc));
    }
    return TOOL_OK;
}

int tool_cmd_genkey(int argc, char **argv)
{
    static const struct option opts[] = {
        { "pin-file", required_argument, NULL, 'p' },
        { "label", required_argument, NULL, 'l' },
        { "id", required_argument, NULL, 'i' },
        { "type", required_argument, NULL, 't' },
        { "csr", required_argument, NULL, 'c' },
        { "output", required_argument, NULL, 'o' },
        { "der", no_argument, NULL, 'd' },
        { "attr", required_argument, NULL, 'a' },
        { "geometry", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *image = NULL, *pin_file = NULL, *label = NULL, *id_text = NULL, *type = NULL, *subject = NULL;
    const char *geometry = NULL;
    const char *out = NULL, *attrs[MAX_ATTRS];
    size_t n_attrs = 0;
    int der = 0, c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":ho:", opts)) != -1) {
        switch (c) {
        case 'p': pin_file = optarg; break;
        case 'l': label = optarg; break;
        case 'i': id_text = optarg; break;
        case 't': type = optarg; break;
        case 'c': subject = optarg; break;
        case 'o': out = optarg; break;
        case 'd': der = 1; break;
        case 'g': geometry = optarg; break;
        case 'a':
            if (n_attrs == MAX_ATTRS) {
                return tool_complain(TOOL_USAGE, argv[0], "more than %d --attr options", MAX_ATTRS);
            }
            attrs[n_attrs++] = optarg;
            break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    uint8_t id[ID_MAX];
    size_t id_len = 0;
    tool_keyspec_t k;
    if (pin_file == NULL || label == NULL || id_text == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--pin-file, --label and --id are needed");
    }
    if (tool_parse_hex(id_text, id, sizeof(id), &id_len) != 0) {
        return tool_complain(TOOL_USAGE, argv[0], "bad --id '%s' (hexadecimal, up to %d bytes)", id_text, ID_MAX);
    }
    tool_template_t check; /* the --attr options are spelled right */
    memset(&check, 0, sizeof(check));
    if ((status = tool_tmpl_attrs(&check, attrs, n_attrs, argv[0])) != TOOL_OK) {
        return status;
    }
    if ((out != NULL || der) && subject == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "-o and --der go with --csr");
    }
    if ((status = tool_keyspec(type, &k, argv[0])) != TOOL_OK) {
        return status;
    }
    if (subject != NULL && nvt_crypto_pki_name_check(subject) != NVT_OK) {
        return tool_complain(TOOL_INPUT, argv[0], "bad subject '%s' (e.g. \"CN=dev-0001,O=Acme\")", subject);
    }
    tool_secret_t pin;
    if ((status = tool_secret_read(pin_file, "PIN", &pin)) != TOOL_OK) {
        return status;
    }
    tool_token_t t;
    tool_token_options_t o = { geometry, 0, 0, NULL };
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
    uint8_t *csr = NULL;
    size_t csr_len = 0;
    status = tool_token_open(&t, image, &o);
    if (status == TOOL_OK && tool_token_has_key(k.type, k.bits) != CKR_OK) {
        status = tool_complain(TOOL_UNSUPPORTED, t.path, "this token's profile has no %s keys", k.name);
    }
    if (status == TOOL_OK) {
        status = tool_token_session(&t);
    }
    if (status == TOOL_OK) {
        status = tool_token_login(&t, CKU_USER, &pin);
    }
    tool_secret_wipe(&pin);
    if (status == TOOL_OK) {
        status = tool_genkey_pair(&t, &k, id, id_len, id_text, label, attrs, n_attrs, &pub, &priv);
    }
    if (status == TOOL_OK && subject != NULL) {
        status = tool_make_csr(&t, pub, priv, subject, &csr, &csr_len);
        if (status != TOOL_OK) {
            /* A request that cannot be made (a bad subject) leaves no key. */
            (void)C_DestroyObject(t.session, priv);
            (void)C_DestroyObject(t.session, pub);
        }
    }
    int closed = tool_token_close(&t);
    status = status != TOOL_OK ? status : closed;
    if (status == TOOL_OK && csr != NULL) {
        char *pem = NULL;
        size_t pem_len = 0;
        if (der) {
            status = tool_write_file(out != NULL ? out : "-", csr, csr_len, 0644);
        } else if ((status = tool_pem("CERTIFICATE REQUEST", csr, csr_len, &pem, &pem_len)) == TOOL_OK) {
            status = tool_write_file(out != NULL ? out : "-", pem, pem_len, 0644);
        }
        free(pem);
    }
    if (status == TOOL_OK && (subject == NULL || out != NULL)) {
        printf("generated %s key pair \"%s\" (id %s) in %s%s%s\n", k.name, label, id_text, image,
               out != NULL ? "; request written to " : "", out != NULL ? out : "");
    }
    free(csr);
    return status;
}
