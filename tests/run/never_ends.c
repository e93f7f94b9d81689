/* never_ends - waits for a signal that never comes: `x.py run --timeout`
 * must stop it (tests the run-c stage of x.py test). */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    puts("never_ends: waiting");
    for (;;)
        pause();
}
