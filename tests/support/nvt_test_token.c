/* A token on RAM regions for test programs: see nvt_test_token.h. */
#include "nvt_test_token.h"

#include <stdlib.h>
#include <string.h>

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
