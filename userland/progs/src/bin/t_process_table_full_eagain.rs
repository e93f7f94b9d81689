//! Guest test: a full process table refuses spawn with EAGAIN, and killing
//! the children gives every slot back.
//!
//! Fills each free slot `kstats()` reports with a `/bin/sleeper`, expects
//! the next spawn to fail with EAGAIN and the free-slot count to be 0,
//! then kills and reaps the sleepers (each must end by SIGKILL) and expects
//! the count to be back where it started.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use shim_progs::paths::SLEEPER;
use shim_progs::testing::{spawn_with_args, wait_or_fail};
use shim_progs::{check_eq, fail};
use shim_rt::abi::signal::SIGKILL;
use shim_rt::process::kill;
use shim_rt::sys::kstats;
use shim_rt::{Args, Errno, Pid, WaitStatus};

shim_rt::entry!(main);

/// Most children this test keeps track of; a kernel with a larger table
/// than this fails the test rather than being half-checked.
const MAX_CHILDREN: usize = 256;

fn free_slots() -> u64 {
    match kstats() {
        Ok(stats) => stats.free_process_slots,
        Err(errno) => fail!("kstats() failed: {errno}"),
    }
}

fn main(_args: Args) -> i32 {
    let free_before = free_slots();
    let mut children = [Pid::from_raw(0); MAX_CHILDREN];
    let mut count = 0;
    let refusal = loop {
        match spawn_with_args(SLEEPER, &[]) {
            Ok(pid) if count < MAX_CHILDREN => {
                children[count] = pid;
                count += 1;
            }
            Ok(pid) => {
                let _ = kill(pid, SIGKILL);
                fail!("more than {MAX_CHILDREN} processes fit in the table");
            }
            Err(errno) => break errno,
        }
    };
    let free_when_full = free_slots();

    for &pid in &children[..count] {
        if let Err(errno) = kill(pid, SIGKILL) {
            fail!("kill({pid}, SIGKILL) failed: {errno}");
        }
    }
    for &pid in &children[..count] {
        check_eq!(
            "sleeper's status",
            wait_or_fail(pid),
            WaitStatus::Signaled(SIGKILL)
        );
    }

    check_eq!("spawn into a full table", refusal, Errno::EAGAIN);
    check_eq!("children spawned", count as u64, free_before);
    check_eq!("free slots when full", free_when_full, 0);
    check_eq!("free slots after reaping", free_slots(), free_before);
    0
}
