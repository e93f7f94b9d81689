//! Process groups, sessions and `kill`, with POSIX's (and Linux's) rules.

use libspawn::{Errno, Result};
use shim_abi::signal::SIGCONT;
use shim_abi::NSIG;

use crate::creds::Creds;
use crate::process::{Pid, Process, INIT_PID, MAX_PROCESSES};
use crate::sigframe::{Info, SI_USER};
use crate::System;

/// Whether a sender with `creds` in session `sid` may send `signal` to
/// `target`: privileged, or its real or effective uid is the target's real
/// or saved uid; SIGCONT also within the same session.
pub fn may_signal(creds: &Creds, sid: Pid, target: &Process, signal: i32) -> bool {
    let (from, to) = (&creds.uid, &target.creds.uid);
    creds.privileged()
        || [from.real, from.effective]
            .iter()
            .any(|&id| id == to.real || id == to.saved)
        || (signal == SIGCONT && sid == target.sid)
}

impl System {
    /// The process `pid` names for a get call: the caller for 0. ESRCH.
    fn self_or(&self, caller: Pid, pid: Pid) -> Result<&Process> {
        self.process(if pid == 0 { caller } else { pid })
    }

    /// `getpgid(pid)` (`getpgrp()` is `getpgid(0)`).
    pub fn getpgid(&self, caller: Pid, pid: Pid) -> Result<Pid> {
        Ok(self.self_or(caller, pid)?.pgid)
    }

    /// `getsid(pid)`.
    pub fn getsid(&self, caller: Pid, pid: Pid) -> Result<Pid> {
        Ok(self.self_or(caller, pid)?.sid)
    }

    /// Whether some process (live or not yet reaped) is in group `pgid`.
    fn group_exists(&self, pgid: Pid) -> bool {
        self.procs.values().any(|p| p.pgid == pgid)
    }

    /// `setsid()`: the caller leads a new session and a new group, both
    /// with its pid, which is returned. EPERM if a process group with that
    /// id exists (the caller leads a group).
    pub fn setsid(&mut self, caller: Pid) -> Result<Pid> {
        self.process(caller)?;
        if self.group_exists(caller) {
            return Err(Errno::EPERM);
        }
        let process = self.process_mut(caller)?;
        process.sid = caller;
        process.pgid = caller;
        Ok(caller)
    }

    /// `setpgid(pid, pgid)`; 0 for either means the caller's pid / the
    /// target's pid. Errors, in Linux's order: EINVAL (`pgid < 0`); ESRCH
    /// (not the caller nor one of its children); for a child, EPERM (other
    /// session) and EACCES (it has exec'd); EPERM if the target leads a
    /// session; EPERM if `pgid` is not the target's pid and no group
    /// `pgid` exists in the caller's session. Nothing changes on failure.
    pub fn setpgid(&mut self, caller: Pid, pid: Pid, pgid: Pid) -> Result<()> {
        if pgid < 0 {
            return Err(Errno::EINVAL);
        }
        let me = self.process(caller)?;
        let target_pid = if pid == 0 { caller } else { pid };
        let target = self.process(target_pid)?;
        if target.ppid == caller && target_pid != caller {
            if target.sid != me.sid {
                return Err(Errno::EPERM);
            }
            if target.execed {
                return Err(Errno::EACCES);
            }
        } else if target_pid != caller {
            return Err(Errno::ESRCH);
        }
        if target.is_session_leader() {
            return Err(Errno::EPERM);
        }
        let pgid = if pgid == 0 { target_pid } else { pgid };
        if pgid != target_pid
            && !self
                .procs
                .values()
                .any(|p| p.pgid == pgid && p.sid == me.sid)
        {
            return Err(Errno::EPERM);
        }
        self.process_mut(target_pid)?.pgid = pgid;
        Ok(())
    }

    /// `kill(pid, signal)` from `sender`: `pid > 0` one process, 0 the
    /// sender's group, -1 every process but init and the sender, `< -1`
    /// the group `-pid`. Signal 0 only checks. EINVAL for a signal outside
    /// 0..=64; ESRCH if no process matches; EPERM if none may be signalled
    /// (see [`may_signal`]). An exited, unreaped process accepts and drops
    /// the signal. Each target records the sender (`SI_USER`, its pid and
    /// real uid) and wakes if it sleeps interruptibly.
    pub fn kill(&mut self, sender: Pid, pid: Pid, signal: i32) -> Result<()> {
        if !(0..=NSIG).contains(&signal) {
            return Err(Errno::EINVAL);
        }
        let from = self.process(sender)?;
        let (creds, sid, pgid) = (from.creds, from.sid, from.pgid);
        let matches = |p: &Process| match pid {
            0 => p.pgid == pgid,
            -1 => p.pid != INIT_PID && p.pid != sender,
            pid if pid < -1 => Some(p.pgid) == pid.checked_neg(),
            pid => p.pid == pid,
        };
        let mut found = false;
        let mut delivered = false;
        let mut signalled = [0; MAX_PROCESSES];
        let mut count = 0;
        for target in self.procs.values_mut().filter(|p| matches(p)) {
            found = true;
            if !may_signal(&creds, sid, target, signal) {
                continue;
            }
            delivered = true;
            if signal != 0 && !target.has_exited() {
                let info = Info {
                    code: SI_USER,
                    pid: sender,
                    uid: creds.uid.real,
                    ..Info::NONE
                };
                target.signals.generate_from(signal, info)?;
                signalled[count] = target.pid;
                count += 1;
            }
        }
        for &pid in &signalled[..count] {
            self.wake_for_signal(pid);
        }
        match (found, delivered) {
            (false, _) => Err(Errno::ESRCH),
            (true, false) => Err(Errno::EPERM),
            (true, true) => Ok(()),
        }
    }

    /// `tgkill(tgid, tid, signal)` (`tgid` given) and `tkill(tid, signal)`
    /// (`tgid` None) by `sender`: one process, each process being its
    /// only thread, so its thread id is its pid and its thread group id
    /// too. EINVAL for a `tid` or `tgid` that is not positive or a signal
    /// outside 0..=64; ESRCH when no process `tid` exists or `tgid` is not
    /// its thread group; EPERM as for `kill`. Signal 0 only checks.
    pub fn tgkill(&mut self, sender: Pid, tgid: Option<Pid>, tid: Pid, signal: i32) -> Result<()> {
        if tid <= 0 || tgid.is_some_and(|group| group <= 0) || !(0..=NSIG).contains(&signal) {
            return Err(Errno::EINVAL);
        }
        self.process(tid)?;
        if tgid.is_some_and(|group| group != tid) {
            return Err(Errno::ESRCH);
        }
        self.kill(sender, tid, signal)
    }
}
