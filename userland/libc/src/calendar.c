/*
 * calendar.c - broken-down time: gmtime, localtime, timegm, mktime,
 * difftime, asctime, ctime (and their _r forms), strftime, tzset and the
 * time-zone variables.
 *
 * There is no time-zone database: local time is UTC. The calendar is the
 * proleptic Gregorian one (its leap-year rule applied to every year, also
 * before 1582 and before year 1), and all arithmetic is done on 64-bit
 * integers, so every time_t whose year fits tm_year converts both ways.
 *
 * Day numbers count days since 1970-01-01 (negative before it). Two
 * helpers convert between a day number and a (year, day of year) pair:
 * days_before_year counts the days of the years before a year with the
 * leap-year rule, and year_of_day splits a day number into 400-, 100- and
 * 4-year cycles and single years.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <time.h>

#define SECONDS_PER_MINUTE 60
#define MINUTES_PER_HOUR 60
#define HOURS_PER_DAY 24
#define SECONDS_PER_HOUR (SECONDS_PER_MINUTE * MINUTES_PER_HOUR)
#define SECONDS_PER_DAY (SECONDS_PER_HOUR * HOURS_PER_DAY)
#define DAYS_PER_WEEK 7
#define MONTHS_PER_YEAR 12
#define HOURS_PER_HALF_DAY 12

/* Gregorian cycles: a year of 365 days, every 4th year a leap year except
 * every 100th, except every 400th. So 4 years have one leap day, 100
 * years 24 and 400 years 97. */
#define DAYS_PER_COMMON_YEAR 365
#define DAYS_PER_LEAP_YEAR 366
#define LEAP_YEAR_EVERY 4
#define LEAP_YEAR_SKIPPED_EVERY 100
#define LEAP_YEAR_RESTORED_EVERY 400
#define DAYS_PER_4_YEARS (4 * DAYS_PER_COMMON_YEAR + 1)
#define DAYS_PER_100_YEARS (100 * DAYS_PER_COMMON_YEAR + 24)
#define DAYS_PER_400_YEARS (400 * DAYS_PER_COMMON_YEAR + 97)
#define YEARS_PER_4_YEARS 4
#define YEARS_PER_100_YEARS 100
#define YEARS_PER_400_YEARS 400
#define CENTURIES_PER_400_YEARS 4

/* tm_year counts from 1900; time_t counts from 1970-01-01, a Thursday. */
#define TM_YEAR_BASE 1900
#define EPOCH_YEAR 1970
#define EPOCH_WEEKDAY 4 /* days since Sunday */
#define FEBRUARY 1      /* tm_mon of February */

/* Two-digit parts of a year: %C and %y. */
#define YEARS_PER_CENTURY 100

/* Size of asctime_r's buffer, as the C standard and POSIX give it:
 * "Sun Sep 16 01:03:52 1973\n" and the terminating NUL. */
#define ASCTIME_R_SIZE 26
/* asctime's own buffer: room for any int in every numeric field. */
#define ASCTIME_SIZE 96

/* The time-zone names: local time is UTC; gmtime and timegm say "GMT",
 * as glibc does. */
static char utc_name[] = "UTC";
static const char gmt_name[] = "GMT";

long timezone = 0;
int daylight = 0;
char *tzname[2] = {utc_name, utc_name};

/* Nothing to read: there is no time-zone database and TZ is ignored. */
void tzset(void)
{
}

/* ---- arithmetic -------------------------------------------------------- */

/* a / b rounded towards minus infinity (b > 0). */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

/* a modulo b in [0, b) (b > 0). */
static long long floor_mod(long long a, long long b)
{
    long long r = a % b;
    return r < 0 ? r + b : r;
}

static int is_leap_year(long long year)
{
    return floor_mod(year, LEAP_YEAR_EVERY) == 0 &&
           (floor_mod(year, LEAP_YEAR_SKIPPED_EVERY) != 0 ||
            floor_mod(year, LEAP_YEAR_RESTORED_EVERY) == 0);
}

static long long days_in_year(long long year)
{
    return is_leap_year(year) ? DAYS_PER_LEAP_YEAR : DAYS_PER_COMMON_YEAR;
}

/* Days before each month in a common year, January first. */
static const short days_before_month[MONTHS_PER_YEAR] = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
};

/* Days before 1 January of `year` counted from 1 January of year 1
 * (negative for years before 1): 365 per year plus one per leap year in
 * between. Floor division keeps the count right for negative years. */
static long long days_before_year_since_1(long long year)
{
    long long previous = year - 1;
    return previous * DAYS_PER_COMMON_YEAR +
           floor_div(previous, LEAP_YEAR_EVERY) -
           floor_div(previous, LEAP_YEAR_SKIPPED_EVERY) +
           floor_div(previous, LEAP_YEAR_RESTORED_EVERY);
}

/* Days from 1970-01-01 to 1 January of `year`. */
static long long days_before_year(long long year)
{
    return days_before_year_since_1(year) -
           days_before_year_since_1(EPOCH_YEAR);
}

/* Days in `year` before its month `month` (0-11). */
static int days_before_month_in(long long year, int month)
{
    int leap_day = month > FEBRUARY && is_leap_year(year);
    return days_before_month[month] + leap_day;
}

/* The day number of `year`-`month`-01 (month 0-11). */
static long long day_of_month_start(long long year, int month)
{
    return days_before_year(year) + days_before_month_in(year, month);
}

/* Splits a day number into its year and day of the year (0-365). */
static void year_of_day(long long day, long long *year, long long *yday)
{
    /* Days since 1 January of year 1: cycles of 400 years start there. */
    long long days = day + days_before_year_since_1(EPOCH_YEAR);
    long long cycles400 = floor_div(days, DAYS_PER_400_YEARS);
    long long rest = days - cycles400 * DAYS_PER_400_YEARS;

    /* The first three centuries of a 400-year cycle have 36524 days; the
     * fourth ends with a leap year (a multiple of 400) and has one more,
     * so its last day would count as a fifth century: cap at the fourth. */
    long long centuries = rest / DAYS_PER_100_YEARS;
    if (centuries > CENTURIES_PER_400_YEARS - 1)
        centuries = CENTURIES_PER_400_YEARS - 1;
    rest -= centuries * DAYS_PER_100_YEARS;

    /* Every 4-year cycle of a century has 1461 days except the last of a
     * century that is not a multiple of 400 (1460): the division never
     * overshoots. */
    long long cycles4 = rest / DAYS_PER_4_YEARS;
    rest -= cycles4 * DAYS_PER_4_YEARS;

    /* Three common years then a leap year: the leap year's last day would
     * count as a fifth year: cap at the fourth. */
    long long years = rest / DAYS_PER_COMMON_YEAR;
    if (years > YEARS_PER_4_YEARS - 1)
        years = YEARS_PER_4_YEARS - 1;
    rest -= years * DAYS_PER_COMMON_YEAR;

    *year = 1 + cycles400 * YEARS_PER_400_YEARS +
            centuries * YEARS_PER_100_YEARS + cycles4 * YEARS_PER_4_YEARS +
            years;
    *yday = rest;
}

/* The seconds since the epoch that the fields of `tm` name, normalising
 * out-of-range fields (tm_mon 14 is February of the next year, tm_mday 0
 * the last day of the previous month, ...). tm_wday, tm_yday, tm_isdst and
 * tm_gmtoff are ignored. Every int field value fits: the result is at most
 * about 2^56 in magnitude. */
static long long seconds_of_fields(const struct tm *tm)
{
    long long year = (long long)tm->tm_year + TM_YEAR_BASE +
                     floor_div(tm->tm_mon, MONTHS_PER_YEAR);
    int month = (int)floor_mod(tm->tm_mon, MONTHS_PER_YEAR);
    long long days = day_of_month_start(year, month) + tm->tm_mday - 1;

    return days * SECONDS_PER_DAY + (long long)tm->tm_hour * SECONDS_PER_HOUR +
           (long long)tm->tm_min * SECONDS_PER_MINUTE + tm->tm_sec;
}

/* ---- time_t to struct tm ----------------------------------------------- */

/* Fills `out` with the UTC date and time of `t`, with time-zone name
 * `zone`. Fails with EOVERFLOW, leaving `out` alone, when the year does
 * not fit tm_year. */
static struct tm *to_fields(time_t t, struct tm *out, const char *zone)
{
    long long day = floor_div(t, SECONDS_PER_DAY);
    long long second_of_day = t - day * SECONDS_PER_DAY;
    long long year, yday;

    year_of_day(day, &year, &yday);
    if (year - TM_YEAR_BASE > INT_MAX || year - TM_YEAR_BASE < INT_MIN) {
        errno = EOVERFLOW;
        return NULL;
    }

    /* The month is the last one starting on or before the day. */
    int month = MONTHS_PER_YEAR - 1;
    while (month > 0 && days_before_month_in(year, month) > yday)
        month--;

    out->tm_year = (int)(year - TM_YEAR_BASE);
    out->tm_mon = month;
    out->tm_mday = (int)(yday - days_before_month_in(year, month)) + 1;
    out->tm_yday = (int)yday;
    out->tm_wday = (int)floor_mod(day + EPOCH_WEEKDAY, DAYS_PER_WEEK);
    out->tm_hour = (int)(second_of_day / SECONDS_PER_HOUR);
    out->tm_min = (int)(second_of_day % SECONDS_PER_HOUR / SECONDS_PER_MINUTE);
    out->tm_sec = (int)(second_of_day % SECONDS_PER_MINUTE);
    out->tm_isdst = 0;
    out->tm_gmtoff = 0;
    out->tm_zone = zone;
    return out;
}

struct tm *gmtime_r(const time_t *t, struct tm *out)
{
    return to_fields(*t, out, gmt_name);
}

struct tm *gmtime(const time_t *t)
{
    static struct tm result;
    return gmtime_r(t, &result);
}

struct tm *localtime_r(const time_t *t, struct tm *out)
{
    return to_fields(*t, out, utc_name);
}

struct tm *localtime(const time_t *t)
{
    static struct tm result;
    return localtime_r(t, &result);
}

/* ---- struct tm to time_t ----------------------------------------------- */

/* timegm and mktime: the time the fields name; `tm` is rewritten with the
 * normalised fields (and tm_wday, tm_yday), or left alone with EOVERFLOW
 * and (time_t)-1 when the normalised year does not fit tm_year. */
static time_t from_fields(struct tm *tm, const char *zone)
{
    time_t t = seconds_of_fields(tm);
    struct tm normal;

    if (to_fields(t, &normal, zone) == NULL)
        return (time_t)-1;
    *tm = normal;
    return t;
}

time_t timegm(struct tm *tm)
{
    return from_fields(tm, gmt_name);
}

/* Local time is UTC, so the tm_isdst given is ignored (glibc, told the
 * zone has no daylight saving time, moves a tm_isdst > 0 time one hour
 * back). */
time_t mktime(struct tm *tm)
{
    return from_fields(tm, utc_name);
}

/* end - start without overflow: same signs cannot overflow, and
 * otherwise the values are converted first (rounded when the exact
 * difference has more than 53 significant bits). */
double difftime(time_t end, time_t start)
{
    if ((end < 0) == (start < 0))
        return (double)(end - start);
    return (double)end - (double)start;
}

/* ---- names --------------------------------------------------------------- */

static const char *const weekday_names[DAYS_PER_WEEK] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday",
};

static const char *const month_names[MONTHS_PER_YEAR] = {
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
};

/* Abbreviations are the first three letters of the full names. */
#define ABBREVIATION_LENGTH 3

/* names[index], or `unknown` when index is out of range. */
static const char *name_of(const char *const *names, int count, int index,
                           const char *unknown)
{
    return (index >= 0 && index < count) ? names[index] : unknown;
}

/* ---- asctime and ctime --------------------------------------------------- */

/* Formats `tm` as "Thu Jan  1 00:00:00 1970\n" into buf[size]: the layout
 * the C standard gives for asctime. Out-of-range weekdays and months are
 * written "???", as glibc does. Fails with EOVERFLOW when the year does
 * not fit an int or the text does not fit `size`. */
static char *format_asctime(const struct tm *tm, char *buf, size_t size)
{
    if (tm->tm_year > INT_MAX - TM_YEAR_BASE) {
        errno = EOVERFLOW;
        return NULL;
    }
    int n = snprintf(buf, size, "%.*s %.*s%3d %.2d:%.2d:%.2d %d\n",
                     ABBREVIATION_LENGTH,
                     name_of(weekday_names, DAYS_PER_WEEK, tm->tm_wday, "???"),
                     ABBREVIATION_LENGTH,
                     name_of(month_names, MONTHS_PER_YEAR, tm->tm_mon, "???"),
                     tm->tm_mday, tm->tm_hour, tm->tm_min, tm->tm_sec,
                     tm->tm_year + TM_YEAR_BASE);
    if (n < 0 || (size_t)n >= size) {
        errno = EOVERFLOW;
        return NULL;
    }
    return buf;
}

char *asctime_r(const struct tm *tm, char *buf)
{
    return format_asctime(tm, buf, ASCTIME_R_SIZE);
}

char *asctime(const struct tm *tm)
{
    static char buf[ASCTIME_SIZE];
    return format_asctime(tm, buf, sizeof buf);
}

char *ctime_r(const time_t *t, char *buf)
{
    struct tm tm;
    return localtime_r(t, &tm) ? asctime_r(&tm, buf) : NULL;
}

char *ctime(const time_t *t)
{
    struct tm *tm = localtime(t);
    return tm ? asctime(tm) : NULL;
}

/* ---- strftime ------------------------------------------------------------ */

/* The output of strftime: buf[size], of which `len` are used. `full` is
 * set once a character did not fit with room left for the NUL. */
struct output {
    char *buf;
    size_t size;
    size_t len;
    int full;
};

static void put_char(struct output *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len++] = c;
    else
        o->full = 1;
}

static void put_chars(struct output *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_char(o, s[i]);
}

static void put_string(struct output *o, const char *s)
{
    while (*s)
        put_char(o, *s++);
}

/* At most the first `n` characters of `s`. */
static void put_prefix(struct output *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++)
        put_char(o, s[i]);
}

/* Digits of the largest long long, a sign, and a NUL. */
#define NUMBER_TEXT_SIZE 24
#define DECIMAL_BASE 10

/* `value` in decimal, at least `width` characters counting the sign:
 * padded on the left with spaces, or with zeros after the sign. */
static void put_number(struct output *o, long long value, int width, char pad)
{
    char digits[NUMBER_TEXT_SIZE];
    int n = 0;
    unsigned long long magnitude =
        value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;

    do {
        digits[n++] = (char)('0' + magnitude % DECIMAL_BASE);
        magnitude /= DECIMAL_BASE;
    } while (magnitude > 0);

    int length = n + (value < 0);
    if (pad == ' ')
        for (; length < width; length++)
            put_char(o, ' ');
    if (value < 0)
        put_char(o, '-');
    if (pad == '0')
        for (; length < width; length++)
            put_char(o, '0');
    while (n > 0)
        put_char(o, digits[--n]);
}

/* The weekday counted from Monday (0-6), as ISO 8601 and %W count. */
static long long weekday_from_monday(const struct tm *tm)
{
    return floor_mod((long long)tm->tm_wday - 1, DAYS_PER_WEEK);
}

/* The ISO 8601 week-based year and week number (%G, %V) of the fields:
 * weeks start on Monday, and a week belongs to the year that holds its
 * Thursday (so week 1 is the week of the year's first Thursday). */
#define DAYS_MONDAY_TO_THURSDAY 3
static void iso_week(const struct tm *tm, long long *iso_year, long long *week)
{
    long long year = (long long)tm->tm_year + TM_YEAR_BASE;
    long long thursday = (long long)tm->tm_yday - weekday_from_monday(tm) +
                         DAYS_MONDAY_TO_THURSDAY;

    if (thursday < 0) {
        year--;
        thursday += days_in_year(year);
    } else if (thursday >= days_in_year(year)) {
        thursday -= days_in_year(year);
        year++;
    }
    *iso_year = year;
    *week = thursday / DAYS_PER_WEEK + 1;
}

/* The hour on a 12-hour clock: 12, 1, ..., 11. */
static long long hour12(const struct tm *tm)
{
    int hour = tm->tm_hour % HOURS_PER_HALF_DAY;
    return hour == 0 ? HOURS_PER_HALF_DAY : hour;
}

/* %z writes hours and minutes as one number hhmm. */
#define HHMM_HOURS 100
#define HHMM_WIDTH 4

/* Which conversions take the E and O modifiers (POSIX; in the C locale
 * the modifiers change nothing). */
static int modifier_allowed(char modifier, char conversion)
{
    const char *allowed = modifier == 'E' ? "cCxXyY" : "deHImMSuUVwWy";
    for (; *allowed; allowed++)
        if (*allowed == conversion)
            return 1;
    return 0;
}

static void format(struct output *o, const char *fmt, const struct tm *tm);

/* One conversion character `c`; returns 0 if it is not one we know. */
static int convert(struct output *o, char c, const struct tm *tm)
{
    long long year = (long long)tm->tm_year + TM_YEAR_BASE;
    long long iso_year, week;

    switch (c) {
    case 'a':
        put_prefix(o, name_of(weekday_names, DAYS_PER_WEEK, tm->tm_wday, "?"),
                   ABBREVIATION_LENGTH);
        break;
    case 'A':
        put_string(o, name_of(weekday_names, DAYS_PER_WEEK, tm->tm_wday, "?"));
        break;
    case 'b':
    case 'h':
        put_prefix(o, name_of(month_names, MONTHS_PER_YEAR, tm->tm_mon, "?"),
                   ABBREVIATION_LENGTH);
        break;
    case 'B':
        put_string(o, name_of(month_names, MONTHS_PER_YEAR, tm->tm_mon, "?"));
        break;
    case 'c':
        format(o, "%a %b %e %H:%M:%S %Y", tm);
        break;
    case 'C':
        put_number(o, floor_div(year, YEARS_PER_CENTURY), 1, '0');
        break;
    case 'd':
        put_number(o, tm->tm_mday, 2, '0');
        break;
    case 'D':
    case 'x':
        format(o, "%m/%d/%y", tm);
        break;
    case 'e':
        put_number(o, tm->tm_mday, 2, ' ');
        break;
    case 'F':
        format(o, "%Y-%m-%d", tm);
        break;
    case 'G':
        iso_week(tm, &iso_year, &week);
        put_number(o, iso_year, 1, '0');
        break;
    case 'g':
        iso_week(tm, &iso_year, &week);
        put_number(o, floor_mod(iso_year, YEARS_PER_CENTURY), 2, '0');
        break;
    case 'H':
        put_number(o, tm->tm_hour, 2, '0');
        break;
    case 'I':
        put_number(o, hour12(tm), 2, '0');
        break;
    case 'j':
        put_number(o, (long long)tm->tm_yday + 1, 3, '0');
        break;
    case 'k':
        put_number(o, tm->tm_hour, 2, ' ');
        break;
    case 'l':
        put_number(o, hour12(tm), 2, ' ');
        break;
    case 'm':
        put_number(o, (long long)tm->tm_mon + 1, 2, '0');
        break;
    case 'M':
        put_number(o, tm->tm_min, 2, '0');
        break;
    case 'n':
        put_char(o, '\n');
        break;
    case 'p':
        put_string(o, tm->tm_hour >= HOURS_PER_HALF_DAY ? "PM" : "AM");
        break;
    case 'P':
        put_string(o, tm->tm_hour >= HOURS_PER_HALF_DAY ? "pm" : "am");
        break;
    case 'r':
        format(o, "%I:%M:%S %p", tm);
        break;
    case 'R':
        format(o, "%H:%M", tm);
        break;
    case 's':
        /* mktime of the fields; local time is UTC. */
        put_number(o, seconds_of_fields(tm), 1, '0');
        break;
    case 'S':
        put_number(o, tm->tm_sec, 2, '0');
        break;
    case 't':
        put_char(o, '\t');
        break;
    case 'T':
    case 'X':
        format(o, "%H:%M:%S", tm);
        break;
    case 'u':
        put_number(o, weekday_from_monday(tm) + 1, 1, '0');
        break;
    case 'U':
        /* Weeks starting on Sunday; days before the first Sunday are in
         * week 0. */
        put_number(o, ((long long)tm->tm_yday + DAYS_PER_WEEK - tm->tm_wday) /
                          DAYS_PER_WEEK, 2, '0');
        break;
    case 'V':
        iso_week(tm, &iso_year, &week);
        put_number(o, week, 2, '0');
        break;
    case 'w':
        put_number(o, tm->tm_wday, 1, '0');
        break;
    case 'W':
        /* Weeks starting on Monday; days before the first Monday are in
         * week 0. */
        put_number(o, ((long long)tm->tm_yday + DAYS_PER_WEEK -
                       weekday_from_monday(tm)) / DAYS_PER_WEEK, 2, '0');
        break;
    case 'y':
        put_number(o, floor_mod(year, YEARS_PER_CENTURY), 2, '0');
        break;
    case 'Y':
        put_number(o, year, 1, '0');
        break;
    case 'z': {
        /* tm_gmtoff as +hhmm or -hhmm: hours times HHMM_HOURS, plus the
         * minutes; seconds are dropped. */
        long long offset = tm->tm_gmtoff;
        long long minutes = (offset < 0 ? -offset : offset) / SECONDS_PER_MINUTE;
        put_char(o, offset < 0 ? '-' : '+');
        put_number(o, minutes / MINUTES_PER_HOUR * HHMM_HOURS +
                          minutes % MINUTES_PER_HOUR, HHMM_WIDTH, '0');
        break;
    }
    case 'Z':
        put_string(o, tm->tm_zone ? tm->tm_zone : utc_name);
        break;
    case '%':
        put_char(o, '%');
        break;
    default:
        return 0;
    }
    return 1;
}

/* Appends `fmt` with its conversions done. A conversion we do not know
 * (or a modifier it does not take) is copied as written. */
static void format(struct output *o, const char *fmt, const struct tm *tm)
{
    while (*fmt) {
        if (*fmt != '%') {
            put_char(o, *fmt++);
            continue;
        }
        const char *start = fmt++;
        char modifier = 0;
        if (*fmt == 'E' || *fmt == 'O')
            modifier = *fmt++;
        char c = *fmt;
        if (c == '\0') {
            put_chars(o, start, (size_t)(fmt - start)); /* a trailing "%" */
            break;
        }
        fmt++;
        if ((modifier && !modifier_allowed(modifier, c)) || !convert(o, c, tm))
            put_chars(o, start, (size_t)(fmt - start));
    }
}

size_t strftime(char *__restrict s, size_t max, const char *__restrict fmt,
                const struct tm *__restrict tm)
{
    struct output o = {s, max, 0, 0};

    format(&o, fmt, tm);
    if (o.full || max == 0)
        return 0;
    s[o.len] = '\0';
    return o.len;
}
