/*
 * wait.c - wait and waitpid over wait4 (61) with no rusage.
 */
#include <sys/wait.h>

#include "syscall.h"

pid_t waitpid(pid_t pid, int *status, int options)
{
    return (pid_t)SYSCALL4(SYS_wait4, pid, status, options, 0);
}

pid_t wait(int *status)
{
    return waitpid(-1, status, 0);
}
