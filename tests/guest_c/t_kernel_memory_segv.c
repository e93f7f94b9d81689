/*
 * Guest test: a user read, write or jump into kernel memory ends the
 * process with SIGSEGV. Each access runs in a child (this program again,
 * with the access as argv[1]); the parent checks the child's wait status.
 * Kernel memory: the kernel image (KERNEL_ADDRESS), the top of the
 * identity-mapped kernel region, and a non-canonical address for the jump.
 */
#include <signal.h>

#include "guest_test.h"

typedef void (*code_t)(void);

static void access_mode(const char *mode)
{
    volatile uint64_t *kernel = (volatile uint64_t *)KERNEL_ADDRESS;
    volatile uint64_t *high = (volatile uint64_t *)KERNEL_HIGH_ADDRESS;
    if (strcmp(mode, "read") == 0)
        printf("read %lu\n", (unsigned long)*kernel);
    else if (strcmp(mode, "read-high") == 0)
        printf("read %lu\n", (unsigned long)*high);
    else if (strcmp(mode, "write") == 0)
        *kernel = 0xdead;
    else if (strcmp(mode, "jump") == 0)
        ((code_t)KERNEL_ADDRESS)();
    else if (strcmp(mode, "jump-high") == 0)
        ((code_t)KERNEL_HIGH_ADDRESS)();
    else if (strcmp(mode, "jump-non-canonical") == 0)
        ((code_t)NON_CANONICAL_ADDRESS)();
    else if (strcmp(mode, "control") == 0)
        exit(0);
    exit(100); /* the access did not fault */
}

int main(int argc, char **argv)
{
    test_name = "t_kernel_memory_segv";
    if (argc > 1)
        access_mode(argv[1]);
    /* The harness itself: a harmless child exits 0. */
    int status = run_status(argv[0], "control", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "control child: status %#x", status);
    const char *modes[] = {"read", "read-high", "write", "jump", "jump-high", "jump-non-canonical"};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        status = run_status(argv[0], modes[i], NULL, NULL);
        EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
               "%s of kernel memory: status %#x, expected SIGSEGV", modes[i], status);
    }
    return 0;
}
