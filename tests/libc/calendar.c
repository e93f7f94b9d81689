/* calendar.c - struct tm and the calendar functions: gmtime, localtime,
 * timegm, mktime, difftime, asctime, ctime, strftime, tzset.
 *
 * Local time must be UTC under both libraries: the guest library has no
 * time-zone database, and glibc is told so with TZ=UTC before tzset.
 * Expected values are checked by name (they hold under glibc too), and
 * every strftime conversion is also printed as "= " lines for several
 * dates, which the runner compares with glibc's. */
#include "check.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

#define SECONDS_PER_DAY 86400LL

/* A date and time as the fields of struct tm name it (year is the full
 * year, mon 1-12). */
struct civil {
    long long year;
    int mon, mday, hour, min, sec;
};

static struct tm make_tm(struct civil c)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = (int)(c.year - 1900);
    tm.tm_mon = c.mon - 1;
    tm.tm_mday = c.mday;
    tm.tm_hour = c.hour;
    tm.tm_min = c.min;
    tm.tm_sec = c.sec;
    tm.tm_isdst = -1;
    return tm;
}

/* "YYYY-MM-DD hh:mm:ss wW yY" of a struct tm, for messages and "=" lines. */
static const char *describe(const struct tm *tm)
{
    static char text[128];
    snprintf(text, sizeof text, "%lld-%02d-%02d %02d:%02d:%02d w%d y%d",
             (long long)tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday,
             tm->tm_hour, tm->tm_min, tm->tm_sec, tm->tm_wday, tm->tm_yday);
    return text;
}

static void test_layout(void)
{
    /* glibc's Linux x86_64 struct tm: nine ints, then long and pointer. */
    CHECK_INT("tm-size", sizeof(struct tm), 56);
    CHECK_INT("tm-sec-offset", offsetof(struct tm, tm_sec), 0);
    CHECK_INT("tm-year-offset", offsetof(struct tm, tm_year), 20);
    CHECK_INT("tm-isdst-offset", offsetof(struct tm, tm_isdst), 32);
    CHECK_INT("tm-gmtoff-offset", offsetof(struct tm, tm_gmtoff), 40);
    CHECK_INT("tm-zone-offset", offsetof(struct tm, tm_zone), 48);
    printf("= struct tm size %zu: sec %zu min %zu hour %zu mday %zu mon %zu "
           "year %zu wday %zu yday %zu isdst %zu gmtoff %zu zone %zu\n",
           sizeof(struct tm), offsetof(struct tm, tm_sec),
           offsetof(struct tm, tm_min), offsetof(struct tm, tm_hour),
           offsetof(struct tm, tm_mday), offsetof(struct tm, tm_mon),
           offsetof(struct tm, tm_year), offsetof(struct tm, tm_wday),
           offsetof(struct tm, tm_yday), offsetof(struct tm, tm_isdst),
           offsetof(struct tm, tm_gmtoff), offsetof(struct tm, tm_zone));
}

static void test_tzset(void)
{
    CHECK_INT("tzset-timezone-zero", timezone, 0);
    CHECK_INT("tzset-no-daylight", daylight, 0);
    CHECK_STR("tzset-tzname-standard", tzname[0], "UTC");
    CHECK_STR("tzset-tzname-daylight", tzname[1], "UTC");
}

/* Known instants: gmtime's fields and timegm back. */
struct known {
    const char *name;
    long long t;
    struct civil date;
    int wday, yday;
};

static const struct known known_times[] = {
    {"epoch", 0, {1970, 1, 1, 0, 0, 0}, 4, 0},
    {"before-epoch", -1, {1969, 12, 31, 23, 59, 59}, 3, 364},
    {"leap-day-2000", 951782400, {2000, 2, 29, 0, 0, 0}, 2, 59},
    {"after-leap-day-2000", 951868800, {2000, 3, 1, 0, 0, 0}, 3, 60},
    {"1900-not-leap-feb-28", -2203977600LL, {1900, 2, 28, 0, 0, 0}, 3, 58},
    {"1900-not-leap-mar-1", -2203891200LL, {1900, 3, 1, 0, 0, 0}, 4, 59},
    {"2100-not-leap-feb-28", 4107456000LL, {2100, 2, 28, 0, 0, 0}, 0, 58},
    {"2100-not-leap-mar-1", 4107542400LL, {2100, 3, 1, 0, 0, 0}, 1, 59},
    {"int32-max", 2147483647LL, {2038, 1, 19, 3, 14, 7}, 2, 18},
    {"int32-max-plus-1", 2147483648LL, {2038, 1, 19, 3, 14, 8}, 2, 18},
    {"int32-min", -2147483648LL, {1901, 12, 13, 20, 45, 52}, 5, 346},
    {"year-9999-end", 253402300799LL, {9999, 12, 31, 23, 59, 59}, 5, 364},
    {"year-10000", 253402300800LL, {10000, 1, 1, 0, 0, 0}, 6, 0},
    {"year-1", -62135596800LL, {1, 1, 1, 0, 0, 0}, 1, 0},
    {"year-0-leap", -62162121600LL, {0, 2, 29, 0, 0, 0}, 2, 59},
    {"year-minus-1", -62167219201LL, {-1, 12, 31, 23, 59, 59}, 5, 364},
    {"year-minus-1199", -100000000000LL, {-1199, 2, 15, 14, 13, 20}, 4, 45},
    {"year-1600", -11676096000LL, {1600, 1, 1, 0, 0, 0}, 6, 0},
    {"tm-year-int-max-end", 67768036191676799LL,
     {2147483647LL + 1900, 12, 31, 23, 59, 59}, 3, 364},
    {"tm-year-int-min-start", -67768040609740800LL,
     {-2147483648LL + 1900, 1, 1, 0, 0, 0}, 4, 0},
};

static int same_date(const struct tm *tm, const struct known *k)
{
    return tm->tm_year == k->date.year - 1900 && tm->tm_mon == k->date.mon - 1 &&
           tm->tm_mday == k->date.mday && tm->tm_hour == k->date.hour &&
           tm->tm_min == k->date.min && tm->tm_sec == k->date.sec &&
           tm->tm_wday == k->wday && tm->tm_yday == k->yday;
}

static void test_known_times(void)
{
    char name[96], detail[256];

    for (size_t i = 0; i < sizeof known_times / sizeof known_times[0]; i++) {
        const struct known *k = &known_times[i];
        time_t t = (time_t)k->t;
        struct tm tm;

        memset(&tm, 0, sizeof tm);
        snprintf(name, sizeof name, "gmtime-%s", k->name);
        if (gmtime_r(&t, &tm) == NULL) {
            check_report(0, name, "gmtime_r returned NULL");
            continue;
        }
        snprintf(detail, sizeof detail, "%lld gave %s", k->t, describe(&tm));
        check_report(same_date(&tm, k), name, detail);
        printf("= gmtime %lld: %s isdst %d gmtoff %ld zone %s\n", k->t,
               describe(&tm), tm.tm_isdst, tm.tm_gmtoff, tm.tm_zone);

        struct tm fields = make_tm(k->date);
        snprintf(name, sizeof name, "timegm-%s", k->name);
        CHECK_INT(name, timegm(&fields), k->t);
        snprintf(name, sizeof name, "timegm-fills-%s", k->name);
        check_report(same_date(&fields, k), name, describe(&fields));
    }
}

static void test_range_limits(void)
{
    time_t t;
    struct tm tm;

    t = 67768036191676800LL; /* one second after tm_year INT_MAX ends */
    CHECK("gmtime-year-overflow-null",
          (errno = 0, gmtime_r(&t, &tm) == NULL) && errno == EOVERFLOW);
    t = -67768040609740801LL; /* one second before tm_year INT_MIN */
    CHECK("gmtime-year-underflow-null",
          (errno = 0, gmtime_r(&t, &tm) == NULL) && errno == EOVERFLOW);
    t = LLONG_MAX;
    CHECK("gmtime-time-max-null",
          (errno = 0, gmtime(&t) == NULL) && errno == EOVERFLOW);
    t = LLONG_MIN;
    CHECK("localtime-time-min-null",
          (errno = 0, localtime(&t) == NULL) && errno == EOVERFLOW);
}

/* Round trips over a wide spread of times, both signs. */
static void test_round_trips(void)
{
    static const long long samples[] = {
        0, 1, -1, 59, 60, 3599, 3600, 86399, 86400, -86400, -86401,
        1000000000, -1000000000, 2147483647LL, 2147483648LL, 4294967296LL,
        -2147483649LL, 68169600000LL, 253402300799LL, 1LL << 40,
        -(1LL << 40), 1LL << 50, -(1LL << 50), 1LL << 55, -(1LL << 55),
        31556952LL * 100000000LL, -31556952LL * 100000000LL,
    };
    int bad = 0, bad_local = 0;
    long long first_bad = 0;

    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        time_t t = (time_t)samples[i];
        struct tm tm, local;
        if (gmtime_r(&t, &tm) == NULL || timegm(&tm) != t) {
            if (!bad++)
                first_bad = samples[i];
            continue;
        }
        printf("= round trip %lld: %s\n", samples[i], describe(&tm));
        if (localtime_r(&t, &local) == NULL || mktime(&local) != t)
            bad_local++;
    }
    /* A prime stride over +-2^45 seconds (about a million years). */
    const long long stride = 1000000007LL * 1009;
    for (long long s = -(1LL << 45); s < (1LL << 45); s += stride) {
        time_t t = (time_t)s;
        struct tm tm;
        if (gmtime_r(&t, &tm) == NULL || timegm(&tm) != t ||
            tm.tm_sec != (int)(((s % 60) + 60) % 60)) {
            if (!bad++)
                first_bad = s;
        }
    }
    char detail[96];
    snprintf(detail, sizeof detail, "%d failed, first at %lld", bad, first_bad);
    check_report(bad == 0, "gmtime-timegm-round-trip", detail);
    CHECK_INT("localtime-mktime-round-trip", bad_local, 0);
}

/* Walks every day from 1600-01-01 to 2400-12-31 with a naive calendar
 * (month lengths and the leap-year rule) and compares gmtime and timegm
 * with it day by day. */
static int naive_leap(long long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void test_day_by_day(void)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
    long long year = 1600, t = -11676096000LL; /* 1600-01-01, a Saturday */
    int mon = 0, mday = 1, wday = 6, yday = 0, bad = 0, leap_days = 0;
    char detail[160] = "";

    while (year <= 2400) {
        time_t tt = (time_t)t;
        struct tm tm;
        int ok = gmtime_r(&tt, &tm) != NULL && tm.tm_year == year - 1900 &&
                 tm.tm_mon == mon && tm.tm_mday == mday &&
                 tm.tm_wday == wday && tm.tm_yday == yday &&
                 tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0;
        if (ok) {
            struct tm back = make_tm((struct civil){year, mon + 1, mday, 0, 0, 0});
            ok = timegm(&back) == tt;
        }
        if (!ok && !bad++)
            snprintf(detail, sizeof detail, "first wrong day %lld-%02d-%02d",
                     year, mon + 1, mday);
        if (mon == 1 && mday == 29)
            leap_days++;

        int length = month_days[mon] + (mon == 1 && naive_leap(year));
        t += SECONDS_PER_DAY;
        wday = (wday + 1) % 7;
        yday++;
        if (++mday > length) {
            mday = 1;
            if (++mon == 12) {
                mon = 0;
                yday = 0;
                year++;
            }
        }
    }
    check_report(bad == 0, "gmtime-matches-naive-calendar-1600-2400", detail);
    /* 801 years with 97 * 2 + 1 leap years (1600 and 2000 and 2400 included). */
    CHECK_INT("naive-calendar-leap-days-1600-2400", leap_days, 195);
}

static void test_normalisation(void)
{
    struct tm tm;

    tm = make_tm((struct civil){2023, 15, 1, 0, 0, 0}); /* tm_mon 14 */
    CHECK_INT("mktime-month-14", mktime(&tm), 1709251200); /* 2024-03-01 */
    CHECK("mktime-month-14-fields", tm.tm_year == 124 && tm.tm_mon == 2 &&
                                        tm.tm_mday == 1 && tm.tm_wday == 5 &&
                                        tm.tm_yday == 60);
    CHECK_INT("mktime-sets-isdst-zero", tm.tm_isdst, 0);
    CHECK_INT("mktime-sets-gmtoff-zero", tm.tm_gmtoff, 0);
    CHECK_STR("mktime-zone-utc", tm.tm_zone, "UTC");

    tm = make_tm((struct civil){2024, 3, 0, 12, 0, 0}); /* mday 0 */
    mktime(&tm);
    CHECK("mktime-mday-zero-is-last-of-previous-month",
          tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_hour == 12);

    tm = make_tm((struct civil){2023, 2, 29, 0, 0, 0});
    mktime(&tm);
    CHECK("mktime-feb-29-common-year-is-mar-1",
          tm.tm_mon == 2 && tm.tm_mday == 1 && tm.tm_yday == 59);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, -1});
    errno = 0;
    CHECK_INT("mktime-minus-one-second-is-valid", mktime(&tm), -1);
    CHECK_INT("mktime-minus-one-second-no-errno", errno, 0);
    CHECK("mktime-negative-second-borrows",
          tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31 &&
              tm.tm_hour == 23 && tm.tm_min == 59 && tm.tm_sec == 59);

    tm = make_tm((struct civil){2000, 1, 1, -1, -1, 0});
    mktime(&tm);
    CHECK("mktime-negative-hour-and-minute",
          tm.tm_year == 99 && tm.tm_mon == 11 && tm.tm_mday == 31 &&
              tm.tm_hour == 22 && tm.tm_min == 59);

    tm = make_tm((struct civil){2000, 1, 1, 0, 0, 0});
    tm.tm_mon = -13; /* January 2000 minus 13 months: December 1998 */
    mktime(&tm);
    CHECK("mktime-negative-month", tm.tm_year == 98 && tm.tm_mon == 11);

    tm = make_tm((struct civil){2016, 12, 31, 23, 59, 60}); /* leap second */
    CHECK_INT("mktime-second-60", mktime(&tm), 1483228800);
    CHECK("mktime-second-60-next-day", tm.tm_year == 117 && tm.tm_mon == 0 &&
                                           tm.tm_mday == 1 && tm.tm_sec == 0);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_sec = 1000000000;
    CHECK_INT("mktime-large-seconds", mktime(&tm), 1000000000);
    CHECK("mktime-large-seconds-fields", tm.tm_year == 101 && tm.tm_mon == 8 &&
                                             tm.tm_mday == 9 && tm.tm_hour == 1);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_mday = -365; /* 366 days before 1970-01-01 */
    CHECK_INT("timegm-negative-mday", timegm(&tm), -366 * SECONDS_PER_DAY);
    CHECK_STR("timegm-zone-gmt", tm.tm_zone, "GMT");

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_wday = 6;
    tm.tm_yday = 200;
    CHECK_INT("mktime-ignores-wday-yday", mktime(&tm), 0);
    CHECK("mktime-fills-wday-yday", tm.tm_wday == 4 && tm.tm_yday == 0);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_year = INT_MAX;
    tm.tm_mon = 12; /* year INT_MAX + 1901: tm_year cannot hold it */
    errno = 0;
    CHECK_ERR("mktime-year-overflow", mktime(&tm), EOVERFLOW);
    CHECK("mktime-overflow-leaves-tm", tm.tm_year == INT_MAX && tm.tm_mon == 12);
    errno = 0;
    CHECK_ERR("timegm-year-overflow", timegm(&tm), EOVERFLOW);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_year = INT_MIN;
    CHECK_INT("timegm-tm-year-int-min", timegm(&tm), -67768040609740800LL);

    tm = make_tm((struct civil){1970, 1, 1, 0, 0, 0});
    tm.tm_sec = tm.tm_min = tm.tm_hour = tm.tm_mday = tm.tm_mon = INT_MAX;
    time_t all_max = timegm(&tm);
    CHECK_INT("timegm-every-field-int-max", all_max, 5840741055385267LL);
    printf("= timegm every field INT_MAX: %ld %s\n", (long)all_max,
           describe(&tm));
}

static void test_localtime(void)
{
    time_t t = 1688475909; /* 2023-07-04 13:05:09 */
    struct tm g, l;

    gmtime_r(&t, &g);
    CHECK("localtime-r-returns-buffer", localtime_r(&t, &l) == &l);
    CHECK("localtime-is-utc", l.tm_year == g.tm_year && l.tm_mon == g.tm_mon &&
                                  l.tm_mday == g.tm_mday &&
                                  l.tm_hour == g.tm_hour && l.tm_min == g.tm_min &&
                                  l.tm_sec == g.tm_sec && l.tm_wday == g.tm_wday &&
                                  l.tm_yday == g.tm_yday);
    CHECK_INT("localtime-isdst-zero", l.tm_isdst, 0);
    CHECK_INT("localtime-gmtoff-zero", l.tm_gmtoff, 0);
    CHECK_STR("localtime-zone-utc", l.tm_zone, "UTC");
    CHECK_STR("gmtime-zone-gmt", g.tm_zone, "GMT");
    struct tm *p = localtime(&t);
    CHECK("localtime-static", p != NULL && p->tm_hour == 13 && p->tm_min == 5);
    p = gmtime(&t);
    CHECK("gmtime-static", p != NULL && p->tm_mday == 4 && p->tm_mon == 6);
}

static void test_difftime(void)
{
    CHECK("difftime-negative", difftime(5, 7) == -2.0);
    CHECK("difftime-across-zero", difftime(1, -1) == 2.0);
    CHECK("difftime-extremes",
          difftime(LLONG_MAX, LLONG_MIN) == 18446744073709551616.0);
    CHECK("difftime-extremes-reversed",
          difftime(LLONG_MIN, LLONG_MAX) == -18446744073709551616.0);
    printf("= difftime %.1f %.1f\n", difftime(1000000000, 0),
           difftime(-5, 5));
}

static void test_asctime_ctime(void)
{
    char buf[26];
    time_t t = 0;
    struct tm tm;

    CHECK_STR("ctime-epoch", ctime(&t), "Thu Jan  1 00:00:00 1970\n");
    CHECK("ctime-r-returns-buffer", ctime_r(&t, buf) == buf);
    CHECK_STR("ctime-r-epoch", buf, "Thu Jan  1 00:00:00 1970\n");
    t = 1688475909;
    CHECK_STR("asctime-afternoon", asctime(gmtime(&t)),
              "Tue Jul  4 13:05:09 2023\n");
    t = 253402300799LL;
    gmtime_r(&t, &tm);
    CHECK("asctime-r-year-9999-fits", asctime_r(&tm, buf) == buf);
    CHECK_STR("asctime-r-year-9999", buf, "Fri Dec 31 23:59:59 9999\n");
    t = 253402300800LL;
    gmtime_r(&t, &tm);
    errno = 0;
    CHECK("asctime-r-year-10000-overflows",
          asctime_r(&tm, buf) == NULL && errno == EOVERFLOW);
    CHECK_STR("asctime-year-10000", asctime(&tm), "Sat Jan  1 00:00:00 10000\n");
    t = -62167219201LL;
    CHECK_STR("asctime-year-minus-1", asctime(gmtime(&t)),
              "Fri Dec 31 23:59:59 -1\n");
    memset(&tm, 0, sizeof tm);
    tm.tm_wday = 9;
    tm.tm_mon = -1;
    CHECK_STR("asctime-out-of-range-names", asctime(&tm),
              "??? ???  0 00:00:00 1900\n");
    tm.tm_year = INT_MAX;
    errno = 0;
    CHECK("asctime-year-beyond-int", asctime(&tm) == NULL && errno == EOVERFLOW);
}

/* strftime of `format`, shown as an "= " line; returns the result. */
static const char *format_tm(const char *label, const char *format,
                             const struct tm *tm)
{
    static char out[256];
    memset(out, 'x', sizeof out);
    size_t n = strftime(out, sizeof out, opaque(format), tm);
    if (n == 0)
        out[0] = '\0';
    /* Tabs and newlines shown escaped, to keep one line per result. */
    char shown[2 * sizeof out];
    size_t k = 0;
    for (const char *c = out; *c; c++) {
        if (*c == '\n' || *c == '\t') {
            shown[k++] = '\\';
            shown[k++] = *c == '\n' ? 'n' : 't';
        } else {
            shown[k++] = *c;
        }
    }
    shown[k] = '\0';
    printf("= strftime %s [%s] -> [%s] %zu\n", label, format, shown, n);
    return out;
}

static const char *const every_conversion[] = {
    "%a", "%A", "%b", "%B", "%c", "%C", "%d", "%D", "%e", "%F", "%G",
    "%g", "%h", "%H", "%I", "%j", "%k", "%l", "%m", "%M", "%n", "%p",
    "%P", "%r", "%R", "%s", "%S", "%t", "%T", "%u", "%U", "%V", "%w",
    "%W", "%x", "%X", "%y", "%Y", "%z", "%Z", "%%",
    /* The modifiers POSIX allows, which change nothing in this locale. */
    "%Ec", "%EC", "%Ex", "%EX", "%Ey", "%EY", "%Od", "%Oe", "%OH", "%OI",
    "%Om", "%OM", "%OS", "%Ou", "%OU", "%OV", "%Ow", "%OW", "%Oy",
    /* Unknown conversions and a trailing '%' are copied. */
    "%q", "%Ea", "%OY", "x%", "plain text", "",
    "[%Y-%m-%dT%H:%M:%S%z]", "%a, %d %b %Y %T %Z",
};

static void strftime_every_conversion(const char *label, const struct tm *tm)
{
    for (size_t i = 0; i < sizeof every_conversion / sizeof every_conversion[0];
         i++)
        format_tm(label, every_conversion[i], tm);
}

/* Instants whose conversions are compared with glibc's. */
static const long long strftime_times[] = {
    0, -1, 951782400, -2203891200LL, 2147483648LL, 253402300799LL,
    253402300800LL, -62167219200LL, -62167219201LL, -100000000000LL,
    1609632000,   /* 2021-01-03: ISO week 53 of 2020 */
    1230508800,   /* 2008-12-29: ISO week 1 of 2009 */
    1710504000,   /* 2024-03-15 12:00:00 */
    1688475909,   /* 2023-07-04 13:05:09 */
    1104537600,   /* 2005-01-01: a Saturday in ISO week 53 of 2004 */
    -11676096000LL, /* 1600-01-01 */
};

static void test_strftime_expected(void)
{
    time_t t = 0;
    struct tm tm;

    gmtime_r(&t, &tm);
    CHECK_STR("strftime-c-epoch", format_tm("epoch", "%c", &tm),
              "Thu Jan  1 00:00:00 1970");
    CHECK_STR("strftime-date-forms", format_tm("epoch", "%D %F %x", &tm),
              "01/01/70 1970-01-01 01/01/70");
    CHECK_STR("strftime-time-forms", format_tm("epoch", "%T %R %r %X", &tm),
              "00:00:00 00:00 12:00:00 AM 00:00:00");
    CHECK_STR("strftime-padding", format_tm("epoch", "[%e][%k][%l][%j]", &tm),
              "[ 1][ 0][12][001]");
    CHECK_STR("strftime-gmtime-zone", format_tm("epoch", "%z %Z", &tm),
              "+0000 GMT");
    localtime_r(&t, &tm);
    CHECK_STR("strftime-local-zone", format_tm("epoch-local", "%z %Z", &tm),
              "+0000 UTC");

    t = 1688475909; /* Tuesday 2023-07-04 13:05:09 */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-names",
              format_tm("2023-07-04", "%a %A %b %B %h", &tm),
              "Tue Tuesday Jul July Jul");
    CHECK_STR("strftime-afternoon",
              format_tm("2023-07-04", "%H %I %l %p %P", &tm),
              "13 01  1 PM pm");
    CHECK_STR("strftime-weeks", format_tm("2023-07-04", "%u %w %U %W %V %j", &tm),
              "2 2 27 27 27 185");
    CHECK_STR("strftime-seconds-since-epoch", format_tm("2023-07-04", "%s", &tm),
              "1688475909");
    CHECK_STR("strftime-century", format_tm("2023-07-04", "%C %y %Y %g %G", &tm),
              "20 23 2023 23 2023");
    CHECK_STR("strftime-tab-newline-percent",
              format_tm("2023-07-04", "a%tb%nc%%", &tm), "a\tb\nc%");

    t = 1609632000; /* Sunday 2021-01-03 */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-iso-week-of-previous-year",
              format_tm("2021-01-03", "%G-W%V-%u %g %U %W", &tm),
              "2020-W53-7 20 01 00");
    t = 1230508800; /* Monday 2008-12-29 */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-iso-week-of-next-year",
              format_tm("2008-12-29", "%G-W%V-%u", &tm), "2009-W01-1");

    t = 1104537600; /* Saturday 2005-01-01, after the leap year 2004 */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-iso-week-53-after-leap-year",
              format_tm("2005-01-01", "%G-W%V-%u", &tm), "2004-W53-6");
    t = 1704499200; /* Saturday 2024-01-06: 2024 began on a Monday */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-week-of-sunday-and-monday",
              format_tm("2024-01-06", "%U %W", &tm), "00 01");

    t = -100000000000LL;
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-negative-year",
              format_tm("year-1199BC", "%Y %C %y %F", &tm),
              "-1199 -12 01 -1199-02-15");

    t = 1710504000; /* 2024-03-15 12:00:00 */
    gmtime_r(&t, &tm);
    CHECK_STR("strftime-noon", format_tm("noon", "%I %l %p", &tm), "12 12 PM");

    tm.tm_gmtoff = -(5 * 3600 + 30 * 60);
    CHECK_STR("strftime-negative-offset", format_tm("offset", "%z", &tm), "-0530");
    tm.tm_gmtoff = 9 * 3600 + 45 * 60;
    CHECK_STR("strftime-positive-offset", format_tm("offset", "%z", &tm), "+0945");

    CHECK_STR("strftime-modifiers", format_tm("noon", "%Ey %EY %Od %OH", &tm),
              "24 2024 15 12");
    CHECK_STR("strftime-unknown-copied", format_tm("noon", "%q|%Ea|%", &tm),
              "%q|%Ea|%");
}

static void test_strftime_compared(void)
{
    char label[32];

    for (size_t i = 0; i < sizeof strftime_times / sizeof strftime_times[0];
         i++) {
        time_t t = (time_t)strftime_times[i];
        struct tm tm;
        snprintf(label, sizeof label, "%lld", strftime_times[i]);
        if (gmtime_r(&t, &tm) == NULL) {
            check_report(0, "strftime-compared-gmtime", label);
            continue;
        }
        strftime_every_conversion(label, &tm);
        snprintf(label, sizeof label, "local-%lld", strftime_times[i]);
        localtime_r(&t, &tm);
        format_tm(label, "%c %Z %z %s", &tm);
    }

    /* Fields as a program sets them by hand: tm_zone NULL, tm_mday 0. */
    struct tm zero;
    memset(&zero, 0, sizeof zero);
    strftime_every_conversion("zeroed", &zero);

    /* Hours around noon and midnight on a 12-hour clock. */
    static const int hours[] = {0, 1, 11, 12, 13, 23};
    for (size_t i = 0; i < sizeof hours / sizeof hours[0]; i++) {
        struct tm tm = make_tm((struct civil){2020, 6, 1, hours[i], 7, 8});
        timegm(&tm);
        snprintf(label, sizeof label, "hour-%d", hours[i]);
        format_tm(label, "%H %I %k %l %p %P %r", &tm);
    }

    /* Every day of 2004-2006 around the new years, for the week numbers. */
    for (int day = -10; day < 10; day++) {
        for (int year = 2004; year <= 2006; year++) {
            struct tm tm = make_tm((struct civil){year, 1, 1 + day, 0, 0, 0});
            timegm(&tm);
            snprintf(label, sizeof label, "%d%+d", year, day);
            format_tm(label, "%F %a %U %W %V %G %g %j", &tm);
        }
    }
}

static void test_strftime_small_buffer(void)
{
    time_t t = 0;
    struct tm tm;
    char buf[32];

    gmtime_r(&t, &tm);
    /* "1970-01-01" is 10 characters: it needs 11 bytes with the NUL. */
    CHECK_INT("strftime-no-room-for-nul",
              strftime(buf, 10, opaque("%Y-%m-%d"), &tm), 0);
    CHECK_INT("strftime-exact-fit", strftime(buf, 11, opaque("%Y-%m-%d"), &tm),
              10);
    CHECK_STR("strftime-exact-fit-text", buf, "1970-01-01");
    CHECK_INT("strftime-size-zero", strftime(buf, 0, opaque("x"), &tm), 0);
    CHECK_INT("strftime-composite-too-small",
              strftime(buf, 24, opaque("%c"), &tm), 0);
    CHECK_INT("strftime-composite-fits", strftime(buf, 25, opaque("%c"), &tm),
              24);
    CHECK_INT("strftime-literal-too-small",
              strftime(buf, 3, opaque("abc"), &tm), 0);
    buf[0] = 'x';
    CHECK_INT("strftime-empty-format", strftime(buf, 1, opaque(""), &tm), 0);
    CHECK_INT("strftime-empty-format-nul", buf[0], '\0');
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_layout();
    test_tzset();
    test_known_times();
    test_range_limits();
    test_round_trips();
    test_day_by_day();
    test_normalisation();
    test_localtime();
    test_difftime();
    test_asctime_ctime();
    test_strftime_expected();
    test_strftime_compared();
    test_strftime_small_buffer();
    return DONE();
}
