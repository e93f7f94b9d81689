/*
 * state.c - the shell's state that every part reads (struct shell sh:
 * $?, $$, the positional parameters, loop and function nesting), and the
 * way out of a command that cannot go on: back to an interactive shell's
 * command loop, else out of the shell.
 *
 * The bottom of the program: it calls nothing in the shell. Both kinds
 * of fatal error end here, a reported one (sh_abort, errors.c) and a
 * failed allocation (memory.c); the jump buffer lives here, below both,
 * and main.c's command loop sets it.
 */
#include "sh.h"

#include <stdlib.h>

struct shell sh;

jmp_buf command_loop;
int command_loop_set;

void command_abandon(void)
{
    /* $? is 2 for the command loop and for an EXIT trap alike. */
    sh.status = STATUS_SYNTAX;
    if (sh.interactive && command_loop_set)
        longjmp(command_loop, 1);
    exit(STATUS_SYNTAX);
}
