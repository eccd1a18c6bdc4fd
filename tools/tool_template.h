/* PKCS#11 templates the commands build, and the --attr NAME=VALUE option.
 * See tool_template.c. */
#ifndef NVT_TOOL_TEMPLATE_H
#define NVT_TOOL_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/pkcs11.h"

#define TOOL_TEMPLATE_MAX 32

/** A template; values point into the caller's buffers, or into the
 *  template for booleans and numbers. */
typedef struct tool_template {
    CK_ATTRIBUTE a[TOOL_TEMPLATE_MAX];
    CK_ULONG n;
    CK_BBOOL bools[TOOL_TEMPLATE_MAX];
    CK_ULONG ulongs[TOOL_TEMPLATE_MAX];
} tool_template_t;

/** Set an attribute, replacing one of the same type. */
void tool_tmpl_bool(tool_template_t *t, CK_ATTRIBUTE_TYPE type, CK_BBOOL value);
void tool_tmpl_ulong(tool_template_t *t, CK_ATTRIBUTE_TYPE type, CK_ULONG value);
void tool_tmpl_bytes(tool_template_t *t, CK_ATTRIBUTE_TYPE type, const void *value, size_t len);

/** The template of an X.509 certificate token object: public, its DER,
 *  CKA_ID, label and CKA_CERTIFICATE_CATEGORY (1 token user: its key is
 *  in the token; 2 authority). Subject, issuer and serial number are left
 *  to the token, which takes them from the DER. \p der and \p label must
 *  outlive the template. */
void tool_tmpl_cert(tool_template_t *t, const uint8_t *der, size_t len, const uint8_t *id, size_t id_len,
                    const char *label, CK_ULONG category);

/** Apply --attr options (\p n of them) for an object of class \p cls.
 *  \return TOOL_OK, or TOOL_USAGE after one line about a name or value
 *  this tool does not know. */
int tool_tmpl_attrs(tool_template_t *t, const char *const *attrs, size_t n, const char *command);

#endif /* NVT_TOOL_TEMPLATE_H */
