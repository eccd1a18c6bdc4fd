/* bench_sign [SOFTHSM_MODULE] - the cost of signing through nvtoken against
 * calling PSA directly, with the same key, in the same process:
 *
 *   token  C_SignInit + C_Sign (CKM_ECDSA on a SHA-256 hash; CKM_RSA_PKCS on
 *          its DigestInfo), the key a token object in the store
 *   psa    psa_sign_hash(PSA_ALG_ECDSA_ANY / PSA_ALG_RSA_PKCS1V15_SIGN_RAW)
 *          with the same private key imported into PSA
 *
 * for ECDSA P-256 and RSA-2048 (the keys of RFC 6979 A.2.5 and Wycheproof's
 * RSA-2048 signing vectors, tests/kat/).
 *
 * Host: CPU time per signature, the two paths interleaved in rounds; the
 * ratio token / psa of the medians (the target: at most 1.01 for ECDSA
 * P-256). With SOFTHSM_MODULE, SoftHSM2 (dlopen) signs with the same keys in
 * the same run, and nvtoken / SoftHSM2 throughput is printed.
 *
 * Cortex-M4 (QEMU, run by scripts/qemu-run with NVT_QEMU_ICOUNT=1): the
 * instructions of one C_SignInit + C_Sign and of one psa_sign_hash
 * (resolution 40), medians of several signatures, and their ratio.
 *
 * The build's profile decides what is measured: RSA only where it has RSA;
 * ECDSA on the build's P-256 engine (NVT_CONFIG_CRYPTO_P256M: p256-m or
 * mbedTLS's ECP module), which the tables name. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <psa/crypto.h>

#include "nvt_kat.h"
#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"

/* The algorithms measured: ECDSA P-256, and RSA-2048 where the profile has it. */
#define BENCH_ALGS (NVT_CONFIG_MECH_RSA ? 2 : 1)
#if NVT_CONFIG_CRYPTO_P256M
#define BENCH_ECDSA "ECDSA P-256 (p256-m)"
#else
#define BENCH_ECDSA "ECDSA P-256 (ECP)"
#endif

#if defined(__unix__)
#define BENCH_HOST 1
#include <dlfcn.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#else
#define BENCH_HOST 0
#include "qemu_board.h"
#endif

static void die(const char *what, long rv)
{
    fprintf(stderr, "bench_sign: %s failed: 0x%lx\n", what, rv);
    exit(1);
}

#define CHECK(call)                   \
    do {                              \
        long rv_ = (long)(call);      \
        if (rv_ != 0) {               \
            die(#call, rv_);          \
        }                             \
    } while (0)

/* ---- keys ------------------------------------------------------------------------------------ */

static uint8_t ec_d[48], hash[32], digest_info[51];
static size_t ec_d_len;
static uint8_t rsa_part[8][520];
static size_t rsa_len[8];

static void load_keys(void)
{
    const kat_ecdsa_t *v = NULL;
    for (size_t i = 0; i < kat_ecdsa_count && v == NULL; i++) {
        v = kat_ecdsas[i].bits == 256 ? &kat_ecdsas[i] : NULL;
    }
    ec_d_len = kat_hex(v->d, ec_d, sizeof(ec_d));
    const kat_rsa_key_t *k = &kat_rsa_key_a;
    const char *p[8] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->qi };
    for (int i = 0; i < 8; i++) {
        rsa_len[i] = kat_hex(p[i], rsa_part[i], sizeof(rsa_part[i]));
    }
    for (int i = 0; i < 32; i++) {
        hash[i] = (uint8_t)(i * 13 + 1);
    }
    static const uint8_t prefix[19] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20 };
    memcpy(digest_info, prefix, 19);
    memcpy(digest_info + 19, hash, 32);
}

#if NVT_CONFIG_MECH_RSA
/* DER INTEGER of a magnitude, written at p. */
static size_t der_int(uint8_t *p, const uint8_t *v, size_t n)
{
    while (n > 1 && v[0] == 0) {
        v++;
        n--;
    }
    size_t len = n + ((v[0] & 0x80) != 0), h = 2;
    p[0] = 0x02;
    if (len < 128) {
        p[1] = (uint8_t)len;
    } else if (len < 256) {
        p[1] = 0x81;
        p[2] = (uint8_t)len;
        h = 3;
    } else {
        p[1] = 0x82;
        p[2] = (uint8_t)(len >> 8);
        p[3] = (uint8_t)len;
        h = 4;
    }
    p[h] = 0;
    memcpy(p + h + (len - n), v, n);
    return h + len;
}

/* The RSA key as PKCS#1 RSAPrivateKey, for psa_import_key. */
static size_t rsa_der(uint8_t *out)
{
    static uint8_t body[1400];
    static const uint8_t zero = 0;
    size_t b = der_int(body, &zero, 1);
    for (int i = 0; i < 8; i++) {
        b += der_int(body + b, rsa_part[i], rsa_len[i]);
    }
    out[0] = 0x30;
    out[1] = 0x82;
    out[2] = (uint8_t)(b >> 8);
    out[3] = (uint8_t)b;
    memcpy(out + 4, body, b);
    return b + 4;
}
#endif

/* ---- the two paths ------------------------------------------------------------------------------ */

typedef struct path {
    CK_FUNCTION_LIST_PTR f;
    CK_SESSION_HANDLE s;
    CK_OBJECT_HANDLE ec, rsa;
} path_t;

static CK_BBOOL yes = CK_TRUE;

/* The two keys as token objects of the module's session. */
static void make_keys(path_t *p)
{
    CK_OBJECT_CLASS priv = CKO_PRIVATE_KEY;
    CK_KEY_TYPE ec = CKK_EC, rsa = CKK_RSA;
    static CK_BYTE p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
    CK_ATTRIBUTE et[] = { { CKA_CLASS, &priv, sizeof(priv) }, { CKA_KEY_TYPE, &ec, sizeof(ec) },
                          { CKA_TOKEN, &yes, 1 },             { CKA_SIGN, &yes, 1 },
                          { CKA_EC_PARAMS, p256, sizeof(p256) }, { CKA_VALUE, ec_d, ec_d_len } };
    CHECK(p->f->C_CreateObject(p->s, et, 6, &p->ec));
#if NVT_CONFIG_MECH_RSA
    CK_ATTRIBUTE rt[] = {
        { CKA_CLASS, &priv, sizeof(priv) },              { CKA_KEY_TYPE, &rsa, sizeof(rsa) },
        { CKA_TOKEN, &yes, 1 },                          { CKA_SIGN, &yes, 1 },
        { CKA_MODULUS, rsa_part[0], rsa_len[0] },        { CKA_PUBLIC_EXPONENT, rsa_part[1], rsa_len[1] },
        { CKA_PRIVATE_EXPONENT, rsa_part[2], rsa_len[2] }, { CKA_PRIME_1, rsa_part[3], rsa_len[3] },
        { CKA_PRIME_2, rsa_part[4], rsa_len[4] },        { CKA_EXPONENT_1, rsa_part[5], rsa_len[5] },
        { CKA_EXPONENT_2, rsa_part[6], rsa_len[6] },     { CKA_COEFFICIENT, rsa_part[7], rsa_len[7] },
    };
    CHECK(p->f->C_CreateObject(p->s, rt, 12, &p->rsa));
#else
    (void)rsa;
#endif
}

static void token_sign(const path_t *p, int rsa)
{
    CK_MECHANISM m = { rsa ? CKM_RSA_PKCS : CKM_ECDSA, NULL_PTR, 0 };
    CK_BYTE sig[512];
    CK_ULONG len = sizeof(sig);
    CHECK(p->f->C_SignInit(p->s, &m, rsa ? p->rsa : p->ec));
    CHECK(p->f->C_Sign(p->s, rsa ? digest_info : hash, rsa ? sizeof(digest_info) : sizeof(hash), sig, &len));
}

static psa_key_id_t psa_ec, psa_rsa;

static void psa_keys(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_ANY_HASH));
    CHECK(psa_import_key(&a, ec_d, ec_d_len, &psa_ec));
    psa_reset_key_attributes(&a);
#if NVT_CONFIG_MECH_RSA
    static uint8_t der[1500];
    size_t n = rsa_der(der);
    psa_set_key_type(&a, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_RSA_PKCS1V15_SIGN(PSA_ALG_ANY_HASH));
    CHECK(psa_import_key(&a, der, n, &psa_rsa));
#endif
}

static void psa_sign(int rsa)
{
    uint8_t sig[512];
    size_t len = 0;
    CHECK(rsa ? psa_sign_hash(psa_rsa, PSA_ALG_RSA_PKCS1V15_SIGN_RAW, digest_info, sizeof(digest_info), sig,
                              sizeof(sig), &len)
              : psa_sign_hash(psa_ec, PSA_ALG_ECDSA_ANY, hash, sizeof(hash), sig, sizeof(sig), &len));
}

/* The in-process token: RAM stores (tests/support), user logged in. */
static void token_up(path_t *p)
{
    static CK_UTF8CHAR pin[] = NVT_TEST_USER_PIN;
    CHECK(nvt_test_token_setup(1));
    CHECK(C_Initialize(NULL_PTR));
    CHECK(nvt_test_token_init(0));
    CHECK(C_GetFunctionList(&p->f));
    CHECK(C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &p->s));
    CHECK(C_Login(p->s, CKU_USER, pin, sizeof(pin) - 1));
    make_keys(p);
    psa_keys();
}

#if BENCH_HOST
/* ---- host: CPU time ------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof(v[0]), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds per signature of a batch of n. */
static double batch(const path_t *p, int token, int rsa, int n)
{
    double t0 = cpu_now();
    for (int i = 0; i < n; i++) {
        if (token) {
            token_sign(p, rsa);
        } else {
            psa_sign(rsa);
        }
    }
    return (cpu_now() - t0) / n;
}

/* SoftHSM2 through dlopen, with the same keys. */
static int softhsm_up(path_t *p, const char *module, char *dir)
{
    void *lib = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        return 0;
    }
    CK_C_GetFunctionList get;
    *(void **)&get = dlsym(lib, "C_GetFunctionList");
    if (get == NULL || get(&p->f) != CKR_OK) {
        return 0;
    }
    char conf[300], tokens[300];
    snprintf(tokens, sizeof(tokens), "%s/tokens", dir);
    snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
    if (mkdir(tokens, 0700) != 0) {
        return 0;
    }
    FILE *f = fopen(conf, "w");
    fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", tokens);
    fclose(f);
    setenv("SOFTHSM2_CONF", conf, 1);
    CHECK(p->f->C_Initialize(NULL_PTR));
    CK_SLOT_ID slots[8];
    CK_ULONG n = 8;
    CHECK(p->f->C_GetSlotList(CK_TRUE, slots, &n));
    CK_UTF8CHAR label[32], so[] = "12345678", pin[] = "123456";
    memset(label, ' ', 32);
    memcpy(label, "bench", 5);
    CHECK(p->f->C_InitToken(slots[0], so, 8, label));
    n = 8;
    CHECK(p->f->C_GetSlotList(CK_TRUE, slots, &n));
    CK_SLOT_ID slot = slots[0];
    for (CK_ULONG i = 0; i < n; i++) {
        CK_TOKEN_INFO info;
        CHECK(p->f->C_GetTokenInfo(slots[i], &info));
        if (memcmp(info.label, label, 32) == 0) {
            slot = slots[i];
        }
    }
    CK_SESSION_HANDLE so_s;
    CHECK(p->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &so_s));
    CHECK(p->f->C_Login(so_s, CKU_SO, so, 8));
    CHECK(p->f->C_InitPIN(so_s, pin, 6));
    CHECK(p->f->C_Logout(so_s));
    CHECK(p->f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &p->s));
    CHECK(p->f->C_Login(p->s, CKU_USER, pin, 6));
    make_keys(p);
    return 1;
}

static double rate(const path_t *p, int rsa)
{
    int n = rsa ? 40 : 400;
    double t0 = cpu_now();
    for (int i = 0; i < n; i++) {
        token_sign(p, rsa);
    }
    return n / (cpu_now() - t0);
}

int main(int argc, char **argv)
{
    path_t tok;
    load_keys();
    token_up(&tok);
    printf("\nSigning: nvtoken (C_SignInit + C_Sign) against psa_sign_hash, same key, same process (CPU time)\n");
    printf("%-22s %12s %12s %10s %10s\n", "operation", "nvtoken us", "PSA us", "ratio", "min ratio");
    static const char *names[2] = { BENCH_ECDSA, "RSA-2048 PKCS#1 v1.5" };
    double token_rate[2];
    for (int rsa = 0; rsa < BENCH_ALGS; rsa++) {
        enum { ROUNDS = 41 };
        int n = rsa ? 8 : 60;
        double t[ROUNDS], q[ROUNDS], r[ROUNDS];
        batch(&tok, 1, rsa, n); /* warm: the key loaded into the cache */
        batch(&tok, 0, rsa, n);
        for (int i = 0; i < ROUNDS; i++) {
            if (i % 2) {
                t[i] = batch(&tok, 1, rsa, n);
                q[i] = batch(&tok, 0, rsa, n);
            } else {
                q[i] = batch(&tok, 0, rsa, n);
                t[i] = batch(&tok, 1, rsa, n);
            }
            r[i] = t[i] / q[i];
        }
        double tmin = t[0], qmin = q[0];
        for (int i = 1; i < ROUNDS; i++) {
            tmin = t[i] < tmin ? t[i] : tmin;
            qmin = q[i] < qmin ? q[i] : qmin;
        }
        double mt = median(t, ROUNDS), mq = median(q, ROUNDS), mr = median(r, ROUNDS);
        printf("%-22s %12.1f %12.1f %10.4f %10.4f\n", names[rsa], mt * 1e6, mq * 1e6, mr, tmin / qmin);
        token_rate[rsa] = 1.0 / mt;
    }
    if (argc > 1) {
        char dir[] = "/tmp/nvt-bench-sign-XXXXXX";
        path_t hsm;
        if (mkdtemp(dir) != NULL && softhsm_up(&hsm, argv[1], dir)) {
            printf("\nSigning: nvtoken against SoftHSM2 (%s), same keys, same run\n", argv[1]);
            printf("%-22s %14s %14s %12s\n", "operation", "nvtoken ops/s", "SoftHSM2 ops/s", "nvt/SoftHSM");
            for (int rsa = 0; rsa < BENCH_ALGS; rsa++) {
                double h = rate(&hsm, rsa);
                printf("%-22s %14.0f %14.0f %12.2f\n", names[rsa], token_rate[rsa], h, token_rate[rsa] / h);
            }
            hsm.f->C_Finalize(NULL_PTR);
            char cmd[300];
            snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
            if (system(cmd) != 0) {
                fprintf(stderr, "bench_sign: could not remove %s\n", dir);
            }
        } else {
            printf("\n(SoftHSM2 not measured: cannot load %s)\n", argv[1]);
        }
    }
    C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    return 0;
}

#else
/* ---- Cortex-M4 (QEMU): instructions ------------------------------------------------------------- */

/* mbedTLS's heap, measured: malloc, calloc and free are wrapped at link
 * time (bench/CMakeLists.txt), each block carrying its size. */
void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void __real_free(void *p);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);

#define HEAP_HDR 8u
static size_t heap_live, heap_peak;

void *__wrap_malloc(size_t size)
{
    uint8_t *p = __real_malloc(size + HEAP_HDR);
    if (p == NULL) {
        return NULL;
    }
    memcpy(p, &size, sizeof(size));
    heap_live += size;
    heap_peak = heap_live > heap_peak ? heap_live : heap_peak;
    return p + HEAP_HDR;
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (size != 0 && n > (SIZE_MAX - HEAP_HDR) / size) {
        return NULL;
    }
    uint8_t *p = __wrap_malloc(n * size);
    if (p != NULL) {
        memset(p, 0, n * size);
    }
    return p;
}

void __wrap_free(void *q)
{
    if (q != NULL) {
        uint8_t *p = (uint8_t *)q - HEAP_HDR;
        size_t size;
        memcpy(&size, p, sizeof(size));
        heap_live -= size;
        __real_free(p);
    }
}

/* Peak heap above what is live now, over one call of what. */
static size_t heap_of(const path_t *p, int token, int rsa)
{
    size_t base = heap_live;
    heap_peak = base;
    if (token) {
        token_sign(p, rsa);
    } else {
        psa_sign(rsa);
    }
    return heap_peak - base;
}

static uint64_t count(const path_t *p, int token, int rsa)
{
    nvt_qemu_icount_start();
    if (token) {
        token_sign(p, rsa);
    } else {
        psa_sign(rsa);
    }
    return nvt_qemu_icount_read();
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median_u64(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(v[0]), cmp_u64);
    return v[n / 2];
}

int main(void)
{
    path_t tok;
    load_keys();
    token_up(&tok);
    /* Heap first: the first signature with each key loads it into the key
     * cache (its PSA copy stays), the next ones only sign. */
    size_t cold[2], warm[2], direct[2], kept[2];
    for (int rsa = 0; rsa < BENCH_ALGS; rsa++) {
        size_t before = heap_live;
        cold[rsa] = heap_of(&tok, 1, rsa);
        kept[rsa] = heap_live - before;
        warm[rsa] = heap_of(&tok, 1, rsa);
        direct[rsa] = heap_of(&tok, 0, rsa);
    }
    if (!nvt_qemu_icount_exact()) {
        printf("bench_sign: QEMU does not count instructions: run with NVT_QEMU_ICOUNT=1 (scripts/qemu-run)\n");
        return 1;
    }
    printf("\nSigning on the Cortex-M4 model (QEMU mps2-an386), profile %s: instructions of one C_SignInit + C_Sign\n",
           NVT_CONFIG_PROFILE_NAME);
    printf("against one psa_sign_hash, same key, same program (medians of 15; resolution 40)\n");
    printf("%-22s %14s %14s %12s %10s\n", "operation", "nvtoken", "PSA", "difference", "overhead");
    static const char *names[2] = { BENCH_ECDSA, "RSA-2048 PKCS#1 v1.5" };
    for (int rsa = 0; rsa < BENCH_ALGS; rsa++) {
        enum { N = 15 };
        uint64_t t[N], q[N];
        (void)count(&tok, 1, rsa); /* the key loaded into the cache */
        for (int i = 0; i < N; i++) {
            t[i] = count(&tok, 1, rsa);
            q[i] = count(&tok, 0, rsa);
        }
        uint64_t mt = median_u64(t, N), mq = median_u64(q, N);
        int64_t diff = (int64_t)mt - (int64_t)mq;
        /* overhead in units of 0.001 %, printed as a percentage */
        int64_t milli = mq > 0 ? diff * 100000 / (int64_t)mq : 0;
        printf("%-22s %14llu %14llu %12lld %6s%lld.%03lld%%\n", names[rsa], (unsigned long long)mt,
               (unsigned long long)mq, (long long)diff, milli < 0 ? "-" : "", (long long)(llabs(milli) / 1000),
               (long long)(llabs(milli) % 1000));
    }
    printf("\nmbedTLS heap (calloc) on the Cortex-M4: peak above the live heap during one call, bytes\n");
    printf("%-22s %14s %14s %14s %14s\n", "operation", "first C_Sign", "later C_Sign", "psa_sign_hash",
           "kept (cache)");
    for (int rsa = 0; rsa < BENCH_ALGS; rsa++) {
        printf("%-22s %14u %14u %14u %14u\n", names[rsa], (unsigned)cold[rsa], (unsigned)warm[rsa],
               (unsigned)direct[rsa], (unsigned)kept[rsa]);
    }
    C_Finalize(NULL_PTR);
    nvt_test_token_teardown();
    printf("(after C_Finalize: %u bytes live)\n", (unsigned)heap_live);
    return 0;
}
#endif
