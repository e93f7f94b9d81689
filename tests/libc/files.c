/* files.c - descriptors: open flags, read/write/lseek, dup/dup2, fcntl,
 * pipes, and the stream functions on files. Works in a fresh directory
 * under $TMPDIR (default /tmp). */
#include "check.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];
static char path[300];

static void test_open_flags(void)
{
    int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
    CHECK("open-creat-excl", fd >= 0);
    CHECK_ERR("open-excl-exists", open(path, O_RDWR | O_CREAT | O_EXCL, 0644),
              EEXIST);
    CHECK_INT("write", write(fd, "hello world", 11), 11);
    CHECK_INT("lseek-cur", lseek(fd, 0, SEEK_CUR), 11);
    CHECK_INT("lseek-set", lseek(fd, 6, SEEK_SET), 6);
    char buf[32] = {0};
    CHECK_INT("read", read(fd, buf, sizeof buf), 5);
    CHECK_STR("read-data", buf, "world");
    CHECK_INT("read-eof", read(fd, buf, sizeof buf), 0);
    CHECK_INT("lseek-end", lseek(fd, -5, SEEK_END), 6);
    CHECK_ERR("lseek-negative", lseek(fd, -100, SEEK_SET), EINVAL);
    CHECK_ERR("lseek-bad-whence", lseek(fd, 0, 12345), EINVAL);
    CHECK_INT("close", close(fd), 0);
    CHECK_ERR("close-twice", close(fd), EBADF);
    CHECK_ERR("read-closed", read(fd, buf, 1), EBADF);
    CHECK_ERR("write-closed", write(fd, "x", 1), EBADF);

    fd = open(path, O_WRONLY | O_APPEND);
    CHECK("open-append", fd >= 0);
    lseek(fd, 0, SEEK_SET);
    CHECK_INT("write-append", write(fd, "!", 1), 1);
    struct stat st;
    CHECK_INT("fstat", fstat(fd, &st), 0);
    CHECK_INT("append-at-end", st.st_size, 12);
    int fl = fcntl(fd, F_GETFL);
    CHECK("getfl-append", fl >= 0 && (fl & O_APPEND) && (fl & O_ACCMODE) ==
                                                         O_WRONLY);
    CHECK_ERR("read-write-only", read(fd, buf, 1), EBADF);
    close(fd);

    fd = open(path, O_RDWR | O_TRUNC);
    CHECK("open-trunc", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
    close(fd);

    char missing[320];
    snprintf(missing, sizeof missing, "%s/missing", dir);
    CHECK_ERR("open-missing", open(missing, O_RDONLY), ENOENT);
    CHECK_ERR("open-directory-flag-on-file", open(path, O_RDONLY | O_DIRECTORY),
              ENOTDIR);
    CHECK_ERR("open-dir-for-write", open(dir, O_WRONLY), EISDIR);
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    CHECK("open-directory", fd >= 0);
    close(fd);
    fd = creat(missing, 0600);
    CHECK("creat", fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                       (st.st_mode & 0777) == 0600);
    close(fd);
    unlink(missing);
}

static void test_dup_and_fcntl(void)
{
    int fd = open(path, O_RDWR | O_TRUNC);
    write(fd, "abcdef", 6);
    lseek(fd, 0, SEEK_SET);

    int d = dup(fd);
    CHECK("dup", d >= 0 && d != fd);
    char c;
    read(d, &c, 1);
    CHECK_INT("dup-shares-offset", lseek(fd, 0, SEEK_CUR), 1);

    CHECK_INT("dup2", dup2(fd, 100), 100);
    CHECK_INT("dup2-same-fd", dup2(fd, fd), fd);
    CHECK_ERR("dup2-bad-source", dup2(999, 101), EBADF);
    CHECK_ERR("dup2-bad-target", dup2(fd, -1), EBADF);
    CHECK_ERR("dup-bad", dup(-1), EBADF);

    CHECK_INT("getfd-default", fcntl(fd, F_GETFD), 0);
    CHECK_INT("setfd", fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    CHECK_INT("getfd-cloexec", fcntl(fd, F_GETFD), FD_CLOEXEC);
    CHECK_INT("dup-clears-cloexec", fcntl(dup2(fd, 102), F_GETFD), 0);
    fcntl(fd, F_SETFD, 0);
    CHECK_INT("getfl-rdwr", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    CHECK_INT("dupfd", fcntl(fd, F_DUPFD, 50), 50);
    CHECK_INT("dupfd-next", fcntl(fd, F_DUPFD, 50), 51);
    int dc = fcntl(fd, F_DUPFD_CLOEXEC, 60);
    CHECK("dupfd-cloexec", dc == 60 && fcntl(dc, F_GETFD) == FD_CLOEXEC);
    CHECK_ERR("fcntl-bad-fd", fcntl(999, F_GETFD), EBADF);

    int oc = open(path, O_RDONLY | O_CLOEXEC);
    CHECK_INT("open-cloexec", fcntl(oc, F_GETFD), FD_CLOEXEC);

    int fds[] = {d, 100, 102, 50, 51, 60, oc, fd};
    for (unsigned i = 0; i < sizeof fds / sizeof fds[0]; i++)
        close(fds[i]);
}

static void test_pipe(void)
{
    int p[2];
    CHECK_INT("pipe", pipe(p), 0);
    CHECK_INT("pipe-write", write(p[1], "abc", 3), 3);
    char buf[8] = {0};
    CHECK_INT("pipe-read", read(p[0], buf, sizeof buf), 3);
    CHECK_STR("pipe-data", buf, "abc");
    CHECK_ERR("pipe-lseek", lseek(p[0], 0, SEEK_CUR), ESPIPE);
    CHECK_ERR("pipe-read-end-write", write(p[0], "x", 1), EBADF);
    struct stat st;
    CHECK("pipe-is-fifo", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
    close(p[1]);
    CHECK_INT("pipe-eof", read(p[0], buf, sizeof buf), 0);
    close(p[0]);

    pipe(p);
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    CHECK_ERR("pipe-epipe", write(p[1], "x", 1), EPIPE);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);

    CHECK_INT("pipe2-cloexec", pipe2(p, O_CLOEXEC), 0);
    CHECK("pipe2-flags", fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
                             fcntl(p[1], F_GETFD) == FD_CLOEXEC);
    close(p[0]);
    close(p[1]);

    CHECK("isatty-pipe", pipe(p) == 0 && isatty(p[0]) == 0 && errno == ENOTTY);
    close(p[0]);
    close(p[1]);
}

static void test_streams(void)
{
    FILE *f = fopen(path, "w");
    CHECK("fopen-w", f != NULL);
    fprintf(f, "line %d\nsecond\n", 1);
    fputs("third", f);
    CHECK_INT("fclose", fclose(f), 0);
    f = fopen(path, "r");
    char line[64];
    CHECK_STR("fgets-1", fgets(line, sizeof line, f), "line 1\n");
    CHECK_STR("fgets-2", fgets(line, sizeof line, f), "second\n");
    CHECK_STR("fgets-3", fgets(line, sizeof line, f), "third");
    CHECK("fgets-eof", fgets(line, sizeof line, f) == NULL && feof(f));
    fclose(f);
    f = fopen(path, "a");
    fputc('X', f);
    fclose(f);
    f = fopen(path, "r");
    char all[64] = {0};
    CHECK_INT("fread", fread(all, 1, sizeof all, f), 20);
    CHECK("fread-append", all[19] == 'X');
    fclose(f);
    CHECK("fopen-missing", fopen("/nonexistent/file", "r") == NULL &&
                               errno == ENOENT);

    char tmpl[320];
    snprintf(tmpl, sizeof tmpl, "%s/tmpXXXXXX", dir);
    int fd = mkstemp(tmpl);
    CHECK("mkstemp", fd >= 0 && strstr(tmpl, "XXXXXX") == NULL);
    struct stat st;
    CHECK("mkstemp-mode", fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
    close(fd);
    unlink(tmpl);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/libc-files-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(path, sizeof path, "%s/file", dir);
    test_open_flags();
    test_dup_and_fcntl();
    test_pipe();
    test_streams();
    unlink(path);
    CHECK_INT("cleanup-rmdir", rmdir(dir), 0);
    return DONE();
}
