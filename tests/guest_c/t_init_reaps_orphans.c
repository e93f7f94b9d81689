/*
 * Guest test: a process whose parent exits first is handed to init
 * (getppid() becomes 1), and once it ends, init reaps it: its process
 * slot comes back, so orphaned zombies cannot fill the table. (init
 * waits for a test with wait4(-1, WNOHANG) for that reason.)
 *
 *     t_init_reaps_orphans                the test
 *     t_init_reaps_orphans parent         spawns the orphan, exits at once
 *     t_init_reaps_orphans orphan         waits to be adopted, reports on fd 10
 */
#include <time.h>

#include "guest_test.h"

#define SELF "/bin/t_init_reaps_orphans"
/* Above the pipe's own descriptors, so the dup2 cannot replace one. */
#define REPORT_FD 10
/* How long the orphan waits to be adopted, and the test for its slot. */
#define POLL_MS 1
#define ADOPT_TIMEOUT_MS 5000
#define REAP_TIMEOUT_MS 5000
#define ADOPTED 'y'
#define NOT_ADOPTED 'n'

static void nap(void)
{
    struct timespec ts = {0, POLL_MS * 1000000L};
    nanosleep(&ts, NULL);
}

static int orphan(void)
{
    char verdict = NOT_ADOPTED;
    for (int ms = 0; ms < ADOPT_TIMEOUT_MS; ms += POLL_MS) {
        if (getppid() == 1) {
            verdict = ADOPTED;
            break;
        }
        nap();
    }
    return write(REPORT_FD, &verdict, 1) == 1 ? 0 : 1;
}

static int parent(void)
{
    char *argv[] = {SELF, "orphan", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, SELF, NULL, NULL, argv, environ);
    return err == 0 ? 0 : 1; /* never waits for it */
}

int main(int argc, char **argv)
{
    test_name = "t_init_reaps_orphans";
    if (argc == 2 && strcmp(argv[1], "orphan") == 0)
        return orphan();
    if (argc == 2 && strcmp(argv[1], "parent") == 0)
        return parent();

    struct kstats before = kstats();
    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_adddup2(&fa, fds[1], REPORT_FD);
    char *args[] = {SELF, "parent", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, SELF, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    EXPECT(err == 0, "spawning the parent: %s", strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "parent status %#x", status);

    char verdict = 0;
    EXPECT(read(fds[0], &verdict, 1) == 1, "no report from the orphan");
    close(fds[0]);
    EXPECT(verdict == ADOPTED, "the orphan's parent never became init (pid 1)");
    expect_no_children("the orphan is not the test's child");

    /* The orphan has ended (it wrote, then exited): init must reap it. */
    struct kstats now = kstats();
    for (int ms = 0; now.free_process_slots != before.free_process_slots && ms < REAP_TIMEOUT_MS;
         ms += POLL_MS) {
        nap();
        now = kstats();
    }
    expect_same_stats("after the orphan ended", before);
    return 0;
}
