/*
 * Guest test: execve(2) as Linux documents it, in an unmodified static
 * musl program (built as a static executable and as a static PIE by
 * tools/guest_musl.py).
 *
 * 1. Failures leave the image running: a missing file is ENOENT, a file in
 *    no known format (/bin/not_elf) ENOEXEC, a script whose interpreter is
 *    missing ENOENT; state set up before them is unchanged.
 * 2. The program then execs itself ("--after"), which checks what the new
 *    image kept: same pid, the descriptor without FD_CLOEXEC open, the one
 *    with it closed, the caught signal back to SIG_DFL, the ignored one
 *    still ignored, the mask and the pending signal kept.
 * 3. That image execs the script /bin/script_execve (tools/fixtures.py),
 *    whose interpreter is t_musl_execve_static with "--from-script": it
 *    checks its argv (interpreter, optional argument, script path,
 *    argv[1..]).
 * 4. That image runs t_musl_execve_static once more with fexecve (musl:
 *    execveat with AT_EMPTY_PATH), "--fexecve", which checks that
 *    AT_EXECFN names the descriptor (/dev/fd/N, as Linux) and ends the
 *    chain with the test's status. Before that, execveat's failures:
 *    an unknown flag (EINVAL), a file that may not be executed (EACCES).
 *
 * Each failed check writes a line with write(2) (musl's stdio may need
 * writev) and the status is the number of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int failures;

static void check(int ok, const char *what)
{
    if (ok)
        return;
    failures++;
    write(2, "t_musl_execve: FAILED ", 22);
    write(2, what, strlen(what));
    write(2, "\n", 1);
}

static void on_signal(int signal)
{
    (void)signal;
}

/* The script's path, and the argument its #! line gives. */
#define SCRIPT "/bin/script_execve"
#define SCRIPT_ARGUMENT "--from-script"

static int after_fexecve(void)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    check(execfn != NULL && strncmp(execfn, "/dev/fd/", 8) == 0,
          "AT_EXECFN does not name the descriptor after fexecve");
    return failures;
}

static int from_script(int argc, char **argv)
{
    check(argc == 4, "the interpreter did not get 4 arguments");
    if (argc == 4) {
        check(strcmp(argv[0], "/bin/t_musl_execve_static") == 0, "argv[0] is not the interpreter");
        check(strcmp(argv[2], SCRIPT) == 0, "argv[2] is not the script path");
        check(strcmp(argv[3], "x y") == 0, "argv[3] is not the caller's argv[1]");
    }
    char *fexecve_argv[] = {"t_musl_execve", "--fexecve", NULL};
    int plain = open("/etc/passwd", O_RDONLY);
    errno = 0;
    check(plain >= 0 && fexecve(plain, fexecve_argv, environ) == -1 && errno == EACCES,
          "fexecve of a file without execute permission is not EACCES");
    int fd = open("/bin/t_musl_execve_static", O_RDONLY);
    check(fd >= 0, "open /bin/t_musl_execve_static");
    errno = 0;
    check(syscall(SYS_execveat, fd, "", fexecve_argv, environ, AT_EMPTY_PATH | 0x4) == -1 &&
              errno == EINVAL,
          "execveat with an unknown flag is not EINVAL");
    if (failures)
        return failures;
    fexecve(fd, fexecve_argv, environ);
    check(0, "fexecve failed");
    return failures;
}

static int after(int argc, char **argv)
{
    check(argc == 5, "--after needs pid, kept fd, cloexec fd");
    if (argc != 5)
        return failures;
    check(getpid() == atoi(argv[2]), "the pid changed");
    check(fcntl(atoi(argv[3]), F_GETFD) == 0, "the descriptor without FD_CLOEXEC was not kept");
    errno = 0;
    check(fcntl(atoi(argv[4]), F_GETFD) == -1 && errno == EBADF,
          "the FD_CLOEXEC descriptor was not closed");
    struct sigaction action;
    sigaction(SIGUSR1, NULL, &action);
    check(action.sa_handler == SIG_DFL, "the caught signal was not reset to SIG_DFL");
    sigaction(SIGUSR2, NULL, &action);
    check(action.sa_handler == SIG_IGN, "the ignored signal is no longer ignored");
    sigset_t set;
    sigprocmask(SIG_BLOCK, NULL, &set);
    check(sigismember(&set, SIGTERM), "the signal mask was not kept");
    sigpending(&set);
    check(sigismember(&set, SIGTERM), "the pending signal was lost");
    if (failures)
        return failures;
    char *script_argv[] = {"ignored", "x y", NULL};
    execve(SCRIPT, script_argv, environ);
    check(0, "execve of the script failed");
    return failures;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], SCRIPT_ARGUMENT) == 0)
        return from_script(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--after") == 0)
        return after(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--fexecve") == 0)
        return after_fexecve();

    int kept = open("/dev/console", O_RDONLY);
    int closed = open("/dev/console", O_RDONLY | O_CLOEXEC);
    check(kept >= 0 && closed >= 0, "open /dev/console");
    struct sigaction action = {.sa_handler = on_signal};
    sigemptyset(&action.sa_mask);
    check(sigaction(SIGUSR1, &action, NULL) == 0, "sigaction SIGUSR1");
    action.sa_handler = SIG_IGN;
    check(sigaction(SIGUSR2, &action, NULL) == 0, "sigaction SIGUSR2");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGTERM);

    char *plain_argv[] = {"x", NULL};
    errno = 0;
    check(execve("/bin/no_such_program", plain_argv, environ) == -1 && errno == ENOENT,
          "execve of a missing file is not ENOENT");
    errno = 0;
    check(execve("/bin/not_elf", plain_argv, environ) == -1 && errno == ENOEXEC,
          "execve of a text file is not ENOEXEC");
    errno = 0;
    check(execve("/bin/script_no_interpreter", plain_argv, environ) == -1 && errno == ENOENT,
          "execve of a script with a missing interpreter is not ENOENT");
    sigaction(SIGUSR1, NULL, &action);
    check(action.sa_handler == on_signal, "a failed execve changed a handler");
    check(fcntl(closed, F_GETFD) == FD_CLOEXEC, "a failed execve closed a descriptor");
    if (failures)
        return failures;

    const char *self = (const char *)getauxval(AT_EXECFN);
    if (self == NULL)
        self = argv[0];
    char pid[16], kept_text[16], closed_text[16];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    snprintf(kept_text, sizeof kept_text, "%d", kept);
    snprintf(closed_text, sizeof closed_text, "%d", closed);
    char *after_argv[] = {(char *)self, "--after", pid, kept_text, closed_text, NULL};
    execve(self, after_argv, environ);
    check(0, "execve of itself failed");
    return failures;
}
