//! The spawn profile ([`crate::Sysno::ShimProfile`]): where the kernel's
//! time goes, phase by phase, along a `posix_spawn` round trip.
//!
//! The kernel keeps one counter per [`Phase`]. At every phase boundary it
//! reads the time-stamp counter (`rdtsc`) and charges the cycles since the
//! last boundary to the phase that was running, so the counters always sum
//! to the time since profiling started. Under QEMU's `-icount shift=0` the
//! time-stamp counter is the guest's instruction count, exact and the same
//! on every boot: the profile is then a deterministic count of guest
//! instructions per phase. Profiling is off unless the kernel command
//! line starts with the word `profile` (a mark then costs one load and a
//! branch).
//!
//! The phase list is defined here once; the C copy in
//! `userland/support/include/shim/profile.h` is checked against it by
//! `abi/tests/c_copies.rs`.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// A phase of the spawn round trip. The process that last read the profile
/// (the benchmark) is "the parent"; every other process is "a child".
#[repr(usize)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The parent in user mode: its C library's `posix_spawn`, its loop.
    ParentUser = 0,
    /// The parent in the kernel outside the phases below: trap entry and
    /// exit, dispatch, its other calls (`clock_gettime`, this profile).
    ParentKernel,
    /// `SHIM_SPAWN` copies the request (path, argv, envp, attributes,
    /// actions) in from the parent's memory.
    CopyIn,
    /// The child's process is created (shim-core's `spawn_create`, its
    /// machine slot).
    Create,
    /// From a process giving up the CPU (blocking or exiting) to the next
    /// one running: the scheduler and the context switch.
    Switch,
    /// The child runs the executor: attributes and file actions.
    Executor,
    /// The child closes its close-on-exec descriptors.
    CloseOnExec,
    /// The child looks the image up (path, `#!`, credentials).
    Lookup,
    /// The loader parses the ELF image and plans the auxiliary vector.
    LoadParse,
    /// The loader builds the address space: the page-table root and the
    /// shared read-only pages.
    LoadMapping,
    /// The loader makes the private copies of writable pages.
    LoadPrivate,
    /// The loader builds the initial stack image and maps its pages.
    LoadStack,
    /// The exec is committed, the parent told, and the child enters user
    /// mode for the first time.
    ChildStart,
    /// A child in user mode: the C library's start-up, `main`, `exit`.
    ChildUser,
    /// A child in the kernel outside the phases here: trap entry and exit,
    /// its start-up calls (`arch_prctl`, `set_tid_address`), `exit`'s entry.
    ChildKernel,
    /// `exit`: descriptors closed, the parent told, the address space torn
    /// down.
    Exit,
    /// The parent wakes from a block (the spawn's report, a `wait4`) and
    /// returns.
    Wake,
    /// `wait4`: the status collected and the child reaped.
    Wait4,
}

/// How many phases there are.
pub const PHASE_COUNT: usize = Phase::ALL.len();

impl Phase {
    /// Every phase, in counter order.
    pub const ALL: [Phase; 18] = [
        Phase::ParentUser,
        Phase::ParentKernel,
        Phase::CopyIn,
        Phase::Create,
        Phase::Switch,
        Phase::Executor,
        Phase::CloseOnExec,
        Phase::Lookup,
        Phase::LoadParse,
        Phase::LoadMapping,
        Phase::LoadPrivate,
        Phase::LoadStack,
        Phase::ChildStart,
        Phase::ChildUser,
        Phase::ChildKernel,
        Phase::Exit,
        Phase::Wake,
        Phase::Wait4,
    ];

    /// The phase's name in reports (and in the C copy).
    pub const fn name(self) -> &'static str {
        match self {
            Phase::ParentUser => "parent_user",
            Phase::ParentKernel => "parent_kernel",
            Phase::CopyIn => "copy_in",
            Phase::Create => "create",
            Phase::Switch => "switch",
            Phase::Executor => "executor",
            Phase::CloseOnExec => "cloexec",
            Phase::Lookup => "lookup",
            Phase::LoadParse => "load_parse",
            Phase::LoadMapping => "load_mapping",
            Phase::LoadPrivate => "load_private",
            Phase::LoadStack => "load_stack",
            Phase::ChildStart => "child_start",
            Phase::ChildUser => "child_user",
            Phase::ChildKernel => "child_kernel",
            Phase::Exit => "exit",
            Phase::Wake => "wake",
            Phase::Wait4 => "wait4",
        }
    }

    /// The phase's counter index.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// What [`crate::Sysno::ShimProfile`] writes: the counters since boot.
/// A reader takes two snapshots and subtracts.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct SpawnProfile {
    /// 1 when the kernel profiles (command-line word `profile`), else 0
    /// and every other field 0.
    pub enabled: u64,
    /// The time-stamp counter at the snapshot: the counters sum to its
    /// advance since profiling started, so between two snapshots the sum
    /// of the counters' differences is exactly this field's difference.
    pub now: u64,
    /// Phase boundaries passed (marks taken) since profiling started.
    pub marks: u64,
    /// What one mark costs, in counter cycles (instructions under
    /// icount), measured by the kernel when profiling starts.
    pub mark_cost: u64,
    /// Cycles charged to each phase, indexed by [`Phase::index`].
    pub cycles: [u64; PHASE_COUNT],
}

const _: () = assert!(core::mem::size_of::<SpawnProfile>() == 8 * (4 + PHASE_COUNT));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_listed_in_counter_order() {
        for (index, phase) in Phase::ALL.iter().enumerate() {
            assert_eq!(phase.index(), index, "{phase:?}");
        }
    }

    #[test]
    fn phase_names_are_distinct() {
        for (i, a) in Phase::ALL.iter().enumerate() {
            for b in &Phase::ALL[i + 1..] {
                assert_ne!(a.name(), b.name());
            }
        }
    }
}
