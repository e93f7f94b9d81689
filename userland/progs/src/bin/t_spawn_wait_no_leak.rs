//! Guest test: spawn-and-wait rounds leak no frames and no process slots.
//!
//! One warm-up round first (so one-time allocations do not count), then
//! the baseline from `kstats()`, then [`ROUNDS`] rounds, each checking the
//! child's exit status, then the counters must be exactly back.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::EXIT_WITH;
use shim_progs::testing::{decimal, expect_status};
use shim_progs::{check_eq, fail};
use shim_rt::abi::KernelStats;
use shim_rt::sys::kstats;
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

/// Spawn-and-wait rounds between the two counter readings.
const ROUNDS: i32 = 200;
/// Exit statuses cycle through this many values (one byte's worth).
const STATUS_VALUES: i32 = 256;

fn stats() -> KernelStats {
    match kstats() {
        Ok(stats) => stats,
        Err(errno) => fail!("kstats() failed: {errno}"),
    }
}

fn round(index: i32) {
    let status = index % STATUS_VALUES;
    expect_status(
        EXIT_WITH,
        &[decimal(status).as_cstr()],
        WaitStatus::Exited(status),
    );
}

fn main(_args: Args) -> i32 {
    round(0);
    let before = stats();
    for index in 1..=ROUNDS {
        round(index);
    }
    let after = stats();
    check_eq!(
        "free frames after the rounds",
        after.free_frames,
        before.free_frames
    );
    check_eq!(
        "free process slots after the rounds",
        after.free_process_slots,
        before.free_process_slots
    );
    0
}
