/*
 * Guest test: clock_nanosleep (ENOSYS before) sleeps a duration on
 * CLOCK_MONOTONIC, CLOCK_REALTIME and CLOCK_BOOTTIME and until an absolute
 * time with TIMER_ABSTIME (a past one returns at once); a signal handler
 * ends a relative sleep with EINTR and the time left in rem (nanosleep
 * too); unknown and thread clocks are EINVAL, the process CPU clock
 * ENOTSUP, bad times EINVAL, bad pointers EFAULT. Every sleep is bounded:
 * a broken call fails after a few seconds, never hangs.
 */
#include "guest_test.h"

#include <signal.h>
#include <sys/time.h>
#include <time.h>

/* Nanoseconds in a millisecond and in a second. */
#define NS_PER_MS 1000000L
#define NS_PER_S 1000000000L
/* The short sleeps, and the long one a signal interrupts. */
#define SHORT_MS 20
#define LONG_S 5
/* When the interrupting SIGALRM comes, in microseconds. */
#define ALARM_US 30000

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static long long ns_of(clockid_t clock)
{
    struct timespec now;
    clock_gettime(clock, &now);
    return (long long)now.tv_sec * NS_PER_S + now.tv_nsec;
}

static void arm_alarm(void)
{
    struct itimerval once = {{0, 0}, {0, ALARM_US}};
    EXPECT(setitimer(ITIMER_REAL, &once, NULL) == 0, "setitimer: %s", strerror(errno));
}

int main(void)
{
    test_name = "t_clock_nanosleep";
    struct timespec req = {0, SHORT_MS * NS_PER_MS}, rem;

    /* A duration on each sleepable clock. */
    clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME};
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        long long start = ns_of(CLOCK_MONOTONIC);
        int err = clock_nanosleep(clocks[i], 0, &req, NULL);
        long long took = ns_of(CLOCK_MONOTONIC) - start;
        EXPECT(err == 0, "clock_nanosleep(clock %d, 20 ms): %s", (int)clocks[i], strerror(err));
        EXPECT(took >= SHORT_MS * NS_PER_MS && took < LONG_S * NS_PER_S,
               "clock %d: a 20 ms sleep took %lld ns", (int)clocks[i], took);
    }

    /* Absolute deadlines: the realtime and the monotonic clock. */
    for (int i = 0; i < 2; i++) {
        clockid_t clock = i ? CLOCK_MONOTONIC : CLOCK_REALTIME;
        long long deadline = ns_of(clock) + SHORT_MS * NS_PER_MS;
        struct timespec at = {deadline / NS_PER_S, deadline % NS_PER_S};
        int err = clock_nanosleep(clock, TIMER_ABSTIME, &at, NULL);
        EXPECT(err == 0, "clock_nanosleep(clock %d, TIMER_ABSTIME): %s", (int)clock,
               strerror(err));
        EXPECT(ns_of(clock) >= deadline, "clock %d: woke before the absolute deadline",
               (int)clock);
    }
    /* A deadline already passed returns at once. */
    struct timespec past = {1, 0};
    long long start = ns_of(CLOCK_MONOTONIC);
    EXPECT(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL) == 0,
           "past realtime deadline");
    EXPECT(ns_of(CLOCK_MONOTONIC) - start < NS_PER_S, "a past deadline slept");

    /* A handled signal: EINTR with the time left (relative sleeps). */
    struct sigaction act = {0};
    act.sa_handler = on_alarm;
    EXPECT(sigaction(SIGALRM, &act, NULL) == 0, "sigaction: %s", strerror(errno));
    struct timespec long_req = {LONG_S, 0};
    arm_alarm();
    rem.tv_sec = -1;
    int err = clock_nanosleep(CLOCK_MONOTONIC, 0, &long_req, &rem);
    EXPECT(err == EINTR, "clock_nanosleep interrupted: %d (%s), not EINTR", err, strerror(err));
    EXPECT(alarms == 1, "%d SIGALRMs", (int)alarms);
    EXPECT(rem.tv_sec >= 0 && rem.tv_sec < LONG_S && rem.tv_nsec >= 0 && rem.tv_nsec < NS_PER_S &&
               (rem.tv_sec > 0 || rem.tv_nsec > 0),
           "rem %ld.%09ld after an interrupted 5 s sleep", (long)rem.tv_sec, (long)rem.tv_nsec);
    arm_alarm();
    rem.tv_sec = -1;
    EXPECT(nanosleep(&long_req, &rem) == -1 && errno == EINTR, "nanosleep not EINTR");
    EXPECT(rem.tv_sec >= 0 && rem.tv_sec < LONG_S, "nanosleep rem %ld s", (long)rem.tv_sec);
    /* An absolute sleep interrupted leaves rem alone. */
    long long deadline = ns_of(CLOCK_MONOTONIC) + LONG_S * NS_PER_S;
    struct timespec at = {deadline / NS_PER_S, deadline % NS_PER_S};
    arm_alarm();
    rem.tv_sec = -7;
    err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, &rem);
    EXPECT(err == EINTR && rem.tv_sec == -7, "absolute sleep: %d, rem.tv_sec %ld", err,
           (long)rem.tv_sec);

    /* Refused. */
    EXPECT_ERRNO("CLOCK_THREAD_CPUTIME_ID",
                 raw_syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, (long)&req, 0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("clock 99", raw_syscall(SYS_clock_nanosleep, 99, 0, (long)&req, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("CLOCK_PROCESS_CPUTIME_ID",
                 raw_syscall(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, (long)&req, 0, 0,
                             0),
                 ENOTSUP);
    struct timespec bad = {0, NS_PER_S};
    EXPECT_ERRNO("tv_nsec 1e9",
                 raw_syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)&bad, 0, 0, 0), EINVAL);
    struct timespec negative = {-1, 0};
    EXPECT_ERRNO("tv_sec -1",
                 raw_syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, (long)&negative,
                             0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("req in the kernel",
                 raw_syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)KERNEL_ADDRESS, 0, 0,
                             0),
                 EFAULT);
    return 0;
}
