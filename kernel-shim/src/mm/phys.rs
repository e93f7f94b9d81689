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

/// Fills the frame at physical `frame` with zeros.
///
/// # Safety
///
/// As for [`write`], for the whole frame.
pub unsafe fn zero_frame(frame: u64) {
    // SAFETY: by the contract the frame is mapped and ours.
    unsafe { core::ptr::write_bytes(pointer::<u8>(frame), 0, FRAME_SIZE as usize) }
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
