/* strtol.c - number conversion edge cases. */
#include "check.h"

#include <limits.h>
#include <stdlib.h>

static void test_strtol(void)
{
    char *end;
    const char *s;

    CHECK_INT("strtol-simple", strtol("123", NULL, 10), 123);
    CHECK_INT("strtol-negative", strtol("-77", NULL, 10), -77);
    CHECK_INT("strtol-plus", strtol("+5", NULL, 10), 5);
    s = "  \t\n42abc";
    CHECK_INT("strtol-leading-space", strtol(s, &end, 10), 42);
    CHECK("strtol-end-after-digits", end == s + 6);
    s = "abc";
    CHECK_INT("strtol-no-digits", strtol(s, &end, 10), 0);
    CHECK("strtol-no-digits-end", end == s);
    s = "-";
    strtol(s, &end, 10);
    CHECK("strtol-sign-only-end", end == s);
    CHECK_INT("strtol-hex", strtol("ff", NULL, 16), 255);
    CHECK_INT("strtol-hex-prefix", strtol("0x1F", NULL, 16), 31);
    CHECK_INT("strtol-base0-hex", strtol("0x10", NULL, 0), 16);
    CHECK_INT("strtol-base0-octal", strtol("010", NULL, 0), 8);
    CHECK_INT("strtol-base0-decimal", strtol("10", NULL, 0), 10);
    CHECK_INT("strtol-base2", strtol("1011", NULL, 2), 11);
    CHECK_INT("strtol-base36", strtol("zz", NULL, 36), 35 * 36 + 35);
    s = "0xg";
    CHECK_INT("strtol-bare-0x", strtol(s, &end, 16), 0);
    CHECK("strtol-bare-0x-end", end == s + 1);
    s = "08";
    CHECK_INT("strtol-octal-stops", strtol(s, &end, 0), 0);
    CHECK("strtol-octal-stops-end", end == s + 1);

    errno = 0;
    CHECK_INT("strtol-max", strtol("9223372036854775807", NULL, 10), LONG_MAX);
    CHECK_INT("strtol-max-errno", errno, 0);
    CHECK_INT("strtol-min", strtol("-9223372036854775808", NULL, 10),
              LONG_MIN);
    CHECK_INT("strtol-min-errno", errno, 0);
    errno = 0;
    s = "9223372036854775808xyz";
    CHECK_INT("strtol-overflow", strtol(s, &end, 10), LONG_MAX);
    CHECK_INT("strtol-overflow-errno", errno, ERANGE);
    CHECK("strtol-overflow-end", end == s + 19);
    errno = 0;
    CHECK_INT("strtol-underflow", strtol("-9223372036854775809", NULL, 10),
              LONG_MIN);
    CHECK_INT("strtol-underflow-errno", errno, ERANGE);
    errno = 0;
    CHECK_INT("strtol-huge", strtol("99999999999999999999999999", NULL, 10),
              LONG_MAX);
    CHECK_INT("strtol-huge-errno", errno, ERANGE);
    errno = 0;
    strtol("1", NULL, 1);
    CHECK_INT("strtol-bad-base", errno, EINVAL);
}

static void test_unsigned_and_ato(void)
{
    errno = 0;
    CHECK("strtoul-max", strtoul("18446744073709551615", NULL, 10) ==
                             ULONG_MAX && errno == 0);
    errno = 0;
    CHECK("strtoul-overflow", strtoul("18446744073709551616", NULL, 10) ==
                                  ULONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK("strtoul-negative-wraps", strtoul("-1", NULL, 10) == ULONG_MAX &&
                                        errno == 0);
    CHECK("strtoull", strtoull("0xFFFFFFFFFFFFFFFF", NULL, 0) == ULLONG_MAX);
    CHECK_INT("strtoll", strtoll("-12345678901", NULL, 10), -12345678901LL);
    CHECK_INT("atoi", atoi("  -17x"), -17);
    CHECK_INT("atoi-empty", atoi(""), 0);
    CHECK_INT("atol", atol("1234567890123"), 1234567890123L);
    CHECK_INT("atoll", atoll("-5"), -5);
    CHECK_INT("abs", abs(-3), 3);
    CHECK_INT("labs", labs(-3L), 3);
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void test_qsort_bsearch(void)
{
    int v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (i * 37) % 100;
    qsort(v, 100, sizeof v[0], compare_ints);
    int sorted = 1;
    for (int i = 0; i < 100; i++)
        sorted &= v[i] == i;
    CHECK("qsort", sorted);
    int key = 42;
    int *found = bsearch(&key, v, 100, sizeof v[0], compare_ints);
    CHECK("bsearch-found", found && *found == 42);
    key = 1000;
    CHECK("bsearch-absent", bsearch(&key, v, 100, sizeof v[0],
                                    compare_ints) == NULL);
    int r = rand();
    CHECK("rand-range", r >= 0 && r <= RAND_MAX);
}

int main(void)
{
    test_strtol();
    test_unsigned_and_ato();
    test_qsort_bsearch();
    return DONE();
}
