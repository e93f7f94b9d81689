/* process.c - ids, groups and sessions, wait without children and the
 * status macros, sysconf, clocks and sleeping, scheduling calls. */
#include "check.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void test_ids(void)
{
    pid_t pid = getpid();

    CHECK("getpid", pid > 0);
    CHECK("getppid", getppid() > 0 && getppid() != pid);
    CHECK_INT("getpgrp-is-getpgid0", getpgrp(), getpgid(0));
    CHECK_INT("getpgid-self", getpgid(pid), getpgrp());
    /* Linux reports 0 when the session leader lives outside this process's
     * PID namespace (a container's init started the session), so 0 is a
     * valid answer here; -1 is not. */
    CHECK("getsid", getsid(0) >= 0 && getsid(0) == getsid(pid));
    CHECK_ERR("getpgid-no-process", getpgid(0x3ffffff0), ESRCH);
    CHECK_ERR("getsid-no-process", getsid(0x3ffffff0), ESRCH);
    CHECK_ERR("setpgid-negative", setpgid(0, -1), EINVAL);
    CHECK_ERR("setpgid-no-process", setpgid(0x3ffffff0, 0), ESRCH);
    CHECK_INT("setpgid-self-leader", setpgid(0, 0), 0);
    CHECK_INT("setpgid-applied", getpgrp(), pid);
    CHECK_ERR("setsid-group-leader", setsid(), EPERM);

    CHECK("getuid-geteuid", getuid() == geteuid());
    CHECK("getgid-getegid", getgid() == getegid());
    CHECK_INT("setuid-same", setuid(getuid()), 0);
    CHECK_INT("setgid-same", setgid(getgid()), 0);
    CHECK_INT("seteuid-same", seteuid(geteuid()), 0);
    CHECK_INT("setegid-same", setegid(getegid()), 0);
    CHECK_ERR("seteuid-minus-one", seteuid((uid_t)-1), EINVAL);
    CHECK_ERR("setegid-minus-one", setegid((gid_t)-1), EINVAL);
}

static void test_wait(void)
{
    int status = 12345;

    CHECK_ERR("waitpid-no-children", waitpid(-1, &status, 0), ECHILD);
    CHECK_ERR("waitpid-wnohang-no-children", waitpid(-1, &status, WNOHANG),
              ECHILD);
    CHECK_ERR("wait-no-children", wait(&status), ECHILD);
    CHECK_ERR("waitpid-not-child", waitpid(getppid(), NULL, 0), ECHILD);
    CHECK_INT("status-untouched", status, 12345);
    CHECK_ERR("waitpid-bad-options", waitpid(-1, NULL, 0x100), EINVAL);

    int exited = 3 << 8, killed = SIGKILL, cored = SIGABRT | 0x80;
    int stopped = (SIGSTOP << 8) | 0x7f, continued = 0xffff;
    CHECK("wifexited", WIFEXITED(exited) && !WIFSIGNALED(exited) &&
                           !WIFSTOPPED(exited) && WEXITSTATUS(exited) == 3);
    CHECK("wexitstatus-255", WEXITSTATUS(255 << 8) == 255);
    CHECK("wifsignaled", WIFSIGNALED(killed) && !WIFEXITED(killed) &&
                             WTERMSIG(killed) == SIGKILL &&
                             !WCOREDUMP(killed));
    CHECK("wcoredump", WIFSIGNALED(cored) && WTERMSIG(cored) == SIGABRT &&
                           WCOREDUMP(cored));
    CHECK("wifstopped", WIFSTOPPED(stopped) && !WIFSIGNALED(stopped) &&
                            !WIFEXITED(stopped) && WSTOPSIG(stopped) == SIGSTOP);
    CHECK("wifcontinued", WIFCONTINUED(continued) && !WIFEXITED(continued) &&
                              !WIFSIGNALED(continued));
    CHECK_INT("wnohang", WNOHANG, 1);
}

static long long ns(const struct timespec *t)
{
    return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void test_time(void)
{
    struct timespec a, b;

    CHECK_INT("clock-monotonic", clock_gettime(CLOCK_MONOTONIC, &a), 0);
    CHECK("clock-nsec-range", a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK("clock-nondecreasing", ns(&b) >= ns(&a));
    struct timespec req = {0, 2000000};
    CHECK_INT("nanosleep", nanosleep(&req, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    CHECK("nanosleep-elapsed", ns(&b) - ns(&a) >= 2000000);
    CHECK_INT("usleep", usleep(1000), 0);
    struct timespec bad = {0, 1000000000L};
    CHECK_ERR("nanosleep-bad-nsec", nanosleep(&bad, NULL), EINVAL);
    CHECK_ERR("clock-bad-id", clock_gettime((clockid_t)12345, &a), EINVAL);
    /* Resolution: successive readings eventually differ by < 1 ms. */
    long long best = 1000000000LL;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(&b) > ns(&a) && ns(&b) - ns(&a) < best)
            best = ns(&b) - ns(&a);
    }
    CHECK("clock-microsecond-resolution", best <= 1000);

    /* The wall clock is calendar time (after 2024-01-01 00:00 UTC), not
     * time since boot, and time() reads it. */
    const time_t jan_2024 = 1704067200;
    CHECK_INT("clock-realtime", clock_gettime(CLOCK_REALTIME, &a), 0);
    CHECK("clock-realtime-is-calendar-time", a.tv_sec > jan_2024);
    /* glibc's time() reads the coarse clock, which may lag the precise one
     * by up to one tick: allow one second behind, not more. */
    time_t t = time(NULL);
    CHECK("time-reads-the-wall-clock", t >= a.tv_sec - 1 && t - a.tv_sec < 60);
}

/* Processor time: it grows while the process computes, not while it
 * sleeps; clock() reads the same clock in CLOCKS_PER_SEC units. */
static void test_cpu_time(void)
{
    struct timespec cpu0, cpu1, wall0, wall1;

    clock_t c0 = clock(); /* first: the spin below is timed from cpu0 */
    CHECK("clock-available", c0 != (clock_t)-1);
    CHECK_INT("cputime-thread", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu1), 0);
    CHECK_INT("cputime-process", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0), 0);
    /* Compute until 2 ms of processor time have gone (or 5 s of wall
     * time, so that a clock that never moves fails instead of hanging). */
    clock_gettime(CLOCK_MONOTONIC, &wall0);
    volatile unsigned long spin = 0;
    do {
        for (int i = 0; i < 10000; i++)
            spin++;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
        clock_gettime(CLOCK_MONOTONIC, &wall1);
    } while (ns(&cpu1) - ns(&cpu0) < 2000000 && ns(&wall1) - ns(&wall0) < 5000000000LL);
    CHECK("cputime-grows-while-computing", ns(&cpu1) - ns(&cpu0) >= 2000000);
    CHECK("cputime-at-most-wall-time",
          ns(&cpu1) - ns(&cpu0) <= ns(&wall1) - ns(&wall0) + 1000000);
    clock_t c1 = clock();
    CHECK("clock-grows-while-computing", c1 - c0 >= 2 * CLOCKS_PER_SEC / 1000);
    struct timespec nap = {0, 20000000};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu0);
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu1);
    CHECK("cputime-still-while-sleeping", ns(&cpu1) - ns(&cpu0) < 10000000);
}

static void test_sysconf_and_sched(void)
{
    long open_max = sysconf(_SC_OPEN_MAX);
    CHECK("sysconf-open-max", open_max >= 20);
#ifndef __GLIBC__
    CHECK_INT("sysconf-open-max-kernel", open_max, 1024);
#endif
    CHECK_INT("sysconf-pagesize", sysconf(_SC_PAGESIZE), 4096);
    CHECK("sysconf-clk-tck", sysconf(_SC_CLK_TCK) > 0);
    CHECK_ERR("sysconf-bad", sysconf(-1), EINVAL);

    CHECK_INT("sched-getscheduler", sched_getscheduler(0), SCHED_OTHER);
    struct sched_param p = {99};
    CHECK_INT("sched-getparam", sched_getparam(0, &p), 0);
    CHECK_INT("sched-getparam-priority", p.sched_priority, 0);
    CHECK_INT("sched-min-fifo", sched_get_priority_min(SCHED_FIFO), 1);
    CHECK_INT("sched-max-fifo", sched_get_priority_max(SCHED_FIFO), 99);
    CHECK_INT("sched-min-rr", sched_get_priority_min(SCHED_RR), 1);
    CHECK_INT("sched-max-rr", sched_get_priority_max(SCHED_RR), 99);
    CHECK_INT("sched-max-other", sched_get_priority_max(SCHED_OTHER), 0);
    CHECK_ERR("sched-max-bad-policy", sched_get_priority_max(12345), EINVAL);
    p.sched_priority = 0;
    CHECK_INT("sched-setscheduler-other", sched_setscheduler(0, SCHED_OTHER,
                                                             &p), 0);
    CHECK_INT("sched-setparam", sched_setparam(0, &p), 0);
    p.sched_priority = 5;
    CHECK_ERR("sched-setparam-bad-priority", sched_setparam(0, &p), EINVAL);
    CHECK_ERR("sched-getscheduler-no-process", sched_getscheduler(0x3ffffff0),
              ESRCH);
    CHECK_INT("sched-yield", sched_yield(), 0);
}

int main(void)
{
    test_ids();
    test_wait();
    test_time();
    test_cpu_time();
    test_sysconf_and_sched();
    return DONE();
}
