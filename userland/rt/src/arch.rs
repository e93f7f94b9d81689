//! Raw x86_64 `syscall` stubs, one per argument count.
//!
//! The kernel follows the Linux x86_64 convention: the number goes in `rax`,
//! arguments in `rdi`, `rsi`, `rdx`, `r10`, `r8`, `r9`, and the result (or
//! `-errno`) comes back in `rax`. The `syscall` instruction itself overwrites
//! `rcx` (return address) and `r11` (saved flags), so both are clobbered.
//! Everything else, including the user stack, is left alone.
//!
//! These stubs return the raw value; [`crate::sys`] decodes it into a
//! `Result`. They are `unsafe` because a system call can read or write any
//! memory its arguments name.

use core::arch::asm;

use shim_abi::Sysno;

/// Shared contract of every stub below.
///
/// # Safety
///
/// 1. Every pointer argument must be valid for whatever the call does with
///    it (reads, writes, or keeps) for as long as the kernel uses it, or the
///    caller must be deliberately passing an invalid pointer that the kernel
///    is required to reject with EFAULT.
/// 2. The call must not change memory or process state that Rust code
///    relies on (for example unmapping the stack) unless the caller accounts
///    for it.
#[inline(always)]
pub unsafe fn syscall0(call: Sysno) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract above; the asm clobbers only
    // the registers it declares and does not touch the user stack.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// One-argument system call.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall1(call: Sysno, arg1: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Two-argument system call.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall2(call: Sysno, arg1: usize, arg2: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            in("rsi") arg2,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Three-argument system call.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall3(call: Sysno, arg1: usize, arg2: usize, arg3: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            in("rsi") arg2,
            in("rdx") arg3,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Four-argument system call. The fourth argument travels in `r10`, not
/// `rcx` as in the function-call ABI, because `syscall` overwrites `rcx`.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall4(call: Sysno, arg1: usize, arg2: usize, arg3: usize, arg4: usize) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            in("rsi") arg2,
            in("rdx") arg3,
            in("r10") arg4,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Five-argument system call.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall5(
    call: Sysno,
    arg1: usize,
    arg2: usize,
    arg3: usize,
    arg4: usize,
    arg5: usize,
) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            in("rsi") arg2,
            in("rdx") arg3,
            in("r10") arg4,
            in("r8") arg5,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Six-argument system call.
///
/// # Safety
///
/// As for [`syscall0`].
#[inline(always)]
pub unsafe fn syscall6(
    call: Sysno,
    arg1: usize,
    arg2: usize,
    arg3: usize,
    arg4: usize,
    arg5: usize,
    arg6: usize,
) -> isize {
    let ret: isize;
    // SAFETY: the caller upholds the contract of `syscall0`; the asm clobbers
    // only the registers it declares.
    unsafe {
        asm!(
            "syscall",
            inlateout("rax") call.number() => ret,
            in("rdi") arg1,
            in("rsi") arg2,
            in("rdx") arg3,
            in("r10") arg4,
            in("r8") arg5,
            in("r9") arg6,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}
