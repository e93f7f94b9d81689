/* orphan - spawns /bin/echo without waiting for it (pid NULL) and returns
 * 7 at once: x.py run must report 7 however the child's output and exit
 * fall around the program's own (the run-c stage runs it in a loop). */
#include <spawn.h>
#include <stddef.h>

extern char **environ;

int main(void)
{
    char *argv[] = {"echo", "-lainit: t_spawn exited with status 0", NULL};
    posix_spawn(NULL, "/bin/echo", NULL, NULL, argv, environ);
    return 7;
}
