/*
 * signal.c - signal sets, masks, actions, kill and raise.
 *
 * The kernel's view (Linux x86_64): rt_sigaction takes
 *     struct { handler; unsigned long flags; restorer; uint64_t mask; }
 * (shim-abi's Sigaction) with a sigsetsize of 8, and every handler is
 * installed with SA_RESTORER and __restore_rt, which makes the rt_sigreturn
 * call that ends a handler. rt_sigprocmask, rt_sigpending and
 * rt_sigsuspend take one 64-bit word, bit n-1 for signal n.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "syscall.h"

#define KERNEL_SIGSET_SIZE 8

struct kernel_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    unsigned long mask;
};

/* The return path of every handler: the kernel made the handler "return"
 * here, with the saved context on the stack for rt_sigreturn to restore. */
void __restore_rt(void);
__asm__(".text\n"
        ".globl __restore_rt\n"
        ".type __restore_rt, @function\n"
        "__restore_rt:\n"
        "    mov $" SYSNO_TEXT(SYS_rt_sigreturn) ", %eax\n"
        "    syscall\n"
        "    hlt\n"
        ".size __restore_rt, . - __restore_rt\n");

static int valid(int sig)
{
    return sig >= 1 && sig <= 64;
}

static unsigned long bit(int sig)
{
    return 1UL << (sig - 1);
}

int sigemptyset(sigset_t *set)
{
    memset(set, 0, sizeof *set);
    return 0;
}

int sigfillset(sigset_t *set)
{
    memset(set, 0, sizeof *set);
    set->__bits[0] = ~0UL;
    return 0;
}

int sigaddset(sigset_t *set, int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    set->__bits[0] |= bit(sig);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    set->__bits[0] &= ~bit(sig);
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!valid(sig)) {
        errno = EINVAL;
        return -1;
    }
    return (set->__bits[0] & bit(sig)) != 0;
}

/* Stores a kernel mask word into a whole sigset_t. */
static void set_from_word(sigset_t *set, unsigned long word)
{
    memset(set, 0, sizeof *set);
    set->__bits[0] = word;
}

int sigprocmask(int how, const sigset_t *__restrict set,
                sigset_t *__restrict oldset)
{
    unsigned long old = 0;
    long r = SYSCALL4(SYS_rt_sigprocmask, how, set ? &set->__bits[0] : NULL,
                      oldset ? &old : NULL, KERNEL_SIGSET_SIZE);

    if (r < 0)
        return -1;
    if (oldset)
        set_from_word(oldset, old);
    return 0;
}

int sigpending(sigset_t *set)
{
    unsigned long word = 0;

    if (SYSCALL2(SYS_rt_sigpending, &word, KERNEL_SIGSET_SIZE) < 0)
        return -1;
    set_from_word(set, word);
    return 0;
}

int sigsuspend(const sigset_t *mask)
{
    return (int)SYSCALL2(SYS_rt_sigsuspend, &mask->__bits[0],
                         KERNEL_SIGSET_SIZE);
}

int sigaction(int sig, const struct sigaction *__restrict act,
              struct sigaction *__restrict oldact)
{
    struct kernel_sigaction k, old;

    if (act) {
        k.handler = (void *)act->sa_handler;
        k.flags = (unsigned long)(unsigned)act->sa_flags | SA_RESTORER;
        k.restorer = __restore_rt;
        k.mask = act->sa_mask.__bits[0];
    }
    memset(&old, 0, sizeof old);
    if (SYSCALL4(SYS_rt_sigaction, sig, act ? &k : NULL, oldact ? &old : NULL,
                 KERNEL_SIGSET_SIZE) < 0)
        return -1;
    if (oldact) {
        memset(oldact, 0, sizeof *oldact);
        oldact->sa_handler = (void (*)(int))old.handler;
        oldact->sa_flags = (int)old.flags;
        oldact->sa_restorer = old.restorer;
        oldact->sa_mask.__bits[0] = old.mask;
    }
    return 0;
}

void (*signal(int sig, void (*handler)(int)))(int)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    if (sigaction(sig, &sa, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

int kill(pid_t pid, int sig)
{
    return (int)SYSCALL2(SYS_kill, pid, sig);
}

int killpg(pid_t pgrp, int sig)
{
    if (pgrp < 0) {
        errno = EINVAL;
        return -1;
    }
    return kill(-pgrp, sig);
}

int raise(int sig)
{
    return kill(getpid(), sig);
}
