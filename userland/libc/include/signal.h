/*
 * signal.h - signals with Linux x86_64 numbers and flags.
 *
 * sigset_t is 128 bytes like glibc's; only its first 64-bit word is used
 * (bit n-1 is signal n, signals 1..64), which is what the kernel sees
 * (rt_sigprocmask and rt_sigaction with a sigsetsize of 8).
 * All 64 signals are usable: unlike glibc, no signal is reserved for
 * threads, so sigfillset fills all of 1..64 and sigaddset accepts 32 and 33.
 * SIGRTMIN is 34 and SIGRTMAX 64, the values glibc reports on Linux.
 *
 * sigaction installs every handler with SA_RESTORER and a restorer that
 * calls rt_sigreturn, as Linux x86_64 requires; sa_flags read back through
 * the old-action pointer therefore include SA_RESTORER, as with glibc.
 * signal() has BSD semantics (SA_RESTART, handler stays installed).
 * Not provided: sigaltstack, sigqueue, sigwait, sigtimedwait, psignal.
 */
#ifndef _LIBC_SIGNAL_H
#define _LIBC_SIGNAL_H

#include <sys/_types.h>

typedef struct {
    unsigned long __bits[16];
} sigset_t;

typedef int sig_atomic_t;

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 34
#define SIGRTMAX 64
#define NSIG 65
#define _NSIG NSIG

typedef void (*sighandler_t)(int);
#define SIG_ERR ((void (*)(int)) - 1)
#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_RESTORER 0x04000000
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192

union sigval {
    int sival_int;
    void *sival_ptr;
};

/* Linux's 128-byte siginfo: three ints, padding, then a union. */
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    int __pad;
    union {
        struct {
            pid_t __pid;
            uid_t __uid;
            union {
                int __status;
                union sigval __value;
            } __u;
        } __proc;
        void *__addr;
        int __space[28];
    } __fields;
} siginfo_t;

#define si_pid __fields.__proc.__pid
#define si_uid __fields.__proc.__uid
#define si_status __fields.__proc.__u.__status
#define si_value __fields.__proc.__u.__value
#define si_int si_value.sival_int
#define si_ptr si_value.sival_ptr
#define si_addr __fields.__addr

#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)
#define SI_TKILL (-6)
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

struct sigaction {
    __extension__ union {
        void (*sa_handler)(int);
        void (*sa_sigaction)(int, siginfo_t *, void *);
    };
    sigset_t sa_mask;
    int sa_flags;
    void (*sa_restorer)(void);
};

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int sigprocmask(int how, const sigset_t *__restrict set,
                sigset_t *__restrict oldset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigaction(int sig, const struct sigaction *__restrict act,
              struct sigaction *__restrict oldact);
void (*signal(int sig, void (*handler)(int)))(int);
int kill(pid_t pid, int sig);
int killpg(pid_t pgrp, int sig);
int raise(int sig);

#endif
