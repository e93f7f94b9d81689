/*
 * Guest test: select, pselect and ppoll (each ENOSYS before) through
 * musl. select leaves only ready descriptors in its sets and counts them
 * (an empty pipe's read end is not ready, a pipe with data or without
 * writers is, a write end with room is), waits for its timeout and
 * writes the time left back (raw call), is ended by a signal (EINTR),
 * refuses a closed descriptor (EBADF) and a negative count (EINVAL).
 * poll(NULL, 0, ms) sleeps (it was EFAULT at once).
 * pselect and ppoll wait with the mask they are given (a pending blocked
 * signal is delivered during the wait: EINTR, its handler ran) and the
 * caller's mask is back afterwards; ppoll refuses a mask size other than
 * 8 (EINVAL).
 */
#include "guest_test.h"

#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>
#include <time.h>

/* The wait of the timeout cases, and how early the clock may say it
 * ended (the clock and the timer tick differ by up to a tick). */
#define WAIT_US 30000
#define EARLY_SLACK_NS 2000000L
/* The descriptor used as "not open". */
#define CLOSED_FD 900

static volatile sig_atomic_t usr1_caught, alrm_caught;

static void on_usr1(int sig)
{
    (void)sig;
    usr1_caught++;
}

static void on_alrm(int sig)
{
    (void)sig;
    alrm_caught++;
}

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Whether SIGUSR1 is blocked in the caller's mask. */
static int usr1_blocked(void)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, SIGUSR1);
}

static void check_select(void)
{
    int p[2];
    EXPECT(pipe(p) == 0, "pipe: %s", strerror(errno));
    fd_set r, w;
    struct timeval zero = {0, 0};

    FD_ZERO(&r);
    FD_SET(p[0], &r);
    EXPECT(select(p[0] + 1, &r, NULL, NULL, &zero) == 0, "empty pipe readable");
    EXPECT(!FD_ISSET(p[0], &r), "an unready descriptor left in the read set");

    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    int n = select(p[1] + 1, &r, &w, NULL, &zero);
    EXPECT(n == 1 && !FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w),
           "empty pipe: select gave %d, read %d write %d (want 1: the write end)", n,
           FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));

    EXPECT(write(p[1], "x", 1) == 1, "write: %s", strerror(errno));
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    n = select(p[1] + 1, &r, &w, NULL, NULL);
    EXPECT(n == 2 && FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w),
           "pipe with data: select gave %d (want 2)", n);

    /* A timeout with nothing ready: waited for, time left written back
     * (the raw call; musl passes a copy). */
    char byte;
    EXPECT(read(p[0], &byte, 1) == 1, "read: %s", strerror(errno));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {0, WAIT_US};
    long start = now_ns();
    long raw = raw_syscall(SYS_select, p[0] + 1, (long)&r, 0, 0, (long)&tv, 0);
    long waited = now_ns() - start;
    EXPECT(raw == 0, "select with a timeout gave %ld", raw);
    EXPECT(waited >= WAIT_US * 1000L - EARLY_SLACK_NS, "select waited %ld ns, not %d us", waited,
           WAIT_US);
    EXPECT(tv.tv_sec == 0 && tv.tv_usec == 0, "time left %ld.%06ld, not 0", (long)tv.tv_sec,
           (long)tv.tv_usec);

    /* A signal ends the wait. */
    struct itimerval soon = {{0, 0}, {0, WAIT_US}};
    EXPECT(setitimer(ITIMER_REAL, &soon, NULL) == 0, "setitimer: %s", strerror(errno));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    n = select(p[0] + 1, &r, NULL, NULL, NULL);
    EXPECT(n == -1 && errno == EINTR && alrm_caught == 1,
           "select during SIGALRM: %d (%s), %d caught", n, strerror(errno), (int)alrm_caught);

    /* End of file is readable. */
    close(p[1]);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    EXPECT(select(p[0] + 1, &r, NULL, NULL, &zero) == 1 && FD_ISSET(p[0], &r),
           "a pipe without writers is not readable");

    FD_ZERO(&r);
    FD_SET(CLOSED_FD, &r);
    EXPECT(select(CLOSED_FD + 1, &r, NULL, NULL, &zero) == -1 && errno == EBADF,
           "a closed descriptor not refused with EBADF");
    EXPECT(raw_syscall(SYS_select, -1, 0, 0, 0, (long)&zero, 0) == -EINVAL,
           "a negative count not refused with EINVAL");
    EXPECT(raw_syscall(SYS_select, p[0] + 1, (long)KERNEL_ADDRESS, 0, 0, (long)&zero, 0) == -EFAULT,
           "a kernel address as a set not refused with EFAULT");
    close(p[0]);
}

static void check_masks(void)
{
    /* SIGUSR1 blocked and pending: pselect and ppoll with an empty mask
     * let it in (EINTR, handler ran); the block is back afterwards. */
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0, "sigprocmask: %s", strerror(errno));

    raise(SIGUSR1);
    EXPECT(usr1_caught == 0, "SIGUSR1 delivered while blocked");
    struct timespec long_wait = {5, 0};
    int n = pselect(0, NULL, NULL, NULL, &long_wait, &empty);
    EXPECT(n == -1 && errno == EINTR, "pselect with SIGUSR1 let in: %d (%s)", n, strerror(errno));
    EXPECT(usr1_caught == 1, "handler ran %d times during pselect", (int)usr1_caught);
    EXPECT(usr1_blocked(), "SIGUSR1 not blocked again after pselect");

    raise(SIGUSR1);
    n = ppoll(NULL, 0, &long_wait, &empty);
    EXPECT(n == -1 && errno == EINTR, "ppoll with SIGUSR1 let in: %d (%s)", n, strerror(errno));
    EXPECT(usr1_caught == 2, "handler ran %d times in all", (int)usr1_caught);
    EXPECT(usr1_blocked(), "SIGUSR1 not blocked again after ppoll");

    /* Without a mask, a blocked pending signal does not end the wait. */
    raise(SIGUSR1);
    struct timespec short_wait = {0, WAIT_US * 1000L};
    EXPECT(ppoll(NULL, 0, &short_wait, NULL) == 0, "ppoll without a mask did not time out");
    EXPECT(usr1_caught == 2, "SIGUSR1 delivered while blocked (ppoll without a mask)");
    EXPECT(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0, "unblock: %s", strerror(errno));
    EXPECT(usr1_caught == 3, "the pending SIGUSR1 not delivered once unblocked");

    long start = now_ns();
    EXPECT(poll(NULL, 0, WAIT_US / 1000) == 0, "poll(NULL, 0): %s", strerror(errno));
    EXPECT(now_ns() - start >= WAIT_US * 1000L - EARLY_SLACK_NS, "poll(NULL, 0) did not sleep");

    int p[2];
    EXPECT(pipe(p) == 0, "pipe: %s", strerror(errno));
    struct pollfd entry = {p[1], POLLOUT, 0};
    struct timespec zero = {0, 0};
    EXPECT(ppoll(&entry, 1, &zero, NULL) == 1 && (entry.revents & POLLOUT),
           "ppoll: a pipe's write end not writable");
    EXPECT(raw_syscall(SYS_ppoll, (long)&entry, 1, (long)&zero, (long)&empty, 4, 0) == -EINVAL,
           "ppoll with a 4-byte mask not refused with EINVAL");
    struct timespec bad = {0, 1000000000L};
    EXPECT(raw_syscall(SYS_ppoll, (long)&entry, 1, (long)&bad, 0, 8, 0) == -EINVAL,
           "ppoll with tv_nsec = 1e9 not refused with EINVAL");
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    test_name = "t_select_ppoll_readiness";
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
    sa.sa_handler = on_alrm;
    EXPECT(sigaction(SIGALRM, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
    check_select();
    check_masks();
    return 0;
}
