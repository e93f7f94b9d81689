/*
 * stdio.c - streams and the printf-family entry points.
 *
 * Writes are unbuffered: each call formats into a 1 KiB stack buffer and
 * writes it out before returning (see <stdio.h>). Reads go through the
 * stream's own buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdio_impl.h"

#define OUT_CHUNK 1024

static struct __libc_file std_in = {0, FILE_READ | FILE_STATIC, -1, 0, 0, {0}};
static struct __libc_file std_out = {1, FILE_WRITE | FILE_STATIC, -1, 0, 0, {0}};
static struct __libc_file std_err = {2, FILE_WRITE | FILE_STATIC, -1, 0, 0, {0}};

FILE *stdin = &std_in;
FILE *stdout = &std_out;
FILE *stderr = &std_err;

/* Gives back read-ahead so the descriptor's offset is where the reader is. */
static void drop_read_ahead(FILE *f)
{
    size_t unread = f->rlen - f->rpos + (f->pushed_back >= 0 ? 1 : 0);

    if (unread > 0)
        lseek(f->fd, -(off_t)unread, SEEK_CUR);
    f->rpos = f->rlen = 0;
    f->pushed_back = -1;
}

static int stream_format(FILE *f, const char *fmt, va_list ap)
{
    char buf[OUT_CHUNK];
    struct sink s = {f->fd, 0, buf, sizeof buf, 0, 0};

    drop_read_ahead(f);
    int n = __format(&s, fmt, ap);
    if (n < 0)
        f->flags |= FILE_ERROR;
    return n;
}

static int stream_write(FILE *f, const void *p, size_t n)
{
    drop_read_ahead(f);
    if (__write_all(f->fd, p, n) < 0) {
        f->flags |= FILE_ERROR;
        return EOF;
    }
    return 0;
}

int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap)
{
    return stream_format(f, fmt, ap);
}

int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = stream_format(f, fmt, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *__restrict fmt, va_list ap)
{
    return stream_format(stdout, fmt, ap);
}

int printf(const char *__restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = stream_format(stdout, fmt, ap);
    va_end(ap);
    return n;
}

int vdprintf(int fd, const char *__restrict fmt, va_list ap)
{
    char buf[OUT_CHUNK];
    struct sink s = {fd, 0, buf, sizeof buf, 0, 0};

    return __format(&s, fmt, ap);
}

int dprintf(int fd, const char *__restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vdprintf(fd, fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
              va_list ap)
{
    char dummy;
    struct sink s = {-1, 0, buf, size > 0 ? size - 1 : 0, 0, 0};

    if (size == 0)
        s.buf = &dummy;
    int n = __format(&s, fmt, ap);
    if (size > 0)
        buf[s.len] = 0;
    return n;
}

int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt,
             ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap)
{
    return vsnprintf(buf, (size_t)0x7fffffff, fmt, ap);
}

int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf(buf, fmt, ap);
    va_end(ap);
    return n;
}

int fputs(const char *__restrict s, FILE *__restrict f)
{
    return stream_write(f, s, strlen(s)) < 0 ? EOF : 1;
}

int puts(const char *s)
{
    return printf("%s\n", s) < 0 ? EOF : 1;
}

int fputc(int c, FILE *f)
{
    unsigned char b = (unsigned char)c;
    return stream_write(f, &b, 1) < 0 ? EOF : b;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

size_t fwrite(const void *__restrict p, size_t size, size_t n,
              FILE *__restrict f)
{
    if (size == 0 || n == 0)
        return 0;
    return stream_write(f, p, size * n) < 0 ? 0 : n;
}

void perror(const char *prefix)
{
    const char *message = strerror(errno);

    if (prefix && *prefix)
        fprintf(stderr, "%s: %s\n", prefix, message);
    else
        fprintf(stderr, "%s\n", message);
}

int fflush(FILE *f)
{
    /* Output is never buffered. For an input stream, give back what was
     * read ahead, as POSIX asks of a seekable input stream. */
    if (f && (f->flags & FILE_READ))
        drop_read_ahead(f);
    return 0;
}

int setvbuf(FILE *__restrict f, char *__restrict buf, int mode, size_t size)
{
    (void)f;
    (void)buf;
    (void)size;
    if (mode != _IOFBF && mode != _IOLBF && mode != _IONBF) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

void setbuf(FILE *__restrict f, char *__restrict buf)
{
    (void)f;
    (void)buf;
}

/* --- opening and closing ---------------------------------------------- */

/* Open flags for an fopen mode string, or -1 when it is invalid. */
static int mode_flags(const char *mode)
{
    int flags;

    switch (mode[0]) {
    case 'r': flags = O_RDONLY; break;
    case 'w': flags = O_WRONLY | O_CREAT | O_TRUNC; break;
    case 'a': flags = O_WRONLY | O_CREAT | O_APPEND; break;
    default: return -1;
    }
    for (const char *m = mode + 1; *m; m++) {
        if (*m == '+')
            flags = (flags & ~O_ACCMODE) | O_RDWR;
        else if (*m == 'x')
            flags |= O_EXCL;
        else if (*m == 'e')
            flags |= O_CLOEXEC;
    }
    return flags;
}

static FILE *new_stream(int fd, int flags)
{
    FILE *f = malloc(sizeof *f);

    if (f == NULL)
        return NULL;
    memset(f, 0, sizeof *f);
    f->fd = fd;
    f->pushed_back = -1;
    if ((flags & O_ACCMODE) != O_WRONLY)
        f->flags |= FILE_READ;
    if ((flags & O_ACCMODE) != O_RDONLY)
        f->flags |= FILE_WRITE;
    return f;
}

FILE *fopen(const char *__restrict path, const char *__restrict mode)
{
    int flags = mode_flags(mode);

    if (flags < 0) {
        errno = EINVAL;
        return NULL;
    }
    int fd = open(path, flags, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = new_stream(fd, flags);
    if (f == NULL)
        close(fd);
    return f;
}

FILE *fdopen(int fd, const char *mode)
{
    int flags = mode_flags(mode);

    if (flags < 0) {
        errno = EINVAL;
        return NULL;
    }
    if (fcntl(fd, F_GETFL) < 0)
        return NULL;
    return new_stream(fd, flags);
}

int fclose(FILE *f)
{
    fflush(f);
    int r = close(f->fd);
    if (!(f->flags & FILE_STATIC))
        free(f);
    return r < 0 ? EOF : 0;
}

int fileno(FILE *f)
{
    return f->fd;
}

/* --- reading ---------------------------------------------------------- */

int fgetc(FILE *f)
{
    if (f->pushed_back >= 0) {
        int c = f->pushed_back;
        f->pushed_back = -1;
        return c;
    }
    if (f->rpos == f->rlen) {
        ssize_t n;
        do {
            n = read(f->fd, f->rbuf, sizeof f->rbuf);
        } while (n < 0 && errno == EINTR);
        if (n <= 0) {
            f->flags |= n == 0 ? FILE_EOF : FILE_ERROR;
            return EOF;
        }
        f->rpos = 0;
        f->rlen = (size_t)n;
    }
    return f->rbuf[f->rpos++];
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

int ungetc(int c, FILE *f)
{
    if (c == EOF || f->pushed_back >= 0)
        return EOF;
    f->pushed_back = (unsigned char)c;
    f->flags &= ~FILE_EOF;
    return (unsigned char)c;
}

char *fgets(char *__restrict s, int size, FILE *__restrict f)
{
    int n = 0;

    if (size <= 0)
        return NULL;
    while (n < size - 1) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        s[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (n == 0)
        return NULL;
    s[n] = 0;
    return s;
}

size_t fread(void *__restrict p, size_t size, size_t n, FILE *__restrict f)
{
    unsigned char *out = p;
    size_t want = size * n, got = 0;

    if (size == 0 || n == 0)
        return 0;
    while (got < want) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        out[got++] = (unsigned char)c;
    }
    return got / size;
}

int feof(FILE *f)
{
    return (f->flags & FILE_EOF) != 0;
}

int ferror(FILE *f)
{
    return (f->flags & FILE_ERROR) != 0;
}

void clearerr(FILE *f)
{
    f->flags &= ~(FILE_EOF | FILE_ERROR);
}

int remove(const char *path)
{
    if (unlink(path) == 0)
        return 0;
    if (errno == EISDIR)
        return rmdir(path);
    return -1;
}
