//! Guest test: system calls given a bad user pointer fail with EFAULT.
//!
//! Every pointer argument of write, read, wait4, clock_gettime, nanosleep,
//! kstats and spawn (the pid out-pointer, the request, and the path, argv
//! and envp pointers and entries inside it) is tried with a kernel address,
//! an unmapped user address and a non-canonical address; buffers whose end
//! runs past the user half or the stack top, or wraps around, are tried
//! too. The kernel must
//! answer EFAULT each time, and a refused spawn must leave no child behind.
#![no_std]
#![no_main]

use core::ffi::c_char;
use core::ptr;

use shim_progs::paths::EXIT_WITH;
use shim_progs::testing::{spawn_or_fail, KERNEL_ADDRESS, NON_CANONICAL_ADDRESS, UNMAPPED_ADDRESS};
use shim_progs::{check_eq, fail};
use shim_rt::abi::layout::{USER_END, USER_STACK_TOP};
use shim_rt::abi::{clock, SpawnRequest, Sysno};
use shim_rt::arch::{syscall1, syscall2, syscall3, syscall4};
use shim_rt::process::{wait, wait_any};
use shim_rt::sys::{STDIN, STDOUT};
use shim_rt::{Args, Errno, WaitStatus};

shim_rt::entry!(main);

/// Addresses no system call may accept as a user pointer.
const BAD_ADDRESSES: [usize; 3] = [KERNEL_ADDRESS, UNMAPPED_ADDRESS, NON_CANONICAL_ADDRESS];
/// Length of the buffers passed to read and write.
const BUFFER_LEN: usize = 16;

/// A system call made with `address` in one pointer argument; returns the
/// raw result.
type Call = fn(address: usize) -> isize;

/// Calls whose only bad argument is the address, named for the report.
const CALLS: [(&str, Call); 13] = [
    ("write buffer", write_buffer),
    ("read buffer", read_buffer),
    ("wait4 status", wait4_status),
    ("clock_gettime timespec", clock_gettime_out),
    ("kstats output", kstats_out),
    ("spawn pid output", spawn_pid_out),
    ("spawn request", spawn_request),
    ("spawn path", spawn_path),
    ("spawn argv", spawn_argv),
    ("spawn argv entry", spawn_argv_entry),
    ("spawn envp", spawn_envp),
    ("spawn envp entry", spawn_envp_entry),
    ("nanosleep request", nanosleep_request),
];

fn write_buffer(address: usize) -> isize {
    // SAFETY: the kernel only reads from `address`, which is not Rust
    // memory; it must refuse it.
    unsafe { syscall3(Sysno::Write, STDOUT as usize, address, BUFFER_LEN) }
}

fn read_buffer(address: usize) -> isize {
    // SAFETY: the kernel may only write at `address`, which is not Rust
    // memory; it must refuse it.
    unsafe { syscall3(Sysno::Read, STDIN as usize, address, BUFFER_LEN) }
}

/// wait4 on a real child that has a status to report, so only the status
/// pointer can be at fault. The child is reaped afterwards either way.
fn wait4_status(address: usize) -> isize {
    let child = spawn_or_fail(EXIT_WITH, &[c"0"]);
    // SAFETY: the kernel may only write at `address`, which is not Rust
    // memory; the rusage pointer is null ("not wanted").
    let ret = unsafe { syscall4(Sysno::Wait4, child.raw() as usize, address, 0, 0) };
    // Linux reaps the child before it fails to store the status; a kernel
    // that checks the pointer first leaves it for us. Both are fine.
    match wait(child) {
        Ok(WaitStatus::Exited(0)) | Err(Errno::ECHILD) => {}
        other => fail!("reaping child {child} after the bad wait4: {other:?}"),
    }
    ret
}

fn clock_gettime_out(address: usize) -> isize {
    // SAFETY: the kernel may only write at `address`, which is not Rust
    // memory; it must refuse it.
    unsafe {
        syscall2(
            Sysno::ClockGettime,
            clock::CLOCK_MONOTONIC as usize,
            address,
        )
    }
}

fn nanosleep_request(address: usize) -> isize {
    // SAFETY: the kernel only reads from `address`, which is not Rust
    // memory; the remainder pointer is null ("not wanted").
    unsafe { syscall2(Sysno::Nanosleep, address, 0) }
}

fn kstats_out(address: usize) -> isize {
    // SAFETY: the kernel may only write at `address`, which is not Rust
    // memory; it must refuse it.
    unsafe { syscall1(Sysno::ShimKstats, address) }
}

/// argv of a valid spawn: `exit_with 0`.
fn valid_argv() -> [*const c_char; 3] {
    [EXIT_WITH.as_ptr(), c"0".as_ptr(), ptr::null()]
}

/// An empty environment.
const EMPTY_ENVP: [*const c_char; 1] = [ptr::null()];

/// A valid request for `exit_with 0`, pointing into `argv` and `envp`.
fn valid_request(argv: &[*const c_char], envp: &[*const c_char]) -> SpawnRequest {
    SpawnRequest {
        path: EXIT_WITH.as_ptr() as u64,
        argv: argv.as_ptr() as u64,
        envp: envp.as_ptr() as u64,
        ..SpawnRequest::default()
    }
}

/// SHIM_SPAWN with `request`, the pid stored in a local.
fn spawn_with(request: &SpawnRequest) -> isize {
    let mut pid: i32 = 0;
    // SAFETY: `pid` is writable; `request` is a live request whose
    // pointers either point at live data on the caller's frame or are the
    // bad address under test, which the kernel must refuse.
    unsafe {
        syscall2(
            Sysno::ShimSpawn,
            &raw mut pid as usize,
            ptr::from_ref(request) as usize,
        )
    }
}

fn spawn_pid_out(address: usize) -> isize {
    let argv = valid_argv();
    let request = valid_request(&argv, &EMPTY_ENVP);
    // SAFETY: the request and everything it names is live on this frame;
    // the kernel may only write the pid at `address`, which is not Rust
    // memory.
    unsafe { syscall2(Sysno::ShimSpawn, address, ptr::from_ref(&request) as usize) }
}

fn spawn_request(address: usize) -> isize {
    let mut pid: i32 = 0;
    // SAFETY: `pid` is writable; the kernel only reads the request from
    // `address`, which is not Rust memory.
    unsafe { syscall2(Sysno::ShimSpawn, &raw mut pid as usize, address) }
}

fn spawn_path(address: usize) -> isize {
    let argv = valid_argv();
    let request = SpawnRequest {
        path: address as u64,
        ..valid_request(&argv, &EMPTY_ENVP)
    };
    spawn_with(&request)
}

fn spawn_argv(address: usize) -> isize {
    let argv = valid_argv();
    let request = SpawnRequest {
        argv: address as u64,
        ..valid_request(&argv, &EMPTY_ENVP)
    };
    spawn_with(&request)
}

fn spawn_argv_entry(address: usize) -> isize {
    let argv = [EXIT_WITH.as_ptr(), address as *const c_char, ptr::null()];
    spawn_with(&valid_request(&argv, &EMPTY_ENVP))
}

fn spawn_envp(address: usize) -> isize {
    let argv = valid_argv();
    let request = SpawnRequest {
        envp: address as u64,
        ..valid_request(&argv, &EMPTY_ENVP)
    };
    spawn_with(&request)
}

fn spawn_envp_entry(address: usize) -> isize {
    let argv = valid_argv();
    let envp = [address as *const c_char, ptr::null()];
    spawn_with(&valid_request(&argv, &envp))
}

/// Fails the test unless `ret` is EFAULT (or ENOSYS, for a call the
/// kernel may lack).
fn expect_efault(what: &str, address: usize, ret: isize, optional: bool) {
    match Errno::from_syscall_ret(ret) {
        Err(Errno::EFAULT) => {}
        Err(Errno::ENOSYS) if optional => {}
        other => fail!("{what} at {address:#x}: expected EFAULT, got {other:?}"),
    }
}

fn main(_args: Args) -> i32 {
    for (what, call) in CALLS {
        let optional = what == "nanosleep request";
        for address in BAD_ADDRESSES {
            expect_efault(what, address, call(address), optional);
        }
    }

    // Buffers that start at an unmapped user address and run out of the
    // user half, or wrap around the end of the address space.
    let past_user_end = (USER_END as usize) - BUFFER_LEN / 2;
    let wrapping = usize::MAX - BUFFER_LEN / 2;
    for address in [past_user_end, wrapping] {
        expect_efault("write buffer", address, write_buffer(address), false);
        expect_efault("read buffer", address, read_buffer(address), false);
    }
    // A write buffer whose first half is mapped (the top of the stack) and
    // whose second half is not: the whole range is checked, not its start.
    // (read is not tried: at end of input it copies nothing, and Linux
    // then returns 0 without looking at the buffer.)
    let straddling = (USER_STACK_TOP as usize) - BUFFER_LEN / 2;
    expect_efault("write buffer", straddling, write_buffer(straddling), false);

    // Every refused spawn must have left no child behind, and the wait4
    // cases reaped theirs.
    check_eq!(
        "wait4(-1) after the refused spawns",
        wait_any(),
        Err(Errno::ECHILD)
    );
    0
}
