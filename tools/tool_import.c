/* nvtoken import: a private key (with its public key), a public key or a
 * certificate, read from PEM or DER by the crypto layer and created with
 * C_CreateObject, so the token's template engine checks and completes it
 * (certificate subject, issuer and serial number come from the DER there).
 * Everything is read and checked before the image is touched; a key pair
 * whose second half the token refuses leaves nothing behind. */
#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_pki.h"
#include "tool.h"
#include "tool_objects.h"
#include "tool_template.h"
#include "tool_token.h"

#define MAX_ATTRS 32
#define ID_MAX 64

typedef struct import_args {
    const char *image, *pin_file, *key, *cert, *pubkey, *pass_file, *label, *id_text, *geometry;
    const char *attrs[MAX_ATTRS];
    size_t n_attrs;
    int no_pubkey;
    uint8_t id[ID_MAX];
    size_t id_len;
} import_args_t;

/* A key's type and size as the token names them. */
static void key_kind(const nvt_crypto_key_material_t *m, CK_KEY_TYPE *type, CK_ULONG *bits, char *text, size_t size)
{
    if (m->type == NVT_CRYPTO_KEY_EC_PAIR || m->type == NVT_CRYPTO_KEY_EC_PUBLIC) {
        *type = CKK_EC;
        *bits = (CK_ULONG)nvt_crypto_curve_bits(m->curve);
        snprintf(text, size, "EC P-%lu", (unsigned long)*bits);
        return;
    }
    *type = CKK_RSA;
    const nvt_crypto_span_t *n = &m->v[0];
    *bits = n->len > 0 ? 8 * (n->len - 1) : 0;
    for (unsigned top = n->len > 0 ? n->p[0] : 0; top != 0; top >>= 1) {
        (*bits)++;
    }
    snprintf(text, size, "RSA-%lu", (unsigned long)*bits);
}

/* The crypto layer's verdict on an input file, as an exit status. */
static int input_error(int rc, const char *path, const char *what, int had_pass)
{
    switch (rc) {
    case NVT_E_UNSUPPORTED:
        return tool_complain(TOOL_UNSUPPORTED, path,
                             "a key type this token does not have (algorithm or curve), or encrypted with more "
                             "PBKDF2 iterations than nvtoken runs");
    case NVT_E_BUFFER_TOO_SMALL:
        return tool_complain(TOOL_UNSUPPORTED, path, "a key larger than this token takes");
    case NVT_E_VERIFY:
        return tool_complain(TOOL_INPUT, path, had_pass ? "wrong passphrase" : "encrypted: give --passphrase-file");
    case NVT_E_CRYPTO:
        return tool_complain(TOOL_FAILED, path, "cannot read: out of memory");
    default:
        return tool_complain(TOOL_INPUT, path, "not %s", what);
    }
}

/* Refuse an id that an object of class cls has already. */
static int check_free_id(tool_token_t *t, CK_OBJECT_CLASS cls, const import_args_t *a)
{
    tool_match_t m = { cls, a->id, a->id_len, NULL };
    CK_OBJECT_HANDLE h;
    CK_ULONG n = 0;
    CK_RV rv = tool_find(t->session, &m, &h, 1, &n);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "C_FindObjects");
    }
    return n == 0 ? TOOL_OK
                  : tool_complain(TOOL_EXISTS, t->path, "a %s with id %s is there already", tool_class_name(cls),
                                  a->id_text);
}

/* Public key object of material m (public, or an EC pair's point). */
static void public_template(tool_template_t *tp, const nvt_crypto_key_material_t *m, CK_KEY_TYPE type,
                            const uint8_t *spki, size_t spki_len, uint8_t *point, size_t point_size,
                            const import_args_t *a)
{
    tool_tmpl_ulong(tp, CKA_CLASS, CKO_PUBLIC_KEY);
    tool_tmpl_ulong(tp, CKA_KEY_TYPE, type);
    tool_tmpl_bool(tp, CKA_TOKEN, CK_TRUE);
    tool_tmpl_bool(tp, CKA_PRIVATE, CK_FALSE);
    tool_tmpl_bool(tp, CKA_VERIFY, CK_TRUE);
    tool_tmpl_bool(tp, CKA_ENCRYPT, CK_FALSE);
    tool_tmpl_bool(tp, CKA_WRAP, CK_FALSE);
    tool_tmpl_bytes(tp, CKA_ID, a->id, a->id_len);
    tool_tmpl_bytes(tp, CKA_LABEL, a->label, strlen(a->label));
    tool_tmpl_bytes(tp, CKA_PUBLIC_KEY_INFO, spki, spki_len);
    if (type == CKK_EC) {
        size_t oid_len = 0;
        const uint8_t *oid = nvt_crypto_curve_oid(m->curve, &oid_len);
        const nvt_crypto_span_t *q = m->type == NVT_CRYPTO_KEY_EC_PAIR ? &m->v[1] : &m->v[0];
        tool_tmpl_bytes(tp, CKA_EC_PARAMS, oid, oid_len);
        tool_tmpl_bytes(tp, CKA_EC_POINT, point, tool_ec_point_der(q->p, q->len, point, point_size));
    } else {
        tool_tmpl_bytes(tp, CKA_MODULUS, m->v[0].p, m->v[0].len);
        tool_tmpl_bytes(tp, CKA_PUBLIC_EXPONENT, m->v[1].p, m->v[1].len);
    }
}

/* Import a private key (m: a pair) and, unless --no-pubkey, its public key. */
static int import_key(tool_token_t *t, const import_args_t *a, const nvt_crypto_key_material_t *m)
{
    CK_KEY_TYPE type;
    CK_ULONG bits;
    char kind[32];
    uint8_t spki[1024], point[160];
    size_t spki_len = 0;
    key_kind(m, &type, &bits, kind, sizeof(kind));
    int rc = nvt_crypto_pki_write_public(m, spki, sizeof(spki), &spki_len);
    if (rc != NVT_OK) {
        return tool_complain(TOOL_INPUT, a->key, "not a consistent key (its public key cannot be made)");
    }
    CK_RV rv;
    int status = check_free_id(t, CKO_PRIVATE_KEY, a);
    if (status == TOOL_OK && !a->no_pubkey) {
        status = check_free_id(t, CKO_PUBLIC_KEY, a);
    }
    if (status != TOOL_OK) {
        return status;
    }
    tool_template_t tp;
    memset(&tp, 0, sizeof(tp));
    tool_tmpl_ulong(&tp, CKA_CLASS, CKO_PRIVATE_KEY);
    tool_tmpl_ulong(&tp, CKA_KEY_TYPE, type);
    tool_tmpl_bool(&tp, CKA_TOKEN, CK_TRUE);
    tool_tmpl_bool(&tp, CKA_PRIVATE, CK_TRUE);
    tool_tmpl_bool(&tp, CKA_SENSITIVE, CK_TRUE);
    tool_tmpl_bool(&tp, CKA_EXTRACTABLE, CK_FALSE);
    tool_tmpl_bool(&tp, CKA_SIGN, CK_TRUE);
    tool_tmpl_bool(&tp, CKA_DECRYPT, CK_FALSE);
    tool_tmpl_bool(&tp, CKA_UNWRAP, CK_FALSE);
    tool_tmpl_bool(&tp, CKA_DERIVE, CK_FALSE);
    tool_tmpl_bytes(&tp, CKA_ID, a->id, a->id_len);
    tool_tmpl_bytes(&tp, CKA_LABEL, a->label, strlen(a->label));
    tool_tmpl_bytes(&tp, CKA_PUBLIC_KEY_INFO, spki, spki_len);
    if (type == CKK_EC) {
        size_t oid_len = 0;
        const uint8_t *oid = nvt_crypto_curve_oid(m->curve, &oid_len);
        tool_tmpl_bytes(&tp, CKA_EC_PARAMS, oid, oid_len);
        tool_tmpl_bytes(&tp, CKA_VALUE, m->v[0].p, m->v[0].len);
    } else {
        static const CK_ATTRIBUTE_TYPE parts[NVT_CRYPTO_RSA_PARTS] = {
            CKA_MODULUS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
            CKA_PRIME_2, CKA_EXPONENT_1,      CKA_EXPONENT_2,       CKA_COEFFICIENT,
        };
        for (size_t i = 0; i < NVT_CRYPTO_RSA_PARTS; i++) {
            tool_tmpl_bytes(&tp, parts[i], m->v[i].p, m->v[i].len);
        }
    }
    status = tool_tmpl_attrs(&tp, a->attrs, a->n_attrs, "import");
    if (status != TOOL_OK) {
        return status;
    }
    CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE, pub = CK_INVALID_HANDLE;
    rv = C_CreateObject(t->session, tp.a, tp.n, &priv);
    tool_wipe(&tp, sizeof(tp));
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "the token refused the private key");
    }
    if (!a->no_pubkey) {
        memset(&tp, 0, sizeof(tp));
        public_template(&tp, m, type, spki, spki_len, point, sizeof(point), a);
        rv = C_CreateObject(t->session, tp.a, tp.n, &pub);
        if (rv != CKR_OK) {
            (void)C_DestroyObject(t->session, priv); /* nothing half done */
            return tool_token_fail(t, rv, "the token refused the public key");
        }
    }
    printf("imported private key \"%s\" (%s, id %s)%s into %s\n", a->label, kind, a->id_text,
           a->no_pubkey ? "" : " and its public key", t->path);
    return TOOL_OK;
}

static int import_pubkey(tool_token_t *t, const import_args_t *a, const nvt_crypto_key_material_t *m)
{
    CK_KEY_TYPE type;
    CK_ULONG bits;
    char kind[32];
    uint8_t spki[1024], point[160];
    size_t spki_len = 0;
    key_kind(m, &type, &bits, kind, sizeof(kind));
    if (nvt_crypto_pki_write_public(m, spki, sizeof(spki), &spki_len) != NVT_OK) {
        return tool_complain(TOOL_INPUT, a->pubkey, "not a valid public key");
    }
    CK_RV rv;
    int status = check_free_id(t, CKO_PUBLIC_KEY, a);
    if (status != TOOL_OK) {
        return status;
    }
    tool_template_t tp;
    memset(&tp, 0, sizeof(tp));
    public_template(&tp, m, type, spki, spki_len, point, sizeof(point), a);
    status = tool_tmpl_attrs(&tp, a->attrs, a->n_attrs, "import");
    if (status != TOOL_OK) {
        return status;
    }
    CK_OBJECT_HANDLE h;
    rv = C_CreateObject(t->session, tp.a, tp.n, &h);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "the token refused the public key");
    }
    printf("imported public key \"%s\" (%s, id %s) into %s\n", a->label, kind, a->id_text, t->path);
    return TOOL_OK;
}

/* Does key object h have the public key spki? */
static int key_is(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_OBJECT_CLASS cls, const nvt_crypto_span_t *spki)
{
    uint8_t buf[1100], mine[1024];
    size_t mine_len = 0;
    nvt_crypto_key_material_t m;
    if (cls == CKO_PUBLIC_KEY) {
        if (tool_public_material(s, h, buf, sizeof(buf), &m) != CKR_OK ||
            nvt_crypto_pki_write_public(&m, mine, sizeof(mine), &mine_len) != NVT_OK) {
            return 0;
        }
        return mine_len == spki->len && memcmp(mine, spki->p, mine_len) == 0;
    }
    uint8_t *v = NULL;
    CK_ULONG len = 0;
    (void)tool_get(s, h, CKA_PUBLIC_KEY_INFO, &v, &len, 0);
    int same = v != NULL && len == spki->len && memcmp(v, spki->p, len) == 0;
    free(v);
    return same;
}

/* The key in the token that a certificate certifies: the id and label of
 * a public key (or private key recording its public key) equal to spki.
 * \return 1 found, 0 not, -1 error (complained). */
static int find_cert_key(tool_token_t *t, const nvt_crypto_span_t *spki, uint8_t *id, size_t *id_len,
                         char **label)
{
    static const CK_OBJECT_CLASS classes[2] = { CKO_PUBLIC_KEY, CKO_PRIVATE_KEY };
    for (int c = 0; c < 2; c++) {
        tool_match_t m = { classes[c], NULL, 0, NULL };
        CK_OBJECT_HANDLE h[256];
        CK_ULONG n = 0;
        CK_RV rv = tool_find(t->session, &m, h, 256, &n);
        if (rv != CKR_OK) {
            tool_token_fail(t, rv, "C_FindObjects");
            return -1;
        }
        for (CK_ULONG i = 0; i < n && i < 256; i++) {
            if (!key_is(t->session, h[i], classes[c], spki)) {
                continue;
            }
            uint8_t *v = NULL;
            CK_ULONG len = 0;
            (void)tool_get(t->session, h[i], CKA_ID, &v, &len, 0);
            if (len > ID_MAX) {
                len = 0;
            }
            memcpy(id, v, len);
            *id_len = len;
            free(v);
            (void)tool_get(t->session, h[i], CKA_LABEL, (uint8_t **)label, &len, 0);
            return 1;
        }
    }
    return 0;
}

static int import_cert(tool_token_t *t, import_args_t *a, const uint8_t *der, size_t der_len)
{
    nvt_crypto_pki_cert_info_t info;
    if (nvt_crypto_pki_cert_info(der, der_len, &info) != NVT_OK) {
        return tool_complain(TOOL_INPUT, a->cert, "not an X.509 certificate");
    }
    uint8_t key_id[ID_MAX];
    size_t key_id_len = 0;
    char *key_label = NULL;
    int found = find_cert_key(t, &info.spki, key_id, &key_id_len, &key_label);
    int status = found < 0 ? TOOL_FAILED : TOOL_OK;
    char id_text[2 * ID_MAX + 1];
    tool_hex(key_id, key_id_len, id_text);
    if (status == TOOL_OK && found && a->id_text != NULL &&
        (key_id_len != a->id_len || memcmp(key_id, a->id, a->id_len) != 0)) {
        status = tool_complain(TOOL_INPUT, a->cert, "certifies the key with id %s, not %s", id_text, a->id_text);
    }
    if (status == TOOL_OK && !found && a->id_text != NULL) {
        /* No key of this certificate: its id must not be another key's. */
        CK_OBJECT_HANDLE h;
        CK_ULONG n = 0, m = 0;
        tool_match_t pub = { CKO_PUBLIC_KEY, a->id, a->id_len, NULL }, priv = { CKO_PRIVATE_KEY, a->id, a->id_len, NULL };
        if (tool_find(t->session, &pub, &h, 1, &n) == CKR_OK && tool_find(t->session, &priv, &h, 1, &m) == CKR_OK &&
            n + m > 0) {
            status = tool_complain(TOOL_INPUT, a->cert, "does not certify the key with id %s", a->id_text);
        }
    }
    if (status == TOOL_OK && !found && a->id_text == NULL) {
        status = tool_complain(TOOL_NOT_FOUND, a->cert,
                               "certifies no key in the image (give --id for a certificate without its key)");
    }
    if (status == TOOL_OK && a->id_text == NULL) {
        memcpy(a->id, key_id, key_id_len);
        a->id_len = key_id_len;
        a->id_text = id_text;
    }
    if (status == TOOL_OK && a->label == NULL) {
        if (key_label != NULL) {
            a->label = key_label;
        } else {
            status = tool_complain(TOOL_USAGE, "import", "a certificate without its key needs --label");
        }
    }
    if (status == TOOL_OK) {
        status = check_free_id(t, CKO_CERTIFICATE, a);
    }
    tool_template_t tp;
    memset(&tp, 0, sizeof(tp));
    tool_tmpl_cert(&tp, der, der_len, a->id, a->id_len, a->label, found ? 1 : info.is_ca ? 2 : 0);
    if (status == TOOL_OK) {
        status = tool_tmpl_attrs(&tp, a->attrs, a->n_attrs, "import");
    }
    if (status == TOOL_OK) {
        CK_OBJECT_HANDLE h;
        CK_RV rv = C_CreateObject(t->session, tp.a, tp.n, &h);
        if (rv != CKR_OK) {
            status = tool_token_fail(t, rv, "the token refused the certificate");
        } else {
            printf("imported certificate \"%s\" (id %s, %s%s) into %s\n", a->label, a->id_text, info.subject,
                   info.is_ca ? ", a CA" : "", t->path);
        }
    }
    if (a->label == key_label) {
        a->label = NULL;
    }
    free(key_label);
    return status;
}

static int parse_args(int argc, char **argv, import_args_t *a)
{
    static const struct option opts[] = {
        { "pin-file", required_argument, NULL, 'p' },
        { "key", required_argument, NULL, 'k' },
        { "cert", required_argument, NULL, 'c' },
        { "pubkey", required_argument, NULL, 'P' },
        { "passphrase-file", required_argument, NULL, 'w' },
        { "label", required_argument, NULL, 'l' },
        { "id", required_argument, NULL, 'i' },
        { "attr", required_argument, NULL, 'a' },
        { "no-pubkey", no_argument, NULL, 'n' },
        { "geometry", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'p': a->pin_file = optarg; break;
        case 'k': a->key = optarg; break;
        case 'c': a->cert = optarg; break;
        case 'P': a->pubkey = optarg; break;
        case 'w': a->pass_file = optarg; break;
        case 'l': a->label = optarg; break;
        case 'i': a->id_text = optarg; break;
        case 'n': a->no_pubkey = 1; break;
        case 'g': a->geometry = optarg; break;
        case 'a':
            if (a->n_attrs == MAX_ATTRS) {
                return tool_complain(TOOL_USAGE, argv[0], "more than %d --attr options", MAX_ATTRS);
            }
            a->attrs[a->n_attrs++] = optarg;
            break;
        case 'h': return tool_usage(argv[0], 1) == TOOL_OK ? -1 : TOOL_USAGE;
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &a->image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    if ((a->key != NULL) + (a->cert != NULL) + (a->pubkey != NULL) != 1) {
        return tool_complain(TOOL_USAGE, argv[0], "give one of --key, --cert and --pubkey");
    }
    if (a->pin_file == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--pin-file is needed (the user PIN)");
    }
    if (a->cert == NULL && (a->label == NULL || a->id_text == NULL)) {
        return tool_complain(TOOL_USAGE, argv[0], "a key needs --label and --id");
    }
    if (a->pass_file != NULL && a->key == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--passphrase-file goes with --key");
    }
    if (a->id_text != NULL && tool_parse_hex(a->id_text, a->id, sizeof(a->id), &a->id_len) != 0) {
        return tool_complain(TOOL_USAGE, argv[0], "bad --id '%s' (hexadecimal, up to %d bytes)", a->id_text, ID_MAX);
    }
    tool_template_t check; /* the --attr options are spelled right */
    memset(&check, 0, sizeof(check));
    return tool_tmpl_attrs(&check, a->attrs, a->n_attrs, argv[0]);
}

int tool_cmd_import(int argc, char **argv)
{
    import_args_t a;
    memset(&a, 0, sizeof(a));
    int status = parse_args(argc, argv, &a);
    if (status != TOOL_OK) {
        return status < 0 ? TOOL_OK : status; /* -1: --help */
    }
    /* Secrets, then the input; with both secrets from standard input the
     * PIN is its first line and the passphrase its second. */
    tool_secret_t pin, pass;
    memset(&pin, 0, sizeof(pin));
    memset(&pass, 0, sizeof(pass));
    const char *input = a.key != NULL ? a.key : a.cert != NULL ? a.cert : a.pubkey;
    uint8_t *data = NULL, *parts = NULL;
    size_t len = 0, der_len = 0;
    nvt_crypto_key_material_t m;
    status = tool_secret_read(a.pin_file, "PIN", &pin);
    if (status == TOOL_OK && a.pass_file != NULL) {
        status = tool_secret_read(a.pass_file, "passphrase", &pass);
    }
    if (status == TOOL_OK) {
        status = tool_read_file(input, &data, &len);
    }
    if (status == TOOL_OK) {
        parts = calloc(1, NVT_CRYPTO_PKI_KEY_MAX + len);
        status = parts == NULL ? tool_complain(TOOL_FAILED, input, "out of memory") : TOOL_OK;
    }
    if (status == TOOL_OK) {
        int rc;
        if (a.key != NULL) {
            rc = nvt_crypto_pki_read_private(data, len, pass.value, pass.len, parts, NVT_CRYPTO_PKI_KEY_MAX, &m);
            status = rc == NVT_OK ? TOOL_OK : input_error(rc, input, "a private key (PKCS#8, SEC1 or PKCS#1)", pass.set);
        } else if (a.pubkey != NULL) {
            rc = nvt_crypto_pki_read_public(data, len, parts, NVT_CRYPTO_PKI_KEY_MAX, &m);
            status = rc == NVT_OK ? TOOL_OK : input_error(rc, input, "a public key (SubjectPublicKeyInfo or PKCS#1)", 0);
        } else {
            rc = nvt_crypto_pki_read_cert(data, len, parts, NVT_CRYPTO_PKI_KEY_MAX + len, &der_len);
            status = rc == NVT_OK ? TOOL_OK : input_error(rc, input, "one X.509 certificate", 0);
        }
    }
    tool_secret_wipe(&pass);
    if (status == TOOL_OK) {
        tool_token_t t;
        tool_token_options_t o = { a.geometry, 0, 0, NULL };
        status = tool_token_open(&t, a.image, &o);
        if (status == TOOL_OK && a.cert == NULL) {
            /* A key type the token's profile lacks is refused before the
             * login, which counts a PIN attempt in the image. */
            CK_KEY_TYPE type;
            CK_ULONG bits;
            char kind[32];
            key_kind(&m, &type, &bits, kind, sizeof(kind));
            CK_RV rv = tool_token_has_key(type, bits);
            if (rv != CKR_OK) {
                status = tool_complain(TOOL_UNSUPPORTED, t.path, "this token's profile has no %s keys (%s)", kind,
                                       tool_ckr_name(rv));
            }
        }
        if (status == TOOL_OK) {
            status = tool_token_session(&t);
        }
        if (status == TOOL_OK) {
            status = tool_token_login(&t, CKU_USER, &pin);
        }
        if (status == TOOL_OK) {
            status = a.key != NULL      ? import_key(&t, &a, &m)
                     : a.pubkey != NULL ? import_pubkey(&t, &a, &m)
                                        : import_cert(&t, &a, parts, der_len);
        }
        int closed = tool_token_close(&t);
        status = status != TOOL_OK ? status : closed;
    }
    tool_secret_wipe(&pin);
    if (parts != NULL) {
        tool_wipe(parts, NVT_CRYPTO_PKI_KEY_MAX + len);
    }
    if (data != NULL) {
        tool_wipe(data, len);
    }
    free(parts);
    free(data);
    return status;
}
