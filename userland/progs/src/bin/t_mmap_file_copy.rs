//! Guest test: file mappings (mmap(2) of a regular file) and system calls
//! on untouched mappings.
//!
//! A private mapping of a file reads the file's bytes (from a page-aligned
//! offset too), zeros after its end within the last page, and SIGBUS on a
//! page wholly past the end (a child touches it); writing to a private
//! writable mapping leaves the file alone; the descriptor errors are
//! Linux's (EACCES for a write-only descriptor, ENODEV for a pipe, EBADF
//! for a closed one) and a shared writable file mapping is refused with
//! ENODEV. A `read` into a mapping nothing has touched yet fills it, and a
//! `write` from a `PROT_NONE` mapping is EFAULT.
#![no_std]
#![no_main]

use core::ffi::CStr;

use shim_progs::testing::expect_status;
use shim_progs::{check_eq, fail};
use shim_rt::abi::fcntl::{O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY};
use shim_rt::abi::signal::SIGBUS;
use shim_rt::abi::Sysno;
use shim_rt::arch::syscall1;
use shim_rt::memory::map::{MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED};
use shim_rt::memory::prot::{PROT_NONE, PROT_READ, PROT_WRITE};
use shim_rt::memory::{map_anonymous, mmap, munmap};
use shim_rt::sys::{close, kstats, open, read, write_all, Fd};
use shim_rt::{Args, Errno, WaitStatus};

shim_rt::entry!(main);

const PAGE: usize = 4096;
const FILE: &CStr = c"/tmp/t_mmap_file_copy";
/// The file's length: one page and a bit.
const FILE_BYTES: usize = PAGE + 904;
const TOUCH_PAST_END: &CStr = c"touch-past-end";

fn pattern(index: usize) -> u8 {
    (index % 251) as u8
}

fn open_or_fail(flags: i32) -> Fd {
    open(FILE, flags, 0o644).unwrap_or_else(|errno| fail!("open {FILE:?}: {errno}"))
}

fn map_file(fd: Fd, len: usize, prot: u64, flags: u64, offset: u64) -> Result<usize, Errno> {
    // SAFETY: no MAP_FIXED: nothing in use is replaced.
    unsafe { mmap(0, len, prot, flags, fd, offset) }
}

fn byte(address: usize) -> u8 {
    // SAFETY: `address` lies in a readable mapping of this test, or is
    // meant to fault.
    unsafe { (address as *const u8).read_volatile() }
}

fn unmap(address: usize, len: usize) {
    // SAFETY: the range is one of this test's mappings.
    if let Err(errno) = unsafe { munmap(address, len) } {
        fail!("munmap({address:#x}, {len:#x}): {errno}");
    }
}

fn main(args: Args) -> i32 {
    let Some(me) = args.get(0) else {
        fail!("no argv[0]");
    };
    if args.get(1) == Some(TOUCH_PAST_END) {
        let fd = open_or_fail(O_RDONLY);
        let base = map_file(fd, 3 * PAGE, PROT_READ, MAP_PRIVATE, 0)
            .unwrap_or_else(|errno| fail!("mmap of the file: {errno}"));
        byte(base + 2 * PAGE);
        fail!("a page past the end of the file was readable");
    }
    let fd = open_or_fail(O_CREAT | O_TRUNC | O_RDWR);
    let mut bytes = [0u8; FILE_BYTES];
    for (index, slot) in bytes.iter_mut().enumerate() {
        *slot = pattern(index);
    }
    write_all(fd, &bytes).unwrap_or_else(|errno| fail!("write: {errno}"));
    expect_status(me, &[TOUCH_PAST_END], WaitStatus::Signaled(SIGBUS));
    // After the buffer above and the spawn grew the stack, which keeps its
    // pages.
    let before = kstats()
        .unwrap_or_else(|errno| fail!("kstats: {errno}"))
        .free_frames;

    // Private read-only copy: the bytes, then zeros to the page's end.
    let base = map_file(fd, 2 * PAGE, PROT_READ, MAP_PRIVATE, 0)
        .unwrap_or_else(|errno| fail!("mmap of the file: {errno}"));
    for index in 0..2 * PAGE {
        let expected = if index < FILE_BYTES {
            pattern(index)
        } else {
            0
        };
        check_eq!(
            "a mapped byte",
            (index, byte(base + index)),
            (index, expected)
        );
    }
    unmap(base, 2 * PAGE);
    // From an offset.
    let offset = map_file(fd, PAGE, PROT_READ, MAP_PRIVATE, PAGE as u64)
        .unwrap_or_else(|errno| fail!("mmap at offset {PAGE}: {errno}"));
    check_eq!("first byte at an offset", byte(offset), pattern(PAGE));
    unmap(offset, PAGE);
    // A private writable copy: the file keeps its bytes.
    let private = map_file(fd, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, 0)
        .unwrap_or_else(|errno| fail!("private writable mmap: {errno}"));
    // SAFETY: `private` is a read-write mapping of this test.
    unsafe { (private as *mut u8).write_volatile(!pattern(0)) };
    check_eq!("the written private byte", byte(private), !pattern(0));
    unmap(private, PAGE);
    // Shared read-only: served; shared writable: refused.
    let shared = map_file(fd, PAGE, PROT_READ, MAP_SHARED, 0)
        .unwrap_or_else(|errno| fail!("shared read-only mmap: {errno}"));
    check_eq!("a shared byte", byte(shared + 7), pattern(7));
    unmap(shared, PAGE);
    check_eq!(
        "shared writable mmap",
        map_file(fd, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, 0),
        Err(Errno::ENODEV)
    );
    check_eq!(
        "unaligned offset",
        map_file(fd, PAGE, PROT_READ, MAP_PRIVATE, 1),
        Err(Errno::EINVAL)
    );
    close(fd).unwrap_or_else(|errno| fail!("close: {errno}"));

    // The file is as written: read it into a mapping nothing touched yet.
    let fresh = map_anonymous(2 * PAGE, PROT_READ | PROT_WRITE)
        .unwrap_or_else(|errno| fail!("mmap: {errno}"));
    let fd = open_or_fail(O_RDONLY);
    // SAFETY: `fresh` is a read-write mapping of this test, 2 pages long,
    // used only through this slice.
    let into = unsafe { core::slice::from_raw_parts_mut(fresh as *mut u8, 2 * PAGE) };
    check_eq!("read into a fresh mapping", read(fd, into), Ok(FILE_BYTES));
    check_eq!("the file's first byte", into[0], pattern(0));
    check_eq!(
        "the file's last byte",
        into[FILE_BYTES - 1],
        pattern(FILE_BYTES - 1)
    );
    close(fd).unwrap_or_else(|errno| fail!("close: {errno}"));
    unmap(fresh, 2 * PAGE);

    // A write from a PROT_NONE mapping is EFAULT.
    let none = map_anonymous(PAGE, PROT_NONE).unwrap_or_else(|errno| fail!("mmap: {errno}"));
    // SAFETY: the kernel only reads the range, and must refuse.
    let wrote = shim_rt::sys::write(2, unsafe {
        core::slice::from_raw_parts(none as *const u8, 1)
    });
    check_eq!("write from PROT_NONE", wrote, Err(Errno::EFAULT));
    unmap(none, PAGE);

    // Descriptor errors.
    let write_only = open_or_fail(O_WRONLY);
    check_eq!(
        "mmap of a write-only descriptor",
        map_file(write_only, PAGE, PROT_READ, MAP_PRIVATE, 0),
        Err(Errno::EACCES)
    );
    close(write_only).unwrap_or_else(|errno| fail!("close: {errno}"));
    check_eq!(
        "mmap of a closed descriptor",
        map_file(write_only, PAGE, PROT_READ, MAP_PRIVATE, 0),
        Err(Errno::EBADF)
    );
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a live, writable array of two ints.
    let piped = unsafe { syscall1(Sysno::Pipe, fds.as_mut_ptr() as usize) };
    check_eq!("pipe", piped, 0);
    check_eq!(
        "mmap of a pipe",
        map_file(fds[0], PAGE, PROT_READ, MAP_PRIVATE, 0),
        Err(Errno::ENODEV)
    );
    for fd in fds {
        close(fd).unwrap_or_else(|errno| fail!("close: {errno}"));
    }
    // Anonymous mappings ignore the descriptor, as Linux does.
    // SAFETY: no MAP_FIXED.
    let anonymous = unsafe { mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 99, 0) }
        .unwrap_or_else(|errno| fail!("anonymous mmap with fd 99: {errno}"));
    unmap(anonymous, PAGE);

    let after = kstats()
        .unwrap_or_else(|errno| fail!("kstats: {errno}"))
        .free_frames;
    check_eq!("free frames after munmap", after, before);
    0
}
