//! Entry and exit of the kernel: the trap frame and the assembly around it.
//!
//! Every way into the kernel from a process (exception, interrupt,
//! `syscall`) saves the complete user register state as a [`TrapFrame`] at
//! the top of the process's kernel stack, and every way back goes through
//! `trap_return`, which restores it and executes `iretq`. Using `iretq` for
//! system calls too keeps a single, always-correct return path (no `sysret`
//! non-canonical address pitfall); under emulation the cost is negligible.

use core::arch::global_asm;

/// Exception and IRQ vectors that get an entry stub: the 32 exceptions and
/// the 16 legacy PIC lines.
pub const STUB_COUNT: usize = 48;
/// The value in [`TrapFrame::vector`] of a frame built by `syscall`.
pub const SYSCALL_VECTOR: u64 = 0x100;

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
    call {trap_handler}

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
    trap_handler = sym crate::arch::interrupts::trap_handler,
);

extern "C" {
    /// Addresses of the entry stubs, by vector.
    static TRAP_STUBS: [u64; STUB_COUNT];
    /// Restores a [`TrapFrame`] at `rsp` and returns from the trap.
    fn trap_return() -> !;
}

/// Address of the entry stub for `vector`.
pub fn stub_address(vector: usize) -> u64 {
    // SAFETY: `TRAP_STUBS` is an immutable table the assembly defines with
    // exactly `STUB_COUNT` entries.
    unsafe { TRAP_STUBS[vector] }
}

/// Address of `trap_return`, where a new process's first context switch
/// "returns" to.
pub fn trap_return_address() -> u64 {
    trap_return as *const () as u64
}
