/*
 * errors.c - the shell's error messages: "sh: MESSAGE" on the current
 * command's logical standard error (fdmap.c), and sh_abort for an error
 * that ends the command (state.c says where to).
 */
#include "sh.h"

#include <stdarg.h>
#include <stdio.h>

/* The longest error message (longer ones are cut). */
#define MESSAGE_BYTES 1024

/* Writes "sh: MESSAGE" on standard error. */
static void report(const char *fmt, va_list ap)
{
    char msg[MESSAGE_BYTES];
    vsnprintf(msg, sizeof msg, fmt, ap);
    out_printf(2, "sh: %s\n", msg);
}

void sh_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(fmt, ap);
    va_end(ap);
}

void sh_abort(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(fmt, ap);
    va_end(ap);
    command_abandon();
}
