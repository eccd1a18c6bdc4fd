/* Several processes on one token image, through the host module's default
 * configuration (NVTOKEN_IMAGE): writers in parallel never corrupt it, and
 * each process sees what another committed - without restarting.
 *
 *   1. four processes each create and destroy objects at the same time;
 *      afterwards every surviving object is there, intact;
 *   2. process A creates an object while process B has a session open; B
 *      finds it, changes it; A sees the change; B destroys it; A sees it
 *      gone; a failed login in A shows in B's token flags;
 *   3. an image that cannot be opened is a slot without a token;
 *   4. NVTOKEN_IMAGE listing two images gives two slots, two tokens;
 *   5. slot events: an image that becomes possible (its directory made)
 *      is a token inserted, and its token initialised again by another
 *      process is a token replaced, each reported once by
 *      C_WaitForSlotEvent(CKF_DONT_BLOCK). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nvtoken/pkcs11.h"

#define WRITERS 4
#define OBJECTS_EACH 40

static CK_UTF8CHAR so_pin[] = "12345678";
static CK_UTF8CHAR user_pin[] = "1234";
static char dir[] = "/tmp/nvt-mp-XXXXXX";

static CK_SESSION_HANDLE user_session(void)
{
    CK_SESSION_HANDLE s = 0;
    if (C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s) != CKR_OK) {
        return 0;
    }
    CK_RV rv = C_Login(s, CKU_USER, user_pin, sizeof(user_pin) - 1);
    return rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN ? s : 0;
}

static CK_RV create(CK_SESSION_HANDLE s, const char *label, CK_BYTE fill, CK_OBJECT_HANDLE *h)
{
    CK_OBJECT_CLASS cls = CKO_DATA;
    CK_BBOOL yes = CK_TRUE;
    CK_BYTE value[48];
    memset(value, fill, sizeof(value));
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) }, { CKA_TOKEN, &yes, 1 },
                         { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) },
                         { CKA_VALUE, value, sizeof(value) } };
    return C_CreateObject(s, t, 4, h);
}

/* Objects labelled label: how many, the first one's handle. */
static CK_ULONG find(CK_SESSION_HANDLE s, const char *label, CK_OBJECT_HANDLE *first)
{
    CK_ATTRIBUTE t[] = { { CKA_LABEL, (CK_VOID_PTR)(uintptr_t)label, strlen(label) } };
    CK_OBJECT_HANDLE found[8];
    CK_ULONG n = 0;
    if (C_FindObjectsInit(s, t, label != NULL ? 1 : 0) != CKR_OK || C_FindObjects(s, found, 8, &n) != CKR_OK ||
        C_FindObjectsFinal(s) != CKR_OK) {
        return 99;
    }
    if (n > 0 && first != NULL) {
        *first = found[0];
    }
    return n;
}

static int writer(int id)
{
    if (C_Initialize(NULL_PTR) != CKR_OK) {
        return 10;
    }
    CK_SESSION_HANDLE s = user_session();
    if (s == 0) {
        return 11;
    }
    char label[32];
    for (int j = 0; j < OBJECTS_EACH; j++) {
        CK_OBJECT_HANDLE h, gone;
        snprintf(label, sizeof(label), "w%d-%d", id, j);
        if (create(s, label, (CK_BYTE)(id * 16 + j), &h) != CKR_OK) {
            return 12;
        }
        if (create(s, "scratch", 0, &gone) != CKR_OK || C_DestroyObject(s, gone) != CKR_OK) {
            return 13;
        }
        if (find(s, label, NULL) != 1) {
            return 14;
        }
    }
    return C_Finalize(NULL_PTR) == CKR_OK ? 0 : 15;
}

static void parallel_writers_never_corrupt_the_image(void **state)
{
    (void)state;
    pid_t pids[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            _exit(writer(i));
        }
    }
    for (int i = 0; i < WRITERS; i++) {
        int status = 0;
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) != 0) {
            print_error("writer %d exited with %d\n", i, WEXITSTATUS(status));
        }
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    CK_SESSION_HANDLE s = user_session();
    assert_int_not_equal(s, 0);
    char label[32];
    for (int i = 0; i < WRITERS; i++) {
        for (int j = 0; j < OBJECTS_EACH; j++) {
            CK_OBJECT_HANDLE h = 0;
            snprintf(label, sizeof(label), "w%d-%d", i, j);
            assert_int_equal(find(s, label, &h), 1);
            CK_BYTE value[64];
            CK_ATTRIBUTE a = { CKA_VALUE, value, sizeof(value) };
            assert_int_equal(C_GetAttributeValue(s, h, &a, 1), CKR_OK);
            assert_int_equal(a.ulValueLen, 48);
            assert_int_equal(value[0], (CK_BYTE)(i * 16 + j));
        }
    }
    assert_int_equal(find(s, "scratch", NULL), 0);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

/* Steps of the two-process exchange, signalled through pipes. */
static void say(int fd, char c)
{
    assert_int_equal(write(fd, &c, 1), 1);
}

static char hear(int fd)
{
    char c = 0;
    return read(fd, &c, 1) == 1 ? c : 0;
}

static int process_b(int in, int out)
{
    if (C_Initialize(NULL_PTR) != CKR_OK) {
        return 20;
    }
    CK_SESSION_HANDLE s = user_session();
    CK_OBJECT_HANDLE h = 0;
    if (s == 0 || find(s, "from A", NULL) != 0) {
        return 21;
    }
    say(out, 'r');                         /* ready, session open */
    if (hear(in) != 'c' || find(s, "from A", &h) != 1) {
        return 22;                          /* A's object is visible */
    }
    char label[] = "changed by B";
    CK_ATTRIBUTE t[] = { { CKA_LABEL, label, sizeof(label) - 1 } };
    if (C_SetAttributeValue(s, h, t, 1) != CKR_OK) {
        return 23;
    }
    say(out, 's');
    if (hear(in) != 'k') {
        return 24;
    }
    if (C_DestroyObject(s, h) != CKR_OK) {
        return 25;
    }
    say(out, 'd');
    if (hear(in) != 'f') {
        return 26;
    }
    CK_TOKEN_INFO info;
    if (C_GetTokenInfo(0, &info) != CKR_OK || (info.flags & CKF_USER_PIN_COUNT_LOW) == 0) {
        return 27;                          /* A's failed login counts here too */
    }
    return C_Finalize(NULL_PTR) == CKR_OK ? 0 : 28;
}

static void each_process_sees_what_the_other_committed(void **state)
{
    (void)state;
    int to_b[2], from_b[2];
    assert_int_equal(pipe(to_b), 0);
    assert_int_equal(pipe(from_b), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(process_b(to_b[0], from_b[1]));
    }
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    CK_SESSION_HANDLE s = user_session();
    assert_int_not_equal(s, 0);
    assert_int_equal(hear(from_b[0]), 'r');
    CK_OBJECT_HANDLE h = 0;
    assert_int_equal(create(s, "from A", 7, &h), CKR_OK);
    say(to_b[1], 'c');
    assert_int_equal(hear(from_b[0]), 's');
    char label[32] = "";
    CK_ATTRIBUTE a = { CKA_LABEL, label, sizeof(label) - 1 };
    assert_int_equal(C_GetAttributeValue(s, h, &a, 1), CKR_OK); /* the same handle, B's label */
    label[a.ulValueLen] = '\0';
    assert_string_equal(label, "changed by B");
    /* A search begun before B destroys the object: once this process has
     * read the changed image, the search no longer hands out the handle. */
    char changed[] = "changed by B";
    CK_ATTRIBUTE by_label[] = { { CKA_LABEL, changed, sizeof(changed) - 1 } };
    assert_int_equal(C_FindObjectsInit(s, by_label, 1), CKR_OK);
    say(to_b[1], 'k');
    assert_int_equal(hear(from_b[0]), 'd');
    CK_ULONG size;
    assert_int_equal(C_GetObjectSize(s, h, &size), CKR_OBJECT_HANDLE_INVALID);
    CK_OBJECT_HANDLE found[2];
    CK_ULONG n = 9;
    assert_int_equal(C_FindObjects(s, found, 2, &n), CKR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(C_FindObjectsFinal(s), CKR_OK);
    assert_int_equal(C_Logout(s), CKR_OK);
    CK_UTF8CHAR wrong[] = "0000";
    assert_int_equal(C_Login(s, CKU_USER, wrong, 4), CKR_PIN_INCORRECT);
    say(to_b[1], 'f');
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0) {
        print_error("process B exited with %d\n", WEXITSTATUS(status));
    }
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
}

static void an_image_that_cannot_be_opened_is_a_token_not_present(void **state)
{
    (void)state;
    char good[128], bad[160];
    snprintf(good, sizeof(good), "%s", getenv("NVTOKEN_IMAGE"));
    snprintf(bad, sizeof(bad), "%s/no such directory/token.img", dir);
    setenv("NVTOKEN_IMAGE", bad, 1);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK); /* the library itself is fine */
    CK_ULONG n = 0;
    assert_int_equal(C_GetSlotList(CK_FALSE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(C_GetSlotList(CK_TRUE, NULL_PTR, &n), CKR_OK);
    assert_int_equal(n, 0);
    CK_SLOT_INFO si;
    assert_int_equal(C_GetSlotInfo(0, &si), CKR_OK);
    assert_int_equal(si.flags & CKF_TOKEN_PRESENT, 0);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(0, &ti), CKR_TOKEN_NOT_PRESENT);
    CK_SESSION_HANDLE s;
    assert_int_equal(C_OpenSession(0, CKF_SERIAL_SESSION, NULL_PTR, NULL_PTR, &s), CKR_TOKEN_NOT_PRESENT);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    setenv("NVTOKEN_IMAGE", good, 1);
}

static void each_listed_image_is_a_slot(void **state)
{
    (void)state;
    char good[128], two[300];
    snprintf(good, sizeof(good), "%s", getenv("NVTOKEN_IMAGE"));
    snprintf(two, sizeof(two), "%s:%s/second.img", good, dir);
    setenv("NVTOKEN_IMAGE", two, 1);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    CK_SLOT_ID slots[4];
    CK_ULONG n = 4;
    assert_int_equal(C_GetSlotList(CK_TRUE, slots, &n), CKR_OK);
    assert_int_equal(n, 2);
    CK_TOKEN_INFO a, b;
    assert_int_equal(C_GetTokenInfo(0, &a), CKR_OK);
    assert_int_equal(C_GetTokenInfo(1, &b), CKR_OK);
    assert_true((a.flags & CKF_TOKEN_INITIALIZED) != 0); /* the first image, initialised */
    assert_int_equal(b.flags & CKF_TOKEN_INITIALIZED, 0); /* the second, created blank */
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    assert_int_equal(C_InitToken(1, so_pin, 8, label), CKR_OK);
    assert_int_equal(C_GetTokenInfo(1, &b), CKR_OK);
    assert_true((b.flags & CKF_TOKEN_INITIALIZED) != 0);
    assert_memory_not_equal(a.serialNumber, b.serialNumber, sizeof(a.serialNumber));
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    setenv("NVTOKEN_IMAGE", good, 1);
}

static void new_images_and_tokens_replaced_elsewhere_are_slot_events(void **state)
{
    (void)state;
    char good[128], sub[160], later[200];
    snprintf(good, sizeof(good), "%s", getenv("NVTOKEN_IMAGE"));
    snprintf(sub, sizeof(sub), "%s/later", dir);
    snprintf(later, sizeof(later), "%s/token.img", sub);
    setenv("NVTOKEN_IMAGE", later, 1);
    assert_int_equal(C_Initialize(NULL_PTR), CKR_OK);
    CK_SLOT_ID slot = 99;
    CK_SLOT_INFO si;
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    assert_int_equal(C_GetSlotInfo(0, &si), CKR_OK);
    assert_int_equal(si.flags & CKF_TOKEN_PRESENT, 0);
    /* the image's directory appears: the image is made, a token inserted */
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_OK);
    assert_int_equal(slot, 0);
    assert_int_equal(C_GetSlotInfo(0, &si), CKR_OK);
    assert_true((si.flags & CKF_TOKEN_PRESENT) != 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    /* another process initialises the token: this one's is replaced */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        CK_UTF8CHAR label[32];
        memset(label, ' ', sizeof(label));
        (void)C_Finalize(NULL_PTR); /* the parent's state, copied by fork() */
        _exit(C_Initialize(NULL_PTR) == CKR_OK && C_InitToken(0, so_pin, 8, label) == CKR_OK &&
                      C_Finalize(NULL_PTR) == CKR_OK
                  ? 0
                  : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_OK);
    assert_int_equal(slot, 0);
    assert_int_equal(C_WaitForSlotEvent(CKF_DONT_BLOCK, &slot, NULL_PTR), CKR_NO_EVENT);
    CK_TOKEN_INFO ti;
    assert_int_equal(C_GetTokenInfo(0, &ti), CKR_OK);
    assert_true((ti.flags & CKF_TOKEN_INITIALIZED) != 0);
    assert_int_equal(C_Finalize(NULL_PTR), CKR_OK);
    setenv("NVTOKEN_IMAGE", good, 1);
}

static int make_token(void **state)
{
    (void)state;
    CK_UTF8CHAR label[32];
    memset(label, ' ', sizeof(label));
    memcpy(label, "multi-process", 13);
    CK_SESSION_HANDLE s = 0;
    if (C_Initialize(NULL_PTR) != CKR_OK || C_InitToken(0, so_pin, 8, label) != CKR_OK ||
        C_OpenSession(0, CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL_PTR, NULL_PTR, &s) != CKR_OK ||
        C_Login(s, CKU_SO, so_pin, 8) != CKR_OK || C_InitPIN(s, user_pin, 4) != CKR_OK) {
        return -1;
    }
    return C_Finalize(NULL_PTR) == CKR_OK ? 0 : -1;
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    char path[128];
    snprintf(path, sizeof(path), "%s/token.img", dir);
    setenv("NVTOKEN_IMAGE", path, 1);
    setenv("NVTOKEN_SYNC", "0", 1); /* the test is about locking, not the disk */
    snprintf(path, sizeof(path), "%s/config", dir);
    setenv("XDG_CONFIG_HOME", path, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(parallel_writers_never_corrupt_the_image, make_token),
        cmocka_unit_test_setup(each_process_sees_what_the_other_committed, make_token),
        cmocka_unit_test(an_image_that_cannot_be_opened_is_a_token_not_present),
        cmocka_unit_test_setup(each_listed_image_is_a_slot, make_token),
        cmocka_unit_test(new_images_and_tokens_replaced_elsewhere_are_slot_events),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        failed++;
    }
    return failed;
}
