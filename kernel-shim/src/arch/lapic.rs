//! Lets the legacy PIC reach the CPU through the local APIC's LINT0 pin.
//!
//! The kernel takes its interrupts from the 8259 PIC. Those travel through
//! the local APIC's LINT0 entry, which must be unmasked in ExtINT mode.
//! PC firmware does that; QEMU's microvm firmware does not. So at boot the
//! kernel maps the APIC's registers (device memory, [`crate::mm::mmio`],
//! from [`registers_physical`]), enables the APIC, programs LINT0 and
//! masks the APIC timer.

use x86_64::registers::model_specific::Msr;

/// `IA32_APIC_BASE` MSR: physical base of the registers in bits 12..52.
const IA32_APIC_BASE: u32 = 0x1b;
/// Mask of the base address in `IA32_APIC_BASE`.
const BASE_MASK: u64 = 0x000f_ffff_ffff_f000;
/// Bytes of the register page.
pub const REGISTERS_SIZE: u64 = 4096;
/// Register offsets.
const SPURIOUS_VECTOR: usize = 0xf0;
const LVT_TIMER: usize = 0x320;
const LVT_LINT0: usize = 0x350;
/// Spurious-vector register: APIC software enable, spurious vector 0xff.
const SPURIOUS_ENABLE: u32 = 0x1ff;
/// LVT entry: delivery mode ExtINT, unmasked.
const LVT_EXTINT: u32 = 0x700;
/// LVT entry: masked.
const LVT_MASKED: u32 = 1 << 16;

/// Physical address of the APIC's registers ([`REGISTERS_SIZE`] bytes).
pub fn registers_physical() -> u64 {
    // SAFETY: reading the APIC base MSR has no side effect.
    unsafe { Msr::new(IA32_APIC_BASE).read() & BASE_MASK }
}

/// Programs LINT0 for the PIC. Run once at boot.
///
/// # Safety
///
/// `registers` is the virtual address of the APIC's register page
/// ([`registers_physical`]), mapped uncached and writable.
pub unsafe fn route_pic_through_lint0(registers: u64) {
    let register = |offset: usize| (registers as usize + offset) as *mut u32;
    // SAFETY: by the contract the page holds the APIC's registers; these
    // writes are the documented way to enable it and program its LVTs.
    unsafe {
        register(SPURIOUS_VECTOR).write_volatile(SPURIOUS_ENABLE);
        register(LVT_TIMER).write_volatile(LVT_MASKED);
        register(LVT_LINT0).write_volatile(LVT_EXTINT);
    }
}
