//! A second, deliberately simple interpreter of spawn attributes and file
//! actions, written from the POSIX "as if" text rather than from the
//! executor, for differential tests: the executor ([`crate::apply`]) run on
//! the model OS must end with the same result, descriptor table, working
//! directory and process state as this interpreter.
//!
//! It is shared by the property test `src/tests/executor_properties.rs` and the
//! fuzz target `executor_vs_reference` (`libspawn/fuzz`), which both call
//! [`compare`].
//!
//! The interpreter does not model a general file system: it knows the world
//! [`world`] builds (a few directories and files, some inherited
//! descriptors, caught, ignored and blocked signals) and keeps paths as
//! absolute byte strings, with only the permission facts that world needs:
//! every directory is searchable and readable by everyone, `/tmp`, `/tmp/d`
//! and `/home/user` are the only ones the unprivileged user may create files
//! in, and a file is readable and writable by the user who opens it as its
//! owner bits say. That last rule is exact because the effective ids only
//! change in the attributes step, before any file is created or opened.

extern crate std;

use std::collections::{BTreeMap, BTreeSet};
use std::format;
use std::string::String;
use std::vec::Vec;

use super::{Disposition, Model, Process, CHILD_PID, PARENT_PGID, PARENT_SID, SIGSTOP, USER};
use crate::abi::fcntl::{O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_WRONLY};
use crate::abi::signal::SIGKILL;
use crate::abi::NSIG;
use crate::actions::{ActionList, FileAction};
use crate::attr::{SchedPolicy, SpawnAttr, SpawnFlags};
use crate::errno::{Errno, Result};
use crate::exec::{apply, ChildOps};
use crate::sigset::SigSet;

/// SIGINT on Linux x86_64: in the scenario, a signal the parent ignores.
const SIGINT: i32 = 2;
/// SIGUSR1 on Linux x86_64: in the scenario, a signal the parent catches.
const SIGUSR1: i32 = 10;
/// SIGUSR2 on Linux x86_64: in the scenario, a signal the parent blocks.
const SIGUSR2: i32 = 12;

/// The umask of the world's process.
const UMASK: u32 = 0o022;

/// Directories the unprivileged user may create files in.
const USER_WRITABLE_DIRS: [&[u8]; 3] = [b"/tmp", b"/tmp/d", b"/home/user"];

/// The world both interpreters start from: [`Model::new`] plus `/tmp/f`
/// (a file, 0644), `/tmp/d` (a directory) and `/tmp/d/g` (a file), all
/// owned by [`USER`]; descriptor 5 on `/tmp/f` with FD_CLOEXEC, 6 and 7
/// sharing one description of `/tmp/d`; SIGINT ignored, SIGUSR1 caught and
/// SIGUSR2 blocked. With `privileged`, the effective user id is 0 (the
/// real one stays [`USER`], so RESETIDS drops the privilege).
pub fn world(privileged: bool) -> Model {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"data", 0o644);
    model.mkdir("/tmp/d", 0o755);
    model.write_file("/tmp/d/g", b"", 0o644);
    model.give_fd(5, "/tmp/f", O_RDONLY | O_CLOEXEC);
    model.give_fd(6, "/tmp/d", O_RDONLY);
    // Cannot fail: 6 is open and 7 is in the table.
    let _ = ChildOps::dup2(&mut model, 6, 7);
    model.clear_log();
    model.process.set_disposition(SIGINT, Disposition::Ignore);
    model.process.set_disposition(SIGUSR1, Disposition::Handler);
    model.process.sigmask = SigSet::from_bits(1 << (SIGUSR2 - 1));
    if privileged {
        model.process.euid = 0;
    }
    model
}

/// The reference interpreter's state: the world of [`world`], kept as
/// plain maps.
#[derive(Clone, Debug)]
pub struct Reference {
    /// Descriptor -> (open file description, FD_CLOEXEC).
    fds: BTreeMap<i32, (usize, bool)>,
    /// Open file description -> absolute path of its file.
    descs: Vec<Vec<u8>>,
    /// Absolute path of the working directory.
    cwd: Vec<u8>,
    /// Absolute paths of the directories.
    dirs: BTreeSet<Vec<u8>>,
    /// Absolute path of each regular file -> (readable, writable) for the
    /// user who opens it.
    files: BTreeMap<Vec<u8>, (bool, bool)>,
    /// Ids, signals and scheduling.
    process: Process,
}

impl Reference {
    /// The state of [`world`]`(privileged)`, written out by hand.
    pub fn new(privileged: bool) -> Reference {
        let descs: [&[u8]; 5] = [b"/dev/tty", b"/dev/tty", b"/dev/tty", b"/tmp/f", b"/tmp/d"];
        let fds = BTreeMap::from([
            (0, (0, false)),
            (1, (1, false)),
            (2, (2, false)),
            (5, (3, true)),
            (6, (4, false)),
            (7, (4, false)),
        ]);
        let dirs: [&[u8]; 6] = [b"/", b"/dev", b"/tmp", b"/tmp/d", b"/home", b"/home/user"];
        let files: [&[u8]; 3] = [b"/dev/tty", b"/tmp/f", b"/tmp/d/g"];
        let mut dispositions = [Disposition::Default; NSIG as usize];
        dispositions[(SIGINT - 1) as usize] = Disposition::Ignore;
        dispositions[(SIGUSR1 - 1) as usize] = Disposition::Handler;
        Reference {
            fds,
            descs: descs.iter().map(|d| d.to_vec()).collect(),
            cwd: b"/".to_vec(),
            dirs: dirs.iter().map(|d| d.to_vec()).collect(),
            files: files.iter().map(|f| (f.to_vec(), (true, true))).collect(),
            process: Process {
                pid: CHILD_PID,
                pgid: PARENT_PGID,
                sid: PARENT_SID,
                ruid: USER,
                euid: if privileged { 0 } else { USER },
                rgid: USER,
                egid: USER,
                umask: UMASK,
                sigmask: SigSet::from_bits(1 << (SIGUSR2 - 1)),
                dispositions,
                policy: SchedPolicy::Other,
                priority: 0,
            },
        }
    }

    /// Runs `attr` (if any), then each action in order, stopping at the
    /// first error.
    pub fn run(&mut self, attr: Option<&SpawnAttr>, actions: Option<ActionList<'_>>) -> Result<()> {
        if let Some(attr) = attr {
            self.attrs(attr)?;
        }
        for action in actions.iter().flat_map(ActionList::iter) {
            self.action(action)?;
        }
        Ok(())
    }

    /// The attributes, in the order the executor documents (POSIX leaves
    /// it open): signal defaults, mask, scheduling, session, group, ids.
    pub fn attrs(&mut self, attr: &SpawnAttr) -> Result<()> {
        let flags = attr.flags();
        let p = &mut self.process;
        if flags.contains(SpawnFlags::SETSIGDEF) {
            for signal in attr.sigdefault().iter() {
                p.dispositions[(signal - 1) as usize] = Disposition::Default;
            }
        }
        if flags.contains(SpawnFlags::SETSIGMASK) {
            // SIGKILL and SIGSTOP cannot be blocked.
            let unblockable = (1u64 << (SIGKILL - 1)) | (1u64 << (SIGSTOP - 1));
            p.sigmask = SigSet::from_bits(attr.sigmask().bits() & !unblockable);
        }
        // With SETSCHEDULER both policy and priority, whatever
        // SETSCHEDPARAM says.
        if flags.contains(SpawnFlags::SETSCHEDULER) {
            check_sched(attr.sched_policy(), attr.sched_priority(), p.euid)?;
            p.policy = attr.sched_policy();
            p.priority = attr.sched_priority();
        } else if flags.contains(SpawnFlags::SETSCHEDPARAM) {
            check_sched(p.policy, attr.sched_priority(), p.euid)?;
            p.priority = attr.sched_priority();
        }
        if flags.contains(SpawnFlags::SETSID) {
            // The child is never a group leader in this world.
            p.sid = p.pid;
            p.pgid = p.pid;
        }
        if flags.contains(SpawnFlags::SETPGROUP) {
            let target = match attr.pgroup() {
                0 => p.pid,
                pgroup => pgroup,
            };
            // The groups of the parent's session; a session leader may not
            // change group at all.
            let in_my_session = target == p.pid
                || (p.sid == PARENT_SID && [PARENT_SID, PARENT_PGID].contains(&target));
            if p.sid == p.pid || !in_my_session {
                return Err(Errno::EPERM);
            }
            p.pgid = target;
        }
        if flags.contains(SpawnFlags::RESETIDS) {
            p.euid = p.ruid;
            p.egid = p.rgid;
        }
        Ok(())
    }

    /// One file action, "as if" by the POSIX function it names.
    pub fn action(&mut self, action: FileAction<'_>) -> Result<()> {
        match action {
            // As if open(), the result moved onto fd, which is closed first.
            FileAction::Open {
                fd,
                path,
                oflag,
                mode,
            } => {
                self.fds.remove(&fd);
                let desc = self.open(path, oflag, mode)?;
                self.fds.insert(fd, (desc, false));
            }
            // Closing a descriptor that is not open is not an error.
            FileAction::Close { fd } => {
                self.fds.remove(&fd);
            }
            // dup2(fd, fd) clears FD_CLOEXEC, which is what inserting the
            // same description without the flag does.
            FileAction::Dup2 { fd, new_fd } => {
                let &(desc, _) = self.fds.get(&fd).ok_or(Errno::EBADF)?;
                self.fds.insert(new_fd, (desc, false));
            }
            FileAction::Chdir { path } => {
                let (full, _) = self.resolve(path)?;
                self.enter(full)?;
            }
            FileAction::Fchdir { fd } => {
                let &(desc, _) = self.fds.get(&fd).ok_or(Errno::EBADF)?;
                let dir = self.descs.get(desc).cloned().ok_or(Errno::EBADF)?;
                self.enter(dir)?;
            }
            FileAction::CloseFrom { low_fd } => self.fds.retain(|&fd, _| fd < low_fd),
        }
        Ok(())
    }

    /// What exec does: FD_CLOEXEC descriptors close, caught signals get
    /// SIG_DFL.
    pub fn exec(&mut self) {
        self.fds.retain(|_, &mut (_, cloexec)| !cloexec);
        for disposition in &mut self.process.dispositions {
            if *disposition == Disposition::Handler {
                *disposition = Disposition::Default;
            }
        }
    }

    /// The process state.
    pub fn process(&self) -> &Process {
        &self.process
    }

    /// The working directory, as [`Model::cwd`] shows it.
    pub fn cwd(&self) -> String {
        String::from_utf8_lossy(&self.cwd).into_owned()
    }

    /// The descriptor table, as [`Model::fd_table`] shows it.
    pub fn fd_table(&self) -> Vec<(i32, String, bool, i32)> {
        let mut first: BTreeMap<usize, i32> = BTreeMap::new();
        self.fds
            .iter()
            .map(|(&fd, &(desc, cloexec))| {
                let leader = *first.entry(desc).or_insert(fd);
                let path = self.descs.get(desc).map_or(&[][..], Vec::as_slice);
                (
                    fd,
                    String::from_utf8_lossy(path).into_owned(),
                    cloexec,
                    leader,
                )
            })
            .collect()
    }

    /// `path` made absolute from the working directory with `.` and `..`
    /// folded, and whether it ends in `/`. ENOENT for the empty path; for
    /// a prefix that is not a directory, ENOTDIR if it is a file and
    /// ENOENT if it does not exist.
    fn resolve(&self, path: &[u8]) -> Result<(Vec<u8>, bool)> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        let mut parts: Vec<&[u8]> = if path.starts_with(b"/") {
            Vec::new()
        } else {
            self.cwd
                .split(|&b| b == b'/')
                .filter(|p| !p.is_empty())
                .collect()
        };
        for name in path.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
            let here = join(&parts);
            if !self.dirs.contains(&here) {
                return Err(if self.files.contains_key(&here) {
                    Errno::ENOTDIR
                } else {
                    Errno::ENOENT
                });
            }
            match name {
                b"." => {}
                b".." => {
                    parts.pop();
                }
                _ => parts.push(name),
            }
        }
        Ok((join(&parts), path.ends_with(b"/")))
    }

    /// `open(path, oflag, mode)`: the new open file description.
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<usize> {
        let access = oflag & O_ACCMODE;
        if access == O_ACCMODE {
            return Err(Errno::EINVAL);
        }
        let (full, slash) = self.resolve(path)?;
        let creat = oflag & O_CREAT != 0;
        let directory = oflag & O_DIRECTORY != 0 || slash;
        let privileged = self.process.euid == 0;
        let exists = self.dirs.contains(&full) || self.files.contains_key(&full);
        if exists && creat && oflag & O_EXCL != 0 {
            return Err(Errno::EEXIST);
        }
        if self.dirs.contains(&full) {
            if access != O_RDONLY || creat {
                return Err(Errno::EISDIR);
            }
        } else if let Some(&(readable, writable)) = self.files.get(&full) {
            if directory {
                return Err(Errno::ENOTDIR);
            }
            let allowed = match access {
                O_RDONLY => readable,
                O_WRONLY => writable,
                _ => readable && writable,
            };
            if !allowed && !privileged {
                return Err(Errno::EACCES);
            }
        } else if !creat {
            return Err(Errno::ENOENT);
        } else if directory {
            return Err(Errno::EISDIR);
        } else {
            let parent = match full.iter().rposition(|&b| b == b'/') {
                Some(0) | None => &b"/"[..],
                Some(at) => &full[..at],
            };
            if !privileged && !USER_WRITABLE_DIRS.contains(&parent) {
                return Err(Errno::EACCES);
            }
            // The open that creates a file succeeds whatever its mode.
            let mode = mode & !UMASK;
            self.files
                .insert(full.clone(), (mode & 0o400 != 0, mode & 0o200 != 0));
        }
        self.descs.push(full);
        Ok(self.descs.len() - 1)
    }

    /// Makes `dir` the working directory: ENOTDIR for a file, ENOENT for
    /// nothing.
    fn enter(&mut self, dir: Vec<u8>) -> Result<()> {
        if self.files.contains_key(&dir) {
            return Err(Errno::ENOTDIR);
        }
        if !self.dirs.contains(&dir) {
            return Err(Errno::ENOENT);
        }
        self.cwd = dir;
        Ok(())
    }
}

/// The scheduler's rules: the priority must suit the policy (EINVAL), and a
/// real-time policy needs privilege (EPERM).
fn check_sched(policy: SchedPolicy, priority: i32, euid: u32) -> Result<()> {
    let realtime = policy != SchedPolicy::Other;
    let in_range = if realtime {
        (1..=99).contains(&priority)
    } else {
        priority == 0
    };
    if !in_range {
        Err(Errno::EINVAL)
    } else if realtime && euid != 0 {
        Err(Errno::EPERM)
    } else {
        Ok(())
    }
}

/// `/` followed by `parts` joined with `/`.
fn join(parts: &[&[u8]]) -> Vec<u8> {
    let mut path = b"/".to_vec();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            path.push(b'/');
        }
        path.extend_from_slice(part);
    }
    path
}

/// Runs the executor on [`world`]`(privileged)` and the reference
/// interpreter on the same input, then exec on both, and describes the
/// first difference: the results, the descriptor tables, the working
/// directories or the process states. `Ok` when they agree.
///
/// # Errors
/// A message naming what differs, with both values.
pub fn compare(
    privileged: bool,
    attr: Option<&SpawnAttr>,
    actions: Option<ActionList<'_>>,
) -> core::result::Result<(), String> {
    let mut model = world(privileged);
    let mut reference = Reference::new(privileged);
    let same_start = same_state(&model, &reference);
    same_start.map_err(|diff| format!("the starting worlds differ: {diff}"))?;
    let got = apply(attr, actions, &mut model);
    let expected = reference.run(attr, actions);
    if got != expected {
        return Err(format!("result: executor {got:?}, reference {expected:?}"));
    }
    same_state(&model, &reference)?;
    model.exec();
    reference.exec();
    same_state(&model, &reference).map_err(|diff| format!("after exec: {diff}"))
}

/// The first difference between the model's state and the reference's.
fn same_state(model: &Model, reference: &Reference) -> core::result::Result<(), String> {
    let (got, expected) = (model.fd_table(), reference.fd_table());
    if got != expected {
        return Err(format!(
            "fd table: executor {got:?}, reference {expected:?}"
        ));
    }
    let (got, expected) = (model.cwd(), reference.cwd());
    if got != expected {
        return Err(format!("cwd: executor {got:?}, reference {expected:?}"));
    }
    if model.process != reference.process {
        return Err(format!(
            "process: executor {:?}, reference {:?}",
            model.process, reference.process
        ));
    }
    Ok(())
}
