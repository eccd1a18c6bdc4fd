/**
 * \file conf.h
 * \brief What the conformance programs share: cmocka, a fresh initialised
 *        token per test, and short helpers for sessions and objects.
 *
 * Every test starts from conf_setup(): library initialised, slot 0 holding
 * a token initialised with NVT_TEST_SO_PIN, user PIN NVT_TEST_USER_PIN set,
 * no session open; conf_teardown() finalises. Each test is named after the
 * rule it checks.
 */
#ifndef CONF_H
#define CONF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "nvt_test_token.h"
#include "nvtoken/config.h"
#include "nvtoken/pkcs11.h"

extern CK_UTF8CHAR conf_so_pin[];
extern CK_UTF8CHAR conf_user_pin[];
extern CK_UTF8CHAR conf_wrong_pin[];
#define CONF_SO_PIN_LEN (sizeof(NVT_TEST_SO_PIN) - 1)
#define CONF_USER_PIN_LEN (sizeof(NVT_TEST_USER_PIN) - 1)
#define CONF_WRONG_PIN_LEN 4

extern CK_BBOOL conf_true;
extern CK_BBOOL conf_false;

/** Whether the profile has session objects (include/nvtoken/config.h). */
#define CONF_SESSION_OBJECTS (NVT_CONFIG_TOKEN_SESSION_OBJECTS > 0)
/** CKA_TOKEN of the objects a test makes for its own use (keys, data):
 *  session objects where the profile has them, else token objects. Tests
 *  of session objects themselves check their refusal in a profile without
 *  them instead. */
extern CK_BBOOL conf_scratch;

/** Fresh token and initialised library (cmocka setup). */
int conf_setup(void **state);
/** C_Finalize and release (cmocka teardown). */
int conf_teardown(void **state);
/** A test with the standard setup and teardown. */
#define CONF_TEST(f) cmocka_unit_test_setup_teardown(f, conf_setup, conf_teardown)

/** Open a session on slot 0 (read-write if rw). */
CK_SESSION_HANDLE conf_open(int rw);
/** Log the user / SO in on s. */
void conf_login_user(CK_SESSION_HANDLE s);
void conf_login_so(CK_SESSION_HANDLE s);

/** C_CreateObject with CKA_TOKEN conf_scratch added when the template has
 *  no CKA_TOKEN (at most 15 attributes). */
CK_RV conf_create(CK_SESSION_HANDLE s, const CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *h);
/** Create a data object with the given CKA_TOKEN, CKA_PRIVATE and label. */
CK_OBJECT_HANDLE conf_data(CK_SESSION_HANDLE s, CK_BBOOL token, CK_BBOOL priv, const char *label);
/** Create an AES secret key (16 bytes of value) with extra attributes
 *  (CKA_TOKEN conf_scratch unless they give one). */
CK_RV conf_aes(CK_SESSION_HANDLE s, const CK_ATTRIBUTE *extra, CK_ULONG n, CK_OBJECT_HANDLE *h);
/** Number of objects C_FindObjects* returns for the template. */
CK_ULONG conf_count(CK_SESSION_HANDLE s, CK_ATTRIBUTE *tmpl, CK_ULONG n);
/** CK_BBOOL attribute of an object (asserts success). */
CK_BBOOL conf_bool(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type);
/** CK_ULONG attribute of an object (asserts success). */
CK_ULONG conf_ulong(CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type);
/** Token info flags of slot 0. */
CK_FLAGS conf_token_flags(void);

/** A small self-signed X.509 certificate (DER) and its parts. */
extern const unsigned char conf_cert[];
extern const size_t conf_cert_len;
extern const unsigned char conf_cert_subject[];
extern const size_t conf_cert_subject_len;
extern const unsigned char conf_cert_serial[];
extern const size_t conf_cert_serial_len;

#endif /* CONF_H */
