//! Clocks, `struct timespec`, `struct timeval` and the interval timers.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Clock ids for `clock_gettime` (Linux numbering).
pub mod clock {
    /// Wall-clock time.
    pub const CLOCK_REALTIME: i32 = 0;
    /// Time since boot, never set back.
    pub const CLOCK_MONOTONIC: i32 = 1;
    /// The calling process's processor time.
    pub const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    /// The calling thread's processor time (one thread per process: the
    /// process's).
    pub const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    /// Like CLOCK_MONOTONIC, without frequency correction.
    pub const CLOCK_MONOTONIC_RAW: i32 = 4;
    /// A faster, coarser CLOCK_REALTIME.
    pub const CLOCK_REALTIME_COARSE: i32 = 5;
    /// A faster, coarser CLOCK_MONOTONIC.
    pub const CLOCK_MONOTONIC_COARSE: i32 = 6;
    /// CLOCK_MONOTONIC including suspended time (there is no suspend).
    pub const CLOCK_BOOTTIME: i32 = 7;
    /// `clock_nanosleep` flag: the request is an absolute time on the
    /// clock, not a duration.
    pub const TIMER_ABSTIME: i32 = 1;
}

/// `struct timespec` as `clock_gettime` and `nanosleep` pass it (Linux
/// x86_64 layout).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Timespec {
    /// Whole seconds.
    pub tv_sec: i64,
    /// Nanoseconds, `0..NANOS_PER_SEC`.
    pub tv_nsec: i64,
}

/// Nanoseconds in one second: the exclusive bound of `Timespec::tv_nsec`.
pub const NANOS_PER_SEC: i64 = 1_000_000_000;

const _: () = assert!(core::mem::size_of::<Timespec>() == 16);

/// `struct timeval` (as `struct rusage` carries it).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Timeval {
    /// Whole seconds.
    pub tv_sec: i64,
    /// Microseconds, `0..1_000_000`.
    pub tv_usec: i64,
}

const _: () = assert!(core::mem::size_of::<Timeval>() == 16);

/// Microseconds in one second: the exclusive bound of `Timeval::tv_usec`.
pub const MICROS_PER_SEC: i64 = 1_000_000;

/// Interval timer ids for `getitimer`/`setitimer` (Linux numbering).
pub mod itimer {
    /// Real (monotonic) time; SIGALRM. The only one kernel-shim keeps.
    pub const ITIMER_REAL: i32 = 0;
    /// The process's user-mode time; SIGVTALRM. Refused (EINVAL).
    pub const ITIMER_VIRTUAL: i32 = 1;
    /// The process's user and system time; SIGPROF. Refused (EINVAL).
    pub const ITIMER_PROF: i32 = 2;
}

/// `struct itimerval` as `getitimer` and `setitimer` pass it.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Itimerval {
    /// The period the timer is reloaded with; zero for one-shot.
    pub it_interval: Timeval,
    /// Time until the timer fires; zero when disarmed.
    pub it_value: Timeval,
}

const _: () = assert!(core::mem::size_of::<Itimerval>() == 32);
