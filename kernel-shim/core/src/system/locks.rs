//! `fcntl` record locks: F_GETLK, F_SETLK and F_SETLKW over the
//! [`LockTable`](crate::locks::LockTable), with the `struct flock`
//! arithmetic of fcntl(2).

use libspawn::{Errno, Result};
use shim_abi::fcntl::{F_RDLCK, F_UNLCK, F_WRLCK};
use shim_abi::seek::{SEEK_CUR, SEEK_END, SEEK_SET};
use shim_abi::Flock;

use super::System;
use crate::fdtable::Fd;
use crate::file::{FileKind, OpenFile};
use crate::locks::{Lock, LockKind, Range, TO_INFINITY};
use crate::process::{Block, Pid};
use crate::vfs::Ino;

/// One past the largest offset a lock may cover (`off_t`'s range).
const OFFSET_END: u64 = i64::MAX as u64 + 1;

/// What a F_SETLK or F_SETLKW did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockOutcome {
    /// The lock is set (or cleared).
    Done,
    /// Another process's lock is in the way; F_SETLKW sleeps on
    /// [`Block::Lock`] and tries again (F_SETLK fails with EAGAIN).
    Blocked,
}

impl System {
    /// The description behind `fd` and the inode it is open on. Pipes
    /// take no record locks here (EINVAL).
    fn lockable(&self, pid: Pid, fd: Fd) -> Result<(OpenFile, Ino)> {
        let file = *self.files.get(self.file_of(pid, fd)?)?;
        match file.kind {
            FileKind::Inode(ino) => Ok((file, ino)),
            FileKind::PipeRead(_) | FileKind::PipeWrite(_) => Err(Errno::EINVAL),
        }
    }

    /// The byte range `flock` names: `l_start` from `l_whence` (the start,
    /// the offset, the end of the file); `l_len` 0 runs to infinity, a
    /// negative one ends just before the start. EINVAL for another
    /// `l_whence` or a range starting before byte 0, EOVERFLOW past the
    /// largest offset.
    fn lock_range(&self, file: &OpenFile, ino: Ino, flock: &Flock) -> Result<Range> {
        let base = match i32::from(flock.l_whence) {
            SEEK_SET => 0,
            SEEK_CUR => file.offset,
            SEEK_END => self.vfs.node(ino)?.size(),
            _ => return Err(Errno::EINVAL),
        };
        let start = i128::from(base) + i128::from(flock.l_start);
        let (start, end) = match flock.l_len {
            0 => (start, None),
            len if len > 0 => (start, Some(start + i128::from(len))),
            len => (start + i128::from(len), Some(start)),
        };
        if start < 0 {
            return Err(Errno::EINVAL);
        }
        let end = match end {
            None => TO_INFINITY,
            Some(end) if end <= i128::from(OFFSET_END) => end as u64,
            Some(_) => return Err(Errno::EOVERFLOW),
        };
        if start >= i128::from(OFFSET_END) {
            return Err(Errno::EOVERFLOW);
        }
        Ok(Range {
            start: start as u64,
            end,
        })
    }

    /// The lock `pid` asks for with `flock` on `fd`: `None` for F_UNLCK.
    /// EINVAL for another `l_type`; EBADF for a read lock on a
    /// descriptor not open for reading, or a write lock on one not open
    /// for writing.
    fn wanted_lock(
        &self,
        pid: Pid,
        fd: Fd,
        flock: &Flock,
    ) -> Result<(Ino, Range, Option<LockKind>)> {
        let (file, ino) = self.lockable(pid, fd)?;
        let kind = match flock.l_type {
            F_RDLCK => Some(LockKind::Read),
            F_WRLCK => Some(LockKind::Write),
            F_UNLCK => None,
            _ => return Err(Errno::EINVAL),
        };
        let range = self.lock_range(&file, ino, flock)?;
        match kind {
            Some(LockKind::Read) if !file.readable() => Err(Errno::EBADF),
            Some(LockKind::Write) if !file.writable() => Err(Errno::EBADF),
            _ => Ok((ino, range, kind)),
        }
    }

    /// `fcntl(fd, F_GETLK, flock)`: the first lock of another process
    /// that would stop `flock` (from its start, `l_whence` SEEK_SET, `l_len`
    /// 0 for "to infinity", its holder in `l_pid`), or `flock` with
    /// `l_type` F_UNLCK when none would. The caller's own locks never
    /// count. EINVAL for an `l_type` other than F_RDLCK or F_WRLCK, or a
    /// bad range; EBADF.
    pub fn getlk(&self, pid: Pid, fd: Fd, flock: Flock) -> Result<Flock> {
        let (file, ino) = self.lockable(pid, fd)?;
        let kind = match flock.l_type {
            F_RDLCK => LockKind::Read,
            F_WRLCK => LockKind::Write,
            _ => return Err(Errno::EINVAL),
        };
        let range = self.lock_range(&file, ino, &flock)?;
        let wanted = Lock {
            ino,
            owner: pid,
            range,
            kind,
        };
        let Some(holder) = self.locks.conflict(&wanted) else {
            return Ok(Flock {
                l_type: F_UNLCK,
                ..flock
            });
        };
        Ok(Flock {
            l_type: match holder.kind {
                LockKind::Read => F_RDLCK,
                LockKind::Write => F_WRLCK,
            },
            l_whence: SEEK_SET as i16,
            l_start: holder.range.start as i64,
            l_len: if holder.range.end == TO_INFINITY {
                0
            } else {
                (holder.range.end - holder.range.start) as i64
            },
            l_pid: holder.owner,
            ..flock
        })
    }

    /// `fcntl(fd, F_SETLK or F_SETLKW, flock)`: sets or clears `pid`'s
    /// lock, or reports that another process's lock is in the way
    /// ([`LockOutcome::Blocked`]; for F_SETLKW (`wait`) the caller is then
    /// recorded as waiting, and the kernel puts it to sleep on
    /// [`Block::Lock`] and calls again when woken). EDEADLK if that wait
    /// would close a cycle of waiting processes; ENOLCK when the lock
    /// table is full; the errors of the request itself (see
    /// [`System::getlk`]; EBADF by access mode).
    pub fn setlk(&mut self, pid: Pid, fd: Fd, flock: Flock, wait: bool) -> Result<LockOutcome> {
        let (ino, range, kind) = self.wanted_lock(pid, fd, &flock)?;
        self.locks.stop_waiting(pid);
        if let Some(kind) = kind {
            let wanted = Lock {
                ino,
                owner: pid,
                range,
                kind,
            };
            if self.locks.conflict(&wanted).is_some() {
                if !wait {
                    return Ok(LockOutcome::Blocked);
                }
                if self.locks.would_deadlock(&wanted) {
                    return Err(Errno::EDEADLK);
                }
                self.locks.wait_for(wanted)?;
                return Ok(LockOutcome::Blocked);
            }
        }
        self.locks.set(ino, pid, range, kind)?;
        // A lock cleared, narrowed or turned into a read lock may let a
        // waiter in.
        self.wake_all(Block::Lock);
        Ok(LockOutcome::Done)
    }

    /// `pid` stopped waiting in F_SETLKW without the lock (a signal).
    pub fn cancel_lock_wait(&mut self, pid: Pid) {
        self.locks.stop_waiting(pid);
    }

    /// `pid` closed a descriptor of `kind`: its record locks on that file
    /// go (POSIX), and waiters are woken if any did.
    pub(super) fn release_locks(&mut self, pid: Pid, kind: FileKind) {
        if let FileKind::Inode(ino) = kind {
            if self.locks.release(ino, pid) {
                self.wake_all(Block::Lock);
            }
        }
    }

    /// `pid` is exiting: all its record locks and its wait go.
    pub(super) fn release_all_locks(&mut self, pid: Pid) {
        if self.locks.release_all(pid) {
            self.wake_all(Block::Lock);
        }
    }

    /// Number of record-lock ranges held in the system.
    pub fn lock_count(&self) -> usize {
        self.locks.len()
    }
}
