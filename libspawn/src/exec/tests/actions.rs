//! The file actions: open, close, dup2, chdir, fchdir, closefrom.

use super::*;
use crate::abi::fcntl::{
    O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_TRUNC, O_WRONLY,
};
use crate::abi::OPEN_MAX;
use crate::errno::Errno;
use crate::exec::ChildOps;
use crate::model::{Call, Event, USER};
use crate::sigset::SigSet;

/// A model with `/tmp/f` (a readable file) and `/tmp/sub` (a directory).
fn model() -> Model {
    let mut model = Model::new();
    model.write_file("/tmp/f", b"hello", 0o644);
    model.mkdir("/tmp/sub", 0o755);
    model
}

// Checklist item 39.
#[test]
fn empty_actions_behave_like_no_actions() {
    let before = model();
    let mut with_empty = before.clone();
    let mut with_none = before.clone();
    assert_eq!(run(&Actions::new(), &mut with_empty), Ok(()));
    assert_eq!(apply(None, None, &mut with_none), Ok(()));
    assert_eq!(with_empty, with_none);
    assert_eq!(with_empty, before);
}

// Checklist item 38.
#[test]
fn without_actions_plain_fds_survive_exec_and_cloexec_fds_do_not() {
    let mut model = model();
    model.give_fd(5, "/tmp/f", O_RDONLY | O_CLOEXEC);
    model.give_fd(6, "/tmp/f", O_RDONLY);
    assert_eq!(apply(None, None, &mut model), Ok(()));
    model.exec();
    assert_eq!(model.open_fds(), [0, 1, 2, 6]);
}

// Checklist item 40.
#[test]
fn close_closes_an_open_fd() {
    let mut model = model();
    assert_eq!(run(&actions(|fa| fa.add_close(1)), &mut model), Ok(()));
    assert_eq!(model.open_fds(), [0, 2]);
}

// Checklist item 41 (Austin Group 370).
#[test]
fn close_of_a_fd_that_is_not_open_is_not_an_error() {
    let mut model = model();
    let fa = actions(|fa| {
        fa.add_close(7)?;
        fa.add_close(1)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.log()[0].result, Err(Errno::EBADF));
    assert_eq!(model.open_fds(), [0, 2]);
}

// Checklist item 43.
#[test]
fn open_closes_the_target_first_and_reuses_it() {
    let mut model = model();
    let fa = actions(|fa| fa.add_open(0, b"/tmp/f", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.fd_path(0), Some("/tmp/f"));
    assert_eq!(
        model.calls(),
        [
            Call::Close(0),
            Call::Open("/tmp/f".into(), O_RDONLY, 0),
            Call::ClearCloexec(0),
        ]
    );
}

// Checklist item 44.
#[test]
fn open_works_when_the_table_is_otherwise_full() {
    let mut model = model();
    for fd in 3..OPEN_MAX {
        model.give_fd(fd, "/tmp/f", O_RDONLY);
    }
    assert_eq!(model.open(b"/tmp/f", O_RDONLY, 0), Err(Errno::EMFILE));
    let out = O_WRONLY | O_CREAT | O_TRUNC;
    let fa = actions(|fa| fa.add_open(1, b"/tmp/out", out, 0o600));
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.fd_path(1), Some("/tmp/out"));
    assert_eq!(model.open_fds().len(), OPEN_MAX as usize);
}

#[test]
fn open_moves_the_result_onto_the_target_and_closes_the_temporary() {
    let mut model = model();
    let fa = actions(|fa| fa.add_open(9, b"/tmp/f", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.open_fds(), [0, 1, 2, 9]);
    assert_eq!(model.fd_path(9), Some("/tmp/f"));
    assert_eq!(
        model.calls(),
        [
            Call::Close(9),
            Call::Open("/tmp/f".into(), O_RDONLY, 0),
            Call::Dup2(3, 9),
            Call::Close(3),
        ]
    );
}

// Checklist item 63: the target never keeps FD_CLOEXEC, whichever way the
// descriptor got there.
#[test]
fn open_with_o_cloexec_leaves_the_target_without_cloexec() {
    for target in [3, 9] {
        let mut model = model();
        let fa = actions(|fa| fa.add_open(target, b"/tmp/f", O_RDONLY | O_CLOEXEC, 0));
        assert_eq!(run(&fa, &mut model), Ok(()));
        assert_eq!(model.cloexec(target), Some(false), "target {target}");
        model.close_on_exec();
        assert_eq!(model.fd_path(target), Some("/tmp/f"), "target {target}");
    }
}

#[test]
fn open_that_fails_to_move_leaks_no_descriptor() {
    let mut model = model();
    let descriptions = model.open_descriptions();
    model.fail(Some(crate::model::Op::Dup2), 1, Errno::EIO);
    let fa = actions(|fa| fa.add_open(9, b"/tmp/f", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Err(Errno::EIO));
    assert_eq!(model.open_fds(), [0, 1, 2]);
    assert_eq!(model.open_descriptions(), descriptions);
    assert_eq!(model.log().last().unwrap().call, Call::Close(3));
}

// Checklist item 45.
#[test]
fn open_creates_with_mode_under_umask_and_o_append_appends() {
    let mut model = model();
    model.process.umask = 0o027;
    let fa = actions(|fa| {
        fa.add_open(1, b"/tmp/new", O_WRONLY | O_CREAT, 0o666)?;
        fa.add_open(4, b"/tmp/f", O_WRONLY | O_APPEND, 0)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.file_mode("/tmp/new"), Some(0o640));
    assert_eq!(model.write(4, b"!"), Ok(1));
    assert_eq!(model.file_contents("/tmp/f").unwrap(), b"hello!");
}

// Checklist item 46.
#[test]
fn fd_opened_read_only_cannot_be_written() {
    let mut model = model();
    let fa = actions(|fa| fa.add_open(5, b"/tmp/f", O_RDONLY, 0));
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.write(5, b"x"), Err(Errno::EBADF));
    assert_eq!(model.read(5, 2).unwrap(), b"he");
}

// Checklist item 47, and the other open errors the executor passes on.
#[test]
fn open_errors_are_returned() {
    let cases: [(&[u8], i32, Errno); 5] = [
        (b"./non/ex/ist/ent", O_RDONLY, Errno::ENOENT),
        (b"/tmp/f", O_WRONLY | O_CREAT | O_EXCL, Errno::EEXIST),
        (b"/tmp/f", O_RDONLY | O_DIRECTORY, Errno::ENOTDIR),
        (b"/tmp/sub", O_WRONLY, Errno::EISDIR),
        (b"/new", O_WRONLY | O_CREAT, Errno::EACCES),
    ];
    for (path, oflag, errno) in cases {
        let mut model = model();
        let fa = actions(|fa| fa.add_open(0, path, oflag, 0o600));
        assert_eq!(run(&fa, &mut model), Err(errno), "{path:?}");
        assert!(!model.is_open(0), "{path:?}");
    }
}

// Checklist item 48.
#[test]
fn dup2_shares_the_open_file_description_and_its_offset() {
    let mut model = model();
    model.give_fd(3, "/tmp/f", O_RDONLY);
    assert_eq!(run(&actions(|fa| fa.add_dup2(3, 7)), &mut model), Ok(()));
    assert!(model.same_description(3, 7));
    assert_eq!(model.read(3, 2).unwrap(), b"he");
    assert_eq!(model.offset(7), Some(2));
    assert_eq!(model.read(7, 10).unwrap(), b"llo");
}

// Checklist item 49.
#[test]
fn dup2_target_is_inherited_even_when_the_source_is_cloexec() {
    let mut model = model();
    model.give_fd(3, "/tmp/f", O_RDONLY | O_CLOEXEC);
    model.give_fd(7, "/dev/tty", O_RDONLY | O_CLOEXEC);
    assert_eq!(run(&actions(|fa| fa.add_dup2(3, 7)), &mut model), Ok(()));
    model.close_on_exec();
    assert_eq!(model.open_fds(), [0, 1, 2, 7]);
    assert_eq!(model.fd_path(7), Some("/tmp/f"));
}

// Checklist item 50 (Austin Group 411).
#[test]
fn dup2_of_a_fd_onto_itself_clears_cloexec() {
    let mut model = model();
    model.give_fd(5, "/tmp/f", O_RDONLY | O_CLOEXEC);
    assert_eq!(run(&actions(|fa| fa.add_dup2(5, 5)), &mut model), Ok(()));
    assert_eq!(model.calls(), [Call::ClearCloexec(5)]);
    model.close_on_exec();
    assert_eq!(model.fd_path(5), Some("/tmp/f"));
}

// Checklist item 51.
#[test]
fn dup2_of_a_closed_fd_onto_itself_is_ebadf() {
    let mut model = model();
    let result = run(&actions(|fa| fa.add_dup2(5, 5)), &mut model);
    assert_eq!(result, Err(Errno::EBADF));
}

// Checklist item 52.
#[test]
fn dup2_from_a_fd_that_is_not_open_is_ebadf() {
    let mut model = model();
    let result = run(&actions(|fa| fa.add_dup2(300, 1)), &mut model);
    assert_eq!(result, Err(Errno::EBADF));
    assert_eq!(model.fd_path(1), Some("/dev/tty"));
}

// Checklist item 54.
#[test]
fn chdir_changes_where_later_relative_paths_resolve() {
    let mut model = model();
    let fa = actions(|fa| {
        fa.add_chdir(b"/tmp")?;
        fa.add_chdir(b"sub")?;
        fa.add_open(3, b"probe", O_WRONLY | O_CREAT | O_EXCL, 0o600)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.cwd(), "/tmp/sub");
    assert_eq!(model.fd_path(3), Some("/tmp/sub/probe"));
}

// Checklist item 61.
#[test]
fn fchdir_changes_where_later_relative_paths_resolve() {
    let mut model = model();
    let fa = actions(|fa| {
        fa.add_open(8, b"/tmp/sub", O_DIRECTORY | O_RDONLY, 0)?;
        fa.add_fchdir(8)?;
        fa.add_close(8)?;
        fa.add_open(4, b"../f", O_RDONLY, 0)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.cwd(), "/tmp/sub");
    assert!(!model.is_open(8));
    assert_eq!(model.fd_path(4), Some("/tmp/f"));
}

// Checklist items 57, 58 and 59.
#[test]
fn chdir_errors_are_enoent_enotdir_and_eacces() {
    let mut model = model();
    model.mkdir("/tmp/locked", 0o055);
    assert_eq!(model.file_mode("/tmp/locked"), Some(0o055));
    let cases: [(&[u8], Errno); 4] = [
        (b"/not/a/valid/dir", Errno::ENOENT),
        (b"/tmp/f", Errno::ENOTDIR),
        (b"/tmp/f/", Errno::ENOTDIR),
        (b"/tmp/locked", Errno::EACCES),
    ];
    for (path, errno) in cases {
        let mut model = model.clone();
        assert_eq!(model.process.euid, USER);
        let result = run(&actions(|fa| fa.add_chdir(path)), &mut model);
        assert_eq!(result, Err(errno), "{path:?}");
        assert_eq!(model.cwd(), "/");
    }
}

// Checklist item 60.
#[test]
fn fchdir_of_a_closed_fd_is_ebadf() {
    let mut model = model();
    let result = run(&actions(|fa| fa.add_fchdir(3)), &mut model);
    assert_eq!(result, Err(Errno::EBADF));
}

// Checklist item 58.
#[test]
fn fchdir_of_a_regular_file_is_enotdir() {
    let mut model = model();
    model.give_fd(3, "/tmp/f", O_RDONLY);
    let result = run(&actions(|fa| fa.add_fchdir(3)), &mut model);
    assert_eq!(result, Err(Errno::ENOTDIR));
    assert_eq!(model.cwd(), "/");
}

// Checklist item 62.
#[test]
fn closefrom_closes_exactly_the_fds_from_low_up_with_gaps() {
    let mut model = model();
    for fd in [4, 6, 9, 200, OPEN_MAX - 1] {
        model.give_fd(fd, "/tmp/f", O_RDONLY);
    }
    assert_eq!(run(&actions(|fa| fa.add_closefrom(6)), &mut model), Ok(()));
    assert_eq!(model.open_fds(), [0, 1, 2, 4]);
}

#[test]
fn closefrom_at_or_above_open_max_closes_nothing() {
    let mut model = model();
    model.give_fd(OPEN_MAX - 1, "/tmp/f", O_RDONLY);
    let fa = actions(|fa| {
        fa.add_closefrom(OPEN_MAX)?;
        fa.add_closefrom(i32::MAX)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.open_fds(), [0, 1, 2, OPEN_MAX - 1]);
}

// Checklist item 53 (glibc tst-spawn5): the actions run in the order added.
#[test]
fn closefrom_open_dup2_open_leave_exactly_low_and_low_plus_one() {
    let low = 10;
    let mut model = model();
    for fd in [5, 11, 12, 15, 40] {
        model.give_fd(fd, "/dev/tty", O_RDONLY);
    }
    let fa = actions(|fa| {
        fa.add_closefrom(low + 1)?;
        fa.add_open(low, b"/tmp/f", O_RDONLY, 0)?;
        fa.add_dup2(low, low + 1)?;
        fa.add_open(low, b"/tmp/sub", O_RDONLY | O_DIRECTORY, 0)
    });
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.open_fds(), [0, 1, 2, 5, low, low + 1]);
    assert_eq!(model.fd_path(low), Some("/tmp/sub"));
    assert_eq!(model.fd_path(low + 1), Some("/tmp/f"));
}

// Checklist item 23.
// A cleared (destroyed and re-initialised) object is usable, and a spawn
// runs only what was added after the clear.
#[test]
fn cleared_actions_object_runs_only_what_was_added_after() {
    let mut fa = actions(|fa| {
        fa.add_close(0)?;
        fa.add_chdir(b"/tmp")
    });
    fa.clear();
    fa.add_close(2).unwrap();
    let mut model = model();
    assert_eq!(run(&fa, &mut model), Ok(()));
    assert_eq!(model.calls(), [Call::Close(2)]);
    assert_eq!(model.open_fds(), [0, 1]);
    assert_eq!(model.cwd(), "/");
}

#[test]
fn actions_run_in_the_order_added() {
    let mut model = model();
    let fa = actions(|fa| {
        fa.add_chdir(b"/tmp")?;
        fa.add_dup2(2, 5)?;
        fa.add_close(1)?;
        fa.add_fchdir(5)
    });
    assert_eq!(run(&fa, &mut model), Err(Errno::ENOTDIR));
    assert_eq!(
        model.calls(),
        [
            Call::Chdir("/tmp".into()),
            Call::Dup2(2, 5),
            Call::Close(1),
            Call::Fchdir(5),
        ]
    );
}

/// Forwards to the model but keeps `ChildOps::close_from`'s default body,
/// so that the default is tested too.
struct DefaultCloseFrom<'m>(&'m mut Model);

impl ChildOps for DefaultCloseFrom<'_> {
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        self.0.set_signal_default(signal)
    }
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.0.set_signal_mask(mask)
    }
    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        self.0.set_sched_param(priority)
    }
    fn set_scheduler(&mut self, policy: crate::SchedPolicy, priority: i32) -> Result<()> {
        self.0.set_scheduler(policy, priority)
    }
    fn setsid(&mut self) -> Result<()> {
        self.0.setsid()
    }
    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        self.0.setpgid(pgroup)
    }
    fn reset_ids(&mut self) -> Result<()> {
        self.0.reset_ids()
    }
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        self.0.open(path, oflag, mode)
    }
    fn close(&mut self, fd: i32) -> Result<()> {
        self.0.close(fd)
    }
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        self.0.dup2(fd, new_fd)
    }
    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        self.0.clear_cloexec(fd)
    }
    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        self.0.chdir(path)
    }
    fn fchdir(&mut self, fd: i32) -> Result<()> {
        self.0.fchdir(fd)
    }
}

#[test]
fn default_close_from_closes_one_by_one_and_skips_closed_fds() {
    let mut model = model();
    model.give_fd(OPEN_MAX - 1, "/tmp/f", O_RDONLY);
    let fa = actions(|fa| fa.add_closefrom(1));
    assert_eq!(
        apply(None, Some(fa.as_list()), &mut DefaultCloseFrom(&mut model)),
        Ok(())
    );
    assert_eq!(model.open_fds(), [0]);
    let log = model.log();
    assert_eq!(log.len(), OPEN_MAX as usize - 1);
    assert_eq!(
        log[0],
        Event {
            call: Call::Close(1),
            result: Ok(0)
        }
    );
    assert_eq!(log[2].call, Call::Close(3));
    assert_eq!(log[2].result, Err(Errno::EBADF));
}

#[test]
fn default_close_from_stops_at_a_real_close_error() {
    let mut model = model();
    model.fail(Some(crate::model::Op::Close), 2, Errno::EIO);
    let fa = actions(|fa| fa.add_closefrom(0));
    let result = apply(None, Some(fa.as_list()), &mut DefaultCloseFrom(&mut model));
    assert_eq!(result, Err(Errno::EIO));
    assert_eq!(model.open_fds(), [1, 2]);
    assert_eq!(model.log().len(), 2);
}
