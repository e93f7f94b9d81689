//! Process group and session system calls: getpgid, setpgid, getsid, setsid.
//!
//! The rules (EPERM, ESRCH, EACCES, EINVAL) are [`shim_core::System`]'s;
//! `getpgrp()` is `getpgid(0)` in the C library.
#![forbid(unsafe_code)]

use crate::sys::process;
use libspawn::Errno;

/// `getpgid(pid)` (0: the caller).
///
/// # Errors
///
/// `ESRCH`.
pub fn getpgid(pid: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    Ok(table.system().getpgid(caller, pid as i32)? as u64)
}

/// `setpgid(pid, pgid)`.
///
/// # Errors
///
/// `EINVAL`, `ESRCH`, `EPERM`, `EACCES`.
pub fn setpgid(pid: u64, pgid: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    table.system().setpgid(caller, pid as i32, pgid as i32)?;
    Ok(0)
}

/// `getsid(pid)` (0: the caller).
///
/// # Errors
///
/// `ESRCH`.
pub fn getsid(pid: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    Ok(table.system().getsid(caller, pid as i32)? as u64)
}

/// `setsid()`: the new session id.
///
/// # Errors
///
/// `EPERM` for a process-group leader.
pub fn setsid() -> Result<u64, Errno> {
    let mut table = process::table();
    let caller = table.current_mut().pid;
    Ok(table.system().setsid(caller)? as u64)
}
