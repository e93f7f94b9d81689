/*
 * big_parent.c - a spawn from a parent holding 64 MiB of touched memory and
 * 500 open descriptors succeeds, the child sees exactly the inherited
 * descriptors, and the parent's memory is unchanged afterwards (no copy of
 * the parent is written to, and nothing of the child lands in it).
 */
#include "conformance.h"

#define BIG_BYTES (64u << 20)
#define BIG_FDS 500

static unsigned long long checksum(const unsigned char *p, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i += 8) {
        unsigned long long w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 1099511628211ULL;
    }
    return h;
}

static int count_inheritable(void)
{
    int n = 0;
    for (int fd = 0; fd < CF_COUNT_FDS; fd++) {
        int flags = fcntl(fd, F_GETFD);
        n += flags >= 0 && !(flags & FD_CLOEXEC);
    }
    return n;
}

int main(int argc, char **argv)
{
    cf_start(argc, argv, "big_parent", NULL);

    unsigned char *mem = malloc(BIG_BYTES);
    if (mem == NULL) {
        cf_fail("BIG-1", "spawn-from-64mib-500-fd-parent", "malloc failed");
        return cf_end();
    }
    for (size_t i = 0; i < BIG_BYTES; i += 8) {
        unsigned long long w = (unsigned long long)i * 0x9E3779B97F4A7C15ULL;
        memcpy(mem + i, &w, 8);
    }
    unsigned long long before = checksum(mem, BIG_BYTES);

    int devnull = open("/dev/null", O_RDONLY);
    int fds[BIG_FDS];
    int opened = 0;
    for (int i = 0; i < BIG_FDS; i++) {
        fds[i] = dup(devnull);
        if (fds[i] < 0)
            break;
        opened++;
    }
    if (opened < BIG_FDS) {
        cf_fail("BIG-1", "spawn-from-64mib-500-fd-parent",
                "only %d descriptors could be opened: %s", opened,
                cf_errname(errno));
        return cf_end();
    }
    int expect = count_inheritable();

    struct cf_report r;
    struct cf_out o;
    int have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("BIG-1", "spawn-from-64mib-500-fd-parent", have, "%s",
             cf_out_text(o));
    cf_check("BIG-2", "child-sees-exactly-inherited-fds",
             have && cf_rep_long(&r, "nfds", -1) == expect,
             "child nfds %ld, parent has %d inheritable",
             cf_rep_long(&r, "nfds", -1), expect);
    unsigned long long after = checksum(mem, BIG_BYTES);
    cf_check("BIG-3", "parent-memory-unchanged", before == after,
             "checksum changed");

    int bad = 0, count_before = cf_count_fds();
    char detail[128] = "";
    for (int i = 0; i < 20 && !bad; i++) {
        o = cf_run(NULL, NULL, "exit", "0", (char *)NULL);
        if (o.ret != 0 || !cf_exited(o.status, 0)) {
            bad = 1;
            snprintf(detail, sizeof detail, "round %d: %s", i, cf_out_text(o));
        }
    }
    cf_check("BIG-4", "twenty-spawns-from-big-parent",
             !bad && cf_count_fds() == count_before &&
                 checksum(mem, BIG_BYTES) == before,
             "%s; fds %d -> %d", detail, count_before, cf_count_fds());

    for (int i = 0; i < BIG_FDS; i += 2)
        cf_set_cloexec(fds[i], 1);
    expect = count_inheritable();
    have = cf_report_run(&r, &o, NULL, NULL);
    cf_check("BIG-5", "half-cloexec-closed-in-child",
             have && cf_rep_long(&r, "nfds", -1) == expect,
             "%s, child nfds %ld, expected %d", cf_out_text(o),
             cf_rep_long(&r, "nfds", -1), expect);

    posix_spawn_file_actions_t fa;
    cf_fa_init(&fa);
    cf_addclosefrom_np(&fa, 3);
    have = cf_report_run(&r, &o, &fa, NULL);
    posix_spawn_file_actions_destroy(&fa);
    int low = 0;
    for (int fd = 0; fd < 3; fd++)
        low += cf_fd_open(fd);
    cf_check("BIG-6", "closefrom-3-from-big-parent",
             have && cf_rep_long(&r, "nfds", -1) == low, "%s, child nfds %ld",
             cf_out_text(o), cf_rep_long(&r, "nfds", -1));

    for (int i = 0; i < BIG_FDS; i++)
        close(fds[i]);
    close(devnull);
    free(mem);
    return cf_end();
}
