/*
 * Guest test: processes running the same file content share its read-only
 * pages, and only those, and only while the content is the same.
 *
 * - Frames: a copy of this program in /tmp is spawned twice, each copy
 *   holding on a pipe. The first takes exactly as many frames more than
 *   the second as the image has read-only pages (pages that no writable
 *   segment touches, counted here from the ELF program headers).
 * - Protection: a third copy that writes to its own code is killed by
 *   SIGSEGV, and the two holders still run and exit 0 afterwards.
 * - Content: a file rewritten with other bytes runs the new bytes with
 *   their own layout (the kernel caches each image's checked ELF layout
 *   with its pages): true, then false, then the shell (another size,
 *   other segments and entry point), then true again, spawned from the
 *   same path.
 * - Nothing is left behind: once everything is reaped and the files are
 *   gone, the kernel's counters are back at their baseline.
 */
#include <signal.h>
#include <sys/stat.h>

#include "guest_test.h"

int main(int argc, char **argv);

#define COPY_PATH "/tmp/t_image_pages_shared.copy"
#define SWAP_PATH "/tmp/t_image_pages_shared.swap"
#define PAGE 4096UL
#define MAX_IMAGE (4UL << 20)
#define MAX_PAGES 1024
#define STACK_USE (64UL << 10)

/* ELF64 header and program header fields (System V ABI). */
#define E_PHOFF 32
#define E_PHNUM 56
#define PHDR_SIZE 56
#define P_TYPE 0
#define P_FLAGS 4
#define P_VADDR 16
#define P_MEMSZ 40
#define PT_LOAD 1
#define PF_W 2

/* The parent's buffer for whole image files (allocated in main, so that
 * the copies it spawns do not carry it as zero-filled private pages). */
static unsigned char *image;

static size_t read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
    size_t len = 0;
    for (ssize_t n; (n = read(fd, image + len, MAX_IMAGE - len)) > 0;)
        len += (size_t)n;
    close(fd);
    EXPECT(len > 0 && len < MAX_IMAGE, "%s: %zu bytes", path, len);
    return len;
}

static void write_file(const char *path, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    EXPECT(fd >= 0, "open %s for writing: %s", path, strerror(errno));
    EXPECT(write(fd, image, len) == (ssize_t)len, "write %s: %s", path, strerror(errno));
    close(fd);
}

static uint64_t field(size_t offset, size_t size)
{
    uint64_t value = 0;
    memcpy(&value, image + offset, size);
    return value;
}

/* Pages of the image in `image` that no writable segment touches. */
static long read_only_pages(void)
{
    static uint64_t pages[MAX_PAGES];
    static int writable[MAX_PAGES];
    int count = 0;
    uint64_t phoff = field(E_PHOFF, 8), phnum = field(E_PHNUM, 2);
    for (uint64_t i = 0; i < phnum; i++) {
        size_t ph = phoff + i * PHDR_SIZE;
        if (field(ph + P_TYPE, 4) != PT_LOAD)
            continue;
        uint64_t vaddr = field(ph + P_VADDR, 8), end = vaddr + field(ph + P_MEMSZ, 8);
        int w = (field(ph + P_FLAGS, 4) & PF_W) != 0;
        for (uint64_t page = vaddr & ~(PAGE - 1); page < end; page += PAGE) {
            int j = 0;
            while (j < count && pages[j] != page)
                j++;
            if (j == count) {
                EXPECT(count < MAX_PAGES, "more than %d image pages", MAX_PAGES);
                pages[count] = page;
                writable[count++] = 0;
            }
            writable[j] |= w;
        }
    }
    long read_only = 0;
    for (int j = 0; j < count; j++)
        read_only += !writable[j];
    return read_only;
}

/* Spawns COPY_PATH with argv[1] = mode and its standard input reading
 * from a new pipe whose write end goes to *hold (-1: no pipe). */
static pid_t spawn_copy(const char *mode, const char *arg, int *hold)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int fds[2] = {-1, -1};
    if (hold) {
        EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
        posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
    }
    char *argv[] = {COPY_PATH, (char *)mode, (char *)arg, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, COPY_PATH, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    EXPECT(err == 0, "spawning %s %s: %s", COPY_PATH, mode, strerror(err));
    if (hold) {
        close(fds[0]);
        *hold = fds[1];
    }
    return pid;
}

static void expect_exit(pid_t pid, int code, const char *what)
{
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid, "waitpid %s: %s", what, strerror(errno));
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == code, "%s: status %#x, expected exit %d",
           what, status, code);
}

/* The child modes. */
static int hold(void)
{
    char c;
    while (read(0, &c, 1) > 0)
        ;
    return 0;
}

static int write_own_code(const char *text)
{
    /* The first byte of this program's code: where main starts. */
    volatile unsigned char *code = (volatile unsigned char *)strtoul(text, NULL, 16);
    *code = 0xcc;
    return 0; /* not reached */
}

static void check_frames_and_protection(const char *self)
{
    size_t len = read_file(self);
    write_file(COPY_PATH, len);
    long read_only = read_only_pages();
    EXPECT(read_only > 0, "no read-only pages in this image");

    int hold_a, hold_b;
    uint64_t free0 = kstats().free_frames;
    pid_t a = spawn_copy("hold", NULL, &hold_a);
    uint64_t free1 = kstats().free_frames;
    pid_t b = spawn_copy("hold", NULL, &hold_b);
    uint64_t free2 = kstats().free_frames;
    long first = (long)(free0 - free1), second = (long)(free1 - free2);
    EXPECT(first - second == read_only,
           "first copy took %ld frames, second %ld: %ld shared, expected the %ld read-only pages",
           first, second, first - second, read_only);

    char code[32];
    snprintf(code, sizeof code, "%lx", (unsigned long)(uintptr_t)&main);
    pid_t poke = spawn_copy("write-code", code, NULL);
    int status;
    EXPECT(waitpid(poke, &status, 0) == poke, "waitpid: %s", strerror(errno));
    EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
           "a write to shared code gave status %#x, expected SIGSEGV", status);

    close(hold_a);
    close(hold_b);
    expect_exit(a, 0, "first holder");
    expect_exit(b, 0, "second holder");
    EXPECT(unlink(COPY_PATH) == 0, "unlink: %s", strerror(errno));
}

static void check_rewritten_content(void)
{
    static const struct {
        const char *source;
        int code;
        /* The program's arguments after its name, if any. */
        char *option, *script;
    } rounds[] = {
        {"/bin/true", 0, NULL, NULL},
        {"/bin/false", 1, NULL, NULL},
        {"/bin/sh", 3, "-c", "exit 3"},
        {"/bin/true", 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
        write_file(SWAP_PATH, read_file(rounds[i].source));
        char *argv[] = {SWAP_PATH, rounds[i].option, rounds[i].script, NULL};
        pid_t pid;
        int err = posix_spawn(&pid, SWAP_PATH, NULL, NULL, argv, environ);
        EXPECT(err == 0, "spawning %s (%s): %s", SWAP_PATH, rounds[i].source, strerror(err));
        expect_exit(pid, rounds[i].code, rounds[i].source);
    }
    EXPECT(unlink(SWAP_PATH) == 0, "unlink: %s", strerror(errno));
}

/* Gives every page of the image buffer its frame before the baseline, so
 * that the reads into it do not count among the frames measured: mmap
 * only reserves, and the kernel commits a read's whole destination range
 * (up to 1 MiB) before reading. The stores go through a volatile pointer
 * because a plain memset(0) after malloc is folded by the compiler into
 * calloc, which skips zeroing memory fresh from mmap and so touches
 * nothing (that left 270 of the buffer's pages to be committed after the
 * baseline: 256 by the first 1 MiB read, 14 by the second). main checks
 * that the frames were taken here. */
static void commit_image(void)
{
    volatile unsigned char *bytes = image;
    for (size_t i = 0; i < MAX_IMAGE; i += PAGE)
        bytes[i] = 0;
}

/* Touches the stack this test will use, so that its growth (pages mapped
 * on demand) does not count among the frames measured. */
static void __attribute__((noinline)) grow_stack(void)
{
    volatile char area[STACK_USE];
    for (size_t i = 0; i < sizeof area; i += PAGE)
        area[i] = 0;
}

int main(int argc, char **argv)
{
    test_name = "t_image_pages_shared";
    if (argc > 1 && strcmp(argv[1], "hold") == 0)
        return hold();
    if (argc > 2 && strcmp(argv[1], "write-code") == 0)
        return write_own_code(argv[2]);
    uint64_t free_at_start = kstats().free_frames;
    image = malloc(MAX_IMAGE);
    EXPECT(image != NULL, "malloc: %s", strerror(errno));
    commit_image();
    grow_stack();
    struct kstats before = kstats();
    EXPECT(free_at_start - before.free_frames >= MAX_IMAGE / PAGE,
           "committing the image buffer took %lu frames, expected at least %lu",
           (unsigned long)(free_at_start - before.free_frames), MAX_IMAGE / PAGE);
    check_frames_and_protection(argv[0]);
    check_rewritten_content();
    expect_same_stats("after every copy is reaped and removed", before);
    free(image);
    return 0;
}
