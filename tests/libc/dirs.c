/* dirs.c - stat and fstat, mkdir/rmdir/unlink/rename/chmod/access,
 * chdir/fchdir/getcwd, with their errors. */
#include "check.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void test_stat(void)
{
    struct stat st, fst;

    CHECK_INT("mkdir", mkdir("sub", 0755), 0);
    CHECK_ERR("mkdir-exists", mkdir("sub", 0755), EEXIST);
    CHECK_ERR("mkdir-missing-parent", mkdir("nope/sub", 0755), ENOENT);
    CHECK("stat-dir", stat("sub", &st) == 0 && S_ISDIR(st.st_mode) &&
                          !S_ISREG(st.st_mode));

    int fd = open("sub/file", O_WRONLY | O_CREAT, 0640);
    write(fd, "12345", 5);
    CHECK("stat-file", stat("sub/file", &st) == 0 && S_ISREG(st.st_mode) &&
                           st.st_size == 5 && (st.st_mode & 0777) == 0640);
    CHECK("fstat-same-file", fstat(fd, &fst) == 0 && fst.st_ino == st.st_ino &&
                                 fst.st_dev == st.st_dev);
    CHECK("stat-nlink", st.st_nlink == 1);
    CHECK("stat-owner", st.st_uid == geteuid());
    close(fd);

    CHECK_ERR("stat-missing", stat("sub/missing", &st), ENOENT);
    CHECK_ERR("stat-through-file", stat("sub/file/x", &st), ENOTDIR);
    CHECK_ERR("stat-empty-path", stat("", &st), ENOENT);
    CHECK_ERR("fstat-bad-fd", fstat(-1, &st), EBADF);

    char *long_name = malloc(PATH_MAX + 10);
    memset(long_name, 'a', PATH_MAX + 9);
    long_name[PATH_MAX + 9] = 0;
    CHECK_ERR("stat-too-long", stat(long_name, &st), ENAMETOOLONG);
    free(long_name);

    CHECK_INT("chmod", chmod("sub/file", 0600), 0);
    CHECK("chmod-applied", stat("sub/file", &st) == 0 &&
                               (st.st_mode & 07777) == 0600);
    CHECK_ERR("chmod-missing", chmod("sub/missing", 0600), ENOENT);

    CHECK_INT("access-exists", access("sub/file", F_OK), 0);
    CHECK_ERR("access-missing", access("sub/missing", F_OK), ENOENT);
    CHECK_INT("access-dir-x", access("sub", X_OK), 0);

    CHECK_INT("rename", rename("sub/file", "sub/moved"), 0);
    CHECK("rename-applied", access("sub/file", F_OK) == -1 &&
                                access("sub/moved", F_OK) == 0);
    CHECK_ERR("rmdir-not-empty", rmdir("sub"), ENOTEMPTY);
    CHECK_ERR("rmdir-file", rmdir("sub/moved"), ENOTDIR);
    CHECK_ERR("unlink-dir", unlink("sub"), EISDIR);
    CHECK_INT("unlink", unlink("sub/moved"), 0);
    CHECK_ERR("unlink-missing", unlink("sub/moved"), ENOENT);
    CHECK_INT("rmdir", rmdir("sub"), 0);
    CHECK_ERR("rmdir-missing", rmdir("sub"), ENOENT);
}

static void test_cwd(void)
{
    char start[PATH_MAX], now[PATH_MAX];

    CHECK("getcwd", getcwd(start, sizeof start) == start && start[0] == '/');
    CHECK("getcwd-is-test-dir", strcmp(start, dir) == 0);
    mkdir("inner", 0700);
    int here = open(".", O_RDONLY | O_DIRECTORY);
    CHECK_INT("chdir", chdir("inner"), 0);
    CHECK("chdir-applied", getcwd(now, sizeof now) && ends_with(now, "/inner"));
    CHECK("relative-after-chdir", access("../inner", F_OK) == 0);
    CHECK_INT("fchdir", fchdir(here), 0);
    CHECK("fchdir-applied", getcwd(now, sizeof now) && strcmp(now, start) == 0);
    CHECK_ERR("chdir-missing", chdir("missing"), ENOENT);
    int fd = open("plain", O_WRONLY | O_CREAT, 0600);
    CHECK_ERR("chdir-file", chdir("plain"), ENOTDIR);
    CHECK_ERR("fchdir-file", fchdir(fd), ENOTDIR);
    CHECK_ERR("fchdir-bad-fd", fchdir(-1), EBADF);
    close(fd);
    close(here);
    char tiny[2];
    CHECK("getcwd-erange", getcwd(tiny, sizeof tiny) == NULL &&
                               errno == ERANGE);
    errno = 0;
    CHECK("getcwd-size-zero", getcwd(tiny, 0) == NULL && errno == EINVAL);
    char *own = getcwd(NULL, 0);
    CHECK("getcwd-allocates", own && strcmp(own, start) == 0);
    free(own);
    unlink("plain");
    rmdir("inner");
    CHECK_INT("chdir-root", chdir("/"), 0);
    CHECK("cwd-root", getcwd(now, sizeof now) && strcmp(now, "/") == 0);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    char base[256];
    snprintf(base, sizeof base, "%s/libc-dirs-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(base) == NULL || chdir(base) != 0 ||
        getcwd(dir, sizeof dir) == NULL) {
        perror("setup");
        return 2;
    }
    test_stat();
    test_cwd();
    CHECK_INT("cleanup", rmdir(dir), 0);
    return DONE();
}
