//! System calls on signals and scheduling that need more than one process
//! or a permission check: sigaction, sigprocmask, posting signals and the
//! delivery decision, sched_setscheduler/setparam/getscheduler/getparam,
//! getpriority/setpriority (the nice value), and sigtimedwait's step.
//!
//! Credentials need no such help: the kernel calls the
//! [`Creds`](crate::creds::Creds) methods on `process_mut(pid)?.creds`.

use libspawn::{Errno, Result, SchedPolicy, SigSet};
use shim_abi::priority::{NICE_BIAS, PRIO_PGRP, PRIO_PROCESS, PRIO_USER};
use shim_abi::sigaction::SIG_UNBLOCK;

use super::System;
use crate::process::{Pid, Process};
use crate::sigframe::Info;
use crate::signal::{Action, Disposition, Handler};

/// What to do with the next signal of a process returning to user mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// End the process: killed by this signal.
    Terminate(i32),
    /// Run a handler (the process's signal state already says it runs:
    /// its mask is the handler's).
    Handle {
        /// The signal.
        signal: i32,
        /// The handler, its flags and restorer.
        handler: Handler,
        /// The mask to save in the frame, restored by `rt_sigreturn`.
        old_mask: SigSet,
        /// The sender's details, for `siginfo_t`.
        info: Info,
    },
}

/// Whose nice value `getpriority` and `setpriority` act on (`which` and
/// `who` resolved: 0 means the caller, its group or its real uid).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PrioTarget {
    /// PRIO_PROCESS: one process.
    Process(Pid),
    /// PRIO_PGRP: every process of a group.
    Group(Pid),
    /// PRIO_USER: every process whose real uid is this.
    User(u32),
}

impl PrioTarget {
    fn matches(self, process: &Process) -> bool {
        match self {
            PrioTarget::Process(pid) => process.pid == pid,
            PrioTarget::Group(pgid) => process.pgid == pgid,
            PrioTarget::User(uid) => process.creds.uid.real == uid,
        }
    }
}

/// What `rt_sigtimedwait` does next ([`System::sigtimedwait_step`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigWait {
    /// This signal of the set was pending and is now taken: the call
    /// returns it, with its sender's details for `siginfo_t`.
    Taken {
        /// The signal.
        signal: i32,
        /// Its sender's details.
        info: Info,
    },
    /// Nothing yet: block for
    /// [`Block::SigWait`](crate::process::Block::SigWait) and ask again.
    Wait,
}

impl System {
    /// One look of `rt_sigtimedwait(set, .., timeout)` for `pid` at
    /// monotonic time `now_ns`, with the wait ending at `until_ns`
    /// (`u64::MAX` for none) (sigtimedwait(2)): a pending signal of `set`
    /// (blocked or not; SIGKILL and SIGSTOP are left out) is taken off the
    /// pending set without its handler running, the lowest first, and
    /// wins over everything else; otherwise EINTR if another signal is
    /// deliverable (it interrupts the wait: its handler runs), EAGAIN once
    /// the deadline is reached (at once for a zero timeout), else
    /// [`SigWait::Wait`]. While `pid` blocks, a signal of `set` posted to
    /// it wakes it even if blocked ([`System::wake_for_signal`]). ESRCH.
    pub fn sigtimedwait_step(
        &mut self,
        pid: Pid,
        set: SigSet,
        until_ns: u64,
        now_ns: u64,
    ) -> Result<SigWait> {
        let signals = &mut self.process_mut(pid)?.signals;
        if let Some((signal, info)) = signals.take_waited(set) {
            return Ok(SigWait::Taken { signal, info });
        }
        if signals.has_deliverable() {
            return Err(Errno::EINTR);
        }
        if now_ns >= until_ns {
            return Err(Errno::EAGAIN);
        }
        Ok(SigWait::Wait)
    }

    /// `which` and `who` of `getpriority`/`setpriority` for `caller`.
    /// EINVAL for an unknown `which`; ESRCH for a missing caller.
    fn prio_target(&self, caller: Pid, which: i32, who: i32) -> Result<PrioTarget> {
        let me = self.process(caller)?;
        Ok(match which {
            PRIO_PROCESS => PrioTarget::Process(if who == 0 { caller } else { who }),
            PRIO_PGRP => PrioTarget::Group(if who == 0 { me.pgid } else { who }),
            PRIO_USER => PrioTarget::User(if who == 0 {
                me.creds.uid.real
            } else {
                who as u32
            }),
            _ => return Err(Errno::EINVAL),
        })
    }

    /// `getpriority(which, who)` for `caller` (getpriority(2)), as the raw
    /// system call returns it: [`NICE_BIAS`] minus the lowest nice value
    /// (the highest priority) among the processes named, so 1..=40 (the C
    /// library turns it back into a nice value). `which` is PRIO_PROCESS
    /// (`who` a pid), PRIO_PGRP (a process group) or PRIO_USER (a real
    /// uid); `who` 0 is the caller, its group or its real uid. Any process
    /// may read any other's. EINVAL for another `which`, ESRCH when no
    /// process matches.
    pub fn getpriority(&self, caller: Pid, which: i32, who: i32) -> Result<i32> {
        let target = self.prio_target(caller, which, who)?;
        self.procs
            .values()
            .filter(|process| target.matches(process))
            .map(|process| process.sched.nice)
            .min()
            .map(|nice| NICE_BIAS - nice)
            .ok_or(Errno::ESRCH)
    }

    /// `setpriority(which, who, nice)` for `caller` (setpriority(2)): sets
    /// the nice value (clamped to -20..=19) of every process named (as
    /// [`System::getpriority`]). For each: the caller must be privileged
    /// or its effective uid the target's real or effective uid (EPERM),
    /// and lowering the value needs privilege (EACCES,
    /// [`Sched::set_nice`](crate::sched::Sched::set_nice)). As on Linux,
    /// the processes allowed change even when others are refused, and the
    /// result is the last refusal, if any. EINVAL for another `which`,
    /// ESRCH when no process matches.
    pub fn setpriority(&mut self, caller: Pid, which: i32, who: i32, nice: i32) -> Result<()> {
        let target = self.prio_target(caller, which, who)?;
        let creds = self.process(caller)?.creds;
        let privileged = creds.privileged();
        let euid = creds.uid.effective;
        let mut result = Err(Errno::ESRCH);
        for process in self.procs.values_mut() {
            if !target.matches(process) {
                continue;
            }
            let allowed =
                privileged || euid == process.creds.uid.real || euid == process.creds.uid.effective;
            let outcome = if allowed {
                process.sched.set_nice(nice, privileged)
            } else {
                Err(Errno::EPERM)
            };
            match outcome {
                Err(errno) => result = Err(errno),
                Ok(()) if result == Err(Errno::ESRCH) => result = Ok(()),
                Ok(()) => {}
            }
        }
        result
    }

    /// `sigaction(signal, new)` for `pid`: the old disposition.
    pub fn sigaction(
        &mut self,
        pid: Pid,
        signal: i32,
        new: Option<Disposition>,
    ) -> Result<Disposition> {
        self.process_mut(pid)?.signals.sigaction(signal, new)
    }

    /// `sigprocmask(how, set)` for `pid`: the old mask.
    pub fn sigprocmask(&mut self, pid: Pid, how: i32, set: Option<SigSet>) -> Result<SigSet> {
        self.process_mut(pid)?.signals.sigprocmask(how, set)
    }

    /// The next signal to act on for `pid`, taken off its pending set (see
    /// [`SignalState::next_deliverable`](crate::signal::SignalState::next_deliverable)).
    /// `None` also for an unknown or exited process.
    pub fn next_deliverable(&mut self, pid: Pid) -> Option<(i32, Action)> {
        let process = self.procs.get_mut(&pid)?;
        if process.has_exited() {
            return None;
        }
        process.signals.next_deliverable()
    }

    /// The next signal `pid` acts on before returning to user mode, and
    /// how. For a handler, the handler's mask takes effect now, and the
    /// mask saved for `rt_sigreturn` is the one an `rt_sigsuspend` in
    /// progress replaced (so the suspension ends here), or else the mask
    /// before the handler. `None` when nothing is deliverable.
    pub fn deliver_next(&mut self, pid: Pid) -> Option<Delivery> {
        let (signal, action) = self.next_deliverable(pid)?;
        let handler = match action {
            Action::Terminate => return Some(Delivery::Terminate(signal)),
            Action::Handle(handler) => handler,
        };
        let signals = &mut self.procs.get_mut(&pid)?.signals;
        let entered_mask = signals.enter_handler(signal, &handler);
        let old_mask = signals.take_suspended_mask().unwrap_or(entered_mask);
        Some(Delivery::Handle {
            signal,
            handler,
            old_mask,
            info: signals.sender(signal),
        })
    }

    /// No handler runs for `pid` on this return to user mode: an
    /// `rt_sigsuspend` in progress ends, its mask replaced by the old one.
    pub fn end_suspension(&mut self, pid: Pid) {
        if let Some(process) = self.procs.get_mut(&pid) {
            if let Some(mask) = process.signals.take_suspended_mask() {
                process.signals.set_mask(mask);
            }
        }
    }

    /// Marks `signal` pending for `target` with the sender's `info`, and
    /// wakes the target if it sleeps interruptibly. ESRCH, EINVAL for a
    /// bad signal.
    pub fn post_signal(&mut self, target: Pid, signal: i32, info: Info) -> Result<()> {
        let signals = &mut self.process_mut(target)?.signals;
        if signals.generate_from(signal, info)? {
            self.wake_for_signal(target);
        }
        Ok(())
    }

    /// Posts a fault signal to `pid` so that it cannot be ignored or
    /// blocked away (as Linux's forced signals): a blocked or ignored
    /// signal gets its default action back and is unblocked first.
    pub fn force_signal(&mut self, pid: Pid, signal: i32, info: Info) -> Result<()> {
        let signals = &mut self.process_mut(pid)?.signals;
        let blocked = signals.mask().contains(signal);
        let ignored = signals.disposition(signal) == Ok(Disposition::Ignore);
        if blocked || ignored {
            signals.set_default(signal)?;
            signals.sigprocmask(SIG_UNBLOCK, Some(SigSet::from_bits(1 << (signal - 1))))?;
        }
        self.post_signal(pid, signal, info)
    }

    /// The process a scheduling call acts on: `pid`, or the caller for 0.
    /// EINVAL for a negative pid, ESRCH.
    fn sched_target(&self, caller: Pid, pid: Pid) -> Result<&Process> {
        if pid < 0 {
            return Err(Errno::EINVAL);
        }
        self.process(if pid == 0 { caller } else { pid })
    }

    /// Checks that `caller` may change `target`'s scheduling: privileged,
    /// or its effective uid is the target's real or effective uid (EPERM).
    /// Returns `(target pid, caller privileged)`.
    fn sched_change(&self, caller: Pid, pid: Pid) -> Result<(Pid, bool)> {
        let creds = self.process(caller)?.creds;
        let target = self.sched_target(caller, pid)?;
        let euid = creds.uid.effective;
        if !creds.privileged()
            && euid != target.creds.uid.real
            && euid != target.creds.uid.effective
        {
            return Err(Errno::EPERM);
        }
        Ok((target.pid, creds.privileged()))
    }

    /// `sched_setscheduler(pid, policy, priority)` (see [`crate::sched`]
    /// for EINVAL and EPERM).
    pub fn sched_setscheduler(
        &mut self,
        caller: Pid,
        pid: Pid,
        policy: i32,
        priority: i32,
    ) -> Result<()> {
        let (target, privileged) = self.sched_change(caller, pid)?;
        self.process_mut(target)?
            .sched
            .set_scheduler_raw(policy, priority, privileged)
    }

    /// `sched_setparam(pid, priority)`.
    pub fn sched_setparam(&mut self, caller: Pid, pid: Pid, priority: i32) -> Result<()> {
        let (target, privileged) = self.sched_change(caller, pid)?;
        self.process_mut(target)?
            .sched
            .set_param(priority, privileged)
    }

    /// `sched_getscheduler(pid)`: the policy number.
    pub fn sched_getscheduler(&self, caller: Pid, pid: Pid) -> Result<i32> {
        Ok(self.sched_target(caller, pid)?.sched.policy.raw())
    }

    /// `sched_getparam(pid)`: the priority.
    pub fn sched_getparam(&self, caller: Pid, pid: Pid) -> Result<i32> {
        Ok(self.sched_target(caller, pid)?.sched.priority)
    }

    /// `sched_rr_get_interval(pid)`, in scheduler ticks: how long the
    /// process runs before another of its rank gets the CPU.
    /// [`RR_SLICE_TICKS`](super::RR_SLICE_TICKS) for SCHED_RR, one tick
    /// for SCHED_OTHER (a tick always preempts it), 0 for SCHED_FIFO (no
    /// slice: it runs until it blocks or yields).
    pub fn sched_rr_interval_ticks(&self, caller: Pid, pid: Pid) -> Result<u32> {
        Ok(match self.sched_target(caller, pid)?.sched.policy {
            SchedPolicy::RoundRobin => super::RR_SLICE_TICKS,
            SchedPolicy::Other => 1,
            SchedPolicy::Fifo => 0,
        })
    }
}
