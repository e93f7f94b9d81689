//! Guest test: fcntl record locks "as on Linux for one process": the
//! caller's own locks never get in its way (F_GETLK reports F_UNLCK); a
//! second process is refused with EAGAIN, sees the holder's pid in
//! F_GETLK, and its F_SETLKW completes once the holder closes a
//! descriptor of the file (which drops the holder's locks).
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::LOCKCHECK;
use shim_progs::testing::{spawn_or_fail, wait_or_fail};
use shim_progs::{check_eq, fail};
use shim_rt::abi::fcntl::{F_RDLCK, F_UNLCK, F_WRLCK, O_CREAT, O_RDONLY, O_RDWR};
use shim_rt::abi::Flock;
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::process::try_wait;
use shim_rt::sys::{close, sched_yield, write_all};
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

const PATH: &core::ffi::CStr = c"/tmp/t_record_locks";
const READY: &core::ffi::CStr = c"/tmp/t_record_locks.ready";
/// Yields after the helper is ready, so that it is most likely asleep in
/// F_SETLKW when the lock goes (it passes either way).
const YIELDS_BEFORE_UNLOCK: usize = 20;

fn lock(l_type: i16, l_start: i64, l_len: i64) -> Flock {
    Flock {
        l_type,
        l_start,
        l_len,
        ..Flock::default()
    }
}

fn main(_args: Args) -> i32 {
    let fd = match fs::openat(AT_FDCWD, PATH, O_CREAT | O_RDWR, 0o644) {
        Ok(fd) => fd,
        Err(errno) => fail!("create: {errno}"),
    };
    check_eq!("write", write_all(fd, b"0123456789"), Ok(()));
    check_eq!(
        "read lock",
        fs::setlk(fd, &lock(F_RDLCK, 0, 5), false),
        Ok(())
    );
    check_eq!(
        "write lock over it",
        fs::setlk(fd, &lock(F_WRLCK, 0, 0), false),
        Ok(())
    );
    match fs::getlk(fd, lock(F_WRLCK, 0, 0)) {
        Ok(answer) => check_eq!("own lock in F_GETLK", answer.l_type, F_UNLCK),
        Err(errno) => fail!("F_GETLK: {errno}"),
    }
    // A second descriptor of the same file, to close later.
    let other = match fs::openat(AT_FDCWD, PATH, O_RDONLY, 0) {
        Ok(other) => other,
        Err(errno) => fail!("second open: {errno}"),
    };

    let child = spawn_or_fail(LOCKCHECK, &[PATH]);
    loop {
        if fs::fstatat(AT_FDCWD, READY, 0).is_ok() {
            break;
        }
        match try_wait(child) {
            Ok(None) => {}
            Ok(Some(status)) => fail!("lockcheck ended early: {status}"),
            Err(errno) => fail!("try_wait: {errno}"),
        }
        let _ = sched_yield();
    }
    for _ in 0..YIELDS_BEFORE_UNLOCK {
        let _ = sched_yield();
    }
    // Closing any descriptor of the file drops this process's locks.
    check_eq!("close the second descriptor", close(other), Ok(()));
    check_eq!(
        "lockcheck's status",
        wait_or_fail(child),
        WaitStatus::Exited(0)
    );
    let _ = close(fd);
    let _ = fs::unlinkat(AT_FDCWD, READY, 0);
    check_eq!("unlink", fs::unlinkat(AT_FDCWD, PATH, 0), Ok(()));
    0
}
