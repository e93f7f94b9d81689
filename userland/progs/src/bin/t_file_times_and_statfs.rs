//! Guest test: `utimensat` sets the access and modification times that
//! `stat` then reports (UTIME_OMIT keeps one, a null path sets the
//! descriptor's file, bad nanoseconds are EINVAL); a new file's times are
//! the wall clock's; `statfs` describes a ramfs with 4096-byte blocks.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::{check_eq, fail};
use shim_rt::abi::at::UTIME_OMIT;
use shim_rt::abi::clock::CLOCK_REALTIME;
use shim_rt::abi::fcntl::{O_CREAT, O_WRONLY};
use shim_rt::abi::statfs::RAMFS_MAGIC;
use shim_rt::abi::Timespec;
use shim_rt::fs::{self, AT_FDCWD};
use shim_rt::sys::{clock_gettime, close};
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

const PATH: &core::ffi::CStr = c"/tmp/t_file_times";

fn time(tv_sec: i64, tv_nsec: i64) -> Timespec {
    Timespec { tv_sec, tv_nsec }
}

fn main(_args: Args) -> i32 {
    let before = match clock_gettime(CLOCK_REALTIME) {
        Ok(now) => now.tv_sec,
        Err(errno) => fail!("clock_gettime: {errno}"),
    };
    let fd = match fs::openat(AT_FDCWD, PATH, O_CREAT | O_WRONLY, 0o644) {
        Ok(fd) => fd,
        Err(errno) => fail!("create: {errno}"),
    };
    match fs::fstat(fd) {
        Ok(stat) if stat.st_mtime >= before && stat.st_mtime <= before + 60 => {}
        Ok(stat) => fail!("new file's mtime {} is not about {before}", stat.st_mtime),
        Err(errno) => fail!("fstat: {errno}"),
    }
    let times = [time(1_000_000, 5), time(2_000_000, 6)];
    check_eq!(
        "utimensat",
        fs::utimensat(AT_FDCWD, Some(PATH), Some(&times), 0),
        Ok(())
    );
    match fs::fstatat(AT_FDCWD, PATH, 0) {
        Ok(stat) => {
            check_eq!("atime", (stat.st_atime, stat.st_atime_nsec), (1_000_000, 5));
            check_eq!("mtime", (stat.st_mtime, stat.st_mtime_nsec), (2_000_000, 6));
        }
        Err(errno) => fail!("stat: {errno}"),
    }
    let keep_atime = [time(0, UTIME_OMIT), time(3_000_000, 0)];
    check_eq!(
        "futimens",
        fs::utimensat(fd, None, Some(&keep_atime), 0),
        Ok(())
    );
    match fs::fstat(fd) {
        Ok(stat) => check_eq!(
            "times after OMIT",
            (stat.st_atime, stat.st_mtime),
            (1_000_000, 3_000_000)
        ),
        Err(errno) => fail!("fstat: {errno}"),
    }
    let bad = [time(0, 1_000_000_000), time(0, 0)];
    check_eq!(
        "bad nanoseconds",
        fs::utimensat(fd, None, Some(&bad), 0),
        Err(Errno::EINVAL)
    );
    check_eq!(
        "both now",
        fs::utimensat(AT_FDCWD, Some(PATH), None, 0),
        Ok(())
    );
    match fs::fstat(fd) {
        Ok(stat) if stat.st_atime >= before => {}
        Ok(stat) => fail!("atime after UTIME_NOW: {}", stat.st_atime),
        Err(errno) => fail!("fstat: {errno}"),
    }
    let _ = close(fd);

    match fs::statfs(c"/tmp") {
        Ok(answer) => {
            check_eq!("f_type", answer.f_type, RAMFS_MAGIC);
            check_eq!("f_bsize", answer.f_bsize, 4096);
            check_eq!("f_namelen", answer.f_namelen, 255);
        }
        Err(errno) => fail!("statfs: {errno}"),
    }
    check_eq!(
        "statfs of a missing path",
        fs::statfs(c"/nope").map(drop),
        Err(Errno::ENOENT)
    );
    check_eq!("unlink", fs::unlinkat(AT_FDCWD, PATH, 0), Ok(()));
    0
}
