//! Path system calls: stat, lstat, access, getcwd, chdir, fchdir, mkdir, rmdir, unlink, chmod,
//! chown, lchown, umask, rename, truncate.
//!
//! Paths are copied in (EFAULT, ENAMETOOLONG) and resolved by the
//! [`System`](shim_core::System) against the caller's working directory
//! with its effective ids (real ids for `access`). There are no symbolic
//! links, so `lstat` is `stat`.
#![forbid(unsafe_code)]

use crate::mm::usercopy;
use crate::sys::process::{self, Caller};
use libspawn::Errno;

/// Runs `f` with the caller and the path at `path`.
fn with_path<T>(
    path: u64,
    f: impl FnOnce(Caller<'_>, &[u8]) -> Result<T, Errno>,
) -> Result<T, Errno> {
    let mut table = process::table();
    let caller = table.caller()?;
    let path = usercopy::read_path(caller.space, path)?;
    f(caller, &path)
}

/// `stat(path, buf)` and `lstat(path, buf)`.
///
/// # Errors
///
/// Resolution errors (ENOENT, ENOTDIR, EACCES, ENAMETOOLONG), EFAULT.
pub fn stat(path: u64, out: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, space, system }, path| {
        let stat = system.stat(pid, path)?;
        usercopy::write_value(space, out, &stat)?;
        Ok(0)
    })
}

/// `access(path, mode)`, with the real ids.
///
/// # Errors
///
/// EACCES, ENOENT, EINVAL (bad mode), EFAULT.
pub fn access(path: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.access(pid, path, mode as i32)?;
        Ok(0)
    })
}

/// `getcwd(buf, size)`: returns the length stored, NUL included (the
/// raw Linux call's result).
///
/// # Errors
///
/// ERANGE if `size` is too small, ENOENT if the directory was removed,
/// EFAULT.
pub fn getcwd(buffer: u64, size: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let mut path = system.getcwd(pid)?;
    shim_core::fallible::push(&mut path, 0)?;
    if (size as usize) < path.len() {
        return Err(Errno::ERANGE);
    }
    usercopy::copy_to_user(space, buffer, &path)?;
    Ok(path.len() as u64)
}

/// `chdir(path)`.
///
/// # Errors
///
/// ENOENT, ENOTDIR, EACCES, EFAULT.
pub fn chdir(path: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.chdir(pid, path)?;
        Ok(0)
    })
}

/// `fchdir(fd)`.
///
/// # Errors
///
/// EBADF, ENOTDIR, EACCES.
pub fn fchdir(fd: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let (process, system) = table.current_and_system();
    system.fchdir(process.pid, fd as i32)?;
    Ok(0)
}

/// `mkdir(path, mode)`: the mode is masked by the umask.
///
/// # Errors
///
/// EEXIST, ENOENT, EACCES, ENOTDIR, EFAULT.
pub fn mkdir(path: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.mkdir(pid, path, mode as u32)?;
        Ok(0)
    })
}

/// `rmdir(path)`.
///
/// # Errors
///
/// ENOTEMPTY, EBUSY, EINVAL, ENOTDIR, ENOENT, EACCES, EPERM.
pub fn rmdir(path: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.rmdir(pid, path)?;
        Ok(0)
    })
}

/// `unlink(path)`.
///
/// # Errors
///
/// EISDIR, ENOENT, EACCES, EPERM.
pub fn unlink(path: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.unlink(pid, path)?;
        Ok(0)
    })
}

/// `chmod(path, mode)`.
///
/// # Errors
///
/// EPERM (not the owner), ENOENT, EACCES.
pub fn chmod(path: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.chmod(pid, path, mode as u32)?;
        Ok(0)
    })
}

/// An owner argument of `chown`: the low 32 bits (a `uid_t`), where -1
/// leaves the id alone.
pub fn owner_arg(value: u64) -> Option<u32> {
    let id = value as u32;
    (id != u32::MAX).then_some(id)
}

/// `chown(path, uid, gid)` and `lchown` (no symbolic links here): set-id
/// bits cleared as `shim_core`'s `vfs/setid.rs` says.
///
/// # Errors
///
/// EPERM (not allowed to give the file away or to that group), the
/// resolution errors, EFAULT.
pub fn chown(path: u64, uid: u64, gid: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.chown(pid, path, owner_arg(uid), owner_arg(gid))?;
        Ok(0)
    })
}

/// `umask(mask)`: sets the creation mask, returns the old one.
pub fn umask(mask: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let pid = table.current_mut().pid;
    // Only the permission bits count; `System::umask` drops the rest.
    let old = table.system().umask(pid, mask as u32)?;
    Ok(u64::from(old))
}

/// `rename(old, new)`.
///
/// # Errors
///
/// ENOENT, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL (a directory into itself,
/// `.` or `..`), EBUSY (`/`), EACCES, EPERM (sticky), EFAULT.
pub fn rename(old: u64, new: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let old = usercopy::read_path(space, old)?;
    let new = usercopy::read_path(space, new)?;
    system.rename(pid, &old, &new)?;
    Ok(0)
}

/// `truncate(path, length)`.
///
/// # Errors
///
/// EINVAL (negative length, not a regular file), EISDIR, EACCES, EFBIG,
/// ENOSPC, the resolution errors, EFAULT.
pub fn truncate(path: u64, length: u64) -> Result<u64, Errno> {
    let length = u64::try_from(length as i64).map_err(|_| Errno::EINVAL)?;
    with_path(path, |Caller { pid, system, .. }, path| {
        system.truncate(pid, path, length)?;
        Ok(0)
    })
}
