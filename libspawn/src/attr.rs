//! `SpawnAttr`: the spawn attributes object (`posix_spawnattr_t`).
//!
//! The object is a thin, validated wrapper over [`RawAttr`], the layout the
//! kernel receives. Setters check their argument and leave the object
//! unchanged when they fail; getters return exactly what the setter stored.
#![forbid(unsafe_code)]

use crate::abi::{flags, sched, RawAttr};
use crate::errno::{Errno, Result};
use crate::sigset::SigSet;

bitflags::bitflags! {
    /// The `POSIX_SPAWN_*` flags (Linux/musl values).
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    #[repr(transparent)]
    pub struct SpawnFlags: u32 {
        /// The child's effective ids become the parent's real ids.
        const RESETIDS = flags::POSIX_SPAWN_RESETIDS;
        /// The child's process group is set from [`SpawnAttr::pgroup`].
        const SETPGROUP = flags::POSIX_SPAWN_SETPGROUP;
        /// Signals in [`SpawnAttr::sigdefault`] get the default action.
        const SETSIGDEF = flags::POSIX_SPAWN_SETSIGDEF;
        /// The child's signal mask is [`SpawnAttr::sigmask`].
        const SETSIGMASK = flags::POSIX_SPAWN_SETSIGMASK;
        /// The child's priority is [`SpawnAttr::sched_priority`].
        const SETSCHEDPARAM = flags::POSIX_SPAWN_SETSCHEDPARAM;
        /// The child's policy and priority come from the attributes.
        const SETSCHEDULER = flags::POSIX_SPAWN_SETSCHEDULER;
        /// Accepted for compatibility with glibc and musl; has no effect.
        const USEVFORK = flags::POSIX_SPAWN_USEVFORK;
        /// The child becomes the leader of a new session (POSIX.1-2024).
        const SETSID = flags::POSIX_SPAWN_SETSID;
        /// Extension: the parent does not wait for the image to load.
        const NOWAIT_NP = flags::POSIX_SPAWN_NOWAIT_NP;
    }
}

/// A scheduling policy accepted by `setschedpolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum SchedPolicy {
    /// Time sharing (`SCHED_OTHER`), priority 0.
    Other = sched::SCHED_OTHER,
    /// Real-time first-in first-out (`SCHED_FIFO`), priorities 1..=99.
    Fifo = sched::SCHED_FIFO,
    /// Real-time round robin (`SCHED_RR`), priorities 1..=99.
    RoundRobin = sched::SCHED_RR,
}

impl SchedPolicy {
    /// The policy for a raw `SCHED_*` number, or EINVAL.
    pub const fn from_raw(raw: i32) -> Result<SchedPolicy> {
        match raw {
            sched::SCHED_OTHER => Ok(SchedPolicy::Other),
            sched::SCHED_FIFO => Ok(SchedPolicy::Fifo),
            sched::SCHED_RR => Ok(SchedPolicy::RoundRobin),
            _ => Err(Errno::EINVAL),
        }
    }

    /// The raw `SCHED_*` number.
    pub const fn raw(self) -> i32 {
        self as i32
    }

    /// The valid priorities for this policy, as Linux defines them.
    pub const fn priority_range(self) -> core::ops::RangeInclusive<i32> {
        match self {
            SchedPolicy::Other => 0..=0,
            SchedPolicy::Fifo | SchedPolicy::RoundRobin => {
                sched::REALTIME_PRIORITY_MIN..=sched::REALTIME_PRIORITY_MAX
            }
        }
    }
}

/// The spawn attributes object.
///
/// Defaults (POSIX, checklist items 1-3): no flags, spawn-pgroup 0, empty
/// spawn-sigdefault. Where POSIX leaves the default unspecified we choose:
/// empty spawn-sigmask, `SCHED_OTHER`, priority 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(transparent)]
pub struct SpawnAttr {
    raw: RawAttr,
}

impl SpawnAttr {
    /// An object with every attribute at its default.
    pub const fn new() -> SpawnAttr {
        SpawnAttr {
            raw: RawAttr {
                flags: 0,
                pgroup: 0,
                sigmask: 0,
                sigdefault: 0,
                schedpolicy: sched::SCHED_OTHER,
                schedpriority: 0,
            },
        }
    }

    /// Checks a raw attribute block (for example one the kernel copied
    /// from user memory): EINVAL for unknown flag bits, a negative
    /// spawn-pgroup or an unknown policy.
    pub fn from_raw(raw: RawAttr) -> Result<SpawnAttr> {
        let mut attr = SpawnAttr::new();
        attr.set_flags_bits(raw.flags)?;
        attr.set_pgroup(raw.pgroup)?;
        attr.set_sched_policy_raw(raw.schedpolicy)?;
        attr.set_sched_priority(raw.schedpriority);
        attr.set_sigmask(SigSet::from_bits(raw.sigmask));
        attr.set_sigdefault(SigSet::from_bits(raw.sigdefault));
        Ok(attr)
    }

    /// The raw block, as passed to the kernel.
    pub const fn as_raw(&self) -> &RawAttr {
        &self.raw
    }

    /// The spawn-flags attribute.
    pub const fn flags(&self) -> SpawnFlags {
        SpawnFlags::from_bits_retain(self.raw.flags)
    }

    /// Sets spawn-flags. EINVAL (and no change) if `flags` holds a bit that
    /// is not a `POSIX_SPAWN_*` flag.
    pub fn set_flags(&mut self, flags: SpawnFlags) -> Result<()> {
        self.set_flags_bits(flags.bits())
    }

    /// Sets spawn-flags from raw bits, as `posix_spawnattr_setflags` does.
    /// EINVAL (and no change) for an unknown bit.
    pub fn set_flags_bits(&mut self, bits: u32) -> Result<()> {
        let flags = SpawnFlags::from_bits(bits).ok_or(Errno::EINVAL)?;
        self.raw.flags = flags.bits();
        Ok(())
    }

    /// The spawn-pgroup attribute.
    pub const fn pgroup(&self) -> i32 {
        self.raw.pgroup
    }

    /// Sets spawn-pgroup: 0 means "a new group led by the child". EINVAL
    /// (and no change) for a negative value, which is never a process group.
    pub fn set_pgroup(&mut self, pgroup: i32) -> Result<()> {
        if pgroup < 0 {
            return Err(Errno::EINVAL);
        }
        self.raw.pgroup = pgroup;
        Ok(())
    }

    /// The spawn-sigmask attribute.
    pub const fn sigmask(&self) -> SigSet {
        SigSet::from_bits(self.raw.sigmask)
    }

    /// Sets spawn-sigmask.
    pub fn set_sigmask(&mut self, mask: SigSet) {
        self.raw.sigmask = mask.bits();
    }

    /// The spawn-sigdefault attribute.
    pub const fn sigdefault(&self) -> SigSet {
        SigSet::from_bits(self.raw.sigdefault)
    }

    /// Sets spawn-sigdefault.
    pub fn set_sigdefault(&mut self, signals: SigSet) {
        self.raw.sigdefault = signals.bits();
    }

    /// The spawn-schedpolicy attribute.
    pub fn sched_policy(&self) -> SchedPolicy {
        // Every path that stores a policy validates it first.
        SchedPolicy::from_raw(self.raw.schedpolicy).unwrap_or(SchedPolicy::Other)
    }

    /// The spawn-schedpolicy attribute as its raw `SCHED_*` number.
    pub const fn sched_policy_raw(&self) -> i32 {
        self.raw.schedpolicy
    }

    /// Sets spawn-schedpolicy.
    pub fn set_sched_policy(&mut self, policy: SchedPolicy) {
        self.raw.schedpolicy = policy.raw();
    }

    /// Sets spawn-schedpolicy from a raw number. EINVAL (and no change)
    /// unless it is `SCHED_OTHER`, `SCHED_FIFO` or `SCHED_RR`.
    pub fn set_sched_policy_raw(&mut self, policy: i32) -> Result<()> {
        self.set_sched_policy(SchedPolicy::from_raw(policy)?);
        Ok(())
    }

    /// The `sched_priority` of spawn-schedparam.
    pub const fn sched_priority(&self) -> i32 {
        self.raw.schedpriority
    }

    /// Sets the `sched_priority` of spawn-schedparam. Any value is stored:
    /// whether it suits the policy is only known at spawn time, where the
    /// host's scheduler rejects it with EINVAL (as glibc and Linux do).
    pub fn set_sched_priority(&mut self, priority: i32) {
        self.raw.schedpriority = priority;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Checklist item 1.
    #[test]
    fn new_attr_has_no_flags() {
        assert_eq!(SpawnAttr::new().flags(), SpawnFlags::empty());
    }

    // Checklist item 2.
    #[test]
    fn new_attr_has_pgroup_zero() {
        assert_eq!(SpawnAttr::new().pgroup(), 0);
    }

    // Checklist item 3.
    #[test]
    fn new_attr_has_empty_sigdefault() {
        assert!(SpawnAttr::new().sigdefault().is_empty());
    }

    #[test]
    fn default_equals_new() {
        assert_eq!(SpawnAttr::default(), SpawnAttr::new());
    }

    // Checklist item 4.
    #[test]
    fn posix_issue7_flags_round_trip() {
        let mut attr = SpawnAttr::new();
        let all = SpawnFlags::RESETIDS
            | SpawnFlags::SETPGROUP
            | SpawnFlags::SETSIGDEF
            | SpawnFlags::SETSIGMASK
            | SpawnFlags::SETSCHEDPARAM
            | SpawnFlags::SETSCHEDULER;
        assert_eq!(attr.set_flags(all), Ok(()));
        assert_eq!(attr.flags(), all);
        assert_eq!(attr.flags().bits(), 0x3f);
    }

    // Checklist item 5.
    #[test]
    fn setsid_flag_is_accepted() {
        let mut attr = SpawnAttr::new();
        assert_eq!(attr.set_flags_bits(0x80), Ok(()));
        assert_eq!(attr.flags(), SpawnFlags::SETSID);
    }

    #[test]
    fn nowait_extension_flag_is_accepted() {
        let mut attr = SpawnAttr::new();
        assert_eq!(attr.set_flags_bits(0x200), Ok(()));
        assert_eq!(attr.flags(), SpawnFlags::NOWAIT_NP);
    }

    #[test]
    fn usevfork_is_accepted() {
        let mut attr = SpawnAttr::new();
        assert_eq!(attr.set_flags_bits(0x40), Ok(()));
        assert_eq!(attr.flags(), SpawnFlags::USEVFORK);
    }

    // Checklist item 6.
    // Checklist item 7.
    // 0x100 is glibc's SETCGROUP, which we lack, so EINVAL (as glibc 2.36).
    #[test]
    fn unknown_flag_bits_are_einval_and_change_nothing() {
        let mut attr = SpawnAttr::new();
        attr.set_flags(SpawnFlags::SETSID).unwrap();
        for bits in [0x4000, 0x100, 0x8000_0000, 0x81 | 0x400] {
            assert_eq!(attr.set_flags_bits(bits), Err(Errno::EINVAL));
            assert_eq!(attr.flags(), SpawnFlags::SETSID);
        }
        let unknown = SpawnFlags::from_bits_retain(0x100);
        assert_eq!(attr.set_flags(unknown), Err(Errno::EINVAL));
        assert_eq!(attr.flags(), SpawnFlags::SETSID);
    }

    // Checklist item 8.
    #[test]
    fn unknown_sched_policy_is_einval_and_changes_nothing() {
        let mut attr = SpawnAttr::new();
        attr.set_sched_policy(SchedPolicy::RoundRobin);
        for bad in [12345, -1, 3, 5] {
            assert_eq!(attr.set_sched_policy_raw(bad), Err(Errno::EINVAL));
            assert_eq!(attr.sched_policy(), SchedPolicy::RoundRobin);
        }
    }

    // Checklist item 9.
    #[test]
    fn every_getter_returns_what_its_setter_stored() {
        let mut attr = SpawnAttr::new();
        attr.set_pgroup(42).unwrap();
        assert_eq!(attr.pgroup(), 42);
        let mask: SigSet = [10, 12].into_iter().collect();
        attr.set_sigmask(mask);
        assert_eq!(attr.sigmask(), mask);
        let def: SigSet = [1, 64].into_iter().collect();
        attr.set_sigdefault(def);
        assert_eq!(attr.sigdefault(), def);
        attr.set_sched_policy_raw(1).unwrap();
        assert_eq!(attr.sched_policy(), SchedPolicy::Fifo);
        assert_eq!(attr.sched_policy_raw(), 1);
        attr.set_sched_priority(7);
        assert_eq!(attr.sched_priority(), 7);
    }

    #[test]
    fn negative_pgroup_is_einval_and_changes_nothing() {
        let mut attr = SpawnAttr::new();
        attr.set_pgroup(5).unwrap();
        assert_eq!(attr.set_pgroup(-1), Err(Errno::EINVAL));
        assert_eq!(attr.pgroup(), 5);
    }

    #[test]
    fn from_raw_accepts_what_the_setters_produce() {
        let mut attr = SpawnAttr::new();
        attr.set_flags(SpawnFlags::SETSIGMASK | SpawnFlags::SETPGROUP)
            .unwrap();
        attr.set_pgroup(3).unwrap();
        attr.set_sigmask(SigSet::from_bits(0xff));
        assert_eq!(SpawnAttr::from_raw(*attr.as_raw()), Ok(attr));
    }

    #[test]
    fn from_raw_rejects_malformed_blocks() {
        let good = *SpawnAttr::new().as_raw();
        let bad_flags = RawAttr {
            flags: 0x100,
            ..good
        };
        let bad_pgroup = RawAttr { pgroup: -3, ..good };
        let bad_policy = RawAttr {
            schedpolicy: 9,
            ..good
        };
        for raw in [bad_flags, bad_pgroup, bad_policy] {
            assert_eq!(SpawnAttr::from_raw(raw), Err(Errno::EINVAL));
        }
    }
}
