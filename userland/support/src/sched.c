/*
 * sched_setscheduler, sched_getscheduler, sched_setparam and
 * sched_getparam as system calls.
 *
 * musl's versions return ENOSYS without a system call, because on Linux
 * these calls act on one thread, not on the process POSIX describes. A
 * kernel-shim process has exactly one thread, so the calls mean what
 * POSIX says, and libspawn's POSIX_SPAWN_SETSCHEDULER and
 * POSIX_SPAWN_SETSCHEDPARAM (which the kernel applies in the child) can
 * be observed. Errors as sched_setscheduler(2): EINVAL, EPERM, ESRCH.
 * sched_setscheduler returns 0 on success, as on Linux (glibc and the
 * programs written for it expect that), not the former policy POSIX
 * describes.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

int sched_getscheduler(pid_t pid)
{
    return (int)syscall(SYS_sched_getscheduler, pid);
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
    return (int)syscall(SYS_sched_setscheduler, pid, policy, param);
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
    return (int)syscall(SYS_sched_getparam, pid, param);
}

int sched_setparam(pid_t pid, const struct sched_param *param)
{
    return (int)syscall(SYS_sched_setparam, pid, param);
}
