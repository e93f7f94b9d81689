//! Guest test: `pread64`/`pwrite64` transfer at the given offset and
//! leave the file offset alone; a negative offset is EINVAL and the
//! console ESPIPE; `dup3` sets FD_CLOEXEC on request and refuses the same
//! descriptor twice (EINVAL).
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::{check_eq, fail};
use shim_rt::abi::fcntl::{O_CLOEXEC, O_CREAT, O_RDWR};
use shim_rt::abi::seek::SEEK_CUR;
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::sys::{close, write_all, STDOUT};
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

const PATH: &core::ffi::CStr = c"/tmp/t_positioned_io";

fn main(_args: Args) -> i32 {
    let fd = match fs::openat(AT_FDCWD, PATH, O_CREAT | O_RDWR, 0o644) {
        Ok(fd) => fd,
        Err(errno) => fail!("open {PATH:?}: {errno}"),
    };
    check_eq!("write", write_all(fd, b"0123456789"), Ok(()));
    check_eq!("pwrite", fs::pwrite(fd, b"ab", 3), Ok(2));
    let mut buf = [0u8; 6];
    check_eq!("pread", fs::pread(fd, &mut buf, 1), Ok(6));
    check_eq!("bytes read", &buf, b"12ab56");
    check_eq!("offset unchanged", fs::lseek(fd, 0, SEEK_CUR), Ok(10));
    check_eq!("pread past the end", fs::pread(fd, &mut buf, 64), Ok(0));
    check_eq!(
        "negative offset",
        fs::pread(fd, &mut buf, -1),
        Err(Errno::EINVAL)
    );
    check_eq!(
        "pwrite to the console",
        fs::pwrite(STDOUT, b"x", 0),
        Err(Errno::ESPIPE)
    );

    check_eq!("dup3 O_CLOEXEC", fs::dup3(fd, 20, O_CLOEXEC), Ok(20));
    check_eq!(
        "pread through the copy",
        fs::pread(20, &mut buf[..2], 3),
        Ok(2)
    );
    check_eq!("bytes through the copy", &buf[..2], b"ab");
    check_eq!("dup3 onto itself", fs::dup3(fd, fd, 0), Err(Errno::EINVAL));
    check_eq!("dup3 bad flag", fs::dup3(fd, 21, 1), Err(Errno::EINVAL));
    let _ = close(20);
    let _ = close(fd);
    check_eq!("unlink", fs::unlinkat(AT_FDCWD, PATH, 0), Ok(()));
    0
}
