/* nvt_store_fsck() (include/nvtoken/store.h): check every block and record
 * of the region, report each finding, and (NVT_STORE_FSCK_REPAIR) repair
 * what is safe. In a file of its own, so a firmware that never calls it
 * does not link it. */
#include "nvt_store_priv.h"

#include <string.h>

/* Count \p n findings of \p kind in *count, and tell the caller. */
static void found(nvt_store_finding_fn fn, void *ctx, unsigned kind, uint32_t s, uint32_t id,
                  uint32_t n, uint32_t *count)
{
    *count += n;
    if (fn != NULL && n != 0) {
        nvt_store_finding_t f = {kind, s, (nvt_store_id_t)id, n};
        fn(ctx, &f);
    }
}

int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report,
                   nvt_store_finding_fn on_finding, void *ctx)
{
    nvt_store_fsck_report_t *r = report;
    nvt_st_scan_t sc;
    nvt_st_hdr_t h;
    uint32_t s;
    if (st == NULL || st->state == 0 || r == NULL ||
        (flags & ~(unsigned)NVT_STORE_FSCK_REPAIR) != 0) {
        return NVT_E_INVALID;
    }
    memset(r, 0, sizeof(*r));
    /* One scan state for every sector: only its count of valid entries
     * (records_ok) is kept; nothing is applied to the index. */
    memset(&sc, 0, sizeof(sc));
    /* Start from what the flash holds, not from what RAM believes. */
    int rc = nvt_st_load(st);
    st->state = 2;
    for (s = 0; rc == NVT_OK && s < st->sector_count; s++) {
        uint32_t fixed = st->corrected, q = st->sectors[s].seq, log = (uint32_t)nvt_st_is_log(q);
        uint32_t from = st->info_size, to = st->sector_size; /* must read blank: a free sector's */
        uint32_t torn = 0, redo = 0;
        rc = nvt_st_headers(st, s, &h);
        int damaged = q == NVT_ST_SEQ_DIRTY && h.version != 1u;
        sc.lost = 0;
        if (rc == NVT_OK && log) {
            r->sectors_ok++;
            rc = nvt_st_scan(st, s, 0, &sc);
            /* A torn or foreign entry where the table ends, and bytes after
             * the last record's data that no entry accounts for, are what
             * interrupted writes leave. */
            torn = sc.stop_kind == NVT_ST_B_BAD;
            from = sc.data_end;
            to = nvt_st_slot(st, sc.stop - (sc.stop_kind == NVT_ST_B_FF)); /* FF: slot j too */
            found(on_finding, ctx, NVT_STORE_FINDING_LOST, s, NVT_STORE_ID_NONE, sc.lost,
                  &r->records_lost);
            redo = h.redo || sc.lost != 0;
        }
        if (rc == NVT_OK && !damaged && to > from) {
            rc = nvt_st_written(st, s * st->sector_size + from, to - from);
            torn += rc > 0 && log;
            damaged = !log && rc > 0;
            rc = rc > 0 ? NVT_OK : rc;
        }
        redo |= st->corrected != fixed;
        found(on_finding, ctx, NVT_STORE_FINDING_CORRECTED, s, NVT_STORE_ID_NONE,
              st->corrected - fixed, &r->blocks_corrected);
        found(on_finding, ctx, NVT_STORE_FINDING_TORN, s, NVT_STORE_ID_NONE, torn,
              &r->records_torn);
        found(on_finding, ctx, NVT_STORE_FINDING_OLD, s, NVT_STORE_ID_NONE, h.version == 1u,
              &r->sectors_old);
        found(on_finding, ctx, NVT_STORE_FINDING_DAMAGED, s, NVT_STORE_ID_NONE,
              (uint32_t)damaged, &r->sectors_damaged);
        r->sectors_blank += !log && !damaged && h.version != 1u;
        if (rc == NVT_OK && (flags & NVT_STORE_FSCK_REPAIR) &&
            (log ? redo : damaged || q == NVT_ST_SEQ_DIRTY)) {
            /* Rewrite the sector (its records move, as collection does),
             * or erase it if it holds nothing. */
            rc = log ? nvt_st_collect(st, s) : nvt_st_erase(st, s);
            found(on_finding, ctx, NVT_STORE_FINDING_REPAIRED, s, NVT_STORE_ID_NONE,
                  rc == NVT_OK, &r->repaired);
        }
    }
    r->records_ok = sc.valid;
    /* Every live object's data against its CRC. */
    for (uint32_t i = 0; rc == NVT_OK && i < st->used; i++) {
        const nvt_store_entry_t *e = &st->index[i];
        if (((e->lt >> 24) & NVT_ST_K_MASK) == NVT_ST_K_TOMB) {
            continue;
        }
        r->objects++;
        rc = nvt_st_object(st, e, 0, NULL, 0);
        found(on_finding, ctx, NVT_STORE_FINDING_CORRUPT, e->addr / st->sector_size, e->id,
              rc == NVT_E_CORRUPT, &r->records_corrupt);
        rc = rc == NVT_E_CORRUPT ? NVT_OK : rc;
    }
    /* RAM now matches the flash: the index is the one just read, and
     * repairs rewrote sectors through batches, which keep it current; a
     * head that a failed write closed stays closed. */
    st->state = rc == NVT_OK ? 1u : 2u;
    return rc != NVT_OK                                         ? rc
           : r->records_corrupt != 0 || r->records_lost != 0 ? NVT_E_CORRUPT
                                                               : NVT_OK;
}

int nvt_store_read_damaged(nvt_store_t *st, nvt_store_id_t id, void *buf, size_t buf_len, size_t *out_len)
{
    size_t n = 0;
    if (buf == NULL || out_len == NULL) {
        return NVT_E_INVALID;
    }
    int rc = nvt_store_size(st, id, &n, NULL);
    *out_len = n;
    if (rc != NVT_OK) {
        return rc;
    }
    if (n > buf_len) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    rc = NVT_E_NOT_FOUND;
    for (uint32_t i = 0; i < st->used && rc == NVT_E_NOT_FOUND; i++) {
        const nvt_store_entry_t *e = &st->index[i];
        if (e->id == id && ((e->lt >> 24) & NVT_ST_K_MASK) != NVT_ST_K_TOMB) {
            rc = nvt_st_object(st, e, 0, buf, (uint32_t)n);
        }
    }
    if (rc != NVT_OK && rc != NVT_E_CORRUPT) {
        memset(buf, 0, n);
    }
    return rc;
}
