/*
 * Guest test: getpriority and setpriority (ENOSYS before), and musl's
 * nice() over them: the nice value starts at 0, is clamped to -20..19,
 * is inherited by a posix_spawn child and kept across execve; the raw
 * getpriority returns 20 - nice; root may lower it, another user may
 * only raise its own (EACCES) and may not touch root's processes
 * (EPERM); unknown `which` is EINVAL, a missing process ESRCH.
 */
#include "guest_test.h"

#include <sys/resource.h>
#include <sys/wait.h>

/* getpriority's raw bias (the call returns BIAS - nice). */
#define BIAS 20
/* The nice value the parent gives itself before spawning. */
#define SPAWN_NICE 7
/* The user id the test drops to. */
#define USER_ID 1000

/* Exits with the nice value plus BIAS (0..39). */
static int report(void)
{
    errno = 0;
    int nice_value = getpriority(PRIO_PROCESS, 0);
    if (errno)
        return 100;
    return nice_value + BIAS;
}

int main(int argc, char **argv)
{
    test_name = "t_priority_nice";
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return report();
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        char *args[] = {argv[0], "report", NULL};
        execve(argv[0], args, environ);
        return 101;
    }

    /* Root may set any value; 0 whatever the test inherited. */
    EXPECT(setpriority(PRIO_PROCESS, 0, 0) == 0, "setpriority(0): %s", strerror(errno));
    errno = 0;
    EXPECT(getpriority(PRIO_PROCESS, 0) == 0 && errno == 0, "nice value 0");
    EXPECT(raw_syscall(SYS_getpriority, PRIO_PROCESS, 0, 0, 0, 0, 0) == BIAS,
           "raw getpriority is not 20 - nice");
    EXPECT(nice(3) == 3, "nice(3): %s", strerror(errno));
    EXPECT(getpriority(PRIO_PROCESS, getpid()) == 3, "getpriority by pid");
    EXPECT(raw_syscall(SYS_getpriority, PRIO_PROCESS, 0, 0, 0, 0, 0) == BIAS - 3,
           "raw getpriority after nice(3)");
    EXPECT(setpriority(PRIO_PROCESS, 0, 100) == 0, "setpriority(100): %s", strerror(errno));
    EXPECT(getpriority(PRIO_PROCESS, 0) == 19, "not clamped to 19");
    EXPECT(setpriority(PRIO_PROCESS, 0, -100) == 0, "root lowering: %s", strerror(errno));
    EXPECT(getpriority(PRIO_PROCESS, 0) == -20, "not clamped to -20");
    (void)setpgid(0, 0); /* its own group, so PRIO_PGRP reaches only itself */
    EXPECT(setpriority(PRIO_PGRP, 0, 0) == 0, "PRIO_PGRP: %s", strerror(errno));
    EXPECT(getpriority(PRIO_PROCESS, 0) == 0, "PRIO_PGRP did not reach the caller");

    /* Inherited by a spawned child, kept across execve. */
    EXPECT(setpriority(PRIO_PROCESS, 0, SPAWN_NICE) == 0, "setpriority: %s", strerror(errno));
    int status = run_status(argv[0], "report", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == SPAWN_NICE + BIAS,
           "spawned child's nice value: status %#x", status);
    status = run_status(argv[0], "exec", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == SPAWN_NICE + BIAS,
           "nice value after execve: status %#x", status);

    /* Refused for anyone. */
    EXPECT(setpriority(3, 0, 0) == -1 && errno == EINVAL, "which 3 not EINVAL");
    EXPECT(getpriority(PRIO_PROCESS, 0x7ffffff0) == -1 && errno == ESRCH,
           "a missing pid not ESRCH");

    /* Another user: may raise its own, not lower it nor touch init's. */
    EXPECT(sys_setresuid(USER_ID, USER_ID, USER_ID) == 0, "setresuid: %s", strerror(errno));
    EXPECT(setpriority(PRIO_PROCESS, 0, SPAWN_NICE - 1) == -1 && errno == EACCES,
           "lowering without root not EACCES");
    EXPECT(getpriority(PRIO_PROCESS, 0) == SPAWN_NICE, "a refused change changed it");
    EXPECT(setpriority(PRIO_PROCESS, 0, SPAWN_NICE + 1) == 0, "raising: %s", strerror(errno));
    EXPECT(setpriority(PRIO_PROCESS, 1, 10) == -1 && errno == EPERM, "init's not EPERM");
    errno = 0;
    int init_nice = getpriority(PRIO_PROCESS, 1);
    EXPECT(errno == 0 && init_nice >= -20 && init_nice <= 19, "reading init's nice value");
    EXPECT(getpriority(PRIO_USER, 0) == SPAWN_NICE + 1, "PRIO_USER of the caller's uid");
    return 0;
}
