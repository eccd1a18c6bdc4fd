/* The printf family for test programs on the QEMU reference board.
 *
 * newlib-nano's formatter leaves out C99's length modifiers `ll`, `z`, `j`
 * and `t`, which cmocka and the tests use to report sizes and 64-bit values
 * (nano prints "zu" and "lx" instead). These definitions take precedence
 * over the C library's at link time and write to the semihosting console
 * directly. Floating-point conversions are not supported (nothing on the
 * target prints floats) and print "<float>".
 *
 * Only test programs link the board; libnvtoken.a never formats text. */
#include "semihosting.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Where formatted characters go: a caller buffer (snprintf family) or a
 * console stream through a small staging buffer (printf family). */
typedef struct {
    char *buf;    /* string output, or NULL for console output */
    size_t size;  /* capacity of buf, including the terminating NUL */
    size_t total; /* characters produced so far (the return value) */
    int err;      /* console: 0 = stdout, 1 = stderr */
    char stage[128];
    size_t staged;
} sink_t;

static void sink_flush(sink_t *s)
{
    if (s->buf == NULL && s->staged > 0) {
        (void)nvt_semihost_write(s->err, s->stage, s->staged);
        s->staged = 0;
    }
}

static void sink_put(sink_t *s, char c)
{
    if (s->buf != NULL) {
        if (s->size > 0 && s->total < s->size - 1) {
            s->buf[s->total] = c;
        }
    } else {
        s->stage[s->staged++] = c;
        if (s->staged == sizeof(s->stage)) {
            sink_flush(s);
        }
    }
    s->total++;
}

static void sink_repeat(sink_t *s, char c, int n)
{
    while (n-- > 0) {
        sink_put(s, c);
    }
}

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };

/* One integer conversion: digits of v in base, with sign, prefix, precision
 * and width applied as C11 7.21.6.1 describes. */
static void put_integer(sink_t *s, uintmax_t v, int negative, unsigned base, int upper, int flags,
                        int width, int prec)
{
    char digits[24];
    int n = 0;
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    while (v != 0) {
        digits[n++] = set[v % base];
        v /= base;
    }
    int zeros = (prec > n) ? prec - n : 0;
    if (prec < 0 && n == 0) {
        zeros = 1; /* the value 0 with default precision prints "0" */
    }
    const char *prefix = "";
    if (negative) {
        prefix = "-";
    } else if (flags & F_PLUS) {
        prefix = "+";
    } else if (flags & F_SPACE) {
        prefix = " ";
    }
    if ((flags & F_ALT) && base == 16 && n > 0) {
        prefix = upper ? "0X" : "0x";
    } else if ((flags & F_ALT) && base == 8 && zeros == 0) {
        zeros = 1;
    }
    int len = (int)strlen(prefix) + zeros + n;
    int pad = width > len ? width - len : 0;
    if ((flags & F_ZERO) && !(flags & F_LEFT) && prec < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!(flags & F_LEFT)) {
        sink_repeat(s, ' ', pad);
    }
    for (const char *p = prefix; *p != '\0'; p++) {
        sink_put(s, *p);
    }
    sink_repeat(s, '0', zeros);
    while (n > 0) {
        sink_put(s, digits[--n]);
    }
    if (flags & F_LEFT) {
        sink_repeat(s, ' ', pad);
    }
}

static void put_string(sink_t *s, const char *str, int flags, int width, int prec)
{
    if (str == NULL) {
        str = "(null)";
    }
    size_t n = 0;
    while (str[n] != '\0' && (prec < 0 || n < (size_t)prec)) {
        n++;
    }
    int pad = width > (int)n ? width - (int)n : 0;
    if (!(flags & F_LEFT)) {
        sink_repeat(s, ' ', pad);
    }
    for (size_t i = 0; i < n; i++) {
        sink_put(s, str[i]);
    }
    if (flags & F_LEFT) {
        sink_repeat(s, ' ', pad);
    }
}

static void format(sink_t *s, const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            sink_put(s, *p);
            continue;
        }
        p++;
        int flags = 0;
        for (;; p++) {
            if (*p == '-') flags |= F_LEFT;
            else if (*p == '+') flags |= F_PLUS;
            else if (*p == ' ') flags |= F_SPACE;
            else if (*p == '#') flags |= F_ALT;
            else if (*p == '0') flags |= F_ZERO;
            else break;
        }
        int width = 0;
        if (*p == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= F_LEFT;
                width = -width;
            }
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                width = width * 10 + (*p++ - '0');
            }
        }
        int prec = -1;
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(ap, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9') {
                    prec = prec * 10 + (*p++ - '0');
                }
            }
        }
        /* Length: hh h l ll j z t L, counted in "longs". */
        enum { L_INT, L_CHAR, L_SHORT, L_LONG, L_LLONG, L_MAX, L_SIZE, L_PTRDIFF } len = L_INT;
        if (*p == 'h') {
            len = (p[1] == 'h') ? (p++, L_CHAR) : L_SHORT;
            p++;
        } else if (*p == 'l') {
            len = (p[1] == 'l') ? (p++, L_LLONG) : L_LONG;
            p++;
        } else if (*p == 'j') {
            len = L_MAX;
            p++;
        } else if (*p == 'z') {
            len = L_SIZE;
            p++;
        } else if (*p == 't') {
            len = L_PTRDIFF;
            p++;
        } else if (*p == 'L') {
            p++;
        }
        char c = *p;
        if (c == '\0') {
            break;
        }
        if (c == 'd' || c == 'i') {
            intmax_t v;
            switch (len) {
            case L_LONG: v = va_arg(ap, long); break;
            case L_LLONG: v = va_arg(ap, long long); break;
            case L_MAX: v = va_arg(ap, intmax_t); break;
            case L_SIZE: v = (intmax_t)va_arg(ap, size_t); break;
            case L_PTRDIFF: v = va_arg(ap, ptrdiff_t); break;
            case L_CHAR: v = (signed char)va_arg(ap, int); break;
            case L_SHORT: v = (short)va_arg(ap, int); break;
            default: v = va_arg(ap, int); break;
            }
            uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
            put_integer(s, mag, v < 0, 10, 0, flags, width, prec);
        } else if (c == 'u' || c == 'x' || c == 'X' || c == 'o') {
            uintmax_t v;
            switch (len) {
            case L_LONG: v = va_arg(ap, unsigned long); break;
            case L_LLONG: v = va_arg(ap, unsigned long long); break;
            case L_MAX: v = va_arg(ap, uintmax_t); break;
            case L_SIZE: v = va_arg(ap, size_t); break;
            case L_PTRDIFF: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
            case L_CHAR: v = (unsigned char)va_arg(ap, unsigned); break;
            case L_SHORT: v = (unsigned short)va_arg(ap, unsigned); break;
            default: v = va_arg(ap, unsigned); break;
            }
            unsigned base = (c == 'u') ? 10u : (c == 'o') ? 8u : 16u;
            put_integer(s, v, 0, base, c == 'X', flags & ~(F_PLUS | F_SPACE), width, prec);
        } else if (c == 'p') {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            put_integer(s, v, 0, 16, 0, F_ALT, width, prec);
        } else if (c == 'c') {
            char ch = (char)va_arg(ap, int);
            int pad = width > 1 ? width - 1 : 0;
            if (!(flags & F_LEFT)) sink_repeat(s, ' ', pad);
            sink_put(s, ch);
            if (flags & F_LEFT) sink_repeat(s, ' ', pad);
        } else if (c == 's') {
            put_string(s, va_arg(ap, const char *), flags, width, prec);
        } else if (c == 'n') {
            (void)va_arg(ap, int *); /* not supported: nothing stored */
        } else if (c == 'f' || c == 'F' || c == 'e' || c == 'E' || c == 'g' || c == 'G' || c == 'a' ||
                   c == 'A') {
            (void)va_arg(ap, double);
            put_string(s, "<float>", flags, width, prec);
        } else {
            sink_put(s, c); /* "%%" and unknown conversions print themselves */
        }
    }
}

static int format_string(char *buf, size_t size, const char *fmt, va_list ap)
{
    sink_t s = { .buf = buf, .size = size };
    format(&s, fmt, ap);
    if (size > 0) {
        buf[s.total < size ? s.total : size - 1] = '\0';
    }
    return (int)s.total;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return format_string(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return format_string(buf, INT_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_string(buf, INT_MAX, fmt, ap);
    va_end(ap);
    return n;
}

int vfprintf(FILE *fp, const char *fmt, va_list ap)
{
    sink_t s = { .err = (fp == stderr) };
    fflush(fp); /* keep order with anything the C library buffered */
    format(&s, fmt, ap);
    sink_flush(&s);
    return (int)s.total;
}

int fprintf(FILE *fp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(fp, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}
