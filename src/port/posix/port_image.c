/* POSIX port: where the host module's token images live, and the lock that
 * lets several processes share one image (include/nvtoken/port.h). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* flock() */
#include "nvtoken/port.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copy text[0..n) into buf as a NUL-terminated string. */
static int put_path(char *buf, size_t len, const char *text, size_t n)
{
    if (n == 0) {
        return NVT_E_NOT_FOUND;
    }
    if (n + 1 > len) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
    return NVT_OK;
}

/* The index-th non-empty element of a ':'-separated list. */
static int list_element(const char *list, unsigned index, char *buf, size_t len)
{
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ':');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n > 0) {
            if (index == 0) {
                return put_path(buf, len, p, n);
            }
            index--;
        }
        if (end == NULL) {
            return NVT_E_NOT_FOUND;
        }
        p = end + 1;
    }
}

/* $HOME, else the password database. */
static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    if (home != NULL && home[0] == '/') {
        return home;
    }
    struct passwd *pw = getpwuid(getuid());
    return pw != NULL && pw->pw_dir != NULL && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
}

/* "$<var>/<tail>" if var is set to an absolute path, else "$HOME/<fallback>/<tail>". */
static int xdg_path(const char *var, const char *fallback, const char *tail, char *buf, size_t len)
{
    const char *base = getenv(var);
    int n;
    if (base != NULL && base[0] == '/') {
        n = snprintf(buf, len, "%s/%s", base, tail);
    } else {
        const char *home = home_dir();
        if (home == NULL) {
            return NVT_E_IO;
        }
        n = snprintf(buf, len, "%s/%s/%s", home, fallback, tail);
    }
    return n < 0 ? NVT_E_IO : (size_t)n >= len ? NVT_E_BUFFER_TOO_SMALL : NVT_OK;
}

/* The index-th "key = value" line of the configuration file, if there is
 * one. NVT_E_NOT_FOUND also when the default file does not exist;
 * *has_key tells whether the file has the key at all. */
static int config_value(const char *key, unsigned index, char *buf, size_t len, int *has_key)
{
    char conf[NVT_PORT_PATH_MAX];
    const char *named = getenv("NVTOKEN_CONF");
    int rc;
    if (named != NULL && named[0] != '\0') {
        rc = put_path(conf, sizeof(conf), named, strlen(named));
    } else {
        rc = xdg_path("XDG_CONFIG_HOME", ".config", "nvtoken/nvtoken.conf", conf, sizeof(conf));
    }
    *has_key = 0;
    if (rc != NVT_OK) {
        return rc == NVT_E_IO ? NVT_E_NOT_FOUND : rc;
    }
    FILE *f = fopen(conf, "r");
    if (f == NULL) {
        /* A file the user named must exist; the default one may not. */
        return errno == ENOENT && (named == NULL || named[0] == '\0') ? NVT_E_NOT_FOUND : NVT_E_IO;
    }
    size_t klen = strlen(key);
    char line[NVT_PORT_PATH_MAX + 64];
    unsigned seen = 0;
    rc = NVT_E_NOT_FOUND;
    while (fgets(line, sizeof(line), f) != NULL) {
        char *p = line;
        char *hash = strchr(p, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (strncmp(p, key, klen) != 0) {
            continue;
        }
        p += klen;
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        if (*p++ != '=') {
            continue;
        }
        while (*p == ' ' || *p == '\t') {
            p++;
        }
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t')) {
            n--;
        }
        if (n == 0) {
            continue;
        }
        *has_key = 1;
        if (seen++ == index) {
            rc = put_path(buf, len, p, n);
            break;
        }
    }
    fclose(f);
    return rc;
}

int nvt_port_setting(const char *name, char *buf, size_t len)
{
    if (name == NULL || buf == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    char var[64] = "NVTOKEN_";
    size_t n = strlen(name);
    if (n + 9 > sizeof(var)) {
        return NVT_E_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        var[8 + i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    var[8 + n] = '\0';
    const char *env = getenv(var);
    if (env != NULL && env[0] != '\0') {
        return put_path(buf, len, env, strlen(env));
    }
    int has_key;
    return config_value(name, 0, buf, len, &has_key);
}

/* mkdir -p of the directory part of path, mode 0700. */
static int make_parent_dirs(const char *path)
{
    char dir[NVT_PORT_PATH_MAX];
    size_t n = strlen(path);
    if (n >= sizeof(dir)) {
        return NVT_E_BUFFER_TOO_SMALL;
    }
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        return NVT_OK;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
                return NVT_E_IO;
            }
            *p = '/';
        }
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? NVT_E_IO : NVT_OK;
}

int nvt_port_image_path(unsigned index, char *buf, size_t len)
{
    if (buf == NULL || len == 0) {
        return NVT_E_INVALID;
    }
    const char *env = getenv("NVTOKEN_IMAGE");
    if (env != NULL && env[0] != '\0') {
        return list_element(env, index, buf, len);
    }
    int has_key = 0;
    int rc = config_value("image", index, buf, len, &has_key);
    if (rc != NVT_E_NOT_FOUND || has_key) {
        return rc;
    }
    if (index != 0) {
        return NVT_E_NOT_FOUND;
    }
    rc = xdg_path("XDG_DATA_HOME", ".local/share", "nvtoken/token.img", buf, len);
    return rc != NVT_OK ? rc : make_parent_dirs(buf);
}

int nvt_port_file_exists(const char *path)
{
    struct stat st;
    if (path == NULL) {
        return NVT_E_INVALID;
    }
    if (stat(path, &st) == 0) {
        return 1;
    }
    return errno == ENOENT ? 0 : NVT_E_IO;
}

int nvt_port_image_open(const char *path, int create, int *fd, nvt_port_image_info_t *info)
{
    if (path == NULL || fd == NULL || info == NULL) {
        return NVT_E_INVALID;
    }
    *fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (*fd < 0) {
        return errno == ENOENT ? NVT_E_NOT_FOUND : NVT_E_IO;
    }
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        nvt_port_image_close(*fd);
        *fd = -1;
        return NVT_E_IO;
    }
    info->size = (uint64_t)st.st_size;
    info->mode = (unsigned)st.st_mode & 07777u;
    return NVT_OK;
}

int nvt_port_image_read(void *fd, uint32_t addr, void *buf, size_t len)
{
    uint8_t *p = buf;
    off_t off = (off_t)addr;
    while (len > 0) {
        ssize_t n = pread(*(const int *)fd, p, len, off);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return NVT_E_IO;
        }
        p += n;
        off += n;
        len -= (size_t)n;
    }
    return NVT_OK;
}

void nvt_port_image_close(int fd)
{
    if (fd >= 0) {
        (void)close(fd);
    }
}

struct nvt_port_filelock {
    int fd;
    int held;
};

int nvt_port_filelock_open(const char *image_path, nvt_port_filelock_t **lock)
{
    if (image_path == NULL || lock == NULL) {
        return NVT_E_INVALID;
    }
    char path[NVT_PORT_PATH_MAX + 8];
    int n = snprintf(path, sizeof(path), "%s.lock", image_path);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        return NVT_E_INVALID;
    }
    nvt_port_filelock_t *l = malloc(sizeof(*l));
    if (l == NULL) {
        return NVT_E_IO;
    }
    l->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    l->held = 0;
    if (l->fd < 0) {
        free(l);
        return NVT_E_IO;
    }
    *lock = l;
    return NVT_OK;
}

static uint64_t read_counter(int fd)
{
    unsigned char b[8];
    if (pread(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
        return 0; /* a new lock file: no change counted yet */
    }
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | b[i];
    }
    return v;
}

int nvt_port_filelock_acquire(nvt_port_filelock_t *lock, uint64_t *counter)
{
    if (lock == NULL || counter == NULL || lock->held) {
        return NVT_E_INVALID;
    }
    while (flock(lock->fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            return NVT_E_IO;
        }
    }
    lock->held = 1;
    *counter = read_counter(lock->fd);
    return NVT_OK;
}

int nvt_port_filelock_release(nvt_port_filelock_t *lock, int changed, uint64_t *counter)
{
    if (lock == NULL || !lock->held) {
        return NVT_E_INVALID;
    }
    int rc = NVT_OK;
    uint64_t v = read_counter(lock->fd);
    if (changed) {
        v++;
        unsigned char b[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (unsigned char)(v >> (8 * i));
        }
        if (pwrite(lock->fd, b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
            rc = NVT_E_IO;
        }
    }
    if (counter != NULL) {
        *counter = v;
    }
    lock->held = 0;
    if (flock(lock->fd, LOCK_UN) != 0) {
        rc = NVT_E_IO;
    }
    return rc;
}

void nvt_port_filelock_close(nvt_port_filelock_t *lock)
{
    if (lock != NULL) {
        (void)close(lock->fd); /* also drops a held flock */
        free(lock);
    }
}
