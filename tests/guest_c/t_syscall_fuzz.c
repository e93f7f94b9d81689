/*
 * t_syscall_fuzz.c - the guest system-call fuzzer (issue 8, deliverable 2).
 *
 *     t_syscall_fuzz [--calls N] [--seed S] [--exhaust] [--injected]
 *                                                        (default: a short round)
 *
 * Issues N pseudo-random system calls derived from seed S (xorshift64*),
 * weighted toward SHIM_SPAWN with random pointers, lengths, flags, fds,
 * signal sets, scheduling policies, file-action lists (valid, truncated,
 * overlapping, pointing into kernel space) and random or corrupted ELF
 * images written to /tmp/fz, plus every other call the kernel has.
 *
 * Structure. The master (this program without "worker"/"doomed") runs the
 * calls in batches of BATCH_CALLS, each in a fresh worker process (this
 * program with "worker SEED BATCH"), so a call that damages the caller's
 * own state (ids, cwd, signal dispositions, mappings) damages one batch
 * only. A worker starts its own process group, makes its calls, then kills
 * every process it created (pids are never reused and are handed out in
 * order, so they are the pids above its own) and reaps them. After each
 * batch the master checks the kernel's counters (free frames, free process
 * slots, open file descriptions) against its baseline: everything a batch
 * took must be back. Calls that would legitimately end the caller (exit
 * with a random status, kill of the own group with a fatal signal,
 * rt_sigreturn with a garbage frame, pause until alarm, execve and
 * execveat of images, junk and random `#!` scripts) run in a "doomed"
 * grandchild that the worker reaps.
 *
 * Lengths and addresses come from the whole 64-bit range (huge,
 * negative, non-canonical, the last page of the user half, the kernel
 * half: huge_value). With --exhaust, every worker first fills the kernel
 * heap through files, directories and pipes and the process table with
 * sleeping children, makes its calls in that state, then gives it all
 * back. It is off by default (and in `x.py test`, to keep the round
 * short); a directory insertion on a full heap panicked the kernel until
 * allocation failure became an error everywhere (issue 13, item 1).
 *
 * With --injected the kernel fails allocations on purpose (its failslab=
 * boot option, `x.py fuzz guest --failslab`): a worker may then fail or
 * not start, which is counted ("batches failed under injection") but is
 * not a finding; its process group is killed, and the counters must come
 * back to the baseline within COUNTERS_SETTLE_MS once init has reaped
 * what is left.
 *
 * What counts as a finding: a worker that fails (a call returned something
 * that is neither a result nor an error number, or its clean-up failed), a
 * worker killed by a signal or running past WORKER_TIMEOUT_S, counters off
 * the baseline, and of course a kernel panic or hang (QEMU's exit code or
 * the host's timeout). The program exits 0 iff there was none; its last
 * line is "fuzz: N calls in T s, seed S: ok|N findings".
 *
 * Restrictions that keep the run meaningful (each avoids a legitimate
 * outcome that would stop the fuzzer, not a kernel path): calls that
 * change files use only /tmp/fz paths and descriptors the worker opened
 * there (so /bin survives); descriptors 0-2 are never closed, replaced or
 * written; the worker never blocks (no pipe is kept open, wait4 always
 * has WNOHANG, nanosleep is sub-millisecond); handlers are only SIG_DFL or
 * SIG_IGN, and SIGALRM is left alone; real-time policies are undone at
 * once and only given to children whose image exits at once (a spinning
 * real-time child would starve everything, as POSIX intends).
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include "guest_test.h"

#define DEFAULT_CALLS 20000
#define DEFAULT_SEED 1
#define BATCH_CALLS 250
#define WORKER_TIMEOUT_S 60
#define MAX_ERRNO 133
#define FZ_DIR "/tmp/fz"
#define OK_IMAGE FZ_DIR "/ok"
#define BAD_IMAGE FZ_DIR "/elf"
#define JUNK_IMAGE FZ_DIR "/junk"
#define SCRIPT_PATH FZ_DIR "/script"
#define SELF "/bin/t_syscall_fuzz"
#define SCRATCH_BYTES 65536
#define MAX_TRACKED 64
#define MAX_ACTIONS 24
#define SPAWN_FLAG_BITS 0x3ff
#define SETSCHEDULER_FLAG 0x20
#define NOWAIT_FLAG 0x200
#define USER_HALF_END 0x800000000000UL
/* The area munmap and MAP_FIXED are fuzzed in, [0x1000000000, this): the
 * kernel places the worker's own mappings top-down below the stack, above
 * it, and its image and break lie below it. */
#define MMAP_AREA_START 0x1000000000UL
#define MMAP_AREA_END 0x700000000000UL
#define USER_MIN_ADDRESS 0x10000UL /* shim_abi::layout */

static int tracing;
/* --injected: allocations fail on purpose; failed workers are expected. */
static int injected;
static long failed_batches;
#define COUNTERS_SETTLE_MS 3000

/* raw_syscall, shown first when tracing. */
static long fz_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
    if (tracing)
        fprintf(stderr, "  syscall %ld (%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n", n, a1, a2, a3, a4, a5, a6);
    return raw_syscall(n, a1, a2, a3, a4, a5, a6);
}

/* --- the generator --------------------------------------------------------- */

static uint64_t rng_state;
/* Set in a doomed child, which may have given up root for good. */
static int in_doomed;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static int chance(int percent) { return (int)below(100) < percent; }

/* The one arena that pointer arguments into the worker's own memory may
 * target. Calls write through such pointers with fuzzed lengths (read
 * moves up to 1 MiB, stat and clock_gettime run off the end on purpose),
 * so nothing the worker relies on may lie above it: ".lbss" (large-model
 * bss) is placed after every other data and bss section, which makes the
 * arena the image's last object, followed only by the unmapped (or
 * fuzz-grown, never used) program-break area. worker() checks this at
 * run time against the linker's _end. Without it, an overrun rewrote the
 * globals that used to follow (in_doomed, rng_state, tracing): a worker
 * that believed itself doomed kept a setresuid to another user, could no
 * longer SIGKILL its children, and waited for them for ever. */
static unsigned char scratch[SCRATCH_BYTES]
    __attribute__((section(".lbss.fz_scratch"), aligned(4096)));
extern char _end[];

/* A value from the edges of the whole 64-bit range, as a length or an
 * address: huge, negative, non-canonical, the last page of the user half,
 * the kernel half, each give or take a page or a byte. */
static long huge_value(void)
{
    static const uint64_t edges[] = {
        USER_HALF_END,            /* the first non-canonical address */
        USER_HALF_END - 4096,     /* the last page of the user half */
        0x40000000000UL,          /* 4 TiB */
        1UL << 32,
        1UL << 46,
        1UL << 63,                /* negative, non-canonical */
        0xffff800000000000UL,     /* the start of the kernel half */
        0xfffffffffffff000UL,     /* -4096 */
        0x7fffffffffffffffUL,
    };
    uint64_t v = edges[below(sizeof edges / sizeof *edges)];
    switch (below(4)) {
    case 0: return (long)(v - 4096 * below(4));
    case 1: return (long)(v + 4096 * below(4));
    case 2: return (long)(v - below(2));
    default: return (long)v;
    }
}

/* A pointer argument: mostly into scratch, often somewhere bad. */
static long any_pointer(void)
{
    switch (below(13)) {
    case 0: return 0;
    case 11: return huge_value();
    case 1: return (long)(KERNEL_ADDRESS + below(0x3fe00000));
    case 2: return (long)(USER_MIN_ADDRESS - below(64)); /* just below user space */
    case 3: return (long)UNMAPPED_ADDRESS;
    case 4: return (long)(NON_CANONICAL_ADDRESS + below(4096));
    case 5: return (long)(0x7fffffffffffUL - below(64)); /* the user end */
    case 6: return (long)rnd();
    case 7: return (long)(scratch + SCRATCH_BYTES - below(16)); /* runs off scratch */
    default: return (long)(scratch + below(SCRATCH_BYTES - 512));
    }
}

/* A pointer that is never readable: for arguments whose contents, if
 * read from random memory, could make the call block for ever. */
static long bad_pointer(void)
{
    long p;
    while ((unsigned long)(p = any_pointer()) - USER_MIN_ADDRESS < 0x800000000000UL - USER_MIN_ADDRESS)
        ; /* no user-half address: all of those may be mapped */
    return p;
}

/* A bad pointer that is not null: where null means "wait for ever" (a
 * timeout), a null would block the worker. */
static long bad_timeout_pointer(void)
{
    long p;
    while ((p = bad_pointer()) == 0)
        ;
    return p;
}

static long any_length(void)
{
    switch (below(9)) {
    case 0: return 0;
    case 1: return (long)rnd();
    case 2: return -1;
    case 3: return (long)below(1 << 22);
    case 4: return huge_value();
    default: return (long)below(512);
    }
}

static long any_int(void)
{
    switch (below(6)) {
    case 0: return (long)rnd();
    case 1: return -(long)below(4);
    case 2: return (long)(int)rnd();
    default: return (long)below(80);
    }
}

static long any_pid(void)
{
    switch (below(6)) {
    case 0: return 0;
    case 1: return getpid();
    case 2: return -1 - (long)below(3); /* bad or "any" */
    case 3: return 999999;
    case 4: return (long)rnd();
    default: return getpid() + 1 + (long)below(40); /* maybe a child */
    }
}

/* --- paths and descriptors ---------------------------------------------------- */

static const char *const tmp_paths[] = {
    FZ_DIR "/a", FZ_DIR "/b", FZ_DIR "/d", FZ_DIR "/d/e", FZ_DIR "/d/e/f", FZ_DIR "/d/",
    FZ_DIR "/a/", FZ_DIR "/d/..", FZ_DIR "/d/.", FZ_DIR, FZ_DIR "/elf", FZ_DIR "/junk",
    FZ_DIR "/../fz/b", FZ_DIR "//a",
};
static const char *const read_only_paths[] = {
    "/", "/bin", "/bin/hello", "/dev/null", "/dev/console", "/tmp", "", ".", "..", "/nonexistent",
    "/bin/hello/x", "/dev/null/",
};

static char long_path[4200];

/* A path for a call that may change the file system: /tmp/fz only. */
static long tmp_path(void)
{
    switch (below(14)) {
    case 0: return any_pointer();
    case 1: return (long)long_path;
    default: return (long)tmp_paths[below(sizeof tmp_paths / sizeof *tmp_paths)];
    }
}

/* A path for a call that only looks. */
static long look_path(void)
{
    return chance(60) ? tmp_path()
                      : (long)read_only_paths[below(sizeof read_only_paths / sizeof *read_only_paths)];
}

/* Descriptors the worker opened: on /tmp/fz paths ("own": may be
 * changed, written, truncated, chmod'ed) and elsewhere ("seen": only
 * looked at). A number leaves its list when it is closed or replaced. */
struct fd_list {
    int fds[MAX_TRACKED];
    int count;
};
static struct fd_list own, seen;

static void forget(long fd)
{
    struct fd_list *lists[] = {&own, &seen};
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < lists[l]->count; i++)
            if (lists[l]->fds[i] == fd)
                lists[l]->fds[i] = lists[l]->fds[--lists[l]->count];
}

static void track(struct fd_list *list, long fd)
{
    if (fd < 3)
        return;
    forget(fd);
    if (list->count < MAX_TRACKED)
        list->fds[list->count++] = (int)fd;
    else
        fz_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* A descriptor the worker may change or write: one it opened, or a bad one. */
static long own_fd(void)
{
    if (own.count && chance(80))
        return own.fds[below(own.count)];
    static const long bad[] = {-1, 1023, 1024, 5000, -1000, (long)0x1000003e8L /* 1000 */};
    return bad[below(sizeof bad / sizeof *bad)];
}

/* Any descriptor for calls that only look (0-2 included). */
static long look_fd(void)
{
    if (seen.count && chance(40))
        return seen.fds[below(seen.count)];
    return chance(20) ? (long)below(4) : own_fd();
}

/* --- ELF images ------------------------------------------------------------------ */

struct image {
    unsigned char ehdr[64];
    unsigned char phdr[2][56];
    unsigned char code[16];
};

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put16(unsigned char *p, uint16_t v) { memcpy(p, &v, 2); }

/* A valid two-segment image whose code exits with status 0 at once. */
static struct image good_image(void)
{
    static const unsigned char code[] = {0x31, 0xff, 0xb8, 231, 0, 0, 0, 0x0f, 0x05};
    struct image im;
    memset(&im, 0, sizeof im);
    memcpy(im.ehdr, "\x7f" "ELF\x02\x01\x01", 7);
    put16(im.ehdr + 16, 2);
    put16(im.ehdr + 18, 62);
    put32(im.ehdr + 20, 1);
    put64(im.ehdr + 24, 0x40000000UL + offsetof(struct image, code));
    put64(im.ehdr + 32, offsetof(struct image, phdr));
    put16(im.ehdr + 52, 64);
    put16(im.ehdr + 54, 56);
    put16(im.ehdr + 56, 2);
    unsigned char *p = im.phdr[0];
    put32(p, 1), put32(p + 4, 5), put64(p + 16, 0x40000000UL), put64(p + 24, 0x40000000UL);
    put64(p + 32, sizeof im), put64(p + 40, sizeof im), put64(p + 48, 4096);
    p = im.phdr[1];
    put32(p, 1), put32(p + 4, 6), put64(p + 16, 0x40002000UL), put64(p + 24, 0x40002000UL);
    put64(p + 40, 4096), put64(p + 48, 4096);
    memcpy(im.code, code, sizeof code);
    return im;
}

static void write_file(const char *path, const void *data, size_t len)
{
    long fd = fz_syscall(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0755, 0, 0, 0);
    if (fd < 0)
        return; /* a fuzzed chmod or rename may have got in the way */
    fz_syscall(SYS_write, fd, (long)data, (long)len, 0, 0, 0);
    fz_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
}

/* Rewrites BAD_IMAGE: the good image with random corruption. */
static void corrupt_image(void)
{
    struct image im = good_image();
    unsigned char *bytes = (unsigned char *)&im;
    size_t len = sizeof im;
    switch (below(4)) {
    case 0: /* flip bytes anywhere */
        for (int i = 0, n = 1 + (int)below(6); i < n; i++)
            bytes[below(len)] ^= (unsigned char)(1 + below(255));
        break;
    case 1: /* a random field of a program header */
        put64(im.phdr[below(2)] + 8 * below(7), chance(50) ? rnd() : below(0x80000000UL));
        break;
    case 2: /* truncate */
        len = below(len);
        break;
    default: /* a random entry or header table */
        put64(im.ehdr + (chance(50) ? 24 : 32), chance(50) ? rnd() : 0x40000000UL + below(0x4000));
        put16(im.ehdr + 56, (uint16_t)below(5));
        break;
    }
    write_file(BAD_IMAGE, &im, len);
}

/* --- SHIM_SPAWN ------------------------------------------------------------------- */

static char action_paths[512];
static struct action_record actions[MAX_ACTIONS];
static struct raw_attr attr;
static char *argv_ok[] = {"fz", "x", NULL};
static char *envp_ok[] = {"A=1", NULL};
static char *argv_bad[4];
static pid_t last_child;

/* Fills action_paths with /tmp/fz names (and junk), NUL-free pieces. */
static size_t fill_action_paths(void)
{
    static const char *const pieces[] = {FZ_DIR "/a", FZ_DIR "/d", "/dev/null", "a", "d",
                                         FZ_DIR "/d/e", "..", FZ_DIR "/b"};
    size_t len = 0;
    while (len < sizeof action_paths - 32 && chance(85)) {
        const char *piece = pieces[below(sizeof pieces / sizeof *pieces)];
        if (chance(10)) {
            size_t n = 1 + below(8);
            for (size_t i = 0; i < n; i++)
                action_paths[len++] = (char)(1 + below(255));
        } else {
            memcpy(action_paths + len, piece, strlen(piece));
            len += strlen(piece);
        }
    }
    return len;
}

static void random_action(struct action_record *a, size_t paths_len)
{
    a->kind = chance(90) ? (uint32_t)(1 + below(6)) : (uint32_t)rnd();
    a->fd = chance(80) ? (int32_t)(3 + below(30)) : (int32_t)any_int();
    if (a->kind == ACT_CLOSE || a->kind == ACT_DUP2) /* keep the console for the report */
        a->fd = chance(90) && a->fd < 3 ? 3 + a->fd : a->fd;
    a->arg = chance(80) ? (int32_t)(3 + below(30)) : (int32_t)any_int();
    a->oflag = chance(70) ? (int32_t)(below(3) | (below(2) * O_CREAT) | (below(2) * O_TRUNC) |
                                      (below(2) * O_CLOEXEC) | (below(2) * O_EXCL))
                          : (int32_t)rnd();
    a->mode = (uint32_t)(chance(80) ? below(01000) : rnd());
    if (paths_len && chance(85)) {
        a->path_offset = (uint32_t)below(paths_len);
        a->path_len = (uint32_t)below(paths_len - a->path_offset + 1);
    } else {
        a->path_offset = (uint32_t)rnd();
        a->path_len = (uint32_t)(chance(50) ? below(600) : rnd());
    }
}

/* One SHIM_SPAWN with a random request; returns the raw result. */
static long fuzz_spawn(void)
{
    struct spawn_request req = {0};
    int realtime = 0;
    /* attributes */
    if (chance(50)) {
        attr.flags = chance(80) ? (uint32_t)below(SPAWN_FLAG_BITS + 1) : (uint32_t)rnd();
        attr.pgroup = chance(70) ? 0 : (int32_t)any_pid();
        attr.sigmask = rnd();
        attr.sigdefault = chance(50) ? ~0ULL : rnd();
        attr.schedpolicy = chance(80) ? (int32_t)below(4) : (int32_t)rnd();
        attr.schedpriority = chance(80) ? (int32_t)below(100) : (int32_t)rnd();
        realtime = (attr.flags & SETSCHEDULER_FLAG) && attr.schedpolicy != 0;
        req.attr = (uint64_t)&attr;
    } else if (chance(20)) {
        req.attr = (uint64_t)any_pointer();
        realtime = 1; /* unknown contents: treat as real-time */
    }
    /* the image */
    static const char *const images[] = {OK_IMAGE, BAD_IMAGE, JUNK_IMAGE, "/bin/sleeper",
                                         FZ_DIR "/a", FZ_DIR "/d", "/nonexistent", ""};
    int pick = (int)below(sizeof images / sizeof *images + 1);
    if (realtime && pick != 0)
        pick = chance(50) ? 0 : 6;
    if (pick == 1 && chance(50))
        corrupt_image();
    req.path = pick == (int)(sizeof images / sizeof *images) ? (uint64_t)any_pointer()
                                                             : (uint64_t)images[pick];
    if (realtime && pick >= (int)(sizeof images / sizeof *images))
        req.path = (uint64_t)"/nonexistent";
    /* arguments and environment */
    switch (below(8)) {
    case 0: req.argv = (uint64_t)any_pointer(); break;
    case 1:
        argv_bad[0] = "fz";
        argv_bad[1] = (char *)any_pointer();
        argv_bad[2] = NULL;
        req.argv = (uint64_t)argv_bad;
        break;
    default: req.argv = (uint64_t)argv_ok;
    }
    req.envp = chance(90) ? (uint64_t)envp_ok : (uint64_t)any_pointer();
    /* file actions */
    if (chance(60)) {
        size_t paths_len = fill_action_paths();
        size_t count = below(MAX_ACTIONS + 1);
        for (size_t i = 0; i < count; i++)
            random_action(&actions[i], paths_len);
        req.actions = (uint64_t)actions;
        req.action_count = count;
        req.paths = (uint64_t)action_paths;
        req.paths_len = paths_len;
        switch (below(10)) {
        case 0: req.action_count = rnd(); break;                             /* runs off */
        case 1: req.actions = (uint64_t)any_pointer(); break;                /* bad records */
        case 2: req.paths = (uint64_t)any_pointer(); break;                  /* bad paths */
        case 3: req.paths_len = (uint64_t)any_length(); break;               /* bad length */
        case 4: req.actions = (uint64_t)((char *)actions + below(28)); break; /* misaligned */
        case 5: req.paths = (uint64_t)((char *)actions); break;              /* overlapping */
        default: break;
        }
    }
    if (chance(15)) {
        req.path = (uint64_t)(chance(80) ? "ok" : "sleeper");
        req.search_path = chance(80) ? (uint64_t)(chance(50) ? FZ_DIR ":/bin" : ":/nonexistent::" FZ_DIR)
                                     : (uint64_t)any_pointer();
    }
    long pid_ptr = chance(90) ? (long)&last_child : any_pointer();
    long req_ptr = chance(95) ? (long)&req : any_pointer();
    return fz_syscall(SYS_shim_spawn, pid_ptr, req_ptr, any_int() & 1 ? 0 : (long)rnd(), 0, 0, 0);
}

/* Every failure must be an error number. */
static void check_result(long r, const char *what)
{
    if (r < 0 && r >= -4095 && -r > MAX_ERRNO)
        FAIL("%s returned -%ld, not an error number", what, -r);
}

/* --- the other calls --------------------------------------------------------------- */

static const int harmless_signals[] = {0, SIGCHLD, SIGURG, SIGWINCH, SIGCONT, SIGSTOP, SIGTSTP};

static int random_signal(void) { return chance(90) ? (int)below(66) : (int)rnd(); }

/* A signal to send to the worker itself or its group: not fatal. */
static int harmless_signal(void)
{
    return harmless_signals[below(sizeof harmless_signals / sizeof *harmless_signals)];
}

/* The sigaction argument: SIG_DFL or SIG_IGN with random flags and mask. */
static struct {
    uint64_t handler, flags, restorer, mask;
} sa;

static long fuzz_sigaction(void)
{
    int sig = random_signal();
    if (sig == SIGALRM)
        sig = SIGUSR1;
    sa.handler = below(2);
    sa.flags = rnd();
    sa.restorer = (uint64_t)any_pointer();
    sa.mask = rnd();
    /* never random memory as the action: that could install a handler at a
     * random address, which a later SIGCHLD would jump to */
    long act = chance(80) ? (long)&sa : bad_pointer();
    long old = chance(50) ? 0 : (chance(70) ? (long)(scratch + 64) : any_pointer());
    return fz_syscall(SYS_rt_sigaction, sig, act, old, chance(90) ? 8 : any_length(), 0, 0);
}

static void back_to_sched_other(void)
{
    static const long zero = 0;
    fz_syscall(SYS_sched_setscheduler, 0, 0, (long)&zero, 0, 0, 0);
}

/* One random call other than SHIM_SPAWN. */
static long fuzz_other(void)
{
    long r;
    static struct timespec ts;
    switch (below(56)) {
    case 0: return fz_syscall(SYS_read, own_fd(), any_pointer(), any_length(), 0, 0, 0); /* read */
    case 1: return fz_syscall(SYS_write, own_fd(), any_pointer(), any_length(), 0, 0, 0); /* write */
    case 2: /* open */
        if (chance(50)) {
            r = fz_syscall(SYS_open, tmp_path(), (long)rnd(), (long)(rnd() & 07777), 0, 0, 0);
            track(&own, r);
        } else {
            r = fz_syscall(SYS_open, look_path(), O_RDONLY | (chance(30) ? O_DIRECTORY : 0), 0, 0, 0, 0);
            track(&seen, r);
        }
        return r;
    case 3: { /* close */
        long fd = chance(70) ? own_fd() : look_fd();
        if (fd < 3)
            fd = own_fd();
        r = fz_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
        if (r == 0)
            forget(fd);
        return r;
    }
    case 4: return fz_syscall(SYS_stat, look_path(), any_pointer(), 0, 0, 0, 0);
    case 5: return fz_syscall(SYS_fstat, look_fd(), any_pointer(), 0, 0, 0, 0);
    case 6: return fz_syscall(SYS_lstat, look_path(), any_pointer(), 0, 0, 0, 0);
    case 7: return fz_syscall(SYS_lseek, own_fd(), any_int(), (long)below(5), 0, 0, 0); /* lseek */
    case 8: { /* mmap (a small mapping, unmapped again at once or later) */
        long addr = chance(80) ? 0 : any_pointer();
        long flags = chance(80) ? 0x22 : any_int();
        /* MAP_FIXED (0x10) replaces what is there: only in the area the
         * worker never uses (its image, break, stack and own mappings lie
         * outside it), and never longer than that area. */
        unsigned long len = chance(90) ? below(1 << 18) : (unsigned long)any_length();
        if ((flags & 0x10) && ((unsigned long)addr < MMAP_AREA_START || (unsigned long)addr >= MMAP_AREA_END ||
                               len > MMAP_AREA_END - (unsigned long)addr))
            flags &= ~0x10L;
        r = fz_syscall(SYS_mmap, addr, (long)len, (long)below(8), flags, chance(90) ? -1 : any_int(), 0);
        if (r > 0 && chance(70))
            fz_syscall(SYS_munmap, r, 4096, 0, 0, 0, 0);
        return r;
    }
    case 9: { /* munmap: bad ranges, or the mmap area (never the image or stack) */
        static const long where[] = {KERNEL_ADDRESS, 0, NON_CANONICAL_ADDRESS, MMAP_AREA_START + 1,
                                     0x7ffffffff000L, -4096L};
        int in_mmap_area = chance(50);
        long addr = in_mmap_area ? (long)MMAP_AREA_START + (long)below(1 << 20) * 4096
                                 : where[below(sizeof where / sizeof *where)];
        unsigned long len = (unsigned long)any_length();
        /* Huge lengths from the mmap area stop short of the stack. */
        if (in_mmap_area && len > MMAP_AREA_END - (unsigned long)addr)
            len = MMAP_AREA_END - (unsigned long)addr - 4096 * below(2);
        return fz_syscall(SYS_munmap, addr, (long)len, 0, 0, 0, 0);
    }
    case 10: return fz_syscall(SYS_brk, chance(50) ? 0 : any_pointer(), 0, 0, 0, 0, 0); /* brk */
    case 11: return fuzz_sigaction();
    case 12: return fz_syscall(SYS_rt_sigprocmask, (long)below(4), chance(80) ? (long)scratch : any_pointer(),
                                chance(50) ? 0 : any_pointer(), chance(90) ? 8 : any_length(), 0, 0);
    case 13: return fz_syscall(SYS_ioctl, look_fd(), any_int(), any_pointer(), 0, 0, 0); /* ioctl */
    case 14: return fz_syscall(SYS_access, look_path(), any_int(), 0, 0, 0, 0);           /* access */
    case 15: { /* pipe / pipe2: never kept (a kept pipe could block a read) */
        int fds[2] = {-1, -1};
        long p = chance(80) ? (long)fds : any_pointer();
        r = chance(50) ? fz_syscall(SYS_pipe, p, 0, 0, 0, 0, 0) : fz_syscall(SYS_pipe2, p, any_int(), 0, 0, 0, 0);
        if (r == 0 && p == (long)fds) {
            fz_syscall(SYS_close, fds[0], 0, 0, 0, 0, 0);
            fz_syscall(SYS_close, fds[1], 0, 0, 0, 0, 0);
        }
        return r;
    }
    case 16: return fz_syscall(SYS_sched_yield, 0, 0, 0, 0, 0, 0); /* sched_yield */
    case 17: track(&seen, r = fz_syscall(SYS_dup, look_fd(), 0, 0, 0, 0, 0)); return r; /* dup */
    case 18: { /* dup2 onto 3 and above */
        long to = chance(90) ? 3 + (long)below(60) : (any_int() | 3);
        r = fz_syscall(SYS_dup2, look_fd(), to, 0, 0, 0, 0);
        if (r >= 0 && to != 1000)
            track(&seen, r);
        return r;
    }
    case 19: /* nanosleep: sub-millisecond or invalid */
        ts.tv_sec = chance(90) ? 0 : -1;
        ts.tv_nsec = chance(90) ? (long)below(200000) : (long)rnd();
        return fz_syscall(SYS_nanosleep, chance(80) ? (long)&ts : bad_pointer(), chance(50) ? 0 : any_pointer(), 0, 0, 0, 0);
    case 20: return fz_syscall(SYS_alarm, 0, 0, 0, 0, 0, 0); /* alarm(0): query and cancel */
    case 21: return fz_syscall(SYS_getpid, 0, 0, 0, 0, 0, 0);
    case 22: { /* wait4, never blocking */
        long opts = 1 /* WNOHANG */ | (chance(20) ? (long)(rnd() & ~1L) : 0);
        return fz_syscall(SYS_wait4, any_pid(), chance(70) ? (long)(scratch + 128) : any_pointer(), opts,
                           chance(90) ? 0 : any_pointer(), 0, 0);
    }
    case 23: /* kill: fatal signals only to children, harmless ones to self/group */
        if (chance(50))
            return fz_syscall(SYS_kill, getpid() + 1 + (long)below(40), random_signal(), 0, 0, 0, 0);
        return fz_syscall(SYS_kill, chance(50) ? 0 : getpid(), harmless_signal(), 0, 0, 0, 0);
    case 24: /* fcntl */
        r = fz_syscall(SYS_fcntl, look_fd(), chance(80) ? (long)below(5) : (chance(50) ? 1030 : any_int()),
                        any_int(), 0, 0, 0);
        return r; /* a new descriptor from F_DUPFD stays untracked: closed at exit */
    case 25: return fz_syscall(below(2) ? SYS_fdatasync : SYS_fsync, own_fd(), 0, 0, 0, 0, 0); /* fsync, fdatasync */
    case 26: return fz_syscall(SYS_truncate, tmp_path(), any_length(), 0, 0, 0, 0);  /* truncate */
    case 27: return fz_syscall(SYS_ftruncate, own_fd(), chance(90) ? (long)below(1 << 16) : any_length(), 0, 0, 0, 0);
    case 28: return fz_syscall(SYS_getcwd, any_pointer(), any_length(), 0, 0, 0, 0); /* getcwd */
    case 29: return fz_syscall(SYS_chdir, look_path(), 0, 0, 0, 0, 0);              /* chdir */
    case 30: return fz_syscall(SYS_fchdir, look_fd(), 0, 0, 0, 0, 0);                /* fchdir */
    case 31: return fz_syscall(SYS_rename, tmp_path(), tmp_path(), 0, 0, 0, 0);      /* rename */
    case 32: return fz_syscall(SYS_mkdir, tmp_path(), any_int(), 0, 0, 0, 0);       /* mkdir */
    case 33: return fz_syscall(SYS_rmdir, tmp_path(), 0, 0, 0, 0, 0);               /* rmdir */
    case 34: return fz_syscall(SYS_unlink, tmp_path(), 0, 0, 0, 0, 0);               /* unlink */
    case 35: return fz_syscall(SYS_chmod, tmp_path(), any_int(), 0, 0, 0, 0);       /* chmod */
    case 36: return fz_syscall(SYS_fchmod, own_fd(), any_int(), 0, 0, 0, 0);         /* fchmod */
    case 37: return fz_syscall(SYS_umask, any_int(), 0, 0, 0, 0, 0);                /* umask */
    case 38: { /* the id calls; setuid and setreuid run in doomed children */
        static const long nr[] = {SYS_getuid,    SYS_getgid,    SYS_setgid,    SYS_geteuid,
                                  SYS_getegid,   SYS_setregid,  SYS_setresuid, SYS_getresuid,
                                  SYS_setresgid, SYS_getresgid};
        long n = nr[below(sizeof nr / sizeof *nr)];
        long id = chance(50) ? (long)below(3) * 1000 : any_int();
        if (n == SYS_getresuid || n == SYS_getresgid)
            return fz_syscall(n, any_pointer(), any_pointer(), any_pointer(), 0, 0, 0);
        /* setresuid keeps the saved id 0, and root is taken back at once, so
         * the worker can still kill its children. */
        r = fz_syscall(n, id, chance(50) ? -1 : id, n == SYS_setresuid ? -1 : (chance(50) ? -1 : any_int()), 0, 0, 0);
        if (n == SYS_setresuid && !in_doomed && fz_syscall(SYS_setresuid, 0, 0, 0, 0, 0, 0) != 0)
            FAIL("cannot take root back after setresuid");
        return r;
    }
    case 39: { /* groups and sessions */
        switch (below(5)) {
        case 0: return fz_syscall(SYS_setpgid, any_pid(), chance(50) ? 0 : any_pid(), 0, 0, 0, 0);
        case 1: return fz_syscall(SYS_getpgrp, 0, 0, 0, 0, 0, 0);
        case 2: return fz_syscall(SYS_setsid, 0, 0, 0, 0, 0, 0);
        case 3: return fz_syscall(SYS_getpgid, any_pid(), 0, 0, 0, 0, 0);
        default: return fz_syscall(SYS_getsid, any_pid(), 0, 0, 0, 0, 0);
        }
    }
    case 40: /* rt_sigpending */
        return fz_syscall(SYS_rt_sigpending, any_pointer(), chance(90) ? 8 : any_length(), 0, 0, 0, 0);
    case 41: { /* scheduling: own process or none; real-time undone at once */
        static long param;
        param = chance(80) ? (long)below(100) : any_int();
        long pid = chance(80) ? 0 : (chance(50) ? 999999 : -1);
        long pp = chance(80) ? (long)&param : any_pointer();
        switch (below(6)) {
        case 0: r = fz_syscall(SYS_sched_setparam, pid, pp, 0, 0, 0, 0); break;
        case 1: r = fz_syscall(SYS_sched_getparam, pid, pp, 0, 0, 0, 0); break;
        case 2: r = fz_syscall(SYS_sched_setscheduler, pid, chance(80) ? (long)below(4) : any_int(), pp, 0, 0, 0); break;
        case 3: r = fz_syscall(SYS_sched_getscheduler, pid, 0, 0, 0, 0, 0); break;
        case 4: r = fz_syscall(SYS_sched_get_priority_max, any_int(), 0, 0, 0, 0, 0); break;
        default: r = fz_syscall(SYS_sched_get_priority_min, any_int(), 0, 0, 0, 0, 0); break;
        }
        back_to_sched_other();
        return r;
    }
    case 42: /* arch_prctl: GET, or SET to a bad base (the C code uses no TLS) */
        return fz_syscall(SYS_arch_prctl, chance(50) ? 0x1003 : any_int(), any_pointer(), 0, 0, 0, 0);
    case 43: return fz_syscall(SYS_clock_gettime, chance(80) ? (long)below(8) : any_int(), any_pointer(), 0, 0, 0, 0);
    case 44: return fz_syscall(SYS_shim_kstats, any_pointer(), 0, 0, 0, 0, 0);
    case 45: /* setitimer: the worker ignores SIGALRM, so any setting is harmless */
        return fz_syscall(SYS_setitimer, chance(80) ? (long)below(3) : any_int(), any_pointer(), any_pointer(), 0,
                          0, 0);
    case 46: return fz_syscall(SYS_getitimer, chance(80) ? (long)below(3) : any_int(), any_pointer(), 0, 0, 0, 0);
    case 47: return fz_syscall(SYS_clock_getres, chance(80) ? (long)below(8) : any_int(), any_pointer(), 0, 0, 0, 0);
    case 48: return fz_syscall(SYS_sched_rr_get_interval, any_pid(), any_pointer(), 0, 0, 0, 0);
    case 49: return fz_syscall(SYS_getgroups, any_int(), any_pointer(), 0, 0, 0, 0);
    case 50: { /* select / ppoll over random sets: a zero timeout or a bad one (never null), never a wait */
        static const long zero_time[2] = {0, 0};
        long timeout = chance(80) ? (long)zero_time : bad_timeout_pointer();
        if (chance(50))
            return fz_syscall(SYS_select, any_int() % 1100, any_pointer(), any_pointer(), any_pointer(), timeout, 0);
        return fz_syscall(SYS_ppoll, any_pointer(), any_length() % 70, timeout, chance(50) ? 0 : any_pointer(), 8, 0);
    }
    case 51: { /* clock_nanosleep: a zero duration or a past absolute time (zero), never a wait */
        static const long zero_time[2] = {0, 0};
        long request = chance(80) ? (long)zero_time : bad_pointer();
        return fz_syscall(SYS_clock_nanosleep, chance(80) ? (long)below(9) : any_int(), any_int(), request,
                          any_pointer(), 0, 0);
    }
    case 52: { /* rt_sigtimedwait: a zero timeout or a bad one (never null), never a wait (may take a pending signal) */
        static const long zero_time[2] = {0, 0};
        long timeout = chance(80) ? (long)zero_time : bad_timeout_pointer();
        return fz_syscall(SYS_rt_sigtimedwait, chance(80) ? (long)scratch : any_pointer(),
                          chance(50) ? 0 : any_pointer(), timeout, chance(90) ? 8 : any_length(), 0, 0);
    }
    case 53: /* getpriority of anyone */
        return fz_syscall(SYS_getpriority, chance(80) ? (long)below(3) : any_int(), chance(50) ? 0 : any_pid(), 0,
                          0, 0, 0);
    case 54: /* setpriority of the worker itself only (as root it could change init's, which every later
              * test inherits), or with a `which` that is refused */
        return fz_syscall(SYS_setpriority, chance(80) ? 0 : 3 + (long)below(1000), chance(50) ? 0 : getpid(),
                          any_int(), 0, 0, 0);
    case 55: /* waitid, never blocking (WNOHANG always; with a random idtype, id and the other options) */
        return fz_syscall(SYS_waitid, chance(80) ? (long)below(4) : any_int(), chance(50) ? 0 : any_pid(),
                          any_pointer(), (chance(80) ? 4 /* WEXITED */ : any_int()) | 1 /* WNOHANG */,
                          chance(80) ? 0 : any_pointer(), 0);
    default: /* SHIM_POWEROFF: only init may; anything else must be refused */
        r = fz_syscall(SYS_shim_poweroff, any_int(), 0, 0, 0, 0, 0);
        if (r != -EPERM)
            FAIL("SHIM_POWEROFF from a worker gave %ld, expected -EPERM", r);
        return r;
    }
}

/* --- doomed children: calls that end the caller --------------------------------------- */

/* A random `#!` script at SCRIPT_PATH: an interpreter that is a program,
 * junk, a directory, missing, the script itself (ELOOP), or random bytes;
 * sometimes an argument, sometimes no newline. */
static void write_random_script(void)
{
    static const char *const interpreters[] = {OK_IMAGE, JUNK_IMAGE, "/bin/hello", "/bin", "/nonexistent",
                                               SCRIPT_PATH, "", "  "};
    char text[512];
    size_t n = (size_t)snprintf(text, sizeof text, "#!%s",
                                interpreters[below(sizeof interpreters / sizeof *interpreters)]);
    if (chance(30)) {
        size_t extra = below(300);
        for (size_t i = 0; i < extra && n < sizeof text - 2; i++)
            text[n++] = chance(80) ? (char)(' ' + below(95)) : (char)rnd();
    } else if (chance(50)) {
        n += (size_t)snprintf(text + n, sizeof text - n, " -x  y\t");
    }
    if (chance(80))
        text[n++] = '\n';
    write_file(SCRIPT_PATH, text, n);
}

/* execve or execveat of a random image with random arrays: it either
 * replaces the doomed child (whose image then ends) or fails cleanly and
 * the child goes on making calls. */
static void random_exec(void)
{
    static const char *const images[] = {OK_IMAGE, JUNK_IMAGE, SCRIPT_PATH, "/bin/hello", "/bin", "/nonexistent"};
    if (chance(50))
        write_random_script();
    static char *good_argv[] = {"x", "3", NULL};
    long path = chance(70) ? (long)images[below(sizeof images / sizeof *images)] : look_path();
    long argv = chance(70) ? (long)good_argv : any_pointer();
    long envp = chance(70) ? (long)envp_ok : any_pointer();
    long r;
    if (chance(50)) {
        r = fz_syscall(SYS_execve, path, argv, envp, 0, 0, 0);
    } else {
        long dirfd = chance(50) ? -100 /* AT_FDCWD */ : (long)look_fd();
        long flags = chance(70) ? 0 : chance(50) ? 0x1000 /* AT_EMPTY_PATH */ : any_int();
        r = fz_syscall(SYS_execveat, dirfd, chance(20) ? (long)"" : path, argv, envp, flags, 0);
    }
    check_result(r, "execve");
    for (int i = 0; i < 20; i++)
        check_result(fuzz_other(), "a call after a failed execve");
}

static int doomed(const char *what, uint64_t seed)
{
    rng_state = seed | 1;
    in_doomed = 1;
    fz_syscall(SYS_setpgid, 0, 0, 0, 0, 0, 0); /* own group: kill(0) stays here */
    sa.handler = 0; /* SIG_DFL: the worker ignores SIGALRM, and that is inherited */
    sa.flags = 0x04000000;
    fz_syscall(SYS_rt_sigaction, SIGALRM, (long)&sa, 0, 8, 0, 0);
    static const uint64_t no_signals = 0; /* the worker's fuzzed mask is inherited */
    fz_syscall(SYS_rt_sigprocmask, 2 /* SIG_SETMASK */, (long)&no_signals, 0, 8, 0, 0);
    switch (what[0]) {
    case 's': /* setuid / setreuid to random ids, then more calls as whoever it is */
        fz_syscall(chance(50) ? SYS_setuid : SYS_setreuid, chance(50) ? (long)below(3) * 1000 : any_int(),
                    chance(50) ? -1 : any_int(), 0, 0, 0, 0);
        for (int i = 0; i < 20; i++)
            check_result(fuzz_other(), "a call after setuid");
        break;
    case 'e': fz_syscall(chance(50) ? SYS_exit : SYS_exit_group, any_int(), 0, 0, 0, 0, 0); break;
    case 'k': fz_syscall(SYS_kill, chance(50) ? 0 : getpid(), 1 + (long)below(64), 0, 0, 0, 0); break;
    case 'r': /* rt_sigreturn on a garbage frame */
        for (size_t i = 0; i < 1024; i++)
            scratch[i] = (unsigned char)rnd();
        __asm__ volatile("mov %0, %%rsp\n\tmov %1, %%eax\n\tsyscall" ::"r"(scratch + 64), "i"(SYS_rt_sigreturn) : "rax", "memory");
        break;
    case 'i': random_exec(); break;
    case 'p': /* pause until a short alarm (SIGALRM's default kills) */
        fz_syscall(SYS_alarm, 1, 0, 0, 0, 0, 0);
        fz_syscall(SYS_pause, 0, 0, 0, 0, 0, 0);
        break;
    default: break;
    }
    return 99; /* still here: the worker treats other endings alike */
}

static void run_doomed(void)
{
    static const char *const kinds[] = {"exit", "kill", "rt_sigreturn", "setuid", "image", "pause"};
    /* pause costs a second of waiting: rare */
    const char *kind = kinds[below(200) == 0 ? 5 : below(5)];
    char seed[24];
    snprintf(seed, sizeof seed, "%lu", (unsigned long)rnd());
    char *argv[] = {SELF, "doomed", (char *)kind, seed, NULL};
    struct spawn_request req = {(uint64_t)SELF, (uint64_t)argv, (uint64_t)envp_ok, 0, 0, 0, 0, 0, 0};
    int pid = 0;
    if (fz_syscall(SYS_shim_spawn, (long)&pid, (long)&req, 0, 0, 0, 0) == 0) {
        int status;
        fz_syscall(SYS_wait4, pid, (long)&status, 0, 0, 0, 0);
    }
}

/* --- the worker ------------------------------------------------------------------- */

static long calls_made;

static void setup_files(void)
{
    fz_syscall(SYS_mkdir, (long)FZ_DIR, 0777, 0, 0, 0, 0);
    struct image im = good_image();
    write_file(OK_IMAGE, &im, sizeof im);
    corrupt_image();
    for (size_t i = 0; i < sizeof scratch; i++)
        scratch[i] = (unsigned char)rnd();
    write_file(JUNK_IMAGE, scratch, below(600));
    write_file(FZ_DIR "/a", "data", 4);
    fz_syscall(SYS_mkdir, (long)FZ_DIR "/d", 0755, 0, 0, 0, 0);
    memset(long_path, 'x', sizeof long_path - 1);
    long_path[0] = '/';
}

/* Kills everything this worker created (every pid above its own: the
 * master waits for it, so nothing else spawns meanwhile) and reaps it. */
static void clean_up(long spawn_attempts)
{
    long self = getpid();
    for (long pid = self + 1; pid <= self + spawn_attempts + 1; pid++) {
        /* Only ESRCH (never created, or reaped) may fail: anything else
         * leaves a child alive, and the wait below would never end. */
        long r = fz_syscall(SYS_kill, pid, SIGKILL, 0, 0, 0, 0);
        if (r != 0 && r != -ESRCH)
            FAIL("SIGKILL of pid %ld gave %ld (euid %ld)", pid, r, fz_syscall(SYS_geteuid, 0, 0, 0, 0, 0, 0));
    }
    int status;
    long r;
    while ((r = fz_syscall(SYS_wait4, -1, (long)&status, 0, 0, 0, 0)) > 0)
        ;
    if (r != -ECHILD)
        FAIL("reaping the worker's children ended with %ld", r);
}

/* --- exhaustion (--exhaust) ---------------------------------------------------------- */

#define FILL_FILES 128
#define FILL_FILE_BYTES (4L << 20)
#define FILL_MIN_BYTES 4096L
#define FILL_DIRS 9000
#define FILL_PIPES 1024
/* Fill pipes live at descriptors FILL_FD_FIRST..FILL_FD_LIMIT-1, where no
 * random call reaches them (see exhaust). */
#define FILL_FD_FIRST 100
#define FILL_FD_LIMIT 1000
#define FILL_CHILDREN 64
#define SLEEPER "/bin/sleep"

static int exhausting;
static int fill_pipe_fds[FILL_PIPES][2];
static int fill_pipes;

static void fill_name(char *out, size_t size, const char *kind, int index)
{
    snprintf(out, size, FZ_DIR "/%s%d", kind, index);
}

/* Fills the kernel heap through files (grown by ftruncate until ENOSPC),
 * directories (until the inode table or the heap is full) and pipes
 * (until EMFILE or ENFILE), and the process table with sleeping children
 * (until EAGAIN). Returns the children spawned. Every call must fail
 * cleanly; the kernel must not panic (issue 13 reproduction 1 panicked
 * here until allocation failure became an error everywhere). */
static long exhaust(void)
{
    char name[64];
    /* Files of FILL_FILE_BYTES, then ever smaller ones once that no
     * longer fits, down to a page: the heap ends up full. */
    long size = FILL_FILE_BYTES;
    for (int i = 0; i < FILL_FILES && size >= FILL_MIN_BYTES; i++) {
        fill_name(name, sizeof name, "fill", i);
        long fd = fz_syscall(SYS_open, (long)name, O_CREAT | O_WRONLY, 0600, 0, 0, 0);
        if (fd < 0)
            break;
        while (size >= FILL_MIN_BYTES && fz_syscall(SYS_ftruncate, fd, size, 0, 0, 0, 0) < 0)
            size /= 2;
        fz_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    }
    for (int i = 0; i < FILL_DIRS; i++) {
        fill_name(name, sizeof name, "dir", i);
        if (fz_syscall(SYS_mkdir, (long)name, 0700, 0, 0, 0, 0) < 0)
            break;
    }
    /* Out of the calls' reach: non-blocking, and moved to descriptors
     * FILL_FD_FIRST..FILL_FD_LIMIT, which no call picks (look_fd() gives
     * 0-3, dup2 targets 3-62, own_fd()'s "bad" ones are 1000 and up). The
     * worker holds both ends, so a blocking read of one would hang it for
     * ever; before this, a fill pipe at descriptor 3, duplicated onto a
     * file's descriptor and set blocking by a random F_SETFL, did. */
    for (fill_pipes = 0; fill_pipes < FILL_PIPES; fill_pipes++) {
        int *ends = fill_pipe_fds[fill_pipes];
        if (fz_syscall(SYS_pipe2, (long)ends, O_NONBLOCK, 0, 0, 0, 0) < 0)
            break;
        int moved = 1;
        for (int end = 0; end < 2; end++) {
            long high = fz_syscall(SYS_fcntl, ends[end], F_DUPFD, FILL_FD_FIRST, 0, 0, 0);
            fz_syscall(SYS_close, ends[end], 0, 0, 0, 0, 0);
            ends[end] = (int)high;
            moved = moved && high >= 0 && high < FILL_FD_LIMIT;
        }
        if (!moved) {
            for (int end = 0; end < 2; end++)
                if (ends[end] >= 0)
                    fz_syscall(SYS_close, ends[end], 0, 0, 0, 0, 0);
            break;
        }
    }
    /* The pipes hold descriptors: give most back so calls can still open. */
    while (fill_pipes > FILL_PIPES / 2) {
        fill_pipes--;
        fz_syscall(SYS_close, fill_pipe_fds[fill_pipes][0], 0, 0, 0, 0, 0);
        fz_syscall(SYS_close, fill_pipe_fds[fill_pipes][1], 0, 0, 0, 0, 0);
    }
    long children = 0;
    char *argv[] = {SLEEPER, "1000", NULL};
    for (int i = 0; i < FILL_CHILDREN; i++) {
        pid_t pid;
        children++;
        if (posix_spawn(&pid, SLEEPER, NULL, NULL, argv, environ) != 0)
            break;
    }
    return children;
}

/* Gives back what exhaust() took, but the children (clean_up kills them). */
static void release(void)
{
    char name[64];
    for (int i = 0; i < FILL_FILES; i++) {
        fill_name(name, sizeof name, "fill", i);
        fz_syscall(SYS_unlink, (long)name, 0, 0, 0, 0, 0);
    }
    for (int i = 0; i < FILL_DIRS; i++) {
        fill_name(name, sizeof name, "dir", i);
        if (fz_syscall(SYS_rmdir, (long)name, 0, 0, 0, 0, 0) < 0)
            break;
    }
    for (int i = 0; i < fill_pipes; i++) {
        fz_syscall(SYS_close, fill_pipe_fds[i][0], 0, 0, 0, 0, 0);
        fz_syscall(SYS_close, fill_pipe_fds[i][1], 0, 0, 0, 0, 0);
    }
}

static int worker(uint64_t seed, long calls)
{
    /* Compared as integers the compiler cannot see through: it may assume
     * that two distinct objects never touch. */
    uintptr_t arena_end = (uintptr_t)scratch + SCRATCH_BYTES, image_end = (uintptr_t)_end;
    __asm__("" : "+r"(arena_end), "+r"(image_end));
    if (arena_end != image_end)
        FAIL("the scratch arena is not the image's last object (%p, end %p)", (void *)scratch, (void *)_end);
    rng_state = seed | 1;
    fz_syscall(SYS_setpgid, 0, 0, 0, 0, 0, 0); /* a group of its own */
    /* SIGALRM is ignored, so a stray alarm cannot end the batch. */
    sa.handler = 1; /* SIG_IGN */
    sa.flags = 0x04000000;
    sa.mask = 0;
    fz_syscall(SYS_rt_sigaction, SIGALRM, (long)&sa, 0, 8, 0, 0);
    setup_files();
    long spawns = exhausting ? exhaust() : 0;
    for (long i = 0; i < calls; i++) {
        long r;
        const char *what;
        if (tracing)
            fprintf(stderr, "call %ld\n", i);
        if (chance(40)) {
            r = fuzz_spawn();
            what = "SHIM_SPAWN";
            spawns++;
        } else if (chance(1)) {
            run_doomed();
            spawns++;
            r = 0;
            what = "doomed child";
        } else {
            r = fuzz_other();
            what = "a call";
        }
        check_result(r, what);
        /* The console stays usable for the report. */
        if (fz_syscall(SYS_fcntl, 1, 1, 0, 0, 0, 0) < 0)
            FAIL("descriptor 1 was closed");
    }
    if (exhausting)
        release();
    clean_up(spawns + 1);
    return 0;
}

/* --- the master ------------------------------------------------------------------- */

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* The master's SIGALRM handler: the point is the EINTR it causes. */
static void alarm_caught(int sig)
{
    (void)sig;
}

/* Whether the leak counters match. */
static int same_counters(struct kstats a, struct kstats b)
{
    return a.free_frames == b.free_frames && a.free_process_slots == b.free_process_slots &&
           a.open_files == b.open_files;
}

/* Runs one batch in a worker; returns the number of findings (0 or 1). */
static int run_batch(uint64_t seed, long batch, long calls)
{
    char seed_arg[24], calls_arg[24];
    snprintf(seed_arg, sizeof seed_arg, "%lu", (unsigned long)(seed * 1000003 + (uint64_t)batch));
    snprintf(calls_arg, sizeof calls_arg, "%ld", calls);
    char *argv[] = {SELF, "worker", seed_arg, calls_arg, exhausting ? "exhaust" : NULL, NULL};
    pid_t pid;
    int err = posix_spawn(&pid, SELF, NULL, NULL, argv, environ);
    if (err != 0 && injected) {
        failed_batches++;
        return 0;
    }
    if (err != 0) {
        printf("fuzz: FINDING batch %ld: spawning the worker failed: %s\n", batch, strerror(err));
        return 1;
    }
    /* A blocking wait that the alarm interrupts (EINTR: SIGALRM is caught,
     * see main), so the next batch starts the moment the worker ends. */
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    alarm(WORKER_TIMEOUT_S + 1);
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, 0);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            printf("fuzz: FINDING batch %ld (worker seed %s): waitpid failed: %s\n", batch, seed_arg,
                   strerror(errno));
            alarm(0);
            return 1;
        }
        if (seconds_since(&start) > WORKER_TIMEOUT_S) {
            printf("fuzz: FINDING batch %ld (worker seed %s): no end after %d s\n", batch, seed_arg,
                   WORKER_TIMEOUT_S);
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return 1;
        }
    }
    alarm(0);
    if ((!WIFEXITED(status) || WEXITSTATUS(status) != 0) && injected) {
        /* What the worker left is killed; init reaps the orphans. */
        kill(-pid, SIGKILL);
        failed_batches++;
        return 0;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        printf("fuzz: FINDING batch %ld (worker seed %s): worker status %#x\n", batch, seed_arg, status);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    test_name = "t_syscall_fuzz";
    if (argc >= 4 && strcmp(argv[1], "worker") == 0) {
        tracing = argc == 5 && strcmp(argv[4], "trace") == 0;
        exhausting = argc == 5 && strcmp(argv[4], "exhaust") == 0;
        return worker(strtoull(argv[2], NULL, 10), strtol(argv[3], NULL, 10));
    }
    if (argc == 4 && strcmp(argv[1], "doomed") == 0)
        return doomed(argv[2], strtoull(argv[3], NULL, 10));
    long calls = DEFAULT_CALLS;
    uint64_t seed = DEFAULT_SEED;
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--exhaust") == 0) {
            exhausting = 1;
            i--;
        } else if (strcmp(argv[i], "--injected") == 0) {
            injected = 1;
            i--;
        } else if (i + 1 >= argc)
            FAIL("usage: t_syscall_fuzz [--calls N] [--seed S] [--exhaust] [--injected]");
        else if (strcmp(argv[i], "--calls") == 0)
            calls = strtol(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[i + 1], NULL, 10);
        else
            FAIL("usage: t_syscall_fuzz [--calls N] [--seed S] [--exhaust] [--injected]");
    }
    /* The master's timeout alarm ends a wait (EINTR), not the master. The
     * worker starts with SIGALRM's default action again (spawn resets
     * caught signals) and sets its own. */
    struct sigaction on_alarm = {0};
    on_alarm.sa_handler = alarm_caught;
    if (sigaction(SIGALRM, &on_alarm, NULL) != 0)
        FAIL("sigaction(SIGALRM) failed: %s", strerror(errno));
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* A batch without calls first: the master's own stack and the files
     * a worker creates settle before the baseline. */
    int findings = run_batch(seed, -1, 0);
    /* The progress lines format a double: musl's float formatting takes
     * several KiB of stack, which grows on demand; take that depth now. */
    char warm_up[64];
    snprintf(warm_up, sizeof warm_up, "%.1f", seconds_since(&start));
    struct kstats baseline = kstats();
    long done = 0, batches = 0, report_every = calls / 10 > 0 ? calls / 10 : 1, next_report = report_every;
    while (done < calls && findings < 10) {
        long n = calls - done < BATCH_CALLS ? calls - done : BATCH_CALLS;
        findings += run_batch(seed, batches, n);
        done += n;
        batches++;
        struct kstats now = kstats();
        for (int waited = 0; injected && waited < COUNTERS_SETTLE_MS && !same_counters(now, baseline);
             waited += 10) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
            now = kstats();
        }
        if (now.free_frames != baseline.free_frames || now.free_process_slots != baseline.free_process_slots ||
            now.open_files != baseline.open_files) {
            printf("fuzz: FINDING after batch %ld: free frames %lu (baseline %lu), free slots %lu (%lu), "
                   "open files %lu (%lu)\n",
                   batches - 1, (unsigned long)now.free_frames, (unsigned long)baseline.free_frames,
                   (unsigned long)now.free_process_slots, (unsigned long)baseline.free_process_slots,
                   (unsigned long)now.open_files, (unsigned long)baseline.open_files);
            findings++;
            baseline = now;
        }
        if (getenv("FUZZ_VERBOSE"))
            printf("fuzz: batch %ld done, %.1f s\n", batches - 1, seconds_since(&start));
        if (done >= next_report && calls >= 100000) {
            printf("fuzz: %ld calls, %.1f s\n", done, seconds_since(&start));
            next_report += report_every;
        }
    }
    calls_made = done;
    double elapsed = seconds_since(&start);
    if (injected)
        printf("fuzz: %ld batches failed under injection (allowed)\n", failed_batches);
    if (findings)
        printf("fuzz: %ld calls in %.1f s, seed %lu: %d findings\n", calls_made, elapsed,
               (unsigned long)seed, findings);
    else
        printf("fuzz: %ld calls in %.1f s, seed %lu: ok\n", calls_made, elapsed, (unsigned long)seed);
    return findings ? 1 : 0;
}
