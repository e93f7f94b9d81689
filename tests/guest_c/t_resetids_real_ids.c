/*
 * Guest test: POSIX_SPAWN_RESETIDS makes the child's effective user and
 * group ids the parent's real ids; without it the child keeps the
 * parent's effective ids. The parent (root) takes real ids 1000/1001 and
 * keeps effective ids 0, then spawns /bin/ids, which reports its ids.
 */
#include "guest_test.h"

#define RUID 1000
#define RGID 1001

int main(void)
{
    test_name = "t_resetids_real_ids";
    EXPECT(sys_setresgid(RGID, 0, 0) == 0, "setresgid: %s", strerror(errno));
    EXPECT(sys_setresuid(RUID, 0, 0) == 0, "setresuid: %s", strerror(errno));
    struct ids plain = ids_of("/bin/ids", NULL);
    EXPECT(plain.ruid == RUID && plain.euid == 0 && plain.rgid == RGID && plain.egid == 0,
           "without RESETIDS: uid %lu/%lu gid %lu/%lu", plain.ruid, plain.euid, plain.rgid, plain.egid);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_RESETIDS);
    struct ids reset = ids_of("/bin/ids", &attr);
    EXPECT(reset.ruid == RUID && reset.euid == RUID && reset.suid == RUID,
           "RESETIDS: uids %lu/%lu/%lu, expected all %d", reset.ruid, reset.euid, reset.suid, RUID);
    EXPECT(reset.rgid == RGID && reset.egid == RGID && reset.sgid == RGID,
           "RESETIDS: gids %lu/%lu/%lu, expected all %d", reset.rgid, reset.egid, reset.sgid, RGID);
    /* The parent is unchanged. */
    EXPECT(geteuid() == 0 && getuid() == RUID, "the parent's ids changed");
    posix_spawnattr_destroy(&attr);
    return 0;
}
