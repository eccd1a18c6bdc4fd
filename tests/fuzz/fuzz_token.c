/* What the token fuzz targets and their corpus generator share: see
 * fuzz_token.h. Compiled into each target (instrumented library) and into
 * the generator (plain library, NVT_FUZZ_CORPUS). */
#include "fuzz_token.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvt_crypto.h"
#include "nvt_crypto_seal.h"
#include "nvt_kat.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

/* ------------------------------------------------------------------------
 * Failing
 * ---------------------------------------------------------------------- */

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FUZZ CHECK FAILED: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    abort();
}

void fz_trace(const char *fmt, ...)
{
    static int on = -1;
    if (on < 0) {
        on = getenv("FZ_TRACE") != NULL;
    }
    if (on) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\n");
        va_end(ap);
    }
}

/* ------------------------------------------------------------------------
 * Writing inputs
 * ---------------------------------------------------------------------- */

void fz_put(fz_out_t *o, const void *p, size_t len)
{
    if (o->len + len > o->cap) {
        size_t cap = o->cap > 0 ? o->cap : 256;
        while (cap < o->len + len) {
            cap *= 2;
        }
        uint8_t *q = realloc(o->p, cap);
        FZ_CHECK(q != NULL, "out of memory");
        o->p = q;
        o->cap = cap;
    }
    if (len > 0) {
        memcpy(o->p + o->len, p, len);
    }
    o->len += len;
}

void fz_put8(fz_out_t *o, uint8_t v)
{
    fz_put(o, &v, 1);
}

void fz_put16(fz_out_t *o, uint16_t v)
{
    fz_put8(o, (uint8_t)v);
    fz_put8(o, (uint8_t)(v >> 8));
}

void fz_put32(fz_out_t *o, uint32_t v)
{
    fz_put16(o, (uint16_t)v);
    fz_put16(o, (uint16_t)(v >> 16));
}

int fz_out_save(fz_out_t *o, const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && fwrite(o->p, 1, o->len, f) == o->len;
    if (f != NULL && fclose(f) != 0) {
        ok = 0;
    }
    free(o->p);
    memset(o, 0, sizeof(*o));
    return ok ? 0 : -1;
}

/* ------------------------------------------------------------------------
 * Templates
 * ---------------------------------------------------------------------- */

/* A heap block of exactly len bytes (malloc(0) too: a valid pointer to
 * nothing, so any read through it is reported). */
static void *block(const void *src, size_t len)
{
    void *p = malloc(len);
    FZ_CHECK(p != NULL || len == 0, "out of memory");
    if (p != NULL && len > 0) {
        if (src != NULL) {
            memcpy(p, src, len);
        } else {
            memset(p, 0, len); /* an attribute array's elements: NULL values */
        }
    }
    return p;
}

int fz_is_attribute_array(CK_ATTRIBUTE_TYPE type)
{
    return (type & CKF_ARRAY_ATTRIBUTE) != 0 && type != CKA_ALLOWED_MECHANISMS;
}

static void tmpl_read(fz_in_t *in, fz_tmpl_t *t, int depth)
{
    memset(t, 0, sizeof(*t));
    t->n = fz_u8(in) % (FZ_TMPL_MAX + 1);
    for (CK_ULONG i = 0; i < t->n; i++) {
        CK_ATTRIBUTE *a = &t->a[i];
        a->type = fz_u32(in);
        if (fz_u8(in) == 1) {
            a->pValue = NULL;
            a->ulValueLen = fz_u32(in);
            continue;
        }
        size_t got;
        const uint8_t *v = fz_bytes(in, fz_u16(in), &got);
        if (!fz_is_attribute_array(a->type)) {
            a->pValue = block(v, got);
            a->ulValueLen = got;
        } else if (depth == 0) {
            fz_in_t sub = { v, got };
            t->inner[i] = malloc(sizeof(*t->inner[i]));
            FZ_CHECK(t->inner[i] != NULL, "out of memory");
            tmpl_read(&sub, t->inner[i], 1);
            a->ulValueLen = t->inner[i]->n * sizeof(CK_ATTRIBUTE);
            a->pValue = block(t->inner[i]->a, a->ulValueLen);
        } else {
            a->pValue = NULL; /* no nested arrays: the bytes are no pointers */
            a->ulValueLen = got;
        }
    }
}

void fz_tmpl_read(fz_in_t *in, fz_tmpl_t *t)
{
    tmpl_read(in, t, 0);
}

void fz_tmpl_free(fz_tmpl_t *t)
{
    for (CK_ULONG i = 0; i < t->n; i++) {
        free(t->a[i].pValue);
        if (t->inner[i] != NULL) {
            fz_tmpl_free(t->inner[i]);
            free(t->inner[i]);
        }
    }
    memset(t, 0, sizeof(*t));
}

void fz_tmpl_write(fz_out_t *o, const CK_ATTRIBUTE *a, CK_ULONG n)
{
    fz_put8(o, (uint8_t)n);
    for (CK_ULONG i = 0; i < n; i++) {
        fz_put32(o, (uint32_t)a[i].type);
        if (a[i].pValue == NULL) {
            fz_put8(o, 1);
            fz_put32(o, (uint32_t)a[i].ulValueLen);
        } else if (fz_is_attribute_array(a[i].type)) {
            fz_out_t sub = { NULL, 0, 0 };
            fz_tmpl_write(&sub, a[i].pValue, a[i].ulValueLen / sizeof(CK_ATTRIBUTE));
            fz_put8(o, 0);
            fz_put16(o, (uint16_t)sub.len);
            fz_put(o, sub.p, sub.len);
            free(sub.p);
        } else {
            fz_put8(o, 0);
            fz_put16(o, (uint16_t)a[i].ulValueLen);
            fz_put(o, a[i].pValue, a[i].ulValueLen);
        }
    }
}

/* ------------------------------------------------------------------------
 * Mechanisms
 * ---------------------------------------------------------------------- */

/* Parameter families whose structures hold pointers. */
enum { FAM_NONE, FAM_GCM, FAM_OAEP, FAM_PSS, FAM_ECDH, FAM_CTR };

/* The v2.40 header's CK_GCM_PARAMS without ulIvBits (the token takes both). */
typedef struct gcm_no_bits {
    CK_BYTE_PTR pIv;
    CK_ULONG ulIvLen;
    CK_BYTE_PTR pAAD;
    CK_ULONG ulAADLen;
    CK_ULONG ulTagBits;
} gcm_no_bits_t;

static int family(CK_MECHANISM_TYPE t)
{
    switch (t) {
    case CKM_AES_GCM: return FAM_GCM;
    case CKM_RSA_PKCS_OAEP: return FAM_OAEP;
    case CKM_RSA_PKCS_PSS:
    case CKM_SHA1_RSA_PKCS_PSS:
    case CKM_SHA224_RSA_PKCS_PSS:
    case CKM_SHA256_RSA_PKCS_PSS:
    case CKM_SHA384_RSA_PKCS_PSS:
    case CKM_SHA512_RSA_PKCS_PSS: return FAM_PSS;
    case CKM_ECDH1_DERIVE:
    case CKM_ECDH1_COFACTOR_DERIVE: return FAM_ECDH;
    case CKM_AES_CTR: return FAM_CTR;
    default: return FAM_NONE;
    }
}

/* A pointer and length from the input: form 0 bytes (2-byte length), form
 * 1 NULL with a 4-byte length. The block is kept in m->blocks[slot]. */
static void read_ptr(fz_in_t *in, fz_mech_t *m, int slot, CK_BYTE_PTR *p, CK_ULONG *len)
{
    if (fz_u8(in) == 1) {
        *p = NULL;
        *len = fz_u32(in);
        return;
    }
    size_t got;
    const uint8_t *v = fz_bytes(in, fz_u16(in), &got);
    m->blocks[slot] = block(v, got);
    *p = m->blocks[slot];
    *len = got;
}

static void write_ptr(fz_out_t *o, const uint8_t *p, size_t len)
{
    if (p == NULL) {
        fz_put8(o, 1);
        fz_put32(o, (uint32_t)len);
    } else {
        fz_put8(o, 0);
        fz_put16(o, (uint16_t)len);
        fz_put(o, p, len);
    }
}

void fz_mech_read(fz_in_t *in, fz_mech_t *m)
{
    memset(m, 0, sizeof(*m));
    m->m.mechanism = fz_u32(in);
    int fam = family(m->m.mechanism);
    switch (fz_u8(in) & 3u) {
    case 0: break;
    case 1: m->m.ulParameterLen = fz_u32(in); break;
    case 2: {
        size_t got;
        const uint8_t *v = fz_bytes(in, fz_u16(in), &got);
        /* Raw bytes must never be read as a structure with pointers. */
        if (fam != FAM_NONE && fam != FAM_CTR && fam != FAM_PSS &&
            (got == sizeof(CK_GCM_PARAMS) || got == sizeof(gcm_no_bits_t) || got == sizeof(CK_RSA_PKCS_OAEP_PARAMS) ||
             got == sizeof(CK_ECDH1_DERIVE_PARAMS))) {
            got--;
        }
        m->blocks[0] = block(v, got);
        m->m.pParameter = m->blocks[0];
        m->m.ulParameterLen = got;
        break;
    }
    default:
        switch (fam) {
        case FAM_GCM: {
            /* variant (0: CK_GCM_PARAMS, 1: without ulIvBits), IV, AAD,
             * tag bits, IV bits */
            int old = fz_u8(in) & 1u;
            CK_GCM_PARAMS p;
            memset(&p, 0, sizeof(p));
            read_ptr(in, m, 1, &p.pIv, &p.ulIvLen);
            read_ptr(in, m, 2, &p.pAAD, &p.ulAADLen);
            p.ulTagBits = fz_u32(in);
            p.ulIvBits = fz_u32(in);
            if (old) {
                gcm_no_bits_t q = { p.pIv, p.ulIvLen, p.pAAD, p.ulAADLen, p.ulTagBits };
                m->blocks[0] = block(&q, sizeof(q));
                m->m.ulParameterLen = sizeof(q);
            } else {
                m->blocks[0] = block(&p, sizeof(p));
                m->m.ulParameterLen = sizeof(p);
            }
            break;
        }
        case FAM_OAEP: {
            CK_RSA_PKCS_OAEP_PARAMS p;
            memset(&p, 0, sizeof(p));
            p.hashAlg = fz_u32(in);
            p.mgf = fz_u32(in);
            p.source = fz_u32(in);
            CK_BYTE_PTR label;
            read_ptr(in, m, 1, &label, &p.ulSourceDataLen);
            p.pSourceData = label;
            m->blocks[0] = block(&p, sizeof(p));
            m->m.ulParameterLen = sizeof(p);
            break;
        }
        case FAM_PSS: {
            CK_RSA_PKCS_PSS_PARAMS p = { fz_u32(in), fz_u32(in), fz_u32(in) };
            m->blocks[0] = block(&p, sizeof(p));
            m->m.ulParameterLen = sizeof(p);
            break;
        }
        case FAM_ECDH: {
            CK_ECDH1_DERIVE_PARAMS p;
            memset(&p, 0, sizeof(p));
            p.kdf = fz_u32(in);
            read_ptr(in, m, 1, &p.pSharedData, &p.ulSharedDataLen);
            read_ptr(in, m, 2, &p.pPublicData, &p.ulPublicDataLen);
            m->blocks[0] = block(&p, sizeof(p));
            m->m.ulParameterLen = sizeof(p);
            break;
        }
        case FAM_CTR: {
            CK_AES_CTR_PARAMS p;
            memset(&p, 0, sizeof(p));
            p.ulCounterBits = fz_u32(in);
            size_t got;
            const uint8_t *cb = fz_bytes(in, 16, &got);
            memcpy(p.cb, cb, got);
            m->blocks[0] = block(&p, sizeof(p));
            m->m.ulParameterLen = sizeof(p);
            break;
        }
        default: break; /* no structure: no parameter */
        }
        m->m.pParameter = m->blocks[0];
        break;
    }
}

void fz_mech_free(fz_mech_t *m)
{
    for (size_t i = 0; i < sizeof(m->blocks) / sizeof(m->blocks[0]); i++) {
        free(m->blocks[i]);
    }
    memset(m, 0, sizeof(*m));
}

void fz_mech_write_raw(fz_out_t *o, CK_MECHANISM_TYPE type, const void *param, size_t len)
{
    fz_put32(o, (uint32_t)type);
    if (param == NULL && len == 0) {
        fz_put8(o, 0);
        return;
    }
    fz_put8(o, 2);
    fz_put16(o, (uint16_t)len);
    fz_put(o, param, len);
}

void fz_mech_write_gcm(fz_out_t *o, const uint8_t *iv, size_t iv_len, const uint8_t *aad, size_t aad_len,
                       uint32_t tag_bits, int with_iv_bits)
{
    fz_put32(o, CKM_AES_GCM);
    fz_put8(o, 3);
    fz_put8(o, with_iv_bits ? 0 : 1);
    write_ptr(o, iv, iv_len);
    write_ptr(o, aad, aad_len);
    fz_put32(o, tag_bits);
    fz_put32(o, (uint32_t)(iv_len * 8));
}

void fz_mech_write_oaep(fz_out_t *o, CK_MECHANISM_TYPE hash, uint32_t mgf, uint32_t source, const uint8_t *label,
                        size_t label_len)
{
    fz_put32(o, CKM_RSA_PKCS_OAEP);
    fz_put8(o, 3);
    fz_put32(o, (uint32_t)hash);
    fz_put32(o, mgf);
    fz_put32(o, source);
    write_ptr(o, label, label_len);
}

void fz_mech_write_pss(fz_out_t *o, CK_MECHANISM_TYPE type, CK_MECHANISM_TYPE hash, uint32_t mgf, uint32_t slen)
{
    fz_put32(o, (uint32_t)type);
    fz_put8(o, 3);
    fz_put32(o, (uint32_t)hash);
    fz_put32(o, mgf);
    fz_put32(o, slen);
}

void fz_mech_write_ecdh(fz_out_t *o, uint32_t kdf, const uint8_t *shared, size_t shared_len, const uint8_t *pub,
                        size_t pub_len)
{
    fz_put32(o, CKM_ECDH1_DERIVE);
    fz_put8(o, 3);
    fz_put32(o, kdf);
    write_ptr(o, shared, shared_len);
    write_ptr(o, pub, pub_len);
}

void fz_mech_write_ctr(fz_out_t *o, uint32_t bits, const uint8_t cb[16])
{
    fz_put32(o, CKM_AES_CTR);
    fz_put8(o, 3);
    fz_put32(o, bits);
    fz_put(o, cb, 16);
}

/* ------------------------------------------------------------------------
 * The flash region and the token's configuration
 * ---------------------------------------------------------------------- */

#define FZ_MEM_BYTES NVT_FLASH_RAM_MEM_BYTES(FZ_SECTOR_SIZE, FZ_SECTORS, FZ_PROG_UNIT)
#define FZ_INDEX_OBJECTS 256u

static struct {
    uint32_t mem[FZ_MEM_BYTES / 4u];
    nvt_flash_ram_t ram;
    nvt_store_t store;
    nvt_store_entry_t index[FZ_INDEX_OBJECTS];
    nvt_store_sector_t sectors[FZ_SECTORS];
    uint8_t scratch[512];
    nvt_store_config_t store_cfg;
    nvt_token_slot_config_t slot;
    nvt_token_config_t cfg;
    int ready;
} fz;

static const nvt_flash_geometry_t fz_geo = { FZ_SECTOR_SIZE, FZ_SECTORS, FZ_PROG_UNIT };

/* The slot's device key: a fixed secret and unique id (as a board's
 * factory secret and UID would be). */
static void device_key_fill(nvt_token_device_key_t *key)
{
    static const char uid[] = "nvtoken fuzz device";
    memset(key, 0, sizeof(*key));
    for (size_t i = 0; i < sizeof(key->secret); i++) {
        key->secret[i] = (uint8_t)(0x5A ^ (i * 13));
    }
    memcpy(key->uid, uid, sizeof(uid) - 1);
    key->uid_len = sizeof(uid) - 1;
}

static int device_key(void *ctx, int create, nvt_token_device_key_t *key)
{
    (void)ctx;
    (void)create;
    device_key_fill(key);
    return NVT_OK;
}

void fz_flash_init(void)
{
    if (fz.ready) {
        return;
    }
    FZ_CHECK(nvt_flash_ram_init(&fz.ram, &fz_geo, fz.mem, sizeof(fz.mem), 0, 0x5eed) == NVT_OK, "flash init");
    nvt_store_config_t sc = { &fz.ram.flash, fz.index, sizeof(fz.index), fz.sectors, sizeof(fz.sectors),
                              fz.scratch, sizeof(fz.scratch) };
    fz.store_cfg = sc;
    fz.slot.store_cfg = &fz.store_cfg;
    fz.slot.store = &fz.store;
    fz.slot.flags = NVT_TOKEN_SLOT_FORMAT_BLANK;
    fz.slot.device_key = device_key;
    fz.cfg.slots = &fz.slot;
    fz.cfg.slot_count = 1;
    fz.cfg.pin_iterations = FZ_PIN_ITERATIONS;
    FZ_CHECK(nvt_token_configure(&fz.cfg) == NVT_OK, "token configure");
    fz.ready = 1;
}

void fz_flash_blank(void)
{
    fz_flash_init();
    FZ_CHECK(nvt_flash_ram_init(&fz.ram, &fz_geo, fz.mem, sizeof(fz.mem), 0, 0x5eed) == NVT_OK, "flash init");
    FZ_CHECK(nvt_store_format(&fz.store, &fz.store_cfg) == NVT_OK, "store format");
}

nvt_store_t *fz_store(void)
{
    return &fz.store;
}

int fz_store_mount(void)
{
    return nvt_store_mount(&fz.store, &fz.store_cfg);
}

nvt_flash_ram_t *fz_flash(void)
{
    return &fz.ram;
}

__attribute__((no_sanitize("coverage"))) uint64_t fz_flash_hash(void)
{
    /* FNV-1a over the contents, 8 bytes at a time. */
    uint64_t h = 0xcbf29ce484222325u;
    const uint8_t *b = fz.ram.bytes;
    for (size_t i = 0; i < (size_t)FZ_SECTOR_SIZE * FZ_SECTORS; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 0x100000001b3u;
    }
    return h;
}

void fz_flash_copy(uint8_t out[FZ_FLASH_BYTES])
{
    memcpy(out, fz.ram.bytes, FZ_FLASH_BYTES);
}

int fz_flash_same(const uint8_t copy[FZ_FLASH_BYTES])
{
    return memcmp(copy, fz.ram.bytes, FZ_FLASH_BYTES) == 0;
}

/* Sealed records (docs/FORMAT.md, "Sealed records"): ciphertext, tag (16),
 * nonce (12), envelope version 1 and three zero bytes; the additional data
 * is the id (LE16) and the envelope version. */
#define FZ_SEAL_TRAILER 32u

static int seal_keys(nvt_crypto_seal_keys_t *k)
{
    static nvt_crypto_seal_keys_t keys;
    static int have;
    if (!have) {
        nvt_token_device_key_t key;
        device_key_fill(&key);
        FZ_CHECK(nvt_crypto_seal_keys(key.secret, key.uid, key.uid_len, &keys) == NVT_OK, "seal keys");
        have = 1;
    }
    *k = keys;
    return NVT_OK;
}

int fz_record_put(uint16_t id, const uint8_t *data, size_t len, int sealed)
{
    static uint8_t buf[0x8000u + FZ_SEAL_TRAILER];
    if (!sealed) {
        return nvt_store_put(&fz.store, id, data, len, 0);
    }
    if (len > sizeof(buf) - FZ_SEAL_TRAILER) {
        return NVT_E_INVALID;
    }
    nvt_crypto_seal_keys_t k;
    const uint8_t ad[3] = { (uint8_t)(id & 0xFF), (uint8_t)(id >> 8), 1 };
    seal_keys(&k);
    memcpy(buf, data, len);
    uint8_t *trailer = buf + len;
    int rc = nvt_crypto_seal(&k, ad, sizeof(ad), buf, len, trailer + 16, trailer);
    trailer[28] = 1;
    trailer[29] = trailer[30] = trailer[31] = 0;
    if (rc == NVT_OK) {
        rc = nvt_store_put(&fz.store, id, buf, len + FZ_SEAL_TRAILER, NVT_STORE_SENSITIVE | NVT_STORE_SEALED);
    }
    return rc;
}

int fz_record_get(uint16_t id, uint8_t *buf, size_t cap, size_t *len, int *sealed)
{
    size_t n = 0;
    unsigned flags = 0;
    int rc = nvt_store_size(&fz.store, id, &n, &flags);
    if (rc == NVT_OK) {
        rc = nvt_store_get(&fz.store, id, buf, cap, &n);
    }
    *len = n;
    *sealed = (flags & NVT_STORE_SEALED) != 0;
    if (rc != NVT_OK || !*sealed) {
        return rc;
    }
    if (n < FZ_SEAL_TRAILER || buf[n - 4] != 1 || buf[n - 3] != 0 || buf[n - 2] != 0 || buf[n - 1] != 0) {
        return NVT_E_VERIFY;
    }
    nvt_crypto_seal_keys_t k;
    const uint8_t ad[3] = { (uint8_t)(id & 0xFF), (uint8_t)(id >> 8), 1 };
    seal_keys(&k);
    rc = nvt_crypto_seal_open(&k, ad, sizeof(ad), buf, n - FZ_SEAL_TRAILER, buf + n - 16, buf + n - 32);
    *len = rc == NVT_OK ? n - FZ_SEAL_TRAILER : 0;
    return rc;
}

/* The second region, for an earlier image's records. */
static struct {
    uint32_t mem[FZ_MEM_BYTES / 4u];
    nvt_flash_ram_t ram;
    nvt_store_t store;
    nvt_store_entry_t index[FZ_INDEX_OBJECTS];
    nvt_store_sector_t sectors[FZ_SECTORS];
    uint8_t scratch[512];
} shadow;

__attribute__((no_sanitize("coverage"))) static uint64_t hash_records(nvt_store_t *st)
{
    static uint8_t buf[NVT_CONFIG_TOKEN_OBJECT_MAX];
    uint64_t h = 0xcbf29ce484222325u;
    nvt_store_id_t id = NVT_STORE_ID_NONE;
    while (nvt_store_next(st, id, &id) == NVT_OK) {
        size_t len = 0;
        if (id == NVT_TOKEN_ID_PIN_COUNTERS || id == NVT_TOKEN_ID_PIN_COUNTERS_COPY || nvt_store_get(st, id, buf, sizeof(buf), &len) != NVT_OK) {
            continue;
        }
        h = (h ^ id) * 0x100000001b3u;
        for (size_t i = 0; i < len; i++) {
            h = (h ^ buf[i]) * 0x100000001b3u;
        }
    }
    return h;
}

uint64_t fz_records_hash(const uint8_t *image)
{
    if (image == NULL) {
        return hash_records(&fz.store);
    }
    FZ_CHECK(nvt_flash_ram_init(&shadow.ram, &fz_geo, shadow.mem, sizeof(shadow.mem), 0, 1) == NVT_OK, "shadow");
    memcpy(shadow.ram.bytes, image, FZ_FLASH_BYTES);
    nvt_store_config_t sc = { &shadow.ram.flash, shadow.index, sizeof(shadow.index), shadow.sectors,
                              sizeof(shadow.sectors), shadow.scratch, sizeof(shadow.scratch) };
    FZ_CHECK(nvt_store_mount(&shadow.store, &sc) == NVT_OK, "an earlier image does not mount");
    return hash_records(&shadow.store);
}

size_t fz_flash_state_size(void)
{
    return sizeof(fz.mem) + sizeof(fz.ram);
}

void fz_flash_save(void *state)
{
    memcpy(state, fz.mem, sizeof(fz.mem));
    memcpy((uint8_t *)state + sizeof(fz.mem), &fz.ram, sizeof(fz.ram));
}

void fz_flash_restore(const void *state)
{
    memcpy(fz.mem, state, sizeof(fz.mem));
    memcpy(&fz.ram, (const uint8_t *)state + sizeof(fz.mem), sizeof(fz.ram));
}

/* ------------------------------------------------------------------------
 * A certificate
 * ---------------------------------------------------------------------- */

/* tag, length, contents into out; returns the bytes written. */
static size_t tlv(uint8_t *out, uint8_t tag, const uint8_t *c, size_t len)
{
    size_t h = 0;
    out[h++] = tag;
    if (len < 128) {
        out[h++] = (uint8_t)len;
    } else if (len < 256) {
        out[h++] = 0x81;
        out[h++] = (uint8_t)len;
    } else {
        out[h++] = 0x82;
        out[h++] = (uint8_t)(len >> 8);
        out[h++] = (uint8_t)len;
    }
    memmove(out + h, c, len);
    return h + len;
}

/* Name ::= SEQUENCE { SET { SEQUENCE { id-at-commonName, UTF8String } } } */
static size_t name(uint8_t *out, const char *cn)
{
    static const uint8_t oid_cn[] = { 0x06, 0x03, 0x55, 0x04, 0x03 };
    uint8_t a[128], b[128];
    size_t n = strlen(cn) < 64 ? strlen(cn) : 64;
    memcpy(a, oid_cn, sizeof(oid_cn));
    size_t k = sizeof(oid_cn) + tlv(a + sizeof(oid_cn), 0x0c, (const uint8_t *)cn, n);
    k = tlv(b, 0x30, a, k);
    k = tlv(a, 0x31, b, k);
    return tlv(out, 0x30, a, k);
}

size_t fz_make_cert(uint8_t out[512], uint32_t serial, const char *issuer, const char *subject)
{
    static const uint8_t version[] = { 0xa0, 0x03, 0x02, 0x01, 0x02 };
    static const uint8_t sig_alg[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
    static const uint8_t validity[] = { 0x30, 0x1e, 0x17, 0x0d, '2', '6', '0', '1', '0', '1', '0', '0', '0', '0',
                                        '0', '0', 'Z', 0x17, 0x0d, '3', '6', '0', '1', '0', '1', '0', '0', '0',
                                        '0', '0', '0', 'Z' };
    static const uint8_t spki_alg[] = { 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
                                        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    uint8_t tbs[512], tmp[512], ser[5] = { 0x00, (uint8_t)(serial >> 24), (uint8_t)(serial >> 16),
                                           (uint8_t)(serial >> 8), (uint8_t)serial };
    size_t n = 0;
    memcpy(tbs + n, version, sizeof(version));
    n += sizeof(version);
    n += tlv(tbs + n, 0x02, ser, sizeof(ser));
    memcpy(tbs + n, sig_alg, sizeof(sig_alg));
    n += sizeof(sig_alg);
    n += name(tbs + n, issuer);
    memcpy(tbs + n, validity, sizeof(validity));
    n += sizeof(validity);
    n += name(tbs + n, subject);
    /* subjectPublicKeyInfo: the golden P-256 point */
    uint8_t bits[66];
    bits[0] = 0;
    memcpy(bits + 1, fz_ec_point, sizeof(fz_ec_point));
    size_t k = sizeof(spki_alg);
    memcpy(tmp, spki_alg, k);
    k += tlv(tmp + k, 0x03, bits, sizeof(bits));
    n += tlv(tbs + n, 0x30, tmp, k);
    size_t t = tlv(tmp, 0x30, tbs, n);
    memcpy(tmp + t, sig_alg, sizeof(sig_alg));
    t += sizeof(sig_alg);
    static const uint8_t sig[] = { 0x00, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01 };
    t += tlv(tmp + t, 0x03, sig, sizeof(sig));
    return tlv(out, 0x30, tmp, t);
}

/* ------------------------------------------------------------------------
 * The golden token
 * ---------------------------------------------------------------------- */

CK_OBJECT_HANDLE fz_obj[FZ_OBJS];
const uint8_t fz_kek_value[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                   0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };
/* RFC 6979 A.2.5 (P-256) and RFC 5903 8.1 (peer), as in tests/kat. */
const uint8_t fz_ec_d[32] = { 0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16, 0x6b, 0x5c, 0x21,
                              0x57, 0x67, 0xb1, 0xd6, 0x93, 0x4e, 0x50, 0xc3, 0xdb, 0x36, 0xe8,
                              0x9b, 0x12, 0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f, 0x67, 0x21 };
const uint8_t fz_ec_point[65] = {
    0x04, 0x60, 0xfe, 0xd4, 0xba, 0x25, 0x5a, 0x9d, 0x31, 0xc9, 0x61, 0xeb, 0x74, 0xc6, 0x35, 0x6d, 0x68,
    0xc0, 0x49, 0xb8, 0x92, 0x3b, 0x61, 0xfa, 0x6c, 0xe6, 0x69, 0x62, 0x2e, 0x60, 0xf2, 0x9f, 0xb6, 0x79,
    0x03, 0xfe, 0x10, 0x08, 0xb8, 0xbc, 0x99, 0xa4, 0x1a, 0xe9, 0xe9, 0x56, 0x28, 0xbc, 0x64, 0xf2, 0xf1,
    0xb2, 0x0c, 0x2d, 0x7e, 0x9f, 0x51, 0x77, 0xa3, 0xc2, 0x94, 0xd4, 0x46, 0x22, 0x99 };
const uint8_t fz_peer_point[65] = {
    0x04, 0xd1, 0x2d, 0xfb, 0x52, 0x89, 0xc8, 0xd4, 0xf8, 0x12, 0x08, 0xb7, 0x02, 0x70, 0x39, 0x8c, 0x34,
    0x22, 0x96, 0x97, 0x0a, 0x0b, 0xcc, 0xb7, 0x4c, 0x73, 0x6f, 0xc7, 0x55, 0x44, 0x94, 0xbf, 0x63, 0x56,
    0xfb, 0xf3, 0xca, 0x36, 0x6c, 0xc2, 0x3e, 0x81, 0x57, 0x85, 0x4c, 0x13, 0xc5, 0x8d, 0x6a, 0xac, 0x23,
    0xf0, 0x46, 0xad, 0xa3, 0x0f, 0x83, 0x53, 0xe7, 0x4f, 0x33, 0x03, 0x98, 0x72, 0xab };

static const uint8_t oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const uint8_t oid_p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22 };

static uint8_t *fz_golden;
static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;

#define A(t, v) { (t), (void *)(uintptr_t)(v), sizeof(*(v)) }
#define AV(t, v, n) { (t), (void *)(uintptr_t)(v), (n) }

static CK_UTF8CHAR so_pin[] = FZ_SO_PIN, user_pin[] = FZ_USER_PIN;

static void create(CK_SESSION_HANDLE s, CK_ATTRIBUTE *t, CK_ULONG n, const char *what)
{
    CK_OBJECT_HANDLE h;
    CK_RV rv = C_CreateObject(s, t, n, &h);
    FZ_CHECK(rv == CKR_OK, "golden %s: C_CreateObject 0x%lx", what, (unsigned long)rv);
}

static void golden_objects(CK_SESSION_HANDLE s)
{
    CK_OBJECT_CLASS sec = CKO_SECRET_KEY, priv = CKO_PRIVATE_KEY, pub = CKO_PUBLIC_KEY, cert = CKO_CERTIFICATE,
                    data = CKO_DATA;
    CK_KEY_TYPE aes = CKK_AES, gen = CKK_GENERIC_SECRET, ec = CKK_EC, rsa = CKK_RSA;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    uint8_t id[FZ_OBJS], aes256[32], hmac[32], d384[48], ec_point_der[67];
    for (unsigned i = 0; i < FZ_OBJS; i++) {
        id[i] = (uint8_t)(i + 1);
    }
    memset(aes256, 0x5a, sizeof(aes256));
    memset(hmac, 0x3c, sizeof(hmac));
    size_t d384_len = kat_hex(kat_ecdhs[1].d, d384, sizeof(d384));
    ec_point_der[0] = 0x04;
    ec_point_der[1] = 65;
    memcpy(ec_point_der + 2, fz_ec_point, 65);

    CK_ATTRIBUTE kek[] = { A(CKA_CLASS, &sec), A(CKA_KEY_TYPE, &aes), A(CKA_TOKEN, &yes),
                           AV(CKA_ID, &id[FZ_AES_KEK], 1), AV(CKA_VALUE, fz_kek_value, 16),
                           A(CKA_WRAP, &yes), A(CKA_UNWRAP, &yes), A(CKA_DERIVE, &yes) };
    create(s, kek, sizeof(kek) / sizeof(kek[0]), "kek");
    CK_ATTRIBUTE a256[] = { A(CKA_CLASS, &sec), A(CKA_KEY_TYPE, &aes), A(CKA_TOKEN, &yes),
                            AV(CKA_ID, &id[FZ_AES_256], 1), AV(CKA_VALUE, aes256, 32), A(CKA_PRIVATE, &no) };
    create(s, a256, sizeof(a256) / sizeof(a256[0]), "aes256");
    CK_ATTRIBUTE mac[] = { A(CKA_CLASS, &sec), A(CKA_KEY_TYPE, &gen), A(CKA_TOKEN, &yes),
                           AV(CKA_ID, &id[FZ_HMAC], 1), AV(CKA_VALUE, hmac, 32), A(CKA_DERIVE, &yes) };
    create(s, mac, sizeof(mac) / sizeof(mac[0]), "hmac");
    CK_ATTRIBUTE ecpriv[] = { A(CKA_CLASS, &priv), A(CKA_KEY_TYPE, &ec), A(CKA_TOKEN, &yes),
                              AV(CKA_ID, &id[FZ_EC_PRIV], 1), AV(CKA_EC_PARAMS, oid_p256, sizeof(oid_p256)),
                              AV(CKA_VALUE, fz_ec_d, 32), A(CKA_DERIVE, &yes) };
    create(s, ecpriv, sizeof(ecpriv) / sizeof(ecpriv[0]), "ec private");
    CK_ATTRIBUTE ecpub[] = { A(CKA_CLASS, &pub), A(CKA_KEY_TYPE, &ec), A(CKA_TOKEN, &yes),
                             AV(CKA_ID, &id[FZ_EC_PUB], 1), AV(CKA_EC_PARAMS, oid_p256, sizeof(oid_p256)),
                             AV(CKA_EC_POINT, ec_point_der, sizeof(ec_point_der)) };
    create(s, ecpub, sizeof(ecpub) / sizeof(ecpub[0]), "ec public");
    CK_ATTRIBUTE ec384[] = { A(CKA_CLASS, &priv), A(CKA_KEY_TYPE, &ec), A(CKA_TOKEN, &yes),
                             AV(CKA_ID, &id[FZ_EC384_PRIV], 1), AV(CKA_EC_PARAMS, oid_p384, sizeof(oid_p384)),
                             AV(CKA_VALUE, d384, d384_len), A(CKA_DERIVE, &yes) };
    create(s, ec384, sizeof(ec384) / sizeof(ec384[0]), "ec384");

    static uint8_t parts[8][512];
    const kat_rsa_key_t *k = &kat_rsa_key_a;
    const char *hex[8] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->qi };
    size_t len[8];
    for (int i = 0; i < 8; i++) {
        len[i] = kat_hex(hex[i], parts[i], sizeof(parts[i]));
    }
    CK_ATTRIBUTE rsapriv[] = { A(CKA_CLASS, &priv), A(CKA_KEY_TYPE, &rsa), A(CKA_TOKEN, &yes),
                               AV(CKA_ID, &id[FZ_RSA_PRIV], 1), AV(CKA_MODULUS, parts[0], len[0]),
                               AV(CKA_PUBLIC_EXPONENT, parts[1], len[1]), AV(CKA_PRIVATE_EXPONENT, parts[2], len[2]),
                               AV(CKA_PRIME_1, parts[3], len[3]), AV(CKA_PRIME_2, parts[4], len[4]),
                               AV(CKA_EXPONENT_1, parts[5], len[5]), AV(CKA_EXPONENT_2, parts[6], len[6]),
                               AV(CKA_COEFFICIENT, parts[7], len[7]) };
    create(s, rsapriv, sizeof(rsapriv) / sizeof(rsapriv[0]), "rsa private");
    CK_ATTRIBUTE rsapub[] = { A(CKA_CLASS, &pub), A(CKA_KEY_TYPE, &rsa), A(CKA_TOKEN, &yes),
                              AV(CKA_ID, &id[FZ_RSA_PUB], 1), AV(CKA_MODULUS, parts[0], len[0]),
                              AV(CKA_PUBLIC_EXPONENT, parts[1], len[1]) };
    create(s, rsapub, sizeof(rsapub) / sizeof(rsapub[0]), "rsa public");
    CK_ATTRIBUTE open[] = { A(CKA_CLASS, &sec), A(CKA_KEY_TYPE, &aes), A(CKA_TOKEN, &yes),
                            AV(CKA_ID, &id[FZ_SECRET_OPEN], 1), AV(CKA_VALUE, aes256, 16),
                            A(CKA_SENSITIVE, &no), A(CKA_EXTRACTABLE, &yes) };
    create(s, open, sizeof(open) / sizeof(open[0]), "open secret");
    CK_ATTRIBUTE ecopen[] = { A(CKA_CLASS, &priv), A(CKA_KEY_TYPE, &ec), A(CKA_TOKEN, &yes),
                              AV(CKA_ID, &id[FZ_EC_OPEN], 1), AV(CKA_EC_PARAMS, oid_p256, sizeof(oid_p256)),
                              AV(CKA_VALUE, fz_ec_d, 32), A(CKA_EXTRACTABLE, &yes) };
    create(s, ecopen, sizeof(ecopen) / sizeof(ecopen[0]), "open ec");
    uint8_t der[512];
    size_t der_len = fz_make_cert(der, 0x01234567u, "nvtoken fuzz CA", "nvtoken fuzz device");
    CK_ATTRIBUTE crt[] = { A(CKA_CLASS, &cert), A(CKA_CERTIFICATE_TYPE, &x509), A(CKA_TOKEN, &yes),
                           AV(CKA_ID, &id[FZ_CERT], 1), AV(CKA_VALUE, der, der_len), AV(CKA_LABEL, "cert", 4) };
    create(s, crt, sizeof(crt) / sizeof(crt[0]), "certificate");
    CK_ATTRIBUTE dat[] = { A(CKA_CLASS, &data), A(CKA_TOKEN, &yes), A(CKA_PRIVATE, &no),
                           AV(CKA_LABEL, "data", 4), AV(CKA_APPLICATION, "fuzz", 4), AV(CKA_VALUE, "\x01\x02\x03", 3) };
    create(s, dat, sizeof(dat) / sizeof(dat[0]), "data");
    /* attribute arrays: what it wraps and unwraps, and what it derives */
    CK_ATTRIBUTE wrap_t[] = { A(CKA_KEY_TYPE, &aes), A(CKA_EXTRACTABLE, &yes) };
    CK_ATTRIBUTE unwrap_t[] = { A(CKA_SENSITIVE, &yes) };
    CK_ATTRIBUTE derive_t[] = { A(CKA_CLASS, &sec), AV(CKA_LABEL, "derived", 7) };
    CK_ATTRIBUTE tmpl[] = { A(CKA_CLASS, &sec), A(CKA_KEY_TYPE, &aes), A(CKA_TOKEN, &yes),
                            AV(CKA_ID, &id[FZ_AES_TEMPLATED], 1), AV(CKA_VALUE, hmac, 16), A(CKA_WRAP, &yes),
                            A(CKA_UNWRAP, &yes), A(CKA_DERIVE, &yes), AV(CKA_WRAP_TEMPLATE, wrap_t, sizeof(wrap_t)),
                            AV(CKA_UNWRAP_TEMPLATE, unwrap_t, sizeof(unwrap_t)),
                            AV(CKA_DERIVE_TEMPLATE, derive_t, sizeof(derive_t)) };
    create(s, tmpl, sizeof(tmpl) / sizeof(tmpl[0]), "templated");
}

void fz_golden_boot(void)
{
    if (fz_golden != NULL) {
        return;
    }
    nvt_fuzz_entropy_reset(1);
    fz_flash_blank();
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE];
    memset(seed, 0x42, sizeof(seed));
    FZ_CHECK(nvt_token_provision_nv_seed(&fz.store, seed, sizeof(seed)) == NVT_OK, "nv seed");
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "golden: C_Initialize");
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "nvtoken fuzz", 12);
    FZ_CHECK(C_InitToken(0, so_pin, 8, label) == CKR_OK, "golden: C_InitToken");
    CK_SESSION_HANDLE s;
    FZ_CHECK(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s) == CKR_OK, "golden: session");
    FZ_CHECK(C_Login(s, CKU_SO, so_pin, 8) == CKR_OK, "golden: SO login");
    FZ_CHECK(C_InitPIN(s, user_pin, 4) == CKR_OK, "golden: C_InitPIN");
    FZ_CHECK(C_Logout(s) == CKR_OK, "golden: logout");
    FZ_CHECK(C_Login(s, CKU_USER, user_pin, 4) == CKR_OK, "golden: user login");
    golden_objects(s);
    FZ_CHECK(C_Finalize(NULL) == CKR_OK, "golden: C_Finalize");
    fz_golden = malloc(fz_flash_state_size());
    FZ_CHECK(fz_golden != NULL, "out of memory");
    fz_flash_save(fz_golden);
}

void fz_golden_reset(int login, CK_SESSION_HANDLE *s)
{
    fz_golden_boot();
    fz_flash_restore(fz_golden);
    nvt_fuzz_entropy_reset(2);
    FZ_CHECK(C_Initialize(NULL) == CKR_OK, "reset: C_Initialize");
    FZ_CHECK(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, s) == CKR_OK, "reset: session");
    if (login) {
        FZ_CHECK(C_Login(*s, CKU_USER, user_pin, 4) == CKR_OK, "reset: login");
    }
    /* Every object the session sees in one search, each known by its
     * CKA_ID (the data object, which has none, by its label): one read of
     * each object, where a search per object read them all each time. */
    memset(fz_obj, 0, sizeof(fz_obj));
    CK_OBJECT_HANDLE h[2 * FZ_OBJS];
    CK_ULONG n = 0;
    FZ_CHECK(C_FindObjectsInit(*s, NULL, 0) == CKR_OK && C_FindObjects(*s, h, 2 * FZ_OBJS, &n) == CKR_OK &&
                 C_FindObjectsFinal(*s) == CKR_OK,
             "reset: find");
    for (CK_ULONG k = 0; k < n; k++) {
        uint8_t id = 0;
        char label[4] = "";
        CK_ATTRIBUTE a[] = { { CKA_ID, &id, 1 }, { CKA_LABEL, label, sizeof(label) } };
        (void)C_GetAttributeValue(*s, h[k], a, 2); /* either may be absent or longer */
        if (a[0].ulValueLen == 1 && id >= 1 && id <= FZ_OBJS && fz_obj[id - 1] == 0) {
            fz_obj[id - 1] = h[k];
        } else if (a[1].ulValueLen == sizeof(label) && memcmp(label, "data", sizeof(label)) == 0) {
            fz_obj[FZ_DATA] = h[k];
        }
    }
}

/* ------------------------------------------------------------------------
 * Return codes (PKCS#11 v2.40 section 5, each function's list; codes v3.0
 * adds where they are the precise answer are marked)
 * ---------------------------------------------------------------------- */

#define END ((CK_RV)0xFFFFFFFFu)

/* Every function: success and the generic failures (not
 * CKR_GENERAL_ERROR: for nvtoken a bug). */
static const CK_RV rv_any[] = { CKR_OK, CKR_ARGUMENTS_BAD, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_DEVICE_ERROR,
                                CKR_DEVICE_MEMORY, CKR_DEVICE_REMOVED, CKR_FUNCTION_FAILED, CKR_HOST_MEMORY,
                                CKR_FUNCTION_CANCELED, END };
static const CK_RV rv_session[] = { CKR_SESSION_CLOSED, CKR_SESSION_HANDLE_INVALID, CKR_TOKEN_NOT_PRESENT, END };
static const CK_RV rv_slot[] = { CKR_SLOT_ID_INVALID, CKR_TOKEN_NOT_PRESENT, CKR_TOKEN_NOT_RECOGNIZED, END };
static const CK_RV rv_template[] = { CKR_ATTRIBUTE_READ_ONLY, CKR_ATTRIBUTE_TYPE_INVALID,
                                     CKR_ATTRIBUTE_VALUE_INVALID, CKR_TEMPLATE_INCOMPLETE,
                                     CKR_TEMPLATE_INCONSISTENT, CKR_CURVE_NOT_SUPPORTED,
                                     CKR_DOMAIN_PARAMS_INVALID, CKR_SESSION_READ_ONLY, CKR_TOKEN_WRITE_PROTECTED,
                                     CKR_USER_NOT_LOGGED_IN, CKR_PIN_EXPIRED, END };
static const CK_RV rv_op_init[] = { CKR_KEY_FUNCTION_NOT_PERMITTED, CKR_KEY_HANDLE_INVALID, CKR_KEY_SIZE_RANGE,
                                    CKR_KEY_TYPE_INCONSISTENT, CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID,
                                    CKR_OPERATION_ACTIVE, CKR_PIN_EXPIRED, CKR_USER_NOT_LOGGED_IN,
                                    CKR_CURVE_NOT_SUPPORTED /* v3.0 */, END };
static const CK_RV rv_op_data[] = { CKR_BUFFER_TOO_SMALL, CKR_DATA_INVALID, CKR_DATA_LEN_RANGE,
                                    CKR_ENCRYPTED_DATA_INVALID, CKR_ENCRYPTED_DATA_LEN_RANGE,
                                    CKR_OPERATION_NOT_INITIALIZED, CKR_USER_NOT_LOGGED_IN, CKR_FUNCTION_REJECTED,
                                    CKR_OPERATION_ACTIVE /* a single-part call after an update */,
                                    CKR_FUNCTION_NOT_SUPPORTED /* update of a single-part mechanism */, END };
static const CK_RV rv_verify[] = { CKR_DATA_INVALID, CKR_DATA_LEN_RANGE, CKR_OPERATION_NOT_INITIALIZED,
                                   CKR_SIGNATURE_INVALID, CKR_SIGNATURE_LEN_RANGE, CKR_OPERATION_ACTIVE,
                                   CKR_FUNCTION_NOT_SUPPORTED, END };
static const CK_RV rv_make[] = { CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID, CKR_OPERATION_ACTIVE, END };

static const CK_RV rv_init_token[] = { CKR_PIN_INCORRECT, CKR_PIN_LOCKED, CKR_SESSION_EXISTS,
                                       CKR_TOKEN_WRITE_PROTECTED, CKR_PIN_LEN_RANGE /* v3.0 */, END };
static const CK_RV rv_init_pin[] = { CKR_PIN_INVALID, CKR_PIN_LEN_RANGE, CKR_SESSION_READ_ONLY,
                                     CKR_TOKEN_WRITE_PROTECTED, CKR_USER_NOT_LOGGED_IN, END };
static const CK_RV rv_set_pin[] = { CKR_PIN_INCORRECT, CKR_PIN_INVALID, CKR_PIN_LEN_RANGE, CKR_PIN_LOCKED,
                                    CKR_SESSION_READ_ONLY, CKR_TOKEN_WRITE_PROTECTED,
                                    CKR_USER_PIN_NOT_INITIALIZED /* nothing to change */, END };
static const CK_RV rv_open[] = { CKR_SESSION_COUNT, CKR_SESSION_PARALLEL_NOT_SUPPORTED,
                                 CKR_SESSION_READ_WRITE_SO_EXISTS, CKR_TOKEN_WRITE_PROTECTED, END };
static const CK_RV rv_login[] = { CKR_OPERATION_NOT_INITIALIZED, CKR_PIN_INCORRECT, CKR_PIN_LOCKED,
                                  CKR_SESSION_READ_ONLY_EXISTS, CKR_USER_ALREADY_LOGGED_IN,
                                  CKR_USER_ANOTHER_ALREADY_LOGGED_IN, CKR_USER_PIN_NOT_INITIALIZED,
                                  CKR_USER_TOO_MANY_TYPES, CKR_USER_TYPE_INVALID, CKR_PIN_LEN_RANGE,
                                  CKR_USER_NOT_LOGGED_IN /* context specific, nobody logged in */, END };
static const CK_RV rv_logout[] = { CKR_USER_NOT_LOGGED_IN, END };
static const CK_RV rv_copy[] = { CKR_ACTION_PROHIBITED, CKR_OBJECT_HANDLE_INVALID, END };
static const CK_RV rv_destroy[] = { CKR_ACTION_PROHIBITED, CKR_OBJECT_HANDLE_INVALID, CKR_PIN_EXPIRED,
                                    CKR_SESSION_READ_ONLY, CKR_TOKEN_WRITE_PROTECTED, END };
static const CK_RV rv_size[] = { CKR_INFORMATION_SENSITIVE, CKR_OBJECT_HANDLE_INVALID, END };
static const CK_RV rv_get[] = { CKR_ATTRIBUTE_SENSITIVE, CKR_ATTRIBUTE_TYPE_INVALID, CKR_BUFFER_TOO_SMALL,
                                CKR_OBJECT_HANDLE_INVALID, END };
static const CK_RV rv_set[] = { CKR_ACTION_PROHIBITED, CKR_OBJECT_HANDLE_INVALID, END };
static const CK_RV rv_find_init[] = { CKR_ATTRIBUTE_TYPE_INVALID, CKR_ATTRIBUTE_VALUE_INVALID, CKR_OPERATION_ACTIVE,
                                      CKR_PIN_EXPIRED, END };
static const CK_RV rv_not_init[] = { CKR_OPERATION_NOT_INITIALIZED, END };
static const CK_RV rv_digest_init[] = { CKR_MECHANISM_INVALID, CKR_MECHANISM_PARAM_INVALID, CKR_OPERATION_ACTIVE,
                                        CKR_PIN_EXPIRED, CKR_USER_NOT_LOGGED_IN, END };
static const CK_RV rv_digest_key[] = { CKR_KEY_HANDLE_INVALID, CKR_KEY_INDIGESTIBLE, CKR_KEY_SIZE_RANGE,
                                       CKR_OPERATION_NOT_INITIALIZED, END };
static const CK_RV rv_wrap[] = { CKR_BUFFER_TOO_SMALL, CKR_KEY_HANDLE_INVALID, CKR_KEY_NOT_WRAPPABLE,
                                 CKR_KEY_SIZE_RANGE, CKR_KEY_UNEXTRACTABLE, CKR_PIN_EXPIRED, CKR_USER_NOT_LOGGED_IN,
                                 CKR_WRAPPING_KEY_HANDLE_INVALID, CKR_WRAPPING_KEY_SIZE_RANGE,
                                 CKR_WRAPPING_KEY_TYPE_INCONSISTENT, CKR_KEY_FUNCTION_NOT_PERMITTED /* v3.0 */, END };
static const CK_RV rv_unwrap[] = { CKR_BUFFER_TOO_SMALL, CKR_UNWRAPPING_KEY_HANDLE_INVALID,
                                   CKR_UNWRAPPING_KEY_SIZE_RANGE, CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT,
                                   CKR_WRAPPED_KEY_INVALID, CKR_WRAPPED_KEY_LEN_RANGE,
                                   CKR_KEY_FUNCTION_NOT_PERMITTED /* v3.0 */, END };
static const CK_RV rv_derive[] = { CKR_KEY_HANDLE_INVALID, CKR_KEY_SIZE_RANGE, CKR_KEY_TYPE_INCONSISTENT,
                                   CKR_KEY_FUNCTION_NOT_PERMITTED /* v3.0 */, END };
static const CK_RV rv_random[] = { CKR_RANDOM_NO_RNG, CKR_RANDOM_SEED_NOT_SUPPORTED, CKR_OPERATION_ACTIVE, END };
static const CK_RV rv_mech_info[] = { CKR_MECHANISM_INVALID, END };

static const struct {
    const char *name;
    const CK_RV *sets[4];
} fz_fns[FZ_FNS] = {
    [FZ_FN_INIT_TOKEN] = { "C_InitToken", { rv_slot, rv_init_token } },
    [FZ_FN_INIT_PIN] = { "C_InitPIN", { rv_session, rv_init_pin } },
    [FZ_FN_SET_PIN] = { "C_SetPIN", { rv_session, rv_set_pin } },
    [FZ_FN_OPEN_SESSION] = { "C_OpenSession", { rv_slot, rv_open } },
    [FZ_FN_CLOSE_SESSION] = { "C_CloseSession", { rv_session } },
    [FZ_FN_CLOSE_ALL] = { "C_CloseAllSessions", { rv_slot } },
    [FZ_FN_SESSION_INFO] = { "C_GetSessionInfo", { rv_session } },
    [FZ_FN_LOGIN] = { "C_Login", { rv_session, rv_login } },
    [FZ_FN_LOGOUT] = { "C_Logout", { rv_session, rv_logout } },
    [FZ_FN_CREATE] = { "C_CreateObject", { rv_session, rv_template } },
    [FZ_FN_COPY] = { "C_CopyObject", { rv_session, rv_template, rv_copy } },
    [FZ_FN_DESTROY] = { "C_DestroyObject", { rv_session, rv_destroy } },
    [FZ_FN_OBJECT_SIZE] = { "C_GetObjectSize", { rv_session, rv_size } },
    [FZ_FN_GET_ATTR] = { "C_GetAttributeValue", { rv_session, rv_get } },
    [FZ_FN_SET_ATTR] = { "C_SetAttributeValue", { rv_session, rv_template, rv_set } },
    [FZ_FN_FIND_INIT] = { "C_FindObjectsInit", { rv_session, rv_find_init } },
    [FZ_FN_FIND] = { "C_FindObjects", { rv_session, rv_not_init } },
    [FZ_FN_FIND_FINAL] = { "C_FindObjectsFinal", { rv_session, rv_not_init } },
    [FZ_FN_CRYPT_INIT] = { "C_EncryptInit/C_DecryptInit", { rv_session, rv_op_init } },
    [FZ_FN_CRYPT] = { "C_Encrypt/C_Decrypt", { rv_session, rv_op_data } },
    [FZ_FN_CRYPT_UPDATE] = { "C_EncryptUpdate/C_DecryptUpdate", { rv_session, rv_op_data } },
    [FZ_FN_CRYPT_FINAL] = { "C_EncryptFinal/C_DecryptFinal", { rv_session, rv_op_data } },
    [FZ_FN_DIGEST_INIT] = { "C_DigestInit", { rv_session, rv_digest_init } },
    [FZ_FN_DIGEST] = { "C_Digest*", { rv_session, rv_op_data } },
    [FZ_FN_DIGEST_KEY] = { "C_DigestKey", { rv_session, rv_digest_key } },
    [FZ_FN_SIGN_INIT] = { "C_SignInit/C_VerifyInit", { rv_session, rv_op_init } },
    [FZ_FN_SIGN] = { "C_Sign*", { rv_session, rv_op_data } },
    [FZ_FN_SIGN_UPDATE] = { "C_SignUpdate/C_VerifyUpdate", { rv_session, rv_op_data } },
    [FZ_FN_VERIFY] = { "C_Verify/C_VerifyFinal", { rv_session, rv_verify } },
    [FZ_FN_GENERATE_KEY] = { "C_GenerateKey", { rv_session, rv_template, rv_make } },
    [FZ_FN_GENERATE_PAIR] = { "C_GenerateKeyPair", { rv_session, rv_template, rv_make } },
    [FZ_FN_WRAP] = { "C_WrapKey", { rv_session, rv_make, rv_wrap } },
    [FZ_FN_UNWRAP] = { "C_UnwrapKey", { rv_session, rv_template, rv_make, rv_unwrap } },
    [FZ_FN_DERIVE] = { "C_DeriveKey", { rv_session, rv_template, rv_make, rv_derive } },
    [FZ_FN_RANDOM] = { "C_GenerateRandom/C_SeedRandom", { rv_session, rv_random } },
    [FZ_FN_TOKEN_INFO] = { "C_GetTokenInfo", { rv_slot } },
    [FZ_FN_MECH_INFO] = { "C_GetMechanismInfo", { rv_slot, rv_mech_info } },
};

static int in_set(const CK_RV *set, CK_RV rv)
{
    for (; set != NULL && *set != END; set++) {
        if (*set == rv) {
            return 1;
        }
    }
    return 0;
}

int fz_rv_allowed(fz_fn_t fn, CK_RV rv)
{
    if (in_set(rv_any, rv)) {
        return 1;
    }
    for (int i = 0; i < 4; i++) {
        if (in_set(fz_fns[fn].sets[i], rv)) {
            return 1;
        }
    }
    return 0;
}

const char *fz_fn_name(fz_fn_t fn)
{
    return fz_fns[fn].name;
}

/* ------------------------------------------------------------------------
 * Attributes
 * ---------------------------------------------------------------------- */

const CK_ATTRIBUTE_TYPE fz_types[] = {
    CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_APPLICATION, CKA_VALUE, CKA_OBJECT_ID,
    CKA_CERTIFICATE_TYPE, CKA_ISSUER, CKA_SERIAL_NUMBER, CKA_AC_ISSUER, CKA_OWNER, CKA_ATTR_TYPES,
    CKA_TRUSTED, CKA_CERTIFICATE_CATEGORY, CKA_JAVA_MIDP_SECURITY_DOMAIN, CKA_URL,
    CKA_HASH_OF_SUBJECT_PUBLIC_KEY, CKA_HASH_OF_ISSUER_PUBLIC_KEY, CKA_NAME_HASH_ALGORITHM, CKA_CHECK_VALUE,
    CKA_KEY_TYPE, CKA_SUBJECT, CKA_ID, CKA_SENSITIVE, CKA_ENCRYPT, CKA_DECRYPT, CKA_WRAP, CKA_UNWRAP, CKA_SIGN,
    CKA_SIGN_RECOVER, CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_DERIVE, CKA_START_DATE, CKA_END_DATE, CKA_MODULUS,
    CKA_MODULUS_BITS, CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1, CKA_PRIME_2, CKA_EXPONENT_1,
    CKA_EXPONENT_2, CKA_COEFFICIENT, CKA_PUBLIC_KEY_INFO, CKA_PRIME, CKA_SUBPRIME, CKA_BASE, CKA_VALUE_BITS,
    CKA_VALUE_LEN, CKA_EXTRACTABLE, CKA_LOCAL, CKA_NEVER_EXTRACTABLE, CKA_ALWAYS_SENSITIVE,
    CKA_KEY_GEN_MECHANISM, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE, CKA_EC_PARAMS, CKA_EC_POINT,
    CKA_ALWAYS_AUTHENTICATE, CKA_WRAP_WITH_TRUSTED, CKA_WRAP_TEMPLATE, CKA_UNWRAP_TEMPLATE,
    CKA_DERIVE_TEMPLATE, CKA_ALLOWED_MECHANISMS, CKA_VENDOR_DEFINED, 0x7FFFFFFFu, 0xFFFFFFFFu,
};
const size_t fz_type_count = sizeof(fz_types) / sizeof(fz_types[0]);

int fz_is_secret_attribute(CK_ATTRIBUTE_TYPE type)
{
    switch (type) {
    case CKA_VALUE:
    case CKA_PRIVATE_EXPONENT:
    case CKA_PRIME_1:
    case CKA_PRIME_2:
    case CKA_EXPONENT_1:
    case CKA_EXPONENT_2:
    case CKA_COEFFICIENT: return 1;
    default: return 0;
    }
}

/* A CK_BBOOL or CK_ULONG attribute read through the API; -1 if none. */
static long read_num(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, size_t size)
{
    CK_ULONG v = 0;
    CK_ATTRIBUTE a = { type, &v, (CK_ULONG)size };
    if (C_GetAttributeValue(s, h, &a, 1) != CKR_OK || a.ulValueLen != size) {
        return -1;
    }
    return size == sizeof(CK_BBOOL) ? (long)*(CK_BBOOL *)&v : (long)v;
}

int fz_check_object(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h)
{
    long cls = read_num(s, h, CKA_CLASS, sizeof(CK_ULONG));
    if (cls < 0) {
        CK_ATTRIBUTE a = { CKA_CLASS, NULL, 0 };
        CK_RV rv = C_GetAttributeValue(s, h, &a, 1);
        FZ_CHECK(fz_rv_allowed(FZ_FN_GET_ATTR, rv), "C_GetAttributeValue(CKA_CLASS) 0x%lx", (unsigned long)rv);
        return -1;
    }
    long sens = read_num(s, h, CKA_SENSITIVE, sizeof(CK_BBOOL));
    long extr = read_num(s, h, CKA_EXTRACTABLE, sizeof(CK_BBOOL));
    int secret_key = cls == (long)CKO_PRIVATE_KEY || cls == (long)CKO_SECRET_KEY;
    int protect = secret_key && (sens == CK_TRUE || extr == CK_FALSE);
    /* Every attribute at once, three times: the lengths, exact buffers,
     * buffers one byte short. Each attribute is answered whatever the
     * others are. */
    static CK_ATTRIBUTE a[sizeof(fz_types) / sizeof(fz_types[0])];
    static CK_ULONG len[sizeof(fz_types) / sizeof(fz_types[0])];
    int bad = 0;
    for (size_t i = 0; i < fz_type_count; i++) {
        a[i].type = fz_types[i];
        a[i].pValue = NULL;
        a[i].ulValueLen = 0;
    }
    CK_RV rv = C_GetAttributeValue(s, h, a, (CK_ULONG)fz_type_count);
    for (size_t i = 0; i < fz_type_count; i++) {
        len[i] = a[i].ulValueLen;
        bad |= len[i] == CK_UNAVAILABLE_INFORMATION;
        FZ_CHECK(!(protect && fz_is_secret_attribute(a[i].type) && len[i] != CK_UNAVAILABLE_INFORMATION),
                 "sensitive attribute 0x%lx of a key that is sensitive or unextractable is readable",
                 (unsigned long)a[i].type);
        FZ_CHECK(len[i] == CK_UNAVAILABLE_INFORMATION || len[i] < 1u << 20, "attribute 0x%lx: length %lu",
                 (unsigned long)a[i].type, (unsigned long)len[i]);
    }
    FZ_CHECK(bad ? rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID : rv == CKR_OK,
             "C_GetAttributeValue (lengths): 0x%lx", (unsigned long)rv);
    for (size_t i = 0; i < fz_type_count; i++) {
        a[i].ulValueLen = len[i] == CK_UNAVAILABLE_INFORMATION ? 0 : len[i];
        a[i].pValue = len[i] == CK_UNAVAILABLE_INFORMATION ? NULL : block(NULL, len[i]);
    }
    rv = C_GetAttributeValue(s, h, a, (CK_ULONG)fz_type_count);
    FZ_CHECK(bad ? rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID : rv == CKR_OK,
             "C_GetAttributeValue (values): 0x%lx", (unsigned long)rv);
    int short_any = 0;
    for (size_t i = 0; i < fz_type_count; i++) {
        FZ_CHECK(a[i].ulValueLen == len[i], "attribute 0x%lx: %lu bytes, %lu asked for", (unsigned long)a[i].type,
                 (unsigned long)a[i].ulValueLen, (unsigned long)len[i]);
        if (len[i] != CK_UNAVAILABLE_INFORMATION && len[i] > 0) {
            a[i].ulValueLen = len[i] - 1;
            short_any = 1;
        } else {
            a[i].ulValueLen = 0;
        }
    }
    rv = C_GetAttributeValue(s, h, a, (CK_ULONG)fz_type_count);
    int any_error = rv == CKR_BUFFER_TOO_SMALL || rv == CKR_ATTRIBUTE_SENSITIVE || rv == CKR_ATTRIBUTE_TYPE_INVALID;
    FZ_CHECK(short_any || bad ? any_error && (short_any || rv != CKR_BUFFER_TOO_SMALL) : rv == CKR_OK,
             "C_GetAttributeValue (short buffers): 0x%lx", (unsigned long)rv);
    for (size_t i = 0; i < fz_type_count; i++) {
        if (len[i] != CK_UNAVAILABLE_INFORMATION && len[i] > 0) {
            FZ_CHECK(a[i].ulValueLen == CK_UNAVAILABLE_INFORMATION, "attribute 0x%lx: short buffer accepted",
                     (unsigned long)a[i].type);
        }
        free(a[i].pValue);
    }
    return 0;
}
