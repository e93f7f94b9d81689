//! Random sequences of `libspawn::command::Command` builder calls with
//! hostile arguments, and spawns through a recording fake `Spawner`.
//!
//! After every call it checks, against a plain model (a `Vec` of actions,
//! the raw attribute fields and the first error):
//! - actions accepted so far read back in order, within the capacities;
//! - a rejected call changed neither the attributes nor the actions, and
//!   only the first rejection is kept (with the step that made it);
//! - the attributes hold exactly what the accepted setters stored;
//! - `spawn` calls the spawner only when nothing was rejected and argv is
//!   valid, and passes it exactly the path, argv, environment, attributes
//!   and actions of the model; its result comes back unchanged.
//!
//! Both the C object's capacities and small ones (which fill up quickly)
//! are exercised.
#![no_main]

use std::ffi::{CStr, CString};

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use libspawn::abi::{flags, RawAttr, DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES, NSIG};
use libspawn::command::{Command, Pid, SpawnError, Spawner, Step};
use libspawn::{ActionList, Errno, FileAction, SchedPolicy, SpawnAttr};
use libspawn_fuzz::{
    assert_matches_model, expand, expected_add, owned, Add, Fd, Owned, PathBytes, Repeated,
};

/// Capacities of the small builder.
const SMALL_ACTIONS: usize = 5;
const SMALL_PATH_BYTES: usize = 48;
const MAX_CALLS: usize = 512;

/// A signal number, mostly valid.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Signal {
    /// `0..=NSIG + 1`.
    Near(u8),
    Any(i32),
}

impl Signal {
    fn get(self) -> i32 {
        match self {
            Signal::Near(n) => i32::from(n) % (NSIG + 2),
            Signal::Any(n) => n,
        }
    }
}

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Policy {
    Other,
    Fifo,
    RoundRobin,
}

impl Policy {
    fn get(self) -> SchedPolicy {
        match self {
            Policy::Other => SchedPolicy::Other,
            Policy::Fifo => SchedPolicy::Fifo,
            Policy::RoundRobin => SchedPolicy::RoundRobin,
        }
    }
}

#[derive(Arbitrary, Clone, Debug)]
enum Call {
    Open(Fd, PathBytes, i32, u32),
    Close(Fd),
    Dup2(Fd, Fd),
    CloseFrom(Fd),
    Chdir(PathBytes),
    Fchdir(Fd),
    /// The same adds through `file_action`.
    FileAction(ActionArg),
    SetPgroup(i32),
    ResetIds(bool),
    SetSid(bool),
    SetSigmask(Vec<Signal>),
    SetSigdef(Vec<Signal>),
    Scheduler(Option<Policy>, i32),
    /// Index into `Input::argvs`.
    Args(u8),
    /// Index into `Input::envs`.
    Env(u8),
    /// The spawner answers with this pid, or with this error number.
    Spawn(Result<i32, u8>),
}

/// A `FileAction` value with owned, hostile arguments.
#[derive(Arbitrary, Clone, Debug)]
enum ActionArg {
    Open(Fd, PathBytes, i32, u32),
    Close(Fd),
    Dup2(Fd, Fd),
    Chdir(PathBytes),
    Fchdir(Fd),
    CloseFrom(Fd),
}

#[derive(Arbitrary, Debug)]
struct Input {
    small: bool,
    path: Vec<u8>,
    argvs: Vec<Vec<Vec<u8>>>,
    envs: Vec<Vec<Vec<u8>>>,
    calls: Vec<Repeated<Call>>,
}

/// Copies of what the spawner was given.
#[derive(Debug, PartialEq)]
struct Spawned {
    path: CString,
    argv: Vec<CString>,
    envp: Option<Vec<CString>>,
    attr: RawAttr,
    actions: Vec<Owned>,
}

struct Recorder {
    calls: Vec<Spawned>,
    answer: Result<Pid, Errno>,
}

impl Spawner for Recorder {
    fn spawn(
        &mut self,
        path: &CStr,
        argv: &[&CStr],
        envp: Option<&[&CStr]>,
        attr: &SpawnAttr,
        actions: ActionList<'_>,
    ) -> Result<Pid, Errno> {
        self.calls.push(Spawned {
            path: path.into(),
            argv: argv.iter().map(|&arg| arg.into()).collect(),
            envp: envp.map(|envp| envp.iter().map(|&var| var.into()).collect()),
            attr: *attr.as_raw(),
            actions: actions.iter().map(owned).collect(),
        });
        self.answer
    }
}

/// C strings from arbitrary bytes: everything up to the first NUL.
fn c_strings(list: &[Vec<u8>]) -> Vec<CString> {
    list.iter()
        .map(|bytes| {
            let text: Vec<u8> = bytes.iter().copied().take_while(|&b| b != 0).collect();
            CString::new(text).expect("no NUL left")
        })
        .collect()
}

/// The model of the builder.
struct Model {
    max_actions: usize,
    max_path_bytes: usize,
    actions: Vec<Owned>,
    attr: RawAttr,
    error: Option<SpawnError>,
    argv: Option<Vec<CString>>,
    envp: Option<Vec<CString>>,
    /// Whether the current call is one the builder must reject.
    rejected: bool,
}

impl Model {
    fn reject(&mut self, step: Step, errno: Errno) {
        self.rejected = true;
        if self.error.is_none() {
            self.error = Some(SpawnError::Rejected { step, errno });
        }
    }

    fn add(&mut self, step: Step, add: Add) {
        match expected_add(&add, &self.actions, self.max_actions, self.max_path_bytes) {
            Ok(action) => self.actions.push(action),
            Err(errno) => self.reject(step, errno),
        }
    }

    fn set_flag(&mut self, flag: u32, on: bool) {
        if on {
            self.attr.flags |= flag;
        } else {
            self.attr.flags &= !flag;
        }
    }

    /// The set of `signals`, or EINVAL if one is outside `1..=NSIG`.
    fn signal_set(signals: &[i32]) -> Result<u64, Errno> {
        signals.iter().try_fold(0u64, |set, &signal| {
            if (1..=NSIG).contains(&signal) {
                Ok(set | 1 << (signal - 1))
            } else {
                Err(Errno::EINVAL)
            }
        })
    }
}

/// The step and add for a builder call that adds an action.
fn add_of(call: &ActionArg) -> (Step, Add) {
    match call {
        ActionArg::Open(fd, path, oflag, mode) => {
            (Step::Open, Add::Open(fd.get(), path.bytes(), *oflag, *mode))
        }
        ActionArg::Close(fd) => (Step::Close, Add::Close(fd.get())),
        ActionArg::Dup2(fd, new_fd) => (Step::Dup2, Add::Dup2(fd.get(), new_fd.get())),
        ActionArg::Chdir(path) => (Step::Chdir, Add::Chdir(path.bytes())),
        ActionArg::Fchdir(fd) => (Step::Fchdir, Add::Fchdir(fd.get())),
        ActionArg::CloseFrom(fd) => (Step::CloseFrom, Add::CloseFrom(fd.get())),
    }
}

fn run<const ACTIONS: usize, const PATH_BYTES: usize>(input: &Input) {
    let path = c_strings(std::slice::from_ref(&input.path)).remove(0);
    let argvs: Vec<Vec<CString>> = input.argvs.iter().map(|list| c_strings(list)).collect();
    let envs: Vec<Vec<CString>> = input.envs.iter().map(|list| c_strings(list)).collect();
    let argv_refs: Vec<Vec<&CStr>> = argvs
        .iter()
        .map(|list| list.iter().map(|s| s.as_c_str()).collect())
        .collect();
    let env_refs: Vec<Vec<&CStr>> = envs
        .iter()
        .map(|list| list.iter().map(|s| s.as_c_str()).collect())
        .collect();

    let mut cmd = Command::<'_, ACTIONS, PATH_BYTES>::with_capacity(&path);
    let mut model = Model {
        max_actions: ACTIONS,
        max_path_bytes: PATH_BYTES,
        actions: Vec::new(),
        attr: *SpawnAttr::new().as_raw(),
        error: None,
        argv: None,
        envp: None,
        rejected: false,
    };
    for call in expand(&input.calls, MAX_CALLS) {
        let attr_before = *cmd.attr().as_raw();
        let actions_before: Vec<Owned> = cmd.actions().iter().map(owned).collect();
        model.rejected = false;
        match call {
            Call::Open(fd, path, oflag, mode) => {
                cmd.open(fd.get(), &path.bytes(), *oflag, *mode);
                model.add(Step::Open, Add::Open(fd.get(), path.bytes(), *oflag, *mode));
            }
            Call::Close(fd) => {
                cmd.close(fd.get());
                model.add(Step::Close, Add::Close(fd.get()));
            }
            Call::Dup2(fd, new_fd) => {
                cmd.dup2(fd.get(), new_fd.get());
                model.add(Step::Dup2, Add::Dup2(fd.get(), new_fd.get()));
            }
            Call::CloseFrom(fd) => {
                cmd.close_from(fd.get());
                model.add(Step::CloseFrom, Add::CloseFrom(fd.get()));
            }
            Call::Chdir(path) => {
                cmd.chdir(&path.bytes());
                model.add(Step::Chdir, Add::Chdir(path.bytes()));
            }
            Call::Fchdir(fd) => {
                cmd.fchdir(fd.get());
                model.add(Step::Fchdir, Add::Fchdir(fd.get()));
            }
            Call::FileAction(arg) => {
                let (step, add) = add_of(arg);
                let action = match &add {
                    Add::Open(fd, path, oflag, mode) => FileAction::Open {
                        fd: *fd,
                        path,
                        oflag: *oflag,
                        mode: *mode,
                    },
                    Add::Close(fd) => FileAction::Close { fd: *fd },
                    Add::Dup2(fd, new_fd) => FileAction::Dup2 {
                        fd: *fd,
                        new_fd: *new_fd,
                    },
                    Add::Chdir(path) => FileAction::Chdir { path },
                    Add::Fchdir(fd) => FileAction::Fchdir { fd: *fd },
                    Add::CloseFrom(low_fd) => FileAction::CloseFrom { low_fd: *low_fd },
                };
                cmd.file_actions([action]);
                model.add(step, add);
            }
            Call::SetPgroup(pgroup) => {
                cmd.setpgroup(*pgroup);
                if *pgroup < 0 {
                    model.reject(Step::SetPgroup, Errno::EINVAL);
                } else {
                    model.attr.pgroup = *pgroup;
                    model.set_flag(flags::POSIX_SPAWN_SETPGROUP, true);
                }
            }
            Call::ResetIds(on) => {
                cmd.resetids(*on);
                model.set_flag(flags::POSIX_SPAWN_RESETIDS, *on);
            }
            Call::SetSid(on) => {
                cmd.setsid(*on);
                model.set_flag(flags::POSIX_SPAWN_SETSID, *on);
            }
            Call::SetSigmask(signals) | Call::SetSigdef(signals) => {
                let signals: Vec<i32> = signals.iter().map(|s| s.get()).collect();
                let is_mask = matches!(call, Call::SetSigmask(_));
                let (step, flag) = if is_mask {
                    cmd.setsigmask(signals.iter().copied());
                    (Step::SetSigmask, flags::POSIX_SPAWN_SETSIGMASK)
                } else {
                    cmd.setsigdef(signals.iter().copied());
                    (Step::SetSigdef, flags::POSIX_SPAWN_SETSIGDEF)
                };
                match Model::signal_set(&signals) {
                    Err(errno) => model.reject(step, errno),
                    Ok(set) => {
                        if is_mask {
                            model.attr.sigmask = set;
                        } else {
                            model.attr.sigdefault = set;
                        }
                        model.set_flag(flag, true);
                    }
                }
            }
            Call::Scheduler(policy, priority) => {
                let policy = policy.map(Policy::get);
                cmd.scheduler(policy, *priority);
                model.attr.schedpriority = *priority;
                if let Some(policy) = policy {
                    model.attr.schedpolicy = policy.raw();
                }
                model.set_flag(flags::POSIX_SPAWN_SETSCHEDPARAM, true);
                model.set_flag(flags::POSIX_SPAWN_SETSCHEDULER, policy.is_some());
            }
            Call::Args(index) => {
                if let Some(argv) = argv_refs.get(usize::from(*index)) {
                    cmd.args(argv);
                    model.argv = Some(argvs[usize::from(*index)].clone());
                }
            }
            Call::Env(index) => {
                if let Some(envp) = env_refs.get(usize::from(*index)) {
                    cmd.env(envp);
                    model.envp = Some(envs[usize::from(*index)].clone());
                }
            }
            Call::Spawn(answer) => {
                let answer = answer.map_err(|n| Errno::new(i32::from(n).max(1)).expect("positive"));
                let mut spawner = Recorder {
                    calls: Vec::new(),
                    answer,
                };
                let got = cmd.spawn(&mut spawner);
                let argv = model.argv.clone().unwrap_or_else(|| vec![path.clone()]);
                let expected = if let Some(error) = model.error {
                    Err(error)
                } else if argv.is_empty() {
                    Err(SpawnError::EmptyArgv)
                } else if argv[0].is_empty() {
                    Err(SpawnError::EmptyProgramName)
                } else {
                    answer.map_err(SpawnError::Spawn)
                };
                assert_eq!(got, expected, "spawn");
                let called = model.error.is_none() && argv.first().is_some_and(|a| !a.is_empty());
                if called {
                    let want = Spawned {
                        path: path.clone(),
                        argv,
                        envp: model.envp.clone(),
                        attr: model.attr,
                        actions: model.actions.clone(),
                    };
                    assert_eq!(spawner.calls, [want], "what the spawner was given");
                } else {
                    assert!(spawner.calls.is_empty(), "the spawner was called");
                }
                if let Err(error) = got {
                    // Every error names a real error number.
                    assert!(error.errno().raw() > 0);
                }
            }
        }
        // A rejected call changed nothing (and the first rejection is the
        // one kept, checked below with the rest of the model).
        if model.rejected {
            assert_eq!(
                *cmd.attr().as_raw(),
                attr_before,
                "{call:?} was rejected but changed the attributes"
            );
            let actions_after: Vec<Owned> = cmd.actions().iter().map(owned).collect();
            assert_eq!(
                actions_after, actions_before,
                "{call:?} was rejected but changed the actions"
            );
        }
        assert_eq!(cmd.error(), model.error, "{call:?}: the recorded error");
        assert_eq!(*cmd.attr().as_raw(), model.attr, "{call:?}: the attributes");
        assert_eq!(
            SpawnAttr::from_raw(model.attr).map(|a| *a.as_raw()),
            Ok(model.attr)
        );
        assert_matches_model(cmd.actions(), &model.actions, ACTIONS, PATH_BYTES);
    }
}

fuzz_target!(|input: Input| {
    if input.small {
        run::<SMALL_ACTIONS, SMALL_PATH_BYTES>(&input);
    } else {
        run::<DEFAULT_MAX_ACTIONS, DEFAULT_PATH_BYTES>(&input);
    }
});
