//! PVH entry: from 32-bit protected mode to long mode in the higher half,
//! then into Rust; and the kernel's address-space layout.
//!
//! QEMU's `-kernel` loader reads the `XEN_ELFNOTE_PHYS32_ENTRY` note below
//! and jumps to `pvh_start` (its physical address) in 32-bit protected mode
//! with paging off, flat segments and `ebx` holding the physical address of
//! the `hvm_start_info` structure. The stub, running at physical addresses
//! (the `*_phys` symbols of `linker.ld`), builds the boot page tables: one
//! page directory mapping the first GiB of physical memory with 2 MiB pages
//! (supervisor-only), linked three times: at 0 (an identity map, only for
//! the jump), at [`DIRECT_MAP_BASE`] (the direct map) and at
//! [`KERNEL_VIRTUAL_BASE`] (the kernel image, linked there). It enables
//! PAE, long mode and NX, loads a minimal 64-bit GDT, jumps to the higher
//! half, drops the identity map and calls [`crate::kernel_main`] with the
//! start-info address.
//!
//! The boot page tables stay in use afterwards: the kernel half of
//! [`BOOT_PML4`] (entries 256..512, whose tables are never replaced) is
//! linked into every address space, so the lower half belongs to user space
//! entirely.

use core::arch::global_asm;

/// `XEN_ELFNOTE_PHYS32_ENTRY`: the note type QEMU's PVH loader looks for.
pub const XEN_ELFNOTE_PHYS32_ENTRY: u32 = 18;

/// Bytes of the boot stack, which later serves as the scheduler's stack.
pub const BOOT_STACK_SIZE: usize = 64 * 1024;

/// Where the kernel image is linked: virtual = this + physical (the top
/// 2 GiB, which the kernel code model addresses). `linker.ld` says the same.
pub const KERNEL_VIRTUAL_BASE: u64 = 0xffff_ffff_8000_0000;
/// Where physical memory is mapped: virtual = this + physical. The first
/// PML4 entry of the kernel half.
pub const DIRECT_MAP_BASE: u64 = 0xffff_8000_0000_0000;
/// Bytes of RAM the boot direct map covers (from physical 0): the RAM the
/// kernel uses lies below this. Device memory is mapped on demand above it
/// ([`crate::mm::mmio`]).
pub const DIRECT_MAP_RAM_END: u64 = 1 << 30;
/// PML4 entries of the kernel half: 256..512.
pub const KERNEL_PML4_FIRST: usize = 256;
/// PML4 entry of [`DIRECT_MAP_BASE`].
const DIRECT_MAP_PML4: usize = 256;
/// PML4 and PDPT entries of [`KERNEL_VIRTUAL_BASE`].
const KERNEL_PML4: usize = 511;
const KERNEL_PDPT: usize = 510;
/// Bytes of one page-table entry.
const ENTRY_BYTES: usize = 8;

global_asm!(
    r#"
    .section .note.pvh, "a", @note
    .balign 4
    .long 4                     /* namesz: "Xen\0" */
    .long 4                     /* descsz: one 32-bit address */
    .long {note_type}
    .asciz "Xen"
    .balign 4
    .long pvh_start_phys

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .global BOOT_PML4
BOOT_PML4: .skip 4096
    .global BOOT_PDPT_DIRECT
BOOT_PDPT_DIRECT: .skip 4096
    .global BOOT_PDPT_KERNEL
BOOT_PDPT_KERNEL: .skip 4096
    .global BOOT_PD
BOOT_PD:   .skip 4096
    .balign 16
    .global BOOT_STACK_BOTTOM
BOOT_STACK_BOTTOM: .skip {stack_size}
    .global BOOT_STACK_TOP
BOOT_STACK_TOP:

    .section .rodata.boot, "a"
    .balign 16
    .global boot_gdt
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit ring-0 code */
    .quad 0x00cf92000000ffff    /* 0x10: ring-0 data */
boot_gdt_end:
    .global boot_gdt_pointer
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt_phys

    .section .text.boot, "ax"
    .code32
    .global pvh_start
pvh_start:
    cli
    cld
    mov %ebx, %edi              /* start_info address: survives into long mode */

    /* PML4[0] and PML4[256] -> the direct-map PDPT; PML4[511] -> the
       kernel PDPT: present and writable. */
    mov $BOOT_PDPT_DIRECT_phys, %eax
    or $0x3, %eax
    mov %eax, BOOT_PML4_phys
    mov %eax, BOOT_PML4_phys + {direct_pml4} * {entry}
    mov $BOOT_PDPT_KERNEL_phys, %eax
    or $0x3, %eax
    mov %eax, BOOT_PML4_phys + {kernel_pml4} * {entry}
    /* Both PDPTs -> the one page directory of the first GiB. */
    mov $BOOT_PD_phys, %eax
    or $0x3, %eax
    mov %eax, BOOT_PDPT_DIRECT_phys
    mov %eax, BOOT_PDPT_KERNEL_phys + {kernel_pdpt} * {entry}

    /* PD[i] = i * 2 MiB, present | writable | huge: 1 GiB of RAM. */
    xor %ecx, %ecx
1:
    mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, BOOT_PD_phys(,%ecx,8)
    movl $0, BOOT_PD_phys+4(,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    /* CR4.PAE */
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4

    mov $BOOT_PML4_phys, %eax
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

    lgdt boot_gdt_pointer_phys
    ljmp $0x08, $boot_long_mode_phys

    .code64
    .global boot_long_mode
boot_long_mode:
    /* Still at the physical address: jump to the higher half. */
    movabs $boot_higher_half, %rax
    jmp *%rax
boot_higher_half:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    movabs $BOOT_STACK_TOP, %rsp
    xor %ebp, %ebp
    /* Drop the identity map: the lower half is user space's. */
    movabs $BOOT_PML4, %rax
    movq $0, (%rax)
    mov %cr3, %rax
    mov %rax, %cr3
    mov %edi, %edi              /* zero-extend the start_info address */
    movabs $kernel_main, %rax
    call *%rax
2:
    hlt
    jmp 2b
"#,
    note_type = const XEN_ELFNOTE_PHYS32_ENTRY,
    stack_size = const BOOT_STACK_SIZE,
    direct_pml4 = const DIRECT_MAP_PML4,
    kernel_pml4 = const KERNEL_PML4,
    kernel_pdpt = const KERNEL_PDPT,
    entry = const ENTRY_BYTES,
    options(att_syntax)
);

extern "C" {
    /// The kernel's top-level page table, built by the boot stub.
    pub static BOOT_PML4: [u64; 512];
    /// The direct map's PDPT (physical 0 .. 512 GiB), shared by every
    /// address space through [`BOOT_PML4`]'s kernel half.
    pub static mut BOOT_PDPT_DIRECT: [u64; 512];
    /// Top of the boot stack (the scheduler's stack after boot).
    pub static BOOT_STACK_TOP: u8;
}

/// The physical address of `virtual_address`, which lies in the kernel
/// image.
pub fn image_physical(virtual_address: u64) -> u64 {
    virtual_address - KERNEL_VIRTUAL_BASE
}

/// Physical address of the kernel's PML4 (for CR3).
pub fn kernel_pml4_address() -> u64 {
    image_physical(core::ptr::addr_of!(BOOT_PML4) as u64)
}

/// The kernel half of the kernel's PML4 (entries
/// [`KERNEL_PML4_FIRST`]..512), to link into a new address space.
pub fn kernel_half() -> &'static [u64] {
    // SAFETY: BOOT_PML4 is the boot stub's table; after the stub cleared
    // its entry 0, nothing writes the PML4 itself again (the tables it
    // points at are edited, not it), so a shared 'static view is sound.
    unsafe { &BOOT_PML4[KERNEL_PML4_FIRST..] }
}

/// The direct map's PDPT, for mapping device memory
/// ([`crate::mm::mmio`]).
pub fn direct_map_pdpt() -> *mut [u64; 512] {
    core::ptr::addr_of_mut!(BOOT_PDPT_DIRECT)
}

/// The virtual address of physical `address` in the direct map. The one
/// translation from physical to virtual: `crate::mm::phys` builds every
/// pointer to a frame on it; the boot code before the memory layer (the
/// start-info block) uses it directly.
pub fn direct_map(address: u64) -> u64 {
    DIRECT_MAP_BASE + address
}

extern "C" {
    static __kernel_start: u8;
    static __kernel_end: u8;
}

/// Physical address range `[start, end)` of the kernel image, bss included.
pub fn kernel_image_range() -> (u64, u64) {
    (
        image_physical(core::ptr::addr_of!(__kernel_start) as u64),
        image_physical(core::ptr::addr_of!(__kernel_end) as u64),
    )
}
