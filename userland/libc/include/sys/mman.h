/*
 * sys/mman.h - anonymous memory (Linux x86_64 values): mmap and munmap.
 * Not provided: mprotect, mremap, msync; file mappings are passed through.
 * The kernel's mmap reserves; MAP_POPULATE commits at once.
 */
#ifndef _LIBC_SYS_MMAN_H
#define _LIBC_SYS_MMAN_H

#include <sys/_types.h>

#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON MAP_ANONYMOUS
#define MAP_POPULATE 0x8000

#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);

#endif
