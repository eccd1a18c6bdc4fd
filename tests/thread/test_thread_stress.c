/* Eight threads, each with its own sessions, creating, finding, reading,
 * changing and destroying objects (token and session, public and private)
 * and digesting, for a bounded time; every call must return exactly what a
 * single-threaded run would. The library is initialised with
 * CKF_OS_LOCKING_OK. Built a second time under ThreadSanitizer (make test,
 * preset host-tsan). NVT_STRESS_SECONDS sets the duration (default 2). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nvt_test_token.h"
#include "nvtoken/pkcs11.h"

#define THREADS 8

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;
static int on_image; /* the host default configuration, on an image file */
static char image_dir[] = "/tmp/nvt-stress-XXXXXX";
static unsigned long errors, operations;
static double deadline;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct worker {
    int id;
    unsigned long ops;
    unsigned long errors;
    char first_error[160];
} worker_t;

static void stress_fail(worker_t *w, const char *what, CK_RV rv, CK_RV want)
{
    if (w->errors++ == 0) {
        snprintf(w->first_error, sizeof(w->first_error), "thread %d: %s returned 0x%lx, expected 0x%lx", w->id,
                 what, (unsigned long)rv, (unsigned long)want);
    }
}

#define EXPECT(w, call, want)                       \
    do {                                            \
        CK_RV rv_ = (call);                         \
        (w)->ops++;                                 \
        if (rv_ != (want)) {                        \
            stress_fail((w), #call, rv_, (want));          \
        }                                           \
    } while (0)

static void one_round(worker_t *w, CK_SESSION_HANDLE s, unsigned long round)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL token = (CK_BBOOL)(round & 1), priv = (CK_BBOOL)((round >> 1) & 1);
    char label[48];
    int len = snprintf(label, sizeof(label), "thread %d round %lu", w->id, round);
    CK_BYTE value[64];
    memset(value, (int)(round & 0xff), sizeof(value));
    CK_ATTRIBUTE t[] = {
        { CKA_CLASS, &cls, sizeof(cls) },   { CKA_TOKEN, &token, 1 },         { CKA_PRIVATE, &priv, 1 },
        { CKA_LABEL, label, (CK_ULONG)len }, { CKA_VALUE, value, sizeof(value) },
    };
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE, found[4];
    CK_ULONG n = 0;
    EXPECT(w, C_CreateObject(s, t, 5, &h), CKR_OK);

    CK_ATTRIBUTE by_label[] = { { CKA_LABEL, label, (CK_ULONG)len } };
    EXPECT(w, C_FindObjectsInit(s, by_label, 1), CKR_OK);
    EXPECT(w, C_FindObjects(s, found, 4, &n), CKR_OK);
    EXPECT(w, C_FindObjectsFinal(s), CKR_OK);
    if (n != 1 || found[0] != h) {
        stress_fail(w, "find by label", n, 1);
    }

    CK_BYTE got[64];
    CK_ATTRIBUTE read[] = { { CKA_VALUE, got, sizeof(got) } };
    EXPECT(w, C_GetAttributeValue(s, h, read, 1), CKR_OK);
    if (read[0].ulValueLen != sizeof(value) || memcmp(got, value, sizeof(value)) != 0) {
        stress_fail(w, "read back", read[0].ulValueLen, sizeof(value));
    }

    char renamed[48];
    int rlen = snprintf(renamed, sizeof(renamed), "thread %d renamed %lu", w->id, round);
    CK_ATTRIBUTE rename[] = { { CKA_LABEL, renamed, (CK_ULONG)rlen } };
    EXPECT(w, C_SetAttributeValue(s, h, rename, 1), CKR_OK);

    CK_MECHANISM sha = { CKM_SHA256, NULL_PTR, 0 };
    CK_BYTE digest[32];
    CK_ULONG dlen = sizeof(digest);
    EXPECT(w, C_DigestInit(s, &sha), CKR_OK);
    EXPECT(w, C_Digest(s, value, sizeof(value), digest, &dlen), CKR_OK);

    EXPECT(w, C_DestroyObject(s, h), CKR_OK);
    EXPECT(w, C_DestroyObject(s, h), CKR_OBJECT_HANDLE_INVALID);
}

static void *work(void *arg)
{
    worker_t *w = arg;
    CK_SESSION_HANDLE s;
    unsigned long round = 0;
    while (now() < deadline) {
        /* A new session now and then: sessions come and go under load. */
        EXPECT(w, C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s), CKR_OK);
        for (int i = 0; i < 16 && now() < deadline; i++) {
            one_round(w, s, round++);
        }
        EXPECT(w, C_CloseSession(s), CKR_OK);
    }
    pthread_mutex_lock(&report_lock);
    errors += w->errors;
    operations += w->ops;
    pthread_mutex_unlock(&report_lock);
    return NULL;
}

static void eight_threads_work_for_a_while_without_a_single_error(void **state)
{
    (void)state;
    double seconds = 2.0;
    const char *env = getenv("NVT_STRESS_SECONDS");
    if (env != NULL && atof(env) > 0) {
        seconds = atof(env);
    }
    if (!on_image) {
        assert_int_equal(nvt_test_token_setup(1), 0);
    }
    CK_C_INITIALIZE_ARGS args;
    memset(&args, 0, sizeof(args));
    args.flags = CKF_OS_LOCKING_OK;
    assert_int_equal(C_Initialize(&args), CKR_OK);
    assert_int_equal(nvt_test_token_init(0), CKR_OK);

    /* The user is logged in for the application (all its sessions). */
    CK_SESSION_HANDLE main_session;
    CK_UTF8CHAR pin[] = NVT_TEST_USER_PIN;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &main_session), CKR_OK);
    assert_int_equal(C_Login(main_session, CKU_USER, pin, sizeof(pin) - 1), CKR_OK);

    pthread_t threads[THREADS];
    worker_t workers[THREADS];
    deadline = now() + seconds;
    for (int i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].id = i;
        assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        if (workers[i].errors > 0) {
            print_error("%s\n", workers[i].first_error);
        }
    }
    print_message("%d threads, %.1f s: %lu calls, %lu errors\n", THREADS, seconds, operations, errors);
    assert_int_equal(errors, 0);
    assert_true(operations > THREADS * 10);

    /* Nothing left behind. */
    CK_OBJECT_HANDLE found[4];
    CK_ULONG n = 0;
    assert_int_equal(C_FindObjectsInit(main_session, NULL_PTR, 0), CKR_OK);
    assert_int_equal(C_FindObjects(main_session, found, 4, &n), CKR_OK);
    assert_int_equal(C_FindObjectsFinal(main_session), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    if (!on_image) {
        nvt_test_token_teardown();
    }
}

int main(int argc, char **argv)
{
    on_image = argc > 1 && strcmp(argv[1], "image") == 0;
    if (on_image) {
        char path[64];
        if (mkdtemp(image_dir) == NULL) {
            return 1;
        }
        snprintf(path, sizeof(path), "%s/token.img", image_dir);
        setenv("NVTOKEN_IMAGE", path, 1);
        setenv("NVTOKEN_SYNC", "0", 1);
        snprintf(path, sizeof(path), "%s/config", image_dir);
        setenv("XDG_CONFIG_HOME", path, 1);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eight_threads_work_for_a_while_without_a_single_error),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (on_image) {
        char cmd[96];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", image_dir);
        if (system(cmd) != 0) {
            failed++;
        }
    }
    return failed;
}
