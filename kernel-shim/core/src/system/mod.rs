//! System: all the state behind the kernel's one big lock: the file
//! system, open files, pipes and the process table with its rules.
//!
//! Every system call handler takes the lock, calls one `System` method with
//! the calling process's pid, and copies results out. The methods are
//! spread over files by topic: this file (creating processes, exec's
//! steps), `exec.rs` (`#!` scripts and `execve`), `spawn.rs`
//! (`posix_spawn`'s two steps), `run.rs` (which process runs,
//! blocking and waking, sleeps, alarms, CPU time), `exit.rs` (exit,
//! `wait4`, reaping, orphans), `files.rs` (descriptors), `paths.rs`
//! (path calls and their `*at` forms), `locks.rs` (record locks), `limits.rs`
//! (resource limits and usage),
//! `procs.rs` (signals and scheduling parameters), `mapping.rs` (the
//! files `mmap` may map), and `pgrp.rs` at the
//! crate root (process groups, sessions, `kill`).

mod exec;
mod exit;
mod files;
mod limits;
mod locks;
mod mapping;
mod paths;
mod procs;
mod run;
mod spawn;

pub use exec::{ExecError, ResolvedImage};
pub use exit::{waitid_request, ChildWait, WaitidRequest};
pub use locks::LockOutcome;
pub use procs::{Delivery, SigWait};
pub use run::{Pick, RealTimer, NANOS_PER_SECOND, RR_SLICE_TICKS};
pub use spawn::Spawned;

use libspawn::{Errno, Result};
use shim_abi::Phase;

use crate::creds::Creds;
use crate::fdtable::{Fd, FdTable, Refs};
use crate::file::{FileId, FileKind, FileTable};
use crate::io::WaitChannel;
use crate::locks::LockTable;
use crate::pipe::PipeTable;
use crate::process::{Block, Inherited, Pid, Process, MAX_PROCESSES};
use crate::process_table::ProcessTable;
use crate::rlimit::Limits;
use crate::sched::Sched;
use crate::signal::SignalState;
use crate::vfs::{Ino, Vfs, ROOT};

/// The creation mask of the first process (children inherit theirs).
pub const DEFAULT_UMASK: u32 = 0o022;

/// The bits a creation mask can hold: the permission bits.
const UMASK_BITS: u32 = 0o777;

/// The kernel's OS state.
#[derive(Debug)]
pub struct System {
    /// The file system (public for boot-time population and inspection;
    /// prefer [`System::install_file`]).
    pub vfs: Vfs,
    pub(crate) files: FileTable,
    pub(crate) pipes: PipeTable,
    pub(crate) locks: LockTable,
    pub(crate) procs: ProcessTable,
    /// The highest pid handed out so far (pids are never reused).
    last_pid: Pid,
    /// The slot most recently picked to run (the round-robin cursor).
    pub(crate) last_picked: usize,
    /// Marks a phase boundary of the spawn profile
    /// ([`System::set_profile_mark`]).
    pub(crate) profile_mark: fn(Phase),
}

/// The default profile mark: nothing to do.
fn no_profile_mark(_: Phase) {}

impl Default for System {
    fn default() -> Self {
        System {
            vfs: Vfs::default(),
            files: FileTable::default(),
            pipes: PipeTable::default(),
            locks: LockTable::new(),
            procs: ProcessTable::new(),
            last_pid: 0,
            last_picked: MAX_PROCESSES - 1,
            profile_mark: no_profile_mark,
        }
    }
}

/// Drops one reference to `id` and frees what the description held when it
/// was the last one.
pub(crate) fn release_file(
    files: &mut FileTable,
    vfs: &mut Vfs,
    pipes: &mut PipeTable,
    id: FileId,
) {
    match files.release(id) {
        Some(FileKind::Inode(ino)) => vfs.unpin(ino),
        Some(FileKind::PipeRead(pipe)) => pipes.drop_reader(pipe),
        Some(FileKind::PipeWrite(pipe)) => pipes.drop_writer(pipe),
        None => {}
    }
}

/// The reference counts a descriptor table changes when it closes
/// descriptors (see [`Refs`]).
struct FileRefs<'a> {
    files: &'a mut FileTable,
    vfs: &'a mut Vfs,
    pipes: &'a mut PipeTable,
    /// The record locks, and whose descriptors are closing: closing any
    /// descriptor of a file drops the process's locks on it (POSIX
    /// `close`).
    locks: &'a mut LockTable,
    owner: Pid,
    /// Whether a lock went (lock waiters are then woken).
    released_locks: bool,
}

impl Refs for FileRefs<'_> {
    fn retain(&mut self, id: FileId) {
        self.files.retain(id);
    }

    fn release(&mut self, id: FileId) {
        if let Ok(FileKind::Inode(ino)) = self.files.get(id).map(|file| file.kind) {
            self.released_locks |= self.locks.release(ino, self.owner);
        }
        release_file(self.files, self.vfs, self.pipes, id);
    }
}

impl System {
    /// A system with the standard file system (see [`Vfs::new`]) and no
    /// processes.
    pub fn new() -> System {
        System::default()
    }

    /// Sets what marks the spawn profile's phase boundaries inside the
    /// child's step of `posix_spawn` (the kernel's profile counters; host
    /// tests keep the default, which does nothing).
    pub fn set_profile_mark(&mut self, mark: fn(Phase)) {
        self.profile_mark = mark;
    }

    /// Creates the file at absolute `path` (and missing parents) with
    /// `bytes`, for unpacking the initrd. See [`Vfs::install_file`].
    pub fn install_file(
        &mut self,
        path: &[u8],
        bytes: &[u8],
        mode: u32,
        uid: u32,
        gid: u32,
    ) -> Result<Ino> {
        self.vfs.install_file(path, bytes, mode, uid, gid)
    }

    /// The process `pid`; ESRCH if there is none.
    pub fn process(&self, pid: Pid) -> Result<&Process> {
        self.procs.get(&pid).ok_or(Errno::ESRCH)
    }

    /// The process `pid`, mutably (for its credentials, signals and
    /// scheduling fields); ESRCH if there is none.
    pub fn process_mut(&mut self, pid: Pid) -> Result<&mut Process> {
        self.procs.get_mut(&pid).ok_or(Errno::ESRCH)
    }

    /// The processes, by pid.
    pub fn processes(&self) -> impl Iterator<Item = &Process> + '_ {
        self.procs.values()
    }

    /// Number of open file descriptions system-wide
    /// (`KernelStats::open_files`).
    pub fn open_files(&self) -> usize {
        self.files.count()
    }

    /// Number of pipes alive.
    pub fn pipe_count(&self) -> usize {
        self.pipes.len()
    }

    /// Whether a call that returned [`Io::Blocked`](crate::io::Io) on
    /// `channel` should be retried now.
    pub fn ready(&self, channel: WaitChannel) -> bool {
        self.pipes.ready(channel)
    }

    /// The process in table slot `slot`, if any.
    pub fn process_in_slot(&self, slot: usize) -> Option<&Process> {
        self.procs.in_slot(slot)
    }

    /// Number of free slots in the process table.
    pub fn free_slots(&self) -> usize {
        MAX_PROCESSES - self.procs.len()
    }

    /// The next pid (never one used before).
    fn allocate_pid(&self) -> Pid {
        self.last_pid + 1
    }

    #[inline(always)] // The record is kilobytes: moved once, into the slot.
    fn insert_process(&mut self, process: Process) -> Result<()> {
        if self.procs.contains_key(&process.pid) || process.pid <= 0 {
            return Err(Errno::EINVAL);
        }
        self.procs.free_slot()?;
        self.vfs.pin(process.cwd)?;
        self.last_pid = self.last_pid.max(process.pid);
        self.procs.insert(process)
    }

    /// `umask(mask)` for `pid`: sets its creation mask (only the
    /// permission bits count) and returns the old one. ESRCH if missing.
    pub fn umask(&mut self, pid: Pid, mask: u32) -> Result<u32> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let old = process.umask;
        process.umask = mask & UMASK_BITS;
        Ok(old)
    }

    /// Creates the first process: root, its own session and group leader,
    /// working directory `/`, no descriptors (the kernel opens
    /// `/dev/console` on 0, 1, 2 with [`System::open`]). EINVAL if `pid` is
    /// taken or not positive.
    pub fn create_init(&mut self, pid: Pid) -> Result<()> {
        let start = Inherited {
            pgid: pid,
            sid: pid,
            fds: FdTable::new(),
            cwd: ROOT,
            umask: DEFAULT_UMASK,
            creds: Creds::ROOT,
            signals: SignalState::for_process()?,
            sched: Sched::default(),
            limits: Limits::INITIAL,
        };
        self.insert_process(Process::new(pid, 0, start))
    }

    /// Creates `child` as a new child of `parent` (the first step of
    /// `posix_spawn`): a copy of the parent's descriptor table sharing its
    /// open file descriptions, its working directory, ids, signal mask and
    /// dispositions (nothing pending; no alternate signal stack),
    /// scheduling, resource limits, group and session.
    /// The table shares the parent's storage until either changes it (see
    /// [`crate::fdtable`]), so this costs the same whatever the number of
    /// descriptors. ESRCH if `parent` is missing, EINVAL if `child` is
    /// taken, EAGAIN if the process table is full, ENOMEM; on failure
    /// nothing is created.
    pub fn create_child(&mut self, parent: Pid, child: Pid) -> Result<()> {
        if !self.procs.contains_key(&parent) {
            return Err(Errno::ESRCH);
        }
        if self.procs.contains_key(&child) || child <= 0 {
            return Err(Errno::EINVAL);
        }
        self.procs.free_slot()?;
        let from = self.procs.get_mut(&parent).ok_or(Errno::ESRCH)?;
        let start = Inherited {
            pgid: from.pgid,
            sid: from.sid,
            fds: from.fds.clone_for_spawn()?,
            cwd: from.cwd,
            umask: from.umask,
            creds: from.creds,
            signals: from.signals.for_child()?,
            sched: from.sched,
            limits: from.limits,
        };
        self.insert_process(Process::new(child, parent, start))
    }

    /// Closes the FD_CLOEXEC descriptors of `pid` (after the spawn
    /// executor, before the image loads; in `execve` after the point of no
    /// return), with the record locks they drop; nothing to do when none
    /// has the flag. ENOMEM if its table shares storage that cannot be
    /// copied.
    pub fn close_on_exec(&mut self, pid: Pid) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let mut refs = FileRefs {
            files: &mut self.files,
            vfs: &mut self.vfs,
            pipes: &mut self.pipes,
            locks: &mut self.locks,
            owner: pid,
            released_locks: false,
        };
        let closed = process.fds.close_on_exec(&mut refs);
        if refs.released_locks {
            self.wake_all(Block::Lock);
        }
        closed
    }

    /// Closes every descriptor `>= low` of `pid` (`closefrom`).
    pub fn close_from(&mut self, pid: Pid, low: Fd) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let mut refs = FileRefs {
            files: &mut self.files,
            vfs: &mut self.vfs,
            pipes: &mut self.pipes,
            locks: &mut self.locks,
            owner: pid,
            released_locks: false,
        };
        let closed = process.fds.close_from(low, &mut refs);
        if refs.released_locks {
            self.wake_all(Block::Lock);
        }
        closed
    }

    /// The image `pid` would load for `path`: a regular file it may
    /// execute (EACCES otherwise, ENOENT, ...). Read its bytes with
    /// [`System::file_bytes`], then call [`System::commit_exec`] once the
    /// image is loaded.
    pub fn exec_lookup(&self, pid: Pid, path: &[u8]) -> Result<Ino> {
        let process = self.process(pid)?;
        self.vfs
            .exec_target(process.cwd, path, process.creds.identity())
    }

    /// A regular file's bytes.
    pub fn file_bytes(&self, ino: Ino) -> Result<&[u8]> {
        self.vfs.file_bytes(ino)
    }

    /// The version of `ino`'s content (for the image cache): equal
    /// versions mean equal bytes.
    pub fn content_version(&self, ino: Ino) -> Result<u64> {
        self.vfs.content_version(ino)
    }

    /// The credentials `pid` will have once it runs the image in `ino`:
    /// its own, with the file's set-user-ID and set-group-ID bits applied
    /// (what [`System::commit_exec`] makes them, and what the loader puts
    /// in the auxiliary vector).
    pub fn exec_creds(&self, pid: Pid, ino: Ino) -> Result<Creds> {
        let node = self.vfs.node(ino)?;
        let mut creds = self.process(pid)?.creds;
        creds.exec_setid(node.perm, node.uid, node.gid);
        Ok(creds)
    }

    /// The image in `ino` is now `pid`'s: caught signals go back to
    /// SIG_DFL, the file's set-user-ID and set-group-ID bits take effect
    /// (effective and saved ids, [`System::exec_creds`]), and the process
    /// counts as exec'd.
    pub fn commit_exec(&mut self, pid: Pid, ino: Ino) -> Result<()> {
        let creds = self.exec_creds(pid, ino)?;
        let process = self.process_mut(pid)?;
        process.signals.reset_for_exec();
        process.creds = creds;
        process.execed = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_exec;
#[cfg(test)]
mod tests_paths;
#[cfg(test)]
mod tests_pipes;
#[cfg(test)]
mod tests_procs;
#[cfg(test)]
mod tests_run;
#[cfg(test)]
mod tests_spawn;
