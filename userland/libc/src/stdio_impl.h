/*
 * stdio_impl.h - the FILE object and the output sink the printf engine
 * writes into (internal to stdio.c and printf.c).
 */
#ifndef LIBC_INTERNAL_STDIO_IMPL_H
#define LIBC_INTERNAL_STDIO_IMPL_H

#include <stdarg.h>
#include <stddef.h>

#define FILE_EOF 1u
#define FILE_ERROR 2u
#define FILE_READ 4u
#define FILE_WRITE 8u
#define FILE_STATIC 16u   /* stdin, stdout, stderr: never freed */

#define READ_BUFFER_SIZE 1024

struct __libc_file {
    int fd;
    unsigned flags;
    int pushed_back;      /* ungetc'd byte, or -1 */
    size_t rpos, rlen;    /* unread bytes are rbuf[rpos..rlen) */
    unsigned char rbuf[READ_BUFFER_SIZE];
};

/*
 * Where formatted output goes: either a caller's string (fd < 0, at most
 * cap bytes kept, the rest counted and dropped) or a descriptor through a
 * small buffer that is written out when full and at the end.
 */
struct sink {
    int fd;
    int failed;           /* a write to fd failed; errno says why */
    char *buf;
    size_t cap;
    size_t len;           /* bytes in buf */
    size_t total;         /* bytes produced so far */
};

void __sink_put(struct sink *s, const char *p, size_t n);
/* Writes a descriptor sink's buffer out; returns 0 or -1. */
int __sink_flush(struct sink *s);
/* Formats into s; returns the byte count, or -1 with errno set. */
int __format(struct sink *s, const char *fmt, va_list ap);
/* Writes all of p to fd, retrying short writes and EINTR; 0 or -1. */
int __write_all(int fd, const char *p, size_t n);

#endif
