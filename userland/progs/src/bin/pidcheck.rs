//! Helper: checks that its parent's pid is argv[1] and that its own differs.
//!
//! `pidcheck PARENT_PID`: exits 0 when `getppid() == PARENT_PID` and
//! `getpid()` is a different, positive pid; otherwise prints why and exits
//! with `FAILURE_STATUS`.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::fail;
use shim_progs::testing::{parse_i32, USAGE_STATUS};
use shim_rt::process::{getpid, getppid};
use shim_rt::{eprintln, Args, Pid};

shim_rt::entry!(main);

fn main(args: Args) -> i32 {
    let Some(expected) = args.get(1).and_then(|text| parse_i32(text.to_bytes())) else {
        eprintln!("pidcheck: usage: pidcheck PARENT_PID");
        return USAGE_STATUS;
    };
    let expected = Pid::from_raw(expected);
    let (me, parent) = (getpid(), getppid());
    if parent != expected {
        fail!("getppid() is {parent}, but the parent's spawn saw pid {expected}");
    }
    if me == parent || me.raw() <= 0 {
        fail!("getpid() is {me}, parent {parent}");
    }
    0
}
