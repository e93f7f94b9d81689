/*
 * Guest test: getrlimit/setrlimit/prlimit64 as Linux documents them.
 * RLIMIT_NOFILE starts at the descriptor table's capacity (1024 soft and
 * hard), RLIMIT_STACK at the 8 MiB the stack can grow to, the limits not
 * enforced at RLIM_INFINITY. A lowered RLIMIT_NOFILE is enforced (open
 * and dup EMFILE, dup2 onto it EBADF, F_DUPFD from it EINVAL) and a
 * spawned child inherits it. Soft above hard is EINVAL, an unknown
 * resource EINVAL, NOFILE above 1024 EPERM, a missing pid ESRCH, raising
 * a hard limit as a user EPERM, another user's process EPERM.
 */
#include "guest_test.h"

#include <sys/resource.h>

#define STACK_LIMIT (8UL << 20)
#define TABLE_CAPACITY 1024UL
#define LOW_NOFILE 10UL
#define MISSING_PID 30000
#define OTHER_UID 1000

struct k_rlimit {
    unsigned long cur, max;
};

static struct k_rlimit get(int resource)
{
    struct k_rlimit limit;
    long r = raw_syscall(SYS_getrlimit, resource, (long)&limit, 0, 0, 0, 0);
    EXPECT(r == 0, "getrlimit(%d): %ld", resource, r);
    return limit;
}

static long set(int resource, unsigned long cur, unsigned long max)
{
    struct k_rlimit limit = {cur, max};
    return raw_syscall(SYS_setrlimit, resource, (long)&limit, 0, 0, 0, 0);
}

/* The spawned child: its limit must be the parent's lowered one. */
static int child(void)
{
    struct k_rlimit nofile = get(RLIMIT_NOFILE);
    EXPECT(nofile.cur == LOW_NOFILE, "child: NOFILE soft %lu, expected %lu", nofile.cur, LOW_NOFILE);
    EXPECT(dup2(0, LOW_NOFILE) == -1 && errno == EBADF, "child: dup2 above the limit worked");
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_rlimit_nofile_enforced";
    if (argc > 1)
        return child();
    struct k_rlimit nofile = get(RLIMIT_NOFILE);
    EXPECT(nofile.cur == TABLE_CAPACITY && nofile.max == TABLE_CAPACITY, "NOFILE %lu/%lu", nofile.cur,
           nofile.max);
    struct k_rlimit stack = get(RLIMIT_STACK);
    EXPECT(stack.cur == STACK_LIMIT && stack.max == STACK_LIMIT, "STACK %lu/%lu", stack.cur, stack.max);
    struct k_rlimit as = get(RLIMIT_AS);
    EXPECT(as.cur == RLIM_INFINITY && as.max == RLIM_INFINITY, "AS %lu/%lu", as.cur, as.max);

    EXPECT_ERRNO("unknown resource", raw_syscall(SYS_getrlimit, RLIM_NLIMITS, (long)&nofile, 0, 0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("soft above hard", set(RLIMIT_CORE, 10, 5), EINVAL);
    EXPECT_ERRNO("NOFILE above the table", set(RLIMIT_NOFILE, TABLE_CAPACITY, TABLE_CAPACITY + 1), EPERM);
    EXPECT_ERRNO("bad pointer", raw_syscall(SYS_getrlimit, RLIMIT_CORE, UNMAPPED_ADDRESS, 0, 0, 0, 0), EFAULT);
    EXPECT_ERRNO("prlimit64 of a missing pid",
                 raw_syscall(SYS_prlimit64, MISSING_PID, RLIMIT_CORE, 0, (long)&nofile, 0, 0), ESRCH);

    /* prlimit64 sets and returns the old limit at once. */
    struct k_rlimit new_core = {0, 4096}, old_core;
    EXPECT(raw_syscall(SYS_prlimit64, 0, RLIMIT_CORE, (long)&new_core, (long)&old_core, 0, 0) == 0,
           "prlimit64 set failed");
    EXPECT(old_core.cur == RLIM_INFINITY, "prlimit64 old CORE %lu", old_core.cur);
    EXPECT(get(RLIMIT_CORE).max == 4096, "CORE hard limit not set");

    /* Enforcement of a lowered NOFILE. */
    EXPECT(set(RLIMIT_NOFILE, LOW_NOFILE, TABLE_CAPACITY) == 0, "lowering NOFILE failed");
    int opened = 0;
    while (open("/dev/null", O_RDONLY) >= 0)
        opened++;
    EXPECT(errno == EMFILE, "open past the limit: %s", strerror(errno));
    EXPECT(open_fd_count() == (int)LOW_NOFILE, "%d descriptors open, limit %lu", open_fd_count(), LOW_NOFILE);
    EXPECT(dup(0) == -1 && errno == EMFILE, "dup past the limit");
    EXPECT(dup2(0, LOW_NOFILE) == -1 && errno == EBADF, "dup2 onto the limit");
    EXPECT(fcntl(0, F_DUPFD, LOW_NOFILE) == -1 && errno == EINVAL, "F_DUPFD from the limit");
    for (int fd = 3; fd < (int)LOW_NOFILE; fd++)
        close(fd);
    int status = run_status(argv[0], "child", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child saw other limits (status %#x)", status);
    EXPECT(set(RLIMIT_NOFILE, TABLE_CAPACITY, TABLE_CAPACITY) == 0, "raising the soft limit failed");
    EXPECT(dup2(0, LOW_NOFILE) == (int)LOW_NOFILE, "dup2 after raising the limit: %s", strerror(errno));
    close(LOW_NOFILE);

    /* As a user: the hard limit only goes down; init is another user's. */
    EXPECT(raw_syscall(SYS_setresuid, OTHER_UID, OTHER_UID, OTHER_UID, 0, 0, 0) == 0, "setresuid failed");
    EXPECT(set(RLIMIT_NOFILE, 100, 512) == 0, "lowering the hard limit as a user failed");
    EXPECT_ERRNO("raising the hard limit as a user", set(RLIMIT_NOFILE, 100, 513), EPERM);
    EXPECT_ERRNO("prlimit64 of init as a user", raw_syscall(SYS_prlimit64, 1, RLIMIT_CORE, 0, (long)&nofile, 0, 0),
                 EPERM);
    return 0;
}
