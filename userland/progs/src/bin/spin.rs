//! Helper: loops forever without a system call, until killed.
//!
//! Only a timer-driven scheduler can take the processor back from it.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_rt::Args;

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    loop {
        core::hint::spin_loop();
    }
}
