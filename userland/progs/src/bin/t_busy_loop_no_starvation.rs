//! Guest test: a process that loops without system calls does not starve
//! the others.
//!
//! Starts `/bin/spin`, then runs a short child to completion alongside it:
//! without a timer-driven scheduler the short child never runs and the
//! test hangs (the host's timeout reports it). Then checks the spinner is
//! still running, kills it with SIGKILL and checks the wait status.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::{EXIT_WITH, SPIN};
use shim_progs::testing::{expect_status, spawn_or_fail, wait_or_fail};
use shim_progs::{check_eq, fail};
use shim_rt::abi::signal::SIGKILL;
use shim_rt::process::{kill, try_wait};
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

/// Short children run while the spinner spins.
const SHORT_CHILDREN: usize = 3;

fn main(_args: Args) -> i32 {
    let spinner = spawn_or_fail(SPIN, &[]);
    for _ in 0..SHORT_CHILDREN {
        expect_status(EXIT_WITH, &[c"0"], WaitStatus::Exited(0));
    }
    match try_wait(spinner) {
        Ok(None) => {}
        other => fail!("spinner should still run; wait4(WNOHANG) gave {other:?}"),
    }
    if let Err(errno) = kill(spinner, SIGKILL) {
        fail!("kill({spinner}, SIGKILL) failed: {errno}");
    }
    check_eq!(
        "spinner's status",
        wait_or_fail(spinner),
        WaitStatus::Signaled(SIGKILL)
    );
    0
}
