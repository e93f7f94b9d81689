/*
 * Guest test: /bin/sh's process groups and signals (XCU 2.9.2, 2.11):
 * the commands of a pipeline share one new process group (SETPGROUP),
 * not the shell's; a lone foreground command stays in the shell's group;
 * a background command of a non-interactive shell starts with SIGINT and
 * SIGQUIT ignored, a foreground one with them at their default.
 */
#include "guest_test.h"

#include <signal.h>

#define SELF "/bin/t_shell_process_groups"
/* Helper modes (argv[1]). */
#define MODE_WRITE_PGID "--write-pgid"     /* argv[2]: file to write the pgid to */
#define MODE_SIGINT_IGNORED "--sigint-ignored" /* exit 0 iff SIGINT and SIGQUIT ignored */
#define MODE_SIGINT_DEFAULT "--sigint-default" /* exit 0 iff both at SIG_DFL */
#define PGID_A "/tmp/t_shell_pg_a"
#define PGID_B "/tmp/t_shell_pg_b"
#define PGID_LONE "/tmp/t_shell_pg_lone"

static int sh_status(const char *command)
{
    int status = run_status("/bin/sh", "-c", command, NULL);
    EXPECT(WIFEXITED(status), "sh -c \"%s\": %#x", command, status);
    return WEXITSTATUS(status);
}

static long read_pgid(const char *path)
{
    char text[32] = "";
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    EXPECT(n > 0, "%s is empty", path);
    return atol(text);
}

static int disposition_is(int sig, void (*handler)(int))
{
    struct sigaction now;
    sigaction(sig, NULL, &now);
    return now.sa_handler == handler;
}

int main(int argc, char **argv)
{
    test_name = "t_shell_process_groups";
    if (argc > 2 && strcmp(argv[1], MODE_WRITE_PGID) == 0) {
        FILE *f = fopen(argv[2], "w");
        if (f == NULL)
            return 1;
        fprintf(f, "%ld\n", (long)getpgrp());
        return fclose(f) == 0 ? 0 : 1;
    }
    if (argc > 1 && strcmp(argv[1], MODE_SIGINT_IGNORED) == 0)
        return disposition_is(SIGINT, SIG_IGN) && disposition_is(SIGQUIT, SIG_IGN) ? 0 : 1;
    if (argc > 1 && strcmp(argv[1], MODE_SIGINT_DEFAULT) == 0)
        return disposition_is(SIGINT, SIG_DFL) && disposition_is(SIGQUIT, SIG_DFL) ? 0 : 1;

    long ours = (long)getpgrp();
    EXPECT(sh_status(SELF " " MODE_WRITE_PGID " " PGID_A " | " SELF " " MODE_WRITE_PGID " " PGID_B)
               == 0,
           "the pipeline failed");
    long a = read_pgid(PGID_A), b = read_pgid(PGID_B);
    EXPECT(a == b, "the pipeline's commands are in groups %ld and %ld", a, b);
    EXPECT(a != ours, "the pipeline is in the caller's group %ld", ours);

    EXPECT(sh_status(SELF " " MODE_WRITE_PGID " " PGID_LONE) == 0, "the lone command failed");
    EXPECT(read_pgid(PGID_LONE) == ours, "a lone foreground command left the shell's group");

    EXPECT(sh_status(SELF " " MODE_SIGINT_IGNORED " & wait $!") == 0,
           "a background command does not ignore SIGINT and SIGQUIT");
    EXPECT(sh_status(SELF " " MODE_SIGINT_DEFAULT) == 0,
           "a foreground command does not have SIGINT and SIGQUIT at their default");
    EXPECT(disposition_is(SIGINT, SIG_DFL), "the test's own SIGINT changed");
    expect_no_children("after the shells");
    return 0;
}
