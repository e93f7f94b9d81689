//! Tests of the calls issue 14 added for musl programs: `getdents64`,
//! `pread64`/`pwrite64`, `dup3`, the `*at` forms, `link`, `readlink`,
//! `utimensat`, `statfs`, the special files and record locks.

use alloc::vec::Vec;
use libspawn::Errno;
use shim_abi::at::{AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR};
use shim_abi::dirent::{DT_CHR, DT_DIR, DT_REG, D_OFF_OFFSET, D_RECLEN_OFFSET, D_TYPE_OFFSET};
use shim_abi::fcntl::{
    FD_CLOEXEC, F_GETFD, F_RDLCK, F_UNLCK, F_WRLCK, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY,
    O_RDONLY, O_RDWR, O_WRONLY,
};
use shim_abi::mode::{S_IFCHR, S_IFDIR, S_ISVTX};
use shim_abi::seek::{SEEK_CUR, SEEK_END, SEEK_SET};
use shim_abi::statfs::{PIPEFS_MAGIC, RAMFS_MAGIC};
use shim_abi::{Flock, Timespec};

use super::tests::{read_n, write_all};
use super::*;
use crate::io::Io;
use crate::stat::makedev;
use crate::testutil::{system, INIT, UID, USER_PID};
use crate::vfs::TimeChange;
use crate::wait_status::Termination;

/// One decoded `linux_dirent64` record: name, `d_type`, `d_off`.
type Record = (Vec<u8>, u8, i64);

fn records(buf: &[u8]) -> Vec<Record> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let field = |from: usize, to: usize| &buf[at + from..at + to];
        let off = i64::from_ne_bytes(field(D_OFF_OFFSET, D_RECLEN_OFFSET).try_into().unwrap());
        let len = u16::from_ne_bytes(field(D_RECLEN_OFFSET, D_TYPE_OFFSET).try_into().unwrap());
        let name = &buf[at + shim_abi::dirent::HEADER_SIZE..at + len as usize];
        let name = name.split(|&b| b == 0).next().unwrap().to_vec();
        out.push((name, buf[at + D_TYPE_OFFSET], off));
        at += len as usize;
    }
    out
}

/// Every record of `fd`, reading `chunk` bytes at a time.
fn list(system: &mut System, fd: Fd, chunk: usize) -> Vec<Record> {
    let mut all = Vec::new();
    let mut buf = alloc::vec![0; chunk];
    loop {
        let count = system.getdents(USER_PID, fd, &mut buf).unwrap();
        if count == 0 {
            return all;
        }
        all.extend(records(&buf[..count]));
    }
}

fn make_dir_with(system: &mut System, count: usize) -> Fd {
    system.mkdir(USER_PID, b"/tmp/d", 0o755).unwrap();
    for i in 0..count {
        let path = alloc::format!("/tmp/d/file{i:02}");
        let fd = system
            .open(USER_PID, path.as_bytes(), O_CREAT | O_WRONLY, 0o644)
            .unwrap();
        system.close(USER_PID, fd).unwrap();
    }
    system
        .open(USER_PID, b"/tmp/d", O_RDONLY | O_DIRECTORY, 0)
        .unwrap()
}

#[test]
fn getdents_lists_dot_dot_dot_and_every_entry_with_its_type() {
    let mut system = system();
    let fd = make_dir_with(&mut system, 2);
    system.mkdir(USER_PID, b"/tmp/d/sub", 0o755).unwrap();
    let all = list(&mut system, fd, 4096);
    let kind = |name: &[u8]| all.iter().find(|r| r.0 == name).unwrap().1;
    assert_eq!(&all[0].0, b".");
    assert_eq!(&all[1].0, b"..");
    assert_eq!(all.len(), 5);
    assert_eq!(kind(b"."), DT_DIR);
    assert_eq!(kind(b"sub"), DT_DIR);
    assert_eq!(kind(b"file00"), DT_REG);
    let dev = system.open(USER_PID, b"/dev", O_RDONLY, 0).unwrap();
    let devices = list(&mut system, dev, 4096);
    assert_eq!(devices.iter().find(|r| r.0 == b"null").unwrap().1, DT_CHR);
}

#[test]
fn getdents_continues_from_d_off_across_calls_and_after_lseek() {
    let mut system = system();
    let fd = make_dir_with(&mut system, 30);
    let whole = list(&mut system, fd, 8192);
    assert_eq!(whole.len(), 32);
    system.lseek(USER_PID, fd, 0, SEEK_SET).unwrap();
    // 64 bytes hold two records at most: many calls.
    let piecewise = list(&mut system, fd, 64);
    assert_eq!(piecewise, whole);
    // Seeking to a record's d_off resumes right after it.
    let (_, _, off) = whole[9];
    system.lseek(USER_PID, fd, off, SEEK_SET).unwrap();
    assert_eq!(list(&mut system, fd, 8192), whole[10..].to_vec());
    assert_eq!(system.lseek(USER_PID, fd, 0, SEEK_END), Err(Errno::EINVAL));
}

#[test]
fn removing_entries_while_listing_skips_none_of_the_others() {
    let mut system = system();
    let fd = make_dir_with(&mut system, 40);
    let mut seen = Vec::new();
    let mut buf = alloc::vec![0; 256];
    loop {
        let count = system.getdents(USER_PID, fd, &mut buf).unwrap();
        if count == 0 {
            break;
        }
        for (name, _, _) in records(&buf[..count]) {
            if name != b"." && name != b".." {
                let mut path = b"/tmp/d/".to_vec();
                path.extend_from_slice(&name);
                system.unlink(USER_PID, &path).unwrap();
            }
            seen.push(name);
        }
    }
    assert_eq!(seen.len(), 42);
    assert_eq!(system.rmdir(USER_PID, b"/tmp/d"), Ok(()));
}

#[test]
fn getdents_errors_small_buffer_einval_file_enotdir_pipe_enotdir() {
    let mut system = system();
    let fd = make_dir_with(&mut system, 1);
    let mut tiny = [0; 8];
    assert_eq!(system.getdents(USER_PID, fd, &mut tiny), Err(Errno::EINVAL));
    let file = system
        .open(USER_PID, b"/tmp/d/file00", O_RDONLY, 0)
        .unwrap();
    let mut buf = [0; 256];
    assert_eq!(
        system.getdents(USER_PID, file, &mut buf),
        Err(Errno::ENOTDIR)
    );
    let [read_end, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(
        system.getdents(USER_PID, read_end, &mut buf),
        Err(Errno::ENOTDIR)
    );
    assert_eq!(system.getdents(USER_PID, 99, &mut buf), Err(Errno::EBADF));
    assert_eq!(
        system.open(USER_PID, b"/tmp/d/file00", O_RDONLY | O_DIRECTORY, 0),
        Err(Errno::ENOTDIR)
    );
}

#[test]
fn pread_and_pwrite_leave_the_offset_alone() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/p", O_CREAT | O_RDWR, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"abcdef");
    assert_eq!(system.pwrite(USER_PID, fd, b"XY", 1), Ok(2));
    let mut buf = [0; 4];
    assert_eq!(system.pread(USER_PID, fd, &mut buf, 0), Ok(4));
    assert_eq!(&buf, b"aXYd");
    assert_eq!(system.lseek(USER_PID, fd, 0, SEEK_CUR), Ok(6));
    assert_eq!(system.pread(USER_PID, fd, &mut buf, 100), Ok(0));
    assert_eq!(system.pwrite(USER_PID, fd, b"Z", 8), Ok(1));
    assert_eq!(system.stat(USER_PID, b"/tmp/p").unwrap().st_size, 9);
}

#[test]
fn pread_errors_negative_einval_pipe_espipe_access_ebadf() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/p", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    let mut buf = [0; 4];
    assert_eq!(system.pread(USER_PID, fd, &mut buf, -1), Err(Errno::EINVAL));
    assert_eq!(system.pread(USER_PID, fd, &mut buf, 0), Err(Errno::EBADF));
    let [read_end, write_end] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(
        system.pread(USER_PID, read_end, &mut buf, 0),
        Err(Errno::ESPIPE)
    );
    assert_eq!(
        system.pwrite(USER_PID, write_end, b"x", 0),
        Err(Errno::ESPIPE)
    );
    assert_eq!(system.pread(USER_PID, 0, &mut buf, 0), Err(Errno::ESPIPE));
}

#[test]
fn pwrite_with_o_append_appends_as_on_linux() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/a", O_CREAT | O_RDWR | O_APPEND, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"abc");
    assert_eq!(system.pwrite(USER_PID, fd, b"Z", 0), Ok(1));
    let mut buf = [0; 8];
    assert_eq!(system.pread(USER_PID, fd, &mut buf, 0), Ok(4));
    assert_eq!(&buf[..4], b"abcZ");
}

#[test]
fn dup3_sets_cloexec_on_request_and_refuses_the_same_descriptor() {
    let mut system = system();
    assert_eq!(system.dup3(USER_PID, 1, 5, O_CLOEXEC), Ok(5));
    assert_eq!(system.fcntl(USER_PID, 5, F_GETFD, 0), Ok(FD_CLOEXEC));
    assert_eq!(system.dup3(USER_PID, 1, 6, 0), Ok(6));
    assert_eq!(system.fcntl(USER_PID, 6, F_GETFD, 0), Ok(0));
    assert_eq!(system.dup3(USER_PID, 1, 1, 0), Err(Errno::EINVAL));
    assert_eq!(system.dup3(USER_PID, 1, 7, O_APPEND), Err(Errno::EINVAL));
    assert_eq!(system.dup3(USER_PID, 42, 7, 0), Err(Errno::EBADF));
    assert_eq!(system.dup3(USER_PID, 1, -1, 0), Err(Errno::EBADF));
}

#[test]
fn at_calls_resolve_relative_paths_from_the_directory_descriptor() {
    let mut system = system();
    system.mkdir(USER_PID, b"/tmp/base", 0o755).unwrap();
    let dir = system.open(USER_PID, b"/tmp/base", O_RDONLY, 0).unwrap();
    let fd = system
        .openat(USER_PID, dir, b"f", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"hello");
    assert_eq!(system.stat(USER_PID, b"/tmp/base/f").unwrap().st_size, 5);
    assert_eq!(system.fstatat(USER_PID, dir, b"f", 0).unwrap().st_size, 5);
    system.mkdirat(USER_PID, dir, b"sub", 0o755).unwrap();
    system
        .renameat(USER_PID, dir, b"f", AT_FDCWD, b"/tmp/base/sub/g")
        .unwrap();
    assert_eq!(
        system.faccessat(USER_PID, dir, b"sub/g", R_OK_MODE, 0),
        Ok(())
    );
    system.fchmodat(USER_PID, dir, b"sub/g", 0o600).unwrap();
    assert_eq!(
        system.unlinkat(USER_PID, dir, b"sub", AT_REMOVEDIR),
        Err(Errno::ENOTEMPTY)
    );
    system.unlinkat(USER_PID, dir, b"sub/g", 0).unwrap();
    system
        .unlinkat(USER_PID, dir, b"sub", AT_REMOVEDIR)
        .unwrap();
    assert_eq!(system.stat(USER_PID, b"/tmp/base/sub"), Err(Errno::ENOENT));
    // The empty path with AT_EMPTY_PATH is the descriptor itself.
    let stat = system.fstatat(USER_PID, dir, b"", AT_EMPTY_PATH).unwrap();
    assert_eq!(stat.st_mode & S_IFDIR, S_IFDIR);
    assert_eq!(system.fstatat(USER_PID, dir, b"", 0), Err(Errno::ENOENT));
    assert_eq!(
        system.faccessat(USER_PID, dir, b"", 0, AT_EACCESS | AT_EMPTY_PATH),
        Ok(())
    );
}

/// `R_OK` as `faccessat` takes it.
const R_OK_MODE: i32 = shim_abi::access::R_OK;

#[test]
fn at_calls_check_the_directory_descriptor_unless_the_path_is_absolute() {
    let mut system = system();
    let file = system
        .open(USER_PID, b"/tmp/plain", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    assert_eq!(system.fstatat(USER_PID, 77, b"x", 0), Err(Errno::EBADF));
    assert_eq!(system.fstatat(USER_PID, file, b"x", 0), Err(Errno::ENOTDIR));
    assert!(system.fstatat(USER_PID, 77, b"/tmp/plain", 0).is_ok());
    assert!(system.fstatat(USER_PID, AT_FDCWD, b"/tmp", 0).is_ok());
    assert_eq!(
        system.fstatat(USER_PID, AT_FDCWD, b"/tmp", 0x8000),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.unlinkat(USER_PID, AT_FDCWD, b"/tmp/plain", 0x1),
        Err(Errno::EINVAL)
    );
}

#[test]
fn link_adds_a_name_for_the_same_file() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/one", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    write_all(&mut system, USER_PID, fd, b"shared");
    system
        .linkat(USER_PID, AT_FDCWD, b"/tmp/one", AT_FDCWD, b"/tmp/two", 0)
        .unwrap();
    let one = system.stat(USER_PID, b"/tmp/one").unwrap();
    let two = system.stat(USER_PID, b"/tmp/two").unwrap();
    assert_eq!((one.st_ino, one.st_nlink), (two.st_ino, 2));
    system.unlink(USER_PID, b"/tmp/one").unwrap();
    let fd = system.open(USER_PID, b"/tmp/two", O_RDONLY, 0).unwrap();
    assert_eq!(read_n(&mut system, USER_PID, fd, 16), b"shared");
    assert_eq!(system.stat(USER_PID, b"/tmp/two").unwrap().st_nlink, 1);
    // Renaming onto another name of the same file changes nothing.
    system
        .linkat(USER_PID, AT_FDCWD, b"/tmp/two", AT_FDCWD, b"/tmp/three", 0)
        .unwrap();
    system.rename(USER_PID, b"/tmp/two", b"/tmp/three").unwrap();
    assert!(system.stat(USER_PID, b"/tmp/two").is_ok());
}

#[test]
fn link_errors_follow_linux() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/f", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    system.close(USER_PID, fd).unwrap();
    let link = |system: &mut System, old: &[u8], new: &[u8]| {
        system.linkat(USER_PID, AT_FDCWD, old, AT_FDCWD, new, 0)
    };
    assert_eq!(link(&mut system, b"/tmp/f", b"/tmp/f"), Err(Errno::EEXIST));
    assert_eq!(link(&mut system, b"/tmp", b"/tmp/d"), Err(Errno::EPERM));
    assert_eq!(
        link(&mut system, b"/tmp/none", b"/tmp/x"),
        Err(Errno::ENOENT)
    );
    assert_eq!(link(&mut system, b"/tmp/f", b"/x"), Err(Errno::EACCES));
    assert_eq!(
        link(&mut system, b"/tmp/f", b"/tmp/nodir/x"),
        Err(Errno::ENOENT)
    );
    assert_eq!(
        link(&mut system, b"/tmp/f/", b"/tmp/y"),
        Err(Errno::ENOTDIR)
    );
    assert_eq!(
        system.linkat(USER_PID, AT_FDCWD, b"/tmp/f", AT_FDCWD, b"/tmp/z", 0x1),
        Err(Errno::EINVAL)
    );
}

#[test]
fn readlink_is_einval_for_existing_names_and_enoent_for_missing_ones() {
    let system = system();
    assert_eq!(
        system.readlinkat(USER_PID, AT_FDCWD, b"/tmp"),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.readlinkat(USER_PID, AT_FDCWD, b"/dev/null"),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.readlinkat(USER_PID, AT_FDCWD, b"/nope"),
        Err(Errno::ENOENT)
    );
}

fn at(seconds: i64) -> Timespec {
    Timespec {
        tv_sec: seconds,
        tv_nsec: 7,
    }
}

#[test]
fn utimensat_sets_omits_and_reports_times_in_stat() {
    let mut system = system();
    let fd = system
        .open(USER_PID, b"/tmp/t", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    let times = [TimeChange::To(at(100)), TimeChange::To(at(200))];
    system
        .utimensat(USER_PID, AT_FDCWD, Some(b"/tmp/t"), times, 0)
        .unwrap();
    let stat = system.stat(USER_PID, b"/tmp/t").unwrap();
    assert_eq!((stat.st_atime, stat.st_atime_nsec), (100, 7));
    assert_eq!((stat.st_mtime, stat.st_mtime_nsec), (200, 7));
    // A null path sets the descriptor's file (futimens); OMIT keeps one.
    let times = [TimeChange::Omit, TimeChange::To(at(300))];
    system.utimensat(USER_PID, fd, None, times, 0).unwrap();
    let stat = system.fstat(USER_PID, fd).unwrap();
    assert_eq!((stat.st_atime, stat.st_mtime), (100, 300));
}

#[test]
fn utimensat_needs_ownership_for_explicit_times_and_write_access_for_now() {
    let mut system = system();
    let fd = system
        .open(INIT, b"/tmp/roots", O_CREAT | O_WRONLY, 0o644)
        .unwrap();
    system.close(INIT, fd).unwrap();
    system.chmod(INIT, b"/tmp/roots", 0o646).unwrap();
    let explicit = [TimeChange::To(at(1)), TimeChange::Omit];
    assert_eq!(
        system.utimensat(USER_PID, AT_FDCWD, Some(b"/tmp/roots"), explicit, 0),
        Err(Errno::EPERM)
    );
    let now = [TimeChange::Now; 2];
    assert_eq!(
        system.utimensat(USER_PID, AT_FDCWD, Some(b"/tmp/roots"), now, 0),
        Ok(())
    );
    system.chmod(INIT, b"/tmp/roots", 0o644).unwrap();
    assert_eq!(
        system.utimensat(USER_PID, AT_FDCWD, Some(b"/tmp/roots"), now, 0),
        Err(Errno::EACCES)
    );
    let omit = [TimeChange::Omit; 2];
    assert_eq!(
        system.utimensat(USER_PID, AT_FDCWD, Some(b"/tmp/roots"), omit, 0),
        Ok(())
    );
}

#[test]
fn statfs_reports_a_ramfs_and_fstatfs_a_pipe_as_pipefs() {
    let mut system = system();
    let answer = system.statfs(USER_PID, b"/tmp").unwrap();
    assert_eq!(answer.f_type, RAMFS_MAGIC);
    assert_eq!(answer.f_bsize, 4096);
    assert!(answer.f_ffree < answer.f_files);
    assert_eq!(system.statfs(USER_PID, b"/nope"), Err(Errno::ENOENT));
    let [read_end, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(
        system.fstatfs(USER_PID, read_end).unwrap().f_type,
        PIPEFS_MAGIC
    );
    assert_eq!(system.fstatfs(USER_PID, 0).unwrap().f_type, RAMFS_MAGIC);
    assert_eq!(system.fstatfs(USER_PID, 50), Err(Errno::EBADF));
}

#[test]
fn dev_zero_reads_zeros_and_dev_null_reads_eof_both_swallow_writes() {
    let mut system = system();
    let zero = system.open(USER_PID, b"/dev/zero", O_RDWR, 0).unwrap();
    let mut buf = [0xaa; 16];
    assert_eq!(system.read(USER_PID, zero, &mut buf), Ok(Io::Done(16)));
    assert_eq!(buf, [0; 16]);
    write_all(&mut system, USER_PID, zero, b"gone");
    let null = system
        .open(USER_PID, b"/dev/null", O_RDWR | O_CREAT, 0)
        .unwrap();
    assert_eq!(system.read(USER_PID, null, &mut buf), Ok(Io::Done(0)));
    write_all(&mut system, USER_PID, null, b"gone");
    let stat = system.stat(USER_PID, b"/dev/zero").unwrap();
    assert_eq!(
        (stat.st_mode & S_IFCHR, stat.st_rdev),
        (S_IFCHR, makedev(1, 5))
    );
    assert_eq!(
        system.stat(USER_PID, b"/dev/null").unwrap().st_rdev,
        makedev(1, 3)
    );
    let shm = system.stat(USER_PID, b"/dev/shm").unwrap();
    assert_eq!(shm.st_mode & 0o7777, 0o777 | S_ISVTX);
    let fd = system
        .open(USER_PID, b"/dev/shm/mine", O_CREAT | O_RDWR, 0o600)
        .unwrap();
    assert!(fd > 2);
}

const OTHER_PID: Pid = 3;

fn flock(l_type: i16, start: i64, len: i64) -> Flock {
    Flock {
        l_type,
        l_whence: SEEK_SET as i16,
        l_start: start,
        l_len: len,
        ..Flock::default()
    }
}

/// The user process and a second one (pid 3, same user) with `/tmp/lock`
/// open read-write.
fn two_lockers() -> (System, Fd, Fd) {
    let mut system = system();
    system.create_child(INIT, OTHER_PID).unwrap();
    system.process_mut(OTHER_PID).unwrap().creds = crate::creds::Creds::new(UID, UID);
    let mine = system
        .open(USER_PID, b"/tmp/lock", O_CREAT | O_RDWR, 0o666)
        .unwrap();
    let theirs = system.open(OTHER_PID, b"/tmp/lock", O_RDWR, 0).unwrap();
    (system, mine, theirs)
}

#[test]
fn a_process_never_conflicts_with_itself_and_getlk_reports_unlocked() {
    let (mut system, mine, _) = two_lockers();
    let done = Ok(LockOutcome::Done);
    assert_eq!(
        system.setlk(USER_PID, mine, flock(F_WRLCK, 0, 10), false),
        done
    );
    assert_eq!(
        system.setlk(USER_PID, mine, flock(F_RDLCK, 5, 0), false),
        done
    );
    let answer = system.getlk(USER_PID, mine, flock(F_WRLCK, 0, 0)).unwrap();
    assert_eq!(answer.l_type, F_UNLCK);
    assert_eq!(system.lock_count(), 2);
}

#[test]
fn another_processs_lock_is_eagain_and_getlk_names_its_pid() {
    let (mut system, mine, theirs) = two_lockers();
    system
        .setlk(USER_PID, mine, flock(F_WRLCK, 10, 5), false)
        .unwrap();
    assert_eq!(
        system.setlk(OTHER_PID, theirs, flock(F_RDLCK, 12, 1), false),
        Ok(LockOutcome::Blocked)
    );
    assert_eq!(
        system.setlk(OTHER_PID, theirs, flock(F_WRLCK, 15, 5), false),
        Ok(LockOutcome::Done)
    );
    let answer = system
        .getlk(OTHER_PID, theirs, flock(F_RDLCK, 0, 0))
        .unwrap();
    assert_eq!(
        (answer.l_type, answer.l_start, answer.l_len, answer.l_pid),
        (F_WRLCK, 10, 5, USER_PID)
    );
}

#[test]
fn closing_any_descriptor_of_the_file_releases_the_processs_locks() {
    let (mut system, mine, theirs) = two_lockers();
    let other = system.open(USER_PID, b"/tmp/lock", O_RDONLY, 0).unwrap();
    system
        .setlk(USER_PID, mine, flock(F_WRLCK, 0, 0), false)
        .unwrap();
    system.close(USER_PID, other).unwrap();
    assert_eq!(system.lock_count(), 0);
    assert_eq!(
        system.setlk(OTHER_PID, theirs, flock(F_WRLCK, 0, 0), false),
        Ok(LockOutcome::Done)
    );
    system.exit(OTHER_PID, Termination::Exited(0)).unwrap();
    assert_eq!(system.lock_count(), 0);
}

#[test]
fn lock_requests_check_access_mode_type_and_range() {
    let (mut system, mine, _) = two_lockers();
    let read_only = system.open(USER_PID, b"/tmp/lock", O_RDONLY, 0).unwrap();
    let write_only = system.open(USER_PID, b"/tmp/lock", O_WRONLY, 0).unwrap();
    assert_eq!(
        system.setlk(USER_PID, read_only, flock(F_WRLCK, 0, 1), false),
        Err(Errno::EBADF)
    );
    assert_eq!(
        system.setlk(USER_PID, write_only, flock(F_RDLCK, 0, 1), false),
        Err(Errno::EBADF)
    );
    assert_eq!(
        system.setlk(USER_PID, mine, flock(7, 0, 1), false),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.getlk(USER_PID, mine, flock(F_UNLCK, 0, 1)),
        Err(Errno::EINVAL)
    );
    let mut bad_whence = flock(F_RDLCK, 0, 1);
    bad_whence.l_whence = 9;
    assert_eq!(
        system.setlk(USER_PID, mine, bad_whence, false),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.setlk(USER_PID, mine, flock(F_RDLCK, 2, -5), false),
        Err(Errno::EINVAL)
    );
    assert_eq!(
        system.setlk(USER_PID, mine, flock(F_RDLCK, 5, -5), false),
        Ok(LockOutcome::Done)
    );
    let mut from_end = flock(F_WRLCK, -1, 1);
    from_end.l_whence = SEEK_END as i16;
    assert_eq!(
        system.setlk(USER_PID, mine, from_end, false),
        Err(Errno::EINVAL)
    );
    let [read_end, _] = system.pipe(USER_PID, 0).unwrap();
    assert_eq!(
        system.setlk(USER_PID, read_end, flock(F_RDLCK, 0, 1), false),
        Err(Errno::EINVAL)
    );
}

#[test]
fn setlkw_waits_then_gets_the_lock_and_a_cycle_is_edeadlk() {
    let (mut system, mine, theirs) = two_lockers();
    system
        .setlk(USER_PID, mine, flock(F_WRLCK, 0, 1), false)
        .unwrap();
    system
        .setlk(OTHER_PID, theirs, flock(F_WRLCK, 1, 1), false)
        .unwrap();
    assert_eq!(
        system.setlk(OTHER_PID, theirs, flock(F_WRLCK, 0, 1), true),
        Ok(LockOutcome::Blocked)
    );
    assert_eq!(
        system.setlk(USER_PID, mine, flock(F_WRLCK, 1, 1), true),
        Err(Errno::EDEADLK)
    );
    system
        .setlk(USER_PID, mine, flock(F_UNLCK, 0, 1), false)
        .unwrap();
    assert_eq!(
        system.setlk(OTHER_PID, theirs, flock(F_WRLCK, 0, 1), true),
        Ok(LockOutcome::Done)
    );
}
