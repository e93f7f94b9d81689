/*
 * Guest test (issue 13, reproduction 3): a write by someone without
 * privilege clears S_ISUID. Root leaves a world-writable set-user-ID file
 * (04777, an administrator's mistake); a process with uid 1000 truncates
 * it and writes its own program there (/bin/ids, which reports its ids);
 * spawning it must then run with euid 1000, not 0. Then the other ways in,
 * each on a fresh 06777 root file, as Linux does (kernel-shim/core/src/
 * vfs/setid.rs): truncate(), ftruncate(), open with O_TRUNC and a plain
 * write by uid 1000 clear S_ISUID and the group-executable S_ISGID; an
 * empty write and root's own writes clear nothing; chown clears S_ISUID
 * even for root, and keeps S_ISGID without group-execute for root.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "guest_test.h"

#define VICTIM "/tmp/setid_victim"
#define PROGRAM "/bin/ids"
#define USER 1000
#define ROOT_OWNED_SETID 06777
#define IMAGE_MAX (1 << 20)
#define ATTACK "attack"

static unsigned mode_of(const char *path)
{
    struct stat st;
    EXPECT(stat(path, &st) == 0, "stat %s: %s", path, strerror(errno));
    return st.st_mode & 07777;
}

/* Root makes VICTIM with `mode` (and some bytes). */
static void make_victim(unsigned mode)
{
    unlink(VICTIM);
    int fd = open(VICTIM, O_CREAT | O_WRONLY, 0600);
    EXPECT(fd >= 0 && write(fd, "#!", 2) == 2, "creating %s", VICTIM);
    EXPECT(fchmod(fd, mode) == 0, "fchmod: %s", strerror(errno));
    close(fd);
    EXPECT(mode_of(VICTIM) == mode, "fixture mode %o", mode_of(VICTIM));
}

/* The attacker: uid 1000 replaces the file's code with its own and runs
 * it. Exits 0 if it ran with its own euid. */
static int attack(void)
{
    EXPECT(sys_setresuid(USER, USER, USER) == 0, "setresuid: %s", strerror(errno));
    static char image[IMAGE_MAX];
    int fd = open(PROGRAM, O_RDONLY);
    ssize_t len = read(fd, image, sizeof image);
    close(fd);
    EXPECT(len > 0 && len < (ssize_t)sizeof image, "reading %s: %zd", PROGRAM, len);
    fd = open(VICTIM, O_WRONLY);
    EXPECT(fd >= 0, "open %s for writing as uid %d: %s", VICTIM, USER, strerror(errno));
    EXPECT(ftruncate(fd, 0) == 0, "ftruncate: %s", strerror(errno));
    EXPECT(write(fd, image, (size_t)len) == len, "write: %s", strerror(errno));
    close(fd);
    struct ids ids = ids_of(VICTIM, NULL);
    EXPECT(ids.euid == USER, "the replaced program ran with euid %lu, not %d", ids.euid, USER);
    return 0;
}

#define SELF "/bin/t_setid_cleared_on_write"

/* Runs the change `what` (see `changes`) as uid 1000 in a child of its
 * own on a fresh root file of `mode`; expects `expected` afterwards. */
static void as_user(const char *what, unsigned mode, unsigned expected)
{
    make_victim(mode);
    int status = run_status(SELF, what, NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s as uid %d: status %#x", what, USER,
           status);
    EXPECT(mode_of(VICTIM) == expected, "%s as uid %d: mode %o, expected %o", what, USER,
           mode_of(VICTIM), expected);
}

static void do_truncate(void)
{
    /* The C library has no truncate(). */
    long r = raw_syscall(SYS_truncate, (long)VICTIM, 1, 0, 0, 0, 0);
    EXPECT(r == 0, "truncate: %ld", r);
}

static void do_o_trunc(void)
{
    int fd = open(VICTIM, O_WRONLY | O_TRUNC);
    EXPECT(fd >= 0, "open O_TRUNC: %s", strerror(errno));
    close(fd);
}

static void do_write(void)
{
    int fd = open(VICTIM, O_WRONLY);
    EXPECT(fd >= 0 && write(fd, "x", 1) == 1, "write: %s", strerror(errno));
    close(fd);
}

static void do_empty_write(void)
{
    int fd = open(VICTIM, O_WRONLY);
    EXPECT(fd >= 0 && write(fd, "", 0) == 0, "empty write: %s", strerror(errno));
    close(fd);
}

static const struct {
    const char *name;
    void (*change)(void);
} changes[] = {
    {"truncate", do_truncate},
    {"o_trunc", do_o_trunc},
    {"write", do_write},
    {"empty_write", do_empty_write},
};

int main(int argc, char **argv)
{
    if (argc == 2) {
        test_name = argv[1];
        if (strcmp(argv[1], ATTACK) == 0)
            return attack();
        EXPECT(sys_setresuid(USER, USER, USER) == 0, "setresuid: %s", strerror(errno));
        for (size_t i = 0; i < sizeof changes / sizeof *changes; i++)
            if (strcmp(argv[1], changes[i].name) == 0) {
                changes[i].change();
                return 0;
            }
        FAIL("unknown mode %s", argv[1]);
    }
    test_name = "t_setid_cleared_on_write";
    EXPECT(geteuid() == 0, "must start as root");

    /* Reproduction 3. */
    make_victim(04777);
    int status = run_status(SELF, ATTACK, NULL, NULL);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the attacker: status %#x", status);
    EXPECT(mode_of(VICTIM) == 0777, "after the attack: mode %o", mode_of(VICTIM));

    as_user("truncate", ROOT_OWNED_SETID, 0777);
    as_user("o_trunc", ROOT_OWNED_SETID, 0777);
    as_user("write", ROOT_OWNED_SETID, 0777);
    as_user("empty_write", ROOT_OWNED_SETID, ROOT_OWNED_SETID);

    /* Root's writes keep the bits. */
    make_victim(ROOT_OWNED_SETID);
    do_write();
    do_truncate();
    EXPECT(mode_of(VICTIM) == ROOT_OWNED_SETID, "root's write: mode %o", mode_of(VICTIM));

    /* chown clears S_ISUID for root too; S_ISGID without g+x stays for
     * root; with g+x it goes. */
    make_victim(06767);
    EXPECT(chown(VICTIM, (uid_t)-1, (gid_t)-1) == 0, "chown -1 -1: %s", strerror(errno));
    EXPECT(mode_of(VICTIM) == 02767, "root chown of 06767: mode %o", mode_of(VICTIM));
    make_victim(ROOT_OWNED_SETID);
    EXPECT(chown(VICTIM, USER, USER) == 0, "chown: %s", strerror(errno));
    struct stat st;
    EXPECT(stat(VICTIM, &st) == 0 && st.st_uid == USER && st.st_gid == USER, "chown ids");
    EXPECT(mode_of(VICTIM) == 0777, "root chown of 06777: mode %o", mode_of(VICTIM));
    unlink(VICTIM);
    return 0;
}
