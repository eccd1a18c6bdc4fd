/* corePKCS11's platform abstraction layer on nvtoken's store: see
 * nvt_pkcs11_pal.h. The six functions have the signatures of corePKCS11's
 * core_pkcs11_pal.h, which this file includes from the firmware's
 * corePKCS11 (with the PKCS#11 header corePKCS11 is built with). */
#include <stdlib.h>
#include <string.h>

#include "core_pkcs11.h"
#include "core_pkcs11_pal.h"

#include "nvt_pkcs11_pal.h"
#include "nvtoken/port.h"

/* A record (docs/FORMAT.md): the label's length, whether the value is
 * private, the label (zero-padded), the value. The value starts at a fixed
 * offset, so a value handed out can be freed from its own address. */
#define PAL_LABEL_LEN_AT 0u
#define PAL_PRIVATE_AT 1u
#define PAL_LABEL_AT 2u
#define PAL_VALUE_AT (PAL_LABEL_AT + NVT_PKCS11_PAL_LABEL_MAX)

/* Store ids, which are also the PAL's handles (0 is never a handle). */
#define PAL_ID_FIRST ((nvt_store_id_t)1)
#define PAL_ID_LAST ((nvt_store_id_t)(NVT_STORE_ID_NONE - 1u))

static struct {
    const nvt_pkcs11_pal_config_t *cfg;
    int mounted;
    void *mutex; /* NULL: the port cannot lock (one thread) */
    int mutex_made;
} pal;

int nvt_pkcs11_pal_configure(const nvt_pkcs11_pal_config_t *cfg)
{
    if (cfg != NULL && (cfg->store == NULL || cfg->store_cfg == NULL)) {
        return NVT_E_INVALID;
    }
    pal.cfg = cfg;
    pal.mounted = 0;
    return NVT_OK;
}

static void lock(void)
{
    if (pal.mutex != NULL) {
        (void)nvt_port_mutex_lock(pal.mutex);
    }
}

static void unlock(void)
{
    if (pal.mutex != NULL) {
        (void)nvt_port_mutex_unlock(pal.mutex);
    }
}

/* Wipe a buffer that may have held a key; volatile so it is not dropped. */
static void wipe(void *buf, size_t len)
{
    volatile unsigned char *p = buf;
    while (len-- > 0) {
        *p++ = 0;
    }
}

/* The label's length without trailing NUL bytes (corePKCS11 passes labels
 * with and without them), or 0 if it is empty or too long. */
static size_t label_length(const void *label, CK_ULONG len)
{
    const unsigned char *p = label;
    while (len > 0 && p[len - 1] == '\0') {
        len--;
    }
    return len <= NVT_PKCS11_PAL_LABEL_MAX ? (size_t)len : 0;
}

/* Whether a value is recognisably public: DER whose outer SEQUENCE starts
 * with a SEQUENCE (an X.509 certificate: tbsCertificate; a
 * SubjectPublicKeyInfo: its AlgorithmIdentifier), or PEM of a certificate
 * or public key. Private keys (SEC1, PKCS#1 and PKCS#8 all start their
 * SEQUENCE with an INTEGER version) and raw secret keys are not. */
static int value_is_public(const unsigned char *v, size_t len)
{
    static const char pem_cert[] = "-----BEGIN CERTIFICATE-----";
    static const char pem_pub[] = "-----BEGIN PUBLIC KEY-----";
    if ((len >= sizeof(pem_cert) - 1 && memcmp(v, pem_cert, sizeof(pem_cert) - 1) == 0) ||
        (len >= sizeof(pem_pub) - 1 && memcmp(v, pem_pub, sizeof(pem_pub) - 1) == 0)) {
        return 1;
    }
    if (len < 2 || v[0] != 0x30) {
        return 0;
    }
    size_t first = 2u + ((v[1] & 0x80u) ? (v[1] & 0x7Fu) : 0u);
    return first < len && v[first] == 0x30;
}

/* The PAL object labelled \p label (length \p len, already trimmed), or 0. */
static nvt_store_id_t find_label(const unsigned char *label, size_t len)
{
    nvt_store_t *st = pal.cfg->store;
    nvt_store_id_t id = NVT_STORE_ID_NONE;
    unsigned char head[PAL_VALUE_AT];
    while (nvt_store_next(st, id, &id) == NVT_OK) {
        size_t got = 0;
        if (nvt_store_read(st, id, 0, head, sizeof(head), &got) == NVT_OK && got == sizeof(head) &&
            head[PAL_LABEL_LEN_AT] == len && memcmp(head + PAL_LABEL_AT, label, len) == 0) {
            return id;
        }
    }
    return 0;
}

/* The lowest id no object uses, or 0 if there is none. */
static nvt_store_id_t free_id(void)
{
    nvt_store_id_t want = PAL_ID_FIRST, id = NVT_STORE_ID_NONE;
    while (nvt_store_next(pal.cfg->store, id, &id) == NVT_OK && id <= want) {
        if (id == want) {
            want++;
        }
    }
    return want <= PAL_ID_LAST ? want : 0;
}

/* The store id of a PAL handle, or NVT_STORE_ID_NONE. */
static nvt_store_id_t handle_id(CK_OBJECT_HANDLE handle)
{
    return handle >= PAL_ID_FIRST && handle <= PAL_ID_LAST ? (nvt_store_id_t)handle : NVT_STORE_ID_NONE;
}

CK_RV PKCS11_PAL_Initialize(void)
{
    if (pal.cfg == NULL) {
        return CKR_FUNCTION_FAILED;
    }
    if (!pal.mutex_made) {
        /* A port that cannot lock leaves the PAL unlocked (one thread). */
        if (nvt_port_mutex_create(&pal.mutex) != NVT_OK) {
            pal.mutex = NULL;
        }
        pal.mutex_made = 1;
    }
    lock();
    /* Mount at every initialisation: after a restart the RAM state is
     * rebuilt from what the flash holds. */
    int rc = nvt_store_mount(pal.cfg->store, pal.cfg->store_cfg);
    if (rc == NVT_E_NOT_FORMATTED && (pal.cfg->flags & NVT_PKCS11_PAL_FORMAT_BLANK)) {
        rc = nvt_store_format(pal.cfg->store, pal.cfg->store_cfg);
    }
    pal.mounted = rc == NVT_OK;
    unlock();
    return pal.mounted ? CKR_OK : CKR_FUNCTION_FAILED;
}

CK_OBJECT_HANDLE PKCS11_PAL_SaveObject(CK_ATTRIBUTE_PTR pxLabel, CK_BYTE_PTR pucData, CK_ULONG ulDataSize)
{
    if (!pal.mounted || pxLabel == NULL || pxLabel->pValue == NULL || pucData == NULL ||
        ulDataSize > SIZE_MAX - PAL_VALUE_AT) {
        return CK_INVALID_HANDLE;
    }
    size_t label_len = label_length(pxLabel->pValue, pxLabel->ulValueLen);
    size_t len = PAL_VALUE_AT + (size_t)ulDataSize;
    unsigned char *record = label_len > 0 ? malloc(len) : NULL;
    if (record == NULL) {
        return CK_INVALID_HANDLE;
    }
    int private_value = !value_is_public(pucData, (size_t)ulDataSize);
    memset(record, 0, PAL_VALUE_AT);
    record[PAL_LABEL_LEN_AT] = (unsigned char)label_len;
    record[PAL_PRIVATE_AT] = (unsigned char)private_value;
    memcpy(record + PAL_LABEL_AT, pxLabel->pValue, label_len);
    memcpy(record + PAL_VALUE_AT, pucData, (size_t)ulDataSize);
    unsigned flags = private_value ? NVT_STORE_SENSITIVE : 0u;
    lock();
    nvt_store_id_t id = find_label(record + PAL_LABEL_AT, label_len);
    unsigned old_flags = 0;
    if (id == 0) {
        id = free_id();
    } else if (nvt_store_size(pal.cfg->store, id, NULL, &old_flags) != NVT_OK) {
        id = 0;
    }
    /* A private value replaced by a public one is scrubbed all the same
     * (the store scrubs the versions a sensitive put replaces). */
    flags |= old_flags & NVT_STORE_SENSITIVE;
    if (id != 0 && nvt_store_put(pal.cfg->store, id, record, len, flags) != NVT_OK) {
        id = 0;
    }
    unlock();
    wipe(record, len);
    free(record);
    return id;
}

CK_OBJECT_HANDLE PKCS11_PAL_FindObject(CK_BYTE_PTR pxLabel, CK_ULONG usLength)
{
    if (!pal.mounted || pxLabel == NULL) {
        return CK_INVALID_HANDLE;
    }
    size_t label_len = label_length(pxLabel, usLength);
    if (label_len == 0) {
        return CK_INVALID_HANDLE;
    }
    lock();
    nvt_store_id_t id = find_label(pxLabel, label_len);
    unlock();
    return id;
}

CK_RV PKCS11_PAL_GetObjectValue(CK_OBJECT_HANDLE xHandle, CK_BYTE_PTR *ppucData, CK_ULONG_PTR pulDataSize,
                                CK_BBOOL *pIsPrivate)
{
    if (ppucData == NULL || pulDataSize == NULL || pIsPrivate == NULL) {
        return CKR_ARGUMENTS_BAD;
    }
    nvt_store_id_t id = handle_id(xHandle);
    if (!pal.mounted || id == NVT_STORE_ID_NONE) {
        return CKR_KEY_HANDLE_INVALID;
    }
    size_t len = 0, got = 0;
    CK_RV rv = CKR_OK;
    unsigned char *record = NULL;
    lock();
    int rc = nvt_store_size(pal.cfg->store, id, &len, NULL);
    if (rc == NVT_E_NOT_FOUND || (rc == NVT_OK && len < PAL_VALUE_AT)) {
        rv = CKR_KEY_HANDLE_INVALID;
    } else if (rc != NVT_OK) {
        rv = CKR_FUNCTION_FAILED;
    } else if ((record = malloc(len)) == NULL) {
        rv = CKR_DEVICE_MEMORY;
    } else if (nvt_store_get(pal.cfg->store, id, record, len, &got) != NVT_OK || got != len) {
        rv = CKR_FUNCTION_FAILED;
    }
    unlock();
    if (rv != CKR_OK) {
        if (record != NULL) {
            wipe(record, len);
            free(record);
        }
        return rv;
    }
    *ppucData = record + PAL_VALUE_AT;
    *pulDataSize = (CK_ULONG)(len - PAL_VALUE_AT);
    *pIsPrivate = record[PAL_PRIVATE_AT] != 0 ? CK_TRUE : CK_FALSE;
    return CKR_OK;
}

void PKCS11_PAL_GetObjectValueCleanup(CK_BYTE_PTR pucData, CK_ULONG ulDataSize)
{
    if (pucData != NULL) {
        wipe(pucData, (size_t)ulDataSize);
        free(pucData - PAL_VALUE_AT);
    }
}

CK_RV PKCS11_PAL_DestroyObject(CK_OBJECT_HANDLE xHandle)
{
    nvt_store_id_t id = handle_id(xHandle);
    if (!pal.mounted || id == NVT_STORE_ID_NONE) {
        return CKR_OBJECT_HANDLE_INVALID;
    }
    lock();
    int rc = nvt_store_delete(pal.cfg->store, id);
    unlock();
    return rc == NVT_OK ? CKR_OK : rc == NVT_E_NOT_FOUND ? CKR_OBJECT_HANDLE_INVALID : CKR_FUNCTION_FAILED;
}
