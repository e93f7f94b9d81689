/*
 * fdmap.c - the logical descriptors 0..9 of a command (struct fdmap):
 * which of the shell's descriptors each one is, the file actions that
 * give a child those descriptors, and the shell's own output through
 * them (out_write, out_printf: a built-in's output and the shell's error
 * messages go where the command's redirections say).
 *
 * The shell's own 0..9 never change for a command; what it opens goes
 * above them, close-on-exec (fd_move_high). Redirections (redirect.c)
 * fill a map; nothing needs undoing afterwards but closing.
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Output formatted on the stack; longer output is allocated. */
#define FORMAT_ON_STACK_BYTES 512

struct fdmap *current_fds;

void fdmap_init(struct fdmap *m)
{
    for (int i = 0; i < LOGICAL_FDS; i++)
        m->real[i] = i;
    m->nopened = 0;
}

void fdmap_copy(struct fdmap *dst, const struct fdmap *src)
{
    memcpy(dst->real, src->real, sizeof dst->real);
    dst->nopened = 0;
}

int fd_move_high(int fd)
{
    if (fd < 0 || fd >= FIRST_PRIVATE_FD)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD);
    int err = errno;
    close(fd);
    errno = err;
    return high;
}

void fdmap_release(struct fdmap *m)
{
    for (int i = 0; i < m->nopened; i++)
        close(m->opened[i]);
    m->nopened = 0;
}

int fdmap_fd(const struct fdmap *m, int logical)
{
    return logical >= 0 && logical < LOGICAL_FDS ? m->real[logical] : -1;
}

int fdmap_actions(struct fdmap *m, void *actions_ptr, int *scratch,
                  int *nscratch)
{
    posix_spawn_file_actions_t *actions = actions_ptr;
    int src[LOGICAL_FDS];
    *nscratch = 0;
    /* A source among 0..9 that another action may overwrite first is
     * copied above 9 for the spawn (closed by the caller afterwards). */
    for (int i = 0; i < LOGICAL_FDS; i++) {
        src[i] = m->real[i];
        if (src[i] >= 0 && src[i] < LOGICAL_FDS && src[i] != i) {
            int copy = fcntl(src[i], F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD);
            if (copy < 0)
                return errno;
            scratch[(*nscratch)++] = copy;
            src[i] = copy;
        }
    }
    for (int i = 0; i < LOGICAL_FDS; i++) {
        int err = 0;
        if (src[i] < 0)
            err = posix_spawn_file_actions_addclose(actions, i);
        else if (src[i] != i)
            err = posix_spawn_file_actions_adddup2(actions, src[i], i);
        if (err != 0)
            return err;
    }
    return 0;
}

int out_write(int logical, const char *s, size_t n)
{
    int fd = current_fds ? fdmap_fd(current_fds, logical) : logical;
    if (fd < 0) {
        errno = EBADF;
        return -1;
    }
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int out_printf(int logical, const char *fmt, ...)
{
    char small[FORMAT_ON_STACK_BYTES];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof small)
        return out_write(logical, small, (size_t)n);
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int r = out_write(logical, big, (size_t)n);
    free(big);
    return r;
}
