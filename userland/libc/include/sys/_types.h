/*
 * sys/_types.h - the POSIX basic types, defined once for every header that
 * needs one of them (internal; include <sys/types.h> instead).
 * Sizes and signedness are Linux x86_64's.
 */
#ifndef _LIBC_SYS__TYPES_H
#define _LIBC_SYS__TYPES_H

#include <stddef.h>

typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int id_t;
typedef unsigned int mode_t;
typedef long off_t;
typedef long ssize_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long blkcnt_t;
typedef long time_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef int clockid_t;
typedef long clock_t;

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

struct timeval {
    time_t tv_sec;
    suseconds_t tv_usec;
};

#endif
