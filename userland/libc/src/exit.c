/*
 * exit.c - ending the process: exit with atexit handlers, _exit, abort,
 * and the assert failure path.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "syscall.h"

#define ATEXIT_MAX 32

static void (*handlers[ATEXIT_MAX])(void);
static int handler_count;

int atexit(void (*fn)(void))
{
    if (handler_count == ATEXIT_MAX)
        return -1;
    handlers[handler_count++] = fn;
    return 0;
}

void exit(int status)
{
    /* Handlers run newest first; one may register another, which then
     * runs too. */
    while (handler_count > 0)
        handlers[--handler_count]();
    fflush(NULL); /* nothing is ever buffered for output; kept for clarity */
    _exit(status);
}

void _exit(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

void _Exit(int status)
{
    _exit(status);
}

void abort(void)
{
    sigset_t set;

    /* SIGABRT is delivered even if blocked; a handler may return, in
     * which case the default action is forced. */
    sigemptyset(&set);
    sigaddset(&set, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGABRT);

    struct sigaction dfl = {0};
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGABRT, &dfl, NULL);
    raise(SIGABRT);
    _exit(127); /* not reached unless the kernel ignores SIGABRT */
}

void __assert_fail(const char *expr, const char *file, int line,
                   const char *func)
{
    fprintf(stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line, func,
            expr);
    abort();
}
