/*
 * file_action_objects.c - checklist section B: posix_spawn_file_actions_t
 * objects (errors when an action is added, copies of paths, init/destroy).
 */
#include "conformance.h"

/* One add call on a fresh object; returns its value. */
enum add_kind { ADD_CLOSE, ADD_OPEN, ADD_DUP2_SRC, ADD_DUP2_DST, ADD_FCHDIR,
                ADD_CLOSEFROM };

static int add_one(enum add_kind kind, int fd)
{
    posix_spawn_file_actions_t fa;
    int rc = -1;
    cf_fa_init(&fa);
    switch (kind) {
    case ADD_CLOSE: rc = posix_spawn_file_actions_addclose(&fa, fd); break;
    case ADD_OPEN:
        rc = posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", O_RDONLY,
                                              0);
        break;
    case ADD_DUP2_SRC: rc = posix_spawn_file_actions_adddup2(&fa, fd, 1); break;
    case ADD_DUP2_DST: rc = posix_spawn_file_actions_adddup2(&fa, 1, fd); break;
    case ADD_FCHDIR: rc = cf_addfchdir_np(&fa, fd); break;
    case ADD_CLOSEFROM:
        rc = cf_addclosefrom_np(&fa, fd);
        break;
    }
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

static void expect_add(const char *id, const char *name, enum add_kind kind,
                       int fd, int want)
{
    int rc = add_one(kind, fd);
    cf_check(id, name, rc == want, "returned %s, expected %s",
             cf_errname(rc), cf_errname(want));
}

/* Where POSIX leaves the answer open: print it. */
static void report_add(const char *id, const char *name, enum add_kind kind,
                       int fd)
{
    int rc = add_one(kind, fd);
    if (rc == 0 || rc == EBADF)
        cf_ok(id, name, "returned %s", cf_errname(rc));
    else
        cf_fail(id, name, "returned %s, expected 0 or EBADF",
                cf_errname(rc));
}

static void b_add_errors(void)
{
    int open_max = (int)sysconf(_SC_OPEN_MAX);

    expect_add("B11", "addclose-minus-1", ADD_CLOSE, -1, EBADF);
    expect_add("B12", "addclose-minus-2", ADD_CLOSE, -2, EBADF);
    report_add("B13", "addclose-open-max", ADD_CLOSE, open_max);
    expect_add("B14", "addopen-minus-1", ADD_OPEN, -1, EBADF);
    expect_add("B15", "addopen-open-max", ADD_OPEN, open_max, EBADF);
    expect_add("B16a", "adddup2-source-minus-1", ADD_DUP2_SRC, -1, EBADF);
    expect_add("B16b", "adddup2-target-minus-1", ADD_DUP2_DST, -1, EBADF);
    expect_add("B17a", "adddup2-target-open-max", ADD_DUP2_DST, open_max,
               EBADF);
    expect_add("B17b", "adddup2-source-open-max", ADD_DUP2_SRC, open_max,
               EBADF);
    report_add("B18", "addfchdir-minus-1", ADD_FCHDIR, -1);
    expect_add("B19", "addclosefrom-minus-1", ADD_CLOSEFROM, -1, EBADF);
}

/* B20: a valid descriptor number that is closed when the action is added
 * is not an error (it is looked at only at spawn time). */
static void b20_closed_fd(void)
{
    int fd = dup(0);
    if (fd < 0) {
        cf_fail("B20", "add-actions-for-closed-fd", "dup failed");
        return;
    }
    close(fd);
    int a = add_one(ADD_CLOSE, fd), b = add_one(ADD_OPEN, fd),
        c = add_one(ADD_DUP2_SRC, fd), d = add_one(ADD_DUP2_DST, fd),
        e = add_one(ADD_FCHDIR, fd);
    cf_check("B20", "add-actions-for-closed-fd",
             a == 0 && b == 0 && c == 0 && d == 0 && e == 0,
             "close %s open %s dup2-src %s dup2-dst %s fchdir %s",
             cf_errname(a), cf_errname(b), cf_errname(c), cf_errname(d),
             cf_errname(e));
}

/* B21: addopen copies the path: the buffer is overwritten before the
 * spawn, and the child still creates the file the original named. */
static void b21_addopen_copies(void)
{
    char *want = cf_path("b21-original");
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", want);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    int rc = posix_spawn_file_actions_addopen(&fa, 5, buf,
                                              O_WRONLY | O_CREAT, 0644);
    memset(buf + strlen(cf_tmp) + 5, 'X', strlen(want) - strlen(cf_tmp) - 5);
    cf_track(buf);
    struct cf_report r;
    struct cf_out o;
    int have = rc == 0 && cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("B21", "addopen-copies-path",
             have && access(want, F_OK) == 0 && cf_rep_fd(&r, 5) == 1,
             "add %s, %s, original exists %d, fd 5 open %d",
             cf_errname(rc), rc == 0 ? cf_out_text(o) : "-",
             access(want, F_OK) == 0, have ? cf_rep_fd(&r, 5) : -1);
}

/* B22: addchdir copies the path. */
static void b22_addchdir_copies(void)
{
    char *dir = cf_path("b22-dir");
    char buf[PATH_MAX];
    if (cf_mkdir(dir, 0755) != 0) {
        cf_fail("B22", "addchdir-copies-path", "mkdir failed");
        return;
    }
    snprintf(buf, sizeof buf, "%s", dir);
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    int rc = cf_addchdir_np(&fa, buf);
    memset(buf + strlen(cf_tmp) + 4, 'X', strlen(dir) - strlen(cf_tmp) - 4);
    cf_track(buf);
    struct cf_report r;
    struct cf_out o;
    int have = rc == 0 && cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    char cwd[PATH_MAX];
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    cf_check("B22", "addchdir-copies-path", have && strcmp(cwd, dir) == 0,
             "add %s, %s, child cwd %s", cf_errname(rc),
             rc == 0 ? cf_out_text(o) : "-", have ? cwd : "?");
}

/* B23: init, destroy, init again: 0 each time and the object works. */
static void b23_reinit(void)
{
    posix_spawn_file_actions_t fa;
    int a = posix_spawn_file_actions_init(&fa);
    int b = posix_spawn_file_actions_addclose(&fa, 7);
    int c = posix_spawn_file_actions_destroy(&fa);
    int d = posix_spawn_file_actions_init(&fa);
    int e = posix_spawn_file_actions_addopen(&fa, 6, "/dev/null", O_RDONLY, 0);
    struct cf_report r;
    struct cf_out o;
    int have = e == 0 && cf_report_run(&r, &o, &fa, NULL);
    int f = posix_spawn_file_actions_destroy(&fa);
    cf_check("B23", "file-actions-init-destroy-init",
             a == 0 && b == 0 && c == 0 && d == 0 && e == 0 && f == 0 &&
                 have && cf_rep_fd(&r, 6) == 1,
             "init %s add %s destroy %s init %s add %s destroy %s fd6 %d",
             cf_errname(a), cf_errname(b), cf_errname(c), cf_errname(d),
             cf_errname(e), cf_errname(f), have ? cf_rep_fd(&r, 6) : -1);
}

/* Boundary values that must be accepted. */
static void b_accepted(void)
{
    int open_max = (int)sysconf(_SC_OPEN_MAX);
    int a = add_one(ADD_CLOSE, 0), b = add_one(ADD_OPEN, 0),
        c = add_one(ADD_DUP2_SRC, 0), d = add_one(ADD_DUP2_DST, 0);
    cf_check("B-zero", "add-actions-for-fd-0", !a && !b && !c && !d,
             "close %s open %s dup2-src %s dup2-dst %s", cf_errname(a),
             cf_errname(b), cf_errname(c), cf_errname(d));
    a = add_one(ADD_OPEN, open_max - 1);
    b = add_one(ADD_DUP2_DST, open_max - 1);
    c = add_one(ADD_CLOSE, open_max - 1);
    cf_check("B-max-1", "add-actions-for-open-max-minus-1", !a && !b && !c,
             "open %s dup2 %s close %s", cf_errname(a), cf_errname(b),
             cf_errname(c));
    a = add_one(ADD_CLOSEFROM, 3);
    b = add_one(ADD_FCHDIR, 3);
    cf_check("B-closefrom-fchdir", "addclosefrom-addfchdir-accept-3",
             !a && !b, "closefrom %s fchdir %s", cf_errname(a),
             cf_errname(b));
}

/* A failed add leaves the object as it was: the spawn runs the actions
 * added before, and nothing of the failed one. */
static void b_failed_add_changes_nothing(void)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 8, "/dev/null", O_RDONLY, 0);
    int rc = posix_spawn_file_actions_adddup2(&fa, 8, -1);
    int rc2 = posix_spawn_file_actions_addopen(&fa, -1, "/nonexistent/x",
                                               O_RDONLY, 0);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("B-failed-add", "failed-add-leaves-object-usable",
             rc == EBADF && rc2 == EBADF && have && cf_rep_fd(&r, 8) == 1,
             "adds %s/%s, %s", cf_errname(rc), cf_errname(rc2),
             cf_out_text(o));
}

/* Two objects are independent; one object can serve several spawns. */
static void b_reuse(void)
{
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 9, "/dev/null", O_RDONLY, 0);
    struct cf_report r1, r2;
    struct cf_out o1, o2;
    int h1 = cf_report_run(&r1, &o1, &fa, NULL);
    int h2 = cf_report_run(&r2, &o2, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    cf_check("B-reuse", "one-object-two-spawns",
             h1 && h2 && cf_rep_fd(&r1, 9) == 1 && cf_rep_fd(&r2, 9) == 1,
             "%s / %s", cf_out_text(o1), cf_out_text(o2));
}

int main(int argc, char **argv)
{
    cf_start(argc, argv, "file_action_objects", NULL);
    b_add_errors();
    b20_closed_fd();
    b21_addopen_copies();
    b22_addchdir_copies();
    b23_reinit();
    b_accepted();
    b_failed_add_changes_nothing();
    b_reuse();
    return cf_end();
}
