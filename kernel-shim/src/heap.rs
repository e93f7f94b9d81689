//! The kernel heap: a fixed arena in `.bss` behind `linked_list_allocator`.
//!
//! The heap holds the kernel's own bookkeeping (the initrd file table,
//! copied spawn arguments, load plans). User memory never comes from it, so
//! a fixed size is enough and keeps the frame count independent of it.

use core::cell::UnsafeCell;
use linked_list_allocator::LockedHeap;

/// Bytes in the kernel heap.
pub const HEAP_SIZE: usize = 4 << 20;

#[repr(C, align(4096))]
struct Arena(UnsafeCell<[u8; HEAP_SIZE]>);

// SAFETY: the arena is only ever touched through the allocator, which
// serialises access with its lock.
unsafe impl Sync for Arena {}

static ARENA: Arena = Arena(UnsafeCell::new([0; HEAP_SIZE]));

#[global_allocator]
static ALLOCATOR: LockedHeap = LockedHeap::empty();

/// Hands the arena to the allocator. Call once, before any allocation.
pub fn init() {
    // SAFETY: the arena is a static region used by nothing else, and this
    // runs once at boot before the first allocation.
    unsafe { ALLOCATOR.lock().init(ARENA.0.get().cast::<u8>(), HEAP_SIZE) };
}

/// Bytes currently allocated from the heap.
pub fn used_bytes() -> usize {
    ALLOCATOR.lock().used()
}
