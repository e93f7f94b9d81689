//! Guest test: `getdents64` on a directory opened with O_DIRECTORY lists
//! `.`, `..` and every entry once with its `d_type`, continuing from
//! `d_off` across calls (and after `lseek` to a `d_off`), keeps going
//! when the entries read are removed, is EINVAL for a buffer too small
//! for one record and ENOTDIR on a descriptor of a regular file.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::fmt::Write;

use shim_progs::{check_eq, fail};
use shim_rt::abi::dirent::{DT_DIR, DT_REG};
use shim_rt::abi::fcntl::{O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY};
use shim_rt::abi::seek::SEEK_SET;
use shim_rt::fs::{self, Dirents, AT_FDCWD};
use shim_rt::sys::close;
use shim_rt::{Args, CStrBuf, Errno};

shim_rt::entry!(main);

const DIR: &core::ffi::CStr = c"/tmp/t_getdents64";
/// Files the test creates (plus one subdirectory).
const FILES: usize = 24;

fn entry_path(index: usize) -> CStrBuf<64> {
    let mut path = CStrBuf::new();
    if write!(path, "/tmp/t_getdents64/f{index:02}").is_err() {
        fail!("path too long");
    }
    path
}

/// Reads the listing from the current position `chunk` bytes at a time,
/// calling `each` with every record's name, `d_type` and `d_off`; returns
/// how many records there were.
fn walk(fd: i32, chunk: usize, mut each: impl FnMut(&[u8], u8, i64)) -> usize {
    let mut buf = [0u8; 1024];
    let mut count = 0;
    loop {
        let filled = match fs::getdents64(fd, &mut buf[..chunk]) {
            Ok(0) => return count,
            Ok(filled) => filled,
            Err(errno) => fail!("getdents64 with {chunk} bytes: {errno}"),
        };
        for entry in Dirents::new(&buf[..filled]) {
            each(entry.name, entry.kind, entry.off);
            count += 1;
        }
    }
}

fn main(_args: Args) -> i32 {
    if let Err(errno) = fs::mkdirat(AT_FDCWD, DIR, 0o755) {
        fail!("mkdir {DIR:?}: {errno}");
    }
    for index in 0..FILES {
        let path = entry_path(index);
        match fs::openat(AT_FDCWD, path.as_cstr(), O_CREAT | O_WRONLY, 0o644) {
            Ok(fd) => drop(close(fd)),
            Err(errno) => fail!("create {path:?}: {errno}"),
        }
    }
    check_eq!(
        "mkdir sub",
        fs::mkdirat(AT_FDCWD, c"/tmp/t_getdents64/sub", 0o755),
        Ok(())
    );
    let fd = match fs::openat(AT_FDCWD, DIR, O_RDONLY | O_DIRECTORY, 0) {
        Ok(fd) => fd,
        Err(errno) => fail!("open O_DIRECTORY: {errno}"),
    };

    let mut seen = [0u32; FILES];
    let (mut dots, mut subdirs) = (0, 0);
    let mut offsets = [0i64; FILES + 3];
    let mut at = 0;
    let total = walk(fd, 1024, |name, kind, off| {
        offsets[at.min(FILES + 2)] = off;
        at += 1;
        match name {
            b"." | b".." => {
                dots += 1;
                check_eq!("d_type of a dot entry", kind, DT_DIR);
            }
            b"sub" => {
                subdirs += 1;
                check_eq!("d_type of sub", kind, DT_DIR);
            }
            [b'f', tens, ones] => {
                let index = usize::from((tens - b'0') * 10 + (ones - b'0'));
                seen[index] += 1;
                check_eq!("d_type of a file", kind, DT_REG);
            }
            other => fail!("unexpected entry {other:?}"),
        }
    });
    check_eq!("entries listed", total, FILES + 3);
    check_eq!("dot entries", dots, 2);
    check_eq!("subdirectories", subdirs, 1);
    if seen.iter().any(|&times| times != 1) {
        fail!("each file listed once: {seen:?}");
    }

    // Small buffers: many calls, the same listing.
    check_eq!("rewind", fs::lseek(fd, 0, SEEK_SET), Ok(0));
    check_eq!(
        "entries in 64-byte calls",
        walk(fd, 64, |_, _, _| {}),
        FILES + 3
    );
    // Resuming at the fifth record's d_off lists the rest.
    check_eq!(
        "seek to d_off",
        fs::lseek(fd, offsets[4], SEEK_SET).map(|_| ()),
        Ok(())
    );
    check_eq!(
        "entries after the fifth",
        walk(fd, 1024, |_, _, _| {}),
        FILES + 3 - 5
    );

    check_eq!("rewind", fs::lseek(fd, 0, SEEK_SET), Ok(0));
    let mut tiny = [0u8; 16];
    check_eq!(
        "getdents64 into 16 bytes",
        fs::getdents64(fd, &mut tiny),
        Err(Errno::EINVAL)
    );

    // Remove every entry as it is read, as `rm -r` does: none is missed.
    let mut removed = 0;
    walk(fd, 128, |name, _, _| {
        if let [b'f', ..] = name {
            let mut path: CStrBuf<64> = CStrBuf::new();
            if path
                .push(b"/tmp/t_getdents64/")
                .and_then(|()| path.push(name))
                .is_err()
            {
                fail!("path too long");
            }
            check_eq!(
                "unlink while listing",
                fs::unlinkat(AT_FDCWD, path.as_cstr(), 0),
                Ok(())
            );
            removed += 1;
        }
    });
    check_eq!("files removed while listing", removed, FILES);
    let _ = close(fd);

    let file = match fs::openat(
        AT_FDCWD,
        c"/tmp/t_getdents64/plain",
        O_CREAT | O_WRONLY,
        0o644,
    ) {
        Ok(fd) => fd,
        Err(errno) => fail!("create plain: {errno}"),
    };
    let mut buf = [0u8; 256];
    check_eq!(
        "getdents64 on a file",
        fs::getdents64(file, &mut buf),
        Err(Errno::ENOTDIR)
    );
    check_eq!(
        "O_DIRECTORY on a file",
        fs::openat(
            AT_FDCWD,
            c"/tmp/t_getdents64/plain",
            O_RDONLY | O_DIRECTORY,
            0
        ),
        Err(Errno::ENOTDIR)
    );
    let _ = close(file);
    let _ = fs::unlinkat(AT_FDCWD, c"/tmp/t_getdents64/plain", 0);
    let _ = fs::unlinkat(
        AT_FDCWD,
        c"/tmp/t_getdents64/sub",
        shim_rt::abi::at::AT_REMOVEDIR,
    );
    check_eq!(
        "rmdir the emptied directory",
        fs::unlinkat(AT_FDCWD, DIR, shim_rt::abi::at::AT_REMOVEDIR),
        Ok(())
    );
    0
}
