//! Spawn sequences: both steps of `posix_spawn` (libspawn's executor over
//! `SpawnChild` in the child) on a `System`, as the kernel runs them.

use libspawn::{ActionList, Errno, FileActions, SchedPolicy, SigSet, SpawnAttr, SpawnFlags};
use shim_abi::fcntl::{
    FD_CLOEXEC, F_GETFD, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_WRONLY,
};
use shim_abi::signal::{SIGINT, SIGKILL, SIGSTOP, SIGTERM, SIGUSR1, SIGUSR2};

use crate::creds::Creds;
use crate::io::Io;
use crate::process::Pid;
use crate::signal::{Disposition, Handler};
use crate::spawn_request::SpawnRequest;
use crate::testutil::{system, INIT, UID, USER_PID};
use crate::wait_status::Termination;
use crate::System;

/// The pid the first spawned child gets (init and the user process
/// hold 1 and 2).
const CHILD: Pid = 3;
/// The program every child loads.
const PROGRAM: &[u8] = b"/bin/prog";
/// The exit status of a child whose spawn failed.
const FAILED_SPAWN_STATUS: i32 = 127;

type Actions = FileActions<16, 1024>;

fn attr(flags: SpawnFlags) -> SpawnAttr {
    let mut attr = SpawnAttr::new();
    attr.set_flags(flags).unwrap();
    attr
}

/// `posix_spawn` of [`PROGRAM`] from `parent` as the kernel runs it: step
/// 1 in the parent, step 2 in the child (with a loader that accepts the
/// image), the child ending with status 127 on failure, and the parent
/// collecting the outcome (which reaps a failed child). Checks that the
/// child got pid `child`.
fn spawn_as(
    system: &mut System,
    parent: Pid,
    child: Pid,
    attr: Option<&SpawnAttr>,
    actions: Option<ActionList<'_>>,
) -> Result<(), Errno> {
    if system.exec_lookup(INIT, PROGRAM).is_err() {
        system.install_file(PROGRAM, b"", 0o755, 0, 0).unwrap();
    }
    let actions = actions.unwrap_or(ActionList::EMPTY);
    let request = SpawnRequest {
        path: PROGRAM.to_vec(),
        attr: attr.map(|attr| *attr.as_raw()),
        records: actions.records().to_vec(),
        paths: actions.paths().to_vec(),
        ..SpawnRequest::default()
    };
    let pid = system.spawn_create(parent, request)?.pid;
    assert_eq!(pid, child);
    let applied = system.spawn_apply(pid, |_| Ok(()));
    if applied.is_err() {
        let failed = Termination::Exited(FAILED_SPAWN_STATUS);
        system.exit(pid, failed).unwrap();
    }
    let outcome = system.take_spawn_outcome(parent).unwrap_or(applied);
    if outcome.is_err() {
        system.reap(pid).unwrap();
    }
    outcome
}

fn spawn(
    system: &mut System,
    parent: Pid,
    attr: Option<&SpawnAttr>,
    actions: &Actions,
) -> Result<(), Errno> {
    spawn_as(system, parent, CHILD, attr, Some(actions.as_list()))
}

fn cloexec(system: &mut System, pid: Pid, fd: i32) -> bool {
    system.fcntl(pid, fd, F_GETFD, 0) == Ok(FD_CLOEXEC)
}

#[test]
fn open_action_puts_the_file_on_the_target_without_cloexec() {
    let mut system = system();
    let mut actions = Actions::new();
    actions
        .add_open(1, b"/tmp/out", O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        .unwrap();
    actions
        .add_open(7, b"/tmp/out", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    assert_eq!(system.write(CHILD, 1, b"child"), Ok(Io::Done(5)));
    assert_eq!(system.stat(USER_PID, b"/tmp/out").unwrap().st_size, 5);
    assert!(!cloexec(&mut system, CHILD, 7));
    let fds: Vec<i32> = system
        .process(CHILD)
        .unwrap()
        .fds()
        .iter()
        .map(|(fd, _)| fd)
        .collect();
    assert_eq!(fds, vec![0, 1, 2, 7]);
    // The parent's descriptor 1 is still the console.
    assert_eq!(system.write(USER_PID, 1, b"x"), Ok(Io::Console));
}

#[test]
fn open_action_creates_with_the_inherited_umask() {
    let mut system = system();
    system.umask(USER_PID, 0o027).unwrap();
    let mut actions = Actions::new();
    actions
        .add_open(3, b"/tmp/masked", O_CREAT | O_WRONLY, 0o666)
        .unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    let mode = system.stat(USER_PID, b"/tmp/masked").unwrap().st_mode;
    assert_eq!(mode & 0o777, 0o640);
    assert_eq!(system.umask(CHILD, 0), Ok(0o027));
}

#[test]
fn umask_keeps_only_permission_bits_and_masks_mkdir() {
    let mut system = system();
    assert_eq!(system.umask(USER_PID, 0o7077), Ok(0o022));
    assert_eq!(system.umask(USER_PID, 0o077), Ok(0o077));
    system.mkdir(USER_PID, b"/tmp/private", 0o777).unwrap();
    let mode = system.stat(USER_PID, b"/tmp/private").unwrap().st_mode;
    assert_eq!(mode & 0o777, 0o700);
}

#[test]
fn a_failed_open_action_removes_the_child_and_leaks_nothing() {
    let mut system = system();
    let files = system.open_files();
    let mut actions = Actions::new();
    actions
        .add_open(5, b"/tmp/a", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    actions.add_open(6, b"/tmp/missing/x", O_RDONLY, 0).unwrap();
    assert_eq!(
        spawn(&mut system, USER_PID, None, &actions),
        Err(Errno::ENOENT)
    );
    assert_eq!(system.process(CHILD).err(), Some(Errno::ESRCH));
    assert_eq!(system.open_files(), files);
}

#[test]
fn dup2_action_copies_and_dup2_onto_itself_clears_cloexec() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    let keep = system
        .open(USER_PID, b"/tmp/g", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    let mut actions = Actions::new();
    actions.add_dup2(fd, 1).unwrap();
    actions.add_dup2(keep, keep).unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    let child = system.process(CHILD).unwrap().fds();
    assert!(
        !child.is_open(fd),
        "FD_CLOEXEC source closed before the image"
    );
    assert!(child.is_open(keep));
    assert_eq!(system.write(CHILD, 1, b"abc"), Ok(Io::Done(3)));
    assert_eq!(system.stat(USER_PID, b"/tmp/f").unwrap().st_size, 3);
}

#[test]
fn dup2_action_from_a_closed_descriptor_is_ebadf() {
    let mut system = system();
    let mut actions = Actions::new();
    actions.add_dup2(9, 1).unwrap();
    assert_eq!(
        spawn(&mut system, USER_PID, None, &actions),
        Err(Errno::EBADF)
    );
}

#[test]
fn chdir_action_is_relative_to_the_childs_directory_and_affects_later_opens() {
    let mut system = system();
    system.mkdir(USER_PID, b"/tmp/d", 0o755).unwrap();
    system.chdir(USER_PID, b"/tmp").unwrap();
    let mut actions = Actions::new();
    actions.add_chdir(b"d").unwrap();
    actions
        .add_open(3, b"made-here", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    assert_eq!(system.getcwd(CHILD).unwrap(), b"/tmp/d");
    assert_eq!(system.getcwd(USER_PID).unwrap(), b"/tmp");
    assert!(system.stat(USER_PID, b"/tmp/d/made-here").is_ok());
}

#[test]
fn chdir_action_to_a_missing_directory_fails_the_spawn() {
    let mut system = system();
    let mut actions = Actions::new();
    actions.add_chdir(b"/nowhere").unwrap();
    assert_eq!(
        spawn(&mut system, USER_PID, None, &actions),
        Err(Errno::ENOENT)
    );
}

#[test]
fn fchdir_action_enters_the_directory_open_on_the_descriptor() {
    let mut system = system();
    let dir = system
        .open(USER_PID, b"/dev", O_RDONLY | O_DIRECTORY, 0)
        .unwrap();
    let mut actions = Actions::new();
    actions.add_fchdir(dir).unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    assert_eq!(system.getcwd(CHILD).unwrap(), b"/dev");
    let mut bad = Actions::new();
    bad.add_fchdir(1).unwrap();
    assert_eq!(
        spawn_as(&mut system, USER_PID, CHILD + 1, None, Some(bad.as_list())),
        Err(Errno::ENOTDIR)
    );
}

#[test]
fn closefrom_action_closes_everything_from_the_bound() {
    let mut system = system();
    for _ in 0..5 {
        system.dup(USER_PID, 0).unwrap();
    }
    let mut actions = Actions::new();
    actions.add_closefrom(2).unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    assert_eq!(system.process(CHILD).unwrap().fds().count(), 2);
    assert_eq!(system.process(USER_PID).unwrap().fds().count(), 8);
}

#[test]
fn close_action_on_a_closed_descriptor_is_not_an_error() {
    let mut system = system();
    let mut actions = Actions::new();
    actions.add_close(2).unwrap();
    actions.add_close(2).unwrap();
    spawn(&mut system, USER_PID, None, &actions).unwrap();
    assert!(!system.process(CHILD).unwrap().fds().is_open(2));
}

#[test]
fn spawn_closes_cloexec_descriptors_in_the_child_but_not_in_the_parent() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    assert!(!system.process(CHILD).unwrap().fds().is_open(fd));
    assert!(system.process(USER_PID).unwrap().fds().is_open(fd));
}

#[test]
fn setsid_attribute_makes_the_child_a_session_leader() {
    let mut system = system();
    spawn(
        &mut system,
        USER_PID,
        Some(&attr(SpawnFlags::SETSID)),
        &Actions::new(),
    )
    .unwrap();
    assert_eq!(system.getsid(CHILD, 0), Ok(CHILD));
    assert_eq!(system.getpgid(CHILD, 0), Ok(CHILD));
}

#[test]
fn setsid_with_setpgroup_fails_with_eperm() {
    let mut system = system();
    let flags = SpawnFlags::SETSID | SpawnFlags::SETPGROUP;
    assert_eq!(
        spawn(&mut system, USER_PID, Some(&attr(flags)), &Actions::new()),
        Err(Errno::EPERM)
    );
    assert_eq!(system.process(CHILD).err(), Some(Errno::ESRCH));
}

#[test]
fn setpgroup_zero_makes_a_new_group_and_a_pgid_joins_one() {
    let mut system = system();
    spawn(
        &mut system,
        USER_PID,
        Some(&attr(SpawnFlags::SETPGROUP)),
        &Actions::new(),
    )
    .unwrap();
    assert_eq!(system.getpgid(CHILD, 0), Ok(CHILD));
    let mut join = attr(SpawnFlags::SETPGROUP);
    join.set_pgroup(CHILD).unwrap();
    spawn_as(&mut system, USER_PID, CHILD + 1, Some(&join), None).unwrap();
    assert_eq!(system.getpgid(CHILD + 1, 0), Ok(CHILD));
}

#[test]
fn setpgroup_to_a_missing_group_is_eperm() {
    let mut system = system();
    let mut missing = attr(SpawnFlags::SETPGROUP);
    missing.set_pgroup(4242).unwrap();
    assert_eq!(
        spawn(&mut system, USER_PID, Some(&missing), &Actions::new()),
        Err(Errno::EPERM)
    );
}

#[test]
fn resetids_gives_the_child_the_parents_real_ids() {
    let mut system = system();
    let parent = &mut system.process_mut(USER_PID).unwrap().creds;
    parent.uid.effective = 0;
    parent.uid.saved = 0;
    spawn(
        &mut system,
        USER_PID,
        Some(&attr(SpawnFlags::RESETIDS)),
        &Actions::new(),
    )
    .unwrap();
    let child = system.process(CHILD).unwrap().creds;
    assert_eq!((child.uid.real, child.uid.effective), (UID, UID));
    assert_eq!(system.process(USER_PID).unwrap().creds.uid.effective, 0);
}

#[test]
fn setuid_image_takes_effect_after_resetids() {
    let mut system = system();
    system
        .install_file(b"/bin/suid", b"", shim_abi::mode::S_ISUID | 0o755, 0, 0)
        .unwrap();
    spawn(
        &mut system,
        USER_PID,
        Some(&attr(SpawnFlags::RESETIDS)),
        &Actions::new(),
    )
    .unwrap();
    let ino = system.exec_lookup(CHILD, b"/bin/suid").unwrap();
    system.commit_exec(CHILD, ino).unwrap();
    let child = system.process(CHILD).unwrap().creds;
    assert_eq!(
        (child.uid.real, child.uid.effective, child.uid.saved),
        (UID, 0, 0)
    );
}

#[test]
fn setsigmask_replaces_the_mask_without_kill_or_stop() {
    let mut system = system();
    let mut spawn_attr = attr(SpawnFlags::SETSIGMASK);
    spawn_attr.set_sigmask([SIGINT, SIGKILL, SIGSTOP].into_iter().collect());
    spawn(&mut system, USER_PID, Some(&spawn_attr), &Actions::new()).unwrap();
    let expected: SigSet = [SIGINT].into_iter().collect();
    assert_eq!(system.process(CHILD).unwrap().signals.mask(), expected);
}

#[test]
fn setsigdef_resets_ignored_and_caught_signals_even_with_a_full_set() {
    let mut system = system();
    let handler = Handler {
        handler: 0x1000,
        flags: 0,
        restorer: 0,
        mask: SigSet::EMPTY,
    };
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Ignore))
        .unwrap();
    system
        .sigaction(USER_PID, SIGUSR2, Some(Disposition::Handler(handler)))
        .unwrap();
    system
        .sigaction(USER_PID, SIGTERM, Some(Disposition::Ignore))
        .unwrap();
    let mut spawn_attr = attr(SpawnFlags::SETSIGDEF);
    spawn_attr.set_sigdefault(SigSet::FULL);
    spawn(&mut system, USER_PID, Some(&spawn_attr), &Actions::new()).unwrap();
    let signals = &system.process(CHILD).unwrap().signals;
    for signal in [SIGUSR1, SIGUSR2, SIGTERM] {
        assert_eq!(signals.disposition(signal), Ok(Disposition::Default));
    }
}

#[test]
fn without_setsigdef_ignored_signals_stay_ignored() {
    let mut system = system();
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Ignore))
        .unwrap();
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    let signals = &system.process(CHILD).unwrap().signals;
    assert_eq!(signals.disposition(SIGUSR1), Ok(Disposition::Ignore));
}

#[test]
fn setscheduler_fifo_as_root_is_granted() {
    let mut system = system();
    let mut spawn_attr = attr(SpawnFlags::SETSCHEDULER);
    spawn_attr.set_sched_policy(SchedPolicy::Fifo);
    spawn_attr.set_sched_priority(20);
    spawn_as(&mut system, INIT, CHILD, Some(&spawn_attr), None).unwrap();
    let sched = system.process(CHILD).unwrap().sched;
    assert_eq!((sched.policy, sched.priority), (SchedPolicy::Fifo, 20));
}

#[test]
fn setscheduler_fifo_when_not_root_is_eperm_and_leaves_nothing() {
    let mut system = system();
    let files = system.open_files();
    let mut spawn_attr = attr(SpawnFlags::SETSCHEDULER);
    spawn_attr.set_sched_policy(SchedPolicy::Fifo);
    spawn_attr.set_sched_priority(1);
    assert_eq!(
        spawn(&mut system, USER_PID, Some(&spawn_attr), &Actions::new()),
        Err(Errno::EPERM)
    );
    assert_eq!(system.process(CHILD).err(), Some(Errno::ESRCH));
    assert_eq!(system.open_files(), files);
}

#[test]
fn realtime_before_resetids_lets_a_root_parent_hand_over_a_policy() {
    let mut system = system();
    let parent = &mut system.process_mut(INIT).unwrap().creds;
    *parent = Creds::new(UID, UID);
    parent.uid.effective = 0;
    let mut spawn_attr = attr(SpawnFlags::SETSCHEDULER | SpawnFlags::RESETIDS);
    spawn_attr.set_sched_policy(SchedPolicy::RoundRobin);
    spawn_attr.set_sched_priority(5);
    spawn_as(&mut system, INIT, CHILD, Some(&spawn_attr), None).unwrap();
    let child = system.process(CHILD).unwrap();
    assert_eq!(child.sched.policy, SchedPolicy::RoundRobin);
    assert_eq!(child.creds.uid.effective, UID);
}

#[test]
fn setschedparam_outside_the_policy_range_is_einval() {
    let mut system = system();
    let mut spawn_attr = attr(SpawnFlags::SETSCHEDPARAM);
    spawn_attr.set_sched_priority(3);
    assert_eq!(
        spawn(&mut system, USER_PID, Some(&spawn_attr), &Actions::new()),
        Err(Errno::EINVAL)
    );
}

#[test]
fn spawn_child_reports_esrch_for_a_missing_process() {
    use libspawn::exec::ChildOps;
    let mut system = system();
    let mut child = system.spawn_child(99);
    assert_eq!(child.pid(), 99);
    assert_eq!(child.setsid(), Err(Errno::ESRCH));
    assert_eq!(child.open(b"/tmp", O_RDONLY, 0), Err(Errno::ESRCH));
}

#[test]
fn a_child_without_changes_shares_the_parents_table_until_it_exits() {
    let mut system = system();
    let file = system
        .open(USER_PID, b"/tmp/shared", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    for _ in 0..100 {
        system.dup(USER_PID, file).unwrap();
    }
    let open = system.open_files();
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    let child = system.process(CHILD).unwrap().fds();
    assert!(child.is_shared());
    assert_eq!(child, system.process(USER_PID).unwrap().fds());
    assert_eq!(system.open_files(), open);
    // The child's descriptors share the parent's descriptions (offset).
    assert_eq!(system.write(CHILD, file + 50, b"abc"), Ok(Io::Done(3)));
    assert_eq!(system.lseek(USER_PID, file, 0, 1), Ok(3));
    system.reap(CHILD).unwrap();
    assert!(!system.process(USER_PID).unwrap().fds().is_shared());
    assert_eq!(system.open_files(), open);
    // Every descriptor closes exactly once more: nothing leaked.
    system.close_from(USER_PID, 3).unwrap();
    assert_eq!(system.stat(USER_PID, b"/tmp/shared").unwrap().st_size, 3);
    assert_eq!(system.open_files(), open - 1);
}

#[test]
fn a_pipe_end_the_parent_closes_after_spawn_stays_open_in_the_child() {
    let mut system = system();
    let open = system.open_files();
    let [read_end, write_end] = system.pipe(USER_PID, 0).unwrap();
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    system.close(USER_PID, write_end).unwrap();
    assert!(!system.process(USER_PID).unwrap().fds().is_shared());
    // The child still holds the write end: no end of file yet.
    assert_eq!(system.write(CHILD, write_end, b"x"), Ok(Io::Done(1)));
    let mut buf = [0; 4];
    assert_eq!(system.read(USER_PID, read_end, &mut buf), Ok(Io::Done(1)));
    system.reap(CHILD).unwrap();
    assert_eq!(system.read(USER_PID, read_end, &mut buf), Ok(Io::Done(0)));
    system.close(USER_PID, read_end).unwrap();
    assert_eq!((system.open_files(), system.pipe_count()), (open, 0));
}

#[test]
fn the_parent_exiting_first_leaves_the_child_its_descriptors() {
    // What the parent's exit leaves open without a child, for comparison.
    let mut alone = system();
    alone.exit(USER_PID, Termination::Exited(0)).unwrap();
    let mut system = system();
    let [read_end, write_end] = system.pipe(USER_PID, O_CLOEXEC).unwrap();
    system.clear_cloexec(USER_PID, write_end).unwrap();
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    // The CLOEXEC read end was closed in the child only.
    assert!(!system.process(CHILD).unwrap().fds().is_open(read_end));
    system.exit(USER_PID, Termination::Exited(0)).unwrap();
    // The parent's exit released only what the child did not inherit; the
    // child's table holds the rest, write end included.
    let inherited = system.process(CHILD).unwrap().fds().count();
    assert_eq!(inherited, 4);
    assert!(system.open_files() > alone.open_files());
    assert_eq!(system.write(CHILD, write_end, b"x"), Err(Errno::EPIPE));
    system.reap(CHILD).unwrap();
    assert_eq!(system.open_files(), alone.open_files());
    assert_eq!(system.pipe_count(), 0);
}

/// Phase boundaries marked by the child's step, in order (one test uses
/// it; host tests run in threads, so no other test may set a mark).
static MARKED: std::sync::Mutex<Vec<shim_abi::Phase>> = std::sync::Mutex::new(Vec::new());

fn record_mark(phase: shim_abi::Phase) {
    MARKED.lock().unwrap().push(phase);
}

#[test]
fn the_childs_step_marks_close_on_exec_lookup_and_start_in_order() {
    use shim_abi::Phase;
    let mut system = system();
    system.set_profile_mark(record_mark);
    spawn(&mut system, USER_PID, None, &Actions::new()).unwrap();
    assert_eq!(
        *MARKED.lock().unwrap(),
        [Phase::CloseOnExec, Phase::Lookup, Phase::ChildStart]
    );
}
