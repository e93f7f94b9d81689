/*
 * Guest test (issue 13, item 5): the kernel never returns to user code at
 * an address that is not canonical and in the user half. Each case runs in
 * a child of its own (this program spawned with the case's name) and must
 * end with SIGSEGV, never with the kernel faulting (which would end the
 * whole boot) and never by running on:
 *
 * - a handler at a non-canonical or kernel-half address (rt_sigaction
 *   accepts it, as Linux does; delivering it is SIGSEGV);
 * - a restorer at such an address;
 * - the SIGSEGV handler itself at such an address (killed, no loop);
 * - an rt_sigreturn frame whose rip or rsp was forged to such an address
 *   by the handler.
 *
 * And an image whose entry point is a kernel-half or non-canonical address
 * is refused with ENOEXEC at spawn (a copy of this program, e_entry
 * patched).
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "guest_test.h"

#define SA_RESTORER_FLAG 0x04000000UL
#define NON_CANONICAL 0x0000800000000000UL
#define KERNEL_HALF 0xffff800000001000UL
/* Offsets in the ucontext_t a handler gets: uc_flags, uc_link and the
 * 24-byte stack_t come first, then the general registers r8..r15, rdi,
 * rsi, rbp, rbx, rdx, rax, rcx, rsp, rip (Linux x86_64). */
#define UC_MCONTEXT 40
#define UC_RSP (UC_MCONTEXT + 15 * 8)
#define UC_RIP (UC_MCONTEXT + 16 * 8)
/* ELF64 header: e_entry. */
#define ELF_ENTRY_OFFSET 24
#define IMAGE_MAX (4 << 20)

/* The kernel's struct sigaction. */
struct kernel_sigaction {
    unsigned long handler, flags, restorer, mask;
};

static void returns_here(void)
{
}

static void set_raw_action(int sig, unsigned long handler, unsigned long restorer)
{
    struct kernel_sigaction act = {handler, SA_RESTORER_FLAG, restorer, 0};
    long r = raw_syscall(SYS_rt_sigaction, sig, (long)&act, 0, 8, 0, 0);
    /* Linux accepts any handler value; only its delivery is refused. */
    EXPECT(r == 0, "rt_sigaction(%d, handler %#lx, restorer %#lx): %ld", sig, handler, restorer,
           r);
}

static unsigned long forged_value;
static int forged_offset;

static void forging_handler(int sig, siginfo_t *info, void *ucontext)
{
    (void)sig;
    (void)info;
    memcpy((char *)ucontext + forged_offset, &forged_value, sizeof forged_value);
}

static void forge(int offset, unsigned long value)
{
    forged_offset = offset;
    forged_value = value;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forging_handler;
    sa.sa_flags = SA_SIGINFO;
    EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
    kill(getpid(), SIGUSR1);
}

/* One case, in the child; returning from it means the process ran on. */
static void run_case(const char *name)
{
    /* kill(getpid()) rather than raise(): musl's raise needs tkill. */
    unsigned long good = (unsigned long)returns_here;
    if (strcmp(name, "handler_non_canonical") == 0) {
        set_raw_action(SIGUSR1, NON_CANONICAL, good);
        kill(getpid(), SIGUSR1);
    } else if (strcmp(name, "handler_kernel_half") == 0) {
        set_raw_action(SIGUSR1, KERNEL_HALF, good);
        kill(getpid(), SIGUSR1);
    } else if (strcmp(name, "restorer_non_canonical") == 0) {
        set_raw_action(SIGUSR1, good, NON_CANONICAL);
        kill(getpid(), SIGUSR1);
    } else if (strcmp(name, "restorer_kernel_half") == 0) {
        set_raw_action(SIGUSR1, good, KERNEL_HALF);
        kill(getpid(), SIGUSR1);
    } else if (strcmp(name, "segv_handler_non_canonical") == 0) {
        set_raw_action(SIGSEGV, NON_CANONICAL, good);
        set_raw_action(SIGUSR1, KERNEL_HALF, good);
        kill(getpid(), SIGUSR1);
    } else if (strcmp(name, "sigreturn_rip_non_canonical") == 0) {
        forge(UC_RIP, NON_CANONICAL);
    } else if (strcmp(name, "sigreturn_rip_kernel_half") == 0) {
        forge(UC_RIP, KERNEL_HALF);
    } else if (strcmp(name, "sigreturn_rsp_non_canonical") == 0) {
        forge(UC_RSP, NON_CANONICAL);
    } else if (strcmp(name, "sigreturn_rsp_kernel_half") == 0) {
        forge(UC_RSP, KERNEL_HALF);
    } else {
        FAIL("unknown case %s", name);
    }
}

static const char *const cases[] = {
    "handler_non_canonical",       "handler_kernel_half",         "restorer_non_canonical",
    "restorer_kernel_half",        "segv_handler_non_canonical",  "sigreturn_rip_non_canonical",
    "sigreturn_rip_kernel_half",   "sigreturn_rsp_non_canonical", "sigreturn_rsp_kernel_half",
};

/* Spawns a copy of this program whose entry point is `entry`: ENOEXEC. */
static void expect_entry_refused(const char *self, unsigned long entry)
{
    static char image[IMAGE_MAX];
    int fd = open(self, O_RDONLY);
    EXPECT(fd >= 0, "open %s: %s", self, strerror(errno));
    ssize_t len = read(fd, image, sizeof image);
    close(fd);
    EXPECT(len > ELF_ENTRY_OFFSET + 8 && len < (ssize_t)sizeof image, "read %s: %zd", self, len);
    memcpy(image + ELF_ENTRY_OFFSET, &entry, sizeof entry);
    const char *path = "/tmp/t_return_address_entry";
    fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    EXPECT(fd >= 0 && write(fd, image, (size_t)len) == len, "writing %s", path);
    close(fd);
    char *argv[] = {(char *)path, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, path, NULL, NULL, argv, environ);
    EXPECT(err == ENOEXEC, "spawning an image with entry %#lx: %s (expected ENOEXEC)", entry,
           strerror(err));
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        test_name = argv[1];
        run_case(argv[1]);
        return 0;
    }
    test_name = "t_return_address_canonical";
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int status = run_status(argv[0], cases[i], NULL, NULL);
        EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
               "%s: wait status %#x, expected death by SIGSEGV", cases[i], status);
    }
    expect_entry_refused(argv[0], NON_CANONICAL);
    expect_entry_refused(argv[0], KERNEL_HALF);
    expect_no_children("at the end");
    return 0;
}
