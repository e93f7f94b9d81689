//! `execve` and `#!` scripts on a `System`: what the process keeps, what
//! it loses, the point of no return, and the interpreter chain (shared
//! with `posix_spawn`).

use alloc::vec;
use alloc::vec::Vec;

use libspawn::{Errno, SigSet};
use shim_abi::fcntl::{FD_CLOEXEC, F_GETFD, F_WRLCK, O_CLOEXEC, O_CREAT, O_RDONLY, O_RDWR};
use shim_abi::seek::SEEK_SET;
use shim_abi::signal::{SIGTERM, SIGUSR1, SIGUSR2};
use shim_abi::Flock;

use super::{ExecError, LockOutcome, System};
use crate::script::MAX_SCRIPT_DEPTH;
use crate::sigframe::Info;
use crate::signal::{Disposition, Handler};
use crate::spawn_request::Image;
use crate::strings::Strings;
use crate::testutil::{system, UID, USER_PID};

const PROGRAM: &[u8] = b"/bin/prog";
/// What a "binary" holds in these tests (the loader is a stand-in).
const BINARY: &[u8] = b"\x7fELF binary";

fn strings(items: &[&str]) -> Vec<Vec<u8>> {
    items.iter().map(|item| item.as_bytes().to_vec()).collect()
}

/// `items` as a packed list, as the kernel passes argv and envp.
fn list(items: &[&str]) -> Strings {
    Strings::from_slices(&strings(items)).unwrap()
}

/// What the stand-in loader saw.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    bytes: Vec<u8>,
    argv: Vec<Vec<u8>>,
    path: Vec<u8>,
    euid: u32,
}

fn seen(image: Image<'_>) -> Seen {
    Seen {
        bytes: image.bytes.to_vec(),
        argv: image.argv.iter().map(<[u8]>::to_vec).collect(),
        path: image.path.to_vec(),
        euid: image.creds.uid.effective,
    }
}

fn execve(system: &mut System, path: &[u8], argv: &[&str]) -> Result<Seen, ExecError> {
    system.execve(USER_PID, path, &list(argv), &Strings::new(), |image| {
        Ok(seen(image))
    })
}

fn with_program() -> System {
    let mut system = system();
    system.install_file(PROGRAM, BINARY, 0o755, 0, 0).unwrap();
    system
}

fn handler() -> Handler {
    Handler {
        handler: 0x1000,
        flags: 0,
        restorer: 0,
        mask: SigSet::EMPTY,
    }
}

#[test]
fn execve_keeps_plain_descriptors_and_closes_cloexec_ones() {
    let mut system = with_program();
    let kept = system.open(USER_PID, b"/dev/console", O_RDONLY, 0).unwrap();
    let closed = system
        .open(USER_PID, b"/dev/console", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    execve(&mut system, PROGRAM, &["prog"]).unwrap();
    assert_eq!(system.fcntl(USER_PID, kept, F_GETFD, 0), Ok(0));
    assert_eq!(
        system.fcntl(USER_PID, closed, F_GETFD, 0),
        Err(Errno::EBADF)
    );
}

#[test]
fn execve_resets_caught_signals_and_keeps_ignored_ones_the_mask_and_pending() {
    let mut system = with_program();
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Handler(handler())))
        .unwrap();
    system
        .sigaction(USER_PID, SIGUSR2, Some(Disposition::Ignore))
        .unwrap();
    let mut mask = SigSet::EMPTY;
    mask.add(SIGTERM).unwrap();
    system.process_mut(USER_PID).unwrap().signals.set_mask(mask);
    system.post_signal(USER_PID, SIGTERM, Info::NONE).unwrap();
    execve(&mut system, PROGRAM, &["prog"]).unwrap();
    let signals = &system.process(USER_PID).unwrap().signals;
    assert_eq!(signals.disposition(SIGUSR1), Ok(Disposition::Default));
    assert_eq!(signals.disposition(SIGUSR2), Ok(Disposition::Ignore));
    assert_eq!(signals.mask(), mask);
    assert!(signals.pending().contains(SIGTERM));
}

#[test]
fn execve_keeps_pid_parent_group_session_and_directory() {
    let mut system = with_program();
    let before = system.process(USER_PID).unwrap();
    let (ppid, pgid, sid, cwd) = (before.ppid, before.pgid, before.sid, before.cwd);
    execve(&mut system, PROGRAM, &["prog"]).unwrap();
    let after = system.process(USER_PID).unwrap();
    assert_eq!(
        (after.pid, after.ppid, after.pgid, after.sid, after.cwd),
        (USER_PID, ppid, pgid, sid, cwd)
    );
    assert!(after.execed);
}

#[test]
fn execve_of_a_missing_file_is_enoent_and_changes_nothing() {
    let mut system = with_program();
    let fd = system
        .open(USER_PID, b"/dev/console", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Handler(handler())))
        .unwrap();
    let mut loaded = false;
    let result = system.execve(
        USER_PID,
        b"/bin/missing",
        &Strings::new(),
        &Strings::new(),
        |_| {
            loaded = true;
            Ok(())
        },
    );
    assert_eq!(result, Err(ExecError::Refused(Errno::ENOENT)));
    assert!(!loaded);
    assert!(system.fcntl(USER_PID, fd, F_GETFD, 0).is_ok());
    let process = system.process(USER_PID).unwrap();
    assert_eq!(
        process.signals.disposition(SIGUSR1),
        Ok(Disposition::Handler(handler()))
    );
    assert!(!process.execed);
}

#[test]
fn a_failed_load_leaves_the_process_as_it_was() {
    let mut system = with_program();
    let fd = system
        .open(USER_PID, b"/dev/console", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    system
        .sigaction(USER_PID, SIGUSR1, Some(Disposition::Handler(handler())))
        .unwrap();
    let result: Result<(), ExecError> =
        system.execve(USER_PID, PROGRAM, &Strings::new(), &Strings::new(), |_| {
            Err(Errno::ENOMEM)
        });
    assert_eq!(result, Err(ExecError::Refused(Errno::ENOMEM)));
    assert!(system.fcntl(USER_PID, fd, F_GETFD, 0).is_ok());
    assert_eq!(
        system
            .process(USER_PID)
            .unwrap()
            .signals
            .disposition(SIGUSR1),
        Ok(Disposition::Handler(handler()))
    );
}

#[test]
fn execve_of_a_non_executable_file_is_eacces() {
    let mut system = with_program();
    system
        .install_file(b"/bin/data", BINARY, 0o644, 0, 0)
        .unwrap();
    assert_eq!(
        execve(&mut system, b"/bin/data", &[]),
        Err(ExecError::Refused(Errno::EACCES))
    );
}

#[test]
fn a_set_user_id_image_sets_the_effective_and_saved_uid() {
    let mut system = system();
    system
        .install_file(b"/bin/suid", BINARY, 0o4755, 0, 0)
        .unwrap();
    let loaded = execve(&mut system, b"/bin/suid", &["suid"]).unwrap();
    assert_eq!(loaded.euid, 0);
    let uid = system.process(USER_PID).unwrap().creds.uid;
    assert_eq!((uid.real, uid.effective, uid.saved), (UID, 0, 0));
}

#[test]
fn a_script_runs_its_interpreter_with_the_script_path_in_place_of_argv0() {
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!/bin/prog -x  y\necho\n", 0o755, 0, 0)
        .unwrap();
    let loaded = execve(&mut system, b"/tmp/script", &["name", "a", "b"]).unwrap();
    assert_eq!(
        loaded,
        Seen {
            bytes: BINARY.to_vec(),
            argv: strings(&["/bin/prog", "-x  y", "/tmp/script", "a", "b"]),
            path: b"/tmp/script".to_vec(),
            euid: UID,
        }
    );
}

#[test]
fn a_script_with_a_missing_interpreter_is_enoent() {
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!/bin/nothing\n", 0o755, 0, 0)
        .unwrap();
    assert_eq!(
        execve(&mut system, b"/tmp/script", &[]),
        Err(ExecError::Refused(Errno::ENOENT))
    );
}

#[test]
fn a_script_with_a_non_executable_interpreter_is_eacces() {
    let mut system = with_program();
    system
        .install_file(b"/bin/data", BINARY, 0o644, 0, 0)
        .unwrap();
    system
        .install_file(b"/tmp/script", b"#!/bin/data\n", 0o755, 0, 0)
        .unwrap();
    assert_eq!(
        execve(&mut system, b"/tmp/script", &[]),
        Err(ExecError::Refused(Errno::EACCES))
    );
}

#[test]
fn a_script_with_a_bad_line_is_enoexec() {
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!  \n", 0o755, 0, 0)
        .unwrap();
    assert_eq!(
        execve(&mut system, b"/tmp/script", &[]),
        Err(ExecError::Refused(Errno::ENOEXEC))
    );
}

#[test]
fn a_script_that_may_not_be_executed_is_eacces() {
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!/bin/prog\n", 0o644, 0, 0)
        .unwrap();
    assert_eq!(
        execve(&mut system, b"/tmp/script", &[]),
        Err(ExecError::Refused(Errno::EACCES))
    );
}

#[test]
fn the_set_user_id_bit_of_a_script_is_ignored() {
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!/bin/prog\n", 0o4755, 0, 0)
        .unwrap();
    let loaded = execve(&mut system, b"/tmp/script", &[]).unwrap();
    assert_eq!(loaded.euid, UID);
    assert_eq!(system.process(USER_PID).unwrap().creds.uid.effective, UID);
}

/// Installs `/tmp/s1` (run by [`PROGRAM`]) to `/tmp/s{count}`, each run
/// by the one before.
fn script_chain(system: &mut System, count: usize) {
    system
        .install_file(b"/tmp/s1", b"#!/bin/prog\n", 0o755, 0, 0)
        .unwrap();
    for n in 2..=count {
        let text = alloc::format!("#!/tmp/s{}\n", n - 1);
        let path = alloc::format!("/tmp/s{n}");
        system
            .install_file(path.as_bytes(), text.as_bytes(), 0o755, 0, 0)
            .unwrap();
    }
}

#[test]
fn scripts_chain_up_to_the_depth_limit_and_eloop_beyond() {
    let mut system = with_program();
    script_chain(&mut system, MAX_SCRIPT_DEPTH + 1);
    let deepest = alloc::format!("/tmp/s{MAX_SCRIPT_DEPTH}");
    let loaded = execve(&mut system, deepest.as_bytes(), &["x", "a"]).unwrap();
    // As on Linux: "/tmp/s1 /tmp/s2 /tmp/s3 /tmp/s4 /tmp/s5 a" after the
    // interpreter's own name.
    let mut expected = strings(&["/bin/prog"]);
    for n in 1..=MAX_SCRIPT_DEPTH {
        expected.push(alloc::format!("/tmp/s{n}").into_bytes());
    }
    expected.push(b"a".to_vec());
    assert_eq!(loaded.argv, expected);
    let too_deep = alloc::format!("/tmp/s{}", MAX_SCRIPT_DEPTH + 1);
    assert_eq!(
        execve(&mut system, too_deep.as_bytes(), &[]),
        Err(ExecError::Refused(Errno::ELOOP))
    );
}

#[test]
fn a_relative_interpreter_is_found_from_the_working_directory() {
    let mut system = with_program();
    system.chdir(USER_PID, b"/bin").unwrap();
    system
        .install_file(b"/tmp/script", b"#!prog\n", 0o755, 0, 0)
        .unwrap();
    let loaded = execve(&mut system, b"/tmp/script", &["s"]).unwrap();
    assert_eq!(loaded.argv, strings(&["prog", "/tmp/script"]));
}

#[test]
fn execve_drops_the_record_locks_of_the_descriptors_it_closes() {
    let mut system = with_program();
    let fd = system
        .open(USER_PID, b"/tmp/lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        .unwrap();
    let whole_file = Flock {
        l_type: F_WRLCK,
        l_whence: SEEK_SET as i16,
        ..Flock::default()
    };
    assert_eq!(
        system.setlk(USER_PID, fd, whole_file, false),
        Ok(LockOutcome::Done)
    );
    assert_eq!(system.lock_count(), 1);
    execve(&mut system, PROGRAM, &["prog"]).unwrap();
    assert_eq!(system.lock_count(), 0);
}

#[test]
fn execve_keeps_the_record_locks_of_descriptors_that_stay_open() {
    let mut system = with_program();
    let fd = system
        .open(USER_PID, b"/tmp/lock", O_CREAT | O_RDWR, 0o666)
        .unwrap();
    let whole_file = Flock {
        l_type: F_WRLCK,
        l_whence: SEEK_SET as i16,
        ..Flock::default()
    };
    system.setlk(USER_PID, fd, whole_file, false).unwrap();
    execve(&mut system, PROGRAM, &["prog"]).unwrap();
    assert_eq!(system.lock_count(), 1);
}

#[test]
fn execve_in_a_child_sharing_its_parents_table_closes_only_its_own_cloexec_descriptors() {
    const CHILD: crate::process::Pid = 3;
    let mut system = with_program();
    let fd = system
        .open(USER_PID, b"/dev/console", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    system.create_child(USER_PID, CHILD).unwrap();
    let loaded = system.execve(CHILD, PROGRAM, &Strings::new(), &Strings::new(), |image| {
        Ok(seen(image))
    });
    assert!(loaded.is_ok());
    assert_eq!(system.fcntl(CHILD, fd, F_GETFD, 0), Err(Errno::EBADF));
    assert_eq!(system.fcntl(USER_PID, fd, F_GETFD, 0), Ok(FD_CLOEXEC));
}

fn execveat(
    system: &mut System,
    dirfd: crate::fdtable::Fd,
    path: &[u8],
    flags: i32,
) -> Result<Seen, ExecError> {
    system.execveat(
        USER_PID,
        dirfd,
        path,
        flags,
        &list(&["x"]),
        &Strings::new(),
        |image| Ok(seen(image)),
    )
}

#[test]
fn execveat_resolves_from_the_directory_descriptor_and_names_the_image_by_it() {
    use shim_abi::at::AT_FDCWD;
    use shim_abi::fcntl::O_DIRECTORY;
    let mut system = with_program();
    let bin = system
        .open(USER_PID, b"/bin", O_RDONLY | O_DIRECTORY, 0)
        .unwrap();
    let loaded = execveat(&mut system, bin, b"prog", 0).unwrap();
    assert_eq!(loaded.bytes, BINARY);
    assert_eq!(
        loaded.path,
        alloc::format!("/dev/fd/{bin}/prog").into_bytes()
    );
    // An absolute path or AT_FDCWD: the path as given.
    let loaded = execveat(&mut system, bin, PROGRAM, 0).unwrap();
    assert_eq!(loaded.path, PROGRAM);
    system.chdir(USER_PID, b"/bin").unwrap();
    let loaded = execveat(&mut system, AT_FDCWD, b"prog", 0).unwrap();
    assert_eq!(loaded.path, b"prog");
}

#[test]
fn execveat_with_an_empty_path_runs_the_descriptors_file() {
    use shim_abi::at::AT_EMPTY_PATH;
    let mut system = with_program();
    let fd = system.open(USER_PID, PROGRAM, O_RDONLY, 0).unwrap();
    let loaded = execveat(&mut system, fd, b"", AT_EMPTY_PATH).unwrap();
    assert_eq!(loaded.bytes, BINARY);
    assert_eq!(loaded.path, alloc::format!("/dev/fd/{fd}").into_bytes());
    assert_eq!(
        execveat(&mut system, fd, b"", 0),
        Err(ExecError::Refused(Errno::ENOENT))
    );
}

#[test]
fn execveat_errors() {
    use shim_abi::at::AT_EMPTY_PATH;
    let mut system = with_program();
    system
        .install_file(b"/tmp/data", BINARY, 0o644, 0, 0)
        .unwrap();
    let data = system.open(USER_PID, b"/tmp/data", O_RDONLY, 0).unwrap();
    let prog = system.open(USER_PID, PROGRAM, O_RDONLY, 0).unwrap();
    let refused = |errno| Err(ExecError::Refused(errno));
    assert_eq!(
        execveat(&mut system, prog, b"", AT_EMPTY_PATH | 0x4),
        refused(Errno::EINVAL)
    );
    assert_eq!(
        execveat(&mut system, data, b"", AT_EMPTY_PATH),
        refused(Errno::EACCES)
    );
    assert_eq!(
        execveat(&mut system, 99, b"", AT_EMPTY_PATH),
        refused(Errno::EBADF)
    );
    assert_eq!(execveat(&mut system, 99, b"prog", 0), refused(Errno::EBADF));
    assert_eq!(
        execveat(&mut system, prog, b"prog", 0),
        refused(Errno::ENOTDIR)
    );
}

#[test]
fn execveat_of_a_script_through_a_cloexec_descriptor_is_enoent() {
    use shim_abi::at::AT_EMPTY_PATH;
    let mut system = with_program();
    system
        .install_file(b"/tmp/script", b"#!/bin/prog\n", 0o755, 0, 0)
        .unwrap();
    let plain = system.open(USER_PID, b"/tmp/script", O_RDONLY, 0).unwrap();
    let cloexec = system
        .open(USER_PID, b"/tmp/script", O_RDONLY | O_CLOEXEC, 0)
        .unwrap();
    assert_eq!(
        execveat(&mut system, cloexec, b"", AT_EMPTY_PATH),
        Err(ExecError::Refused(Errno::ENOENT))
    );
    let loaded = execveat(&mut system, plain, b"", AT_EMPTY_PATH).unwrap();
    assert_eq!(
        loaded.argv,
        vec![
            b"/bin/prog".to_vec(),
            alloc::format!("/dev/fd/{plain}").into_bytes()
        ]
    );
}
