/* A RAM stand-in for the object store API (include/nvtoken/store.h), built
 * only while the real store (issue 3) has not landed in this branch: the
 * token layer can then be compiled and its non-persistent behaviour tested.
 * Not power-fail safe, not a store: objects live in the heap and are lost
 * at exit. src/token/CMakeLists.txt drops it as soon as nvt_store exists. */
#include "nvtoken/store.h"

#include <stdlib.h>
#include <string.h>

#if defined(__unix__)
#define STANDIN_IDS 65535u
#else
#define STANDIN_IDS 4096u /* the emulated board's 4 MiB */
#endif

struct nvt_store {
    unsigned char *data[STANDIN_IDS];
    size_t len[STANDIN_IDS];
    unsigned flags[STANDIN_IDS];
    int mounted;
};

/* Bytes to allocate for an nvt_store_t of the stand-in. */
size_t nvt_standin_store_size(void);
size_t nvt_standin_store_size(void)
{
    return sizeof(struct nvt_store);
}

/* Ids beyond the stand-in's table are refused like a full index. */
static int standin_id_ok(nvt_store_id_t id)
{
    return id < STANDIN_IDS;
}

int nvt_store_format(nvt_store_t *st, const nvt_store_config_t *cfg)
{
    (void)cfg;
    for (unsigned i = 0; i < STANDIN_IDS; i++) {
        free(st->data[i]);
        st->data[i] = NULL;
    }
    st->mounted = 1;
    return NVT_OK;
}

int nvt_store_mount(nvt_store_t *st, const nvt_store_config_t *cfg)
{
    (void)cfg;
    return st->mounted ? NVT_OK : NVT_E_NOT_FORMATTED;
}

int nvt_store_put(nvt_store_t *st, nvt_store_id_t id, const void *data, size_t len, unsigned flags)
{
    if (id == NVT_STORE_ID_NONE || (data == NULL && len > 0)) {
        return NVT_E_INVALID;
    }
    if (!standin_id_ok(id)) {
        return NVT_E_INDEX_FULL;
    }
    unsigned char *p = malloc(len > 0 ? len : 1);
    if (p == NULL) {
        return NVT_E_NO_SPACE;
    }
    if (len > 0) {
        memcpy(p, data, len);
    }
    free(st->data[id]);
    st->data[id] = p;
    st->len[id] = len;
    st->flags[id] = flags;
    return NVT_OK;
}

int nvt_store_get(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len)
{
    if (!standin_id_ok(id) || st->data[id] == NULL) {
        return NVT_E_NOT_FOUND;
    }
    *out_len = st->len[id];
    if (buf_len < st->len[id]) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    memcpy(buf, st->data[id], st->len[id]);
    return NVT_OK;
}

int nvt_store_read(nvt_store_t *st, nvt_store_id_t id, size_t offset, void *buf, size_t len, size_t *out_read)
{
    if (!standin_id_ok(id) || st->data[id] == NULL) {
        return NVT_E_NOT_FOUND;
    }
    size_t n = offset >= st->len[id] ? 0 : st->len[id] - offset;
    n = n < len ? n : len;
    memcpy(buf, st->data[id] + offset, n);
    *out_read = n;
    return NVT_OK;
}

int nvt_store_size(nvt_store_t *st, nvt_store_id_t id, size_t *len, unsigned *flags)
{
    if (!standin_id_ok(id) || st->data[id] == NULL) {
        return NVT_E_NOT_FOUND;
    }
    *len = st->len[id];
    *flags = st->flags[id];
    return NVT_OK;
}

int nvt_store_delete(nvt_store_t *st, nvt_store_id_t id)
{
    if (!standin_id_ok(id) || st->data[id] == NULL) {
        return NVT_E_NOT_FOUND;
    }
    free(st->data[id]);
    st->data[id] = NULL;
    return NVT_OK;
}

int nvt_store_next(nvt_store_t *st, nvt_store_id_t after, nvt_store_id_t *next)
{
    unsigned i = after == NVT_STORE_ID_NONE ? 0 : (unsigned)after + 1;
    for (; i < STANDIN_IDS; i++) {
        if (st->data[i] != NULL) {
            *next = (nvt_store_id_t)i;
            return NVT_OK;
        }
    }
    return NVT_E_NOT_FOUND;
}

int nvt_store_stat(nvt_store_t *st, nvt_store_stats_t *stats)
{
    memset(stats, 0, sizeof(*stats));
    for (unsigned i = 0; i < STANDIN_IDS; i++) {
        if (st->data[i] != NULL) {
            stats->objects++;
            stats->live_bytes += (uint32_t)st->len[i];
        }
    }
    stats->capacity = 1u << 20;
    stats->free = stats->capacity - stats->live_bytes;
    return NVT_OK;
}

int nvt_store_erase_count(nvt_store_t *st, uint32_t sector, uint32_t *count)
{
    (void)st;
    (void)sector;
    *count = 0;
    return NVT_OK;
}

int nvt_store_gc(nvt_store_t *st)
{
    (void)st;
    return NVT_OK;
}

int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report)
{
    (void)st;
    (void)flags;
    memset(report, 0, sizeof(*report));
    return NVT_OK;
}
