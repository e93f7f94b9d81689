//! Guest test: the `*at` calls resolve relative paths from a directory
//! descriptor (openat, mkdirat, newfstatat, renameat, faccessat,
//! fchmodat, unlinkat with and without AT_REMOVEDIR), ignore it for an
//! absolute path, and refuse a descriptor that is not open (EBADF) or
//! not a directory (ENOTDIR); `link` makes a second name for a file and
//! `readlinkat` finds no symbolic link (EINVAL, or ENOENT when missing).
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::{check_eq, fail};
use shim_rt::abi::access::{R_OK, W_OK};
use shim_rt::abi::at::AT_REMOVEDIR;
use shim_rt::abi::fcntl::{O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::sys::{close, write_all};
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    check_eq!("mkdir", fs::mkdirat(AT_FDCWD, c"/tmp/t_at", 0o755), Ok(()));
    let dir = match fs::openat(AT_FDCWD, c"/tmp/t_at", O_RDONLY | O_DIRECTORY, 0) {
        Ok(fd) => fd,
        Err(errno) => fail!("open the directory: {errno}"),
    };
    let file = match fs::openat(dir, c"file", O_CREAT | O_WRONLY, 0o644) {
        Ok(fd) => fd,
        Err(errno) => fail!("openat(dir, file): {errno}"),
    };
    check_eq!("write", write_all(file, b"12345"), Ok(()));
    match fs::fstatat(AT_FDCWD, c"/tmp/t_at/file", 0) {
        Ok(stat) => check_eq!("size by absolute path", stat.st_size, 5),
        Err(errno) => fail!("stat: {errno}"),
    }
    check_eq!("mkdirat", fs::mkdirat(dir, c"sub", 0o700), Ok(()));
    check_eq!(
        "renameat",
        fs::renameat(dir, c"file", dir, c"sub/moved"),
        Ok(())
    );
    check_eq!(
        "faccessat",
        fs::faccessat(dir, c"sub/moved", R_OK | W_OK),
        Ok(())
    );
    check_eq!("fchmodat", fs::fchmodat(dir, c"sub/moved", 0o600), Ok(()));
    match fs::fstatat(dir, c"sub/moved", 0) {
        Ok(stat) => check_eq!("mode after fchmodat", stat.st_mode & 0o7777, 0o600),
        Err(errno) => fail!("fstatat(dir, sub/moved): {errno}"),
    }
    check_eq!(
        "link",
        fs::link(c"/tmp/t_at/sub/moved", c"/tmp/t_at/second"),
        Ok(())
    );
    match fs::fstatat(dir, c"second", 0) {
        Ok(stat) => check_eq!("links after link", stat.st_nlink, 2),
        Err(errno) => fail!("fstatat(dir, second): {errno}"),
    }
    check_eq!(
        "link onto an existing name",
        fs::link(c"/tmp/t_at/second", c"/tmp/t_at/sub/moved"),
        Err(Errno::EEXIST)
    );
    check_eq!(
        "link a directory",
        fs::link(c"/tmp/t_at/sub", c"/tmp/t_at/dirlink"),
        Err(Errno::EPERM)
    );
    let mut buf = [0u8; 16];
    check_eq!(
        "readlinkat a file",
        fs::readlinkat(dir, c"second", &mut buf),
        Err(Errno::EINVAL)
    );
    check_eq!(
        "readlinkat a missing name",
        fs::readlinkat(dir, c"none", &mut buf),
        Err(Errno::ENOENT)
    );

    check_eq!(
        "dirfd not open",
        fs::fstatat(77, c"second", 0).map(drop),
        Err(Errno::EBADF)
    );
    check_eq!(
        "dirfd on a file",
        fs::fstatat(file, c"x", 0).map(drop),
        Err(Errno::ENOTDIR)
    );
    check_eq!(
        "absolute path ignores dirfd",
        fs::fstatat(77, c"/tmp/t_at", 0).map(drop),
        Ok(())
    );

    check_eq!(
        "rmdir non-empty",
        fs::unlinkat(dir, c"sub", AT_REMOVEDIR),
        Err(Errno::ENOTEMPTY)
    );
    check_eq!("unlinkat moved", fs::unlinkat(dir, c"sub/moved", 0), Ok(()));
    check_eq!("unlinkat second", fs::unlinkat(dir, c"second", 0), Ok(()));
    check_eq!(
        "unlinkat sub",
        fs::unlinkat(dir, c"sub", AT_REMOVEDIR),
        Ok(())
    );
    let _ = close(file);
    let _ = close(dir);
    check_eq!(
        "rmdir",
        fs::unlinkat(AT_FDCWD, c"/tmp/t_at", AT_REMOVEDIR),
        Ok(())
    );
    0
}
