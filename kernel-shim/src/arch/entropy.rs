//! Entropy for the kernel's random number generator: the time-stamp
//! counter, and RDRAND when the CPU has it.
//!
//! Under QEMU TCG with the default CPU model there is no RDRAND, and the
//! time-stamp counter is the only source: its low bits at each request
//! vary with everything that ran before, which is good enough to make
//! outputs differ between boots, not a hardware-grade secret.

use core::arch::x86_64::{__cpuid, _rdrand64_step, _rdtsc, CpuidResult};
use core::sync::atomic::{AtomicU8, Ordering};

/// CPUID leaf 1, ECX bit 30: RDRAND.
const CPUID_RDRAND: u32 = 1 << 30;
/// Attempts before RDRAND counts as failed (Intel advises ten).
const RDRAND_RETRIES: usize = 10;

/// Whether the CPU has RDRAND: unknown (0), no (1), yes (2).
static RDRAND: AtomicU8 = AtomicU8::new(0);

fn has_rdrand() -> bool {
    match RDRAND.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            // CPUID leaf 1 exists on every x86_64 CPU.
            let CpuidResult { ecx, .. } = __cpuid(1);
            let present = ecx & CPUID_RDRAND != 0;
            RDRAND.store(if present { 2 } else { 1 }, Ordering::Relaxed);
            present
        }
    }
}

fn rdrand() -> Option<u64> {
    if !has_rdrand() {
        return None;
    }
    for _ in 0..RDRAND_RETRIES {
        let mut value = 0;
        // SAFETY: CPUID says the instruction exists; it writes `value`
        // only.
        if unsafe { _rdrand64_step(&mut value) } == 1 {
            return Some(value);
        }
    }
    None
}

/// Four words of fresh entropy: the time-stamp counter, `now_ns`, and a
/// RDRAND value when there is one (else the counter once more).
pub fn sample(now_ns: u64) -> [u32; 4] {
    // SAFETY: `rdtsc` only reads the time-stamp counter.
    let tsc = unsafe { _rdtsc() };
    let hardware = rdrand().unwrap_or_else(|| {
        // SAFETY: as above.
        unsafe { _rdtsc() }.rotate_left(17)
    });
    [
        tsc as u32 ^ (hardware >> 32) as u32,
        (tsc >> 32) as u32 ^ hardware as u32,
        now_ns as u32,
        (now_ns >> 32) as u32,
    ]
}
