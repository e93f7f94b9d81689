/* env.c - the initial stack (argc, argv, envp) and the environment
 * functions. The runner sets LIBC_TEST_ENV=present. */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

/* atexit handlers print "= " lines, which the runner compares with glibc's
 * output: they must appear, newest first, after the summary line. */
static void first_registered(void) { printf("= atexit: first registered\n"); }
static void second_registered(void)
{
    printf("= atexit: second registered\n");
}

int main(int argc, char **argv, char **envp)
{
    CHECK("argc", argc >= 1);
    CHECK("argv0", argv[0] != NULL && argv[0][0] != 0);
    CHECK("argv-terminated", argv[argc] == NULL);
    CHECK("envp-is-environ", envp == environ);

    CHECK("getenv", getenv("LIBC_TEST_ENV") &&
                        strcmp(getenv("LIBC_TEST_ENV"), "present") == 0);
    CHECK("getenv-missing", getenv("LIBC_TEST_NOT_SET") == NULL);
    CHECK("getenv-prefix-only", getenv("LIBC_TEST_EN") == NULL);

    CHECK_INT("setenv-new", setenv("LIBC_A", "1", 0), 0);
    CHECK_STR("setenv-new-value", getenv("LIBC_A"), "1");
    setenv("LIBC_A", "2", 0);
    CHECK_STR("setenv-no-overwrite", getenv("LIBC_A"), "1");
    setenv("LIBC_A", "3", 1);
    CHECK_STR("setenv-overwrite", getenv("LIBC_A"), "3");
    CHECK_STR("setenv-keeps-others", getenv("LIBC_TEST_ENV"), "present");
    int found = 0;
    for (char **e = environ; *e; e++)
        found += strcmp(*e, "LIBC_A=3") == 0;
    CHECK_INT("setenv-in-environ", found, 1);
    CHECK_ERR("setenv-bad-name", setenv("A=B", "x", 1), EINVAL);
    CHECK_ERR("setenv-empty-name", setenv("", "x", 1), EINVAL);
    CHECK_INT("unsetenv", unsetenv("LIBC_A"), 0);
    CHECK("unsetenv-applied", getenv("LIBC_A") == NULL);
    CHECK_INT("unsetenv-missing", unsetenv("LIBC_A"), 0);
    CHECK_ERR("unsetenv-bad-name", unsetenv("A=B"), EINVAL);

    char name[32], value[32];
    int all = 1;
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "LIBC_MANY_%d", i);
        snprintf(value, sizeof value, "v%d", i);
        all &= setenv(name, value, 1) == 0;
    }
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "LIBC_MANY_%d", i);
        snprintf(value, sizeof value, "v%d", i);
        all &= getenv(name) != NULL && strcmp(getenv(name), value) == 0;
    }
    CHECK("setenv-many", all);
    CHECK_STR("setenv-many-keeps-original", getenv("LIBC_TEST_ENV"),
              "present");

    CHECK_INT("atexit", atexit(first_registered), 0);
    atexit(second_registered);
    return DONE();
}
