/*
 * stat.c - stat (4), fstat (5), lstat (6), mkdir (83), chmod (90),
 * fchmod (91), chown (92), fchown (93), lchown (94), umask (95).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "syscall.h"

int stat(const char *__restrict path, struct stat *__restrict buf)
{
    return (int)SYSCALL2(SYS_stat, path, buf);
}

int lstat(const char *__restrict path, struct stat *__restrict buf)
{
    return (int)SYSCALL2(SYS_lstat, path, buf);
}

int fstat(int fd, struct stat *buf)
{
    return (int)SYSCALL2(SYS_fstat, fd, buf);
}

int mkdir(const char *path, mode_t mode)
{
    return (int)SYSCALL2(SYS_mkdir, path, mode);
}

int chmod(const char *path, mode_t mode)
{
    return (int)SYSCALL2(SYS_chmod, path, mode);
}

int fchmod(int fd, mode_t mode)
{
    return (int)SYSCALL2(SYS_fchmod, fd, mode);
}

int chown(const char *path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_chown, path, owner, group);
}

int fchown(int fd, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_fchown, fd, owner, group);
}

int lchown(const char *path, uid_t owner, gid_t group)
{
    return (int)SYSCALL3(SYS_lchown, path, owner, group);
}

mode_t umask(mode_t mask)
{
    return (mode_t)__syscall1(SYS_umask, mask);
}
