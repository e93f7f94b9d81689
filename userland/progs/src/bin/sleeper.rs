//! Helper: sleeps until killed, holding a process slot but no processor.
//!
//! Sleeps in [`NAP`]-long naps forever; if the kernel has no nanosleep it
//! yields in a loop instead. Exiting on its own would be a failure, so it
//! never does.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::time::Duration;

use shim_rt::sys::{sched_yield, sleep};
use shim_rt::Args;

shim_rt::entry!(main);

/// Length of one sleep call.
const NAP: Duration = Duration::from_secs(3600);

fn main(_args: Args) -> i32 {
    loop {
        if sleep(NAP).is_err() {
            let _ = sched_yield();
        }
    }
}
