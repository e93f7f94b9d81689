/* echo - writes its arguments separated by spaces, then a newline; a first
 * argument "-n" leaves the newline out (as most systems do; POSIX leaves
 * -n implementation-defined). No escape sequences. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    int first = 1, newline = 1;
    if (argc > 1 && strcmp(argv[1], "-n") == 0) {
        newline = 0;
        first = 2;
    }
    for (int i = first; i < argc; i++) {
        if (fputs(argv[i], stdout) == EOF || (i + 1 < argc && fputc(' ', stdout) == EOF))
            return 1;
    }
    if (newline && fputc('\n', stdout) == EOF)
        return 1;
    return 0;
}
