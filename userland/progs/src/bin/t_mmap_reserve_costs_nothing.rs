//! Guest test: `mmap` reserves, pages get frames on first touch.
//!
//! A 1 GiB `PROT_NONE` reservation and a 4 GiB read-write one (far more
//! than the machine's memory) succeed and cost no frame. Touching the
//! `PROT_NONE` one is SIGSEGV (a child does it). musl's `pthread_create`
//! pattern works: map `PROT_NONE`, `mprotect` all but a guard page to
//! read-write, write there; touching the guard page stays SIGSEGV, and so
//! does touching a written page after `mprotect(PROT_NONE)`. The
//! pages touched cost a frame each, and `munmap` gives every frame back;
//! a child that touches 4 MiB and exits without `munmap` leaks nothing.
#![no_std]
#![no_main]

use core::ffi::CStr;

use shim_progs::testing::expect_status;
use shim_progs::{check_eq, fail};
use shim_rt::abi::signal::SIGSEGV;
use shim_rt::abi::KernelStats;
use shim_rt::memory::prot::{PROT_NONE, PROT_READ, PROT_WRITE};
use shim_rt::memory::{map_anonymous, mprotect, munmap};
use shim_rt::sys::kstats;
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

const PAGE: usize = 4096;
const GIB: usize = 1 << 30;
/// The thread-stack-like mapping: a guard page and the rest.
const STACK_BYTES: usize = 64 * PAGE;
/// What the exiting child touches.
const CHILD_BYTES: usize = 4 << 20;
const TOUCH_NONE: &CStr = c"touch-none";
const TOUCH_GUARD: &CStr = c"touch-guard";
const TOUCH_AND_EXIT: &CStr = c"touch-and-exit";
const TOUCH_REVOKED: &CStr = c"touch-revoked";

fn stats() -> KernelStats {
    kstats().unwrap_or_else(|errno| fail!("kstats: {errno}"))
}

fn map(len: usize, prot: u64) -> usize {
    map_anonymous(len, prot).unwrap_or_else(|errno| fail!("mmap of {len:#x} bytes: {errno}"))
}

/// Writes `value` at `address` and reads it back.
fn poke(address: usize, value: u8) -> u8 {
    let pointer = address as *mut u8;
    // SAFETY: `address` lies in a mapping of this program that allows the
    // access, or is meant to fault (the process then dies there).
    unsafe {
        pointer.write_volatile(value);
        pointer.read_volatile()
    }
}

/// The musl `pthread_create` layout: `PROT_NONE`, then all but the first
/// page read-write. Returns the mapping.
fn stack_like() -> usize {
    let base = map(STACK_BYTES, PROT_NONE);
    // SAFETY: the range is the fresh mapping, which holds no Rust memory.
    if let Err(errno) = unsafe { mprotect(base + PAGE, STACK_BYTES - PAGE, PROT_READ | PROT_WRITE) }
    {
        fail!("mprotect of the stack-like mapping: {errno}");
    }
    base
}

fn child(mode: &CStr) -> i32 {
    if mode == TOUCH_NONE {
        let base = map(GIB, PROT_NONE);
        poke(base + GIB / 2, 1);
        fail!("a PROT_NONE page was writable");
    } else if mode == TOUCH_GUARD {
        let base = stack_like();
        check_eq!("a write below the guard", poke(base + PAGE, 7), 7);
        poke(base, 1);
        fail!("the guard page was writable");
    } else if mode == TOUCH_REVOKED {
        let base = stack_like();
        check_eq!("a write before mprotect", poke(base + PAGE, 7), 7);
        // SAFETY: the page is this child's own mapping, not Rust memory.
        if let Err(errno) = unsafe { mprotect(base + PAGE, PAGE, PROT_NONE) } {
            fail!("mprotect PROT_NONE of a touched page: {errno}");
        }
        poke(base + PAGE, 1);
        fail!("a page made PROT_NONE stayed writable");
    } else if mode == TOUCH_AND_EXIT {
        let base = map(CHILD_BYTES, PROT_READ | PROT_WRITE);
        for page in (0..CHILD_BYTES).step_by(PAGE) {
            poke(base + page, 1);
        }
        return 0;
    }
    fail!("unknown mode {mode:?}")
}

fn main(args: Args) -> i32 {
    let Some(me) = args.get(0) else {
        fail!("no argv[0]");
    };
    if let Some(mode) = args.get(1) {
        return child(mode);
    }
    let before = stats();
    let none = map(GIB, PROT_NONE);
    let huge = map(4 * GIB, PROT_READ | PROT_WRITE);
    check_eq!(
        "free frames after reserving 5 GiB",
        stats().free_frames,
        before.free_frames
    );

    let stack = stack_like();
    for page in (PAGE..STACK_BYTES).step_by(PAGE) {
        check_eq!(
            "a write to the mprotected part",
            poke(stack + page, 0x5a),
            0x5a
        );
    }
    let used = before.free_frames - stats().free_frames;
    let touched = (STACK_BYTES / PAGE - 1) as u64;
    if used < touched || used > touched + 4 {
        fail!("touching {touched} pages took {used} frames");
    }
    // SAFETY: the three ranges are this test's own mappings, not Rust memory.
    unsafe {
        for (base, len) in [(none, GIB), (huge, 4 * GIB), (stack, STACK_BYTES)] {
            if let Err(errno) = munmap(base, len) {
                fail!("munmap({base:#x}, {len:#x}): {errno}");
            }
        }
    }
    check_eq!(
        "free frames after munmap",
        stats().free_frames,
        before.free_frames
    );

    // A first child brings this process's own stack and heap to the depth
    // spawning and waiting need (the stack grows on demand), so the
    // baseline below counts only what the children could leave behind.
    expect_status(me, &[TOUCH_AND_EXIT], WaitStatus::Exited(0));
    let before = stats();
    expect_status(me, &[TOUCH_NONE], WaitStatus::Signaled(SIGSEGV));
    expect_status(me, &[TOUCH_GUARD], WaitStatus::Signaled(SIGSEGV));
    expect_status(me, &[TOUCH_REVOKED], WaitStatus::Signaled(SIGSEGV));
    expect_status(me, &[TOUCH_AND_EXIT], WaitStatus::Exited(0));
    let after = stats();
    check_eq!(
        "free frames after the children",
        after.free_frames,
        before.free_frames
    );
    check_eq!(
        "kernel heap after the children",
        after.heap_used,
        before.heap_used
    );
    0
}
