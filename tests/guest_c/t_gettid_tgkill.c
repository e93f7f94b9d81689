/*
 * Guest test: gettid is the pid (one thread per process); tkill and
 * tgkill signal that one thread (musl's raise uses them): the handler
 * runs before the call returns; a thread group that is not the thread's
 * is ESRCH, a missing thread ESRCH, a bad id or signal EINVAL, another
 * user's process EPERM, signal 0 only checks.
 */
#include "guest_test.h"

#include <signal.h>

#define MISSING_PID 30000
#define OTHER_UID 1000

static volatile sig_atomic_t caught;

static void on_usr1(int sig)
{
    (void)sig;
    caught++;
}

int main(void)
{
    test_name = "t_gettid_tgkill";
    long pid = getpid();
    EXPECT(raw_syscall(SYS_gettid, 0, 0, 0, 0, 0, 0) == pid, "gettid is not the pid %ld", pid);

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    EXPECT(sigaction(SIGUSR1, &action, NULL) == 0, "sigaction: %s", strerror(errno));

    EXPECT(raw_syscall(SYS_tgkill, pid, pid, SIGUSR1, 0, 0, 0) == 0, "tgkill of itself failed");
    EXPECT(caught == 1, "tgkill: the handler ran %d times", (int)caught);
    EXPECT(raw_syscall(SYS_tkill, pid, SIGUSR1, 0, 0, 0, 0) == 0, "tkill of itself failed");
    EXPECT(caught == 2, "tkill: the handler ran %d times", (int)caught);
    EXPECT(raw_syscall(SYS_tgkill, pid, pid, 0, 0, 0, 0) == 0, "tgkill with signal 0 failed");
    EXPECT(caught == 2, "signal 0 ran the handler");

    long parent = getppid();
    EXPECT_ERRNO("tgkill with another thread group", raw_syscall(SYS_tgkill, parent, pid, SIGUSR1, 0, 0, 0),
                 ESRCH);
    EXPECT_ERRNO("tkill of a missing thread", raw_syscall(SYS_tkill, MISSING_PID, SIGUSR1, 0, 0, 0, 0),
                 ESRCH);
    EXPECT_ERRNO("tgkill with tgid 0", raw_syscall(SYS_tgkill, 0, pid, SIGUSR1, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("tkill of tid 0", raw_syscall(SYS_tkill, 0, SIGUSR1, 0, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("tkill of tid -1", raw_syscall(SYS_tkill, -1, SIGUSR1, 0, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("tkill with signal 65", raw_syscall(SYS_tkill, pid, 65, 0, 0, 0, 0), EINVAL);
    EXPECT(caught == 2, "a failed call ran the handler");

    /* As another user, init (root) may not be signalled. */
    EXPECT(raw_syscall(SYS_setresuid, OTHER_UID, OTHER_UID, OTHER_UID, 0, 0, 0) == 0, "setresuid failed");
    EXPECT_ERRNO("tkill of init as a user", raw_syscall(SYS_tkill, 1, SIGUSR1, 0, 0, 0, 0), EPERM);
    EXPECT_ERRNO("tgkill of init as a user", raw_syscall(SYS_tgkill, 1, 1, 0, 0, 0, 0), EPERM);
    return 0;
}
