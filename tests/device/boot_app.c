/* Boot 2 of the reference board: the application firmware, a different
 * image from boot 1's, run in a new QEMU process on the same flash. It
 * finds how far provisioning got ("found: STATE"), checks that what is
 * there is whole, finishes what is missing (the factory step too, if the
 * power was cut before it ended), then signs with the device key, verifies
 * the signature in the token, and prints the public key, digest and
 * signature for the host to verify.
 *
 *   boot_app --image FILE --seed HEX
 *
 * (--seed is the factory's seed, used only if the factory step must be
 * redone.) Exit status 0 when the token works. */
#include <stdio.h>

#include "device_flow.h"

static nvt_qemu_token_t board;

static int fail(const char *what, unsigned long rv)
{
    printf("boot 2: %s failed (0x%lx)\n", what, rv);
    return 1;
}

int main(int argc, char **argv)
{
    const char *image = device_option(argc, argv, "--image");
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE];
    if (image == NULL || device_parse_seed(device_option(argc, argv, "--seed"), seed) != 0) {
        printf("usage: boot_app --image FILE --seed HEX\n");
        return 2;
    }
    int rc = nvt_qemu_token_configure(&board, image);
    if (rc != NVT_OK) {
        return fail("opening the flash region", (unsigned long)-rc);
    }
    /* A board whose factory step never ended is provisioned from the
     * start: a cut format must be followed by another format. */
    int blank = !device_has_factory(&board);
    if (blank && device_factory(&board, seed) != 0) {
        return fail("factory step", 0);
    }
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv != CKR_OK) {
        return fail("C_Initialize", rv);
    }
    device_state_t state = DEVICE_FACTORY;
    if (!blank && (rv = device_examine(&state)) != CKR_OK) {
        return fail("examining the token", rv);
    }
    printf("found: %s\n", device_state_name(blank ? DEVICE_BLANK : state));
    if ((rv = device_complete(state)) != CKR_OK) {
        return fail("completing provisioning", rv);
    }
    if ((rv = device_sign_and_report()) != CKR_OK) {
        return fail("signing", rv);
    }
    if ((rv = C_Finalize(NULL_PTR)) != CKR_OK) {
        return fail("C_Finalize", rv);
    }
    printf("boot 2: the token works\n");
    return 0;
}
