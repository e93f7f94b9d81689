/* Used by `x.py test` to check `x.py run FILE.c`: prints its arguments,
 * one per line, and exits with the status named by the first one. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        printf("arg %d: [%s]\n", i, argv[i]);
    }
    return argc > 1 ? atoi(argv[1]) : 0;
}
