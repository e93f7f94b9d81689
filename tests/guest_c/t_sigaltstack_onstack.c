/*
 * Guest test: sigaltstack as Linux documents it. No alternate stack at
 * first (SS_DISABLE); once set, an SA_ONSTACK handler runs on it and sees
 * SS_ONSTACK, and changing the stack from there is EPERM; a handler
 * without SA_ONSTACK runs on the normal stack. A size below MINSIGSTKSZ is
 * ENOMEM, unknown flags EINVAL; SS_DISABLE removes the stack; a spawned
 * child has none.
 */
#include "guest_test.h"

#include <signal.h>

#define SS_ONSTACK_FLAG 1
#define SS_DISABLE_FLAG 2
#define MIN_STACK 2048
#define ALT_SIZE 16384

struct alt_stack {
    void *sp;
    int flags;
    size_t size;
};

static char alt[ALT_SIZE] __attribute__((aligned(16)));
static volatile int handler_on_alt, handler_flags, change_errno;

static long sigaltstack_raw(const struct alt_stack *new, struct alt_stack *old)
{
    return raw_syscall(SYS_sigaltstack, (long)new, (long)old, 0, 0, 0, 0);
}

static void on_signal(int sig)
{
    (void)sig;
    char here;
    handler_on_alt = &here > alt && &here <= alt + ALT_SIZE;
    struct alt_stack now;
    handler_flags = sigaltstack_raw(NULL, &now) == 0 ? now.flags : -1;
    struct alt_stack off = {NULL, SS_DISABLE_FLAG, 0};
    change_errno = (int)-sigaltstack_raw(&off, NULL);
}

static void install(int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = flags;
    EXPECT(sigaction(SIGUSR1, &action, NULL) == 0, "sigaction: %s", strerror(errno));
}

static int child(void)
{
    struct alt_stack old;
    EXPECT(sigaltstack_raw(NULL, &old) == 0, "child: sigaltstack failed");
    EXPECT(old.flags == SS_DISABLE_FLAG, "child: inherited an alternate stack (flags %d)", old.flags);
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_sigaltstack_onstack";
    if (argc > 1)
        return child();
    struct alt_stack old;
    EXPECT(sigaltstack_raw(NULL, &old) == 0 && old.flags == SS_DISABLE_FLAG, "not SS_DISABLE at first");

    struct alt_stack small = {alt, 0, MIN_STACK - 1};
    EXPECT_ERRNO("a stack below MINSIGSTKSZ", sigaltstack_raw(&small, NULL), ENOMEM);
    struct alt_stack odd = {alt, 4, ALT_SIZE};
    EXPECT_ERRNO("unknown flags", sigaltstack_raw(&odd, NULL), EINVAL);
    EXPECT_ERRNO("a bad pointer", sigaltstack_raw((void *)UNMAPPED_ADDRESS, NULL), EFAULT);

    struct alt_stack stack = {alt, 0, ALT_SIZE};
    EXPECT(sigaltstack_raw(&stack, NULL) == 0, "setting the stack failed");
    EXPECT(sigaltstack_raw(NULL, &old) == 0 && old.sp == alt && old.size == ALT_SIZE && old.flags == 0,
           "reported sp %p size %zu flags %d", old.sp, old.size, old.flags);

    install(SA_ONSTACK);
    raise(SIGUSR1);
    EXPECT(handler_on_alt, "the SA_ONSTACK handler did not run on the alternate stack");
    EXPECT(handler_flags == SS_ONSTACK_FLAG, "flags in the handler: %d, expected SS_ONSTACK", handler_flags);
    EXPECT(change_errno == EPERM, "changing the stack while on it: errno %d, expected EPERM", change_errno);

    install(0);
    raise(SIGUSR1);
    EXPECT(!handler_on_alt, "a handler without SA_ONSTACK ran on the alternate stack");
    EXPECT(handler_flags == 0, "flags off the stack: %d", handler_flags);
    EXPECT(change_errno == 0, "disabling off the stack: errno %d", change_errno);
    EXPECT(sigaltstack_raw(NULL, &old) == 0 && old.flags == SS_DISABLE_FLAG, "SS_DISABLE did not remove it");

    EXPECT(sigaltstack_raw(&stack, NULL) == 0, "setting the stack again failed");
    int status = run_status(argv[0], "child", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    return 0;
}
