/* cat - copies each FILE ("-" or no operand: standard input) to standard
 * output, in order. A file that cannot be opened or read is reported on
 * standard error and the others are still copied; the status is then 1. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define COPY_BUFFER_BYTES 4096

/* Copies fd to standard output; 0, or -1 with errno set. */
static int copy(int fd)
{
    char buffer[COPY_BUFFER_BYTES];
    for (;;) {
        ssize_t got = read(fd, buffer, sizeof buffer);
        if (got == 0)
            return 0;
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (ssize_t done = 0; done < got;) {
            ssize_t put = write(STDOUT_FILENO, buffer + done, (size_t)(got - done));
            if (put < 0 && errno != EINTR)
                return -1;
            if (put > 0)
                done += put;
        }
    }
}

static int cat_one(const char *name)
{
    if (strcmp(name, "-") == 0)
        return copy(STDIN_FILENO);
    int fd = open(name, O_RDONLY);
    if (fd < 0)
        return -1;
    int result = copy(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return result;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return copy(STDIN_FILENO) == 0 ? 0 : 1;
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (cat_one(argv[i]) != 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
