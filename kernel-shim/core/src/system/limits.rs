//! Resource limits and usage of processes: `prlimit64` (and through it
//! `getrlimit` and `setrlimit`), the CPU times `getrusage` and `times`
//! report.

use libspawn::{Errno, Result};
use shim_abi::Rlimit;

use super::System;
use crate::creds::Creds;
use crate::process::{Pid, State};

/// Whether `caller` may read or change the limits of `target` through
/// `prlimit64` (Linux's rule): itself, or privileged, or the caller's real
/// uid is the target's real, effective and saved uid and its real gid the
/// target's real, effective and saved gid.
fn may_prlimit(caller: &Creds, target: &Creds, itself: bool) -> bool {
    let same = |id: u32, ids: [u32; 3]| ids.iter().all(|&other| other == id);
    itself
        || caller.privileged()
        || (same(
            caller.uid.real,
            [target.uid.real, target.uid.effective, target.uid.saved],
        ) && same(
            caller.gid.real,
            [target.gid.real, target.gid.effective, target.gid.saved],
        ))
}

/// The CPU times of a process and of its reaped children, in
/// nanoseconds. The kernel does not tell user from system time: all of a
/// process's time counts as user time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuTimes {
    /// The process's own time, the turn in progress included.
    pub own_ns: u64,
    /// Its waited-for children's (and their waited-for descendants').
    pub children_ns: u64,
}

impl System {
    /// `prlimit64(pid, resource, new)` by `caller` (`pid` 0: the caller):
    /// returns the limit before the call, and sets `new` if given (see
    /// [`Limits::set`](crate::rlimit::Limits::set); the privilege to
    /// raise a hard limit is the caller's). A new RLIMIT_NOFILE soft
    /// limit applies to the target's descriptor table at once. ESRCH for
    /// a missing or negative pid, EPERM when the caller may not act on
    /// the target (see [`may_prlimit`]), EINVAL for an unknown resource
    /// or a soft limit above the hard one. Nothing changes on error.
    pub fn prlimit(
        &mut self,
        caller: Pid,
        pid: Pid,
        resource: u32,
        new: Option<Rlimit>,
    ) -> Result<Rlimit> {
        let creds = self.process(caller)?.creds;
        let target_pid = match pid {
            0 => caller,
            pid if pid < 0 => return Err(Errno::ESRCH),
            pid => pid,
        };
        let target = self.process_mut(target_pid)?;
        if !may_prlimit(&creds, &target.creds, target_pid == caller) {
            return Err(Errno::EPERM);
        }
        let Some(new) = new else {
            return target.limits.get(resource);
        };
        let old = target.limits.set(resource, new, creds.privileged())?;
        let nofile = target.limits.nofile();
        target.fds.set_limit(nofile);
        Ok(old)
    }

    /// The CPU times of `pid` at `now_ns` ([`CpuTimes`]). ESRCH.
    pub fn cpu_times(&self, pid: Pid, now_ns: u64) -> Result<CpuTimes> {
        let process = self.process(pid)?;
        let turn = if process.state == State::Running {
            now_ns.saturating_sub(process.cpu.turn_started_ns)
        } else {
            0
        };
        Ok(CpuTimes {
            own_ns: process.cpu.used_ns.saturating_add(turn),
            children_ns: process.children_cpu_ns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::Creds;
    use crate::process::INIT_PID;
    use shim_abi::rlimit::{RLIMIT_CORE, RLIMIT_NOFILE, RLIM_INFINITY};
    use shim_abi::OPEN_MAX;

    const CHILD: Pid = 2;
    const OTHER: Pid = 3;

    fn limit(cur: u64, max: u64) -> Rlimit {
        Rlimit { cur, max }
    }

    /// Init (root) with two children, both set to `uid`.
    fn system(uid: u32) -> System {
        let mut system = System::new();
        system.create_init(INIT_PID).unwrap();
        for pid in [CHILD, OTHER] {
            system.create_child(INIT_PID, pid).unwrap();
            system.process_mut(pid).unwrap().creds = Creds::new(uid, uid);
        }
        system
    }

    #[test]
    fn pid_zero_is_the_caller_and_a_missing_pid_is_esrch() {
        let mut system = system(1000);
        let nofile = limit(OPEN_MAX as u64, OPEN_MAX as u64);
        assert_eq!(system.prlimit(CHILD, 0, RLIMIT_NOFILE, None), Ok(nofile));
        assert_eq!(
            system.prlimit(CHILD, 99, RLIMIT_NOFILE, None),
            Err(Errno::ESRCH)
        );
        assert_eq!(
            system.prlimit(CHILD, -1, RLIMIT_NOFILE, None),
            Err(Errno::ESRCH)
        );
    }

    #[test]
    fn setting_returns_the_old_limit_and_nofile_reaches_the_descriptor_table() {
        let mut system = system(1000);
        assert_eq!(
            system.prlimit(CHILD, 0, RLIMIT_NOFILE, Some(limit(5, 100))),
            Ok(limit(1024, 1024))
        );
        assert_eq!(system.process(CHILD).unwrap().fds().limit(), 5);
        assert_eq!(
            system.prlimit(CHILD, 0, RLIMIT_NOFILE, None),
            Ok(limit(5, 100))
        );
        assert_eq!(
            system.prlimit(CHILD, 0, RLIMIT_NOFILE, Some(limit(5, 200))),
            Err(Errno::EPERM)
        );
    }

    #[test]
    fn another_process_of_the_same_user_is_allowed_a_different_user_eperm() {
        let mut system = system(1000);
        assert_eq!(
            system.prlimit(CHILD, OTHER, RLIMIT_CORE, Some(limit(0, 0))),
            Ok(limit(RLIM_INFINITY, RLIM_INFINITY))
        );
        system.process_mut(OTHER).unwrap().creds.uid.saved = 0;
        assert_eq!(
            system.prlimit(CHILD, OTHER, RLIMIT_CORE, None),
            Err(Errno::EPERM)
        );
        system.process_mut(OTHER).unwrap().creds = Creds::new(1000, 7);
        assert_eq!(
            system.prlimit(CHILD, OTHER, RLIMIT_CORE, None),
            Err(Errno::EPERM)
        );
        // Root may act on anyone, and raise hard limits.
        assert_eq!(
            system.prlimit(INIT_PID, OTHER, RLIMIT_CORE, Some(limit(1, 1))),
            Ok(limit(0, 0))
        );
    }

    #[test]
    fn a_new_child_inherits_its_parents_limits() {
        let mut system = system(1000);
        system
            .prlimit(CHILD, 0, RLIMIT_NOFILE, Some(limit(7, 9)))
            .unwrap();
        system.create_child(CHILD, 10).unwrap();
        assert_eq!(system.prlimit(10, 0, RLIMIT_NOFILE, None), Ok(limit(7, 9)));
        assert_eq!(system.process(10).unwrap().fds().limit(), 7);
    }

    #[test]
    fn reaping_adds_the_childs_time_to_the_parents_children_time() {
        let mut system = system(1000);
        system.process_mut(CHILD).unwrap().cpu.used_ns = 300;
        system.process_mut(CHILD).unwrap().children_cpu_ns = 20;
        system
            .exit(CHILD, crate::wait_status::Termination::Exited(0))
            .unwrap();
        system.reap(CHILD).unwrap();
        let times = system.cpu_times(INIT_PID, 0).unwrap();
        assert_eq!(times.children_ns, 320);
    }
}
