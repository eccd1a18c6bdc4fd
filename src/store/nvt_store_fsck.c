/* nvt_store_fsck() (include/nvtoken/store.h): check every record of the
 * region and report; repair only what is safe. In a file of its own, so a
 * firmware that never calls it does not link it. */
#include "nvt_store_priv.h"

#include <string.h>

int nvt_store_fsck(nvt_store_t *st, unsigned flags, nvt_store_fsck_report_t *report)
{
    nvt_store_fsck_report_t *r = report;
    nvt_st_scan_t sc;
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
    for (s = 0; rc == NVT_OK && s < st->nsec; s++) {
        uint32_t q = st->sec[s].seq, log = (uint32_t)nvt_st_is_log(q);
        uint32_t from = st->ib, to = st->ss; /* must read blank: a free sector's */
        int damaged = q == NVT_ST_SEQ_DIRTY;
        if (log) {
            r->sectors_ok++;
            rc = nvt_st_scan(st, s, 0, &sc);
            /* A torn or foreign entry where the table ends, and bytes after
             * the last record's data that no entry accounts for, are what
             * interrupted writes leave. */
            r->records_torn += sc.end == NVT_ST_B_BAD;
            from = sc.dend;
            to = nvt_st_slot(st, sc.j - (sc.end == NVT_ST_B_FF)); /* FF: slot j too */
        }
        if (rc == NVT_OK && !damaged && to > from) {
            rc = nvt_st_used(st, s * st->ss + from, to - from);
            if (rc > 0 && log) {
                r->records_torn++;
            }
            damaged = !log && rc > 0;
            rc = rc > 0 ? NVT_OK : rc;
        }
        r->sectors_damaged += (uint32_t)damaged;
        if (rc == NVT_OK && damaged && (flags & NVT_STORE_FSCK_REPAIR)) {
            rc = nvt_st_wipe(st, s);
            r->repaired += rc == NVT_OK;
        }
    }
    /* Every sector is in the log, damaged or blank. */
    r->sectors_blank = s - r->sectors_ok - r->sectors_damaged;
    r->records_ok = sc.valid;
    /* Every live object's data against its CRC. */
    for (uint32_t i = 0; rc == NVT_OK && i < st->n; i++) {
        const nvt_store_entry_t *e = &st->idx[i];
        if (((e->lt >> 24) & NVT_ST_K_MASK) == NVT_ST_K_TOMB) {
            continue;
        }
        r->objects++;
        rc = nvt_st_obj(st, e, 0, NULL, 0);
        r->records_corrupt += rc == NVT_E_CORRUPT;
        rc = rc == NVT_E_CORRUPT ? NVT_OK : rc;
    }
    /* RAM now matches the flash: the index is the one just read (repairs
     * erase only sectors outside the log), and a head that a failed write
     * closed stays closed. */
    st->state = rc == NVT_OK ? 1u : 2u;
    return rc != NVT_OK ? rc : r->records_corrupt != 0 ? NVT_E_CORRUPT : NVT_OK;
}
