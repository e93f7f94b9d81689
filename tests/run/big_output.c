/* big_output - writes BIG_OUTPUT_LINES numbered lines ("%07d\n", 8 bytes
 * each, 2 MiB in all) to standard output in writes of varied sizes, from 1
 * byte to more than one write moves (a short write goes on from where it
 * stopped), then "big_output: done" on standard error. tests/run_c.py
 * checks that every byte arrives, in order. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BIG_OUTPUT_LINES (256 * 1024)
#define LINE_BYTES 8

static char text[BIG_OUTPUT_LINES * LINE_BYTES + 1];

int main(void)
{
    static const size_t sizes[] = {1, 17, 4096, 65536, 300000, (1 << 20) + 5};
    size_t total = sizeof text - 1, done = 0, next = 0;
    for (long i = 0; i < BIG_OUTPUT_LINES; i++)
        snprintf(text + i * LINE_BYTES, LINE_BYTES + 1, "%07ld\n", i);
    while (done < total) {
        size_t want = sizes[next++ % (sizeof sizes / sizeof sizes[0])];
        if (want > total - done)
            want = total - done;
        ssize_t wrote = write(1, text + done, want);
        if (wrote <= 0)
            return 1;
        done += (size_t)wrote;
    }
    fputs("big_output: done\n", stderr);
    return 0;
}
