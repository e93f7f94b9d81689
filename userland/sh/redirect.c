/*
 * redirect.c - redirections (XCU 2.7): each one opens its file in the
 * shell and records it in a command's descriptor map (fdmap.c).
 *
 * The shell never changes its own descriptors 0..9 for a command (only
 * `exec` does, by definition: fdmap_make_permanent). A redirection opens
 * its file in the shell, close-on-exec and moved above 9, and records it
 * in a struct fdmap; a child gets the map as file actions, a built-in
 * writes to the map's descriptor. So a failed open is reported by the
 * shell with the file's name, `2>&1` shares the open file as POSIX
 * requires, and nothing needs undoing afterwards but closing.
 */
#include "sh.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Permissions of a file a redirection creates (before the umask). */
#define CREATE_MODE 0666
/* Where here-documents are written (then unlinked at once). */
#define HEREDOC_PREFIX "/tmp/sh-heredoc-"
/* Files a here-document creation tries before giving up. */
#define HEREDOC_TRIES 100

static int remember(struct fdmap *m, int fd)
{
    if (m->nopened == (int)(sizeof m->opened / sizeof m->opened[0])) {
        close(fd);
        sh_error("too many redirections");
        return -1;
    }
    m->opened[m->nopened++] = fd;
    return fd;
}

/* A here-document's body as a readable descriptor: written to a file
 * under /tmp that is unlinked at once. */
static int heredoc_fd(struct redir *r)
{
    char *body = r->quoted ? xstrdup(r->word) : expand_heredoc(r->word);
    static unsigned serial;
    char path[sizeof HEREDOC_PREFIX + 2 * NUMBER_BYTES];
    int fd = -1;
    for (int tries = 0; tries < HEREDOC_TRIES && fd < 0; tries++) {
        snprintf(path, sizeof path, HEREDOC_PREFIX "%d-%u", (int)getpid(),
                 serial++);
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
        sh_error("cannot create here-document: %s", strerror(errno));
        free(body);
        return -1;
    }
    unlink(path);
    size_t len = strlen(body), done = 0;
    while (done < len) {
        ssize_t n = write(fd, body + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sh_error("cannot write here-document: %s", strerror(errno));
            close(fd);
            free(body);
            return -1;
        }
        done += (size_t)n;
    }
    free(body);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

int redirect_apply(struct redir *r, struct fdmap *m)
{
    for (; r != NULL; r = r->next) {
        if (r->fd >= LOGICAL_FDS) {
            sh_error("%d: bad file descriptor number", r->fd);
            return -1;
        }
        int fd;
        if (r->kind == R_HEREDOC) {
            fd = heredoc_fd(r);
        } else {
            char *target = expand_string(r->word);
            if (r->kind == R_DUP) {
                if (strcmp(target, "-") == 0) {
                    m->real[r->fd] = -1;
                    free(target);
                    continue;
                }
                char *end;
                long from = strtol(target, &end, 10);
                if (*target == '\0' || *end != '\0' || from < 0 ||
                    from >= LOGICAL_FDS || m->real[from] < 0 ||
                    fcntl(m->real[from], F_GETFD) < 0) {
                    sh_error("%s: bad file descriptor", target);
                    free(target);
                    return -1;
                }
                m->real[r->fd] = m->real[from];
                free(target);
                continue;
            }
            int flags = O_CLOEXEC;
            switch (r->kind) {
            case R_IN: flags |= O_RDONLY; break;
            case R_OUT: flags |= O_WRONLY | O_CREAT | O_TRUNC; break;
            case R_APPEND: flags |= O_WRONLY | O_CREAT | O_APPEND; break;
            default: flags |= O_RDWR | O_CREAT; break;
            }
            fd = open(target, flags, CREATE_MODE);
            if (fd < 0) {
                sh_error("cannot %s %s: %s",
                         r->kind == R_IN ? "open" : "create", target,
                         strerror(errno));
                free(target);
                return -1;
            }
            free(target);
        }
        if (fd < 0)
            return -1;
        fd = fd_move_high(fd);
        if (fd < 0 || remember(m, fd) < 0) {
            if (fd < 0)
                sh_error("cannot move a descriptor: %s", strerror(errno));
            return -1;
        }
        m->real[r->fd] = fd;
    }
    return 0;
}

int fdmap_make_permanent(struct fdmap *m)
{
    /* Sources first copied out of the way, so dup2 cannot clobber one. */
    int src[LOGICAL_FDS];
    for (int i = 0; i < LOGICAL_FDS; i++) {
        src[i] = m->real[i];
        if (src[i] >= 0 && src[i] < LOGICAL_FDS && src[i] != i)
            src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, FIRST_PRIVATE_FD);
    }
    for (int i = 0; i < LOGICAL_FDS; i++) {
        if (src[i] == i)
            continue;
        if (src[i] < 0)
            close(i);
        else if (dup2(src[i], i) < 0)
            sh_error("%d: %s", i, strerror(errno));
        if (src[i] >= 0 && m->real[i] != src[i])
            close(src[i]);
    }
    fdmap_release(m);
    fdmap_init(m);
    return 0;
}

