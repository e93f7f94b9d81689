/* run_console - writes argv[1] MiB of text to standard output in 64 KiB
 * writes: `x.py run`'s console throughput figure. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64 * 1024)

int main(int argc, char **argv)
{
    static char chunk[CHUNK];
    long chunks = (argc > 1 ? atol(argv[1]) : 1) * (1024 * 1024 / CHUNK);
    memset(chunk, 'x', sizeof chunk);
    chunk[CHUNK - 1] = '\n';
    for (long i = 0; i < chunks; i++) {
        if (write(1, chunk, CHUNK) != CHUNK)
            return 1;
    }
    return 0;
}
