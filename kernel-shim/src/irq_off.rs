//! Interrupts-off stretches: how long the kernel keeps interrupts masked,
//! and the windows that bound it.
//!
//! The kernel runs with interrupts disabled: `syscall` masks them (SFMASK),
//! an interrupt or exception gate masks them, and they come back only when
//! the kernel returns to user mode (`iretq` restores the user's RFLAGS) or
//! the scheduler idles. A stretch starts at [`entered`] (a trap from user
//! mode, or the idle loop masking again) and ends at [`leaving`] (the
//! return to user mode) or at a [`window`]. Loops whose length depends on
//! what exists (pages of a mapping, frames of an address space) call
//! [`window`] once per unit of work: interrupts are let in for one
//! instruction, so the timer's ticks are counted while a long call runs.
//! No interrupt handler takes a lock when it interrupts kernel code (the
//! timer then only counts the tick), so a window is safe with any lock
//! held.
//!
//! Stretches are measured with the time-stamp counter; the longest one and
//! what the kernel was doing (the system call or trap that started it) are
//! written to the kernel log when QEMU is powered off ([`report`]), with
//! the counter's rate measured against the PIT clock over the whole run.
//! The boot (until init first runs) is reported apart.

use crate::time;
use core::arch::x86_64::_rdtsc;
use core::sync::atomic::{AtomicU64, Ordering};
use x86_64::instructions::interrupts;

/// What started the stretch: a system-call number, or a trap vector plus
/// [`TRAP_CAUSE`], or [`IDLE_CAUSE`].
static CAUSE: AtomicU64 = AtomicU64::new(IDLE_CAUSE);
/// Time-stamp counter at the start of the current stretch.
static STARTED: AtomicU64 = AtomicU64::new(0);
/// The longest stretch so far, in counter cycles, and its cause.
static LONGEST: AtomicU64 = AtomicU64::new(0);
static LONGEST_CAUSE: AtomicU64 = AtomicU64::new(IDLE_CAUSE);
/// The stretch from [`init`] to the first return to user mode (boot).
static BOOT_LENGTH: AtomicU64 = AtomicU64::new(0);
/// Counter and clock at [`init`], to convert cycles to nanoseconds.
static BOOT_TSC: AtomicU64 = AtomicU64::new(0);
static BOOT_NS: AtomicU64 = AtomicU64::new(0);

/// Added to a trap vector in [`CAUSE`], to tell it from a system call.
pub const TRAP_CAUSE: u64 = 1 << 32;
/// The cause of a stretch that started in the scheduler's idle loop.
pub const IDLE_CAUSE: u64 = u64::MAX;
/// The cause of the first stretch: boot, until init first runs in user
/// mode (counted apart from the others).
const BOOT_CAUSE: u64 = u64::MAX - 1;

fn tsc() -> u64 {
    // SAFETY: `rdtsc` only reads the time-stamp counter.
    unsafe { _rdtsc() }
}

/// Starts measuring (after the clock is running).
pub fn init() {
    BOOT_TSC.store(tsc(), Ordering::Relaxed);
    BOOT_NS.store(time::now_ns(), Ordering::Relaxed);
    CAUSE.store(BOOT_CAUSE, Ordering::Relaxed);
    STARTED.store(tsc(), Ordering::Relaxed);
}

/// Interrupts were just masked by a trap from user mode (`cause`: a
/// system-call number or `TRAP_CAUSE + vector`): a stretch starts.
pub fn entered(cause: u64) {
    crate::failslab::arm();
    CAUSE.store(cause, Ordering::Relaxed);
    STARTED.store(tsc(), Ordering::Relaxed);
}

/// Interrupts are about to be enabled: the stretch ends.
pub fn leaving() {
    let length = tsc().saturating_sub(STARTED.load(Ordering::Relaxed));
    let cause = CAUSE.load(Ordering::Relaxed);
    if cause == BOOT_CAUSE {
        BOOT_LENGTH.fetch_add(length, Ordering::Relaxed);
    } else if length > LONGEST.load(Ordering::Relaxed) {
        LONGEST.store(length, Ordering::Relaxed);
        LONGEST_CAUSE.store(cause, Ordering::Relaxed);
    }
}

/// Restarts the stretch after interrupts were enabled, keeping its cause.
fn resumed() {
    STARTED.store(tsc(), Ordering::Relaxed);
}

/// Lets pending interrupts in for an instant (call with interrupts
/// disabled; they are disabled again on return).
pub fn window() {
    leaving();
    interrupts::enable();
    // `sti` takes effect after the next instruction: one is needed before
    // `cli` for an interrupt to be taken.
    core::hint::spin_loop();
    interrupts::disable();
    resumed();
}

/// The idle loop: waits for the next interrupt with interrupts enabled;
/// returns with them disabled.
pub fn halt() {
    leaving();
    interrupts::enable_and_hlt();
    interrupts::disable();
    CAUSE.store(IDLE_CAUSE, Ordering::Relaxed);
    resumed();
}

/// Converts counter cycles to nanoseconds at the counter's rate measured
/// since [`init`] against the PIT clock.
fn cycles_to_ns(cycles: u64) -> u64 {
    let elapsed_tsc = tsc().saturating_sub(BOOT_TSC.load(Ordering::Relaxed));
    let elapsed_ns = time::now_ns().saturating_sub(BOOT_NS.load(Ordering::Relaxed));
    if elapsed_tsc == 0 {
        return 0;
    }
    (u128::from(cycles) * u128::from(elapsed_ns) / u128::from(elapsed_tsc)) as u64
}

/// Writes the longest stretch since boot to the kernel log, one line that
/// `x.py fuzz guest` and `x.py bench` read: `irq-off: longest N ns (C
/// cycles), cause WHAT; boot N ns` (WHAT: `syscall N`, `trap N` or `idle`;
/// boot is the stretch before init first ran, not counted in the longest).
pub fn report() {
    let cycles = LONGEST.load(Ordering::Relaxed);
    let nanos = cycles_to_ns(cycles);
    let boot = cycles_to_ns(BOOT_LENGTH.load(Ordering::Relaxed));
    let (what, number) = match LONGEST_CAUSE.load(Ordering::Relaxed) {
        IDLE_CAUSE | BOOT_CAUSE => ("idle", None),
        cause if cause >= TRAP_CAUSE => ("trap", Some(cause - TRAP_CAUSE)),
        cause => ("syscall", Some(cause)),
    };
    match number {
        Some(number) => klog!(
            "irq-off: longest {nanos} ns ({cycles} cycles), cause {what} {number}; boot {boot} ns"
        ),
        None => {
            klog!("irq-off: longest {nanos} ns ({cycles} cycles), cause {what}; boot {boot} ns")
        }
    }
}
