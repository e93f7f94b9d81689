/*
 * printf.c - the formatting engine behind every printf-family function.
 *
 * A conversion is parsed into a `spec`, then its text is produced in a
 * small local buffer and padded to the field width. Integers are exact;
 * floating point is rounded correctly to about 18 significant digits
 * (long double arithmetic) and padded with zeros beyond that.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

int __write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int __sink_flush(struct sink *s)
{
    if (s->fd >= 0 && s->len > 0 && !s->failed) {
        if (__write_all(s->fd, s->buf, s->len) < 0)
            s->failed = 1;
    }
    if (s->fd >= 0)
        s->len = 0;
    return s->failed ? -1 : 0;
}

void __sink_put(struct sink *s, const char *p, size_t n)
{
    s->total += n;
    while (n > 0) {
        if (s->len == s->cap) {
            if (s->fd < 0)
                return; /* string full: count only */
            __sink_flush(s);
        }
        size_t room = s->cap - s->len;
        size_t k = n < room ? n : room;
        memcpy(s->buf + s->len, p, k);
        s->len += k;
        p += k;
        n -= k;
    }
}

static void put_repeat(struct sink *s, char c, int count)
{
    char chunk[32];

    memset(chunk, c, sizeof chunk);
    while (count > 0) {
        int k = count < (int)sizeof chunk ? count : (int)sizeof chunk;
        __sink_put(s, chunk, (size_t)k);
        count -= k;
    }
}

struct spec {
    int left;      /* '-' */
    int zero;      /* '0' */
    int plus;      /* '+' */
    int space;     /* ' ' */
    int alt;       /* '#' */
    int width;     /* -1: none */
    int precision; /* -1: none */
    char length;   /* 'H' hh, 'h', 'l', 'L' ll or long double, 'z', 'j', 't' */
    char conv;
};

/*
 * Emits prefix (sign, 0x), then zeros, then body, padded to the width.
 * `zeros` is the count of zeros between prefix and body that precision
 * asks for; the '0' flag adds more when it applies.
 */
static void put_field(struct sink *s, const struct spec *sp,
                      const char *prefix, int zeros, const char *body,
                      int body_len, int zero_pad_ok)
{
    int prefix_len = (int)strlen(prefix);
    int len = prefix_len + zeros + body_len;
    int pad = sp->width > len ? sp->width - len : 0;

    if (sp->left) {
        __sink_put(s, prefix, (size_t)prefix_len);
        put_repeat(s, '0', zeros);
        __sink_put(s, body, (size_t)body_len);
        put_repeat(s, ' ', pad);
    } else if (sp->zero && zero_pad_ok) {
        __sink_put(s, prefix, (size_t)prefix_len);
        put_repeat(s, '0', zeros + pad);
        __sink_put(s, body, (size_t)body_len);
    } else {
        put_repeat(s, ' ', pad);
        __sink_put(s, prefix, (size_t)prefix_len);
        put_repeat(s, '0', zeros);
        __sink_put(s, body, (size_t)body_len);
    }
}

static void put_integer(struct sink *s, const struct spec *sp,
                        uintmax_t value, int negative)
{
    char digits[72];
    int n = 0;
    unsigned base = 10;
    const char *alphabet = "0123456789abcdef";
    char prefix[4] = "";

    switch (sp->conv) {
    case 'o': base = 8; break;
    case 'x': base = 16; break;
    case 'X': base = 16; alphabet = "0123456789ABCDEF"; break;
    case 'p': base = 16; break;
    default: break;
    }
    /* Digits, least significant first. Precision 0 with value 0: none. */
    for (uintmax_t v = value; v != 0; v /= base)
        digits[n++] = alphabet[v % base];
    if (value == 0 && sp->precision != 0)
        digits[n++] = '0';
    for (int i = 0; i < n / 2; i++) {
        char t = digits[i];
        digits[i] = digits[n - 1 - i];
        digits[n - 1 - i] = t;
    }

    if (negative)
        strcpy(prefix, "-");
    else if ((sp->conv == 'd' || sp->conv == 'i') && sp->plus)
        strcpy(prefix, "+");
    else if ((sp->conv == 'd' || sp->conv == 'i') && sp->space)
        strcpy(prefix, " ");
    else if (sp->conv == 'p' || (sp->alt && value != 0 && base == 16))
        strcpy(prefix, sp->conv == 'X' ? "0X" : "0x");

    int zeros = sp->precision > n ? sp->precision - n : 0;
    if (sp->conv == 'o' && sp->alt && zeros == 0 &&
        (n == 0 || digits[0] != '0'))
        zeros = 1;
    put_field(s, sp, prefix, zeros, digits, n, sp->precision < 0);
}

static void put_string(struct sink *s, const struct spec *sp, const char *str)
{
    if (str == NULL)
        str = (sp->precision < 0 || sp->precision >= 6) ? "(null)" : "";
    size_t n = sp->precision >= 0 ? strnlen(str, (size_t)sp->precision)
                                  : strlen(str);
    put_field(s, sp, "", 0, str, (int)n, 0);
}

/* --- floating point ---------------------------------------------------- */

#define MAX_SIG_DIGITS 18

/* Scales v (finite, > 0) into [1, 10); returns the power of ten removed. */
static int normalize(long double v, long double *mantissa)
{
    int e = 0;
    long double m = v;

    while (m >= 1e16L) { m /= 1e16L; e += 16; }
    while (m >= 10.0L) { m /= 10.0L; e += 1; }
    while (m < 1e-16L) { m *= 1e16L; e -= 16; }
    while (m < 1.0L) { m *= 10.0L; e -= 1; }
    *mantissa = m;
    return e;
}

/*
 * Decimal digits of v (finite, > 0): fills `digits` with `count` digits,
 * the first of weight 10^*exp10, rounded at the last one (an exact half
 * rounds to even). Digits past MAX_SIG_DIGITS are zeros.
 */
static void decimal_digits(long double v, int count, char *digits,
                           int *exp10)
{
    long double m;
    int e = normalize(v, &m);
    int exact = count < MAX_SIG_DIGITS ? count : MAX_SIG_DIGITS;

    for (int i = 0; i < exact; i++) {
        int d = (int)m;
        if (d > 9)
            d = 9;
        digits[i] = (char)('0' + d);
        m = (m - d) * 10.0L;
    }
    for (int i = exact; i < count; i++)
        digits[i] = '0';
    int last_odd = count > 0 && (digits[count - 1] - '0') % 2 == 1;
    if (count == exact && (m > 5.0L || (m == 5.0L && last_odd))) {
        int i = count - 1;
        while (i >= 0 && digits[i] == '9')
            digits[i--] = '0';
        if (i >= 0) {
            digits[i]++;
        } else {
            /* 99..9 rounded up to 100..0: one more power of ten. */
            if (count > 0)
                digits[0] = '1';
            e += 1;
        }
    }
    *exp10 = e;
}

#define FLOAT_BUF 720 /* room for 1e300 with 360 decimals */

/* %f body of v >= 0 with prec decimals; returns its length. */
static int fixed_body(long double v, int prec, int alt, char *out)
{
    char digits[FLOAT_BUF] = {0};
    int n = 0, e = 0;

    if (v == 0) {
        e = 0;
        for (int i = 0; i < prec + 1; i++)
            digits[i] = '0';
    } else {
        long double m;
        e = normalize(v, &m);
        int count = e + 1 + prec;
        if (count <= 0) {
            /* Every digit is below the last place: 0 or one unit. */
            long double scale = 1;
            for (int i = 0; i < prec; i++)
                scale *= 10;
            int up = v * scale > 0.5L;
            out[n++] = (up && prec == 0) ? '1' : '0';
            if (prec > 0 || alt)
                out[n++] = '.';
            for (int i = 0; i < prec; i++)
                out[n++] = (up && i == prec - 1) ? '1' : '0';
            return n;
        }
        if (count > FLOAT_BUF - 2)
            count = FLOAT_BUF - 2;
        int e2;
        decimal_digits(v, count, digits, &e2);
        if (e2 != e) { /* rounded up to a new leading digit */
            e = e2;
            digits[count] = '0';
        }
    }
    /* digits[0] has weight 10^e. */
    if (e < 0) {
        out[n++] = '0';
    } else {
        for (int i = 0; i <= e; i++)
            out[n++] = digits[i];
    }
    if (prec > 0 || alt)
        out[n++] = '.';
    for (int i = 1; i <= prec; i++) {
        int idx = e + i;
        out[n++] = idx < 0 ? '0' : digits[idx];
    }
    return n;
}

/* %e body of v >= 0; returns its length. */
static int exp_body(long double v, int prec, int alt, int upper, char *out)
{
    char digits[FLOAT_BUF];
    int n = 0, e = 0;

    if (v == 0) {
        for (int i = 0; i < prec + 1; i++)
            digits[i] = '0';
    } else {
        decimal_digits(v, prec + 1, digits, &e);
    }
    out[n++] = digits[0];
    if (prec > 0 || alt)
        out[n++] = '.';
    for (int i = 1; i <= prec; i++)
        out[n++] = digits[i];
    out[n++] = upper ? 'E' : 'e';
    out[n++] = e < 0 ? '-' : '+';
    int a = e < 0 ? -e : e;
    if (a >= 100)
        out[n++] = (char)('0' + a / 100);
    out[n++] = (char)('0' + a / 10 % 10);
    out[n++] = (char)('0' + a % 10);
    return n;
}

/* Drops trailing zeros (and a bare point) from the fraction of a %g body. */
static int strip_zeros(char *body, int n)
{
    int point = -1, exp_at = n;

    for (int i = 0; i < n; i++) {
        if (body[i] == '.')
            point = i;
        if (body[i] == 'e' || body[i] == 'E')
            exp_at = i;
    }
    if (point < 0)
        return n;
    int end = exp_at;
    while (end > point + 1 && body[end - 1] == '0')
        end--;
    if (end == point + 1)
        end = point;
    memmove(body + end, body + exp_at, (size_t)(n - exp_at));
    return end + (n - exp_at);
}

static void put_float(struct sink *s, const struct spec *sp, long double v)
{
    char body[FLOAT_BUF + 16];
    int n;
    int upper = sp->conv >= 'A' && sp->conv <= 'Z';
    int negative = __builtin_signbit(v) != 0;
    const char *prefix = negative ? "-" : sp->plus ? "+" : sp->space ? " " : "";
    int prec = sp->precision < 0 ? 6 : sp->precision;

    if (prec > 360)
        prec = 360;
    if (negative)
        v = -v;
    if (__builtin_isnan(v) || __builtin_isinf(v)) {
        const char *word = __builtin_isnan(v) ? (upper ? "NAN" : "nan")
                                              : (upper ? "INF" : "inf");
        put_field(s, sp, prefix, 0, word, 3, 0);
        return;
    }
    switch (sp->conv) {
    case 'f':
    case 'F':
        if (v >= 1e300L) /* keep the digit count bounded */
            n = exp_body(v, prec, sp->alt, upper, body);
        else
            n = fixed_body(v, prec, sp->alt, body);
        break;
    case 'e':
    case 'E':
        n = exp_body(v, prec, sp->alt, upper, body);
        break;
    default: { /* g, G, and a, A which are printed as %g */
        int p = prec == 0 ? 1 : prec;
        int x = 0;
        if (v != 0) {
            char tmp[FLOAT_BUF];
            decimal_digits(v, p, tmp, &x);
        }
        if (p > x && x >= -4)
            n = fixed_body(v, p - 1 - x, sp->alt, body);
        else
            n = exp_body(v, p - 1, sp->alt, upper, body);
        if (!sp->alt)
            n = strip_zeros(body, n);
        break;
    }
    }
    put_field(s, sp, prefix, 0, body, n, 1);
}

/* --- the format loop ---------------------------------------------------- */

static intmax_t signed_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 'H': return (signed char)va_arg(*ap, int);
    case 'h': return (short)va_arg(*ap, int);
    case 'l': return va_arg(*ap, long);
    case 'L': return va_arg(*ap, long long);
    case 'z': return va_arg(*ap, long); /* ssize_t */
    case 'j': return va_arg(*ap, intmax_t);
    case 't': return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static uintmax_t unsigned_arg(const struct spec *sp, va_list *ap)
{
    switch (sp->length) {
    case 'H': return (unsigned char)va_arg(*ap, unsigned);
    case 'h': return (unsigned short)va_arg(*ap, unsigned);
    case 'l': return va_arg(*ap, unsigned long);
    case 'L': return va_arg(*ap, unsigned long long);
    case 'z': return va_arg(*ap, size_t);
    case 'j': return va_arg(*ap, uintmax_t);
    case 't': return (uintmax_t)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

static void store_count(const struct spec *sp, va_list *ap, size_t count)
{
    switch (sp->length) {
    case 'H': *va_arg(*ap, signed char *) = (signed char)count; break;
    case 'h': *va_arg(*ap, short *) = (short)count; break;
    case 'l': *va_arg(*ap, long *) = (long)count; break;
    case 'L': *va_arg(*ap, long long *) = (long long)count; break;
    case 'z': *va_arg(*ap, size_t *) = count; break;
    case 'j': *va_arg(*ap, intmax_t *) = (intmax_t)count; break;
    case 't': *va_arg(*ap, ptrdiff_t *) = (ptrdiff_t)count; break;
    default: *va_arg(*ap, int *) = (int)count; break;
    }
}

/* Parses the flags, width, precision and length of one conversion;
 * returns the position of the conversion character. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    memset(sp, 0, sizeof *sp);
    sp->width = -1;
    sp->precision = -1;
    for (;; f++) {
        if (*f == '-') sp->left = 1;
        else if (*f == '0') sp->zero = 1;
        else if (*f == '+') sp->plus = 1;
        else if (*f == ' ') sp->space = 1;
        else if (*f == '#') sp->alt = 1;
        else break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = 1;
            sp->width = -sp->width;
        }
        f++;
    } else if (*f >= '0' && *f <= '9') {
        sp->width = 0;
        while (*f >= '0' && *f <= '9')
            sp->width = sp->width * 10 + (*f++ - '0');
    }
    if (*f == '.') {
        f++;
        sp->precision = 0;
        if (*f == '*') {
            sp->precision = va_arg(*ap, int);
            if (sp->precision < 0)
                sp->precision = -1;
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                sp->precision = sp->precision * 10 + (*f++ - '0');
        }
    }
    switch (*f) {
    case 'h':
        sp->length = f[1] == 'h' ? (f++, 'H') : 'h';
        f++;
        break;
    case 'l':
        sp->length = f[1] == 'l' ? (f++, 'L') : 'l';
        f++;
        break;
    case 'q': case 'L':
        sp->length = 'L';
        f++;
        break;
    case 'z': case 'j': case 't':
        sp->length = *f++;
        break;
    default:
        break;
    }
    sp->conv = *f;
    return f;
}

int __format(struct sink *s, const char *fmt, va_list ap_in)
{
    va_list ap;
    struct spec sp;

    va_copy(ap, ap_in);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            const char *run = f;
            while (f[1] && f[1] != '%')
                f++;
            __sink_put(s, run, (size_t)(f - run + 1));
            continue;
        }
        const char *start = f;
        f = parse_spec(f + 1, &sp, &ap);
        switch (sp.conv) {
        case 'd':
        case 'i': {
            intmax_t v = signed_arg(&sp, &ap);
            uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
            put_integer(s, &sp, mag, v < 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            put_integer(s, &sp, unsigned_arg(&sp, &ap), 0);
            break;
        case 'p': {
            void *p = va_arg(ap, void *);
            if (p == NULL) {
                sp.precision = -1;
                put_string(s, &sp, "(nil)");
            } else {
                put_integer(s, &sp, (uintptr_t)p, 0);
            }
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_field(s, &sp, "", 0, &c, 1, 0);
            break;
        }
        case 's':
            put_string(s, &sp, va_arg(ap, const char *));
            break;
        case 'f': case 'F': case 'e': case 'E':
        case 'g': case 'G': case 'a': case 'A': {
            long double v = sp.length == 'L' ? va_arg(ap, long double)
                                             : va_arg(ap, double);
            put_float(s, &sp, v);
            break;
        }
        case 'n':
            store_count(&sp, &ap, s->total);
            break;
        case '%':
            __sink_put(s, "%", 1);
            break;
        case 'm': { /* glibc extension: strerror(errno) */
            put_string(s, &sp, strerror(errno));
            break;
        }
        default:
            /* Unknown or truncated conversion: print it as it is. */
            __sink_put(s, start, (size_t)(f - start + (*f ? 1 : 0)));
            if (*f == 0)
                f--;
            break;
        }
    }
    va_end(ap);
    if (__sink_flush(s) < 0)
        return -1;
    if (s->total > 0x7fffffff) {
        errno = EOVERFLOW;
        return -1;
    }
    return (int)s->total;
}
