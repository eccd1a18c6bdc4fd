/* QEMU reference board: the device key (include/nvtoken/port.h).
 *
 * mps2-an386 has no hardware unique key, no OTP and no chip UID, so the
 * board plays the third scheme of port.h: a factory secret common to the
 * product line and a unique id per device, from which the token derives
 * every key (HKDF-SHA256, salt = the id, input = the secret). The id comes
 * from the board's command line, `--nvt-uid=HEX` (scripts/qemu-run adds it
 * from NVT_QEMU_UID), so two runs of one image can be two devices; without
 * it the id is empty. The secret is the constant below unless the command
 * line gives `--nvt-factory-secret=HEX` (64 hex digits).
 *
 * The constant is in this repository, so it is no secret: a real product
 * keeps its factory secret where a debug port cannot read it (port.h). A
 * provisioning PC that knows the secret and a board's id makes images for
 * that board: docs/DESIGN.md, "The factory path". */
#include "nvtoken/port.h"

#include <string.h>

#include "qemu_device.h"

/* The reference board's factory secret: the ASCII bytes of
 * "nvtoken qemu reference factory!!" (32). Documented in docs/DESIGN.md. */
static uint8_t board_secret[NVT_PORT_DEVICE_KEY_SIZE] = {
    'n', 'v', 't', 'o', 'k', 'e', 'n', ' ', 'q', 'e', 'm', 'u', ' ', 'r', 'e', 'f',
    'e', 'r', 'e', 'n', 'c', 'e', ' ', 'f', 'a', 'c', 't', 'o', 'r', 'y', '!', '!',
};
static uint8_t board_uid[NVT_PORT_DEVICE_UID_MAX];
static size_t board_uid_len;

/* Hex digits into bytes: the byte count, or -1. */
static int from_hex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > max) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) {
            return -1;
        }
        out[i / 2] = (uint8_t)(i % 2 == 0 ? v << 4 : out[i / 2] | v);
    }
    return (int)(n / 2);
}

int nvt_qemu_device_set_uid(const char *hex)
{
    uint8_t uid[NVT_PORT_DEVICE_UID_MAX];
    int n = from_hex(hex, uid, sizeof(uid));
    if (n < 0) {
        return NVT_E_INVALID;
    }
    memcpy(board_uid, uid, (size_t)n);
    board_uid_len = (size_t)n;
    return NVT_OK;
}

int nvt_qemu_device_set_secret(const char *hex)
{
    uint8_t secret[NVT_PORT_DEVICE_KEY_SIZE];
    if (from_hex(hex, secret, sizeof(secret)) != (int)sizeof(secret)) {
        return NVT_E_INVALID;
    }
    memcpy(board_secret, secret, sizeof(secret));
    memset(secret, 0, sizeof(secret));
    return NVT_OK;
}

int nvt_port_device_key(uint8_t key[NVT_PORT_DEVICE_KEY_SIZE])
{
    if (key == NULL) {
        return NVT_E_INVALID;
    }
    memcpy(key, board_secret, NVT_PORT_DEVICE_KEY_SIZE);
    return NVT_OK;
}

int nvt_port_device_uid(uint8_t uid[NVT_PORT_DEVICE_UID_MAX], size_t *len)
{
    if (uid == NULL || len == NULL) {
        return NVT_E_INVALID;
    }
    memcpy(uid, board_uid, board_uid_len);
    *len = board_uid_len;
    return NVT_OK;
}
