//! Scheduling system calls: sched_setparam, sched_getparam, sched_setscheduler, sched_getscheduler, sched_get_priority_min/max.
//!
//! `struct sched_param` is one `int` (the priority). pid 0 is the caller.
//! Validation and privilege (EINVAL, EPERM, ESRCH) are
//! [`shim_core::System`]'s; the scheduler ([`crate::sys::scheduling`]) reads the
//! result on its next pick, and a change yields the CPU so that a process
//! that lost priority gives way at once.
#![forbid(unsafe_code)]

use crate::mm::usercopy;
use crate::sys::process;
use crate::sys::scheduling;
use libspawn::Errno;

/// A pid argument: `pid_t` is an `int`.
fn pid_arg(value: u64) -> i32 {
    value as i32
}

/// Reads `struct sched_param` (EINVAL for NULL, EFAULT for a bad pointer).
fn read_param(param: u64) -> Result<i32, Errno> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let space = table.caller()?.space;
    usercopy::read_value::<i32>(space, param)
}

/// `sched_setscheduler(pid, policy, param)`.
///
/// # Errors
///
/// `EINVAL`, `EPERM`, `ESRCH`, `EFAULT`.
pub fn sched_setscheduler(pid: u64, policy: u64, param: u64) -> Result<u64, Errno> {
    let priority = read_param(param)?;
    {
        let mut table = process::table();
        let caller = table.current_mut().pid;
        table
            .system()
            .sched_setscheduler(caller, pid_arg(pid), policy as i32, priority)?;
    }
    scheduling::preempt();
    Ok(0)
}

/// `sched_setparam(pid, param)`.
///
/// # Errors
///
/// `EINVAL`, `EPERM`, `ESRCH`, `EFAULT`.
pub fn sched_setparam(pid: u64, param: u64) -> Result<u64, Errno> {
    let priority = read_param(param)?;
    {
        let mut table = process::table();
        let caller = table.current_mut().pid;
        table
            .system()
            .sched_setparam(caller, pid_arg(pid), priority)?;
    }
    scheduling::preempt();
    Ok(0)
}

/// `sched_getscheduler(pid)`.
///
/// # Errors
///
/// `EINVAL` (negative pid), `ESRCH`.
pub fn sched_getscheduler(pid: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    Ok(table.system().sched_getscheduler(caller, pid_arg(pid))? as u64)
}

/// `sched_getparam(pid, param)`.
///
/// # Errors
///
/// `EINVAL`, `ESRCH`, `EFAULT`.
pub fn sched_getparam(pid: u64, param: u64) -> Result<u64, Errno> {
    if param == 0 {
        return Err(Errno::EINVAL);
    }
    let mut table = process::table();
    let caller = table.current_mut().pid;
    let priority = table.system().sched_getparam(caller, pid_arg(pid))?;
    let space = table.caller()?.space;
    usercopy::write_value(space, param, &priority)?;
    Ok(0)
}

/// `sched_get_priority_max(policy)`.
///
/// # Errors
///
/// `EINVAL` for an unknown policy.
pub fn sched_get_priority_max(policy: u64) -> Result<u64, Errno> {
    Ok(shim_core::sched::priority_max(policy as i32)? as u64)
}

/// `sched_get_priority_min(policy)`.
///
/// # Errors
///
/// `EINVAL` for an unknown policy.
pub fn sched_get_priority_min(policy: u64) -> Result<u64, Errno> {
    Ok(shim_core::sched::priority_min(policy as i32)? as u64)
}
