//! Running: which process runs next, blocking and waking, sleeps and
//! alarms, and processor time.
//!
//! The highest rank wins the CPU: SCHED_FIFO and SCHED_RR rank by their
//! priority 1..=99, above SCHED_OTHER's 0; among equals, round robin over
//! the table's slots after the one picked last. At a timer tick a
//! SCHED_OTHER process always gives way, a SCHED_RR one when its
//! [`RR_SLICE_TICKS`] slice is used up, and a SCHED_FIFO one never (only to
//! a higher rank). Every tick and every pick first fires due alarms
//! (SIGALRM, within a tick of the deadline) and wakes sleepers whose
//! deadline passed. A spawned child starts without an alarm (as after
//! `fork`). `alarm` and `setitimer`'s ITIMER_REAL are one timer per
//! process, as on Linux: `alarm` sets it one-shot; an interval makes it
//! periodic, reloaded from its deadline (missed periods are skipped, so a
//! late tick posts one SIGALRM, not a burst).

use libspawn::{Errno, Result, SchedPolicy};
use shim_abi::signal::SIGALRM;

use super::System;
use crate::process::{Block, Pid, Process, State, MAX_PROCESSES};
use crate::sigframe::{Info, SI_KERNEL};

/// Ticks a SCHED_RR process runs before others of its priority get a turn.
pub const RR_SLICE_TICKS: u32 = 10;
/// Nanoseconds in a second.
pub const NANOS_PER_SECOND: u64 = 1_000_000_000;
/// Largest `alarm` delay, in seconds (the argument is an `unsigned int`).
const MAX_ALARM_SECONDS: u64 = u32::MAX as u64;

/// The real-time interval timer of a process (ITIMER_REAL), in
/// nanoseconds: what `setitimer` sets and `getitimer` reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RealTimer {
    /// Time until it fires; 0 when disarmed.
    pub value_ns: u64,
    /// The period it is reloaded with when it fires; 0 for one-shot.
    pub interval_ns: u64,
}

/// The process picked to run next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
    /// Its pid.
    pub pid: Pid,
    /// Its slot (where the kernel keeps its machine state).
    pub slot: usize,
    /// Whether it has never run: a new child, which starts in
    /// [`System::spawn_apply`].
    pub first_run: bool,
}

/// The scheduling rank of `process`: its real-time priority (1..=99), or
/// 0 for SCHED_OTHER.
fn rank(process: &Process) -> i32 {
    if process.sched.is_realtime() {
        process.sched.priority
    } else {
        0
    }
}

/// Whole seconds left until `deadline_ns`, rounded up (so a pending alarm
/// never reports 0).
fn seconds_left(deadline_ns: u64, now_ns: u64) -> u64 {
    deadline_ns
        .saturating_sub(now_ns)
        .div_ceil(NANOS_PER_SECOND)
        .max(1)
}

/// When a periodic alarm that was due at `deadline_ns` fires next: the
/// first deadline + k × `interval_ns` after `now_ns` (None for a one-shot
/// alarm, or past the end of the clock).
fn next_period(deadline_ns: u64, interval_ns: u64, now_ns: u64) -> Option<u64> {
    if interval_ns == 0 {
        return None;
    }
    let periods = (now_ns - deadline_ns) / interval_ns + 1;
    deadline_ns.checked_add(periods.checked_mul(interval_ns)?)
}

impl System {
    /// Makes sleepers whose deadline passed runnable.
    fn wake_sleepers(&mut self, now_ns: u64) {
        for process in self.procs.values_mut() {
            if let State::Blocked(
                Block::Sleep { until_ns }
                | Block::Poll { until_ns }
                | Block::SigWait { until_ns, .. },
            ) = process.state
            {
                if now_ns >= until_ns {
                    process.state = State::Runnable;
                }
            }
        }
    }

    /// Posts SIGALRM (from the kernel) to every process whose alarm is
    /// due, clearing it.
    fn fire_alarms(&mut self, now_ns: u64) {
        let mut due = [0; MAX_PROCESSES];
        let mut count = 0;
        for process in self.procs.values_mut() {
            let Some(deadline) = process.alarm_ns.filter(|&deadline| now_ns >= deadline) else {
                continue;
            };
            process.alarm_ns = next_period(deadline, process.alarm_interval_ns, now_ns);
            due[count] = process.pid;
            count += 1;
        }
        let info = Info {
            code: SI_KERNEL,
            ..Info::NONE
        };
        for &pid in &due[..count] {
            let _ = self.post_signal(pid, SIGALRM, info);
        }
    }

    /// What the clock moving to `now_ns` changes: due alarms fire, due
    /// sleepers wake.
    fn advance_clock(&mut self, now_ns: u64) {
        self.fire_alarms(now_ns);
        self.wake_sleepers(now_ns);
    }

    /// The highest rank among runnable processes.
    fn best_runnable_rank(&self) -> Option<i32> {
        self.procs
            .values()
            .filter(|p| p.state == State::Runnable)
            .map(rank)
            .max()
    }

    /// Fires due alarms and wakes due sleepers, then picks the next
    /// runnable process of the highest rank, round robin over the slots
    /// after the last one picked; marks it running and starts its turn on
    /// the CPU at `now_ns`. `None` when nothing is runnable.
    pub fn pick_next(&mut self, now_ns: u64) -> Option<Pick> {
        self.advance_clock(now_ns);
        let best = self.best_runnable_rank()?;
        // The first slot after the last one picked, in round-robin order:
        // the smallest distance forward from it (a full turn for itself).
        let distance = |slot: usize| (slot + MAX_PROCESSES - self.last_picked - 1) % MAX_PROCESSES;
        let (pid, slot) = self
            .procs
            .values()
            .filter(|process| process.state == State::Runnable && rank(process) == best)
            .map(|process| (process.pid, process.slot))
            .min_by_key(|&(_, slot)| distance(slot))?;
        self.last_picked = slot;
        let process = self.procs.get_mut(&pid)?;
        process.state = State::Running;
        process.cpu.turn_started_ns = now_ns;
        Some(Pick {
            pid,
            slot,
            first_run: process.spawn.start.is_some(),
        })
    }

    /// `pid`'s turn on the CPU ended at `now_ns`: the turn counts as its
    /// processor time, and if it is still marked running it becomes
    /// runnable (it was preempted or yielded).
    pub fn end_turn(&mut self, pid: Pid, now_ns: u64) {
        if let Some(process) = self.procs.get_mut(&pid) {
            let turn = now_ns.saturating_sub(process.cpu.turn_started_ns);
            process.cpu.used_ns = process.cpu.used_ns.saturating_add(turn);
            if process.state == State::Running {
                process.state = State::Runnable;
            }
        }
    }

    /// A timer tick at `now_ns` while `running` is on the CPU: fires due
    /// alarms, wakes due sleepers, and says whether `running` should give
    /// up the CPU (see the module documentation).
    pub fn tick(&mut self, running: Pid, now_ns: u64) -> bool {
        self.advance_clock(now_ns);
        let best = self.best_runnable_rank();
        let Some(process) = self.procs.get_mut(&running) else {
            return false;
        };
        let higher = best.is_some_and(|best| best > rank(process));
        match process.sched.policy {
            SchedPolicy::Other => true,
            SchedPolicy::Fifo => higher,
            SchedPolicy::RoundRobin => {
                process.slice_left = process.slice_left.saturating_sub(1);
                if process.slice_left == 0 {
                    process.slice_left = RR_SLICE_TICKS;
                    true
                } else {
                    higher
                }
            }
        }
    }

    /// Processor time `pid` has used, counting the turn in progress if it
    /// is running (CLOCK_PROCESS_CPUTIME_ID). ESRCH.
    pub fn cpu_time_ns(&self, pid: Pid, now_ns: u64) -> Result<u64> {
        let process = self.process(pid)?;
        let turn = if process.state == State::Running {
            now_ns.saturating_sub(process.cpu.turn_started_ns)
        } else {
            0
        };
        Ok(process.cpu.used_ns.saturating_add(turn))
    }

    /// The earliest deadline a sleeper or an alarm waits for, if any.
    pub fn next_deadline(&self) -> Option<u64> {
        self.procs
            .values()
            .flat_map(|process| {
                let sleep =
                    match process.state {
                        State::Blocked(Block::Sleep { until_ns }) => Some(until_ns),
                        State::Blocked(
                            Block::Poll { until_ns } | Block::SigWait { until_ns, .. },
                        ) if until_ns != u64::MAX => Some(until_ns),
                        _ => None,
                    };
                sleep.into_iter().chain(process.alarm_ns)
            })
            .min()
    }

    /// Whether `pid` has a pending signal it does not block (a blocking
    /// call then gives up with EINTR).
    pub fn signal_interrupts(&self, pid: Pid) -> bool {
        self.procs
            .get(&pid)
            .is_some_and(|p| p.signals.has_deliverable())
    }

    /// The running `pid` blocks for `block` until woken. EINTR instead if
    /// the wait is interruptible and a signal is already deliverable.
    pub fn block(&mut self, pid: Pid, block: Block) -> Result<()> {
        if block.interruptible() && self.signal_interrupts(pid) {
            return Err(Errno::EINTR);
        }
        self.process_mut(pid)?.state = State::Blocked(block);
        Ok(())
    }

    /// `pid` runs again after blocking for `block`: EINTR if it was woken
    /// by a signal it must act on (interruptible waits only).
    pub fn check_interrupted(&self, pid: Pid, block: Block) -> Result<()> {
        if block.interruptible() && self.signal_interrupts(pid) {
            return Err(Errno::EINTR);
        }
        Ok(())
    }

    /// Makes `pid` runnable again if it is blocked for `block`.
    pub fn wake(&mut self, pid: Pid, block: Block) {
        if let Some(process) = self.procs.get_mut(&pid) {
            if process.state == State::Blocked(block) {
                process.state = State::Runnable;
            }
        }
    }

    /// Makes every process blocked for `block` runnable (they recheck
    /// their condition); a pipe change also wakes every `poll`.
    pub fn wake_all(&mut self, block: Block) {
        for process in self.procs.values_mut() {
            let polling = matches!(process.state, State::Blocked(Block::Poll { .. }));
            if process.state == State::Blocked(block) || (block == Block::Pipe && polling) {
                process.state = State::Runnable;
            }
        }
    }

    /// Wakes `pid` if a signal is now deliverable to it and it is in an
    /// interruptible wait, or if it waits in `rt_sigtimedwait` for a
    /// signal now pending (blocked or not).
    pub fn wake_for_signal(&mut self, pid: Pid) {
        if let Some(process) = self.procs.get_mut(&pid) {
            let waited = match process.state {
                State::Blocked(Block::SigWait { set, .. }) => {
                    process.signals.pending().bits() & set != 0
                }
                _ => false,
            };
            if waited || (process.signals.has_deliverable() && process.interruptibly_blocked()) {
                process.state = State::Runnable;
            }
        }
    }

    /// `alarm(seconds)` for `pid` at `now_ns`: replaces its alarm (0
    /// cancels it; only the low 32 bits of `seconds` count) and returns
    /// the whole seconds the previous one had left, rounded up, or 0.
    pub fn alarm(&mut self, pid: Pid, seconds: u64, now_ns: u64) -> Result<u64> {
        let seconds = seconds & MAX_ALARM_SECONDS;
        let process = self.process_mut(pid)?;
        let previous = process.alarm_ns.map_or(0, |due| seconds_left(due, now_ns));
        process.alarm_ns =
            (seconds != 0).then(|| now_ns.saturating_add(seconds.saturating_mul(NANOS_PER_SECOND)));
        process.alarm_interval_ns = 0;
        Ok(previous)
    }

    /// `pid`'s ITIMER_REAL at `now_ns` (`getitimer`): the time left (at
    /// least 1 ns while armed) and the period.
    pub fn real_timer(&self, pid: Pid, now_ns: u64) -> Result<RealTimer> {
        let process = self.process(pid)?;
        Ok(RealTimer {
            value_ns: process
                .alarm_ns
                .map_or(0, |due| due.saturating_sub(now_ns).max(1)),
            interval_ns: process.alarm_interval_ns,
        })
    }

    /// `setitimer(ITIMER_REAL)` for `pid` at `now_ns`: arms the timer to
    /// fire after `new.value_ns` and then every `new.interval_ns` (a zero
    /// value disarms it, whatever the interval); returns the setting it
    /// replaced, as [`System::real_timer`] reads it.
    pub fn set_real_timer(&mut self, pid: Pid, new: RealTimer, now_ns: u64) -> Result<RealTimer> {
        let old = self.real_timer(pid, now_ns)?;
        let process = self.process_mut(pid)?;
        if new.value_ns == 0 {
            process.alarm_ns = None;
            process.alarm_interval_ns = 0;
        } else {
            process.alarm_ns = Some(now_ns.saturating_add(new.value_ns));
            process.alarm_interval_ns = new.interval_ns;
        }
        Ok(old)
    }
}
