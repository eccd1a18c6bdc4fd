/**
 * \file error.h
 * \brief nvtoken's error codes, shared by the flash, store, crypto and port
 *        layers.
 *
 * Functions return NVT_OK (0), a non-negative count where documented, or one
 * of the negative codes below. The token layer implements PKCS#11 semantics
 * and speaks CK_RV; it maps these codes to CKR_* values in one table
 * (src/token/), so a code's meaning is decided in exactly one place.
 */
#ifndef NVTOKEN_ERROR_H
#define NVTOKEN_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nvt_err {
    NVT_OK = 0,
    /** A caller's argument is invalid: NULL, out of range, misaligned. */
    NVT_E_INVALID = -1,
    /** The flash driver reported a failure (device error). */
    NVT_E_IO = -2,
    /** The flash lost power (fault injection): nothing more can be done
     *  until the region is powered on and mounted again. */
    NVT_E_POWER_LOST = -3,
    /** A program targeted a unit that was already programmed, and the
     *  flash (ECC flash, or the ram driver in strict mode) refused it. */
    NVT_E_PROGRAMMED = -4,
    /** Data failed its integrity check; it is never returned as data. */
    NVT_E_CORRUPT = -5,
    /** No object with this id. */
    NVT_E_NOT_FOUND = -6,
    /** The store has no room for this object, even after garbage
     *  collection. Nothing was changed. */
    NVT_E_NO_SPACE = -7,
    /** The object is larger than this geometry can ever hold. */
    NVT_E_TOO_LARGE = -8,
    /** The RAM index is full: more objects than the configuration allows. */
    NVT_E_INDEX_FULL = -9,
    /** The region holds no nvtoken store (mount of a blank or foreign
     *  region). */
    NVT_E_NOT_FORMATTED = -10,
    /** The region holds a store of a format version this code cannot read. */
    NVT_E_VERSION = -11,
    /** A caller's buffer is too small; the needed size is reported. */
    NVT_E_BUFFER_TOO_SMALL = -12,
    /** The operation is not supported by this build or driver. */
    NVT_E_UNSUPPORTED = -13,
    /** A cryptographic operation failed (crypto layer). */
    NVT_E_CRYPTO = -14,
    /** No entropy source could seed the random generator. */
    NVT_E_ENTROPY = -15,
    /** The resource is busy or locked by another user. */
    NVT_E_BUSY = -16,
    /** A signature, MAC, authentication tag, key-wrap integrity check or
     *  decryption padding did not verify (crypto layer). */
    NVT_E_VERIFY = -17,
} nvt_err_t;

/**
 * \brief A short, constant, English name for \p err ("NVT_E_NO_SPACE"),
 *        for logs and test reports. Never NULL.
 */
const char *nvt_err_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* NVTOKEN_ERROR_H */
