//! Time: the PIT drives the scheduler tick and the monotonic clock.
//!
//! Channel 0 runs as a rate generator at [`TICK_HZ`]. The clock counts
//! ticks and adds the progress of the current period read back from the
//! counter, which gives sub-microsecond resolution without calibrating
//! anything at boot (no boot delay). A tick whose interrupt is still
//! pending (interrupts are off in the kernel) is noticed through the PIC's
//! request register.
//!
//! The wall clock (`CLOCK_REALTIME`) is the monotonic clock plus an offset
//! read once at boot from the CMOS real-time clock (UTC under QEMU, to the
//! second). A machine without one (QEMU's `microvm,rtc=off`) keeps the
//! offset 0: the wall clock then counts from boot.

use crate::arch::pic;
use core::sync::atomic::{AtomicU64, Ordering};
use x86_64::instructions::port::Port;

/// Input clock of the 8254 PIT, in Hz.
pub const PIT_FREQUENCY: u64 = 1_193_182;
/// Scheduler ticks per second.
pub const TICK_HZ: u64 = 1000;
/// Nanoseconds per scheduler tick.
pub const TICK_NS: u64 = NANOS_PER_SECOND / TICK_HZ;
/// Counter reload value: PIT input cycles per tick.
const RELOAD: u64 = (PIT_FREQUENCY + TICK_HZ / 2) / TICK_HZ;
const _: () = assert!(RELOAD > 1 && RELOAD <= u16::MAX as u64);
/// Nanoseconds per second.
pub const NANOS_PER_SECOND: u64 = shim_abi::NANOS_PER_SEC as u64;

/// PIT ports and commands.
mod pit {
    pub const CHANNEL0: u16 = 0x40;
    pub const COMMAND: u16 = 0x43;
    /// Channel 0, lobyte/hibyte access, mode 2 (rate generator), binary.
    pub const CHANNEL0_RATE_GENERATOR: u8 = 0x34;
    /// Channel 0, counter latch.
    pub const CHANNEL0_LATCH: u8 = 0x00;
}

static TICKS: AtomicU64 = AtomicU64::new(0);
/// What [`realtime_ns`] adds to [`now_ns`].
static REALTIME_OFFSET_NS: AtomicU64 = AtomicU64::new(0);
/// The last value [`now_ns`] returned: the clock never goes backwards.
static LAST_NS: AtomicU64 = AtomicU64::new(0);

fn outb(port: u16, value: u8) {
    // SAFETY: PIT ports; programming the PIT only affects timer interrupts.
    unsafe { Port::new(port).write(value) }
}

fn inb(port: u16) -> u8 {
    // SAFETY: reading the latched PIT count has no effect on memory.
    unsafe { Port::new(port).read() }
}

/// Starts the periodic tick.
pub fn init() {
    outb(pit::COMMAND, pit::CHANNEL0_RATE_GENERATOR);
    outb(pit::CHANNEL0, (RELOAD & 0xff) as u8);
    outb(pit::CHANNEL0, (RELOAD >> 8) as u8);
}

/// Sets the wall clock to `seconds` since the Epoch now (boot reads them
/// from the CMOS real-time clock, [`crate::arch::rtc::read`]; without
/// one, the wall clock counts from boot).
pub fn set_wall_clock(seconds: u64) {
    let offset = (seconds * NANOS_PER_SECOND).saturating_sub(now_ns());
    REALTIME_OFFSET_NS.store(offset, Ordering::Relaxed);
}

/// Nanoseconds since the Epoch (UTC), as far as the boot-time reading of
/// the real-time clock knows; see [`init_wall_clock`].
pub fn realtime_ns() -> u64 {
    now_ns() + REALTIME_OFFSET_NS.load(Ordering::Relaxed)
}

/// Counts one timer interrupt.
pub fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

fn read_counter() -> u64 {
    outb(pit::COMMAND, pit::CHANNEL0_LATCH);
    let low = u64::from(inb(pit::CHANNEL0));
    let high = u64::from(inb(pit::CHANNEL0));
    (high << 8) | low
}

/// Nanoseconds since the timer started. Call with interrupts disabled
/// (always true in the kernel outside the idle loop).
pub fn now_ns() -> u64 {
    let (ticks, count) = loop {
        let pending_before = pic::timer_irq_pending();
        let ticks = TICKS.load(Ordering::Relaxed);
        let count = read_counter();
        let pending_after = pic::timer_irq_pending();
        if pending_before == pending_after {
            break (ticks + u64::from(pending_after), count);
        }
    };
    let into_period = RELOAD.saturating_sub(count.min(RELOAD));
    let cycles = ticks * RELOAD + into_period;
    let nanos =
        (u128::from(cycles) * u128::from(NANOS_PER_SECOND) / u128::from(PIT_FREQUENCY)) as u64;
    let last = LAST_NS.fetch_max(nanos, Ordering::Relaxed);
    nanos.max(last)
}
