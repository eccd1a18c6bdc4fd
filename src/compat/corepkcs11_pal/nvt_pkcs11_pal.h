/**
 * \file nvt_pkcs11_pal.h
 * \brief corePKCS11's platform abstraction layer on nvtoken's store: where
 *        the PAL's objects live.
 *
 * nvt_pkcs11_pal.c implements the six functions of corePKCS11's
 * core_pkcs11_pal.h (PKCS11_PAL_Initialize, _SaveObject, _FindObject,
 * _GetObjectValue, _GetObjectValueCleanup, _DestroyObject) with the
 * signatures that header declares, over nvtoken's object store. A firmware
 * that keeps corePKCS11 links it in place of its own PAL port and gets
 * objects of any size (a 1.7 kB root CA on 256-byte sectors), power-fail
 * atomic saves, wear levelling, and scrubbing of replaced and destroyed
 * private keys.
 *
 * Before corePKCS11's C_Initialize (which calls PKCS11_PAL_Initialize),
 * the firmware names the flash region and the store's RAM with
 * nvt_pkcs11_pal_configure(). The PAL owns the whole store.
 *
 * How objects are kept (docs/FORMAT.md, "corePKCS11 PAL objects"): one
 * store object per label, its id the PAL handle, holding the label and the
 * value. An object is private (pIsPrivate, and scrubbed from flash when
 * replaced or destroyed) unless its value is recognisably public: DER whose
 * outer SEQUENCE starts with a SEQUENCE (an X.509 certificate or a
 * SubjectPublicKeyInfo), or PEM of a certificate or public key. Private
 * keys in any of corePKCS11's encodings and raw HMAC/CMAC keys are
 * therefore private whatever their label. A label is at most
 * NVT_PKCS11_PAL_LABEL_MAX bytes; trailing NUL bytes are not part of it.
 *
 * Memory: PKCS11_PAL_GetObjectValue allocates the value with malloc(), as
 * core_pkcs11_pal.h specifies, and PKCS11_PAL_GetObjectValueCleanup wipes
 * and frees it; PKCS11_PAL_SaveObject stages the record in a malloc()
 * buffer, wiped and freed before it returns. Calls are serialised with the
 * port's mutex (include/nvtoken/port.h).
 */
#ifndef NVT_PKCS11_PAL_H
#define NVT_PKCS11_PAL_H

#include "nvtoken/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest label, in bytes (corePKCS11's default pkcs11configMAX_LABEL_LENGTH). */
#define NVT_PKCS11_PAL_LABEL_MAX 32u

/** nvt_pkcs11_pal_config_t.flags: format the region when it holds no store
 *  (a blank device); without it PKCS11_PAL_Initialize fails there. */
#define NVT_PKCS11_PAL_FORMAT_BLANK 0x01u

/** Where the PAL keeps its objects. Everything pointed to must outlive the
 *  PAL's use (until corePKCS11's C_Finalize). */
typedef struct nvt_pkcs11_pal_config {
    const nvt_store_config_t *store_cfg; /**< the region and the store's buffers */
    nvt_store_t *store;                  /**< the store's state while mounted */
    unsigned flags;                      /**< NVT_PKCS11_PAL_* */
} nvt_pkcs11_pal_config_t;

/**
 * \brief Name the store the PAL uses from the next PKCS11_PAL_Initialize()
 *        on (used in place, not copied); NULL forgets it.
 * \return NVT_OK, or NVT_E_INVALID (a configuration without store or
 *         store configuration).
 */
int nvt_pkcs11_pal_configure(const nvt_pkcs11_pal_config_t *cfg);

#ifdef __cplusplus
}
#endif

#endif /* NVT_PKCS11_PAL_H */
