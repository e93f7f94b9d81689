/*
 * file_actions_at_spawn.c - checklist section D: what the file actions do
 * in the child (inheritance, close, open, dup2, chdir, fchdir, closefrom,
 * order, failures).
 */
#include "conformance.h"

/* Opens path onto exactly fd (closing what was there). */
static int open_at(int fd, const char *path, int flags)
{
    int got = open(path, flags, 0644);
    if (got < 0 || got == fd)
        return got;
    int rc = dup2(got, fd);
    close(got);
    return rc;
}

static int same_file(const struct cf_report *r, int fd, const char *path)
{
    struct stat st;
    struct cf_fdinfo info;
    if (stat(path, &st) != 0 || cf_rep_fdinfo(r, fd, &info) != 0)
        return 0;
    return info.dev == (long long)st.st_dev && info.ino == (long long)st.st_ino;
}

static void d38_d39_inheritance(void)
{
    int keep = open_at(20, "/dev/null", O_RDONLY);
    int gone = open_at(21, "/dev/null", O_RDONLY);
    cf_set_cloexec(gone, 1);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("D38", "null-actions-inherit-fds-close-cloexec",
             have && cf_rep_fd(&r, 20) == 1 && cf_rep_fd(&r, 21) == 0,
             "%s, fd20 %d fd21 %d", cf_out_text(o), cf_rep_fd(&r, 20),
             cf_rep_fd(&r, 21));
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D39", "empty-actions-like-null",
             have && cf_rep_fd(&r, 20) == 1 && cf_rep_fd(&r, 21) == 0,
             "%s, fd20 %d fd21 %d", cf_out_text(o), cf_rep_fd(&r, 20),
             cf_rep_fd(&r, 21));

    /* Many FD_CLOEXEC descriptors, all closed. */
    for (int fd = 30; fd < 40; fd++) {
        open_at(fd, "/dev/null", O_RDONLY);
        cf_set_cloexec(fd, 1);
    }
    have = cf_report_run(&r, &o, NULL, NULL);
    int any = 0;
    for (int fd = 30; fd < 40; fd++) {
        any |= cf_rep_fd(&r, fd) != 0;
        close(fd);
    }
    cf_check("D38b", "ten-cloexec-fds-all-closed", have && !any, "%s, fds %s",
             cf_out_text(o), cf_rep_fds(&r));
    close(keep);
    close(gone);
}

static void d40_d41_close(void)
{
    int fd = open_at(22, "/dev/null", O_RDONLY);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fd);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    cf_check("D40", "addclose-closes-in-child",
             have && cf_rep_fd(&r, 22) == 0, "%s, fd22 %d", cf_out_text(o),
             cf_rep_fd(&r, 22));
    o = cf_run(&fa, NULL, "fstat", "22", (char *)NULL);
    cf_check("D40b", "fstat-of-closed-fd-in-child-ebadf",
             o.ret == 0 && cf_exited(o.status, EBADF), "%s", cf_out_text(o));
    posix_spawn_file_actions_destroy(&fa);
    close(fd);

    cf_fa_init(&fa);
    int free_fd = cf_free_fd(23);
    posix_spawn_file_actions_addclose(&fa, free_fd);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    if (o.ret == 0 && cf_exited(o.status, 0))
        cf_ok("D41", "addclose-of-unopened-fd", "%s", cf_out_text(o));
    else
        cf_fail("D41", "addclose-of-unopened-fd", "%s (Austin Group 370)",
                cf_out_text(o));
}

/* D42: glibc checks a close action against RLIMIT_NOFILE; lower it in a
 * scenario process where the library has that limit. */
static void scen_d42(int out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    int rc = posix_spawn_file_actions_addclose(&fa, 500);
    if (rc != 0) {
        dprintf(out, "addclose(500) returned %s\n", cf_errname(rc));
        return;
    }
#if CF_HAVE_SETRLIMIT
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 100;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
        dprintf(out, "setrlimit failed\n");
        return;
    }
#endif
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    dprintf(out, "%s\n", cf_out_text(o));
}

static void d42_close_above_rlimit(void)
{
    char text[256];
    cf_scenario(text, sizeof text, "d42", (char *)NULL);
    if (strcmp(text, "returned EBADF") == 0 ||
        strcmp(text, "spawned, exit 127") == 0 ||
        strcmp(text, "spawned, exit 0") == 0)
        cf_ok("D42", "addclose-500-above-rlimit", "%s%s", text,
              CF_HAVE_SETRLIMIT ? " (RLIMIT_NOFILE 100)" : " (no RLIMIT_NOFILE)");
    else
        cf_fail("D42", "addclose-500-above-rlimit", "%s", text);
}

static void d43_open_over_open_fd(void)
{
    char *file = cf_path("d43");
    cf_write_str(file, "d43", 0644);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, file, O_RDONLY, 0);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D43", "addopen-onto-open-fd-0", have && same_file(&r, 0, file),
             "%s, fd 0 is the file %d", cf_out_text(o),
             have ? same_file(&r, 0, file) : -1);
}

/* D44: with every descriptor slot taken, addopen(1, ...) still works
 * because it closes fd 1 first. */
static void scen_d44(int out, int argc, char **argv)
{
    if (argc < 1)
        return;
#if CF_HAVE_SETRLIMIT
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 64;
    setrlimit(RLIMIT_NOFILE, &rl);
#endif
    /* The filler descriptors are FD_CLOEXEC: the table is full while the
     * actions run, and the new image (perhaps dynamically linked) still
     * has room to start. */
    static int fillers[1100];
    int filled = 0, fd;
    while (filled < 1100 &&
           (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
        fillers[filled++] = fd;
    int full_errno = errno;
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, argv[0],
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = -1;
    int rc = cf_spawn(&pid, &fa, NULL, "pid-to-stdout", (char *)NULL);
    struct cf_out o = cf_finish_spawn(rc, pid);
    for (int i = 0; i < filled; i++)
        close(fillers[i]);
    char buf[64];
    cf_read_file(argv[0], buf, sizeof buf);
    int same = rc == 0 && atoi(buf) == pid;
    dprintf(out, "%s%s%s\n", cf_out_text(o), same ? "" : ", pid not written",
            filled > 0 && full_errno == EMFILE ? "" : ", table not full");
}

static void d44_open_with_full_table(void)
{
    char text[256];
    char *file = cf_path("d44-pid");
    cf_scenario(text, sizeof text, "d44", file, (char *)NULL);
    cf_check("D44", "addopen-stdout-with-full-fd-table",
             strcmp(text, "spawned, exit 0") == 0, "%s", text);
}

static void d45_open_modes(void)
{
    char *f1 = cf_path("d45-0600");
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, f1, O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    struct cf_out o = cf_run(&fa, NULL, "write", "1", "hello", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    struct stat st;
    int ok = stat(f1, &st) == 0;
    cf_check("D45a", "addopen-creat-mode-0600",
             o.ret == 0 && cf_exited(o.status, 0) && ok &&
                 (st.st_mode & 07777) == 0600 && st.st_size == 5,
             "%s, mode %o size %lld", cf_out_text(o),
             ok ? (unsigned)(st.st_mode & 07777) : 0,
             ok ? (long long)st.st_size : -1);

    char *f2 = cf_path("d45-umask");
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, f2, O_WRONLY | O_CREAT | O_TRUNC,
                                     0666);
    umask(027);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    umask(022);
    posix_spawn_file_actions_destroy(&fa);
    ok = stat(f2, &st) == 0;
    cf_check("D45b", "addopen-creat-mode-follows-umask",
             o.ret == 0 && ok && (st.st_mode & 07777) == 0640,
             "%s, mode %o", cf_out_text(o),
             ok ? (unsigned)(st.st_mode & 07777) : 0);

    char *f3 = cf_path("d45-append");
    cf_write_str(f3, "abc", 0644);
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, f3, O_WRONLY | O_APPEND, 0);
    o = cf_run(&fa, NULL, "write", "1", "def", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    char buf[32];
    cf_read_file(f3, buf, sizeof buf);
    cf_check("D45c", "addopen-append-appends",
             o.ret == 0 && cf_exited(o.status, 0) && strcmp(buf, "abcdef") == 0,
             "%s, file \"%s\"", cf_out_text(o), buf);

    char *f4 = cf_path("d45-trunc");
    cf_write_str(f4, "0123456789", 0644);
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, f4, O_WRONLY | O_TRUNC, 0);
    o = cf_run(&fa, NULL, "write", "1", "xy", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_read_file(f4, buf, sizeof buf);
    cf_check("D45d", "addopen-trunc-truncates",
             o.ret == 0 && cf_exited(o.status, 0) && strcmp(buf, "xy") == 0,
             "%s, file \"%s\"", cf_out_text(o), buf);

    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, f4,
                                     O_WRONLY | O_CREAT | O_EXCL, 0644);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D45e", "addopen-excl-on-existing-file", o, EEXIST);
}

static void d46_read_only(void)
{
    char *file = cf_path("d46");
    cf_write_str(file, "d46", 0644);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 5, file, O_RDONLY, 0);
    struct cf_out o = cf_run(&fa, NULL, "write", "5", "x", (char *)NULL);
    struct cf_out o2 = cf_run(&fa, NULL, "read", "5", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D46", "write-to-read-only-addopen-fd-ebadf",
             o.ret == 0 && cf_exited(o.status, EBADF), "%s", cf_out_text(o));
    cf_check("D46b", "read-from-read-only-addopen-fd",
             o2.ret == 0 && cf_exited(o2.status, 0), "%s", cf_out_text(o2));
}

static void d47_open_missing(void)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "./non/ex/ist/ent", O_RDONLY, 0);
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D47", "addopen-nonexistent", o, ENOENT);

    /* The actions after a failing one do not run. */
    char *after = cf_path("d47-after");
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, "./non/ex/ist/ent", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 4, after, O_WRONLY | O_CREAT, 0644);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D47b", "actions-stop-at-first-failure",
             cf_out_is_failure(o, ENOENT) && access(after, F_OK) != 0,
             "%s, later file created %d", cf_out_text(o),
             access(after, F_OK) == 0);
}

static void d48_to_d52_dup2(void)
{
    char *file = cf_path("d48");
    int a = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (a < 0 || write(a, "01234", 5) != 5) {
        cf_fail("D48", "adddup2-shares-offset", "setup failed");
        return;
    }
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, a, 24);
    struct cf_out o = cf_run(&fa, NULL, "write", "24", "xyz", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    long long off = (long long)lseek(a, 0, SEEK_CUR);
    cf_check("D48", "adddup2-shares-offset",
             o.ret == 0 && cf_exited(o.status, 0) && off == 8,
             "%s, parent offset now %lld", cf_out_text(o), off);

    cf_set_cloexec(a, 1);
    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, a, 25);
    struct cf_report r;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D49", "adddup2-target-inherited-source-cloexec-closed",
             have && cf_rep_fd(&r, 25) == 1 && cf_rep_fd(&r, a) == 0,
             "%s, fd25 %d source %d", cf_out_text(o), cf_rep_fd(&r, 25),
             cf_rep_fd(&r, a));

    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, a, a);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D50", "adddup2-same-fd-clears-cloexec",
             have && cf_rep_fd(&r, a) == 1, "%s, fd %d open %d",
             cf_out_text(o), a, cf_rep_fd(&r, a));
    close(a);

    int closed = cf_free_fd(26);
    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, closed, closed);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D51", "adddup2-same-fd-not-open", o, EBADF);

    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, 300, 1);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D52", "adddup2-source-not-open", o, EBADF);

    /* dup2 onto an open descriptor replaces it; then closing the source
     * leaves only the target. */
    char *f2 = cf_path("d48-b");
    cf_write_str(f2, "b", 0644);
    int b = open(f2, O_RDONLY);
    cf_fa_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, b, 0);
    posix_spawn_file_actions_addclose(&fa, b);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D-dup2-close", "adddup2-onto-0-then-close-source",
             have && same_file(&r, 0, f2) && cf_rep_fd(&r, b) == 0,
             "%s, fd0 is file %d, source open %d", cf_out_text(o),
             have ? same_file(&r, 0, f2) : -1, cf_rep_fd(&r, b));
    close(b);
}

static void d53_order(void)
{
    int low = 40;
    char *f1 = cf_path("d53-first"), *f2 = cf_path("d53-second");
    cf_write_str(f1, "1", 0644);
    cf_write_str(f2, "2", 0644);
    for (int fd = low; fd < low + 6; fd++)
        open_at(fd, "/dev/null", O_RDONLY);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, low + 1);
    posix_spawn_file_actions_addopen(&fa, low, f1, O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, low, low + 1);
    posix_spawn_file_actions_addopen(&fa, low, f2, O_RDONLY, 0);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    int above = 0;
    for (int fd = low + 2; fd < CF_REPORT_FDS; fd++)
        above |= cf_rep_fd(&r, fd) != 0;
    for (int fd = low; fd < low + 6; fd++)
        close(fd);
    int expect_total = 0;
    for (int fd = 0; fd < low; fd++)
        expect_total += cf_fd_open(fd) && (fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0;
    cf_check("D53", "actions-run-in-order-added",
             have && same_file(&r, low, f2) && same_file(&r, low + 1, f1) &&
                 !above && cf_rep_long(&r, "nfds", -1) == expect_total + 2,
             "%s, fds %s nfds %ld", cf_out_text(o), cf_rep_fds(&r),
             cf_rep_long(&r, "nfds", -1));
}

static void d54_to_d61_chdir(void)
{
    char *sub = cf_path("d54sub");
    cf_mkdir(sub, 0755);
    char *probe = cf_path("d54sub/probe");
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "d54sub");
    posix_spawn_file_actions_addopen(&fa, 3, "probe",
                                     O_WRONLY | O_CREAT | O_EXCL, 0644);
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D54", "addchdir-then-relative-addopen",
             o.ret == 0 && cf_exited(o.status, 0) && access(probe, F_OK) == 0,
             "%s, probe created %d", cf_out_text(o), access(probe, F_OK) == 0);

    /* A relative image path is resolved after the chdir actions. */
    char *dir = cf_path("d55");
    cf_mkdir(dir, 0755);
    char *dsub = cf_path("d55/sub");
    cf_mkdir(dsub, 0755);
    char *prog = cf_path("d55/sub/prog");
    cf_copy_file(cf_self, prog, 0755);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, dir);
    o = cf_run_at("sub/prog", 0, &fa, NULL, "exit", "11", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("D55", "relative-image-path-after-addchdir",
             o.ret == 0 && cf_exited(o.status, 11), "%s", cf_out_text(o));

    /* posix_spawnp with addchdir: found on PATH, runs in the new cwd; the
     * parent's cwd does not change. */
    cf_path_set(cf_selfdir);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, dir);
    struct cf_report r;
    int have = cf_report_spawn(&r, &o, cf_selfbase, 1, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_path_restore();
    char cwd[PATH_MAX] = "", mine[PATH_MAX] = "";
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    if (getcwd(mine, sizeof mine) == NULL)
        mine[0] = 0;
    cf_check("D56", "spawnp-with-addchdir",
             have && strcmp(cwd, dir) == 0 && strcmp(mine, cf_tmp) == 0,
             "%s, child cwd %s, parent cwd %s", cf_out_text(o), cwd, mine);

    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "/not/a/valid/dir");
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D57", "addchdir-nonexistent", o, ENOENT);

    char *file = cf_path("d58-file");
    cf_write_str(file, "x", 0644);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, file);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D58a", "addchdir-regular-file", o, ENOTDIR);

    int ffd = open(file, O_RDONLY);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, ffd);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    close(ffd);
    cf_expect_failure("D58b", "addfchdir-regular-file", o, ENOTDIR);

    int closed = cf_free_fd(3);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, closed);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("D60", "addfchdir-closed-fd", o, EBADF);

    int tmpfd = cf_free_fd(27);
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, tmpfd, dir, O_DIRECTORY | O_RDONLY,
                                     0);
    cf_addfchdir_np(&fa, tmpfd);
    posix_spawn_file_actions_addclose(&fa, tmpfd);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    cf_check("D61", "addopen-dir-addfchdir-addclose",
             have && strcmp(cwd, dir) == 0 && cf_rep_fd(&r, tmpfd) == 0,
             "%s, cwd %s, fd %d open %d", cf_out_text(o), cwd, tmpfd,
             cf_rep_fd(&r, tmpfd));

    /* Relative chdir actions follow the earlier ones. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, dfd);
    cf_addchdir_np(&fa, "sub");
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    close(dfd);
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    cf_check("D-chdir-chain", "addfchdir-then-relative-addchdir",
             have && strcmp(cwd, dsub) == 0, "%s, cwd %s", cf_out_text(o),
             cwd);

    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "d55/sub");
    cf_addchdir_np(&fa, "../..");
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    cf_check("D-chdir-dotdot", "addchdir-sub-then-dotdot",
             have && strcmp(cwd, cf_tmp) == 0, "%s, cwd %s", cf_out_text(o),
             cwd);
}

/* D59: a directory its non-root owner may not search. */
static void scen_d59(int out, int argc, char **argv)
{
    if (argc < 2)
        return;
    const char *parent = argv[0], *copy = argv[1];
    if (cf_become_user() != 0) {
        dprintf(out, "cannot become uid %d: %s\n", CF_USER,
                cf_errname(errno));
        return;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.4000s/noperm", parent);
    if (mkdir(dir, 0700) != 0 || chmod(dir, 0055) != 0) {
        dprintf(out, "mkdir as uid %d failed: %s\n", CF_USER,
                cf_errname(errno));
        return;
    }
    struct cf_out control = cf_run_at(copy, 0, NULL, NULL, "exit", "0",
                                      (char *)NULL);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, dir);
    struct cf_out o = cf_run_at(copy, 0, &fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    if (control.ret != 0 || !cf_exited(control.status, 0))
        dprintf(out, "control spawn as uid %d: %s\n", CF_USER,
                cf_out_text(control));
    else
        dprintf(out, "%s\n", cf_out_text(o));
}

static void d59_chdir_permission(void)
{
    char *parent = cf_path("d59");
    cf_path("d59/noperm");
    const char *copy = cf_self_copy();
    if (cf_mkdir(parent, 0777) != 0 || copy == NULL) {
        cf_fail("D59", "addchdir-no-search-permission", "setup failed");
        return;
    }
    char text[256];
    cf_scenario(text, sizeof text, "d59", parent, copy, (char *)NULL);
    if (strcmp(text, "returned EACCES") == 0 ||
        strcmp(text, "spawned, exit 127") == 0)
        cf_ok("D59", "addchdir-no-search-permission", "%s", text);
    else
        cf_fail("D59", "addchdir-no-search-permission", "%s", text);
}

static void d62_closefrom(void)
{
    int n = 44;
    for (int fd = n - 3; fd < n + 6; fd++)
        open_at(fd, "/dev/null", O_RDONLY);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, n);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    int wrong = 0;
    for (int fd = 0; fd < CF_REPORT_FDS; fd++) {
        int want = fd < n && cf_fd_open(fd) &&
                   (fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0;
        if (cf_rep_fd(&r, fd) != want)
            wrong++;
    }
    cf_check("D62a", "addclosefrom-keeps-exactly-lower-fds",
             have && !wrong && cf_rep_long(&r, "nfds", -1) < n,
             "%s, fds %s", cf_out_text(o), cf_rep_fds(&r));

    /* Gaps: the bound itself and some fds above it are not open. */
    close(n);
    close(n + 2);
    close(n - 2);
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, n);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    wrong = 0;
    for (int fd = 0; fd < CF_REPORT_FDS; fd++) {
        int want = fd < n && cf_fd_open(fd) &&
                   (fcntl(fd, F_GETFD) & FD_CLOEXEC) == 0;
        if (cf_rep_fd(&r, fd) != want)
            wrong++;
    }
    cf_check("D62b", "addclosefrom-with-gaps",
             have && !wrong && cf_rep_fd(&r, n - 3) == 1 &&
                 cf_rep_fd(&r, n - 2) == 0,
             "%s, fds %s", cf_out_text(o), cf_rep_fds(&r));
    for (int fd = n - 3; fd < n + 6; fd++)
        close(fd);
}

static void d63_open_cloexec(void)
{
    posix_spawn_file_actions_t fa;
    struct cf_report r;
    struct cf_out o;
    int low = cf_free_fd(3);
    int nine = low == 9 ? 10 : 9;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, nine, "/dev/null",
                                     O_RDONLY | O_CLOEXEC, 0);
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    if (have)
        cf_ok("D63", "addopen-cloexec-moved-fd",
              "target fd %s in the child",
              cf_rep_fd(&r, nine) ? "open" : "closed");
    else
        cf_fail("D63", "addopen-cloexec-moved-fd", "%s", cf_out_text(o));

    /* open() itself returns the target: the lowest free descriptor. */
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, low, "/dev/null",
                                     O_RDONLY | O_CLOEXEC, 0);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    if (have)
        cf_ok("D63b", "addopen-cloexec-lowest-free-fd",
              "target fd %s in the child",
              cf_rep_fd(&r, low) ? "open" : "closed");
    else
        cf_fail("D63b", "addopen-cloexec-lowest-free-fd", "%s",
                cf_out_text(o));
}

static void d_close_stdio(void)
{
    posix_spawn_file_actions_t fa;
    struct cf_report r;
    struct cf_out o;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addclose(&fa, 0);
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    /* POSIX lets an implementation open something on a closed 0, 1, 2. */
    if (have)
        cf_ok("D-close-stdin", "addclose-0", "fd 0 %s in the child",
              cf_rep_fd(&r, 0) ? "open" : "closed");
    else
        cf_fail("D-close-stdin", "addclose-0", "%s", cf_out_text(o));
}

static void d64_d65_capacity(void)
{
    cf_skip("D64", "musl-internal-pipe-dup2",
            "musl implementation detail: neither glibc nor this project "
            "uses an internal descriptor during the spawn");
    cf_skip("D65", "netbsd-actions-limit",
            "NetBSD limit (2 x RLIMIT_NOFILE actions); not a rule of "
            "glibc or this project");
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    int accepted = 0, rc = 0;
    for (int i = 0; i < 100; i++) {
        rc = posix_spawn_file_actions_addclose(&fa, 100 + i);
        if (rc != 0)
            break;
        accepted++;
    }
    posix_spawn_file_actions_destroy(&fa);
    if (rc == 0)
        cf_ok("X-capacity", "hundred-close-actions", "all 100 accepted");
    else if (rc == ENOMEM)
        cf_ok("X-capacity", "hundred-close-actions",
              "ENOMEM after %d actions", accepted);
    else
        cf_fail("X-capacity", "hundred-close-actions", "%s after %d",
                cf_errname(rc), accepted);
}

static const struct cf_scenario scenarios[] = {
    {"d42", scen_d42},
    {"d44", scen_d44},
    {"d59", scen_d59},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    cf_start(argc, argv, "file_actions_at_spawn", scenarios);
    d38_d39_inheritance();
    d40_d41_close();
    d42_close_above_rlimit();
    d43_open_over_open_fd();
    d44_open_with_full_table();
    d45_open_modes();
    d46_read_only();
    d47_open_missing();
    d48_to_d52_dup2();
    d53_order();
    d54_to_d61_chdir();
    d59_chdir_permission();
    d62_closefrom();
    d63_open_cloexec();
    d_close_stdio();
    d64_d65_capacity();
    return cf_end();
}
