/*
 * Guest test: system() over /bin/sh (userland/support/src/shell_commands.c
 * and userland/sh): system(NULL) finds the shell; the Done-when
 * command (a pipeline into a file, then the file) gives "a b" and status
 * 0; the shell's statuses 127 (not found), 126 (not executable) and 128+N
 * (killed by signal N); the child gets SIGINT back at its default while
 * the caller's handler survives; and an executable #!/bin/sh script runs
 * through posix_spawn.
 */
#include "guest_test.h"

#include <signal.h>
#include <sys/stat.h>

#define SELF "/bin/t_shell_system"
#define OUT_FILE "/tmp/t_shell_system.out"
#define NOEXEC_FILE "/tmp/t_shell_system.noexec"
#define SCRIPT_FILE "/tmp/t_shell_system.sh"
/* This program's helper modes (argv[1]). */
#define MODE_KILL_SELF "--kill-self"
#define MODE_SIGINT_IS_DEFAULT "--sigint-is-default"
/* The status of a shell whose command SIGKILL killed: 128 + 9. */
#define KILLED_STATUS (128 + SIGKILL)
#define SCRIPT_STATUS 7

static void read_file(const char *path, char *out, size_t size)
{
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
    ssize_t n = read(fd, out, size - 1);
    EXPECT(n >= 0, "read %s: %s", path, strerror(errno));
    out[n] = '\0';
    close(fd);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    EXPECT(fd >= 0, "create %s: %s", path, strerror(errno));
    EXPECT(write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s", path);
    close(fd);
    EXPECT(chmod(path, mode) == 0, "chmod %s: %s", path, strerror(errno));
}

static int exit_status_of(const char *command)
{
    int status = system(command);
    EXPECT(status != -1, "system(\"%s\"): %s", command, strerror(errno));
    EXPECT(WIFEXITED(status), "system(\"%s\"): the shell did not exit: %#x", command, status);
    return WEXITSTATUS(status);
}

static void on_sigint(int sig)
{
    (void)sig;
}

int main(int argc, char **argv)
{
    test_name = "t_shell_system";
    if (argc > 1 && strcmp(argv[1], MODE_KILL_SELF) == 0) {
        kill(getpid(), SIGKILL);
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], MODE_SIGINT_IS_DEFAULT) == 0) {
        struct sigaction now;
        sigaction(SIGINT, NULL, &now);
        return now.sa_handler == SIG_DFL ? 0 : 1;
    }

    EXPECT(system(NULL) != 0, "system(NULL) says there is no shell");

    char text[256];
    EXPECT(exit_status_of("echo a b | cat > " OUT_FILE "; cat " OUT_FILE " > /dev/null") == 0,
           "the Done-when command failed");
    read_file(OUT_FILE, text, sizeof text);
    EXPECT(strcmp(text, "a b\n") == 0, "the pipeline wrote \"%s\", not \"a b\\n\"", text);

    EXPECT(exit_status_of("exit 3") == 3, "exit 3");
    EXPECT(exit_status_of("no_such_command_anywhere 2>/dev/null") == 127,
           "a command not found is not 127");
    write_file(NOEXEC_FILE, "echo never\n", 0644);
    EXPECT(exit_status_of(NOEXEC_FILE " 2>/dev/null") == 126,
           "a file without execute permission is not 126");
    EXPECT(exit_status_of(SELF " " MODE_KILL_SELF) == KILLED_STATUS,
           "a command killed by SIGKILL is not 128+9");

    /* The caller's SIGINT handler: the shell's command gets SIG_DFL, the
     * caller keeps its handler. */
    struct sigaction handler = {.sa_handler = on_sigint}, after;
    sigemptyset(&handler.sa_mask);
    sigaction(SIGINT, &handler, NULL);
    EXPECT(exit_status_of(SELF " " MODE_SIGINT_IS_DEFAULT) == 0,
           "the command did not get SIGINT at its default");
    sigaction(SIGINT, NULL, &after);
    EXPECT(after.sa_handler == on_sigint, "system did not restore the SIGINT handler");

    /* An executable #!/bin/sh script, spawned directly. */
    write_file(SCRIPT_FILE, "#!/bin/sh\necho \"script $1\" > " OUT_FILE "\nexit 7\n", 0755);
    int status = run_status(SCRIPT_FILE, "arg", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == SCRIPT_STATUS,
           "the #! script's status %#x, not exit %d", status, SCRIPT_STATUS);
    read_file(OUT_FILE, text, sizeof text);
    EXPECT(strcmp(text, "script arg\n") == 0, "the #! script wrote \"%s\"", text);
    return 0;
}
