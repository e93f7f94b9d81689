/*
 * syscall.h - the one place the library enters the kernel (internal).
 *
 * kernel-shim implements the Linux x86_64 system-call ABI, so these are the
 * Linux conventions: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9,
 * result in rax, and the instruction clobbers rcx and r11. A result in
 * [-4095, -1] is a negated error number.
 *
 * Every call the library makes goes through the SYS_* numbers below; the
 * README lists which function uses which call.
 */
#ifndef LIBC_INTERNAL_SYSCALL_H
#define LIBC_INTERNAL_SYSCALL_H

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_stat 4
#define SYS_fstat 5
#define SYS_lstat 6
#define SYS_lseek 8
#define SYS_mmap 9
#define SYS_munmap 11
#define SYS_rt_sigaction 13
#define SYS_rt_sigprocmask 14
#define SYS_rt_sigreturn 15
#define SYS_ioctl 16
#define SYS_access 21
#define SYS_pipe 22
#define SYS_sched_yield 24
#define SYS_dup 32
#define SYS_dup2 33
#define SYS_pause 34
#define SYS_nanosleep 35
#define SYS_alarm 37
#define SYS_getpid 39
#define SYS_wait4 61
#define SYS_kill 62
#define SYS_fcntl 72
#define SYS_fsync 74
#define SYS_ftruncate 77
#define SYS_getcwd 79
#define SYS_chdir 80
#define SYS_fchdir 81
#define SYS_rename 82
#define SYS_mkdir 83
#define SYS_rmdir 84
#define SYS_unlink 87
#define SYS_chmod 90
#define SYS_fchmod 91
#define SYS_chown 92
#define SYS_fchown 93
#define SYS_lchown 94
#define SYS_umask 95
#define SYS_getuid 102
#define SYS_getgid 104
#define SYS_setuid 105
#define SYS_setgid 106
#define SYS_geteuid 107
#define SYS_getegid 108
#define SYS_setpgid 109
#define SYS_getppid 110
#define SYS_setsid 112
#define SYS_setresuid 117
#define SYS_setresgid 119
#define SYS_getpgid 121
#define SYS_getsid 124
#define SYS_rt_sigpending 127
#define SYS_rt_sigsuspend 130
#define SYS_sched_setparam 142
#define SYS_sched_getparam 143
#define SYS_sched_setscheduler 144
#define SYS_sched_getscheduler 145
#define SYS_sched_get_priority_max 146
#define SYS_sched_get_priority_min 147
#define SYS_clock_gettime 228
#define SYS_exit_group 231
#define SYS_pipe2 293

static inline long __syscall0(long n)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
    return r;
}

static inline long __syscall1(long n, long a)
{
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long __syscall2(long n, long a, long b)
{
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long __syscall3(long n, long a, long b, long c)
{
    long r;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}

static inline long __syscall6(long n, long a, long b, long c, long d, long e,
                              long f)
{
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(r)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
                       "r"(r9)
                     : "rcx", "r11", "memory");
    return r;
}

/*
 * Turns a raw result into the C convention: a negated error number becomes
 * -1 with errno set; anything else is returned unchanged.
 */
long __syscall_ret(long raw);

#define SYSCALL0(n) __syscall_ret(__syscall0(n))
#define SYSCALL1(n, a) __syscall_ret(__syscall1(n, (long)(a)))
#define SYSCALL2(n, a, b) __syscall_ret(__syscall2(n, (long)(a), (long)(b)))
#define SYSCALL3(n, a, b, c)                                                   \
    __syscall_ret(__syscall3(n, (long)(a), (long)(b), (long)(c)))
#define SYSCALL4(n, a, b, c, d)                                                \
    __syscall_ret(__syscall4(n, (long)(a), (long)(b), (long)(c), (long)(d)))

#endif
