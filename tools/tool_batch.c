/* nvtoken batch: provision every device of a manifest (tool_manifest.c).
 *
 * Per device, with the same functions as the single commands:
 *   1. a new image of the device's geometry under a temporary name, the
 *      token initialised (label, SO PIN, user PIN: tool_token_init);
 *   2. a key pair generated inside (id 01, "device-key": tool_genkey_pair)
 *      and its request (tool_make_csr) -> BASE.csr;
 *   3. the certificate the CA issues (the crypto layer's software CA)
 *      -> BASE.crt, imported (id 01, "device-cert"), and the CA's own
 *      certificate (id 02, "ca-cert");
 *   4. the image flushed and renamed to OUTPUT; fsck'ed; the flash file
 *      (BASE.hex, .srec or .bin) written from it;
 *   5. the report BASE.json, written last: a device with a report is done.
 * BASE is OUTPUT without its extension. Every file is written whole or not
 * at all (a temporary file renamed into place), so a batch stopped at any
 * moment restarts cleanly: a device with a report is verified (the image's
 * and the flash file's SHA-256 against the report, fsck, the geometry) and
 * skipped; one without is made again from the start. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nvt_crypto_pki.h"
#include "nvtoken/version.h"
#include "tool.h"
#include "tool_genkey.h"
#include "tool_hexfile.h"
#include "tool_image.h"
#include "tool_json.h"
#include "tool_manifest.h"
#include "tool_objects.h"
#include "tool_template.h"
#include "tool_token.h"

static const uint8_t key_id[1] = { 0x01 }, ca_id[1] = { 0x02 };
#define KEY_LABEL "device-key"
#define CERT_LABEL "device-cert"
#define CA_LABEL "ca-cert"
#define CERT_MAX 8192u

typedef struct batch {
    const char *manifest;
    tool_secret_t so_pin, pin;
    nvt_crypto_pki_ca_t *ca;
    uint8_t ca_der[CERT_MAX];
    size_t ca_der_len;
    tool_keyspec_t key;
    tool_format_t format;
    uint32_t address;
    uint32_t days;
    uint32_t pin_iterations;
    int bar; /* progress bar (a terminal) rather than lines */
} batch_t;

/* The files of one device. */
typedef struct device_files {
    char *image, *csr, *crt, *flash, *report;
} device_files_t;

static char *with_ext(const char *base, size_t base_len, const char *ext)
{
    size_t n = base_len + strlen(ext) + 1;
    char *s = malloc(n);
    if (s != NULL) {
        snprintf(s, n, "%.*s%s", (int)base_len, base, ext);
    }
    return s;
}

static void files_free(device_files_t *f)
{
    free(f->csr);
    free(f->crt);
    free(f->flash);
    free(f->report);
    memset(f, 0, sizeof(*f));
}

static int files_of(const batch_t *b, const tool_device_t *d, device_files_t *f)
{
    memset(f, 0, sizeof(*f));
    const char *dot = strrchr(d->output, '.'), *slash = strrchr(d->output, '/');
    size_t base_len = dot != NULL && (slash == NULL || dot > slash + 1) ? (size_t)(dot - d->output) : strlen(d->output);
    f->image = (char *)(uintptr_t)d->output;
    f->csr = with_ext(d->output, base_len, ".csr");
    f->crt = with_ext(d->output, base_len, ".crt");
    f->flash = with_ext(d->output, base_len, tool_format_ext(b->format));
    f->report = with_ext(d->output, base_len, ".json");
    if (f->csr == NULL || f->crt == NULL || f->flash == NULL || f->report == NULL) {
        files_free(f);
        return tool_complain(TOOL_FAILED, d->output, "out of memory");
    }
    const char *derived[4] = { f->csr, f->crt, f->flash, f->report };
    for (int i = 0; i < 4; i++) {
        if (strcmp(derived[i], f->image) == 0) {
            files_free(f);
            return tool_complain(TOOL_INPUT, b->manifest, "line %u: output '%s' is the name of its own %s file",
                                 d->line, d->output, i == 2 ? "flash" : i == 3 ? "report" : i == 0 ? "request"
                                                                                                   : "certificate");
        }
    }
    return TOOL_OK;
}

/* SHA-256 of a whole file, hex. */
static int file_sha256(const char *path, char out[65])
{
    uint8_t *data = NULL;
    size_t len = 0;
    int status = tool_read_file(path, &data, &len);
    if (status == TOOL_OK && tool_sha256_hex(data, len, out) != 0) {
        status = tool_complain(TOOL_FAILED, path, "cannot hash");
    }
    free(data);
    return status;
}

/* ------------------------------------------------------------------------
 * A device done before: verified, then skipped
 * ---------------------------------------------------------------------- */

/* The object of class cls with id in the image's token, described. */
static int one_object(tool_token_t *t, CK_OBJECT_CLASS cls, const uint8_t *id, tool_object_t *o)
{
    tool_match_t m = { cls, id, 1, NULL };
    CK_OBJECT_HANDLE h;
    CK_ULONG n = 0;
    CK_RV rv = tool_find(t->session, &m, &h, 1, &n);
    if (rv != CKR_OK) {
        return tool_token_fail(t, rv, "C_FindObjects");
    }
    if (n != 1) {
        return tool_complain(TOOL_DAMAGED, t->path, "%s %s with id %02x", n == 0 ? "no" : "more than one",
                             tool_class_name(cls), id[0]);
    }
    rv = tool_object_describe(t->session, h, o);
    return rv == CKR_OK ? TOOL_OK : tool_token_fail(t, rv, "reading an object");
}

/* What the token of a device done before holds: its label and serial, the
 * public key and certificate the report names, the CA's certificate. Read
 * only: nothing is written to the image. */
static int verify_token(const tool_device_t *d, const tool_json_member_t *m, size_t n)
{
    const char *serial = tool_json_get(m, n, "token_serial"), *key = tool_json_get(m, n, "public_key_sha256");
    const char *cert_serial = tool_json_get(m, n, "certificate_serial");
    if (serial == NULL || key == NULL || cert_serial == NULL) {
        return tool_complain(TOOL_DAMAGED, d->output, "its report lacks the token's serial, key or certificate");
    }
    tool_token_options_t o = { d->geometry, 0, TOOL_TOKEN_READ_ONLY, NULL };
    tool_token_t t;
    tool_object_t pub, cert, ca;
    memset(&pub, 0, sizeof(pub));
    memset(&cert, 0, sizeof(cert));
    memset(&ca, 0, sizeof(ca));
    CK_TOKEN_INFO ti;
    char label[33], token_serial[17];
    int status = tool_token_open(&t, d->output, &o);
    if (status == TOOL_OK) {
        CK_RV rv = C_GetTokenInfo(0, &ti);
        status = rv == CKR_OK ? TOOL_OK : tool_token_fail(&t, rv, "C_GetTokenInfo");
    }
    if (status == TOOL_OK) {
        size_t k = sizeof(ti.label);
        while (k > 0 && ti.label[k - 1] == ' ') {
            k--;
        }
        snprintf(label, sizeof(label), "%.*s", (int)k, (const char *)ti.label);
        snprintf(token_serial, sizeof(token_serial), "%.16s", (const char *)ti.serialNumber);
        if (strcmp(label, d->label) != 0 || strcmp(token_serial, serial) != 0) {
            status = tool_complain(TOOL_DAMAGED, d->output, "holds token \"%s\" %s, not \"%s\" %s", label,
                                   token_serial, d->label, serial);
        }
    }
    if (status == TOOL_OK) {
        status = tool_token_session(&t);
    }
    if (status == TOOL_OK && (status = one_object(&t, CKO_PUBLIC_KEY, key_id, &pub)) == TOOL_OK &&
        strcmp(pub.key_sha256, key) != 0) {
        status = tool_complain(TOOL_DAMAGED, d->output, "its public key is not the one of its report");
    }
    if (status == TOOL_OK && (status = one_object(&t, CKO_CERTIFICATE, key_id, &cert)) == TOOL_OK &&
        (strcmp(cert.serial, cert_serial) != 0 || strcmp(cert.key_sha256, key) != 0)) {
        status = tool_complain(TOOL_DAMAGED, d->output, "its certificate is not the one of its report");
    }
    if (status == TOOL_OK) {
        status = one_object(&t, CKO_CERTIFICATE, ca_id, &ca);
    }
    tool_object_free(&pub);
    tool_object_free(&cert);
    tool_object_free(&ca);
    int closed = tool_token_close(&t);
    return status != TOOL_OK ? status : closed;
}

/* A device with a report: its flash file as reported, its image clean
 * (fsck) and holding the token the report describes. The image itself may
 * have changed since - a login counts PIN attempts in it - so its contents
 * are checked, not its hash; the flash file, the deliverable, must be
 * byte for byte what the report says. */
static int verify_done(const tool_device_t *d, const device_files_t *f)
{
    uint8_t *text = NULL;
    size_t len = 0;
    int status = tool_read_file(f->report, &text, &len);
    if (status != TOOL_OK) {
        return status;
    }
    tool_json_member_t m[40];
    size_t n = 0;
    const char *error = NULL;
    char flash_hash[65];
    if (tool_json_flat((char *)text, m, 40, &n, &error) != 0) {
        status = tool_complain(TOOL_DAMAGED, f->report, "not a report of this tool (%s)", error);
    }
    const char *want_flash = status == TOOL_OK ? tool_json_get(m, n, "flash_sha256") : NULL;
    const char *serial = status == TOOL_OK ? tool_json_get(m, n, "serial") : NULL;
    const char *geometry = status == TOOL_OK ? tool_json_get(m, n, "geometry") : NULL;
    const char *flash = status == TOOL_OK ? tool_json_get(m, n, "flash_file") : NULL;
    if (status == TOOL_OK && (want_flash == NULL || serial == NULL || geometry == NULL || flash == NULL)) {
        status = tool_complain(TOOL_DAMAGED, f->report, "not a report of this tool (a field is missing)");
    }
    if (status == TOOL_OK && strcmp(serial, d->serial) != 0) {
        status = tool_complain(TOOL_DAMAGED, f->report, "reports device %s, not %s", serial, d->serial);
    }
    if (status == TOOL_OK && strcmp(geometry, d->geometry) != 0) {
        status = tool_complain(TOOL_DAMAGED, d->output, "made with geometry %s, but the manifest says %s", geometry,
                               d->geometry);
    }
    if (status == TOOL_OK && strcmp(flash, f->flash) != 0) {
        status = tool_complain(TOOL_DAMAGED, d->output, "its flash file was %s, now %s (another --format?)", flash,
                               f->flash);
    }
    if (status == TOOL_OK && (status = file_sha256(f->flash, flash_hash)) == TOOL_OK &&
        strcmp(flash_hash, want_flash) != 0) {
        status = tool_complain(TOOL_DAMAGED, f->flash, "the flash file changed since its report was written");
    }
    if (status == TOOL_OK) {
        tool_image_t im;
        nvt_store_fsck_report_t r;
        status = tool_image_open(&im, f->image, d->geometry);
        if (status == TOOL_OK && nvt_store_fsck(&im.store, 0, &r, NULL, NULL) != NVT_OK) {
            status = tool_complain(TOOL_DAMAGED, d->output, "fails fsck");
        }
        tool_image_close(&im);
    }
    if (status == TOOL_OK) {
        status = verify_token(d, m, n);
    }
    free(text);
    return status;
}

/* ------------------------------------------------------------------------
 * A device made
 * ---------------------------------------------------------------------- */

/* What the report says besides the files. */
typedef struct made {
    char token_serial[17];
    char public_key_sha256[65];
    nvt_crypto_pki_cert_info_t cert;
} made_t;

static int create_cert(tool_token_t *t, const uint8_t *der, size_t len, const uint8_t *id, const char *label,
                       CK_ULONG category)
{
    tool_template_t tp;
    memset(&tp, 0, sizeof(tp));
    tool_tmpl_cert(&tp, der, len, id, 1, label, category);
    CK_OBJECT_HANDLE h;
    CK_RV rv = C_CreateObject(t->session, tp.a, tp.n, &h);
    return rv == CKR_OK ? TOOL_OK : tool_token_fail(t, rv, "the token refused the certificate");
}

/* Steps 1 to 3, in the token of the new image at tmp. */
static int provision(batch_t *b, const tool_device_t *d, const device_files_t *f, const char *tmp, made_t *made)
{
    tool_token_options_t o = { d->geometry, b->pin_iterations, TOOL_TOKEN_NEW, d->output };
    tool_token_t t;
    CK_OBJECT_HANDLE pub, priv;
    uint8_t *csr = NULL, cert[CERT_MAX];
    size_t csr_len = 0, cert_len = 0;
    char *pem = NULL;
    size_t pem_len = 0;
    int status = tool_token_open(&t, tmp, &o);
    if (status == TOOL_OK) {
        status = tool_token_init(&t, d->label, &b->so_pin, &b->pin);
    }
    if (status == TOOL_OK) {
        status = tool_genkey_pair(&t, &b->key, key_id, 1, "01", KEY_LABEL, NULL, 0, &pub, &priv);
    }
    if (status == TOOL_OK) {
        status = tool_make_csr(&t, pub, priv, d->subject, &csr, &csr_len);
    }
    if (status == TOOL_OK && (status = tool_pem("CERTIFICATE REQUEST", csr, csr_len, &pem, &pem_len)) == TOOL_OK) {
        status = tool_write_file(f->csr, pem, pem_len, 0644);
        free(pem);
        pem = NULL;
    }
    if (status == TOOL_OK) {
        int rc = nvt_crypto_pki_ca_issue(b->ca, csr, csr_len, (int64_t)time(NULL), b->days, cert, sizeof(cert),
                                         &cert_len);
        if (rc != NVT_OK) {
            status = tool_complain(TOOL_FAILED, d->output, "the CA could not issue the certificate: %s",
                                   nvt_err_name(rc));
        }
    }
    if (status == TOOL_OK && (status = tool_pem("CERTIFICATE", cert, cert_len, &pem, &pem_len)) == TOOL_OK) {
        status = tool_write_file(f->crt, pem, pem_len, 0644);
        free(pem);
    }
    if (status == TOOL_OK) {
        status = create_cert(&t, cert, cert_len, key_id, CERT_LABEL, 1);
    }
    if (status == TOOL_OK) {
        status = create_cert(&t, b->ca_der, b->ca_der_len, ca_id, CA_LABEL, 2);
    }
    if (status == TOOL_OK) {
        CK_TOKEN_INFO ti;
        CK_RV rv = C_GetTokenInfo(0, &ti);
        status = rv == CKR_OK ? TOOL_OK : tool_token_fail(&t, rv, "C_GetTokenInfo");
        memcpy(made->token_serial, ti.serialNumber, 16);
        made->token_serial[16] = '\0';
    }
    if (status == TOOL_OK && nvt_crypto_pki_cert_info(cert, cert_len, &made->cert) == NVT_OK) {
        (void)tool_sha256_hex(made->cert.spki.p, made->cert.spki.len, made->public_key_sha256);
        made->cert.spki.p = NULL; /* it pointed into cert[] */
        made->cert.subject_der.p = NULL;
    }
    int closed = tool_token_close(&t);
    free(csr);
    return status != TOOL_OK ? status : closed;
}

static void report_field(FILE *f, const char *key, const char *value, int first)
{
    fprintf(f, "%s\n  \"%s\": ", first ? "{" : ",", key);
    tool_json_string(f, value);
}

static void report_number(FILE *f, const char *key, unsigned long value)
{
    fprintf(f, ",\n  \"%s\": %lu", key, value);
}

/* Step 5: the report, in memory, then written whole. */
static int write_report(const batch_t *b, const tool_device_t *d, const device_files_t *f, const made_t *made,
                        const char *image_hash, const char *flash_hash, unsigned objects)
{
    char *text = NULL, address[16], serial[65], when[32];
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem == NULL) {
        return tool_complain(TOOL_FAILED, f->report, "out of memory");
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(address, sizeof(address), "0x%08" PRIX32, b->address);
    tool_hex(made->cert.serial, made->cert.serial_len, serial);
    report_field(mem, "serial", d->serial, 1);
    report_field(mem, "label", d->label, 0);
    report_field(mem, "subject", made->cert.subject, 0);
    report_field(mem, "geometry", d->geometry, 0);
    report_field(mem, "image", f->image, 0);
    report_field(mem, "image_sha256", image_hash, 0);
    report_field(mem, "flash_file", f->flash, 0);
    report_field(mem, "flash_format", tool_format_name(b->format), 0);
    report_field(mem, "flash_address", address, 0);
    report_field(mem, "flash_sha256", flash_hash, 0);
    report_field(mem, "token_serial", made->token_serial, 0);
    report_field(mem, "key_type", b->key.name, 0);
    report_field(mem, "key_id", "01", 0);
    report_field(mem, "key_label", KEY_LABEL, 0);
    report_field(mem, "public_key_sha256", made->public_key_sha256, 0);
    report_field(mem, "csr", f->csr, 0);
    report_field(mem, "certificate", f->crt, 0);
    report_field(mem, "certificate_serial", serial, 0);
    report_field(mem, "issuer", made->cert.issuer, 0);
    report_field(mem, "not_before", made->cert.not_before, 0);
    report_field(mem, "not_after", made->cert.not_after, 0);
    report_number(mem, "objects", objects);
    report_field(mem, "fsck", "clean", 0);
    report_field(mem, "made", when, 0);
    report_field(mem, "tool", "nvtoken " NVT_VERSION_STRING, 0);
    fputs("\n}\n", mem);
    if (fclose(mem) != 0) {
        free(text);
        return tool_complain(TOOL_FAILED, f->report, "out of memory");
    }
    int status = tool_write_file(f->report, text, len, 0644);
    free(text);
    return status;
}

/* Steps 4 and 5, on the finished image. */
static int finish(batch_t *b, const tool_device_t *d, const device_files_t *f, const made_t *made)
{
    tool_image_t im;
    nvt_store_fsck_report_t r;
    uint8_t *data = NULL, *file = NULL;
    size_t len = 0, file_len = 0;
    char image_hash[65], flash_hash[65];
    int status = tool_image_open(&im, f->image, d->geometry);
    if (status == TOOL_OK && nvt_store_fsck(&im.store, 0, &r, NULL, NULL) != NVT_OK) {
        status = tool_complain(TOOL_DAMAGED, d->output, "fails fsck after provisioning");
    }
    if (status == TOOL_OK) {
        status = tool_image_bytes(&im, &data, &len);
    }
    if (status == TOOL_OK) {
        const char *base = strrchr(f->image, '/');
        status = tool_flash_file(b->format, data, len, b->address, base != NULL ? base + 1 : f->image, &file,
                                 &file_len);
    }
    if (status == TOOL_OK && (tool_sha256_hex(data, len, image_hash) != 0 ||
                              tool_sha256_hex(file, file_len, flash_hash) != 0)) {
        status = tool_complain(TOOL_FAILED, d->output, "cannot hash");
    }
    if (status == TOOL_OK) {
        status = tool_write_file(f->flash, file, file_len, 0600); /* the token's secrets are in it */
    }
    if (status == TOOL_OK) {
        status = write_report(b, d, f, made, image_hash, flash_hash, r.objects);
    }
    tool_image_close(&im);
    free(data);
    free(file);
    return status;
}

static int make_device(batch_t *b, const tool_device_t *d, const device_files_t *f)
{
    char *tmp = tool_tmp_name(f->image);
    if (tmp == NULL) {
        return tool_complain(TOOL_FAILED, d->output, "out of memory");
    }
    made_t made;
    memset(&made, 0, sizeof(made));
    (void)unlink(tmp); /* a leftover of a run killed with this process id */
    int status = tool_make_parents(f->image);
    if (status == TOOL_OK) {
        status = tool_token_blank_image(tmp, d->geometry);
    }
    if (status == TOOL_OK) {
        status = provision(b, d, f, tmp, &made);
        if (status == TOOL_OK) {
            status = tool_place_file(tmp, f->image, 1);
        } else {
            (void)unlink(tmp);
        }
    }
    free(tmp);
    if (status == TOOL_OK) {
        status = finish(b, d, f, &made);
    }
    return status;
}

/* ------------------------------------------------------------------------
 * The run
 * ---------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw_bar(size_t done, size_t total, size_t made, size_t skipped, size_t failed, double rate,
                     const char *what)
{
    const int width = 30;
    int filled = total > 0 ? (int)((done * (size_t)width) / total) : width;
    printf("\r[%.*s%.*s] %zu/%zu  made %zu, skipped %zu, failed %zu  %.1f/s  %.24s\033[K",
           filled, "##############################", width - filled, "..............................", done, total,
           made, skipped, failed, rate, what);
    fflush(stdout);
}

static int load_ca(batch_t *b, const char *key_path, const char *cert_path, const char *pass_file)
{
    uint8_t *key = NULL, *cert = NULL;
    size_t key_len = 0, cert_len = 0;
    tool_secret_t pass;
    memset(&pass, 0, sizeof(pass));
    int status = pass_file != NULL ? tool_secret_read(pass_file, "CA passphrase", &pass) : TOOL_OK;
    if (status == TOOL_OK) {
        status = tool_read_file(key_path, &key, &key_len);
    }
    if (status == TOOL_OK) {
        status = tool_read_file(cert_path, &cert, &cert_len);
    }
    if (status == TOOL_OK) {
        int rc = nvt_crypto_pki_ca_open(&b->ca, key, key_len, pass.value, pass.len, cert, cert_len);
        switch (rc) {
        case NVT_OK: break;
        case NVT_E_VERIFY:
            status = tool_complain(TOOL_INPUT, key_path, "%s",
                                   pass.set ? "wrong passphrase, or not the key of the CA certificate"
                                            : "encrypted (give --ca-passphrase-file), or not the key of the CA "
                                              "certificate");
            break;
        case NVT_E_UNSUPPORTED:
            status = tool_complain(TOOL_UNSUPPORTED, key_path,
                                   "a CA key type this tool does not use, or encrypted with more PBKDF2 iterations "
                                   "than it runs");
            break;
        default:
            status = tool_complain(TOOL_INPUT, cert_path, "the CA's key and certificate cannot be read "
                                                          "(a CA certificate, basicConstraints cA, is needed)");
            break;
        }
    }
    if (status == TOOL_OK &&
        nvt_crypto_pki_read_cert(cert, cert_len, b->ca_der, sizeof(b->ca_der), &b->ca_der_len) != NVT_OK) {
        status = tool_complain(TOOL_INPUT, cert_path, "not one X.509 certificate");
    }
    tool_secret_wipe(&pass);
    if (key != NULL) {
        tool_wipe(key, key_len);
    }
    free(key);
    free(cert);
    return status;
}

int tool_cmd_batch(int argc, char **argv)
{
    static const struct option opts[] = {
        { "ca-key", required_argument, NULL, 'k' },
        { "ca-cert", required_argument, NULL, 'c' },
        { "ca-passphrase-file", required_argument, NULL, 'w' },
        { "so-pin-file", required_argument, NULL, 's' },
        { "pin-file", required_argument, NULL, 'p' },
        { "format", required_argument, NULL, 'f' },
        { "address", required_argument, NULL, 'a' },
        { "type", required_argument, NULL, 't' },
        { "days", required_argument, NULL, 'd' },
        { "pin-iterations", required_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *ca_key = NULL, *ca_cert = NULL, *ca_pass = NULL, *so_pin_file = NULL, *pin_file = NULL;
    const char *format = "ihex", *address = NULL, *type = NULL, *days = NULL, *iterations = NULL;
    int c;
    optind = 1;
    while ((c = tool_getopt(argc, argv, ":h", opts)) != -1) {
        switch (c) {
        case 'k': ca_key = optarg; break;
        case 'c': ca_cert = optarg; break;
        case 'w': ca_pass = optarg; break;
        case 's': so_pin_file = optarg; break;
        case 'p': pin_file = optarg; break;
        case 'f': format = optarg; break;
        case 'a': address = optarg; break;
        case 't': type = optarg; break;
        case 'd': days = optarg; break;
        case 'i': iterations = optarg; break;
        case 'h': return tool_usage(argv[0], 1);
        default: return TOOL_USAGE;
        }
    }
    static batch_t b; /* large (the CA certificate), once */
    memset(&b, 0, sizeof(b));
    int status = tool_getopt_done(argc, argv, 1, &b.manifest, "MANIFEST");
    if (status != TOOL_OK) {
        return status;
    }
    if (ca_key == NULL || ca_cert == NULL || so_pin_file == NULL || pin_file == NULL) {
        return tool_complain(TOOL_USAGE, argv[0], "--ca-key, --ca-cert, --so-pin-file and --pin-file are needed");
    }
    uint64_t v = 0;
    if ((status = tool_format(format, NULL, &b.format, argv[0])) != TOOL_OK ||
        (status = tool_keyspec(type, &b.key, argv[0])) != TOOL_OK ||
        (status = tool_pin_iterations(iterations, &b.pin_iterations, argv[0])) != TOOL_OK) {
        return status;
    }
    if (address != NULL && tool_parse_number(address, UINT32_MAX, &v) != 0) {
        return tool_complain(TOOL_USAGE, argv[0], "bad --address '%s' (e.g. 0x0807C000)", address);
    }
    b.address = (uint32_t)v;
    b.days = 365;
    if (days != NULL) {
        if (tool_parse_number(days, 36600, &v) != 0 || v == 0) {
            return tool_complain(TOOL_USAGE, argv[0], "bad --days '%s' (1 to 36600)", days);
        }
        b.days = (uint32_t)v;
    }
    tool_manifest_t m;
    status = tool_manifest_read(b.manifest, &m);
    if (status != TOOL_OK) {
        return status;
    }
    /* The SO PIN, then the user PIN (one line each from standard input). */
    status = tool_secret_read(so_pin_file, "SO PIN", &b.so_pin);
    if (status == TOOL_OK) {
        status = tool_secret_read(pin_file, "PIN", &b.pin);
    }
    if (status == TOOL_OK) {
        status = load_ca(&b, ca_key, ca_cert, ca_pass);
    }
    b.bar = isatty(STDOUT_FILENO);
    size_t made = 0, skipped = 0, failed = 0;
    double start = now_s();
    if (b.bar && status == TOOL_OK) {
        draw_bar(0, m.n, 0, 0, 0, 0.0, "");
    }
    for (size_t i = 0; status == TOOL_OK && i < m.n; i++) {
        const tool_device_t *d = &m.devices[i];
        device_files_t f;
        char why[512];
        tool_capture(why, sizeof(why));
        int done_before = 0, st = files_of(&b, d, &f);
        if (st == TOOL_OK) {
            done_before = access(f.report, F_OK) == 0;
            st = done_before ? verify_done(d, &f) : make_device(&b, d, &f);
        }
        tool_capture(NULL, 0);
        if (st == TOOL_OK && done_before) {
            skipped++;
        } else if (st == TOOL_OK) {
            made++;
        } else {
            failed++;
            if (b.bar) { /* the complaint on a line of its own, the bar redrawn below it */
                printf("\r\033[K");
                fflush(stdout);
            }
            /* One line per device that failed. */
            if (done_before) {
                tool_complain(st, b.manifest, "line %u: device %s: done before, but %s (remove %s to make it again)",
                              d->line, d->serial, why, f.report);
            } else {
                tool_complain(st, b.manifest, "line %u: device %s: %s", d->line, d->serial, why);
            }
        }
        if (b.bar) {
            draw_bar(i + 1, m.n, made, skipped, failed, (double)made / (now_s() - start + 1e-9), d->serial);
        } else {
            printf("%-7s %s %s\n", st != TOOL_OK ? "FAILED" : done_before ? "skipped" : "made", d->serial,
                   d->output);
        }
        files_free(&f);
    }
    double elapsed = now_s() - start;
    if (status == TOOL_OK) {
        if (b.bar) {
            putchar('\n');
        }
        printf("batch: %zu devices: %zu made, %zu skipped (done before, verified), %zu failed; %.2f s, "
               "%.1f devices made per second\n",
               m.n, made, skipped, failed, elapsed, elapsed > 0 ? (double)made / elapsed : 0.0);
        status = failed > 0 ? TOOL_BATCH : TOOL_OK;
    }
    nvt_crypto_pki_ca_close(b.ca);
    tool_secret_wipe(&b.so_pin);
    tool_secret_wipe(&b.pin);
    tool_manifest_free(&m);
    return status;
}
