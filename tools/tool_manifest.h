/* A batch manifest: one device per line, CSV with a header line or JSON
 * lines. See tool_manifest.c. */
#ifndef NVT_TOOL_MANIFEST_H
#define NVT_TOOL_MANIFEST_H

#include <stddef.h>

/** One device of the manifest; strings point into the manifest's text. */
typedef struct tool_device {
    const char *serial;
    const char *label;     /**< the token's label, up to 32 bytes */
    const char *subject;   /**< the certificate's subject */
    const char *geometry;  /**< SIZExCOUNTxUNIT */
    const char *output;    /**< the image's path */
    unsigned line;         /**< where it is in the manifest */
} tool_device_t;

typedef struct tool_manifest {
    char *text;            /**< the file, cut into strings in place */
    tool_device_t *devices;
    size_t n;
} tool_manifest_t;

/** Read and check the manifest at \p path: every device with all five
 *  fields, a label of at most 32 bytes, a subject the request writer
 *  takes, a geometry that parses, and serials and outputs that no two
 *  devices share. Complains "MANIFEST:LINE: what" itself (TOOL_INPUT). */
int tool_manifest_read(const char *path, tool_manifest_t *m);

void tool_manifest_free(tool_manifest_t *m);

#endif /* NVT_TOOL_MANIFEST_H */
