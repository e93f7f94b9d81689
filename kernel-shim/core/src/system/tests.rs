//! Tests of the descriptor and path calls and of the process lifecycle.

use libspawn::{Errno, SigSet};
use shim_abi::access::{R_OK, W_OK};
use shim_abi::fcntl::{
    FD_CLOEXEC, F_DUPFD, F_GETFD, F_GETFL, F_SETFD, F_SETFL, O_APPEND, O_CLOEXEC, O_CREAT,
    O_DIRECTORY, O_NONBLOCK, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY,
};
use shim_abi::mode::{S_IFIFO, S_IFREG, S_ISUID};
use shim_abi::seek::{SEEK_CUR, SEEK_END, SEEK_SET};
use shim_abi::signal::SIGUSR1;
use shim_abi::OPEN_MAX;

use crate::io::{HostStream, Io};
use crate::signal::{Disposition, Handler};
use crate::testutil::{system, INIT, UID, USER_PID};
use crate::wait_status::Termination;

use super::*;

pub(super) fn write_all(system: &mut System, pid: Pid, fd: Fd, bytes: &[u8]) {
    assert_eq!(system.write(pid, fd, bytes), Ok(Io::Done(bytes.len())));
}

pub(super) fn read_n(system: &mut System, pid: Pid, fd: Fd, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    let Ok(Io::Done(count)) = system.read(pid, fd, &mut buf) else {
        panic!("read did not complete");
    };
    buf.truncate(count);
    buf
}

#[test]
fn open_returns_the_lowest_free_descriptor() {
    let mut system = system();
    assert_eq!(
        system.open(USER_PID, b"/tmp/a", O_CREAT | O_WRONLY, 0o644),
        Ok(3)
    );
    system.close(USER_PID, 1).unwrap();
    assert_eq!(system.open(USER_PID, b"/tmp/a", O_RDONLY, 0), Ok(1));
}

#[test]
fn open_with_a_full_table_is_emfile_and_creates_nothing() {
    let mut system = system();
    for fd in 3..OPEN_MAX {
        assert_eq!(system.dup(USER_PID, 0), Ok(fd));
    }
    let files = system.open_files();
    assert_eq!(
        system.open(USER_PID, b"/tmp/new", O_CREAT | O_WRONLY, 0o644),
        Err(Errno::EMFILE)
    );
    assert_eq!(system.stat(USER_PID, b"/tmp/new"), Err(Errno::ENOENT));
    assert_eq!(system.dup(USER_PID, 0), Err(Errno::EMFILE));
    assert_eq!(system.pipe(USER_PID, 0), Err(Errno::EMFILE));
    assert_eq!(system.open_files(), files);
}

#[test]
fn failed_open_leaves_no_descriptor_or_description() {
    let mut system = system();
    let files = system.open_files();
    assert_eq!(
        system.open(USER_PID, b"/tmp/none", O_RDONLY, 0),
        Err(Errno::ENOENT)
    );
    assert_eq!(
        system.open(USER_PID, b"/dev/x", O_CREAT | O_WRONLY, 0o644),
        Err(Errno::EACCES)
    );
    assert_eq!(system.open_files(), files);
    assert!(!system.process(USER_PID).unwrap().fds().is_open(3));
}

#[test]
fn close_of_a_descriptor_not_open_is_ebadf() {
    let mut system = system();
    assert_eq!(system.close(USER_PID, 3), Err(Errno::EBADF));
    assert_eq!(system.close(USER_PID, -1), Err(Errno::EBADF));
    assert_eq!(system.close(USER_PID, OPEN_MAX), Err(Errno::EBADF));
    assert_eq!(system.close(USER_PID, 2), Ok(()));
    assert_eq!(system.close(USER_PID, 2), Err(Errno::EBADF));
}

#[test]
fn dup_shares_the_offset_and_status_flags() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    let copy = system.dup(USER_PID, fd).unwrap();
    write_all(&mut system, USER_PID, fd, b"hello");
    assert_eq!(system.lseek(USER_PID, copy, 0, SEEK_CUR), Ok(5));
    system.fcntl(USER_PID, copy, F_SETFL, O_APPEND).unwrap();
    assert_eq!(
        system.fcntl(USER_PID, fd, F_GETFL, 0),
        Ok(O_RDWR | O_APPEND)
    );
}

#[test]
fn dup2_onto_itself_returns_it_when_open_and_is_ebadf_otherwise() {
    let mut system = system();
    system.fcntl(USER_PID, 1, F_SETFD, FD_CLOEXEC).unwrap();
    assert_eq!(system.dup2(USER_PID, 1, 1), Ok(1));
    assert_eq!(system.fcntl(USER_PID, 1, F_GETFD, 0), Ok(FD_CLOEXEC));
    assert_eq!(system.dup2(USER_PID, 7, 7), Err(Errno::EBADF));
}

#[test]
fn dup2_replaces_the_target_and_clears_cloexec() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    let other = system
        .open(USER_PID, b"/tmp/g", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    let files = system.open_files();
    assert_eq!(system.dup2(USER_PID, fd, other), Ok(other));
    assert_eq!(system.open_files(), files - 1);
    assert_eq!(system.fcntl(USER_PID, other, F_GETFD, 0), Ok(0));
    write_all(&mut system, USER_PID, other, b"x");
    assert_eq!(system.stat(USER_PID, b"/tmp/f").unwrap().st_size, 1);
}

#[test]
fn dup2_with_a_bad_source_or_target_is_ebadf() {
    let mut system = system();
    assert_eq!(system.dup2(USER_PID, 9, 3), Err(Errno::EBADF));
    assert_eq!(system.dup2(USER_PID, 0, OPEN_MAX), Err(Errno::EBADF));
    assert_eq!(system.dup2(USER_PID, 0, -1), Err(Errno::EBADF));
}

#[test]
fn fcntl_dupfd_picks_the_lowest_at_or_above_arg() {
    let mut system = system();
    assert_eq!(system.fcntl(USER_PID, 0, F_DUPFD, 10), Ok(10));
    assert_eq!(system.fcntl(USER_PID, 0, F_DUPFD, 10), Ok(11));
    assert_eq!(system.fcntl(USER_PID, 0, F_DUPFD, 0), Ok(3));
    assert_eq!(system.fcntl(USER_PID, 0, F_DUPFD, -1), Err(Errno::EINVAL));
    assert_eq!(
        system.fcntl(USER_PID, 0, F_DUPFD, OPEN_MAX),
        Err(Errno::EINVAL)
    );
    assert_eq!(system.fcntl(USER_PID, 0, F_GETFD, 0), Ok(0));
}

#[test]
fn fcntl_setfl_changes_only_append_and_nonblock() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    system
        .fcntl(
            USER_PID,
            fd,
            F_SETFL,
            O_RDWR | O_APPEND | O_NONBLOCK | O_TRUNC,
        )
        .unwrap();
    assert_eq!(
        system.fcntl(USER_PID, fd, F_GETFL, 0),
        Ok(O_WRONLY | O_APPEND | O_NONBLOCK)
    );
}

#[test]
fn fcntl_unknown_command_is_einval_and_closed_fd_is_ebadf() {
    let mut system = system();
    assert_eq!(system.fcntl(USER_PID, 0, 999, 0), Err(Errno::EINVAL));
    assert_eq!(system.fcntl(USER_PID, 5, F_GETFD, 0), Err(Errno::EBADF));
}

#[test]
fn read_and_write_move_the_offset() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"abcdef");
    system.lseek(USER_PID, fd, 1, SEEK_SET).unwrap();
    assert_eq!(read_n(&mut system, USER_PID, fd, 2), b"bc");
    assert_eq!(read_n(&mut system, USER_PID, fd, 10), b"def");
    assert_eq!(read_n(&mut system, USER_PID, fd, 10), b"");
}

#[test]
fn append_mode_writes_at_the_end_whatever_the_offset() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"abc");
    let appender = system
        .open(USER_PID, b"/tmp/f", O_WRONLY | O_APPEND, 0)
        .unwrap();
    write_all(&mut system, USER_PID, appender, b"de");
    system.lseek(USER_PID, appender, 0, SEEK_SET).unwrap();
    write_all(&mut system, USER_PID, appender, b"f");
    system.lseek(USER_PID, fd, 0, SEEK_SET).unwrap();
    assert_eq!(read_n(&mut system, USER_PID, fd, 10), b"abcdef");
}

#[test]
fn reading_a_write_only_descriptor_and_writing_a_read_only_one_are_ebadf() {
    let mut system = system();
    let wo = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    let ro = system.open(USER_PID, b"/tmp/f", O_RDONLY, 0).unwrap();
    assert_eq!(system.read(USER_PID, wo, &mut [0; 4]), Err(Errno::EBADF));
    assert_eq!(system.write(USER_PID, ro, b"x"), Err(Errno::EBADF));
}

#[test]
fn reading_a_directory_is_eisdir() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp", O_RDONLY | O_DIRECTORY, 0)
        .unwrap();
    assert_eq!(system.read(USER_PID, fd, &mut [0; 4]), Err(Errno::EISDIR));
}

#[test]
fn lseek_whence_rules_and_errors() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"0123456789");
    assert_eq!(system.lseek(USER_PID, fd, -3, SEEK_END), Ok(7));
    assert_eq!(system.lseek(USER_PID, fd, 2, SEEK_CUR), Ok(9));
    assert_eq!(system.lseek(USER_PID, fd, 20, SEEK_SET), Ok(20));
    assert_eq!(
        system.lseek(USER_PID, fd, -21, SEEK_CUR),
        Err(Errno::EINVAL)
    );
    assert_eq!(system.lseek(USER_PID, fd, 0, 3), Err(Errno::EINVAL));
    assert_eq!(
        system.lseek(USER_PID, fd, i64::MAX, SEEK_CUR),
        Err(Errno::EINVAL)
    );
    assert_eq!(system.lseek(USER_PID, fd, 0, SEEK_CUR), Ok(20));
    let [r, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(system.lseek(USER_PID, r, 0, SEEK_SET), Err(Errno::ESPIPE));
    assert_eq!(system.lseek(USER_PID, 0, 0, SEEK_SET), Err(Errno::ESPIPE));
}

#[test]
fn dev_null_reads_end_of_file_and_swallows_writes() {
    let mut system = system();
    let fd = system.open(USER_PID, b"/dev/null", O_RDWR, 0).unwrap();
    assert_eq!(system.write(USER_PID, fd, b"gone"), Ok(Io::Done(4)));
    assert_eq!(system.read(USER_PID, fd, &mut [0; 4]), Ok(Io::Done(0)));
    assert_eq!(system.lseek(USER_PID, fd, 5, SEEK_SET), Ok(0));
}

#[test]
fn the_console_is_handed_to_the_kernel() {
    let mut system = system();
    assert_eq!(system.write(USER_PID, 1, b"hi"), Ok(Io::Console));
    assert_eq!(system.read(USER_PID, 0, &mut [0; 4]), Ok(Io::Console));
}

#[test]
fn host_streams_are_handed_to_the_kernel_each_its_own_and_unseekable() {
    let mut system = system();
    let out = system.open(USER_PID, b"/dev/hostout", O_RDWR, 0).unwrap();
    let err = system.open(USER_PID, b"/dev/hosterr", O_RDWR, 0).unwrap();
    assert_eq!(
        system.write(USER_PID, out, b"o"),
        Ok(Io::Host(HostStream::Stdout))
    );
    assert_eq!(
        system.write(USER_PID, err, b"e"),
        Ok(Io::Host(HostStream::Stderr))
    );
    assert_eq!(
        system.read(USER_PID, out, &mut [0; 4]),
        Ok(Io::Host(HostStream::Stdout))
    );
    assert_eq!(system.lseek(USER_PID, err, 0, SEEK_SET), Err(Errno::ESPIPE));
    let (out_dev, err_dev) = (
        system.fstat(USER_PID, out).unwrap().st_rdev,
        system.fstat(USER_PID, err).unwrap().st_rdev,
    );
    assert_ne!(out_dev, err_dev);
}

#[test]
fn fstat_reports_fifos_for_pipes_and_the_inode_for_files() {
    let mut system = system();
    let [r, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(
        system.fstat(USER_PID, r).unwrap().st_mode & S_IFIFO,
        S_IFIFO
    );
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o640)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"abc");
    let st = system.fstat(USER_PID, fd).unwrap();
    assert_eq!(st, system.stat(USER_PID, b"/tmp/f").unwrap());
    assert_eq!(
        (st.st_mode, st.st_size, st.st_uid),
        (S_IFREG | 0o640, 3, UID)
    );
    assert_eq!(system.fstat(USER_PID, 9), Err(Errno::EBADF));
}

#[test]
fn an_unlinked_open_file_stays_readable_until_closed() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"kept");
    let inodes = system.vfs.inode_count();
    system.unlink(USER_PID, b"/tmp/f").unwrap();
    assert_eq!(system.stat(USER_PID, b"/tmp/f"), Err(Errno::ENOENT));
    system.lseek(USER_PID, fd, 0, SEEK_SET).unwrap();
    assert_eq!(read_n(&mut system, USER_PID, fd, 10), b"kept");
    assert_eq!(system.fstat(USER_PID, fd).unwrap().st_nlink, 0);
    system.close(USER_PID, fd).unwrap();
    assert_eq!(system.vfs.inode_count(), inodes - 1);
}

#[test]
fn chdir_makes_relative_paths_resolve_from_the_new_directory() {
    let mut system = system();
    system.mkdir(USER_PID, b"/tmp/d", 0o755).unwrap();
    system.chdir(USER_PID, b"/tmp/d").unwrap();
    system
        .open(USER_PID, b"f", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    assert!(system.stat(INIT, b"/tmp/d/f").is_ok());
    assert_eq!(system.getcwd(USER_PID).unwrap(), b"/tmp/d");
    system.chdir(USER_PID, b"..").unwrap();
    assert_eq!(system.getcwd(USER_PID).unwrap(), b"/tmp");
    assert_eq!(system.chdir(USER_PID, b"/dev/null"), Err(Errno::ENOTDIR));
    assert_eq!(system.chdir(USER_PID, b"nope"), Err(Errno::ENOENT));
    assert_eq!(system.getcwd(USER_PID).unwrap(), b"/tmp");
}

#[test]
fn fchdir_needs_a_descriptor_open_on_a_directory() {
    let mut system = system();
    let dir = system
        .open(USER_PID, b"/tmp", O_RDONLY | O_DIRECTORY, 0)
        .unwrap();
    system.fchdir(USER_PID, dir).unwrap();
    assert_eq!(system.getcwd(USER_PID).unwrap(), b"/tmp");
    assert_eq!(system.fchdir(USER_PID, 1), Err(Errno::ENOTDIR));
    assert_eq!(system.fchdir(USER_PID, 40), Err(Errno::EBADF));
    let [r, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(system.fchdir(USER_PID, r), Err(Errno::ENOTDIR));
}

#[test]
fn a_removed_working_directory_lives_until_left() {
    let mut system = system();
    system.mkdir(USER_PID, b"/tmp/d", 0o755).unwrap();
    system.chdir(USER_PID, b"/tmp/d").unwrap();
    let inodes = system.vfs.inode_count();
    system.rmdir(USER_PID, b"/tmp/d").unwrap();
    assert_eq!(system.getcwd(USER_PID), Err(Errno::ENOENT));
    assert_eq!(system.vfs.inode_count(), inodes);
    system.chdir(USER_PID, b"/").unwrap();
    assert_eq!(system.vfs.inode_count(), inodes - 1);
}

#[test]
fn access_checks_with_the_real_ids() {
    let mut system = system();
    system
        .install_file(b"/etc/secret", b"", 0o600, 0, 0)
        .unwrap();
    system.process_mut(USER_PID).unwrap().creds.uid.effective = 0;
    assert!(system.open(USER_PID, b"/etc/secret", O_RDONLY, 0).is_ok());
    assert_eq!(
        system.access(USER_PID, b"/etc/secret", R_OK),
        Err(Errno::EACCES)
    );
    assert_eq!(system.access(INIT, b"/etc/secret", R_OK | W_OK), Ok(()));
}

#[test]
fn a_reaped_pid_is_not_found_in_the_slot_it_was_last_found_in() {
    let mut system = system();
    system.create_child(USER_PID, 3).unwrap();
    // Lookups remember the slots they found (parent and child here).
    for _ in 0..2 {
        assert_eq!(system.process(3).map(Process::pid), Ok(3));
        assert_eq!(system.process(USER_PID).map(Process::pid), Ok(USER_PID));
    }
    system.exit(3, Termination::Exited(0)).unwrap();
    system.reap(3).unwrap();
    assert_eq!(system.process(3).err(), Some(Errno::ESRCH));
    // A new process takes the freed slot: each pid finds its own process.
    system.create_child(USER_PID, 4).unwrap();
    for pid in [4, USER_PID, INIT, 4] {
        assert_eq!(system.process(pid).map(Process::pid), Ok(pid));
    }
    assert_eq!(system.process(3).err(), Some(Errno::ESRCH));
    assert_eq!(system.process_mut(3).err(), Some(Errno::ESRCH));
}

#[test]
fn a_child_shares_its_parents_open_file_descriptions() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    system.create_child(USER_PID, 3).unwrap();
    write_all(&mut system, 3, fd, b"abc");
    assert_eq!(system.lseek(USER_PID, fd, 0, SEEK_CUR), Ok(3));
    assert_eq!(system.process(3).unwrap().ppid(), USER_PID);
    assert_eq!(system.create_child(USER_PID, 3), Err(Errno::EINVAL));
    assert_eq!(system.create_child(77, 4), Err(Errno::ESRCH));
}

#[test]
fn close_on_exec_closes_only_cloexec_descriptors() {
    let mut system = system();
    let keep = system
        .open(USER_PID, b"/tmp/a", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    let drop = system
        .open(USER_PID, b"/tmp/b", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        .unwrap();
    system.close_on_exec(USER_PID).unwrap();
    let fds = system.process(USER_PID).unwrap().fds();
    assert!(fds.is_open(keep));
    assert!(!fds.is_open(drop));
}

#[test]
fn open_file_count_returns_to_baseline_when_processes_exit() {
    let mut system = system();
    let baseline = system.open_files();
    system.create_child(USER_PID, 3).unwrap();
    system.pipe(3, 0).unwrap();
    system.open(3, b"/tmp/f", O_CREAT | O_RDWR, 0o644).unwrap();
    system.dup2(3, 0, 100).unwrap();
    system.create_child(3, 4).unwrap();
    assert!(system.open_files() > baseline);
    system.exit(3, Termination::Exited(0)).unwrap();
    assert_eq!(system.process(4).unwrap().ppid(), INIT);
    system.reap(4).unwrap();
    system.reap(3).unwrap();
    assert_eq!(system.open_files(), baseline);
    assert_eq!(system.pipe_count(), 0);
    assert_eq!(system.process(3).err(), Some(Errno::ESRCH));
}

#[test]
fn exit_twice_changes_nothing_more() {
    let mut system = system();
    let files = system.open_files();
    system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    system.exit(USER_PID, Termination::Exited(0)).unwrap();
    system.exit(USER_PID, Termination::Exited(0)).unwrap();
    assert!(system.process(USER_PID).unwrap().has_exited());
    assert_eq!(system.open_files(), files);
    assert_eq!(system.process(USER_PID).unwrap().fds().count(), 0);
}

#[test]
fn exec_applies_set_user_id_and_resets_caught_signals() {
    let mut system = system();
    system
        .install_file(b"/bin/su", b"\x7fELF", S_ISUID | 0o755, 0, 0)
        .unwrap();
    let handler = Handler {
        handler: 0x1000,
        flags: 0,
        restorer: 0,
        mask: SigSet::EMPTY,
    };
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Handler(handler)))
        .unwrap();
    let ino = system.exec_lookup(USER_PID, b"/bin/su").unwrap();
    assert_eq!(system.file_bytes(ino).unwrap(), b"\x7fELF");
    system.commit_exec(USER_PID, ino).unwrap();
    let process = system.process(USER_PID).unwrap();
    assert_eq!(
        (
            process.creds.uid.real,
            process.creds.uid.effective,
            process.creds.uid.saved
        ),
        (UID, 0, 0)
    );
    assert_eq!(
        process.signals.disposition(SIGUSR1),
        Ok(Disposition::Default)
    );
    assert!(process.has_execed());
}

#[test]
fn exec_lookup_of_a_non_executable_is_eacces() {
    let mut system = system();
    system.install_file(b"/bin/data", b"", 0o644, 0, 0).unwrap();
    assert_eq!(
        system.exec_lookup(USER_PID, b"/bin/data"),
        Err(Errno::EACCES)
    );
    assert_eq!(
        system.exec_lookup(USER_PID, b"/bin/none"),
        Err(Errno::ENOENT)
    );
}

#[test]
fn ftruncate_needs_a_regular_file_open_for_writing() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/t", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"hello");
    assert_eq!(system.ftruncate(USER_PID, fd, 2), Ok(()));
    assert_eq!(system.fstat(USER_PID, fd).unwrap().st_size, 2);
    let ro = system.open(USER_PID, b"/tmp/t", O_RDONLY, 0).unwrap();
    assert_eq!(system.ftruncate(USER_PID, ro, 0), Err(Errno::EINVAL));
    let [r, w] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(system.ftruncate(USER_PID, w, 0), Err(Errno::EINVAL));
    assert_eq!(system.ftruncate(USER_PID, 999, 0), Err(Errno::EBADF));
    assert_eq!(system.truncate(USER_PID, b"/tmp/t", 7), Ok(()));
    assert_eq!(system.stat(USER_PID, b"/tmp/t").unwrap().st_size, 7);
    // fsync: files yes, pipes and devices no.
    assert_eq!(system.fsync(USER_PID, fd), Ok(()));
    assert_eq!(system.fsync(USER_PID, r), Err(Errno::EINVAL));
    assert_eq!(system.fsync(USER_PID, 999), Err(Errno::EBADF));
}

#[test]
fn fchmod_changes_the_open_file_and_needs_ownership() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/m", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    assert_eq!(system.fchmod(USER_PID, fd, 0o600), Ok(()));
    assert_eq!(system.fstat(USER_PID, fd).unwrap().st_mode, S_IFREG | 0o600);
    let root_file = system.open(USER_PID, b"/dev/null", O_RDONLY, 0).unwrap();
    assert_eq!(system.fchmod(USER_PID, root_file, 0o777), Err(Errno::EPERM));
    assert_eq!(system.fchmod(USER_PID, 999, 0o777), Err(Errno::EBADF));
}

#[test]
fn rename_through_the_system_uses_the_callers_cwd_and_ids() {
    let mut system = system();
    system
        .open(USER_PID, b"/tmp/r1", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    system.chdir(USER_PID, b"/tmp").unwrap();
    assert_eq!(system.rename(USER_PID, b"r1", b"r2"), Ok(()));
    assert!(system.stat(USER_PID, b"/tmp/r2").is_ok());
    assert_eq!(system.rename(USER_PID, b"r2", b"/r2"), Err(Errno::EACCES));
}
