//! The attribute steps: order, signals, scheduling, session, group, ids.

use super::*;
use crate::abi::fcntl::O_RDONLY;
use crate::attr::SchedPolicy;
use crate::errno::Errno;
use crate::model::{Call, Disposition, CHILD_PID, OTHER_SESSION_PGID, PARENT_PGID, PARENT_SID};
use crate::sigset::SigSet;

/// A parent running with effective uid and gid 0 and real ids 1000.
fn privileged() -> Model {
    let mut model = Model::new();
    model.process.euid = 0;
    model.process.egid = 0;
    model
}

#[test]
fn attributes_apply_in_the_documented_order_before_the_actions() {
    let mut model = privileged();
    let mut attr = attr(SpawnFlags::all() - SpawnFlags::SETSID);
    attr.set_sigdefault([SIGUSR2, SIGUSR1].into_iter().collect());
    attr.set_sigmask([SIGUSR1].into_iter().collect());
    attr.set_sched_policy(SchedPolicy::Fifo);
    attr.set_sched_priority(10);
    let fa = actions(|fa| fa.add_close(2));
    assert_eq!(spawn(Some(&attr), &fa, &mut model), Ok(()));
    assert_eq!(
        model.calls(),
        [
            Call::SetSignalDefault(SIGUSR1),
            Call::SetSignalDefault(SIGUSR2),
            Call::SetSignalMask(attr.sigmask()),
            Call::SetScheduler(SchedPolicy::Fifo, 10),
            Call::Setpgid(0),
            Call::ResetIds,
            Call::Close(2),
        ]
    );
}

#[test]
fn setsid_runs_after_scheduling_and_before_setpgroup() {
    let mut model = Model::new();
    let attr = attr(SpawnFlags::SETSID | SpawnFlags::SETPGROUP | SpawnFlags::SETSCHEDPARAM);
    let _ = spawn(Some(&attr), &Actions::new(), &mut model);
    assert_eq!(
        model.calls(),
        [Call::SetSchedParam(0), Call::Setsid, Call::Setpgid(0)]
    );
}

#[test]
fn scheduling_runs_before_resetids_so_a_privileged_parent_can_give_fifo() {
    let mut model = privileged();
    let mut attr = attr(SpawnFlags::SETSCHEDULER | SpawnFlags::RESETIDS);
    attr.set_sched_policy(SchedPolicy::Fifo);
    attr.set_sched_priority(1);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.policy, SchedPolicy::Fifo);
    assert_eq!(model.process.euid, 1000);
}

// Checklist item 74.
#[test]
fn setsigmask_gives_the_child_the_attr_mask() {
    let mut model = Model::new();
    model.process.sigmask = [SIGUSR2].into_iter().collect();
    let mut attr = attr(SpawnFlags::SETSIGMASK);
    attr.set_sigmask([SIGUSR1].into_iter().collect());
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.sigmask, attr.sigmask());
}

// Checklist item 75.
#[test]
fn without_setsigmask_the_child_keeps_the_parent_mask() {
    let mut model = Model::new();
    let parent_mask: SigSet = [SIGUSR2].into_iter().collect();
    model.process.sigmask = parent_mask;
    let mut attr = attr(SpawnFlags::empty());
    attr.set_sigmask([SIGUSR1].into_iter().collect());
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.sigmask, parent_mask);
    assert!(model.calls().is_empty());
}

// Checklist item 76.
#[test]
fn setsigdef_resets_an_ignored_signal_to_default() {
    let mut model = Model::new();
    model.process.set_disposition(SIGUSR1, Disposition::Ignore);
    model.process.set_disposition(SIGUSR2, Disposition::Ignore);
    let mut attr = attr(SpawnFlags::SETSIGDEF);
    attr.set_sigdefault([SIGUSR1].into_iter().collect());
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.disposition(SIGUSR1), Disposition::Default);
    assert_eq!(model.process.disposition(SIGUSR2), Disposition::Ignore);
}

// Checklist items 77 and 78 (the exec step is the host's, here the model's).
#[test]
fn without_setsigdef_ignored_stays_ignored_and_caught_becomes_default_at_exec() {
    let mut model = Model::new();
    model.process.set_disposition(SIGUSR1, Disposition::Ignore);
    model.process.set_disposition(SIGUSR2, Disposition::Handler);
    let mut attr = attr(SpawnFlags::empty());
    attr.set_sigdefault([SIGUSR1].into_iter().collect());
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    model.exec();
    assert_eq!(model.process.disposition(SIGUSR1), Disposition::Ignore);
    assert_eq!(model.process.disposition(SIGUSR2), Disposition::Default);
}

#[test]
fn setsigdef_with_every_signal_succeeds_including_sigkill() {
    let mut model = Model::new();
    let mut attr = attr(SpawnFlags::SETSIGDEF);
    attr.set_sigdefault(SigSet::FULL);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.calls().len(), 64);
}

// Checklist item 80.
#[test]
fn setschedparam_alone_keeps_the_policy_and_sets_the_priority() {
    let mut model = privileged();
    model.process.policy = SchedPolicy::RoundRobin;
    model.process.priority = 5;
    let mut attr = attr(SpawnFlags::SETSCHEDPARAM);
    attr.set_sched_policy(SchedPolicy::Fifo);
    attr.set_sched_priority(20);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.policy, SchedPolicy::RoundRobin);
    assert_eq!(model.process.priority, 20);
    assert_eq!(model.calls(), [Call::SetSchedParam(20)]);
}

// Checklist item 81.
#[test]
fn setscheduler_sets_policy_and_priority_with_or_without_setschedparam() {
    for flags in [
        SpawnFlags::SETSCHEDULER,
        SpawnFlags::SETSCHEDULER | SpawnFlags::SETSCHEDPARAM,
    ] {
        let mut model = privileged();
        let mut attr = attr(flags);
        attr.set_sched_policy(SchedPolicy::Fifo);
        attr.set_sched_priority(20);
        assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
        assert_eq!(model.process.policy, SchedPolicy::Fifo);
        assert_eq!(model.process.priority, 20);
        assert_eq!(model.calls(), [Call::SetScheduler(SchedPolicy::Fifo, 20)]);
    }
}

// Checklist item 82.
#[test]
fn setscheduler_fifo_unprivileged_is_eperm() {
    let mut model = Model::new();
    let mut attr = attr(SpawnFlags::SETSCHEDULER);
    attr.set_sched_policy(SchedPolicy::Fifo);
    attr.set_sched_priority(10);
    let result = spawn(Some(&attr), &Actions::new(), &mut model);
    assert_eq!(result, Err(Errno::EPERM));
    assert_eq!(model.process.policy, SchedPolicy::Other);
}

#[test]
fn priority_outside_the_policy_range_is_einval() {
    let mut model = privileged();
    let mut attr = attr(SpawnFlags::SETSCHEDPARAM);
    attr.set_sched_priority(5);
    let result = spawn(Some(&attr), &Actions::new(), &mut model);
    assert_eq!(result, Err(Errno::EINVAL));
    assert_eq!(model.process.priority, 0);
}

// Checklist item 70.
#[test]
fn setsid_makes_the_child_lead_a_new_session_and_group() {
    let mut model = Model::new();
    let attr = attr(SpawnFlags::SETSID);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.sid, CHILD_PID);
    assert_eq!(model.process.pgid, CHILD_PID);
}

// Checklist item 71.
#[test]
fn without_setsid_the_child_keeps_the_parent_session() {
    let mut model = Model::new();
    let attr = attr(SpawnFlags::SETPGROUP);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.sid, PARENT_SID);
}

// Checklist item 72 (the glibc and musl result).
#[test]
fn setsid_with_setpgroup_zero_is_eperm() {
    let mut model = Model::new();
    let attr = attr(SpawnFlags::SETSID | SpawnFlags::SETPGROUP);
    let result = spawn(Some(&attr), &Actions::new(), &mut model);
    assert_eq!(result, Err(Errno::EPERM));
    assert_eq!(model.calls(), [Call::Setsid, Call::Setpgid(0)]);
}

// Checklist item 66.
#[test]
fn setpgroup_zero_puts_the_child_in_a_group_of_its_own() {
    let mut model = Model::new();
    let attr = attr(SpawnFlags::SETPGROUP);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.pgid, CHILD_PID);
}

// Checklist item 67.
#[test]
fn setpgroup_joins_an_existing_group_of_the_same_session() {
    let mut model = Model::new();
    model.add_process_group(95, PARENT_SID);
    let mut attr = attr(SpawnFlags::SETPGROUP);
    attr.set_pgroup(95).unwrap();
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.pgid, 95);
}

// Checklist item 68.
#[test]
fn setpgroup_of_a_group_in_another_session_is_eperm() {
    let mut model = Model::new();
    let mut attr = attr(SpawnFlags::SETPGROUP);
    attr.set_pgroup(OTHER_SESSION_PGID).unwrap();
    let result = spawn(Some(&attr), &Actions::new(), &mut model);
    assert_eq!(result, Err(Errno::EPERM));
    assert_eq!(model.process.pgid, PARENT_PGID);
}

// Checklist item 69.
#[test]
fn without_setpgroup_the_child_inherits_the_group() {
    let mut model = Model::new();
    let mut attr = attr(SpawnFlags::empty());
    attr.set_pgroup(CHILD_PID).unwrap();
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.pgid, PARENT_PGID);
    assert!(model.calls().is_empty());
}

// Checklist item 83.
#[test]
fn resetids_makes_the_effective_ids_the_real_ones() {
    let mut model = privileged();
    model.process.rgid = 1001;
    let attr = attr(SpawnFlags::RESETIDS);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model.process.euid, 1000);
    assert_eq!(model.process.egid, 1001);
}

#[test]
fn without_resetids_the_effective_ids_are_kept() {
    let mut model = privileged();
    let attr = attr(SpawnFlags::empty());
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!((model.process.euid, model.process.egid), (0, 0));
}

// Checklist item 85.
#[test]
fn no_attr_and_default_attr_change_nothing() {
    let before = Model::new();
    let default = SpawnAttr::new();
    for attr in [None, Some(&default)] {
        let mut model = before.clone();
        assert_eq!(apply(attr, None, &mut model), Ok(()));
        assert!(model.calls().is_empty());
        assert_eq!(model, before);
    }
}

#[test]
fn usevfork_has_no_effect() {
    let before = Model::new();
    let mut model = before.clone();
    let attr = attr(SpawnFlags::USEVFORK);
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut model), Ok(()));
    assert_eq!(model, before);
}

// Checklist item 10.
// The executor reads the attributes once, at spawn time; changing the object
// afterwards (or spawning again with it) does not reach a child already made.
#[test]
fn modifying_the_attr_after_spawn_does_not_affect_the_child() {
    let mut attr = attr(SpawnFlags::SETSIGMASK | SpawnFlags::SETPGROUP);
    attr.set_sigmask([SIGUSR1].into_iter().collect());
    let mut first = Model::new();
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut first), Ok(()));
    let first_state = first.clone();

    attr.set_sigmask([SIGUSR2].into_iter().collect());
    attr.set_flags(SpawnFlags::SETSID).unwrap();
    let mut second = Model::new();
    assert_eq!(spawn(Some(&attr), &Actions::new(), &mut second), Ok(()));

    assert_eq!(first, first_state);
    assert_eq!(first.process.sigmask, [SIGUSR1].into_iter().collect());
    assert_eq!(first.process.pgid, CHILD_PID);
    assert_eq!(second.process.sid, CHILD_PID);
    assert_eq!(second.process.sigmask, SigSet::EMPTY);
}

#[test]
fn attr_errors_come_before_any_file_action() {
    let mut model = Model::new();
    let mut attr = attr(SpawnFlags::SETPGROUP);
    attr.set_pgroup(OTHER_SESSION_PGID).unwrap();
    let fa = actions(|fa| fa.add_open(5, b"/dev/tty", O_RDONLY, 0));
    assert_eq!(spawn(Some(&attr), &fa, &mut model), Err(Errno::EPERM));
    assert!(!model.is_open(5));
    assert_eq!(model.calls(), [Call::Setpgid(OTHER_SESSION_PGID)]);
}
