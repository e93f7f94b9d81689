/*
 * sys/wait.h - wait and waitpid (over wait4) and the status macros for
 * Linux's encoding: exit code in bits 8-15 with low byte 0; killing signal
 * in bits 0-6 (bit 7: core dumped); 0x7f in the low byte for a stopped
 * child with the signal in bits 8-15; 0xffff for a continued child.
 * Not provided: waitid.
 */
#ifndef _LIBC_SYS_WAIT_H
#define _LIBC_SYS_WAIT_H

#include <sys/_types.h>
/* POSIX allows it and glibc does it by default: programs rely on it. */
#include <signal.h>

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000

static inline int __wait_exitstatus(int s) { return (s >> 8) & 0xff; }
static inline int __wait_termsig(int s) { return s & 0x7f; }
static inline int __wait_ifexited(int s) { return (s & 0x7f) == 0; }
static inline int __wait_ifsignaled(int s)
{
    return (s & 0x7f) != 0 && (s & 0x7f) != 0x7f;
}
static inline int __wait_ifstopped(int s) { return (s & 0xff) == 0x7f; }
static inline int __wait_ifcontinued(int s) { return s == 0xffff; }
static inline int __wait_coredump(int s) { return s & 0x80; }

#define WEXITSTATUS(s) __wait_exitstatus((int)(s))
#define WTERMSIG(s) __wait_termsig((int)(s))
#define WSTOPSIG(s) __wait_exitstatus((int)(s))
#define WIFEXITED(s) __wait_ifexited((int)(s))
#define WIFSIGNALED(s) __wait_ifsignaled((int)(s))
#define WIFSTOPPED(s) __wait_ifstopped((int)(s))
#define WIFCONTINUED(s) __wait_ifcontinued((int)(s))
#define WCOREDUMP(s) __wait_coredump((int)(s))

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);

#endif
