//! Guest test: pages scattered over page tables are all freed.
//!
//! The kernel's page-table walks visit only the span of slots each table
//! may use (`kernel-shim/src/mm/paging.rs`). This test touches pages at
//! the two ends of a page table, in groups far apart within one table, in
//! two page directories and across a 1 GiB boundary, then frees them by
//! `munmap` of a middle part and of the rest; and a child touches the same
//! pattern and exits without `munmap` (the address space's teardown).
//! Every frame, tables included, must come back: a page the walks missed
//! would stay allocated.
#![no_std]
#![no_main]

use core::ffi::CStr;

use shim_progs::testing::expect_status;
use shim_progs::{check_eq, fail};
use shim_rt::abi::KernelStats;
use shim_rt::memory::prot::{PROT_READ, PROT_WRITE};
use shim_rt::memory::{map_anonymous, munmap};
use shim_rt::sys::kstats;
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

const PAGE: usize = 4096;
/// What one page table maps.
const TABLE_SPAN: usize = 512 * PAGE;
const GIB: usize = 1 << 30;
/// The reservation the pages are touched in: over two 1 GiB ranges.
const RESERVED: usize = 3 * GIB;
/// Page offsets in the reservation: both ends and the middle of a table,
/// a neighbour table, one far away, and past 1 GiB and 2 GiB.
const TOUCHED: [usize; 9] = [
    0,
    15 * PAGE,
    16 * PAGE,
    255 * PAGE,
    511 * PAGE,
    TABLE_SPAN + 300 * PAGE,
    200 * TABLE_SPAN + 77 * PAGE,
    GIB + 511 * PAGE,
    2 * GIB + 123 * PAGE,
];
const TOUCH_AND_EXIT: &CStr = c"touch-and-exit";

fn stats() -> KernelStats {
    kstats().unwrap_or_else(|errno| fail!("kstats: {errno}"))
}

/// Maps the reservation and writes one byte to each page of [`TOUCHED`].
fn touch_scattered() -> usize {
    let base = map_anonymous(RESERVED, PROT_READ | PROT_WRITE)
        .unwrap_or_else(|errno| fail!("mmap of {RESERVED:#x} bytes: {errno}"));
    for offset in TOUCHED {
        let pointer = (base + offset) as *mut u8;
        // SAFETY: the page lies in the fresh read-write mapping, which
        // holds no Rust memory.
        unsafe { pointer.write_volatile(1) };
    }
    base
}

fn unmap(base: usize, len: usize) {
    // SAFETY: the range lies in this test's own mapping, not Rust memory.
    if let Err(errno) = unsafe { munmap(base, len) } {
        fail!("munmap({base:#x}, {len:#x}): {errno}");
    }
}

fn main(args: Args) -> i32 {
    let Some(me) = args.get(0) else {
        fail!("no argv[0]");
    };
    if args.get(1) == Some(TOUCH_AND_EXIT) {
        touch_scattered();
        return 0;
    }
    // A first child brings this process's stack and heap to the depth
    // spawning and waiting need, so the baseline counts only the pages.
    expect_status(me, &[TOUCH_AND_EXIT], WaitStatus::Exited(0));
    let before = stats();
    let base = touch_scattered();
    if stats().free_frames + TOUCHED.len() as u64 > before.free_frames {
        fail!("touching {} pages took fewer frames", TOUCHED.len());
    }
    // The middle first (a part of one table and whole tables), then all.
    unmap(base + 16 * PAGE, 300 * TABLE_SPAN);
    unmap(base, RESERVED);
    check_eq!(
        "free frames after munmap",
        stats().free_frames,
        before.free_frames
    );
    expect_status(me, &[TOUCH_AND_EXIT], WaitStatus::Exited(0));
    check_eq!(
        "free frames after the child's exit",
        stats().free_frames,
        before.free_frames
    );
    0
}
