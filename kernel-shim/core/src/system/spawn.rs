//! `posix_spawn` in two steps, the only two the kernel runs:
//!
//! 1. [`System::spawn_create`], in the parent's system call: validates the
//!    request the kernel copied in (attributes, file actions, `posix_spawnp`
//!    search), allocates the pid and the slot, and creates the child's
//!    process state from the parent's (see [`System::create_child`]),
//!    keeping the request for the child. No parent memory is copied.
//! 2. [`System::spawn_apply`], in the child's own context when it first
//!    runs: libspawn's executor applies the attributes and file actions
//!    through [`SpawnChild`](crate::SpawnChild), FD_CLOEXEC descriptors are
//!    closed, the image is looked up (after the actions, so relative paths
//!    follow their `chdir`; `posix_spawnp` searches the caller's PATH here)
//!    and handed to the kernel's loader, and on success the exec is
//!    committed (caught signals reset, set-id bits). The outcome goes to a
//!    parent waiting in `posix_spawn`.
//!
//! By default the parent sleeps until the child reports
//! ([`System::take_spawn_outcome`]): success (the parent returns 0 and the
//! pid) or an error (the child exits telling no one, the parent reaps it
//! and returns the error; `wait4` never sees it). With
//! `POSIX_SPAWN_NOWAIT_NP` the parent returns as soon as the child exists;
//! a failure is then the child's exit status 127.

use alloc::vec::Vec;

use libspawn::{ActionList, Errno, Result, SpawnFlags};
use shim_abi::fcntl::{O_RDONLY, O_WRONLY};

use super::System;
use crate::process::{Block, Pid, INIT_PID};
use crate::spawn_request::{Image, SpawnRequest, SpawnStart};
use crate::vfs::Ino;

/// A child [`System::spawn_create`] made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spawned {
    /// Its pid.
    pub pid: Pid,
    /// Whether its parent waits in `posix_spawn` for its report.
    pub parent_waits: bool,
}

/// The terminal every descriptor of init starts on.
const CONSOLE: &[u8] = b"/dev/console";

impl System {
    /// Step 1 of `posix_spawn`, in `parent`'s call: validates `request`,
    /// creates the child (see [`System::create_child`]) and keeps the
    /// request for its first run. Returns the child's pid and whether the
    /// parent waits for its report ([`System::take_spawn_outcome`]): yes
    /// unless the attributes say `POSIX_SPAWN_NOWAIT_NP`.
    ///
    /// # Errors
    ///
    /// EINVAL for malformed attributes or actions, ENOENT for an empty
    /// name to search, EAGAIN when the process table is full, ESRCH,
    /// ENOMEM. Nothing is created on failure.
    pub fn spawn_create(&mut self, parent: Pid, request: SpawnRequest) -> Result<Spawned> {
        let start = SpawnStart::validate(request)?;
        let parent_waits = !start
            .attr
            .is_some_and(|attr| attr.flags().contains(SpawnFlags::NOWAIT_NP));
        let child = self.allocate_pid();
        self.create_child(parent, child)?;
        let link = &mut self.process_mut(child)?.spawn;
        link.start = Some(start);
        link.parent_waits = parent_waits;
        if parent_waits {
            self.process_mut(parent)?.spawn.outcome = None;
        }
        Ok(Spawned {
            pid: child,
            parent_waits,
        })
    }

    /// Creates init (pid 1): root, its own group and session, descriptors
    /// 0, 1 and 2 open on `/dev/console`, working directory `cwd`; it runs
    /// `path` with `argv` and `envp` through [`System::spawn_apply`] when
    /// it first runs.
    ///
    /// # Errors
    ///
    /// EINVAL if init exists; ENOENT and others if the console or `cwd`
    /// cannot be opened or entered.
    pub fn start_init(
        &mut self,
        path: &[u8],
        argv: Vec<Vec<u8>>,
        envp: Vec<Vec<u8>>,
        cwd: &[u8],
    ) -> Result<Pid> {
        let pid = INIT_PID;
        self.create_init(pid)?;
        for flags in [O_RDONLY, O_WRONLY, O_WRONLY] {
            self.open(pid, CONSOLE, flags, 0)?;
        }
        self.chdir(pid, cwd)?;
        self.process_mut(pid)?.spawn.start = Some(SpawnStart {
            path: path.to_vec(),
            argv,
            envp,
            attr: None,
            records: Vec::new(),
            paths: Vec::new(),
            search: None,
        });
        Ok(pid)
    }

    /// Looks up the image for `start` as `pid`: the path as given, or for
    /// `posix_spawnp` with a name without `/`, each PATH directory in turn
    /// (ENOENT, ENOTDIR and ENAMETOOLONG go on, EACCES is remembered,
    /// anything else stops).
    fn find_image(&self, pid: Pid, start: &SpawnStart) -> Result<Ino> {
        let Some(search) = start
            .search
            .as_ref()
            .filter(|_| !start.path.contains(&b'/'))
        else {
            return self.exec_lookup(pid, &start.path);
        };
        let mut denied = false;
        for dir in search.split(|&b| b == b':') {
            let mut candidate = Vec::new();
            candidate
                .try_reserve(dir.len() + 1 + start.path.len())
                .map_err(|_| Errno::ENOMEM)?;
            if !dir.is_empty() {
                candidate.extend_from_slice(dir);
                candidate.push(b'/');
            }
            candidate.extend_from_slice(&start.path);
            match self.exec_lookup(pid, &candidate) {
                Ok(ino) => return Ok(ino),
                Err(Errno::ENOENT | Errno::ENOTDIR | Errno::ENAMETOOLONG) => {}
                Err(Errno::EACCES) => denied = true,
                Err(errno) => return Err(errno),
            }
        }
        Err(if denied { Errno::EACCES } else { Errno::ENOENT })
    }

    /// The child's part of the spawn, without the report: executor,
    /// close-on-exec, lookup, `load`, commit.
    fn apply_start<T>(
        &mut self,
        child: Pid,
        start: &SpawnStart,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> Result<T> {
        let actions = ActionList::new(&start.records, &start.paths)?;
        libspawn::exec::apply(
            start.attr.as_ref(),
            Some(actions),
            &mut self.spawn_child(child),
        )?;
        self.close_on_exec(child)?;
        let ino = self.find_image(child, start)?;
        let creds = self.exec_creds(child, ino)?;
        let loaded = load(Image {
            bytes: self.file_bytes(ino)?,
            version: self.content_version(ino)?,
            argv: &start.argv,
            envp: &start.envp,
            path: &start.path,
            creds,
        })?;
        self.commit_exec(child, ino)?;
        Ok(loaded)
    }

    /// Step 2 of `posix_spawn`, in the new `child`'s own context on its
    /// first run: applies the attributes and file actions, closes
    /// FD_CLOEXEC descriptors, looks up the image and calls `load` with it
    /// (the kernel's loader: building the address space is machine work),
    /// then commits the exec. Processes waiting on pipes are woken (the
    /// actions may have closed ends). A waiting parent gets the outcome
    /// and is woken; if the spawn failed, the child is then hidden: its
    /// exit tells no one and the parent reaps it.
    ///
    /// # Errors
    ///
    /// Whatever an action, the lookup or `load` failed with (ENOENT,
    /// EACCES, ENOEXEC, EBADF, EPERM, ...); EINVAL if `child` has no spawn
    /// to apply. The kernel then ends the child with status 127.
    pub fn spawn_apply<T>(
        &mut self,
        child: Pid,
        load: impl FnOnce(Image<'_>) -> Result<T>,
    ) -> Result<T> {
        let start = self
            .process_mut(child)?
            .spawn
            .start
            .take()
            .ok_or(Errno::EINVAL)?;
        let result = self.apply_start(child, &start, load);
        self.wake_all(Block::Pipe);
        let process = self.process_mut(child)?;
        let (parent, waits) = (process.ppid, process.spawn.parent_waits);
        process.spawn.parent_waits = false;
        if waits {
            process.spawn.hidden = result.is_err();
            let outcome = result.as_ref().map(drop).map_err(|&errno| errno);
            if let Ok(spawner) = self.process_mut(parent) {
                spawner.spawn.outcome = Some(outcome);
            }
            self.wake(parent, Block::Spawn);
        }
        result
    }

    /// For `parent` waiting in `posix_spawn`: its child's report, once the
    /// child has made it (`None` before: the parent blocks for
    /// [`Block::Spawn`] and asks again). The parent then reaps a failed
    /// child ([`System::reap`]).
    pub fn take_spawn_outcome(&mut self, parent: Pid) -> Option<Result<()>> {
        self.procs.get_mut(&parent)?.spawn.outcome.take()
    }
}
