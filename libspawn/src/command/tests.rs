//! Host tests for the `Command` builder, with a recording fake spawner.

use std::ffi::CString;

use super::*;
use crate::abi::{action_kind, fcntl::O_RDONLY, ActionRecord, NSIG, OPEN_MAX};

/// One call the fake received, with everything copied out.
#[derive(Debug, Default)]
struct Call {
    path: CString,
    argv: Vec<CString>,
    envp: Option<Vec<CString>>,
    attr: SpawnAttr,
    records: Vec<ActionRecord>,
    paths: Vec<u8>,
}

impl Call {
    /// The actions, decoded again from the copied arrays.
    fn actions(&self) -> Vec<FileAction<'_>> {
        ActionList::new(&self.records, &self.paths)
            .unwrap()
            .iter()
            .collect()
    }
}

/// Records every call and answers with `result`.
struct Recorder {
    calls: Vec<Call>,
    result: Result<Pid, Errno>,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder {
            calls: Vec::new(),
            result: Ok(42),
        }
    }

    fn only_call(&self) -> &Call {
        assert_eq!(self.calls.len(), 1, "expected exactly one spawn");
        &self.calls[0]
    }
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
        self.calls.push(Call {
            path: path.into(),
            argv: argv.iter().map(|&arg| arg.into()).collect(),
            envp: envp.map(|envp| envp.iter().map(|&var| var.into()).collect()),
            attr: *attr,
            records: actions.records().to_vec(),
            paths: actions.paths().to_vec(),
        });
        self.result
    }
}

const TRUE: &CStr = c"/bin/true";

fn spawn_ok(cmd: &Command<'_>) -> Call {
    let mut spawner = Recorder::new();
    assert_eq!(cmd.spawn(&mut spawner), Ok(42));
    spawner.calls.pop().unwrap()
}

#[test]
fn new_command_spawns_path_with_default_attr_and_no_actions() {
    let call = spawn_ok(&Command::new(TRUE));
    assert_eq!(call.path.as_c_str(), TRUE);
    assert_eq!(call.attr, SpawnAttr::new());
    assert!(call.records.is_empty());
}

#[test]
fn default_argv_is_the_path() {
    let call = spawn_ok(&Command::new(TRUE));
    assert_eq!(call.argv, [CString::from(TRUE)]);
}

#[test]
fn args_replace_the_whole_argv() {
    let argv = [c"true", c"-x"];
    let call = spawn_ok(Command::new(TRUE).args(&argv));
    assert_eq!(call.argv, [CString::from(c"true"), CString::from(c"-x")]);
}

// Checklist item 94: argv=[] is refused before anything is spawned.
#[test]
fn empty_argv_is_einval() {
    let mut spawner = Recorder::new();
    let result = Command::new(TRUE).args(&[]).spawn(&mut spawner);
    assert_eq!(result, Err(SpawnError::EmptyArgv));
    assert_eq!(result.unwrap_err().errno(), Errno::EINVAL);
    assert!(spawner.calls.is_empty());
}

// Checklist item 94: argv=[""] likewise.
#[test]
fn empty_program_name_is_einval() {
    let mut spawner = Recorder::new();
    let result = Command::new(TRUE).args(&[c"", c"x"]).spawn(&mut spawner);
    assert_eq!(result, Err(SpawnError::EmptyProgramName));
    assert_eq!(result.unwrap_err().errno(), Errno::EINVAL);
    assert!(spawner.calls.is_empty());
}

// Checklist item 96: with no env the spawner uses the caller's environment.
#[test]
fn without_env_the_callers_environment_is_used() {
    assert_eq!(spawn_ok(&Command::new(TRUE)).envp, None);
}

#[test]
fn env_is_passed_as_given() {
    let envp = [c"answer=42"];
    let call = spawn_ok(Command::new(TRUE).env(&envp));
    assert_eq!(call.envp, Some(vec![CString::from(c"answer=42")]));
    let call = spawn_ok(Command::new(TRUE).env(&[]));
    assert_eq!(call.envp, Some(vec![]));
}

#[test]
fn setsid_sets_the_flag() {
    let call = spawn_ok(Command::new(TRUE).setsid(true));
    assert_eq!(call.attr.flags(), SpawnFlags::SETSID);
}

#[test]
fn setsid_false_clears_the_flag() {
    let call = spawn_ok(Command::new(TRUE).setsid(true).setsid(false));
    assert_eq!(call.attr.flags(), SpawnFlags::empty());
}

#[test]
fn resetids_sets_the_flag() {
    let call = spawn_ok(Command::new(TRUE).resetids(true));
    assert_eq!(call.attr.flags(), SpawnFlags::RESETIDS);
}

#[test]
fn setpgroup_sets_the_flag_and_the_group() {
    let call = spawn_ok(Command::new(TRUE).setpgroup(7));
    assert_eq!(call.attr.flags(), SpawnFlags::SETPGROUP);
    assert_eq!(call.attr.pgroup(), 7);
}

// Python: setpgroup=0 means "a new group led by the child", still SETPGROUP.
#[test]
fn setpgroup_zero_still_sets_the_flag() {
    let call = spawn_ok(Command::new(TRUE).setpgroup(0));
    assert_eq!(call.attr.flags(), SpawnFlags::SETPGROUP);
    assert_eq!(call.attr.pgroup(), 0);
}

#[test]
fn negative_setpgroup_is_einval_and_sets_nothing() {
    let mut cmd = Command::new(TRUE);
    cmd.setpgroup(-1);
    assert_eq!(
        cmd.error(),
        Some(SpawnError::Rejected {
            step: Step::SetPgroup,
            errno: Errno::EINVAL
        })
    );
    assert_eq!(*cmd.attr(), SpawnAttr::new());
}

#[test]
fn setsigmask_sets_the_mask_and_the_flag() {
    let call = spawn_ok(Command::new(TRUE).setsigmask([10, 12]));
    assert_eq!(call.attr.flags(), SpawnFlags::SETSIGMASK);
    assert_eq!(call.attr.sigmask().iter().collect::<Vec<_>>(), [10, 12]);
}

#[test]
fn setsigdef_sets_the_set_and_the_flag() {
    let call = spawn_ok(Command::new(TRUE).setsigdef([1, NSIG]));
    assert_eq!(call.attr.flags(), SpawnFlags::SETSIGDEF);
    assert_eq!(call.attr.sigdefault().iter().collect::<Vec<_>>(), [1, NSIG]);
}

// Checklist item 95: a signal out of range (Python: ValueError) is EINVAL.
#[test]
fn signal_out_of_range_is_einval_and_changes_nothing() {
    for bad in [0, -1, NSIG + 1] {
        let mut cmd = Command::new(TRUE);
        cmd.setsigmask([2, bad]);
        assert_eq!(
            cmd.error().map(SpawnError::errno),
            Some(Errno::EINVAL),
            "{bad}"
        );
        cmd.setsigdef([bad]);
        assert_eq!(*cmd.attr(), SpawnAttr::new(), "{bad}");
    }
}

// Checklist item 93: scheduler=(None, param).
#[test]
fn scheduler_without_policy_sets_only_schedparam() {
    let call = spawn_ok(Command::new(TRUE).scheduler(None, 5));
    assert_eq!(call.attr.flags(), SpawnFlags::SETSCHEDPARAM);
    assert_eq!(call.attr.sched_priority(), 5);
    assert_eq!(call.attr.sched_policy(), SchedPolicy::Other);
}

// Checklist item 93: scheduler=(policy, param).
#[test]
fn scheduler_with_policy_sets_scheduler_and_schedparam() {
    let call = spawn_ok(Command::new(TRUE).scheduler(Some(SchedPolicy::Fifo), 10));
    assert_eq!(
        call.attr.flags(),
        SpawnFlags::SETSCHEDULER | SpawnFlags::SETSCHEDPARAM
    );
    assert_eq!(call.attr.sched_policy(), SchedPolicy::Fifo);
    assert_eq!(call.attr.sched_priority(), 10);
}

#[test]
fn later_scheduler_without_policy_drops_setscheduler() {
    let call = spawn_ok(
        Command::new(TRUE)
            .scheduler(Some(SchedPolicy::RoundRobin), 3)
            .scheduler(None, 4),
    );
    assert_eq!(call.attr.flags(), SpawnFlags::SETSCHEDPARAM);
    assert_eq!(call.attr.sched_priority(), 4);
}

#[test]
fn all_attributes_combine() {
    let call = spawn_ok(
        Command::new(TRUE)
            .setpgroup(0)
            .resetids(true)
            .setsid(true)
            .setsigmask([1])
            .setsigdef([2])
            .scheduler(Some(SchedPolicy::Other), 0),
    );
    assert_eq!(call.attr.flags().bits(), 0xbf);
}

// Checklist item 96 (CLOSEFROM) and the order of file actions.
#[test]
fn file_actions_are_passed_in_the_order_added() {
    let call = spawn_ok(
        Command::new(TRUE)
            .close_from(5)
            .open(4, b"in", O_RDONLY, 0o600)
            .dup2(4, 0)
            .chdir(b"/tmp")
            .fchdir(3)
            .close(4),
    );
    assert_eq!(
        call.actions(),
        [
            FileAction::CloseFrom { low_fd: 5 },
            FileAction::Open {
                fd: 4,
                path: b"in",
                oflag: O_RDONLY,
                mode: 0o600
            },
            FileAction::Dup2 { fd: 4, new_fd: 0 },
            FileAction::Chdir { path: b"/tmp" },
            FileAction::Fchdir { fd: 3 },
            FileAction::Close { fd: 4 },
        ]
    );
}

#[test]
fn file_action_list_is_added_like_single_calls() {
    let list = [
        FileAction::Close { fd: 0 },
        FileAction::Open {
            fd: 0,
            path: b"/dev/null",
            oflag: O_RDONLY,
            mode: 0,
        },
        FileAction::CloseFrom { low_fd: 3 },
    ];
    let call = spawn_ok(Command::new(TRUE).file_actions(list));
    assert_eq!(call.actions(), list);
}

#[test]
fn open_path_is_copied() {
    let mut path = *b"/etc/a";
    let mut cmd = Command::new(TRUE);
    cmd.open(3, &path, O_RDONLY, 0);
    path.copy_from_slice(b"/xxx/b");
    assert_eq!(spawn_ok(&cmd).records[0].kind, action_kind::OPEN);
    assert_eq!(spawn_ok(&cmd).paths, b"/etc/a");
}

// Checklist item 91: a NUL in an OPEN path (Python: ValueError) is EINVAL.
#[test]
fn open_path_with_nul_is_einval() {
    let mut cmd = Command::new(TRUE);
    cmd.open(3, b"/a\0b", O_RDONLY, 0);
    assert_eq!(
        cmd.error(),
        Some(SpawnError::Rejected {
            step: Step::Open,
            errno: Errno::EINVAL
        })
    );
    assert!(cmd.actions().is_empty());
}

#[test]
fn bad_descriptors_are_ebadf_with_their_step() {
    type AddCall = fn(&mut Command<'static>);
    let cases: [(AddCall, Step); 5] = [
        (
            |c| {
                c.close(-1);
            },
            Step::Close,
        ),
        (
            |c| {
                c.open(OPEN_MAX, b"f", 0, 0);
            },
            Step::Open,
        ),
        (
            |c| {
                c.dup2(1, -1);
            },
            Step::Dup2,
        ),
        (
            |c| {
                c.fchdir(-1);
            },
            Step::Fchdir,
        ),
        (
            |c| {
                c.close_from(-1);
            },
            Step::CloseFrom,
        ),
    ];
    for (call, step) in cases {
        let mut cmd = Command::new(TRUE);
        call(&mut cmd);
        assert_eq!(
            cmd.error(),
            Some(SpawnError::Rejected {
                step,
                errno: Errno::EBADF
            })
        );
        assert!(cmd.actions().is_empty());
    }
}

#[test]
fn full_action_storage_is_enomem() {
    let mut cmd: Command<'_, 2, 8> = Command::with_capacity(TRUE);
    cmd.close(0).close(1).close(2);
    assert_eq!(
        cmd.error(),
        Some(SpawnError::Rejected {
            step: Step::Close,
            errno: Errno::ENOMEM
        })
    );
    assert_eq!(cmd.actions().len(), 2);
}

#[test]
fn long_chdir_path_is_enametoolong() {
    let long = vec![b'a'; crate::abi::PATH_MAX];
    let mut cmd = Command::new(TRUE);
    cmd.chdir(&long);
    assert_eq!(
        cmd.error().map(SpawnError::errno),
        Some(Errno::ENAMETOOLONG)
    );
}

#[test]
fn first_error_is_reported_at_spawn() {
    let mut spawner = Recorder::new();
    let mut cmd = Command::new(TRUE);
    cmd.close(1).dup2(-5, 1).setpgroup(-1).close(2);
    let expected = SpawnError::Rejected {
        step: Step::Dup2,
        errno: Errno::EBADF,
    };
    assert_eq!(cmd.spawn(&mut spawner), Err(expected));
    assert!(spawner.calls.is_empty(), "the spawner must not be called");
    // The calls that succeeded still applied.
    assert_eq!(cmd.actions().len(), 2);
}

#[test]
fn builder_error_wins_over_empty_argv() {
    let mut spawner = Recorder::new();
    let result = Command::new(TRUE).args(&[]).close(-1).spawn(&mut spawner);
    assert_eq!(result.map_err(SpawnError::errno), Err(Errno::EBADF));
}

#[test]
fn spawner_error_is_passed_through() {
    let mut spawner = Recorder::new();
    spawner.result = Err(Errno::ENOENT);
    let result = Command::new(c"/nonexistent").spawn(&mut spawner);
    assert_eq!(result, Err(SpawnError::Spawn(Errno::ENOENT)));
    assert_eq!(result.unwrap_err().errno(), Errno::ENOENT);
    assert_eq!(spawner.only_call().path.as_c_str(), c"/nonexistent");
}

#[test]
fn command_can_be_spawned_twice() {
    let mut spawner = Recorder::new();
    let mut cmd = Command::new(TRUE);
    cmd.setsid(true).close(3);
    assert_eq!(cmd.spawn(&mut spawner), Ok(42));
    assert_eq!(cmd.spawn(&mut spawner), Ok(42));
    assert_eq!(spawner.calls.len(), 2);
    assert_eq!(spawner.calls[0].attr, spawner.calls[1].attr);
}

#[test]
fn errors_display_the_step_and_the_number() {
    let error = SpawnError::Rejected {
        step: Step::SetSigmask,
        errno: Errno::EINVAL,
    };
    assert_eq!(error.to_string(), "setsigmask: EINVAL");
    assert_eq!(
        SpawnError::Spawn(Errno::ENOENT).to_string(),
        "spawn: ENOENT"
    );
}
