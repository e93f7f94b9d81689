//! The IDT, the legacy PIC, and the dispatch of exceptions and interrupts.
//!
//! A user-mode exception ends only the faulting process (with the signal
//! Linux would send); any exception in kernel mode is a kernel bug, which
//! is logged on the debug channel before QEMU exits with `KERNEL_FAULT`.

use crate::arch::qemu_exit::{exit_qemu, ExitCode};
use crate::arch::trap::{self, TrapFrame};
use crate::arch::{gdt, irq_off, time};
use crate::sys::signals;
use crate::sys::{process, scheduling};
use shim_core::sigframe::Info;
use shim_core::wait_status::signal_for_exception;
use spin::Once;
use x86_64::instructions::port::Port;
use x86_64::registers::control::Cr2;
use x86_64::structures::idt::InterruptDescriptorTable;
use x86_64::VirtAddr;

/// First vector of the master PIC's lines after remapping.
pub const PIC_MASTER_VECTOR: u8 = 32;
/// First vector of the slave PIC's lines.
pub const PIC_SLAVE_VECTOR: u8 = 40;
/// Vector of the PIT (IRQ 0).
pub const TIMER_VECTOR: u64 = PIC_MASTER_VECTOR as u64;
/// The master PIC's spurious vector (IRQ 7).
const SPURIOUS_MASTER_VECTOR: u64 = PIC_MASTER_VECTOR as u64 + 7;
/// Page-fault vector.
const PAGE_FAULT_VECTOR: u64 = 14;
/// Exceptions that are never the fault of the interrupted user code
/// (NMI, double fault, machine check): always a kernel fault.
const MACHINE_VECTORS: [u64; 3] = [2, 8, 18];

/// 8259 PIC ports and commands.
mod pic {
    pub const MASTER_COMMAND: u16 = 0x20;
    pub const MASTER_DATA: u16 = 0x21;
    pub const SLAVE_COMMAND: u16 = 0xa0;
    pub const SLAVE_DATA: u16 = 0xa1;
    /// ICW1: initialise, ICW4 follows.
    pub const ICW1_INIT: u8 = 0x11;
    /// ICW3 (master): a slave on line 2.
    pub const ICW3_MASTER: u8 = 0x04;
    /// ICW3 (slave): cascade identity 2.
    pub const ICW3_SLAVE: u8 = 0x02;
    /// ICW4: 8086 mode.
    pub const ICW4_8086: u8 = 0x01;
    /// Mask everything on the master except IRQ 0 (the PIT).
    pub const MASTER_MASK: u8 = 0xfe;
    /// Mask every slave line.
    pub const SLAVE_MASK: u8 = 0xff;
    /// Non-specific end of interrupt.
    pub const EOI: u8 = 0x20;
    /// OCW3: read the in-service register on the next read.
    pub const READ_ISR: u8 = 0x0b;
    /// OCW3: read the interrupt-request register on the next read.
    pub const READ_IRR: u8 = 0x0a;
}

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

fn outb(port: u16, value: u8) {
    // SAFETY: the PIC ports; reprogramming the PIC affects only interrupt
    // delivery, which the kernel controls.
    unsafe { Port::new(port).write(value) }
}

fn inb(port: u16) -> u8 {
    // SAFETY: reading a PIC register has no side effect on memory.
    unsafe { Port::new(port).read() }
}

/// Remaps the 8259 PICs to vectors 32..48 and unmasks only the timer.
pub fn init_pic() {
    outb(pic::MASTER_COMMAND, pic::ICW1_INIT);
    outb(pic::SLAVE_COMMAND, pic::ICW1_INIT);
    outb(pic::MASTER_DATA, PIC_MASTER_VECTOR);
    outb(pic::SLAVE_DATA, PIC_SLAVE_VECTOR);
    outb(pic::MASTER_DATA, pic::ICW3_MASTER);
    outb(pic::SLAVE_DATA, pic::ICW3_SLAVE);
    outb(pic::MASTER_DATA, pic::ICW4_8086);
    outb(pic::SLAVE_DATA, pic::ICW4_8086);
    outb(pic::MASTER_DATA, pic::MASTER_MASK);
    outb(pic::SLAVE_DATA, pic::SLAVE_MASK);
}

/// Whether the timer's interrupt is raised but not yet delivered (the
/// clock uses this to notice a tick it has not counted yet).
pub fn timer_irq_pending() -> bool {
    outb(pic::MASTER_COMMAND, pic::READ_IRR);
    inb(pic::MASTER_COMMAND) & 1 != 0
}

fn end_of_interrupt(vector: u64) {
    if vector >= u64::from(PIC_SLAVE_VECTOR) {
        outb(pic::SLAVE_COMMAND, pic::EOI);
    }
    outb(pic::MASTER_COMMAND, pic::EOI);
}

fn kernel_fault(frame: &TrapFrame) -> ! {
    klog!(
        "KERNEL FAULT: vector {} error {:#x} at rip {:#x} (cs {:#x}, rsp {:#x}, rflags {:#x}), cr2 {:#x}",
        frame.vector,
        frame.error_code,
        frame.rip,
        frame.cs,
        frame.rsp,
        frame.rflags,
        Cr2::read_raw()
    );
    klog!("{:#x?}", frame);
    exit_qemu(ExitCode::KernelFault)
}

/// Entry from the assembly stubs, with interrupts disabled.
pub extern "C" fn trap_handler(frame: &mut TrapFrame) {
    let vector = frame.vector;
    if frame.from_user() {
        irq_off::entered(irq_off::TRAP_CAUSE + vector);
    }
    if vector == TIMER_VECTOR {
        time::tick();
        end_of_interrupt(vector);
        if frame.from_user() {
            scheduling::tick();
        }
    } else if vector == SPURIOUS_MASTER_VECTOR {
        // A spurious IRQ 7 has no in-service bit and must not get an EOI.
        outb(pic::MASTER_COMMAND, pic::READ_ISR);
        if inb(pic::MASTER_COMMAND) & 0x80 != 0 {
            end_of_interrupt(vector);
        }
    } else if vector >= u64::from(PIC_MASTER_VECTOR) {
        end_of_interrupt(vector);
    } else if !frame.from_user() || MACHINE_VECTORS.contains(&vector) {
        kernel_fault(frame);
    } else {
        let handled =
            vector == PAGE_FAULT_VECTOR && crate::sys::memory::grow_stack(Cr2::read_raw());
        if !handled {
            user_fault(frame);
        }
    }
    if frame.from_user() {
        signals::deliver_pending(frame);
        irq_off::leaving();
    }
}

/// `si_code` values for fault signals.
mod si_code {
    /// SIGSEGV: address not mapped.
    pub const SEGV_MAPERR: i32 = 1;
    /// SIGSEGV: no permission for a mapped address.
    pub const SEGV_ACCERR: i32 = 2;
    /// SIGILL: illegal opcode.
    pub const ILL_ILLOPN: i32 = 2;
    /// SIGFPE: integer divide by zero.
    pub const FPE_INTDIV: i32 = 1;
    /// SIGBUS: invalid address alignment.
    pub const BUS_ADRALN: i32 = 1;
    /// SIGTRAP: breakpoint.
    pub const TRAP_BRKPT: i32 = 1;
    /// Sent by the kernel (a general-protection fault has no address).
    pub use shim_core::sigframe::SI_KERNEL;
}

/// Page-fault error-code bit: the page was present (a protection fault).
const PF_PRESENT: u64 = 1;

/// A user exception: the matching signal is forced on the process (a
/// handler may catch it; blocked or ignored, it kills).
fn user_fault(frame: &TrapFrame) {
    let vector = frame.vector;
    let signal = signal_for_exception(vector);
    let cr2 = Cr2::read_raw();
    klog!(
        "pid {}: exception {} (error {:#x}) at rip {:#x}, cr2 {:#x}: signal {}",
        process::current_pid(),
        vector,
        frame.error_code,
        frame.rip,
        cr2,
        signal
    );
    use shim_abi::signal::{SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP};
    let (code, addr) = match signal {
        SIGSEGV if vector == PAGE_FAULT_VECTOR => (
            if frame.error_code & PF_PRESENT != 0 {
                si_code::SEGV_ACCERR
            } else {
                si_code::SEGV_MAPERR
            },
            cr2,
        ),
        SIGSEGV => (si_code::SI_KERNEL, 0),
        SIGILL => (si_code::ILL_ILLOPN, frame.rip),
        SIGFPE => (si_code::FPE_INTDIV, frame.rip),
        SIGBUS => (si_code::BUS_ADRALN, frame.rip),
        SIGTRAP => (si_code::TRAP_BRKPT, frame.rip),
        _ => (si_code::SI_KERNEL, 0),
    };
    let info = Info {
        code,
        addr,
        fault: true,
        error_code: frame.error_code,
        trapno: vector,
        cr2: if vector == PAGE_FAULT_VECTOR { cr2 } else { 0 },
        ..Info::NONE
    };
    signals::force_current(signal, info);
}
