/*
 * Guest test: rt_sigtimedwait (ENOSYS before) through musl's sigwaitinfo,
 * sigtimedwait and sigwait: a pending blocked signal is taken without its
 * handler running, with its siginfo_t (sender pid and uid, si_code); a
 * blocked signal arriving while the caller waits wakes it (SIGALRM from
 * an interval timer); the timeout gives EAGAIN (at once for zero); a
 * handled signal outside the set interrupts the raw call with EINTR (musl's
 * sigtimedwait then waits again); a bad set size or
 * timeout is EINVAL. Every wait has a timeout: a bug fails, never hangs.
 */
#include "guest_test.h"

#include <signal.h>
#include <sys/time.h>
#include <time.h>

/* Nanoseconds in a millisecond. */
#define NS_PER_MS 1000000L
/* The bound on every wait that should end early, in seconds. */
#define BOUND_S 3
/* The timer that sends a signal while the test waits, in microseconds. */
#define TIMER_US 30000
/* The timeout the EAGAIN case waits, in milliseconds. */
#define TIMEOUT_MS 30
/* si_code of a signal the kernel sent (SIGALRM). */
#define SI_KERNEL_CODE 0x80

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
    (void)sig;
    handled++;
}

static long long ms_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / NS_PER_MS;
}

static void arm_timer(void)
{
    struct itimerval once = {{0, 0}, {0, TIMER_US}};
    EXPECT(setitimer(ITIMER_REAL, &once, NULL) == 0, "setitimer: %s", strerror(errno));
}

int main(void)
{
    test_name = "t_sigtimedwait";
    struct sigaction act = {0};
    act.sa_handler = on_signal;
    EXPECT(sigaction(SIGUSR1, &act, NULL) == 0, "sigaction: %s", strerror(errno));
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    EXPECT(sigprocmask(SIG_BLOCK, &usr1, NULL) == 0, "sigprocmask: %s", strerror(errno));
    struct timespec bound = {BOUND_S, 0}, zero = {0, 0};

    /* A pending blocked signal: taken with its details, no handler. */
    EXPECT(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
    siginfo_t info;
    memset(&info, 0xff, sizeof info);
    int sig = sigtimedwait(&usr1, &info, &bound);
    EXPECT(sig == SIGUSR1, "sigtimedwait: %d (%s)", sig, strerror(errno));
    EXPECT(info.si_signo == SIGUSR1 && info.si_code == SI_USER && info.si_pid == getpid() &&
               info.si_uid == getuid(),
           "siginfo: signo %d code %d pid %d uid %d", info.si_signo, info.si_code,
           (int)info.si_pid, (int)info.si_uid);
    sigset_t pending;
    sigpending(&pending);
    EXPECT(!sigismember(&pending, SIGUSR1) && handled == 0,
           "the signal is still pending or its handler ran");
    /* sigwait and sigwaitinfo too. */
    raise(SIGUSR1);
    EXPECT(sigwait(&usr1, &sig) == 0 && sig == SIGUSR1, "sigwait: %d", sig);
    raise(SIGUSR1);
    EXPECT(sigwaitinfo(&usr1, NULL) == SIGUSR1, "sigwaitinfo: %s", strerror(errno));
    EXPECT(handled == 0, "a handler ran for a waited signal");

    /* Nothing pending: EAGAIN at once for a zero timeout, after it else. */
    EXPECT(sigtimedwait(&usr1, NULL, &zero) == -1 && errno == EAGAIN, "zero timeout: %s",
           strerror(errno));
    struct timespec timeout = {0, TIMEOUT_MS * NS_PER_MS};
    long long start = ms_now();
    EXPECT(sigtimedwait(&usr1, NULL, &timeout) == -1 && errno == EAGAIN, "timeout: %s",
           strerror(errno));
    long long took = ms_now() - start;
    EXPECT(took >= TIMEOUT_MS - 1 && took < BOUND_S * 1000, "a 30 ms timeout took %lld ms", took);

    /* A blocked signal of the set arriving during the wait wakes it. */
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    EXPECT(sigprocmask(SIG_BLOCK, &alrm, NULL) == 0, "sigprocmask: %s", strerror(errno));
    arm_timer();
    start = ms_now();
    sig = sigtimedwait(&alrm, &info, &bound);
    EXPECT(sig == SIGALRM, "waiting for a blocked SIGALRM: %d (%s)", sig, strerror(errno));
    EXPECT(info.si_code == SI_KERNEL_CODE, "SIGALRM si_code %d", info.si_code);
    EXPECT(ms_now() - start < BOUND_S * 1000 - 500, "woken only by the timeout");
    EXPECT(sigprocmask(SIG_UNBLOCK, &alrm, NULL) == 0, "sigprocmask: %s", strerror(errno));

    /* A handled signal outside the set interrupts: EINTR. */
    EXPECT(sigaction(SIGALRM, &act, NULL) == 0, "sigaction: %s", strerror(errno));
    arm_timer();
    /* The raw call: musl's sigtimedwait retries after EINTR. */
    long raw = raw_syscall(SYS_rt_sigtimedwait, (long)&usr1, 0, (long)&bound, 8, 0, 0);
    EXPECT(raw == -EINTR && handled == 1, "interrupted wait: %ld, %d handled", raw, (int)handled);

    /* Refused. */
    EXPECT_ERRNO("sigsetsize 4",
                 raw_syscall(SYS_rt_sigtimedwait, (long)&usr1, 0, (long)&zero, 4, 0, 0), EINVAL);
    struct timespec bad = {0, 1000 * NS_PER_MS};
    EXPECT_ERRNO("tv_nsec 1e9",
                 raw_syscall(SYS_rt_sigtimedwait, (long)&usr1, 0, (long)&bad, 8, 0, 0), EINVAL);
    EXPECT_ERRNO("set in the kernel",
                 raw_syscall(SYS_rt_sigtimedwait, (long)KERNEL_ADDRESS, 0, (long)&zero, 8, 0, 0),
                 EFAULT);
    raise(SIGUSR1);
    EXPECT_ERRNO("info in the kernel",
                 raw_syscall(SYS_rt_sigtimedwait, (long)&usr1, (long)KERNEL_ADDRESS, (long)&zero,
                             8, 0, 0),
                 EFAULT);
    EXPECT(sigwaitinfo(&usr1, NULL) == SIGUSR1, "a bad info pointer lost the signal");
    (void)none;
    return 0;
}
