/*
 * Guest test: kernel addresses (and unmapped and non-canonical ones)
 * passed as pointers to system calls give EFAULT. Covers every pointer
 * argument of the path, descriptor, signal, id, scheduling and time calls
 * and the pointers inside a SHIM_SPAWN request (attr, actions, action
 * paths, search path). A refused spawn leaves no child, and nothing the
 * calls could have created or leaked remains (kernel counters).
 * (t_bad_pointer_efault covers write/read/wait4/clock/kstats/spawn's
 * path, argv and envp.)
 */
#include <fcntl.h>

#include "guest_test.h"

static const unsigned long bad[] = {KERNEL_ADDRESS, KERNEL_HIGH_ADDRESS, UNMAPPED_ADDRESS,
                                    NON_CANONICAL_ADDRESS};

static struct spawn_request hello_request(void)
{
    static char *argv[] = {"/bin/hello", NULL};
    static char *envp[] = {NULL};
    struct spawn_request r = {0};
    r.path = (uint64_t)"/bin/hello";
    r.argv = (uint64_t)argv;
    r.envp = (uint64_t)envp;
    return r;
}

static long spawn(struct spawn_request *r)
{
    int pid = 0;
    return raw_syscall(SYS_shim_spawn, (long)&pid, (long)r, 0, 0, 0, 0);
}

int main(void)
{
    test_name = "t_kernel_pointer_efault";
    /* The file the descriptor calls use, with data to read. */
    int fd = open("/tmp/efault_data", O_CREAT | O_RDWR | O_TRUNC, 0600);
    EXPECT(fd >= 0, "open: %s", strerror(errno));
    EXPECT(write(fd, "0123456789abcdef", 16) == 16, "write");
    struct kstats before = kstats();
    char buf[256];
    uint64_t set = 0;

    /* The control: each spawn request is valid before it is spoiled. */
    struct spawn_request ok = hello_request();
    long r = spawn(&ok);
    EXPECT(r == 0, "valid spawn request: %ld", r);
    int status;
    EXPECT(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0, "hello");

    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        long p = (long)bad[i];
        char what[96];
#define CALL(name, ...)                                                        \
    do {                                                                       \
        snprintf(what, sizeof what, "%s with %#lx", name, (unsigned long)p);   \
        EXPECT_ERRNO(what, raw_syscall(__VA_ARGS__), EFAULT);                  \
    } while (0)
        CALL("open path", 2, p, O_RDONLY, 0, 0, 0, 0);
        CALL("open O_CREAT path", 2, p, O_CREAT | O_WRONLY, 0600, 0, 0, 0);
        CALL("stat path", 4, p, (long)buf, 0, 0, 0, 0);
        CALL("stat buf", 4, (long)"/tmp", p, 0, 0, 0, 0);
        CALL("lstat buf", 6, (long)"/tmp", p, 0, 0, 0, 0);
        CALL("fstat buf", 5, fd, p, 0, 0, 0, 0);
        lseek(fd, 0, SEEK_SET);
        CALL("read file into buffer", 0, fd, p, 16, 0, 0, 0);
        CALL("write file from buffer", 1, fd, p, 16, 0, 0, 0);
        CALL("pipe fds", 22, p, 0, 0, 0, 0, 0);
        CALL("pipe2 fds", 293, p, 0, 0, 0, 0, 0);
        CALL("rt_sigaction act", 13, 10, p, 0, 8, 0, 0);
        CALL("rt_sigaction oldact", 13, 10, 0, p, 8, 0, 0);
        CALL("rt_sigprocmask set", 14, 0, p, 0, 8, 0, 0);
        CALL("rt_sigprocmask oldset", 14, 0, (long)&set, p, 8, 0, 0);
        CALL("rt_sigpending set", 127, p, 8, 0, 0, 0, 0);
        CALL("rt_sigsuspend set", 130, p, 8, 0, 0, 0, 0);
        CALL("getcwd buf", 79, p, sizeof buf, 0, 0, 0, 0);
        CALL("sched_getparam param", 143, 0, p, 0, 0, 0, 0);
        CALL("sched_setparam param", 142, 0, p, 0, 0, 0, 0);
        CALL("sched_setscheduler param", 144, 0, 0, p, 0, 0, 0);
        CALL("access path", 21, p, 0, 0, 0, 0, 0);
        CALL("chdir path", 80, p, 0, 0, 0, 0, 0);
        CALL("mkdir path", 83, p, 0755, 0, 0, 0, 0);
        CALL("rmdir path", 84, p, 0, 0, 0, 0, 0);
        CALL("unlink path", 87, p, 0, 0, 0, 0, 0);
        CALL("chmod path", 90, p, 0644, 0, 0, 0, 0);
        CALL("rename old", 82, p, (long)"/tmp/efault_x", 0, 0, 0, 0);
        CALL("rename new", 82, (long)"/tmp/efault_data", p, 0, 0, 0, 0);
        CALL("truncate path", 76, p, 0, 0, 0, 0, 0);
        CALL("getresuid", 118, p, (long)buf, (long)buf + 8, 0, 0, 0);
        CALL("getresgid", 120, (long)buf, (long)buf + 8, p, 0, 0, 0);
        CALL("nanosleep req", 35, p, 0, 0, 0, 0, 0);
        CALL("clock_gettime", 228, 1, p, 0, 0, 0, 0);
        CALL("arch_prctl ARCH_GET_FS", 158, 0x1003, p, 0, 0, 0, 0);

        struct spawn_request req = hello_request();
        req.attr = (uint64_t)p;
        snprintf(what, sizeof what, "spawn attr %#lx", (unsigned long)p);
        EXPECT_ERRNO(what, spawn(&req), EFAULT);
        req = hello_request();
        req.actions = (uint64_t)p;
        req.action_count = 1;
        snprintf(what, sizeof what, "spawn actions %#lx", (unsigned long)p);
        EXPECT_ERRNO(what, spawn(&req), EFAULT);
        struct action_record open_action = {ACT_OPEN, 5, 0, O_RDONLY, 0, 0, 4};
        req = hello_request();
        req.actions = (uint64_t)&open_action;
        req.action_count = 1;
        req.paths = (uint64_t)p;
        req.paths_len = 4;
        snprintf(what, sizeof what, "spawn action paths %#lx", (unsigned long)p);
        EXPECT_ERRNO(what, spawn(&req), EFAULT);
        req = hello_request();
        req.path = (uint64_t)"hello";
        req.search_path = (uint64_t)p;
        snprintf(what, sizeof what, "spawn search path %#lx", (unsigned long)p);
        EXPECT_ERRNO(what, spawn(&req), EFAULT);
    }
    /* The same action with real paths works: the pointers were the fault. */
    struct action_record open_action = {ACT_OPEN, 5, 0, O_RDONLY, 0, 0, 4};
    struct spawn_request req = hello_request();
    req.actions = (uint64_t)&open_action;
    req.action_count = 1;
    req.paths = (uint64_t)"/tmp";
    req.paths_len = 4;
    EXPECT(spawn(&req) == 0, "spawn with a valid open action");
    EXPECT(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0, "hello");
    expect_no_children("after the refused spawns");
    expect_same_stats("after the refused calls", before);
    close(fd);
    unlink("/tmp/efault_data");
    return 0;
}
