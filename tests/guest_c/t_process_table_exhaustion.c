/*
 * Guest test: spawning until the process table is full gives EAGAIN;
 * once every child is killed and reaped, the kernel's counters (free
 * frames, free process slots, open file descriptions) are back at their
 * baseline. Done twice, to catch a leak that only shows the second time.
 */
#include <signal.h>

#include "guest_test.h"

#define MAX_CHILDREN 256

static void fill_and_drain(int round)
{
    struct kstats before = kstats();
    pid_t children[MAX_CHILDREN];
    int count = 0, err;
    char *argv[] = {"/bin/sleeper", NULL};
    for (;;) {
        EXPECT(count < MAX_CHILDREN, "more than %d processes fit", MAX_CHILDREN);
        err = posix_spawn(&children[count], "/bin/sleeper", NULL, NULL, argv, environ);
        if (err != 0)
            break;
        count++;
    }
    EXPECT(err == EAGAIN, "round %d: spawn into a full table gave %s, expected EAGAIN", round,
           strerror(err));
    EXPECT(count > 0, "no child fitted at all");
    EXPECT(kstats().free_process_slots == 0, "the table is not full after EAGAIN");
    for (int i = 0; i < count; i++)
        EXPECT(kill(children[i], SIGKILL) == 0, "kill: %s", strerror(errno));
    for (int i = 0; i < count; i++) {
        int status;
        EXPECT(waitpid(children[i], &status, 0) == children[i], "waitpid: %s", strerror(errno));
        EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child status %#x", status);
    }
    expect_no_children("after reaping");
    expect_same_stats("after reaping every child", before);
}

int main(void)
{
    test_name = "t_process_table_exhaustion";
    fill_and_drain(1);
    fill_and_drain(2);
    return 0;
}
