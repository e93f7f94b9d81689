/*
 * attr_objects.c - checklist section A: posix_spawnattr_t objects (defaults,
 * setters and getters, flag validation, and that a spawned child does not
 * depend on the object after the call).
 */
#include "conformance.h"

#define ISSUE7_FLAGS                                                          \
    (POSIX_SPAWN_RESETIDS | POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF |  \
     POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSCHEDPARAM |                    \
     POSIX_SPAWN_SETSCHEDULER)

static void a1_default_flags(void)
{
    posix_spawnattr_t a;
    short flags = -1;
    cf_attr_init(&a);
    int rc = posix_spawnattr_getflags(&a, &flags);
    cf_check("A1", "attr-init-flags-zero", rc == 0 && flags == 0,
             "getflags returned %s, flags %d", cf_errname(rc), flags);
    posix_spawnattr_destroy(&a);
}

static void a2_default_pgroup(void)
{
    posix_spawnattr_t a;
    pid_t pg = -1;
    cf_attr_init(&a);
    int rc = posix_spawnattr_getpgroup(&a, &pg);
    cf_check("A2", "attr-init-pgroup-zero", rc == 0 && pg == 0,
             "getpgroup returned %s, pgroup %d", cf_errname(rc), (int)pg);
    posix_spawnattr_destroy(&a);
}

static void a3_default_sigdefault(void)
{
    posix_spawnattr_t a;
    sigset_t set;
    sigfillset(&set);
    cf_attr_init(&a);
    int rc = posix_spawnattr_getsigdefault(&a, &set);
    int members = 0;
    for (int sig = 1; sig < 65; sig++)
        members += sigismember(&set, sig) == 1;
    cf_check("A3", "attr-init-sigdefault-empty", rc == 0 && members == 0,
             "getsigdefault returned %s, %d members", cf_errname(rc),
             members);
    posix_spawnattr_destroy(&a);
}

static void a4_issue7_flags(void)
{
    posix_spawnattr_t a;
    short flags = 0;
    cf_attr_init(&a);
    int rc = posix_spawnattr_setflags(&a, ISSUE7_FLAGS);
    int rc2 = posix_spawnattr_getflags(&a, &flags);
    cf_check("A4", "setflags-issue7-flags-round-trip",
             rc == 0 && rc2 == 0 && flags == ISSUE7_FLAGS,
             "setflags %s, getflags %s, flags %#x", cf_errname(rc),
             cf_errname(rc2), (unsigned)flags);
    posix_spawnattr_destroy(&a);
}

static void a5_setsid_flag(void)
{
    posix_spawnattr_t a;
    short flags = 0;
    cf_attr_init(&a);
    int setsid_flag = cf_setsid_flag();
    int rc = posix_spawnattr_setflags(&a, (short)setsid_flag);
    posix_spawnattr_getflags(&a, &flags);
    cf_check("A5", "setflags-setsid", rc == 0 && flags == setsid_flag,
             "setflags(SETSID) returned %s, flags %#x", cf_errname(rc),
             (unsigned)flags);
    posix_spawnattr_destroy(&a);
}

static void a6_undefined_bit(void)
{
    posix_spawnattr_t a;
    short flags = 0;
    cf_attr_init(&a);
    posix_spawnattr_setflags(&a, POSIX_SPAWN_SETPGROUP);
    int rc = posix_spawnattr_setflags(&a, 0x4000);
    posix_spawnattr_getflags(&a, &flags);
    /* EINVAL is a "may fail"; both 0 and EINVAL conform. */
    if (rc == EINVAL || rc == 0)
        cf_ok("A6", "setflags-undefined-bit-0x4000", "returned %s",
              cf_errname(rc));
    else
        cf_fail("A6", "setflags-undefined-bit-0x4000", "returned %s",
                cf_errname(rc));
    if (rc == EINVAL)
        cf_check("A6b", "setflags-rejected-keeps-old-flags",
                 flags == POSIX_SPAWN_SETPGROUP, "flags now %#x",
                 (unsigned)flags);
    else
        cf_skip("A6b", "setflags-rejected-keeps-old-flags",
                "0x4000 was accepted");
    posix_spawnattr_destroy(&a);
}

static void a7_bit_0x100(void)
{
    posix_spawnattr_t a;
    cf_attr_init(&a);
    int rc = posix_spawnattr_setflags(&a, 0x100);
    if (rc == EINVAL || rc == 0)
        cf_ok("A7", "setflags-0x100", "returned %s", cf_errname(rc));
    else
        cf_fail("A7", "setflags-0x100", "returned %s", cf_errname(rc));
    posix_spawnattr_destroy(&a);

    cf_attr_init(&a);
    rc = posix_spawnattr_setflags(&a, 0x40);
    cf_ok("A7b", "setflags-usevfork-0x40", "returned %s", cf_errname(rc));
    posix_spawnattr_destroy(&a);
}

static void a8_bad_policy(void)
{
    posix_spawnattr_t a;
    int policy = -1;
    cf_need_sched();
    cf_attr_init(&a);
    posix_spawnattr_setschedpolicy(&a, SCHED_RR);
    int rc = posix_spawnattr_setschedpolicy(&a, 12345);
    posix_spawnattr_getschedpolicy(&a, &policy);
    if (rc == EINVAL || rc == 0)
        cf_ok("A8", "setschedpolicy-12345", "returned %s", cf_errname(rc));
    else
        cf_fail("A8", "setschedpolicy-12345", "returned %s",
                cf_errname(rc));
    cf_need_sched();
    if (rc == EINVAL)
        cf_check("A8b", "setschedpolicy-rejected-keeps-old",
                 policy == SCHED_RR, "policy now %d", policy);
    else
        cf_skip("A8b", "setschedpolicy-rejected-keeps-old",
                "12345 was accepted");
    posix_spawnattr_destroy(&a);
}

static void a9_round_trips(void)
{
    posix_spawnattr_t a;
    cf_attr_init(&a);

    pid_t pg = 0;
    int rc = posix_spawnattr_setpgroup(&a, 42);
    int rc2 = posix_spawnattr_getpgroup(&a, &pg);
    cf_check("A9a", "pgroup-round-trip", rc == 0 && rc2 == 0 && pg == 42,
             "set %s get %s value %d", cf_errname(rc), cf_errname(rc2),
             (int)pg);

    sigset_t in, out;
    sigemptyset(&in);
    sigaddset(&in, SIGUSR1);
    sigaddset(&in, SIGTERM);
    sigaddset(&in, SIGRTMIN + 1);
    sigemptyset(&out);
    rc = posix_spawnattr_setsigmask(&a, &in);
    rc2 = posix_spawnattr_getsigmask(&a, &out);
    int same = 1;
    for (int sig = 1; sig < 65; sig++)
        if (!cf_reserved_signal(sig) &&
            sigismember(&in, sig) != sigismember(&out, sig))
            same = 0;
    cf_check("A9b", "sigmask-round-trip", rc == 0 && rc2 == 0 && same,
             "set %s get %s same %d", cf_errname(rc), cf_errname(rc2), same);

    sigemptyset(&in);
    sigaddset(&in, SIGINT);
    sigaddset(&in, SIGUSR2);
    sigemptyset(&out);
    rc = posix_spawnattr_setsigdefault(&a, &in);
    rc2 = posix_spawnattr_getsigdefault(&a, &out);
    same = 1;
    for (int sig = 1; sig < 65; sig++)
        if (!cf_reserved_signal(sig) &&
            sigismember(&in, sig) != sigismember(&out, sig))
            same = 0;
    cf_check("A9c", "sigdefault-round-trip", rc == 0 && rc2 == 0 && same,
             "set %s get %s same %d", cf_errname(rc), cf_errname(rc2), same);

    struct sched_param sp = {.sched_priority = 7}, sp2 = {0};
    cf_need_sched();
    rc = posix_spawnattr_setschedparam(&a, &sp);
    rc2 = posix_spawnattr_getschedparam(&a, &sp2);
    cf_check("A9d", "schedparam-round-trip",
             rc == 0 && rc2 == 0 && sp2.sched_priority == 7,
             "set %s get %s priority %d", cf_errname(rc), cf_errname(rc2),
             sp2.sched_priority);

    int ok = 1;
    int policies[] = {SCHED_FIFO, SCHED_RR, SCHED_OTHER};
    cf_need_sched();
    for (int i = 0; i < 3; i++) {
        int p = -1;
        rc = posix_spawnattr_setschedpolicy(&a, policies[i]);
        rc2 = posix_spawnattr_getschedpolicy(&a, &p);
        if (rc != 0 || rc2 != 0 || p != policies[i])
            ok = 0;
    }
    cf_check("A9e", "schedpolicy-round-trip", ok,
             "FIFO/RR/OTHER did not round-trip");

    short flags = 0;
    rc = posix_spawnattr_setflags(&a, POSIX_SPAWN_SETSIGMASK);
    rc = rc ? rc : posix_spawnattr_setflags(&a, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_getflags(&a, &flags);
    cf_check("A9f", "setflags-replaces-not-ors",
             rc == 0 && flags == POSIX_SPAWN_SETPGROUP, "flags %#x",
             (unsigned)flags);
    posix_spawnattr_destroy(&a);
}

/* A10: the child runs with what the object said at the call, even though
 * the parent changes and destroys the object before the child reports
 * (the child waits on a gate the parent opens only afterwards). */
static void a10_destroy_after_spawn(void)
{
    posix_spawnattr_t a;
    int gate[2];
    char *file = cf_report_file();
    cf_attr_flags(&a, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    posix_spawnattr_setsigmask(&a, &set);
    posix_spawnattr_setpgroup(&a, 0);
    if (file == NULL || cf_gate_pipe(gate) != 0) {
        cf_fail("A10", "attr-destroyed-after-spawn", "setup failed");
        return;
    }
    char fdarg[16];
    snprintf(fdarg, sizeof fdarg, "%d", gate[0]);
    pid_t pid = -1;
    int rc = cf_spawn(&pid, NULL, &a, "gate-report", fdarg, file,
                      (char *)NULL);
    close(gate[0]);
    sigemptyset(&set);
    posix_spawnattr_setsigmask(&a, &set);
    posix_spawnattr_setflags(&a, 0);
    posix_spawnattr_destroy(&a);
    close(gate[1]);
    if (rc != 0) {
        cf_fail("A10", "attr-destroyed-after-spawn", "spawn returned %s",
                cf_errname(rc));
        return;
    }
    int status = cf_wait(pid);
    struct cf_report r;
    int have = cf_report_read(file, &r);
    long pgid = cf_rep_long(&r, "pgid", -1);
    cf_check("A10", "attr-destroyed-after-spawn",
             cf_exited(status, 0) && have && cf_rep_mask(&r, SIGUSR2) == '1' &&
                 pgid == pid,
             "%s, SIGUSR2 blocked '%c', pgid %ld (pid %d)",
             cf_status_text(status), cf_rep_mask(&r, SIGUSR2), pgid,
             (int)pid);
}

static void a_init_destroy_init(void)
{
    posix_spawnattr_t a;
    int rc1 = posix_spawnattr_init(&a);
    int rc2 = posix_spawnattr_destroy(&a);
    int rc3 = posix_spawnattr_init(&a);
    short flags = -1;
    int rc4 = posix_spawnattr_getflags(&a, &flags);
    cf_check("A-reinit", "attr-init-destroy-init",
             rc1 == 0 && rc2 == 0 && rc3 == 0 && rc4 == 0 && flags == 0,
             "init %s destroy %s init %s getflags %s", cf_errname(rc1),
             cf_errname(rc2), cf_errname(rc3), cf_errname(rc4));
    posix_spawnattr_destroy(&a);
}

/* The object is usable for a spawn right after init (all defaults). */
static void a_default_attr_spawn(void)
{
    posix_spawnattr_t a;
    cf_attr_init(&a);
    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, &a);
    posix_spawnattr_destroy(&a);
    cf_check("A-default-spawn", "default-attr-spawns-like-null",
             have && cf_rep_long(&r, "pgid", -1) == getpgrp() &&
                 cf_rep_long(&r, "sid", -1) == getsid(0),
             "%s", cf_out_text(o));
}

int main(int argc, char **argv)
{
    cf_start(argc, argv, "attr_objects", NULL);
    a1_default_flags();
    a2_default_pgroup();
    a3_default_sigdefault();
    a4_issue7_flags();
    a5_setsid_flag();
    a6_undefined_bit();
    a7_bit_0x100();
    a8_bad_policy();
    a9_round_trips();
    a10_destroy_after_spawn();
    a_init_destroy_init();
    a_default_attr_spawn();
    return cf_end();
}
