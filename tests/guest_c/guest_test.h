/*
 * guest_test.h - helpers of the guest C tests (tests/guest_c/t_*.c).
 *
 * A guest test is a C program that init runs as /bin/t_NAME (see
 * tools/guest_c.py): it passes iff it exits 0. On the first failed check
 * it prints "NAME: reason" on standard error and exits 1 (FAIL). The
 * kernel-specific calls (SHIM_KSTATS, raw system calls with deliberately
 * bad arguments) go through raw_syscall, since the C library only wraps
 * the standard ones with valid arguments.
 */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <shim/syscall.h>
#include <unistd.h>

/* Kernel addresses (the kernel's image at -2 GiB + physical, and its direct
 * map of physical memory at 0xffff800000000000; user space is the lower
 * half from 64 KiB) and an address no process maps. */
#define KERNEL_ADDRESS 0xffffffff80200000UL
#define KERNEL_HIGH_ADDRESS 0xffff800000200000UL
#define UNMAPPED_ADDRESS 0x600000000000UL
#define NON_CANONICAL_ADDRESS 0x800000000000UL

/* shim_abi::KernelStats. */
struct kstats {
    uint64_t free_frames;
    uint64_t free_process_slots;
    uint64_t open_files;
    uint64_t heap_used;
    uint64_t spawns;
};

/* shim_abi::SpawnRequest. */
struct spawn_request {
    uint64_t path, argv, envp, attr, actions, action_count, paths, paths_len,
        search_path;
};

/* libspawn::abi::ActionRecord (28 bytes). */
struct action_record {
    uint32_t kind;
    int32_t fd, arg, oflag;
    uint32_t mode, path_offset, path_len;
};

/* libspawn::abi::RawAttr. */
struct raw_attr {
    uint32_t flags;
    int32_t pgroup;
    uint64_t sigmask, sigdefault;
    int32_t schedpolicy, schedpriority;
};

/* Action kinds (libspawn::abi::action_kind). */
enum { ACT_OPEN = 1, ACT_CLOSE, ACT_DUP2, ACT_CHDIR, ACT_FCHDIR, ACT_CLOSEFROM };

/* The raw result of a system call: a value, or -errno. */
static inline long raw_syscall(long n, long a1, long a2, long a3, long a4,
                               long a5, long a6)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

static const char *test_name = "guest test";

#define FAIL(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "%s: ", test_name);                                    \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);                     \
        exit(1);                                                               \
    } while (0)

#define EXPECT(cond, ...)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            FAIL(__VA_ARGS__);                                                 \
    } while (0)

/* A raw call that must fail with `err`. */
#define EXPECT_ERRNO(what, call, err)                                          \
    do {                                                                       \
        long r_ = (call);                                                      \
        EXPECT(r_ == -(long)(err), "%s: got %ld, expected -%d", what, r_,      \
               (int)(err));                                                    \
    } while (0)

static inline struct kstats kstats(void)
{
    struct kstats s;
    long r = raw_syscall(SYS_shim_kstats, (long)&s, 0, 0, 0, 0, 0);
    EXPECT(r == 0, "SHIM_KSTATS failed: %ld", r);
    return s;
}

/* Open descriptors of the caller (0..OPEN_MAX). */
static inline int open_fd_count(void)
{
    int count = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (raw_syscall(SYS_fcntl, fd, 1 /* F_GETFD */, 0, 0, 0, 0) >= 0)
            count++;
    return count;
}

/* The kernel gives back the cached image pages no process maps before it
 * counts (kernel-shim/src/image_cache.rs), so the counters must match
 * exactly once every child is reaped. */
static inline void expect_same_stats(const char *when, struct kstats before)
{
    struct kstats now = kstats();
    EXPECT(now.free_frames == before.free_frames,
           "%s: free frames %lu, baseline %lu", when,
           (unsigned long)now.free_frames, (unsigned long)before.free_frames);
    EXPECT(now.free_process_slots == before.free_process_slots,
           "%s: free process slots %lu, baseline %lu", when,
           (unsigned long)now.free_process_slots,
           (unsigned long)before.free_process_slots);
    EXPECT(now.open_files == before.open_files,
           "%s: open files %lu, baseline %lu", when,
           (unsigned long)now.open_files, (unsigned long)before.open_files);
}

#endif

#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

/* Spawns `path` with argv {path, a1, a2, a3} (NULLs end it early) and the
 * caller's environment; returns the wait status. */
static inline int run_status(const char *path, const char *a1, const char *a2,
                             const char *a3)
{
    char *argv[] = {(char *)path, (char *)a1, (char *)a2, (char *)a3, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, path, NULL, NULL, argv, environ);
    EXPECT(err == 0, "spawning %s: %s", path, strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    return status;
}

/* Reads `fd` to end of file (or until `out` is full) into `out`, NUL
 * terminated, closes it, then reaps `pid`; returns its wait status. */
static inline int collect_output(int fd, pid_t pid, char *out, size_t size)
{
    size_t len = 0;
    for (ssize_t n; len + 1 < size && (n = read(fd, out + len, size - 1 - len)) > 0;)
        len += (size_t)n;
    out[len] = '\0';
    close(fd);
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    return status;
}

/* Spawns `path` with `attr` and captures its standard output in `out`. */
static inline int run_output(const char *path, const posix_spawnattr_t *attr,
                             char *out, size_t size)
{
    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = {(char *)path, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, path, &fa, attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    EXPECT(err == 0, "spawning %s: %s", path, strerror(err));
    return collect_output(fds[0], pid, out, size);
}

/* Expects no child left to wait for. */
static inline void expect_no_children(const char *when)
{
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    EXPECT(pid == -1 && errno == ECHILD, "%s: waitpid(-1) gave %d (errno %d), "
           "expected no children", when, (int)pid, errno);
}

/* Reads "RUID EUID SUID RGID EGID SGID" as /bin/ids prints it. */
struct ids {
    unsigned long ruid, euid, suid, rgid, egid, sgid;
};

static inline struct ids parse_ids(const char *text)
{
    struct ids ids;
    char *p = (char *)text;
    unsigned long *fields[] = {&ids.ruid, &ids.euid, &ids.suid, &ids.rgid, &ids.egid, &ids.sgid};
    for (int i = 0; i < 6; i++) {
        char *end;
        *fields[i] = strtoul(p, &end, 10);
        EXPECT(end != p, "malformed ids output: [%s]", text);
        p = end;
    }
    return ids;
}

/* Runs `path` (an ids reporter) with `attr`; returns what it reported. */
static inline struct ids ids_of(const char *path, const posix_spawnattr_t *attr)
{
    char out[128];
    int status = run_output(path, attr, out, sizeof out);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: status %#x", path, status);
    return parse_ids(out);
}

/* setresuid/setresgid (the C library has only seteuid/setegid); -1 keeps
 * an id. Return 0, or -1 with errno. */
static inline int sys_setresuid(long r, long e, long s)
{
    long ret = raw_syscall(SYS_setresuid, r, e, s, 0, 0, 0);
    return ret < 0 ? (errno = (int)-ret, -1) : 0;
}

static inline int sys_setresgid(long r, long e, long s)
{
    long ret = raw_syscall(SYS_setresgid, r, e, s, 0, 0, 0);
    return ret < 0 ? (errno = (int)-ret, -1) : 0;
}
