//! Tests of the signal state.

use super::*;
use shim_abi::sigaction::SA_RESTORER;
use shim_abi::signal::{SIGHUP, SIGINT, SIGPIPE, SIGRTMAX, SIGRTMIN, SIGTERM, SIGUSR1, SIGUSR2};

fn handler(address: u64) -> Handler {
    Handler {
        handler: address,
        flags: SA_RESTORER,
        restorer: 0x1000,
        mask: SigSet::EMPTY,
    }
}

fn set(signals: &[i32]) -> SigSet {
    signals.iter().copied().collect()
}

#[test]
fn default_action_table_follows_posix() {
    assert_eq!(default_action(SIGTERM), DefaultAction::Terminate);
    assert_eq!(default_action(SIGPIPE), DefaultAction::Terminate);
    assert_eq!(default_action(SIGSEGV), DefaultAction::CoreDump);
    assert_eq!(default_action(SIGCHLD), DefaultAction::Ignore);
    assert_eq!(default_action(SIGURG), DefaultAction::Ignore);
    assert_eq!(default_action(SIGWINCH), DefaultAction::Ignore);
    assert_eq!(default_action(SIGCONT), DefaultAction::Continue);
    assert_eq!(default_action(SIGTSTP), DefaultAction::Stop);
    assert_eq!(default_action(SIGRTMIN), DefaultAction::Terminate);
    assert_eq!(default_action(SIGRTMAX), DefaultAction::Terminate);
}

#[test]
fn sigaction_rejects_zero_out_of_range_kill_and_stop() {
    let mut state = SignalState::new();
    let ignore = Some(Disposition::Ignore);
    assert_eq!(state.sigaction(0, ignore), Err(Errno::EINVAL));
    assert_eq!(state.sigaction(65, ignore), Err(Errno::EINVAL));
    assert_eq!(state.sigaction(SIGKILL, ignore), Err(Errno::EINVAL));
    assert_eq!(
        state.sigaction(SIGSTOP, Some(Disposition::Handler(handler(1)))),
        Err(Errno::EINVAL)
    );
    assert_eq!(state.sigaction(SIGKILL, None), Ok(Disposition::Default));
    assert_eq!(state, SignalState::new());
}

#[test]
fn sigaction_returns_the_old_disposition() {
    let mut state = SignalState::new();
    let caught = Disposition::Handler(handler(0x4000));
    assert_eq!(
        state.sigaction(SIGUSR1, Some(caught)),
        Ok(Disposition::Default)
    );
    assert_eq!(
        state.sigaction(SIGUSR1, Some(Disposition::Ignore)),
        Ok(caught)
    );
    assert_eq!(state.disposition(SIGUSR1), Ok(Disposition::Ignore));
}

#[test]
fn handler_mask_cannot_hold_kill_or_stop() {
    let mut state = SignalState::new();
    let mut h = handler(0x4000);
    h.mask = set(&[SIGKILL, SIGSTOP, SIGINT]);
    state
        .sigaction(SIGUSR1, Some(Disposition::Handler(h)))
        .unwrap();
    let Ok(Disposition::Handler(stored)) = state.disposition(SIGUSR1) else {
        panic!("handler not stored");
    };
    assert_eq!(stored.mask, set(&[SIGINT]));
}

#[test]
fn sigprocmask_block_unblock_and_setmask() {
    let mut state = SignalState::new();
    assert_eq!(
        state.sigprocmask(SIG_BLOCK, Some(set(&[SIGINT, SIGHUP]))),
        Ok(SigSet::EMPTY)
    );
    assert_eq!(
        state.sigprocmask(SIG_UNBLOCK, Some(set(&[SIGHUP]))),
        Ok(set(&[SIGINT, SIGHUP]))
    );
    assert_eq!(state.mask(), set(&[SIGINT]));
    state
        .sigprocmask(SIG_SETMASK, Some(set(&[SIGUSR2])))
        .unwrap();
    assert_eq!(state.mask(), set(&[SIGUSR2]));
}

#[test]
fn sigprocmask_bad_how_is_einval_only_with_a_set() {
    let mut state = SignalState::new();
    assert_eq!(
        state.sigprocmask(3, Some(set(&[SIGINT]))),
        Err(Errno::EINVAL)
    );
    assert_eq!(state.mask(), SigSet::EMPTY);
    assert_eq!(state.sigprocmask(3, None), Ok(SigSet::EMPTY));
}

#[test]
fn kill_and_stop_can_never_be_blocked() {
    let mut state = SignalState::new();
    state.sigprocmask(SIG_SETMASK, Some(SigSet::FULL)).unwrap();
    assert!(!state.mask().contains(SIGKILL));
    assert!(!state.mask().contains(SIGSTOP));
    state.generate(SIGKILL).unwrap();
    assert_eq!(state.next_deliverable(), Some((SIGKILL, Action::Terminate)));
}

#[test]
fn lowest_pending_unblocked_signal_is_delivered_first() {
    let mut state = SignalState::new();
    state
        .sigaction(SIGUSR1, Some(Disposition::Handler(handler(0x10))))
        .unwrap();
    state
        .sigaction(SIGUSR2, Some(Disposition::Handler(handler(0x20))))
        .unwrap();
    state.sigprocmask(SIG_BLOCK, Some(set(&[SIGUSR1]))).unwrap();
    state.generate(SIGUSR2).unwrap();
    state.generate(SIGUSR1).unwrap();
    assert_eq!(
        state.next_deliverable(),
        Some((SIGUSR2, Action::Handle(handler(0x20))))
    );
    assert_eq!(state.next_deliverable(), None);
    assert!(state.pending().contains(SIGUSR1));
    state
        .sigprocmask(SIG_UNBLOCK, Some(set(&[SIGUSR1])))
        .unwrap();
    assert!(state.has_deliverable());
    assert_eq!(
        state.next_deliverable(),
        Some((SIGUSR1, Action::Handle(handler(0x10))))
    );
}

#[test]
fn ignored_signals_are_discarded_at_generation_unless_blocked() {
    let mut state = SignalState::new();
    state.sigaction(SIGTERM, Some(Disposition::Ignore)).unwrap();
    assert_eq!(state.generate(SIGTERM), Ok(false));
    assert_eq!(state.generate(SIGCHLD), Ok(false));
    state.sigprocmask(SIG_BLOCK, Some(set(&[SIGTERM]))).unwrap();
    assert_eq!(state.generate(SIGTERM), Ok(true));
    state.sigprocmask(SIG_SETMASK, Some(SigSet::EMPTY)).unwrap();
    assert_eq!(state.next_deliverable(), None);
    assert!(state.pending().is_empty());
}

#[test]
fn setting_ignore_discards_a_pending_signal() {
    let mut state = SignalState::new();
    state.sigprocmask(SIG_BLOCK, Some(set(&[SIGINT]))).unwrap();
    state.generate(SIGINT).unwrap();
    state.sigaction(SIGINT, Some(Disposition::Ignore)).unwrap();
    assert!(state.pending().is_empty());
}

#[test]
fn default_terminating_signal_yields_terminate() {
    let mut state = SignalState::new();
    state.generate(SIGTERM).unwrap();
    assert_eq!(state.next_deliverable(), Some((SIGTERM, Action::Terminate)));
    assert_eq!(state.generate(0), Err(Errno::EINVAL));
    assert_eq!(state.generate(65), Err(Errno::EINVAL));
}

#[test]
fn stop_signals_by_default_are_discarded() {
    let mut state = SignalState::new();
    assert_eq!(state.generate(SIGSTOP), Ok(false));
    state.sigprocmask(SIG_BLOCK, Some(set(&[SIGTSTP]))).unwrap();
    state.generate(SIGTSTP).unwrap();
    state.sigprocmask(SIG_SETMASK, Some(SigSet::EMPTY)).unwrap();
    assert_eq!(state.next_deliverable(), None);
}

#[test]
fn entering_a_handler_blocks_its_mask_and_the_signal() {
    let mut state = SignalState::new();
    let mut h = handler(0x10);
    h.mask = set(&[SIGINT]);
    state
        .sigprocmask(SIG_SETMASK, Some(set(&[SIGHUP])))
        .unwrap();
    let old = state.enter_handler(SIGUSR1, &h);
    assert_eq!(old, set(&[SIGHUP]));
    assert_eq!(state.mask(), set(&[SIGHUP, SIGINT, SIGUSR1]));
    state.set_mask(old);
    assert_eq!(state.mask(), set(&[SIGHUP]));
}

#[test]
fn nodefer_and_resethand_change_handler_entry() {
    let mut state = SignalState::new();
    let mut h = handler(0x10);
    h.flags |= SA_NODEFER | SA_RESETHAND;
    state
        .sigaction(SIGUSR1, Some(Disposition::Handler(h)))
        .unwrap();
    state.enter_handler(SIGUSR1, &h);
    assert!(!state.mask().contains(SIGUSR1));
    assert_eq!(state.disposition(SIGUSR1), Ok(Disposition::Default));
}

#[test]
fn exec_resets_caught_signals_and_keeps_ignored_mask_and_pending() {
    let mut state = SignalState::new();
    state
        .sigaction(SIGUSR1, Some(Disposition::Handler(handler(0x10))))
        .unwrap();
    state.sigaction(SIGUSR2, Some(Disposition::Ignore)).unwrap();
    state
        .sigprocmask(SIG_SETMASK, Some(set(&[SIGINT])))
        .unwrap();
    state.generate(SIGINT).unwrap();
    state.reset_for_exec();
    assert_eq!(state.disposition(SIGUSR1), Ok(Disposition::Default));
    assert_eq!(state.disposition(SIGUSR2), Ok(Disposition::Ignore));
    assert_eq!(state.mask(), set(&[SIGINT]));
    assert_eq!(state.pending(), set(&[SIGINT]));
}

#[test]
fn set_default_accepts_kill_and_stop_but_not_out_of_range() {
    let mut state = SignalState::new();
    assert_eq!(state.set_default(SIGKILL), Ok(()));
    assert_eq!(state.set_default(SIGSTOP), Ok(()));
    assert_eq!(state.set_default(0), Err(Errno::EINVAL));
    assert_eq!(state.set_default(65), Err(Errno::EINVAL));
}

#[test]
fn a_child_inherits_mask_and_dispositions_but_not_pending_signals() {
    let mut state = SignalState::new();
    state.sigaction(SIGUSR1, Some(Disposition::Ignore)).unwrap();
    state
        .sigprocmask(SIG_SETMASK, Some(set(&[SIGINT])))
        .unwrap();
    state.generate(SIGINT).unwrap();
    let child = state.for_child().unwrap();
    assert_eq!(child.mask(), set(&[SIGINT]));
    assert_eq!(child.disposition(SIGUSR1), Ok(Disposition::Ignore));
    assert!(child.pending().is_empty());
}

#[test]
fn a_state_whose_dispositions_went_back_to_default_equals_a_fresh_one() {
    let mut state = SignalState::new();
    state.sigaction(SIGUSR1, Some(Disposition::Ignore)).unwrap();
    assert_ne!(state, SignalState::new());
    state.set_default(SIGUSR1).unwrap();
    assert_eq!(state, SignalState::new());
    // A child of a parent that never changed a disposition has every
    // signal at SIG_DFL, and can still change them.
    let mut child = SignalState::new().for_child().unwrap();
    assert_eq!(child.disposition(SIGUSR1), Ok(Disposition::Default));
    assert_eq!(
        child.sigaction(SIGUSR1, Some(Disposition::Ignore)),
        Ok(Disposition::Default)
    );
    assert_eq!(child.disposition(SIGUSR1), Ok(Disposition::Ignore));
    assert_eq!(child.disposition(SIGUSR2), Ok(Disposition::Default));
}

#[test]
fn a_child_starts_with_no_sender_recorded_and_records_its_own() {
    let info = Info {
        code: 0,
        pid: 7,
        uid: 1000,
        ..Info::NONE
    };
    let mut parent = SignalState::for_process().unwrap();
    parent.generate_from(SIGUSR1, info).unwrap();
    assert_eq!(parent.sender(SIGUSR1), info);
    let mut child = parent.for_child().unwrap();
    assert_eq!(child.sender(SIGUSR1), Info::NONE);
    assert_eq!(child.generate_from(SIGUSR2, info), Ok(true));
    assert_eq!(child.sender(SIGUSR2), info);
    // A state made by `new` records too (its table is made then).
    let mut bare = SignalState::new();
    assert_eq!(bare.generate_from(SIGUSR1, info), Ok(true));
    assert_eq!(bare.sender(SIGUSR1), info);
    assert_eq!(bare.sender(SIGUSR2), Info::NONE);
}

mod altstack {
    use super::super::*;
    use shim_abi::altstack::{SS_AUTODISARM, SS_DISABLE, SS_ONSTACK};
    use shim_abi::sigaction::SA_ONSTACK;

    const BASE: u64 = 0x5000_0000;
    const SIZE: u64 = 0x4000;
    const ELSEWHERE: u64 = 0x7fff_0000_0000;

    fn stack(flags: i32, size: u64) -> StackT {
        StackT {
            sp: BASE,
            flags,
            pad: 0,
            size,
        }
    }

    fn handler(flags: u64) -> Handler {
        Handler {
            handler: 0x4000_1000,
            flags,
            restorer: 0x4000_2000,
            mask: SigSet::EMPTY,
        }
    }

    #[test]
    fn no_alternate_stack_at_first_is_ss_disable() {
        let state = SignalState::new();
        assert_eq!(state.altstack(ELSEWHERE).flags, SS_DISABLE);
    }

    #[test]
    fn a_set_stack_is_reported_with_ss_onstack_only_while_on_it() {
        let mut state = SignalState::new();
        state.set_altstack(stack(0, SIZE), ELSEWHERE).unwrap();
        assert_eq!(state.altstack(ELSEWHERE), stack(0, SIZE));
        assert_eq!(state.altstack(BASE + SIZE).flags, SS_ONSTACK);
        assert_eq!(state.altstack(BASE + 8).flags, SS_ONSTACK);
        assert_eq!(state.altstack(BASE).flags, 0);
    }

    #[test]
    fn a_stack_below_minsigstksz_is_enomem_and_bad_flags_einval() {
        let mut state = SignalState::new();
        assert_eq!(
            state.set_altstack(stack(0, 2047), ELSEWHERE),
            Err(Errno::ENOMEM)
        );
        assert_eq!(
            state.set_altstack(stack(4, SIZE), ELSEWHERE),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            state.set_altstack(stack(SS_AUTODISARM, SIZE), ELSEWHERE),
            Err(Errno::EINVAL)
        );
        assert_eq!(state.altstack(ELSEWHERE).flags, SS_DISABLE);
        state
            .set_altstack(stack(SS_ONSTACK, 2048), ELSEWHERE)
            .unwrap();
        assert_eq!(state.altstack(ELSEWHERE).size, 2048);
    }

    #[test]
    fn changing_the_stack_while_on_it_is_eperm() {
        let mut state = SignalState::new();
        state.set_altstack(stack(0, SIZE), ELSEWHERE).unwrap();
        assert_eq!(
            state.set_altstack(stack(SS_DISABLE, 0), BASE + 100),
            Err(Errno::EPERM)
        );
        state.set_altstack(stack(SS_DISABLE, 0), ELSEWHERE).unwrap();
        assert_eq!(state.altstack(ELSEWHERE).flags, SS_DISABLE);
    }

    #[test]
    fn only_sa_onstack_handlers_switch_and_nested_frames_stay_on_it() {
        let mut state = SignalState::new();
        assert_eq!(state.frame_place(&handler(SA_ONSTACK), ELSEWHERE).top, None);
        state.set_altstack(stack(0, SIZE), ELSEWHERE).unwrap();
        let plain = state.frame_place(&handler(0), ELSEWHERE);
        assert_eq!((plain.top, plain.floor), (None, 0));
        let entering = state.frame_place(&handler(SA_ONSTACK), ELSEWHERE);
        assert_eq!((entering.top, entering.floor), (Some(BASE + SIZE), BASE));
        assert_eq!(entering.uc_stack.flags, 0);
        let nested = state.frame_place(&handler(0), BASE + 100);
        assert_eq!((nested.top, nested.floor), (None, BASE));
        assert_eq!(nested.uc_stack.flags, SS_ONSTACK);
    }

    #[test]
    fn a_child_and_a_new_image_have_no_alternate_stack() {
        let mut state = SignalState::new();
        state.set_altstack(stack(0, SIZE), ELSEWHERE).unwrap();
        assert_eq!(
            state.for_child().unwrap().altstack(ELSEWHERE).flags,
            SS_DISABLE
        );
        state.reset_for_exec();
        assert_eq!(state.altstack(ELSEWHERE).flags, SS_DISABLE);
    }
}
