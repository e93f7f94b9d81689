/* run_hello - the smallest program for `x.py run`'s latency figure. */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
