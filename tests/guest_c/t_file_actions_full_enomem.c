/*
 * Guest test: a file-actions object whose storage is full refuses the
 * next action with ENOMEM at add time (records: addclose, adddup2; path
 * bytes: addopen, addchdir), the failed add changes nothing, and the full
 * object still spawns correctly.
 */
#include "guest_test.h"

#define LONG_PATH_LEN 1000

int main(void)
{
    test_name = "t_file_actions_full_enomem";
    posix_spawn_file_actions_t fa;
    EXPECT(posix_spawn_file_actions_init(&fa) == 0, "init");
    int added = 0, err;
    while ((err = posix_spawn_file_actions_addclose(&fa, 100 + added % 900)) == 0)
        added++;
    EXPECT(err == ENOMEM, "addclose on a full object gave %s, expected ENOMEM", strerror(err));
    EXPECT(added >= 8, "only %d actions fitted", added);
    err = posix_spawn_file_actions_adddup2(&fa, 0, 200);
    EXPECT(err == ENOMEM, "adddup2 on a full object gave %s, expected ENOMEM", strerror(err));
    err = posix_spawn_file_actions_addopen(&fa, 5, "/dev/null", O_RDONLY, 0);
    EXPECT(err == ENOMEM, "addopen on a full object gave %s, expected ENOMEM", strerror(err));
    /* The full object still works: closing unopened descriptors is fine. */
    char *argv[] = {"/bin/hello", NULL};
    pid_t pid;
    err = posix_spawn(&pid, "/bin/hello", &fa, NULL, argv, environ);
    EXPECT(err == 0, "spawn with the full object: %s", strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "hello: %#x", status);
    posix_spawn_file_actions_destroy(&fa);

    /* Path storage: long paths fill it before the record count does. */
    static char path[LONG_PATH_LEN + 1];
    memset(path, 'p', LONG_PATH_LEN);
    path[0] = '/';
    EXPECT(posix_spawn_file_actions_init(&fa) == 0, "init");
    added = 0;
    while ((err = posix_spawn_file_actions_addopen(&fa, 3, path, O_RDONLY, 0)) == 0)
        added++;
    EXPECT(err == ENOMEM, "addopen with full path storage gave %s, expected ENOMEM", strerror(err));
    err = posix_spawn_file_actions_addchdir_np(&fa, path);
    EXPECT(err == ENOMEM, "addchdir with full path storage gave %s", strerror(err));
    EXPECT(posix_spawn_file_actions_addclose(&fa, 3) == 0, "a record without a path still fits");
    posix_spawn_file_actions_destroy(&fa);
    return 0;
}
