//! Per-slot CPU contexts: kernel stacks, saved stack pointers, FPU state.
//!
//! Each process-table slot owns a fixed kernel stack. A process that is not
//! running is suspended inside [`switch`] on its kernel stack, with the
//! callee-saved registers pushed and the stack pointer saved here; its user
//! registers sit in the `TrapFrame` at the top of that stack. The FPU/SSE
//! registers are saved with `fxsave` when the process leaves the CPU (the
//! kernel itself is built without SSE, so it never touches them).

use crate::process::MAX_PROCESSES;
use crate::trap::{self, TrapFrame, TRAP_FRAME_SIZE};
use core::arch::{asm, global_asm};
use core::cell::UnsafeCell;

/// Bytes of each process's kernel stack.
pub const KERNEL_STACK_SIZE: usize = 32 * 1024;
/// Size of the `fxsave` area.
const FXSAVE_SIZE: usize = 512;
/// Default x87 control word: all exceptions masked, extended precision.
const DEFAULT_FCW: u16 = 0x037f;
/// Default MXCSR: all SIMD exceptions masked, round to nearest.
const DEFAULT_MXCSR: u32 = 0x1f80;
/// Offset of MXCSR in the `fxsave` area.
const MXCSR_OFFSET: usize = 24;
/// RFLAGS of a new process: interrupts enabled, reserved bit 1 set.
const USER_RFLAGS: u64 = 0x202;
/// Callee-saved registers [`switch`] pushes: rbp, rbx, r12-r15.
const SAVED_REGISTERS: usize = 6;

#[repr(C, align(16))]
struct SlotContext {
    stack: [u8; KERNEL_STACK_SIZE],
    fpu: [u8; FXSAVE_SIZE],
    saved_rsp: u64,
}

struct ContextCell(UnsafeCell<SlotContext>);

// SAFETY: single CPU; a slot's context is used only by the scheduler and
// by the process in that slot, never at the same time, always with
// interrupts disabled.
unsafe impl Sync for ContextCell {}

static CONTEXTS: [ContextCell; MAX_PROCESSES] = [const {
    ContextCell(UnsafeCell::new(SlotContext {
        stack: [0; KERNEL_STACK_SIZE],
        fpu: [0; FXSAVE_SIZE],
        saved_rsp: 0,
    }))
}; MAX_PROCESSES];

/// The scheduler's own saved stack pointer (it runs on the boot stack).
struct SchedulerRsp(UnsafeCell<u64>);
// SAFETY: as for `ContextCell`.
unsafe impl Sync for SchedulerRsp {}
static SCHEDULER_RSP: SchedulerRsp = SchedulerRsp(UnsafeCell::new(0));

global_asm!(
    r#"
    .section .text.switch, "ax"
    .global context_switch
context_switch:
    push rbp
    push rbx
    push r12
    push r13
    push r14
    push r15
    mov [rdi], rsp
    mov rsp, rsi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
"#
);

extern "C" {
    /// Saves the callee-saved registers and the stack pointer to `*save`,
    /// then resumes the context whose stack pointer is `load`.
    fn context_switch(save: *mut u64, load: u64);
}

fn slot_context(slot: usize) -> *mut SlotContext {
    CONTEXTS[slot].0.get()
}

/// Top of the kernel stack of `slot`.
pub fn kernel_stack_top(slot: usize) -> u64 {
    // SAFETY: only the address of the stack array is computed.
    let base = unsafe { core::ptr::addr_of!((*slot_context(slot)).stack) } as u64;
    base + KERNEL_STACK_SIZE as u64
}

/// Prepares `slot` so that the first switch to it enters user mode at
/// `entry` with stack pointer `user_rsp` and a clean FPU state.
pub fn prepare_user_entry(slot: usize, entry: u64, user_rsp: u64) {
    let selectors = crate::gdt::selectors();
    let frame = TrapFrame {
        rip: entry,
        cs: u64::from(selectors.user_code.0),
        rflags: USER_RFLAGS,
        rsp: user_rsp,
        ss: u64::from(selectors.user_data.0),
        ..TrapFrame::default()
    };
    let top = kernel_stack_top(slot);
    let frame_address = top - TRAP_FRAME_SIZE as u64;
    let return_address = frame_address - 8;
    let saved_rsp = return_address - (SAVED_REGISTERS * 8) as u64;
    let context = slot_context(slot);
    // SAFETY: the slot is free (being filled by the caller), so nothing
    // runs on its stack or uses its FPU area; all writes are inside the
    // slot's own arrays and suitably aligned.
    unsafe {
        core::ptr::write(frame_address as *mut TrapFrame, frame);
        core::ptr::write(return_address as *mut u64, trap::trap_return_address());
        core::ptr::write_bytes(saved_rsp as *mut u64, 0, SAVED_REGISTERS);
        (*context).saved_rsp = saved_rsp;
        let fpu = &mut (*context).fpu;
        fpu.fill(0);
        fpu[..2].copy_from_slice(&DEFAULT_FCW.to_le_bytes());
        fpu[MXCSR_OFFSET..MXCSR_OFFSET + 4].copy_from_slice(&DEFAULT_MXCSR.to_le_bytes());
    }
}

/// Runs the process in `slot` until it gives the CPU back. Scheduler only,
/// with interrupts disabled and the process's address space loaded.
pub fn run_slot(slot: usize) {
    let context = slot_context(slot);
    // SAFETY: the scheduler owns the CPU; the slot holds a suspended
    // process (prepared or switched away), whose FPU area and saved stack
    // pointer are valid. The process's FPU state is restored before and
    // saved after it runs; the kernel never uses FPU registers itself.
    unsafe {
        asm!("fxrstor64 [{}]", in(reg) core::ptr::addr_of!((*context).fpu), options(nostack));
        context_switch(SCHEDULER_RSP.0.get(), (*context).saved_rsp);
        asm!("fxsave64 [{}]", in(reg) core::ptr::addr_of_mut!((*context).fpu), options(nostack));
    }
}

/// Gives the CPU back to the scheduler from the process in `slot`. Returns
/// when the scheduler runs the slot again.
pub fn leave_slot(slot: usize) {
    let context = slot_context(slot);
    // SAFETY: called by the process running in `slot`, on its own kernel
    // stack, with interrupts disabled; the scheduler's context was saved by
    // the `run_slot` that started this run.
    unsafe {
        context_switch(
            core::ptr::addr_of_mut!((*context).saved_rsp),
            *SCHEDULER_RSP.0.get(),
        )
    };
}
