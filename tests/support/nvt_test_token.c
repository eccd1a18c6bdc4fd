/* A token on RAM regions for test programs: see nvt_test_token.h. */
#include "nvt_test_token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nvt_crypto_seal.h"
#include "nvtoken/flash_ram.h"
#include "nvtoken/store.h"
#include "nvtoken/token.h"

#define NVT_TEST_MAX_SLOTS 4

#define TEST_STORE_BYTES sizeof(nvt_store_t)
#define TEST_INDEX_BYTES NVT_STORE_INDEX_BYTES(NVT_TEST_INDEX_OBJECTS)
#define TEST_SECTORS_BYTES NVT_STORE_SECTORS_BYTES(NVT_TEST_SECTORS)
#define TEST_SCRATCH_BYTES 512u
#define TEST_RAM_BYTES NVT_FLASH_RAM_MEM_BYTES(NVT_TEST_SECTOR_SIZE, NVT_TEST_SECTORS, NVT_TEST_PROG_UNIT)

static struct {
    nvt_flash_ram_t ram[NVT_TEST_MAX_SLOTS];
    void *ram_mem[NVT_TEST_MAX_SLOTS];
    nvt_store_t *store[NVT_TEST_MAX_SLOTS];
    void *index[NVT_TEST_MAX_SLOTS];
    void *sectors[NVT_TEST_MAX_SLOTS];
    void *scratch[NVT_TEST_MAX_SLOTS];
    nvt_store_config_t store_cfg[NVT_TEST_MAX_SLOTS];
    nvt_token_slot_config_t slot[NVT_TEST_MAX_SLOTS];
    nvt_token_sync_t sync[NVT_TEST_MAX_SLOTS];
    int changed[NVT_TEST_MAX_SLOTS];
    nvt_token_config_t cfg;
    unsigned n;
} test_token;

/* The device key of test slot i: a fixed secret and id, different per
 * slot, so that tests can open what a slot sealed. */
static int test_device_key(void *ctx, int create, nvt_token_device_key_t *key)
{
    (void)create;
    return nvt_test_token_device_key((unsigned)(uintptr_t)ctx, key) == 0 ? NVT_OK : NVT_E_NOT_FOUND;
}

int nvt_test_token_device_key(unsigned slot, nvt_token_device_key_t *key)
{
    if (slot >= NVT_TEST_MAX_SLOTS || key == NULL) {
        return -1;
    }
    memset(key, 0, sizeof(*key));
    for (size_t i = 0; i < sizeof(key->secret); i++) {
        key->secret[i] = (uint8_t)(0xA5 ^ (i * 7) ^ slot);
    }
    static const char uid[] = "nvtoken test slot ";
    memcpy(key->uid, uid, sizeof(uid) - 1);
    key->uid[sizeof(uid) - 1] = (uint8_t)('0' + slot);
    key->uid_len = sizeof(uid);
    return 0;
}

/* A shared slot's coordination: report a change the test announced. */
static int shared_begin(void *ctx, int *changed)
{
    int *flag = ctx;
    *changed = *flag;
    *flag = 0;
    return NVT_OK;
}

static int shared_end(void *ctx, int wrote)
{
    (void)ctx;
    (void)wrote;
    return NVT_OK;
}

int nvt_test_token_share(unsigned slot)
{
    if (slot >= test_token.n) {
        return -1;
    }
    test_token.changed[slot] = 0;
    test_token.sync[slot].begin = shared_begin;
    test_token.sync[slot].end = shared_end;
    test_token.sync[slot].ctx = &test_token.changed[slot];
    test_token.slot[slot].sync = &test_token.sync[slot];
    test_token.slot[slot].flags = 0;
    return 0;
}

void nvt_test_token_set_flags(unsigned flags)
{
    test_token.cfg.flags = flags;
}

void nvt_test_token_changed(unsigned slot)
{
    if (slot < test_token.n) {
        test_token.changed[slot] = 1;
    }
}

int nvt_test_token_setup(unsigned slots)
{
    if (slots == 0 || slots > NVT_TEST_MAX_SLOTS) {
        return -1;
    }
    nvt_test_token_teardown();
    const nvt_flash_geometry_t geo = { NVT_TEST_SECTOR_SIZE, NVT_TEST_SECTORS, NVT_TEST_PROG_UNIT };
    for (unsigned i = 0; i < slots; i++) {
        test_token.n = i + 1;
        test_token.ram_mem[i] = malloc(TEST_RAM_BYTES);
        test_token.store[i] = calloc(1, TEST_STORE_BYTES);
        test_token.index[i] = calloc(1, TEST_INDEX_BYTES);
        test_token.sectors[i] = calloc(1, TEST_SECTORS_BYTES);
        test_token.scratch[i] = calloc(1, TEST_SCRATCH_BYTES);
        if (test_token.ram_mem[i] == NULL || test_token.store[i] == NULL || test_token.index[i] == NULL ||
            test_token.sectors[i] == NULL || test_token.scratch[i] == NULL ||
            nvt_flash_ram_init(&test_token.ram[i], &geo, test_token.ram_mem[i], TEST_RAM_BYTES, 0, 0x5eed + i) !=
                NVT_OK) {
            return -1;
        }
        nvt_store_config_t *sc = &test_token.store_cfg[i];
        sc->flash = &test_token.ram[i].flash;
        sc->index = test_token.index[i];
        sc->index_len = TEST_INDEX_BYTES;
        sc->sectors = test_token.sectors[i];
        sc->sectors_len = TEST_SECTORS_BYTES;
        sc->scratch = test_token.scratch[i];
        sc->scratch_len = TEST_SCRATCH_BYTES;
        if (nvt_store_format(test_token.store[i], sc) != NVT_OK) {
            return -1;
        }
        unsigned char seed[NVT_TOKEN_NV_SEED_SIZE];
        for (size_t k = 0; k < sizeof(seed); k++) {
            seed[k] = (unsigned char)(k * 13 + i + 1);
        }
        if (nvt_token_provision_nv_seed(test_token.store[i], seed, sizeof(seed)) != NVT_OK) {
            return -1;
        }
        nvt_token_slot_config_t *s = &test_token.slot[i];
        memset(s, 0, sizeof(*s));
        s->store = test_token.store[i];
        s->store_cfg = sc;
        s->flags = NVT_TOKEN_SLOT_FORMAT_BLANK;
        s->device_key = test_device_key;
        s->device_key_ctx = (void *)(uintptr_t)i;
    }
    test_token.cfg.slots = test_token.slot;
    test_token.cfg.slot_count = slots;
    test_token.cfg.flags = 0;
    test_token.cfg.pin_iterations = NVT_TEST_PIN_ITERATIONS;
    return nvt_token_configure(&test_token.cfg) == NVT_OK ? 0 : -1;
}

void nvt_test_token_teardown(void)
{
    (void)nvt_token_configure(NULL);
    for (unsigned i = 0; i < test_token.n; i++) {
        free(test_token.ram_mem[i]);
        free(test_token.store[i]);
        free(test_token.index[i]);
        free(test_token.sectors[i]);
        free(test_token.scratch[i]);
        test_token.ram_mem[i] = test_token.store[i] = NULL;
        test_token.index[i] = test_token.sectors[i] = test_token.scratch[i] = NULL;
    }
    test_token.n = 0;
}

int nvt_test_token_use_device_key(unsigned slot, unsigned key_slot)
{
    if (slot >= test_token.n || key_slot >= NVT_TEST_MAX_SLOTS) {
        return -1;
    }
    test_token.slot[slot].device_key_ctx = (void *)(uintptr_t)key_slot;
    return 0;
}

nvt_store_t *nvt_test_token_store(unsigned slot)
{
    return slot < test_token.n ? test_token.store[slot] : NULL;
}

nvt_flash_ram_t *nvt_test_token_flash(unsigned slot)
{
    return slot < test_token.n ? &test_token.ram[slot] : NULL;
}

CK_RV nvt_test_token_power_cycle(void)
{
    CK_RV rv = C_Finalize(NULL_PTR);
    for (unsigned i = 0; i < test_token.n; i++) {
        nvt_flash_ram_power_on(&test_token.ram[i]);
    }
    CK_RV rv2 = C_Initialize(NULL_PTR);
    return rv != CKR_OK ? rv : rv2;
}

void nvt_test_label(CK_UTF8CHAR out[32], const char *text)
{
    size_t n = strlen(text);
    memset(out, ' ', 32);
    memcpy(out, text, n < 32 ? n : 32);
}

CK_RV nvt_test_token_init(CK_SLOT_ID slot)
{
    static CK_UTF8CHAR so_pin[] = NVT_TEST_SO_PIN;
    static CK_UTF8CHAR user_pin[] = NVT_TEST_USER_PIN;
    CK_UTF8CHAR label[32];
    CK_SESSION_HANDLE s;
    nvt_test_label(label, NVT_TEST_LABEL);
    CK_RV rv = C_InitToken(slot, so_pin, sizeof(so_pin) - 1, label);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &s);
    if (rv != CKR_OK) {
        return rv;
    }
    rv = C_Login(s, CKU_SO, so_pin, sizeof(so_pin) - 1);
    if (rv == CKR_OK) {
        rv = C_InitPIN(s, user_pin, sizeof(user_pin) - 1);
    }
    CK_RV rv2 = C_CloseSession(s);
    return rv != CKR_OK ? rv : rv2;
}

/* docs/FORMAT.md, "Sealed records": ciphertext, then tag (16), nonce (12),
 * envelope version 1 and three zero bytes; additional data = id (LE16) ||
 * envelope version. Written here from the document, not from the token's
 * code, so that the tests check the document too. */
int nvt_test_token_read_record(unsigned slot, uint16_t id, uint8_t *buf, size_t cap, size_t *len, int *sealed)
{
    nvt_store_t *st = nvt_test_token_store(slot);
    size_t n = 0;
    unsigned flags = 0;
    int rc = st != NULL ? nvt_store_size(st, id, &n, &flags) : NVT_E_INVALID;
    if (rc == NVT_OK) {
        rc = nvt_store_get(st, id, buf, cap, &n);
    }
    *len = n;
    *sealed = (flags & NVT_STORE_SEALED) != 0;
    if (rc != NVT_OK || !*sealed) {
        return rc;
    }
    if (n < 32 || buf[n - 4] != 1 || buf[n - 3] != 0 || buf[n - 2] != 0 || buf[n - 1] != 0) {
        return NVT_E_VERIFY;
    }
    nvt_token_device_key_t key;
    nvt_crypto_seal_keys_t k;
    const uint8_t ad[3] = { (uint8_t)(id & 0xFF), (uint8_t)(id >> 8), 1 };
    nvt_test_token_device_key(slot, &key);
    rc = nvt_crypto_seal_keys(key.secret, key.uid, key.uid_len, &k);
    if (rc == NVT_OK) {
        rc = nvt_crypto_seal_open(&k, ad, sizeof(ad), buf, n - 32, buf + n - 16, buf + n - 32);
    }
    *len = rc == NVT_OK ? n - 32 : 0;
    return rc;
}

/* The newer of two copies (sequence at seq_at), opened: its length, or 0. */
static size_t newest_copy(unsigned slot, uint16_t a, uint16_t b, size_t seq_at, uint8_t *out, size_t cap)
{
    const uint16_t ids[2] = { a, b };
    uint8_t buf[256];
    size_t best = 0;
    uint32_t best_seq = 0;
    for (int i = 0; i < 2; i++) {
        size_t n = 0;
        int sealed = 0;
        if (nvt_test_token_read_record(slot, ids[i], buf, sizeof(buf), &n, &sealed) != NVT_OK || n < seq_at + 4 ||
            n > cap) {
            continue;
        }
        uint32_t seq = (uint32_t)buf[seq_at] | (uint32_t)buf[seq_at + 1] << 8 | (uint32_t)buf[seq_at + 2] << 16 |
                       (uint32_t)buf[seq_at + 3] << 24;
        if (best == 0 || seq > best_seq) {
            memcpy(out, buf, n);
            best = n;
            best_seq = seq;
        }
    }
    return best;
}

int nvt_test_token_downgrade(unsigned slot)
{
    nvt_store_t *st = nvt_test_token_store(slot);
    uint8_t rec[256];
    int rc = st != NULL ? NVT_OK : NVT_E_INVALID;
    /* token record version 1: version 2 less its sequence, no flag but the user PIN's */
    if (rc == NVT_OK && newest_copy(slot, NVT_TOKEN_ID_RECORD, NVT_TOKEN_ID_RECORD_COPY, 172, rec, sizeof(rec)) == 176) {
        rec[4] = 1;
        rec[5] &= 0x01;
        rc = nvt_store_put(st, NVT_TOKEN_ID_RECORD, rec, 172, NVT_STORE_SENSITIVE);
    }
    /* counters version 1: version 2 less its sequence */
    if (rc == NVT_OK && newest_copy(slot, NVT_TOKEN_ID_PIN_COUNTERS, NVT_TOKEN_ID_PIN_COUNTERS_COPY, 16, rec,
                                    sizeof(rec)) == 20) {
        rec[0] = 1;
        rc = nvt_store_put(st, NVT_TOKEN_ID_PIN_COUNTERS, rec, 16, 0);
    }
    /* the NV seed, bare */
    if (rc == NVT_OK && newest_copy(slot, NVT_TOKEN_ID_NV_SEED, NVT_TOKEN_ID_NV_SEED_COPY, 4, rec, sizeof(rec)) ==
                           8 + NVT_TOKEN_NV_SEED_SIZE) {
        rc = nvt_store_put(st, NVT_TOKEN_ID_NV_SEED, rec + 8, NVT_TOKEN_NV_SEED_SIZE, NVT_STORE_SENSITIVE);
    }
    static const uint16_t copies[3] = { NVT_TOKEN_ID_RECORD_COPY, NVT_TOKEN_ID_PIN_COUNTERS_COPY,
                                        NVT_TOKEN_ID_NV_SEED_COPY };
    for (int i = 0; i < 3 && rc == NVT_OK; i++) {
        rc = nvt_store_delete(st, copies[i]);
        rc = rc == NVT_E_NOT_FOUND ? NVT_OK : rc;
    }
    /* every sealed object in the clear, still put sensitive */
    nvt_store_id_t id = NVT_TOKEN_ID_FIRST_OBJECT - 1;
    static uint8_t obj[NVT_CONFIG_TOKEN_OBJECT_MAX + 64];
    while (rc == NVT_OK && nvt_store_next(st, id, &id) == NVT_OK) {
        size_t n = 0;
        unsigned flags = 0;
        int sealed = 0;
        rc = nvt_store_size(st, id, &n, &flags);
        if (rc == NVT_OK && (flags & NVT_STORE_SEALED) != 0) {
            rc = nvt_test_token_read_record(slot, id, obj, sizeof(obj), &n, &sealed);
            rc = rc == NVT_OK ? nvt_store_put(st, id, obj, n, NVT_STORE_SENSITIVE) : rc;
        }
    }
    memset(rec, 0, sizeof(rec));
    memset(obj, 0, sizeof(obj));
    return rc == NVT_OK ? 0 : -1;
}
