/*
 * stdio.h - formatted output and minimal streams.
 *
 * Output is unbuffered: every printf-family call on a stream becomes one
 * write (several for output longer than 1 KiB) before it returns, so
 * nothing is ever left in a buffer at exit, at a crash or at a spawn, and
 * fflush has nothing to do. setvbuf and setbuf are accepted and ignored.
 * Input streams read through a small buffer.
 *
 * Formats: %d %i %u %o %x %X %c %s %p %n %% and %f %e %g (and upper-case
 * forms), flags '-' '0' '+' ' ' '#', width and precision (also '*'),
 * length modifiers hh h l ll z j t L. %p prints 0x... or (nil); %s of
 * NULL prints (null), as glibc does.
 * Not provided: scanf family, tmpfile, popen, wide streams, locale.
 */
#ifndef _LIBC_STDIO_H
#define _LIBC_STDIO_H

#include <stdarg.h>
#include <sys/_types.h>

typedef struct __libc_file FILE;
typedef long fpos_t;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;
#define stdin stdin
#define stdout stdout
#define stderr stderr

#define EOF (-1)
#define BUFSIZ 8192
#define FILENAME_MAX 4096
#define FOPEN_MAX 16
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

#define __printf_like(f, a) __attribute__((__format__(__printf__, f, a)))

int printf(const char *__restrict fmt, ...) __printf_like(1, 2);
int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
    __printf_like(2, 3);
int dprintf(int fd, const char *__restrict fmt, ...) __printf_like(2, 3);
int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
    __printf_like(2, 3);
int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
             ...) __printf_like(3, 4);
int vprintf(const char *__restrict fmt, va_list ap) __printf_like(1, 0);
int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap)
    __printf_like(2, 0);
int vdprintf(int fd, const char *__restrict fmt, va_list ap)
    __printf_like(2, 0);
int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap)
    __printf_like(2, 0);
int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
              va_list ap) __printf_like(3, 0);

int puts(const char *s);
int putchar(int c);
int fputs(const char *__restrict s, FILE *__restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *__restrict p, size_t size, size_t n,
              FILE *__restrict f);
void perror(const char *prefix);
int fflush(FILE *f);
int setvbuf(FILE *__restrict f, char *__restrict buf, int mode, size_t size);
void setbuf(FILE *__restrict f, char *__restrict buf);

FILE *fopen(const char *__restrict path, const char *__restrict mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fileno(FILE *f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
int ungetc(int c, FILE *f);
char *fgets(char *__restrict s, int size, FILE *__restrict f);
size_t fread(void *__restrict p, size_t size, size_t n, FILE *__restrict f);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);

int remove(const char *path);
int rename(const char *from, const char *to);

#endif
