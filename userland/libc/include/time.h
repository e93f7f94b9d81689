/*
 * time.h - clocks, sleeping (Linux clock ids) and the calendar.
 * Provided: clock_gettime, nanosleep, time (over CLOCK_REALTIME: calendar
 * time in kernel-shim when the machine has a real-time clock, as the QEMU
 * configuration gives it, else time since boot; -1 if the kernel has no
 * such clock), clock (the process's
 * processor time, over CLOCK_PROCESS_CPUTIME_ID, in CLOCKS_PER_SEC units;
 * (clock_t)-1 when the kernel does not offer it).
 * The calendar: struct tm (glibc's Linux x86_64 layout, with tm_gmtoff and
 * tm_zone), gmtime, gmtime_r, localtime, localtime_r, timegm, mktime,
 * difftime, asctime, asctime_r, ctime, ctime_r, strftime, tzset, and the
 * variables timezone, daylight and tzname. The calendar is the proleptic
 * Gregorian one for every year a tm_year int can hold.
 * There is no time-zone database and TZ is not read: local time is UTC
 * (tm_zone "UTC", tm_gmtoff 0, tm_isdst 0; gmtime and timegm say "GMT", as
 * glibc does); tzset does nothing, timezone and daylight are 0 and tzname
 * is {"UTC", "UTC"}. mktime ignores the tm_isdst it is given.
 * strftime formats in the C/POSIX locale, as glibc does there: %a %A %b
 * %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S
 * %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%, with the E modifier on c C x
 * X y Y and the O modifier on d e H I m M S u U V w W y (both change
 * nothing in this locale). %Y, %G and %C are printed without padding. Any
 * other conversion, and glibc's flags and field widths (%-d, %5Y), are
 * copied to the output as written.
 * Not provided: timers, the *_l locale variants, strptime, getdate.
 */
#ifndef _LIBC_TIME_H
#define _LIBC_TIME_H

#include <sys/_types.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

#define CLOCKS_PER_SEC 1000000L

int clock_gettime(clockid_t clock, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
time_t time(time_t *out);
clock_t clock(void);

/* Broken-down time. Field order and types are glibc's on Linux x86_64. */
struct tm {
    int tm_sec;         /* seconds after the minute, 0-60 */
    int tm_min;         /* minutes after the hour, 0-59 */
    int tm_hour;        /* hours since midnight, 0-23 */
    int tm_mday;        /* day of the month, 1-31 */
    int tm_mon;         /* months since January, 0-11 */
    int tm_year;        /* years since 1900 */
    int tm_wday;        /* days since Sunday, 0-6 */
    int tm_yday;        /* days since January 1, 0-365 */
    int tm_isdst;       /* daylight saving time in effect: always 0 here */
    long tm_gmtoff;     /* seconds east of UTC: always 0 here */
    const char *tm_zone; /* abbreviation of the time zone */
};

struct tm *gmtime(const time_t *t);
struct tm *gmtime_r(const time_t *t, struct tm *out);
struct tm *localtime(const time_t *t);
struct tm *localtime_r(const time_t *t, struct tm *out);
time_t timegm(struct tm *tm);
time_t mktime(struct tm *tm);
double difftime(time_t end, time_t start);
char *asctime(const struct tm *tm);
char *asctime_r(const struct tm *tm, char *buf);
char *ctime(const time_t *t);
char *ctime_r(const time_t *t, char *buf);
size_t strftime(char *__restrict s, size_t max,
                const char *__restrict format,
                const struct tm *__restrict tm);

void tzset(void);
extern long timezone;
extern int daylight;
extern char *tzname[2];

#endif
