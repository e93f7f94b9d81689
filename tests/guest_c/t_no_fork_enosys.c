/*
 * Guest test: clone, fork, vfork and futex fail with ENOSYS (no fork and
 * no threads, by design: processes come from posix_spawn), and the
 * process carries on unharmed: nothing was created, spawning still works.
 */
#include "guest_test.h"

/* clone's flags for a fork (SIGCHLD as the exit signal). */
#define CLONE_FORK_FLAGS 17
/* futex ops. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1

int main(void)
{
    test_name = "t_no_fork_enosys";
    struct kstats before = kstats();
    EXPECT_ERRNO("fork", raw_syscall(SYS_fork, 0, 0, 0, 0, 0, 0), ENOSYS);
    EXPECT_ERRNO("vfork", raw_syscall(SYS_vfork, 0, 0, 0, 0, 0, 0), ENOSYS);
    EXPECT_ERRNO("clone", raw_syscall(SYS_clone, CLONE_FORK_FLAGS, 0, 0, 0, 0, 0), ENOSYS);
    int word = 0;
    EXPECT_ERRNO("futex wait", raw_syscall(SYS_futex, (long)&word, FUTEX_WAIT, 0, 0, 0, 0), ENOSYS);
    EXPECT_ERRNO("futex wake", raw_syscall(SYS_futex, (long)&word, FUTEX_WAKE, 1, 0, 0, 0), ENOSYS);
    expect_no_children("after fork, vfork and clone");
    EXPECT(kstats().free_process_slots == before.free_process_slots, "a process slot was taken");
    int status = run_status("/bin/true", NULL, NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "/bin/true after fork: status %#x", status);
    return 0;
}
