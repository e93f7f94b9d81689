/* sleep SECONDS - waits that many whole seconds (a signal may end it
 * early, as with any sleep). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define USAGE_STATUS 1

int main(int argc, char **argv)
{
    char *end;
    errno = 0;
    long seconds = argc == 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc != 2 || errno != 0 || *argv[1] == '\0' || *end != '\0' || seconds < 0 ||
        seconds > (long)(unsigned int)-1) {
        fprintf(stderr, "usage: sleep SECONDS (a whole number)\n");
        return USAGE_STATUS;
    }
    sleep((unsigned int)seconds);
    return 0;
}
