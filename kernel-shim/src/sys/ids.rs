//! Identity system calls: get and set the real, effective and saved user and group ids;
//! `getgroups` (no supplementary groups).
//!
//! Ids are 32-bit: only the low 32 bits of an argument count, so the C
//! library's `(uid_t)-1` ("unchanged") arrives as `0xffff_ffff` whatever
//! the upper half holds. The privilege rules are [`shim_core::creds`]'s.
#![forbid(unsafe_code)]

use crate::mm::usercopy;
use crate::sys::process;
use libspawn::Errno;
use shim_core::creds::Creds;

/// An id argument: its low 32 bits.
fn id_arg(value: u64) -> u32 {
    value as u32
}

/// Runs `f` on the caller's credentials.
fn with_creds<T>(f: impl FnOnce(&mut Creds) -> Result<T, Errno>) -> Result<T, Errno> {
    let mut table = process::table();
    let pid = table.current_mut().pid;
    f(&mut table.system().process_mut(pid)?.creds)
}

/// `getgroups(size, list)` (getgroups(2)): the caller's supplementary
/// group ids. kernel-shim keeps none (a process has only its real,
/// effective and saved group ids), so the count is 0 and `list` is never
/// written, whatever `size` is.
///
/// # Errors
///
/// `EINVAL` for a negative `size` (as an `int`).
pub fn getgroups(size: u64) -> Result<u64, Errno> {
    if (size as i32) < 0 {
        return Err(Errno::EINVAL);
    }
    Ok(0)
}

/// `getuid()`.
pub fn getuid() -> Result<u64, Errno> {
    with_creds(|creds| Ok(u64::from(creds.uid.real)))
}

/// `geteuid()`.
pub fn geteuid() -> Result<u64, Errno> {
    with_creds(|creds| Ok(u64::from(creds.uid.effective)))
}

/// `getgid()`.
pub fn getgid() -> Result<u64, Errno> {
    with_creds(|creds| Ok(u64::from(creds.gid.real)))
}

/// `getegid()`.
pub fn getegid() -> Result<u64, Errno> {
    with_creds(|creds| Ok(u64::from(creds.gid.effective)))
}

/// `setuid(uid)`.
///
/// # Errors
///
/// `EPERM`, `EINVAL` for -1.
pub fn setuid(uid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setuid(id_arg(uid))).map(|()| 0)
}

/// `setgid(gid)`.
///
/// # Errors
///
/// `EPERM`, `EINVAL` for -1.
pub fn setgid(gid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setgid(id_arg(gid))).map(|()| 0)
}

/// `setreuid(ruid, euid)`.
///
/// # Errors
///
/// `EPERM`.
pub fn setreuid(ruid: u64, euid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setreuid(id_arg(ruid), id_arg(euid))).map(|()| 0)
}

/// `setregid(rgid, egid)`.
///
/// # Errors
///
/// `EPERM`.
pub fn setregid(rgid: u64, egid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setregid(id_arg(rgid), id_arg(egid))).map(|()| 0)
}

/// `setresuid(ruid, euid, suid)`.
///
/// # Errors
///
/// `EPERM`.
pub fn setresuid(ruid: u64, euid: u64, suid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setresuid(id_arg(ruid), id_arg(euid), id_arg(suid))).map(|()| 0)
}

/// `setresgid(rgid, egid, sgid)`.
///
/// # Errors
///
/// `EPERM`.
pub fn setresgid(rgid: u64, egid: u64, sgid: u64) -> Result<u64, Errno> {
    with_creds(|creds| creds.setresgid(id_arg(rgid), id_arg(egid), id_arg(sgid))).map(|()| 0)
}

/// Writes three ids to three user pointers (all checked first).
fn write_three(pointers: [u64; 3], ids: [u32; 3]) -> Result<u64, Errno> {
    let mut table = process::table();
    let space = table.caller()?.space;
    for pointer in pointers {
        usercopy::check_range(space, pointer, core::mem::size_of::<u32>(), true)?;
    }
    for (pointer, id) in pointers.into_iter().zip(ids) {
        usercopy::write_value(space, pointer, &id)?;
    }
    Ok(0)
}

/// `getresuid(ruid, euid, suid)`.
///
/// # Errors
///
/// `EFAULT`.
pub fn getresuid(ruid: u64, euid: u64, suid: u64) -> Result<u64, Errno> {
    let ids = with_creds(|c| Ok([c.uid.real, c.uid.effective, c.uid.saved]))?;
    write_three([ruid, euid, suid], ids)
}

/// `getresgid(rgid, egid, sgid)`.
///
/// # Errors
///
/// `EFAULT`.
pub fn getresgid(rgid: u64, egid: u64, sgid: u64) -> Result<u64, Errno> {
    let ids = with_creds(|c| Ok([c.gid.real, c.gid.effective, c.gid.saved]))?;
    write_three([rgid, egid, sgid], ids)
}
