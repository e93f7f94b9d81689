//! Helper: prints a greeting and exits with the status given as argv[1].
//!
//! `hello [STATUS]`: STATUS defaults to 0. A missing or unparsable status
//! is a usage error (exit 2), so a test cannot pass by accident.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::testing::{parse_i32, USAGE_STATUS};
use shim_rt::process::{getpid, getppid};
use shim_rt::{eprintln, println, Args};

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    let status = match args.get(1) {
        None => 0,
        Some(text) => match parse_i32(text.to_bytes()) {
            Some(status) => status,
            None => {
                eprintln!("hello: not a status: {text:?}");
                return USAGE_STATUS;
            }
        },
    };
    println!(
        "hello: pid {}, parent {}, exiting with {status}",
        getpid(),
        getppid()
    );
    status
}
