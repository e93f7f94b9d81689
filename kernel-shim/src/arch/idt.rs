//! The IDT: every exception and PIC vector enters through its stub in
//! [`trap`], which saves a full `TrapFrame` and calls the one dispatcher.

use crate::arch::pic::PIC_MASTER_VECTOR;
use crate::arch::{gdt, trap};
use spin::Once;
use x86_64::structures::idt::InterruptDescriptorTable;
use x86_64::VirtAddr;

static IDT: Once<InterruptDescriptorTable> = Once::new();

/// Builds and loads the IDT (after [`gdt::init`]).
pub fn init_idt() {
    let idt = IDT.call_once(|| {
        let mut idt = InterruptDescriptorTable::new();
        let address = |vector: usize| VirtAddr::new(trap::stub_address(vector));
        // SAFETY: each address is the entry stub for that very vector, which
        // saves a full `TrapFrame` and handles an error code exactly when
        // the CPU pushes one; the double-fault IST slot is set in `gdt`.
        unsafe {
            idt.divide_error.set_handler_addr(address(0));
            idt.debug.set_handler_addr(address(1));
            idt.non_maskable_interrupt.set_handler_addr(address(2));
            idt.breakpoint.set_handler_addr(address(3));
            idt.overflow.set_handler_addr(address(4));
            idt.bound_range_exceeded.set_handler_addr(address(5));
            idt.invalid_opcode.set_handler_addr(address(6));
            idt.device_not_available.set_handler_addr(address(7));
            idt.double_fault
                .set_handler_addr(address(8))
                .set_stack_index(gdt::DOUBLE_FAULT_IST_INDEX);
            idt.invalid_tss.set_handler_addr(address(10));
            idt.segment_not_present.set_handler_addr(address(11));
            idt.stack_segment_fault.set_handler_addr(address(12));
            idt.general_protection_fault.set_handler_addr(address(13));
            idt.page_fault.set_handler_addr(address(14));
            idt.x87_floating_point.set_handler_addr(address(16));
            idt.alignment_check.set_handler_addr(address(17));
            idt.machine_check.set_handler_addr(address(18));
            idt.simd_floating_point.set_handler_addr(address(19));
            idt.virtualization.set_handler_addr(address(20));
            idt.cp_protection_exception.set_handler_addr(address(21));
            idt.hv_injection_exception.set_handler_addr(address(28));
            idt.vmm_communication_exception
                .set_handler_addr(address(29));
            idt.security_exception.set_handler_addr(address(30));
            for vector in usize::from(PIC_MASTER_VECTOR)..trap::STUB_COUNT {
                idt[vector as u8].set_handler_addr(address(vector));
            }
        }
        idt
    });
    idt.load();
}
