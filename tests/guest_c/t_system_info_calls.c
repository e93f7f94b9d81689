/*
 * Guest test: uname (sysname Linux, machine x86_64, nodename
 * kernel-shim), getrandom (different bytes each call, at most 4096 per
 * call, EINVAL for unknown flags, EFAULT), sysinfo (free RAM within the
 * total, at least this process), times and getrusage (EINVAL for an
 * unknown who), sched_getaffinity (CPU 0 only, 8 bytes; EINVAL for a
 * short mask, ESRCH for a missing pid) and madvise (0 for harmless advice,
 * EINVAL for an unaligned address, unknown advice or MADV_DONTNEED).
 */
#include "guest_test.h"

#include <sys/mman.h>

#define FIELD 65
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GETRANDOM_MAX 4096
#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define MADV_SEQUENTIAL 2
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_BOGUS 999
#define MISSING_PID 30000
#define PAGE 4096

struct k_sysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned int mem_unit;
    char rest[4];
};

static char big[GETRANDOM_MAX + 100];

int main(void)
{
    test_name = "t_system_info_calls";
    char uts[6 * FIELD];
    EXPECT(raw_syscall(SYS_uname, (long)uts, 0, 0, 0, 0, 0) == 0, "uname failed");
    EXPECT(strcmp(uts, "Linux") == 0, "sysname %s", uts);
    EXPECT(strcmp(uts + FIELD, "kernel-shim") == 0, "nodename %s", uts + FIELD);
    EXPECT(strcmp(uts + 4 * FIELD, "x86_64") == 0, "machine %s", uts + 4 * FIELD);
    EXPECT_ERRNO("uname to a bad pointer", raw_syscall(SYS_uname, UNMAPPED_ADDRESS, 0, 0, 0, 0, 0), EFAULT);

    unsigned char a[32], b[32];
    EXPECT(raw_syscall(SYS_getrandom, (long)a, sizeof a, 0, 0, 0, 0) == sizeof a, "getrandom short");
    EXPECT(raw_syscall(SYS_getrandom, (long)b, sizeof b, GRND_NONBLOCK | GRND_RANDOM, 0, 0, 0) == sizeof b,
           "getrandom with flags short");
    EXPECT(memcmp(a, b, sizeof a) != 0, "two getrandom calls gave the same bytes");
    EXPECT(raw_syscall(SYS_getrandom, (long)big, sizeof big, 0, 0, 0, 0) == GETRANDOM_MAX,
           "a long getrandom did not return %d bytes", GETRANDOM_MAX);
    EXPECT_ERRNO("getrandom flags", raw_syscall(SYS_getrandom, (long)a, sizeof a, 0x40, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("getrandom to a bad pointer", raw_syscall(SYS_getrandom, UNMAPPED_ADDRESS, 8, 0, 0, 0, 0),
                 EFAULT);

    struct k_sysinfo info;
    EXPECT(sizeof info == 112, "struct sysinfo is %zu bytes", sizeof info);
    EXPECT(raw_syscall(SYS_sysinfo, (long)&info, 0, 0, 0, 0, 0) == 0, "sysinfo failed");
    EXPECT(info.mem_unit == 1 && info.freeram > 0 && info.freeram <= info.totalram,
           "sysinfo ram %lu of %lu, unit %u", info.freeram, info.totalram, info.mem_unit);
    EXPECT(info.procs >= 2, "sysinfo procs %u", info.procs);

    long tms[4];
    long ticks = raw_syscall(SYS_times, (long)tms, 0, 0, 0, 0, 0);
    EXPECT(ticks >= 0, "times failed: %ld", ticks);
    EXPECT(raw_syscall(SYS_times, 0, 0, 0, 0, 0, 0) >= ticks, "times with a null buffer failed");
    long usage[18];
    EXPECT(raw_syscall(SYS_getrusage, RUSAGE_SELF, (long)usage, 0, 0, 0, 0) == 0, "getrusage self failed");
    EXPECT(raw_syscall(SYS_getrusage, RUSAGE_CHILDREN, (long)usage, 0, 0, 0, 0) == 0,
           "getrusage children failed");
    EXPECT_ERRNO("getrusage who 5", raw_syscall(SYS_getrusage, 5, (long)usage, 0, 0, 0, 0), EINVAL);

    unsigned long mask[4] = {0, 0, 0, 0};
    EXPECT(raw_syscall(SYS_sched_getaffinity, 0, sizeof mask, (long)mask, 0, 0, 0) == 8,
           "sched_getaffinity did not return 8");
    EXPECT(mask[0] == 1, "affinity mask %#lx", mask[0]);
    EXPECT_ERRNO("affinity size 4", raw_syscall(SYS_sched_getaffinity, 0, 4, (long)mask, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("affinity of a missing pid",
                 raw_syscall(SYS_sched_getaffinity, MISSING_PID, sizeof mask, (long)mask, 0, 0, 0), ESRCH);

    char *map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(map != MAP_FAILED, "mmap: %s", strerror(errno));
    map[0] = 42;
    EXPECT(raw_syscall(SYS_madvise, (long)map, 2 * PAGE, MADV_SEQUENTIAL, 0, 0, 0) == 0, "MADV_SEQUENTIAL");
    EXPECT(raw_syscall(SYS_madvise, (long)map, 2 * PAGE, MADV_FREE, 0, 0, 0) == 0, "MADV_FREE");
    EXPECT(map[0] == 42, "madvise changed memory");
    EXPECT_ERRNO("madvise unaligned", raw_syscall(SYS_madvise, (long)map + 1, PAGE, MADV_SEQUENTIAL, 0, 0, 0),
                 EINVAL);
    EXPECT_ERRNO("madvise unknown advice", raw_syscall(SYS_madvise, (long)map, PAGE, MADV_BOGUS, 0, 0, 0), EINVAL);
    EXPECT_ERRNO("madvise MADV_DONTNEED", raw_syscall(SYS_madvise, (long)map, PAGE, MADV_DONTNEED, 0, 0, 0),
                 EINVAL);
    return 0;
}
