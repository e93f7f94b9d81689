/*
 * glibc_scenarios.c - the scenarios of glibc's posix/tst-spawn (1-7),
 * tst-posix_spawn-fd, tst-posix_spawn-setsid and tst-spawn-chdir, written
 * fresh from their description in the project's posix_spawn reference
 * (section 2.5); no glibc code is used.
 */
#include "conformance.h"

/* ------------------------------------------------------------------------ */
/* tst-spawn: close, reopen read-only (path copied), dup2 sharing an offset,
 * dup2 of an FD_CLOEXEC descriptor onto itself. */

/* Child side: argv = fd1 fd2 fd3 fd4 fd5. One line per verdict. */
static void scen_tst_spawn_child(int out, int argc, char **argv)
{
    if (argc < 5)
        return;
    int fd1 = atoi(argv[0]), fd2 = atoi(argv[1]), fd3 = atoi(argv[2]),
        fd4 = atoi(argv[3]), fd5 = atoi(argv[4]);
    errno = 0;
    off_t r1 = lseek(fd1, 0, SEEK_CUR);
    dprintf(out, "fd1 %s\n", r1 == -1 && errno == EBADF ? "closed" : "open");

    char c = 'x';
    errno = 0;
    ssize_t w = write(fd3, &c, 1);
    dprintf(out, "fd3-write %s\n", w == -1 && errno == EBADF ? "EBADF" : "ok");
    char buf[16] = "";
    ssize_t n = read(fd3, buf, 5);
    dprintf(out, "fd3-content %.*s\n", n > 0 ? (int)n : 0, buf);

    off_t a = lseek(fd2, 0, SEEK_CUR);
    off_t b = lseek(fd4, 0, SEEK_CUR);
    lseek(fd2, 3, SEEK_CUR);
    off_t b2 = lseek(fd4, 0, SEEK_CUR);
    dprintf(out, "fd4-shared %s\n",
            a >= 0 && a == b && b2 == b + 3 ? "yes" : "no");

    n = read(fd5, buf, 5);
    dprintf(out, "fd5-content %.*s\n", n > 0 ? (int)n : 0, buf);
}

static const char *value_of(const char *text, const char *key)
{
    static char buf[128];
    char pat[64];
    snprintf(pat, sizeof pat, "%s ", key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, pat, strlen(pat)) == 0) {
            size_t i = 0;
            p += strlen(pat);
            while (p[i] && p[i] != '\n' && i + 1 < sizeof buf) {
                buf[i] = p[i];
                i++;
            }
            buf[i] = 0;
            return buf;
        }
    }
    return "missing";
}

static void tst_spawn(int null_pid)
{
    char *names[5];
    for (int i = 0; i < 5; i++) {
        names[i] = cf_path("tst-spawn-%d-%d", null_pid, i + 1);
        char content[16];
        snprintf(content, sizeof content, "file%d", i + 1);
        cf_write_str(names[i], content, 0644);
    }
    int fd1 = open(names[0], O_RDONLY);
    int fd2 = open(names[1], O_RDWR);
    int fd3 = open(names[2], O_RDWR);
    int fd5 = open(names[4], O_RDONLY);
    cf_set_cloexec(fd5, 1);
    int fd4 = fd5 + 1;
    while (cf_fd_open(fd4))
        fd4++;
    lseek(fd2, 2, SEEK_SET);

    char pathbuf[PATH_MAX];
    snprintf(pathbuf, sizeof pathbuf, "%s", names[2]);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fd1);
    posix_spawn_file_actions_addopen(&fa, fd3, pathbuf, O_RDONLY, 0);
    memset(pathbuf, 'X', strlen(pathbuf) - 1);
    posix_spawn_file_actions_adddup2(&fa, fd2, fd4);
    posix_spawn_file_actions_adddup2(&fa, fd5, fd5);

    char *file = cf_report_file();
    char a1[12], a2[12], a3[12], a4[12], a5[12];
    snprintf(a1, sizeof a1, "%d", fd1);
    snprintf(a2, sizeof a2, "%d", fd2);
    snprintf(a3, sizeof a3, "%d", fd3);
    snprintf(a4, sizeof a4, "%d", fd4);
    snprintf(a5, sizeof a5, "%d", fd5);
    char *argv[] = {cf_self, "scenario", "tst-spawn-child", file, a1, a2, a3,
                    a4, a5, NULL};
    pid_t pid = -1;
    int rc = posix_spawn(null_pid ? NULL : &pid, cf_self, &fa, NULL, argv,
                         environ);
    int status = -1;
    if (rc == 0)
        status = null_pid ? (wait(&status) > 0 ? status : -1) : cf_wait(pid);
    posix_spawn_file_actions_destroy(&fa);
    close(fd1);
    close(fd2);
    close(fd3);
    close(fd5);
    char text[1024];
    cf_read_file(file, text, sizeof text);

    if (null_pid) {
        cf_check("GT-spawn-pid-null", "tst-spawn-with-null-pid",
                 rc == 0 && cf_exited(status, 0) &&
                     strcmp(value_of(text, "fd1"), "closed") == 0 &&
                     strcmp(value_of(text, "fd3-write"), "EBADF") == 0 &&
                     strcmp(value_of(text, "fd4-shared"), "yes") == 0 &&
                     strcmp(value_of(text, "fd5-content"), "file5") == 0,
                 "returned %s, %s", cf_errname(rc), cf_status_text(status));
        return;
    }
    if (rc != 0 || !cf_exited(status, 0)) {
        cf_fail("GT-spawn-fd1-closed", "tst-spawn", "returned %s, %s",
                cf_errname(rc), cf_status_text(status));
        return;
    }
    cf_check("GT-spawn-fd1-closed", "tst-spawn-addclose",
             strcmp(value_of(text, "fd1"), "closed") == 0, "fd1 %s",
             value_of(text, "fd1"));
    cf_check("GT-spawn-fd3-readonly", "tst-spawn-addopen-read-only",
             strcmp(value_of(text, "fd3-write"), "EBADF") == 0,
             "write to fd3: %s", value_of(text, "fd3-write"));
    cf_check("GT-spawn-fd3-path-copied", "tst-spawn-addopen-path-copied",
             strcmp(value_of(text, "fd3-content"), "file3") == 0,
             "fd3 reads \"%s\"", value_of(text, "fd3-content"));
    cf_check("GT-spawn-fd4-shared", "tst-spawn-adddup2-shares-offset",
             strcmp(value_of(text, "fd4-shared"), "yes") == 0, "%s",
             value_of(text, "fd4-shared"));
    cf_check("GT-spawn-fd5-dup2-self", "tst-spawn-dup2-self-cloexec-readable",
             strcmp(value_of(text, "fd5-content"), "file5") == 0,
             "fd5 reads \"%s\"", value_of(text, "fd5-content"));
}

/* ------------------------------------------------------------------------ */
/* tst-spawn2: an invalid binary path. */

static void tst_spawn2(void)
{
    const char *bad = "/path/to/invalid/binary";
    char *argv[] = {(char *)bad, NULL};
    int before = cf_count_fds();
    pid_t pid = -1;
    int rc = posix_spawn(&pid, bad, NULL, NULL, argv, environ);
    int no_child = cf_no_children();
    int pid_same = pid == -1;
    if (rc == 0)
        cf_wait(pid);
    cf_check("GT-spawn2-spawn", "tst-spawn2-posix-spawn-enoent", rc == ENOENT,
             "returned %s", cf_errname(rc));
    pid_t pid2 = -1;
    int rc2 = posix_spawnp(&pid2, bad, NULL, NULL, argv, environ);
    no_child = no_child && cf_no_children();
    pid_same = pid_same && pid2 == -1;
    if (rc2 == 0)
        cf_wait(pid2);
    cf_check("GT-spawn2-spawnp", "tst-spawn2-posix-spawnp-enoent",
             rc2 == ENOENT, "returned %s", cf_errname(rc2));
    cf_check("GT-spawn2-pid", "tst-spawn2-pid-unchanged", pid_same,
             "pid %d / %d", (int)pid, (int)pid2);
    cf_check("GT-spawn2-no-child", "tst-spawn2-no-child-left", no_child,
             "a child exists after the failed spawn");
    cf_check("GT-spawn2-no-fd-leak", "tst-spawn2-no-fd-leak",
             cf_count_fds() == before, "%d fds before, %d after", before,
             cf_count_fds());
}

/* ------------------------------------------------------------------------ */
/* tst-spawn3: every descriptor slot taken; addopen(1) closes first. */

static void scen_tst_spawn3(int out, int argc, char **argv)
{
    if (argc < 1)
        return;
#if CF_HAVE_SETRLIMIT
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = 24;
    setrlimit(RLIMIT_NOFILE, &rl);
#endif
    int temps[1100], ntemp = 0, fd;
    while (ntemp < 1100 && (fd = open("/dev/null", O_RDONLY)) >= 0)
        temps[ntemp++] = fd;
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, argv[0],
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    if (ntemp <= 48) {
        for (int i = 0; i < ntemp; i++)
            posix_spawn_file_actions_addclose(&fa, temps[i]);
    } else {
        /* More than the action capacity: the same effect in one action. */
        cf_addclosefrom_np(&fa, temps[0]);
    }
    pid_t pid = -1;
    int rc = cf_spawn(&pid, &fa, NULL, "pid-to-stdout", (char *)NULL);
    struct cf_out o = cf_finish_spawn(rc, pid);
    for (int i = 0; i < ntemp; i++)
        close(temps[i]);
    char buf[32];
    cf_read_file(argv[0], buf, sizeof buf);
    dprintf(out, "spawn %s\npid %s\n", cf_out_text(o),
            rc == 0 && atoi(buf) == pid ? "matches" : "differs");
}

static void tst_spawn3(void)
{
    char *pidfile = cf_path("tst-spawn3-pid");
    char text[256];
    cf_scenario(text, sizeof text, "tst-spawn3", pidfile, (char *)NULL);
    cf_check("GT-spawn3-full-table", "tst-spawn3-spawn-with-full-fd-table",
             strcmp(value_of(text, "spawn"), "spawned, exit 0") == 0, "%s",
             text);
    cf_check("GT-spawn3-pid-output", "tst-spawn3-child-writes-its-pid",
             strcmp(value_of(text, "pid"), "matches") == 0, "%s", text);
}

/* ------------------------------------------------------------------------ */
/* tst-spawn4: a script without "#!" is ENOEXEC for both functions. */

static void tst_spawn4(void)
{
    char *dir = cf_path("tst-spawn4");
    cf_mkdir(dir, 0755);
    char *script = cf_path("tst-spawn4/script");
    cf_write_str(script, "echo it ran\nexit 65\n", 0755);
    struct cf_out o = cf_run_at(script, 0, NULL, NULL, "x", (char *)NULL);
    cf_check("GT-spawn4-spawn", "tst-spawn4-posix-spawn-enoexec",
             o.ret == ENOEXEC, "%s", cf_out_text(o));
    o = cf_run_at(script, 1, NULL, NULL, "x", (char *)NULL);
    cf_check("GT-spawn4-spawnp", "tst-spawn4-posix-spawnp-enoexec",
             o.ret == ENOEXEC, "%s", cf_out_text(o));
}

/* ------------------------------------------------------------------------ */
/* tst-spawn5: addclosefrom_np. */

static int expect_open(int fd, int bound)
{
    int flags = fcntl(fd, F_GETFD);
    return fd < bound && flags >= 0 && !(flags & FD_CLOEXEC);
}

static void closefrom_check(const char *id, const char *name, int bound)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, bound);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    int wrong = -1;
    for (int fd = 0; have && fd < CF_REPORT_FDS && wrong < 0; fd++)
        if (cf_rep_fd(&r, fd) != expect_open(fd, bound))
            wrong = fd;
    int expected_total = 0;
    for (int fd = 0; fd < CF_COUNT_FDS; fd++)
        expected_total += expect_open(fd, bound);
    cf_check(id, name,
             have && wrong < 0 && cf_rep_long(&r, "nfds", -1) == expected_total,
             "%s, first wrong fd %d, nfds %ld (expected %d)", cf_out_text(o),
             wrong, cf_rep_long(&r, "nfds", -1), expected_total);
}

static void tst_spawn5(void)
{
    int first = cf_free_fd(3);
    int fds[100], n = 0;
    for (int i = 0; i < 100; i++) {
        int fd = open("/dev/null", O_RDONLY);
        if (fd < 0)
            break;
        fds[n++] = fd;
    }
    if (n < 100 || fds[n - 1] >= CF_REPORT_FDS) {
        cf_fail("GT-spawn5-half", "tst-spawn5", "setup: %d fds, last %d", n,
                n ? fds[n - 1] : -1);
        for (int i = 0; i < n; i++)
            close(fds[i]);
        return;
    }
    closefrom_check("GT-spawn5-half", "tst-spawn5-closefrom-half",
                    first + 50);
    /* Gaps below and above the bound. */
    for (int i = 10; i < 20; i += 2)
        close(first + i);
    for (int i = 60; i < 70; i += 3)
        close(first + i);
    closefrom_check("GT-spawn5-gaps", "tst-spawn5-closefrom-with-gaps",
                    first + 15);
    closefrom_check("GT-spawn5-lowfd-plus-1", "tst-spawn5-closefrom-lowfd-plus-1",
                    first + 1);
    closefrom_check("GT-spawn5-lowfd", "tst-spawn5-closefrom-lowfd", first);

    /* closefrom(lowfd+1), open(lowfd), dup2(lowfd, lowfd+1), open(lowfd). */
    int lowfd = first;
    char *f1 = cf_path("tst-spawn5-a"), *f2 = cf_path("tst-spawn5-b");
    cf_write_str(f1, "a", 0644);
    cf_write_str(f2, "b", 0644);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, lowfd + 1);
    posix_spawn_file_actions_addopen(&fa, lowfd, f1, O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, lowfd, lowfd + 1);
    posix_spawn_file_actions_addopen(&fa, lowfd, f2, O_RDONLY, 0);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    struct stat s1, s2;
    struct cf_fdinfo i1, i2;
    int ok = have && stat(f1, &s1) == 0 && stat(f2, &s2) == 0 &&
             cf_rep_fdinfo(&r, lowfd, &i2) == 0 &&
             cf_rep_fdinfo(&r, lowfd + 1, &i1) == 0 &&
             i2.ino == (long long)s2.st_ino && i1.ino == (long long)s1.st_ino;
    int extra = 0;
    for (int fd = lowfd + 2; fd < CF_REPORT_FDS; fd++)
        extra += cf_rep_fd(&r, fd) == 1;
    cf_check("GT-spawn5-order", "tst-spawn5-closefrom-then-open-dup2-open",
             ok && extra == 0, "%s, extra fds %d", cf_out_text(o), extra);
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

/* ------------------------------------------------------------------------ */
/* tst-spawn7: signal dispositions. */

static int catchable(int sig)
{
    return sig != SIGKILL && sig != SIGSTOP && !cf_reserved_signal(sig);
}

static void tst_spawn7(void)
{
    struct cf_report r;
    struct cf_out o;
    for (int sig = 1; sig < 65; sig++)
        if (catchable(sig))
            cf_set_disposition(sig, cf_catch);
    int have = cf_report_run(&r, &o, NULL, NULL);
    int wrong = 0;
    for (int sig = 1; sig < 65; sig++)
        if (catchable(sig) && cf_rep_disp(&r, sig) != 'D')
            wrong = sig;
    for (int sig = 1; sig < 65; sig++)
        if (catchable(sig))
            cf_set_disposition(sig, SIG_DFL);
    cf_check("GT-spawn7-all-default", "tst-spawn7-caught-signals-all-default",
             have && !wrong, "%s, signal %d not SIG_DFL", cf_out_text(o),
             wrong);

    cf_set_disposition(SIGUSR1, cf_catch);
    cf_set_disposition(SIGUSR2, cf_catch);
    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("GT-spawn7-handlers", "tst-spawn7-usr-handlers-become-default",
             have && cf_rep_disp(&r, SIGUSR1) == 'D' &&
                 cf_rep_disp(&r, SIGUSR2) == 'D',
             "%s, USR1 %c USR2 %c", cf_out_text(o), cf_rep_disp(&r, SIGUSR1),
             cf_rep_disp(&r, SIGUSR2));

    cf_set_disposition(SIGUSR1, SIG_IGN);
    cf_set_disposition(SIGUSR2, SIG_IGN);
    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("GT-spawn7-ignored", "tst-spawn7-ignored-stay-ignored",
             have && cf_rep_disp(&r, SIGUSR1) == 'I' &&
                 cf_rep_disp(&r, SIGUSR2) == 'I',
             "%s, USR1 %c USR2 %c", cf_out_text(o), cf_rep_disp(&r, SIGUSR1),
             cf_rep_disp(&r, SIGUSR2));

    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGDEF);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    posix_spawnattr_setsigdefault(&a, &set);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("GT-spawn7-sigdef", "tst-spawn7-setsigdef-resets-ignored",
             have && cf_rep_disp(&r, SIGUSR1) == 'D' &&
                 cf_rep_disp(&r, SIGUSR2) == 'D',
             "%s, USR1 %c USR2 %c", cf_out_text(o), cf_rep_disp(&r, SIGUSR1),
             cf_rep_disp(&r, SIGUSR2));
    cf_set_disposition(SIGUSR1, SIG_DFL);
    cf_set_disposition(SIGUSR2, SIG_DFL);
}

/* ------------------------------------------------------------------------ */
/* tst-posix_spawn-fd: which descriptor numbers the add functions accept. */

static int psfd_add(int which, int fd)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    int rc = -1;
    switch (which) {
    case 0:
        rc = posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDONLY, 0);
        break;
    case 1: rc = posix_spawn_file_actions_adddup2(&fa, fd, 1); break;
    case 2: rc = posix_spawn_file_actions_adddup2(&fa, 1, fd); break;
    case 3: rc = posix_spawn_file_actions_addclose(&fa, fd); break;
    }
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

static void tst_posix_spawn_fd(void)
{
    static const char *const fn[] = {"addopen", "adddup2-source",
                                     "adddup2-target", "addclose"};
    int closed = dup(0);
    close(closed);
    int open_max = (int)sysconf(_SC_OPEN_MAX);
    struct {
        const char *tag;
        int fd;
        int want;
    } cases[] = {
        {"zero", 0, 0},
        {"closed", closed, 0},
        {"minus-1", -1, EBADF},
        {"minus-2", -2, EBADF},
        {"open-max", open_max, EBADF},
    };
    for (int w = 0; w < 4; w++) {
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            char id[64], name[96];
            snprintf(id, sizeof id, "GT-psfd-%s-%s", fn[w], cases[c].tag);
            snprintf(name, sizeof name, "tst-posix_spawn-fd-%s-%s", fn[w],
                     cases[c].tag);
            int rc = psfd_add(w, cases[c].fd);
            cf_check(id, name, rc == cases[c].want, "returned %s, expected %s",
                     cf_errname(rc), cf_errname(cases[c].want));
        }
    }
}

/* ------------------------------------------------------------------------ */
/* tst-posix_spawn-setsid. */

static void tst_setsid(void)
{
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("GT-setsid-without", "tst-posix_spawn-setsid-without-flag",
             have && cf_rep_long(&r, "sid", -1) == getsid(0), "%s, sid %ld",
             cf_out_text(o), cf_rep_long(&r, "sid", -1));
    posix_spawnattr_t a;
    cf_attr_flags(&a, cf_setsid_flag());
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("GT-setsid-with", "tst-posix_spawn-setsid-with-flag",
             have && cf_rep_long(&r, "sid", -1) != getsid(0), "%s, sid %ld",
             cf_out_text(o), cf_rep_long(&r, "sid", -1));
}

/* ------------------------------------------------------------------------ */
/* tst-spawn-chdir: spawn/spawnp x addchdir/(open+addfchdir+close) x path
 * overwritten or not. */

static void tst_spawn_chdir(void)
{
    cf_path_set(cf_selfdir);

    for (int it = 0; it < 8; it++) {
        int use_p = it & 1, use_fchdir = (it >> 1) & 1, overwrite = (it >> 2) & 1;
        char *dir = cf_path("chdir-%d", it);
        char *sub = cf_path("chdir-%d/subdir", it);
        char *probe = cf_path("chdir-%d/subdir/probe-file", it);
        char *output = cf_path("chdir-%d/output-file", it);
        cf_mkdir(dir, 0755);
        cf_mkdir(sub, 0755);

        char buf[PATH_MAX];
        snprintf(buf, sizeof buf, "%s", sub);
        posix_spawn_file_actions_t fa;
        cf_fa_init(&fa);
        int tmpfd = 50;
        if (use_fchdir) {
            posix_spawn_file_actions_addopen(&fa, tmpfd, buf,
                                             O_DIRECTORY | O_RDONLY, 0);
            cf_addfchdir_np(&fa, tmpfd);
            posix_spawn_file_actions_addclose(&fa, tmpfd);
        } else {
            cf_addchdir_np(&fa, buf);
        }
        if (overwrite)
            memset(buf, 'X', strlen(buf));
        posix_spawn_file_actions_addopen(&fa, 3, "probe-file",
                                         O_WRONLY | O_CREAT | O_EXCL, 0644);
        posix_spawn_file_actions_addclose(&fa, 3);
        cf_addchdir_np(&fa, "..");
        posix_spawn_file_actions_addopen(&fa, 1, "output-file",
                                         O_WRONLY | O_CREAT | O_TRUNC, 0644);
        struct cf_out o = cf_run_at(use_p ? cf_selfbase : cf_self, use_p, &fa,
                                    NULL, "cwd-to-stdout", (char *)NULL);
        posix_spawn_file_actions_destroy(&fa);
        char text[PATH_MAX + 2] = "", want[PATH_MAX + 2], mine[PATH_MAX] = "";
        cf_read_file(output, text, sizeof text);
        snprintf(want, sizeof want, "%s\n", dir);
        if (getcwd(mine, sizeof mine) == NULL)
            mine[0] = 0;
        char id[48], name[96];
        snprintf(id, sizeof id, "GT-chdir-%d", it);
        snprintf(name, sizeof name, "tst-spawn-chdir-%s-%s%s",
                 use_p ? "spawnp" : "spawn", use_fchdir ? "fchdir" : "chdir",
                 overwrite ? "-overwritten" : "");
        cf_check(id, name,
                 o.ret == 0 && cf_exited(o.status, 0) &&
                     strcmp(text, want) == 0 && access(probe, F_OK) == 0 &&
                     strcmp(mine, cf_tmp) == 0,
                 "%s, output \"%.100s\", probe %d, parent cwd changed %d",
                 cf_out_text(o), text, access(probe, F_OK) == 0,
                 strcmp(mine, cf_tmp) != 0);
    }
    cf_path_restore();

    /* The relative image path is resolved after the chdir actions. */
    char *dir = cf_path("chdir-rel");
    char *sub = cf_path("chdir-rel/subdir");
    char *prog = cf_path("chdir-rel/subdir/prog");
    cf_mkdir(dir, 0755);
    cf_mkdir(sub, 0755);
    cf_copy_file(cf_self, prog, 0755);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, sub);
    cf_addchdir_np(&fa, "..");
    struct cf_out o = cf_run_at("subdir/prog", 0, &fa, NULL, "exit", "12",
                                (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("GT-chdir-relative-image", "tst-spawn-chdir-relative-program",
             o.ret == 0 && cf_exited(o.status, 12), "%s", cf_out_text(o));
}

static const struct cf_scenario scenarios[] = {
    {"tst-spawn-child", scen_tst_spawn_child},
    {"tst-spawn3", scen_tst_spawn3},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    cf_start(argc, argv, "glibc_scenarios", scenarios);
    tst_spawn(0);
    tst_spawn(1);
    tst_spawn2();
    tst_spawn3();
    tst_spawn4();
    tst_spawn5();
    cf_need(CF_HAVE_ADDTCSETPGRP_NP, "posix_spawn_file_actions_addtcsetpgrp_np");
    cf_skip("GT-spawn6", "tst-spawn6-tcsetpgrp",
            "posix_spawn_file_actions_addtcsetpgrp_np needs a pseudo-terminal, "
            "which the suite does not set up");
    tst_spawn7();
    tst_posix_spawn_fd();
    tst_setsid();
    tst_spawn_chdir();
    return cf_end();
}
