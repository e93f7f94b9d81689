//! Helper: panics, to check that the runtime's panic handler exits with
//! `PANIC_EXIT_STATUS`.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_rt::Args;

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    panic!("deliberate panic with {} argument(s)", args.len())
}
