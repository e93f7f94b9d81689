//! Guest test: a divide error kills the process with SIGFPE.
//!
//! Runs `/bin/fault` in its own process and checks the parent's wait
//! status; the kernel, this test and the tests after it carry on.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::faults::Fault;
use shim_progs::paths::FAULT;
use shim_progs::testing::expect_status;
use shim_rt::{Args, WaitStatus};

shim_rt::entry!(main);

fn main(_args: Args) -> i32 {
    let fault = Fault::DivideByZero;
    expect_status(FAULT, &[fault.arg()], WaitStatus::Signaled(fault.signal()));
    0
}
