/*
 * Guest test: small calls unmodified programs make, through musl:
 * clock_getres (1 ns for every clock, a null result allowed, EINVAL for an
 * unknown clock), getgroups (no supplementary groups: 0, EINVAL for a
 * negative size), sched_rr_get_interval (one tick for SCHED_OTHER, ESRCH
 * for a missing pid, EFAULT for a bad pointer) and sync (succeeds). Each
 * was ENOSYS before.
 */
#include "guest_test.h"

#include <grp.h>
#include <sched.h>
#include <time.h>

#define MISSING_PID 30000
#define UNKNOWN_CLOCK 99
/* The scheduler's tick: a SCHED_OTHER process's slice. */
#define TICK_NS 1000000

int main(void)
{
    test_name = "t_clock_res_groups_rr_interval";
    static const clockid_t clocks[] = {CLOCK_REALTIME,           CLOCK_MONOTONIC,
                                       CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
                                       CLOCK_MONOTONIC_RAW,      CLOCK_REALTIME_COARSE,
                                       CLOCK_MONOTONIC_COARSE,   CLOCK_BOOTTIME};
    for (size_t i = 0; i < sizeof clocks / sizeof *clocks; i++) {
        struct timespec res = {-1, -1};
        EXPECT(clock_getres(clocks[i], &res) == 0, "clock_getres(%d): %s", (int)clocks[i],
               strerror(errno));
        EXPECT(res.tv_sec == 0 && res.tv_nsec == 1, "clock_getres(%d) = %ld.%09ld", (int)clocks[i],
               (long)res.tv_sec, res.tv_nsec);
    }
    EXPECT(clock_getres(CLOCK_MONOTONIC, NULL) == 0, "clock_getres(NULL): %s", strerror(errno));
    EXPECT(clock_getres(UNKNOWN_CLOCK, NULL) == -1 && errno == EINVAL,
           "an unknown clock not refused with EINVAL");

    gid_t groups[4];
    EXPECT(getgroups(4, groups) == 0, "getgroups: %s", strerror(errno));
    EXPECT(getgroups(0, NULL) == 0, "getgroups(0): %s", strerror(errno));
    EXPECT(raw_syscall(SYS_getgroups, -1, 0, 0, 0, 0, 0) == -EINVAL,
           "a negative size not refused with EINVAL");

    struct timespec slice = {-1, -1};
    EXPECT(sched_rr_get_interval(0, &slice) == 0, "sched_rr_get_interval: %s", strerror(errno));
    EXPECT(slice.tv_sec == 0 && slice.tv_nsec == TICK_NS, "SCHED_OTHER slice %ld.%09ld",
           (long)slice.tv_sec, slice.tv_nsec);
    EXPECT(sched_rr_get_interval(MISSING_PID, &slice) == -1 && errno == ESRCH,
           "a missing pid not refused with ESRCH");
    EXPECT(raw_syscall(SYS_sched_rr_get_interval, 0, (long)KERNEL_ADDRESS, 0, 0, 0, 0) == -EFAULT,
           "a kernel address not refused with EFAULT");

    sync();
    EXPECT(raw_syscall(SYS_sync, 0, 0, 0, 0, 0, 0) == 0, "sync failed");
    return 0;
}
