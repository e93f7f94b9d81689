/* clock - calendar arithmetic and formatting in UTC, and clocks that
 * move forward. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    const time_t stamps[] = {0, 951782400, 1700000000, 2147483647, 4102444800};
    char buf[128];
    for (size_t i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
        struct tm tm;
        gmtime_r(&stamps[i], &tm);
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j %U %u", &tm);
        printf("%lld: %s yday %d wday %d back %lld\n", (long long)stamps[i],
               buf, tm.tm_yday, tm.tm_wday, (long long)timegm(&tm));
    }
    struct tm feb = {.tm_year = 124, .tm_mon = 1, .tm_mday = 30, .tm_hour = 12};
    time_t t = timegm(&feb);
    printf("2024-02-30 normalises to %04d-%02d-%02d (%lld)\n",
           feb.tm_year + 1900, feb.tm_mon + 1, feb.tm_mday, (long long)t);
    printf("difftime %.1f\n", difftime(stamps[2], stamps[1]));

    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    clock_gettime(CLOCK_MONOTONIC, &b);
    int forward = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
    printf("monotonic forward: %s\n", forward ? "yes" : "no");
    printf("realtime after 2020: %s\n", time(NULL) > 1577836800 ? "yes" : "no");
    return 0;
}
