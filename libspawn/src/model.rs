//! A model OS: an in-memory [`ChildOps`](crate::exec::ChildOps) for host
//! tests, and the reference a porter reads to see what each `ChildOps`
//! method must do.
//!
//! Compiled for the crate's own tests and with the `model` feature; it uses
//! `std` and is never part of the `no_std` build.
//!
//! [`Model`] is one child process right after it was created: a copy of its
//! parent's descriptor table, working directory, ids, signal state and
//! scheduling, plus a small file system ([`fs`]) and the process groups of
//! the rest of the system. Its `ChildOps` methods follow POSIX (and Linux
//! where POSIX leaves a choice), and each says which errors it gives; they
//! live in `model/ops.rs`, the file to read when porting.
//!
//! For tests it also has:
//! - an event log: every `ChildOps` call, in order, with its result
//!   ([`Model::log`], [`Model::calls`]);
//! - fault injection: make the n-th call, or the n-th call of one operation,
//!   fail with a chosen error, with no effect ([`Model::fail`]);
//! - the host's steps after the executor: [`Model::close_on_exec`] and
//!   [`Model::exec`];
//! - setup helpers (directories, files, inherited descriptors) and queries,
//!   none of which are logged.
#![forbid(unsafe_code)]

extern crate std;

pub mod add_rules;
pub mod fs;
mod log;
mod ops;
pub mod reference;

use log::{matches, Fault};
pub use log::{Call, Event, Op};

use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use crate::abi::fcntl::{O_ACCMODE, O_APPEND, O_CLOEXEC, O_RDONLY, O_RDWR, O_WRONLY};
use crate::abi::{NSIG, OPEN_MAX};
use crate::attr::SchedPolicy;
use crate::errno::{Errno, Result};
use crate::sigset::SigSet;
use fs::{Cred, FileSystem, NodeId, NodeKind};

/// SIGSTOP: like SIGKILL, it cannot be caught, ignored or blocked.
pub use crate::abi::signal::SIGSTOP;

/// What a signal does when delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Disposition {
    /// SIG_DFL.
    #[default]
    Default,
    /// SIG_IGN.
    Ignore,
    /// Caught by a handler in the parent's image (becomes SIG_DFL at exec).
    Handler,
}

/// The process attributes a spawn can change (everything but descriptors
/// and the working directory). Fields are public: tests set up the parent's
/// state here and read the child's state back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Process {
    /// Process id.
    pub pid: i32,
    /// Process group id.
    pub pgid: i32,
    /// Session id.
    pub sid: i32,
    /// Real user id.
    pub ruid: u32,
    /// Effective user id (0 is privileged).
    pub euid: u32,
    /// Real group id.
    pub rgid: u32,
    /// Effective group id.
    pub egid: u32,
    /// File mode creation mask.
    pub umask: u32,
    /// Blocked signals.
    pub sigmask: SigSet,
    /// Disposition of signal `n` at index `n - 1`.
    pub dispositions: [Disposition; NSIG as usize],
    /// Scheduling policy.
    pub policy: SchedPolicy,
    /// Scheduling priority.
    pub priority: i32,
}

impl Process {
    /// The disposition of `signal` (1..=NSIG).
    pub fn disposition(&self, signal: i32) -> Disposition {
        self.dispositions[signal_index(signal)]
    }

    /// Sets the disposition of `signal` (1..=NSIG), as the parent did.
    pub fn set_disposition(&mut self, signal: i32, disposition: Disposition) {
        self.dispositions[signal_index(signal)] = disposition;
    }
}

/// Index of `signal` in [`Process::dispositions`]. Panics out of range.
fn signal_index(signal: i32) -> usize {
    assert!((1..=NSIG).contains(&signal), "no signal {signal}");
    (signal - 1) as usize
}

/// An open file description: what `open` creates and `dup2` shares.
#[derive(Clone, Debug, PartialEq, Eq)]
struct OpenFile {
    node: NodeId,
    /// `O_RDONLY`, `O_WRONLY` or `O_RDWR`.
    access: i32,
    append: bool,
    offset: usize,
}

/// One slot of the descriptor table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FdSlot {
    /// Key of the open file description in `Model::files`.
    file: usize,
    cloexec: bool,
}

/// The model process and its world. See the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// Ids, signals and scheduling.
    pub process: Process,
    /// The file system.
    pub fs: FileSystem,
    cwd: NodeId,
    fds: Vec<Option<FdSlot>>,
    files: BTreeMap<usize, OpenFile>,
    next_file: usize,
    /// Other process groups in the system, by id, with their session.
    groups: BTreeMap<i32, i32>,
    log: Vec<Event>,
    faults: Vec<Fault>,
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

/// The pid of [`Model::new`]'s process.
pub const CHILD_PID: i32 = 100;
/// The process group it inherits from its parent.
pub const PARENT_PGID: i32 = 90;
/// The session it inherits from its parent.
pub const PARENT_SID: i32 = 80;
/// A process group in another session (init's).
pub const OTHER_SESSION_PGID: i32 = 1;
/// The real and effective user and group id of [`Model::new`]'s process.
pub const USER: u32 = 1000;

impl Model {
    /// A freshly created, unprivileged child (pid [`CHILD_PID`]) in its
    /// parent's group [`PARENT_PGID`] and session [`PARENT_SID`], with user
    /// and group ids [`USER`], umask 022, no signal blocked or caught,
    /// `SCHED_OTHER` priority 0, cwd `/`, and descriptors 0, 1 and 2 open
    /// on `/dev/tty`. The file system holds `/`, `/dev`, `/dev/tty`, `/tmp`
    /// (1777) and `/home/user` (owned by [`USER`]).
    pub fn new() -> Model {
        let mut model = Model {
            process: Process {
                pid: CHILD_PID,
                pgid: PARENT_PGID,
                sid: PARENT_SID,
                ruid: USER,
                euid: USER,
                rgid: USER,
                egid: USER,
                umask: 0o022,
                sigmask: SigSet::EMPTY,
                dispositions: [Disposition::Default; NSIG as usize],
                policy: SchedPolicy::Other,
                priority: 0,
            },
            fs: FileSystem::new(),
            cwd: fs::ROOT,
            fds: std::vec![None; OPEN_MAX as usize],
            files: BTreeMap::new(),
            next_file: 0,
            groups: BTreeMap::from([
                (OTHER_SESSION_PGID, OTHER_SESSION_PGID),
                (PARENT_SID, PARENT_SID),
                (PARENT_PGID, PARENT_SID),
            ]),
            log: Vec::new(),
            faults: Vec::new(),
        };
        let root = Cred { uid: 0, gid: 0 };
        model.mkdir_as("/dev", 0o755, root);
        model.write_file_as("/dev/tty", b"", 0o666, root);
        model.mkdir_as("/tmp", 0o1777, root);
        model.mkdir_as("/home", 0o755, root);
        let user = Cred {
            uid: USER,
            gid: USER,
        };
        model.mkdir_as("/home/user", 0o755, user);
        for fd in 0..3 {
            model.give_fd(fd, "/dev/tty", O_RDWR);
        }
        model
    }

    fn cred(&self) -> Cred {
        Cred {
            uid: self.process.euid,
            gid: self.process.egid,
        }
    }

    // ---- Setup helpers (not logged; they panic on misuse) ----

    /// Creates directory `path` owned by the current effective ids.
    pub fn mkdir(&mut self, path: &str, mode: u32) -> NodeId {
        self.mkdir_as(path, mode, self.cred())
    }

    fn mkdir_as(&mut self, path: &str, mode: u32, cred: Cred) -> NodeId {
        let root = Cred { uid: 0, gid: 0 };
        let (dir, name) = self
            .fs
            .resolve_parent(self.cwd, path.as_bytes(), root)
            .expect("mkdir: parent");
        assert!(
            self.fs.lookup(dir, name, root).unwrap().is_none(),
            "{path} exists"
        );
        self.fs.create(dir, name, true, mode, cred)
    }

    /// Creates regular file `path` holding `data`, owned by the current
    /// effective ids.
    pub fn write_file(&mut self, path: &str, data: &[u8], mode: u32) -> NodeId {
        self.write_file_as(path, data, mode, self.cred())
    }

    fn write_file_as(&mut self, path: &str, data: &[u8], mode: u32, cred: Cred) -> NodeId {
        let root = Cred { uid: 0, gid: 0 };
        let (dir, name) = self
            .fs
            .resolve_parent(self.cwd, path.as_bytes(), root)
            .expect("write_file: parent");
        assert!(
            self.fs.lookup(dir, name, root).unwrap().is_none(),
            "{path} exists"
        );
        let id = self.fs.create(dir, name, false, mode, cred);
        self.fs.node_mut(id).kind = NodeKind::File {
            data: data.to_vec(),
        };
        id
    }

    /// Changes the owner of `path`.
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32) {
        let id = self.node(path).expect("chown: no such file");
        let node = self.fs.node_mut(id);
        node.uid = uid;
        node.gid = gid;
    }

    /// Opens `path` as the parent did and puts it on descriptor `fd`
    /// (replacing what was there), with FD_CLOEXEC if `oflag` has
    /// O_CLOEXEC. Permission checks are skipped.
    pub fn give_fd(&mut self, fd: i32, path: &str, oflag: i32) {
        let node = self.node(path).expect("give_fd: no such file");
        let file = self.new_file(node, oflag);
        self.drop_fd(fd);
        self.fds[fd as usize] = Some(FdSlot {
            file,
            cloexec: oflag & O_CLOEXEC != 0,
        });
    }

    /// Records that process group `pgid` exists in session `sid`.
    pub fn add_process_group(&mut self, pgid: i32, sid: i32) {
        self.groups.insert(pgid, sid);
    }

    /// Makes the `nth` (counting from 1) call of `op` from now on, or the
    /// `nth` call of any kind when `op` is `None`, fail with `errno`. The
    /// failing call changes nothing and is logged with its error. Calls are
    /// counted in the log, so [`Model::clear_log`] restarts the count.
    pub fn fail(&mut self, op: Option<Op>, nth: usize, errno: Errno) {
        let before = self.log.iter().filter(|e| matches(op, &e.call)).count();
        self.faults.push(Fault {
            op,
            nth: before + nth,
            errno,
        });
    }

    /// Empties the event log.
    pub fn clear_log(&mut self) {
        self.log.clear();
        self.faults.clear();
    }

    // ---- Queries (not logged) ----

    /// Every `ChildOps` call so far, in order, with its result.
    pub fn log(&self) -> &[Event] {
        &self.log
    }

    /// The calls of [`Model::log`] without their results.
    pub fn calls(&self) -> Vec<Call> {
        self.log.iter().map(|event| event.call.clone()).collect()
    }

    /// The node at `path` (resolved from the cwd, skipping permissions).
    pub fn node(&self, path: &str) -> Option<NodeId> {
        let root = Cred { uid: 0, gid: 0 };
        self.fs.resolve(self.cwd, path.as_bytes(), root).ok()
    }

    /// The contents of regular file `path`.
    pub fn file_contents(&self, path: &str) -> Option<Vec<u8>> {
        match &self.fs.node(self.node(path)?).kind {
            NodeKind::File { data } => Some(data.clone()),
            NodeKind::Dir { .. } => None,
        }
    }

    /// The permission bits of `path`.
    pub fn file_mode(&self, path: &str) -> Option<u32> {
        Some(self.fs.node(self.node(path)?).mode)
    }

    /// The absolute path of the working directory.
    pub fn cwd(&self) -> &str {
        &self.fs.node(self.cwd).path
    }

    fn slot(&self, fd: i32) -> Option<FdSlot> {
        *self.fds.get(usize::try_from(fd).ok()?)?
    }

    /// Whether `fd` is open.
    pub fn is_open(&self, fd: i32) -> bool {
        self.slot(fd).is_some()
    }

    /// FD_CLOEXEC of `fd`, or `None` if it is not open.
    pub fn cloexec(&self, fd: i32) -> Option<bool> {
        Some(self.slot(fd)?.cloexec)
    }

    /// The open descriptors, in increasing order.
    pub fn open_fds(&self) -> Vec<i32> {
        (0..OPEN_MAX).filter(|&fd| self.is_open(fd)).collect()
    }

    /// The path of the file open on `fd`.
    pub fn fd_path(&self, fd: i32) -> Option<&str> {
        let file = &self.files[&self.slot(fd)?.file];
        Some(&self.fs.node(file.node).path)
    }

    /// The file offset of `fd`'s open file description.
    pub fn offset(&self, fd: i32) -> Option<usize> {
        Some(self.files[&self.slot(fd)?.file].offset)
    }

    /// Whether `a` and `b` are open on the same open file description.
    pub fn same_description(&self, a: i32, b: i32) -> bool {
        match (self.slot(a), self.slot(b)) {
            (Some(a), Some(b)) => a.file == b.file,
            _ => false,
        }
    }

    /// Number of open file descriptions (to check nothing leaked).
    pub fn open_descriptions(&self) -> usize {
        self.files.len()
    }

    /// The descriptor table as `(fd, path, cloexec, first fd sharing its
    /// description)`: a value two runs can be compared on.
    pub fn fd_table(&self) -> Vec<(i32, String, bool, i32)> {
        let mut first: BTreeMap<usize, i32> = BTreeMap::new();
        let mut table = Vec::new();
        for fd in self.open_fds() {
            let slot = self.slot(fd).unwrap();
            let leader = *first.entry(slot.file).or_insert(fd);
            let path = String::from(self.fd_path(fd).unwrap());
            table.push((fd, path, slot.cloexec, leader));
        }
        table
    }

    /// `write(fd, data)`: EBADF unless `fd` is open for writing; appends
    /// with O_APPEND, else writes at the offset. Returns the bytes written.
    pub fn write(&mut self, fd: i32, data: &[u8]) -> Result<usize> {
        let slot = self.slot(fd).ok_or(Errno::EBADF)?;
        let file = self.files.get_mut(&slot.file).unwrap();
        if file.access == O_RDONLY {
            return Err(Errno::EBADF);
        }
        let NodeKind::File { data: contents } = &mut self.fs.node_mut(file.node).kind else {
            return Err(Errno::EISDIR);
        };
        if file.append {
            file.offset = contents.len();
        }
        let end = file.offset + data.len();
        if contents.len() < end {
            contents.resize(end, 0);
        }
        contents[file.offset..end].copy_from_slice(data);
        file.offset = end;
        Ok(data.len())
    }

    /// `read(fd, len)`: EBADF unless `fd` is open for reading.
    pub fn read(&mut self, fd: i32, len: usize) -> Result<Vec<u8>> {
        let slot = self.slot(fd).ok_or(Errno::EBADF)?;
        let file = self.files.get_mut(&slot.file).unwrap();
        if file.access == O_WRONLY {
            return Err(Errno::EBADF);
        }
        let NodeKind::File { data } = &self.fs.node(file.node).kind else {
            return Err(Errno::EISDIR);
        };
        let start = file.offset.min(data.len());
        let end = (start + len).min(data.len());
        file.offset = end;
        Ok(data[start..end].to_vec())
    }

    // ---- The host's steps after the executor ----

    /// Closes every descriptor with FD_CLOEXEC, as exec does.
    pub fn close_on_exec(&mut self) {
        for fd in 0..OPEN_MAX {
            if self.cloexec(fd) == Some(true) {
                self.drop_fd(fd);
            }
        }
    }

    /// What exec does to the state the model keeps: closes FD_CLOEXEC
    /// descriptors, and caught signals get SIG_DFL (ignored ones stay
    /// ignored, the mask is kept).
    pub fn exec(&mut self) {
        self.close_on_exec();
        for disposition in &mut self.process.dispositions {
            if *disposition == Disposition::Handler {
                *disposition = Disposition::Default;
            }
        }
    }

    // ---- Internals ----

    fn new_file(&mut self, node: NodeId, oflag: i32) -> usize {
        let key = self.next_file;
        self.next_file += 1;
        let file = OpenFile {
            node,
            access: oflag & O_ACCMODE,
            append: oflag & O_APPEND != 0,
            offset: 0,
        };
        self.files.insert(key, file);
        key
    }

    /// Empties slot `fd` (if open) and frees its open file description
    /// when no other slot refers to it.
    fn drop_fd(&mut self, fd: i32) -> bool {
        let Some(slot) = self.slot(fd) else {
            return false;
        };
        self.fds[fd as usize] = None;
        if !self.fds.iter().flatten().any(|s| s.file == slot.file) {
            self.files.remove(&slot.file);
        }
        true
    }

    fn lowest_free_fd(&self) -> Option<i32> {
        (0..OPEN_MAX).find(|&fd| !self.is_open(fd))
    }
}

#[cfg(test)]
mod tests;
