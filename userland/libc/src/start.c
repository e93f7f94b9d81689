/*
 * start.c - from the initial stack to main, and from main to exit.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp);

/* Constructors and destructors, as the linker's default script collects
 * them (the symbols are empty ranges when a program has none). */
typedef void (*init_fn)(void);
extern init_fn __init_array_start[] __attribute__((weak));
extern init_fn __init_array_end[] __attribute__((weak));

__attribute__((__noreturn__, __used__)) void __libc_start(long *sp);

void __libc_start(long *sp)
{
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;

    environ = envp;
    for (init_fn *f = __init_array_start; f && f < __init_array_end; f++)
        (*f)();
    exit(main(argc, argv, envp));
}
