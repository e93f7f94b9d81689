//! Sleeping on a clock: `clock_nanosleep`'s (and `nanosleep`'s) rules,
//! clock_nanosleep(2).
//!
//! A sleep is a deadline on the monotonic clock, the one the scheduler
//! wakes sleepers by. CLOCK_MONOTONIC and CLOCK_BOOTTIME (no suspend here)
//! are that clock; CLOCK_REALTIME is it plus a fixed offset (the wall
//! clock read at boot: nothing sets the time afterwards), so an absolute
//! realtime deadline is the same instant on the monotonic clock. A
//! relative request counts from now whatever the clock. A deadline
//! already passed ends the sleep at once.
//!
//! Clocks, as Linux: CLOCK_THREAD_CPUTIME_ID and unknown ids are EINVAL;
//! the clocks Linux cannot sleep on (CLOCK_MONOTONIC_RAW and the coarse
//! clocks) are ENOTSUP, and so is CLOCK_PROCESS_CPUTIME_ID, which Linux
//! supports but this kernel does not (it would need a deadline on the
//! process's processor time). `flags` is TIMER_ABSTIME or not; Linux looks
//! at no other bit, and neither does this.

use libspawn::{Errno, Result};
use shim_abi::clock::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, TIMER_ABSTIME,
};
use shim_abi::Timespec;

/// The two clocks' readings at one instant, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clocks {
    /// CLOCK_MONOTONIC.
    pub monotonic_ns: u64,
    /// CLOCK_REALTIME (the monotonic clock plus the boot-time offset).
    pub realtime_ns: u64,
}

/// A sleep to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sleep {
    /// When it ends, on the monotonic clock.
    pub until_ns: u64,
    /// Whether the request was a duration (then an interrupted sleep
    /// reports the time left); false for TIMER_ABSTIME.
    pub relative: bool,
}

/// Whether `clock` is the wall clock (false: the monotonic one). EINVAL or
/// ENOTSUP for a clock no sleep can use (see the module documentation).
fn sleep_clock_is_realtime(clock: i32) -> Result<bool> {
    match clock {
        CLOCK_REALTIME => Ok(true),
        CLOCK_MONOTONIC | CLOCK_BOOTTIME => Ok(false),
        CLOCK_PROCESS_CPUTIME_ID
        | CLOCK_MONOTONIC_RAW
        | CLOCK_REALTIME_COARSE
        | CLOCK_MONOTONIC_COARSE => Err(Errno::ENOTSUP),
        _ => Err(Errno::EINVAL),
    }
}

/// `clock_nanosleep(clock, flags, request, ..)` at the instant `now`: the
/// sleep to do. Errors as the module says, and EINVAL for a bad
/// `request` ([`Timespec::to_ns`]); the clock is checked first.
pub fn plan(clock: i32, flags: i32, request: Timespec, now: Clocks) -> Result<Sleep> {
    let realtime = sleep_clock_is_realtime(clock)?;
    let ns = request.to_ns().ok_or(Errno::EINVAL)?;
    if flags & TIMER_ABSTIME == 0 {
        return Ok(Sleep {
            until_ns: now.monotonic_ns.saturating_add(ns),
            relative: true,
        });
    }
    let now_on_clock = if realtime {
        now.realtime_ns
    } else {
        now.monotonic_ns
    };
    Ok(Sleep {
        until_ns: now
            .monotonic_ns
            .saturating_add(ns.saturating_sub(now_on_clock)),
        relative: false,
    })
}

/// What an interrupted relative sleep ending at `until_ns` reports as left
/// at monotonic time `now_ns` (`rem`): never negative.
pub fn remaining(until_ns: u64, now_ns: u64) -> Timespec {
    Timespec::from_ns(until_ns.saturating_sub(now_ns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim_abi::clock::CLOCK_THREAD_CPUTIME_ID;
    use shim_abi::NANOS_PER_SEC;

    const NOW: Clocks = Clocks {
        monotonic_ns: 5_000_000_000,
        realtime_ns: 1_700_000_000_000_000_000,
    };

    fn ts(tv_sec: i64, tv_nsec: i64) -> Timespec {
        Timespec { tv_sec, tv_nsec }
    }

    #[test]
    fn a_relative_sleep_ends_that_long_after_now_on_every_clock() {
        for clock in [CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME] {
            let sleep = plan(clock, 0, ts(1, 500), NOW).unwrap();
            assert_eq!(sleep.until_ns, NOW.monotonic_ns + 1_000_000_500);
            assert!(sleep.relative);
        }
    }

    #[test]
    fn an_absolute_monotonic_deadline_is_used_as_is() {
        let sleep = plan(CLOCK_MONOTONIC, TIMER_ABSTIME, ts(7, 0), NOW).unwrap();
        assert_eq!(sleep.until_ns, 7_000_000_000);
        assert!(!sleep.relative);
    }

    #[test]
    fn an_absolute_realtime_deadline_becomes_the_same_instant_on_the_monotonic_clock() {
        let deadline = ts(1_700_000_002, 0);
        let sleep = plan(CLOCK_REALTIME, TIMER_ABSTIME, deadline, NOW).unwrap();
        assert_eq!(sleep.until_ns, NOW.monotonic_ns + 2_000_000_000);
    }

    #[test]
    fn an_absolute_deadline_in_the_past_ends_at_once() {
        let sleep = plan(CLOCK_REALTIME, TIMER_ABSTIME, ts(1, 0), NOW).unwrap();
        assert_eq!(sleep.until_ns, NOW.monotonic_ns);
        let sleep = plan(CLOCK_MONOTONIC, TIMER_ABSTIME, ts(0, 0), NOW).unwrap();
        assert_eq!(sleep.until_ns, NOW.monotonic_ns);
    }

    #[test]
    fn unknown_and_thread_clocks_are_einval_unsleepable_ones_enotsup() {
        for clock in [CLOCK_THREAD_CPUTIME_ID, 8, 100, -1] {
            assert_eq!(plan(clock, 0, ts(0, 1), NOW), Err(Errno::EINVAL));
        }
        for clock in [
            CLOCK_PROCESS_CPUTIME_ID,
            CLOCK_MONOTONIC_RAW,
            CLOCK_REALTIME_COARSE,
            CLOCK_MONOTONIC_COARSE,
        ] {
            assert_eq!(plan(clock, 0, ts(0, 1), NOW), Err(Errno::ENOTSUP));
        }
    }

    #[test]
    fn bad_requests_are_einval() {
        for request in [ts(-1, 0), ts(0, -1), ts(0, NANOS_PER_SEC)] {
            assert_eq!(plan(CLOCK_MONOTONIC, 0, request, NOW), Err(Errno::EINVAL));
            assert_eq!(
                plan(CLOCK_REALTIME, TIMER_ABSTIME, request, NOW),
                Err(Errno::EINVAL)
            );
        }
    }

    #[test]
    fn flag_bits_other_than_timer_abstime_are_ignored() {
        let sleep = plan(CLOCK_MONOTONIC, 0x100, ts(1, 0), NOW).unwrap();
        assert!(sleep.relative);
    }

    #[test]
    fn the_time_left_is_never_negative() {
        assert_eq!(remaining(3_000_000_001, 1_000_000_000), ts(2, 1));
        assert_eq!(remaining(5, 9), ts(0, 0));
    }

    #[test]
    fn huge_requests_saturate() {
        let sleep = plan(CLOCK_MONOTONIC, 0, ts(i64::MAX, 999_999_999), NOW).unwrap();
        assert_eq!(sleep.until_ns, u64::MAX);
    }
}
