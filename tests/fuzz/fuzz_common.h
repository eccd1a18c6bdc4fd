/* What the fuzz target and its seed-corpus generator share: the geometries
 * fuzzed and the input layout.
 *
 * Input: byte 0 picks a geometry, byte 1 holds flags (bit 0: strict flash,
 * bit 1: after the checks, run the operations that follow the image), then
 * the raw image (missing bytes read as erased), then operations: 3 bytes
 * each (kind, id, length), the first FUZZ_OPS_MAX of them (inputs of a
 * thousand writes and collections brought the target from 170 to 20
 * executions a second without reaching more code). */
#ifndef NVT_FUZZ_COMMON_H
#define NVT_FUZZ_COMMON_H

#include <stdint.h>

#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"

static const nvt_flash_geometry_t fuzz_geos[] = {
    {256, 8, 8}, {512, 4, 4}, {1024, 2, 1}, {256, 16, 32}, {1024, 4, 8}, {256, 12, 2},
};
#define FUZZ_NGEO (sizeof(fuzz_geos) / sizeof(fuzz_geos[0]))
#define FUZZ_REGION_MAX 4096u
#define FUZZ_SECTORS_MAX 16u

#define FUZZ_OPS_MAX 48u

#define FUZZ_STRICT 0x01u
#define FUZZ_WRITE 0x02u

#endif /* NVT_FUZZ_COMMON_H */
