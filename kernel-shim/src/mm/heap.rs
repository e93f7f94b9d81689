//! The kernel heap: a fixed region of RAM just above the kernel image, behind `linked_list_allocator`.
//!
//! The heap holds the kernel's own bookkeeping and the ramfs (file data,
//! directories, pipes' buffers, copied spawn arguments, load plans). User
//! memory never comes from it. Its frames are withdrawn from the frame
//! allocator at boot, so the free-frame count does not depend on heap use.
//!
//! # The rule: every allocation may fail
//!
//! Running out of heap is an error number, never a panic: no allocation
//! reachable from a system call, an interrupt or a spawn may use an API
//! that aborts when memory runs out (`Vec::push` or `insert` beyond the
//! capacity, `vec!`, `Box::new`, `Arc::new`, `to_vec`, `collect`,
//! `format!`, `BTreeMap::insert`). Storage is had with `try_reserve` /
//! `try_reserve_exact` first (ENOMEM, or ENOSPC for file data and
//! directories), before the call changes anything; shared handles are
//! `shim_core::shared::TryArc`; directories are `shim_core::vfs::Entries`.
//! Boot-only code (building the first `System`, unpacking the initrd,
//! starting init) is the one exception. shim-core's `allocation_rule`
//! test greps both crates for the forbidden calls.
//! Allocation failure can be injected on purpose ([`crate::mm::failslab`]).

use core::alloc::{GlobalAlloc, Layout};
use linked_list_allocator::LockedHeap;

/// Bytes in the kernel heap (the ramfs lives here: this bounds the total
/// size of all files).
pub const HEAP_SIZE: usize = 64 << 20;

/// The heap behind the failure injection of [`crate::mm::failslab`].
struct Heap(LockedHeap);

// SAFETY: every call is passed on to `LockedHeap`, a correct allocator;
// an injected failure returns null, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if crate::mm::failslab::should_fail() {
            return core::ptr::null_mut();
        }
        // SAFETY: the caller's contract is `alloc`'s.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is `dealloc`'s; `ptr` came from
        // this allocator.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && crate::mm::failslab::should_fail() {
            return core::ptr::null_mut();
        }
        // SAFETY: the caller's contract is `realloc`'s.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Heap = Heap(LockedHeap::empty());

/// Hands physical `[start, start + HEAP_SIZE)` to the allocator. Call once, before
/// any allocation.
///
/// # Safety
///
/// The physical range is RAM in the direct map, used by nothing else (not the
/// kernel image, not boot data, and withdrawn from the frame allocator)
/// for the rest of the kernel's life.
pub unsafe fn init(start: u64) {
    // SAFETY: by the contract the region is ours alone; this runs once at
    // boot before the first allocation.
    unsafe {
        ALLOCATOR
            .0
            .lock()
            .init(super::phys::pointer(start), HEAP_SIZE)
    };
}

/// Bytes currently allocated from the heap.
pub fn used_bytes() -> usize {
    ALLOCATOR.0.lock().used()
}
