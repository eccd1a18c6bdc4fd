/* The mutex type of the corePKCS11 tests' mbedTLS on the QEMU board
 * (MBEDTLS_THREADING_ALT): one thread, so a mutex is a flag the test's
 * functions (test_corepkcs11_pal.c) check. */
#ifndef TEST_THREADING_ALT_H
#define TEST_THREADING_ALT_H
typedef struct mbedtls_threading_mutex_t {
    int locked;
} mbedtls_threading_mutex_t;
#endif
