//! Resource limits and usage: `getrlimit`, `setrlimit`, `prlimit64`,
//! `getrusage`.
//!
//! The limits, their rules and which ones this kernel enforces are
//! [`shim_core::rlimit`]'s; permission to act on another process is
//! [`shim_core::System::prlimit`]'s. A spawned child inherits its
//! parent's limits (POSIX).
#![forbid(unsafe_code)]

use crate::arch::time;
use crate::mm::usercopy;
use crate::sys::process::{self, Caller};
use libspawn::Errno;
use shim_abi::rusage::{RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD};
use shim_abi::{Rlimit, Rusage, Timeval};

/// A resource argument: its low 32 bits (an `int`; Linux's `unsigned
/// int`), so a negative one is a large, unknown resource (EINVAL).
fn resource_arg(value: u64) -> u32 {
    value as u32
}

/// The shared body of the three limit calls: reads `new` (if not null),
/// checks `old` is writable (if not null) before changing anything, applies
/// the change and writes the previous limit to `old`.
fn prlimit_common(pid: i32, resource: u64, new: u64, old: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller {
        pid: caller,
        space,
        system,
    } = table.caller()?;
    let new = if new == 0 {
        None
    } else {
        Some(usercopy::read_value::<Rlimit>(space, new)?)
    };
    if old != 0 {
        usercopy::check_range(space, old, core::mem::size_of::<Rlimit>(), true)?;
    }
    let previous = system.prlimit(caller, pid, resource_arg(resource), new)?;
    if old != 0 {
        usercopy::write_value(space, old, &previous)?;
    }
    Ok(0)
}

/// `getrlimit(resource, rlim)` (getrlimit(2)): the caller's soft and hard
/// limit on `resource`.
///
/// # Errors
///
/// `EINVAL` for an unknown resource, `EFAULT` for a bad `rlim`.
pub fn getrlimit(resource: u64, out: u64) -> Result<u64, Errno> {
    if out == 0 {
        return Err(Errno::EFAULT);
    }
    prlimit_common(0, resource, 0, out)
}

/// `setrlimit(resource, rlim)` (setrlimit(2)): sets the caller's limit.
/// Any process may lower its limits; raising a hard limit needs an
/// effective uid of 0; a new RLIMIT_NOFILE soft limit applies to the
/// caller's descriptor table at once.
///
/// # Errors
///
/// `EINVAL` for an unknown resource or a soft limit above the hard one,
/// `EPERM` for raising the hard limit without privilege (or RLIMIT_NOFILE's
/// above the descriptor table's capacity, 1024), `EFAULT` for a bad
/// `rlim`.
pub fn setrlimit(resource: u64, new: u64) -> Result<u64, Errno> {
    if new == 0 {
        return Err(Errno::EFAULT);
    }
    prlimit_common(0, resource, new, 0)
}

/// `prlimit64(pid, resource, new, old)` (prlimit(2)): `setrlimit` and
/// `getrlimit` on process `pid` (0: the caller) at once; `new` and `old`
/// may each be null. Acting on another process needs privilege, or the
/// caller's real uid and gid matching the target's real, effective and
/// saved ones.
///
/// # Errors
///
/// `ESRCH` (no such process), `EPERM`, `EINVAL` and `EFAULT` as
/// `setrlimit` and `getrlimit`. Nothing changes on error.
pub fn prlimit64(pid: u64, resource: u64, new: u64, old: u64) -> Result<u64, Errno> {
    prlimit_common(pid as i32, resource, new, old)
}

/// `getrusage(who, usage)` (getrusage(2)): the CPU time of the caller
/// (RUSAGE_SELF, or RUSAGE_THREAD: one thread per process) or of its
/// waited-for children and their waited-for descendants
/// (RUSAGE_CHILDREN). The kernel does not tell user from system time: all
/// of it is reported as user time, system time is zero, and so are the
/// other fields (not kept).
///
/// # Errors
///
/// `EINVAL` for another `who`, `EFAULT` for a bad `usage`.
pub fn getrusage(who: u64, out: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let times = system.cpu_times(pid, now)?;
    let used = match who as i32 {
        RUSAGE_SELF | RUSAGE_THREAD => times.own_ns,
        RUSAGE_CHILDREN => times.children_ns,
        _ => return Err(Errno::EINVAL),
    };
    let usage = Rusage {
        utime: Timeval::from_ns(used),
        ..Rusage::default()
    };
    usercopy::write_value(space, out, &usage)?;
    Ok(0)
}
