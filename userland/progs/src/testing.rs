//! Helpers for guest tests: failing with a reason, spawning helpers, and
//! the addresses the fault and EFAULT tests aim at.
//!
//! A failing test prints `NAME: reason` on standard error and exits with
//! [`FAILURE_STATUS`]; `init` then reports `test NAME ... FAILED: exit
//! status 1`, right below the reason line in the transcript.

use core::ffi::CStr;
use core::fmt::{self, Write};

use shim_rt::process::{spawn, wait, MAX_SPAWN_ARGS};
use shim_rt::start::program_name;
use shim_rt::sys::exit;
use shim_rt::{eprintln, CStrBuf, Errno, Pid, WaitStatus};

/// Exit status of a test whose check failed.
pub const FAILURE_STATUS: i32 = 1;
/// Exit status of a helper given arguments it does not understand.
pub const USAGE_STATUS: i32 = 2;

/// The kernel image's address (the kernel is linked at -2 GiB + its
/// physical load address). Mapped in every address space, but
/// supervisor-only: reads and writes from ring 3 must fault.
pub const KERNEL_ADDRESS: usize = 0xffff_ffff_8020_0000;
/// A canonical user-half address far from the image (at
/// `abi::layout::GUEST_LINK_ADDRESS`) and from the stack (just below
/// `abi::layout::USER_STACK_TOP`), where nothing is mapped.
pub const UNMAPPED_ADDRESS: usize = 0x2000_0000_0000;
/// The first address past the lower canonical half: any access to it is a
/// general protection fault, not a page fault.
pub const NON_CANONICAL_ADDRESS: usize = 0x8000_0000_0000_0000;

/// Arguments `/bin/argcheck` expects after argv[0].
pub const ARGCHECK_ARGS: &[&CStr] = &[c"alpha", c"", c"beta gamma", c"-x"];
/// Environment `/bin/argcheck` expects, in order.
pub const ARGCHECK_ENV: &[&CStr] = &[c"SHIM_TEST=1", c"EMPTY="];

/// Longest path a helper builds.
pub const PATH_CAPACITY: usize = 128;
/// Capacity of a formatted decimal argument (an `i32` and its NUL).
pub const NUMBER_CAPACITY: usize = 16;

/// Prints `NAME: reason` on standard error and exits with
/// [`FAILURE_STATUS`].
pub fn fail_with(reason: fmt::Arguments<'_>) -> ! {
    let name = core::str::from_utf8(program_name()).unwrap_or("?");
    eprintln!("{name}: {reason}");
    exit(FAILURE_STATUS)
}

/// Fails the running test with a formatted reason.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => {
        $crate::testing::fail_with(format_args!($($arg)*))
    };
}

/// Fails the running test unless `actual == expected`, naming `what`.
#[macro_export]
macro_rules! check_eq {
    ($what:expr, $actual:expr, $expected:expr $(,)?) => {
        match (&$actual, &$expected) {
            (actual, expected) => {
                if actual != expected {
                    $crate::fail!("{}: expected {:?}, got {:?}", $what, expected, actual);
                }
            }
        }
    };
}

/// Parses a decimal `i32` (optional leading `-`).
pub fn parse_i32(text: &[u8]) -> Option<i32> {
    let (negative, digits) = match text.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i32 = 0;
    for &byte in digits {
        let digit = i32::from(char::from(byte).to_digit(10)? as u8);
        value = value.checked_mul(10)?;
        value = if negative {
            value.checked_sub(digit)?
        } else {
            value.checked_add(digit)?
        };
    }
    Some(value)
}

/// `value` in decimal, as a C string argument.
pub fn decimal(value: i32) -> CStrBuf<NUMBER_CAPACITY> {
    let mut text = CStrBuf::new();
    if write!(text, "{value}").is_err() {
        unreachable!("an i32 fits in {NUMBER_CAPACITY} bytes");
    }
    text
}

/// Spawns `path` with argv `[path, args...]` and an empty environment.
pub fn spawn_with_args(path: &CStr, args: &[&CStr]) -> Result<Pid, Errno> {
    let mut argv: [&CStr; MAX_SPAWN_ARGS] = [c""; MAX_SPAWN_ARGS];
    let count = args.len() + 1;
    if count > MAX_SPAWN_ARGS {
        return Err(Errno::E2BIG);
    }
    argv[0] = path;
    argv[1..count].copy_from_slice(args);
    spawn(path, &argv[..count], &[])
}

/// Spawns `path` with `args` (see [`spawn_with_args`]) or fails the test.
pub fn spawn_or_fail(path: &CStr, args: &[&CStr]) -> Pid {
    match spawn_with_args(path, args) {
        Ok(pid) => pid,
        Err(errno) => fail!("spawning {path:?} failed: {errno}"),
    }
}

/// Waits for `pid` or fails the test.
pub fn wait_or_fail(pid: Pid) -> WaitStatus {
    match wait(pid) {
        Ok(status) => status,
        Err(errno) => fail!("waiting for pid {pid} failed: {errno}"),
    }
}

/// Runs `path` with `args` to completion and fails the test unless it ends
/// with `expected`.
pub fn expect_status(path: &CStr, args: &[&CStr], expected: WaitStatus) {
    let status = wait_or_fail(spawn_or_fail(path, args));
    if status != expected {
        fail!("{path:?} {args:?}: expected \"{expected}\", got \"{status}\"");
    }
}

/// Fails the test unless spawning `path` is refused with `expected`.
pub fn expect_spawn_error(path: &CStr, expected: Errno) {
    match spawn_with_args(path, &[]) {
        Err(errno) if errno == expected => {}
        Err(errno) => fail!("spawning {path:?}: expected {expected:?}, got {errno:?}"),
        Ok(pid) => {
            let status = wait(pid);
            fail!(
                "spawning {path:?}: expected {expected:?}, but it started as \
                 pid {pid} and ended with {status:?}"
            )
        }
    }
}
