//! Processes: spawning, waiting, signalling, and decoding wait statuses.
//!
//! [`spawn`] is the project's `posix_spawn` system call with default
//! attributes and no file actions; [`wait`] and [`try_wait`] are `wait4`;
//! [`WaitStatus`] decodes the Linux status word.

use core::ffi::{c_char, CStr};
use core::fmt;
use core::ptr;

use libspawn::command::Spawner;
use libspawn::{ActionList, Errno, Result, SpawnAttr};
use shim_abi::{signal, spawn_request, wait as status, SpawnRequest, Sysno};

use crate::arch::{syscall0, syscall2, syscall4};
use crate::sys::check;

/// Most arguments (or environment entries) [`spawn`] passes; more is E2BIG.
/// The pointer arrays the kernel reads are built on the caller's stack.
pub const MAX_SPAWN_ARGS: usize = 64;

/// The `pid` argument of wait4 that means "any child".
const ANY_CHILD: i32 = -1;
/// wait4 options for a blocking wait.
const BLOCK: i32 = 0;

/// A process id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pid(i32);

impl Pid {
    /// Wraps a raw process id.
    pub const fn from_raw(raw: i32) -> Pid {
        Pid(raw)
    }

    /// The raw number.
    pub const fn raw(self) -> i32 {
        self.0
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// The caller's process id.
pub fn getpid() -> Pid {
    // SAFETY: getpid takes no arguments.
    Pid(unsafe { syscall0(Sysno::Getpid) } as i32)
}

/// The caller's parent's process id.
pub fn getppid() -> Pid {
    // SAFETY: getppid takes no arguments.
    Pid(unsafe { syscall0(Sysno::Getppid) } as i32)
}

/// How a child ended, decoded from a Linux wait status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitStatus {
    /// The child called exit with this status (0..=255).
    Exited(i32),
    /// The child was killed by this signal.
    Signaled(i32),
    /// A status word this runtime does not decode (stopped or continued
    /// children, which only appear with options the runtime never passes).
    Other(i32),
}

impl WaitStatus {
    /// Decodes a raw status word as `wait4` stores it.
    pub const fn from_raw(raw: i32) -> WaitStatus {
        let signal = raw & status::SIGNAL_MASK;
        let beyond_signal = raw & !(status::SIGNAL_MASK | status::CORE_DUMP_FLAG);
        if signal == 0 {
            WaitStatus::Exited((raw >> status::EXIT_CODE_SHIFT) & status::EXIT_CODE_MASK)
        } else if signal != status::STOPPED_MARK && beyond_signal == 0 {
            // Killed; the core-dump flag, if set, does not matter here.
            WaitStatus::Signaled(signal)
        } else {
            WaitStatus::Other(raw)
        }
    }

    /// True when the child exited with status 0.
    pub const fn success(self) -> bool {
        matches!(self, WaitStatus::Exited(0))
    }
}

impl fmt::Display for WaitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WaitStatus::Exited(code) => write!(f, "exited with status {code}"),
            WaitStatus::Signaled(number) => match signal_name(number) {
                Some(name) => write!(f, "killed by signal {number} ({name})"),
                None => write!(f, "killed by signal {number}"),
            },
            WaitStatus::Other(raw) => {
                write!(f, "undecoded wait status {raw:#x}")
            }
        }
    }
}

/// The name of a signal this stage knows (`"SIGSEGV"`), if any.
pub const fn signal_name(number: i32) -> Option<&'static str> {
    match number {
        signal::SIGILL => Some("SIGILL"),
        signal::SIGFPE => Some("SIGFPE"),
        signal::SIGKILL => Some("SIGKILL"),
        signal::SIGSEGV => Some("SIGSEGV"),
        signal::SIGTERM => Some("SIGTERM"),
        _ => None,
    }
}

/// A NULL-terminated array of C string pointers, built on the stack.
struct PointerArray {
    pointers: [*const c_char; MAX_SPAWN_ARGS + 1],
}

impl PointerArray {
    /// Collects `strings`, or E2BIG when there are more than
    /// [`MAX_SPAWN_ARGS`].
    fn new(strings: &[&CStr]) -> Result<PointerArray> {
        if strings.len() > MAX_SPAWN_ARGS {
            return Err(Errno::E2BIG);
        }
        let mut pointers = [ptr::null(); MAX_SPAWN_ARGS + 1];
        for (slot, string) in pointers.iter_mut().zip(strings) {
            *slot = string.as_ptr();
        }
        Ok(PointerArray { pointers })
    }

    fn address(&self) -> u64 {
        self.pointers.as_ptr() as u64
    }
}

/// Starts `path` as a new child process with `argv` and `envp` (argv[0]
/// included: pass the path or a name) and returns its pid.
///
/// # Errors
///
/// E2BIG for more than [`MAX_SPAWN_ARGS`] arguments or environment
/// entries; otherwise whatever the kernel reports, for example ENOENT for a
/// missing file, ENOEXEC for a file that is not a valid image, EAGAIN for a
/// full process table.
pub fn spawn(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Result<Pid> {
    let argv = PointerArray::new(argv)?;
    let envp = PointerArray::new(envp)?;
    let request = SpawnRequest {
        path: path.as_ptr() as u64,
        argv: argv.address(),
        envp: envp.address(),
        ..SpawnRequest::default()
    };
    // SAFETY: the request and everything it points to (the path, the two
    // NULL-terminated pointer arrays and the strings they name) live on
    // this frame or in the caller's borrows until the call returns.
    unsafe { spawn_raw(&raw const request) }
}

/// `posix_spawn` with attributes and file actions: starts `path` with
/// `argv` and `envp` (`None`: this process's own environment) after the
/// kernel has applied `attr` (if any) and `actions` in the child.
///
/// # Errors
///
/// E2BIG for more than [`MAX_SPAWN_ARGS`] arguments or environment
/// entries; otherwise whatever the kernel reports: the errors of the
/// attributes and actions (EPERM, EBADF, ENOENT, ...) and of loading the
/// image.
pub fn spawn_with(
    path: &CStr,
    argv: &[&CStr],
    envp: Option<&[&CStr]>,
    attr: Option<&SpawnAttr>,
    actions: ActionList<'_>,
) -> Result<Pid> {
    let argv = PointerArray::new(argv)?;
    let own_env;
    let envp = match envp {
        Some(envp) => {
            own_env = PointerArray::new(envp)?;
            own_env.address()
        }
        None => crate::start::environ() as u64,
    };
    let request = spawn_request(
        path.as_ptr() as u64,
        argv.address(),
        envp,
        attr,
        Some(actions),
        0,
    );
    // SAFETY: the request and everything it points to (path, pointer
    // arrays, strings, the attribute block and the action arrays) live in
    // this frame or the caller's borrows until the call returns.
    unsafe { spawn_raw(&raw const request) }
}

/// Spawns through the kernel for libspawn's [`Command`] builder:
/// `Command::new(path).setsid(true).spawn(&mut KernelSpawner)`.
///
/// [`Command`]: libspawn::command::Command
#[derive(Clone, Copy, Debug, Default)]
pub struct KernelSpawner;

impl Spawner for KernelSpawner {
    fn spawn(
        &mut self,
        path: &CStr,
        argv: &[&CStr],
        envp: Option<&[&CStr]>,
        attr: &SpawnAttr,
        actions: ActionList<'_>,
    ) -> Result<i32> {
        spawn_with(path, argv, envp, Some(attr), actions).map(|pid| pid.0)
    }
}

/// The `SHIM_SPAWN` call on a request the caller built.
///
/// # Safety
///
/// 1. `request` and every pointer inside it must be valid for the kernel's
///    reads, or be deliberately invalid to test that the kernel rejects
///    them with EFAULT.
pub unsafe fn spawn_raw(request: *const SpawnRequest) -> Result<Pid> {
    let mut pid: i32 = 0;
    // SAFETY: `pid` is a live, writable i32; the caller vouches for
    // `request`.
    check(unsafe { syscall2(Sysno::ShimSpawn, &raw mut pid as usize, request as usize) })?;
    Ok(Pid(pid))
}

/// `wait4(pid, &status, options, NULL)`: `Ok(None)` when WNOHANG found no
/// finished child.
fn wait4(pid: i32, options: i32) -> Result<Option<(Pid, WaitStatus)>> {
    let mut raw_status: i32 = 0;
    // SAFETY: `raw_status` is a live, writable i32; the rusage pointer is
    // null, meaning "not wanted".
    let child = check(unsafe {
        syscall4(
            Sysno::Wait4,
            pid as usize,
            &raw mut raw_status as usize,
            options as usize,
            ptr::null_mut::<u8>() as usize,
        )
    })?;
    Ok(match child {
        0 => None,
        child => Some((Pid(child as i32), WaitStatus::from_raw(raw_status))),
    })
}

/// Reaps any child that has ended, without blocking: `Ok(None)` when
/// children exist but none has ended.
///
/// # Errors
///
/// ECHILD when the caller has no children.
pub fn try_wait_any() -> Result<Option<(Pid, WaitStatus)>> {
    wait4(ANY_CHILD, status::WNOHANG)
}

/// Waits for the child `pid` to end and reaps it.
///
/// # Errors
///
/// ECHILD when `pid` is not a child of the caller.
pub fn wait(pid: Pid) -> Result<WaitStatus> {
    match wait4(pid.0, BLOCK)? {
        Some((_, status)) => Ok(status),
        // Without WNOHANG the kernel must not report "nothing yet".
        None => Err(Errno::EIO),
    }
}

/// Waits for any child to end and reaps it.
///
/// # Errors
///
/// ECHILD when the caller has no children.
pub fn wait_any() -> Result<(Pid, WaitStatus)> {
    wait4(ANY_CHILD, BLOCK)?.ok_or(Errno::EIO)
}

/// Reaps the child `pid` if it has ended; `Ok(None)` if it still runs.
///
/// # Errors
///
/// ECHILD when `pid` is not a child of the caller.
pub fn try_wait(pid: Pid) -> Result<Option<WaitStatus>> {
    Ok(wait4(pid.0, status::WNOHANG)?.map(|(_, status)| status))
}

/// Sends `signal` to `pid`.
///
/// # Errors
///
/// ESRCH when there is no such process, EINVAL for an unknown signal.
pub fn kill(pid: Pid, signal: i32) -> Result<()> {
    // SAFETY: kill takes no pointers.
    check(unsafe { syscall2(Sysno::Kill, pid.0 as usize, signal as usize) }).map(drop)
}
