//! Tests of the process table's rules: picking, ticks, blocking and
//! waking, alarms, processor time, exit, `wait4`, orphans, and signal
//! posting and delivery.

use libspawn::{Errno, SchedPolicy, SigSet};
use shim_abi::sigaction::{SA_NODEFER, SIG_BLOCK};
use shim_abi::signal::{SIGALRM, SIGCHLD, SIGSEGV, SIGTERM, SIGUSR1};
use shim_abi::wait::WNOHANG;

use crate::process::{Block, State, MAX_PROCESSES};
use crate::sigframe::{Info, CLD_EXITED, CLD_KILLED, SI_KERNEL, SI_USER};
use crate::signal::{Disposition, Handler};
use crate::testutil::{system, INIT, USER_PID};
use crate::wait_status::Termination;

use super::*;

/// Children of the user process.
const A: Pid = 3;
const B: Pid = 4;
/// One second of the monotonic clock.
const SECOND: u64 = NANOS_PER_SECOND;

/// Init (slot 0), the user process (slot 1) and its children A (slot 2)
/// and B (slot 3).
fn family() -> System {
    let mut system = system();
    system.create_child(USER_PID, A).unwrap();
    system.create_child(USER_PID, B).unwrap();
    system
}

fn state(system: &System, pid: Pid) -> State {
    system.process(pid).unwrap().state()
}

fn handler() -> Handler {
    Handler {
        handler: 0x1000,
        flags: 0,
        restorer: 0x2000,
        mask: SigSet::EMPTY,
    }
}

/// Picks `count` times at time 0, ending each turn; the pids picked.
fn picks(system: &mut System, count: usize) -> Vec<Pid> {
    (0..count)
        .map(|_| {
            let pick = system.pick_next(0).expect("something runnable");
            system.end_turn(pick.pid, 0);
            pick.pid
        })
        .collect()
}

#[test]
fn equal_ranks_take_turns_in_slot_order() {
    let mut system = family();
    assert_eq!(picks(&mut system, 5), [INIT, USER_PID, A, B, INIT]);
}

#[test]
fn a_realtime_process_runs_before_every_sched_other_one() {
    let mut system = family();
    system
        .sched_setscheduler(INIT, B, SchedPolicy::Fifo.raw(), 5)
        .unwrap();
    assert_eq!(picks(&mut system, 3), [B, B, B]);
    system.block(B, Block::Pipe).unwrap();
    assert_eq!(picks(&mut system, 2), [INIT, USER_PID]);
}

#[test]
fn the_picked_process_is_running_until_its_turn_ends() {
    let mut system = family();
    let pick = system.pick_next(0).unwrap();
    assert_eq!(pick.slot, system.process(pick.pid).unwrap().slot());
    assert_eq!(state(&system, pick.pid), State::Running);
    system.end_turn(pick.pid, 0);
    assert_eq!(state(&system, pick.pid), State::Runnable);
}

#[test]
fn nothing_runnable_picks_nothing() {
    let mut system = System::new();
    assert_eq!(system.pick_next(0), None);
    system.create_init(INIT).unwrap();
    system.block(INIT, Block::Child).unwrap();
    assert_eq!(system.pick_next(0), None);
}

#[test]
fn ticks_preempt_other_always_rr_after_its_slice_fifo_only_for_higher_ranks() {
    let mut system = family();
    assert!(system.tick(A, 0));
    system
        .sched_setscheduler(INIT, A, SchedPolicy::RoundRobin.raw(), 5)
        .unwrap();
    let yields = (0..2 * RR_SLICE_TICKS)
        .filter(|_| system.tick(A, 0))
        .count();
    assert_eq!(yields, 2);
    system
        .sched_setscheduler(INIT, A, SchedPolicy::Fifo.raw(), 5)
        .unwrap();
    assert!(!system.tick(A, 0));
    system
        .sched_setscheduler(INIT, B, SchedPolicy::Fifo.raw(), 6)
        .unwrap();
    assert!(system.tick(A, 0));
}

#[test]
fn blocking_with_a_deliverable_signal_is_eintr_and_a_spawn_wait_is_not() {
    let mut system = family();
    system
        .process_mut(A)
        .unwrap()
        .signals
        .generate(SIGUSR1)
        .unwrap();
    assert_eq!(system.block(A, Block::Signal), Err(Errno::EINTR));
    assert_eq!(state(&system, A), State::Runnable);
    assert_eq!(system.block(A, Block::Spawn), Ok(()));
    assert_eq!(state(&system, A), State::Blocked(Block::Spawn));
    assert_eq!(system.check_interrupted(A, Block::Spawn), Ok(()));
    assert_eq!(system.check_interrupted(A, Block::Pipe), Err(Errno::EINTR));
}

#[test]
fn wake_ends_only_the_named_wait() {
    let mut system = family();
    system.block(A, Block::Pipe).unwrap();
    system.block(B, Block::Child).unwrap();
    system.wake(A, Block::Child);
    assert_eq!(state(&system, A), State::Blocked(Block::Pipe));
    system.wake_all(Block::Pipe);
    assert_eq!(state(&system, A), State::Runnable);
    assert_eq!(state(&system, B), State::Blocked(Block::Child));
}

#[test]
fn a_sleeper_wakes_at_its_deadline_and_not_before() {
    let mut system = family();
    system.block(A, Block::Sleep { until_ns: 500 }).unwrap();
    assert_eq!(system.next_deadline(), Some(500));
    assert!(system.tick(INIT, 499));
    assert_eq!(
        state(&system, A),
        State::Blocked(Block::Sleep { until_ns: 500 })
    );
    system.tick(INIT, 500);
    assert_eq!(state(&system, A), State::Runnable);
    assert_eq!(system.next_deadline(), None);
}

#[test]
fn an_alarm_reports_the_seconds_left_rounded_up_and_fires_sigalrm() {
    let mut system = family();
    assert_eq!(system.alarm(A, 10, 0), Ok(0));
    assert_eq!(system.next_deadline(), Some(10 * SECOND));
    assert_eq!(system.alarm(A, 3, 9 * SECOND + 1), Ok(1));
    system.block(A, Block::Signal).unwrap();
    system.pick_next(12 * SECOND - 1);
    assert_eq!(state(&system, A), State::Blocked(Block::Signal));
    system.pick_next(12 * SECOND + 1);
    let signals = &system.process(A).unwrap().signals;
    assert!(signals.pending().contains(SIGALRM));
    assert_eq!(signals.sender(SIGALRM).code, SI_KERNEL);
    assert_ne!(state(&system, A), State::Blocked(Block::Signal));
    assert_eq!(system.alarm(A, 0, 13 * SECOND), Ok(0));
}

#[test]
fn alarm_takes_the_low_32_bits_and_zero_cancels() {
    let mut system = family();
    assert_eq!(system.alarm(A, (1 << 32) | 2, 0), Ok(0));
    assert_eq!(system.next_deadline(), Some(2 * SECOND));
    assert_eq!(system.alarm(A, 0, SECOND), Ok(1));
    assert_eq!(system.next_deadline(), None);
}

#[test]
fn cpu_time_counts_ended_turns_and_the_one_in_progress() {
    let mut system = System::new();
    system.create_init(INIT).unwrap();
    assert_eq!(system.pick_next(100).map(|p| p.pid), Some(INIT));
    assert_eq!(system.cpu_time_ns(INIT, 130), Ok(30));
    system.end_turn(INIT, 150);
    assert_eq!(system.cpu_time_ns(INIT, 1000), Ok(50));
    system.pick_next(2000);
    system.end_turn(INIT, 2005);
    assert_eq!(system.cpu_time_ns(INIT, 9000), Ok(55));
    assert_eq!(system.cpu_time_ns(99, 0), Err(Errno::ESRCH));
}

#[test]
fn exit_makes_a_zombie_tells_the_parent_and_cancels_the_alarm() {
    let mut system = family();
    system.alarm(A, 5, 0).unwrap();
    system
        .sigaction(USER_PID, SIGCHLD, Some(Disposition::Handler(handler())))
        .unwrap();
    system.block(USER_PID, Block::Child).unwrap();
    system.exit(A, Termination::Killed(SIGTERM)).unwrap();
    assert_eq!(
        state(&system, A),
        State::Zombie(Termination::Killed(SIGTERM))
    );
    assert_eq!(system.next_deadline(), None);
    assert_eq!(state(&system, USER_PID), State::Runnable);
    let parent = &system.process(USER_PID).unwrap().signals;
    assert!(parent.pending().contains(SIGCHLD));
    assert_eq!(parent.sender(SIGCHLD).code, CLD_KILLED);
    assert_eq!(parent.sender(SIGCHLD).pid, A);
    system.exit(B, Termination::Exited(3)).unwrap();
    let parent = &system.process(USER_PID).unwrap().signals;
    assert_eq!(parent.sender(SIGCHLD).code, CLD_EXITED);
}

#[test]
fn orphans_go_to_init_which_is_woken_for_an_orphaned_zombie() {
    let mut system = family();
    system.exit(A, Termination::Exited(0)).unwrap();
    system.block(INIT, Block::Child).unwrap();
    system.exit(USER_PID, Termination::Exited(0)).unwrap();
    assert_eq!(system.process(A).unwrap().ppid(), INIT);
    assert_eq!(system.process(B).unwrap().ppid(), INIT);
    assert_eq!(state(&system, INIT), State::Runnable);
    assert_eq!(
        system.wait_child(INIT, A, 0),
        Ok(ChildWait::Exited { pid: A, status: 0 })
    );
}

#[test]
fn wait_child_finds_exited_children_by_pid_group_or_any() {
    let mut system = family();
    assert_eq!(system.wait_child(USER_PID, -1, 0), Ok(ChildWait::Wait));
    assert_eq!(
        system.wait_child(USER_PID, -1, WNOHANG),
        Ok(ChildWait::NoneYet)
    );
    system.exit(B, Termination::Exited(7)).unwrap();
    let b_exited = ChildWait::Exited {
        pid: B,
        status: 7 << 8,
    };
    assert_eq!(
        system.wait_child(USER_PID, A, WNOHANG),
        Ok(ChildWait::NoneYet)
    );
    assert_eq!(system.wait_child(USER_PID, B, 0), Ok(b_exited));
    assert_eq!(system.wait_child(USER_PID, 0, 0), Ok(b_exited));
    assert_eq!(system.wait_child(USER_PID, -INIT, 0), Ok(b_exited));
    assert_eq!(system.wait_child(USER_PID, -A, 0), Err(Errno::ECHILD));
    assert_eq!(system.wait_child(USER_PID, 99, 0), Err(Errno::ECHILD));
    system.reap(B).unwrap();
    assert_eq!(system.wait_child(USER_PID, B, 0), Err(Errno::ECHILD));
}

#[test]
fn wait_child_takes_the_lowest_slot_among_exited_children() {
    let mut system = family();
    system.exit(B, Termination::Exited(2)).unwrap();
    system.exit(A, Termination::Exited(1)).unwrap();
    system.reap(A).unwrap();
    system.create_child(USER_PID, 5).unwrap();
    system.exit(5, Termination::Exited(5)).unwrap();
    // Pid 5 took A's slot 2, below B's slot 3.
    assert_eq!(
        system.wait_child(USER_PID, -1, 0),
        Ok(ChildWait::Exited {
            pid: 5,
            status: 5 << 8
        })
    );
}

#[test]
fn wait_child_rejects_unknown_options_and_the_lowest_pid() {
    let system = family();
    assert_eq!(system.wait_child(USER_PID, -1, 0x100), Err(Errno::EINVAL));
    assert_eq!(system.wait_child(USER_PID, i32::MIN, 0), Err(Errno::EINVAL));
    assert_eq!(system.wait_child(A, -1, 0), Err(Errno::ECHILD));
}

#[test]
fn the_table_holds_max_processes_and_reaping_frees_a_slot() {
    let mut system = system();
    for pid in 3..=MAX_PROCESSES as Pid {
        system.create_child(USER_PID, pid).unwrap();
    }
    assert_eq!(system.free_slots(), 0);
    let next = MAX_PROCESSES as Pid + 1;
    assert_eq!(system.create_child(USER_PID, next), Err(Errno::EAGAIN));
    system.exit(3, Termination::Exited(0)).unwrap();
    assert_eq!(system.free_slots(), 0);
    system.reap(3).unwrap();
    assert_eq!(system.free_slots(), 1);
    system.create_child(USER_PID, next).unwrap();
    assert_eq!(system.process(next).unwrap().slot(), 2);
    assert_eq!(system.process_in_slot(2).map(Process::pid), Some(next));
}

#[test]
fn kill_records_the_sender_and_wakes_an_interruptible_sleeper() {
    let mut system = family();
    system.block(A, Block::Signal).unwrap();
    system.block(B, Block::Spawn).unwrap();
    system.kill(INIT, A, SIGUSR1).unwrap();
    system.kill(INIT, B, SIGUSR1).unwrap();
    let sender = system.process(A).unwrap().signals.sender(SIGUSR1);
    assert_eq!((sender.code, sender.pid, sender.uid), (SI_USER, INIT, 0));
    assert_eq!(state(&system, A), State::Runnable);
    assert_eq!(state(&system, B), State::Blocked(Block::Spawn));
}

#[test]
fn a_blocked_signal_does_not_wake_the_target() {
    let mut system = family();
    system
        .sigprocmask(A, SIG_BLOCK, Some(SigSet::from_bits(1 << (SIGUSR1 - 1))))
        .unwrap();
    system.block(A, Block::Signal).unwrap();
    system.post_signal(A, SIGUSR1, Info::NONE).unwrap();
    assert_eq!(state(&system, A), State::Blocked(Block::Signal));
    assert_eq!(
        system.post_signal(99, SIGUSR1, Info::NONE),
        Err(Errno::ESRCH)
    );
}

#[test]
fn deliver_next_runs_a_handler_with_the_senders_details_or_terminates() {
    let mut system = family();
    system
        .sigaction(A, SIGUSR1, Some(Disposition::Handler(handler())))
        .unwrap();
    let info = Info {
        pid: 42,
        ..Info::NONE
    };
    system.post_signal(A, SIGUSR1, info).unwrap();
    system.post_signal(A, SIGTERM, Info::NONE).unwrap();
    let Some(Delivery::Handle {
        signal,
        old_mask,
        info,
        ..
    }) = system.deliver_next(A)
    else {
        panic!("no handler delivery");
    };
    assert_eq!((signal, old_mask, info.pid), (SIGUSR1, SigSet::EMPTY, 42));
    assert!(system.process(A).unwrap().signals.mask().contains(SIGUSR1));
    assert_eq!(system.deliver_next(A), Some(Delivery::Terminate(SIGTERM)));
    assert_eq!(system.deliver_next(A), None);
}

#[test]
fn a_suspension_mask_is_saved_for_the_handler_or_restored_without_one() {
    let mut system = family();
    let mut nodefer = handler();
    nodefer.flags = SA_NODEFER;
    system
        .sigaction(A, SIGUSR1, Some(Disposition::Handler(nodefer)))
        .unwrap();
    let before = SigSet::from_bits(1 << (SIGTERM - 1));
    system.process_mut(A).unwrap().signals.set_mask(before);
    system
        .process_mut(A)
        .unwrap()
        .signals
        .suspend(SigSet::EMPTY);
    system.post_signal(A, SIGUSR1, Info::NONE).unwrap();
    match system.deliver_next(A) {
        Some(Delivery::Handle { old_mask, .. }) => assert_eq!(old_mask, before),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(system.process(A).unwrap().signals.mask(), SigSet::EMPTY);
    system
        .process_mut(A)
        .unwrap()
        .signals
        .suspend(SigSet::EMPTY);
    system.end_suspension(A);
    assert_eq!(system.process(A).unwrap().signals.mask(), SigSet::EMPTY);
    system.process_mut(A).unwrap().signals.set_mask(before);
    system
        .process_mut(A)
        .unwrap()
        .signals
        .suspend(SigSet::EMPTY);
    system.end_suspension(A);
    assert_eq!(system.process(A).unwrap().signals.mask(), before);
}

#[test]
fn a_forced_fault_signal_is_unblocked_and_unignored_first() {
    let mut system = family();
    system
        .sigaction(A, SIGSEGV, Some(Disposition::Ignore))
        .unwrap();
    system
        .sigprocmask(A, SIG_BLOCK, Some(SigSet::from_bits(1 << (SIGSEGV - 1))))
        .unwrap();
    let fault = Info {
        fault: true,
        addr: 0x10,
        ..Info::NONE
    };
    system.force_signal(A, SIGSEGV, fault).unwrap();
    let signals = &system.process(A).unwrap().signals;
    assert!(!signals.mask().contains(SIGSEGV));
    assert_eq!(signals.disposition(SIGSEGV), Ok(Disposition::Default));
    assert_eq!(system.deliver_next(A), Some(Delivery::Terminate(SIGSEGV)));
}

#[test]
fn a_poller_wakes_on_a_pipe_change_or_at_its_deadline() {
    let mut system = family();
    system.block(A, Block::Poll { until_ns: 500 }).unwrap();
    system.block(B, Block::Poll { until_ns: u64::MAX }).unwrap();
    assert_eq!(system.next_deadline(), Some(500));
    system.tick(INIT, 500);
    assert_eq!(state(&system, A), State::Runnable);
    assert_eq!(
        state(&system, B),
        State::Blocked(Block::Poll { until_ns: u64::MAX })
    );
    assert_eq!(system.next_deadline(), None);
    system.wake_all(Block::Pipe);
    assert_eq!(state(&system, B), State::Runnable);
}

#[test]
fn a_real_timer_with_an_interval_fires_again_each_period() {
    let mut system = family();
    let every_half_second = RealTimer {
        value_ns: SECOND,
        interval_ns: SECOND / 2,
    };
    assert_eq!(
        system.set_real_timer(A, every_half_second, 0),
        Ok(RealTimer::default())
    );
    assert_eq!(system.next_deadline(), Some(SECOND));
    system.pick_next(SECOND);
    assert!(system
        .process(A)
        .unwrap()
        .signals
        .pending()
        .contains(SIGALRM));
    assert_eq!(system.next_deadline(), Some(SECOND + SECOND / 2));
    assert_eq!(
        system.real_timer(A, SECOND + SECOND / 4),
        Ok(RealTimer {
            value_ns: SECOND / 4,
            interval_ns: SECOND / 2
        })
    );
}

#[test]
fn a_late_periodic_alarm_skips_the_missed_periods() {
    let mut system = family();
    let timer = RealTimer {
        value_ns: 100,
        interval_ns: 100,
    };
    system.set_real_timer(A, timer, 0).unwrap();
    // Due at 100; the clock is only seen at 1050: the next is at 1100.
    system.pick_next(1050);
    assert_eq!(system.next_deadline(), Some(1100));
}

#[test]
fn a_zero_value_disarms_the_real_timer_and_returns_the_old_setting() {
    let mut system = family();
    let timer = RealTimer {
        value_ns: 5 * SECOND,
        interval_ns: SECOND,
    };
    system.set_real_timer(A, timer, 0).unwrap();
    let disarm = RealTimer {
        value_ns: 0,
        interval_ns: SECOND,
    };
    assert_eq!(
        system.set_real_timer(A, disarm, 2 * SECOND),
        Ok(RealTimer {
            value_ns: 3 * SECOND,
            interval_ns: SECOND
        })
    );
    assert_eq!(system.next_deadline(), None);
    assert_eq!(system.real_timer(A, 3 * SECOND), Ok(RealTimer::default()));
}

#[test]
fn alarm_and_the_real_timer_are_one_timer() {
    let mut system = family();
    let periodic = RealTimer {
        value_ns: 10 * SECOND,
        interval_ns: SECOND,
    };
    system.set_real_timer(A, periodic, 0).unwrap();
    // alarm sees the timer's time left and makes it one-shot.
    assert_eq!(system.alarm(A, 3, 4 * SECOND), Ok(6));
    assert_eq!(
        system.real_timer(A, 4 * SECOND),
        Ok(RealTimer {
            value_ns: 3 * SECOND,
            interval_ns: 0
        })
    );
}

#[test]
fn exit_disarms_a_periodic_real_timer() {
    let mut system = family();
    let periodic = RealTimer {
        value_ns: SECOND,
        interval_ns: SECOND,
    };
    system.set_real_timer(A, periodic, 0).unwrap();
    system.exit(A, Termination::Exited(0)).unwrap();
    assert_eq!(system.next_deadline(), None);
    assert_eq!(system.real_timer(A, 0), Ok(RealTimer::default()));
}

mod sigtimedwait {
    use super::*;
    use shim_abi::signal::{SIGKILL, SIGUSR2};

    fn bit(signal: i32) -> u64 {
        1 << (signal - 1)
    }

    fn set(signals: &[i32]) -> SigSet {
        SigSet::from_bits(signals.iter().map(|&s| bit(s)).fold(0, |a, b| a | b))
    }

    fn block_signals(system: &mut System, signals: &[i32]) {
        system
            .sigprocmask(A, SIG_BLOCK, Some(set(signals)))
            .unwrap();
    }

    fn sent_by(pid: Pid) -> Info {
        Info {
            code: SI_USER,
            pid,
            uid: 1000,
            ..Info::NONE
        }
    }

    #[test]
    fn a_pending_blocked_signal_of_the_set_is_taken_with_its_sender_and_no_handler_runs() {
        let mut system = family();
        system
            .sigaction(A, SIGUSR1, Some(Disposition::Handler(handler())))
            .unwrap();
        block_signals(&mut system, &[SIGUSR1]);
        system.post_signal(A, SIGUSR1, sent_by(USER_PID)).unwrap();
        assert_eq!(
            system.sigtimedwait_step(A, set(&[SIGUSR1]), u64::MAX, 0),
            Ok(SigWait::Taken {
                signal: SIGUSR1,
                info: sent_by(USER_PID)
            })
        );
        assert!(!system
            .process(A)
            .unwrap()
            .signals
            .pending()
            .contains(SIGUSR1));
        assert_eq!(system.deliver_next(A), None);
    }

    #[test]
    fn the_lowest_pending_signal_of_the_set_comes_first_and_others_stay_pending() {
        let mut system = family();
        block_signals(&mut system, &[SIGUSR1, SIGUSR2, SIGTERM]);
        for signal in [SIGUSR2, SIGTERM, SIGUSR1] {
            system.post_signal(A, signal, Info::NONE).unwrap();
        }
        let step =
            |system: &mut System| system.sigtimedwait_step(A, set(&[SIGUSR1, SIGUSR2]), 0, 0);
        assert!(matches!(
            step(&mut system),
            Ok(SigWait::Taken {
                signal: SIGUSR1,
                ..
            })
        ));
        assert!(matches!(
            step(&mut system),
            Ok(SigWait::Taken {
                signal: SIGUSR2,
                ..
            })
        ));
        assert_eq!(step(&mut system), Err(Errno::EAGAIN));
        assert!(system
            .process(A)
            .unwrap()
            .signals
            .pending()
            .contains(SIGTERM));
    }

    #[test]
    fn nothing_pending_waits_until_the_deadline_then_eagain() {
        let mut system = family();
        let waited = set(&[SIGUSR1]);
        assert_eq!(
            system.sigtimedwait_step(A, waited, 500, 499),
            Ok(SigWait::Wait)
        );
        assert_eq!(
            system.sigtimedwait_step(A, waited, 500, 500),
            Err(Errno::EAGAIN)
        );
        assert_eq!(
            system.sigtimedwait_step(A, waited, 0, 0),
            Err(Errno::EAGAIN)
        );
    }

    #[test]
    fn a_deliverable_signal_outside_the_set_interrupts_but_a_set_member_wins() {
        let mut system = family();
        system
            .sigaction(A, SIGUSR2, Some(Disposition::Handler(handler())))
            .unwrap();
        block_signals(&mut system, &[SIGUSR1]);
        system.post_signal(A, SIGUSR2, Info::NONE).unwrap();
        let waited = set(&[SIGUSR1]);
        assert_eq!(
            system.sigtimedwait_step(A, waited, u64::MAX, 0),
            Err(Errno::EINTR)
        );
        system.post_signal(A, SIGUSR1, Info::NONE).unwrap();
        assert!(matches!(
            system.sigtimedwait_step(A, waited, u64::MAX, 0),
            Ok(SigWait::Taken {
                signal: SIGUSR1,
                ..
            })
        ));
    }

    #[test]
    fn sigkill_is_never_taken() {
        let mut system = family();
        system
            .process_mut(A)
            .unwrap()
            .signals
            .generate(SIGKILL)
            .unwrap();
        assert_eq!(
            system.sigtimedwait_step(A, set(&[SIGKILL]), u64::MAX, 0),
            Err(Errno::EINTR)
        );
    }

    #[test]
    fn a_blocked_signal_of_the_set_wakes_the_waiter_and_one_outside_does_not() {
        let mut system = family();
        block_signals(&mut system, &[SIGUSR1, SIGUSR2]);
        let wait = Block::SigWait {
            set: bit(SIGUSR1),
            until_ns: u64::MAX,
        };
        system.block(A, wait).unwrap();
        system.post_signal(A, SIGUSR2, Info::NONE).unwrap();
        assert_eq!(state(&system, A), State::Blocked(wait));
        system.post_signal(A, SIGUSR1, Info::NONE).unwrap();
        assert_eq!(state(&system, A), State::Runnable);
    }

    #[test]
    fn a_waiter_wakes_at_its_deadline() {
        let mut system = family();
        let wait = Block::SigWait {
            set: bit(SIGUSR1),
            until_ns: 700,
        };
        system.block(A, wait).unwrap();
        assert_eq!(system.next_deadline(), Some(700));
        system.tick(INIT, 699);
        assert_eq!(state(&system, A), State::Blocked(wait));
        system.tick(INIT, 700);
        assert_eq!(state(&system, A), State::Runnable);
    }
}

mod waitid {
    use super::*;
    use shim_abi::wait::{P_ALL, P_PGID, P_PID, WEXITED, WNOWAIT, WSTOPPED};

    #[test]
    fn idtypes_name_the_children_as_wait4_does() {
        let request = |idtype, id| waitid_request(idtype, id, WEXITED).map(|r| r.wanted);
        assert_eq!(request(P_ALL, 77), Ok(-1));
        assert_eq!(request(P_PID, 5), Ok(5));
        assert_eq!(request(P_PGID, 6), Ok(-6));
        assert_eq!(request(P_PGID, 0), Ok(0));
    }

    #[test]
    fn bad_ids_idtypes_and_options_are_einval() {
        assert_eq!(waitid_request(P_PID, 0, WEXITED), Err(Errno::EINVAL));
        assert_eq!(waitid_request(P_PID, -3, WEXITED), Err(Errno::EINVAL));
        assert_eq!(waitid_request(P_PGID, -3, WEXITED), Err(Errno::EINVAL));
        assert_eq!(waitid_request(3, 1, WEXITED), Err(Errno::EINVAL));
        assert_eq!(waitid_request(P_ALL, 0, 0), Err(Errno::EINVAL));
        assert_eq!(waitid_request(P_ALL, 0, WSTOPPED), Err(Errno::EINVAL));
        assert_eq!(waitid_request(P_ALL, 0, WEXITED | 0x10), Err(Errno::EINVAL));
    }

    #[test]
    fn wnohang_and_wnowait_are_read() {
        let request = waitid_request(P_ALL, 0, WEXITED | WNOHANG | WNOWAIT).unwrap();
        assert!(request.no_hang && request.no_wait);
        let request = waitid_request(P_ALL, 0, WEXITED | WSTOPPED).unwrap();
        assert!(!request.no_hang && !request.no_wait);
    }

    #[test]
    fn an_exited_child_reports_cld_exited_with_its_code_a_killed_one_cld_killed() {
        let mut system = family();
        system.exit(A, Termination::Exited(0x1ff)).unwrap();
        system.exit(B, Termination::Killed(SIGTERM)).unwrap();
        assert_eq!(
            system.exited_child_info(A),
            Ok((CLD_EXITED, 0xff, crate::testutil::UID))
        );
        assert_eq!(
            system.exited_child_info(B),
            Ok((CLD_KILLED, SIGTERM, crate::testutil::UID))
        );
        assert_eq!(system.exited_child_info(USER_PID), Err(Errno::ECHILD));
        assert_eq!(system.exited_child_info(99), Err(Errno::ESRCH));
    }
}
