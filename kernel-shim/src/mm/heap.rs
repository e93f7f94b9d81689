//! The kernel heap: a fixed region of RAM just above the kernel image, behind `linked_list_allocator`.
//!
//! The heap holds the kernel's own bookkeeping and the ramfs (file data,
//! directories, pipes' buffers, copied spawn arguments, load plans). User
//! memory never comes from it. Its frames are withdrawn from the frame
//! allocator at boot, so the free-frame count does not depend on heap use.

use linked_list_allocator::LockedHeap;

/// Bytes in the kernel heap (the ramfs lives here: this bounds the total
/// size of all files).
pub const HEAP_SIZE: usize = 64 << 20;

#[global_allocator]
static ALLOCATOR: LockedHeap = LockedHeap::empty();

/// Hands `[start, start + HEAP_SIZE)` to the allocator. Call once, before
/// any allocation.
///
/// # Safety
///
/// The range is RAM in the identity map, used by nothing else (not the
/// kernel image, not boot data, and withdrawn from the frame allocator)
/// for the rest of the kernel's life.
pub unsafe fn init(start: u64) {
    // SAFETY: by the contract the region is ours alone; this runs once at
    // boot before the first allocation.
    unsafe { ALLOCATOR.lock().init(start as *mut u8, HEAP_SIZE) };
}

/// Bytes currently allocated from the heap.
pub fn used_bytes() -> usize {
    ALLOCATOR.lock().used()
}
