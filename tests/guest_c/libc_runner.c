/*
 * libc_runner.c - runs one of the guest C library's tests inside the guest.
 *
 * tests/libc/NAME.c is installed as /bin/libc_NAME and this runner as
 * /bin/t_libc_NAME; the runner takes NAME from its own argv[0], so init's
 * plain `test` protocol (a test passes iff it exits 0) runs the library's
 * tests like any other guest test. It gives the test what the native
 * runner (tests/libc_native.py, _run_test_binary and _run_modes) gives it:
 *
 * - a fresh working directory /tmp/libc-NAME, also its TMPDIR;
 * - the environment TMPDIR=..., LIBC_TEST_ENV=present, PATH=/bin;
 * - standard output and error captured through a pipe.
 *
 * The test passes iff it exits 0 with its summary line
 * "libc-test: N passed, 0 failed", and every "mode NAME exit|signal N
 * [STDOUT]" it lists ends that way when run again with argument NAME (with
 * exactly that standard output when given). FAIL lines and, for a failed
 * run, the whole output are copied to standard error; "= ..." lines (the
 * comparison with glibc, which the native runner does) are ignored.
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "guest_test.h"

#define RUNNER_PREFIX "t_libc_"
#define TEST_PREFIX "/bin/libc_"
#define WORK_DIR_PREFIX "/tmp/libc-"
#define SUMMARY "libc-test: "
#define MAX_OUTPUT (1 << 20)

extern char **environ;

struct run {
    int status;
    char *output;
    size_t len;
};

/* Runs `path` (with `mode` as argv[1] if given) in `dir`; captures output. */
static struct run run_test(const char *path, const char *mode, char *const env[])
{
    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    posix_spawn_file_actions_addclose(&actions, fds[1]);
    char *argv[] = {(char *)path, (char *)mode, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, path, &actions, NULL, argv, env);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    EXPECT(err == 0, "spawning %s: %s", path, strerror(err));
    struct run run = {0, malloc(MAX_OUTPUT + 1), 0};
    EXPECT(run.output != NULL, "out of memory");
    for (;;) {
        ssize_t n = read(fds[0], run.output + run.len, MAX_OUTPUT - run.len);
        if (n < 0 && errno == EINTR)
            continue;
        EXPECT(n >= 0, "reading %s's output: %s", path, strerror(errno));
        if (n == 0 || run.len + (size_t)n == MAX_OUTPUT) {
            run.len += (size_t)n;
            break;
        }
        run.len += (size_t)n;
    }
    run.output[run.len] = '\0';
    close(fds[0]);
    EXPECT(waitpid(pid, &run.status, 0) == pid, "waitpid: %s", strerror(errno));
    return run;
}

static void show_failures(const char *name, const struct run *run, int whole)
{
    if (whole) {
        fprintf(stderr, "--- output of %s ---\n%s--- end ---\n", name, run->output);
        return;
    }
    for (char *line = run->output; *line;) {
        char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (strncmp(line, "FAIL", 4) == 0)
            fprintf(stderr, "%s: %.*s\n", name, (int)len, line);
        line += len + (end ? 1 : 0);
    }
}

/* Checks the "mode NAME exit|signal N [STDOUT]" lines; returns failures. */
static int run_modes(const char *path, const char *output, char *const env[])
{
    int failures = 0;
    for (const char *line = output; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512];
        if (len < sizeof buf && strncmp(line, "mode ", 5) == 0) {
            memcpy(buf, line, len);
            buf[len] = '\0';
            char *mode = buf + 5;
            char *kind = strchr(mode, ' ');
            char *number = kind ? strchr(kind + 1, ' ') : NULL;
            if (!number) {
                fprintf(stderr, "%s: malformed mode line: %s\n", test_name, buf);
                failures++;
                goto next;
            }
            *kind++ = '\0';
            *number++ = '\0';
            char *want_stdout = strchr(number, ' ');
            if (want_stdout)
                *want_stdout++ = '\0';
            int want = atoi(number);
            struct run run = run_test(path, mode, env);
            int ok = strcmp(kind, "exit") == 0
                         ? WIFEXITED(run.status) && WEXITSTATUS(run.status) == want
                         : WIFSIGNALED(run.status) && WTERMSIG(run.status) == want;
            if (ok && want_stdout)
                ok = strcmp(run.output, want_stdout) == 0;
            if (!ok) {
                fprintf(stderr, "%s: FAIL mode %s: status %#x, want %s %d, output [%s]\n",
                        test_name, mode, run.status, kind, want, run.output);
                failures++;
            }
            free(run.output);
        }
    next:
        line += len + (end ? 1 : 0);
    }
    return failures;
}

int main(int argc, char **argv)
{
    (void)argc;
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    test_name = self;
    EXPECT(strncmp(self, RUNNER_PREFIX, strlen(RUNNER_PREFIX)) == 0,
           "must be installed as /bin/" RUNNER_PREFIX "NAME");
    const char *name = self + strlen(RUNNER_PREFIX);
    char path[256], dir[256], tmpdir_var[300];
    snprintf(path, sizeof path, "%s%s", TEST_PREFIX, name);
    snprintf(dir, sizeof dir, "%s%s", WORK_DIR_PREFIX, name);
    snprintf(tmpdir_var, sizeof tmpdir_var, "TMPDIR=%s", dir);
    EXPECT(mkdir(dir, 0700) == 0 || errno == EEXIST, "mkdir %s: %s", dir, strerror(errno));
    EXPECT(chdir(dir) == 0, "chdir %s: %s", dir, strerror(errno));
    char *env[] = {tmpdir_var, "LIBC_TEST_ENV=present", "PATH=/bin", NULL};

    struct run run = run_test(path, NULL, env);
    const char *summary = strstr(run.output, SUMMARY);
    int passed = 0, failed = -1;
    if (summary) {
        char *rest;
        passed = (int)strtol(summary + strlen(SUMMARY), &rest, 10);
        if (strncmp(rest, " passed, ", 9) == 0)
            failed = (int)strtol(rest + 9, NULL, 10);
    }
    int ok = WIFEXITED(run.status) && WEXITSTATUS(run.status) == 0 && failed == 0;
    show_failures(name, &run, !ok && failed <= 0);
    int mode_failures = run_modes(path, run.output, env);
    if (!ok || mode_failures)
        FAIL("status %#x, %d passed, %d failed, %d mode failures", run.status,
             passed, failed, mode_failures);
    printf("%s: %d checks passed\n", name, passed);
    return 0;
}
