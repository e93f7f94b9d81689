/*
 * sched.c - sched_setparam (142), sched_getparam (143),
 * sched_setscheduler (144), sched_getscheduler (145),
 * sched_get_priority_max (146), sched_get_priority_min (147),
 * sched_yield (24).
 */
#include <sched.h>

#include "syscall.h"

int sched_setparam(pid_t pid, const struct sched_param *param)
{
    return (int)SYSCALL2(SYS_sched_setparam, pid, param);
}

int sched_getparam(pid_t pid, struct sched_param *param)
{
    return (int)SYSCALL2(SYS_sched_getparam, pid, param);
}

int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param)
{
    return (int)SYSCALL3(SYS_sched_setscheduler, pid, policy, param);
}

int sched_getscheduler(pid_t pid)
{
    return (int)SYSCALL1(SYS_sched_getscheduler, pid);
}

int sched_get_priority_max(int policy)
{
    return (int)SYSCALL1(SYS_sched_get_priority_max, policy);
}

int sched_get_priority_min(int policy)
{
    return (int)SYSCALL1(SYS_sched_get_priority_min, policy);
}

int sched_yield(void)
{
    return (int)SYSCALL0(SYS_sched_yield);
}
