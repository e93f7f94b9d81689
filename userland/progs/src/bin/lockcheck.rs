//! Helper of `t_record_locks_between_processes`: argv[1] is a file its
//! parent holds a write lock on. Checks that F_SETLK is refused with
//! EAGAIN and that F_GETLK names the parent, creates argv[1] + ".ready",
//! then waits in F_SETLKW until the parent lets go; exits 0 when all
//! went as expected.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::testing::USAGE_STATUS;
use shim_progs::{check_eq, fail};
use shim_rt::abi::fcntl::{F_WRLCK, O_CREAT, O_RDWR, O_WRONLY};
use shim_rt::abi::Flock;
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::process::getppid;
use shim_rt::sys::close;
use shim_rt::{Args, CStrBuf, Errno};

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    let Some(path) = args.get(1) else {
        return USAGE_STATUS;
    };
    let fd = match fs::openat(AT_FDCWD, path, O_RDWR, 0) {
        Ok(fd) => fd,
        Err(errno) => fail!("open {path:?}: {errno}"),
    };
    let whole = Flock {
        l_type: F_WRLCK,
        ..Flock::default()
    };
    check_eq!(
        "F_SETLK against the parent's lock",
        fs::setlk(fd, &whole, false),
        Err(Errno::EAGAIN)
    );
    match fs::getlk(fd, whole) {
        Ok(answer) => {
            check_eq!("F_GETLK l_type", answer.l_type, F_WRLCK);
            check_eq!("F_GETLK l_pid", answer.l_pid, getppid().raw());
        }
        Err(errno) => fail!("F_GETLK: {errno}"),
    }
    let mut ready: CStrBuf<128> = CStrBuf::new();
    if ready
        .push(path.to_bytes())
        .and_then(|()| ready.push(b".ready"))
        .is_err()
    {
        fail!("path too long");
    }
    match fs::openat(AT_FDCWD, ready.as_cstr(), O_CREAT | O_WRONLY, 0o644) {
        Ok(marker) => drop(close(marker)),
        Err(errno) => fail!("create {ready:?}: {errno}"),
    }
    check_eq!(
        "F_SETLKW once the parent lets go",
        fs::setlk(fd, &whole, true),
        Ok(())
    );
    0
}
