//! Guest test: a panicking program exits with the runtime's panic status.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::PANIC;
use shim_progs::testing::expect_status;
use shim_rt::{Args, WaitStatus, PANIC_EXIT_STATUS};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    expect_status(PANIC, &[], WaitStatus::Exited(PANIC_EXIT_STATUS));
    0
}
