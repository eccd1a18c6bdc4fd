/* PKCS#11 templates and the --attr option (tool_template.h). The token
 * decides whether an attribute is allowed: this file only spells it. */
#include "tool_template.h"

#include <stdint.h>
#include <string.h>

#include "tool.h"

static CK_ATTRIBUTE *slot_for(tool_template_t *t, CK_ATTRIBUTE_TYPE type, CK_ULONG *index)
{
    CK_ULONG i = 0;
    while (i < t->n && t->a[i].type != type) {
        i++;
    }
    if (i == t->n && t->n < TOOL_TEMPLATE_MAX) {
        t->n++;
    }
    *index = i < TOOL_TEMPLATE_MAX ? i : TOOL_TEMPLATE_MAX - 1;
    t->a[*index].type = type;
    return &t->a[*index];
}

void tool_tmpl_bool(tool_template_t *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL value)
{
    CK_ULONG i;
    CK_ATTRIBUTE *a = slot_for(t, type, &i);
    t->bools[i] = value;
    a->pValue = &t->bools[i];
    a->ulValueLen = sizeof(CK_BBOOL);
}

void tool_tmpl_ulong(tool_template_t *t, CK_ATTRIBUTE_TYPE type, CK_ULONG value)
{
    CK_ULONG i;
    CK_ATTRIBUTE *a = slot_for(t, type, &i);
    t->ulongs[i] = value;
    a->pValue = &t->ulongs[i];
    a->ulValueLen = sizeof(CK_ULONG);
}

void tool_tmpl_bytes(tool_template_t *t, CK_ATTRIBUTE_TYPE type, const void *value, size_t len)
{
    CK_ULONG i;
    CK_ATTRIBUTE *a = slot_for(t, type, &i);
    a->pValue = (CK_VOID_PTR)(uintptr_t)value;
    a->ulValueLen = (CK_ULONG)len;
}

void tool_tmpl_cert(tool_template_t *t, const uint8_t *der, size_t len, const uint8_t *id, size_t id_len,
                    const char *label, CK_ULONG category)
{
    tool_tmpl_ulong(t, CKA_CLASS, CKO_CERTIFICATE);
    tool_tmpl_ulong(t, CKA_CERTIFICATE_TYPE, CKC_X_509);
    tool_tmpl_bool(t, CKA_TOKEN, CK_TRUE);
    tool_tmpl_bool(t, CKA_PRIVATE, CK_FALSE);
    tool_tmpl_bytes(t, CKA_VALUE, der, len);
    tool_tmpl_bytes(t, CKA_ID, id, id_len);
    if (label != NULL) {
        tool_tmpl_bytes(t, CKA_LABEL, label, strlen(label));
    }
    tool_tmpl_ulong(t, CKA_CERTIFICATE_CATEGORY, category);
}

static const struct {
    const char *name;
    CK_ATTRIBUTE_TYPE type;
} bool_attrs[] = {
    { "private", CKA_PRIVATE },
    { "sensitive", CKA_SENSITIVE },
    { "extractable", CKA_EXTRACTABLE },
    { "modifiable", CKA_MODIFIABLE },
    { "copyable", CKA_COPYABLE },
    { "destroyable", CKA_DESTROYABLE },
    { "sign", CKA_SIGN },
    { "verify", CKA_VERIFY },
    { "encrypt", CKA_ENCRYPT },
    { "decrypt", CKA_DECRYPT },
    { "wrap", CKA_WRAP },
    { "unwrap", CKA_UNWRAP },
    { "derive", CKA_DERIVE },
    { "sign-recover", CKA_SIGN_RECOVER },
    { "verify-recover", CKA_VERIFY_RECOVER },
    { "trusted", CKA_TRUSTED },
    { "always-authenticate", CKA_ALWAYS_AUTHENTICATE },
};

int tool_tmpl_attrs(tool_template_t *t, const char *const *attrs, size_t n, const char *command)
{
    for (size_t k = 0; k < n; k++) {
        const char *text = attrs[k], *eq = strchr(text, '=');
        size_t name_len = eq != NULL ? (size_t)(eq - text) : strlen(text);
        const char *value = eq != NULL ? eq + 1 : "";
        if (name_len == 8 && strncmp(text, "category", 8) == 0) {
            uint64_t v;
            if (tool_parse_number(value, 3, &v) != 0) {
                return tool_complain(TOOL_USAGE, command, "bad --attr '%s' (category=0..3)", text);
            }
            tool_tmpl_ulong(t, CKA_CERTIFICATE_CATEGORY, (CK_ULONG)v);
            continue;
        }
        size_t i = 0;
        while (i < sizeof(bool_attrs) / sizeof(bool_attrs[0]) &&
               (strlen(bool_attrs[i].name) != name_len || strncmp(bool_attrs[i].name, text, name_len) != 0)) {
            i++;
        }
        int yes = strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0;
        int no = strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || strcmp(value, "0") == 0;
        if (i == sizeof(bool_attrs) / sizeof(bool_attrs[0])) {
            return tool_complain(TOOL_USAGE, command, "unknown attribute in --attr '%s' (%s %s --help)", text,
                                 tool_prog, command);
        }
        if (eq == NULL || (!yes && !no)) {
            return tool_complain(TOOL_USAGE, command, "bad --attr '%s' (NAME=true or NAME=false)", text);
        }
        tool_tmpl_bool(t, bool_attrs[i].type, yes ? CK_TRUE : CK_FALSE);
    }
    return TOOL_OK;
}
