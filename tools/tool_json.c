/* JSON written and read (tool_json.h). The reader takes what the tool
 * needs - a flat object per line - and says precisely where it stops. */
#include "tool_json.h"

#include <string.h>

void tool_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                fprintf(f, "\\u%04x", *p);
            } else {
                fputc(*p, f);
            }
        }
    }
    fputc('"', f);
}

static char *skip_space(char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
        p++;
    }
    return p;
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        int c = (unsigned char)p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            return -1;
        }
        *v = *v << 4 | (unsigned)d;
    }
    return 0;
}

/* A string at *pp (after its opening quote), unescaped in place; *pp is
 * left after the closing quote. */
static char *read_string(char **pp, const char **error)
{
    char *p = *pp, *out = p, *start = p;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '\0') {
            *error = "a string does not end";
            return NULL;
        }
        if (c == '"') {
            break;
        }
        if (c < 0x20) {
            *error = "a control character in a string";
            return NULL;
        }
        if (c != '\\') {
            *out++ = *p++;
            continue;
        }
        p++;
        switch (*p) {
        case '"': case '\\': case '/': *out++ = *p; break;
        case 'n': *out++ = '\n'; break;
        case 't': *out++ = '\t'; break;
        case 'r': *out++ = '\r'; break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'u': {
            unsigned v;
            if (hex4(p + 1, &v) != 0 || v == 0 || (v >= 0xd800 && v <= 0xdfff)) {
                *error = "a bad \\u escape (or a surrogate, which this reader does not take)";
                return NULL;
            }
            /* UTF-8 */
            if (v < 0x80) {
                *out++ = (char)v;
            } else if (v < 0x800) {
                *out++ = (char)(0xc0 | v >> 6);
                *out++ = (char)(0x80 | (v & 0x3f));
            } else {
                *out++ = (char)(0xe0 | v >> 12);
                *out++ = (char)(0x80 | ((v >> 6) & 0x3f));
                *out++ = (char)(0x80 | (v & 0x3f));
            }
            p += 4;
            break;
        }
        default:
            *error = "a bad escape in a string";
            return NULL;
        }
        p++;
    }
    *out = '\0';
    *pp = p + 1;
    return start;
}

int tool_json_flat(char *text, tool_json_member_t *members, size_t max, size_t *n, const char **error)
{
    char *p = skip_space(text);
    *n = 0;
    if (*p++ != '{') {
        *error = "not a JSON object";
        return -1;
    }
    p = skip_space(p);
    if (*p == '}') {
        p++;
    } else {
        for (;;) {
            if (*p != '"') {
                *error = "a key is not a string";
                return -1;
            }
            p++;
            char *key = read_string(&p, error);
            if (key == NULL) {
                return -1;
            }
            p = skip_space(p);
            if (*p++ != ':') {
                *error = "no ':' after a key";
                return -1;
            }
            p = skip_space(p);
            tool_json_member_t m = { key, NULL, 0 };
            char *end;
            if (*p == '"') {
                p++;
                char *v = read_string(&p, error);
                if (v == NULL) {
                    return -1;
                }
                m.value = v;
                m.is_string = 1;
                end = p;
            } else if (*p == '{' || *p == '[') {
                *error = "a nested object or array (values are strings or numbers)";
                return -1;
            } else {
                char *v = p;
                while (*p != '\0' && *p != ',' && *p != '}' && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
                    p++;
                }
                if (p == v) {
                    *error = "a value is missing";
                    return -1;
                }
                end = p;
                m.value = v;
            }
            p = skip_space(p);
            char sep = *p;
            *end = '\0'; /* ends an unquoted value; after a string it is the quote's place */
            if (*n == max) {
                *error = "too many members";
                return -1;
            }
            members[(*n)++] = m;
            if (sep == ',') {
                p = skip_space(p + 1);
                continue;
            }
            if (sep == '}') {
                p++;
                break;
            }
            *error = "no ',' or '}' after a value";
            return -1;
        }
    }
    p = skip_space(p);
    if (*p != '\0') {
        *error = "text after the object";
        return -1;
    }
    return 0;
}

const char *tool_json_get(const tool_json_member_t *members, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(members[i].key, key) == 0) {
            return members[i].value;
        }
    }
    return NULL;
}
