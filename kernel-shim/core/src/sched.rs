//! Scheduling: per-process policy and priority, with Linux's ranges and
//! privilege rules.
//!
//! SCHED_OTHER takes priority 0 only; SCHED_FIFO and SCHED_RR take 1..=99.
//! Anything else is EINVAL. An unprivileged process (euid != 0) cannot
//! enter a real-time policy or raise its real-time priority (EPERM), as on
//! Linux with RLIMIT_RTPRIO 0; it may keep its current real-time policy at
//! the same or a lower priority, and may always go back to SCHED_OTHER.
//!
//! The nice value (`getpriority`/`setpriority`, setpriority(2)) is kept
//! per process beside the policy, -20..=19 (0 at boot), inherited by
//! spawned children and kept across `execve`; a policy change leaves it
//! as it is. The scheduler does not look at it: SCHED_OTHER processes
//! share the CPU round robin whatever their nice values.

use libspawn::{Errno, Result, SchedPolicy};
use shim_abi::priority::{NICE_MAX, NICE_MIN};

/// A process's scheduling policy and priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sched {
    /// The policy.
    pub policy: SchedPolicy,
    /// The priority (`sched_param.sched_priority`).
    pub priority: i32,
    /// The nice value, [`NICE_MIN`]..=[`NICE_MAX`] (stored and reported,
    /// not used for scheduling).
    pub nice: i32,
}

impl Default for Sched {
    fn default() -> Self {
        Sched {
            policy: SchedPolicy::Other,
            priority: 0,
            nice: 0,
        }
    }
}

/// `sched_get_priority_min(policy)`: EINVAL for an unknown policy.
pub fn priority_min(policy: i32) -> Result<i32> {
    Ok(*SchedPolicy::from_raw(policy)?.priority_range().start())
}

/// `sched_get_priority_max(policy)`: EINVAL for an unknown policy.
pub fn priority_max(policy: i32) -> Result<i32> {
    Ok(*SchedPolicy::from_raw(policy)?.priority_range().end())
}

fn is_realtime(policy: SchedPolicy) -> bool {
    policy != SchedPolicy::Other
}

impl Sched {
    /// Whether the process runs under a real-time policy.
    pub fn is_realtime(&self) -> bool {
        is_realtime(self.policy)
    }

    /// `sched_setscheduler(.., policy, priority)`: EINVAL for a priority
    /// outside the policy's range; EPERM as the module describes. Nothing
    /// changes on failure.
    pub fn set_scheduler(
        &mut self,
        policy: SchedPolicy,
        priority: i32,
        privileged: bool,
    ) -> Result<()> {
        if !policy.priority_range().contains(&priority) {
            return Err(Errno::EINVAL);
        }
        if !privileged && is_realtime(policy) && (policy != self.policy || priority > self.priority)
        {
            return Err(Errno::EPERM);
        }
        self.policy = policy;
        self.priority = priority;
        Ok(())
    }

    /// `sched_setscheduler` with a raw policy number (EINVAL if unknown).
    pub fn set_scheduler_raw(
        &mut self,
        policy: i32,
        priority: i32,
        privileged: bool,
    ) -> Result<()> {
        self.set_scheduler(SchedPolicy::from_raw(policy)?, priority, privileged)
    }

    /// `sched_setparam(.., priority)`: the current policy, a new priority.
    pub fn set_param(&mut self, priority: i32, privileged: bool) -> Result<()> {
        self.set_scheduler(self.policy, priority, privileged)
    }

    /// `setpriority`'s change of one process's nice value (setpriority(2)):
    /// `nice` is clamped to [`NICE_MIN`]..=[`NICE_MAX`]; a value below the
    /// current one needs privilege (EACCES otherwise: RLIMIT_NICE is 0, so
    /// an unprivileged process may only raise its nice value). Nothing
    /// changes on failure.
    pub fn set_nice(&mut self, nice: i32, privileged: bool) -> Result<()> {
        let nice = nice.clamp(NICE_MIN, NICE_MAX);
        if nice < self.nice && !privileged {
            return Err(Errno::EACCES);
        }
        self.nice = nice;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim_abi::sched::{SCHED_FIFO, SCHED_OTHER, SCHED_RR};

    #[test]
    fn priority_ranges_are_linux_ones() {
        assert_eq!(priority_min(SCHED_OTHER), Ok(0));
        assert_eq!(priority_max(SCHED_OTHER), Ok(0));
        assert_eq!(priority_min(SCHED_FIFO), Ok(1));
        assert_eq!(priority_max(SCHED_RR), Ok(99));
        assert_eq!(priority_min(7), Err(Errno::EINVAL));
        assert_eq!(priority_max(-1), Err(Errno::EINVAL));
    }

    #[test]
    fn root_may_choose_fifo_and_rr() {
        let mut sched = Sched::default();
        sched.set_scheduler(SchedPolicy::Fifo, 50, true).unwrap();
        assert_eq!((sched.policy, sched.priority), (SchedPolicy::Fifo, 50));
        sched.set_param(99, true).unwrap();
        assert_eq!(sched.priority, 99);
    }

    #[test]
    fn out_of_range_priorities_are_einval_and_change_nothing() {
        let mut sched = Sched::default();
        assert_eq!(
            sched.set_scheduler(SchedPolicy::Other, 1, true),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            sched.set_scheduler(SchedPolicy::Fifo, 0, true),
            Err(Errno::EINVAL)
        );
        assert_eq!(
            sched.set_scheduler(SchedPolicy::RoundRobin, 100, true),
            Err(Errno::EINVAL)
        );
        assert_eq!(sched.set_param(5, true), Err(Errno::EINVAL));
        assert_eq!(sched.set_scheduler_raw(9, 0, true), Err(Errno::EINVAL));
        assert_eq!(sched, Sched::default());
    }

    #[test]
    fn unprivileged_cannot_enter_a_realtime_policy() {
        let mut sched = Sched::default();
        assert_eq!(
            sched.set_scheduler(SchedPolicy::Fifo, 1, false),
            Err(Errno::EPERM)
        );
        assert_eq!(
            sched.set_scheduler(SchedPolicy::RoundRobin, 1, false),
            Err(Errno::EPERM)
        );
        assert_eq!(sched, Sched::default());
        assert_eq!(sched.set_scheduler(SchedPolicy::Other, 0, false), Ok(()));
    }

    #[test]
    fn unprivileged_realtime_process_may_lower_but_not_raise_its_priority() {
        let mut sched = Sched {
            policy: SchedPolicy::Fifo,
            priority: 10,
            nice: 0,
        };
        assert_eq!(sched.set_param(11, false), Err(Errno::EPERM));
        assert_eq!(sched.set_param(5, false), Ok(()));
        assert_eq!(
            sched.set_scheduler(SchedPolicy::RoundRobin, 5, false),
            Err(Errno::EPERM)
        );
        assert_eq!(sched.set_scheduler(SchedPolicy::Other, 0, false), Ok(()));
    }

    #[test]
    fn nice_values_are_clamped_to_minus_20_through_19() {
        let mut sched = Sched::default();
        sched.set_nice(100, false).unwrap();
        assert_eq!(sched.nice, 19);
        sched.set_nice(-100, true).unwrap();
        assert_eq!(sched.nice, -20);
    }

    #[test]
    fn unprivileged_may_raise_but_not_lower_its_nice_value() {
        let mut sched = Sched::default();
        assert_eq!(sched.set_nice(-1, false), Err(Errno::EACCES));
        assert_eq!(sched.nice, 0);
        sched.set_nice(5, false).unwrap();
        assert_eq!(sched.set_nice(4, false), Err(Errno::EACCES));
        assert_eq!(sched.set_nice(5, false), Ok(()));
        assert_eq!(sched.set_nice(4, true), Ok(()));
        assert_eq!(sched.nice, 4);
    }

    #[test]
    fn a_policy_change_keeps_the_nice_value() {
        let mut sched = Sched::default();
        sched.set_nice(7, false).unwrap();
        sched.set_scheduler(SchedPolicy::Fifo, 3, true).unwrap();
        sched.set_scheduler(SchedPolicy::Other, 0, true).unwrap();
        assert_eq!(sched.nice, 7);
    }
}
