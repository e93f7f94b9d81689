/*
 * Guest test: a spawn whose file actions fail half-way (two actions
 * succeed in the child, the third fails) returns the error and leaves
 * nothing behind in the parent: the same descriptors, no child, the same
 * open file descriptions and free frames. Also for the NOWAIT_NP path
 * (the child exits 127 and is reaped by the parent).
 */
#include "guest_test.h"

#ifndef POSIX_SPAWN_NOWAIT_NP
#define POSIX_SPAWN_NOWAIT_NP 0x200
#endif

static posix_spawn_file_actions_t half_failing(void)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 20, "/tmp/half_way", O_CREAT | O_WRONLY, 0600);
    posix_spawn_file_actions_adddup2(&fa, 20, 21);
    posix_spawn_file_actions_addopen(&fa, 22, "/nonexistent/file", O_RDONLY, 0);
    return fa;
}

int main(void)
{
    test_name = "t_failed_actions_leave_nothing";
    int fds = open_fd_count();
    struct kstats before = kstats();
    char *argv[] = {"/bin/hello", NULL};
    for (int round = 0; round < 4; round++) {
        /* Round 0 grows this process's stack (the file-actions object and
         * posix_spawn's frames are large): the frame baseline is taken
         * after it. */
        if (round == 1)
            before = kstats();
        posix_spawn_file_actions_t fa = half_failing();
        pid_t pid = 0;
        int err = posix_spawn(&pid, "/bin/hello", &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        EXPECT(err == ENOENT, "spawn gave %s, expected ENOENT", strerror(err));
        EXPECT(pid == 0, "*pid set by a failed spawn");
        expect_no_children("after the failed spawn");
        EXPECT(open_fd_count() == fds, "the parent has %d descriptors, had %d", open_fd_count(), fds);
        EXPECT(fcntl(20, F_GETFD) == -1 && fcntl(21, F_GETFD) == -1, "the child's fds leaked");
        if (round > 0)
            expect_same_stats("after the failed spawn", before);
    }
    /* The child's first action ran: the file exists. */
    EXPECT(access("/tmp/half_way", F_OK) == 0, "the first action did not run");
    unlink("/tmp/half_way");

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_NOWAIT_NP);
    posix_spawn_file_actions_t fa = half_failing();
    pid_t pid = 0;
    int err = posix_spawn(&pid, "/bin/hello", &fa, &attr, argv, environ);
    EXPECT(err == 0 && pid > 0, "NOWAIT spawn: %s", strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 127,
           "NOWAIT child status %#x, expected exit 127", status);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    unlink("/tmp/half_way");
    EXPECT(open_fd_count() == fds, "NOWAIT: the parent has %d descriptors, had %d", open_fd_count(), fds);
    expect_same_stats("after the NOWAIT failure", before);
    return 0;
}
