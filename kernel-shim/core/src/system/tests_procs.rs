//! Tests of process groups, sessions, kill, scheduling and signal calls.

use libspawn::{Errno, SigSet};
use shim_abi::sched::{SCHED_FIFO, SCHED_OTHER, SCHED_RR};
use shim_abi::sigaction::{SIG_BLOCK, SIG_SETMASK};
use shim_abi::signal::{SIGCONT, SIGKILL, SIGTERM, SIGUSR1};

use crate::signal::{Action, Disposition};
use crate::testutil::{system, INIT, OTHER_UID, UID, USER_PID};
use crate::wait_status::Termination;

use super::*;

/// A child of the user process, not yet exec'd.
const CHILD: Pid = 3;
/// A second child of the user process.
const SIBLING: Pid = 4;

fn family() -> System {
    let mut system = system();
    system.create_child(USER_PID, CHILD).unwrap();
    system.create_child(USER_PID, SIBLING).unwrap();
    system
}

#[test]
fn getpgid_and_getsid_of_self_other_and_missing() {
    let system = family();
    assert_eq!(system.getpgid(CHILD, 0), Ok(INIT));
    assert_eq!(system.getsid(CHILD, USER_PID), Ok(INIT));
    assert_eq!(system.getpgid(CHILD, 99), Err(Errno::ESRCH));
    assert_eq!(system.getsid(CHILD, 99), Err(Errno::ESRCH));
}

#[test]
fn setpgid_zero_zero_makes_a_new_group_led_by_the_caller() {
    let mut system = family();
    assert_eq!(system.setpgid(CHILD, 0, 0), Ok(()));
    assert_eq!(system.getpgid(CHILD, 0), Ok(CHILD));
}

#[test]
fn a_parent_may_move_its_child_into_an_existing_group_of_its_session() {
    let mut system = family();
    system.setpgid(USER_PID, CHILD, CHILD).unwrap();
    system.setpgid(USER_PID, SIBLING, CHILD).unwrap();
    assert_eq!(system.getpgid(SIBLING, 0), Ok(CHILD));
}

#[test]
fn setpgid_negative_pgid_is_einval() {
    let mut system = family();
    assert_eq!(system.setpgid(CHILD, 0, -1), Err(Errno::EINVAL));
}

#[test]
fn setpgid_on_a_process_that_is_neither_self_nor_child_is_esrch() {
    let mut system = family();
    assert_eq!(system.setpgid(CHILD, SIBLING, 0), Err(Errno::ESRCH));
    assert_eq!(system.setpgid(CHILD, 99, 0), Err(Errno::ESRCH));
    assert_eq!(system.getpgid(SIBLING, 0), Ok(INIT));
}

#[test]
fn setpgid_on_a_child_that_has_execed_is_eacces() {
    let mut system = family();
    system.process_mut(CHILD).unwrap().execed = true;
    assert_eq!(system.setpgid(USER_PID, CHILD, 0), Err(Errno::EACCES));
    assert_eq!(system.setpgid(CHILD, 0, 0), Ok(()));
}

#[test]
fn setpgid_on_a_child_in_another_session_is_eperm() {
    let mut system = family();
    system.setsid(CHILD).unwrap();
    assert_eq!(system.setpgid(USER_PID, CHILD, USER_PID), Err(Errno::EPERM));
}

#[test]
fn setpgid_on_a_session_leader_is_eperm() {
    let mut system = family();
    system.setsid(CHILD).unwrap();
    assert_eq!(system.setpgid(CHILD, 0, 0), Err(Errno::EPERM));
}

#[test]
fn setpgid_to_a_group_missing_or_in_another_session_is_eperm() {
    let mut system = family();
    assert_eq!(system.setpgid(CHILD, 0, 50), Err(Errno::EPERM));
    system.setsid(SIBLING).unwrap();
    assert_eq!(system.setpgid(CHILD, 0, SIBLING), Err(Errno::EPERM));
    assert_eq!(system.getpgid(CHILD, 0), Ok(INIT));
}

#[test]
fn setsid_by_a_group_leader_is_eperm() {
    let mut system = family();
    assert_eq!(system.setsid(INIT), Err(Errno::EPERM));
    system.setpgid(CHILD, 0, 0).unwrap();
    assert_eq!(system.setsid(CHILD), Err(Errno::EPERM));
}

#[test]
fn setsid_makes_a_new_session_and_group() {
    let mut system = family();
    assert_eq!(system.setsid(CHILD), Ok(CHILD));
    assert_eq!(
        (system.getsid(CHILD, 0), system.getpgid(CHILD, 0)),
        (Ok(CHILD), Ok(CHILD))
    );
}

#[test]
fn kill_one_process_makes_the_signal_pending() {
    let mut system = family();
    system.kill(USER_PID, CHILD, SIGTERM).unwrap();
    assert_eq!(
        system.next_deliverable(CHILD),
        Some((SIGTERM, Action::Terminate))
    );
    assert_eq!(system.next_deliverable(SIBLING), None);
}

#[test]
fn kill_to_a_process_group_reaches_every_member() {
    let mut system = family();
    system.setpgid(USER_PID, CHILD, CHILD).unwrap();
    system.setpgid(USER_PID, SIBLING, CHILD).unwrap();
    system.kill(USER_PID, -CHILD, SIGUSR1).unwrap();
    assert!(system
        .process(CHILD)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
    assert!(system
        .process(SIBLING)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
    assert!(system
        .process(USER_PID)
        .unwrap()
        .signals
        .pending()
        .is_empty());
    assert_eq!(system.kill(USER_PID, -77, SIGUSR1), Err(Errno::ESRCH));
}

#[test]
fn kill_zero_signals_the_senders_own_group_where_permitted() {
    let mut system = family();
    system.setpgid(CHILD, 0, 0).unwrap();
    system.kill(USER_PID, 0, SIGUSR1).unwrap();
    // Init (root) is in the group but may not be signalled by the user.
    assert!(system.process(INIT).unwrap().signals.pending().is_empty());
    assert!(system
        .process(USER_PID)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
    assert!(system
        .process(SIBLING)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
    assert!(!system
        .process(CHILD)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
}

#[test]
fn kill_minus_one_spares_init_and_the_sender() {
    let mut system = family();
    system.kill(INIT, -1, SIGUSR1).unwrap();
    assert!(system.process(INIT).unwrap().signals.pending().is_empty());
    for pid in [USER_PID, CHILD, SIBLING] {
        assert!(system
            .process(pid)
            .unwrap()
            .signals
            .pending()
            .contains(SIGUSR1));
    }
}

#[test]
fn kill_across_users_is_eperm_unless_root() {
    let mut system = family();
    system.process_mut(CHILD).unwrap().creds = crate::creds::Creds::new(OTHER_UID, OTHER_UID);
    assert_eq!(system.kill(USER_PID, CHILD, SIGTERM), Err(Errno::EPERM));
    assert_eq!(system.kill(USER_PID, CHILD, 0), Err(Errno::EPERM));
    assert!(system.process(CHILD).unwrap().signals.pending().is_empty());
    assert_eq!(system.kill(INIT, CHILD, SIGTERM), Ok(()));
}

#[test]
fn kill_is_allowed_when_the_senders_uid_matches_the_targets_saved_uid() {
    let mut system = family();
    let target = &mut system.process_mut(CHILD).unwrap().creds;
    target.uid.real = OTHER_UID;
    target.uid.effective = OTHER_UID;
    target.uid.saved = UID;
    assert_eq!(system.kill(USER_PID, CHILD, SIGTERM), Ok(()));
}

#[test]
fn sigcont_may_cross_users_within_a_session() {
    let mut system = family();
    system.process_mut(CHILD).unwrap().creds = crate::creds::Creds::new(OTHER_UID, OTHER_UID);
    assert_eq!(system.kill(USER_PID, CHILD, SIGCONT), Ok(()));
}

#[test]
fn kill_signal_zero_checks_without_sending_and_bad_signals_are_einval() {
    let mut system = family();
    assert_eq!(system.kill(USER_PID, CHILD, 0), Ok(()));
    assert!(system.process(CHILD).unwrap().signals.pending().is_empty());
    assert_eq!(system.kill(USER_PID, CHILD, 65), Err(Errno::EINVAL));
    assert_eq!(system.kill(USER_PID, CHILD, -1), Err(Errno::EINVAL));
    assert_eq!(system.kill(USER_PID, 99, SIGTERM), Err(Errno::ESRCH));
}

#[test]
fn kill_of_an_exited_process_succeeds_and_delivers_nothing() {
    let mut system = family();
    system.exit(CHILD, Termination::Exited(0)).unwrap();
    assert_eq!(system.kill(USER_PID, CHILD, SIGKILL), Ok(()));
    assert_eq!(system.next_deliverable(CHILD), None);
}

#[test]
fn sigaction_and_sigprocmask_act_on_the_callers_state() {
    let mut system = family();
    assert_eq!(
        system.sigaction(CHILD, SIGUSR1, Some(Disposition::Ignore)),
        Ok(Disposition::Default)
    );
    assert_eq!(
        system.sigaction(CHILD, SIGKILL, Some(Disposition::Ignore)),
        Err(Errno::EINVAL)
    );
    let set: SigSet = [SIGTERM].into_iter().collect();
    assert_eq!(
        system.sigprocmask(CHILD, SIG_BLOCK, Some(set)),
        Ok(SigSet::EMPTY)
    );
    assert_eq!(system.sigprocmask(CHILD, SIG_SETMASK, None), Ok(set));
    system.kill(USER_PID, CHILD, SIGTERM).unwrap();
    assert_eq!(system.next_deliverable(CHILD), None);
}

#[test]
fn scheduling_calls_read_and_set_policy_and_priority() {
    let mut system = family();
    system
        .sched_setscheduler(INIT, CHILD, SCHED_RR, 10)
        .unwrap();
    assert_eq!(system.sched_getscheduler(USER_PID, CHILD), Ok(SCHED_RR));
    assert_eq!(system.sched_getparam(USER_PID, CHILD), Ok(10));
    assert_eq!(system.sched_getscheduler(CHILD, 0), Ok(SCHED_RR));
    assert_eq!(system.sched_getscheduler(CHILD, -1), Err(Errno::EINVAL));
    assert_eq!(system.sched_getparam(CHILD, 99), Err(Errno::ESRCH));
}

#[test]
fn the_round_robin_interval_follows_the_policy() {
    let mut system = family();
    assert_eq!(system.sched_rr_interval_ticks(CHILD, 0), Ok(1));
    system
        .sched_setscheduler(INIT, CHILD, SCHED_RR, 10)
        .unwrap();
    assert_eq!(
        system.sched_rr_interval_ticks(USER_PID, CHILD),
        Ok(RR_SLICE_TICKS)
    );
    system
        .sched_setscheduler(INIT, CHILD, SCHED_FIFO, 10)
        .unwrap();
    assert_eq!(system.sched_rr_interval_ticks(USER_PID, CHILD), Ok(0));
    assert_eq!(system.sched_rr_interval_ticks(CHILD, 99), Err(Errno::ESRCH));
    assert_eq!(
        system.sched_rr_interval_ticks(CHILD, -1),
        Err(Errno::EINVAL)
    );
}

#[test]
fn unprivileged_realtime_request_is_eperm() {
    let mut system = family();
    assert_eq!(
        system.sched_setscheduler(CHILD, 0, SCHED_FIFO, 1),
        Err(Errno::EPERM)
    );
    assert_eq!(system.sched_setscheduler(CHILD, 0, SCHED_OTHER, 0), Ok(()));
    assert_eq!(
        system.sched_setscheduler(CHILD, 0, 5, 0),
        Err(Errno::EINVAL)
    );
}

#[test]
fn changing_another_users_scheduling_is_eperm() {
    let mut system = family();
    assert_eq!(system.sched_setparam(USER_PID, INIT, 0), Err(Errno::EPERM));
    assert_eq!(system.sched_setparam(USER_PID, CHILD, 0), Ok(()));
}

#[test]
fn tgkill_signals_the_one_thread_of_a_process() {
    let mut system = family();
    system
        .tgkill(USER_PID, Some(CHILD), CHILD, SIGTERM)
        .unwrap();
    system.tgkill(USER_PID, None, SIBLING, SIGUSR1).unwrap();
    assert!(system
        .process(CHILD)
        .unwrap()
        .signals
        .pending()
        .contains(SIGTERM));
    assert!(system
        .process(SIBLING)
        .unwrap()
        .signals
        .pending()
        .contains(SIGUSR1));
}

#[test]
fn tgkill_with_a_thread_group_that_is_not_the_threads_is_esrch() {
    let mut system = family();
    assert_eq!(
        system.tgkill(USER_PID, Some(SIBLING), CHILD, SIGTERM),
        Err(Errno::ESRCH)
    );
    assert_eq!(
        system.tgkill(USER_PID, None, 77, SIGTERM),
        Err(Errno::ESRCH)
    );
    assert!(system.process(CHILD).unwrap().signals.pending().is_empty());
}

#[test]
fn tgkill_with_a_bad_id_or_signal_is_einval() {
    let mut system = family();
    assert_eq!(
        system.tgkill(USER_PID, Some(0), CHILD, SIGTERM),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.tgkill(USER_PID, None, 0, SIGTERM),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.tgkill(USER_PID, None, -1, SIGTERM),
        Err(Errno::EINVAL)
    );
    assert_eq!(system.tgkill(USER_PID, None, CHILD, 65), Err(Errno::EINVAL));
    assert_eq!(system.tgkill(USER_PID, None, CHILD, 0), Ok(()));
}

#[test]
fn tgkill_follows_kills_permission_rule() {
    let mut system = family();
    system.process_mut(CHILD).unwrap().creds = Creds::new(OTHER_UID, OTHER_UID);
    assert_eq!(
        system.tgkill(USER_PID, Some(CHILD), CHILD, SIGTERM),
        Err(Errno::EPERM)
    );
    assert_eq!(system.tgkill(INIT, Some(CHILD), CHILD, SIGTERM), Ok(()));
}

#[test]
fn processes_in_slots_freed_and_refilled_above_the_others_stay_found() {
    // Slots: init, the user process, CHILD, SIBLING; then CHILD's slot is
    // freed and refilled, SIBLING's (the highest) freed, and two more
    // children go into the freed slot and above the others.
    let mut system = family();
    for pid in [CHILD, SIBLING] {
        system.exit(pid, Termination::Exited(0)).unwrap();
        system.reap(pid).unwrap();
    }
    for pid in [5, 6, 7] {
        system.create_child(USER_PID, pid).unwrap();
    }
    system.exit(6, Termination::Exited(0)).unwrap();
    system.reap(6).unwrap();
    system.create_child(USER_PID, 8).unwrap();
    for pid in [INIT, USER_PID, 5, 7, 8] {
        assert_eq!(system.getpgid(pid, 0), Ok(INIT), "pid {pid}");
    }
    for pid in [CHILD, SIBLING, 6] {
        assert_eq!(system.getpgid(pid, 0), Err(Errno::ESRCH), "pid {pid}");
    }
}

mod priority {
    use super::*;
    use shim_abi::priority::{NICE_BIAS, PRIO_PGRP, PRIO_PROCESS, PRIO_USER};

    #[test]
    fn getpriority_returns_twenty_minus_nice_of_self_by_pid_zero() {
        let mut system = family();
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(NICE_BIAS));
        system.setpriority(CHILD, PRIO_PROCESS, 0, 5).unwrap();
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(15));
        assert_eq!(system.getpriority(USER_PID, PRIO_PROCESS, CHILD), Ok(15));
    }

    #[test]
    fn setpriority_clamps_to_nineteen() {
        let mut system = family();
        system.setpriority(CHILD, PRIO_PROCESS, 0, 1000).unwrap();
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(1));
        system
            .setpriority(INIT, PRIO_PROCESS, CHILD, -1000)
            .unwrap();
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(40));
    }

    #[test]
    fn lowering_nice_needs_root_eacces() {
        let mut system = family();
        system.setpriority(CHILD, PRIO_PROCESS, 0, 3).unwrap();
        assert_eq!(
            system.setpriority(CHILD, PRIO_PROCESS, 0, 2),
            Err(Errno::EACCES)
        );
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(17));
        system.setpriority(INIT, PRIO_PROCESS, CHILD, -3).unwrap();
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, 0), Ok(23));
    }

    #[test]
    fn another_users_process_is_eperm() {
        let mut system = family();
        system.process_mut(SIBLING).unwrap().creds = crate::creds::Creds::new(OTHER_UID, 7);
        assert_eq!(
            system.setpriority(CHILD, PRIO_PROCESS, SIBLING, 10),
            Err(Errno::EPERM)
        );
        assert_eq!(
            system.getpriority(CHILD, PRIO_PROCESS, SIBLING),
            Ok(NICE_BIAS)
        );
        // Init's nice value is root's to change.
        assert_eq!(
            system.setpriority(CHILD, PRIO_PROCESS, INIT, 10),
            Err(Errno::EPERM)
        );
    }

    #[test]
    fn missing_targets_are_esrch_and_unknown_which_einval() {
        let mut system = family();
        assert_eq!(
            system.getpriority(CHILD, PRIO_PROCESS, 99),
            Err(Errno::ESRCH)
        );
        assert_eq!(
            system.setpriority(CHILD, PRIO_PROCESS, 99, 1),
            Err(Errno::ESRCH)
        );
        assert_eq!(system.getpriority(CHILD, PRIO_PGRP, 99), Err(Errno::ESRCH));
        assert_eq!(system.getpriority(CHILD, 3, 0), Err(Errno::EINVAL));
        assert_eq!(system.setpriority(CHILD, -1, 0, 0), Err(Errno::EINVAL));
    }

    #[test]
    fn group_and_user_forms_reach_every_member_and_report_the_lowest_nice() {
        let mut system = family();
        system.setpgid(CHILD, 0, 0).unwrap();
        system.setpgid(USER_PID, SIBLING, CHILD).unwrap();
        system.setpriority(CHILD, PRIO_PGRP, 0, 4).unwrap();
        assert_eq!(system.getpriority(USER_PID, PRIO_PROCESS, SIBLING), Ok(16));
        assert_eq!(system.getpriority(USER_PID, PRIO_PROCESS, USER_PID), Ok(20));
        system.setpriority(INIT, PRIO_PROCESS, SIBLING, 2).unwrap();
        assert_eq!(system.getpriority(USER_PID, PRIO_PGRP, CHILD), Ok(18));
        system.setpriority(USER_PID, PRIO_USER, 0, 6).unwrap();
        assert_eq!(system.getpriority(INIT, PRIO_USER, UID as i32), Ok(14));
        assert_eq!(system.getpriority(INIT, PRIO_PROCESS, INIT), Ok(NICE_BIAS));
    }

    #[test]
    fn a_group_with_some_refused_changes_the_others_and_reports_the_refusal() {
        let mut system = family();
        system.setpgid(CHILD, 0, 0).unwrap();
        system.setpgid(USER_PID, SIBLING, CHILD).unwrap();
        system.setpriority(INIT, PRIO_PROCESS, SIBLING, 8).unwrap();
        assert_eq!(
            system.setpriority(CHILD, PRIO_PGRP, CHILD, 5),
            Err(Errno::EACCES)
        );
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, CHILD), Ok(15));
        assert_eq!(system.getpriority(CHILD, PRIO_PROCESS, SIBLING), Ok(12));
    }

    #[test]
    fn a_spawned_child_inherits_the_nice_value() {
        let mut system = family();
        system.setpriority(CHILD, PRIO_PROCESS, 0, 9).unwrap();
        system.create_child(CHILD, 10).unwrap();
        assert_eq!(system.getpriority(10, PRIO_PROCESS, 0), Ok(11));
    }
}
