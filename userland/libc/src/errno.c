/*
 * errno.c - errno itself and the conversion of raw system-call results.
 */
#include <errno.h>

#include "syscall.h"

int errno;

int *__errno_location(void)
{
    return &errno;
}

long __syscall_ret(long raw)
{
    if (raw < 0 && raw > -4096) {
        errno = (int)-raw;
        return -1;
    }
    return raw;
}
