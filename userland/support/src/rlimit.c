/*
 * getrlimit() that knows the descriptor table's size while the kernel has
 * no limit calls.
 *
 * musl's getrlimit asks prlimit64, then getrlimit; kernel-shim serves
 * neither yet (issue 14, the process part, adds them), and musl's
 * sysconf(_SC_OPEN_MAX) would then read an unset value. This one asks
 * the kernel the same way and, only when both calls are ENOSYS, answers
 * RLIMIT_NOFILE with the fixed size of a kernel-shim descriptor table
 * (OPEN_MAX, 1024, soft and hard) and every other resource with
 * RLIM_INFINITY. Once the kernel serves prlimit64 it is a plain pass-
 * through; delete this file then. tools/musl.py links it with -u
 * getrlimit so that musl's sysconf uses it too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's descriptor table size (shim_abi OPEN_MAX). */
#define SHIM_OPEN_MAX 1024

int getrlimit(int resource, struct rlimit *limit)
{
    if (syscall(SYS_prlimit64, 0, resource, NULL, limit) == 0)
        return 0;
    if (errno != ENOSYS)
        return -1;
    if (syscall(SYS_getrlimit, resource, limit) == 0)
        return 0;
    if (errno != ENOSYS)
        return -1;
    if (resource < 0 || resource >= RLIM_NLIMITS) {
        errno = EINVAL;
        return -1;
    }
    if (resource == RLIMIT_NOFILE) {
        limit->rlim_cur = limit->rlim_max = SHIM_OPEN_MAX;
    } else {
        limit->rlim_cur = limit->rlim_max = RLIM_INFINITY;
    }
    return 0;
}
