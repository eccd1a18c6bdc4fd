/* What the reference board's two boots do (tests/device/): the steps that
 * take a blank board to a token with a device key pair and certificate,
 * how a boot tells which of them are done, and signing with the key.
 * Shared by the provisioning firmware (boot_provision.c) and the
 * application firmware (boot_app.c), two separate images. */
#ifndef DEVICE_FLOW_H
#define DEVICE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "nvtoken/pkcs11.h"
#include "qemu_board.h"

/** How far provisioning got, in order; each state includes the ones
 *  before it. */
typedef enum device_state {
    DEVICE_BLANK = 0,   /* no store with an NV seed: the factory step is due */
    DEVICE_FACTORY = 1, /* store formatted, NV seed written */
    DEVICE_TOKEN = 2,   /* C_InitToken done */
    DEVICE_PIN = 3,     /* user PIN set */
    DEVICE_KEYPAIR = 4, /* device key pair generated in the token */
    DEVICE_CERT = 5,    /* device certificate stored */
} device_state_t;

/** The state's name, as the boots print it and the test script reads it. */
const char *device_state_name(device_state_t state);

/** Read "--name value" options: the value of \p name in argv, or NULL. */
const char *device_option(int argc, char **argv, const char *name);

/** The NV seed the factory writes, from 128 hex digits. \return 0 or -1. */
int device_parse_seed(const char *hex, uint8_t seed[NVT_TOKEN_NV_SEED_SIZE]);

/** Factory step: format the region and write the NV seed (before
 *  C_Initialize). \return 0 or -1. */
int device_factory(nvt_qemu_token_t *board, const uint8_t seed[NVT_TOKEN_NV_SEED_SIZE]);

/** Whether the factory step is done: the store mounts and holds a seed. */
int device_has_factory(nvt_qemu_token_t *board);

/* The token steps, after C_Initialize. Each returns CKR_OK or the error. */
CK_RV device_init_token(void);
CK_RV device_init_pin(void);
CK_RV device_make_keypair(void);
CK_RV device_store_cert(void);

/**
 * \brief After C_Initialize: how far provisioning got, checking that what
 *        is there is whole (both halves of the key pair or neither, the
 *        certificate byte for byte) and that the steps done are a prefix.
 * \return CKR_OK and \p state, or CKR_GENERAL_ERROR with a line on the
 *         console saying what is wrong.
 */
CK_RV device_examine(device_state_t *state);

/** Do every step after \p state (after C_Initialize). */
CK_RV device_complete(device_state_t state);

/**
 * \brief Digest a message and sign it with the device key (CKM_ECDSA),
 *        verify the signature with the public key in the token, and print
 *        the public key, digest and signature (hex) for the host to check.
 */
CK_RV device_sign_and_report(void);

#endif /* DEVICE_FLOW_H */
