/*
 * trap.c - the trap special built-in (XCU 2.14): `trap '' SIG` ignores a
 * signal, `trap - SIG` restores its default, `trap COMMAND SIG` runs
 * COMMAND after the command during which SIG arrived, `trap COMMAND EXIT`
 * (or 0) when the shell exits. Signals are named without SIG (INT) or
 * numbered. A child shell starts with no trap but the ignored signals,
 * which posix_spawn passes on (XCU 2.11).
 */
#include "sh.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* Signals are 1..TRAP_SIGNALS-1; slot 0 is EXIT. */
#define TRAP_SIGNALS 65
#define EXIT_TRAP 0

static char *commands[TRAP_SIGNALS];
static volatile sig_atomic_t pending[TRAP_SIGNALS];
static volatile sig_atomic_t any_pending;

static const struct {
    const char *name;
    int number;
} names[] = {
    {"EXIT", 0},   {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},
    {"ABRT", SIGABRT}, {"KILL", SIGKILL}, {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"CHLD", SIGCHLD}, {"PIPE", SIGPIPE},
};

static int signal_number(const char *s)
{
    if (strncmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].number;
    char *end;
    long n = strtol(s, &end, 10);
    if (*s != '\0' && *end == '\0' && n >= 0 && n < TRAP_SIGNALS)
        return (int)n;
    return -1;
}

static void caught(int sig)
{
    pending[sig] = 1;
    any_pending = 1;
}

void traps_run_pending(void)
{
    if (!any_pending)
        return;
    any_pending = 0;
    for (int sig = 1; sig < TRAP_SIGNALS; sig++) {
        if (pending[sig] && commands[sig] != NULL) {
            pending[sig] = 0;
            int status = sh.status;
            run_string(commands[sig]);
            sh.status = status;
        }
    }
}

static void run_exit_trap(void)
{
    char *command = commands[EXIT_TRAP];
    if (command == NULL)
        return;
    commands[EXIT_TRAP] = NULL;
    int status = sh.status;
    run_string(command);
    sh.status = status;
}

void traps_init(void)
{
    atexit(run_exit_trap);
}

int builtin_trap(int argc, char **argv)
{
    if (argc < 3) {
        for (int sig = 0; argc == 1 && sig < TRAP_SIGNALS; sig++)
            if (commands[sig] != NULL)
                out_printf(1, "trap -- '%s' %d\n", commands[sig], sig);
        return 0;
    }
    const char *action = argv[1];
    int status = 0;
    for (int i = 2; i < argc; i++) {
        int sig = signal_number(argv[i]);
        if (sig < 0 || sig == SIGKILL || sig == SIGSTOP) {
            sh_error("trap: %s: bad trap", argv[i]);
            status = 1;
            continue;
        }
        free(commands[sig]);
        commands[sig] = NULL;
        if (strcmp(action, "-") != 0 && *action != '\0')
            commands[sig] = xstrdup(action);
        if (sig == EXIT_TRAP)
            continue;
        struct sigaction sa = {0};
        sigemptyset(&sa.sa_mask);
        if (strcmp(action, "-") == 0)
            sa.sa_handler = SIG_DFL;
        else if (*action == '\0')
            sa.sa_handler = SIG_IGN;
        else
            sa.sa_handler = caught;
        sigaction(sig, &sa, NULL);
    }
    return status;
}
