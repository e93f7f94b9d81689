//! Physical memory as the kernel sees it: every pointer to a frame (page
//! tables, user frames, the heap, the initrd) is made here, from the direct
//! map of [`crate::arch::boot::direct_map`], and nowhere else.
//!
//! The kernel image lives in the top 2 GiB, physical RAM at
//! [`crate::arch::boot::DIRECT_MAP_BASE`] + physical, so the lower half of
//! every address space is user space's alone.

use crate::arch::boot;
use shim_core::frames::FRAME_SIZE;

/// Bytes of RAM the direct map covers, from physical 0.
pub const RAM_END: u64 = boot::DIRECT_MAP_RAM_END;

/// Whether `[address, address + len)` is RAM the direct map covers.
pub fn is_mapped_ram(address: u64, len: u64) -> bool {
    address.checked_add(len).is_some_and(|end| end <= RAM_END)
}

/// A pointer to physical `address` through the direct map. Making the
/// pointer is safe; using it is the caller's `unsafe`, whose contract is
/// that the address is mapped RAM ([`is_mapped_ram`]) the caller owns.
pub fn pointer<T>(address: u64) -> *mut T {
    boot::direct_map(address) as *mut T
}

/// Copies `data` to physical `address`: the one helper through which the
/// loader and the frame allocator write frames.
///
/// # Safety
///
/// `address .. address + data.len()` is mapped RAM ([`is_mapped_ram`]) that
/// the caller owns (a frame it allocated and that no one else writes or
/// reads meanwhile), not the kernel image or heap.
pub unsafe fn write(address: u64, data: &[u8]) {
    // SAFETY: by the contract the target is mapped, owned and disjoint
    // from `data` (kernel memory the caller cannot hold a reference to).
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), pointer(address), data.len()) }
}

/// Bytes the SSE zeroing loop clears per iteration (sixteen 16-byte
/// stores).
const ZERO_STEP: usize = 256;

/// Fills the frame at physical `frame` with zeros.
///
/// With SSE on (from early boot, [`crate::arch::context::enable_sse`]),
/// 16 bytes a store: a page is 256 stores and 16 loop steps, where
/// `rep stosq` (what `write_bytes` becomes here) takes 512 steps, each an
/// instruction under QEMU's instruction counting and at least as dear as
/// an instruction under TCG. The kernel is built without SSE, so the one
/// register used, `xmm0`, holds whatever the process running in user mode
/// left there: it is saved on the stack first and put back after.
///
/// # Safety
///
/// As for [`write`], for the whole frame.
pub unsafe fn zero_frame(frame: u64) {
    let start = pointer::<u8>(frame);
    if !crate::arch::context::sse_enabled() {
        // SAFETY: by the contract the frame is mapped and ours.
        unsafe { core::ptr::write_bytes(start, 0, FRAME_SIZE as usize) };
        return;
    }
    const _: () = assert!((FRAME_SIZE as usize).is_multiple_of(ZERO_STEP));
    // SAFETY: by the contract `[start, start + FRAME_SIZE)` is mapped RAM
    // that we own, and `start` is frame-aligned, so every 16-byte `movdqa`
    // store is aligned and inside the frame (the loop ends at the frame's
    // end, a multiple of the step). SSE is on (checked above), so the
    // instructions cannot fault. The only register the asm changes that
    // it does not declare is `xmm0`, which it saves below the stack
    // pointer it moves down first (the kernel has no red zone) and
    // restores; an interrupt or switch meanwhile saves and restores it
    // with the process's FPU state (`fxsave`), zero or not.
    unsafe {
        core::arch::asm!(
            "sub rsp, 16",
            "movdqu [rsp], xmm0",
            "pxor xmm0, xmm0",
            "2:",
            "movdqa [{p}], xmm0",
            "movdqa [{p} + 16], xmm0",
            "movdqa [{p} + 32], xmm0",
            "movdqa [{p} + 48], xmm0",
            "movdqa [{p} + 64], xmm0",
            "movdqa [{p} + 80], xmm0",
            "movdqa [{p} + 96], xmm0",
            "movdqa [{p} + 112], xmm0",
            "movdqa [{p} + 128], xmm0",
            "movdqa [{p} + 144], xmm0",
            "movdqa [{p} + 160], xmm0",
            "movdqa [{p} + 176], xmm0",
            "movdqa [{p} + 192], xmm0",
            "movdqa [{p} + 208], xmm0",
            "movdqa [{p} + 224], xmm0",
            "movdqa [{p} + 240], xmm0",
            "add {p}, {step}",
            "cmp {p}, {end}",
            "jne 2b",
            "movdqu xmm0, [rsp]",
            "add rsp, 16",
            p = inout(reg) start => _,
            end = in(reg) start.wrapping_add(FRAME_SIZE as usize),
            step = const ZERO_STEP,
        );
    }
}

/// The bytes at physical `[address, address + len)`.
///
/// # Safety
///
/// The range is mapped RAM ([`is_mapped_ram`]) that nobody writes while
/// the returned slice lives.
pub unsafe fn bytes<'a>(address: u64, len: usize) -> &'a [u8] {
    // SAFETY: by the contract the bytes are mapped and not written for 'a.
    unsafe { core::slice::from_raw_parts(pointer(address), len) }
}

/// The bytes at physical `[address, address + len)`, writable.
///
/// # Safety
///
/// The range is mapped RAM ([`is_mapped_ram`]) that nothing else refers
/// to while the returned slice lives.
pub unsafe fn bytes_mut<'a>(address: u64, len: usize) -> &'a mut [u8] {
    // SAFETY: by the contract the bytes are mapped and unaliased for 'a.
    unsafe { core::slice::from_raw_parts_mut(pointer(address), len) }
}
