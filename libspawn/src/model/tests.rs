//! The model's own rules, checked directly (the executor tests rely on
//! them).

use super::*;
use crate::abi::fcntl::O_RDONLY;
use crate::abi::fcntl::{O_CREAT, O_DIRECTORY, O_TRUNC};
use crate::abi::signal::SIGKILL;
use crate::exec::ChildOps;

#[test]
fn new_model_has_stdio_open_on_the_tty() {
    let model = Model::new();
    assert_eq!(model.open_fds(), [0, 1, 2]);
    assert_eq!(model.fd_path(2), Some("/dev/tty"));
    assert_eq!(model.cwd(), "/");
}

#[test]
fn paths_resolve_dot_dotdot_and_repeated_slashes() {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"x", 0o644);
    assert_eq!(model.node("/tmp//./f"), model.node("/tmp/f"));
    assert_eq!(model.node("/../tmp/../tmp/f"), model.node("/tmp/f"));
    assert_eq!(model.node("tmp/f"), model.node("/tmp/f"));
    assert_eq!(model.node("/tmp/f/"), None);
    assert_eq!(model.node(""), None);
}

#[test]
fn open_errors_follow_the_documented_rules() {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"x", 0o600);
    model.write_file("/tmp/secret", b"x", 0o000);
    assert_eq!(model.open(b"", O_RDONLY, 0), Err(Errno::ENOENT));
    assert_eq!(model.open(b"/tmp/f/x", O_RDONLY, 0), Err(Errno::ENOTDIR));
    assert_eq!(model.open(b"/tmp/secret", O_RDONLY, 0), Err(Errno::EACCES));
    assert_eq!(model.open(b"/tmp/f", O_ACCMODE, 0), Err(Errno::EINVAL));
    assert_eq!(
        model.open(b"/tmp", O_RDONLY | O_CREAT, 0),
        Err(Errno::EISDIR)
    );
    assert_eq!(
        model.open(b"/tmp/d", O_RDONLY | O_CREAT | O_DIRECTORY, 0),
        Err(Errno::EISDIR)
    );
    model.process.euid = 0;
    assert_eq!(model.open(b"/tmp/secret", O_RDONLY, 0), Ok(3));
}

#[test]
fn open_gives_the_lowest_free_fd_and_emfile_when_full() {
    let mut model = Model::new();
    model.close(1).unwrap();
    assert_eq!(model.open(b"/dev/tty", O_RDONLY | O_CLOEXEC, 0), Ok(1));
    assert_eq!(model.cloexec(1), Some(true));
    for fd in 3..OPEN_MAX {
        model.give_fd(fd, "/dev/tty", O_RDONLY);
    }
    assert_eq!(model.open(b"/nothing", O_RDONLY, 0), Err(Errno::EMFILE));
}

#[test]
fn the_open_that_creates_a_file_succeeds_whatever_its_mode() {
    let mut model = Model::new();
    let oflag = O_WRONLY | O_CREAT;
    assert_eq!(model.open(b"/tmp/n", oflag, 0o000), Ok(3));
    assert_eq!(model.file_mode("/tmp/n"), Some(0));
    assert_eq!(model.open(b"/tmp/n", oflag, 0o000), Err(Errno::EACCES));
}

#[test]
fn o_trunc_empties_a_file_opened_for_writing() {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"abc", 0o644);
    model.open(b"/tmp/f", O_RDONLY | O_TRUNC, 0).unwrap();
    assert_eq!(model.file_contents("/tmp/f").unwrap(), b"abc");
    model.open(b"/tmp/f", O_WRONLY | O_TRUNC, 0).unwrap();
    assert_eq!(model.file_contents("/tmp/f").unwrap(), b"");
}

#[test]
fn closing_the_last_fd_frees_the_open_file_description() {
    let mut model = Model::new();
    model.give_fd(5, "/dev/tty", O_RDONLY);
    model.dup2(5, 6).unwrap();
    let count = model.open_descriptions();
    model.close(5).unwrap();
    assert_eq!(model.open_descriptions(), count);
    model.close(6).unwrap();
    assert_eq!(model.open_descriptions(), count - 1);
    assert_eq!(model.close(6), Err(Errno::EBADF));
}

#[test]
fn dup2_rejects_a_closed_source_and_an_out_of_range_target() {
    let mut model = Model::new();
    assert_eq!(model.dup2(7, 8), Err(Errno::EBADF));
    assert_eq!(model.dup2(0, OPEN_MAX), Err(Errno::EBADF));
    assert_eq!(model.dup2(0, -1), Err(Errno::EBADF));
    assert_eq!(model.dup2(0, 0), Ok(()));
}

#[test]
fn setsid_is_eperm_for_a_group_leader() {
    let mut model = Model::new();
    model.setpgid(0).unwrap();
    assert_eq!(model.setsid(), Err(Errno::EPERM));
    assert_eq!(model.process.sid, PARENT_SID);
}

#[test]
fn setpgid_rules() {
    let mut model = Model::new();
    assert_eq!(model.setpgid(-1), Err(Errno::EINVAL));
    assert_eq!(model.setpgid(4242), Err(Errno::EPERM));
    assert_eq!(model.setpgid(PARENT_PGID), Ok(()));
    assert_eq!(model.setpgid(CHILD_PID), Ok(()));
    assert_eq!(model.process.pgid, CHILD_PID);
    let mut leader = Model::new();
    leader.setsid().unwrap();
    assert_eq!(leader.setpgid(0), Err(Errno::EPERM));
}

#[test]
fn scheduling_checks_range_then_privilege() {
    let mut model = Model::new();
    assert_eq!(model.set_sched_param(1), Err(Errno::EINVAL));
    assert_eq!(
        model.set_scheduler(SchedPolicy::Fifo, 0),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        model.set_scheduler(SchedPolicy::Fifo, 100),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        model.set_scheduler(SchedPolicy::RoundRobin, 1),
        Err(Errno::EPERM)
    );
    assert_eq!(model.set_scheduler(SchedPolicy::Other, 0), Ok(()));
    model.process.euid = 0;
    assert_eq!(model.set_scheduler(SchedPolicy::RoundRobin, 99), Ok(()));
    assert_eq!(model.set_sched_param(0), Err(Errno::EINVAL));
}

#[test]
fn signal_rules() {
    let mut model = Model::new();
    assert_eq!(model.set_signal_default(0), Err(Errno::EINVAL));
    assert_eq!(model.set_signal_default(65), Err(Errno::EINVAL));
    assert_eq!(model.set_signal_default(SIGKILL), Ok(()));
    model.set_signal_mask(SigSet::FULL).unwrap();
    assert!(!model.process.sigmask.contains(SIGKILL));
    assert!(!model.process.sigmask.contains(SIGSTOP));
    assert!(model.process.sigmask.contains(1));
}

#[test]
fn faults_count_matching_calls_from_now_on_and_fire_once() {
    let mut model = Model::new();
    model.close(0).unwrap();
    model.fail(Some(Op::Close), 2, Errno::EIO);
    assert_eq!(model.close(1), Ok(()));
    assert_eq!(model.close(2), Err(Errno::EIO));
    assert!(model.is_open(2));
    assert_eq!(model.close(2), Ok(()));
    assert_eq!(model.log().len(), 4);
}
