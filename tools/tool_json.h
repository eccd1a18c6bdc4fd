/* JSON for `list --json`, batch manifests (JSON lines) and batch reports:
 * strings written escaped, flat objects read. See tool_json.c. */
#ifndef NVT_TOOL_JSON_H
#define NVT_TOOL_JSON_H

#include <stddef.h>
#include <stdio.h>

/** \p s as a JSON string (quoted; control characters, quote and backslash
 *  escaped; other bytes as they are). */
void tool_json_string(FILE *f, const char *s);

/** One member of a flat object: both NUL-terminated, in the caller's
 *  buffer (tool_json_flat() unescapes in place). */
typedef struct tool_json_member {
    const char *key;
    const char *value; /**< a string's contents, or a number, true, false, null as written */
    int is_string;
} tool_json_member_t;

/** Read one flat JSON object (string keys; string, number, true, false or
 *  null values; no nesting) from the NUL-terminated \p text, which is
 *  modified. \return 0, or -1 with *error set to what is wrong. */
int tool_json_flat(char *text, tool_json_member_t *members, size_t max, size_t *n, const char **error);

/** The value of \p key among \p n members, or NULL. */
const char *tool_json_get(const tool_json_member_t *members, size_t n, const char *key);

#endif /* NVT_TOOL_JSON_H */
