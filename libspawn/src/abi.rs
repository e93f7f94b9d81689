//! The numbers and layouts of `posix_spawn` itself, defined once: limits,
//! object sizes, flags, scheduling policies, open flags, action records and
//! the raw attribute block.
//!
//! Only what `posix_spawn` and its executor need is here; an OS's own ABI
//! (system-call numbers, its structures, memory layout) belongs to that OS.
//! kernel-shim's is the `shim-abi` crate (`abi/`), which re-exports these
//! definitions where the kernel shares them.
//!
//! Everything here is a plain integer, a constant or a `#[repr(C)]` struct of
//! integers, so any bit pattern is a valid value: a kernel may copy these
//! structures from user memory byte for byte and validate them afterwards.
//! The structs derive the `zerocopy` crate's `FromBytes`, `IntoBytes`,
//! `Immutable` and `KnownLayout`, which prove that at compile time (no
//! padding, any bytes valid), so a kernel copies them with zerocopy's safe
//! calls instead of an `unsafe impl` of its own.
//! Numbers follow Linux x86_64 wherever Linux has the same concept.
#![forbid(unsafe_code)]

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Size of a process's descriptor table: descriptors are `0..OPEN_MAX`.
/// `addopen`, `adddup2`, `addclose` and `addfchdir` reject a descriptor
/// `>= OPEN_MAX` with EBADF (`addclosefrom_np` takes any bound >= 0).
pub const OPEN_MAX: i32 = 1024;

/// Longest path, counting its terminating NUL. A path of `PATH_MAX` bytes or
/// more (not counting the NUL) is ENAMETOOLONG.
pub const PATH_MAX: usize = 4096;

/// Number of signals: signals are numbered `1..=NSIG`.
pub const NSIG: i32 = 64;

/// Default action capacity of the C `posix_spawn_file_actions_t`.
pub const DEFAULT_MAX_ACTIONS: usize = 64;

/// Default path-storage capacity, in bytes, of the C
/// `posix_spawn_file_actions_t` (paths are stored without their NUL).
pub const DEFAULT_PATH_BYTES: usize = 16 * 1024;

/// Size in bytes of the opaque C `posix_spawnattr_t` (`spawn.h`). It holds
/// the whole attribute object plus room to grow without an ABI break.
pub const SPAWNATTR_SIZE: usize = 64;

/// Alignment in bytes of the opaque C `posix_spawnattr_t`.
pub const SPAWNATTR_ALIGN: usize = 8;

/// Size in bytes of the opaque C `posix_spawn_file_actions_t` (`spawn.h`).
/// It holds [`DEFAULT_MAX_ACTIONS`] actions and [`DEFAULT_PATH_BYTES`] bytes
/// of paths in place, with no heap.
pub const FILE_ACTIONS_SIZE: usize = 18 * 1024;

/// Alignment in bytes of the opaque C `posix_spawn_file_actions_t`.
pub const FILE_ACTIONS_ALIGN: usize = 8;

/// `posix_spawnattr_t` flag values (Linux/musl numbering).
pub mod flags {
    /// Child's effective ids become the parent's real ids.
    pub const POSIX_SPAWN_RESETIDS: u32 = 0x01;
    /// Child's process group is set from the spawn-pgroup attribute.
    pub const POSIX_SPAWN_SETPGROUP: u32 = 0x02;
    /// Signals in spawn-sigdefault are reset to SIG_DFL.
    pub const POSIX_SPAWN_SETSIGDEF: u32 = 0x04;
    /// Child's signal mask is set from spawn-sigmask.
    pub const POSIX_SPAWN_SETSIGMASK: u32 = 0x08;
    /// Child's scheduling priority is set from spawn-schedparam.
    pub const POSIX_SPAWN_SETSCHEDPARAM: u32 = 0x10;
    /// Child's policy and priority are set from the attribute.
    pub const POSIX_SPAWN_SETSCHEDULER: u32 = 0x20;
    /// Accepted and ignored, as glibc and musl do.
    pub const POSIX_SPAWN_USEVFORK: u32 = 0x40;
    /// Child becomes a session leader (POSIX.1-2024).
    pub const POSIX_SPAWN_SETSID: u32 = 0x80;
    /// Extension: `posix_spawn` returns as soon as the child exists, without
    /// waiting for its image to load; a failure after that point is seen
    /// only as the child's exit status 127 (the SerenityOS behaviour).
    /// 0x100 is left free because glibc uses it for SETCGROUP.
    pub const POSIX_SPAWN_NOWAIT_NP: u32 = 0x200;
}

/// Scheduling policies (Linux numbering).
pub mod sched {
    /// The default time-sharing policy (priority 0 only).
    pub const SCHED_OTHER: i32 = 0;
    /// First-in, first-out real-time policy (priorities 1..=99).
    pub const SCHED_FIFO: i32 = 1;
    /// Round-robin real-time policy (priorities 1..=99).
    pub const SCHED_RR: i32 = 2;
    /// Lowest real-time priority.
    pub const REALTIME_PRIORITY_MIN: i32 = 1;
    /// Highest real-time priority.
    pub const REALTIME_PRIORITY_MAX: i32 = 99;
}

/// `open` flags, as `addopen` records carry them, and the descriptor flag
/// `FD_CLOEXEC` (Linux x86_64 numbering).
pub mod fcntl {
    /// Open for reading only.
    pub const O_RDONLY: i32 = 0o0;
    /// Open for writing only.
    pub const O_WRONLY: i32 = 0o1;
    /// Open for reading and writing.
    pub const O_RDWR: i32 = 0o2;
    /// Mask of the access-mode bits.
    pub const O_ACCMODE: i32 = 0o3;
    /// Create the file if it does not exist.
    pub const O_CREAT: i32 = 0o100;
    /// With O_CREAT: fail with EEXIST if the file exists.
    pub const O_EXCL: i32 = 0o200;
    /// Do not make the file the controlling terminal.
    pub const O_NOCTTY: i32 = 0o400;
    /// Truncate a regular file to length 0.
    pub const O_TRUNC: i32 = 0o1000;
    /// Every write appends.
    pub const O_APPEND: i32 = 0o2000;
    /// Non-blocking I/O.
    pub const O_NONBLOCK: i32 = 0o4000;
    /// Fail with ENOTDIR unless the path is a directory.
    pub const O_DIRECTORY: i32 = 0o200000;
    /// Do not follow a final symbolic link.
    pub const O_NOFOLLOW: i32 = 0o400000;
    /// Set FD_CLOEXEC on the new descriptor.
    pub const O_CLOEXEC: i32 = 0o2000000;
    /// The close-on-exec descriptor flag.
    pub const FD_CLOEXEC: i32 = 1;
}

/// The kind of a file action record.
pub mod action_kind {
    /// `addopen(fd, path, oflag, mode)`.
    pub const OPEN: u32 = 1;
    /// `addclose(fd)`.
    pub const CLOSE: u32 = 2;
    /// `adddup2(fd, arg)`.
    pub const DUP2: u32 = 3;
    /// `addchdir(path)`.
    pub const CHDIR: u32 = 4;
    /// `addfchdir(fd)`.
    pub const FCHDIR: u32 = 5;
    /// `addclosefrom_np(fd)`.
    pub const CLOSEFROM: u32 = 6;
}

/// One file action as stored in a `FileActions` object and as passed to the
/// kernel. Paths live in the object's separate path storage and are named by
/// offset and length (no NUL).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct ActionRecord {
    /// One of the [`action_kind`] values.
    pub kind: u32,
    /// The descriptor the action acts on (OPEN target, CLOSE, DUP2 source,
    /// FCHDIR, CLOSEFROM low bound).
    pub fd: i32,
    /// DUP2: the target descriptor. Otherwise 0.
    pub arg: i32,
    /// OPEN: the `oflag` argument. Otherwise 0.
    pub oflag: i32,
    /// OPEN: the `mode` argument. Otherwise 0.
    pub mode: u32,
    /// OPEN and CHDIR: offset of the path in the path storage.
    pub path_offset: u32,
    /// OPEN and CHDIR: length of the path in bytes, without NUL.
    pub path_len: u32,
}

/// The attribute object as stored in `posix_spawnattr_t` and passed to the
/// kernel.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct RawAttr {
    /// `POSIX_SPAWN_*` flags (see [`flags`]).
    pub flags: u32,
    /// spawn-pgroup (>= 0).
    pub pgroup: i32,
    /// spawn-sigmask: bit `n - 1` is signal `n`.
    pub sigmask: u64,
    /// spawn-sigdefault: bit `n - 1` is signal `n`.
    pub sigdefault: u64,
    /// spawn-schedpolicy (see [`sched`]).
    pub schedpolicy: i32,
    /// spawn-schedparam's `sched_priority`.
    pub schedpriority: i32,
}

/// Exit status a spawned child reports when the spawn fails after the child
/// exists (POSIX: "the child process shall exit with exit status 127").
pub const SPAWN_FAILURE_STATUS: i32 = 127;

const _: () = assert!(core::mem::size_of::<ActionRecord>() == 28);
const _: () = assert!(core::mem::size_of::<RawAttr>() == 32);

/// The signals no process can catch, ignore or block (Linux x86_64
/// numbering): the executor and its model treat them specially.
pub mod signal {
    /// Kill, cannot be caught or ignored.
    pub const SIGKILL: i32 = 9;
    /// Stop, cannot be caught, ignored or blocked.
    pub const SIGSTOP: i32 = 19;
}
