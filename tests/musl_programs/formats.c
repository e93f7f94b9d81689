/* formats - printf and snprintf conversions, widths, precisions, flags. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    char buf[256];
    printf("[%d] [%5d] [%-5d] [%05d] [%+d] [% d]\n", 42, 42, 42, 42, 42, 42);
    printf("[%x] [%X] [%#x] [%o] [%#o] [%u]\n", 255u, 255u, 255u, 8u, 8u, 4000000000u);
    printf("[%e] [%E] [%.2f] [%10.3f] [%-10.1f] [%g] [%G] [%g]\n", 12345.678,
           0.000123, 3.14159, -2.5, 2.25, 0.0001, 1e20, 100000.0);
    printf("[%a] [%.0f] [%.0f] [%#.0f]\n", 1.0, 0.5, 1.5, 2.0);
    printf("[%s] [%.3s] [%10s] [%-10s] [%c] [%%]\n", "hello", "hello", "right",
           "left", 'z');
    printf("[%*d] [%-*d] [%.*f]\n", 6, 7, 6, 7, 2, 1.005);
    printf("[%zu] [%lld] [%" PRId64 "] [%" PRIx64 "] [%hhd] [%hd]\n",
           sizeof(long), -9000000000LL, INT64_MIN, UINT64_MAX, (signed char)300,
           (short)70000);
    volatile size_t small = 8; /* truncation on purpose */
    int n = snprintf(buf, small, "%s-%d", "truncated", 12345);
    printf("snprintf wanted %d, got \"%s\" (%zu)\n", n, buf, strlen(buf));
    int pos;
    snprintf(buf, sizeof buf, "abc%ndef", &pos);
    printf("%%n at %d in %s\n", pos, buf);
    return 0;
}
