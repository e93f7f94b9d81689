//! Safe wrappers over the file-system calls beyond plain console I/O:
//! the `*at` forms, `getdents64`, positioned I/O, `dup3`, `link`,
//! `readlink`, `utimensat`, `statfs` and `fcntl` record locks.
//!
//! Paths are `&CStr`; directory descriptors may be [`AT_FDCWD`]. Every
//! pointer passed comes from a Rust reference, so the kernel always sees
//! valid memory.

use core::ffi::CStr;
use core::ptr;

use libspawn::Result;
use shim_abi::fcntl::{F_GETLK, F_SETLK, F_SETLKW};
use shim_abi::{Flock, Stat, Statfs, Sysno, Timespec};

use crate::arch::{syscall2, syscall3, syscall4};
use crate::sys::{check, Fd};

pub use shim_abi::at::AT_FDCWD;

/// `openat(dirfd, path, flags, mode)`.
pub fn openat(dirfd: Fd, path: &CStr, flags: i32, mode: u32) -> Result<Fd> {
    // SAFETY: `path` is a live NUL-terminated string.
    let fd = check(unsafe {
        syscall4(
            Sysno::Openat,
            dirfd as usize,
            path.as_ptr() as usize,
            flags as usize,
            mode as usize,
        )
    })?;
    Ok(fd as Fd)
}

/// `newfstatat(dirfd, path, flags)`: the file's `struct stat`.
pub fn fstatat(dirfd: Fd, path: &CStr, flags: i32) -> Result<Stat> {
    let mut stat = Stat::default();
    // SAFETY: `path` is a live C string; `stat` is a live, writable `Stat`,
    // the layout the kernel writes.
    check(unsafe {
        syscall4(
            Sysno::Newfstatat,
            dirfd as usize,
            path.as_ptr() as usize,
            &raw mut stat as usize,
            flags as usize,
        )
    })?;
    Ok(stat)
}

/// `fstat(fd)`.
pub fn fstat(fd: Fd) -> Result<Stat> {
    let mut stat = Stat::default();
    // SAFETY: `stat` is a live, writable `Stat`.
    check(unsafe { syscall2(Sysno::Fstat, fd as usize, &raw mut stat as usize) })?;
    Ok(stat)
}

/// `mkdirat(dirfd, path, mode)`.
pub fn mkdirat(dirfd: Fd, path: &CStr, mode: u32) -> Result<()> {
    // SAFETY: `path` is a live C string.
    check(unsafe {
        syscall3(
            Sysno::Mkdirat,
            dirfd as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
    .map(drop)
}

/// `unlinkat(dirfd, path, flags)` (AT_REMOVEDIR for a directory).
pub fn unlinkat(dirfd: Fd, path: &CStr, flags: i32) -> Result<()> {
    // SAFETY: `path` is a live C string.
    check(unsafe {
        syscall3(
            Sysno::Unlinkat,
            dirfd as usize,
            path.as_ptr() as usize,
            flags as usize,
        )
    })
    .map(drop)
}

/// `renameat(olddirfd, old, newdirfd, new)`.
pub fn renameat(old_dirfd: Fd, old: &CStr, new_dirfd: Fd, new: &CStr) -> Result<()> {
    // SAFETY: both paths are live C strings.
    check(unsafe {
        syscall4(
            Sysno::Renameat,
            old_dirfd as usize,
            old.as_ptr() as usize,
            new_dirfd as usize,
            new.as_ptr() as usize,
        )
    })
    .map(drop)
}

/// `faccessat(dirfd, path, mode)`, with the real ids.
pub fn faccessat(dirfd: Fd, path: &CStr, mode: i32) -> Result<()> {
    // SAFETY: `path` is a live C string.
    check(unsafe {
        syscall3(
            Sysno::Faccessat,
            dirfd as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
    .map(drop)
}

/// `fchmodat(dirfd, path, mode)`.
pub fn fchmodat(dirfd: Fd, path: &CStr, mode: u32) -> Result<()> {
    // SAFETY: `path` is a live C string.
    check(unsafe {
        syscall3(
            Sysno::Fchmodat,
            dirfd as usize,
            path.as_ptr() as usize,
            mode as usize,
        )
    })
    .map(drop)
}

/// `link(old, new)`.
pub fn link(old: &CStr, new: &CStr) -> Result<()> {
    // SAFETY: both paths are live C strings.
    check(unsafe { syscall2(Sysno::Link, old.as_ptr() as usize, new.as_ptr() as usize) }).map(drop)
}

/// `readlinkat(dirfd, path, buf)`: the link's length (there are no
/// links here: always an error).
pub fn readlinkat(dirfd: Fd, path: &CStr, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `path` is a live C string; `buf` is writable for its length.
    check(unsafe {
        syscall4(
            Sysno::Readlinkat,
            dirfd as usize,
            path.as_ptr() as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// `dup3(fd, new_fd, flags)`.
pub fn dup3(fd: Fd, new_fd: Fd, flags: i32) -> Result<Fd> {
    // SAFETY: no pointers are passed.
    check(unsafe { syscall3(Sysno::Dup3, fd as usize, new_fd as usize, flags as usize) })
        .map(|fd| fd as Fd)
}

/// `lseek(fd, offset, whence)`: the new offset.
pub fn lseek(fd: Fd, offset: i64, whence: i32) -> Result<u64> {
    // SAFETY: no pointers are passed.
    check(unsafe { syscall3(Sysno::Lseek, fd as usize, offset as usize, whence as usize) })
        .map(|at| at as u64)
}

/// `pread64(fd, buf, offset)`: bytes read.
pub fn pread(fd: Fd, buf: &mut [u8], offset: i64) -> Result<usize> {
    // SAFETY: `buf` is writable for its length.
    check(unsafe {
        syscall4(
            Sysno::Pread64,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
            offset as usize,
        )
    })
}

/// `pwrite64(fd, bytes, offset)`: bytes written.
pub fn pwrite(fd: Fd, bytes: &[u8], offset: i64) -> Result<usize> {
    // SAFETY: `bytes` is readable for its length.
    check(unsafe {
        syscall4(
            Sysno::Pwrite64,
            fd as usize,
            bytes.as_ptr() as usize,
            bytes.len(),
            offset as usize,
        )
    })
}

/// `getdents64(fd, buf)`: bytes of `linux_dirent64` records filled (0 at
/// the end); [`Dirents`] walks them.
pub fn getdents64(fd: Fd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is writable for its length.
    check(unsafe {
        syscall3(
            Sysno::Getdents64,
            fd as usize,
            buf.as_mut_ptr() as usize,
            buf.len(),
        )
    })
}

/// One `linux_dirent64` record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dirent<'a> {
    /// `d_ino`.
    pub ino: u64,
    /// `d_off`: where the next record starts.
    pub off: i64,
    /// `d_type`.
    pub kind: u8,
    /// The name, without its NUL.
    pub name: &'a [u8],
}

/// The records `getdents64` filled a buffer with.
pub struct Dirents<'a> {
    rest: &'a [u8],
}

impl<'a> Dirents<'a> {
    /// Walks `filled` (the bytes `getdents64` returned).
    pub fn new(filled: &'a [u8]) -> Dirents<'a> {
        Dirents { rest: filled }
    }
}

impl<'a> Iterator for Dirents<'a> {
    type Item = Dirent<'a>;

    fn next(&mut self) -> Option<Dirent<'a>> {
        use shim_abi::dirent::{D_OFF_OFFSET, D_RECLEN_OFFSET, D_TYPE_OFFSET, HEADER_SIZE};
        let header = self.rest.get(..HEADER_SIZE)?;
        let word = |at: usize| {
            let mut bytes = [0; 8];
            bytes.copy_from_slice(&header[at..at + 8]);
            bytes
        };
        let len = usize::from(u16::from_ne_bytes([
            header[D_RECLEN_OFFSET],
            header[D_RECLEN_OFFSET + 1],
        ]));
        let record = self.rest.get(..len.max(HEADER_SIZE))?;
        let name = &record[HEADER_SIZE..];
        let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
        self.rest = &self.rest[len.max(HEADER_SIZE)..];
        Some(Dirent {
            ino: u64::from_ne_bytes(word(0)),
            off: i64::from_ne_bytes(word(D_OFF_OFFSET)),
            kind: header[D_TYPE_OFFSET],
            name,
        })
    }
}

/// `utimensat(dirfd, path, times, flags)`: `path` `None` sets `dirfd`'s
/// own file; `times` `None` sets both times to now.
pub fn utimensat(
    dirfd: Fd,
    path: Option<&CStr>,
    times: Option<&[Timespec; 2]>,
    flags: i32,
) -> Result<()> {
    let path = path.map_or(ptr::null(), CStr::as_ptr);
    let times = times.map_or(ptr::null(), |times| times as *const [Timespec; 2]);
    // SAFETY: `path` is null or a live C string; `times` is null or a live
    // array of two `Timespec`s, the layout the kernel reads.
    check(unsafe {
        syscall4(
            Sysno::Utimensat,
            dirfd as usize,
            path as usize,
            times as usize,
            flags as usize,
        )
    })
    .map(drop)
}

/// `statfs(path)`.
pub fn statfs(path: &CStr) -> Result<Statfs> {
    let mut answer = Statfs::default();
    // SAFETY: `path` is a live C string; `answer` a live, writable
    // `Statfs`, the layout the kernel writes.
    check(unsafe {
        syscall2(
            Sysno::Statfs,
            path.as_ptr() as usize,
            &raw mut answer as usize,
        )
    })?;
    Ok(answer)
}

/// `fcntl(fd, F_GETLK, flock)`: the lock in the way, or `flock` with
/// `l_type` F_UNLCK.
pub fn getlk(fd: Fd, flock: Flock) -> Result<Flock> {
    let mut answer = flock;
    // SAFETY: `answer` is a live, writable `Flock`, the layout the kernel
    // reads and writes.
    check(unsafe {
        syscall3(
            Sysno::Fcntl,
            fd as usize,
            F_GETLK as usize,
            &raw mut answer as usize,
        )
    })?;
    Ok(answer)
}

/// `fcntl(fd, F_SETLK or F_SETLKW, flock)` (`wait` chooses F_SETLKW).
pub fn setlk(fd: Fd, flock: &Flock, wait: bool) -> Result<()> {
    let cmd = if wait { F_SETLKW } else { F_SETLK };
    // SAFETY: `flock` is a live `Flock`, the layout the kernel reads.
    check(unsafe {
        syscall3(
            Sysno::Fcntl,
            fd as usize,
            cmd as usize,
            flock as *const Flock as usize,
        )
    })
    .map(drop)
}
