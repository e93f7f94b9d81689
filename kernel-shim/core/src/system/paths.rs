//! System calls on paths, each relative to the working directory or, in
//! its `*at` form, to a directory descriptor: stat, mkdir, unlink, rmdir,
//! chmod, access, rename, link, readlink, utimensat, statfs.
//!
//! A descriptor open on a directory knows its directory, so `dirfd` is a
//! full base: a relative path is resolved from it with the caller's
//! permissions (search permission on every directory on the way), an
//! absolute path ignores it, and `AT_FDCWD` is the working directory.

use libspawn::{Errno, Result};
use shim_abi::at::{AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW};
use shim_abi::Statfs;

use super::System;
use crate::fdtable::Fd;
use crate::file::FileKind;
use crate::process::Pid;
use crate::stat::Stat;
use crate::vfs::{Ino, TimeChange};

/// The flags `newfstatat` accepts.
const FSTATAT_FLAGS: i32 = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
/// The flags `faccessat2` accepts.
const FACCESSAT_FLAGS: i32 = AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
/// The flags `utimensat` accepts.
const UTIMENSAT_FLAGS: i32 = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;

impl System {
    /// Where `path` is resolved from for `pid`: the root's walk for an
    /// absolute path (`dirfd` is then not looked at, as on Linux), the
    /// working directory for `AT_FDCWD`, else the directory `dirfd` is open
    /// on: EBADF if `dirfd` is not open, ENOTDIR if it is not open on a
    /// directory.
    pub fn base(&self, pid: Pid, dirfd: Fd, path: &[u8]) -> Result<Ino> {
        let process = self.proc_ref(pid)?;
        // An empty path is ENOENT in the resolution that follows.
        if path.first().is_none_or(|&byte| byte == b'/') || dirfd == AT_FDCWD {
            return Ok(process.cwd);
        }
        self.dir_of_fd(pid, dirfd)
    }

    /// The directory `fd` is open on: EBADF, ENOTDIR.
    fn dir_of_fd(&self, pid: Pid, fd: Fd) -> Result<Ino> {
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(ino) if self.vfs.node(ino)?.is_dir() => Ok(ino),
            _ => Err(Errno::ENOTDIR),
        }
    }

    /// The inode `fd` is open on (for AT_EMPTY_PATH and a null
    /// `utimensat` path): EBADF; a pipe has none here (EINVAL).
    pub(super) fn inode_of_fd(&self, pid: Pid, fd: Fd) -> Result<Ino> {
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(ino) => Ok(ino),
            _ => Err(Errno::EINVAL),
        }
    }

    /// The inode `path` names for `pid`, from `dirfd`.
    fn resolve_at(&self, pid: Pid, dirfd: Fd, path: &[u8]) -> Result<Ino> {
        let base = self.base(pid, dirfd, path)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.resolve(base, path, who)
    }

    /// `stat(path)`.
    pub fn stat(&self, pid: Pid, path: &[u8]) -> Result<Stat> {
        self.fstatat(pid, AT_FDCWD, path, 0)
    }

    /// `newfstatat(dirfd, path, flags)`: EINVAL for flags other than
    /// AT_SYMLINK_NOFOLLOW (no links: no effect) and AT_EMPTY_PATH (an
    /// empty path is then `fstat(dirfd)`).
    pub fn fstatat(&self, pid: Pid, dirfd: Fd, path: &[u8], flags: i32) -> Result<Stat> {
        if flags & !FSTATAT_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
            return if dirfd == AT_FDCWD {
                self.vfs.stat(self.proc_ref(pid)?.cwd)
            } else {
                self.fstat(pid, dirfd)
            };
        }
        self.vfs.stat(self.resolve_at(pid, dirfd, path)?)
    }

    /// `mkdir(path, mode)`.
    pub fn mkdir(&mut self, pid: Pid, path: &[u8], mode: u32) -> Result<()> {
        self.mkdirat(pid, AT_FDCWD, path, mode)
    }

    /// `mkdirat(dirfd, path, mode)`: the mode masked by the umask.
    pub fn mkdirat(&mut self, pid: Pid, dirfd: Fd, path: &[u8], mode: u32) -> Result<()> {
        let base = self.base(pid, dirfd, path)?;
        let process = self.proc_ref(pid)?;
        let (who, umask) = (process.creds.identity(), process.umask);
        self.vfs.mkdir(base, path, mode & !umask, who).map(drop)
    }

    /// `unlink(path)`.
    pub fn unlink(&mut self, pid: Pid, path: &[u8]) -> Result<()> {
        self.unlinkat(pid, AT_FDCWD, path, 0)
    }

    /// `rmdir(path)`.
    pub fn rmdir(&mut self, pid: Pid, path: &[u8]) -> Result<()> {
        self.unlinkat(pid, AT_FDCWD, path, AT_REMOVEDIR)
    }

    /// `unlinkat(dirfd, path, flags)`: `unlink`, or `rmdir` with
    /// AT_REMOVEDIR; EINVAL for any other flag.
    pub fn unlinkat(&mut self, pid: Pid, dirfd: Fd, path: &[u8], flags: i32) -> Result<()> {
        if flags & !AT_REMOVEDIR != 0 {
            return Err(Errno::EINVAL);
        }
        let base = self.base(pid, dirfd, path)?;
        let who = self.proc_ref(pid)?.creds.identity();
        if flags & AT_REMOVEDIR != 0 {
            self.vfs.rmdir(base, path, who)
        } else {
            self.vfs.unlink(base, path, who)
        }
    }

    /// `chmod(path, mode)`.
    pub fn chmod(&mut self, pid: Pid, path: &[u8], mode: u32) -> Result<()> {
        self.fchmodat(pid, AT_FDCWD, path, mode)
    }

    /// `fchmodat(dirfd, path, mode)` (the system call has no flags).
    pub fn fchmodat(&mut self, pid: Pid, dirfd: Fd, path: &[u8], mode: u32) -> Result<()> {
        let base = self.base(pid, dirfd, path)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.chmod(base, path, mode, who)
    }

    /// `access(path, amode)`, with the real ids.
    pub fn access(&self, pid: Pid, path: &[u8], amode: i32) -> Result<()> {
        self.faccessat(pid, AT_FDCWD, path, amode, 0)
    }

    /// `faccessat2(dirfd, path, amode, flags)` (`faccessat` is flags 0):
    /// the real ids, or the effective ones with AT_EACCESS; EINVAL for an
    /// unknown flag. With AT_EMPTY_PATH an empty path checks `dirfd`'s file.
    pub fn faccessat(
        &self,
        pid: Pid,
        dirfd: Fd,
        path: &[u8],
        amode: i32,
        flags: i32,
    ) -> Result<()> {
        if flags & !FACCESSAT_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        let creds = self.proc_ref(pid)?.creds;
        let who = if flags & AT_EACCESS != 0 {
            creds.identity()
        } else {
            creds.real_identity()
        };
        if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
            let ino = match dirfd {
                AT_FDCWD => self.proc_ref(pid)?.cwd,
                fd => self.inode_of_fd(pid, fd)?,
            };
            return self.vfs.access_ino(ino, amode, who);
        }
        let base = self.base(pid, dirfd, path)?;
        self.vfs.access(base, path, amode, who)
    }

    /// `rename(old, new)` (see [`Vfs::rename`](crate::vfs::Vfs::rename)).
    pub fn rename(&mut self, pid: Pid, old: &[u8], new: &[u8]) -> Result<()> {
        self.renameat(pid, AT_FDCWD, old, AT_FDCWD, new)
    }

    /// `renameat(olddirfd, old, newdirfd, new)`.
    pub fn renameat(
        &mut self,
        pid: Pid,
        old_dirfd: Fd,
        old: &[u8],
        new_dirfd: Fd,
        new: &[u8],
    ) -> Result<()> {
        let old_base = self.base(pid, old_dirfd, old)?;
        let new_base = self.base(pid, new_dirfd, new)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.rename(old_base, old, new_base, new, who)
    }

    /// `linkat(olddirfd, old, newdirfd, new, flags)` (`link` is both
    /// `AT_FDCWD` and flags 0; see [`Vfs::link`](crate::vfs::Vfs::link)):
    /// EINVAL for flags other than AT_SYMLINK_FOLLOW (no links: no effect).
    pub fn linkat(
        &mut self,
        pid: Pid,
        old_dirfd: Fd,
        old: &[u8],
        new_dirfd: Fd,
        new: &[u8],
        flags: i32,
    ) -> Result<()> {
        if flags & !shim_abi::at::AT_SYMLINK_FOLLOW != 0 {
            return Err(Errno::EINVAL);
        }
        let old_base = self.base(pid, old_dirfd, old)?;
        let new_base = self.base(pid, new_dirfd, new)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.link(old_base, old, new_base, new, who)
    }

    /// `readlinkat(dirfd, path)`: no symbolic links exist, so EINVAL for
    /// every existing name and ENOENT for a missing one.
    pub fn readlinkat(&self, pid: Pid, dirfd: Fd, path: &[u8]) -> Result<()> {
        let base = self.base(pid, dirfd, path)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.readlink(base, path, who)
    }

    /// `utimensat(dirfd, path, times, flags)`: `path` `None` (a null
    /// pointer, Linux's `futimens`) sets `dirfd`'s own file; see
    /// [`Vfs::set_times`](crate::vfs::Vfs::set_times) for the rules. EINVAL
    /// for an unknown flag.
    pub fn utimensat(
        &mut self,
        pid: Pid,
        dirfd: Fd,
        path: Option<&[u8]>,
        times: [TimeChange; 2],
        flags: i32,
    ) -> Result<()> {
        if flags & !UTIMENSAT_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        let ino = match path {
            None => self.inode_of_fd(pid, dirfd)?,
            Some(b"") if flags & AT_EMPTY_PATH != 0 => match dirfd {
                AT_FDCWD => self.proc_ref(pid)?.cwd,
                fd => self.inode_of_fd(pid, fd)?,
            },
            Some(path) => self.resolve_at(pid, dirfd, path)?,
        };
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.set_times(ino, times[0], times[1], who)
    }

    /// `statfs(path)`: the ramfs's figures (see
    /// [`Vfs::statfs`](crate::vfs::Vfs::statfs)) once `path` resolves.
    pub fn statfs(&self, pid: Pid, path: &[u8]) -> Result<Statfs> {
        self.resolve_at(pid, AT_FDCWD, path)?;
        Ok(self.vfs.statfs())
    }

    /// `fstatfs(fd)`: the ramfs's figures, or pipefs's for a pipe (its
    /// magic number, blocks of a page, nothing else). EBADF.
    pub fn fstatfs(&self, pid: Pid, fd: Fd) -> Result<Statfs> {
        use shim_abi::statfs::{PIPEFS_MAGIC, ST_VALID};
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(_) => Ok(self.vfs.statfs()),
            FileKind::PipeRead(_) | FileKind::PipeWrite(_) => Ok(Statfs {
                f_type: PIPEFS_MAGIC,
                f_bsize: crate::stat::BLOCK_SIZE,
                f_namelen: shim_abi::NAME_MAX as i64,
                f_frsize: crate::stat::BLOCK_SIZE,
                f_flags: ST_VALID,
                ..Statfs::default()
            }),
        }
    }
}
