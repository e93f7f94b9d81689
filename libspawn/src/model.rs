//! A model OS: an in-memory [`ChildOps`] for host tests, and the reference a
//! porter reads to see what each `ChildOps` method must do.
//!
//! Compiled for the crate's own tests and with the `model` feature; it uses
//! `std` and is never part of the `no_std` build.
//!
//! [`Model`] is one child process right after it was created: a copy of its
//! parent's descriptor table, working directory, ids, signal state and
//! scheduling, plus a small file system ([`fs`]) and the process groups of
//! the rest of the system. Its `ChildOps` methods follow POSIX (and Linux
//! where POSIX leaves a choice), and each says which errors it gives.
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

pub mod fs;

use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use crate::abi::fcntl::{
    O_ACCMODE, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY,
};
use crate::abi::signal::SIGKILL;
use crate::abi::{NSIG, OPEN_MAX};
use crate::attr::SchedPolicy;
use crate::errno::{Errno, Result};
use crate::exec::ChildOps;
use crate::sigset::SigSet;
use fs::{Cred, FileSystem, NodeId, NodeKind, READ, SEARCH, WRITE};

/// SIGSTOP on Linux x86_64: like SIGKILL, it cannot be caught, ignored or
/// blocked.
pub const SIGSTOP: i32 = 19;

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

/// One `ChildOps` method, as the event log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// [`ChildOps::set_signal_default`]
    SetSignalDefault,
    /// [`ChildOps::set_signal_mask`]
    SetSignalMask,
    /// [`ChildOps::set_sched_param`]
    SetSchedParam,
    /// [`ChildOps::set_scheduler`]
    SetScheduler,
    /// [`ChildOps::setsid`]
    Setsid,
    /// [`ChildOps::setpgid`]
    Setpgid,
    /// [`ChildOps::reset_ids`]
    ResetIds,
    /// [`ChildOps::open`]
    Open,
    /// [`ChildOps::close`]
    Close,
    /// [`ChildOps::dup2`]
    Dup2,
    /// [`ChildOps::clear_cloexec`]
    ClearCloexec,
    /// [`ChildOps::chdir`]
    Chdir,
    /// [`ChildOps::fchdir`]
    Fchdir,
    /// [`ChildOps::close_from`]
    CloseFrom,
}

/// One `ChildOps` call with its arguments (paths as lossy UTF-8, so test
/// failures print readably).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs, reason = "each variant mirrors a ChildOps method")]
pub enum Call {
    SetSignalDefault(i32),
    SetSignalMask(SigSet),
    SetSchedParam(i32),
    SetScheduler(SchedPolicy, i32),
    Setsid,
    Setpgid(i32),
    ResetIds,
    Open(String, i32, u32),
    Close(i32),
    Dup2(i32, i32),
    ClearCloexec(i32),
    Chdir(String),
    Fchdir(i32),
    CloseFrom(i32),
}

impl Call {
    /// Which method this call is.
    pub fn op(&self) -> Op {
        match self {
            Call::SetSignalDefault(_) => Op::SetSignalDefault,
            Call::SetSignalMask(_) => Op::SetSignalMask,
            Call::SetSchedParam(_) => Op::SetSchedParam,
            Call::SetScheduler(..) => Op::SetScheduler,
            Call::Setsid => Op::Setsid,
            Call::Setpgid(_) => Op::Setpgid,
            Call::ResetIds => Op::ResetIds,
            Call::Open(..) => Op::Open,
            Call::Close(_) => Op::Close,
            Call::Dup2(..) => Op::Dup2,
            Call::ClearCloexec(_) => Op::ClearCloexec,
            Call::Chdir(_) => Op::Chdir,
            Call::Fchdir(_) => Op::Fchdir,
            Call::CloseFrom(_) => Op::CloseFrom,
        }
    }
}

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The call.
    pub call: Call,
    /// Its result: the descriptor for `open`, 0 for the others.
    pub result: Result<i32>,
}

/// An injected failure: see [`Model::fail`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Fault {
    op: Option<Op>,
    nth: usize,
    errno: Errno,
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

    /// Runs one `ChildOps` call: an injected fault fails it without running
    /// `body`; either way the call and its result are logged.
    fn call(&mut self, call: Call, body: impl FnOnce(&mut Model) -> Result<i32>) -> Result<i32> {
        let count = |op| 1 + self.log.iter().filter(|e| matches(op, &e.call)).count();
        let fault = self
            .faults
            .iter()
            .find(|f| matches(f.op, &call) && count(f.op) == f.nth)
            .copied();
        let result = match fault {
            Some(fault) => Err(fault.errno),
            None => body(self),
        };
        self.log.push(Event { call, result });
        result
    }

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

    /// `open(path, oflag, mode)`, see [`ChildOps::open`] on `Model`.
    fn do_open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        let access = oflag & O_ACCMODE;
        if access == O_ACCMODE {
            return Err(Errno::EINVAL);
        }
        // Like Linux, reserve the descriptor before looking at the path.
        let fd = self.lowest_free_fd().ok_or(Errno::EMFILE)?;
        let cred = self.cred();
        let (dir, name) = self.fs.resolve_parent(self.cwd, path, cred)?;
        let node = match self.fs.lookup(dir, name, cred)? {
            Some(_) if oflag & O_CREAT != 0 && oflag & O_EXCL != 0 => {
                return Err(Errno::EEXIST);
            }
            Some(node) => node,
            None if oflag & O_CREAT == 0 => return Err(Errno::ENOENT),
            None if oflag & O_DIRECTORY != 0 || path.ends_with(b"/") => {
                return Err(Errno::EISDIR);
            }
            None => {
                if !self.fs.permits(dir, cred, WRITE | SEARCH) {
                    return Err(Errno::EACCES);
                }
                let mode = mode & !self.process.umask;
                self.fs.create(dir, name, false, mode, cred)
            }
        };
        let is_dir = self.fs.node(node).is_dir();
        if is_dir && (access != O_RDONLY || oflag & O_CREAT != 0) {
            return Err(Errno::EISDIR);
        }
        if !is_dir && (oflag & O_DIRECTORY != 0 || path.ends_with(b"/")) {
            return Err(Errno::ENOTDIR);
        }
        let mut want = 0;
        if access != O_WRONLY {
            want |= READ;
        }
        if access != O_RDONLY {
            want |= WRITE;
        }
        if !self.fs.permits(node, cred, want) {
            return Err(Errno::EACCES);
        }
        if let NodeKind::File { data } = &mut self.fs.node_mut(node).kind {
            if oflag & O_TRUNC != 0 && access != O_RDONLY {
                data.clear();
            }
        }
        let file = self.new_file(node, oflag);
        self.fds[fd as usize] = Some(FdSlot {
            file,
            cloexec: oflag & O_CLOEXEC != 0,
        });
        Ok(fd)
    }

    /// Makes `dir` the working directory: ENOTDIR unless it is a directory,
    /// EACCES without search permission on it.
    fn enter(&mut self, dir: NodeId) -> Result<i32> {
        if !self.fs.node(dir).is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if !self.fs.permits(dir, self.cred(), SEARCH) {
            return Err(Errno::EACCES);
        }
        self.cwd = dir;
        Ok(0)
    }
}

/// Whether a fault for `op` (`None`: any) applies to `call`.
fn matches(op: Option<Op>, call: &Call) -> bool {
    op.is_none_or(|op| op == call.op())
}

fn lossy(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

/// The model's `ChildOps`. Each method documents the rules a host follows.
impl ChildOps for Model {
    /// EINVAL outside `1..=NSIG`. SIGKILL and SIGSTOP always have SIG_DFL,
    /// so asking for it succeeds (Linux's `sigaction` would say EINVAL; a
    /// host must not, or a sigdefault made with `sigfillset` could never
    /// spawn).
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        self.call(Call::SetSignalDefault(signal), |m| {
            if !(1..=NSIG).contains(&signal) {
                return Err(Errno::EINVAL);
            }
            m.process.set_disposition(signal, Disposition::Default);
            Ok(0)
        })
        .map(drop)
    }

    /// Never fails; SIGKILL and SIGSTOP are silently left unblocked.
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.call(Call::SetSignalMask(mask), |m| {
            let mut mask = mask;
            let _ = mask.remove(SIGKILL);
            let _ = mask.remove(SIGSTOP);
            m.process.sigmask = mask;
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL if `priority` is outside the current policy's range; EPERM
    /// for a real-time priority when not privileged (euid != 0).
    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        self.call(Call::SetSchedParam(priority), |m| {
            let policy = m.process.policy;
            check_sched(policy, priority, m.process.euid)?;
            m.process.priority = priority;
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL if `priority` is outside `policy`'s range; EPERM for FIFO or
    /// RR when not privileged (euid != 0).
    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()> {
        self.call(Call::SetScheduler(policy, priority), |m| {
            check_sched(policy, priority, m.process.euid)?;
            m.process.policy = policy;
            m.process.priority = priority;
            Ok(0)
        })
        .map(drop)
    }

    /// EPERM if the process already leads a process group; otherwise it
    /// leads a new session and a new group, both with its pid.
    fn setsid(&mut self) -> Result<()> {
        self.call(Call::Setsid, |m| {
            let pid = m.process.pid;
            if m.process.pgid == pid || m.groups.contains_key(&pid) {
                return Err(Errno::EPERM);
            }
            m.process.sid = pid;
            m.process.pgid = pid;
            m.groups.insert(pid, pid);
            Ok(0)
        })
        .map(drop)
    }

    /// EINVAL for a negative `pgroup`; EPERM for a session leader, and for
    /// a group that is not in the caller's session (or does not exist);
    /// 0 or the pid itself make a new group led by the process.
    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        self.call(Call::Setpgid(pgroup), |m| {
            let pid = m.process.pid;
            if pgroup < 0 {
                return Err(Errno::EINVAL);
            }
            if m.process.sid == pid {
                return Err(Errno::EPERM);
            }
            let target = if pgroup == 0 { pid } else { pgroup };
            if target != pid && m.groups.get(&target) != Some(&m.process.sid) {
                return Err(Errno::EPERM);
            }
            m.groups.insert(target, m.process.sid);
            m.process.pgid = target;
            Ok(0)
        })
        .map(drop)
    }

    /// Always succeeds: going back to the real ids is always allowed.
    fn reset_ids(&mut self) -> Result<()> {
        self.call(Call::ResetIds, |m| {
            m.process.euid = m.process.ruid;
            m.process.egid = m.process.rgid;
            Ok(0)
        })
        .map(drop)
    }

    /// The lowest free descriptor, with FD_CLOEXEC if `oflag` has
    /// O_CLOEXEC. Errors: EINVAL for access mode 3; EMFILE when the table
    /// is full (checked first, as Linux does); ENOENT, ENOTDIR or EACCES
    /// from the lookup; EEXIST for O_CREAT|O_EXCL on an existing name;
    /// ENOENT for a missing name without O_CREAT; EACCES to create without
    /// write and search permission on the directory; EISDIR to open a
    /// directory for writing or with O_CREAT, or to create with
    /// O_DIRECTORY; ENOTDIR for O_DIRECTORY on a file; EACCES without read
    /// or write permission as the access mode asks. A created file gets
    /// `mode & !umask` and the effective ids; O_TRUNC empties a file opened
    /// for writing; O_APPEND makes every write append.
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        self.call(Call::Open(lossy(path), oflag, mode), |m| {
            m.do_open(path, oflag, mode)
        })
    }

    /// EBADF if `fd` is not open. The open file description goes when its
    /// last descriptor does.
    fn close(&mut self, fd: i32) -> Result<()> {
        self.call(Call::Close(fd), |m| {
            if m.drop_fd(fd) {
                Ok(0)
            } else {
                Err(Errno::EBADF)
            }
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open or `new_fd` is outside the table.
    /// Otherwise `new_fd` is closed silently if open and then refers to
    /// `fd`'s open file description (shared offset and status flags),
    /// without FD_CLOEXEC. `dup2(fd, fd)` changes nothing (POSIX), which is
    /// why the executor never asks for it.
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        self.call(Call::Dup2(fd, new_fd), |m| {
            let slot = m.slot(fd).ok_or(Errno::EBADF)?;
            if !(0..OPEN_MAX).contains(&new_fd) {
                return Err(Errno::EBADF);
            }
            if fd != new_fd {
                m.drop_fd(new_fd);
                m.fds[new_fd as usize] = Some(FdSlot {
                    file: slot.file,
                    cloexec: false,
                });
            }
            Ok(0)
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open.
    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        self.call(Call::ClearCloexec(fd), |m| {
            let index = usize::try_from(fd).map_err(|_| Errno::EBADF)?;
            let slot = m.fds.get_mut(index).and_then(Option::as_mut);
            slot.ok_or(Errno::EBADF)?.cloexec = false;
            Ok(0)
        })
        .map(drop)
    }

    /// ENOENT, ENOTDIR or EACCES from the lookup; ENOTDIR if `path` is not
    /// a directory; EACCES without search permission on it.
    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        self.call(Call::Chdir(lossy(path)), |m| {
            let node = m.fs.resolve(m.cwd, path, m.cred())?;
            m.enter(node)
        })
        .map(drop)
    }

    /// EBADF if `fd` is not open; ENOTDIR if it is not a directory; EACCES
    /// without search permission on it.
    fn fchdir(&mut self, fd: i32) -> Result<()> {
        self.call(Call::Fchdir(fd), |m| {
            let slot = m.slot(fd).ok_or(Errno::EBADF)?;
            let node = m.files[&slot.file].node;
            m.enter(node)
        })
        .map(drop)
    }

    /// Closes every open descriptor `>= low_fd` in one step (one log
    /// entry); a negative `low_fd` counts as 0, one at or above OPEN_MAX
    /// closes nothing. Never fails.
    fn close_from(&mut self, low_fd: i32) -> Result<()> {
        self.call(Call::CloseFrom(low_fd), |m| {
            for fd in low_fd.max(0)..OPEN_MAX {
                m.drop_fd(fd);
            }
            Ok(0)
        })
        .map(drop)
    }
}

/// The scheduler's checks: the priority must suit the policy (EINVAL), and
/// only a privileged process may use a real-time policy (EPERM).
fn check_sched(policy: SchedPolicy, priority: i32, euid: u32) -> Result<()> {
    if !policy.priority_range().contains(&priority) {
        return Err(Errno::EINVAL);
    }
    if policy != SchedPolicy::Other && euid != 0 {
        return Err(Errno::EPERM);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
