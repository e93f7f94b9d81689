/* signals.c - signal sets, handlers that run and return (the restorer and
 * rt_sigreturn path), masks, pending signals, SA_ flags, SIG_IGN, kill. */
#include "check.h"

#include <signal.h>
#include <unistd.h>

static volatile sig_atomic_t hits, last_sig, blocked_inside, nested_hits;
static volatile int info_signo, info_code, info_pid;

static void on_signal(int sig)
{
    sigset_t now;
    hits++;
    last_sig = sig;
    sigprocmask(SIG_BLOCK, NULL, &now);
    blocked_inside = sigismember(&now, sig);
}

static void on_info(int sig, siginfo_t *info, void *context)
{
    (void)context;
    hits++;
    info_signo = info->si_signo;
    info_code = info->si_code;
    info_pid = info->si_pid;
    last_sig = sig;
}

static void on_usr2(int sig)
{
    (void)sig;
    nested_hits++;
}

static void raises_usr2(int sig)
{
    (void)sig;
    hits++;
    raise(SIGUSR2);
    /* SIGUSR2's handler has run and returned before raise returned. */
    blocked_inside = nested_hits;
}

static void on_float(int sig)
{
    /* Clobbers SSE registers; the interrupted code must not notice. */
    volatile double x = sig;
    for (int i = 0; i < 10; i++)
        x = x * 1.5 + 0.25;
    last_sig = (sig_atomic_t)x;
}

static int install(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    return sigaction(sig, &sa, NULL);
}

static void test_sets(void)
{
    sigset_t s;

    CHECK_INT("sigemptyset", sigemptyset(&s), 0);
    CHECK_INT("empty-has-none", sigismember(&s, SIGINT), 0);
    CHECK_INT("sigaddset", sigaddset(&s, SIGINT), 0);
    CHECK_INT("sigismember", sigismember(&s, SIGINT), 1);
    CHECK_INT("other-not-member", sigismember(&s, SIGTERM), 0);
    sigaddset(&s, SIGRTMAX);
    CHECK_INT("sigaddset-64", sigismember(&s, 64), 1);
    CHECK_INT("sigdelset", sigdelset(&s, SIGINT), 0);
    CHECK_INT("sigdelset-applied", sigismember(&s, SIGINT), 0);
    CHECK_INT("sigfillset", sigfillset(&s), 0);
    CHECK("filled-has-all-standard", sigismember(&s, 1) == 1 &&
                                         sigismember(&s, SIGKILL) == 1 &&
                                         sigismember(&s, 31) == 1 &&
                                         sigismember(&s, SIGRTMIN) == 1 &&
                                         sigismember(&s, 64) == 1);
    CHECK_ERR("sigaddset-zero", sigaddset(&s, 0), EINVAL);
    CHECK_ERR("sigaddset-65", sigaddset(&s, 65), EINVAL);
    CHECK_ERR("sigismember-negative", sigismember(&s, -1), EINVAL);
    CHECK("sigset-size", sizeof(sigset_t) >= 8);
}

static void test_handlers(void)
{
    hits = 0;
    CHECK_INT("sigaction-install", install(SIGUSR1, on_signal, 0), 0);
    CHECK_INT("raise-returns", raise(SIGUSR1), 0);
    CHECK_INT("handler-ran", hits, 1);
    CHECK_INT("handler-got-signal", last_sig, SIGUSR1);
    CHECK_INT("signal-blocked-in-handler", blocked_inside, 1);
    CHECK_INT("kill-self", kill(getpid(), SIGUSR1), 0);
    CHECK_INT("handler-ran-again", hits, 2);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    CHECK_INT("mask-restored-after-handler", sigismember(&now, SIGUSR1), 0);

    struct sigaction old;
    CHECK("sigaction-query", sigaction(SIGUSR1, NULL, &old) == 0 &&
                                 old.sa_handler == on_signal);

    install(SIGUSR1, on_signal, SA_NODEFER);
    raise(SIGUSR1);
    CHECK_INT("nodefer-not-blocked", blocked_inside, 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_info;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    CHECK_INT("sigaction-siginfo", sigaction(SIGUSR2, &sa, NULL), 0);
    hits = 0;
    kill(getpid(), SIGUSR2);
    CHECK_INT("siginfo-handler-ran", hits, 1);
    CHECK_INT("siginfo-signo", info_signo, SIGUSR2);
    CHECK_INT("siginfo-code-user", info_code, SI_USER);
    CHECK_INT("siginfo-pid", info_pid, getpid());
    CHECK("siginfo-flag-kept", sigaction(SIGUSR2, NULL, &old) == 0 &&
                                   (old.sa_flags & SA_SIGINFO));

    install(SIGUSR1, on_signal, SA_RESETHAND);
    hits = 0;
    raise(SIGUSR1);
    CHECK_INT("resethand-ran", hits, 1);
    CHECK("resethand-reset", sigaction(SIGUSR1, NULL, &old) == 0 &&
                                 old.sa_handler == SIG_DFL);

    install(SIGUSR1, raises_usr2, 0);
    install(SIGUSR2, on_usr2, 0);
    hits = nested_hits = 0;
    raise(SIGUSR1);
    CHECK("nested-handlers", hits == 1 && nested_hits == 1 &&
                                 blocked_inside == 1);

    install(SIGUSR1, on_float, 0);
    volatile double before = 1.0 / 3.0;
    double keep = before * 3.0;
    raise(SIGUSR1);
    CHECK("sse-state-preserved", keep == before * 3.0 && last_sig != 0);

    /* The handler's mask: SIGUSR2 in sa_mask is blocked while it runs. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    install(SIGUSR2, on_usr2, 0);
    raise(SIGUSR1);
    CHECK_INT("sa-mask-handler-ran", last_sig, SIGUSR1);
}

static void test_masks(void)
{
    sigset_t set, old, pending;

    install(SIGUSR1, on_signal, 0);
    hits = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK_INT("sigprocmask-block", sigprocmask(SIG_BLOCK, &set, &old), 0);
    CHECK_INT("old-mask-without", sigismember(&old, SIGUSR1), 0);
    raise(SIGUSR1);
    CHECK_INT("blocked-not-delivered", hits, 0);
    CHECK_INT("sigpending", sigpending(&pending), 0);
    CHECK_INT("pending-has-signal", sigismember(&pending, SIGUSR1), 1);
    CHECK_INT("unblock", sigprocmask(SIG_UNBLOCK, &set, &old), 0);
    CHECK_INT("delivered-on-unblock", hits, 1);
    CHECK_INT("old-mask-with", sigismember(&old, SIGUSR1), 1);
    sigpending(&pending);
    CHECK_INT("pending-cleared", sigismember(&pending, SIGUSR1), 0);

    sigprocmask(SIG_SETMASK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &old);
    CHECK_INT("setmask", sigismember(&old, SIGUSR1), 1);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    sigprocmask(SIG_SETMASK, NULL, &old);
    CHECK("kill-stop-never-blocked", sigismember(&old, SIGKILL) == 0 &&
                                         sigismember(&old, SIGSTOP) == 0 &&
                                         sigismember(&old, SIGTERM) == 1);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    CHECK_ERR("sigprocmask-bad-how", sigprocmask(12345, &set, NULL), EINVAL);

    /* sigsuspend: a blocked pending signal is taken while suspended. */
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    hits = 0;
    raise(SIGUSR1);
    sigset_t wait_mask;
    sigemptyset(&wait_mask);
    CHECK_ERR("sigsuspend", sigsuspend(&wait_mask), EINTR);
    CHECK_INT("sigsuspend-ran-handler", hits, 1);
    sigprocmask(SIG_SETMASK, NULL, &old);
    CHECK_INT("sigsuspend-restores-mask", sigismember(&old, SIGUSR1), 1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void test_ignore_and_errors(void)
{
    CHECK("signal-ignore", signal(SIGUSR1, SIG_IGN) != SIG_ERR);
    CHECK_INT("ignored-raise-survives", raise(SIGUSR1), 0);
    CHECK("signal-returns-previous", signal(SIGUSR1, SIG_DFL) == SIG_IGN);
    signal(SIGCHLD, SIG_DFL);
    CHECK_INT("default-ignored-chld", raise(SIGCHLD), 0);
    CHECK("signal-bad", signal(SIGKILL, on_signal) == SIG_ERR &&
                            errno == EINVAL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    CHECK_ERR("sigaction-kill", sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERR("sigaction-stop", sigaction(SIGSTOP, &sa, NULL), EINVAL);
    CHECK_ERR("sigaction-zero", sigaction(0, &sa, NULL), EINVAL);
    CHECK_ERR("sigaction-65", sigaction(65, &sa, NULL), EINVAL);
    CHECK_INT("kill-zero-probe", kill(getpid(), 0), 0);
    CHECK_ERR("kill-bad-signal", kill(getpid(), 65), EINVAL);
    CHECK_ERR("kill-no-such-process", kill(0x3ffffff0, 0), ESRCH);
    CHECK_ERR("killpg-negative", killpg(-5, SIGUSR1), EINVAL);
}

int main(void)
{
    test_sets();
    test_handlers();
    test_masks();
    test_ignore_and_errors();
    return DONE();
}
