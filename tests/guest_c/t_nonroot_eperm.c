/*
 * Guest test: a process without privilege gets EPERM for SCHED_FIFO (by
 * sched_setscheduler, and as a spawn attribute), for setpgid into a group
 * of another session, and for setuid/seteuid/setresuid to another user.
 * The same calls succeed as root first (the control), where they can.
 */
#include <sched.h>

#include "guest_test.h"

#define USER 1000
#define OTHER_USER 2000
#define INIT_GROUP 1

int main(void)
{
    test_name = "t_nonroot_eperm";
    /* Control: root may use SCHED_FIFO. */
    struct sched_param param = {.sched_priority = 1};
    EXPECT(sched_setscheduler(0, SCHED_FIFO, &param) == 0, "root SCHED_FIFO: %s", strerror(errno));
    param.sched_priority = 0;
    EXPECT(sched_setscheduler(0, SCHED_OTHER, &param) == 0, "back to SCHED_OTHER");
    /* A session of our own: init's group 1 is now in another session. */
    EXPECT(setsid() == getpid(), "setsid: %s", strerror(errno));
    EXPECT(getsid(1) != getsid(0), "init is in this session");

    EXPECT(sys_setresgid(USER, USER, USER) == 0, "setresgid: %s", strerror(errno));
    EXPECT(sys_setresuid(USER, USER, USER) == 0, "setresuid: %s", strerror(errno));

    param.sched_priority = 1;
    EXPECT(sched_setscheduler(0, SCHED_FIFO, &param) == -1 && errno == EPERM,
           "non-root SCHED_FIFO: expected EPERM, got %s", strerror(errno));
    EXPECT(sched_setscheduler(0, SCHED_RR, &param) == -1 && errno == EPERM,
           "non-root SCHED_RR: expected EPERM");
    EXPECT(sched_getscheduler(0) == SCHED_OTHER, "the policy changed");

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSCHEDULER);
    posix_spawnattr_setschedpolicy(&attr, SCHED_FIFO);
    posix_spawnattr_setschedparam(&attr, &param);
    char *argv[] = {"/bin/hello", NULL};
    pid_t pid = 0;
    int err = posix_spawn(&pid, "/bin/hello", NULL, &attr, argv, environ);
    EXPECT(err == EPERM, "non-root spawn with SCHED_FIFO: %s, expected EPERM", strerror(err));
    expect_no_children("after the refused spawn");
    posix_spawnattr_destroy(&attr);

    EXPECT(setpgid(0, INIT_GROUP) == -1 && errno == EPERM,
           "setpgid into another session's group: expected EPERM, got %s", strerror(errno));
    EXPECT(setuid(OTHER_USER) == -1 && errno == EPERM, "setuid(other): expected EPERM");
    EXPECT(seteuid(OTHER_USER) == -1 && errno == EPERM, "seteuid(other): expected EPERM");
    EXPECT(sys_setresuid(-1, OTHER_USER, -1) == -1 && errno == EPERM, "setresuid(other): expected EPERM");
    EXPECT(setuid(0) == -1 && errno == EPERM, "setuid(0): expected EPERM");
    EXPECT(setgid(0) == -1 && errno == EPERM, "setgid(0): expected EPERM");
    EXPECT(getuid() == USER && geteuid() == USER, "ids changed");
    /* Setting one's own id is allowed. */
    EXPECT(setuid(USER) == 0, "setuid(self): %s", strerror(errno));
    return 0;
}
