/*
 * strtol.c - strtol, strtoul, strtoll, strtoull, atoi, atol, atoll.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/*
 * The common parse: optional space, sign, base prefix, digits. Returns the
 * magnitude; *negative gets the sign and *overflow whether the magnitude
 * went past ULLONG_MAX. With no digits, *end is s and 0 is returned.
 */
static unsigned long long parse(const char *s, char **end, int base,
                                int *negative, int *overflow)
{
    const char *p = s;
    unsigned long long value = 0;
    int any = 0;

    *negative = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '+' || *p == '-')
        *negative = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' &&
        (p[1] == 'x' || p[1] == 'X') && digit_value((unsigned char)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (;; p++) {
        int d = digit_value((unsigned char)*p);
        if (d >= base)
            break;
        any = 1;
        if (value > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
            *overflow = 1;
        else
            value = value * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return value;
}

long long strtoll(const char *__restrict s, char **__restrict end, int base)
{
    int negative, overflow;
    unsigned long long m = parse(s, end, base, &negative, &overflow);
    unsigned long long limit =
        negative ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;

    if (overflow || m > limit) {
        errno = ERANGE;
        return negative ? LLONG_MIN : LLONG_MAX;
    }
    return negative ? (long long)(0 - m) : (long long)m;
}

unsigned long long strtoull(const char *__restrict s, char **__restrict end,
                            int base)
{
    int negative, overflow;
    unsigned long long m = parse(s, end, base, &negative, &overflow);

    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? 0 - m : m;
}

/* long and long long are both 64 bits on x86_64. */
long strtol(const char *__restrict s, char **__restrict end, int base)
{
    return strtoll(s, end, base);
}

unsigned long strtoul(const char *__restrict s, char **__restrict end,
                      int base)
{
    return strtoull(s, end, base);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}
