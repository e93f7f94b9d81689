//! The kernel heap: a fixed region of RAM just above the kernel image,
//! first fit (`linked_list_allocator`) with free lists per size class in
//! front.
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
use core::ptr::NonNull;
use linked_list_allocator::Heap as FirstFit;
use spin::Mutex;

/// Bytes in the kernel heap (the ramfs lives here: this bounds the total
/// size of all files).
pub const HEAP_SIZE: usize = 64 << 20;

/// The smallest size class: every class block is at least this big, so a
/// free one can hold the free list's link.
const MIN_CLASS_SIZE: usize = 16;
/// Number of size classes: 16, 32, 64, ..., 4096 bytes.
const CLASS_COUNT: usize = 9;
/// The largest size class; bigger requests go to the first-fit heap.
const MAX_CLASS_SIZE: usize = MIN_CLASS_SIZE << (CLASS_COUNT - 1);
/// The alignment of every class block; requests aligned more strictly go
/// to the first-fit heap.
const CLASS_ALIGN: usize = 16;
/// Free blocks each class keeps for reuse; a block freed beyond that goes
/// back to the first-fit heap.
const KEPT_PER_CLASS: usize = 16;

/// The size class that serves `layout`, if one does.
fn class_of(layout: Layout) -> Option<usize> {
    if layout.align() > CLASS_ALIGN || layout.size() > MAX_CLASS_SIZE {
        return None;
    }
    let size = layout.size().max(MIN_CLASS_SIZE);
    // The power of two at or above `size`, as an index from 16 bytes up.
    let log2 = (usize::BITS - (size - 1).leading_zeros()) as usize;
    Some(log2 - MIN_CLASS_SIZE.trailing_zeros() as usize)
}

/// The layout of every block of `class` in the first-fit heap.
fn class_layout(class: usize) -> Option<Layout> {
    Layout::from_size_align(MIN_CLASS_SIZE << class, CLASS_ALIGN).ok()
}

/// A free class block: the link to the next free block of its class.
struct FreeBlock {
    next: Option<NonNull<FreeBlock>>,
}

/// The heap: first fit over the whole region (`linked_list_allocator`),
/// with a free list per size class in front of it. Most kernel
/// allocations are small and short-lived (a spawn's copied request, its
/// stack image, descriptor tables, ...); a freed small block is kept on
/// its class's list and handed out again in a few instructions, where the
/// first-fit heap walks its list of holes on every allocation and free.
/// The blocks kept are counted as free ([`used_bytes`]), and given back
/// to the first-fit heap before an allocation is refused.
struct State {
    first_fit: FirstFit,
    free: [Option<NonNull<FreeBlock>>; CLASS_COUNT],
    kept: [usize; CLASS_COUNT],
    /// Bytes of the blocks on the free lists.
    kept_bytes: usize,
}

// SAFETY: the pointers name free heap blocks that only this state uses,
// and the state is only reached through the heap's mutex.
unsafe impl Send for State {}

impl State {
    /// A block of `layout` (a class's, when the class keeps a free one),
    /// or `None` when the heap has no room even with the free lists
    /// given back.
    fn allocate(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        let Some(class) = class_of(layout) else {
            return self.first_fit_or_flush(layout);
        };
        if let Some(block) = self.free[class] {
            // SAFETY: a block on a free list was written by `keep` with
            // its link and is used by nobody else.
            self.free[class] = unsafe { block.as_ref().next };
            self.kept[class] -= 1;
            self.kept_bytes -= MIN_CLASS_SIZE << class;
            return Some(block.cast());
        }
        self.first_fit_or_flush(class_layout(class)?)
    }

    /// From the first-fit heap; when it has no room, every kept block is
    /// given back to it and it is asked again.
    fn first_fit_or_flush(&mut self, layout: Layout) -> Option<NonNull<u8>> {
        if let Ok(block) = self.first_fit.allocate_first_fit(layout) {
            return Some(block);
        }
        if self.kept_bytes == 0 {
            return None;
        }
        self.give_back_kept();
        self.first_fit.allocate_first_fit(layout).ok()
    }

    /// Returns every block on the free lists to the first-fit heap.
    fn give_back_kept(&mut self) {
        for class in 0..CLASS_COUNT {
            let Some(layout) = class_layout(class) else {
                continue;
            };
            while let Some(block) = self.free[class] {
                // SAFETY: as in `allocate`: a kept block holds its link.
                self.free[class] = unsafe { block.as_ref().next };
                // SAFETY: the block came from `allocate_first_fit` with
                // this class's layout and nobody uses it.
                unsafe { self.first_fit.deallocate(block.cast(), layout) };
            }
            self.kept[class] = 0;
        }
        self.kept_bytes = 0;
    }

    /// Frees `block`, allocated by [`State::allocate`] with `layout`.
    ///
    /// # Safety
    ///
    /// `block` came from `allocate(layout)` and is no longer used.
    unsafe fn free(&mut self, block: NonNull<u8>, layout: Layout) {
        let Some(class) = class_of(layout) else {
            // SAFETY: by the contract, from `allocate_first_fit(layout)`.
            unsafe { self.first_fit.deallocate(block, layout) };
            return;
        };
        if self.kept[class] < KEPT_PER_CLASS {
            let block = block.cast::<FreeBlock>();
            // SAFETY: a class block is at least 16 bytes, 16-byte aligned
            // and unused (the contract), so it can hold the link.
            unsafe {
                block.write(FreeBlock {
                    next: self.free[class],
                })
            };
            self.free[class] = Some(block);
            self.kept[class] += 1;
            self.kept_bytes += MIN_CLASS_SIZE << class;
        } else if let Some(class_layout) = class_layout(class) {
            // SAFETY: by the contract, from `allocate_first_fit` with the
            // class's layout.
            unsafe { self.first_fit.deallocate(block, class_layout) };
        }
    }
}

/// The heap behind the failure injection of [`crate::mm::failslab`].
struct Heap(Mutex<State>);

// SAFETY: blocks come from `State::allocate`, whose blocks are at least
// the layout's size and alignment (a class block is its class's size,
// 16-byte aligned, and serves only layouts that fit it) and are used by
// nobody else until `dealloc` gives them back with the same layout; an
// injected failure returns null, which `GlobalAlloc` allows.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if crate::mm::failslab::should_fail() {
            return core::ptr::null_mut();
        }
        self.0
            .lock()
            .allocate(layout)
            .map_or(core::ptr::null_mut(), NonNull::as_ptr)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(block) = NonNull::new(ptr) {
            // SAFETY: the caller's contract is `dealloc`'s: `ptr` came
            // from `alloc(layout)` here and is no longer used.
            unsafe { self.0.lock().free(block, layout) };
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && crate::mm::failslab::should_fail() {
            return core::ptr::null_mut();
        }
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        if class_of(layout).is_some() && class_of(layout) == class_of(new_layout) {
            // The block is already of the class the new size needs.
            return ptr;
        }
        let Some(new) = self.0.lock().allocate(new_layout) else {
            return core::ptr::null_mut();
        };
        // SAFETY: `ptr` holds `layout.size()` bytes (the caller's
        // contract), `new` holds `new_size`, and they are distinct blocks.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, new.as_ptr(), layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        new.as_ptr()
    }
}

#[global_allocator]
static ALLOCATOR: Heap = Heap(Mutex::new(State {
    first_fit: FirstFit::empty(),
    free: [None; CLASS_COUNT],
    kept: [0; CLASS_COUNT],
    kept_bytes: 0,
}));

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
            .first_fit
            .init(super::phys::pointer(start), HEAP_SIZE)
    };
}

/// Bytes currently allocated from the heap (blocks kept on the size
/// classes' free lists count as free).
pub fn used_bytes() -> usize {
    let state = ALLOCATOR.0.lock();
    state.first_fit.used() - state.kept_bytes
}
