/*
 * Guest test (issue 13): the kernel heap's counter returns to its
 * starting value after fill-and-free cycles. Each cycle fills the heap
 * with files grown by ftruncate in a directory of its own, creates files
 * and directories there until ENOSPC, opens pipes until the heap or the
 * descriptor table is full, then frees it all. The first cycles let the
 * kernel's tables reach their size (they keep their storage); after them,
 * heap_used must be exactly the same before and after every cycle, and
 * the other counters too.
 */
#include <sys/stat.h>

#include "heap_fill.h"

#define DIR "/tmp/heap_cycle"
#define CYCLES 3
#define ENTRIES 200 /* at most FILL_MAX_ENTRIES */
#define PIPES 64

static void cycle(void)
{
    EXPECT(mkdir(DIR, 0700) == 0, "mkdir %s: %s", DIR, strerror(errno));
    int files = fill_heap(DIR);
    int entries = create_entries(DIR, ENTRIES);
    int fds[PIPES][2], pipes = 0;
    while (pipes < PIPES && pipe(fds[pipes]) == 0)
        pipes++;
    EXPECT(pipes == PIPES || errno == ENOMEM || errno == EMFILE || errno == ENFILE,
           "pipe on a full heap: %s", strerror(errno));
    for (int i = 0; i < pipes; i++) {
        close(fds[i][0]);
        close(fds[i][1]);
    }
    empty_dir(DIR, files, entries);
    EXPECT(rmdir(DIR) == 0, "rmdir %s: %s", DIR, strerror(errno));
}

/* Opens and closes PIPES pipes while the heap has room, so the tables a
 * cycle's pipes use (descriptor slots, open files, pipes) reach the size
 * of PIPES pipes before the baseline: on a full heap a cycle opens as
 * many pipes as fit, which may be one more than the first cycle did. */
static void grow_pipe_tables(void)
{
    int fds[PIPES][2];
    for (int i = 0; i < PIPES; i++)
        EXPECT(pipe(fds[i]) == 0, "pipe %d: %s", i, strerror(errno));
    for (int i = 0; i < PIPES; i++) {
        close(fds[i][0]);
        close(fds[i][1]);
    }
}

/* Cycles before the baseline: the kernel's tables reach their size only
 * once a cycle has created as many pipes, files and entries as any later
 * one, and how many a cycle manages depends on how the heap's free space
 * is split, which shifts whenever a kernel structure changes size (a
 * larger process record made a later cycle grow a table once more). So
 * the warm-up goes on until two cycles in a row end with the same heap
 * use, at most MAX_WARM_UP_CYCLES; a leak never settles and then fails
 * the check below. */
#define MAX_WARM_UP_CYCLES 6

static int cycles(void)
{
    grow_pipe_tables();
    uint64_t settled = 0;
    for (int i = 0; i < MAX_WARM_UP_CYCLES; i++) {
        cycle();
        uint64_t used = kstats().heap_used;
        if (i > 0 && used == settled)
            break;
        settled = used;
    }
    struct kstats before = kstats();
    for (int i = 0; i < CYCLES; i++) {
        cycle();
        struct kstats now = kstats();
        EXPECT(now.heap_used == before.heap_used, "cycle %d: heap used %lu, baseline %lu", i,
               (unsigned long)now.heap_used, (unsigned long)before.heap_used);
        expect_same_stats("after a fill-and-free cycle", before);
    }
    printf("t_heap_fill_free_baseline: %d cycles, heap used %lu bytes before and after\n", CYCLES,
           (unsigned long)before.heap_used);
    return 0;
}

/* The cycles run in a child; the parent removes whatever it left, even
 * when it failed, so the heap is not left full. */
int main(int argc, char **argv)
{
    test_name = "t_heap_fill_free_baseline";
    if (argc > 1 && strcmp(argv[1], "cycles") == 0)
        return cycles();
    run_then_remove(argv[0], "cycles", DIR);
    return 0;
}
