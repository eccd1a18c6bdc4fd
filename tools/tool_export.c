/* nvtoken export: a certificate (its CKA_VALUE, as stored) or a public key
 * (SubjectPublicKeyInfo written from the public key object's attributes,
 * or the certificate's own when there is no public key object), in PEM or
 * DER. */
#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_pki.h"
#include "tool.h"
#include "tool_genkey.h"
#include "tool_objects.h"
#include "tool_token.h"

#define ID_MAX 64

typedef struct export_args {
    const char *image, *label, *id_text, *out, *pin_file, *geometry;
    uint8_t id[ID_MAX];
    size_t id_len;
    int cert, pubkey, der;
} export_args_t;

/* The one object of class cls that --label / --id name: TOOL_NOT_FOUND if
 * none or several. quiet: no complaint when there is none. */
static int find_one(tool_token_t *t, const export_args_t *a, CK_OBJECT_CLASS cls, CK_OBJECT_HANDLE *h, int quiet)
{
    tool_match_t m = { cls, a->id_text != NULL ? a->id : NULL, a->id_len, a->label };
    CK_ULONG n = 0;
    CK_RV rv = tool_find(t->session, &m, h, 1, &n);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "C_FindObjects");
    }
    const char *what = a->label != NULL ? "label" : "id";
    const char *which = a->label != NULL ? a->label : a->id_text;
    if (n == 0) {
        return quiet ? TOOL_NOT_FOUND
                     : tool_complain(TOOL_NOT_FOUND, t->path, "no %s with %s %s", tool_class_name(cls), what, which);
    }
    if (n > 1) {
        return tool_complain(TOOL_NOT_FOUND, t->path, "%lu objects of class %s have %s %s: name one by %s",
                             (unsigned long)n, tool_class_name(cls), what, which,
                             a->label != NULL ? "--id" : "--label");
    }
    return TOOL_OK;
}

/* The DER to export into a heap buffer. */
static int fetch(tool_token_t *t, const export_args_t *a, uint8_t **der, size_t *len)
{
    CK_OBJECT_HANDLE h;
    if (a->pubkey) {
        int status = find_one(t, a, CKO_PUBLIC_KEY, &h, 1);
        if (status == TOOL_OK) {
            uint8_t buf[1100];
            nvt_crypto_key_material_t m;
            CK_RV rv = tool_public_material(t->session, h, buf, sizeof(buf), &m);
            if (rv != CKR_OK) {
                return tool_token_fail(t, rv, "reading the public key");
            }
            *der = malloc(1024);
            if (*der == NULL) {
                return tool_complain(TOOL_FAILED, t->path, "out of memory");
            }
            return nvt_crypto_pki_write_public(&m, *der, 1024, len) == NVT_OK
                       ? TOOL_OK
                       : tool_complain(TOOL_DAMAGED, t->path, "the public key object holds no valid key");
        }
        if (status != TOOL_NOT_FOUND) {
            return status;
        }
        /* No public key object: the key of the certificate. */
        status = find_one(t, a, CKO_CERTIFICATE, &h, 1);
        if (status == TOOL_NOT_FOUND) {
            return tool_complain(TOOL_NOT_FOUND, t->path, "no public key or certificate with %s %s",
                                 a->label != NULL ? "label" : "id", a->label != NULL ? a->label : a->id_text);
        }
        if (status != TOOL_OK) {
            return status;
        }
    } else {
        int status = find_one(t, a, CKO_CERTIFICATE, &h, 0);
        if (status != TOOL_OK) {
            return status;
        }
    }
    CK_ULONG n = 0;
    uint8_t *value = NULL;
    CK_RV rv = tool_get(t->session, h, CKA_VALUE, &value, &n, 1);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "reading the certificate");
    }
    if (a->cert) {
        *der = value;
        *len = n;
        return TOOL_OK;
    }
    nvt_crypto_pki_cert_info_t info;
    if (nvt_crypto_pki_cert_info(value, n, &info) != NVT_OK) {
        free(value);
        return tool_complain(TOOL_DAMAGED, t->path, "the certificate cannot be read");
    }
    memmove(value, info.spki.p, info.spki.len);
    *der = value;
    *len = info.spki.len;
    return TOOL_OK;
}

int tool_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        { "label", required_argument, NULL, 'l' },
        { "id", required_argument, NULL, 'i' },
        { "cert", no_argument, NULL, 'c' },
        { "pubkey", no_argument, NULL, 'k' },
        { "der", no_argument, NULL, 'd' },
        { "pem", no_argument, NULL, 'P' },
        { "pin-file", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "geometry", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    export_args_t a;
    memset(&a, 0, sizeof(a));
    a.out = "-";
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":ho:", opts)) != -1) {
        switch (c) {
        case 'l': a.label = optarg; break;
        case 'i': a.id_text = optarg; break;
        case 'c': a.cert = 1; break;
        case 'k': a.pubkey = 1; break;
        case 'd': a.der = 1; break;
        case 'P': a.der = 0; break;
        case 'p': a.pin_file = optarg; break;
        case 'o': a.out = optarg; break;
        case 'g': a.geometry = optarg; break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &a.image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    if (a.cert + a.pubkey != 1) {
        return tool_complain(TOOL_USAGE, argv[0], "give one of --cert and --pubkey");
    }
    if ((a.label != NULL) + (a.id_text != NULL) != 1) {
        return tool_complain(TOOL_USAGE, argv[0], "name the object by one of --label and --id");
    }
    if (a.id_text != NULL && tool_parse_hex(a.id_text, a.id, sizeof(a.id), &a.id_len) != 0) {
        return tool_complain(TOOL_USAGE, argv[0], "bad --id '%s' (hexadecimal, up to %d bytes)", a.id_text, ID_MAX);
    }
    tool_secret_t pin;
    memset(&pin, 0, sizeof(pin));
    if (a.pin_file != NULL && (status = tool_secret_read(a.pin_file, "PIN", &pin)) != TOOL_OK) {
        return status;
    }
    tool_token_t t;
    tool_token_options_t o = { a.geometry, 0, a.pin_file == NULL ? TOOL_TOKEN_READ_ONLY : 0u, NULL };
    uint8_t *der = NULL;
    size_t len = 0;
    status = tool_token_open(&t, a.image, &o);
    if (status == TOOL_OK) {
        status = tool_token_session(&t);
    }
    if (status == TOOL_OK && pin.set) {
        status = tool_token_login(&t, CKU_USER, &pin);
    }
    tool_secret_wipe(&pin);
    if (status == TOOL_OK) {
        status = fetch(&t, &a, &der, &len);
    }
    int closed = tool_token_close(&t);
    status = status != TOOL_OK ? status : closed;
    if (status == TOOL_OK && a.der) {
        status = tool_write_file(a.out, der, len, 0644);
    } else if (status == TOOL_OK) {
        char *pem = NULL;
        size_t pem_len = 0;
        status = tool_pem(a.cert ? "CERTIFICATE" : "PUBLIC KEY", der, len, &pem, &pem_len);
        if (status == TOOL_OK) {
            status = tool_write_file(a.out, pem, pem_len, 0644);
        }
        free(pem);
    }
    free(der);
    return status;
}
