/* printf.c - the printf engine: every format of the brief, compared with
 * glibc both by expected strings and by "= " lines the runner compares. */
#include "check.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

static char out[512];

/* Formats into out, and prints a "= " line for the runner to compare. */
static int fmt(const char *format, ...) __attribute__((format(printf, 1, 2)));
static int fmt(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(out, sizeof out, format, ap);
    va_end(ap);
    printf("= [%s] -> [%s] %d\n", format, out, n);
    return n;
}

#define EXPECT(name, expected, ...)                                            \
    do {                                                                       \
        int n_ = fmt(__VA_ARGS__);                                             \
        CHECK_STR(name, out, expected);                                        \
        CHECK_INT(name "-count", n_, (int)strlen(expected));                   \
    } while (0)

static void test_integers(void)
{
    EXPECT("d", "42", "%d", 42);
    EXPECT("d-negative", "-42", "%d", -42);
    EXPECT("i", "7", "%i", 7);
    EXPECT("d-int-min", "-2147483648", "%d", INT_MIN);
    EXPECT("u", "4294967295", "%u", UINT_MAX);
    EXPECT("x", "ff", "%x", 255);
    EXPECT("X", "DEADBEEF", "%X", 0xdeadbeefu);
    EXPECT("o", "17", "%o", 15);
    EXPECT("ld", "-9223372036854775808", "%ld", LONG_MIN);
    EXPECT("lu", "18446744073709551615", "%lu", ULONG_MAX);
    EXPECT("lld", "9223372036854775807", "%lld", LLONG_MAX);
    EXPECT("llu", "18446744073709551615", "%llu", ULLONG_MAX);
    EXPECT("lx", "ffffffffffffffff", "%lx", ULONG_MAX);
    EXPECT("zu", "123456789012", "%zu", (size_t)123456789012ULL);
    EXPECT("zd", "-5", "%zd", (ptrdiff_t)-5);
    EXPECT("hhd", "-1", "%hhd", 255);
    EXPECT("hu", "65535", "%hu", 65535);
    EXPECT("jd", "-3", "%jd", (intmax_t)-3);
}

static void test_width_and_flags(void)
{
    EXPECT("width", "   42", "%5d", 42);
    EXPECT("width-left", "42   |", "%-5d|", 42);
    EXPECT("width-zero", "00042", "%05d", 42);
    EXPECT("width-zero-negative", "-0042", "%05d", -42);
    EXPECT("width-smaller", "123456", "%3d", 123456);
    EXPECT("width-star", "   42", "%*d", 5, 42);
    EXPECT("width-star-negative", "42   |", "%*d|", -5, 42);
    EXPECT("plus", "+42", "%+d", 42);
    EXPECT("space", " 42", "% d", 42);
    EXPECT("precision-int", "007", "%.3d", 7);
    EXPECT("precision-zero-value", "", "%.0d", 0);
    EXPECT("precision-and-width", "  007", "%5.3d", 7);
    EXPECT("precision-ignores-zero-flag", "  007", opaque("%05.3d"), 7);
    EXPECT("alt-hex", "0xff", "%#x", 255);
    EXPECT("alt-hex-zero", "0", "%#x", 0);
    EXPECT("alt-octal", "017", "%#o", 15);
    EXPECT("zero-hex", "0x00ff", "%#06x", 255);
    EXPECT("left-overrides-zero", "42   |", opaque("%-05d|"), 42);
}

static void test_strings_chars_pointers(void)
{
    EXPECT("s", "hello", "%s", "hello");
    EXPECT("s-width", "   hi", "%5s", "hi");
    EXPECT("s-left", "hi   |", "%-5s|", "hi");
    EXPECT("s-precision", "hel", "%.3s", "hello");
    EXPECT("s-precision-star", "he", "%.*s", 2, "hello");
    EXPECT("c", "x", "%c", 'x');
    EXPECT("c-width", "  x", "%3c", 'x');
    EXPECT("c-left", "x  |", "%-3c|", 'x');
    EXPECT("percent", "100%", "%d%%", 100);
    EXPECT("p-null", "(nil)", "%p", (void *)0);
    EXPECT("p", "0x1234", "%p", (void *)0x1234);
    EXPECT("p-width", "  0x10", "%6p", (void *)0x10);
    EXPECT("mixed", "a=1 b=two c=3", "a=%d b=%s c=%c", 1, "two", '3');
    EXPECT("literal-only", "no conversions", "no conversions");
}

static void test_floats(void)
{
    EXPECT("f", "3.141593", "%f", 3.14159265);
    EXPECT("f-precision", "3.14", "%.2f", 3.14159);
    EXPECT("f-round-up", "1.00", "%.2f", 0.999);
    EXPECT("f-zero-precision", "3", "%.0f", 2.5 + 0.5);
    EXPECT("f-negative", "-0.500", "%.3f", -0.5);
    EXPECT("f-width", "   1.5", "%6.1f", 1.5);
    EXPECT("f-zero-pad", "-001.5", "%06.1f", -1.5);
    EXPECT("f-big", "12345678.000000", "%f", 12345678.0);
    EXPECT("f-small", "0.000100", "%f", 0.0001);
    EXPECT("e", "1.234500e+03", "%e", 1234.5);
    EXPECT("E", "1.5E-05", "%.1E", 0.000015);
    EXPECT("g", "0.0001", "%g", 0.0001);
    EXPECT("g-exp", "1e-05", "%g", 0.00001);
    EXPECT("g-big", "1.23457e+08", "%g", 123456789.0);
    EXPECT("g-trim", "2.5", "%g", 2.5);
    EXPECT("g-integer", "100000", "%g", 100000.0);
    EXPECT("f-inf", "inf", "%f", 1.0 / 0.0);
    EXPECT("f-nan-upper", "NAN", "%F", __builtin_nan(""));
    fmt("%.10f", 1.0 / 3.0);
    fmt("%.3e", 6.02214076e23);
    fmt("%g", 1e100);
    fmt("%.15g", 0.1);
    fmt("%10.4f|", 2.71828);
    fmt("%.0f", 0.5);
    fmt("%.0f", 1.5);
    fmt("%.1f", 0.05);
    fmt("%f", 1e20);
    fmt("%Lf", (long double)2.5);
}

static void test_snprintf_limits(void)
{
    char small[5];
    int n = snprintf(small, sizeof small, "%s", opaque("truncated"));
    CHECK_INT("snprintf-returns-full-length", n, 9);
    CHECK_STR("snprintf-truncates", small, "trun");
    CHECK_INT("snprintf-size-zero", snprintf(NULL, 0, "%d", 12345), 5);
    char one[1] = {'x'};
    snprintf(one, 1, "%s", opaque("abc"));
    CHECK_INT("snprintf-size-one", one[0], 0);
    char buf[64];
    CHECK_INT("sprintf", sprintf(buf, "%d-%s", 5, "x"), 3);
    CHECK_STR("sprintf-text", buf, "5-x");
    int count = 0;
    snprintf(buf, sizeof buf, "abc%n", &count);
    CHECK_INT("n", count, 3);
    char long_out[2000];
    memset(long_out, 'a', sizeof long_out - 1);
    long_out[sizeof long_out - 1] = 0;
    CHECK_INT("snprintf-long", snprintf(buf, sizeof buf, "%s", long_out), 1999);
}

static void test_stream_output(void)
{
    /* These go to stdout; the return values are what is checked. */
    CHECK_INT("printf-returns-count", printf("[%5s]\n", "x"), 8);
    CHECK("puts", puts("puts line") >= 0);
    CHECK_INT("putchar", putchar('\n'), '\n');
    CHECK("fputs", fputs("fputs line\n", stdout) >= 0);
    CHECK_INT("fprintf-stderr", fprintf(stderr, "to stderr %d\n", 1), 12);
    CHECK_INT("fflush", fflush(stdout), 0);
    CHECK_INT("fflush-null", fflush(NULL), 0);
    /* A line longer than the library's 1 KiB chunk. */
    char big[3000];
    memset(big, '.', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK_INT("printf-long", printf("%s\n", big), 3000);
}

int main(void)
{
    test_integers();
    test_width_and_flags();
    test_strings_chars_pointers();
    test_floats();
    test_snprintf_limits();
    test_stream_output();
    return DONE();
}
