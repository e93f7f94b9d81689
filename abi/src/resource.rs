//! Resource limits and usage: `struct rlimit` and its resources
//! (`getrlimit`, `setrlimit`, `prlimit64`), `struct rusage` and `struct
//! tms` (Linux x86_64 numbers and layouts).

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

use crate::Timeval;

/// Resource numbers of `getrlimit`, `setrlimit` and `prlimit64`.
pub mod rlimit {
    /// Processor time, seconds.
    pub const RLIMIT_CPU: u32 = 0;
    /// Largest file the process may create, bytes.
    pub const RLIMIT_FSIZE: u32 = 1;
    /// Data segment, bytes.
    pub const RLIMIT_DATA: u32 = 2;
    /// Stack, bytes.
    pub const RLIMIT_STACK: u32 = 3;
    /// Core file, bytes.
    pub const RLIMIT_CORE: u32 = 4;
    /// Resident set, bytes.
    pub const RLIMIT_RSS: u32 = 5;
    /// Processes of the real user.
    pub const RLIMIT_NPROC: u32 = 6;
    /// One more than the highest descriptor number the process may open.
    pub const RLIMIT_NOFILE: u32 = 7;
    /// Locked memory, bytes.
    pub const RLIMIT_MEMLOCK: u32 = 8;
    /// Address space, bytes.
    pub const RLIMIT_AS: u32 = 9;
    /// File locks.
    pub const RLIMIT_LOCKS: u32 = 10;
    /// Queued signals.
    pub const RLIMIT_SIGPENDING: u32 = 11;
    /// POSIX message queue bytes.
    pub const RLIMIT_MSGQUEUE: u32 = 12;
    /// Ceiling of the nice value (`20 - limit`).
    pub const RLIMIT_NICE: u32 = 13;
    /// Ceiling of the real-time priority.
    pub const RLIMIT_RTPRIO: u32 = 14;
    /// Real-time CPU time without a blocking call, microseconds.
    pub const RLIMIT_RTTIME: u32 = 15;
    /// Number of resources: one past the last.
    pub const RLIM_NLIMITS: u32 = 16;
    /// No limit.
    pub const RLIM_INFINITY: u64 = u64::MAX;
}

/// `struct rlimit` (and `struct rlimit64`: the same on x86_64).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Rlimit {
    /// The soft limit, what the kernel enforces.
    pub cur: u64,
    /// The hard limit, the ceiling of the soft one.
    pub max: u64,
}

/// `getpriority`/`setpriority`: whose nice value (`which`), and its range.
pub mod priority {
    /// `who` is a process id (0: the caller).
    pub const PRIO_PROCESS: i32 = 0;
    /// `who` is a process group id (0: the caller's group).
    pub const PRIO_PGRP: i32 = 1;
    /// `who` is a real user id (0: the caller's real uid).
    pub const PRIO_USER: i32 = 2;
    /// The most favourable nice value.
    pub const NICE_MIN: i32 = -20;
    /// The least favourable nice value.
    pub const NICE_MAX: i32 = 19;
    /// The raw `getpriority` call returns `NICE_BIAS - nice` (1..=40), so
    /// that no success looks like an error; the C library converts.
    pub const NICE_BIAS: i32 = 20;
}

/// `who` of `getrusage`.
pub mod rusage {
    /// The calling process.
    pub const RUSAGE_SELF: i32 = 0;
    /// Its terminated and waited-for children (and theirs).
    pub const RUSAGE_CHILDREN: i32 = -1;
    /// The calling thread (one thread per process: the process).
    pub const RUSAGE_THREAD: i32 = 1;
}

/// `struct rusage`: the CPU times and fourteen counters this kernel
/// does not keep (zero).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Rusage {
    /// User CPU time.
    pub utime: Timeval,
    /// System CPU time.
    pub stime: Timeval,
    /// `ru_maxrss` .. `ru_nivcsw`, zero here.
    pub counters: [i64; 14],
}

/// `struct tms` of `times`, in clock ticks ([`CLOCK_TICKS_PER_SECOND`]).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Tms {
    /// User CPU time of the caller.
    pub utime: i64,
    /// System CPU time of the caller.
    pub stime: i64,
    /// User CPU time of its waited-for children.
    pub cutime: i64,
    /// System CPU time of its waited-for children.
    pub cstime: i64,
}

/// `sysconf(_SC_CLK_TCK)` on Linux: the unit of `times` (USER_HZ).
pub const CLOCK_TICKS_PER_SECOND: u64 = 100;

const _: () = assert!(core::mem::size_of::<Rlimit>() == 16);
const _: () = assert!(core::mem::size_of::<Rusage>() == 144);
const _: () = assert!(core::mem::size_of::<Tms>() == 32);
