/* bench_token_vs_softhsm NVTOKEN_MODULE [SOFTHSM_MODULE] - the token core
 * against SoftHSM2 in one run, both loaded with dlopen by this harness:
 *
 *   find    C_FindObjectsInit(CKA_LABEL) + C_FindObjects + C_FindObjectsFinal
 *           among 1,000 token objects
 *   create  C_CreateObject + C_DestroyObject of a token data object
 *
 * Each module gets a fresh token in its own temporary directory (nvtoken:
 * NVTOKEN_IMAGE; SoftHSM2: SOFTHSM2_CONF naming a token directory there),
 * initialised and logged in the same way. The two are measured in
 * alternating slices (ROUNDS of SLICE seconds each), so a change in the
 * machine's load - disk flushes of other processes - hits both alike.
 * Prints operations per second and the nvtoken / SoftHSM2 ratio. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nvtoken/pkcs11.h"

#define OBJECTS 1000
#define ROUNDS 8
#define SLICE 0.25

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, CK_RV rv)
{
    fprintf(stderr, "bench: %s failed: 0x%08lx\n", what, rv);
    exit(1);
}

#define CHECK(call)                  \
    do {                             \
        CK_RV rv_ = (call);          \
        if (rv_ != CKR_OK) {         \
            die(#call, rv_);         \
        }                            \
    } while (0)

typedef struct module {
    const char *name;
    void *lib;
    CK_FUNCTION_LIST_PTR f;
    CK_SESSION_HANDLE s;
    long finds, creates;          /* operations done */
    double find_time, create_time; /* seconds spent on them */
} module_t;

static CK_UTF8CHAR so_pin[] = "12345678";
static CK_UTF8CHAR user_pin[] = "123456";

/* The slot whose token carries our label (SoftHSM moves an initialised
 * token to a new slot id). */
static CK_SLOT_ID find_slot(CK_FUNCTION_LIST_PTR f, const CK_UTF8CHAR label[32], int initialized)
{
    CK_SLOT_ID slots[16];
    CK_ULONG n = 16;
    CHECK(f->C_GetSlotList(CK_TRUE, slots, &n));
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        CHECK(f->C_GetTokenInfo(slots[i], &info));
        int init = (info.flags & CKF_TOKEN_INITIALIZED) != 0;
        if (!initialized ? !init : init && memcmp(info.label, label, 32) == 0) {
            return slots[i];
        }
    }
    fprintf(stderr, "bench: no %s token\n", initialized ? "bench" : "blank");
    exit(1);
}

static void set_up(module_t *m, const char *path)
{
    m->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (m->lib == NULL) {
        fprintf(stderr, "bench: cannot load %s: %s\n", path, dlerror());
        exit(1);
    }
    CK_C_GetFunctionList get;
    void *sym = dlsym(m->lib, "C_GetFunctionList");
    memcpy(&get, &sym, sizeof(get));
    CHECK(get(&m->f));
    CK_FUNCTION_LIST_PTR f = m->f;
    CHECK(f->C_Initialize(NULL_PTR));
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "bench", 5);
    CHECK(f->C_InitToken(find_slot(f, label, 0), so_pin, 8, label));
    CK_SLOT_ID slot = find_slot(f, label, 1);
    CK_SESSION_HANDLE s;
    CHECK(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s));
    CHECK(f->C_Login(s, CKU_SO, so_pin, 8));
    CHECK(f->C_InitPIN(s, user_pin, 6));
    CHECK(f->C_Logout(s));
    CHECK(f->C_Login(s, CKU_USER, user_pin, 6));
    m->s = s;
}

static void create_data(module_t *m, const char *label, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_BYTE value[32];
    memset(value, 0x5a, sizeof(value));
    char app[] = "nvtoken bench";
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },       { CKA_TOKEN, &yes, sizeof(yes) },
        { CKA_PRIVATE, &no, sizeof(no) },        { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) },
        { CKA_APPLICATION, app, strlen(app) },  { CKA_VALUE, value, sizeof(value) },
    };
    CHECK(m->f->C_CreateObject(m->s, t, sizeof(t) / sizeof(t[0]), h));
}

static void populate(module_t *m)
{
    char label[32];
    CK_OBJECT_HANDLE h;
    for (int i = 0; i < OBJECTS; i++) {
        snprintf(label, sizeof(label), "object %04d", i);
        create_data(m, label, &h);
    }
}

/* One slice of finds by label. */
static void find_slice(module_t *m)
{
    char label[32];
    double t0 = now(), t;
    do {
        snprintf(label, sizeof(label), "object %04ld", (m->finds * 7919) % OBJECTS);
        CK_ATTRIBUTE tmpl[] = { { CKA_LABEL, label, strlen(label) } };
        CK_OBJECT_HANDLE found[4];
        CK_ULONG count = 0;
        CHECK(m->f->C_FindObjectsInit(m->s, tmpl, 1));
        CHECK(m->f->C_FindObjects(m->s, found, 4, &count));
        CHECK(m->f->C_FindObjectsFinal(m->s));
        if (count != 1) {
            fprintf(stderr, "bench: %s found %lu objects labelled %s\n", m->name, count, label);
            exit(1);
        }
        m->finds++;
        t = now();
    } while (t - t0 < SLICE);
    m->find_time += t - t0;
}

/* One slice of create + destroy of a token object. */
static void create_slice(module_t *m)
{
    CK_OBJECT_HANDLE h;
    double t0 = now(), t;
    do {
        create_data(m, "transient", &h);
        CHECK(m->f->C_DestroyObject(m->s, h));
        m->creates++;
        t = now();
    } while (t - t0 < SLICE);
    m->create_time += t - t0;
}

static void tear_down(module_t *m)
{
    CHECK(m->f->C_Logout(m->s));
    CHECK(m->f->C_CloseSession(m->s));
    CHECK(m->f->C_Finalize(NULL_PTR));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s NVTOKEN_MODULE [SOFTHSM_MODULE]\n", argv[0]);
        return 2;
    }
    const char *softhsm = argc > 2 ? argv[2] : "/usr/lib/softhsm/libsofthsm2.so";
    char dir[] = "/tmp/nvt-bench-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char path[512];
    snprintf(path, sizeof(path), "%s/nvtoken.img", dir);
    setenv("NVTOKEN_IMAGE", path, 1);
    snprintf(path, sizeof(path), "%s/tokens", dir);
    mkdir(path, 0700);
    char conf[512];
    snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
    FILE *c = fopen(conf, "w");
    if (c == NULL) {
        perror(conf);
        return 1;
    }
    fprintf(c, "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", path);
    fclose(c);
    setenv("SOFTHSM2_CONF", conf, 1);

    module_t mods[2];
    memset(mods, 0, sizeof(mods));
    mods[0].name = "nvtoken";
    mods[1].name = "SoftHSM2";
    const char *paths[2] = { argv[1], softhsm };
    for (int i = 0; i < 2; i++) {
        set_up(&mods[i], paths[i]);
        populate(&mods[i]);
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < 2; i++) {
            find_slice(&mods[i]);
        }
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < 2; i++) {
            create_slice(&mods[i]);
        }
    }
    for (int i = 0; i < 2; i++) {
        tear_down(&mods[i]);
    }
    double find_rate[2], create_rate[2];
    for (int i = 0; i < 2; i++) {
        find_rate[i] = (double)mods[i].finds / mods[i].find_time;
        create_rate[i] = (double)mods[i].creates / mods[i].create_time;
    }

    const char *sync = getenv("NVTOKEN_SYNC");
    printf("\nnvtoken vs SoftHSM2: %d token objects; %d alternating slices of %.2f s per figure; nvtoken image %s\n\n",
           OBJECTS, ROUNDS, SLICE,
           sync != NULL && strcmp(sync, "0") == 0 ? "without fdatasync (NVTOKEN_SYNC=0)"
                                                  : "durable (fdatasync at the store's barriers, the default)");
    printf("| operation | nvtoken ops/s | SoftHSM2 ops/s | nvtoken / SoftHSM2 |\n");
    printf("|---|---:|---:|---:|\n");
    printf("| C_FindObjects by label among %d | %.0f | %.0f | %.1f x |\n", OBJECTS, find_rate[0], find_rate[1],
           find_rate[0] / find_rate[1]);
    printf("| C_CreateObject + C_DestroyObject (token) | %.0f | %.0f | %.1f x |\n", create_rate[0], create_rate[1],
           create_rate[0] / create_rate[1]);

    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "bench: could not remove %s\n", dir);
    }
    return 0;
}
