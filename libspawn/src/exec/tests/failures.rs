//! The first error stops the executor: it is returned, the failing call is
//! the last one made, and the state is what the earlier steps left.

use super::*;
use crate::abi::fcntl::{O_CREAT, O_RDONLY, O_WRONLY};
use crate::errno::Errno;
use crate::model::{Call, Op, PARENT_PGID};
use crate::sigset::SigSet;

#[test]
fn first_action_error_is_returned_and_nothing_after_it_runs() {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"", 0o644);
    let fa = actions(|fa| {
        fa.add_open(5, b"/tmp/f", O_RDONLY, 0)?;
        fa.add_close(1)?;
        fa.add_dup2(20, 6)?;
        fa.add_open(7, b"/tmp/f", O_RDONLY, 0)?;
        fa.add_chdir(b"/tmp")
    });
    assert_eq!(run(&fa, &mut model), Err(Errno::EBADF));
    let last = model.log().last().unwrap().clone();
    assert_eq!(last.call, Call::Dup2(20, 6));
    assert_eq!(last.result, Err(Errno::EBADF));
    assert_eq!(model.open_fds(), [0, 2, 5]);
    assert_eq!(model.cwd(), "/");
}

#[test]
fn injected_failure_in_the_middle_of_the_attributes_stops_everything() {
    let mut model = Model::new();
    model.fail(Some(Op::SetSignalMask), 1, Errno::EINTR);
    let mut attr = attr(SpawnFlags::SETSIGDEF | SpawnFlags::SETSIGMASK | SpawnFlags::SETPGROUP);
    attr.set_sigdefault([SIGUSR1].into_iter().collect());
    attr.set_sigmask([SIGUSR2].into_iter().collect());
    let fa = actions(|fa| fa.add_close(0));
    assert_eq!(spawn(Some(&attr), &fa, &mut model), Err(Errno::EINTR));
    assert_eq!(
        model.calls(),
        [
            Call::SetSignalDefault(SIGUSR1),
            Call::SetSignalMask(attr.sigmask()),
        ]
    );
    assert_eq!(model.process.sigmask, SigSet::EMPTY);
    assert_eq!(model.process.pgid, PARENT_PGID);
    assert!(model.is_open(0));
}

#[test]
fn injected_failure_of_the_nth_call_is_the_last_call_made() {
    // The list makes 7 calls: Close(0), Close(9) (EBADF, ignored), Open,
    // Dup2(0, 9), Close(0), Chdir, Close(1).
    for nth in 1..=7 {
        let mut model = Model::new();
        model.fail(None, nth, Errno::EIO);
        let fa = actions(|fa| {
            fa.add_close(0)?;
            fa.add_open(9, b"/dev/tty", O_RDONLY, 0)?;
            fa.add_chdir(b"/tmp")?;
            fa.add_close(1)
        });
        assert_eq!(run(&fa, &mut model), Err(Errno::EIO), "call {nth}");
        let log = model.log();
        // A failed dup2 inside an open is still followed by the close of
        // the temporary descriptor; every other failure is the last call.
        let failed = log
            .iter()
            .position(|e| e.result == Err(Errno::EIO))
            .unwrap();
        assert_eq!(failed, nth - 1, "call {nth}");
        if log[failed].call.op() == Op::Dup2 {
            assert_eq!(log.len(), nth + 1, "call {nth}");
            assert_eq!(log[nth].call, Call::Close(0));
        } else {
            assert_eq!(log.len(), nth, "call {nth}");
        }
        assert!(model.is_open(1), "call {nth}");
    }
}

#[test]
fn a_close_error_other_than_ebadf_is_not_swallowed() {
    let mut model = Model::new();
    model.fail(Some(Op::Close), 1, Errno::EIO);
    let fa = actions(|fa| {
        fa.add_close(1)?;
        fa.add_close(2)
    });
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(model.calls(), [Call::Close(1)]);
    assert_eq!(model.open_fds(), [0, 1, 2]);
}

#[test]
fn open_stops_when_closing_its_target_fails() {
    let mut model = Model::new();
    model.fail(Some(Op::Close), 1, Errno::EIO);
    let fa = actions(|fa| fa.add_open(1, b"/tmp/out", O_WRONLY | O_CREAT, 0o600));
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(model.calls(), [Call::Close(1)]);
    assert_eq!(model.node("/tmp/out"), None);
}

#[test]
fn failure_to_clear_cloexec_after_an_in_place_open_is_returned() {
    let mut model = Model::new();
    model.fail(Some(Op::ClearCloexec), 1, Errno::EIO);
    let fa = actions(|fa| fa.add_open(3, b"/dev/tty", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(model.log().last().unwrap().call, Call::ClearCloexec(3));
}

#[test]
fn failure_to_close_the_temporary_is_returned() {
    let mut model = Model::new();
    model.fail(Some(Op::Close), 2, Errno::EIO);
    let fa = actions(|fa| fa.add_open(9, b"/dev/tty", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(
        model.calls(),
        [
            Call::Close(9),
            Call::Open("/dev/tty".into(), O_RDONLY, 0),
            Call::Dup2(3, 9),
            Call::Close(3),
        ]
    );
}

#[test]
fn when_the_move_and_the_temporary_close_both_fail_the_move_error_wins() {
    let mut model = Model::new();
    model.fail(Some(Op::Dup2), 1, Errno::EIO);
    model.fail(Some(Op::Close), 2, Errno::EINTR);
    let fa = actions(|fa| fa.add_open(9, b"/dev/tty", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(model.log().last().unwrap().result, Err(Errno::EINTR));
}

#[test]
fn a_failed_call_changes_nothing_in_the_model() {
    let mut model = Model::new();
    let before = model.clone();
    model.fail(Some(Op::Setpgid), 1, Errno::EPERM);
    assert_eq!(run(&Actions::new(), &mut model), Ok(()));
    let attr = attr(SpawnFlags::SETPGROUP);
    assert_eq!(
        spawn(Some(&attr), &Actions::new(), &mut model),
        Err(Errno::EPERM)
    );
    assert_eq!(model.process, before.process);
    assert_eq!(model.fd_table(), before.fd_table());
}
