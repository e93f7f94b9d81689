//! `/bin/demo`: shows what kernel-shim does, for `x.py run`.
//!
//! Spawns children that exit with chosen statuses, children that fault,
//! a busy loop that keeps running alongside another child until it is
//! killed, and files that are not programs; prints each pid and how each
//! child ended, and the kernel's free-frame and free-slot counts before
//! and after. Exits 0 when every child ended as expected.
#![no_std]
#![no_main]

use core::ffi::CStr;
use core::fmt;

use shim_progs::faults::Fault;
use shim_progs::paths::{FAULT, HELLO, MISSING, NOT_ELF, SPIN};
use shim_progs::testing::spawn_with_args;
use shim_rt::abi::signal::SIGKILL;
use shim_rt::process::{getpid, getppid, kill, wait};
use shim_rt::sys::kstats;
use shim_rt::{println, Args, Errno, Pid, WaitStatus};

shim_rt::entry!(main);

/// Exit status of the demo when some child did not behave as expected.
const UNEXPECTED_STATUS: i32 = 1;

/// Prints the kernel's resource counters.
fn show_stats(when: &str) {
    match kstats() {
        Ok(stats) => println!(
            "demo: {when}: {} free frames, {} free process slots",
            stats.free_frames, stats.free_process_slots
        ),
        Err(errno) => println!("demo: {when}: kstats failed: {errno:?}"),
    }
}

/// A command line as a shell would show it: `/bin/hello 42`.
struct CommandLine<'a>(&'a CStr, &'a [&'a CStr]);

impl fmt::Display for CommandLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.to_str().unwrap_or("?"))?;
        for arg in self.1 {
            write!(f, " {}", arg.to_str().unwrap_or("?"))?;
        }
        Ok(())
    }
}

/// Spawns `path args...`, reporting the pid or the error.
fn start(path: &CStr, args: &[&CStr]) -> Result<Pid, Errno> {
    println!("demo: spawning {}", CommandLine(path, args));
    let result = spawn_with_args(path, args);
    match result {
        Ok(pid) => println!("demo:   started as pid {pid}"),
        Err(errno) => println!("demo:   refused with {errno:?}"),
    }
    result
}

/// Waits for `pid`, reports how it ended; true if that was `expected`.
fn finish(pid: Pid, expected: WaitStatus) -> bool {
    match wait(pid) {
        Ok(status) => {
            let verdict = if status == expected {
                "as expected"
            } else {
                "UNEXPECTED"
            };
            println!("demo:   pid {pid} {status} ({verdict})");
            status == expected
        }
        Err(errno) => {
            println!("demo:   waiting for pid {pid} failed: {errno:?}");
            false
        }
    }
}

/// Runs `path args...` to the end; true if it ended with `expected`.
fn run(path: &CStr, args: &[&CStr], expected: WaitStatus) -> bool {
    start(path, args).is_ok_and(|pid| finish(pid, expected))
}

/// Tries to spawn something that is not a program; true if refused with
/// `expected`.
fn refuse(path: &CStr, expected: Errno) -> bool {
    match start(path, &[]) {
        Err(errno) => errno == expected,
        Ok(pid) => {
            let _ = finish(pid, WaitStatus::Exited(0));
            false
        }
    }
}

/// A busy loop runs while another child comes and goes; then it is killed.
fn busy_loop_alongside() -> bool {
    let Ok(spinner) = start(SPIN, &[]) else {
        return false;
    };
    let neighbour_ok = run(HELLO, &[c"0"], WaitStatus::Exited(0));
    println!("demo: killing the busy loop, pid {spinner}, with SIGKILL");
    let killed = kill(spinner, SIGKILL).is_ok();
    neighbour_ok & killed & finish(spinner, WaitStatus::Signaled(SIGKILL))
}

fn main(_args: Args) -> i32 {
    println!("demo: I am pid {}, child of pid {}", getpid(), getppid());
    show_stats("at start");

    let mut all_ok = true;
    all_ok &= run(HELLO, &[c"0"], WaitStatus::Exited(0));
    all_ok &= run(HELLO, &[c"42"], WaitStatus::Exited(42));
    for fault in [Fault::ReadKernel, Fault::InvalidOpcode, Fault::DivideByZero] {
        all_ok &= run(FAULT, &[fault.arg()], WaitStatus::Signaled(fault.signal()));
    }
    all_ok &= busy_loop_alongside();
    all_ok &= refuse(NOT_ELF, Errno::ENOEXEC);
    all_ok &= refuse(MISSING, Errno::ENOENT);

    show_stats("at end");
    if all_ok {
        println!("demo: every child ended as expected");
        0
    } else {
        println!("demo: some children did NOT end as expected");
        UNEXPECTED_STATUS
    }
}
