/*
 * memory.c - allocation that cannot return NULL: a failed allocation is
 * reported as "sh: out of memory" and abandons the command (state.c), so
 * no caller checks and none crashes.
 */
#include "sh.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void out_of_memory(void)
{
    static const char msg[] = "sh: out of memory\n";
    /* Straight to the shell's own stderr: formatting could allocate. */
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more to try */
    }
    command_abandon();
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL)
        out_of_memory();
    return p;
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}
