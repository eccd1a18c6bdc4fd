/* An application written against core_pkcs11.h: see corepkcs11_app.h.
 * Nothing here names nvtoken; the same source builds with corePKCS11. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_pkcs11_config.h"
#include "core_pkcs11_config_defaults.h"
#include "core_pkcs11.h"

#include "corepkcs11_app.h"
#include "nvt_test_certs.h"

static CK_FUNCTION_LIST_PTR p11;
static CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
static CK_BBOOL yes = CK_TRUE;

static char root_label[] = pkcs11configLABEL_ROOT_CERTIFICATE;
static char cert_label[] = pkcs11configLABEL_DEVICE_CERTIFICATE_FOR_TLS;
static char priv_label[] = pkcs11configLABEL_DEVICE_PRIVATE_KEY_FOR_TLS;
static char pub_label[] = pkcs11configLABEL_DEVICE_PUBLIC_KEY_FOR_TLS;
static char code_label[] = pkcs11configLABEL_CODE_VERIFICATION_KEY;
static char jitp_label[] = pkcs11configLABEL_JITP_CERTIFICATE;

/* P-256, as CKA_EC_PARAMS. */
static CK_BYTE p256_oid[] = pkcs11DER_ENCODED_OID_P256;

/* The code-verification key: a P-256 public key (the curve's base point G,
 * SEC 2), as CKA_EC_POINT: a DER OCTET STRING of the uncompressed point. */
static CK_BYTE code_key_point[] = {
    0x04, 0x41, 0x04, 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63,
    0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8,
    0x98, 0xc2, 0x96, 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c,
    0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37,
    0xbf, 0x51, 0xf5,
};

/* ---- provisioning, as the AWS demos' provisioning code does it ---------------------- */

/* A certificate through PKCS11_CertificateTemplate_t (its class first). */
static CK_RV create_certificate(char *label, const unsigned char *der, CK_ULONG der_len)
{
    static char subject[] = "TestSubject";
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE type = CKC_X_509;
    PKCS11_CertificateTemplate_t t;
    t.xObjectClass.type = CKA_CLASS;
    t.xObjectClass.pValue = &cls;
    t.xObjectClass.ulValueLen = sizeof(cls);
    t.xSubject.type = CKA_SUBJECT;
    t.xSubject.pValue = subject;
    t.xSubject.ulValueLen = strlen(subject);
    t.xCertificateType.type = CKA_CERTIFICATE_TYPE;
    t.xCertificateType.pValue = &type;
    t.xCertificateType.ulValueLen = sizeof(type);
    t.xValue.type = CKA_VALUE;
    t.xValue.pValue = (CK_VOID_PTR)(uintptr_t)der;
    t.xValue.ulValueLen = der_len;
    t.xLabel.type = CKA_LABEL;
    t.xLabel.pValue = label;
    t.xLabel.ulValueLen = strlen(label);
    t.xTokenObject.type = CKA_TOKEN;
    t.xTokenObject.pValue = &yes;
    t.xTokenObject.ulValueLen = sizeof(yes);
    CK_OBJECT_HANDLE h;
    return p11->C_CreateObject(session, (CK_ATTRIBUTE_PTR)&t, sizeof(t) / sizeof(CK_ATTRIBUTE), &h);
}

/* The device key pair, generated in the token (P-256, the demos' templates). */
static CK_RV generate_device_key(void)
{
    CK_MECHANISM mech = { CKM_EC_KEY_PAIR_GEN, NULL_PTR, 0 };
    CK_KEY_TYPE kt = CKK_EC;
    CK_ATTRIBUTE pub[] = { { CKA_KEY_TYPE, &kt, sizeof(kt) },
                           { CKA_VERIFY, &yes, sizeof(yes) },
                           { CKA_EC_PARAMS, p256_oid, sizeof(p256_oid) },
                           { CKA_TOKEN, &yes, sizeof(yes) },
                           { CKA_LABEL, pub_label, strlen(pub_label) } };
    CK_ATTRIBUTE priv[] = { { CKA_KEY_TYPE, &kt, sizeof(kt) },
                            { CKA_TOKEN, &yes, sizeof(yes) },
                            { CKA_PRIVATE, &yes, sizeof(yes) },
                            { CKA_SIGN, &yes, sizeof(yes) },
                            { CKA_LABEL, priv_label, strlen(priv_label) } };
    CK_OBJECT_HANDLE h_pub, h_priv;
    return p11->C_GenerateKeyPair(session, &mech, pub, 5, priv, 5, &h_pub, &h_priv);
}

/* The code-verification key: an EC public key object. */
static CK_RV create_code_key(void)
{
    CK_OBJECT_CLASS cls = CKO_PUBLIC_KEY;
    CK_KEY_TYPE kt = CKK_EC;
    CK_ATTRIBUTE t[] = { { CKA_CLASS, &cls, sizeof(cls) },
                         { CKA_KEY_TYPE, &kt, sizeof(kt) },
                         { CKA_TOKEN, &yes, sizeof(yes) },
                         { CKA_VERIFY, &yes, sizeof(yes) },
                         { CKA_EC_PARAMS, p256_oid, sizeof(p256_oid) },
                         { CKA_EC_POINT, code_key_point, sizeof(code_key_point) },
                         { CKA_LABEL, code_label, strlen(code_label) } };
    CK_OBJECT_HANDLE h;
    return p11->C_CreateObject(session, t, 7, &h);
}

unsigned long app_start(void)
{
    CK_RV rv = C_GetFunctionList(&p11);
    if (rv == CKR_OK) {
        rv = xInitializePkcs11Token();
    }
    if (rv == CKR_OK) {
        rv = xInitializePkcs11Session(&session);
    }
    return rv;
}

unsigned long app_provision(unsigned missing)
{
    CK_RV rv = CKR_OK;
    if (rv == CKR_OK && (missing & APP_ROOT_CA)) {
        rv = create_certificate(root_label, nvt_test_root_ca, sizeof(nvt_test_root_ca));
    }
    if (rv == CKR_OK && (missing & (APP_DEVICE_PUB | APP_DEVICE_KEY))) {
        rv = generate_device_key();
    }
    if (rv == CKR_OK && (missing & APP_DEVICE_CERT)) {
        rv = create_certificate(cert_label, nvt_test_device_cert, sizeof(nvt_test_device_cert));
    }
    if (rv == CKR_OK && (missing & APP_CODE_KEY)) {
        rv = create_code_key();
    }
    if (rv == CKR_OK && (missing & APP_JITP_CERT)) {
        rv = create_certificate(jitp_label, nvt_test_root_ca, sizeof(nvt_test_root_ca));
    }
    return rv;
}

/* ---- finding and using them --------------------------------------------------------- */

static CK_RV find(char *label, CK_OBJECT_CLASS cls, CK_OBJECT_HANDLE *h)
{
    return xFindObjectWithLabelAndClass(session, label, strlen(label), cls, h);
}

/* Whether the certificate labelled \p label is there, and exactly \p der. */
static CK_RV check_certificate(char *label, const unsigned char *der, CK_ULONG der_len, unsigned bit,
                               unsigned *found)
{
    static CK_BYTE value[2048];
    CK_OBJECT_HANDLE h;
    CK_RV rv = find(label, CKO_CERTIFICATE, &h);
    if (rv != CKR_OK || h == CK_INVALID_HANDLE) {
        return rv;
    }
    /* The length first, then the value (corePKCS11 leaves ulValueLen as
     * the caller's buffer size when it copies a value). */
    CK_ATTRIBUTE a = { CKA_VALUE, NULL_PTR, 0 };
    rv = p11->C_GetAttributeValue(session, h, &a, 1);
    if (rv == CKR_OK && a.ulValueLen > sizeof(value)) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK) {
        a.pValue = value;
        rv = p11->C_GetAttributeValue(session, h, &a, 1);
    }
    if (rv != CKR_OK) {
        return rv;
    }
    if (a.ulValueLen != der_len || memcmp(value, der, der_len) != 0) {
        printf("app: the certificate \"%s\" differs from the one stored\n", label);
        return CKR_GENERAL_ERROR;
    }
    *found |= bit;
    return CKR_OK;
}

/* Whether the key labelled \p label is there, of class \p cls. */
static CK_RV check_key(char *label, CK_OBJECT_CLASS cls, unsigned bit, unsigned *found)
{
    CK_OBJECT_HANDLE h;
    CK_OBJECT_CLASS got = (CK_OBJECT_CLASS)-1;
    CK_RV rv = find(label, cls, &h);
    if (rv != CKR_OK || h == CK_INVALID_HANDLE) {
        return rv;
    }
    CK_ATTRIBUTE a = { CKA_CLASS, &got, sizeof(got) };
    rv = p11->C_GetAttributeValue(session, h, &a, 1);
    if (rv != CKR_OK) {
        return rv;
    }
    if (got != cls) {
        printf("app: the key \"%s\" is of class %lu, not %lu\n", label, (unsigned long)got, (unsigned long)cls);
        return CKR_GENERAL_ERROR;
    }
    *found |= bit;
    return CKR_OK;
}

unsigned long app_inventory(unsigned *found)
{
    *found = 0;
    CK_RV rv = check_certificate(root_label, nvt_test_root_ca, sizeof(nvt_test_root_ca), APP_ROOT_CA, found);
    if (rv == CKR_OK) {
        rv = check_key(pub_label, CKO_PUBLIC_KEY, APP_DEVICE_PUB, found);
    }
    if (rv == CKR_OK) {
        rv = check_key(priv_label, CKO_PRIVATE_KEY, APP_DEVICE_KEY, found);
    }
    if (rv == CKR_OK) {
        rv = check_certificate(cert_label, nvt_test_device_cert, sizeof(nvt_test_device_cert), APP_DEVICE_CERT,
                               found);
    }
    if (rv == CKR_OK) {
        rv = check_key(code_label, CKO_PUBLIC_KEY, APP_CODE_KEY, found);
    }
    if (rv == CKR_OK) {
        rv = check_certificate(jitp_label, nvt_test_root_ca, sizeof(nvt_test_root_ca), APP_JITP_CERT, found);
    }
    return rv;
}

unsigned long app_sign_and_verify(void)
{
    static char message[] = "signed through core_pkcs11.h";
    CK_MECHANISM sha256 = { CKM_SHA256, NULL_PTR, 0 }, ecdsa = { CKM_ECDSA, NULL_PTR, 0 };
    CK_BYTE digest[pkcs11SHA256_DIGEST_LENGTH], sig[pkcs11ECDSA_P256_SIGNATURE_LENGTH];
    CK_ULONG digest_len = sizeof(digest), sig_len = sizeof(sig);
    CK_OBJECT_HANDLE priv, pub;
    CK_RV rv = find(priv_label, CKO_PRIVATE_KEY, &priv);
    if (rv == CKR_OK) {
        rv = find(pub_label, CKO_PUBLIC_KEY, &pub);
    }
    if (rv == CKR_OK && (priv == CK_INVALID_HANDLE || pub == CK_INVALID_HANDLE)) {
        rv = CKR_OBJECT_HANDLE_INVALID;
    }
    /* Digest in parts: corePKCS11 offers C_DigestUpdate/Final, not C_Digest. */
    if (rv == CKR_OK) {
        rv = p11->C_DigestInit(session, &sha256);
    }
    if (rv == CKR_OK) {
        rv = p11->C_DigestUpdate(session, (CK_BYTE_PTR)message, strlen(message));
    }
    if (rv == CKR_OK) {
        rv = p11->C_DigestFinal(session, digest, &digest_len);
    }
    if (rv == CKR_OK) {
        rv = p11->C_SignInit(session, &ecdsa, priv);
    }
    if (rv == CKR_OK) {
        rv = p11->C_Sign(session, digest, digest_len, sig, &sig_len);
    }
    if (rv == CKR_OK && sig_len != pkcs11ECDSA_P256_SIGNATURE_LENGTH) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK) {
        rv = p11->C_VerifyInit(session, &ecdsa, pub);
    }
    if (rv == CKR_OK) {
        rv = p11->C_Verify(session, digest, digest_len, sig, sig_len);
    }
    /* A changed signature must not verify. */
    if (rv == CKR_OK) {
        sig[10] ^= 0x01;
        rv = p11->C_VerifyInit(session, &ecdsa, pub);
        if (rv == CKR_OK) {
            rv = p11->C_Verify(session, digest, digest_len, sig, sig_len) == CKR_SIGNATURE_INVALID
                     ? CKR_OK
                     : CKR_GENERAL_ERROR;
        }
    }
    return rv;
}

unsigned long app_check_helpers(void)
{
    static const uint8_t expected_prefix[] = pkcs11STUFF_APPENDED_TO_RSA_SIG;
    uint8_t hash[32], info[pkcs11RSA_SIGNATURE_INPUT_LENGTH];
    for (size_t i = 0; i < sizeof(hash); i++) {
        hash[i] = (uint8_t)i;
    }
    CK_RV rv = vAppendSHA256AlgorithmIdentifierSequence(hash, info);
    if (rv == CKR_OK && (memcmp(info, expected_prefix, 19) != 0 || memcmp(info + 19, hash, 32) != 0)) {
        rv = CKR_GENERAL_ERROR;
    }
    if (rv == CKR_OK && vAppendSHA256AlgorithmIdentifierSequence(NULL, info) != CKR_ARGUMENTS_BAD) {
        rv = CKR_GENERAL_ERROR;
    }
    CK_SLOT_ID *slots = NULL;
    CK_ULONG count = 0;
    if (rv == CKR_OK) {
        rv = xGetSlotList(&slots, &count);
    }
    if (rv == CKR_OK && (count < 1 || slots == NULL)) {
        rv = CKR_GENERAL_ERROR;
    }
    pkcs11configPKCS11_FREE(slots);
    CK_OBJECT_HANDLE h = 1;
    static char nothing[] = "no such label";
    if (rv == CKR_OK) {
        rv = find(nothing, CKO_CERTIFICATE, &h);
    }
    if (rv == CKR_OK && h != CK_INVALID_HANDLE) {
        rv = CKR_GENERAL_ERROR;
    }
    return rv;
}

unsigned long app_stop(void)
{
    CK_RV rv = CKR_OK;
    if (session != CK_INVALID_HANDLE) {
        rv = p11->C_CloseSession(session);
        session = CK_INVALID_HANDLE;
    }
    CK_RV fin = p11->C_Finalize(NULL_PTR);
    return rv != CKR_OK ? rv : fin;
}
