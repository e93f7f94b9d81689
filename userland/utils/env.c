/* env - writes the environment, one NAME=value per line. Running a
 * command with a changed environment is not supported: any operand is a
 * usage error (status 2). */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

#define USAGE_STATUS 2

int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "env: running %s is not supported; usage: env\n", argv[1]);
        return USAGE_STATUS;
    }
    for (char **entry = environ; *entry != NULL; entry++) {
        if (puts(*entry) == EOF)
            return 1;
    }
    return 0;
}
