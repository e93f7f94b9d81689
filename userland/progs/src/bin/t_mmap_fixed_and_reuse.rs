//! Guest test: `mmap` placement and its errors, as mmap(2) and mprotect(2)
//! describe them.
//!
//! A freed range is handed out again; a free hint is honoured; `MAP_FIXED`
//! replaces the pages it lands on (they read zero afterwards, the pages
//! beside them keep their bytes); `MAP_FIXED_NOREPLACE` on a mapping is
//! EEXIST; a partial `munmap` leaves the rest mapped; the argument errors
//! are Linux's; and every frame comes back.
#![no_std]
#![no_main]

use shim_progs::testing::UNMAPPED_ADDRESS;
use shim_progs::{check_eq, fail};
use shim_rt::memory::map::{
    MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED_VALIDATE,
};
use shim_rt::memory::prot::{PROT_READ, PROT_WRITE};
use shim_rt::memory::{map_anonymous, mmap, mprotect, munmap};
use shim_rt::sys::kstats;
use shim_rt::{Args, Errno};

shim_rt::entry!(main);

const PAGE: usize = 4096;
const RW: u64 = PROT_READ | PROT_WRITE;
const ANON: u64 = MAP_PRIVATE | MAP_ANONYMOUS;
/// A flag bit Linux does not define.
const UNKNOWN_FLAG: u64 = 0x8000_0000;

fn map(len: usize) -> usize {
    map_anonymous(len, RW).unwrap_or_else(|errno| fail!("mmap of {len:#x} bytes: {errno}"))
}

fn fill(address: usize, len: usize, value: u8) {
    // SAFETY: the range is a read-write mapping of this test, not Rust
    // memory.
    unsafe { core::ptr::write_bytes(address as *mut u8, value, len) };
}

fn byte(address: usize) -> u8 {
    // SAFETY: `address` lies in a readable mapping of this test.
    unsafe { (address as *const u8).read_volatile() }
}

fn unmap(address: usize, len: usize) {
    // SAFETY: the range holds only this test's mappings.
    if let Err(errno) = unsafe { munmap(address, len) } {
        fail!("munmap({address:#x}, {len:#x}): {errno}");
    }
}

fn expect_err(what: &str, result: Result<usize, Errno>, expected: Errno) {
    match result {
        Err(errno) if errno == expected => {}
        other => fail!("{what}: expected {expected:?}, got {other:?}"),
    }
}

fn main(_args: Args) -> i32 {
    let before = kstats()
        .unwrap_or_else(|errno| fail!("kstats: {errno}"))
        .free_frames;

    // Reuse: the hole left by a freed mapping is filled again.
    let first = map(2 * PAGE);
    let second = map(2 * PAGE);
    unmap(first, 2 * PAGE);
    check_eq!(
        "address after freeing the first mapping",
        map(2 * PAGE),
        first
    );

    // MAP_FIXED replaces the second page of `second` only.
    fill(second, 2 * PAGE, 0xa5);
    // SAFETY: the range is this test's own mapping.
    let fixed = unsafe { mmap(second + PAGE, PAGE, RW, ANON | MAP_FIXED, -1, 0) };
    check_eq!("MAP_FIXED address", fixed, Ok(second + PAGE));
    check_eq!("the page beside the fixed mapping", byte(second), 0xa5);
    check_eq!("the replaced page", byte(second + PAGE), 0);
    // SAFETY: NOREPLACE never replaces anything.
    let noreplace = unsafe { mmap(second, PAGE, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0) };
    expect_err("MAP_FIXED_NOREPLACE on a mapping", noreplace, Errno::EEXIST);
    check_eq!("the page MAP_FIXED_NOREPLACE spared", byte(second), 0xa5);

    // A free hint is taken as is.
    // SAFETY: no MAP_FIXED.
    let hinted = unsafe { mmap(UNMAPPED_ADDRESS, PAGE, RW, ANON, -1, 0) };
    check_eq!("address of a free hint", hinted, Ok(UNMAPPED_ADDRESS));
    // SAFETY: no MAP_FIXED.
    let taken = unsafe { mmap(UNMAPPED_ADDRESS, PAGE, RW, ANON, -1, 0) };
    if taken == Ok(UNMAPPED_ADDRESS) || taken.is_err() {
        fail!("a taken hint gave {taken:?}");
    }

    // A partial munmap leaves the rest.
    let three = map(3 * PAGE);
    fill(three, 3 * PAGE, 1);
    unmap(three + PAGE, PAGE);
    check_eq!("first page after a partial munmap", byte(three), 1);
    check_eq!(
        "last page after a partial munmap",
        byte(three + 2 * PAGE),
        1
    );
    // SAFETY: the range is this test's mapping with a hole.
    let over_hole = unsafe { mprotect(three, 3 * PAGE, PROT_READ) };
    check_eq!("mprotect over a hole", over_hole, Err(Errno::ENOMEM));

    // Argument errors.
    // SAFETY: every call below fails before mapping anything.
    unsafe {
        expect_err("zero length", mmap(0, 0, RW, ANON, -1, 0), Errno::EINVAL);
        expect_err(
            "no mapping type",
            mmap(0, PAGE, RW, MAP_ANONYMOUS, -1, 0),
            Errno::EINVAL,
        );
        expect_err(
            "unaligned offset",
            mmap(0, PAGE, RW, ANON, -1, 1),
            Errno::EINVAL,
        );
        expect_err(
            "unaligned MAP_FIXED",
            mmap(UNMAPPED_ADDRESS + 1, PAGE, RW, ANON | MAP_FIXED, -1, 0),
            Errno::EINVAL,
        );
        expect_err(
            "unknown flag with MAP_SHARED_VALIDATE",
            mmap(
                0,
                PAGE,
                RW,
                MAP_SHARED_VALIDATE | MAP_ANONYMOUS | UNKNOWN_FLAG,
                -1,
                0,
            ),
            Errno::ENOTSUP,
        );
        check_eq!(
            "mprotect of an unaligned address",
            mprotect(three + 1, PAGE, RW),
            Err(Errno::EINVAL)
        );
        check_eq!(
            "mprotect with an unknown bit",
            mprotect(three, PAGE, 0x10),
            Err(Errno::EINVAL)
        );
        check_eq!(
            "mprotect of nothing mapped",
            mprotect(UNMAPPED_ADDRESS + 0x1000_0000, PAGE, RW),
            Err(Errno::ENOMEM)
        );
    }
    // An unknown flag without MAP_SHARED_VALIDATE is ignored, as on Linux.
    // SAFETY: no MAP_FIXED.
    let ignored = unsafe { mmap(0, PAGE, RW, ANON | UNKNOWN_FLAG, -1, 0) }
        .unwrap_or_else(|errno| fail!("mmap with an unknown flag: {errno}"));

    for (address, len) in [
        (first, 2 * PAGE),
        (second, 2 * PAGE),
        (UNMAPPED_ADDRESS, PAGE),
        (taken.unwrap_or(0), PAGE),
        (three, 3 * PAGE),
        (ignored, PAGE),
    ] {
        unmap(address, len);
    }
    let after = kstats()
        .unwrap_or_else(|errno| fail!("kstats: {errno}"))
        .free_frames;
    check_eq!("free frames after munmap", after, before);
    0
}
