//! The spawn profile's counters: cycles of the time-stamp counter charged
//! to the phases of [`shim_abi::Phase`] (what each covers is documented
//! there; the system call that reads them is `SHIM_PROFILE`).
//!
//! One phase runs at a time. [`mark`] ends it: the cycles since the last
//! mark go to its counter, and the named phase starts. Marks sit at the
//! phase boundaries of the spawn path (`sys/spawn.rs`, the child's side in
//! `sys/spawn_child.rs` and shim-core, the loader, exit, `wait4`, blocking)
//! and at every entry from and return to user mode ([`entered_from_user`],
//! [`leaving_to_user`]), where the phase is the running process's
//! ([`running`]: the profile's parent or a child). Every cycle is charged
//! to exactly one phase, so the counters sum to the counter's advance.
//!
//! Under QEMU's `-icount shift=0` the time-stamp counter is the guest's
//! instruction count (QEMU derives it from the icount clock and ends a
//! translation block at `rdtsc`, so the count is exact), which makes the
//! profile a deterministic instruction count.
//!
//! Profiling is off unless [`enable`] was called (the kernel command-line
//! word `profile`); a mark then costs a load and a branch. When on, a mark
//! costs what [`enable`] measured ([`SpawnProfile::mark_cost`]). The
//! counters are plain statics, not per CPU: the kernel runs on one CPU and
//! marks are taken with interrupts disabled (no interrupt handler marks).

use core::arch::x86_64::_rdtsc;
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, AtomicUsize, Ordering};
use shim_abi::{Phase, SpawnProfile, PHASE_COUNT};

/// Whether profiling is on.
static ENABLED: AtomicBool = AtomicBool::new(false);
/// The running phase's index.
static CURRENT: AtomicUsize = AtomicUsize::new(Phase::ParentKernel.index());
/// The counter at the last mark.
static SINCE: AtomicU64 = AtomicU64::new(0);
/// Cycles charged per phase.
static CYCLES: [AtomicU64; PHASE_COUNT] = [const { AtomicU64::new(0) }; PHASE_COUNT];
/// Marks taken.
static MARKS: AtomicU64 = AtomicU64::new(0);
/// What one mark costs, measured by [`enable`].
static MARK_COST: AtomicU64 = AtomicU64::new(0);
/// The profile's parent: the process that last read the profile.
static PARENT: AtomicI32 = AtomicI32::new(0);
/// The running process's user-mode and kernel phases.
static USER_PHASE: AtomicUsize = AtomicUsize::new(Phase::ParentUser.index());
static KERNEL_PHASE: AtomicUsize = AtomicUsize::new(Phase::ParentKernel.index());

/// Marks [`enable`] takes to measure what one costs.
const CALIBRATION_MARKS: u64 = 1000;

fn tsc() -> u64 {
    // SAFETY: `rdtsc` only reads the time-stamp counter.
    unsafe { _rdtsc() }
}

/// Ends the running phase and starts `phase`.
#[inline(never)]
pub fn mark(phase: Phase) {
    if ENABLED.load(Ordering::Relaxed) {
        charge(phase.index());
    }
}

fn charge(next: usize) {
    let now = tsc();
    let previous = CURRENT.load(Ordering::Relaxed);
    let elapsed = now.wrapping_sub(SINCE.load(Ordering::Relaxed));
    CYCLES[previous].store(
        CYCLES[previous]
            .load(Ordering::Relaxed)
            .wrapping_add(elapsed),
        Ordering::Relaxed,
    );
    SINCE.store(now, Ordering::Relaxed);
    CURRENT.store(next, Ordering::Relaxed);
    MARKS.store(MARKS.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

/// Turns profiling on (at boot, before any process runs): measures what a
/// mark costs, then starts every counter at zero.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
    let start = tsc();
    for _ in 0..CALIBRATION_MARKS {
        mark(core::hint::black_box(Phase::ParentKernel));
    }
    let cost = tsc().wrapping_sub(start) / CALIBRATION_MARKS;
    MARK_COST.store(cost, Ordering::Relaxed);
    for counter in &CYCLES {
        counter.store(0, Ordering::Relaxed);
    }
    MARKS.store(0, Ordering::Relaxed);
    CURRENT.store(Phase::ParentKernel.index(), Ordering::Relaxed);
    SINCE.store(tsc(), Ordering::Relaxed);
}

/// The scheduler is about to run `pid`: its user-mode and kernel phases
/// are the parent's if it is the profile's parent, else a child's.
pub fn running(pid: i32) {
    let parent = pid == PARENT.load(Ordering::Relaxed);
    let (user, kernel) = if parent {
        (Phase::ParentUser, Phase::ParentKernel)
    } else {
        (Phase::ChildUser, Phase::ChildKernel)
    };
    USER_PHASE.store(user.index(), Ordering::Relaxed);
    KERNEL_PHASE.store(kernel.index(), Ordering::Relaxed);
}

/// A trap from user mode entered the kernel.
pub fn entered_from_user() {
    if ENABLED.load(Ordering::Relaxed) {
        charge(KERNEL_PHASE.load(Ordering::Relaxed));
    }
}

/// The kernel returns to user mode.
pub fn leaving_to_user() {
    if ENABLED.load(Ordering::Relaxed) {
        charge(USER_PHASE.load(Ordering::Relaxed));
    }
}

/// A process resumed in the kernel after giving up the CPU (preemption):
/// its kernel phase runs again.
pub fn resumed_in_kernel() {
    if ENABLED.load(Ordering::Relaxed) {
        charge(KERNEL_PHASE.load(Ordering::Relaxed));
    }
}

/// The counters now, for process `reader`, which becomes the profile's
/// parent (all zero when profiling is off).
pub fn snapshot(reader: i32) -> SpawnProfile {
    if !ENABLED.load(Ordering::Relaxed) {
        return SpawnProfile::default();
    }
    PARENT.store(reader, Ordering::Relaxed);
    running(reader);
    // Charge the running phase up to now, so the counters sum to `now`.
    charge(CURRENT.load(Ordering::Relaxed));
    SpawnProfile {
        enabled: 1,
        now: SINCE.load(Ordering::Relaxed),
        marks: MARKS.load(Ordering::Relaxed),
        mark_cost: MARK_COST.load(Ordering::Relaxed),
        cycles: core::array::from_fn(|index| CYCLES[index].load(Ordering::Relaxed)),
    }
}
