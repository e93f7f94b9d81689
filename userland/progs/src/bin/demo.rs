//! `/bin/demo`: shows what kernel-shim does, for `x.py run`.
//!
//! Spawns children that exit with chosen statuses, children that fault,
//! a busy loop that keeps running alongside another child until it is
//! killed, and files that are not programs; prints each pid and how each
//! child ended, and the kernel's free-frame and free-slot counts before
//! and after. Then the same through libspawn's `Command` builder with
//! attributes and file actions, which the kernel applies inside each child
//! before its image loads: output redirected into a file, a new session,
//! a new process group and working directory, and an action that fails
//! (its error comes back to the parent, and no child is left). Exits 0
//! when every child ended as expected.
#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::ffi::CStr;
use core::fmt;

use libspawn::command::{Command, SpawnError};
use shim_progs::faults::Fault;
use shim_progs::paths::{FAULT, HELLO, MISSING, NOT_ELF, PROCINFO, SPIN};
use shim_progs::testing::spawn_with_args;
use shim_rt::abi::fcntl::{O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY};
use shim_rt::abi::signal::SIGKILL;
use shim_rt::process::{getpid, getppid, kill, try_wait, wait, KernelSpawner};
use shim_rt::sys::{close, kstats, open, read_to_fill};
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

/// The `wait4` pid that means "any child".
const ANY_CHILD: Pid = Pid::from_raw(-1);
/// Where the redirected child writes.
const OUTPUT: &CStr = c"/tmp/demo-hello.txt";
/// Mode of the file the redirect creates.
const OUTPUT_MODE: u32 = 0o644;
/// Most bytes of the output file the demo shows.
const OUTPUT_SHOWN: usize = 256;

/// Spawns `command`, described as `what`, and waits for it; true if it
/// ended with `expected`.
fn run_command(what: &str, command: &Command<'_>, expected: WaitStatus) -> bool {
    println!("demo: spawning {what}");
    match command.spawn(&mut KernelSpawner) {
        Ok(pid) => {
            println!("demo:   started as pid {pid}");
            finish(Pid::from_raw(pid), expected)
        }
        Err(error) => {
            println!("demo:   refused: {error}");
            false
        }
    }
}

/// Prints the file the redirected child wrote; true if it is not empty.
fn show_output() -> bool {
    let mut text = [0u8; OUTPUT_SHOWN];
    let read = open(OUTPUT, O_RDONLY, 0).and_then(|fd| {
        let read = read_to_fill(fd, &mut text);
        let _ = close(fd);
        read
    });
    match read {
        Ok(len) => {
            let shown = core::str::from_utf8(&text[..len]).unwrap_or("<not UTF-8>");
            println!(
                "demo:   {} now holds: {}",
                OUTPUT.to_str().unwrap_or("?"),
                shown.trim_end()
            );
            len > 0
        }
        Err(errno) => {
            println!("demo:   reading the output file failed: {errno:?}");
            false
        }
    }
}

/// Spawns with attributes and file actions through libspawn's `Command`.
fn with_attributes_and_actions() -> bool {
    println!("demo: now with attributes and file actions, applied in the child:");
    let mut ok = true;

    let mut redirected = Command::new(HELLO);
    redirected.args(&[HELLO, c"0"]).open(
        1,
        OUTPUT.to_bytes(),
        O_WRONLY | O_CREAT | O_TRUNC,
        OUTPUT_MODE,
    );
    ok &= run_command(
        "/bin/hello 0 with its standard output opened onto /tmp/demo-hello.txt",
        &redirected,
        WaitStatus::Exited(0),
    ) && show_output();

    let mut session = Command::new(PROCINFO);
    session.setsid(true).chdir(b"/tmp");
    ok &= run_command(
        "/bin/procinfo in a new session (SETSID), working directory /tmp",
        &session,
        WaitStatus::Exited(0),
    );

    let mut group = Command::new(PROCINFO);
    group.setpgroup(0);
    ok &= run_command(
        "/bin/procinfo in a new process group (SETPGROUP 0)",
        &group,
        WaitStatus::Exited(0),
    );

    let mut failing = Command::new(HELLO);
    failing.open(0, b"/no/such/file", O_RDONLY, 0);
    println!("demo: spawning /bin/hello with open(0, /no/such/file) as a file action");
    match failing.spawn(&mut KernelSpawner) {
        Err(SpawnError::Spawn(errno)) => {
            println!("demo:   posix_spawn returned {errno:?} to the parent");
            let left = try_wait(ANY_CHILD);
            println!(
                "demo:   children left behind: {}",
                if matches!(left, Err(Errno::ECHILD)) {
                    "none"
                } else {
                    "SOME"
                }
            );
            ok &= errno == Errno::ENOENT && matches!(left, Err(Errno::ECHILD));
        }
        other => {
            println!("demo:   UNEXPECTED: {other:?}");
            ok = false;
        }
    }
    ok
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
    all_ok &= with_attributes_and_actions();

    show_stats("at end");
    if all_ok {
        println!("demo: every child ended as expected");
        0
    } else {
        println!("demo: some children did NOT end as expected");
        UNEXPECTED_STATUS
    }
}
