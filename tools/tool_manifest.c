/* Batch manifests (tool_manifest.h).
 *
 * CSV (RFC 4180): a header line naming the columns serial, label, subject,
 * geometry and output in any order, then one line per device; a field in
 * double quotes may hold commas (subjects do) and doubled quotes; spaces
 * around an unquoted field are dropped; empty lines and lines starting
 * with '#' are skipped. JSON lines: one flat object per line with the same
 * five keys, string values. The first line that is not empty or a comment
 * tells which: '{' starts JSON. Every field is checked before any device
 * is made: a manifest with one bad line makes nothing. */
#include "tool_manifest.h"

#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_pki.h"
#include "nvtoken/flash_file.h"
#include "tool.h"
#include "tool_json.h"

enum { F_SERIAL, F_LABEL, F_SUBJECT, F_GEOMETRY, F_OUTPUT, N_FIELDS };
static const char *const field_names[N_FIELDS] = { "serial", "label", "subject", "geometry", "output" };

static int field_index(const char *name)
{
    for (int i = 0; i < N_FIELDS; i++) {
        if (strcmp(name, field_names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* Split one CSV line into fields (in place). \return the count, or -1 with
 * *error set. */
static int csv_fields(char *line, char **fields, int max, const char **error)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (n == max) {
            *error = "more fields than the header names";
            return -1;
        }
        char *out = p, *start = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') {
                    *error = "a quoted field does not end on its line";
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p == ' ' || *p == '\t') {
                p++;
            }
            if (*p != ',' && *p != '\0') {
                *error = "text after a quoted field";
                return -1;
            }
        } else {
            while (*p != ',' && *p != '\0') {
                if (*p == '"') {
                    *error = "a quote inside an unquoted field";
                    return -1;
                }
                *out++ = *p++;
            }
            while (out > start && (out[-1] == ' ' || out[-1] == '\t')) {
                out--;
            }
        }
        char sep = *p;
        *out = '\0';
        fields[n++] = start;
        if (sep == '\0') {
            return n;
        }
        p++;
    }
}

/* Check one device's fields. */
static int check_device(const char *path, const tool_device_t *d)
{
    const char *value[N_FIELDS] = { d->serial, d->label, d->subject, d->geometry, d->output };
    for (int i = 0; i < N_FIELDS; i++) {
        if (value[i] == NULL || value[i][0] == '\0') {
            return tool_complain(TOOL_INPUT, path, "line %u: no %s", d->line, field_names[i]);
        }
    }
    nvt_flash_geometry_t geo;
    if (strlen(d->label) > 32) {
        return tool_complain(TOOL_INPUT, path, "line %u: label longer than 32 bytes", d->line);
    }
    if (nvt_flash_geometry_parse(d->geometry, &geo) != NVT_OK) {
        return tool_complain(TOOL_INPUT, path, "line %u: bad geometry '%s' (SIZExCOUNTxUNIT)", d->line, d->geometry);
    }
    if (nvt_crypto_pki_name_check(d->subject) != NVT_OK) {
        return tool_complain(TOOL_INPUT, path, "line %u: bad subject '%s' (e.g. \"CN=dev-0001,O=Acme\")", d->line,
                             d->subject);
    }
    return TOOL_OK;
}

static int add_device(tool_manifest_t *m, size_t *cap, const tool_device_t *d, const char *path)
{
    int status = check_device(path, d);
    if (status != TOOL_OK) {
        return status;
    }
    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->devices[i].serial, d->serial) == 0 || strcmp(m->devices[i].output, d->output) == 0) {
            return tool_complain(TOOL_INPUT, path, "line %u: the %s of line %u again", d->line,
                                 strcmp(m->devices[i].serial, d->serial) == 0 ? "serial" : "output",
                                 m->devices[i].line);
        }
    }
    if (m->n == *cap) {
        size_t bigger = *cap == 0 ? 64 : 2 * *cap;
        tool_device_t *devs = realloc(m->devices, bigger * sizeof(*devs));
        if (devs == NULL) {
            return tool_complain(TOOL_FAILED, path, "out of memory");
        }
        m->devices = devs;
        *cap = bigger;
    }
    m->devices[m->n++] = *d;
    return TOOL_OK;
}

int tool_manifest_read(const char *path, tool_manifest_t *m)
{
    memset(m, 0, sizeof(*m));
    size_t len = 0, cap = 0;
    int status = tool_read_file(path, (uint8_t **)&m->text, &len);
    if (status != TOOL_OK) {
        return status;
    }
    if (memchr(m->text, '\0', len) != NULL) {
        return tool_complain(TOOL_INPUT, path, "not a text file (it holds a NUL byte)");
    }
    int format = 0; /* 0 unknown, 1 CSV, 2 JSON lines */
    int column[N_FIELDS]; /* CSV: the field of each column */
    int n_columns = 0;
    char *next = m->text;
    for (unsigned line = 1; status == TOOL_OK && next != NULL; line++) {
        char *text = next, *nl = strchr(text, '\n');
        next = nl != NULL ? nl + 1 : NULL;
        if (nl != NULL) {
            *nl = '\0';
        }
        size_t n = strlen(text);
        if (n > 0 && text[n - 1] == '\r') {
            text[--n] = '\0';
        }
        char *p = text;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p == '\0' || *p == '#') {
            continue;
        }
        tool_device_t d;
        memset(&d, 0, sizeof(d));
        d.line = line;
        const char **slot[N_FIELDS] = { &d.serial, &d.label, &d.subject, &d.geometry, &d.output };
        if (format == 0) {
            format = *p == '{' ? 2 : 1;
            if (format == 1) {
                /* The header line. */
                char *fields[32];
                const char *error = NULL;
                n_columns = csv_fields(p, fields, 32, &error);
                if (n_columns < 0) {
                    status = tool_complain(TOOL_INPUT, path, "line %u: %s", line, error);
                    break;
                }
                int seen = 0;
                for (int i = 0; i < n_columns; i++) {
                    int f = field_index(fields[i]);
                    if (f < 0 || (seen & (1 << f))) {
                        status = tool_complain(TOOL_INPUT, path,
                                               "line %u: %s column '%s' (the header names serial, label, subject, "
                                               "geometry and output)",
                                               line, f < 0 ? "unknown" : "a second", fields[i]);
                        break;
                    }
                    column[i] = f;
                    seen |= 1 << f;
                }
                if (status == TOOL_OK && n_columns != N_FIELDS) {
                    status = tool_complain(TOOL_INPUT, path,
                                           "line %u: the header must name serial, label, subject, geometry and output",
                                           line);
                }
                continue;
            }
        }
        if (format == 1) {
            char *fields[N_FIELDS];
            const char *error = NULL;
            int got = csv_fields(p, fields, N_FIELDS, &error);
            if (got < 0 || got != n_columns) {
                status = tool_complain(TOOL_INPUT, path, "line %u: %s", line,
                                       got < 0 ? error : "fewer fields than the header names");
                break;
            }
            for (int i = 0; i < got; i++) {
                *slot[column[i]] = fields[i];
            }
        } else {
            tool_json_member_t members[16];
            size_t count = 0;
            const char *error = NULL;
            if (tool_json_flat(p, members, 16, &count, &error) != 0) {
                status = tool_complain(TOOL_INPUT, path, "line %u: %s", line, error);
                break;
            }
            for (size_t i = 0; i < count; i++) {
                int f = field_index(members[i].key);
                if (f < 0 || !members[i].is_string) {
                    status = tool_complain(TOOL_INPUT, path, "line %u: %s '%s'", line,
                                           f < 0 ? "unknown key" : "not a string: key", members[i].key);
                    break;
                }
                *slot[f] = members[i].value;
            }
        }
        if (status == TOOL_OK) {
            status = add_device(m, &cap, &d, path);
        }
    }
    if (status == TOOL_OK && m->n == 0) {
        status = tool_complain(TOOL_INPUT, path, "no device in the manifest");
    }
    if (status != TOOL_OK) {
        tool_manifest_free(m);
    }
    return status;
}

void tool_manifest_free(tool_manifest_t *m)
{
    free(m->text);
    free(m->devices);
    memset(m, 0, sizeof(*m));
}
