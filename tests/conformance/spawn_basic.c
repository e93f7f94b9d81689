/*
 * spawn_basic.c - checklist section C: posix_spawn and posix_spawnp return
 * values, the pid, failed images, exit statuses, PATH search, argv and
 * envp, and a signal sent right after the spawn.
 */
#include "conformance.h"

static void c24_pid_null(void)
{
    char *argv[] = {cf_self, "exit", "0", NULL};
    int rc = posix_spawn(NULL, cf_self, NULL, NULL, argv, environ);
    int status = -1;
    pid_t got = rc == 0 ? wait(&status) : -1;
    cf_check("C24", "spawn-pid-null", rc == 0 && got > 0 && cf_exited(status, 0),
             "returned %s, wait %d, %s", cf_errname(rc), (int)got,
             cf_status_text(status));
}

static void c25_pid_stored(void)
{
    struct cf_report r;
    char *file = cf_report_file();
    pid_t pid = -1;
    int rc = cf_spawn(&pid, NULL, NULL, "report", file, (char *)NULL);
    int status;
    pid_t got = rc == 0 ? waitpid(pid, &status, 0) : -1;
    int have = cf_report_read(file, &r);
    cf_check("C25", "spawn-stores-child-pid",
             rc == 0 && pid > 0 && got == pid && have &&
                 cf_rep_long(&r, "pid", -1) == pid,
             "returned %s, pid %d, waitpid %d, child getpid %ld",
             cf_errname(rc), (int)pid, (int)got, cf_rep_long(&r, "pid", -1));
    cf_check("C25b", "child-ppid-is-parent",
             have && cf_rep_long(&r, "ppid", -1) == getpid(),
             "child ppid %ld, parent %d", cf_rep_long(&r, "ppid", -1),
             (int)getpid());
}

static void c26_c27_missing(void)
{
    char *missing = cf_path("no-such-dir/no-such-program");
    char *argv[] = {missing, NULL};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, missing, NULL, NULL, argv, environ);
    int no_child = rc != 0 ? cf_no_children() : 0;
    struct cf_out o = cf_finish_spawn(rc, pid);
    if (rc == ENOENT && no_child)
        cf_ok("C26", "spawn-missing-path", "%s", cf_out_text(o));
    else if (rc == 0 && cf_exited(o.status, 127))
        cf_ok("C26", "spawn-missing-path", "%s", cf_out_text(o));
    else
        cf_fail("C26", "spawn-missing-path", "%s, no child left %d",
                cf_out_text(o), no_child);
    if (rc != 0)
        cf_check("C27", "failed-spawn-leaves-pid", pid == -1,
                 "pid became %d", (int)pid);
    else
        cf_ok("C27", "failed-spawn-leaves-pid",
              "not applicable: the spawn succeeded");
}

static void c28_no_fd_leak(void)
{
    int before = cf_count_fds();
    char *missing = cf_path("c28-missing");
    char *argv[] = {missing, NULL};
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/c28", O_RDONLY, 0);
    for (int i = 0; i < 5; i++) {
        pid_t pid;
        int rc = posix_spawn(&pid, missing, NULL, NULL, argv, environ);
        cf_finish_spawn(rc, pid);
        rc = posix_spawn(&pid, cf_self, &fa, NULL, argv, environ);
        cf_finish_spawn(rc, pid);
    }
    posix_spawn_file_actions_destroy(&fa);
    int after = cf_count_fds();
    cf_check("C28", "failed-spawn-leaks-no-fds", before == after,
             "%d descriptors before, %d after", before, after);
}

static void c29_zero_file(void)
{
    char *path = cf_path("zeros");
    char zeros[2048];
    memset(zeros, 0, sizeof zeros);
    if (cf_write_file(path, zeros, sizeof zeros, 0755) != 0) {
        cf_fail("C29", "spawn-file-of-zeros", "setup failed");
        return;
    }
    struct cf_out o = cf_run_at(path, 0, NULL, NULL, "x", (char *)NULL);
    cf_expect_failure("C29", "spawn-file-of-zeros", o, ENOEXEC);

    char *script = cf_path("noshebang");
    cf_write_str(script, "exit 3\n", 0755);
    o = cf_run_at(script, 0, NULL, NULL, "x", (char *)NULL);
    cf_expect_failure("C29b", "spawn-script-without-shebang", o, ENOEXEC);
}

static void c30_spawnp_script(void)
{
    char *dir = cf_path("c30");
    cf_mkdir(dir, 0755);
    char *script = cf_path("c30/cfscript");
    cf_write_str(script, "exit 3\n", 0755);
    cf_path_set(dir);
    struct cf_out o = cf_run_at("cfscript", 1, NULL, NULL, "x", (char *)NULL);
    cf_path_restore();
    /* glibc and musl: ENOEXEC; FreeBSD: runs it with /bin/sh (exit 3). */
    if (cf_out_is_failure(o, ENOEXEC) || (o.ret == 0 && cf_exited(o.status, 3)))
        cf_ok("C30", "spawnp-script-without-shebang", "%s", cf_out_text(o));
    else
        cf_fail("C30", "spawnp-script-without-shebang", "%s",
                cf_out_text(o));
}

static void c31_missing_interpreter(void)
{
    char *script = cf_path("badinterp");
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "#!%s/no-such-interpreter\nexit 0\n", cf_tmp);
    cf_write_str(script, text, 0755);
    struct cf_out o = cf_run_at(script, 0, NULL, NULL, "x", (char *)NULL);
    /* Linux and kernel-shim: ENOENT (the interpreter is missing; execve(2)). */
    if (cf_out_is_failure(o, ENOENT))
        cf_ok("C31", "spawn-script-missing-interpreter", "%s",
              cf_out_text(o));
    else
        cf_fail("C31", "spawn-script-missing-interpreter", "%s",
                cf_out_text(o));
}

/* C31b: a #! script runs its interpreter with the line's optional
 * argument, the script's path and argv[1..] (Linux execve(2)). The
 * interpreter is this program in "report" mode, whose report goes to its
 * argv[2]: the script's own path, which it overwrites. */
static void c31b_script_runs_interpreter(void)
{
    char *script = cf_path("shebang-report");
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "#!%s report\n", cf_self);
    cf_write_str(script, text, 0755);
    char *argv[] = {"ignored-argv0", "two words", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, script, NULL, NULL, argv, environ);
    struct cf_out o = cf_finish_spawn(rc, pid);
    struct cf_report r;
    int have = o.ret == 0 && cf_exited(o.status, 0) && cf_report_read(script, &r);
    char a0[PATH_MAX] = "", a2[PATH_MAX] = "", a3[64] = "";
    long argc = have ? cf_rep_long(&r, "argc", -1) : -1;
    if (have) {
        cf_rep_str(&r, "arg0", a0, sizeof a0);
        cf_rep_str(&r, "arg2", a2, sizeof a2);
        cf_rep_str(&r, "arg3", a3, sizeof a3);
    }
    int interpreter = strcmp(a0, cf_self) == 0, path = strcmp(a2, script) == 0;
    cf_check("C31b", "spawn-script-runs-interpreter",
             argc == 4 && interpreter && path && strcmp(a3, "two words") == 0,
             "%s argc %ld, argv[0] %s, argv[2] %s, argv[3] '%s'", cf_out_text(o), argc,
             interpreter ? "the interpreter" : "wrong", path ? "the script" : "wrong", a3);
}

/* C31c: a script whose interpreter may not be executed is EACCES. */
static void c31c_interpreter_not_executable(void)
{
    char *interpreter = cf_path("plain-interpreter");
    cf_write_str(interpreter, "not a program\n", 0644);
    char *script = cf_path("plain-interpreter-script");
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "#!%s\n", interpreter);
    cf_write_str(script, text, 0755);
    struct cf_out o = cf_run_at(script, 0, NULL, NULL, "x", (char *)NULL);
    cf_expect_failure("C31c", "spawn-script-interpreter-not-executable", o, EACCES);
}

/* C31d: five scripts in a chain of interpreters run, a sixth is ELOOP
 * (Linux's depth limit). The last interpreter is this program in "exit"
 * mode, which exits with atoi(argv[2]): 0 for a path. */
static void c31d_script_chain(void)
{
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "#!%s exit\n", cf_self);
    for (int depth = 1; depth <= 6; depth++) {
        char *script = cf_path("chain%d", depth);
        cf_write_str(script, text, 0755);
        snprintf(text, sizeof text, "#!%s\n", script);
    }
    struct cf_out o = cf_run_at(cf_path("chain5"), 0, NULL, NULL, "x", (char *)NULL);
    cf_check("C31d", "spawn-chain-of-five-scripts", o.ret == 0 && cf_exited(o.status, 0), "%s",
             cf_out_text(o));
    o = cf_run_at(cf_path("chain6"), 0, NULL, NULL, "x", (char *)NULL);
    cf_expect_failure("C31e", "spawn-chain-of-six-scripts-eloop", o, ELOOP);
}

static void c32_exit_codes(void)
{
    const char *ids[] = {"C32a", "C32b", "C32c"};
    const char *codes[] = {"0", "1", "7"};
    for (int i = 0; i < 3; i++) {
        struct cf_out o = cf_run(NULL, NULL, "exit", codes[i], (char *)NULL);
        char name[32];
        snprintf(name, sizeof name, "child-exit-code-%s", codes[i]);
        cf_check(ids[i], name, o.ret == 0 && cf_exited(o.status, atoi(codes[i])),
                 "%s", cf_out_text(o));
    }
}

static void c33_c34_spawnp_path(void)
{
    cf_path_set(cf_selfdir);
    struct cf_out o = cf_run_at(cf_selfbase, 1, NULL, NULL, "exit", "5",
                                (char *)NULL);
    cf_path_restore();
    cf_check("C33", "spawnp-finds-name-on-path",
             o.ret == 0 && cf_exited(o.status, 5), "%s", cf_out_text(o));

    /* The caller's PATH is searched, not the one in envp. */
    char *env_bad[] = {"PATH=/nonexistent-cf-dir", NULL};
    char *argv[] = {cf_selfbase, "exit", "6", NULL};
    pid_t pid = -1;
    cf_path_set(cf_selfdir);
    int rc = posix_spawnp(&pid, cf_selfbase, NULL, NULL, argv, env_bad);
    cf_path_restore();
    o = cf_finish_spawn(rc, pid);
    cf_check("C34", "spawnp-searches-caller-path-not-envp",
             o.ret == 0 && cf_exited(o.status, 6), "%s", cf_out_text(o));

    char envpath[PATH_MAX + 8];
    snprintf(envpath, sizeof envpath, "PATH=%s", cf_selfdir);
    char *env_good[] = {envpath, NULL};
    cf_path_set("/nonexistent-cf-dir");
    rc = posix_spawnp(&pid, cf_selfbase, NULL, NULL, argv, env_good);
    cf_path_restore();
    o = cf_finish_spawn(rc, pid);
    cf_expect_failure("C34b", "spawnp-ignores-envp-path", o, ENOENT);
}

static void c35_slash_is_path(void)
{
    const char *copy = cf_self_copy();
    if (copy == NULL) {
        cf_fail("C35", "spawnp-name-with-slash-is-a-path", "no copy");
        return;
    }
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "bin/%s", cf_selfbase);
    cf_path_set("/nonexistent-cf-dir");
    struct cf_out o = cf_run_at(rel, 1, NULL, NULL, "exit", "4", (char *)NULL);
    cf_path_restore();
    cf_check("C35", "spawnp-name-with-slash-is-a-path",
             o.ret == 0 && cf_exited(o.status, 4), "%s", cf_out_text(o));

    /* The same relative name from another directory is not looked up on
     * PATH, even though PATH/bin/NAME exists. */
    char *empty = cf_path("c35-empty");
    cf_mkdir(empty, 0755);
    cf_path_set(cf_tmp);
    int moved = chdir(empty) == 0;
    o = cf_run_at(rel, 1, NULL, NULL, "exit", "4", (char *)NULL);
    if (moved && chdir(cf_tmp) != 0)
        printf("note: cannot return to %s\n", cf_tmp);
    cf_path_restore();
    cf_expect_failure("C35b", "spawnp-name-with-slash-not-searched", o,
                      ENOENT);
}

static void c36_envp(void)
{
    char *env[] = {"answer=42", NULL};
    char *argv[] = {cf_self, "env", "answer", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, cf_self, NULL, NULL, argv, env);
    struct cf_out o = cf_finish_spawn(rc, pid);
    cf_check("C36", "envp-reaches-child", o.ret == 0 && cf_exited(o.status, 42),
             "%s", cf_out_text(o));

    char *file = cf_report_file();
    char *env2[] = {"CF_PROBE=hello world", NULL};
    char *argv2[] = {cf_self, "report", file, NULL};
    rc = posix_spawn(&pid, cf_self, NULL, NULL, argv2, env2);
    o = cf_finish_spawn(rc, pid);
    struct cf_report r;
    char probe[64] = "";
    int have = o.ret == 0 && cf_report_read(file, &r);
    cf_rep_str(&r, "probe", probe, sizeof probe);
    cf_check("C36b", "envp-is-the-whole-environment",
             have && cf_rep_long(&r, "nenv", -1) == 1 &&
                 strcmp(probe, "hello world") == 0,
             "%s, nenv %ld, probe %s", cf_out_text(o),
             cf_rep_long(&r, "nenv", -1), probe);

    file = cf_report_file();
    char *env3[] = {NULL};
    char *argv3[] = {cf_self, "report", file, NULL};
    rc = posix_spawn(&pid, cf_self, NULL, NULL, argv3, env3);
    o = cf_finish_spawn(rc, pid);
    have = o.ret == 0 && cf_report_read(file, &r);
    cf_check("C36c", "empty-envp", have && cf_rep_long(&r, "nenv", -1) == 0,
             "%s, nenv %ld", cf_out_text(o), cf_rep_long(&r, "nenv", -1));
}

static void c37_kill_after_spawn(void)
{
    int bad = 0;
    char detail[128] = "";
    for (int i = 0; i < 20 && !bad; i++) {
        int gate[2];
        if (cf_gate_pipe(gate) != 0) {
            bad = 1;
            snprintf(detail, sizeof detail, "pipe failed");
            break;
        }
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
        pid_t pid;
        int rc = cf_spawn(&pid, NULL, NULL, "gate", fdarg, (char *)NULL);
        if (rc == 0)
            kill(pid, SIGTERM);
        close(gate[0]);
        close(gate[1]);
        int status = rc == 0 ? cf_wait(pid) : -1;
        if (rc != 0 || !cf_killed(status, SIGTERM)) {
            bad = 1;
            snprintf(detail, sizeof detail, "round %d: returned %s, %s", i,
                     cf_errname(rc), cf_status_text(status));
        }
    }
    cf_check("C37", "sigterm-right-after-spawn-kills-child", !bad, "%s",
             detail);
}

static void c_argv(void)
{
    char *file = cf_report_file();
    char *argv[] = {"arbitrary-argv0", "report", file, "two words", "",
                    "x=y", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, cf_self, NULL, NULL, argv, environ);
    struct cf_out o = cf_finish_spawn(rc, pid);
    struct cf_report r;
    int have = o.ret == 0 && cf_report_read(file, &r);
    char a0[64] = "", a3[64] = "", a4[64] = "x", a5[64] = "";
    cf_rep_str(&r, "arg0", a0, sizeof a0);
    cf_rep_str(&r, "arg3", a3, sizeof a3);
    cf_rep_str(&r, "arg4", a4, sizeof a4);
    cf_rep_str(&r, "arg5", a5, sizeof a5);
    cf_check("C-argv", "argv-reaches-child-intact",
             have && cf_rep_long(&r, "argc", -1) == 6 &&
                 strcmp(a0, "arbitrary-argv0") == 0 &&
                 strcmp(a3, "two words") == 0 && a4[0] == 0 &&
                 strcmp(a5, "x=y") == 0,
             "%s argc %ld arg0 '%s' arg3 '%s' arg4 '%s' arg5 '%s'",
             cf_out_text(o), cf_rep_long(&r, "argc", -1), a0, a3, a4, a5);
}

static void c_not_executable(void)
{
    char *plain = cf_path("c-plain");
    if (cf_copy_file(cf_self, plain, 0644) != 0) {
        cf_fail("C-eacces", "spawn-non-executable-file", "setup failed");
        return;
    }
    struct cf_out o = cf_run_at(plain, 0, NULL, NULL, "exit", "0",
                                (char *)NULL);
    cf_expect_failure("C-eacces", "spawn-non-executable-file", o, EACCES);

    char *dir = cf_path("c-eacces-dir");
    cf_mkdir(dir, 0755);
    char *cand = cf_path("c-eacces-dir/%s", cf_selfbase);
    cf_copy_file(cf_self, cand, 0644);
    cf_path_set(dir);
    o = cf_run_at(cf_selfbase, 1, NULL, NULL, "exit", "0", (char *)NULL);
    cf_path_restore();
    cf_expect_failure("C-spawnp-eacces", "spawnp-only-candidate-not-executable",
                      o, EACCES);

    char both[2 * PATH_MAX + 2];
    snprintf(both, sizeof both, "%.4000s:%.4000s", dir, cf_selfdir);
    cf_path_set(both);
    o = cf_run_at(cf_selfbase, 1, NULL, NULL, "exit", "8", (char *)NULL);
    cf_path_restore();
    cf_check("C-spawnp-skip-eacces", "spawnp-skips-non-executable-candidate",
             o.ret == 0 && cf_exited(o.status, 8), "%s", cf_out_text(o));

    char *file = cf_path("c-regular");
    cf_write_str(file, "data", 0644);
    char *under = cf_path("c-regular/prog");
    o = cf_run_at(under, 0, NULL, NULL, "exit", "0", (char *)NULL);
    cf_expect_failure("C-enotdir", "spawn-path-through-regular-file", o,
                      ENOTDIR);

    o = cf_run_at(cf_tmp, 0, NULL, NULL, "exit", "0", (char *)NULL);
    cf_expect_failure("C-eisdir", "spawn-directory", o, EACCES);
}

static void c_many(void)
{
    int bad = 0;
    char detail[96] = "";
    for (int i = 0; i < 40 && !bad; i++) {
        struct cf_out o = cf_run(NULL, NULL, "exit", "3", (char *)NULL);
        if (o.ret != 0 || !cf_exited(o.status, 3)) {
            bad = 1;
            snprintf(detail, sizeof detail, "round %d: %s", i,
                     cf_out_text(o));
        }
    }
    cf_check("C-many", "forty-spawns-in-a-row", !bad && cf_no_children(),
             "%s", detail);
}

static void c_pid_null_failure(void)
{
    char *missing = cf_path("c-null-missing");
    char *argv[] = {missing, NULL};
    int rc = posix_spawn(NULL, missing, NULL, NULL, argv, environ);
    int status = -1;
    if (rc == 0)
        wait(&status);
    struct cf_out o = {rc, status, 0};
    cf_expect_failure("C-null-fail", "spawn-pid-null-missing-path", o, ENOENT);
}

int main(int argc, char **argv)
{
    cf_start(argc, argv, "spawn_basic", NULL);
    c24_pid_null();
    c25_pid_stored();
    c26_c27_missing();
    c28_no_fd_leak();
    c29_zero_file();
    c30_spawnp_script();
    c31_missing_interpreter();
    c31b_script_runs_interpreter();
    c31c_interpreter_not_executable();
    c31d_script_chain();
    c32_exit_codes();
    c33_c34_spawnp_path();
    c35_slash_is_path();
    c36_envp();
    c37_kill_after_spawn();
    c_argv();
    c_not_executable();
    c_many();
    c_pid_null_failure();
    return cf_end();
}
