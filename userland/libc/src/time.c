/*
 * time.c - clock_gettime (228), nanosleep (35), time, clock, sleep,
 * usleep, pause (34), alarm (37).
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "syscall.h"

int clock_gettime(clockid_t clock, struct timespec *ts)
{
    return (int)SYSCALL2(SYS_clock_gettime, clock, ts);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
    return (int)SYSCALL2(SYS_nanosleep, req, rem);
}

time_t time(time_t *out)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return (time_t)-1;
    if (out)
        *out = ts.tv_sec;
    return ts.tv_sec;
}

/* Nanoseconds in one CLOCKS_PER_SEC unit. */
#define NANOS_PER_CLOCK (1000000000L / CLOCKS_PER_SEC)

clock_t clock(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
        return (clock_t)-1;
    return (clock_t)ts.tv_sec * CLOCKS_PER_SEC + (clock_t)(ts.tv_nsec / NANOS_PER_CLOCK);
}

unsigned int sleep(unsigned int seconds)
{
    struct timespec req = {(time_t)seconds, 0}, rem = {0, 0};

    if (nanosleep(&req, &rem) < 0 && errno == EINTR)
        return (unsigned int)rem.tv_sec + (rem.tv_nsec > 0);
    return 0;
}

int usleep(useconds_t usec)
{
    struct timespec req = {(time_t)(usec / 1000000),
                           (long)(usec % 1000000) * 1000};

    return nanosleep(&req, NULL);
}

int pause(void)
{
    return (int)SYSCALL0(SYS_pause);
}

unsigned int alarm(unsigned int seconds)
{
    return (unsigned int)__syscall1(SYS_alarm, seconds);
}
