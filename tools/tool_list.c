/* nvtoken list: the token and its objects, as a table or as JSON. Objects
 * are named by what identifies them whatever the session - class, CKA_ID,
 * label, and a pkcs11: URI made of those - never by handle. No secret
 * value is read (tool_objects.c). */
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "tool_json.h"
#include "tool_objects.h"
#include "tool_token.h"

/* A PKCS#11 text field without its blank padding. */
static void unpad(const CK_UTF8CHAR *field, size_t size, char *out)
{
    size_t n = size;
    while (n > 0 && (field[n - 1] == ' ' || field[n - 1] == '\0')) {
        n--;
    }
    memcpy(out, field, n);
    out[n] = '\0';
}

/* RFC 7512 percent-encoding of everything but unreserved characters. */
static void uri_part(FILE *f, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int c = p[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            fputc(c, f);
        } else {
            fprintf(f, "%%%02X", (unsigned)c);
        }
    }
}

static const char *uri_type(CK_OBJECT_CLASS cls)
{
    switch (cls) {
    case CKO_PRIVATE_KEY: return "private";
    case CKO_PUBLIC_KEY: return "public";
    case CKO_CERTIFICATE: return "cert";
    case CKO_SECRET_KEY: return "secret-key";
    case CKO_DATA: return "data";
    default: return NULL;
    }
}

static void print_uri(FILE *f, const char *token_label, const tool_object_t *o)
{
    fputs("pkcs11:token=", f);
    uri_part(f, (const uint8_t *)token_label, strlen(token_label));
    if (o->label[0] != '\0') {
        fputs(";object=", f);
        uri_part(f, (const uint8_t *)o->label, strlen(o->label));
    }
    if (o->id_len > 0) {
        fputs(";id=", f);
        for (size_t i = 0; i < o->id_len; i++) {
            fprintf(f, "%%%02X", o->id[i]);
        }
    }
    if (uri_type(o->cls) != NULL) {
        fprintf(f, ";type=%s", uri_type(o->cls));
    }
}

static const char *yes_no(int v)
{
    return v ? "yes" : "no";
}

static const char *category_name(CK_ULONG c)
{
    switch (c) {
    case 1: return "token-user";
    case 2: return "authority";
    case 3: return "other-entity";
    default: return "unspecified";
    }
}

static int is_key(const tool_object_t *o)
{
    return o->cls == CKO_PRIVATE_KEY || o->cls == CKO_SECRET_KEY || o->cls == CKO_PUBLIC_KEY;
}

static void print_table(const char *image, const char *token_label, const CK_TOKEN_INFO *ti, int logged_in,
                        tool_object_t *objs, size_t n)
{
    char serial[17];
    unpad(ti->serialNumber, sizeof(ti->serialNumber), serial);
    printf("token:   \"%s\" (serial %s; user PIN %s; %s)\n", token_label, serial,
           (ti->flags & CKF_USER_PIN_INITIALIZED) ? "set" : "not set",
           logged_in ? "logged in: all objects" : "not logged in: public objects only");
    printf("image:   %s\n", image);
    printf("objects: %zu\n", n);
    if (n == 0) {
        return;
    }
    /* Column widths from the data. */
    int wid = 2, wlabel = 5;
    for (size_t i = 0; i < n; i++) {
        wid = (int)(2 * objs[i].id_len) > wid ? (int)(2 * objs[i].id_len) : wid;
        wlabel = (int)strlen(objs[i].label) > wlabel ? (int)strlen(objs[i].label) : wlabel;
    }
    printf("%-11s  %-*s  %-*s  %-9s %5s  %-4s %-4s %-4s %-5s  %-16s  %s\n", "CLASS", wid, "ID", wlabel, "LABEL", "TYPE",
           "BITS", "PRIV", "SENS", "EXTR", "LOCAL", "KEY SHA-256", "CERTIFICATE");
    for (size_t i = 0; i < n; i++) {
        const tool_object_t *o = &objs[i];
        char id[2 * 64 + 1], bits[16], digest[17];
        tool_hex(o->id, o->id_len < 64 ? o->id_len : 64, id);
        snprintf(bits, sizeof(bits), "%lu", (unsigned long)o->bits);
        snprintf(digest, sizeof(digest), "%.16s", o->key_sha256[0] != '\0' ? o->key_sha256 : "-");
        int secret = o->cls == CKO_PRIVATE_KEY || o->cls == CKO_SECRET_KEY;
        printf("%-11s  %-*s  %-*s  %-9s %5s  %-4s %-4s %-4s %-5s  %-16s", tool_class_name(o->cls), wid,
               id[0] != '\0' ? id : "-", wlabel, o->label[0] != '\0' ? o->label : "-", o->algo,
               o->bits > 0 ? bits : "-", yes_no(o->is_private), secret ? yes_no(o->sensitive) : "-",
               secret ? yes_no(o->extractable) : "-", is_key(o) ? yes_no(o->local) : "-", digest);
        if (o->cls == CKO_CERTIFICATE && o->subject[0] != '\0') {
            printf("  %s; issuer %s; until %s%s", o->subject, o->issuer, o->not_after, o->is_ca ? "; CA" : "");
        }
        putchar('\n');
    }
}

static void json_bool(const char *name, int v)
{
    printf(", \"%s\": %s", name, v ? "true" : "false");
}

static void json_str(const char *name, const char *v)
{
    printf(", \"%s\": ", name);
    tool_json_string(stdout, v);
}

static void print_json(const char *image, const nvt_flash_geometry_t *geo, const char *token_label,
                       const CK_TOKEN_INFO *ti, int logged_in, tool_object_t *objs, size_t n)
{
    char serial[17], g[48];
    unpad(ti->serialNumber, sizeof(ti->serialNumber), serial);
    tool_geometry_text(geo, g, sizeof(g));
    printf("{\"image\": ");
    tool_json_string(stdout, image);
    json_str("geometry", g);
    printf(", \"token\": {\"label\": ");
    tool_json_string(stdout, token_label);
    json_str("serial", serial);
    json_bool("user_pin_set", (ti->flags & CKF_USER_PIN_INITIALIZED) != 0);
    json_bool("logged_in", logged_in);
    printf("},\n \"objects\": [");
    for (size_t i = 0; i < n; i++) {
        const tool_object_t *o = &objs[i];
        char id[2 * 64 + 1];
        tool_hex(o->id, o->id_len < 64 ? o->id_len : 64, id);
        printf("%s\n  {\"class\": \"%s\"", i == 0 ? "" : ",", tool_class_name(o->cls));
        json_str("id", id);
        json_str("label", o->label);
        printf(", \"uri\": \"");
        print_uri(stdout, token_label, o);
        printf("\"");
        json_str("type", o->algo);
        if (o->bits > 0) {
            printf(", \"bits\": %lu", (unsigned long)o->bits);
        }
        json_bool("private", o->is_private);
        json_bool("modifiable", o->modifiable);
        if (o->cls == CKO_PRIVATE_KEY || o->cls == CKO_SECRET_KEY) {
            json_bool("sensitive", o->sensitive);
            json_bool("extractable", o->extractable);
            json_bool("always_sensitive", o->always_sensitive);
            json_bool("never_extractable", o->never_extractable);
        }
        if (is_key(o)) {
            json_bool("local", o->local);
            printf(", \"uses\": [");
            const struct {
                const char *name;
                int on;
            } uses[] = { { "sign", o->sign },       { "verify", o->verify }, { "encrypt", o->encrypt },
                         { "decrypt", o->decrypt }, { "wrap", o->wrap },     { "unwrap", o->unwrap },
                         { "derive", o->derive } };
            int first = 1;
            for (size_t u = 0; u < sizeof(uses) / sizeof(uses[0]); u++) {
                if (uses[u].on) {
                    printf("%s\"%s\"", first ? "" : ", ", uses[u].name);
                    first = 0;
                }
            }
            printf("]");
        }
        if (o->key_sha256[0] != '\0') {
            json_str("public_key_sha256", o->key_sha256);
        }
        if (o->cls == CKO_CERTIFICATE) {
            json_bool("trusted", o->trusted);
            json_str("category", category_name(o->category));
            printf(", \"size\": %zu", o->value_len);
            if (o->subject[0] != '\0') {
                json_str("subject", o->subject);
                json_str("issuer", o->issuer);
                json_str("serial", o->serial);
                json_str("not_before", o->not_before);
                json_str("not_after", o->not_after);
                json_bool("ca", o->is_ca);
            }
        } else if (o->cls == CKO_DATA) {
            printf(", \"size\": %zu", o->value_len);
        }
        printf("}");
    }
    printf("%s]}\n", n > 0 ? "\n " : "");
}

int tool_cmd_list(int argc, char **argv)
{
    static const struct option opts[] = {
        { "pin-file", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },
        { "geometry", required_argument, NULL, 'g' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *pin_file = NULL, *image = NULL, *geometry = NULL;
    int json = 0, c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'p': pin_file = optarg; break;
        case 'j': json = 1; break;
        case 'g': geometry = optarg; break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    int status = tool_getopt_done(argc, argv, 1, &image, "IMAGE");
    if (status != TOOL_OK) {
        return status;
    }
    tool_secret_t pin;
    memset(&pin, 0, sizeof(pin));
    if (pin_file != NULL) {
        status = tool_secret_read(pin_file, "PIN", &pin);
        if (status != TOOL_OK) {
            return status;
        }
    }
    tool_token_t t;
    tool_token_options_t o = { geometry, 0, pin_file == NULL ? TOOL_TOKEN_READ_ONLY : 0u, NULL };
    tool_object_t *objs = NULL;
    size_t n = 0;
    CK_TOKEN_INFO ti;
    char token_label[33] = "";
    memset(&ti, 0, sizeof(ti));
    status = tool_token_open(&t, image, &o);
    if (status == TOOL_OK) {
        CK_RV rv = C_GetTokenInfo(0, &ti);
        status = rv == CKR_OK ? TOOL_OK : tool_token_fail(&t, rv, "C_GetTokenInfo");
        if (status == TOOL_OK) {
            unpad(ti.label, sizeof(ti.label), token_label);
        }
        if (status == TOOL_OK && !(ti.flags & CKF_TOKEN_INITIALIZED)) {
            status = tool_complain(TOOL_DAMAGED, image, "the token is not initialised");
        }
    }
    if (status == TOOL_OK) {
        status = tool_token_session(&t);
    }
    if (status == TOOL_OK && pin.set) {
        status = tool_token_login(&t, CKU_USER, &pin);
    }
    tool_secret_wipe(&pin);
    if (status == TOOL_OK) {
        tool_match_t all = { TOOL_ANY_CLASS, NULL, 0, NULL };
        CK_ULONG count = 0;
        CK_RV rv = tool_find(t.session, &all, NULL, 0, &count);
        CK_OBJECT_HANDLE *h = rv == CKR_OK ? calloc(count + 1, sizeof(*h)) : NULL;
        objs = h != NULL ? calloc(count + 1, sizeof(*objs)) : NULL;
        if (rv == CKR_OK && objs != NULL) {
            rv = tool_find(t.session, &all, h, count, &count);
        }
        for (CK_ULONG i = 0; rv == CKR_OK && objs != NULL && i < count; i++) {
            rv = tool_object_describe(t.session, h[i], &objs[n]);
            n += rv == CKR_OK;
        }
        free(h);
        if (rv != CKR_OK) {
            status = tool_token_fail(&t, rv, "reading the objects");
        } else if (objs == NULL) {
            status = tool_complain(TOOL_FAILED, image, "out of memory");
        }
    }
    if (status == TOOL_OK) {
        qsort(objs, n, sizeof(*objs), tool_object_cmp);
        if (json) {
            print_json(image, &t.geo, token_label, &ti, pin_file != NULL, objs, n);
        } else {
            print_table(image, token_label, &ti, pin_file != NULL, objs, n);
        }
    }
    for (size_t i = 0; i < n; i++) {
        tool_object_free(&objs[i]);
    }
    free(objs);
    int closed = tool_token_close(&t);
    return status != TOOL_OK ? status : closed;
}
