/*
 * Guest test: SHIM_PROFILE on a kernel booted without the `profile` word
 * (as the guest suite is) succeeds and writes a profile that is all zero
 * (enabled 0: no counter runs, no mark costs anything), and a bad output
 * pointer is EFAULT. The profiled path (counters that sum to the
 * counter's advance) is checked by the bench smoke test, which boots with
 * `profile` (bench/bench.py).
 */
#include "guest_test.h"
#include <shim/profile.h>

int main(void)
{
    test_name = "t_profile_off_reads_zero";
    struct shim_profile profile;
    memset(&profile, 0xa5, sizeof profile);
    long r = raw_syscall(SYS_shim_profile, (long)&profile, 0, 0, 0, 0, 0);
    EXPECT(r == 0, "SHIM_PROFILE gave %ld", r);
    EXPECT(profile.enabled == 0, "enabled is %lu without `profile`",
           (unsigned long)profile.enabled);
    EXPECT(profile.now == 0 && profile.marks == 0 && profile.mark_cost == 0,
           "now %lu, marks %lu, mark_cost %lu: not zero",
           (unsigned long)profile.now, (unsigned long)profile.marks,
           (unsigned long)profile.mark_cost);
    for (int i = 0; i < SHIM_PHASE_COUNT; i++) {
        EXPECT(profile.cycles[i] == 0, "phase %d counted %lu", i,
               (unsigned long)profile.cycles[i]);
    }
    EXPECT_ERRNO("unmapped output",
                 raw_syscall(SYS_shim_profile, UNMAPPED_ADDRESS, 0, 0, 0, 0, 0),
                 EFAULT);
    EXPECT_ERRNO("kernel output",
                 raw_syscall(SYS_shim_profile, KERNEL_ADDRESS, 0, 0, 0, 0, 0),
                 EFAULT);
    return 0;
}
