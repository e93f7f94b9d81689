/*
 * Guest test: a child cannot see its parent's memory. The parent changes a
 * global variable and writes a secret into its first anonymous mapping,
 * then spawns this program again with both addresses. The child (a fresh
 * image) must see the variable's initial value, must not find the secret
 * at the mapping's address (unmapped: write() from it is EFAULT; after its
 * own first mmap, which this kernel places at the same address, zeros).
 */
#include <sys/mman.h>

#include "guest_test.h"

#define INITIAL 0x1111111111111111UL
#define SECRET 0x5ec7e75ec7e75ec7UL
#define MAP_LEN 4096

static volatile uint64_t global = INITIAL;

static int child(const char *global_arg, const char *map_arg)
{
    volatile uint64_t *g = (volatile uint64_t *)strtoul(global_arg, NULL, 16);
    uint64_t *parent_map = (uint64_t *)strtoul(map_arg, NULL, 16);
    EXPECT(g == &global, "the image is laid out differently (%p vs %p)", (void *)g,
           (void *)&global);
    EXPECT(*g == INITIAL, "child sees the parent's value %#lx", (unsigned long)*g);
    int null = open("/dev/null", 1);
    EXPECT(null >= 0, "open /dev/null");
    long r = raw_syscall(SYS_write, null, (long)parent_map, 8, 0, 0, 0);
    EXPECT(r == -EFAULT, "write from the parent's mapping address gave %ld, expected -EFAULT", r);
    uint64_t *mine = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(mine != MAP_FAILED, "mmap: %s", strerror(errno));
    for (size_t i = 0; i < MAP_LEN / 8; i++)
        EXPECT(mine[i] == 0, "child's fresh mapping holds %#lx at word %zu (parent's: %p, child's: %p)",
               (unsigned long)mine[i], i, (void *)parent_map, (void *)mine);
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_child_memory_isolated";
    if (argc == 3)
        return child(argv[1], argv[2]);
    global = SECRET;
    uint64_t *map = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(map != MAP_FAILED, "mmap: %s", strerror(errno));
    for (size_t i = 0; i < MAP_LEN / 8; i++)
        map[i] = SECRET;
    char g[32], m[32];
    snprintf(g, sizeof g, "%lx", (unsigned long)&global);
    snprintf(m, sizeof m, "%lx", (unsigned long)map);
    int status = run_status(argv[0], g, m, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child: status %#x", status);
    EXPECT(global == SECRET && map[0] == SECRET, "the parent's own memory changed");
    return 0;
}
