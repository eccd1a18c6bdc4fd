/* An application written against corePKCS11's core_pkcs11.h, as the AWS
 * IoT demos are: it provisions a device's credentials under corePKCS11's
 * labels and signs with the device key, using only the core_pkcs11.h
 * helpers and the function list. The compatibility tests compile this one
 * source twice, unchanged: with corePKCS11 itself (its PAL on nvtoken's
 * store) and with nvtoken's corePKCS11 API over nvtoken's own token. */
#ifndef COREPKCS11_APP_H
#define COREPKCS11_APP_H

/* Credentials, in the order app_provision() stores them (the device key is
 * a pair: corePKCS11 stores its public half first, then the private). */
#define APP_ROOT_CA 0x01u      /* trusted root CA, 1.7 kB */
#define APP_DEVICE_PUB 0x02u   /* device public key */
#define APP_DEVICE_KEY 0x04u   /* device private key */
#define APP_DEVICE_CERT 0x08u  /* device certificate, 1.2 kB */
#define APP_CODE_KEY 0x10u     /* code-verification public key */
#define APP_JITP_CERT 0x20u    /* just-in-time provisioning certificate */
#define APP_ALL 0x3Fu

/* Each returns CKR_OK (0) or the first PKCS#11 error, as an unsigned long. */

/** Initialise the token (xInitializePkcs11Token) and open the
 *  application's session (xInitializePkcs11Session): a boot. */
unsigned long app_start(void);

/** Store every credential in \p missing (APP_* bits), in order; the key
 *  pair is generated inside the token. */
unsigned long app_provision(unsigned missing);

/**
 * \brief Which credentials the token holds (APP_* bits in \p found), each
 *        checked: certificates byte for byte, keys of the right class.
 */
unsigned long app_inventory(unsigned *found);

/** Digest a message, sign it with the device key (CKM_ECDSA) and verify
 *  the signature with the device public key. */
unsigned long app_sign_and_verify(void);

/** The helpers' own results: xGetSlotList gives a slot, a missing label is
 *  found as CK_INVALID_HANDLE, the SHA-256 DigestInfo is exact. */
unsigned long app_check_helpers(void);

/** Close the application's session and C_Finalize: the end of a boot. */
unsigned long app_stop(void);

#endif /* COREPKCS11_APP_H */
