//! `/bin/init`: runs what the kernel command line names, then powers off.
//!
//! The kernel starts init with argv = `["/bin/init", WORDS...]`, where the
//! words come from the kernel command line:
//!
//! - `demo`: runs `/bin/demo` (same report as `run demo`).
//! - `test NAME...`: runs each `/bin/NAME` as its own process, in order,
//!   and prints one line per test on standard output,
//!   `test NAME ... ok` or `test NAME ... FAILED: REASON`, where REASON is
//!   `exit status N`, `killed by signal N (SIGNAME)`, `timed out after N s`,
//!   or `spawn failed: ERRNO` / `wait failed: ERRNO`. A test prints its own
//!   reason line (`NAME: ...`) on standard error before exiting nonzero.
//!   Then the summary `guest: N passed, N failed`; processes the tests
//!   left are killed and reaped; then the leak check
//!   `init: kernel counters back to baseline` (free frames, free process
//!   slots and open files as before the first test) or `init: kernel
//!   counters off baseline: ...`; powers off with success iff nothing
//!   failed and the counters are back.
//! - `suite FILE`: as `test`, with the names listed in FILE, one per line
//!   (the kernel command line is too short for a long suite).
//! - `run PROG [ARG...]`: runs `/bin/PROG` (PROG itself when it holds a
//!   `/`, as `x.py run`'s `/usr/local/bin/NAME`) with argv `[PATH, ARG...]`
//!   (each ARG `%XX`-decoded, see `shim_progs::cmdline`). Its standard
//!   input is `/run/stdin` when the initrd holds one, else `/dev/null`; its
//!   standard output and error are `/dev/hostout` and `/dev/hosterr`, the
//!   host's own streams, so nothing it or its children write reaches the
//!   console. When it has ended, whatever it left running is killed and
//!   reaped; then init prints one last line on the console for the host,
//!   `init: PROG exited with status N`, `init: PROG killed by signal N
//!   (SIGNAME)` or `init: PROG failed to start: ERRNO`, and powers off with
//!   success iff PROG exited with status 0.
//!
//! Every program gets the environment `PATH=/bin`; the working directory
//! is init's own (the kernel's `cwd=PATH` command-line word sets it).
//!
//! Anything else prints a usage line on standard error and powers off with
//! failure.

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

use core::ffi::CStr;
use core::fmt::{self, Display};
use core::time::Duration;

use libspawn::FileActions;
use shim_progs::cmdline;
use shim_progs::paths::BIN_DIR;
use shim_progs::testing::PATH_CAPACITY;
use shim_rt::abi::fcntl::{O_RDONLY, O_WRONLY};
use shim_rt::abi::signal::{SIGALRM, SIGKILL};
use shim_rt::abi::KernelStats;
use shim_rt::process::{kill, spawn, spawn_with, wait_any, MAX_SPAWN_ARGS};
use shim_rt::sys::{
    alarm, close, exit, interrupt_on, kstats, monotonic, open, poweroff, read_to_fill,
};
use shim_rt::{eprintln, println, Args, CStrBuf, Errno, Pid, WaitStatus};

shim_rt::entry!(main);

/// Longest a single guest test may run before init kills it. Generous:
/// the suite runs under software emulation.
const TEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Exit status of init when even poweroff fails.
const POWEROFF_FAILED_STATUS: i32 = 1;

/// How running one program went.
enum Outcome {
    /// It ran and ended with this status.
    Ended(WaitStatus),
    /// It ran past the timeout and was killed.
    TimedOut(Duration),
    /// spawn refused it.
    SpawnFailed(Errno),
    /// wait4 failed for it.
    WaitFailed(Errno),
}

impl Outcome {
    fn success(&self) -> bool {
        matches!(self, Outcome::Ended(status) if status.success())
    }
}

/// The environment of every program init runs: programs are found in /bin.
const PROGRAM_ENVIRONMENT: &[&CStr] = &[c"PATH=/bin"];

/// `/bin/NAME` as a C string; NAME itself when it holds a `/`.
fn program_path(name: &CStr) -> Result<CStrBuf<PATH_CAPACITY>, Errno> {
    let mut path = CStrBuf::new();
    if !name.to_bytes().contains(&b'/') {
        path.push(BIN_DIR)?;
    }
    path.push(name.to_bytes())?;
    Ok(path)
}

/// Where a program's standard streams come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Streams {
    /// init's own: the console.
    Console,
    /// The host's: standard input from [`RUN_STDIN`] (or `/dev/null`),
    /// output and error to `/dev/hostout` and `/dev/hosterr`.
    Host,
}

/// The file `x.py run` puts the host's standard input in.
const RUN_STDIN: &CStr = c"/run/stdin";
/// What a program reads when the host gave no input.
const NO_INPUT: &CStr = c"/dev/null";
/// The host's standard output and error.
const HOST_OUT: &CStr = c"/dev/hostout";
const HOST_ERR: &CStr = c"/dev/hosterr";
/// Room for the three open actions of [`Streams::Host`].
const STREAM_ACTIONS: usize = 3;
const STREAM_PATH_BYTES: usize = 64;

/// The open actions that give a child the host's streams.
fn host_stream_actions() -> Result<FileActions<STREAM_ACTIONS, STREAM_PATH_BYTES>, Errno> {
    let input = match open(RUN_STDIN, O_RDONLY, 0) {
        Ok(fd) => {
            let _ = close(fd);
            RUN_STDIN
        }
        Err(_) => NO_INPUT,
    };
    let mut actions = FileActions::default();
    actions.add_open(STDIN, input.to_bytes(), O_RDONLY, 0)?;
    actions.add_open(STDOUT, HOST_OUT.to_bytes(), O_WRONLY, 0)?;
    actions.add_open(STDERR, HOST_ERR.to_bytes(), O_WRONLY, 0)?;
    Ok(actions)
}

/// The standard descriptors.
const STDIN: i32 = 0;
const STDOUT: i32 = 1;
const STDERR: i32 = 2;

/// Starts `/bin/NAME` with argv `[/bin/NAME, args...]` and `streams`.
fn start(name: &CStr, args: &[&CStr], streams: Streams) -> Result<Pid, Errno> {
    let path = program_path(name)?;
    let count = args.len() + 1;
    if count > MAX_SPAWN_ARGS {
        return Err(Errno::E2BIG);
    }
    let mut argv = [path.as_cstr(); MAX_SPAWN_ARGS];
    argv[1..count].copy_from_slice(args);
    match streams {
        Streams::Console => spawn(path.as_cstr(), &argv[..count], PROGRAM_ENVIRONMENT),
        Streams::Host => spawn_with(
            path.as_cstr(),
            &argv[..count],
            Some(PROGRAM_ENVIRONMENT),
            None,
            host_stream_actions()?.as_list(),
        ),
    }
}

/// Runs `/bin/NAME` to completion, waiting as long as it takes.
fn run_to_end(name: &CStr, args: &[&CStr]) -> Outcome {
    run_to_end_with(name, args, Streams::Console)
}

/// Runs `/bin/NAME` with `streams` to completion.
fn run_to_end_with(name: &CStr, args: &[&CStr], streams: Streams) -> Outcome {
    let pid = match start(name, args, streams) {
        Ok(pid) => pid,
        Err(errno) => return Outcome::SpawnFailed(errno),
    };
    match reap_until(pid) {
        Ok(status) => Outcome::Ended(status),
        Err(errno) => Outcome::WaitFailed(errno),
    }
}

/// Waits for `pid`, reaping on the way any orphan that was handed to init
/// (a process whose parent died first), so none stays a zombie holding a
/// process slot.
fn reap_until(pid: Pid) -> Result<WaitStatus, Errno> {
    loop {
        let (reaped, status) = wait_any()?;
        if reaped == pid {
            return Ok(status);
        }
    }
}

/// Runs `/bin/NAME` with a deadline of [`TEST_TIMEOUT`]: a blocking wait
/// that an alarm interrupts, so a test is reaped the moment it ends (no
/// polling). Call only with SIGALRM caught (see `test_mode`). Without a
/// clock or an alarm (ENOSYS) it waits as long as it takes, leaving hangs
/// to the host's timeout.
fn run_with_timeout(name: &CStr) -> Outcome {
    let Ok(started) = monotonic() else {
        return run_to_end(name, &[]);
    };
    let pid = match start(name, &[], Streams::Console) {
        Ok(pid) => pid,
        Err(errno) => return Outcome::SpawnFailed(errno),
    };
    let seconds = u32::try_from(TEST_TIMEOUT.as_secs()).unwrap_or(u32::MAX);
    if alarm(seconds).is_err() {
        return match reap_until(pid) {
            Ok(status) => Outcome::Ended(status),
            Err(errno) => Outcome::WaitFailed(errno),
        };
    }
    let outcome = loop {
        // Reaps orphans too (see `reap_until`).
        match wait_any() {
            Ok((reaped, status)) if reaped == pid => break Outcome::Ended(status),
            Ok(_orphan) => {}
            Err(Errno::EINTR) => {
                let elapsed = monotonic().map_or(TEST_TIMEOUT, |now| now - started);
                if elapsed < TEST_TIMEOUT {
                    continue;
                }
                // Kill and reap it, so the next test starts with a clean slate.
                if let Err(errno) = kill(pid, SIGKILL).and_then(|()| reap_until(pid)) {
                    break Outcome::WaitFailed(errno);
                }
                break Outcome::TimedOut(elapsed);
            }
            Err(errno) => break Outcome::WaitFailed(errno),
        }
    };
    let _ = alarm(0);
    outcome
}

/// The FAILED reason of a test protocol line.
struct Reason<'a>(&'a Outcome);

impl Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Outcome::Ended(status) => match status {
                WaitStatus::Exited(code) => write!(f, "exit status {code}"),
                other => Display::fmt(other, f),
            },
            Outcome::TimedOut(elapsed) => {
                write!(f, "timed out after {} s", elapsed.as_secs())
            }
            Outcome::SpawnFailed(errno) => write!(f, "spawn failed: {errno:?}"),
            Outcome::WaitFailed(errno) => write!(f, "wait failed: {errno:?}"),
        }
    }
}

/// `test NAME...`: the guest test protocol.
/// Room for the list of a `suite FILE` run.
const SUITE_LIST_BYTES: usize = 16 * 1024;

/// `suite FILE`: `test` mode over the names listed in FILE, one per line.
/// The kernel command line is short, so long suites are listed in a file.
fn suite_mode(list: &CStr) -> bool {
    let mut buffer = [0u8; SUITE_LIST_BYTES];
    let len = match read_list(list, &mut buffer) {
        Ok(len) => len,
        Err(errno) => {
            let shown = list.to_str().unwrap_or("<non-UTF-8 name>");
            eprintln!("init: cannot read the suite list {shown}: {errno:?}");
            return false;
        }
    };
    // Each line becomes a NUL-terminated name in place; `read_list` left
    // at least one zero byte after the text, which ends the last line.
    let names = &mut buffer[..=len];
    for byte in names.iter_mut() {
        if *byte == b'\n' {
            *byte = 0;
        }
    }
    let names: &[u8] = names;
    test_mode(
        names
            .split_inclusive(|&byte| byte == 0)
            .filter_map(|line| CStr::from_bytes_with_nul(line).ok())
            .filter(|name| !name.is_empty()),
    )
}

/// Reads the whole suite list; E2BIG if it does not fit (with a final NUL).
fn read_list(list: &CStr, buffer: &mut [u8]) -> Result<usize, Errno> {
    let fd = open(list, O_RDONLY, 0)?;
    let read = read_to_fill(fd, buffer);
    let _ = close(fd);
    let len = read?;
    if len >= buffer.len() {
        return Err(Errno::E2BIG);
    }
    Ok(len)
}

fn test_mode<'a>(names: impl Iterator<Item = &'a CStr>) -> bool {
    let (mut passed, mut failed) = (0_usize, 0_usize);
    touch_stack();
    let baseline = kstats();
    // The timeout's alarm must interrupt the wait, not end init.
    let timed = interrupt_on(SIGALRM).is_ok();
    for name in names {
        let shown = name.to_str().unwrap_or("<non-UTF-8 name>");
        let outcome = if timed {
            run_with_timeout(name)
        } else {
            run_to_end(name, &[])
        };
        if outcome.success() {
            passed += 1;
            println!("test {shown} ... ok");
        } else {
            failed += 1;
            println!("test {shown} ... FAILED: {}", Reason(&outcome));
        }
    }
    println!("guest: {passed} passed, {failed} failed");
    if passed + failed == 0 {
        eprintln!("init: test mode without test names");
        return false;
    }
    end_leftovers();
    let counters_back = counters_back(baseline);
    failed == 0 && counters_back
}

/// Kills whatever the tests left running (a failed test may leave
/// children; under allocation-failure injection many do) and reaps it, so
/// the counters compare what the kernel freed, not what still runs; says
/// how many there were.
fn end_leftovers() {
    let reaped = kill_leftovers();
    if reaped > 0 {
        println!("init: {reaped} processes the tests left were killed");
    }
}

/// Kills every process but init and reaps them all; how many there were.
fn kill_leftovers() -> usize {
    let _ = kill(Pid::from_raw(ALL_BUT_INIT), SIGKILL);
    let mut reaped = 0_usize;
    while wait_any().is_ok() {
        reaped += 1;
    }
    reaped
}

/// `kill`'s pid for every process but init and the caller.
const ALL_BUT_INIT: i32 = -1;

/// Stack init touches before taking the counters' baseline, more than it
/// ever uses: a page of init's own stack first touched during the suite
/// would otherwise look like a leaked frame.
const STACK_RESERVE_BYTES: usize = 64 * 1024;

#[inline(never)]
fn touch_stack() {
    let mut area = [0u8; STACK_RESERVE_BYTES];
    core::hint::black_box(&mut area);
}

/// The counters a finished test leaves as it found them.
fn leak_counters(stats: &KernelStats) -> (u64, u64, u64) {
    (
        stats.free_frames,
        stats.free_process_slots,
        stats.open_files,
    )
}

/// Whether the kernel's counters are as in `baseline` once every test has
/// ended (said on one line either way).
fn counters_back(baseline: Result<KernelStats, Errno>) -> bool {
    match (baseline, kstats()) {
        (Ok(before), Ok(now)) if leak_counters(&before) == leak_counters(&now) => {
            println!("init: kernel counters back to baseline");
            true
        }
        (Ok(before), Ok(now)) => {
            println!(
                "init: kernel counters off baseline: (free frames, free process slots, \
                 open files) {:?}, baseline {:?}",
                leak_counters(&now),
                leak_counters(&before)
            );
            false
        }
        (Err(errno), _) | (_, Err(errno)) => {
            println!("init: kernel counters off baseline: kstats failed: {errno:?}");
            false
        }
    }
}

/// `run PROG ARGS...` (and `demo`, on the console): runs one program with
/// `streams`, kills and reaps what it left running, and reports how it
/// ended on the last line.
fn run_mode(name: &CStr, args: &[&CStr], streams: Streams) -> bool {
    let shown = name.to_str().unwrap_or("<non-UTF-8 name>");
    let outcome = run_to_end_with(name, args, streams);
    kill_leftovers();
    match &outcome {
        Outcome::Ended(status) => println!("init: {shown} {status}"),
        Outcome::SpawnFailed(errno) => {
            println!("init: {shown} failed to start: {errno:?}")
        }
        Outcome::WaitFailed(errno) => {
            println!("init: {shown} could not be waited for: {errno:?}")
        }
        Outcome::TimedOut(_) => unreachable!("run mode has no timeout"),
    }
    outcome.success()
}

/// Room for the decoded arguments of `run`, NULs included.
const ARGUMENT_BYTES: usize = 16 * 1024;

/// Decodes the `%XX`-encoded words of `run` (see [`cmdline`]) into `arena`.
fn decode_arguments<'a, 'w>(
    words: impl Iterator<Item = &'w CStr>,
    arena: &'a mut [u8],
) -> Result<([&'a CStr; MAX_SPAWN_ARGS], usize), Errno> {
    // First pass: decode every word, each followed by its NUL.
    let mut used = 0;
    let mut count = 0;
    for word in words {
        if count == MAX_SPAWN_ARGS {
            return Err(Errno::E2BIG);
        }
        let out = arena.get_mut(used..).ok_or(Errno::E2BIG)?;
        let len = cmdline::decode_word(word.to_bytes(), out)?;
        *out.get_mut(len).ok_or(Errno::E2BIG)? = 0;
        used += len + 1;
        count += 1;
    }
    // Second pass: borrow the decoded strings.
    let mut args = [c""; MAX_SPAWN_ARGS];
    let mut rest: &'a [u8] = &arena[..used];
    for slot in args.iter_mut().take(count) {
        let arg = CStr::from_bytes_until_nul(rest).map_err(|_| Errno::EINVAL)?;
        rest = &rest[arg.to_bytes().len() + 1..];
        *slot = arg;
    }
    Ok((args, count))
}

fn usage() -> bool {
    eprintln!(
        "init: usage: init demo | init test NAME... | init suite FILE | init run PROG [ARG...]"
    );
    false
}

fn main(args: Args) -> i32 {
    let mut words = args.iter().skip(1);
    let success = match words.next().map(CStr::to_bytes) {
        Some(b"demo") => run_mode(c"demo", &[], Streams::Console),
        Some(b"test") => test_mode(words),
        Some(b"suite") => match words.next() {
            Some(list) => suite_mode(list),
            None => usage(),
        },
        Some(b"run") => match words.next() {
            Some(program) => {
                let mut arena = [0u8; ARGUMENT_BYTES];
                match decode_arguments(words, &mut arena) {
                    Ok((rest, count)) => run_mode(program, &rest[..count], Streams::Host),
                    Err(errno) => {
                        eprintln!("init: bad run arguments: {errno:?}");
                        false
                    }
                }
            }
            None => usage(),
        },
        _ => usage(),
    };
    power_off(success)
}

/// Ends the QEMU run; if the kernel refuses, says so and exits.
fn power_off(success: bool) -> i32 {
    let errno = poweroff(success);
    eprintln!("init: poweroff failed: {errno:?}");
    exit(POWEROFF_FAILED_STATUS)
}
