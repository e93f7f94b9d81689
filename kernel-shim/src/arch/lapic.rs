//! Lets the legacy PIC reach the CPU through the local APIC's LINT0 pin.
//!
//! The kernel takes its interrupts from the 8259 PIC. Those travel through
//! the local APIC's LINT0 entry, which must be unmasked in ExtINT mode.
//! PC firmware does that; QEMU's microvm firmware does not. So the kernel
//! maps the APIC's registers for a moment at boot, enables the APIC,
//! programs LINT0 and masks the APIC timer, then unmaps them again: no
//! address space keeps the mapping.

use x86_64::instructions::tlb;
use x86_64::registers::model_specific::Msr;
use x86_64::structures::paging::{PageTable, PageTableFlags as Flags};
use x86_64::VirtAddr;

/// `IA32_APIC_BASE` MSR: physical base of the registers in bits 12..52.
const IA32_APIC_BASE: u32 = 0x1b;
/// Mask of the base address in `IA32_APIC_BASE`.
const BASE_MASK: u64 = 0x000f_ffff_ffff_f000;
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
/// The mapping uses one 2 MiB page.
const HUGE_PAGE: u64 = 2 << 20;
/// Bits of an address that index a PDPT and a page directory.
const PDPT_SHIFT: u32 = 30;
const PD_SHIFT: u32 = 21;
const INDEX_MASK: u64 = 0x1ff;

/// Programs LINT0 for the PIC. Run once at boot, in the kernel's address
/// space; `directory` is a zeroed frame (below 1 GiB) to map the APIC
/// through for the moment, which the caller frees afterwards.
pub fn route_pic_through_lint0(directory: u64) {
    // SAFETY: reading the APIC base MSR has no side effect.
    let base = unsafe { Msr::new(IA32_APIC_BASE).read() } & BASE_MASK;
    let pml4 = crate::arch::boot::kernel_pml4_address();
    let pdpt_index = ((base >> PDPT_SHIFT) & INDEX_MASK) as usize;
    let pd_index = ((base >> PD_SHIFT) & INDEX_MASK) as usize;
    let page_flags = Flags::PRESENT
        | Flags::WRITABLE
        | Flags::HUGE_PAGE
        | Flags::NO_CACHE
        | Flags::WRITE_THROUGH;
    let table_flags = Flags::PRESENT | Flags::WRITABLE;
    // SAFETY: the boot PML4 and its first PDPT are the kernel's own tables,
    // identity-mapped; nothing else edits them at boot. The PDPT slot used
    // lies above the first GiB, which is otherwise unmapped in the kernel's
    // tables, and is cleared again below. The entries are written with
    // volatile stores: only the MMU reads them, and the slot is set and
    // cleared in this one function, which the compiler could otherwise
    // fold into the final store.
    unsafe {
        let pml4_table = &*(pml4 as *const PageTable);
        let pdpt = pml4_table[0].addr().as_u64() as *mut u64;
        let pd = directory as *mut u64;
        pd.add(pd_index)
            .write_volatile((base & !(HUGE_PAGE - 1)) | page_flags.bits());
        pdpt.add(pdpt_index)
            .write_volatile(directory | table_flags.bits());

        let register = |offset: usize| (base as usize + offset) as *mut u32;
        register(SPURIOUS_VECTOR).write_volatile(SPURIOUS_ENABLE);
        register(LVT_TIMER).write_volatile(LVT_MASKED);
        register(LVT_LINT0).write_volatile(LVT_EXTINT);

        pdpt.add(pdpt_index).write_volatile(0);
    }
    tlb::flush(VirtAddr::new(base));
}
