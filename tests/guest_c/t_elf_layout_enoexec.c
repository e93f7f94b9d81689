/*
 * Guest test: an ELF image whose loadable segments overlap kernel space
 * or each other, start below the lowest user address (64 KiB), leave the
 * user range, reach the stack, wrap around, or whose entry point
 * lies outside them, is refused with ENOEXEC; the spawn leaves no child
 * and no leaked frames or files. The images are written to /tmp at run
 * time from one valid template (two PT_LOAD segments, code that exits with
 * EXIT_CODE), which is spawned first as the control.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "guest_test.h"

#define BASE 0x400000UL /* the linkers' default */
#define USER_MIN_ADDRESS 0x10000UL /* shim_abi::layout */
#define PAGE 0x1000UL
#define EXIT_CODE 42
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct ehdr {
    unsigned char ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct image {
    struct ehdr eh;
    struct phdr ph[2];
    unsigned char code[16];
};

/* mov edi, EXIT_CODE; mov eax, 231 (exit_group); syscall */
static const unsigned char exit_code[] = {0xbf, EXIT_CODE, 0, 0, 0, 0xb8, 231, 0, 0, 0, 0x0f, 0x05};

static struct image template(void)
{
    struct image im;
    memset(&im, 0, sizeof im);
    memcpy(im.eh.ident, "\x7f" "ELF\x02\x01\x01", 7);
    im.eh.type = 2; /* ET_EXEC */
    im.eh.machine = 62; /* x86_64 */
    im.eh.version = 1;
    im.eh.phoff = offsetof(struct image, ph);
    im.eh.ehsize = sizeof(struct ehdr);
    im.eh.phentsize = sizeof(struct phdr);
    im.eh.phnum = 2;
    /* Segment 0: the whole file, code included, R+X at BASE. */
    im.ph[0] = (struct phdr){PT_LOAD, PF_R | PF_X, 0, BASE, BASE, sizeof im, sizeof im, PAGE};
    /* Segment 1: a page of zeroed data, R+W, two pages up. */
    im.ph[1] = (struct phdr){PT_LOAD, PF_R | PF_W, 0, BASE + 2 * PAGE, BASE + 2 * PAGE, 0, PAGE, PAGE};
    memcpy(im.code, exit_code, sizeof exit_code);
    im.eh.entry = BASE + offsetof(struct image, code);
    return im;
}

static void install(const char *path, const struct image *im)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
    EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
    EXPECT(write(fd, im, sizeof *im) == (ssize_t)sizeof *im, "write %s", path);
    close(fd);
}

static int spawn_image(const struct image *im, pid_t *pid)
{
    const char *path = "/tmp/elf_layout";
    install(path, im);
    char *argv[] = {(char *)path, NULL};
    return posix_spawn(pid, path, NULL, NULL, argv, environ);
}

/* Spoils `im` in way number `i`; returns its description, or NULL past the last. */
static const char *spoil(struct image *im, int i)
{
    switch (i) {
    case 0:
        im->ph[1].vaddr = KERNEL_ADDRESS;
        return "segment in the kernel's memory";
    case 1:
        im->ph[1].vaddr = USER_MIN_ADDRESS - PAGE;
        im->ph[1].memsz = 2 * PAGE;
        return "segment starting below the lowest user address";
    case 2:
        im->ph[1].vaddr = 0;
        return "segment at address 0";
    case 3:
        im->ph[1].vaddr = 0x800000000000UL;
        return "segment past the user half";
    case 4:
        im->ph[1].vaddr = 0x7ffffffff000UL;
        im->ph[1].memsz = 2 * PAGE;
        return "segment crossing the user end";
    case 5:
        im->ph[1].vaddr = 0xfffffffffffff000UL;
        im->ph[1].memsz = 2 * PAGE;
        return "segment wrapping around";
    case 6:
        im->ph[1].memsz = 0xffffffffffff0000UL;
        return "huge memsz";
    case 16:
        im->ph[1].vaddr = 0x7fffffff0000UL - 4 * PAGE;
        return "segment in the stack area";
    case 17:
        im->eh.type = 3; /* ET_DYN */
        im->ph[1].type = 3; /* PT_INTERP */
        im->ph[1].offset = offsetof(struct image, code);
        im->ph[1].filesz = 1;
        return "static PIE asking for an interpreter";
    case 7:
        im->ph[1].vaddr = BASE;
        return "segments overlapping";
    case 8:
        im->ph[1].vaddr = BASE - PAGE;
        im->ph[1].memsz = 2 * PAGE;
        return "segments overlapping partly";
    case 9:
        im->eh.entry = BASE + 8 * PAGE;
        return "entry outside every segment";
    case 10:
        im->eh.entry = KERNEL_ADDRESS;
        return "entry in kernel memory";
    case 11:
        im->eh.entry = BASE + 2 * PAGE;
        return "entry in a non-executable segment";
    case 12:
        im->ph[0].filesz = im->ph[0].memsz + 1;
        return "filesz larger than memsz";
    case 13:
        im->ph[0].offset = 0x100000;
        return "file data past the end of the file";
    case 14:
        im->eh.phoff = 0x100000;
        return "program headers past the end of the file";
    case 15:
        im->eh.phnum = 0xffff;
        return "absurd program header count";
    default:
        return NULL;
    }
}

int main(void)
{
    test_name = "t_elf_layout_enoexec";
    struct image im = template();
    pid_t pid = 0;
    int err = spawn_image(&im, &pid);
    EXPECT(err == 0, "the valid template is refused: %s", strerror(err));
    int status;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == EXIT_CODE,
           "the template did not exit with %d: %#x", EXIT_CODE, status);
    struct kstats before = kstats();

    for (int i = 0;; i++) {
        struct image bad = template();
        const char *what = spoil(&bad, i);
        if (what == NULL)
            break;
        pid = 0;
        err = spawn_image(&bad, &pid);
        EXPECT(err == ENOEXEC, "%s: spawn gave %d (%s), expected ENOEXEC", what, err,
               strerror(err));
        EXPECT(pid == 0, "%s: *pid was set on failure", what);
        expect_no_children(what);
    }
    unlink("/tmp/elf_layout");
    expect_same_stats("after the refused images", before);
    return 0;
}
