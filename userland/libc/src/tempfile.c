/*
 * tempfile.c - mkstemp and mkdtemp: the last six characters of the
 * template, which must be "XXXXXX", become a name that did not exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ATTEMPTS 1000

static unsigned long long seed;

/* Fills the six X's with letters and digits from a changing seed. */
static void fill(char *x)
{
    static const char letters[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    struct timespec ts = {0, 0};

    clock_gettime(CLOCK_MONOTONIC, &ts);
    seed = seed * 6364136223846793005ULL + (unsigned long long)ts.tv_nsec +
           ((unsigned long long)getpid() << 32) + 1;
    unsigned long long v = seed >> 16;
    for (int i = 0; i < 6; i++, v /= 62)
        x[i] = letters[v % 62];
}

static char *suffix(char *template_path)
{
    size_t n = strlen(template_path);

    if (n < 6 || strcmp(template_path + n - 6, "XXXXXX") != 0) {
        errno = EINVAL;
        return NULL;
    }
    return template_path + n - 6;
}

int mkstemp(char *template_path)
{
    char *x = suffix(template_path);

    if (x == NULL)
        return -1;
    for (int i = 0; i < ATTEMPTS; i++) {
        fill(x);
        int fd = open(template_path, O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

char *mkdtemp(char *template_path)
{
    char *x = suffix(template_path);

    if (x == NULL)
        return NULL;
    for (int i = 0; i < ATTEMPTS; i++) {
        fill(x);
        if (mkdir(template_path, 0700) == 0)
            return template_path;
        if (errno != EEXIST)
            return NULL;
    }
    return NULL;
}
