//! PVH entry: from 32-bit protected mode to long mode, then into Rust.
//!
//! QEMU's `-kernel` loader reads the `XEN_ELFNOTE_PHYS32_ENTRY` note below
//! and jumps to `pvh_start` in 32-bit protected mode with paging off, flat
//! segments and `ebx` holding the physical address of the `hvm_start_info`
//! structure. The stub builds an identity map of the first GiB with 2 MiB
//! pages (supervisor-only), enables PAE, long mode and NX, loads a minimal
//! 64-bit GDT and calls [`crate::kernel_main`] with the start-info address.
//!
//! The boot page tables stay in use afterwards: [`BOOT_PD`] is the shared
//! kernel page directory that every address space links in.

use core::arch::global_asm;

/// `XEN_ELFNOTE_PHYS32_ENTRY`: the note type QEMU's PVH loader looks for.
pub const XEN_ELFNOTE_PHYS32_ENTRY: u32 = 18;

/// Bytes of the boot stack, which later serves as the scheduler's stack.
pub const BOOT_STACK_SIZE: usize = 64 * 1024;

global_asm!(
    r#"
    .section .note.pvh, "a", @note
    .balign 4
    .long 4                     /* namesz: "Xen\0" */
    .long 4                     /* descsz: one 32-bit address */
    .long {note_type}
    .asciz "Xen"
    .balign 4
    .long pvh_start

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .global BOOT_PML4
BOOT_PML4: .skip 4096
    .global BOOT_PDPT
BOOT_PDPT: .skip 4096
    .global BOOT_PD
BOOT_PD:   .skip 4096
    .balign 16
    .global BOOT_STACK_BOTTOM
BOOT_STACK_BOTTOM: .skip {stack_size}
    .global BOOT_STACK_TOP
BOOT_STACK_TOP:

    .section .rodata.boot, "a"
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit ring-0 code */
    .quad 0x00cf92000000ffff    /* 0x10: ring-0 data */
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt

    .section .text.boot, "ax"
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    mov %ebx, %edi              /* start_info address: survives into long mode */

    /* PML4[0] -> PDPT, PDPT[0] -> PD: present and writable. */
    mov $BOOT_PDPT, %eax
    or $0x3, %eax
    mov %eax, BOOT_PML4
    mov $BOOT_PD, %eax
    or $0x3, %eax
    mov %eax, BOOT_PDPT

    /* PD[i] = i * 2 MiB, present | writable | huge: identity map of 1 GiB. */
    xor %ecx, %ecx
1:
    mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, BOOT_PD(,%ecx,8)
    movl $0, BOOT_PD+4(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    /* CR4.PAE */
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4

    mov $BOOT_PML4, %eax
    mov %eax, %cr3

    /* EFER.LME | EFER.NXE */
    mov $0xC0000080, %ecx
    rdmsr
    or $0x900, %eax
    wrmsr

    /* CR0.PG | CR0.WP | CR0.PE */
    mov %cr0, %eax
    or $0x80010001, %eax
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x08, $long_mode_entry

    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov $BOOT_STACK_TOP, %rsp
    xor %ebp, %ebp
    call kernel_main
2:
    hlt
    jmp 2b
"#,
    note_type = const XEN_ELFNOTE_PHYS32_ENTRY,
    stack_size = const BOOT_STACK_SIZE,
    options(att_syntax)
);

extern "C" {
    /// The kernel's top-level page table, built by the boot stub.
    pub static BOOT_PML4: [u64; 512];
    /// The page directory of the identity map of the first GiB.
    pub static BOOT_PD: [u64; 512];
    /// Top of the boot stack (the scheduler's stack after boot).
    pub static BOOT_STACK_TOP: u8;
}

/// Physical (= virtual) address of the kernel's PML4.
pub fn kernel_pml4_address() -> u64 {
    core::ptr::addr_of!(BOOT_PML4) as u64
}

/// Physical (= virtual) address of the shared kernel page directory.
pub fn kernel_pd_address() -> u64 {
    core::ptr::addr_of!(BOOT_PD) as u64
}

extern "C" {
    static __kernel_start: u8;
    static __kernel_end: u8;
}

/// Physical address range `[start, end)` of the kernel image, bss included.
pub fn kernel_image_range() -> (u64, u64) {
    (
        core::ptr::addr_of!(__kernel_start) as u64,
        core::ptr::addr_of!(__kernel_end) as u64,
    )
}
