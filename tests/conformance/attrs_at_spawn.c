/*
 * attrs_at_spawn.c - checklist section E: what the attributes do in the
 * child (process group, session, signal mask and dispositions, scheduling,
 * RESETIDS, set-user-ID images, attrp NULL).
 */
#include "conformance.h"

/* Attr with flags and pgroup. */
static void attr_pgroup(posix_spawnattr_t *a, int flags, pid_t pgroup)
{
    cf_attr_flags(a, flags);
    posix_spawnattr_setpgroup(a, pgroup);
}

/* A child that waits on a gate (the caller closes *gate_w to end it). */
static pid_t gated_child(const posix_spawnattr_t *attr, int *gate_w, int *rc)
{
    int gate[2];
    pid_t pid = -1;
    if (cf_gate_pipe(gate) != 0) {
        *rc = errno;
        return -1;
    }
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
    *rc = cf_spawn(&pid, NULL, attr, "gate", fdarg, (char *)NULL);
    close(gate[0]);
    *gate_w = gate[1];
    return *rc == 0 ? pid : -1;
}

static void e66_to_e69_pgroup(void)
{
    posix_spawnattr_t a;
    struct cf_report r;
    struct cf_out o;

    attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, 0);
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    long pid = cf_rep_long(&r, "pid", -1), pgid = cf_rep_long(&r, "pgid", -2);
    cf_check("E66", "setpgroup-0-new-group", have && pgid == pid,
             "%s, pgid %ld pid %ld", cf_out_text(o), pgid, pid);

    /* Joining the parent's group needs that group's number. Linux reports
     * 0 when the group's leader lives outside this PID namespace (a
     * container), and 0 would mean "a new group"; so first lead a group
     * whose number this process can name. */
    if (getpgrp() == 0 && setpgid(0, 0) != 0) {
        cf_fail("E67", "setpgroup-parent-group", "setpgid(0, 0): %s",
                cf_errname(errno));
    } else {
        attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, getpgrp());
        have = cf_report_run(&r, &o, NULL, &a);
        posix_spawnattr_destroy(&a);
        cf_check("E67", "setpgroup-parent-group",
                 have && cf_rep_long(&r, "pgid", -1) == getpgrp(),
                 "%s, pgid %ld", cf_out_text(o), cf_rep_long(&r, "pgid", -1));
    }

    /* A group in another session: its leader is a gated SETSID child. */
    int gate_w = -1, rc;
    cf_attr_flags(&a, cf_setsid_flag());
    pid_t leader = gated_child(&a, &gate_w, &rc);
    posix_spawnattr_destroy(&a);
    if (leader < 0) {
        cf_fail("E68", "setpgroup-group-in-other-session",
                "leader spawn returned %s", cf_errname(rc));
    } else {
        attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, leader);
        o = cf_run(NULL, &a, "exit", "0", (char *)NULL);
        posix_spawnattr_destroy(&a);
        cf_expect_failure("E68", "setpgroup-group-in-other-session", o, EPERM);
    }
    if (gate_w >= 0)
        close(gate_w);
    if (leader > 0)
        cf_wait(leader);

    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("E69", "no-setpgroup-inherits-group",
             have && cf_rep_long(&r, "pgid", -1) == getpgrp(), "%s, pgid %ld",
             cf_out_text(o), cf_rep_long(&r, "pgid", -1));

    /* Joining another existing group of the same session. */
    attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, 0);
    pid_t g = gated_child(&a, &gate_w, &rc);
    posix_spawnattr_destroy(&a);
    if (g > 0) {
        attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, g);
        have = cf_report_run(&r, &o, NULL, &a);
        posix_spawnattr_destroy(&a);
        cf_check("E-pgroup-join", "setpgroup-join-existing-group",
                 have && cf_rep_long(&r, "pgid", -1) == g, "%s, pgid %ld",
                 cf_out_text(o), cf_rep_long(&r, "pgid", -1));
        close(gate_w);
        cf_wait(g);
    } else {
        cf_fail("E-pgroup-join", "setpgroup-join-existing-group",
                "leader spawn returned %s", cf_errname(rc));
    }

    /* A group that does not exist. */
    pid_t missing = 99991;
    while (kill(missing, 0) == 0 || errno != ESRCH)
        missing += 2;
    attr_pgroup(&a, POSIX_SPAWN_SETPGROUP, missing);
    o = cf_run(NULL, &a, "exit", "0", (char *)NULL);
    posix_spawnattr_destroy(&a);
    cf_expect_failure("E-pgroup-missing", "setpgroup-nonexistent-group", o,
                      EPERM);
}

static void e70_to_e72_session(void)
{
    posix_spawnattr_t a;
    struct cf_report r;
    struct cf_out o;

    cf_attr_flags(&a, cf_setsid_flag());
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    long pid = cf_rep_long(&r, "pid", -1), sid = cf_rep_long(&r, "sid", -2);
    cf_check("E70", "setsid-new-session",
             have && sid == pid && sid != getsid(0), "%s, sid %ld pid %ld",
             cf_out_text(o), sid, pid);
    cf_check("E70b", "setsid-child-leads-its-group",
             have && cf_rep_long(&r, "pgid", -1) == pid, "%s, pgid %ld",
             cf_out_text(o), cf_rep_long(&r, "pgid", -1));

    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("E71", "no-setsid-same-session",
             have && cf_rep_long(&r, "sid", -1) == getsid(0), "%s, sid %ld",
             cf_out_text(o), cf_rep_long(&r, "sid", -1));

    attr_pgroup(&a, cf_setsid_flag() | POSIX_SPAWN_SETPGROUP, 0);
    o = cf_run(NULL, &a, "exit", "0", (char *)NULL);
    posix_spawnattr_destroy(&a);
    if (cf_out_is_failure(o, EPERM) || (o.ret == 0 && cf_exited(o.status, 0)))
        cf_ok("E72", "setsid-and-setpgroup-0", "%s", cf_out_text(o));
    else
        cf_fail("E72", "setsid-and-setpgroup-0", "%s", cf_out_text(o));

    cf_need(CF_HAVE_ADDTCSETPGRP_NP, "posix_spawn_file_actions_addtcsetpgrp_np");
    cf_skip("E73", "setsid-with-addtcsetpgrp",
            "posix_spawn_file_actions_addtcsetpgrp_np needs a controlling "
            "terminal, which the suite does not set up");
}

static void e74_e75_mask(void)
{
    posix_spawnattr_t a;
    struct cf_report r;
    struct cf_out o;
    sigset_t set;

    cf_attr_flags(&a, POSIX_SPAWN_SETSIGMASK);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    posix_spawnattr_setsigmask(&a, &set);
    int have = cf_report_run(&r, &o, NULL, &a);
    cf_check("E74", "setsigmask-blocks-in-child",
             have && cf_rep_mask(&r, SIGUSR1) == '1' &&
                 cf_rep_mask(&r, SIGUSR2) == '0',
             "%s, USR1 %c USR2 %c", cf_out_text(o), cf_rep_mask(&r, SIGUSR1),
             cf_rep_mask(&r, SIGUSR2));
    char sig[8];
    snprintf(sig, sizeof sig, "%d", SIGUSR1);
    o = cf_run(NULL, &a, "raise", sig, (char *)NULL);
    posix_spawnattr_destroy(&a);
    cf_check("E74b", "raise-of-blocked-signal-does-not-kill",
             o.ret == 0 && cf_exited(o.status, 0), "%s", cf_out_text(o));

    sigset_t old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &set, &old);
    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("E75", "no-setsigmask-inherits-mask",
             have && cf_rep_mask(&r, SIGUSR2) == '1' &&
                 cf_rep_mask(&r, SIGRTMIN + 2) == '1' &&
                 cf_rep_mask(&r, SIGUSR1) == '0',
             "%s, USR2 %c RTMIN+2 %c USR1 %c", cf_out_text(o),
             cf_rep_mask(&r, SIGUSR2), cf_rep_mask(&r, SIGRTMIN + 2),
             cf_rep_mask(&r, SIGUSR1));

    /* A mask in the attr is ignored without the flag. */
    cf_attr_flags(&a, POSIX_SPAWN_SETPGROUP);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    posix_spawnattr_setsigmask(&a, &set);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("E75b", "attr-sigmask-ignored-without-flag",
             have && cf_rep_mask(&r, SIGUSR2) == '1' &&
                 cf_rep_mask(&r, SIGUSR1) == '0',
             "%s, USR2 %c USR1 %c", cf_out_text(o), cf_rep_mask(&r, SIGUSR2),
             cf_rep_mask(&r, SIGUSR1));

    /* SETSIGMASK with an empty set unblocks what the parent blocks. */
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGMASK);
    sigemptyset(&set);
    posix_spawnattr_setsigmask(&a, &set);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("E-mask-empty", "setsigmask-empty-unblocks",
             have && cf_rep_mask(&r, SIGUSR2) == '0', "%s, USR2 %c",
             cf_out_text(o), cf_rep_mask(&r, SIGUSR2));
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* SIGKILL and SIGSTOP cannot be blocked. */
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGMASK);
    sigemptyset(&set);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, SIGSTOP);
    sigaddset(&set, SIGTERM);
    posix_spawnattr_setsigmask(&a, &set);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("E-mask-kill", "setsigmask-cannot-block-sigkill",
             have && cf_rep_mask(&r, SIGKILL) == '0' &&
                 cf_rep_mask(&r, SIGSTOP) == '0' &&
                 cf_rep_mask(&r, SIGTERM) == '1',
             "%s, KILL %c STOP %c TERM %c", cf_out_text(o),
             cf_rep_mask(&r, SIGKILL), cf_rep_mask(&r, SIGSTOP),
             cf_rep_mask(&r, SIGTERM));
}

static void e76_to_e79_dispositions(void)
{
    posix_spawnattr_t a;
    struct cf_report r;
    struct cf_out o;
    sigset_t set;
    char sig[8];
    snprintf(sig, sizeof sig, "%d", SIGUSR1);

    cf_set_disposition(SIGUSR1, SIG_IGN);
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGDEF);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    posix_spawnattr_setsigdefault(&a, &set);
    int have = cf_report_run(&r, &o, NULL, &a);
    cf_check("E76", "setsigdef-resets-ignored-signal",
             have && cf_rep_disp(&r, SIGUSR1) == 'D', "%s, USR1 %c",
             cf_out_text(o), cf_rep_disp(&r, SIGUSR1));
    o = cf_run(NULL, &a, "raise", sig, (char *)NULL);
    posix_spawnattr_destroy(&a);
    cf_check("E76b", "setsigdef-signal-kills-child",
             o.ret == 0 && cf_killed(o.status, SIGUSR1), "%s",
             cf_out_text(o));

    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("E78", "ignored-signal-stays-ignored",
             have && cf_rep_disp(&r, SIGUSR1) == 'I', "%s, USR1 %c",
             cf_out_text(o), cf_rep_disp(&r, SIGUSR1));
    o = cf_run(NULL, NULL, "raise", sig, (char *)NULL);
    cf_check("E78b", "ignored-signal-raise-survives",
             o.ret == 0 && cf_exited(o.status, 0), "%s", cf_out_text(o));

    /* SETSIGDEF with every signal (SIGKILL and SIGSTOP included). */
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGDEF);
    sigfillset(&set);
    posix_spawnattr_setsigdefault(&a, &set);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("E-sigdef-all", "setsigdef-full-set",
             have && cf_rep_disp(&r, SIGUSR1) == 'D', "%s, USR1 %c",
             cf_out_text(o), cf_rep_disp(&r, SIGUSR1));
    cf_set_disposition(SIGUSR1, SIG_DFL);

    cf_set_disposition(SIGUSR1, cf_catch);
    cf_set_disposition(SIGTERM, cf_catch);
    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("E77", "caught-signal-becomes-default",
             have && cf_rep_disp(&r, SIGUSR1) == 'D' &&
                 cf_rep_disp(&r, SIGTERM) == 'D',
             "%s, USR1 %c TERM %c", cf_out_text(o), cf_rep_disp(&r, SIGUSR1),
             cf_rep_disp(&r, SIGTERM));
    cf_set_disposition(SIGUSR1, SIG_DFL);
    cf_set_disposition(SIGTERM, SIG_DFL);

    /* SIGCHLD ignored: either disposition conforms. Ignoring SIGCHLD makes
     * children unwaitable, so the child waits on a gate until the
     * disposition is back to default. */
    int gate[2];
    char *file = cf_report_file();
    if (cf_gate_pipe(gate) != 0) {
        cf_fail("E79", "ignored-sigchld-in-child", "pipe failed");
        return;
    }
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
    cf_set_disposition(SIGCHLD, SIG_IGN);
    pid_t pid = -1;
    int rc = cf_spawn(&pid, NULL, NULL, "gate-report", fdarg, file,
                      (char *)NULL);
    cf_set_disposition(SIGCHLD, SIG_DFL);
    close(gate[0]);
    close(gate[1]);
    int status = rc == 0 ? cf_wait(pid) : -1;
    have = cf_report_read(file, &r);
    char d = cf_rep_disp(&r, SIGCHLD);
    if (rc == 0 && cf_exited(status, 0) && have && (d == 'I' || d == 'D'))
        cf_ok("E79", "ignored-sigchld-in-child", "child has %s",
              d == 'I' ? "SIG_IGN" : "SIG_DFL");
    else
        cf_fail("E79", "ignored-sigchld-in-child", "returned %s, %s, disp %c",
                cf_errname(rc), cf_status_text(status), d);
}

/* E80/E81 need a real-time policy; the parent of the spawn runs in its own
 * process so the test program itself keeps SCHED_OTHER. */
static void scen_sched(int out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct sched_param sp = {.sched_priority = 10};
    if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0) {
        dprintf(out, "E80 cannot become SCHED_FIFO: %s\n", cf_errname(errno));
        return;
    }
    posix_spawnattr_t a;
    struct cf_report r;
    struct cf_out o;
    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDPARAM);
    sp.sched_priority = 20;
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setschedpolicy(&a, SCHED_RR); /* ignored: no SETSCHEDULER */
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    dprintf(out, "E80 %s policy %ld prio %ld\n", have ? "report" : cf_out_text(o),
            cf_rep_long(&r, "policy", -1), cf_rep_long(&r, "prio", -1));

    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDULER | POSIX_SPAWN_SETSCHEDPARAM);
    sp.sched_priority = 5;
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setschedpolicy(&a, SCHED_RR);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    dprintf(out, "E81 %s policy %ld prio %ld\n", have ? "report" : cf_out_text(o),
            cf_rep_long(&r, "policy", -1), cf_rep_long(&r, "prio", -1));

    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDULER);
    sp.sched_priority = 6;
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setschedpolicy(&a, SCHED_RR);
    have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    dprintf(out, "E81b %s policy %ld prio %ld\n", have ? "report" : cf_out_text(o),
            cf_rep_long(&r, "policy", -1), cf_rep_long(&r, "prio", -1));

    /* A priority outside the policy's range. */
    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDULER);
    sp.sched_priority = 0;
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setschedpolicy(&a, SCHED_FIFO);
    o = cf_run(NULL, &a, "exit", "0", (char *)NULL);
    posix_spawnattr_destroy(&a);
    dprintf(out, "E-sched-range %s\n", cf_out_text(o));

    /* No flags: the child inherits policy and priority. */
    have = cf_report_run(&r, &o, NULL, NULL);
    dprintf(out, "E-sched-inherit %s policy %ld prio %ld\n",
            have ? "report" : cf_out_text(o), cf_rep_long(&r, "policy", -1),
            cf_rep_long(&r, "prio", -1));
}

static int line_of(const char *text, const char *key, char *buf, size_t size)
{
    char pat[32];
    snprintf(pat, sizeof pat, "%s ", key);
    const char *p = text;
    while (p && *p) {
        if (strncmp(p, pat, strlen(pat)) == 0) {
            p += strlen(pat);
            size_t n = 0;
            while (p[n] && p[n] != '\n' && n + 1 < size) {
                buf[n] = p[n];
                n++;
            }
            buf[n] = 0;
            return 1;
        }
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    snprintf(buf, size, "missing");
    return 0;
}

static void e80_e81_sched(void)
{
    static const char *const checks[][2] = {
        {"E80", "setschedparam-keeps-policy"},
        {"E81", "setscheduler-policy-and-param"},
        {"E81b", "setscheduler-without-schedparam-flag"},
        {"E-sched-range", "setscheduler-priority-out-of-range"},
        {"E-sched-inherit", "no-sched-flags-inherit"},
    };
    enum { NCHECKS = sizeof checks / sizeof checks[0] };
    char text[1024], line[128];
    if (!cf_need_sched()) {
        for (int i = 0; i < NCHECKS; i++) {
            cf_need_sched();
            cf_skip(checks[i][0], checks[i][1], "%s", "");
        }
        return;
    }
    cf_scenario(text, sizeof text, "sched", (char *)NULL);
    if (strncmp(text, "E80 cannot", 10) == 0) {
        for (int i = 0; i < NCHECKS; i++)
            cf_skip(checks[i][0], checks[i][1], "%s", text + 4);
        return;
    }
    char want[64];
    line_of(text, "E80", line, sizeof line);
    snprintf(want, sizeof want, "report policy %d prio 20", SCHED_FIFO);
    cf_check("E80", "setschedparam-keeps-policy", strcmp(line, want) == 0,
             "%s", line);
    line_of(text, "E81", line, sizeof line);
    snprintf(want, sizeof want, "report policy %d prio 5", SCHED_RR);
    cf_check("E81", "setscheduler-policy-and-param", strcmp(line, want) == 0,
             "%s", line);
    line_of(text, "E81b", line, sizeof line);
    snprintf(want, sizeof want, "report policy %d prio 6", SCHED_RR);
    cf_check("E81b", "setscheduler-without-schedparam-flag",
             strcmp(line, want) == 0, "%s", line);
    line_of(text, "E-sched-range", line, sizeof line);
    if (strcmp(line, "returned EINVAL") == 0 ||
        strcmp(line, "spawned, exit 127") == 0)
        cf_ok("E-sched-range", "setscheduler-priority-out-of-range", "%s",
              line);
    else
        cf_fail("E-sched-range", "setscheduler-priority-out-of-range", "%s",
                line);
    line_of(text, "E-sched-inherit", line, sizeof line);
    snprintf(want, sizeof want, "report policy %d prio 10", SCHED_FIFO);
    cf_check("E-sched-inherit", "no-sched-flags-inherit",
             strcmp(line, want) == 0, "%s", line);
}

static void scen_e82(int out, int argc, char **argv)
{
    if (argc < 1)
        return;
    if (cf_become_user() != 0) {
        dprintf(out, "cannot become uid %d: %s\n", CF_USER, cf_errname(errno));
        return;
    }
    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_SETSCHEDULER);
    struct sched_param sp = {.sched_priority = 1};
    posix_spawnattr_setschedparam(&a, &sp);
    posix_spawnattr_setschedpolicy(&a, SCHED_FIFO);
    struct cf_out o = cf_run_at(argv[0], 0, NULL, &a, "exit", "0", (char *)NULL);
    posix_spawnattr_destroy(&a);
    dprintf(out, "%s\n", cf_out_text(o));
}

static void e82_sched_unprivileged(void)
{
    const char *copy = cf_self_copy();
    char text[256];
    cf_scenario(text, sizeof text, "e82", copy ? copy : "?", (char *)NULL);
    cf_need_sched();
    if (strcmp(text, "returned EPERM") == 0 ||
        strcmp(text, "spawned, exit 127") == 0)
        cf_ok("E82", "setscheduler-fifo-unprivileged", "%s", text);
    else
        cf_fail("E82", "setscheduler-fifo-unprivileged", "%s", text);
}

/* E83: euid != ruid (seteuid), then spawn with and without RESETIDS. */
static void scen_e83(int out, int argc, char **argv)
{
    if (argc < 5)
        return;
    const char *copy = argv[0], *f1 = argv[1], *f2 = argv[2],
               *secret = argv[3], *f3 = argv[4];
    if (setegid(CF_USER) != 0 || seteuid(CF_USER) != 0) {
        dprintf(out, "seteuid failed: %s\n", cf_errname(errno));
        return;
    }
    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_RESETIDS);
    struct cf_out o = cf_run_at(copy, 0, NULL, &a, "report", f1, (char *)NULL);
    dprintf(out, "E83 %s\n", cf_out_text(o));
    o = cf_run_at(copy, 0, NULL, NULL, "report", f2, (char *)NULL);
    dprintf(out, "E83b %s\n", cf_out_text(o));
    /* The ids change before the file actions: with RESETIDS the open of a
     * root-only file succeeds, without it fails. */
    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 3, secret, O_RDONLY, 0);
    o = cf_run_at(copy, 0, &fa, &a, "report", f3, (char *)NULL);
    dprintf(out, "E-ids-before-actions %s\n", cf_out_text(o));
    o = cf_run_at(copy, 0, &fa, NULL, "exit", "0", (char *)NULL);
    dprintf(out, "E-ids-before-actions-b %s\n", cf_out_text(o));
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&a);
}

static void e83_resetids(void)
{
    const char *copy = cf_self_copy();
    char *f1 = cf_report_file(), *f2 = cf_report_file(), *f3 = cf_report_file();
    char *secret = cf_path("e83-secret");
    cf_write_str(secret, "secret", 0600);
    char text[1024], line[128];
    cf_scenario(text, sizeof text, "e83", copy ? copy : "?", f1, f2, secret,
                f3, (char *)NULL);
    struct cf_report r;
    line_of(text, "E83", line, sizeof line);
    int have = cf_report_read(f1, &r);
    cf_check("E83", "resetids-euid-becomes-ruid",
             have && strcmp(line, "spawned, exit 0") == 0 &&
                 cf_rep_long(&r, "euid", -1) == 0 &&
                 cf_rep_long(&r, "uid", -1) == 0 &&
                 cf_rep_long(&r, "egid", -1) == 0,
             "%s; euid %ld egid %ld", line, cf_rep_long(&r, "euid", -1),
             cf_rep_long(&r, "egid", -1));
    line_of(text, "E83b", line, sizeof line);
    have = cf_report_read(f2, &r);
    cf_check("E83b", "no-resetids-keeps-euid",
             have && strcmp(line, "spawned, exit 0") == 0 &&
                 cf_rep_long(&r, "euid", -1) == CF_USER &&
                 cf_rep_long(&r, "uid", -1) == 0 &&
                 cf_rep_long(&r, "egid", -1) == CF_USER,
             "%s; uid %ld euid %ld egid %ld", line, cf_rep_long(&r, "uid", -1),
             cf_rep_long(&r, "euid", -1), cf_rep_long(&r, "egid", -1));
    line_of(text, "E-ids-before-actions", line, sizeof line);
    have = cf_report_read(f3, &r);
    cf_check("E-ids-before-actions", "resetids-applies-before-file-actions",
             have && strcmp(line, "spawned, exit 0") == 0 &&
                 cf_rep_fd(&r, 3) == 1,
             "%s", line);
    line_of(text, "E-ids-before-actions-b", line, sizeof line);
    if (strcmp(line, "returned EACCES") == 0 ||
        strcmp(line, "spawned, exit 127") == 0)
        cf_ok("E-ids-before-actions-b", "file-actions-use-effective-ids",
              "%s", line);
    else
        cf_fail("E-ids-before-actions-b", "file-actions-use-effective-ids",
                "%s", line);
}

/* E84: a set-user-ID image wins over RESETIDS. The image is /bin/cf_suid
 * where the system provides one (the guest: a copy of any conformance
 * program, set-user-ID, owned by a non-root user), else a copy of this
 * program made set-user-ID and given to CF_USER (natively, as root). */
static int setuid_image(const char *path, struct stat *st)
{
    return stat(path, st) == 0 && (st->st_mode & S_ISUID) && st->st_uid != 0;
}

static void e84_setuid_image(void)
{
    const char *image = "/bin/cf_suid";
    struct stat st;
    if (!setuid_image(image, &st)) {
        char *dir = cf_path("suid");
        char *copy = cf_path("suid/%s", cf_selfbase);
        image = copy;
        if (cf_mkdir(dir, 0755) != 0 || cf_copy_file(cf_self, copy, 0755) != 0 ||
            chown(copy, CF_USER, CF_USER) != 0 || chmod(copy, 04755) != 0 ||
            !setuid_image(copy, &st)) {
            cf_skip("E84", "resetids-with-setuid-image",
                    "no set-user-ID image owned by a non-root user (no "
                    "/bin/cf_suid, and a set-user-ID copy could not be made)");
            return;
        }
    }
    posix_spawnattr_t a;
    cf_attr_flags(&a, POSIX_SPAWN_RESETIDS);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_spawn(&r, &o, image, 0, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("E84", "resetids-with-setuid-image",
             have && cf_rep_long(&r, "euid", -1) == (long)st.st_uid &&
                 cf_rep_long(&r, "uid", -1) == 0,
             "%s, uid %ld euid %ld (owner %d)", cf_out_text(o),
             cf_rep_long(&r, "uid", -1), cf_rep_long(&r, "euid", -1),
             (int)st.st_uid);
}

static void e85_null_attr(void)
{
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    /* Read the way the report reads the child's: -1 where the library
     * cannot tell (musl), so "inherited" compares like with like. */
    int policy, prio;
    cf_sched_state(&policy, &prio);
    cf_check("E85", "null-attr-inherits-everything",
             have && cf_rep_long(&r, "pgid", -1) == getpgrp() &&
                 cf_rep_long(&r, "sid", -1) == getsid(0) &&
                 cf_rep_mask(&r, SIGUSR2) == '1' &&
                 cf_rep_long(&r, "euid", -1) == geteuid() &&
                 cf_rep_long(&r, "egid", -1) == getegid() &&
                 cf_rep_long(&r, "policy", -2) == policy &&
                 cf_rep_long(&r, "prio", -2) == prio,
             "%s", cf_out_text(o));
}

/* Everything else is inherited as by fork and exec: umask and cwd. */
static void e_other_inherited(void)
{
    struct cf_report r;
    struct cf_out o;
    mode_t old = umask(027);
    int have = cf_report_run(&r, &o, NULL, NULL);
    umask(old);
    char um[16] = "";
    cf_rep_str(&r, "umask", um, sizeof um);
    cf_check("E-umask", "umask-inherited", have && strcmp(um, "27") == 0,
             "%s, child umask %s", cf_out_text(o), um);

    char *dir = cf_path("e-cwd");
    cf_mkdir(dir, 0755);
    int moved = chdir(dir) == 0;
    have = cf_report_run(&r, &o, NULL, NULL);
    if (moved && chdir(cf_tmp) != 0)
        printf("note: cannot return to %s\n", cf_tmp);
    char cwd[PATH_MAX] = "";
    cf_rep_str(&r, "cwd", cwd, sizeof cwd);
    cf_check("E-cwd", "cwd-inherited", have && strcmp(cwd, dir) == 0,
             "%s, child cwd %s", cf_out_text(o), cwd);
}

static const struct cf_scenario scenarios[] = {
    {"sched", scen_sched},
    {"e82", scen_e82},
    {"e83", scen_e83},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    cf_start(argc, argv, "attrs_at_spawn", scenarios);
    e66_to_e69_pgroup();
    e70_to_e72_session();
    e74_e75_mask();
    e76_to_e79_dispositions();
    e80_e81_sched();
    e82_sched_unprivileged();
    e83_resetids();
    e84_setuid_image();
    e85_null_attr();
    e_other_inherited();
    return cf_end();
}
