//! Guest test: spawn passes argv and the environment through unchanged.
//!
//! `/bin/argcheck` compares what it received (through the SysV initial
//! stack) with the same constants this test sends.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::ARGCHECK;
use shim_progs::testing::{wait_or_fail, ARGCHECK_ARGS, ARGCHECK_ENV};
use shim_progs::{check_eq, fail};
use shim_rt::process::{spawn, MAX_SPAWN_ARGS};
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    let mut argv = [ARGCHECK; MAX_SPAWN_ARGS];
    let count = ARGCHECK_ARGS.len() + 1;
    argv[1..count].copy_from_slice(ARGCHECK_ARGS);
    let child = match spawn(ARGCHECK, &argv[..count], ARGCHECK_ENV) {
        Ok(child) => child,
        Err(errno) => fail!("spawning {ARGCHECK:?} failed: {errno}"),
    };
    check_eq!(
        "argcheck's status",
        wait_or_fail(child),
        WaitStatus::Exited(0)
    );
    0
}
