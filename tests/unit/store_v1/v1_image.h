/* Real format-1 store images for tests: made by the store as it was on
 * main at 8b4e0e3 (store_v1/, see README.md), the last code that wrote
 * format version 1. No store types here, so that a test can include the
 * current store.h beside it. */
#ifndef V1_IMAGE_H
#define V1_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/flash.h"

/* One operation: put \p len bytes of \p data as object \p id with \p flags
 * (NVT_STORE_SENSITIVE), or (del) delete it. */
typedef struct v1_op {
    uint16_t id;
    int del;
    const uint8_t *data;
    uint32_t len;
    unsigned flags;
} v1_op_t;

/* Format \p flash with the version-1 store (16 index slots) and run
 * \p ops on it. Returns NVT_OK or the first error (and the index of the
 * operation that failed in *at, if not NULL). */
int v1_image_build(const nvt_flash_t *flash, const v1_op_t *ops, size_t n, size_t *at);

#endif /* V1_IMAGE_H */
