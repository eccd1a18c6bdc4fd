/* nvt_store_fsck() (include/nvtoken/store.h): check every record of the
 * region and report; repair only what is safe. In a file of its own, so a
 * firmware that never calls it does not link it. */
#include "nvt_store_priv.h"

#include <string.h>

int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report)
{
    nvt_store_fsck_report_t r;
    nvt_st_scan_t sc;
    if (st == NULL || st->state == 0 || report == NULL ||
        (flags & ~(unsigned)NVT_STORE_FSCK_REPAIR) != 0) {
        return NVT_E_INVALID;
    }
    memset(&r, 0, sizeof(r));
    *report = r;
    /* Start from what the flash holds, not from what RAM believes. */
    int rc = nvt_st_load(st);
    st->state = 2;
    for (uint32_t s = 0; rc == NVT_OK && s < st->nsec; s++) {
        uint32_t q = st->sec[s].seq, base = s * st->ss, end;
        int damaged = q == NVT_ST_SEQ_DIRTY;
        if (nvt_st_is_log(q)) {
            r.sectors_ok++;
            memset(&sc, 0, sizeof(sc));
            sc.want = NVT_STORE_ID_NONE;
            rc = nvt_st_scan(st, s, 0, &sc);
            r.records_ok += sc.valid;
            /* A torn or foreign entry where the table ends, and bytes after
             * the last record's data that no entry accounts for, are what
             * interrupted writes leave. */
            r.records_torn += sc.end == NVT_ST_B_BAD;
            end = nvt_st_slot(st, sc.j) + (sc.end == NVT_ST_B_FF ? st->a : 0u);
            if (rc == NVT_OK && end > sc.dend) {
                rc = nvt_st_used(st, base + sc.dend, end - sc.dend);
                r.records_torn += rc > 0;
                rc = rc > 0 ? NVT_OK : rc;
            }
        } else if (!damaged) {
            /* Free: blank after its erase block? */
            rc = nvt_st_used(st, base + st->ib, st->ss - st->ib);
            damaged = rc > 0;
            rc = rc > 0 ? NVT_OK : rc;
            r.sectors_blank += !damaged;
        }
        r.sectors_damaged += (uint32_t)damaged;
        if (rc == NVT_OK && damaged && (flags & NVT_STORE_FSCK_REPAIR)) {
            rc = nvt_st_wipe(st, s);
            r.repaired += rc == NVT_OK;
        }
    }
    /* Every live object's data against its CRC. */
    for (uint32_t i = 0; rc == NVT_OK && i < st->n; i++) {
        const nvt_store_entry_t *e = &st->idx[i];
        if (((e->lt >> 24) & NVT_ST_K_MASK) == NVT_ST_K_TOMB) {
            continue;
        }
        r.objects++;
        int k = nvt_st_obj(st, e, 0, NULL, 0);
        r.records_corrupt += k == NVT_E_CORRUPT;
        rc = k == NVT_E_CORRUPT ? NVT_OK : k;
    }
    *report = r;
    if (rc == NVT_OK) {
        rc = nvt_st_load(st);
    }
    return rc != NVT_OK ? rc : r.records_corrupt != 0 ? NVT_E_CORRUPT : NVT_OK;
}
