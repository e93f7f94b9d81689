/*
 * Guest test (issue 13, reproduction 1): on a full kernel heap, creating
 * a file in a directory is a clean ENOSPC, never a kernel panic. As uid
 * 1000: make a new directory under /tmp, fill the heap with files grown
 * by ftruncate in it (each ftruncate that does not fit gets ENOSPC), then
 * create files in that directory one after another. The directory was a
 * BTreeMap, and the entry that split a node (the 12th) panicked the kernel
 * with "memory allocation of 368 bytes failed". Afterwards everything is
 * removed and a file can be created again. The attack runs in a child;
 * the parent removes whatever it left, even when it failed.
 */
#include <sys/stat.h>

#include "heap_fill.h"

#define USER 1000
#define DIR "/tmp/full_heap_dir"
/* Well past the 12th entry, where the node split happened. */
#define ENTRIES 64

static int attack(void)
{
    EXPECT(sys_setresuid(USER, USER, USER) == 0, "setresuid: %s", strerror(errno));
    EXPECT(mkdir(DIR, 0700) == 0, "mkdir %s: %s", DIR, strerror(errno));
    int files = fill_heap(DIR);
    EXPECT(files > 1, "only %d fill files", files);
    int made = create_entries(DIR, ENTRIES);
    /* A full heap has no room for all of them (each is an inode, a name
     * and a directory slot), but the ones that failed failed cleanly. */
    struct kstats full = kstats();
    empty_dir(DIR, files, made);
    int fd = open(DIR "/after", O_CREAT | O_WRONLY, 0600);
    EXPECT(fd >= 0, "creating a file after freeing the heap: %s", strerror(errno));
    close(fd);
    EXPECT(unlink(DIR "/after") == 0, "unlink: %s", strerror(errno));
    EXPECT(rmdir(DIR) == 0, "rmdir %s: %s", DIR, strerror(errno));
    printf("t_full_heap_create_enospc: %d fill files, %d of %d entries created on a full heap "
           "(%lu heap bytes used)\n",
           files, made, ENTRIES, (unsigned long)full.heap_used);
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_full_heap_create_enospc";
    if (argc > 1 && strcmp(argv[1], "attack") == 0)
        return attack();
    run_then_remove(argv[0], "attack", DIR);
    return 0;
}
