//! System calls on signals and scheduling that need more than one process
//! or a permission check: sigaction, sigprocmask, the delivery decision,
//! sched_setscheduler/setparam/getscheduler/getparam.
//!
//! Credentials need no such help: the kernel calls the
//! [`Creds`](crate::creds::Creds) methods on `process_mut(pid)?.creds`.

use libspawn::{Errno, Result, SigSet};

use super::System;
use crate::process::{Pid, Process};
use crate::signal::{Action, Disposition};

impl System {
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
        if process.exited {
            return None;
        }
        process.signals.next_deliverable()
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
}
