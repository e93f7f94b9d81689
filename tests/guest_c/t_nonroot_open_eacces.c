/*
 * Guest test: a non-root child cannot open a root-owned 0600 file (for
 * reading or writing: EACCES), though it may stat it; root can (the
 * control). The child is this program, spawned with RESETIDS after the
 * parent took real uid 1000, so it runs with uid 1000 only.
 */
#include <sys/stat.h>

#include "guest_test.h"

#define SECRET_PATH "/tmp/root_secret"
#define USER 1000

static int child(void)
{
    EXPECT(geteuid() == USER && getuid() == USER, "child ids %d/%d", getuid(), geteuid());
    struct stat st;
    EXPECT(stat(SECRET_PATH, &st) == 0 && st.st_uid == 0, "stat: %s", strerror(errno));
    EXPECT(open(SECRET_PATH, O_RDONLY) == -1 && errno == EACCES, "O_RDONLY: expected EACCES, got %s",
           strerror(errno));
    EXPECT(open(SECRET_PATH, O_WRONLY) == -1 && errno == EACCES, "O_WRONLY: expected EACCES");
    EXPECT(open(SECRET_PATH, O_RDWR | O_TRUNC) == -1 && errno == EACCES, "O_TRUNC: expected EACCES");
    EXPECT(chmod(SECRET_PATH, 0666) == -1 && errno == EPERM, "chmod: expected EPERM");
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_nonroot_open_eacces";
    if (argc > 1)
        return child();
    int fd = open(SECRET_PATH, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    EXPECT(fd >= 0 && write(fd, "secret", 6) == 6, "creating the file: %s", strerror(errno));
    close(fd);
    fd = open(SECRET_PATH, O_RDONLY);
    EXPECT(fd >= 0, "root cannot open its own file: %s", strerror(errno));
    close(fd);
    EXPECT(sys_setresuid(USER, 0, 0) == 0, "setresuid: %s", strerror(errno));
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_RESETIDS);
    char *child_argv[] = {argv[0], "child", NULL};
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], NULL, &attr, child_argv, environ);
    EXPECT(err == 0, "spawn: %s", strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
           "child: %#x", status);
    posix_spawnattr_destroy(&attr);
    unlink(SECRET_PATH);
    return 0;
}
