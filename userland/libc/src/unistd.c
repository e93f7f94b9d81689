/*
 * unistd.c - descriptor and directory calls, one system call each, plus
 * sysconf and isatty.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syscall.h"

/* The kernel's descriptor table size (libspawn's abi::OPEN_MAX). */
#define KERNEL_OPEN_MAX 1024

ssize_t read(int fd, void *buf, size_t count)
{
    return SYSCALL3(SYS_read, fd, buf, count);
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return SYSCALL3(SYS_write, fd, buf, count);
}

int close(int fd)
{
    return (int)SYSCALL1(SYS_close, fd);
}

int dup(int fd)
{
    return (int)SYSCALL1(SYS_dup, fd);
}

int dup2(int fd, int newfd)
{
    return (int)SYSCALL2(SYS_dup2, fd, newfd);
}

int pipe(int fds[2])
{
    return (int)SYSCALL1(SYS_pipe, fds);
}

int pipe2(int fds[2], int flags)
{
    if (flags == 0)
        return pipe(fds);
    return (int)SYSCALL2(SYS_pipe2, fds, flags);
}

off_t lseek(int fd, off_t offset, int whence)
{
    return SYSCALL3(SYS_lseek, fd, offset, whence);
}

int fsync(int fd)
{
    return (int)SYSCALL1(SYS_fsync, fd);
}

int ftruncate(int fd, off_t length)
{
    return (int)SYSCALL2(SYS_ftruncate, fd, length);
}

int unlink(const char *path)
{
    return (int)SYSCALL1(SYS_unlink, path);
}

int rmdir(const char *path)
{
    return (int)SYSCALL1(SYS_rmdir, path);
}

int rename(const char *from, const char *to)
{
    return (int)SYSCALL2(SYS_rename, from, to);
}

int access(const char *path, int mode)
{
    return (int)SYSCALL2(SYS_access, path, mode);
}

int chdir(const char *path)
{
    return (int)SYSCALL1(SYS_chdir, path);
}

int fchdir(int fd)
{
    return (int)SYSCALL1(SYS_fchdir, fd);
}

char *getcwd(char *buf, size_t size)
{
    char *own = NULL;

    if (buf == NULL) {
        /* Extension (as glibc): allocate; size 0 means "as needed". */
        size_t cap = size ? size : PATH_MAX;
        own = buf = malloc(cap);
        if (buf == NULL)
            return NULL;
        size = cap;
    } else if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    if (SYSCALL2(SYS_getcwd, buf, size) < 0) {
        free(own);
        return NULL;
    }
    return buf;
}

long sysconf(int name)
{
    switch (name) {
    case _SC_ARG_MAX: return 131072;
    case _SC_CHILD_MAX: return -1; /* no fixed limit */
    case _SC_CLK_TCK: return 100;
    case _SC_NGROUPS_MAX: return NGROUPS_MAX;
    case _SC_OPEN_MAX: return KERNEL_OPEN_MAX;
    case _SC_STREAM_MAX: return FOPEN_MAX;
    case _SC_JOB_CONTROL: return 1;
    case _SC_SAVED_IDS: return 1;
    case _SC_PRIORITY_SCHEDULING: return _POSIX_PRIORITY_SCHEDULING;
    case _SC_VERSION: return _POSIX_VERSION;
    case _SC_PAGESIZE: return 4096;
    case _SC_LINE_MAX: return LINE_MAX;
    case _SC_NPROCESSORS_CONF: return 1;
    case _SC_NPROCESSORS_ONLN: return 1;
    case _SC_MONOTONIC_CLOCK: return _POSIX_MONOTONIC_CLOCK;
    case _SC_SPAWN: return _POSIX_SPAWN;
    case _SC_HOST_NAME_MAX: return HOST_NAME_MAX;
    default:
        errno = EINVAL;
        return -1;
    }
}

int isatty(int fd)
{
    /* TCGETS fills a struct termios (60 bytes) only for a terminal. */
    unsigned char termios[64];

    if (SYSCALL3(SYS_ioctl, fd, 0x5401, termios) == 0)
        return 1;
    if (errno == ENOSYS || errno == EINVAL)
        errno = ENOTTY;
    return 0;
}
