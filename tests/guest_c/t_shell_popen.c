/*
 * Guest test: popen() and pclose() over /bin/sh: "r" reads the command's
 * output ("hi"), "w" feeds its input, pclose returns the command's wait
 * status and waits for exactly its own child (two streams closed out of
 * order), a stream of an earlier popen is not open in a later popen's
 * command (POSIX), and a bad mode is EINVAL.
 */
#include "guest_test.h"

#define SELF "/bin/t_shell_popen"
#define OUT_FILE "/tmp/t_shell_popen.out"
/* Helper mode: exits 0 if descriptor argv[2] is open, 1 if not. */
#define MODE_FD_OPEN "--fd-open"
#define EARLY_STATUS 5
#define LATE_STATUS 6

static int pclose_exit(FILE *f, const char *what)
{
    int status = pclose(f);
    EXPECT(status != -1, "pclose(%s): %s", what, strerror(errno));
    EXPECT(WIFEXITED(status), "pclose(%s): not an exit: %#x", what, status);
    return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    test_name = "t_shell_popen";
    if (argc > 2 && strcmp(argv[1], MODE_FD_OPEN) == 0)
        return fcntl(atoi(argv[2]), F_GETFD) >= 0 ? 0 : 1;

    char line[128];
    FILE *r = popen("echo hi", "r");
    EXPECT(r != NULL, "popen(\"echo hi\", \"r\"): %s", strerror(errno));
    EXPECT(fgets(line, sizeof line, r) != NULL, "nothing read from echo hi");
    EXPECT(strcmp(line, "hi\n") == 0, "read \"%s\", not \"hi\\n\"", line);
    EXPECT(pclose_exit(r, "echo hi") == 0, "echo hi's status");

    FILE *w = popen("cat > " OUT_FILE, "w");
    EXPECT(w != NULL, "popen(\"cat > FILE\", \"w\"): %s", strerror(errno));
    EXPECT(fputs("written\n", w) >= 0, "fputs to the w stream");
    EXPECT(pclose_exit(w, "cat > FILE") == 0, "cat's status");
    int fd = open(OUT_FILE, O_RDONLY);
    EXPECT(fd >= 0, "open %s: %s", OUT_FILE, strerror(errno));
    ssize_t n = read(fd, line, sizeof line - 1);
    close(fd);
    EXPECT(n == 8 && memcmp(line, "written\n", 8) == 0, "the w stream's command wrote %zd bytes", n);

    /* Two streams: the later command must not have the earlier stream's
     * descriptor (it is not close-on-exec: mode without "e"). */
    FILE *early = popen("cat > /dev/null; exit 5", "w");
    EXPECT(early != NULL, "popen early: %s", strerror(errno));
    char command[128];
    snprintf(command, sizeof command, SELF " " MODE_FD_OPEN " %d; exit $((6 + $?))",
             fileno(early));
    FILE *late = popen(command, "r");
    EXPECT(late != NULL, "popen late: %s", strerror(errno));
    /* pclose of the first waits for its own child only. */
    EXPECT(pclose_exit(early, "early") == EARLY_STATUS, "the early stream's status");
    int late_status = pclose_exit(late, "late");
    EXPECT(late_status != LATE_STATUS, "an earlier popen stream was open in a later popen child");
    EXPECT(late_status == LATE_STATUS + 1, "the late stream's status %d", late_status);

    r = popen("exit 3", "r");
    EXPECT(r != NULL, "popen(\"exit 3\"): %s", strerror(errno));
    EXPECT(pclose_exit(r, "exit 3") == 3, "pclose does not return the exit status");

    errno = 0;
    EXPECT(popen("true", "x") == NULL && errno == EINVAL, "mode \"x\" is not EINVAL");
    expect_no_children("after pclose");
    return 0;
}
