//! The parent's side of `posix_spawn`: [`System::spawn_create`], in the
//! parent's system call, validates the request the kernel copied in
//! (attributes, file actions, `posix_spawnp` search), allocates the pid and
//! the slot, and creates the child's process state from the parent's (see
//! [`System::create_child`]), keeping the request for the child. No parent
//! memory is copied. [`System::start_init`] makes init the same way.
//!
//! The child's side, [`System::spawn_apply`] (in
//! [`crate::spawn_child`], apart as the kernel's two sides are), runs in
//! the child's own context when it first runs and reports the outcome to a
//! parent waiting in `posix_spawn`.
//!
//! By default the parent sleeps until the child reports
//! ([`System::take_spawn_outcome`]): success (the parent returns 0 and the
//! pid) or an error (the child exits telling no one, the parent reaps it
//! and returns the error; `wait4` never sees it). With
//! `POSIX_SPAWN_NOWAIT_NP` the parent returns as soon as the child exists;
//! a failure is then the child's exit status 127.

use alloc::vec::Vec;

use libspawn::{Result, SpawnFlags};
use shim_abi::fcntl::{O_RDONLY, O_WRONLY};

use super::System;
use crate::process::{Pid, INIT_PID};
use crate::spawn_request::{SpawnRequest, SpawnStart};
use crate::strings::Strings;

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
        argv: Strings,
        envp: Strings,
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

    /// For `parent` waiting in `posix_spawn`: its child's report, once the
    /// child has made it (`None` before: the parent blocks for
    /// [`Block::Spawn`] and asks again). The parent then reaps a failed
    /// child ([`System::reap`]).
    pub fn take_spawn_outcome(&mut self, parent: Pid) -> Option<Result<()>> {
        self.procs.get_mut(&parent)?.spawn.outcome.take()
    }
}
