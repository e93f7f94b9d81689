/*
 * child.c - the shell's children: starting a program with posix_spawn
 * (its descriptors from a struct fdmap, its process group and signals
 * from a struct job_attr), starting a child shell, capturing a command
 * substitution's output, waiting, and the background jobs `wait` knows.
 *
 * No fork: what only a shell can run (a built-in or function in a
 * pipeline or in the background, a subshell, a command substitution)
 * runs in a child shell: posix_spawn of /bin/sh -c TEXT, TEXT being the
 * command's source, with the positional parameters as arguments; the
 * options --preamble=COMMANDS (recreating the shell's unexported
 * variables and its functions), --status=N ($?) and --shell-pid=N ($$)
 * give it what a forked subshell would have inherited.
 *
 * A child shell is a separate process, so starting one needs nothing
 * above this file: command substitution (expand.c) calls down to
 * run_capture, not back into exec.c.
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The shell a child shell runs. */
#ifndef SHELL_PATH /* -D for a native build of the shell */
#define SHELL_PATH "/bin/sh"
#endif

/* ---- waiting and jobs */

int wait_status(int raw)
{
    if (WIFEXITED(raw))
        return WEXITSTATUS(raw);
    if (WIFSIGNALED(raw))
        return STATUS_SIGNAL_BASE + WTERMSIG(raw);
    return raw;
}

int wait_pid(pid_t pid)
{
    int raw;
    while (waitpid(pid, &raw, 0) < 0) {
        if (errno != EINTR) {
            sh_error("wait: %s", strerror(errno));
            return STATUS_NOT_FOUND;
        }
    }
    return wait_status(raw);
}

static pid_t *jobs;
static int njobs;

void jobs_add(pid_t pid)
{
    jobs = xrealloc(jobs, (njobs + 1) * sizeof *jobs);
    jobs[njobs++] = pid;
}

static void jobs_remove(int i)
{
    jobs[i] = jobs[--njobs];
}

int jobs_wait(pid_t pid)
{
    for (int i = 0; i < njobs; i++) {
        if (jobs[i] == pid) {
            jobs_remove(i);
            return wait_pid(pid);
        }
    }
    return STATUS_NOT_FOUND;
}

int jobs_wait_all(void)
{
    while (njobs > 0) {
        pid_t pid = jobs[njobs - 1];
        njobs--;
        wait_pid(pid);
    }
    return 0;
}

/* ---- spawning */

/* Spawns `path` with `argv` and `envp`, its descriptors from `fds`.
 * Returns the pid, or -1 with *status set (126, 127) after an sh: error
 * naming `name`. */
pid_t spawn_with(const char *path, const char *name, char **argv,
                 char **envp, struct fdmap *fds, const struct job_attr *ja,
                 int *status)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int scratch[LOGICAL_FDS], nscratch = 0;
    int err = posix_spawn_file_actions_init(&actions);
    if (err != 0) {
        sh_error("%s: %s", name, strerror(err));
        *status = STATUS_NOT_EXECUTABLE;
        return -1;
    }
    err = posix_spawnattr_init(&attr);
    if (err != 0) {
        posix_spawn_file_actions_destroy(&actions);
        sh_error("%s: %s", name, strerror(err));
        *status = STATUS_NOT_EXECUTABLE;
        return -1;
    }
    short flags = 0;
    if (ja->pgroup >= 0) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, ja->pgroup);
    }
    /* Signals the shell ignores stay ignored across posix_spawn; a
     * background job of a non-interactive shell ignores SIGINT and
     * SIGQUIT (XCU 2.11), which posix_spawn can only inherit: the shell
     * ignores them for the moment of the spawn. */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
    int ignoring = ja->background && !sh.interactive;
    if (ignoring) {
        sigemptyset(&ignore.sa_mask);
        sigaction(SIGINT, &ignore, &old_int);
        sigaction(SIGQUIT, &ignore, &old_quit);
    } else if (sh.interactive) {
        sigset_t def;
        sigemptyset(&def);
        sigaddset(&def, SIGINT);
        sigaddset(&def, SIGQUIT);
        sigaddset(&def, SIGTERM);
        posix_spawnattr_setsigdefault(&attr, &def);
        flags |= POSIX_SPAWN_SETSIGDEF;
    }
    posix_spawnattr_setflags(&attr, flags);
    err = fdmap_actions(fds, &actions, scratch, &nscratch);
    pid_t pid = -1;
    if (err == 0)
        err = posix_spawn(&pid, path, &actions, &attr, argv, envp);
    for (int i = 0; i < nscratch; i++)
        close(scratch[i]);
    if (ignoring) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (err == 0)
        return pid;
    if (err == ENOENT) {
        sh_error("%s: not found", name);
        *status = STATUS_NOT_FOUND;
    } else {
        sh_error("%s: %s", name, strerror(err));
        *status = STATUS_NOT_EXECUTABLE;
    }
    return -1;
}

/* A child shell running `text` (see the header comment); `args` are its
 * positional parameters (NULL: the shell's own), `env_extra` NAME=value
 * words added to its environment (may be NULL). */
pid_t spawn_shell(const char *text, struct strv *args,
                  struct strv *env_extra, struct fdmap *fds,
                  const struct job_attr *ja, int *status)
{
    struct buf preamble = {0};
    buf_adds(&preamble, PREAMBLE_OPTION);
    var_preamble(&preamble);
    func_preamble(&preamble);
    struct strv argv = {0};
    strv_add(&argv, xstrdup("sh"));
    strv_add(&argv, buf_take(&preamble));
    /* $? carries over, as it would into a forked subshell. */
    char status_option[sizeof STATUS_OPTION + NUMBER_BYTES];
    snprintf(status_option, sizeof status_option, STATUS_OPTION "%d", sh.status);
    strv_add(&argv, xstrdup(status_option));
    char pid_option[sizeof SHELL_PID_OPTION + NUMBER_BYTES];
    snprintf(pid_option, sizeof pid_option, SHELL_PID_OPTION "%ld", (long)sh.pid);
    strv_add(&argv, xstrdup(pid_option));
    if (sh.errexit && sh.no_errexit == 0)
        strv_add(&argv, xstrdup("-e"));
    strv_add(&argv, xstrdup("-c"));
    strv_add(&argv, xstrdup(text));
    strv_add(&argv, xstrdup(sh.arg0));
    struct strv *params = args ? args : &sh.params;
    for (int i = 0; i < params->n; i++)
        strv_add(&argv, xstrdup(params->v[i]));
    char **envp = var_environ(env_extra);
    pid_t pid = spawn_with(SHELL_PATH, "sh", argv.v, envp, fds, ja, status);
    for (int i = 0; i < argv.n; i++)
        free(argv.v[i]);
    free(argv.v);
    for (char **e = envp; *e; e++)
        free(*e);
    free(envp);
    return pid;
}

/* ---- command substitution */

char *run_capture(const char *text)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        sh_error("pipe: %s", strerror(errno));
        sh.subst_status = STATUS_SYNTAX;
        return xstrdup("");
    }
    pipefd[0] = fd_move_high(pipefd[0]);
    pipefd[1] = fd_move_high(pipefd[1]);
    struct fdmap fds;
    fdmap_copy(&fds, current_fds);
    fds.real[1] = pipefd[1];
    struct job_attr ja = {.background = 0, .pgroup = -1};
    int status = 0;
    pid_t pid = spawn_shell(text, NULL, NULL, &fds, &ja, &status);
    close(pipefd[1]);
    struct buf out = {0};
    char chunk[READ_CHUNK];
    for (;;) {
        ssize_t n = read(pipefd[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        buf_addn(&out, chunk, (size_t)n);
    }
    close(pipefd[0]);
    if (pid > 0)
        status = wait_pid(pid);
    sh.subst_status = status;
    return buf_take(&out);
}
