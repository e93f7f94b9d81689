/*
 * sched.h - scheduling policies (Linux numbers) and the sched_ calls.
 * Not provided: CPU affinity, sched_rr_get_interval.
 */
#ifndef _LIBC_SCHED_H
#define _LIBC_SCHED_H

#include <sys/_types.h>

#define SCHED_OTHER 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_RESET_ON_FORK 0x40000000

struct sched_param {
    int sched_priority;
};

int sched_setparam(pid_t pid, const struct sched_param *param);
int sched_getparam(pid_t pid, struct sched_param *param);
int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param);
int sched_getscheduler(pid_t pid);
int sched_get_priority_max(int policy);
int sched_get_priority_min(int policy);
int sched_yield(void);

#endif
