//! Process: the per-process state this crate keeps (ids, groups, signals,
//! scheduling, descriptors and working directory).
//!
//! The kernel keeps its own process table for address spaces and
//! scheduling; [`System`](crate::System) keeps one of these per pid, from
//! creation until the parent reaps the process.

use crate::creds::Creds;
use crate::fdtable::FdTable;
use crate::sched::Sched;
use crate::signal::SignalState;
use crate::vfs::Ino;

/// A process id.
pub type Pid = i32;

/// The pid of init, which adopts orphans.
pub const INIT_PID: Pid = 1;

/// One process.
#[derive(Debug)]
pub struct Process {
    pub(crate) pid: Pid,
    pub(crate) ppid: Pid,
    pub(crate) pgid: Pid,
    pub(crate) sid: Pid,
    pub(crate) fds: FdTable,
    pub(crate) cwd: Ino,
    /// File creation mask: permission bits cleared from the mode of every
    /// file or directory the process creates (`open`, `mkdir`).
    pub(crate) umask: u32,
    pub(crate) execed: bool,
    pub(crate) exited: bool,
    /// User and group ids (the kernel's `set*id` handlers call the
    /// [`Creds`] methods directly).
    pub creds: Creds,
    /// Signal mask, pending set and dispositions.
    pub signals: SignalState,
    /// Scheduling policy and priority (change it through
    /// [`System::sched_setscheduler`](crate::System::sched_setscheduler),
    /// which checks permissions).
    pub sched: Sched,
}

impl Process {
    /// Its pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Its parent's pid (0 for a process without one, like init).
    pub fn ppid(&self) -> Pid {
        self.ppid
    }

    /// Its process group id.
    pub fn pgid(&self) -> Pid {
        self.pgid
    }

    /// Its session id.
    pub fn sid(&self) -> Pid {
        self.sid
    }

    /// Its descriptor table (read-only: changes go through `System`, which
    /// keeps the reference counts).
    pub fn fds(&self) -> &FdTable {
        &self.fds
    }

    /// Its working directory.
    pub fn cwd(&self) -> Ino {
        self.cwd
    }

    /// Whether it has loaded an image since it was created (`setpgid` on
    /// it by its parent is then EACCES).
    pub fn has_execed(&self) -> bool {
        self.execed
    }

    /// Whether it has exited (a zombie, waiting to be reaped).
    pub fn has_exited(&self) -> bool {
        self.exited
    }

    /// Whether it leads its session.
    pub fn is_session_leader(&self) -> bool {
        self.sid == self.pid
    }
}
