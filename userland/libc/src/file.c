/*
 * file.c - open (2), creat (via open), fcntl (72).
 */
#include <fcntl.h>
#include <stdarg.h>

#include "syscall.h"

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    /* The mode argument exists only when the file may be created. */
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
        va_list ap;
        va_start(ap, flags);
        mode = va_arg(ap, mode_t);
        va_end(ap);
    }
    return (int)SYSCALL3(SYS_open, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int fcntl(int fd, int cmd, ...)
{
    long arg = 0;
    va_list ap;

    /* Fetch the third argument with the type the command gives it. */
    va_start(ap, cmd);
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_SETFD:
    case F_SETFL:
    case F_SETOWN:
        arg = va_arg(ap, int);
        break;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        arg = (long)va_arg(ap, struct flock *);
        break;
    default:
        break;
    }
    va_end(ap);
    return (int)SYSCALL3(SYS_fcntl, fd, cmd, arg);
}
