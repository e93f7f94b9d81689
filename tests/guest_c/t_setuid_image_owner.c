/*
 * Guest test: a set-user-ID image takes its owner's id as the effective
 * (and saved) user id, also after RESETIDS (POSIX applies the set-ID bit
 * after resetting) and for a caller without privilege; the real id stays
 * the caller's. /bin/suid_ids is owned by SUID_OWNER with mode 04755
 * (tools/guest_c.py); /bin/ids, the same program without the bit, is the
 * control.
 */
#include <sys/stat.h>

#include "guest_test.h"

#define SUID_OWNER 4242
#define RUID 1000

int main(void)
{
    test_name = "t_setuid_image_owner";
    struct stat st;
    EXPECT(stat("/bin/suid_ids", &st) == 0, "stat /bin/suid_ids: %s", strerror(errno));
    EXPECT(st.st_uid == SUID_OWNER && (st.st_mode & S_ISUID), "fixture: uid %u mode %o", st.st_uid,
           st.st_mode);
    EXPECT(sys_setresuid(RUID, 0, 0) == 0, "setresuid: %s", strerror(errno));
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_RESETIDS);

    struct ids control = ids_of("/bin/ids", &attr);
    EXPECT(control.euid == RUID, "control: euid %lu, expected %d", control.euid, RUID);
    struct ids ids = ids_of("/bin/suid_ids", &attr);
    EXPECT(ids.ruid == RUID && ids.euid == SUID_OWNER && ids.suid == SUID_OWNER,
           "set-user-ID with RESETIDS: uids %lu/%lu/%lu", ids.ruid, ids.euid, ids.suid);
    ids = ids_of("/bin/suid_ids", NULL);
    EXPECT(ids.ruid == RUID && ids.euid == SUID_OWNER, "set-user-ID from euid 0: uids %lu/%lu",
           ids.ruid, ids.euid);
    /* Without privilege at all. */
    EXPECT(sys_setresuid(RUID, RUID, RUID) == 0, "dropping root: %s", strerror(errno));
    ids = ids_of("/bin/suid_ids", NULL);
    EXPECT(ids.ruid == RUID && ids.euid == SUID_OWNER && ids.suid == SUID_OWNER,
           "set-user-ID from a non-root caller: uids %lu/%lu/%lu", ids.ruid, ids.euid, ids.suid);
    control = ids_of("/bin/ids", NULL);
    EXPECT(control.euid == RUID, "control as non-root: euid %lu", control.euid);
    posix_spawnattr_destroy(&attr);
    return 0;
}
