//! Exit, `wait4` and reaping: a process keeps its slot from creation until
//! its parent reaps it; its descriptors and working directory are released
//! as soon as it exits, so a zombie costs only its slot. Orphans are handed
//! to init (pid 1), which also reaps them.

use libspawn::{Errno, Result};
use shim_abi::signal::SIGCHLD;
use shim_abi::wait::EXIT_CODE_MASK;
use shim_abi::wait::{P_ALL, P_PGID, P_PID, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WSTOPPED};

use super::{release_file, System};
use crate::process::{Block, Pid, State, INIT_PID};
use crate::sigframe::{Info, CLD_EXITED, CLD_KILLED};
use crate::wait_status::Termination;

/// `wait4` options accepted and ignored (no stopped or continued children
/// exist here): WUNTRACED, WCONTINUED, __WALL, __WCLONE.
const WAIT_IGNORED_OPTIONS: i32 = 2 | 8 | 0x4000_0000 | i32::MIN;

/// What `wait4` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildWait {
    /// This child has exited with this `wait4` status word. The caller
    /// copies the status out, then [reaps](System::reap) it.
    Exited {
        /// The child's pid.
        pid: Pid,
        /// The status word.
        status: i32,
    },
    /// Matching children exist but none has exited, and WNOHANG was given:
    /// `wait4` returns 0.
    NoneYet,
    /// Matching children exist but none has exited: the caller blocks for
    /// [`Block::Child`] and asks again.
    Wait,
}

/// `waitid` options accepted and ignored: __WNOTHREAD, __WCLONE, __WALL.
const WAITID_IGNORED_OPTIONS: i32 = 0x2000_0000 | 0x4000_0000 | i32::MIN;

/// What a `waitid` call asks for ([`waitid_request`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitidRequest {
    /// The children, as `wait4`'s pid argument names them.
    pub wanted: Pid,
    /// Return at once when none has exited (WNOHANG).
    pub no_hang: bool,
    /// Leave the child waitable (WNOWAIT).
    pub no_wait: bool,
}

/// `waitid(idtype, id, .., options)`'s arguments (waitid(2)) as a
/// `wait4` request: P_ALL any child, P_PID the child `id`, P_PGID the
/// children of group `id` (0: the caller's group, as Linux since 5.4).
/// `options` must hold WEXITED: only exits are ever reported (no child
/// stops or continues here), so WSTOPPED and WCONTINUED are accepted
/// beside it and change nothing, and a call without WEXITED, which Linux
/// would let wait for a stop that never comes, is EINVAL. EINVAL also for
/// another idtype, a pid or group id that is not positive (P_PID,
/// P_PGID), or an unknown option bit.
pub fn waitid_request(idtype: i32, id: i32, options: i32) -> Result<WaitidRequest> {
    let known = WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | WAITID_IGNORED_OPTIONS;
    if options & !known != 0 || options & WEXITED == 0 {
        return Err(Errno::EINVAL);
    }
    let wanted = match idtype {
        P_ALL => -1,
        P_PID if id > 0 => id,
        P_PGID if id == 0 => 0,
        P_PGID if id > 0 => -id,
        _ => return Err(Errno::EINVAL),
    };
    Ok(WaitidRequest {
        wanted,
        no_hang: options & WNOHANG != 0,
        no_wait: options & WNOWAIT != 0,
    })
}

/// Which children `wait4` accepts: any (-1), one pid (> 0), the caller's
/// group (0) or group `-wanted` (< -1).
fn matches_child(wanted: Pid, my_pgid: Pid, child_pid: Pid, child_pgid: Pid) -> bool {
    match wanted {
        -1 => true,
        0 => child_pgid == my_pgid,
        w if w > 0 => child_pid == w,
        w => child_pgid == w.wrapping_neg(),
    }
}

impl System {
    /// Releases what `pid` holds besides its slot: closes all its
    /// descriptors and drops its working directory.
    fn release_resources(&mut self, pid: Pid) -> Result<()> {
        let process = self.procs.get_mut(&pid).ok_or(Errno::ESRCH)?;
        let cwd = process.cwd;
        let (files, vfs, pipes) = (&mut self.files, &mut self.vfs, &mut self.pipes);
        process
            .fds
            .close_all(|id| release_file(files, vfs, pipes, id));
        vfs.unpin(cwd);
        Ok(())
    }

    /// Hands the children of `pid` to init. Returns whether one of them
    /// is a zombie for init to reap.
    fn adopt_orphans(&mut self, pid: Pid) -> bool {
        let mut orphan_zombie = false;
        for child in self.procs.values_mut().filter(|p| p.ppid == pid) {
            child.ppid = INIT_PID;
            orphan_zombie |= child.has_exited() && !child.spawn.hidden;
        }
        orphan_zombie
    }

    /// `pid` has ended with `how`: it becomes a zombie (kept for `wait4`
    /// and for the process-group rules until [`System::reap`]), its
    /// descriptors close and its alarm is cancelled; its children go to
    /// init (which is woken if one of them is a zombie to reap); its
    /// parent is woken and sent SIGCHLD, unless it is a failed spawn's
    /// child that its parent reaps itself; processes waiting on pipes are
    /// woken (this process's ends just closed). Exiting twice does nothing
    /// more.
    pub fn exit(&mut self, pid: Pid, how: Termination) -> Result<()> {
        if self.process(pid)?.has_exited() {
            return Ok(());
        }
        self.release_all_locks(pid);
        self.release_resources(pid)?;
        let process = self.process_mut(pid)?;
        process.state = State::Zombie(how);
        process.alarm_ns = None;
        process.alarm_interval_ns = 0;
        process.spawn.start = None;
        let (parent, hidden) = (process.ppid, process.spawn.hidden);
        if self.adopt_orphans(pid) {
            self.wake(INIT_PID, Block::Child);
        }
        if !hidden {
            self.wake(parent, Block::Child);
            let code = match how {
                Termination::Exited(_) => CLD_EXITED,
                Termination::Killed(_) => CLD_KILLED,
            };
            let info = Info {
                code,
                pid,
                ..Info::NONE
            };
            // The parent may be gone (init has none): no one to tell.
            let _ = self.post_signal(parent, SIGCHLD, info);
        }
        self.wake_all(Block::Pipe);
        Ok(())
    }

    /// `wait4(wanted, .., options)` for `caller`: the first exited child
    /// that `wanted` names, in slot order (see [`ChildWait`]). A failed
    /// spawn's child is never seen. EINVAL for unknown options, ECHILD
    /// when no child matches.
    pub fn wait_child(&self, caller: Pid, wanted: Pid, options: i32) -> Result<ChildWait> {
        if options & !(WNOHANG | WAIT_IGNORED_OPTIONS) != 0 || wanted == i32::MIN {
            return Err(Errno::EINVAL);
        }
        let my_pgid = self.process(caller)?.pgid;
        let mut any_child = false;
        let mut exited = None;
        for child in self.procs.values() {
            if child.ppid != caller
                || child.spawn.hidden
                || !matches_child(wanted, my_pgid, child.pid, child.pgid)
            {
                continue;
            }
            any_child = true;
            if let State::Zombie(how) = child.state {
                if exited.is_none_or(|(slot, _, _)| child.slot < slot) {
                    exited = Some((child.slot, child.pid, how));
                }
            }
        }
        match exited {
            Some((_, pid, how)) => Ok(ChildWait::Exited {
                pid,
                status: how.wait_status(),
            }),
            None if !any_child => Err(Errno::ECHILD),
            None if options & WNOHANG != 0 => Ok(ChildWait::NoneYet),
            None => Ok(ChildWait::Wait),
        }
    }

    /// The `waitid` details of the exited child `pid`: `si_code`
    /// (CLD_EXITED or CLD_KILLED), `si_status` (the exit code or the
    /// signal) and its real uid. ESRCH if missing, ECHILD if it has not
    /// exited.
    pub fn exited_child_info(&self, pid: Pid) -> Result<(i32, i32, u32)> {
        let process = self.process(pid)?;
        let State::Zombie(how) = process.state else {
            return Err(Errno::ECHILD);
        };
        let (code, status) = match how {
            Termination::Exited(code) => (CLD_EXITED, code & EXIT_CODE_MASK),
            Termination::Killed(signal) => (CLD_KILLED, signal),
        };
        Ok((code, status, process.creds.uid.real))
    }

    /// Removes `pid` for good and frees its slot (after `wait4`, or a
    /// failed spawn's child). A process that has not exited is released
    /// first, telling no one. Its processor time, and its reaped
    /// children's, count towards its parent's children's time.
    pub fn reap(&mut self, pid: Pid) -> Result<()> {
        if !self.process(pid)?.has_exited() {
            self.release_resources(pid)?;
            self.adopt_orphans(pid);
        }
        let process = self.process(pid)?;
        let (parent, used) = (
            process.ppid,
            process.cpu.used_ns.saturating_add(process.children_cpu_ns),
        );
        if let Some(parent) = self.procs.get_mut(&parent) {
            parent.children_cpu_ns = parent.children_cpu_ns.saturating_add(used);
        }
        self.procs.remove(&pid);
        Ok(())
    }
}
