/* Used by `x.py test` to check `x.py run FILE.c`: prints its working
 * directory, PATH and arguments, one per line, and exits with the status
 * named by the first argument. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char cwd[PATH_MAX];
    const char *path = getenv("PATH");
    printf("cwd: [%s]\n", getcwd(cwd, sizeof cwd) ? cwd : "(error)");
    printf("PATH: [%s]\n", path ? path : "(unset)");
    for (int i = 1; i < argc; i++) {
        printf("arg %d: [%s]\n", i, argv[i]);
    }
    return argc > 1 ? atoi(argv[1]) : 0;
}
