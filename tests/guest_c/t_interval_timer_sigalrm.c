/*
 * Guest test: musl's alarm() (built on setitimer(ITIMER_REAL)) interrupts
 * a blocking wait (poll) with SIGALRM; setitimer with an interval posts SIGALRM
 * again each period; getitimer reads back what is left and the period;
 * alarm and ITIMER_REAL are one timer; a zero it_value disarms it; the
 * timers kernel-shim does not keep (ITIMER_VIRTUAL, ITIMER_PROF), bad
 * microseconds and bad pointers are refused. Until this test existed
 * musl's alarm() silently did nothing (setitimer was ENOSYS).
 */
#include "guest_test.h"

#include <poll.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>

/* Periods of the periodic case, and how many of them are waited for. */
#define PERIOD_US 20000
#define PERIODS 3
/* Microseconds in a second. */
#define MICROS 1000000
/* How long a wait may take before the test calls the timer broken (a
 * failure, never a hang). */
#define GIVE_UP_MS 5000

static volatile sig_atomic_t alarms;

static void count_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static long ms_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Waits (in poll, which a signal interrupts) until `count` SIGALRMs came;
 * gives up after GIVE_UP_MS. */
static void wait_for_alarms(int count)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (alarms < count && ms_since(&start) < GIVE_UP_MS)
        poll(NULL, 0, (int)(GIVE_UP_MS - ms_since(&start)));
    EXPECT(alarms >= count, "%d SIGALRMs within %d ms, not %d", (int)alarms, GIVE_UP_MS, count);
}

int main(void)
{
    test_name = "t_interval_timer_sigalrm";
    struct sigaction on_alarm = {0};
    on_alarm.sa_handler = count_alarm;
    EXPECT(sigaction(SIGALRM, &on_alarm, NULL) == 0, "sigaction: %s", strerror(errno));

    /* alarm() ends a blocking wait (poll of an empty pipe) with EINTR. */
    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
    alarm(1);
    struct pollfd readable = {fds[0], POLLIN, 0};
    int n = poll(&readable, 1, GIVE_UP_MS);
    EXPECT(n == -1 && errno == EINTR, "poll during alarm(1): %d (%s), not EINTR", n,
           strerror(errno));
    EXPECT(alarms == 1, "%d SIGALRMs after alarm(1), not 1", (int)alarms);

    /* A periodic timer: SIGALRM each period; getitimer sees the period. */
    struct itimerval every = {{0, PERIOD_US}, {0, PERIOD_US}}, now, old;
    alarms = 0;
    EXPECT(setitimer(ITIMER_REAL, &every, NULL) == 0, "setitimer: %s", strerror(errno));
    EXPECT(getitimer(ITIMER_REAL, &now) == 0, "getitimer: %s", strerror(errno));
    EXPECT(now.it_interval.tv_sec == 0 && now.it_interval.tv_usec == PERIOD_US,
           "getitimer period %ld.%06ld", (long)now.it_interval.tv_sec,
           (long)now.it_interval.tv_usec);
    EXPECT(now.it_value.tv_sec == 0 && now.it_value.tv_usec > 0 &&
               now.it_value.tv_usec <= PERIOD_US,
           "getitimer value %ld.%06ld", (long)now.it_value.tv_sec, (long)now.it_value.tv_usec);
    wait_for_alarms(PERIODS);

    /* Disarming returns the old setting; nothing is left afterwards. */
    struct itimerval zero = {{0, 0}, {0, 0}};
    EXPECT(setitimer(ITIMER_REAL, &zero, &old) == 0, "setitimer(zero): %s", strerror(errno));
    EXPECT(old.it_interval.tv_usec == PERIOD_US, "old period %ld", (long)old.it_interval.tv_usec);
    EXPECT(getitimer(ITIMER_REAL, &now) == 0, "getitimer: %s", strerror(errno));
    EXPECT(now.it_value.tv_sec == 0 && now.it_value.tv_usec == 0,
           "disarmed timer reads %ld.%06ld", (long)now.it_value.tv_sec,
           (long)now.it_value.tv_usec);

    /* alarm and ITIMER_REAL are one timer. */
    struct itimerval ten = {{0, 0}, {10, 0}};
    EXPECT(setitimer(ITIMER_REAL, &ten, NULL) == 0, "setitimer(10 s): %s", strerror(errno));
    unsigned left = alarm(0);
    EXPECT(left == 10, "alarm(0) after a 10 s timer returned %u, not 10", left);

    /* Refused. */
    EXPECT(setitimer(ITIMER_VIRTUAL, &ten, NULL) == -1 && errno == EINVAL,
           "ITIMER_VIRTUAL not refused with EINVAL");
    EXPECT(getitimer(ITIMER_PROF, &now) == -1 && errno == EINVAL,
           "ITIMER_PROF not refused with EINVAL");
    struct itimerval bad = {{0, 0}, {0, MICROS}};
    EXPECT(setitimer(ITIMER_REAL, &bad, NULL) == -1 && errno == EINVAL,
           "tv_usec = 1e6 not refused with EINVAL");
    EXPECT(raw_syscall(SYS_setitimer, ITIMER_REAL, (long)KERNEL_ADDRESS, 0, 0, 0, 0) == -EFAULT,
           "a kernel address as new value not refused with EFAULT");
    EXPECT(raw_syscall(SYS_getitimer, ITIMER_REAL, (long)UNMAPPED_ADDRESS, 0, 0, 0, 0) == -EFAULT,
           "an unmapped address as getitimer's value not refused with EFAULT");
    EXPECT(getitimer(ITIMER_REAL, &now) == 0 && now.it_value.tv_sec == 0 &&
               now.it_value.tv_usec == 0,
           "a refused setitimer changed the timer");
    return 0;
}
