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

impl Timespec {
    /// `ns` nanoseconds as a `struct timespec`.
    pub const fn from_ns(ns: u64) -> Timespec {
        let per_second = NANOS_PER_SEC as u64;
        Timespec {
            tv_sec: (ns / per_second) as i64,
            tv_nsec: (ns % per_second) as i64,
        }
    }

    /// A caller's value in nanoseconds (saturating); `None` for a
    /// negative second count or nanoseconds outside `0..NANOS_PER_SEC`,
    /// which every call taking one refuses with EINVAL.
    pub fn to_ns(self) -> Option<u64> {
        if self.tv_sec < 0 || !(0..NANOS_PER_SEC).contains(&self.tv_nsec) {
            return None;
        }
        Some(
            (self.tv_sec as u64)
                .saturating_mul(NANOS_PER_SEC as u64)
                .saturating_add(self.tv_nsec as u64),
        )
    }
}

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

/// Nanoseconds in one microsecond.
const NANOS_PER_MICRO: u64 = 1_000;

impl Timeval {
    /// `ns` nanoseconds as a `struct timeval`, cut to the microsecond.
    pub const fn from_ns(ns: u64) -> Timeval {
        let micros = ns / NANOS_PER_MICRO;
        let per_second = MICROS_PER_SEC as u64;
        Timeval {
            tv_sec: (micros / per_second) as i64,
            tv_usec: (micros % per_second) as i64,
        }
    }

    /// A caller's value in nanoseconds (saturating); `None` for a
    /// negative second count or microseconds outside `0..MICROS_PER_SEC`.
    pub fn to_ns(self) -> Option<u64> {
        if self.tv_sec < 0 || !(0..MICROS_PER_SEC).contains(&self.tv_usec) {
            return None;
        }
        Some(
            (self.tv_sec as u64)
                .saturating_mul(NANOS_PER_SEC as u64)
                .saturating_add(self.tv_usec as u64 * NANOS_PER_MICRO),
        )
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timespec_round_trips_through_nanoseconds() {
        let value = Timespec::from_ns(3 * NANOS_PER_SEC as u64 + 7);
        assert_eq!((value.tv_sec, value.tv_nsec), (3, 7));
        assert_eq!(value.to_ns(), Some(3 * NANOS_PER_SEC as u64 + 7));
    }

    #[test]
    fn a_timespec_out_of_range_has_no_nanoseconds() {
        let negative = Timespec {
            tv_sec: -1,
            tv_nsec: 0,
        };
        let too_many = Timespec {
            tv_sec: 0,
            tv_nsec: NANOS_PER_SEC,
        };
        assert_eq!(negative.to_ns(), None);
        assert_eq!(too_many.to_ns(), None);
        let huge = Timespec {
            tv_sec: i64::MAX,
            tv_nsec: 0,
        };
        assert_eq!(huge.to_ns(), Some(u64::MAX));
    }

    #[test]
    fn a_timeval_keeps_whole_microseconds() {
        let value = Timeval::from_ns(2 * NANOS_PER_SEC as u64 + 1_999);
        assert_eq!((value.tv_sec, value.tv_usec), (2, 1));
        assert_eq!(value.to_ns(), Some(2 * NANOS_PER_SEC as u64 + 1_000));
        let too_many = Timeval {
            tv_sec: 0,
            tv_usec: MICROS_PER_SEC,
        };
        assert_eq!(too_many.to_ns(), None);
        assert_eq!(
            Timeval {
                tv_sec: -1,
                tv_usec: 0
            }
            .to_ns(),
            None
        );
    }
}
