//! Typed, safe wrappers over the kernel's system calls.
//!
//! Each wrapper passes only pointers it derived from Rust references, so the
//! kernel always sees valid memory; failures come back as `Err(Errno)`.
//! Process creation and waiting live in [`crate::process`].

use core::arch::asm;
use core::ptr;
use core::time::Duration;

use libspawn::{Errno, Result};
use shim_abi::sigaction::{SA_RESTORER, SIGSET_SIZE};
use shim_abi::{clock, KernelStats, Sigaction, Sysno, Timespec, NANOS_PER_SEC};

use crate::arch::{syscall0, syscall1, syscall2, syscall3, syscall4};

/// A file descriptor number.
pub type Fd = i32;

/// Standard input: the serial console.
pub const STDIN: Fd = 0;
/// Standard output: the serial console.
pub const STDOUT: Fd = 1;
/// Standard error: the serial console, same port as standard output.
pub const STDERR: Fd = 2;

/// Decodes a raw return value.
pub(crate) fn check(ret: isize) -> Result<usize> {
    Errno::from_syscall_ret(ret)
}

/// Writes some of `buf` to `fd`; returns how many bytes were written.
pub fn write(fd: Fd, buf: &[u8]) -> Result<usize> {
    // SAFETY: `buf` is a live slice, readable for `buf.len()` bytes.
    check(unsafe { syscall3(Sysno::Write, fd as usize, buf.as_ptr() as usize, buf.len()) })
}

/// Writes all of `buf` to `fd`, retrying short writes. A write that makes
/// no progress is EIO rather than an endless loop.
pub fn write_all(fd: Fd, mut buf: &[u8]) -> Result<()> {
    while !buf.is_empty() {
        match write(fd, buf)? {
            0 => return Err(Errno::EIO),
            written => buf = &buf[written..],
        }
    }
    Ok(())
}

/// Reads up to `buf.len()` bytes from `fd`; returns how many were read.
pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is a live, exclusively borrowed slice, writable for
    // `buf.len()` bytes.
    check(unsafe {
        syscall3(
            Sysno::Read,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// Opens `path` with `open` flags `oflag` (`abi::fcntl::O_*`) and `mode`.
pub fn open(path: &core::ffi::CStr, oflag: i32, mode: u32) -> Result<Fd> {
    // SAFETY: `path` is a live NUL-terminated string.
    let fd = check(unsafe {
        syscall3(
            Sysno::Open,
            path.as_ptr() as usize,
            oflag as usize,
            mode as usize,
        )
    })?;
    Fd::try_from(fd).map_err(|_| Errno::EBADF)
}

/// Closes `fd`.
pub fn close(fd: Fd) -> Result<()> {
    // SAFETY: no pointers are passed.
    check(unsafe { syscall1(Sysno::Close, fd as usize) }).map(|_| ())
}

/// Reads from `fd` until end of file or until `buf` is full; returns the
/// bytes read.
pub fn read_to_fill(fd: Fd, buf: &mut [u8]) -> Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match read(fd, rest)? {
            0 => break,
            count => filled += count,
        }
    }
    Ok(filled)
}

/// `getpgid(0)`: the caller's process group.
pub fn getpgrp() -> Result<i32> {
    // SAFETY: no pointers are passed.
    check(unsafe { syscall1(Sysno::Getpgid, 0) }).map(|id| id as i32)
}

/// `getsid(0)`: the caller's session.
pub fn getsid() -> Result<i32> {
    // SAFETY: no pointers are passed.
    check(unsafe { syscall1(Sysno::Getsid, 0) }).map(|id| id as i32)
}

/// `getcwd`: the working directory, written into `buf` (NUL included);
/// returns it without the NUL.
pub fn getcwd(buf: &mut [u8]) -> Result<&[u8]> {
    // SAFETY: `buf` is a live, exclusively borrowed slice, writable for
    // `buf.len()` bytes.
    check(unsafe { syscall2(Sysno::Getcwd, buf.as_mut_ptr() as usize, buf.len()) })?;
    let len = buf
        .iter()
        .position(|&byte| byte == 0)
        .ok_or(Errno::ERANGE)?;
    Ok(&buf[..len])
}

/// Ends the process (all of it: `exit_group`) with `status`.
pub fn exit(status: i32) -> ! {
    // SAFETY: exit_group takes no pointers and does not return.
    unsafe {
        syscall1(Sysno::ExitGroup, status as usize);
    }
    // The kernel let a finished process run on. Trap so the parent sees
    // SIGILL instead of a process that silently keeps going.
    // SAFETY: `ud2` raises #UD and never falls through.
    unsafe { asm!("ud2", options(noreturn, nomem, nostack)) }
}

/// Gives up the processor; the scheduler picks who runs next.
pub fn sched_yield() -> Result<()> {
    // SAFETY: sched_yield takes no arguments.
    check(unsafe { syscall0(Sysno::SchedYield) }).map(drop)
}

/// Reads `clock` (one of [`clock`]'s ids).
pub fn clock_gettime(clock_id: i32) -> Result<Timespec> {
    let mut time = Timespec::default();
    // SAFETY: `time` is a live, writable `Timespec`, the layout the kernel
    // writes.
    check(unsafe {
        syscall2(
            Sysno::ClockGettime,
            clock_id as usize,
            &raw mut time as usize,
        )
    })?;
    Ok(time)
}

/// Time since boot, from `CLOCK_MONOTONIC`.
pub fn monotonic() -> Result<Duration> {
    let time = clock_gettime(clock::CLOCK_MONOTONIC)?;
    let secs = u64::try_from(time.tv_sec).map_err(|_| Errno::EOVERFLOW)?;
    let nanos = u32::try_from(time.tv_nsec)
        .ok()
        .filter(|&nanos| i64::from(nanos) < NANOS_PER_SEC)
        .ok_or(Errno::EINVAL)?;
    Ok(Duration::new(secs, nanos))
}

/// Sleeps for at least `duration`. Returns ENOSYS when the kernel has no
/// `nanosleep`.
pub fn sleep(duration: Duration) -> Result<()> {
    let request = Timespec {
        tv_sec: i64::try_from(duration.as_secs()).map_err(|_| Errno::EINVAL)?,
        tv_nsec: i64::from(duration.subsec_nanos()),
    };
    // SAFETY: `request` is a live `Timespec`; the remainder pointer is null,
    // which nanosleep accepts as "not wanted".
    check(unsafe {
        syscall2(
            Sysno::Nanosleep,
            &raw const request as usize,
            ptr::null_mut::<Timespec>() as usize,
        )
    })
    .map(drop)
}

/// Resource counters of the whole kernel, for leak tests.
pub fn kstats() -> Result<KernelStats> {
    let mut stats = KernelStats::default();
    // SAFETY: `stats` is a live, writable `KernelStats`, the layout the
    // kernel writes.
    check(unsafe { syscall1(Sysno::ShimKstats, &raw mut stats as usize) })?;
    Ok(stats)
}

/// Ends the QEMU run, reporting `success` to the host. Returns only if the
/// kernel refuses (for example because the caller is not init), with the
/// reason.
pub fn poweroff(success: bool) -> Errno {
    let how = if success {
        shim_abi::poweroff::SUCCESS
    } else {
        shim_abi::poweroff::FAILURE
    };
    // SAFETY: poweroff takes no pointers.
    let ret = unsafe { syscall1(Sysno::ShimPoweroff, how as usize) };
    match check(ret) {
        Err(errno) => errno,
        // A poweroff that "succeeds" and returns is a kernel bug; report
        // it as such rather than pretending all is well.
        Ok(_) => Errno::EIO,
    }
}

/// `alarm(seconds)`: SIGALRM after `seconds` (0 cancels the pending one);
/// returns the seconds the previous alarm had left.
pub fn alarm(seconds: u32) -> Result<u32> {
    // SAFETY: no pointer arguments.
    let left = check(unsafe { syscall1(Sysno::Alarm, seconds as usize) })?;
    Ok(u32::try_from(left).unwrap_or(u32::MAX))
}

/// Does nothing: the point of catching the signal is the EINTR.
extern "C" fn ignore_caught(_signal: i32) {}

/// Returns from a signal handler: `rt_sigreturn` on the frame the kernel
/// pushed (the handler's `ret` lands here).
#[unsafe(naked)]
extern "C" fn signal_return() {
    core::arch::naked_asm!(
        "mov eax, {sigreturn}",
        "syscall",
        "ud2",
        sigreturn = const Sysno::RtSigreturn.number(),
    );
}

/// Catches `signal` with a handler that does nothing and no SA_RESTART, so
/// the signal ends a blocking call with EINTR instead of taking its default
/// action (for SIGALRM: ending the process). Spawned children start with
/// the default action again, as after any exec.
pub fn interrupt_on(signal: i32) -> Result<()> {
    let action = Sigaction {
        handler: ignore_caught as *const () as u64,
        flags: SA_RESTORER,
        restorer: signal_return as *const () as u64,
        mask: 0,
    };
    // SAFETY: `action` is a live `Sigaction`, the layout the kernel
    // reads; the old action is not wanted (null); the handler and the
    // restorer are functions of this image that stay mapped.
    check(unsafe {
        syscall4(
            Sysno::RtSigaction,
            signal as usize,
            &raw const action as usize,
            ptr::null_mut::<Sigaction>() as usize,
            SIGSET_SIZE,
        )
    })
    .map(drop)
}
