/* headers.c - every header of the guest library (and libspawn's spawn.h)
 * in one program written for POSIX, as a conformance test would be: the
 * feature-test macro is harmless, and the types spawn.h needs exist. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wait.h>

/* Included twice: every header has an include guard (assert.h may not). */
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>

static_assert(sizeof(sigset_t) == 128, "sigset_t matches glibc's size");
static_assert(sizeof(pid_t) == 4, "pid_t is int");
static_assert(sizeof(off_t) == 8, "off_t is 64 bits");

extern char **environ;

int main(void)
{
    bool flag = true;
    struct sched_param sp = {0};
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    sigset_t set;
    uint64_t u = UINT64_MAX;
    intptr_t ip = INTPTR_MIN;
    size_t z = SIZE_MAX;

    CHECK("bool", flag);
    CHECK("sched-param", sp.sched_priority == 0);
    CHECK("spawn-types", sizeof attr > 0 && sizeof actions > 0);
    CHECK("sigemptyset", sigemptyset(&set) == 0);
    CHECK("stdint-limits", u == 0xffffffffffffffffULL && ip < 0 && z == u);
    CHECK("ctype", isdigit('7') && !isdigit('a') && isspace('\t') &&
                       toupper('q') == 'Q' && isxdigit('F') &&
                       !isalpha('1') && ispunct('!'));
    CHECK("environ", environ != NULL);
    assert(flag);
    CHECK("assert-passed", 1);
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRId64 " %" PRIu64, INT64_MIN, UINT64_MAX);
    CHECK_STR("inttypes", buf, "-9223372036854775808 18446744073709551615");
    return DONE();
}
