/*
 * env.c - the environment: environ, getenv, setenv, unsetenv, clearenv.
 *
 * environ starts as the envp the kernel put on the initial stack. The
 * first setenv that adds a name copies the array to the heap; later ones
 * grow that copy. Strings replaced or removed are not freed (a caller may
 * still hold a pointer from getenv).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

char **environ;

static char **owned;      /* environ, when it is our heap copy */
static size_t owned_cap;  /* its capacity, counting the NULL */

/* Index of name in environ, or -1. */
static long find(const char *name, size_t len)
{
    if (environ == NULL)
        return -1;
    for (long i = 0; environ[i]; i++) {
        if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
            return i;
    }
    return -1;
}

static int valid_name(const char *name)
{
    return name && *name && strchr(name, '=') == NULL;
}

char *getenv(const char *name)
{
    size_t len = strlen(name);
    long i = find(name, len);

    return i < 0 ? NULL : environ[i] + len + 1;
}

static size_t count(void)
{
    size_t n = 0;

    while (environ && environ[n])
        n++;
    return n;
}

int setenv(const char *name, const char *value, int overwrite)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(name);
    long i = find(name, len);
    if (i >= 0 && !overwrite)
        return 0;

    size_t vlen = strlen(value);
    char *entry = malloc(len + vlen + 2);
    if (entry == NULL)
        return -1;
    memcpy(entry, name, len);
    entry[len] = '=';
    memcpy(entry + len + 1, value, vlen + 1);

    if (i >= 0) {
        environ[i] = entry;
        return 0;
    }
    size_t n = count();
    if (environ != owned || n + 2 > owned_cap) {
        size_t cap = (n + 2) * 2;
        char **grown = malloc(cap * sizeof *grown);
        if (grown == NULL) {
            free(entry);
            return -1;
        }
        if (n > 0)
            memcpy(grown, environ, n * sizeof *grown);
        if (environ == owned)
            free(owned);
        owned = environ = grown;
        owned_cap = cap;
    }
    environ[n] = entry;
    environ[n + 1] = NULL;
    return 0;
}

int unsetenv(const char *name)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t len = strlen(name);
    long i;
    while ((i = find(name, len)) >= 0) {
        do {
            environ[i] = environ[i + 1];
        } while (environ[i++]);
    }
    return 0;
}

int clearenv(void)
{
    if (environ == owned)
        free(owned);
    owned = NULL;
    owned_cap = 0;
    environ = NULL;
    return 0;
}
