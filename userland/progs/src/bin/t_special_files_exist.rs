//! Guest test: `/dev/null` reads end of file and swallows writes,
//! `/dev/zero` reads zeros (both character devices with Linux's numbers
//! 1,3 and 1,5, fine with O_TRUNC), `/dev/shm` is a sticky directory
//! everyone may write, and `/etc/passwd` and `/etc/group` name root and
//! user 1000.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::{check_eq, fail};
use shim_rt::abi::fcntl::{O_RDONLY, O_RDWR, O_TRUNC};
use shim_rt::abi::mode::{S_IFCHR, S_IFDIR, S_IFMT};
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::sys::{close, read, read_to_fill, write};
use shim_rt::Args;

shim_rt::entry!(main);

/// Linux's `makedev(major, minor)` for small numbers.
const fn makedev(major: u64, minor: u64) -> u64 {
    major << 8 | minor
}

fn open(path: &core::ffi::CStr, flags: i32) -> i32 {
    match fs::openat(AT_FDCWD, path, flags, 0) {
        Ok(fd) => fd,
        Err(errno) => fail!("open {path:?}: {errno}"),
    }
}

/// Whether `text` has a line starting with `prefix`.
fn has_line(text: &[u8], prefix: &[u8]) -> bool {
    text.split(|&b| b == b'\n')
        .any(|line| line.starts_with(prefix))
}

fn main(_args: Args) -> i32 {
    let null = open(c"/dev/null", O_RDWR | O_TRUNC);
    let mut buf = [0xaau8; 32];
    check_eq!("read /dev/null", read(null, &mut buf), Ok(0));
    check_eq!("write /dev/null", write(null, b"discarded"), Ok(9));
    let zero = open(c"/dev/zero", O_RDWR);
    check_eq!("read /dev/zero", read(zero, &mut buf), Ok(32));
    check_eq!("zeros", buf, [0; 32]);
    check_eq!("write /dev/zero", write(zero, b"discarded"), Ok(9));
    for (path, rdev) in [(c"/dev/null", makedev(1, 3)), (c"/dev/zero", makedev(1, 5))] {
        match fs::fstatat(AT_FDCWD, path, 0) {
            Ok(stat) => {
                check_eq!("character device", stat.st_mode & S_IFMT, S_IFCHR);
                check_eq!("st_rdev", stat.st_rdev, rdev);
            }
            Err(errno) => fail!("stat {path:?}: {errno}"),
        }
    }
    let _ = close(null);
    let _ = close(zero);

    match fs::fstatat(AT_FDCWD, c"/dev/shm", 0) {
        Ok(stat) => check_eq!("/dev/shm mode", stat.st_mode, S_IFDIR | 0o1777),
        Err(errno) => fail!("stat /dev/shm: {errno}"),
    }

    let mut text = [0u8; 2048];
    for (path, root, user) in [
        (
            c"/etc/passwd",
            &b"root:x:0:0:"[..],
            &b"user:x:1000:1000:"[..],
        ),
        (c"/etc/group", &b"root:x:0:"[..], &b"user:x:1000:"[..]),
    ] {
        let fd = open(path, O_RDONLY);
        let len = match read_to_fill(fd, &mut text) {
            Ok(len) => len,
            Err(errno) => fail!("read {path:?}: {errno}"),
        };
        if !has_line(&text[..len], root) || !has_line(&text[..len], user) {
            fail!("{path:?} lacks root or user 1000");
        }
        let _ = close(fd);
    }
    0
}
