//! Per-slot CPU contexts: kernel stacks, saved stack pointers, FPU state.
//!
//! Each process-table slot owns a fixed kernel stack. A process that is not
//! running is suspended inside [`context_switch`] on its kernel stack, with the
//! callee-saved registers pushed and the stack pointer saved here; its user
//! registers sit in the `TrapFrame` at the top of that stack. The FPU/SSE
//! registers are saved with `fxsave` when the process leaves the CPU (the
//! kernel itself is built without SSE; the one kernel code that uses
//! vector registers, the NUL search of `shim_core::nul_mask`, saves and
//! restores the two it uses around its instructions).

use crate::arch::trap::{TrapFrame, TRAP_FRAME_SIZE};
use core::arch::{asm, global_asm};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};
use shim_core::process::MAX_PROCESSES;
use x86_64::registers::control::{Cr0, Cr0Flags, Cr3, Cr3Flags, Cr4, Cr4Flags};
use x86_64::structures::paging::PhysFrame;
use x86_64::PhysAddr;

/// Bytes of each process's kernel stack.
pub const KERNEL_STACK_SIZE: usize = 32 * 1024;
/// Size of the `fxsave` area.
pub const FXSAVE_SIZE: usize = 512;
/// Default x87 control word: all exceptions masked, extended precision.
const DEFAULT_FCW: u16 = 0x037f;
/// Default MXCSR: all SIMD exceptions masked, round to nearest.
const DEFAULT_MXCSR: u32 = 0x1f80;
/// Offset of MXCSR in the `fxsave` area.
pub const MXCSR_OFFSET: usize = 24;
/// Offset of MXCSR_MASK (the MXCSR bits the CPU supports) in the area.
const MXCSR_MASK_OFFSET: usize = 28;
/// The MXCSR mask to assume when the CPU reports 0 (Intel SDM 10.5.1.2).
const DEFAULT_MXCSR_MASK: u32 = 0xffbf;
/// RFLAGS of a new process: interrupts enabled, reserved bit 1 set.
const USER_RFLAGS: u64 = 0x202;
/// Callee-saved registers [`context_switch`] pushes: rbp, rbx, r12-r15.
const SAVED_REGISTERS: usize = 6;
/// Index of r13 among the saved registers (popped first: r15, r14, r13, r12, rbx, rbp).
const SAVED_R13: usize = 2;
/// Index of r12 among the saved registers.
const SAVED_R12: usize = 3;

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
    ///
    /// # Safety
    /// 1. `save` is valid for a write of a `u64` and stays so until the
    ///    saved context is resumed.
    /// 2. `load` is a stack pointer `context_switch` saved (or
    ///    [`prepare_first_run`] made), whose context is suspended and is
    ///    resumed only this once.
    /// 3. Interrupts are disabled, and no lock guard or borrow of the
    ///    suspended contexts is held across the call.
    fn context_switch(save: *mut u64, load: u64);
}

/// The context of `slot`. Nothing here dereferences it; the blocks that do
/// cite these conditions.
///
/// # Safety
/// 1. One CPU, interrupts disabled in the kernel: the pointer's fields are
///    used by one side at a time, the scheduler (on the boot stack) while
///    the slot's process is suspended, or that process while it runs.
/// 2. The slot's `stack`, `fpu` and `saved_rsp` belong to the process in
///    the slot only; no other process's code reads or writes them.
/// 3. While a process runs, its `TrapFrame` at the top of its stack
///    ([`user_frame`]) lies above every kernel frame on that stack, so
///    writing it clobbers nothing in use.
fn slot_context(slot: usize) -> *mut SlotContext {
    CONTEXTS[slot].0.get()
}

/// Top of the kernel stack of `slot`.
pub fn kernel_stack_top(slot: usize) -> u64 {
    // SAFETY: only the address of the stack array is computed; nothing is
    // read or written.
    let base = unsafe { core::ptr::addr_of!((*slot_context(slot)).stack) } as u64;
    base + KERNEL_STACK_SIZE as u64
}

/// The user registers of `slot`: the `TrapFrame` at the top of its kernel
/// stack, which `trap_return` restores on the way to user mode.
pub fn user_frame(slot: usize) -> *mut TrapFrame {
    (kernel_stack_top(slot) - TRAP_FRAME_SIZE as u64) as *mut TrapFrame
}

/// A new process's first work in the kernel, on its own kernel stack:
/// given the slot's user frame (a user-mode frame with every register
/// zero), it loads the image, sets `rip` and `rsp` in the frame (and any
/// signal delivery it makes), and returns the physical address of the
/// PML4 to enter user mode with. It does not return if the process ends
/// instead.
pub type FirstRun = extern "C" fn(frame: &mut TrapFrame) -> u64;

global_asm!(
    r#"
    .section .text.switch, "ax"
    .global context_first_run
context_first_run:
    mov rdi, r12
    mov rsi, r13
    call {first_run}
    ud2
"#,
    first_run = sym first_run,
);

extern "C" {
    /// Where [`context_switch`] returns to on a new slot's first run: calls
    /// [`first_run`] with the `FirstRun` in r12 and the slot in r13.
    fn context_first_run();
}

/// Prepares `slot` so that the next switch to it runs [`first_run`] with
/// `entry` on the slot's kernel stack, just below its `TrapFrame` (made a
/// user-mode frame with every register zero), with a clean FPU state.
fn prepare_first_run(slot: usize, entry: FirstRun) {
    let frame_address = user_frame(slot) as u64;
    // `context_switch` returns to `context_first_run` with the stack
    // pointer at the frame (16-byte aligned), so its `call` starts
    // `first_run` as the ABI expects.
    let switch_return = frame_address - 8;
    let saved_rsp = switch_return - (SAVED_REGISTERS * 8) as u64;
    let mut registers = [0u64; SAVED_REGISTERS];
    registers[SAVED_R13] = slot as u64;
    registers[SAVED_R12] = entry as usize as u64;
    let selectors = crate::arch::gdt::selectors();
    let context = slot_context(slot);
    // SAFETY: conditions 1 and 2 of `slot_context`'s # Safety hold: the
    // scheduler runs (the slot's process has never run, see
    // `start_slot`), so nothing runs on the slot's stack or uses its FPU
    // area; all writes are inside the slot's own arrays and aligned.
    unsafe {
        core::ptr::write(
            frame_address as *mut TrapFrame,
            TrapFrame {
                cs: u64::from(selectors.user_code.0),
                rflags: USER_RFLAGS,
                ss: u64::from(selectors.user_data.0),
                ..TrapFrame::default()
            },
        );
        core::ptr::write(
            switch_return as *mut u64,
            context_first_run as *const () as u64,
        );
        core::ptr::write(saved_rsp as *mut [u64; SAVED_REGISTERS], registers);
        (*context).saved_rsp = saved_rsp;
        (*context).fpu = FxArea::default_state().0;
    }
}

/// A new process's first run, on its kernel stack: runs `entry` on the
/// slot's user frame, enters the address space it returns, and leaves for
/// user mode through `trap_return`, as any return from a trap does.
extern "C" fn first_run(entry: FirstRun, slot: usize) -> ! {
    let frame = user_frame(slot);
    // SAFETY: conditions 1-3 of `slot_context`'s # Safety hold: this
    // process runs in `slot` and `frame` is its `TrapFrame`, above this
    // call's stack (`prepare_first_run` started it below the frame).
    let pml4 = entry(unsafe { &mut *frame });
    load_address_space(pml4);
    crate::arch::irq_off::leaving();
    crate::arch::profile::leaving_to_user();
    // SAFETY: by condition 3 of `slot_context`'s # Safety `frame` is the
    // running process's `TrapFrame` at the top of its kernel stack, filled
    // by `entry`; `trap_return` pops it and executes `iretq`, and nothing
    // below it on the stack is needed any more.
    unsafe {
        asm!(
            "mov rsp, {frame}",
            "jmp trap_return",
            frame = in(reg) frame,
            options(noreturn)
        )
    }
}

/// Runs the new process in `slot`, which has never run, until it gives the
/// CPU back: switches to the slot's kernel stack, where `entry` (see
/// [`FirstRun`]) loads its image and returns, and the process then leaves
/// for user mode through `trap_return` (a return, as from any trap).
/// Scheduler only, as [`run_slot`].
pub fn start_slot(slot: usize, entry: FirstRun) {
    prepare_first_run(slot, entry);
    run_slot(slot);
}

/// Runs the process in `slot` until it gives the CPU back. Scheduler only,
/// with interrupts disabled and the process's address space loaded.
pub fn run_slot(slot: usize) {
    let context = slot_context(slot);
    // SAFETY: conditions 1 and 2 of `slot_context`'s # Safety: the
    // scheduler owns the CPU and the slot's process is suspended (prepared
    // by `start_slot` or switched away), so its FPU area and saved stack
    // pointer are valid and ours to use. `context_switch`'s conditions: 1,
    // `SCHEDULER_RSP` is a static; 2, `saved_rsp` was saved by a switch
    // away from this slot or made by `prepare_first_run`; 3, the caller
    // disabled interrupts and holds no guard. The process's FPU state is
    // restored before and saved after it runs; the kernel never uses FPU
    // registers itself.
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
    // SAFETY: conditions 1 and 2 of `slot_context`'s # Safety: called by
    // the process running in `slot`, on its own kernel stack. The
    // conditions of `context_switch`: 1, `saved_rsp` is the slot's own
    // static field; 2, the scheduler's context was saved by the `run_slot`
    // that started this run; 3, interrupts are disabled and the callers
    // drop the table guard first.
    unsafe {
        context_switch(
            core::ptr::addr_of_mut!((*context).saved_rsp),
            *SCHEDULER_RSP.0.get(),
        )
    };
}

/// An `fxsave` image, aligned as the instruction needs.
#[repr(C, align(16))]
pub struct FxArea(pub [u8; FXSAVE_SIZE]);

impl FxArea {
    /// The state a new process starts with (FCW 0x37f, MXCSR 0x1f80).
    pub fn default_state() -> FxArea {
        let mut area = FxArea([0; FXSAVE_SIZE]);
        area.0[..2].copy_from_slice(&DEFAULT_FCW.to_le_bytes());
        area.0[MXCSR_OFFSET..MXCSR_OFFSET + 4].copy_from_slice(&DEFAULT_MXCSR.to_le_bytes());
        area
    }

    fn mxcsr(&self) -> u32 {
        let mut raw = [0; 4];
        raw.copy_from_slice(&self.0[MXCSR_OFFSET..MXCSR_OFFSET + 4]);
        u32::from_le_bytes(raw)
    }
}

/// The running process's x87/SSE registers (live in the CPU while it is in
/// the kernel: the kernel never uses them).
pub fn save_fpu() -> FxArea {
    let mut area = FxArea([0; FXSAVE_SIZE]);
    // SAFETY: `area` is a 16-byte aligned, writable 512-byte buffer.
    unsafe { asm!("fxsave64 [{}]", in(reg) area.0.as_mut_ptr(), options(nostack)) };
    area
}

/// The MXCSR bits this CPU accepts.
fn mxcsr_mask() -> u32 {
    match u32::from_le_bytes(
        save_fpu().0[MXCSR_MASK_OFFSET..MXCSR_MASK_OFFSET + 4]
            .try_into()
            .unwrap_or([0; 4]),
    ) {
        0 => DEFAULT_MXCSR_MASK,
        mask => mask,
    }
}

/// Loads `area` (for example from a signal frame) into the running
/// process's x87/SSE registers, first clearing MXCSR bits the CPU does not
/// support (they would make `fxrstor` fault in the kernel).
pub fn restore_fpu(mut area: FxArea) {
    let mxcsr = area.mxcsr() & mxcsr_mask();
    area.0[MXCSR_OFFSET..MXCSR_OFFSET + 4].copy_from_slice(&mxcsr.to_le_bytes());
    // SAFETY: `area` is an aligned 512-byte image whose MXCSR has only
    // supported bits, so `fxrstor` cannot fault; it changes only the
    // running process's FPU registers.
    unsafe { asm!("fxrstor64 [{}]", in(reg) area.0.as_ptr(), options(nostack)) };
}

/// Makes `frame` (the running process's user frame) the start of a new
/// image, as `execve` leaves it: every general register zero, user
/// selectors, interrupts enabled, `rip` at `entry`, `rsp` at `stack`; and
/// resets the running process's FPU and SSE registers to their power-on
/// state.
pub fn reset_user_frame(frame: &mut TrapFrame, entry: u64, stack: u64) {
    let selectors = crate::arch::gdt::selectors();
    *frame = TrapFrame {
        cs: u64::from(selectors.user_code.0),
        rflags: USER_RFLAGS,
        ss: u64::from(selectors.user_data.0),
        rip: entry,
        rsp: stack,
        ..TrapFrame::default()
    };
    restore_fpu(FxArea::default_state());
}

/// Switches to the page tables at `pml4`: the kernel's own
/// ([`crate::arch::boot::kernel_pml4_address`]) or a process's.
pub fn load_address_space(pml4: u64) {
    let frame = PhysFrame::containing_address(PhysAddr::new(pml4));
    // SAFETY: `pml4` is either the kernel's PML4 or a process's, and every
    // PML4 maps the kernel (code, data, stacks) identically.
    unsafe { Cr3::write(frame, Cr3Flags::empty()) };
}

/// Switches to the kernel's own page tables.
pub fn load_kernel_address_space() {
    load_address_space(crate::arch::boot::kernel_pml4_address());
}

/// Whether [`enable_sse`] has run.
static SSE_ENABLED: AtomicBool = AtomicBool::new(false);

/// Whether SSE instructions can run (the kernel's own frame zeroing uses
/// them once they can: `crate::mm::phys::zero_frame`).
pub fn sse_enabled() -> bool {
    SSE_ENABLED.load(Ordering::Relaxed)
}

/// Lets user code use x87 and SSE (the kernel is built without them).
pub fn enable_sse() {
    // SAFETY: turning on FPU/SSE support changes no memory mapping; the
    // kernel saves the state per process with fxsave/fxrstor.
    unsafe {
        Cr0::update(|flags| {
            flags.remove(Cr0Flags::EMULATE_COPROCESSOR | Cr0Flags::TASK_SWITCHED);
            flags.insert(Cr0Flags::MONITOR_COPROCESSOR | Cr0Flags::NUMERIC_ERROR);
        });
        Cr4::update(|flags| {
            flags.insert(Cr4Flags::OSFXSR | Cr4Flags::OSXMMEXCPT_ENABLE);
        });
    }
    SSE_ENABLED.store(true, Ordering::Relaxed);
}
