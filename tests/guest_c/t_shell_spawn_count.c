/*
 * Guest test: /bin/sh never forks; a pipeline of N commands costs exactly
 * N spawns (the kernel's spawn counter, KernelStats::spawns), whether its
 * commands are programs or built-ins (a built-in in a pipeline runs in a
 * child shell: one spawn too), and `sh -c` itself one more.
 */
#include "guest_test.h"

/* Spawns of the shell's own start. */
#define SHELL_SPAWN 1

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
    /* The kernel counts a spawn when it creates the child, so init's
     * spawn of this test was counted before this test ran. */
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
