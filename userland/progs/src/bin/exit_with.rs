//! Helper: exits silently with the status given as argv[1].
//!
//! `exit_with STATUS`. Used where a test spawns many children and their
//! greetings would only clutter the transcript.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::testing::{parse_i32, USAGE_STATUS};
use shim_rt::{eprintln, Args};

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    match args.get(1).and_then(|text| parse_i32(text.to_bytes())) {
        Some(status) => status,
        None => {
            eprintln!("exit_with: usage: exit_with STATUS");
            USAGE_STATUS
        }
    }
}
