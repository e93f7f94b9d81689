/*
 * netbsd_scenarios.c - the scenarios of NetBSD's t_spawn, t_fileactions and
 * t_spawnattr (tests/lib/libc/gen/posix_spawn), written fresh from their
 * description in the project's posix_spawn reference (section 5.3); no
 * NetBSD code is used. Where the NetBSD tests run ls, pwd or cat, this
 * program runs itself in a child mode that does the same job.
 */
#include "conformance.h"

/* ------------------------------------------------------------------------ */
/* t_spawn */

static void t_spawn_basic(void)
{
    char *argv[] = {cf_self, "exit", "0", NULL};
    int rc = posix_spawn(NULL, cf_self, NULL, NULL, argv, environ);
    int status = -1;
    if (rc == 0)
        wait(&status);
    cf_check("NB-spawn-ls", "t_spawn_ls", rc == 0 && cf_exited(status, 0),
             "returned %s, %s", cf_errname(rc), cf_status_text(status));

    char *argvp[] = {cf_selfbase, "exit", "0", NULL};
    cf_path_set(cf_selfdir);
    rc = posix_spawnp(NULL, cf_selfbase, NULL, NULL, argvp, environ);
    cf_path_restore();
    status = -1;
    if (rc == 0)
        wait(&status);
    cf_check("NB-spawnp-ls", "t_spawnp_ls", rc == 0 && cf_exited(status, 0),
             "returned %s, %s", cf_errname(rc), cf_status_text(status));

    char *zeros = cf_path("t_spawn_zero");
    char buf[2048];
    memset(buf, 0, sizeof buf);
    cf_write_file(zeros, buf, sizeof buf, 0755);
    struct cf_out o = cf_run_at(zeros, 0, NULL, NULL, "x", (char *)NULL);
    cf_check("NB-spawn-zero", "t_spawn_zero", o.ret == ENOEXEC, "%s",
             cf_out_text(o));

    char *missing = cf_path("t_spawn_missing/binary");
    o = cf_run_at(missing, 0, NULL, NULL, "x", (char *)NULL);
    cf_check("NB-spawn-missing", "t_spawn_missing", o.ret == ENOENT, "%s",
             cf_out_text(o));

    char *script = cf_path("t_spawn_nonexec");
    char text[PATH_MAX + 32];
    snprintf(text, sizeof text, "#!%s/no/such/interpreter\n", cf_tmp);
    cf_write_str(script, text, 0755);
    o = cf_run_at(script, 0, NULL, NULL, "x", (char *)NULL);
    /* NetBSD, Linux and kernel-shim: ENOENT (the interpreter is missing). */
    if (o.ret == ENOENT)
        cf_ok("NB-spawn-nonexec", "t_spawn_nonexec", "%s", cf_out_text(o));
    else
        cf_fail("NB-spawn-nonexec", "t_spawn_nonexec", "%s", cf_out_text(o));

    const char *codes[] = {"0", "1", "7"};
    for (int i = 0; i < 3; i++) {
        char id[32], name[48];
        snprintf(id, sizeof id, "NB-spawn-child-%s", codes[i]);
        snprintf(name, sizeof name, "t_spawn_child-exit-%s", codes[i]);
        o = cf_run(NULL, NULL, "exit", codes[i], (char *)NULL);
        cf_check(id, name, o.ret == 0 && cf_exited(o.status, atoi(codes[i])),
                 "%s", cf_out_text(o));
    }
}

/* The child prints its cwd into "output", opened relative to the cwd the
 * chdir action left. */
static void chdir_output_check(const char *id, const char *name,
                               posix_spawn_file_actions_t *fa, const char *dir)
{
    char *output = cf_path("%s/output", dir + strlen(cf_tmp) + 1);
    posix_spawn_file_actions_addopen(fa, 1, "output",
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct cf_out o = cf_run(fa, NULL, "cwd-to-stdout", (char *)NULL);
    char text[PATH_MAX + 2] = "", want[PATH_MAX + 2];
    cf_read_file(output, text, sizeof text);
    snprintf(want, sizeof want, "%s\n", dir);
    cf_check(id, name,
             o.ret == 0 && cf_exited(o.status, 0) && strcmp(text, want) == 0,
             "%s, output \"%.100s\"", cf_out_text(o), text);
}

static void t_spawn_chdir(void)
{
    posix_spawn_file_actions_t fa;
    char *abs_dir = cf_path("nb-chdir-abs");
    cf_mkdir(abs_dir, 0755);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, abs_dir);
    chdir_output_check("NB-chdir-abs", "t_spawn_chdir_abs", &fa, abs_dir);
    posix_spawn_file_actions_destroy(&fa);

    char *rel_dir = cf_path("ch-dir");
    cf_mkdir(rel_dir, 0755);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "ch-dir");
    chdir_output_check("NB-chdir-rel", "t_spawn_chdir_rel", &fa, rel_dir);
    posix_spawn_file_actions_destroy(&fa);

    char *file = cf_path("nb-regular-file");
    cf_write_str(file, "x", 0644);
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, file);
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-chdir-file", "t_spawn_chdir_file", o.ret == ENOTDIR, "%s",
             cf_out_text(o));

    cf_fa_init(&fa);
    cf_addchdir_np(&fa, "/not/a/valid/dir");
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_expect_failure("NB-chdir-invalid", "t_spawn_chdir_invalid", o, ENOENT);

    char *fabs = cf_path("nb-fchdir-abs");
    cf_mkdir(fabs, 0755);
    int dfd = open(fabs, O_RDONLY | O_DIRECTORY);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, dfd);
    chdir_output_check("NB-fchdir-abs", "t_spawn_fchdir_abs", &fa, fabs);
    posix_spawn_file_actions_destroy(&fa);
    close(dfd);

    char *frel = cf_path("nb-fchdir-rel");
    cf_mkdir(frel, 0755);
    dfd = open("nb-fchdir-rel", O_RDONLY | O_DIRECTORY);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, dfd);
    chdir_output_check("NB-fchdir-rel", "t_spawn_fchdir_rel", &fa, frel);
    posix_spawn_file_actions_destroy(&fa);
    close(dfd);

    int ffd = open(file, O_RDONLY);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, ffd);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    close(ffd);
    cf_expect_failure("NB-fchdir-file", "t_spawn_fchdir_file", o, ENOTDIR);

    cf_fa_init(&fa);
    int rc = cf_addfchdir_np(&fa, -1);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == EBADF || rc == 0)
        cf_ok("NB-fchdir-neg-fd", "t_spawn_fchdir_neg_fd", "returned %s",
              cf_errname(rc));
    else
        cf_fail("NB-fchdir-neg-fd", "t_spawn_fchdir_neg_fd", "returned %s",
                cf_errname(rc));

    int closed = cf_free_fd(3);
    cf_fa_init(&fa);
    cf_addfchdir_np(&fa, closed);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-fchdir-closed", "t_spawn_fchdir_closed", o.ret == EBADF,
             "%s", cf_out_text(o));
}

static void scen_chdir_perm(int out, int argc, char **argv)
{
    if (argc < 2)
        return;
    if (cf_become_user() != 0) {
        dprintf(out, "cannot become uid %d: %s\n", CF_USER, cf_errname(errno));
        return;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.4000s/dir", argv[0]);
    if (mkdir(dir, 0700) != 0 || chmod(dir, 0055) != 0) {
        dprintf(out, "mkdir failed: %s\n", cf_errname(errno));
        return;
    }
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addchdir_np(&fa, dir);
    struct cf_out o = cf_run_at(argv[1], 0, &fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    dprintf(out, "%s\n", cf_out_text(o));
}

static void t_spawn_chdir_permissions(void)
{
    char *parent = cf_path("nb-perm");
    cf_path("nb-perm/dir");
    const char *copy = cf_self_copy();
    cf_mkdir(parent, 0777);
    char text[256];
    cf_scenario(text, sizeof text, "chdir-perm", parent, copy ? copy : "?",
                (char *)NULL);
    cf_check("NB-chdir-permissions", "t_spawn_chdir_permissions",
             strcmp(text, "returned EACCES") == 0, "%s", text);
}

static void t_spawn_sig(void)
{
    int bad = 0;
    char detail[128] = "";
    for (int i = 0; i < 10 && !bad; i++) {
        int gate[2];
        cf_gate_pipe(gate);
        char fdarg[16];
        snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
        pid_t pid;
        int rc = cf_spawn(&pid, NULL, NULL, "gate", fdarg, (char *)NULL);
        if (rc == 0)
            kill(pid, SIGTERM);
        close(gate[0]);
        close(gate[1]);
        int status = rc == 0 ? cf_wait(pid) : -1;
        if (!cf_killed(status, SIGTERM)) {
            bad = 1;
            snprintf(detail, sizeof detail, "round %d: returned %s, %s", i,
                     cf_errname(rc), cf_status_text(status));
        }
    }
    cf_check("NB-spawn-sig", "t_spawn_sig", !bad, "%s", detail);
}

/* ------------------------------------------------------------------------ */
/* t_fileactions */

static void t_spawn_fileactions(void)
{
    int fd3 = open("/dev/null", O_RDONLY);
    int fd4 = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int fd5 = open("/dev/null", O_RDONLY);
    int fd6 = cf_free_fd(fd5 + 1);
    int fd7 = cf_free_fd(fd6 + 1);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fd3);
    posix_spawn_file_actions_addopen(&fa, fd6, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 1, fd7);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    close(fd3);
    close(fd4);
    close(fd5);
    cf_check("NB-fa-closed", "t_spawn_fileactions-addclose",
             have && cf_rep_fd(&r, fd3) == 0, "%s, fd %d open %d",
             cf_out_text(o), fd3, cf_rep_fd(&r, fd3));
    cf_check("NB-fa-cloexec", "t_spawn_fileactions-cloexec-closed",
             have && cf_rep_fd(&r, fd4) == 0, "fd %d open %d", fd4,
             cf_rep_fd(&r, fd4));
    cf_check("NB-fa-inherited", "t_spawn_fileactions-inherited",
             have && cf_rep_fd(&r, fd5) == 1, "fd %d open %d", fd5,
             cf_rep_fd(&r, fd5));
    struct cf_fdinfo info;
    cf_check("NB-fa-open-rdwr", "t_spawn_fileactions-addopen-rdwr",
             have && cf_rep_fdinfo(&r, fd6, &info) == 0 &&
                 (info.flags & O_ACCMODE) == O_RDWR,
             "fd %d open %d", fd6, cf_rep_fd(&r, fd6));
    struct stat st;
    int same = have && fstat(1, &st) == 0 && cf_rep_fdinfo(&r, fd7, &info) == 0 &&
               info.dev == (long long)st.st_dev &&
               info.ino == (long long)st.st_ino;
    cf_check("NB-fa-dup2-stdout", "t_spawn_fileactions-dup2-of-stdout", same,
             "fd %d open %d", fd7, cf_rep_fd(&r, fd7));
}

static void t_spawn_open(void)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "./non/ex/ist/ent", O_RDONLY, 0);
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    cf_expect_failure("NB-open-nonexistent", "t_spawn_open_nonexistent", o,
                      ENOENT);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-open-nonexistent-diag", "t_spawn_open_nonexistent_diag",
             o.ret == ENOENT, "%s", cf_out_text(o));

    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-reopen", "t_spawn_reopen", o.ret == 0 && cf_exited(o.status, 0),
             "%s", cf_out_text(o));
}

static long long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

static void t_spawn_openmode(void)
{
    char *in = cf_path("nb-in"), *out = cf_path("nb-out");
    cf_write_str(in, "the quick brown fox\njumps over the lazy dog\n", 0644);
    long long insize = file_size(in);

    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT, 0600);
    struct cf_out o = cf_run(&fa, NULL, "cat", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-openmode-creat", "t_spawn_openmode-create",
             o.ret == 0 && cf_exited(o.status, 0) && file_size(out) == insize,
             "%s, sizes %lld/%lld", cf_out_text(o), file_size(out), insize);

    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out,
                                     O_WRONLY | O_APPEND | O_CREAT, 0600);
    o = cf_run(&fa, NULL, "cat", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-openmode-append", "t_spawn_openmode-append",
             o.ret == 0 && cf_exited(o.status, 0) &&
                 file_size(out) == 2 * insize,
             "%s, sizes %lld/%lld", cf_out_text(o), file_size(out), insize);

    char *out2 = cf_path("nb-out2");
    cf_write_str(out2, "", 0644);
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, out2, O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, in, O_RDONLY, 0);
    o = cf_run(&fa, NULL, "cat", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-openmode-swapped", "t_spawn_openmode-swapped-fds-fail",
             o.ret == 0 && cf_exited(o.status, 1) && file_size(out2) == 0 &&
                 file_size(in) == insize,
             "%s, out size %lld", cf_out_text(o), file_size(out2));
}

static void t_spawn_empty_and_closed(void)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    struct cf_out o = cf_run(&fa, NULL, "exit", "0", (char *)NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("NB-empty-fileactions", "t_spawn_empty_fileactions",
             o.ret == 0 && cf_exited(o.status, 0), "%s", cf_out_text(o));

    for (int wait_flag = 0; wait_flag < 2; wait_flag++) {
        int fd = open("/dev/null", O_RDONLY);
        close(fd);
        cf_fa_init(&fa);
        posix_spawn_file_actions_addclose(&fa, fd);
        posix_spawn_file_actions_addclose(&fa, fd + 1);
        posix_spawn_file_actions_addclose(&fa, 560);
        posix_spawnattr_t a;
        cf_attr_flags(&a, wait_flag ? POSIX_SPAWN_SETPGROUP : 0);
        o = cf_run(&fa, &a, "exit", "0", (char *)NULL);
        posix_spawnattr_destroy(&a);
        posix_spawn_file_actions_destroy(&fa);
        cf_check(wait_flag ? "NB-close-closed-wait" : "NB-close-closed",
                 wait_flag ? "t_spawn_close_already_closed_wait"
                           : "t_spawn_close_already_closed",
                 o.ret == 0 && cf_exited(o.status, 0), "%s", cf_out_text(o));
    }
}

/* ------------------------------------------------------------------------ */
/* t_spawnattr */

static void t_spawnattr(void)
{
    int parent_policy = sched_getscheduler(0);
    int policy = parent_policy == SCHED_FIFO ? SCHED_RR : SCHED_FIFO;
    int prio = (sched_get_priority_min(policy) + sched_get_priority_max(policy)) / 2;

    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGUSR1, &sa, &old);

    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSCHEDPARAM |
                          POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                          POSIX_SPAWN_SETSIGDEF);
    struct sched_param sp = {.sched_priority = prio};
    posix_spawnattr_setschedpolicy(&a, policy);
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setpgroup(&a, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    posix_spawnattr_setsigmask(&a, &set);
    posix_spawnattr_setsigdefault(&a, &set);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    sigaction(SIGUSR1, &old, NULL);

    if (!have && o.ret == EPERM) {
        static const char *const ids[] = {"policy", "param", "pgroup",
                                          "sigmask", "sigdef"};
        for (int i = 0; i < 5; i++) {
            char id[48];
            snprintf(id, sizeof id, "NB-spawnattr-%s", ids[i]);
            cf_skip(id, "t_spawnattr", "needs privilege: %s", cf_out_text(o));
        }
        return;
    }
    cf_need_sched();
    cf_check("NB-spawnattr-policy", "t_spawnattr-policy",
             have && cf_rep_long(&r, "policy", -1) == policy, "%s, policy %ld",
             cf_out_text(o), cf_rep_long(&r, "policy", -1));
    cf_need_sched();
    cf_check("NB-spawnattr-param", "t_spawnattr-priority",
             have && cf_rep_long(&r, "prio", -1) == prio, "priority %ld",
             cf_rep_long(&r, "prio", -1));
    cf_check("NB-spawnattr-pgroup", "t_spawnattr-pgroup",
             have && cf_rep_long(&r, "pgid", -1) == cf_rep_long(&r, "pid", -2),
             "pgid %ld", cf_rep_long(&r, "pgid", -1));
    cf_check("NB-spawnattr-sigmask", "t_spawnattr-sigmask",
             have && cf_rep_mask(&r, SIGUSR1) == '1', "USR1 blocked %c",
             cf_rep_mask(&r, SIGUSR1));
    cf_check("NB-spawnattr-sigdef", "t_spawnattr-sigdefault",
             have && cf_rep_disp(&r, SIGUSR1) == 'D', "USR1 disposition %c",
             cf_rep_disp(&r, SIGUSR1));
}

static void t_spawn_resetids(void)
{
    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_RESETIDS);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("NB-resetids", "t_spawn_resetids",
             have && cf_rep_long(&r, "uid", -1) == cf_rep_long(&r, "euid", -2) &&
                 cf_rep_long(&r, "gid", -1) == cf_rep_long(&r, "egid", -2),
             "%s", cf_out_text(o));
}

static const struct cf_scenario scenarios[] = {
    {"chdir-perm", scen_chdir_perm},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    cf_start(argc, argv, "netbsd_scenarios", scenarios);
    t_spawn_basic();
    t_spawn_chdir();
    t_spawn_chdir_permissions();
    t_spawn_sig();
    t_spawn_fileactions();
    t_spawn_open();
    t_spawn_openmode();
    t_spawn_empty_and_closed();
    t_spawnattr();
    t_spawn_resetids();
    return cf_end();
}
