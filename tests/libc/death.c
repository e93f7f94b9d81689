/* death.c - how a process ends: exit status, atexit, abort in all its
 * cases, default signal actions, assert. Run with no argument it lists its
 * modes as "mode NAME exit N" or "mode NAME signal N"; the runner runs
 * each mode as its own process and checks how that process ended. */
#include "check.h"

#include <assert.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static void returns(int sig) { (void)sig; }
static void says_bye(void) { printf("bye"); }

static int run(const char *mode)
{
    if (strcmp(mode, "exit-42") == 0)
        exit(42);
    if (strcmp(mode, "return-7") == 0)
        return 7;
    if (strcmp(mode, "exit-status-truncated") == 0)
        exit(0x1ff);
    if (strcmp(mode, "_exit-skips-atexit") == 0) {
        atexit(says_bye);
        _exit(3);
    }
    if (strcmp(mode, "atexit-runs") == 0) {
        atexit(says_bye);
        exit(4);
    }
    if (strcmp(mode, "abort") == 0)
        abort();
    if (strcmp(mode, "abort-ignored") == 0) {
        signal(SIGABRT, SIG_IGN);
        abort();
    }
    if (strcmp(mode, "abort-blocked") == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGABRT);
        sigprocmask(SIG_BLOCK, &set, NULL);
        abort();
    }
    if (strcmp(mode, "abort-handler-returns") == 0) {
        signal(SIGABRT, returns);
        abort();
    }
    if (strcmp(mode, "raise-term") == 0)
        raise(SIGTERM);
    if (strcmp(mode, "kill-self-kill") == 0)
        kill(getpid(), SIGKILL);
    if (strcmp(mode, "raise-usr1-default") == 0)
        raise(SIGUSR1);
    if (strcmp(mode, "raise-chld-default-ignored") == 0) {
        raise(SIGCHLD);
        exit(5);
    }
    if (strcmp(mode, "sigpipe-default") == 0) {
        int p[2];
        pipe(p);
        close(p[0]);
        write(p[1], "x", 1);
        exit(6);
    }
    if (strcmp(mode, "segv") == 0) {
        int *volatile bad = NULL;
        *bad = 1;
    }
    if (strcmp(mode, "assert-fails") == 0) {
        volatile int zero = 0;
        assert(zero == 1);
    }
    if (strcmp(mode, "unblock-pending-term") == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        sigprocmask(SIG_BLOCK, &set, NULL);
        raise(SIGTERM);
        printf("still alive while blocked\n");
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        exit(8); /* not reached */
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 99;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return run(argv[1]);
    printf("mode exit-42 exit 42\n"
           "mode return-7 exit 7\n"
           "mode exit-status-truncated exit 255\n"
           "mode _exit-skips-atexit exit 3\n"
           "mode atexit-runs exit 4 bye\n"
           "mode abort signal 6\n"
           "mode abort-ignored signal 6\n"
           "mode abort-blocked signal 6\n"
           "mode abort-handler-returns signal 6\n"
           "mode raise-term signal 15\n"
           "mode kill-self-kill signal 9\n"
           "mode raise-usr1-default signal 10\n"
           "mode raise-chld-default-ignored exit 5\n"
           "mode sigpipe-default signal 13\n"
           "mode segv signal 11\n"
           "mode assert-fails signal 6\n"
           "mode unblock-pending-term signal 15\n");
    CHECK("modes-listed", 1);
    return DONE();
}
