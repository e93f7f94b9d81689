/*
 * conformance.h - the shared harness of the posix_spawn conformance suite.
 *
 * Every program in tests/conformance is built from the same source against
 * several C libraries: the host's glibc and musl (run natively) and musl
 * with libspawn as its posix_spawn (run in kernel-shim). Only POSIX headers
 * are required; what a library may lack is probed when the
 * suite is built (see "Optional features" below).
 *
 * Output, one line per check (tests/conformance.py parses it):
 *     ok ID name[: outcome]
 *     FAIL ID name: detail
 *     skip ID name: reason
 *     conformance PROGRAM: N passed, N failed, N skipped
 * The text after "ok ID name" is deterministic (error names, exit codes,
 * never pids or paths), so the two targets can be compared line by line.
 *
 * Children are this same program, spawned again with a child mode in
 * argv[1] (see cf_child_main): "report FILE" writes the child's state
 * (descriptors, ids, groups, signal mask and dispositions, scheduling,
 * cwd, argv) to FILE; the other modes exit with a code that says what they
 * saw. "scenario NAME FILE ..." runs one of the program's own scenarios in
 * a fresh process, for checks that change process-wide state (uids,
 * descriptor table, scheduling) or that must spawn from a non-root user.
 *
 * The program finds itself through $CONFORMANCE_SELF, else argv[0]
 * (absolute, relative, or a bare name: then /bin/NAME, where the guest
 * keeps programs, or a PATH search). Scratch files go in a fresh directory
 * under $TMPDIR (default /tmp), removed at the end.
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Optional features                                                        */
/*
 * Some checks need what POSIX does not require of every library. The
 * runner (tests/conformance.py) probes the library when it builds the suite
 * and passes -DCF_HAVE_X=1 or 0 for each; built by hand without them, the
 * defaults below assume the functions glibc has.
 *
 * A check whose code calls a function the library lacks is reported as
 * "skip ID name: the library lacks X", whatever it saw (cf_need), so one
 * missing function never takes a program's other checks down.
 */
#ifndef CF_HAVE_ADDCLOSEFROM_NP
#define CF_HAVE_ADDCLOSEFROM_NP 1
#endif
#ifndef CF_HAVE_ADDCHDIR_NP
#define CF_HAVE_ADDCHDIR_NP 1
#endif
#ifndef CF_HAVE_ADDFCHDIR_NP
#define CF_HAVE_ADDFCHDIR_NP 1
#endif
#ifndef CF_HAVE_ADDTCSETPGRP_NP
#define CF_HAVE_ADDTCSETPGRP_NP 1
#endif
/* setrlimit(RLIMIT_NOFILE): the set-up of the full-table checks. */
#ifndef CF_HAVE_SETRLIMIT
#if __has_include(<sys/resource.h>)
#define CF_HAVE_SETRLIMIT 1
#else
#define CF_HAVE_SETRLIMIT 0
#endif
#endif
#if CF_HAVE_SETRLIMIT
#include <sys/resource.h>
#endif
#ifdef POSIX_SPAWN_SETSID
#define CF_HAVE_SETSID 1
#define CF_SPAWN_SETSID POSIX_SPAWN_SETSID
#else
#define CF_HAVE_SETSID 0
#define CF_SPAWN_SETSID 0
#endif

/* The first real-time signal of the Linux system-call ABI (kernel-shim's
 * too). A C library may keep the numbers from here up to SIGRTMIN - 1 for
 * itself (glibc 32 and 33, musl 32 to 34); they are never the caller's. */
#define CF_KERNEL_SIGRTMIN 32

#define CF_FN static __attribute__((unused))

/* A uid/gid with no special meaning on either system, for checks that need
 * a non-root process. */
#define CF_USER 12345

/* Descriptors the report describes one by one (0..CF_REPORT_FDS-1), and the
 * range counted for "nfds". */
#define CF_REPORT_FDS 128
#define CF_COUNT_FDS 1024

extern char **environ;

static int cf_npass, cf_nfail, cf_nskip;
static const char *cf_prog = "conformance";
static char cf_self[PATH_MAX];
static char cf_selfdir[PATH_MAX];
static char cf_selfbase[NAME_MAX + 1];
static char cf_tmp[PATH_MAX];
static char cf_startcwd[PATH_MAX];
static char *cf_tracked[2048];
static int cf_ntracked;

struct cf_scenario {
    const char *name;
    /* Writes its outcome as text to out; argv are the extra arguments. */
    void (*run)(int out, int argc, char **argv);
};
static const struct cf_scenario *cf_scenarios;

/* ------------------------------------------------------------------------ */
/* Results                                                                  */

/* What the current check needed and the library lacks (cf_need), or "".
 * A scenario process passes it on to its parent in a line of its own. */
#define CF_LACKS_LINE "cf-lacks "
static char cf_lacking[128];

/* Marks the current check as needing `what`: when `have` is 0 its result
 * line becomes "skip ... (the library lacks WHAT)". Returns `have`. */
CF_FN int cf_need(int have, const char *what)
{
    if (!have && cf_lacking[0] == 0)
        snprintf(cf_lacking, sizeof cf_lacking, "%s", what);
    return have;
}

/* Every result line goes through here. */
CF_FN void cf_line(const char *status, const char *id, const char *name,
                   const char *fmt, va_list ap)
{
    char detail[1024];

    detail[0] = 0;
    if (cf_lacking[0]) {
        status = "skip";
        snprintf(detail, sizeof detail, "the library lacks %s", cf_lacking);
        cf_lacking[0] = 0;
    } else if (fmt != NULL) {
        vsnprintf(detail, sizeof detail, fmt, ap);
    }
    if (detail[0])
        printf("%s %s %s: %s\n", status, id, name, detail);
    else
        printf("%s %s %s\n", status, id, name);
    fflush(stdout);
    if (status[0] == 'o')
        cf_npass++;
    else if (status[0] == 'F')
        cf_nfail++;
    else
        cf_nskip++;
}

/* ok with an outcome text. */
__attribute__((format(printf, 3, 4))) CF_FN void
cf_ok(const char *id, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_line("ok", id, name, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4))) CF_FN void
cf_fail(const char *id, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_line("FAIL", id, name, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4))) CF_FN void
cf_skip(const char *id, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cf_line("skip", id, name, fmt, ap);
    va_end(ap);
}

/* ok without outcome text. */
CF_FN void cf_pass(const char *id, const char *name)
{
    cf_ok(id, name, "%s", "");
}

/* A plain condition: pass, or FAIL with the detail. */
__attribute__((format(printf, 4, 5))) CF_FN void
cf_check(const char *id, const char *name, int cond, const char *fmt, ...)
{
    if (cond) {
        cf_pass(id, name);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    cf_line("FAIL", id, name, fmt, ap);
    va_end(ap);
}

/* The optional functions: the library's, or ENOSYS and the check skipped. */
CF_FN int cf_addclosefrom_np(posix_spawn_file_actions_t *fa, int from)
{
#if CF_HAVE_ADDCLOSEFROM_NP
    return posix_spawn_file_actions_addclosefrom_np(fa, from);
#else
    (void)fa;
    (void)from;
    cf_need(0, "posix_spawn_file_actions_addclosefrom_np");
    return ENOSYS;
#endif
}

CF_FN int cf_addchdir_np(posix_spawn_file_actions_t *fa, const char *path)
{
#if CF_HAVE_ADDCHDIR_NP
    return posix_spawn_file_actions_addchdir_np(fa, path);
#else
    (void)fa;
    (void)path;
    cf_need(0, "posix_spawn_file_actions_addchdir_np");
    return ENOSYS;
#endif
}

CF_FN int cf_addfchdir_np(posix_spawn_file_actions_t *fa, int fd)
{
#if CF_HAVE_ADDFCHDIR_NP
    return posix_spawn_file_actions_addfchdir_np(fa, fd);
#else
    (void)fa;
    (void)fd;
    cf_need(0, "posix_spawn_file_actions_addfchdir_np");
    return ENOSYS;
#endif
}

/* POSIX_SPAWN_SETSID (POSIX.1-2024), or 0 and the check skipped. */
CF_FN int cf_setsid_flag(void)
{
    cf_need(CF_HAVE_SETSID, "POSIX_SPAWN_SETSID");
    return CF_SPAWN_SETSID;
}

/* The one rule for a library without scheduling support (musl's
 * posix_spawnattr_setschedpolicy and sched_getscheduler return ENOSYS):
 * every check of scheduling calls this first and is skipped with the
 * reason. A system that merely refuses a policy (EPERM) is not this. */
CF_FN int cf_need_sched(void)
{
    static int probed = -1;
    if (probed < 0) {
        posix_spawnattr_t a;
        int attr_rc = ENOSYS;
        if (posix_spawnattr_init(&a) == 0) {
            attr_rc = posix_spawnattr_setschedpolicy(&a, SCHED_OTHER);
            posix_spawnattr_destroy(&a);
        }
        errno = 0;
        int policy = sched_getscheduler(0);
        probed = attr_rc != ENOSYS && !(policy < 0 && errno == ENOSYS);
    }
    return cf_need(probed, "scheduling support (ENOSYS)");
}

/* A signal number the C library keeps for itself (CF_KERNEL_SIGRTMIN). */
CF_FN int cf_reserved_signal(int sig)
{
    return sig >= CF_KERNEL_SIGRTMIN && sig < SIGRTMIN;
}

/* The calling process's scheduling as the report prints it: policy and
 * priority, -1 for what the library cannot tell. */
CF_FN void cf_sched_state(int *policy, int *prio)
{
    struct sched_param sp = {0};
    *policy = sched_getscheduler(0);
    *prio = sched_getparam(0, &sp) == 0 ? sp.sched_priority : -1;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */

CF_FN const char *cf_errname(int e)
{
    static char other[32];

    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    case ENFILE: return "ENFILE";
    case EMFILE: return "EMFILE";
    case ENOTTY: return "ENOTTY";
    case ETXTBSY: return "ETXTBSY";
    case ENOSPC: return "ENOSPC";
    case ESPIPE: return "ESPIPE";
    case EROFS: return "EROFS";
    case EPIPE: return "EPIPE";
    case ERANGE: return "ERANGE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSYS: return "ENOSYS";
    case ENOTEMPTY: return "ENOTEMPTY";
    case ELOOP: return "ELOOP";
    case EOVERFLOW: return "EOVERFLOW";
    case ENOTSUP: return "ENOTSUP";
    default:
        snprintf(other, sizeof other, "errno %d", e);
        return other;
    }
}

/* "exit N", "signal N", or "no status" for -1. Static buffer. */
CF_FN const char *cf_status_text(int status)
{
    static char buf[4][48];
    static int next;
    char *b = buf[next++ % 4];

    if (status == -1)
        snprintf(b, 48, "no status");
    else if (WIFEXITED(status))
        snprintf(b, 48, "exit %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(b, 48, "signal %d", WTERMSIG(status));
    else
        snprintf(b, 48, "status %#x", status);
    return b;
}

CF_FN int cf_exited(int status, int code)
{
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

CF_FN int cf_killed(int status, int sig)
{
    return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

/* ------------------------------------------------------------------------ */
/* Scratch files                                                            */

CF_FN const char *cf_track(const char *path)
{
    if (cf_ntracked < (int)(sizeof cf_tracked / sizeof cf_tracked[0])) {
        char *copy = strdup(path);
        if (copy != NULL)
            cf_tracked[cf_ntracked++] = copy;
    }
    return path;
}

/* A signal handler that does nothing: the signal counts as caught. */
CF_FN void cf_catch(int sig)
{
    (void)sig;
}

/* Sets `sig`'s disposition to `fn` (SIG_DFL, SIG_IGN or a handler such
 * as cf_catch), with no flags and an empty handler mask. */
CF_FN void cf_set_disposition(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

/* PATH for a posix_spawnp check: cf_path_set replaces it, and
 * cf_path_restore puts back what it was (or unsets it, if it was unset).
 * Calls pair up; they do not nest. */
static char cf_saved_path[8192];
static int cf_had_path;

CF_FN void cf_path_set(const char *value)
{
    const char *old = getenv("PATH");
    cf_had_path = old != NULL;
    snprintf(cf_saved_path, sizeof cf_saved_path, "%s", old ? old : "");
    setenv("PATH", value, 1);
}

CF_FN void cf_path_restore(void)
{
    if (cf_had_path)
        setenv("PATH", cf_saved_path, 1);
    else
        unsetenv("PATH");
}

/* A tracked path under the per-run directory (removed at the end). The
 * string lives until the program ends. */
__attribute__((format(printf, 1, 2))) CF_FN char *cf_path(const char *fmt,
                                                          ...)
{
    char name[PATH_MAX], full[PATH_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    snprintf(full, sizeof full, "%.2000s/%.2000s", cf_tmp, name);
    char *copy = strdup(full);
    if (copy == NULL) {
        printf("FAIL harness: out of memory\n");
        exit(2);
    }
    cf_track(copy);
    return copy;
}

/* A fresh path for a scratch file. */
CF_FN char *cf_unique(const char *stem)
{
    static int counter;
    return cf_path("%s-%d-%d", stem, (int)getpid(), ++counter);
}

CF_FN int cf_write_file(const char *path, const void *data, size_t len,
                        mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    close(fd);
    return chmod(path, mode);
}

CF_FN int cf_write_str(const char *path, const char *text, mode_t mode)
{
    return cf_write_file(path, text, strlen(text), mode);
}

/* Reads up to size-1 bytes and NUL-terminates; -1 if it cannot be read. */
CF_FN ssize_t cf_read_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        buf[0] = 0;
        return -1;
    }
    size_t got = 0;
    while (got + 1 < size) {
        ssize_t n = read(fd, buf + got, size - 1 - got);
        if (n < 0) {
            close(fd);
            buf[0] = 0;
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    buf[got] = 0;
    return (ssize_t)got;
}

CF_FN int cf_copy_file(const char *from, const char *to, mode_t mode)
{
    char buf[8192];
    int in = open(from, O_RDONLY);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    int rc = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    }
    close(in);
    close(out);
    if (rc == 0)
        rc = chmod(to, mode);
    return rc;
}

CF_FN int cf_mkdir(const char *path, mode_t mode)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return -1;
    return chmod(path, mode);
}

/* A copy of this program at TMP/bin/NAME (mode 0755, the directory 0755),
 * executable by every user; made once. */
CF_FN const char *cf_self_copy(void)
{
    static char *path;
    if (path != NULL)
        return path;
    char *dir = cf_path("bin");
    if (cf_mkdir(dir, 0755) != 0)
        return NULL;
    char *p = cf_path("bin/%s", cf_selfbase);
    if (cf_copy_file(cf_self, p, 0755) != 0)
        return NULL;
    path = p;
    return path;
}

/* ------------------------------------------------------------------------ */
/* Descriptors                                                              */

CF_FN int cf_fd_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1;
}

CF_FN int cf_count_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < CF_COUNT_FDS; fd++)
        n += cf_fd_open(fd);
    return n;
}

CF_FN int cf_set_cloexec(int fd, int on)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return -1;
    return fcntl(fd, F_SETFD, on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC);
}

/* The lowest descriptor >= from that is not open. */
CF_FN int cf_free_fd(int from)
{
    for (int fd = from; fd < CF_COUNT_FDS; fd++)
        if (!cf_fd_open(fd))
            return fd;
    return -1;
}

/* A pipe whose write end is FD_CLOEXEC (so children never hold it). */
CF_FN int cf_gate_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return -1;
    return cf_set_cloexec(fds[1], 1);
}

/* ------------------------------------------------------------------------ */
/* Spawning this program                                                    */

#define CF_MAXARGS 24

CF_FN int cf_spawn_argv(pid_t *pid, const char *path, int use_p,
                        const posix_spawn_file_actions_t *fa,
                        const posix_spawnattr_t *attr, char *const argv[],
                        char *const envp[])
{
    if (use_p)
        return posix_spawnp(pid, path, fa, attr, argv, envp);
    return posix_spawn(pid, path, fa, attr, argv, envp);
}

CF_FN int cf_spawnv(pid_t *pid, const char *path, int use_p,
                    const posix_spawn_file_actions_t *fa,
                    const posix_spawnattr_t *attr, const char *mode,
                    va_list ap)
{
    char *argv[CF_MAXARGS + 3];
    int n = 0;
    argv[n++] = cf_self;
    argv[n++] = (char *)mode;
    const char *a;
    while (n < CF_MAXARGS + 2 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    argv[n] = NULL;
    return cf_spawn_argv(pid, path, use_p, fa, attr, argv, environ);
}

/* Spawns this program with argv {self, mode, args..., NULL} and environ. */
__attribute__((sentinel)) CF_FN int cf_spawn(pid_t *pid,
                                             const posix_spawn_file_actions_t *fa,
                                             const posix_spawnattr_t *attr,
                                             const char *mode, ...)
{
    va_list ap;
    va_start(ap, mode);
    int rc = cf_spawnv(pid, cf_self, 0, fa, attr, mode, ap);
    va_end(ap);
    return rc;
}

/* The same, with an explicit path (a copy, a relative path, a name for
 * posix_spawnp when use_p). */
__attribute__((sentinel)) CF_FN int
cf_spawn_at(pid_t *pid, const char *path, int use_p,
            const posix_spawn_file_actions_t *fa,
            const posix_spawnattr_t *attr, const char *mode, ...)
{
    va_list ap;
    va_start(ap, mode);
    int rc = cf_spawnv(pid, path, use_p, fa, attr, mode, ap);
    va_end(ap);
    return rc;
}

/* waitpid with EINTR retry: the status, or -1. */
CF_FN int cf_wait(pid_t pid)
{
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, 0);
        if (r == pid)
            return status;
        if (r < 0 && errno == EINTR)
            continue;
        return -1;
    }
}

/* Reaps every child still around (after a failed check). */
CF_FN void cf_reap_all(void)
{
    int status;
    while (waitpid(-1, &status, 0) > 0)
        ;
}

/* True when this process has no child at all (zombie or running). */
CF_FN int cf_no_children(void)
{
    int status;
    return waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

/* How a spawn went: ret is posix_spawn's value; status the wait status
 * when it returned 0 (-1 otherwise). */
struct cf_out {
    int ret;
    int status;
    pid_t pid;
};

CF_FN struct cf_out cf_finish_spawn(int ret, pid_t pid)
{
    struct cf_out o = {ret, -1, pid};
    if (ret == 0)
        o.status = cf_wait(pid);
    return o;
}

/* "returned ENOENT" or "spawned, exit 127" (static buffer). */
CF_FN const char *cf_out_text(struct cf_out o)
{
    static char buf[4][64];
    static int next;
    char *b = buf[next++ % 4];
    if (o.ret != 0)
        snprintf(b, 64, "returned %s", cf_errname(o.ret));
    else
        snprintf(b, 64, "spawned, %s", cf_status_text(o.status));
    return b;
}

/* POSIX's two allowed outcomes of a failure detected in the child: the
 * error returned, or success and exit status 127. */
CF_FN int cf_out_is_failure(struct cf_out o, int err)
{
    return o.ret == err || (o.ret == 0 && cf_exited(o.status, 127));
}

/* Accepts err-or-127 and prints which happened. */
CF_FN void cf_expect_failure(const char *id, const char *name,
                             struct cf_out o, int err)
{
    if (cf_out_is_failure(o, err))
        cf_ok(id, name, "%s", cf_out_text(o));
    else
        cf_fail(id, name, "%s; expected %s or exit 127", cf_out_text(o),
                cf_errname(err));
}

__attribute__((sentinel)) CF_FN struct cf_out
cf_run(const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
       const char *mode, ...)
{
    pid_t pid = -1;
    va_list ap;
    va_start(ap, mode);
    int ret = cf_spawnv(&pid, cf_self, 0, fa, attr, mode, ap);
    va_end(ap);
    return cf_finish_spawn(ret, pid);
}

__attribute__((sentinel)) CF_FN struct cf_out
cf_run_at(const char *path, int use_p, const posix_spawn_file_actions_t *fa,
          const posix_spawnattr_t *attr, const char *mode, ...)
{
    pid_t pid = -1;
    va_list ap;
    va_start(ap, mode);
    int ret = cf_spawnv(&pid, path, use_p, fa, attr, mode, ap);
    va_end(ap);
    return cf_finish_spawn(ret, pid);
}

/* ------------------------------------------------------------------------ */
/* Reports                                                                  */

struct cf_report {
    char text[16384]; /* starts with '\n' so every key follows one */
};

/* A fresh, empty report file (mode 0666: a child with other ids may
 * write it). */
CF_FN char *cf_report_file(void)
{
    char *path = cf_unique("report");
    if (cf_write_str(path, "", 0666) != 0)
        return NULL;
    return path;
}

CF_FN int cf_report_read(const char *path, struct cf_report *r)
{
    r->text[0] = '\n';
    ssize_t n = cf_read_file(path, r->text + 1, sizeof r->text - 1);
    return n > 0;
}

/* The value after "\nKEY " up to the end of the line, or NULL. */
CF_FN const char *cf_rep_str(const struct cf_report *r, const char *key,
                             char *buf, size_t size)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", key);
    const char *p = strstr(r->text, pat);
    if (p == NULL)
        return NULL;
    p += strlen(pat);
    size_t n = 0;
    while (p[n] && p[n] != '\n' && n + 1 < size) {
        buf[n] = p[n];
        n++;
    }
    buf[n] = 0;
    return buf;
}

CF_FN long cf_rep_long(const struct cf_report *r, const char *key, long dflt)
{
    char buf[64];
    if (cf_rep_str(r, key, buf, sizeof buf) == NULL)
        return dflt;
    return strtol(buf, NULL, 0);
}

/* 1 if fd (< CF_REPORT_FDS) was open in the child, 0 if not, -1 unknown. */
CF_FN int cf_rep_fd(const struct cf_report *r, int fd)
{
    char buf[CF_REPORT_FDS + 8];
    if (fd < 0 || fd >= CF_REPORT_FDS ||
        cf_rep_str(r, "fds", buf, sizeof buf) == NULL ||
        strlen(buf) != CF_REPORT_FDS)
        return -1;
    return buf[fd] == '1';
}

/* The child's open descriptors below CF_REPORT_FDS, as a string of 0/1. */
CF_FN const char *cf_rep_fds(const struct cf_report *r)
{
    static char buf[CF_REPORT_FDS + 8];
    if (cf_rep_str(r, "fds", buf, sizeof buf) == NULL)
        return "?";
    return buf;
}

struct cf_fdinfo {
    long long dev, ino, off;
    int flags; /* F_GETFL & (O_ACCMODE | O_APPEND) */
};

CF_FN int cf_rep_fdinfo(const struct cf_report *r, int fd,
                        struct cf_fdinfo *info)
{
    char key[32], buf[128];
    snprintf(key, sizeof key, "fd%d", fd);
    if (cf_rep_str(r, key, buf, sizeof buf) == NULL)
        return -1;
    char *p = buf;
    info->dev = strtoll(p, &p, 10);
    info->ino = strtoll(p, &p, 10);
    info->flags = (int)strtol(p, &p, 10);
    info->off = strtoll(p, &p, 10);
    return 0;
}

/* The child's blocked-signal flag ('1'/'0'/'x') and disposition
 * ('D' default, 'I' ignore, 'H' handler, 'x' unknown) for sig 1..64. */
CF_FN char cf_rep_sig(const struct cf_report *r, const char *key, int sig)
{
    char buf[80];
    if (sig < 1 || sig > 64 || cf_rep_str(r, key, buf, sizeof buf) == NULL ||
        strlen(buf) != 64)
        return '?';
    return buf[sig - 1];
}

CF_FN char cf_rep_mask(const struct cf_report *r, int sig)
{
    return cf_rep_sig(r, "mask", sig);
}

CF_FN char cf_rep_disp(const struct cf_report *r, int sig)
{
    return cf_rep_sig(r, "disp", sig);
}

/* Spawns "PATH report FILE" (path NULL: this program), waits, reads the
 * report. Returns 1 when the child exited 0 and wrote a report. */
CF_FN int cf_report_spawn(struct cf_report *r, struct cf_out *o,
                          const char *path, int use_p,
                          const posix_spawn_file_actions_t *fa,
                          const posix_spawnattr_t *attr)
{
    char *file = cf_report_file();
    memset(r->text, 0, 2);
    if (file == NULL) {
        o->ret = EIO;
        o->status = -1;
        return 0;
    }
    *o = cf_run_at(path ? path : cf_self, use_p, fa, attr, "report", file,
                   (char *)NULL);
    if (o->ret != 0 || !cf_exited(o->status, 0))
        return 0;
    return cf_report_read(file, r);
}

CF_FN int cf_report_run(struct cf_report *r, struct cf_out *o,
                        const posix_spawn_file_actions_t *fa,
                        const posix_spawnattr_t *attr)
{
    return cf_report_spawn(r, o, NULL, 0, fa, attr);
}

/* ------------------------------------------------------------------------ */
/* Scenarios: a named function run in a fresh child process                 */

/* Runs scenario NAME with extra args (NULL-terminated); its text lands in
 * buf (trailing newline removed). Returns 1 if it exited 0. */
__attribute__((sentinel)) CF_FN int cf_scenario(char *buf, size_t size,
                                                const char *name, ...)
{
    char *argv[CF_MAXARGS + 5];
    int n = 0;
    char *file = cf_report_file();
    buf[0] = 0;
    if (file == NULL)
        return 0;
    argv[n++] = cf_self;
    argv[n++] = "scenario";
    argv[n++] = (char *)name;
    argv[n++] = file;
    va_list ap;
    va_start(ap, name);
    const char *a;
    while (n < CF_MAXARGS + 4 && (a = va_arg(ap, const char *)) != NULL)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    pid_t pid;
    int ret = posix_spawn(&pid, cf_self, NULL, NULL, argv, environ);
    if (ret != 0) {
        snprintf(buf, size, "scenario spawn failed: %s", cf_errname(ret));
        return 0;
    }
    int status = cf_wait(pid);
    cf_read_file(file, buf, size);
    const char *lacks = strstr(buf, CF_LACKS_LINE);
    if (lacks != NULL) {
        char what[sizeof cf_lacking];
        snprintf(what, sizeof what, "%s", lacks + strlen(CF_LACKS_LINE));
        what[strcspn(what, "\n")] = 0;
        cf_need(0, what);
    }
    size_t len = strlen(buf);
    while (len > 0 && buf[len - 1] == '\n')
        buf[--len] = 0;
    if (!cf_exited(status, 0)) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%sscenario ended with %s",
                 used ? "; " : "", cf_status_text(status));
        return 0;
    }
    return 1;
}

/* Drops to CF_USER completely (real, effective, saved). */
CF_FN int cf_become_user(void)
{
    if (setgid(CF_USER) != 0)
        return -1;
    return setuid(CF_USER);
}

/* ------------------------------------------------------------------------ */
/* Child modes                                                              */

CF_FN size_t cf_append(char *buf, size_t used, size_t size, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
CF_FN size_t cf_append(char *buf, size_t used, size_t size, const char *fmt,
                       ...)
{
    if (used >= size)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return used;
    used += (size_t)n;
    return used < size ? used : size - 1;
}

/* Everything is measured before the report file is opened, so the report's
 * own descriptor does not show. */
CF_FN void cf_child_report(const char *file, int argc, char **argv)
{
    static char buf[16000];
    size_t n = 0, size = sizeof buf;
    char fds[CF_REPORT_FDS + 1];
    int nfds = 0;

    for (int fd = 0; fd < CF_REPORT_FDS; fd++)
        fds[fd] = cf_fd_open(fd) ? '1' : '0';
    fds[CF_REPORT_FDS] = 0;
    for (int fd = 0; fd < CF_COUNT_FDS; fd++)
        nfds += cf_fd_open(fd);
    n = cf_append(buf, n, size, "pid %d\nppid %d\npgid %d\nsid %d\n",
                  (int)getpid(), (int)getppid(), (int)getpgid(0),
                  (int)getsid(0));
    n = cf_append(buf, n, size, "uid %d\neuid %d\ngid %d\negid %d\n",
                  (int)getuid(), (int)geteuid(), (int)getgid(),
                  (int)getegid());
    n = cf_append(buf, n, size, "fds %s\nnfds %d\n", fds, nfds);
    for (int fd = 0; fd < CF_REPORT_FDS; fd++) {
        struct stat st;
        if (fds[fd] != '1' || fstat(fd, &st) != 0)
            continue;
        int fl = fcntl(fd, F_GETFL);
        long long off = (long long)lseek(fd, 0, SEEK_CUR);
        n = cf_append(buf, n, size, "fd%d %lld %lld %d %lld\n", fd,
                      (long long)st.st_dev, (long long)st.st_ino,
                      fl < 0 ? -1 : fl & (O_ACCMODE | O_APPEND), off);
    }
    char mask[65], disp[65];
    sigset_t set;
    sigemptyset(&set);
    int have_mask = sigprocmask(SIG_BLOCK, NULL, &set) == 0;
    for (int sig = 1; sig <= 64; sig++) {
        int m = have_mask ? sigismember(&set, sig) : -1;
        mask[sig - 1] = m == 1 ? '1' : m == 0 ? '0' : 'x';
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0)
            disp[sig - 1] = 'x';
        else if (sa.sa_handler == SIG_DFL)
            disp[sig - 1] = 'D';
        else if (sa.sa_handler == SIG_IGN)
            disp[sig - 1] = 'I';
        else
            disp[sig - 1] = 'H';
    }
    mask[64] = disp[64] = 0;
    n = cf_append(buf, n, size, "mask %s\ndisp %s\n", mask, disp);
    int policy, prio;
    cf_sched_state(&policy, &prio);
    n = cf_append(buf, n, size, "policy %d\nprio %d\n", policy, prio);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        snprintf(cwd, sizeof cwd, "?");
    mode_t um = umask(0);
    umask(um);
    n = cf_append(buf, n, size, "cwd %s\numask %o\nargc %d\n", cwd,
                  (unsigned)um, argc);
    for (int i = 0; i < argc && i < 16; i++)
        n = cf_append(buf, n, size, "arg%d %s\n", i, argv[i]);
    int nenv = 0;
    for (char **e = environ; e != NULL && *e != NULL; e++)
        nenv++;
    const char *probe = getenv("CF_PROBE");
    n = cf_append(buf, n, size, "nenv %d\nprobe %s\n", nenv,
                  probe ? probe : "(unset)");

    int out = file[0] == '@' ? atoi(file + 1)
                             : open(file, O_WRONLY | O_TRUNC | O_CREAT, 0666);
    if (out < 0)
        _exit(3);
    if (write(out, buf, n) != (ssize_t)n)
        _exit(4);
    _exit(0);
}

/* Blocks until fd reads EOF (the parent closed the write end). */
CF_FN void cf_child_gate(int fd)
{
    char c;
    while (read(fd, &c, 1) > 0)
        ;
}

CF_FN int cf_child_main(int argc, char **argv)
{
    const char *mode = argv[1];

    if (strcmp(mode, "report") == 0 && argc >= 3)
        cf_child_report(argv[2], argc, argv);
    if (strcmp(mode, "exit") == 0 && argc >= 3)
        _exit(atoi(argv[2]));
    if (strcmp(mode, "raise") == 0 && argc >= 3) {
        /* kill(getpid()) is raise() for a one-thread process; musl's raise
         * needs tkill, which kernel-shim does not serve yet. */
        kill(getpid(), atoi(argv[2]));
        _exit(0);
    }
    if (strcmp(mode, "env") == 0 && argc >= 3) {
        const char *v = getenv(argv[2]);
        _exit(v ? atoi(v) : 200);
    }
    if (strcmp(mode, "write") == 0 && argc >= 4) {
        size_t len = strlen(argv[3]);
        ssize_t n = write(atoi(argv[2]), argv[3], len);
        _exit(n == (ssize_t)len ? 0 : n < 0 ? errno : 100);
    }
    if (strcmp(mode, "read") == 0 && argc >= 3) {
        char c;
        ssize_t n = read(atoi(argv[2]), &c, 1);
        _exit(n == 1 ? 0 : n < 0 ? errno : 100);
    }
    if (strcmp(mode, "fstat") == 0 && argc >= 3) {
        struct stat st;
        _exit(fstat(atoi(argv[2]), &st) == 0 ? 0 : errno);
    }
    if (strcmp(mode, "gate") == 0 && argc >= 3) {
        cf_child_gate(atoi(argv[2]));
        _exit(0);
    }
    if (strcmp(mode, "gate-report") == 0 && argc >= 4) {
        cf_child_gate(atoi(argv[2]));
        cf_child_report(argv[3], argc, argv);
    }
    if (strcmp(mode, "cat") == 0) {
        char buf[4096];
        for (;;) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n < 0)
                _exit(1);
            if (n == 0)
                _exit(0);
            if (write(1, buf, (size_t)n) != n)
                _exit(1);
        }
    }
    if (strcmp(mode, "pid-to-stdout") == 0) {
        char buf[32];
        int len = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
        _exit(write(1, buf, (size_t)len) == len ? 0 : 1);
    }
    if (strcmp(mode, "cwd-to-stdout") == 0) {
        char cwd[PATH_MAX + 1];
        if (getcwd(cwd, sizeof cwd - 1) == NULL)
            _exit(1);
        size_t len = strlen(cwd);
        cwd[len++] = '\n';
        _exit(write(1, cwd, len) == (ssize_t)len ? 0 : 1);
    }
    if (strcmp(mode, "scenario") == 0 && argc >= 4) {
        int out = open(argv[3], O_WRONLY | O_TRUNC);
        if (out < 0)
            _exit(3);
        /* Out of the way of the descriptors a scenario looks at. */
        int high = fcntl(out, F_DUPFD, 900);
        if (high >= 0) {
            close(out);
            out = high;
        }
        cf_set_cloexec(out, 1);
        for (const struct cf_scenario *s = cf_scenarios; s && s->name; s++) {
            if (strcmp(s->name, argv[2]) == 0) {
                const char *tmp = getenv("CF_TMPDIR");
                snprintf(cf_tmp, sizeof cf_tmp, "%s", tmp ? tmp : "/tmp");
                s->run(out, argc - 4, argv + 4);
                /* The parent's check skips too (cf_scenario). */
                if (cf_lacking[0])
                    dprintf(out, "\n%s%s\n", CF_LACKS_LINE, cf_lacking);
                cf_reap_all();
                /* The scenario's own scratch files (the parent does not
                 * know their names). */
                for (int i = cf_ntracked - 1; i >= 0; i--)
                    if (unlink(cf_tracked[i]) != 0)
                        rmdir(cf_tracked[i]);
                _exit(0);
            }
        }
        dprintf(out, "no scenario %s\n", argv[2]);
        _exit(5);
    }
    fprintf(stderr, "%s: unknown child mode %s\n", cf_prog, mode);
    _exit(99);
}

/* ------------------------------------------------------------------------ */
/* Start and end                                                            */

CF_FN void cf_find_self(const char *argv0)
{
    const char *env = getenv("CONFORMANCE_SELF");
    if (env != NULL && env[0] == '/') {
        snprintf(cf_self, sizeof cf_self, "%s", env);
    } else if (argv0[0] == '/') {
        snprintf(cf_self, sizeof cf_self, "%s", argv0);
    } else if (strchr(argv0, '/') != NULL) {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL)
            cwd[0] = 0;
        snprintf(cf_self, sizeof cf_self, "%.2000s/%.2000s", cwd, argv0);
    } else {
        snprintf(cf_self, sizeof cf_self, "/bin/%.255s", argv0);
        const char *path = getenv("PATH");
        if (access(cf_self, X_OK) != 0 && path != NULL) {
            while (*path) {
                const char *end = strchr(path, ':');
                size_t len = end ? (size_t)(end - path) : strlen(path);
                snprintf(cf_self, sizeof cf_self, "%.*s/%.255s", (int)len,
                         path, argv0);
                if (access(cf_self, X_OK) == 0)
                    break;
                path += len + (end ? 1 : 0);
            }
        }
    }
    snprintf(cf_selfdir, sizeof cf_selfdir, "%s", cf_self);
    char *slash = strrchr(cf_selfdir, '/');
    snprintf(cf_selfbase, sizeof cf_selfbase, "%s", slash + 1);
    if (slash == cf_selfdir)
        slash[1] = 0;
    else
        *slash = 0;
}

/* Child modes run and exit here; the parent gets its scratch directory
 * (chdir'd into) and umask 022. */
CF_FN void cf_start(int argc, char **argv, const char *prog,
                    const struct cf_scenario *scenarios)
{
    cf_prog = prog;
    cf_scenarios = scenarios;
    cf_find_self(argc > 0 ? argv[0] : prog);
    if (argc >= 2)
        cf_child_main(argc, argv);

    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    if (getcwd(cf_startcwd, sizeof cf_startcwd) == NULL)
        snprintf(cf_startcwd, sizeof cf_startcwd, "/");
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == 0)
        base = "/tmp";
    char dir[PATH_MAX];
    if (base[0] == '/')
        snprintf(dir, sizeof dir, "%.3000s/cf-%.64s-XXXXXX", base, prog);
    else
        snprintf(dir, sizeof dir, "%.2000s/%.1000s/cf-%.64s-XXXXXX",
                 cf_startcwd, base, prog);
    if (mkdtemp(dir) == NULL || chmod(dir, 0755) != 0 || chdir(dir) != 0) {
        printf("FAIL harness scratch-directory: %s: %s\n", dir,
               cf_errname(errno));
        printf("conformance %s: 0 passed, 1 failed, 0 skipped\n", prog);
        exit(1);
    }
    snprintf(cf_tmp, sizeof cf_tmp, "%s", dir);
    setenv("CF_TMPDIR", cf_tmp, 1);
    /* Checks look at signals 1..64 as the parent sets them: start clean. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Removes the scratch files, prints the summary, returns the exit status. */
CF_FN int cf_end(void)
{
    cf_reap_all();
    if (chdir(cf_startcwd) != 0 && chdir("/") != 0)
        printf("note: cannot leave the scratch directory\n");
    for (int i = cf_ntracked - 1; i >= 0; i--) {
        if (unlink(cf_tracked[i]) != 0)
            rmdir(cf_tracked[i]);
        free(cf_tracked[i]);
    }
    cf_ntracked = 0;
    if (rmdir(cf_tmp) != 0)
        printf("note: scratch directory %s not removed: %s\n", cf_tmp,
               cf_errname(errno));
    printf("conformance %s: %d passed, %d failed, %d skipped\n", cf_prog,
           cf_npass, cf_nfail, cf_nskip);
    return cf_nfail ? 1 : 0;
}

/* ------------------------------------------------------------------------ */
/* Object helpers                                                           */

CF_FN void cf_fa_init(posix_spawn_file_actions_t *fa)
{
    int rc = posix_spawn_file_actions_init(fa);
    if (rc != 0) {
        printf("FAIL harness file-actions-init: %s\n", cf_errname(rc));
        exit(1);
    }
}

CF_FN void cf_attr_init(posix_spawnattr_t *attr)
{
    int rc = posix_spawnattr_init(attr);
    if (rc != 0) {
        printf("FAIL harness attr-init: %s\n", cf_errname(rc));
        exit(1);
    }
}

/* Attr with the given flags (and nothing else set). */
CF_FN int cf_attr_flags(posix_spawnattr_t *attr, int flags)
{
    cf_attr_init(attr);
    return posix_spawnattr_setflags(attr, (short)flags);
}

#endif
