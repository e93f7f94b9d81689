//! System calls on descriptors and paths: open, close, read, write, lseek,
//! dup, dup2, fcntl, pipe, stat, fstat, chdir, fchdir, getcwd, mkdir,
//! unlink, rmdir, chmod, fchmod, access, rename, truncate, ftruncate, fsync.

use alloc::vec::Vec;
use libspawn::{Errno, Result};
use shim_abi::at::AT_FDCWD;
use shim_abi::fcntl::{
    FD_CLOEXEC, F_DUPFD, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_CLOEXEC, O_NONBLOCK, O_RDONLY,
    O_WRONLY,
};
use shim_abi::mode::S_IFIFO;
use shim_abi::poll::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM, POLLWRNORM};
use shim_abi::seek::{SEEK_CUR, SEEK_END, SEEK_SET};
use shim_abi::signal::SIGPIPE;

use super::{release_file, System};
use crate::fdtable::{Fd, FdEntry};
use crate::file::{FileId, FileKind, OpenFile, SETFL_FLAGS};
use crate::io::Io;
use crate::process::{Pid, Process};
use crate::stat::{Stat, BLOCK_SIZE, PIPEFS_DEV};
use crate::vfs::{Content, Device, Ino};

/// Permission bits a pipe reports (`rw-------`).
const PIPE_PERM: u32 = 0o600;
/// The flags `pipe2` accepts.
const PIPE2_FLAGS: i32 = O_CLOEXEC | O_NONBLOCK;

impl System {
    pub(super) fn proc_ref(&self, pid: Pid) -> Result<&Process> {
        self.process(pid)
    }

    /// The description behind `fd` of `pid`.
    pub(super) fn file_of(&self, pid: Pid, fd: Fd) -> Result<FileId> {
        Ok(self.proc_ref(pid)?.fds.get(fd)?.file)
    }

    /// `open(path, flags, mode)`: the lowest free descriptor, FD_CLOEXEC if
    /// O_CLOEXEC. EMFILE when the table is full and ENFILE when the system
    /// is (both checked before anything is created), then the VFS errors
    /// (see [`Vfs::open`](crate::vfs::Vfs::open)).
    pub fn open(&mut self, pid: Pid, path: &[u8], flags: i32, mode: u32) -> Result<Fd> {
        self.openat(pid, AT_FDCWD, path, flags, mode)
    }

    /// `openat(dirfd, path, flags, mode)`: [`System::open`] with a
    /// relative `path` resolved from `dirfd` (see [`System::base`]).
    pub fn openat(
        &mut self,
        pid: Pid,
        dirfd: Fd,
        path: &[u8],
        flags: i32,
        mode: u32,
    ) -> Result<Fd> {
        let base = self.base(pid, dirfd, path)?;
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let files = &mut self.files;
        let fd = process.fds.reserve_lowest(0, |id| files.retain(id))?;
        if self.files.is_full() {
            return Err(Errno::ENFILE);
        }
        let who = process.creds.identity();
        // The creation mask only matters when the open creates the file.
        let opened = self
            .vfs
            .open(base, path, flags, mode & !process.umask, who)?;
        self.install_new(pid, fd, FileKind::Inode(opened.ino), flags)
    }

    /// Gives up the hold a description on `kind` would have had.
    fn release_kind(&mut self, kind: FileKind) {
        match kind {
            FileKind::Inode(ino) => self.vfs.unpin(ino),
            FileKind::PipeRead(pipe) => self.pipes.drop_reader(pipe),
            FileKind::PipeWrite(pipe) => self.pipes.drop_writer(pipe),
        }
    }

    /// Makes a description for `kind` and puts it on the reserved `fd`.
    /// For a pipe end, the pipe's count for that end is taken over (and
    /// dropped on failure); an inode is pinned here.
    fn install_new(&mut self, pid: Pid, fd: Fd, kind: FileKind, flags: i32) -> Result<Fd> {
        if let FileKind::Inode(ino) = kind {
            self.vfs.pin(ino)?;
        }
        let id = match self.files.insert(kind, flags) {
            Ok(id) => id,
            Err(errno) => {
                self.release_kind(kind);
                return Err(errno);
            }
        };
        let entry = FdEntry {
            file: id,
            cloexec: flags & O_CLOEXEC != 0,
        };
        self.put(pid, fd, entry)?;
        Ok(fd)
    }

    /// Puts `entry` on `fd` (whose storage is reserved or which is open),
    /// releasing what was there; on failure releases `entry`'s reference.
    fn put(&mut self, pid: Pid, fd: Fd, entry: FdEntry) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH);
        let files = &mut self.files;
        let installed = process.and_then(|p| p.fds.install(fd, entry, |id| files.retain(id)));
        self.settle_put(pid, entry, installed)
    }

    /// What follows putting `entry` on a descriptor of `pid`
    /// (`installed`, the table's answer): the descriptor it replaced is
    /// released, or on failure `entry`'s reference.
    #[inline(always)] // Mostly `Ok(None)`: nothing to do, no call.
    fn settle_put(
        &mut self,
        pid: Pid,
        entry: FdEntry,
        installed: Result<Option<FdEntry>>,
    ) -> Result<()> {
        match installed {
            Ok(Some(old)) => {
                self.release_locks_of(pid, old.file);
                release_file(&mut self.files, &mut self.vfs, &mut self.pipes, old.file);
            }
            Ok(None) => {}
            Err(errno) => {
                release_file(&mut self.files, &mut self.vfs, &mut self.pipes, entry.file);
                return Err(errno);
            }
        }
        Ok(())
    }

    /// `close(fd)`: EBADF if it is not open.
    pub fn close(&mut self, pid: Pid, fd: Fd) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let files = &mut self.files;
        let entry = process.fds.remove(fd, |id| files.retain(id))?;
        self.release_locks_of(pid, entry.file);
        release_file(&mut self.files, &mut self.vfs, &mut self.pipes, entry.file);
        Ok(())
    }

    /// Drops `pid`'s record locks on the file of description `id` (one
    /// of its descriptors for it is closing).
    fn release_locks_of(&mut self, pid: Pid, id: FileId) {
        // Nothing to look up when nobody holds a lock (a spawn's close
        // actions, most closes).
        if self.locks.is_empty() {
            return;
        }
        if let Ok(file) = self.files.get(id) {
            let kind = file.kind;
            self.release_locks(pid, kind);
        }
    }

    /// `read(fd, buf)`: EBADF unless open for reading; EISDIR on a
    /// directory. Pipes may block (see [`Io`]); the console is the
    /// kernel's. A regular file's offset advances.
    pub fn read(&mut self, pid: Pid, fd: Fd, buf: &mut [u8]) -> Result<Io> {
        let id = self.file_of(pid, fd)?;
        let file = *self.files.get(id)?;
        if !file.readable() {
            return Err(Errno::EBADF);
        }
        match file.kind {
            FileKind::PipeRead(pipe) => self.pipes.read(pipe, buf, file.nonblocking()),
            FileKind::PipeWrite(_) => Err(Errno::EBADF),
            FileKind::Inode(ino) => match self.vfs.node(ino)?.content {
                Content::Device(Device::Console) => Ok(Io::Console),
                Content::Device(Device::Host(stream)) => Ok(Io::Host(stream)),
                _ => {
                    let count = self.vfs.read_at(ino, file.offset, buf)?;
                    self.files.get_mut(id)?.offset = file.offset + count as u64;
                    Ok(Io::Done(count))
                }
            },
        }
    }

    /// `poll`'s answer for descriptor `fd` of `pid` (poll(2)): the bits of
    /// `events` that hold now, plus POLLERR, POLLHUP and POLLNVAL whatever
    /// `events` asks. A descriptor that is not open is POLLNVAL. Files,
    /// directories and devices are always ready for reading and writing
    /// (as Linux's default for files without a poll method); pipes report
    /// their state ([`PipeTable::poll_read_end`](crate::pipe::PipeTable::poll_read_end),
    /// [`PipeTable::poll_write_end`](crate::pipe::PipeTable::poll_write_end)).
    pub fn poll_events(&self, pid: Pid, fd: Fd, events: i16) -> i16 {
        let Some(file) = self
            .file_of(pid, fd)
            .ok()
            .and_then(|id| self.files.get(id).ok())
        else {
            return POLLNVAL;
        };
        let state = match file.kind {
            FileKind::PipeRead(pipe) => self.pipes.poll_read_end(pipe),
            FileKind::PipeWrite(pipe) => self.pipes.poll_write_end(pipe),
            FileKind::Inode(_) => POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM,
        };
        (state & events) | (state & (POLLERR | POLLHUP))
    }

    /// `write(fd, bytes)`: EBADF unless open for writing. O_APPEND writes
    /// at the end. Writing a file clears its set-id bits as
    /// `vfs/setid.rs` says. A pipe without readers is EPIPE and makes SIGPIPE
    /// pending on the writer; a full pipe may block (see [`Io`]).
    pub fn write(&mut self, pid: Pid, fd: Fd, bytes: &[u8]) -> Result<Io> {
        let id = self.file_of(pid, fd)?;
        let file = *self.files.get(id)?;
        if !file.writable() {
            return Err(Errno::EBADF);
        }
        match file.kind {
            FileKind::PipeWrite(pipe) => {
                let result = self.pipes.write(pipe, bytes, file.nonblocking());
                if result == Err(Errno::EPIPE) {
                    self.process_mut(pid)?.signals.generate(SIGPIPE)?;
                }
                result
            }
            FileKind::PipeRead(_) => Err(Errno::EBADF),
            FileKind::Inode(ino) => match self.vfs.node(ino)?.content {
                Content::Device(Device::Console) => Ok(Io::Console),
                Content::Device(Device::Host(stream)) => Ok(Io::Host(stream)),
                Content::Device(Device::Null | Device::Zero) => Ok(Io::Done(bytes.len())),
                _ => {
                    let at = if file.append() {
                        self.vfs.node(ino)?.size()
                    } else {
                        file.offset
                    };
                    let count = self.vfs.write_at(ino, at, bytes)?;
                    self.files.get_mut(id)?.offset = at + count as u64;
                    if count > 0 {
                        let who = self.proc_ref(pid)?.creds.identity();
                        self.vfs.clear_setid_after_write(ino, who)?;
                    }
                    Ok(Io::Done(count))
                }
            },
        }
    }

    /// `lseek(fd, offset, whence)`: the new offset. EINVAL for an unknown
    /// `whence` or a negative result, ESPIPE on a pipe or the console;
    /// `/dev/null` and `/dev/zero` always report 0. On a directory the
    /// offset is a listing position (`getdents64`'s `d_off`): SEEK_SET and
    /// SEEK_CUR only (SEEK_END is EINVAL, as on Linux's tmpfs).
    pub fn lseek(&mut self, pid: Pid, fd: Fd, offset: i64, whence: i32) -> Result<u64> {
        let id = self.file_of(pid, fd)?;
        let file = *self.files.get(id)?;
        let FileKind::Inode(ino) = file.kind else {
            return Err(Errno::ESPIPE);
        };
        let node = self.vfs.node(ino)?;
        match node.content {
            Content::Device(Device::Console | Device::Host(_)) => return Err(Errno::ESPIPE),
            Content::Device(Device::Null | Device::Zero) => return Ok(0),
            Content::Dir(_) if whence == SEEK_END => return Err(Errno::EINVAL),
            _ => {}
        }
        let base = match whence {
            SEEK_SET => 0,
            SEEK_CUR => file.offset,
            SEEK_END => node.size(),
            _ => return Err(Errno::EINVAL),
        };
        let target = i64::try_from(base)
            .ok()
            .and_then(|base| base.checked_add(offset))
            .filter(|&target| target >= 0)
            .ok_or(Errno::EINVAL)?;
        self.files.get_mut(id)?.offset = target as u64;
        Ok(target as u64)
    }

    /// Copies `fd` to the lowest free descriptor `>= min`, without
    /// FD_CLOEXEC unless `cloexec`.
    fn dup_from(&mut self, pid: Pid, fd: Fd, min: Fd, cloexec: bool) -> Result<Fd> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let entry = process.fds.get(fd)?;
        let files = &mut self.files;
        let new_fd = process.fds.reserve_lowest(min, |id| files.retain(id))?;
        self.files.retain(entry.file);
        self.put(
            pid,
            new_fd,
            FdEntry {
                file: entry.file,
                cloexec,
            },
        )?;
        Ok(new_fd)
    }

    /// `dup(fd)`: the lowest free descriptor, sharing the description.
    /// EBADF, EMFILE.
    pub fn dup(&mut self, pid: Pid, fd: Fd) -> Result<Fd> {
        self.dup_from(pid, fd, 0, false)
    }

    /// `dup2(fd, new_fd)`: `new_fd` (closed first if open) shares `fd`'s
    /// description, without FD_CLOEXEC. EBADF if `fd` is not open or
    /// `new_fd` is out of range; the same descriptor twice returns it
    /// unchanged.
    pub fn dup2(&mut self, pid: Pid, fd: Fd, new_fd: Fd) -> Result<Fd> {
        self.dup_to(pid, fd, new_fd, false)
    }

    /// `dup3(fd, new_fd, flags)`: `dup2`, FD_CLOEXEC on `new_fd` if
    /// `flags` is O_CLOEXEC. EINVAL for any other flag and for the same
    /// descriptor twice; EBADF as `dup2`.
    pub fn dup3(&mut self, pid: Pid, fd: Fd, new_fd: Fd, flags: i32) -> Result<Fd> {
        if flags & !O_CLOEXEC != 0 || fd == new_fd {
            return Err(Errno::EINVAL);
        }
        self.dup_to(pid, fd, new_fd, flags & O_CLOEXEC != 0)
    }

    /// `new_fd` (closed first if open) shares `fd`'s description, with
    /// FD_CLOEXEC as `cloexec` says; the same descriptor twice returns it
    /// unchanged.
    fn dup_to(&mut self, pid: Pid, fd: Fd, new_fd: Fd, cloexec: bool) -> Result<Fd> {
        // One lookup of the process for the whole call (this is every
        // `dup2` file action of a spawn): `put`'s work, on it.
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let entry = process.fds.get(fd)?;
        if !(0..shim_abi::OPEN_MAX).contains(&new_fd) {
            return Err(Errno::EBADF);
        }
        if fd == new_fd {
            return Ok(new_fd);
        }
        self.files.retain(entry.file);
        let new = FdEntry {
            file: entry.file,
            cloexec,
        };
        let files = &mut self.files;
        let installed = process.fds.install(new_fd, new, |id| files.retain(id));
        self.settle_put(pid, new, installed)?;
        Ok(new_fd)
    }

    /// The description behind `fd` for a positioned transfer
    /// (`pread64`/`pwrite64`): EINVAL for a negative offset, EBADF, ESPIPE
    /// on a pipe or the console.
    fn positioned(&self, pid: Pid, fd: Fd, offset: i64) -> Result<(OpenFile, Ino)> {
        if offset < 0 {
            return Err(Errno::EINVAL);
        }
        let file = *self.files.get(self.file_of(pid, fd)?)?;
        match file.kind {
            FileKind::Inode(ino)
                if self.vfs.node(ino)?.content != Content::Device(Device::Console) =>
            {
                Ok((file, ino))
            }
            _ => Err(Errno::ESPIPE),
        }
    }

    /// `pread64(fd, buf, offset)` (pread(2)): reads at `offset` without
    /// moving the file offset. EINVAL (negative offset), EBADF (not open
    /// for reading), ESPIPE (pipe, console), EISDIR.
    pub fn pread(&mut self, pid: Pid, fd: Fd, buf: &mut [u8], offset: i64) -> Result<usize> {
        let (file, ino) = self.positioned(pid, fd, offset)?;
        if !file.readable() {
            return Err(Errno::EBADF);
        }
        self.vfs.read_at(ino, offset as u64, buf)
    }

    /// `pwrite64(fd, bytes, offset)` (pwrite(2)): writes at `offset`
    /// without moving the file offset; with O_APPEND at the end instead,
    /// as Linux does. Errors as [`System::pread`] (EBADF unless open for
    /// writing), and EFBIG, ENOSPC. Clears set-id bits as `write` does.
    pub fn pwrite(&mut self, pid: Pid, fd: Fd, bytes: &[u8], offset: i64) -> Result<usize> {
        let (file, ino) = self.positioned(pid, fd, offset)?;
        if !file.writable() {
            return Err(Errno::EBADF);
        }
        let node = self.vfs.node(ino)?;
        if let Content::Device(_) = node.content {
            return Ok(bytes.len());
        }
        let at = if file.append() {
            node.size()
        } else {
            offset as u64
        };
        let count = self.vfs.write_at(ino, at, bytes)?;
        if count > 0 {
            let who = self.proc_ref(pid)?.creds.identity();
            self.vfs.clear_setid_after_write(ino, who)?;
        }
        Ok(count)
    }

    /// `getdents64(fd, buf)` (getdents(2)): fills `buf` with
    /// `linux_dirent64` records (see [`shim_abi::dirent`]) from the
    /// description's position on, `.` and `..` first, and moves the
    /// position past the last one; returns the bytes filled, 0 at the end.
    /// ENOTDIR unless `fd` is open on a directory, EINVAL if `buf` cannot
    /// hold the next record, EBADF.
    pub fn getdents(&mut self, pid: Pid, fd: Fd, buf: &mut [u8]) -> Result<usize> {
        use shim_abi::dirent::HEADER_SIZE;
        use shim_abi::dirent::{record_len, D_OFF_OFFSET, D_RECLEN_OFFSET, D_TYPE_OFFSET};
        let id = self.file_of(pid, fd)?;
        let file = *self.files.get(id)?;
        let FileKind::Inode(dir) = file.kind else {
            return Err(Errno::ENOTDIR);
        };
        let (mut used, mut position, mut too_small) = (0, file.offset, false);
        self.vfs.list(dir, file.offset, |entry| {
            let len = record_len(entry.name.len());
            let Some(record) = buf.get_mut(used..used + len) else {
                too_small = used == 0;
                return false;
            };
            record.fill(0);
            record[..D_OFF_OFFSET].copy_from_slice(&entry.ino.number().to_ne_bytes());
            record[D_OFF_OFFSET..D_RECLEN_OFFSET]
                .copy_from_slice(&(entry.next as i64).to_ne_bytes());
            record[D_RECLEN_OFFSET..D_TYPE_OFFSET].copy_from_slice(&(len as u16).to_ne_bytes());
            record[D_TYPE_OFFSET] = entry.kind;
            record[HEADER_SIZE..HEADER_SIZE + entry.name.len()].copy_from_slice(entry.name);
            used += len;
            position = entry.next;
            true
        })?;
        if too_small {
            return Err(Errno::EINVAL);
        }
        self.files.get_mut(id)?.offset = position;
        Ok(used)
    }

    /// `fcntl(fd, cmd, arg)`: F_DUPFD (EINVAL for `arg` outside
    /// `0..OPEN_MAX`, EMFILE), F_GETFD, F_SETFD, F_GETFL, F_SETFL (only
    /// O_APPEND and O_NONBLOCK change). EBADF, EINVAL for another `cmd`.
    pub fn fcntl(&mut self, pid: Pid, fd: Fd, cmd: i32, arg: i32) -> Result<i32> {
        let entry = self.proc_ref(pid)?.fds.get(fd)?;
        match cmd {
            F_DUPFD => self.dup_from(pid, fd, arg, false),
            F_GETFD => Ok(if entry.cloexec { FD_CLOEXEC } else { 0 }),
            F_SETFD => {
                self.set_cloexec(pid, fd, arg & FD_CLOEXEC != 0)?;
                Ok(0)
            }
            F_GETFL => Ok(self.files.get(entry.file)?.flags),
            F_SETFL => {
                let file = self.files.get_mut(entry.file)?;
                file.flags = (file.flags & !SETFL_FLAGS) | (arg & SETFL_FLAGS);
                Ok(0)
            }
            _ => Err(Errno::EINVAL),
        }
    }

    /// Clears FD_CLOEXEC on `fd` (`fcntl(fd, F_SETFD, 0)`).
    pub fn clear_cloexec(&mut self, pid: Pid, fd: Fd) -> Result<()> {
        self.set_cloexec(pid, fd, false)
    }

    /// Sets or clears FD_CLOEXEC on `fd`.
    fn set_cloexec(&mut self, pid: Pid, fd: Fd, cloexec: bool) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let files = &mut self.files;
        process.fds.set_cloexec(fd, cloexec, |id| files.retain(id))
    }

    /// `pipe2(flags)`: `[read end, write end]` on the two lowest free
    /// descriptors. EINVAL for flags other than O_CLOEXEC and O_NONBLOCK;
    /// EMFILE (nothing created) if fewer than two descriptors are free;
    /// ENFILE.
    pub fn pipe(&mut self, pid: Pid, flags: i32) -> Result<[Fd; 2]> {
        if flags & !PIPE2_FLAGS != 0 {
            return Err(Errno::EINVAL);
        }
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let files = &mut self.files;
        let read_fd = process.fds.reserve_lowest(0, |id| files.retain(id))?;
        let write_fd = match process
            .fds
            .reserve_lowest(read_fd + 1, |id| files.retain(id))
        {
            Err(Errno::EINVAL) => return Err(Errno::EMFILE),
            other => other?,
        };
        if self.files.count() + 2 > crate::file::MAX_OPEN_FILES {
            return Err(Errno::ENFILE);
        }
        let pipe = self.pipes.create()?;
        if let Err(errno) =
            self.install_new(pid, read_fd, FileKind::PipeRead(pipe), flags | O_RDONLY)
        {
            self.pipes.drop_writer(pipe);
            return Err(errno);
        }
        if let Err(errno) =
            self.install_new(pid, write_fd, FileKind::PipeWrite(pipe), flags | O_WRONLY)
        {
            self.close(pid, read_fd)?;
            return Err(errno);
        }
        Ok([read_fd, write_fd])
    }

    /// `fstat(fd)`.
    pub fn fstat(&self, pid: Pid, fd: Fd) -> Result<Stat> {
        let file = self.files.get(self.file_of(pid, fd)?)?;
        match file.kind {
            FileKind::Inode(ino) => self.vfs.stat(ino),
            FileKind::PipeRead(pipe) | FileKind::PipeWrite(pipe) => Ok(Stat {
                st_dev: PIPEFS_DEV,
                st_ino: pipe.number(),
                st_nlink: 1,
                st_mode: S_IFIFO | PIPE_PERM,
                st_uid: self.proc_ref(pid)?.creds.uid.effective,
                st_gid: self.proc_ref(pid)?.creds.gid.effective,
                st_blksize: BLOCK_SIZE,
                ..Stat::default()
            }),
        }
    }

    /// Makes `dir` the working directory of `pid`.
    fn set_cwd(&mut self, pid: Pid, dir: Ino) -> Result<()> {
        self.vfs.pin(dir)?;
        let process = self.process_mut(pid)?;
        let old = core::mem::replace(&mut process.cwd, dir);
        self.vfs.unpin(old);
        Ok(())
    }

    /// `chdir(path)`: ENOTDIR, EACCES without search permission, ENOENT...
    pub fn chdir(&mut self, pid: Pid, path: &[u8]) -> Result<()> {
        let process = self.proc_ref(pid)?;
        let dir = self
            .vfs
            .chdir_target(process.cwd, path, process.creds.identity())?;
        self.set_cwd(pid, dir)
    }

    /// `fchdir(fd)`: EBADF, ENOTDIR unless `fd` is open on a directory,
    /// EACCES without search permission.
    pub fn fchdir(&mut self, pid: Pid, fd: Fd) -> Result<()> {
        let process = self.proc_ref(pid)?;
        let who = process.creds.identity();
        let FileKind::Inode(dir) = self.files.get(process.fds.get(fd)?.file)?.kind else {
            return Err(Errno::ENOTDIR);
        };
        self.vfs.check_chdir(dir, who)?;
        self.set_cwd(pid, dir)
    }

    /// `getcwd()`: the absolute path of the working directory, ENOENT if
    /// it was removed. The kernel reports ERANGE if it does not fit.
    pub fn getcwd(&self, pid: Pid) -> Result<Vec<u8>> {
        self.vfs.path_of(self.proc_ref(pid)?.cwd)
    }

    /// `truncate(path, length)`: needs write permission on the file.
    pub fn truncate(&mut self, pid: Pid, path: &[u8], length: u64) -> Result<()> {
        let process = self.proc_ref(pid)?;
        let (cwd, who) = (process.cwd, process.creds.identity());
        self.vfs.truncate_path(cwd, path, length, who)
    }

    /// `ftruncate(fd, length)`: EBADF if `fd` is not open, EINVAL unless
    /// it is a regular file open for writing (Linux). Clears set-id bits
    /// as a write does (`vfs/setid.rs`).
    pub fn ftruncate(&mut self, pid: Pid, fd: Fd, length: u64) -> Result<()> {
        let file = *self.files.get(self.file_of(pid, fd)?)?;
        let FileKind::Inode(ino) = file.kind else {
            return Err(Errno::EINVAL);
        };
        if !file.writable() || !self.vfs.node(ino)?.is_file() {
            return Err(Errno::EINVAL);
        }
        self.vfs.set_len(ino, length)?;
        let who = self.proc_ref(pid)?.creds.identity();
        self.vfs.clear_setid_after_write(ino, who)
    }

    /// `chown(path, uid, gid)` (see [`Vfs::chown`](crate::vfs::Vfs::chown));
    /// `None` is the -1 that leaves an id alone.
    pub fn chown(
        &mut self,
        pid: Pid,
        path: &[u8],
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> Result<()> {
        let process = self.proc_ref(pid)?;
        let (cwd, who) = (process.cwd, process.creds.identity());
        self.vfs.chown(cwd, path, uid, gid, who)
    }

    /// `fchown(fd, uid, gid)`: as `chown` on the file `fd` is open on. A
    /// pipe has no stored owner: accepted and ignored.
    pub fn fchown(&mut self, pid: Pid, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> Result<()> {
        let who = self.proc_ref(pid)?.creds.identity();
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(ino) => self.vfs.chown_ino(ino, uid, gid, who),
            FileKind::PipeRead(_) | FileKind::PipeWrite(_) => Ok(()),
        }
    }

    /// `fchmod(fd, mode)`: as `chmod` on the file `fd` is open on. A pipe
    /// has no stored mode: accepted and ignored.
    pub fn fchmod(&mut self, pid: Pid, fd: Fd, mode: u32) -> Result<()> {
        let who = self.proc_ref(pid)?.creds.identity();
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(ino) => self.vfs.chmod_ino(ino, mode, who),
            FileKind::PipeRead(_) | FileKind::PipeWrite(_) => Ok(()),
        }
    }

    /// `fsync(fd)`: the ramfs has nothing to flush, so success on files
    /// and directories; EBADF if `fd` is not open, EINVAL on pipes and
    /// devices (Linux).
    pub fn fsync(&self, pid: Pid, fd: Fd) -> Result<()> {
        match self.files.get(self.file_of(pid, fd)?)?.kind {
            FileKind::Inode(ino) if !matches!(self.vfs.node(ino)?.content, Content::Device(_)) => {
                Ok(())
            }
            _ => Err(Errno::EINVAL),
        }
    }
}
