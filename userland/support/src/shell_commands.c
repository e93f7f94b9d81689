/*
 * system(), popen() and pclose() over libspawn's posix_spawn and /bin/sh
 * (userland/sh, a shell that itself runs every command with posix_spawn).
 *
 * musl's own system.o and popen.o must not be linked into a guest program:
 * they call posix_spawn with musl's spawn objects (80 bytes), which
 * libspawn's functions would overrun (docs/porting.md). These take their
 * place, built on libspawn's objects, as POSIX describes them:
 *
 * - system(NULL) returns nonzero when /bin/sh is executable, else 0.
 * - system(cmd) runs `sh -c cmd` with SIGINT and SIGQUIT ignored and
 *   SIGCHLD blocked in the caller while it waits (the child gets the
 *   caller's dispositions and mask back through SETSIGDEF and
 *   SETSIGMASK); it returns the shell's wait status, that of a shell that
 *   exited with 127 when /bin/sh cannot be executed, or -1 with errno when
 *   no child could be created (EAGAIN, ENOMEM, ...).
 * - popen(cmd, mode) runs `sh -c cmd` with its standard output ("r") or
 *   input ("w") on a pipe whose other end is the returned stream ("e":
 *   close-on-exec); the streams of earlier popen calls still open are
 *   closed in the new child (addclose actions), as POSIX requires. EINVAL
 *   for another mode, EMFILE past POPEN_MAX open streams.
 * - pclose(stream) closes the stream, then waits for exactly its child
 *   (waitpid on its pid, retried on EINTR) and returns its wait status;
 *   -1 with ECHILD for a stream popen did not return.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The command language interpreter POSIX names. */
#define SHELL_PATH "/bin/sh"
/* The status of a child that exited with 127: the interpreter could not
 * be executed. */
#define SHELL_NOT_RUN_STATUS (127 << 8)
/* Streams popen may have open at once (FOPEN_MAX is only a minimum). */
#define POPEN_MAX 32

/* Whether a spawn error means the interpreter could not be executed
 * (rather than that no child could be created). */
static int interpreter_missing(int err)
{
    return err == ENOENT || err == EACCES || err == ENOEXEC ||
           err == ENOTDIR || err == ELOOP || err == ENAMETOOLONG;
}

int system(const char *command)
{
    if (command == NULL)
        return access(SHELL_PATH, X_OK) == 0;

    /* POSIX: SIGINT and SIGQUIT ignored and SIGCHLD blocked in the caller
     * while the command runs; the child gets them back. */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, old_int, old_quit;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &old_int);
    sigaction(SIGQUIT, &ignore, &old_quit);
    sigset_t chld, old_mask;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old_mask);

    posix_spawnattr_t attr;
    int status = -1;
    int err = posix_spawnattr_init(&attr);
    if (err == 0) {
        sigset_t reset;
        sigemptyset(&reset);
        if (old_int.sa_handler != SIG_IGN)
            sigaddset(&reset, SIGINT);
        if (old_quit.sa_handler != SIG_IGN)
            sigaddset(&reset, SIGQUIT);
        posix_spawnattr_setsigdefault(&attr, &reset);
        posix_spawnattr_setsigmask(&attr, &old_mask);
        posix_spawnattr_setflags(&attr,
                                 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
        char *argv[] = {"sh", "-c", (char *)command, NULL};
        pid_t pid;
        err = posix_spawn(&pid, SHELL_PATH, NULL, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
        if (err == 0) {
            while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR) {
                    err = errno;
                    status = -1;
                    break;
                }
            }
        } else if (interpreter_missing(err)) {
            status = SHELL_NOT_RUN_STATUS;
            err = 0;
        }
    }

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    if (err != 0)
        errno = err;
    return status;
}

/* The streams popen returned and not yet closed, with their children. */
static struct {
    FILE *stream;
    pid_t pid;
} open_pipes[POPEN_MAX];

FILE *popen(const char *command, const char *mode)
{
    int reading = mode[0] == 'r';
    int cloexec = strchr(mode, 'e') != NULL;
    if ((mode[0] != 'r' && mode[0] != 'w') ||
        strspn(mode + 1, "e") != strlen(mode + 1)) {
        errno = EINVAL;
        return NULL;
    }
    int slot = 0;
    while (slot < POPEN_MAX && open_pipes[slot].stream != NULL)
        slot++;
    if (slot == POPEN_MAX) {
        errno = EMFILE;
        return NULL;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return NULL;
    /* The parent keeps one end; the child gets the other as 0 or 1. */
    int ours = reading ? fds[0] : fds[1];
    int theirs = reading ? fds[1] : fds[0];
    int target = reading ? STDOUT_FILENO : STDIN_FILENO;

    posix_spawn_file_actions_t actions;
    int err = posix_spawn_file_actions_init(&actions);
    if (err == 0) {
        /* POSIX: streams of earlier popen calls are closed in the child. */
        for (int i = 0; i < POPEN_MAX && err == 0; i++)
            if (open_pipes[i].stream != NULL)
                err = posix_spawn_file_actions_addclose(
                    &actions, fileno(open_pipes[i].stream));
        if (err == 0)
            err = posix_spawn_file_actions_adddup2(&actions, theirs, target);
        pid_t pid;
        if (err == 0) {
            char *argv[] = {"sh", "-c", (char *)command, NULL};
            err = posix_spawn(&pid, SHELL_PATH, &actions, NULL, argv, environ);
        }
        posix_spawn_file_actions_destroy(&actions);
        if (err == 0) {
            close(theirs);
            if (!cloexec)
                fcntl(ours, F_SETFD, 0);
            FILE *stream = fdopen(ours, reading ? "r" : "w");
            if (stream != NULL) {
                open_pipes[slot].stream = stream;
                open_pipes[slot].pid = pid;
                return stream;
            }
            err = errno;
            close(ours);
            waitpid(pid, NULL, 0);
            errno = err;
            return NULL;
        }
    }
    close(fds[0]);
    close(fds[1]);
    errno = err;
    return NULL;
}

int pclose(FILE *stream)
{
    int slot = 0;
    while (slot < POPEN_MAX && open_pipes[slot].stream != stream)
        slot++;
    if (stream == NULL || slot == POPEN_MAX) {
        errno = ECHILD;
        return -1;
    }
    pid_t pid = open_pipes[slot].pid;
    open_pipes[slot].stream = NULL;
    fclose(stream);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}
