//! Tests of pipes through the descriptor calls.

use libspawn::Errno;
use shim_abi::fcntl::{FD_CLOEXEC, F_GETFD, F_GETFL, O_APPEND, O_CLOEXEC, O_NONBLOCK, O_RDONLY};
use shim_abi::signal::SIGPIPE;
use shim_abi::OPEN_MAX;

use super::tests::{read_n, write_all};
use crate::io::{Io, WaitChannel};
use crate::signal::Action;
use crate::testutil::{system, USER_PID};

#[test]
fn pipe_carries_data_and_gives_eof_after_the_last_writer_closes() {
    let mut system = system();
    let [r, w] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!((r, w), (3, 4));
    write_all(&mut system, USER_PID, w, b"ping");
    assert_eq!(read_n(&mut system, USER_PID, r, 10), b"ping");
    let blocked = Io::Blocked(WaitChannel::PipeReadable(crate::pipe::PipeId(0)));
    assert_eq!(system.read(USER_PID, r, &mut [0; 4]), Ok(blocked));
    let copy = system.dup(USER_PID, w).unwrap();
    system.close(USER_PID, w).unwrap();
    assert_eq!(system.read(USER_PID, r, &mut [0; 4]), Ok(blocked));
    system.close(USER_PID, copy).unwrap();
    assert_eq!(system.read(USER_PID, r, &mut [0; 4]), Ok(Io::Done(0)));
}

#[test]
fn writing_a_pipe_without_readers_is_epipe_and_raises_sigpipe() {
    let mut system = system();
    let [r, w] = system.pipe(USER_PID, 0).unwrap();
    system.close(USER_PID, r).unwrap();
    assert_eq!(system.write(USER_PID, w, b"x"), Err(Errno::EPIPE));
    assert!(system
        .process(USER_PID)
        .unwrap()
        .signals
        .pending()
        .contains(SIGPIPE));
    assert_eq!(
        system.next_deliverable(USER_PID),
        Some((SIGPIPE, Action::Terminate))
    );
}

#[test]
fn pipe2_flags_nonblock_and_cloexec() {
    let mut system = system();
    let [r, w] = system.pipe(USER_PID, O_NONBLOCK | O_CLOEXEC).unwrap();
    assert_eq!(system.read(USER_PID, r, &mut [0; 4]), Err(Errno::EAGAIN));
    assert_eq!(system.fcntl(USER_PID, w, F_GETFD, 0), Ok(FD_CLOEXEC));
    assert_eq!(
        system.fcntl(USER_PID, r, F_GETFL, 0),
        Ok(O_RDONLY | O_NONBLOCK)
    );
    assert_eq!(system.pipe(USER_PID, O_APPEND), Err(Errno::EINVAL));
}

#[test]
fn pipe_with_only_one_free_descriptor_is_emfile_and_leaves_nothing() {
    let mut system = system();
    for _ in 3..OPEN_MAX - 1 {
        system.dup(USER_PID, 0).unwrap();
    }
    let (files, pipes) = (system.open_files(), system.pipe_count());
    assert_eq!(system.pipe(USER_PID, 0), Err(Errno::EMFILE));
    assert_eq!((system.open_files(), system.pipe_count()), (files, pipes));
    assert!(!system
        .process(USER_PID)
        .unwrap()
        .fds()
        .is_open(OPEN_MAX - 1));
}

#[test]
fn poll_reports_pipe_readiness_hangup_error_and_closed_descriptors() {
    use shim_abi::poll::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLRDNORM};
    let mut system = system();
    let [r, w] = system.pipe(USER_PID, 0).unwrap();
    let asked = POLLIN | POLLOUT;
    assert_eq!(system.poll_events(USER_PID, r, asked), 0);
    assert_eq!(system.poll_events(USER_PID, w, asked), POLLOUT);
    write_all(&mut system, USER_PID, w, b"x");
    assert_eq!(system.poll_events(USER_PID, r, asked), POLLIN);
    assert_eq!(system.poll_events(USER_PID, r, POLLRDNORM), POLLRDNORM);
    // Only what was asked, except the conditions always reported.
    assert_eq!(system.poll_events(USER_PID, r, POLLOUT), 0);
    system.close(USER_PID, w).unwrap();
    assert_eq!(system.poll_events(USER_PID, r, asked), POLLIN | POLLHUP);
    assert_eq!(system.poll_events(USER_PID, w, asked), POLLNVAL);
    let [r2, w2] = system.pipe(USER_PID, 0).unwrap();
    system.close(USER_PID, r2).unwrap();
    assert_eq!(system.poll_events(USER_PID, w2, 0), POLLERR);
    assert_eq!(system.poll_events(USER_PID, 999, asked), POLLNVAL);
}

#[test]
fn poll_reports_a_regular_file_ready_both_ways() {
    use shim_abi::fcntl::{O_CREAT, O_RDWR};
    use shim_abi::poll::{POLLIN, POLLOUT, POLLPRI};
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/polled", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    assert_eq!(
        system.poll_events(USER_PID, fd, POLLIN | POLLOUT | POLLPRI),
        POLLIN | POLLOUT
    );
}
