/*
 * Guest test: waitid (ENOSYS before): P_PID, P_PGID and P_ALL; the
 * siginfo_t of an exited child (CLD_EXITED, si_status its exit code,
 * si_pid, si_uid) and of a killed one (CLD_KILLED, the signal); WNOWAIT
 * leaves the child waitable; WNOHANG returns 0 with si_pid 0 while none
 * has exited; ECHILD with no child; EINVAL without WEXITED or for a bad
 * idtype. An alarm bounds the whole test: a wait that never ends kills
 * it (a failure, not a hang).
 */
#include "guest_test.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

/* The exit code of the child that exits. */
#define EXIT_CODE 42
/* Seconds the whole test may take. */
#define BOUND_S 20

static pid_t spawn_self(const char *self, const char *what)
{
    char *argv[] = {(char *)self, (char *)what, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, self, NULL, NULL, argv, environ);
    EXPECT(err == 0, "posix_spawn: %s", strerror(err));
    return pid;
}

int main(int argc, char **argv)
{
    test_name = "t_waitid";
    if (argc > 1 && strcmp(argv[1], "exit") == 0)
        return EXIT_CODE;
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        for (;;)
            pause();
    }
    alarm(BOUND_S);
    siginfo_t info;

    /* An exit, seen first with WNOWAIT, then reaped. */
    pid_t child = spawn_self(argv[0], "exit");
    memset(&info, 0xff, sizeof info);
    EXPECT(waitid(P_PID, child, &info, WEXITED | WNOWAIT) == 0, "waitid WNOWAIT: %s",
           strerror(errno));
    EXPECT(info.si_signo == SIGCHLD && info.si_code == CLD_EXITED && info.si_pid == child &&
               info.si_status == EXIT_CODE && info.si_uid == getuid(),
           "siginfo: signo %d code %d pid %d status %d uid %d", info.si_signo, info.si_code,
           (int)info.si_pid, info.si_status, (int)info.si_uid);
    memset(&info, 0, sizeof info);
    EXPECT(waitid(P_PGID, getpgrp(), &info, WEXITED) == 0, "waitid P_PGID: %s", strerror(errno));
    EXPECT(info.si_pid == child && info.si_status == EXIT_CODE, "reaping: pid %d status %d",
           (int)info.si_pid, info.si_status);
    EXPECT(waitid(P_ALL, 0, &info, WEXITED) == -1 && errno == ECHILD, "no child: not ECHILD");

    /* A child still running: WNOHANG gives 0 and si_pid 0; then killed. */
    child = spawn_self(argv[0], "wait");
    memset(&info, 0xff, sizeof info);
    EXPECT(waitid(P_ALL, 0, &info, WEXITED | WNOHANG) == 0, "WNOHANG: %s", strerror(errno));
    EXPECT(info.si_pid == 0, "WNOHANG with nothing exited: si_pid %d", (int)info.si_pid);
    EXPECT(kill(child, SIGTERM) == 0, "kill: %s", strerror(errno));
    EXPECT(waitid(P_ALL, 0, &info, WEXITED) == 0, "waitid P_ALL: %s", strerror(errno));
    EXPECT(info.si_code == CLD_KILLED && info.si_status == SIGTERM && info.si_pid == child,
           "killed child: code %d status %d pid %d", info.si_code, info.si_status,
           (int)info.si_pid);

    /* Refused. */
    EXPECT_ERRNO("no WEXITED", raw_syscall(SYS_waitid, P_ALL, 0, (long)&info, WNOHANG, 0, 0), EINVAL);
    EXPECT_ERRNO("idtype 9", raw_syscall(SYS_waitid, 9, 0, (long)&info, WEXITED, 0, 0), EINVAL);
    EXPECT_ERRNO("P_PID 0", raw_syscall(SYS_waitid, P_PID, 0, (long)&info, WEXITED, 0, 0), EINVAL);
    EXPECT_ERRNO("no children", raw_syscall(SYS_waitid, P_ALL, 0, (long)&info, WEXITED, 0, 0),
                 ECHILD);
    return 0;
}
