/* Boot 1 of the reference board: the provisioning firmware. On a blank
 * board it runs the factory step (format the token's region, write the NV
 * seed) and provisions the token: C_InitToken, the user PIN, a device key
 * pair generated inside the token, the device certificate. Each step is
 * announced on the console before it starts ("step N name"), so that a run
 * the power cut stopped tells which step it was in.
 *
 *   boot_provision --image FILE --seed HEX [--cut N --mode notdone|done|torn]
 *
 * --cut N cuts the power at the N-th flash program or erase of this boot:
 * the board stops dead (exit status NVT_QEMU_EXIT_POWER_CUT) with that
 * operation not done, done or torn. A run that ends prints the number of
 * flash operations it made. (tests/device/two-boot.sh drives it.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_flow.h"

static nvt_qemu_token_t board;

static void step(int n, const char *name)
{
    printf("step %d %s\n", n, name);
}

static int fail(const char *what, unsigned long rv)
{
    printf("boot 1: %s failed (0x%lx)\n", what, rv);
    return 1;
}

int main(int argc, char **argv)
{
    const char *image = device_option(argc, argv, "--image");
    const char *cut = device_option(argc, argv, "--cut");
    const char *mode = device_option(argc, argv, "--mode");
    uint8_t seed[NVT_TOKEN_NV_SEED_SIZE];
    if (image == NULL || device_parse_seed(device_option(argc, argv, "--seed"), seed) != 0) {
        printf("usage: boot_provision --image FILE --seed HEX [--cut N --mode notdone|done|torn]\n");
        return 2;
    }
    int rc = nvt_qemu_token_configure(&board, image);
    if (rc != NVT_OK) {
        return fail("opening the flash region", (unsigned long)-rc);
    }
    if (cut != NULL) {
        nvt_flash_cut_t m = mode == NULL             ? NVT_FLASH_CUT_TORN
                            : strcmp(mode, "notdone") == 0 ? NVT_FLASH_CUT_NOT_DONE
                            : strcmp(mode, "done") == 0    ? NVT_FLASH_CUT_DONE
                                                           : NVT_FLASH_CUT_TORN;
        unsigned long n = strtoul(cut, NULL, 10);
        nvt_flash_emu_cut_at(&board.flash.emu, (uint32_t)n, m, n);
    }
    step(1, "format");
    if (nvt_store_format(&board.store, &board.store_cfg) != NVT_OK) {
        return fail("format", 0);
    }
    step(2, "seed");
    if (nvt_token_provision_nv_seed(&board.store, seed, sizeof(seed)) != NVT_OK) {
        return fail("NV seed", 0);
    }
    step(3, "initialize");
    CK_RV rv = C_Initialize(NULL_PTR);
    if (rv != CKR_OK) {
        return fail("C_Initialize", rv);
    }
    step(4, "token");
    if ((rv = device_init_token()) != CKR_OK) {
        return fail("C_InitToken", rv);
    }
    step(5, "pin");
    if ((rv = device_init_pin()) != CKR_OK) {
        return fail("C_InitPIN", rv);
    }
    step(6, "keypair");
    if ((rv = device_make_keypair()) != CKR_OK) {
        return fail("C_GenerateKeyPair", rv);
    }
    step(7, "cert");
    if ((rv = device_store_cert()) != CKR_OK) {
        return fail("C_CreateObject", rv);
    }
    if ((rv = C_Finalize(NULL_PTR)) != CKR_OK) {
        return fail("C_Finalize", rv);
    }
    printf("provisioned: %lu flash operations\n", (unsigned long)board.flash.emu.ops);
    return 0;
}
