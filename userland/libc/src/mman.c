/*
 * mman.c - mmap (9) and munmap (11).
 */
#include <sys/mman.h>

#include "syscall.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    long r = __syscall6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
    return (void *)__syscall_ret(r);
}

int munmap(void *addr, size_t len)
{
    return (int)SYSCALL2(SYS_munmap, addr, len);
}
