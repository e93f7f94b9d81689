//! Entry and exit of the kernel: the trap frame, the assembly around it,
//! and the one dispatcher every entry calls.
//!
//! Every way into the kernel from a process (exception, interrupt,
//! `syscall`) saves the complete user register state as a [`TrapFrame`] at
//! the top of the process's kernel stack, with one register-saving
//! sequence (`trap_common`; `syscall_entry` first builds the frame's
//! hardware part the CPU does not push), and every way back goes through
//! `trap_return`, which restores it and executes `iretq`. Using `iretq` for
//! system calls too keeps a single, always-correct return path (no `sysret`
//! non-canonical address pitfall); under emulation the cost is negligible.
//!
//! The dispatcher ([`trap_entry`]) does the machine's part (counting a
//! timer tick, acknowledging the PIC, stopping on a kernel fault) and hands
//! a system call or a trap from user mode to the handlers `main.rs`
//! registers at boot ([`set_handlers`]): the system calls live above this
//! layer, which never imports them.
//!
//! Linux x86_64 `syscall` conventions: number in rax; arguments in rdi,
//! rsi, rdx, r10, r8, r9; result or `-errno` in rax; rcx and r11 hold the
//! return address and flags. Interrupts stay masked for the call (SFMASK
//! clears IF), except in the windows long loops open ([`irq_off`]).

use crate::arch::gdt::{self, USER_CODE_SELECTOR, USER_DATA_SELECTOR};
use crate::arch::pic::{self, PIC_MASTER_VECTOR, TIMER_VECTOR};
use crate::arch::qemu_exit::{exit_qemu, ExitCode};
use crate::arch::{irq_off, profile, time};
use core::arch::global_asm;
use core::sync::atomic::{AtomicU64, Ordering};
use spin::Once;
use x86_64::registers::control::Cr2;
use x86_64::registers::model_specific::{Efer, EferFlags, LStar, SFMask, Star};
use x86_64::registers::rflags::RFlags;
use x86_64::VirtAddr;

/// Exception and IRQ vectors that get an entry stub: the 32 exceptions and
/// the 16 legacy PIC lines.
pub const STUB_COUNT: usize = 48;
/// The value in [`TrapFrame::vector`] of a frame built by `syscall`.
pub const SYSCALL_VECTOR: u64 = 0x100;
/// Page-fault vector.
pub const PAGE_FAULT_VECTOR: u64 = 14;
/// Exceptions that are never the fault of the interrupted user code
/// (NMI, double fault, machine check): always a kernel fault.
const MACHINE_VECTORS: [u64; 3] = [2, 8, 18];

/// Stack pointer `syscall_entry` switches to: the running process's kernel
/// stack top.
#[no_mangle]
static SYSCALL_KERNEL_RSP: AtomicU64 = AtomicU64::new(0);
/// Scratch slot for the user stack pointer during entry.
#[no_mangle]
static SYSCALL_USER_RSP: AtomicU64 = AtomicU64::new(0);

/// The registers of an interrupted context, in the order the entry code
/// pushes them (lowest address first).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
#[allow(missing_docs)]
pub struct TrapFrame {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rbp: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rdx: u64,
    pub rcx: u64,
    pub rbx: u64,
    pub rax: u64,
    /// Exception or interrupt vector, or [`SYSCALL_VECTOR`].
    pub vector: u64,
    /// The CPU's error code, or 0.
    pub error_code: u64,
    pub rip: u64,
    pub cs: u64,
    pub rflags: u64,
    pub rsp: u64,
    pub ss: u64,
}

impl TrapFrame {
    /// Whether the interrupted code ran in ring 3.
    pub fn from_user(&self) -> bool {
        self.cs & 3 == 3
    }
}

/// Size of a [`TrapFrame`]: the entry code and the Rust side must agree.
pub const TRAP_FRAME_SIZE: usize = 22 * 8;
const _: () = assert!(core::mem::size_of::<TrapFrame>() == TRAP_FRAME_SIZE);

global_asm!(
    r#"
    .macro TRAP_STUB vector, has_error_code
    .balign 16
trap_stub_\vector:
    .if \has_error_code == 0
    push 0
    .endif
    push \vector
    jmp trap_common
    .endm

    .section .text.trap, "ax"
    .irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
    TRAP_STUB \v, 0
    .endr
    .irp v, 8,10,11,12,13,14,17,21,29,30
    TRAP_STUB \v, 1
    .endr
    .irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    TRAP_STUB \v, 0
    .endr

    .global syscall_entry
syscall_entry:
    mov [rip + {user_rsp}], rsp
    mov rsp, [rip + {kernel_rsp}]
    push {user_ss}
    push qword ptr [rip + {user_rsp}]
    push r11
    push {user_cs}
    push rcx
    push 0
    push {vector}
    jmp trap_common

trap_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    cld
    mov rdi, rsp
    call {trap_entry}

    .global trap_return
trap_return:
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16
    iretq

    .section .rodata.trap, "a"
    .balign 8
    .global TRAP_STUBS
TRAP_STUBS:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
    .quad trap_stub_\v
    .endr
"#,
    trap_entry = sym trap_entry,
    user_rsp = sym SYSCALL_USER_RSP,
    kernel_rsp = sym SYSCALL_KERNEL_RSP,
    user_ss = const USER_DATA_SELECTOR,
    user_cs = const USER_CODE_SELECTOR,
    vector = const SYSCALL_VECTOR,
);

extern "C" {
    /// Addresses of the entry stubs, by vector.
    static TRAP_STUBS: [u64; STUB_COUNT];
    /// Where `syscall` enters the kernel.
    fn syscall_entry();
}

/// Address of the entry stub for `vector`.
pub fn stub_address(vector: usize) -> u64 {
    // SAFETY: `TRAP_STUBS` is an immutable table the assembly defines with
    // exactly `STUB_COUNT` entries.
    unsafe { TRAP_STUBS[vector] }
}

/// What the kernel above this layer does with an entry from user mode.
#[derive(Clone, Copy)]
pub struct Handlers {
    /// Runs the system call in `frame.rax` and acts on pending signals.
    pub syscall: fn(&mut TrapFrame),
    /// After the machine's part of an exception or interrupt from user
    /// mode: a timer tick's preemption, a fault's signal, pending signals.
    pub user_trap: fn(&mut TrapFrame),
}

static HANDLERS: Once<Handlers> = Once::new();

/// Registers the handlers (boot, before the first process runs).
pub fn set_handlers(handlers: Handlers) {
    HANDLERS.call_once(|| handlers);
}

/// Enables `syscall` and points it at the entry code (after `gdt::init`).
pub fn init_syscall() {
    let selectors = gdt::selectors();
    Star::write(
        selectors.user_code,
        selectors.user_data,
        selectors.kernel_code,
        selectors.kernel_data,
    )
    .expect("GDT layout suits syscall/sysret");
    LStar::write(VirtAddr::new(syscall_entry as *const () as u64));
    SFMask::write(
        RFlags::INTERRUPT_FLAG
            | RFlags::TRAP_FLAG
            | RFlags::DIRECTION_FLAG
            | RFlags::ALIGNMENT_CHECK
            | RFlags::NESTED_TASK
            | RFlags::IOPL_HIGH
            | RFlags::IOPL_LOW,
    );
    // SAFETY: enabling the syscall extension; the MSRs it uses were just
    // set up.
    unsafe { Efer::update(|flags| flags.insert(EferFlags::SYSTEM_CALL_EXTENSIONS)) };
}

/// Sets the stack an entry from user mode switches to: `syscall_entry`'s
/// and the TSS's (for interrupts and exceptions).
pub fn set_kernel_stack(top: u64) {
    SYSCALL_KERNEL_RSP.store(top, Ordering::Relaxed);
    gdt::set_kernel_stack(top);
}

/// The faulting address of the last page fault (CR2).
pub fn fault_address() -> u64 {
    Cr2::read_raw()
}

/// Whether `vector` is a CPU exception (not a PIC interrupt, not a system
/// call).
pub fn is_exception(vector: u64) -> bool {
    vector < u64::from(PIC_MASTER_VECTOR)
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

/// Entry from the assembly, with interrupts disabled: every exception,
/// interrupt and system call. A stretch of interrupts-off time starts at a
/// trap from user mode and ends on the way back ([`irq_off`]). Any
/// exception in kernel mode is a kernel bug, logged on the debug channel
/// before QEMU exits with `KERNEL_FAULT`.
extern "C" fn trap_entry(frame: &mut TrapFrame) {
    let vector = frame.vector;
    let from_user = frame.from_user();
    if from_user {
        profile::entered_from_user();
        irq_off::entered(if vector == SYSCALL_VECTOR {
            frame.rax
        } else {
            irq_off::TRAP_CAUSE + vector
        });
    }
    if vector == TIMER_VECTOR {
        time::tick();
        pic::end_of_interrupt(vector);
    } else if !is_exception(vector) {
        if vector != SYSCALL_VECTOR {
            pic::end_of_interrupt(vector);
        }
    } else if !from_user || MACHINE_VECTORS.contains(&vector) {
        kernel_fault(frame);
    }
    if from_user {
        let Some(handlers) = HANDLERS.get() else {
            klog!("trap {vector} from user mode before the handlers were set");
            kernel_fault(frame);
        };
        if vector == SYSCALL_VECTOR {
            (handlers.syscall)(frame);
        } else {
            (handlers.user_trap)(frame);
        }
        irq_off::leaving();
        profile::leaving_to_user();
    }
}
