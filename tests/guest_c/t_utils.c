/* t_utils - the guest utilities in /bin (userland/utils) do what their
 * README says, found through posix_spawnp as examples would find them. */
#include "guest_test.h"

#define OUTPUT_BYTES 4096

/* Runs argv[0] through PATH with `input` on standard input (NULL: none
 * open) and captures standard output; returns the wait status. */
static int run(char *const argv[], const char *input, char *out)
{
    int to_child[2], from_child[2];
    EXPECT(pipe(to_child) == 0 && pipe(from_child) == 0, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
    for (int i = 0; i < 2; i++) {
        posix_spawn_file_actions_addclose(&fa, to_child[i]);
        posix_spawn_file_actions_addclose(&fa, from_child[i]);
    }
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(to_child[0]);
    close(from_child[1]);
    EXPECT(err == 0, "spawning %s: %s", argv[0], strerror(err));
    if (input != NULL)
        EXPECT(write(to_child[1], input, strlen(input)) == (ssize_t)strlen(input), "write to %s", argv[0]);
    close(to_child[1]);
    return collect_output(from_child[0], pid, out, OUTPUT_BYTES);
}

static void expect_run(char *const argv[], const char *input, int want_status, const char *want_out)
{
    char out[OUTPUT_BYTES];
    int status = run(argv, input, out);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == want_status, "%s: status %#x, expected exit %d", argv[0],
           status, want_status);
    if (want_out != NULL)
        EXPECT(strcmp(out, want_out) == 0, "%s: wrote [%s], expected [%s]", argv[0], out, want_out);
}

int main(void)
{
    test_name = "t_utils";
    EXPECT(setenv("PATH", "/bin", 1) == 0, "setenv");

    expect_run((char *[]){"echo", "two", "words", NULL}, NULL, 0, "two words\n");
    expect_run((char *[]){"echo", NULL}, NULL, 0, "\n");
    expect_run((char *[]){"echo", "-n", "no newline", NULL}, NULL, 0, "no newline");
    expect_run((char *[]){"true", NULL}, NULL, 0, "");
    expect_run((char *[]){"false", NULL}, NULL, 1, "");

    int fd = open("/tmp/t_utils.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    EXPECT(fd >= 0 && write(fd, "from a file\n", 12) == 12 && close(fd) == 0, "writing /tmp/t_utils.txt");
    expect_run((char *[]){"cat", NULL}, "from standard input\n", 0, "from standard input\n");
    expect_run((char *[]){"cat", "/tmp/t_utils.txt", "-", "/tmp/t_utils.txt", NULL}, "middle\n", 0,
               "from a file\nmiddle\nfrom a file\n");
    expect_run((char *[]){"cat", "/no/such/file", "/tmp/t_utils.txt", NULL}, NULL, 1, "from a file\n");
    unlink("/tmp/t_utils.txt");

    EXPECT(setenv("T_UTILS_MARK", "present", 1) == 0, "setenv");
    char out[OUTPUT_BYTES];
    int status = run((char *[]){"env", NULL}, NULL, out);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "env: status %#x", status);
    EXPECT(strstr(out, "T_UTILS_MARK=present\n") != NULL && strstr(out, "PATH=/bin\n") != NULL,
           "env wrote [%s]", out);
    expect_run((char *[]){"env", "true", NULL}, NULL, 2, "");

    EXPECT(chdir("/tmp") == 0, "chdir /tmp");
    expect_run((char *[]){"pwd", NULL}, NULL, 0, "/tmp\n");

    expect_run((char *[]){"sleep", "0", NULL}, NULL, 0, "");
    expect_run((char *[]){"sleep", "soon", NULL}, NULL, 1, "");
    expect_no_children("after the utilities");
    return 0;
}
