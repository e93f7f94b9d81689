/*
 * Guest test (issue 13, reproduction 2): munmap over a huge range of
 * nothing returns at once. munmap(0x200000000000, 4 TiB) used to walk the
 * range a page at a time with interrupts masked (7.7 s of host time per
 * call, no other process running); the kernel now skips page-table
 * subtrees that do not exist, so the work is bounded by what is mapped.
 *
 * The test makes a thousand such calls (hours before the fix: the suite's
 * timeout fails it), and goes on making them, while a child of its own
 * writes to a pipe, until the child has written something (the timer
 * preempted the caller between calls) or 5 s have passed. No wall-clock
 * bound is asserted (a busy host delays ticks: a 3 ms window once failed). Then: a huge munmap starting on a mapping unmaps it
 * and gives its frames (and emptied page tables) back; the last page of the user half is accepted;
 * a range past the user half, an unaligned address and a zero length are
 * EINVAL.
 */
#include <signal.h>
#include <sys/mman.h>
#include <time.h>

#include "guest_test.h"

#define HUGE_START 0x200000000000UL
#define HUGE_LEN 0x40000000000UL /* 4 TiB */
#define USER_END 0x800000000000UL
#define PAGE 4096UL
#define CALLS_AT_LEAST 1000
/* How long the calls go on for the writer to show progress: a generous
 * bound (ticks are 1 ms), so a busy host cannot make the test fail. */
#define PROGRESS_GIVE_UP_NS 5000000000L
#define CHILD_ARG "writer"

static long now_ns(void)
{
    struct timespec ts;
    EXPECT(clock_gettime(CLOCK_MONOTONIC, &ts) == 0, "clock_gettime: %s", strerror(errno));
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* The child: writes to standard output until the reader goes away. */
static int writer(void)
{
    for (;;)
        if (write(1, "x", 1) < 0)
            return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], CHILD_ARG) == 0)
        return writer();
    test_name = "t_munmap_huge_range_prompt";

    int fds[2];
    EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
    EXPECT(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0, "O_NONBLOCK: %s", strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *child_argv[] = {argv[0], CHILD_ARG, NULL};
    pid_t child;
    int err = posix_spawn(&child, argv[0], &fa, NULL, child_argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    EXPECT(err == 0, "spawning the writer: %s", strerror(err));
    close(fds[1]);

    long start = now_ns();
    long calls = 0;
    char buf[64];
    ssize_t got = 0;
    while (calls < CALLS_AT_LEAST || (got <= 0 && now_ns() - start < PROGRESS_GIVE_UP_NS)) {
        long r = raw_syscall(SYS_munmap, (long)HUGE_START, (long)HUGE_LEN, 0, 0, 0, 0);
        EXPECT(r == 0, "munmap(%#lx, %#lx) call %ld: %ld", HUGE_START, HUGE_LEN, calls, r);
        calls++;
        if (calls >= CALLS_AT_LEAST && got <= 0)
            got = read(fds[0], buf, sizeof buf);
    }
    EXPECT(got > 0, "the writer made no progress during %ld munmap calls (read: %zd, %s)", calls,
           got, got < 0 ? strerror(errno) : "end of file");
    close(fds[0]);
    int status;
    EXPECT(waitpid(child, &status, 0) == child, "waitpid: %s", strerror(errno));

    /* A huge range that starts on a mapping unmaps it, and the page
     * tables it emptied. The mapping is placed at HUGE_START (a free hint
     * is honoured), so that the range stays in the user half. */
    struct kstats before = kstats();
    char *map = mmap((void *)HUGE_START, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(map == (char *)HUGE_START, "mmap at the hint %#lx: %p (%s)", HUGE_START, (void *)map, strerror(errno));
    memset(map, 1, 4 * PAGE);
    long r = raw_syscall(SYS_munmap, (long)map, (long)HUGE_LEN, 0, 0, 0, 0);
    EXPECT(r == 0, "munmap of 4 TiB from the mapping: %ld", r);
    expect_same_stats("after the mapping's munmap", before);
    /* The last page of the user half. */
    EXPECT(raw_syscall(SYS_munmap, (long)(USER_END - PAGE), (long)PAGE, 0, 0, 0, 0) == 0,
           "munmap of the last user page");
    EXPECT_ERRNO("munmap past the user half",
                 raw_syscall(SYS_munmap, (long)(USER_END - PAGE), (long)(2 * PAGE), 0, 0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("munmap of the whole 64-bit range",
                 raw_syscall(SYS_munmap, (long)PAGE, -(long)PAGE, 0, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("munmap at a kernel address",
                 raw_syscall(SYS_munmap, (long)0xffff800000000000UL, (long)PAGE, 0, 0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("munmap unaligned",
                 raw_syscall(SYS_munmap, (long)(HUGE_START + 1), (long)PAGE, 0, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("munmap of length 0", raw_syscall(SYS_munmap, (long)HUGE_START, 0, 0, 0, 0, 0),
                 EINVAL);
    return 0;
}
