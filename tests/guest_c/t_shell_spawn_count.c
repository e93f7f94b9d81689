/*
 * Guest test: /bin/sh never forks; a pipeline of N commands costs exactly
 * N spawns (the kernel's spawn counter, KernelStats::spawns), whether its
 * commands are programs or built-ins (a built-in in a pipeline runs in a
 * child shell: one spawn too), and `sh -c` itself one more.
 */
#include "guest_test.h"

#include <sched.h>

/* Spawns of the shell's own start. */
#define SHELL_SPAWN 1
/* Yields that let init finish spawning this test (see main). */
#define SETTLE_YIELDS 4

static uint64_t spawns_of(const char *command)
{
    uint64_t before = kstats().spawns;
    int status = run_status("/bin/sh", "-c", command, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "sh -c \"%s\": status %#x", command,
           status);
    return kstats().spawns - before;
}

static void expect_spawns(const char *command, uint64_t commands)
{
    uint64_t n = spawns_of(command);
    EXPECT(n == SHELL_SPAWN + commands, "sh -c \"%s\" cost %lu spawns, not %lu", command,
           (unsigned long)n, (unsigned long)(SHELL_SPAWN + commands));
}

int main(void)
{
    test_name = "t_shell_spawn_count";
    /* The counter counts a spawn when the call returns to its caller:
     * init's spawn of this test returns only once init runs again after
     * this test started. Yielding lets it, so that it is not counted in
     * the first case. */
    for (int i = 0; i < SETTLE_YIELDS; i++)
        sched_yield();
    expect_spawns("/bin/true", 1);
    expect_spawns("/bin/true | /bin/true", 2);
    expect_spawns("/bin/true | /bin/true | /bin/true", 3);
    expect_spawns("/bin/echo x | /bin/cat | /bin/cat | /bin/cat | /bin/cat > /dev/null", 5);
    expect_spawns("echo built-in | /bin/cat > /dev/null", 2);
    expect_spawns("true | true | true", 3);
    expect_spawns("true", 0);
    expect_no_children("after the pipelines");
    return 0;
}
