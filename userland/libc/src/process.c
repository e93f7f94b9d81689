/*
 * process.c - process ids, process groups, sessions and user/group ids.
 *
 * getpgrp is getpgid(0). seteuid and setegid are setresuid and setresgid
 * with -1 for the real and saved ids, as on Linux.
 */
#include <errno.h>
#include <unistd.h>

#include "syscall.h"

pid_t getpid(void) { return (pid_t)__syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)__syscall0(SYS_getppid); }

pid_t getpgid(pid_t pid)
{
    return (pid_t)SYSCALL1(SYS_getpgid, pid);
}

pid_t getpgrp(void)
{
    return getpgid(0);
}

int setpgid(pid_t pid, pid_t pgid)
{
    return (int)SYSCALL2(SYS_setpgid, pid, pgid);
}

pid_t getsid(pid_t pid)
{
    return (pid_t)SYSCALL1(SYS_getsid, pid);
}

pid_t setsid(void)
{
    return (pid_t)SYSCALL0(SYS_setsid);
}

uid_t getuid(void) { return (uid_t)__syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)__syscall0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)__syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)__syscall0(SYS_getegid); }

int setuid(uid_t uid)
{
    return (int)SYSCALL1(SYS_setuid, uid);
}

int setgid(gid_t gid)
{
    return (int)SYSCALL1(SYS_setgid, gid);
}

int seteuid(uid_t uid)
{
    if (uid == (uid_t)-1) {
        errno = EINVAL;
        return -1;
    }
    return (int)SYSCALL3(SYS_setresuid, (uid_t)-1, uid, (uid_t)-1);
}

int setegid(gid_t gid)
{
    if (gid == (gid_t)-1) {
        errno = EINVAL;
        return -1;
    }
    return (int)SYSCALL3(SYS_setresgid, (gid_t)-1, gid, (gid_t)-1);
}
