//! Time system calls: clock_gettime, clock_getres, nanosleep,
//! clock_nanosleep, alarm, getitimer, setitimer, times.
//!
//! `alarm`'s rules (one pending alarm per process, a deadline on the monotonic
//! clock, fired by the scheduler within a tick) are
//! [`shim_core::System::alarm`]'s; ITIMER_REAL is the same timer with a
//! period ([`shim_core::System::set_real_timer`]).
#![forbid(unsafe_code)]

use crate::arch::time;
use crate::mm::usercopy;
use crate::sys::process::{self, Block};
use crate::sys::scheduling;
use libspawn::Errno;
use shim_abi::clock::{
    CLOCK_BOOTTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC_RAW,
    CLOCK_PROCESS_CPUTIME_ID, CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_THREAD_CPUTIME_ID,
};
use shim_abi::itimer::ITIMER_REAL;
use shim_abi::{Itimerval, Timespec, Timeval, Tms, CLOCK_TICKS_PER_SECOND};
use shim_core::sleep;
use shim_core::system::RealTimer;

/// `alarm(seconds)`: replaces the caller's alarm (0 cancels it); returns
/// the seconds the previous one had left, or 0.
pub fn alarm(seconds: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let mut table = process::table();
    let (machine, system) = table.current_and_system();
    system.alarm(machine.pid, seconds, now)
}

/// Nanoseconds in a microsecond: `getitimer` rounds up to it.
const NANOS_PER_MICRO: u64 = 1_000;

/// `getitimer(which, value)` (getitimer(2)): writes the caller's
/// ITIMER_REAL, its time left rounded up to the microsecond (never zero
/// while armed) and its period.
///
/// # Errors
///
/// `EINVAL` for any `which` but ITIMER_REAL (ITIMER_VIRTUAL and
/// ITIMER_PROF are not kept); `EFAULT` for a bad `value`.
pub fn getitimer(which: u64, out: u64) -> Result<u64, Errno> {
    real_timer_only(which)?;
    let now = time::now_ns();
    let mut table = process::table();
    let caller = table.caller()?;
    let current = caller.system.real_timer(caller.pid, now)?;
    usercopy::write_value(caller.space, out, &itimerval_from(current))?;
    Ok(0)
}

/// `setitimer(which, new, old)` (setitimer(2)): arms the caller's
/// ITIMER_REAL to post SIGALRM after `new.it_value` and then every
/// `new.it_interval` (a zero `it_value` disarms it; a null `new` counts as
/// zero, as on Linux); writes the previous setting to `old` unless it is
/// null. `alarm` sets the same timer.
///
/// # Errors
///
/// `EINVAL` for any `which` but ITIMER_REAL, or a negative second count or
/// microseconds outside 0..1e6; `EFAULT` for a bad `new` or `old` (nothing
/// changed).
pub fn setitimer(which: u64, new: u64, old: u64) -> Result<u64, Errno> {
    real_timer_only(which)?;
    let now = time::now_ns();
    let mut table = process::table();
    let caller = table.caller()?;
    let setting = match new {
        0 => RealTimer::default(),
        address => {
            let new: Itimerval = usercopy::read_value(caller.space, address)?;
            RealTimer {
                value_ns: new.it_value.to_ns().ok_or(Errno::EINVAL)?,
                interval_ns: new.it_interval.to_ns().ok_or(Errno::EINVAL)?,
            }
        }
    };
    if old != 0 {
        usercopy::check_range(caller.space, old, core::mem::size_of::<Itimerval>(), true)?;
    }
    let previous = caller.system.set_real_timer(caller.pid, setting, now)?;
    if old != 0 {
        usercopy::write_value(caller.space, old, &itimerval_from(previous))?;
    }
    Ok(0)
}

/// EINVAL unless `which` is ITIMER_REAL.
fn real_timer_only(which: u64) -> Result<(), Errno> {
    if i32::try_from(which) == Ok(ITIMER_REAL) {
        Ok(())
    } else {
        Err(Errno::EINVAL)
    }
}

/// `timer` as `struct itimerval`, each part rounded up to the microsecond.
fn itimerval_from(timer: RealTimer) -> Itimerval {
    let timeval =
        |ns: u64| Timeval::from_ns(ns.div_ceil(NANOS_PER_MICRO).saturating_mul(NANOS_PER_MICRO));
    Itimerval {
        it_interval: timeval(timer.interval_ns),
        it_value: timeval(timer.value_ns),
    }
}

/// `nanosleep(req, rem)` (nanosleep(2)): sleeps for `*req` on the
/// monotonic clock: [`clock_nanosleep`] of CLOCK_MONOTONIC without
/// flags, `rem` (unless null) getting the time left when a signal ends the
/// sleep early.
///
/// # Errors
///
/// `EFAULT` for a bad `req` or `rem`; `EINVAL` for a negative second count
/// or nanoseconds outside 0..1e9; `EINTR`.
pub fn nanosleep(request: u64, remain: u64) -> Result<u64, Errno> {
    clock_nanosleep(CLOCK_MONOTONIC as u64, 0, request, remain)
}

/// `clock_nanosleep(clock, flags, req, rem)` (clock_nanosleep(2)): sleeps
/// for the duration `*req` or, with TIMER_ABSTIME in `flags`, until the
/// clock reads `*req`, on CLOCK_REALTIME, CLOCK_MONOTONIC or
/// CLOCK_BOOTTIME (the rules are [`shim_core::sleep`]'s: one deadline on
/// the monotonic clock). A deliverable signal ends the sleep early with
/// `EINTR`, never restarted (Linux restarts it only when no handler runs);
/// a relative sleep then writes the time left to `rem` unless it is null,
/// an absolute one never writes it. Returns `-errno` like every call (the
/// C function returns the number itself: musl converts).
///
/// # Errors
///
/// `EINVAL` for an unknown clock or CLOCK_THREAD_CPUTIME_ID, a negative
/// second count or nanoseconds outside 0..1e9; `ENOTSUP` for a clock that
/// cannot be slept on (CLOCK_PROCESS_CPUTIME_ID, CLOCK_MONOTONIC_RAW, the
/// coarse clocks); `EFAULT` for a bad `req`, or a bad `rem` when it is
/// written; `EINTR`.
pub fn clock_nanosleep(clock: u64, flags: u64, request: u64, remain: u64) -> Result<u64, Errno> {
    let clock = i32::try_from(clock).map_err(|_| Errno::EINVAL)?;
    let requested: Timespec = usercopy::read_value(process::table().caller()?.space, request)?;
    let now = sleep::Clocks {
        monotonic_ns: time::now_ns(),
        realtime_ns: time::realtime_ns(),
    };
    let plan = sleep::plan(clock, flags as i32, requested, now)?;
    let until_ns = plan.until_ns;
    if time::now_ns() >= until_ns {
        return Ok(0);
    }
    match scheduling::block_current(process::table(), Block::Sleep { until_ns }) {
        Err(Errno::EINTR) if plan.relative && remain != 0 => {
            let left = sleep::remaining(until_ns, time::now_ns());
            usercopy::write_value(process::table().caller()?.space, remain, &left)?;
            Err(Errno::EINTR)
        }
        result => result.map(|()| 0),
    }
}

/// `clock_gettime(clock, tp)` (clock_gettime(2)).
///
/// The CPU-time clocks read the caller's processor time, the realtime ones
/// the wall clock ([`time::realtime_ns`]), all others the monotonic clock.
///
/// # Errors
///
/// `EINVAL` for an unknown clock, `EFAULT` for a bad `tp`.
pub fn clock_gettime(clock: u64, out: u64) -> Result<u64, Errno> {
    let value = Timespec::from_ns(clock_now_ns(clock)?);
    usercopy::write_value(process::table().caller()?.space, out, &value)?;
    Ok(0)
}

/// What clock `clock` reads now, in nanoseconds: the one list of the
/// clocks this kernel has. EINVAL for any other.
fn clock_now_ns(clock: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    Ok(match i32::try_from(clock).map_err(|_| Errno::EINVAL)? {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE => time::realtime_ns(),
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE | CLOCK_BOOTTIME => now,
        // One thread per process: both are the process's processor time.
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => {
            let mut table = process::table();
            let (machine, system) = table.current_and_system();
            system.cpu_time_ns(machine.pid, now)?
        }
        _ => return Err(Errno::EINVAL),
    })
}

/// The resolution of every clock: the monotonic clock counts nanoseconds
/// (from the time-stamp counter), and the others are built on it.
const CLOCK_RESOLUTION: Timespec = Timespec::from_ns(1);

/// `clock_getres(clock, res)` (clock_getres(2)): writes the clock's
/// resolution, 1 ns for every clock [`clock_gettime`] knows, to `res`
/// unless it is null.
///
/// # Errors
///
/// `EINVAL` for an unknown clock, `EFAULT` for a bad `res`.
pub fn clock_getres(clock: u64, out: u64) -> Result<u64, Errno> {
    // The clock's reading is not needed, only whether it exists.
    clock_now_ns(clock)?;
    if out != 0 {
        usercopy::write_value(process::table().caller()?.space, out, &CLOCK_RESOLUTION)?;
    }
    Ok(0)
}

/// Nanoseconds per clock tick of `times` ([`CLOCK_TICKS_PER_SECOND`]).
const NANOS_PER_CLOCK_TICK: u64 = time::NANOS_PER_SECOND / CLOCK_TICKS_PER_SECOND;

/// `times(buf)` (times(2)): the caller's CPU time and its waited-for
/// children's, in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 per second);
/// `buf` may be null. All CPU time counts as user time (the kernel does
/// not tell it from system time). Returns the ticks since boot.
///
/// # Errors
///
/// `EFAULT` for a bad `buf`.
pub fn times(out: u64) -> Result<u64, Errno> {
    let now = time::now_ns();
    let mut table = process::table();
    let caller = table.caller()?;
    let cpu = caller.system.cpu_times(caller.pid, now)?;
    if out != 0 {
        let tms = Tms {
            utime: (cpu.own_ns / NANOS_PER_CLOCK_TICK) as i64,
            stime: 0,
            cutime: (cpu.children_ns / NANOS_PER_CLOCK_TICK) as i64,
            cstime: 0,
        };
        usercopy::write_value(caller.space, out, &tms)?;
    }
    Ok(now / NANOS_PER_CLOCK_TICK)
}
