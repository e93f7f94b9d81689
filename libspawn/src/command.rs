//! `Command`: a safe builder for a spawn, in the spirit of `std::process::Command`.
//!
//! A [`Command`] assembles a [`SpawnAttr`] and a [`FileActions`] and hands
//! them, with the path, argv and envp, to a [`Spawner`], the trait the host
//! implements (the guest's spawn system call, or a recording fake in
//! tests). It covers every parameter of Python's `os.posix_spawn`:
//!
//! | `os.posix_spawn` | `Command` |
//! |---|---|
//! | `path`, `argv`, `env` | [`Command::new`], [`Command::args`], [`Command::env`] |
//! | `file_actions=[(POSIX_SPAWN_OPEN, fd, path, flags, mode)]` | [`Command::open`] |
//! | `(POSIX_SPAWN_CLOSE, fd)` | [`Command::close`] |
//! | `(POSIX_SPAWN_DUP2, fd, new_fd)` | [`Command::dup2`] |
//! | `(POSIX_SPAWN_CLOSEFROM, fd)` | [`Command::close_from`] |
//! | (not in Python) `addchdir`, `addfchdir` | [`Command::chdir`], [`Command::fchdir`] |
//! | `setpgroup=pgid` | [`Command::setpgroup`] |
//! | `resetids=True` | [`Command::resetids`] |
//! | `setsid=True` | [`Command::setsid`] |
//! | `setsigmask=signals` | [`Command::setsigmask`] |
//! | `setsigdef=signals` | [`Command::setsigdef`] |
//! | `scheduler=(policy_or_None, param)` | [`Command::scheduler`] |
//!
//! Like `std::process::Command`, the builder methods return `&mut Self` so
//! they chain, and errors are deferred: a call that fails (a negative
//! descriptor, a signal out of range, full storage, ...) changes nothing,
//! and the first such error is what [`Command::spawn`] returns, naming the
//! call that failed, without calling the spawner. Later calls still apply,
//! so [`Command::attr`] and [`Command::actions`] show everything that was
//! accepted.
//!
//! Nothing here allocates: argv and envp are borrowed slices and the actions
//! live in the builder's fixed-capacity [`FileActions`].
#![forbid(unsafe_code)]

use core::ffi::CStr;
use core::fmt;

use crate::abi::{DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES};
use crate::actions::{ActionList, FileAction, FileActions};
use crate::attr::{SchedPolicy, SpawnAttr, SpawnFlags};
use crate::errno::Errno;
use crate::sigset::SigSet;

/// A process id, as `posix_spawn` stores it in `*pid`.
pub type Pid = i32;

/// What a [`Command`] needs from the host: create the child.
///
/// An implementation behaves like `posix_spawn`: it creates a child that
/// applies `attr` and then `actions` (for example with [`crate::apply`]) and
/// runs `path`, and returns the child's pid, or the error number
/// `posix_spawn` would return.
pub trait Spawner {
    /// Spawns `path` with `argv` and the environment `envp`; `None` means
    /// the calling process's own environment (Python's `env=None`).
    /// `argv` is never empty and `argv[0]` never the empty string.
    ///
    /// # Errors
    /// Whatever `posix_spawn` returns on the host (ENOENT, EACCES, ...).
    fn spawn(
        &mut self,
        path: &CStr,
        argv: &[&CStr],
        envp: Option<&[&CStr]>,
        attr: &SpawnAttr,
        actions: ActionList<'_>,
    ) -> Result<Pid, Errno>;
}

/// The builder call that failed, as named in [`SpawnError::Rejected`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// [`Command::open`].
    Open,
    /// [`Command::close`].
    Close,
    /// [`Command::dup2`].
    Dup2,
    /// [`Command::close_from`].
    CloseFrom,
    /// [`Command::chdir`].
    Chdir,
    /// [`Command::fchdir`].
    Fchdir,
    /// [`Command::setpgroup`].
    SetPgroup,
    /// [`Command::resetids`].
    ResetIds,
    /// [`Command::setsid`].
    SetSid,
    /// [`Command::setsigmask`].
    SetSigmask,
    /// [`Command::setsigdef`].
    SetSigdef,
    /// [`Command::scheduler`].
    Scheduler,
}

impl Step {
    /// The builder method's name.
    pub const fn name(self) -> &'static str {
        match self {
            Step::Open => "open",
            Step::Close => "close",
            Step::Dup2 => "dup2",
            Step::CloseFrom => "close_from",
            Step::Chdir => "chdir",
            Step::Fchdir => "fchdir",
            Step::SetPgroup => "setpgroup",
            Step::ResetIds => "resetids",
            Step::SetSid => "setsid",
            Step::SetSigmask => "setsigmask",
            Step::SetSigdef => "setsigdef",
            Step::Scheduler => "scheduler",
        }
    }
}

/// Why [`Command::spawn`] failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SpawnError {
    /// A builder call was rejected (the first one, if several were); the
    /// spawner was not called.
    Rejected {
        /// The call that failed.
        step: Step,
        /// Its error number (EBADF, EINVAL, ENAMETOOLONG or ENOMEM).
        errno: Errno,
    },
    /// argv is empty (EINVAL; Python: "argv must not be empty").
    EmptyArgv,
    /// argv\[0\] is the empty string (EINVAL; Python: "argv first element
    /// cannot be empty").
    EmptyProgramName,
    /// The spawner failed with this error number.
    Spawn(Errno),
}

impl SpawnError {
    /// The error number a C caller would see.
    pub const fn errno(self) -> Errno {
        match self {
            SpawnError::Rejected { errno, .. } | SpawnError::Spawn(errno) => errno,
            SpawnError::EmptyArgv | SpawnError::EmptyProgramName => Errno::EINVAL,
        }
    }
}

impl fmt::Display for SpawnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnError::Rejected { step, errno } => write!(f, "{}: {errno}", step.name()),
            SpawnError::EmptyArgv => write!(f, "argv must not be empty: EINVAL"),
            SpawnError::EmptyProgramName => write!(f, "argv[0] must not be empty: EINVAL"),
            SpawnError::Spawn(errno) => write!(f, "spawn: {errno}"),
        }
    }
}

impl core::error::Error for SpawnError {}

/// A spawn being assembled: the program, its arguments and environment,
/// its attributes and its file actions (at most `ACTIONS` actions and
/// `PATH_BYTES` bytes of paths; the defaults are the C object's).
#[derive(Clone, Debug)]
pub struct Command<
    'a,
    const ACTIONS: usize = DEFAULT_MAX_ACTIONS,
    const PATH_BYTES: usize = DEFAULT_PATH_BYTES,
> {
    path: &'a CStr,
    argv: Option<&'a [&'a CStr]>,
    envp: Option<&'a [&'a CStr]>,
    attr: SpawnAttr,
    actions: FileActions<ACTIONS, PATH_BYTES>,
    error: Option<SpawnError>,
}

impl<'a> Command<'a> {
    /// A command that runs `path` with argv `[path]`, the caller's
    /// environment, default attributes and no file actions, with the C
    /// object's capacities. See [`Command::with_capacity`] for others.
    pub fn new(path: &'a CStr) -> Self {
        Command::with_capacity(path)
    }
}

impl<'a, const ACTIONS: usize, const PATH_BYTES: usize> Command<'a, ACTIONS, PATH_BYTES> {
    /// As [`Command::new`], with room for `ACTIONS` file actions and
    /// `PATH_BYTES` bytes of paths.
    pub fn with_capacity(path: &'a CStr) -> Self {
        Command {
            path,
            argv: None,
            envp: None,
            attr: SpawnAttr::new(),
            actions: FileActions::new(),
            error: None,
        }
    }

    /// Keeps the first error; later calls do not replace it.
    fn record(&mut self, step: Step, result: Result<(), Errno>) -> &mut Self {
        if let (Err(errno), None) = (result, self.error) {
            self.error = Some(SpawnError::Rejected { step, errno });
        }
        self
    }

    /// Turns `flag` on or off (a known flag, so this cannot fail).
    fn set_flag(&mut self, step: Step, flag: SpawnFlags, on: bool) -> &mut Self {
        let flags = self.attr.flags();
        let flags = if on { flags | flag } else { flags - flag };
        let result = self.attr.set_flags(flags);
        self.record(step, result)
    }

    /// The whole argument vector, `argv[0]` included (by default `[path]`).
    /// Spawning fails with EINVAL if it is empty or `argv[0]` is "".
    pub fn args(&mut self, argv: &'a [&'a CStr]) -> &mut Self {
        self.argv = Some(argv);
        self
    }

    /// The child's whole environment (by default, the caller's own, as with
    /// Python's `env=None`). `env(&[])` gives an empty environment.
    pub fn env(&mut self, envp: &'a [&'a CStr]) -> &mut Self {
        self.envp = Some(envp);
        self
    }

    /// Adds "close `fd` if open, open `path` with `oflag` and `mode`, and
    /// make the result `fd`" (`POSIX_SPAWN_OPEN`). The path is copied.
    /// Records EBADF (bad `fd`), EINVAL (a NUL in `path`), ENAMETOOLONG or
    /// ENOMEM.
    pub fn open(&mut self, fd: i32, path: &[u8], oflag: i32, mode: u32) -> &mut Self {
        let result = self.actions.add_open(fd, path, oflag, mode);
        self.record(Step::Open, result)
    }

    /// Adds "close `fd`" (`POSIX_SPAWN_CLOSE`). Records EBADF or ENOMEM.
    pub fn close(&mut self, fd: i32) -> &mut Self {
        let result = self.actions.add_close(fd);
        self.record(Step::Close, result)
    }

    /// Adds "`dup2(fd, new_fd)`" (`POSIX_SPAWN_DUP2`); `dup2(fd, fd)` clears
    /// FD_CLOEXEC. Records EBADF or ENOMEM.
    pub fn dup2(&mut self, fd: i32, new_fd: i32) -> &mut Self {
        let result = self.actions.add_dup2(fd, new_fd);
        self.record(Step::Dup2, result)
    }

    /// Adds "close every descriptor `>= low_fd`" (`POSIX_SPAWN_CLOSEFROM`).
    /// Records EBADF or ENOMEM.
    pub fn close_from(&mut self, low_fd: i32) -> &mut Self {
        let result = self.actions.add_closefrom(low_fd);
        self.record(Step::CloseFrom, result)
    }

    /// Adds "change the working directory to `path`". The path is copied.
    /// Records EINVAL (a NUL in `path`), ENAMETOOLONG or ENOMEM.
    pub fn chdir(&mut self, path: &[u8]) -> &mut Self {
        let result = self.actions.add_chdir(path);
        self.record(Step::Chdir, result)
    }

    /// Adds "change the working directory to the directory open on `fd`".
    /// Records EBADF or ENOMEM.
    pub fn fchdir(&mut self, fd: i32) -> &mut Self {
        let result = self.actions.add_fchdir(fd);
        self.record(Step::Fchdir, result)
    }

    /// Adds one action, whatever its kind: the way to pass a Python-style
    /// list of file actions.
    pub fn file_action(&mut self, action: FileAction<'_>) -> &mut Self {
        match action {
            FileAction::Open {
                fd,
                path,
                oflag,
                mode,
            } => self.open(fd, path, oflag, mode),
            FileAction::Close { fd } => self.close(fd),
            FileAction::Dup2 { fd, new_fd } => self.dup2(fd, new_fd),
            FileAction::Chdir { path } => self.chdir(path),
            FileAction::Fchdir { fd } => self.fchdir(fd),
            FileAction::CloseFrom { low_fd } => self.close_from(low_fd),
        }
    }

    /// Adds each action in turn (see [`Command::file_action`]).
    pub fn file_actions<'b, I>(&mut self, actions: I) -> &mut Self
    where
        I: IntoIterator<Item = FileAction<'b>>,
    {
        for action in actions {
            self.file_action(action);
        }
        self
    }

    /// Puts the child in process group `pgroup`, or in a new group it leads
    /// when `pgroup` is 0 (`POSIX_SPAWN_SETPGROUP`). Records EINVAL, and
    /// changes nothing, for a negative `pgroup`.
    pub fn setpgroup(&mut self, pgroup: i32) -> &mut Self {
        if let Err(errno) = self.attr.set_pgroup(pgroup) {
            return self.record(Step::SetPgroup, Err(errno));
        }
        self.set_flag(Step::SetPgroup, SpawnFlags::SETPGROUP, true)
    }

    /// Whether the child's effective ids become the parent's real ids
    /// (`POSIX_SPAWN_RESETIDS`).
    pub fn resetids(&mut self, on: bool) -> &mut Self {
        self.set_flag(Step::ResetIds, SpawnFlags::RESETIDS, on)
    }

    /// Whether the child leads a new session (`POSIX_SPAWN_SETSID`).
    pub fn setsid(&mut self, on: bool) -> &mut Self {
        self.set_flag(Step::SetSid, SpawnFlags::SETSID, on)
    }

    /// The child's signal mask (`POSIX_SPAWN_SETSIGMASK`). Records EINVAL,
    /// and changes nothing, if a signal is not in `1..=NSIG`.
    pub fn setsigmask<I: IntoIterator<Item = i32>>(&mut self, signals: I) -> &mut Self {
        match checked_set(signals) {
            Ok(set) => {
                self.attr.set_sigmask(set);
                self.set_flag(Step::SetSigmask, SpawnFlags::SETSIGMASK, true)
            }
            Err(errno) => self.record(Step::SetSigmask, Err(errno)),
        }
    }

    /// Signals whose action becomes the default in the child
    /// (`POSIX_SPAWN_SETSIGDEF`). Records EINVAL, and changes nothing, if a
    /// signal is not in `1..=NSIG`.
    pub fn setsigdef<I: IntoIterator<Item = i32>>(&mut self, signals: I) -> &mut Self {
        match checked_set(signals) {
            Ok(set) => {
                self.attr.set_sigdefault(set);
                self.set_flag(Step::SetSigdef, SpawnFlags::SETSIGDEF, true)
            }
            Err(errno) => self.record(Step::SetSigdef, Err(errno)),
        }
    }

    /// The child's scheduling, as Python's `scheduler=(policy, param)`: the
    /// priority always (`POSIX_SPAWN_SETSCHEDPARAM`), and with `Some`
    /// policy also the policy (`POSIX_SPAWN_SETSCHEDULER`). With `None` the
    /// child keeps the caller's policy. Whether the priority suits the
    /// policy is checked at spawn time.
    pub fn scheduler(&mut self, policy: Option<SchedPolicy>, priority: i32) -> &mut Self {
        self.attr.set_sched_priority(priority);
        if let Some(policy) = policy {
            self.attr.set_sched_policy(policy);
        }
        self.set_flag(Step::Scheduler, SpawnFlags::SETSCHEDPARAM, true)
            .set_flag(Step::Scheduler, SpawnFlags::SETSCHEDULER, policy.is_some())
    }

    /// The attributes assembled so far.
    pub fn attr(&self) -> &SpawnAttr {
        &self.attr
    }

    /// The file actions added so far, in order.
    pub fn actions(&self) -> ActionList<'_> {
        self.actions.as_list()
    }

    /// The first error a builder call recorded, if any.
    pub fn error(&self) -> Option<SpawnError> {
        self.error
    }

    /// Spawns the command through `spawner` and returns the child's pid.
    ///
    /// # Errors
    /// The first error a builder call recorded ([`SpawnError::Rejected`]);
    /// else EINVAL for an empty argv or argv\[0\]; else the spawner's error
    /// ([`SpawnError::Spawn`]). The spawner is called only if all is well.
    pub fn spawn<S: Spawner + ?Sized>(&self, spawner: &mut S) -> Result<Pid, SpawnError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let argv = match self.argv {
            Some(argv) => argv,
            None => core::slice::from_ref(&self.path),
        };
        match argv.first() {
            None => return Err(SpawnError::EmptyArgv),
            Some(name) if name.is_empty() => return Err(SpawnError::EmptyProgramName),
            Some(_) => {}
        }
        spawner
            .spawn(
                self.path,
                argv,
                self.envp,
                &self.attr,
                self.actions.as_list(),
            )
            .map_err(SpawnError::Spawn)
    }
}

/// The set of `signals`, or EINVAL for the first one out of range.
fn checked_set<I: IntoIterator<Item = i32>>(signals: I) -> Result<SigSet, Errno> {
    let mut set = SigSet::EMPTY;
    for signal in signals {
        set.add(signal)?;
    }
    Ok(set)
}

#[cfg(test)]
mod tests;
