/*
 * Guest test: exhausting memory gives ENOMEM and the system recovers.
 * A child (this program with argv[1] = "hog") maps anonymous memory in
 * 1 MiB and then 4 KiB pieces, committed at once with MAP_POPULATE (mmap
 * only reserves otherwise), until mmap fails with ENOMEM, checks that a
 * spawn now fails cleanly with ENOMEM (no child left), frees everything,
 * and checks that a spawn works again. The parent checks that the child
 * succeeded and that, once it is reaped, the kernel's counters are back
 * at their baseline (page tables included). Then a second child
 * (argv[1] = "toucher") reserves twice the machine's memory, which
 * succeeds, and touches it page by page: the page that finds no frame
 * kills it with SIGBUS, and the counters come back again.
 */
#include <signal.h>
#include <sys/mman.h>

#include "guest_test.h"

#define BIG (1UL << 20)
#define SMALL 4096UL
#define MAX_MAPS 8192

static void *maps[MAX_MAPS];
static size_t sizes[MAX_MAPS];

static int spawn_hello(void)
{
    char *argv[] = {"/bin/hello", NULL};
    pid_t pid = 0;
    int err = posix_spawn(&pid, "/bin/hello", NULL, NULL, argv, environ);
    if (err == 0) {
        int status;
        EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
               "hello failed: %#x", status);
    } else {
        EXPECT(pid == 0, "*pid set by a failed spawn");
    }
    return err;
}

static int hog(void)
{
    int count = 0;
    size_t total = 0;
    for (size_t size = BIG; size >= SMALL; size = size == BIG ? SMALL : 0) {
        for (;;) {
            EXPECT(count < MAX_MAPS, "more than %d mappings", MAX_MAPS);
            void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
                           -1, 0);
            if (p == MAP_FAILED) {
                EXPECT(errno == ENOMEM, "mmap failed with %s, expected ENOMEM", strerror(errno));
                break;
            }
            ((volatile char *)p)[0] = 1; /* touch it */
            maps[count] = p;
            sizes[count++] = size;
            total += size;
        }
    }
    EXPECT(total > 16 * BIG, "only %zu bytes fitted", total);
    int err = spawn_hello();
    EXPECT(err == ENOMEM, "spawn with memory exhausted gave %s, expected ENOMEM", strerror(err));
    expect_no_children("after the refused spawn");
    for (int i = 0; i < count; i++)
        EXPECT(munmap(maps[i], sizes[i]) == 0, "munmap: %s", strerror(errno));
    err = spawn_hello();
    EXPECT(err == 0, "spawn after freeing the memory gave %s", strerror(err));
    printf("t_memory_exhaustion_enomem: %zu MiB mapped before ENOMEM\n", total >> 20);
    return 0;
}

/* More than the guest's memory (qemu/args: 256 MiB). */
#define OVERCOMMIT (512UL << 20)

static int toucher(void)
{
    char *p = mmap(NULL, OVERCOMMIT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED, "reserving %lu MiB: %s", OVERCOMMIT >> 20, strerror(errno));
    for (size_t i = 0; i < OVERCOMMIT; i += SMALL)
        ((volatile char *)p)[i] = 1;
    fprintf(stderr, "t_memory_exhaustion_enomem: touched %lu MiB without SIGBUS\n", OVERCOMMIT >> 20);
    return 1;
}

int main(int argc, char **argv)
{
    test_name = "t_memory_exhaustion_enomem";
    if (argc > 1 && strcmp(argv[1], "hog") == 0)
        return hog();
    if (argc > 1 && strcmp(argv[1], "toucher") == 0)
        return toucher();
    struct kstats before = kstats();
    int status = run_status(argv[0], "hog", NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the memory hog failed: %#x", status);
    expect_same_stats("after the memory hog", before);
    status = run_status(argv[0], "toucher", NULL, NULL);
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS, "the toucher ended with %#x, expected SIGBUS",
           status);
    expect_same_stats("after the toucher", before);
    return 0;
}
