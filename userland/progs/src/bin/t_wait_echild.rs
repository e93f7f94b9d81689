//! Guest test: wait4 reports ECHILD when there is nothing to wait for.
//!
//! With no children at all, for a pid that is not a child (our own), and
//! for a child that has already been reaped.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::EXIT_WITH;
use shim_progs::testing::{spawn_or_fail, wait_or_fail};
use shim_progs::{check_eq, fail};
use shim_rt::process::{getpid, wait, wait_any};
use shim_rt::{Args, Errno, WaitStatus};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    check_eq!("wait4(-1) without children", wait_any(), Err(Errno::ECHILD));
    check_eq!("wait4(own pid)", wait(getpid()), Err(Errno::ECHILD));

    let child = spawn_or_fail(EXIT_WITH, &[c"3"]);
    check_eq!("child's status", wait_or_fail(child), WaitStatus::Exited(3));
    match wait(child) {
        Err(Errno::ECHILD) => {}
        other => fail!("second wait4({child}): expected ECHILD, got {other:?}"),
    }
    check_eq!("wait4(-1) after reaping", wait_any(), Err(Errno::ECHILD));
    0
}
