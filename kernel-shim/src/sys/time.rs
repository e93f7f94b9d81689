//! `alarm(seconds)`: SIGALRM after a delay, driven by the timer.
//!
//! The rules (one pending alarm per process, a deadline on the monotonic
//! clock, fired by the scheduler within a tick) are
//! [`shim_core::System::alarm`]'s.
#![forbid(unsafe_code)]

use crate::arch::time;
use crate::sys::process;
use libspawn::Errno;

/// `alarm(seconds)`: replaces the caller's alarm (0 cancels it); returns
/// the seconds the previous one had left, or 0.
pub fn alarm(seconds: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.alarm(machine.pid, seconds, now)
}
