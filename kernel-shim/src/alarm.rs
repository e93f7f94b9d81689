//! `alarm(seconds)`: SIGALRM after a delay, driven by the timer.
//!
//! Each process has at most one pending alarm, a deadline on the monotonic
//! clock ([`Process::alarm_ns`](crate::process::Process::alarm_ns)). The
//! scheduler fires due alarms whenever it looks at sleepers (every tick and
//! every pick), so the signal arrives within a tick of the deadline. A
//! spawned child starts without an alarm (as after `fork`).

use crate::process::{self, Table};
use crate::signal_delivery::{self, SI_KERNEL};
use crate::time::{self, NANOS_PER_SECOND};
use libspawn::abi::signal::SIGALRM;
use libspawn::Errno;
use shim_core::sigframe::Info;

/// Largest delay accepted, in seconds (the argument is an `unsigned int`).
const MAX_SECONDS: u64 = u32::MAX as u64;

/// Whole seconds left until `deadline_ns`, rounded up (so a pending alarm
/// never reports 0).
fn seconds_left(deadline_ns: u64, now_ns: u64) -> u64 {
    deadline_ns
        .saturating_sub(now_ns)
        .div_ceil(NANOS_PER_SECOND)
        .max(1)
}

/// `alarm(seconds)`: replaces the caller's alarm (0 cancels it); returns
/// the seconds the previous one had left, or 0.
pub fn alarm(seconds: u64) -> Result<u64, Errno> {
    let seconds = seconds & MAX_SECONDS;
    let now = time::now_ns();
    let mut table = process::table();
    let process = table.current_mut();
    let previous = process.alarm_ns.map_or(0, |due| seconds_left(due, now));
    process.alarm_ns =
        (seconds != 0).then(|| now.saturating_add(seconds.saturating_mul(NANOS_PER_SECOND)));
    Ok(previous)
}

/// Posts SIGALRM to every process whose alarm is due, clearing it.
pub fn fire_due(table: &mut Table, now_ns: u64) {
    let mut due = [0_i32; process::MAX_PROCESSES];
    let mut count = 0;
    for process in table.processes() {
        if process.alarm_ns.is_some_and(|deadline| now_ns >= deadline) {
            process.alarm_ns = None;
            due[count] = process.pid;
            count += 1;
        }
    }
    for &pid in &due[..count] {
        let info = Info {
            code: SI_KERNEL,
            ..Info::default()
        };
        // The process may be exiting; then there is no one to tell.
        let _ = signal_delivery::post(table, pid, SIGALRM, info);
    }
}
