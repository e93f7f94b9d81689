//! Guest test: a child prints and exits 7, and its parent sees status 7.
//!
//! Also checks 0 and 255, the ends of the exit-status byte, so a kernel
//! that reports a constant or truncates the status fails.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::HELLO;
use shim_progs::testing::{decimal, expect_status};
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

/// The status the issue names.
const SEVEN: i32 = 7;
/// The largest exit status a wait status can carry.
const LARGEST_STATUS: i32 = 255;

fn main(_args: Args) -> i32 {
    for status in [SEVEN, 0, LARGEST_STATUS] {
        expect_status(
            HELLO,
            &[decimal(status).as_cstr()],
            WaitStatus::Exited(status),
        );
    }
    0
}
