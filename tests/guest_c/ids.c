/*
 * ids.c - fixture: writes "RUID EUID SUID RGID EGID SGID" to standard
 * output and exits 0. Installed as /bin/ids and, set-user-ID for a
 * non-root owner, as /bin/suid_ids (tools/guest_c.py).
 */
#include <stdio.h>

#include "guest_test.h"

int main(void)
{
    unsigned int r[3], g[3];
    long a = raw_syscall(SYS_getresuid, (long)&r[0], (long)&r[1], (long)&r[2], 0, 0, 0);
    long b = raw_syscall(SYS_getresgid, (long)&g[0], (long)&g[1], (long)&g[2], 0, 0, 0);
    if (a != 0 || b != 0)
        return 2;
    printf("%u %u %u %u %u %u\n", r[0], r[1], r[2], g[0], g[1], g[2]);
    return 0;
}
