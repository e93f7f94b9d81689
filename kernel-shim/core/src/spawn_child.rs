//! SpawnChild: libspawn's `ChildOps` over a just-created child, so the
//! kernel's `posix_spawn` can run `libspawn::exec::apply` on it.
//!
//! Every method acts on the child as the POSIX call of the same name would
//! if the child made it, with the system's rules (permission checks, path
//! resolution from the child's working directory, the process-group rules
//! against the other processes). [`System::spawn_apply`], the child's step
//! of `posix_spawn`, runs the executor over it.

use libspawn::exec::ChildOps;
use libspawn::{Result, SchedPolicy, SigSet};

use crate::process::Pid;
use crate::System;

/// A new child process, seen through `ChildOps`.
#[derive(Debug)]
pub struct SpawnChild<'a> {
    system: &'a mut System,
    pid: Pid,
}

impl<'a> SpawnChild<'a> {
    /// The child `pid` of `system` (which must exist: calls on a missing
    /// process fail with ESRCH).
    pub fn new(system: &'a mut System, pid: Pid) -> SpawnChild<'a> {
        SpawnChild { system, pid }
    }

    /// The child's pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }
}

impl ChildOps for SpawnChild<'_> {
    /// SIG_DFL; SIGKILL and SIGSTOP succeed; EINVAL outside 1..=64.
    fn set_signal_default(&mut self, signal: i32) -> Result<()> {
        self.system
            .process_mut(self.pid)?
            .signals
            .set_default(signal)
    }

    /// The mask, without SIGKILL and SIGSTOP.
    fn set_signal_mask(&mut self, mask: SigSet) -> Result<()> {
        self.system.process_mut(self.pid)?.signals.set_mask(mask);
        Ok(())
    }

    /// `sched_setparam(0, priority)`.
    fn set_sched_param(&mut self, priority: i32) -> Result<()> {
        self.system.sched_setparam(self.pid, 0, priority)
    }

    /// `sched_setscheduler(0, policy, priority)`.
    fn set_scheduler(&mut self, policy: SchedPolicy, priority: i32) -> Result<()> {
        self.system
            .sched_setscheduler(self.pid, 0, policy.raw(), priority)
    }

    /// `setsid()`.
    fn setsid(&mut self) -> Result<()> {
        self.system.setsid(self.pid).map(drop)
    }

    /// `setpgid(0, pgroup)`.
    fn setpgid(&mut self, pgroup: i32) -> Result<()> {
        self.system.setpgid(self.pid, 0, pgroup)
    }

    /// Effective ids become the real ones.
    fn reset_ids(&mut self) -> Result<()> {
        self.system.process_mut(self.pid)?.creds.reset_ids();
        Ok(())
    }

    /// `open(path, oflag, mode)` from the child's working directory.
    fn open(&mut self, path: &[u8], oflag: i32, mode: u32) -> Result<i32> {
        self.system.open(self.pid, path, oflag, mode)
    }

    /// `close(fd)`.
    fn close(&mut self, fd: i32) -> Result<()> {
        self.system.close(self.pid, fd)
    }

    /// `dup2(fd, new_fd)`.
    fn dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        self.system.dup2(self.pid, fd, new_fd).map(drop)
    }

    /// `fcntl(fd, F_SETFD, 0)`.
    fn clear_cloexec(&mut self, fd: i32) -> Result<()> {
        self.system.clear_cloexec(self.pid, fd)
    }

    /// `chdir(path)`.
    fn chdir(&mut self, path: &[u8]) -> Result<()> {
        self.system.chdir(self.pid, path)
    }

    /// `fchdir(fd)`.
    fn fchdir(&mut self, fd: i32) -> Result<()> {
        self.system.fchdir(self.pid, fd)
    }

    /// `closefrom(low_fd)`, in one pass over the table.
    fn close_from(&mut self, low_fd: i32) -> Result<()> {
        self.system.close_from(self.pid, low_fd)
    }
}

impl System {
    /// The `ChildOps` view of process `pid`.
    pub fn spawn_child(&mut self, pid: Pid) -> SpawnChild<'_> {
        SpawnChild::new(self, pid)
    }
}

#[cfg(test)]
mod tests;
