/**
 * \file p11_internal.h
 * \brief What the PKCS#11 entry points share: whether the library is
 *        initialised, and the library lock.
 *
 * Each entry point checks that the library is initialised, checks the
 * pointers it is given, takes the lock, calls the token layer
 * (src/token/nvt_token.h) and returns its CK_RV. There is no token logic
 * here.
 */
#ifndef P11_INTERNAL_H
#define P11_INTERNAL_H

#include "nvtoken/pkcs11.h"
#include "nvt_token.h"

/** Nonzero between a successful C_Initialize and C_Finalize. */
extern int p11_initialized;

/** \brief Take the library lock (no-op when the application declared it
 *         single-threaded). \return CKR_OK or the mutex callback's error. */
CK_RV p11_lock(void);
/** \brief Release it. */
void p11_unlock(void);

/**
 * \brief C_GetInfo, reporting cryptoki version \p major.\p minor: the
 *        version of the function list the caller took it from (2.40 for
 *        C_GetFunctionList's list, 3.0 for the v3.0 interface's).
 * \return CKR_OK, CKR_CRYPTOKI_NOT_INITIALIZED, CKR_ARGUMENTS_BAD.
 */
CK_RV p11_get_info(CK_INFO_PTR pInfo, CK_BYTE major, CK_BYTE minor);

/** Return CKR_CRYPTOKI_NOT_INITIALIZED unless initialised. */
#define P11_REQUIRE_INIT()                      \
    do {                                        \
        if (!p11_initialized) {                 \
            return CKR_CRYPTOKI_NOT_INITIALIZED; \
        }                                       \
    } while (0)

/** Return CKR_ARGUMENTS_BAD if cond holds. */
#define P11_REQUIRE_ARGS(ok)           \
    do {                               \
        if (!(ok)) {                   \
            return CKR_ARGUMENTS_BAD;  \
        }                              \
    } while (0)

/**
 * \brief What every function the token does not offer answers: once the
 *        library is initialised, CKR_FUNCTION_NOT_SUPPORTED (one function,
 *        so each such entry point is a jump to it).
 * \return CKR_FUNCTION_NOT_SUPPORTED, CKR_CRYPTOKI_NOT_INITIALIZED.
 */
CK_RV p11_not_supported(void);

/** A function the profile leaves out (include/nvtoken/config.h), or that
 *  the token never offers. */
#define P11_LEFT_OUT() return p11_not_supported()

/** Call the token layer under the lock and return its result. */
#define P11_LOCKED_RETURN(call)        \
    do {                               \
        CK_RV p11_rv_ = p11_lock();    \
        if (p11_rv_ == CKR_OK) {       \
            p11_rv_ = (call);          \
            p11_unlock();              \
        }                              \
        return p11_rv_;                \
    } while (0)

#endif /* P11_INTERNAL_H */
