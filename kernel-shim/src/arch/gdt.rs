//! Segments: the GDT with kernel and user segments, and the TSS.
//!
//! The TSS supplies the kernel stack the CPU switches to on an interrupt
//! from ring 3 (`rsp0`, updated at every context switch) and a separate
//! interrupt stack for double faults, so a kernel stack overflow still
//! produces a diagnostic instead of a triple fault.

use core::cell::UnsafeCell;
use spin::Once;
use x86_64::instructions::segmentation::{Segment, CS, DS, ES, SS};
use x86_64::instructions::tables::load_tss;
use x86_64::structures::gdt::{Descriptor, GlobalDescriptorTable, SegmentSelector};
use x86_64::structures::tss::TaskStateSegment;
use x86_64::VirtAddr;

/// IST slot (0-based, as the `x86_64` crate counts) of the double-fault stack.
pub const DOUBLE_FAULT_IST_INDEX: u16 = 0;
/// Bytes of the double-fault stack.
const DOUBLE_FAULT_STACK_SIZE: usize = 16 * 1024;
/// Selector of the ring-3 data segment (GDT index 3, RPL 3), as [`init`]
/// builds it: the entry code pushes it as a constant.
pub const USER_DATA_SELECTOR: u16 = 0x1b;
/// Selector of the ring-3 code segment (GDT index 4, RPL 3).
pub const USER_CODE_SELECTOR: u16 = 0x23;

/// The selectors the rest of the kernel needs.
#[derive(Clone, Copy, Debug)]
pub struct Selectors {
    /// Ring-0 code.
    pub kernel_code: SegmentSelector,
    /// Ring-0 data.
    pub kernel_data: SegmentSelector,
    /// Ring-3 data (with RPL 3).
    pub user_data: SegmentSelector,
    /// Ring-3 64-bit code (with RPL 3).
    pub user_code: SegmentSelector,
    /// The TSS.
    pub tss: SegmentSelector,
}

#[repr(C, align(16))]
struct Stack(UnsafeCell<[u8; DOUBLE_FAULT_STACK_SIZE]>);
// SAFETY: only the CPU uses this memory, as the double-fault stack.
unsafe impl Sync for Stack {}
static DOUBLE_FAULT_STACK: Stack = Stack(UnsafeCell::new([0; DOUBLE_FAULT_STACK_SIZE]));

/// The one TSS.
///
/// # Safety
/// The kernel may write the TSS through the cell's pointer when:
/// 1. interrupts are disabled (one CPU, so no other kernel code runs);
/// 2. no ring transition happens during the write (the CPU reads `rsp0`
///    and the interrupt stack table only on one);
/// 3. the write keeps the TSS where it is (the GDT's descriptor points at
///    this static).
struct TssCell(UnsafeCell<TaskStateSegment>);
// SAFETY: conditions 1 and 2 of `TssCell`'s # Safety make every access
// exclusive on the one CPU.
unsafe impl Sync for TssCell {}
static TSS: TssCell = TssCell(UnsafeCell::new(TaskStateSegment::new()));

static GDT: Once<(GlobalDescriptorTable, Selectors)> = Once::new();

/// Builds and loads the GDT and the TSS, and reloads the segment registers.
pub fn init() {
    let stack_top = DOUBLE_FAULT_STACK.0.get() as u64 + DOUBLE_FAULT_STACK_SIZE as u64;
    // SAFETY: conditions 1-3 of `TssCell`'s # Safety hold: runs once at
    // boot, interrupts off, before the TSS is loaded (nothing refers to it
    // yet), writing one field in place.
    unsafe {
        (*TSS.0.get()).interrupt_stack_table[DOUBLE_FAULT_IST_INDEX as usize] =
            VirtAddr::new(stack_top);
    }
    let (gdt, selectors) = GDT.call_once(|| {
        let mut gdt = GlobalDescriptorTable::new();
        let kernel_code = gdt.append(Descriptor::kernel_code_segment());
        let kernel_data = gdt.append(Descriptor::kernel_data_segment());
        // `sysret` expects user data right before user code; the layout
        // keeps that option open even though the kernel returns with iretq.
        let user_data = gdt.append(Descriptor::user_data_segment());
        let user_code = gdt.append(Descriptor::user_code_segment());
        // SAFETY: the TSS is a static that lives forever and is never moved
        // (condition 3 of `TssCell`'s # Safety).
        let tss = gdt.append(unsafe { Descriptor::tss_segment_unchecked(TSS.0.get()) });
        let selectors = Selectors {
            kernel_code,
            kernel_data,
            user_data,
            user_code,
            tss,
        };
        assert_eq!(user_data.0, USER_DATA_SELECTOR);
        assert_eq!(user_code.0, USER_CODE_SELECTOR);
        (gdt, selectors)
    });
    gdt.load();
    // SAFETY: the selectors name the descriptors of the GDT just loaded.
    unsafe {
        CS::set_reg(selectors.kernel_code);
        SS::set_reg(selectors.kernel_data);
        DS::set_reg(selectors.kernel_data);
        ES::set_reg(selectors.kernel_data);
        load_tss(selectors.tss);
    }
}

/// The segment selectors (after [`init`]).
pub fn selectors() -> Selectors {
    GDT.get().expect("gdt::init runs first").1
}

/// Sets the stack the CPU loads on an interrupt or exception from ring 3.
pub fn set_kernel_stack(top: u64) {
    // SAFETY: conditions 1-3 of `TssCell`'s # Safety hold: the caller (the
    // scheduler) has interrupts disabled and is in ring 0, and one field
    // is written in place.
    unsafe { (*TSS.0.get()).privilege_stack_table[0] = VirtAddr::new(top) };
}
