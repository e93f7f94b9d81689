//! Path system calls: stat, lstat, access, getcwd, chdir, fchdir, mkdir, rmdir, unlink, chmod,
//! chown, lchown, umask, rename, truncate, link, readlink, statfs, and the `*at` forms openat,
//! newfstatat, mkdirat, unlinkat, renameat, linkat, readlinkat, fchmodat, faccessat,
//! faccessat2, utimensat.
//!
//! Paths are copied in (EFAULT, ENAMETOOLONG) and resolved by the
//! [`System`](shim_core::System) against the caller's working directory
//! (or, for the `*at` forms, the directory `dirfd` is open on; see
//! [`System::base`](shim_core::System::base)) with its effective ids (real
//! ids for `access` and `faccessat`). There are no symbolic links, so
//! `lstat` is `stat`, AT_SYMLINK_NOFOLLOW changes nothing and `readlink`
//! finds no link.
#![forbid(unsafe_code)]

use crate::mm::usercopy;
use crate::sys::process::{self, Caller};
use libspawn::Errno;
use shim_abi::at::{AT_FDCWD, UTIME_NOW, UTIME_OMIT};
use shim_abi::{Timespec, NANOS_PER_SEC};
use shim_core::vfs::TimeChange;

/// A descriptor argument (`dirfd`): the low 32 bits, as Linux reads an
/// `int` (`files.rs` imports from here, so this file does not import
/// `files::fd_arg`).
fn fd_arg(value: u64) -> i32 {
    value as i32
}

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

/// `openat(dirfd, path, flags, mode)` (open(2)): `open` from `dirfd`.
///
/// # Errors
///
/// As `open`, and `EBADF`/`ENOTDIR` for `dirfd`.
pub fn openat(dirfd: u64, path: u64, flags: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        let fd = system.openat(pid, fd_arg(dirfd), path, flags as i32, mode as u32)?;
        Ok(fd as u64)
    })
}

/// `newfstatat(dirfd, path, buf, flags)` (stat(2)): flags
/// AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
///
/// # Errors
///
/// As `stat`, `EBADF`/`ENOTDIR` for `dirfd`, `EINVAL` (flags).
pub fn newfstatat(dirfd: u64, path: u64, out: u64, flags: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, space, system }, path| {
        let stat = system.fstatat(pid, fd_arg(dirfd), path, flags as i32)?;
        usercopy::write_value(space, out, &stat)?;
        Ok(0)
    })
}

/// `mkdirat(dirfd, path, mode)` (mkdir(2)).
///
/// # Errors
///
/// As `mkdir`, and `EBADF`/`ENOTDIR` for `dirfd`.
pub fn mkdirat(dirfd: u64, path: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.mkdirat(pid, fd_arg(dirfd), path, mode as u32)?;
        Ok(0)
    })
}

/// `unlinkat(dirfd, path, flags)` (unlink(2)): `rmdir` with
/// AT_REMOVEDIR.
///
/// # Errors
///
/// As `unlink` or `rmdir`, `EBADF`/`ENOTDIR` for `dirfd`, `EINVAL`
/// (flags).
pub fn unlinkat(dirfd: u64, path: u64, flags: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.unlinkat(pid, fd_arg(dirfd), path, flags as i32)?;
        Ok(0)
    })
}

/// `renameat(olddirfd, old, newdirfd, new)` (rename(2)).
///
/// # Errors
///
/// As `rename`, and `EBADF`/`ENOTDIR` for either directory.
pub fn renameat(old_dirfd: u64, old: u64, new_dirfd: u64, new: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let old = usercopy::read_path(space, old)?;
    let new = usercopy::read_path(space, new)?;
    system.renameat(pid, fd_arg(old_dirfd), &old, fd_arg(new_dirfd), &new)?;
    Ok(0)
}

/// `link(old, new)` (link(2)).
///
/// # Errors
///
/// `EEXIST`, `EPERM` (a directory), `ENOENT`, `ENOTDIR`, `EACCES`,
/// `EMLINK`, `ENOSPC`, `EFAULT`, `ENAMETOOLONG`.
pub fn link(old: u64, new: u64) -> Result<u64, Errno> {
    linkat(AT_FDCWD as u64, old, AT_FDCWD as u64, new, 0)
}

/// `linkat(olddirfd, old, newdirfd, new, flags)` (link(2)): flag
/// AT_SYMLINK_FOLLOW only.
///
/// # Errors
///
/// As `link`, `EBADF`/`ENOTDIR` for either directory, `EINVAL` (flags).
pub fn linkat(
    old_dirfd: u64,
    old: u64,
    new_dirfd: u64,
    new: u64,
    flags: u64,
) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let old = usercopy::read_path(space, old)?;
    let new = usercopy::read_path(space, new)?;
    system.linkat(
        pid,
        fd_arg(old_dirfd),
        &old,
        fd_arg(new_dirfd),
        &new,
        flags as i32,
    )?;
    Ok(0)
}

/// `readlink(path, buf, size)` (readlink(2)).
///
/// # Errors
///
/// `EINVAL` (`size` not positive; every existing name: there are no
/// symbolic links), `ENOENT`, the resolution errors, `EFAULT`.
pub fn readlink(path: u64, buffer: u64, size: u64) -> Result<u64, Errno> {
    readlinkat(AT_FDCWD as u64, path, buffer, size)
}

/// `readlinkat(dirfd, path, buf, size)` (readlink(2)).
///
/// # Errors
///
/// As `readlink`, and `EBADF`/`ENOTDIR` for `dirfd`.
pub fn readlinkat(dirfd: u64, path: u64, _buffer: u64, size: u64) -> Result<u64, Errno> {
    if size as i32 <= 0 {
        return Err(Errno::EINVAL);
    }
    with_path(path, |Caller { pid, system, .. }, path| {
        system.readlinkat(pid, fd_arg(dirfd), path)?;
        Ok(0)
    })
}

/// `fchmodat(dirfd, path, mode)` (chmod(2); the system call has no flags).
///
/// # Errors
///
/// As `chmod`, and `EBADF`/`ENOTDIR` for `dirfd`.
pub fn fchmodat(dirfd: u64, path: u64, mode: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.fchmodat(pid, fd_arg(dirfd), path, mode as u32)?;
        Ok(0)
    })
}

/// `faccessat(dirfd, path, mode)` and `faccessat2(dirfd, path, mode,
/// flags)` (access(2)): the real ids, the effective ones with AT_EACCESS.
///
/// # Errors
///
/// As `access`, `EBADF`/`ENOTDIR` for `dirfd`, `EINVAL` (flags).
pub fn faccessat(dirfd: u64, path: u64, mode: u64, flags: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, system, .. }, path| {
        system.faccessat(pid, fd_arg(dirfd), path, mode as i32, flags as i32)?;
        Ok(0)
    })
}

/// One `utimensat` time: UTIME_OMIT, UTIME_NOW, or a time whose
/// nanoseconds lie in `0..NANOS_PER_SEC` (EINVAL otherwise).
fn time_change(time: Timespec) -> Result<TimeChange, Errno> {
    match time.tv_nsec {
        UTIME_OMIT => Ok(TimeChange::Omit),
        UTIME_NOW => Ok(TimeChange::Now),
        nanos if (0..NANOS_PER_SEC).contains(&nanos) => Ok(TimeChange::To(time)),
        _ => Err(Errno::EINVAL),
    }
}

/// `utimensat(dirfd, path, times, flags)` (utimensat(2)): sets the
/// access and modification times (`times` null: both to now; UTIME_NOW,
/// UTIME_OMIT); a null `path` sets `dirfd`'s own file (`futimens`).
///
/// # Errors
///
/// `EINVAL` (bad nanoseconds or flags), `EPERM` (explicit times, not the
/// owner), `EACCES` (the current time, neither owner nor writer),
/// `EBADF`, `ENOTDIR`, the resolution errors, `EFAULT`.
pub fn utimensat(dirfd: u64, path: u64, times: u64, flags: u64) -> Result<u64, Errno> {
    let mut table = process::table();
    let Caller { pid, space, system } = table.caller()?;
    let changes = if times == 0 {
        [TimeChange::Now; 2]
    } else {
        let [atime, mtime]: [Timespec; 2] = usercopy::read_value(space, times)?;
        [time_change(atime)?, time_change(mtime)?]
    };
    let path = match path {
        0 => None,
        address => Some(usercopy::read_path(space, address)?),
    };
    system.utimensat(pid, fd_arg(dirfd), path.as_deref(), changes, flags as i32)?;
    Ok(0)
}

/// `statfs(path, buf)` (statfs(2)).
///
/// # Errors
///
/// The resolution errors, `EFAULT`.
pub fn statfs(path: u64, out: u64) -> Result<u64, Errno> {
    with_path(path, |Caller { pid, space, system }, path| {
        let answer = system.statfs(pid, path)?;
        usercopy::write_value(space, out, &answer)?;
        Ok(0)
    })
}
