/*
 * time.h - clocks and sleeping (Linux clock ids).
 * Provided: clock_gettime, nanosleep, time (over CLOCK_REALTIME, which the
 * kernel may not offer: then time returns -1), clock (the process's
 * processor time, over CLOCK_PROCESS_CPUTIME_ID, in CLOCKS_PER_SEC units;
 * (clock_t)-1 when the kernel does not offer it).
 * Not provided: struct tm and the calendar functions, timers.
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

#endif
