/* pwd - writes the absolute path of the working directory. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(void)
{
    char path[PATH_MAX];
    if (getcwd(path, sizeof path) == NULL) {
        fprintf(stderr, "pwd: %s\n", strerror(errno));
        return 1;
    }
    return puts(path) == EOF ? 1 : 0;
}
