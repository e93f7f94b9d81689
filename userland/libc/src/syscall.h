/*
 * syscall.h - the one place the library enters the kernel (internal).
 *
 * kernel-shim implements the Linux x86_64 system-call ABI, so these are the
 * Linux conventions: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9,
 * result in rax, and the instruction clobbers rcx and r11. A result in
 * [-4095, -1] is a negated error number.
 *
 * Every call the library makes goes through the SYS_* numbers of
 * <sys/syscall.h>, the checked copy of the kernel's own list; the README
 * lists which function uses which call.
 */
#ifndef LIBC_INTERNAL_SYSCALL_H
#define LIBC_INTERNAL_SYSCALL_H

#include <sys/syscall.h>

/* A system-call number as assembler text, for calls made from asm. */
#define SYSNO_TEXT(n) SYSNO_TEXT_(n)
#define SYSNO_TEXT_(n) #n

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
