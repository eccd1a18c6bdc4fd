/* POSIX port: the device key (include/nvtoken/port.h). On a host the
 * "device" is an image file: its secret is a 32-byte key file next to it
 * (or the one the `device_key` setting names), created from getrandom()
 * when the token asks for it and nothing was sealed yet; its unique id is
 * the `device_uid` setting. */
#define _POSIX_C_SOURCE 200809L
#include "nvtoken/port.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Overwrite a secret in a way the compiler keeps. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n-- > 0) {
        *v++ = 0;
    }
}

/* Read exactly NVT_PORT_DEVICE_KEY_SIZE bytes from the file at path. */
static int read_key_file(const char *path, uint8_t key[NVT_PORT_DEVICE_KEY_SIZE])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT ? NVT_E_NOT_FOUND : NVT_E_IO;
    }
    uint8_t buf[NVT_PORT_DEVICE_KEY_SIZE + 1];
    size_t got = 0;
    int rc = NVT_OK;
    for (;;) {
        ssize_t n = read(fd, buf + got, sizeof(buf) - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            rc = NVT_E_IO;
            break;
        }
        if (n == 0 || (got += (size_t)n) == sizeof(buf)) {
            break;
        }
    }
    close(fd);
    if (rc == NVT_OK && got != NVT_PORT_DEVICE_KEY_SIZE) {
        rc = NVT_E_CORRUPT; /* a key file holds exactly the key */
    }
    if (rc == NVT_OK) {
        memcpy(key, buf, NVT_PORT_DEVICE_KEY_SIZE);
    }
    wipe(buf, sizeof(buf));
    return rc;
}

/* Create the key file at path if there is none: a new key written whole
 * under a temporary name, synced, then linked to path (link() never
 * replaces a file, so a concurrent creator's key wins and both read it). */
static int create_key_file(const char *path)
{
    char tmp[NVT_PORT_PATH_MAX + 32];
    int n = snprintf(tmp, sizeof(tmp), "%s.new.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        return NVT_E_INVALID;
    }
    uint8_t key[NVT_PORT_DEVICE_KEY_SIZE];
    size_t got = 0;
    while (got < sizeof(key)) {
        ssize_t r = getrandom(key + got, sizeof(key) - got, 0);
        if (r < 0 && errno != EINTR) {
            wipe(key, sizeof(key));
            return NVT_E_IO;
        }
        got += r > 0 ? (size_t)r : 0;
    }
    (void)unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int rc = fd >= 0 ? NVT_OK : NVT_E_IO;
    size_t put = 0;
    while (rc == NVT_OK && put < sizeof(key)) {
        ssize_t w = write(fd, key + put, sizeof(key) - put);
        if (w < 0 && errno != EINTR) {
            rc = NVT_E_IO;
        }
        put += w > 0 ? (size_t)w : 0;
    }
    wipe(key, sizeof(key));
    if (rc == NVT_OK && fsync(fd) != 0) {
        rc = NVT_E_IO;
    }
    if (fd >= 0 && close(fd) != 0) {
        rc = NVT_E_IO;
    }
    if (rc == NVT_OK && link(tmp, path) != 0 && errno != EEXIST) {
        rc = NVT_E_IO;
    }
    (void)unlink(tmp);
    return rc;
}

/* The `device_uid` setting as bytes (none if unset). */
static int uid_setting(uint8_t uid[NVT_PORT_DEVICE_UID_MAX], size_t *len)
{
    char hex[2 * NVT_PORT_DEVICE_UID_MAX + 2];
    *len = 0;
    int rc = nvt_port_setting("device_uid", hex, sizeof(hex));
    if (rc == NVT_E_NOT_FOUND) {
        return NVT_OK;
    }
    if (rc != NVT_OK) {
        return rc == NVT_E_BUFFER_TOO_SMALL ? NVT_E_INVALID : rc;
    }
    size_t n = strlen(hex);
    if (n % 2 != 0 || n > 2 * NVT_PORT_DEVICE_UID_MAX) {
        return NVT_E_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (v < 0) {
            *len = 0;
            return NVT_E_INVALID;
        }
        uid[i / 2] = (uint8_t)(i % 2 == 0 ? v << 4 : uid[i / 2] | v);
    }
    *len = n / 2;
    return NVT_OK;
}

int nvt_port_device_uid(uint8_t uid[NVT_PORT_DEVICE_UID_MAX], size_t *len)
{
    if (uid == NULL || len == NULL) {
        return NVT_E_INVALID;
    }
    return uid_setting(uid, len);
}

int nvt_port_device_key(uint8_t key[NVT_PORT_DEVICE_KEY_SIZE])
{
    char path[NVT_PORT_PATH_MAX];
    if (key == NULL) {
        return NVT_E_INVALID;
    }
    int rc = nvt_port_setting("device_key", path, sizeof(path));
    return rc == NVT_OK ? read_key_file(path, key) : rc == NVT_E_BUFFER_TOO_SMALL ? NVT_E_INVALID : rc;
}

int nvt_port_image_device_key_path(const char *image_path, char *buf, size_t len)
{
    if (image_path == NULL || buf == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    int rc = nvt_port_setting("device_key", buf, len);
    if (rc != NVT_E_NOT_FOUND) {
        return rc;
    }
    int n = snprintf(buf, len, "%s.key", image_path);
    return n < 0 ? NVT_E_INVALID : (size_t)n >= len ? NVT_E_BUFFER_TOO_SMALL : NVT_OK;
}

int nvt_port_image_device_key(const char *image_path, int create, uint8_t key[NVT_PORT_DEVICE_KEY_SIZE],
                              uint8_t uid[NVT_PORT_DEVICE_UID_MAX], size_t *uid_len)
{
    char path[NVT_PORT_PATH_MAX];
    if (key == NULL || uid == NULL || uid_len == NULL) {
        return NVT_E_INVALID;
    }
    int rc = nvt_port_image_device_key_path(image_path, path, sizeof(path));
    if (rc == NVT_OK) {
        rc = uid_setting(uid, uid_len);
    }
    if (rc == NVT_OK) {
        rc = read_key_file(path, key);
    }
    if (rc == NVT_E_NOT_FOUND && create) {
        rc = create_key_file(path);
        if (rc == NVT_OK) {
            rc = read_key_file(path, key);
        }
    }
    return rc;
}
