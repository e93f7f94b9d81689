/*
 * exit127_and_extensions.c - checklist section F (the exit-127 rule, and
 * the glibc-only extensions 87-89, skipped with reasons) and this
 * project's POSIX_SPAWN_NOWAIT_NP extension: by default a failure is
 * returned with *pid untouched and no zombie; with NOWAIT_NP posix_spawn
 * returns 0 at once and the failure shows as exit status 127.
 */
#include "conformance.h"

/* F86: every failure detected in the child is either returned or seen as
 * exit status 127, never as anything else. */
static void f86_exit127_rule(void)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t a;
    struct cf_out o;

    char *missing = cf_path("f86-missing");
    o = cf_run_at(missing, 0, NULL, NULL, "exit", "0", (char *)NULL);
    cf_expect_failure("F86a", "failure-missing-image", o, ENOENT);

    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/f86", O_RDONLY, 0);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("F86b", "failure-open-action", o, ENOENT);

    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "/nonexistent/f86");
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("F86c", "failure-chdir-action", o, ENOENT);

    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, cf_free_fd(100), 5);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("F86d", "failure-dup2-action", o, EBADF);

    /* A group in another session: setpgid fails with EPERM. */
    cf_attr_flags(&a, cf_setsid_flag());
    int gate[2];
    pid_t leader = -1;
    if (cf_gate_pipe(gate) == 0) {
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
        if (cf_spawn(&leader, NULL, &a, "gate", fdarg, (char *)NULL) != 0)
            leader = -1;
        close(gate[0]);
    }
    posix_spawnattr_destroy(&a);
    if (leader > 0) {
        cf_attr_flags(&a, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&a, leader);
        o = cf_run(NULL, &a, "exit", "0", (char *)NULL);
        posix_spawnattr_destroy(&a);
        cf_expect_failure("F86e", "failure-setpgid", o, EPERM);
        close(gate[1]);
        cf_wait(leader);
    } else {
        cf_fail("F86e", "failure-setpgid", "leader spawn failed");
    }

    char *zeros = cf_path("f86-zeros");
    char buf[512];
    memset(buf, 0, sizeof buf);
    cf_write_file(zeros, buf, sizeof buf, 0755);
    o = cf_run_at(zeros, 0, NULL, NULL, "exit", "0", (char *)NULL);
    cf_expect_failure("F86f", "failure-bad-image", o, ENOEXEC);
}

static void f87_to_f89_glibc_only(void)
{
    cf_skip("F87", "pidfd-spawn",
            "pidfd_spawn is a glibc 2.39 Linux extension; not in this "
            "project");
    cf_skip("F88", "setcgroup",
            "POSIX_SPAWN_SETCGROUP is a glibc 2.39 Linux extension (cgroup "
            "v2); not in this project");
    cf_need(CF_HAVE_ADDTCSETPGRP_NP, "posix_spawn_file_actions_addtcsetpgrp_np");
    cf_skip("F89", "addtcsetpgrp-np",
            "posix_spawn_file_actions_addtcsetpgrp_np needs a controlling "
            "terminal, which the suite does not set up");
}

/* Default mode: the error comes back, *pid is untouched, no zombie. */
static void x_default_mode(void)
{
    char *missing = cf_path("x-missing");
    char *argv[] = {missing, NULL};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, missing, NULL, NULL, argv, environ);
    int none = cf_no_children();
    cf_check("X-nowait-1", "default-mode-returns-error-no-zombie",
             rc == ENOENT && pid == -1 && none,
             "returned %s, pid %d, no child %d", cf_errname(rc), (int)pid,
             none);
    if (rc == 0)
        cf_wait(pid);

    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/x", O_RDONLY, 0);
    pid = -1;
    char *argv2[] = {cf_self, "exit", "0", NULL};
    rc = posix_spawn(&pid, cf_self, &fa, NULL, argv2, environ);
    posix_spawn_file_actions_destroy(&fa);
    none = cf_no_children();
    cf_check("X-nowait-1b", "default-mode-action-error-no-zombie",
             rc == ENOENT && pid == -1 && none,
             "returned %s, pid %d, no child %d", cf_errname(rc), (int)pid,
             none);
    if (rc == 0)
        cf_wait(pid);
}

static void x_nowait(void)
{
#ifndef POSIX_SPAWN_NOWAIT_NP
    static const char *const ids[][2] = {
        {"X-nowait-2", "nowait-missing-image-exit-127"},
        {"X-nowait-3", "nowait-success"},
        {"X-nowait-4", "nowait-action-failure-exit-127"},
        {"X-nowait-5", "nowait-pid-null-failure"},
        {"X-nowait-6", "nowait-flag-round-trip"},
    };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        cf_skip(ids[i][0], ids[i][1],
                "POSIX_SPAWN_NOWAIT_NP is this project's extension");
#else
    posix_spawnattr_t a;
    int rc = cf_attr_flags(&a, POSIX_SPAWN_NOWAIT_NP);
    short flags = 0;
    posix_spawnattr_getflags(&a, &flags);
    cf_check("X-nowait-6", "nowait-flag-round-trip",
             rc == 0 && flags == POSIX_SPAWN_NOWAIT_NP, "setflags %s flags %#x",
             cf_errname(rc), (unsigned)flags);

    char *missing = cf_path("x-nowait-missing");
    char *argv[] = {missing, NULL};
    pid_t pid = -1;
    rc = posix_spawn(&pid, missing, NULL, &a, argv, environ);
    int status = rc == 0 ? cf_wait(pid) : -1;
    cf_check("X-nowait-2", "nowait-missing-image-exit-127",
             rc == 0 && pid > 0 && cf_exited(status, 127),
             "returned %s, %s", cf_errname(rc), cf_status_text(status));

    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, &a);
    cf_check("X-nowait-3", "nowait-success",
             have && cf_rep_long(&r, "pid", -1) == o.pid, "%s",
             cf_out_text(o));

    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/x", O_RDONLY, 0);
    o = cf_run(&fa, &a, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("X-nowait-4", "nowait-action-failure-exit-127",
             o.ret == 0 && cf_exited(o.status, 127), "%s", cf_out_text(o));

    rc = posix_spawn(NULL, missing, NULL, &a, argv, environ);
    status = -1;
    pid_t got = rc == 0 ? wait(&status) : -1;
    cf_check("X-nowait-5", "nowait-pid-null-failure",
             rc == 0 && got > 0 && cf_exited(status, 127), "returned %s, %s",
             cf_errname(rc), cf_status_text(status));
    posix_spawnattr_destroy(&a);
#endif
}

int main(int argc, char **argv)
{
    cf_start(argc, argv, "exit127_and_extensions", NULL);
    f86_exit127_rule();
    f87_to_f89_glibc_only();
    x_default_mode();
    x_nowait();
    return cf_end();
}
