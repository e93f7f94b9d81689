//! Memory: the frame allocator and the user layout (here), physical memory
//! ([`phys`]) and device memory ([`mmio`]), address spaces ([`paging`]),
//! demand paging of `mmap` regions ([`demand`]), shared read-only pages
//! ([`shared`]), the kernel heap,
//! checked copies to and from user memory ([`usercopy`]), the image cache,
//! the ELF loader and the free frames kept zeroed ([`zeroed_frames`]). Imports only [`crate::arch`].
//!
//! The kernel lives in the higher half of every address space: its image
//! at [`crate::arch::boot::KERNEL_VIRTUAL_BASE`], physical RAM below 1 GiB
//! in a direct map (supervisor-only, 2 MiB pages) through which [`phys`]
//! reaches any frame, and device memory mapped on demand ([`mmio`]). The
//! lower half is user space's.

pub mod demand;
pub mod failslab;
pub mod heap;
pub mod image_cache;
pub mod initrd;
pub mod loader;
pub mod mmio;
pub mod paging;
pub mod phys;
pub mod shared;
pub mod usercopy;
pub mod zeroed_frames;

use libspawn::Errno;
use shim_core::frames::{FrameBitmap, FRAME_SIZE};
use spin::{Mutex, Once};

/// Where things live in a user address space, lowest first:
///
/// | Range | What |
/// |---|---|
/// | `0 .. USER_MIN_ADDRESS` (64 KiB) | never mapped (null pointers fault) |
/// | `USER_MIN_ADDRESS .. IMAGE_END` | the image where it was linked (an ET_EXEC anywhere here; a static PIE at `PIE_LOAD_BASE`), its break above it |
/// | `MMAP_BASE .. MMAP_END` | anonymous `mmap` |
/// | `STACK_BOTTOM .. STACK_TOP` | the stack, grown on demand |
/// | `USER_END ..` | the kernel half |
pub mod user_layout {
    use shim_abi::layout;
    use shim_core::frames::FRAME_SIZE;

    /// Lowest address user space may map ([`layout::USER_MIN_ADDRESS`]).
    pub const USER_MIN_ADDRESS: u64 = layout::USER_MIN_ADDRESS;
    /// Most bytes all segments of an image may take.
    pub const IMAGE_MAX_BYTES: u64 = 64 << 20;
    /// Most bytes the program break may grow above the image.
    pub const BRK_MAX_BYTES: u64 = 1 << 30;
    /// Lowest address `mmap` picks by itself (hints and `MAP_FIXED` may
    /// go anywhere in the user range): above where any image and its break
    /// may lie, so the two never meet.
    pub const MMAP_BASE: u64 = 0x6800_0000_0000;
    /// Room left between the stack's top and the mappings, as Linux's
    /// smallest stack gap.
    pub const MMAP_STACK_GAP: u64 = 128 << 20;
    /// One past the highest address `mmap` picks by itself: it places
    /// mappings top-down from here, below the stack, as Linux does.
    pub const MMAP_END: u64 = STACK_TOP - MMAP_STACK_GAP;
    /// One past the highest address of a user image: its break must fit
    /// below the `mmap` area.
    pub const IMAGE_END: u64 = MMAP_BASE - BRK_MAX_BYTES;
    /// Where a static PIE (ET_DYN without PT_INTERP) is loaded, as Linux
    /// does: two thirds of the user range, page-aligned (the program
    /// relocates itself; the kernel applies no relocations).
    pub const PIE_LOAD_BASE: u64 = (USER_END / 3 * 2) & !(FRAME_SIZE - 1);
    /// Top of the initial stack.
    pub const STACK_TOP: u64 = layout::USER_STACK_TOP;
    /// The stack grows on demand down to `STACK_TOP - STACK_MAX_BYTES`.
    pub const STACK_MAX_BYTES: u64 = 8 << 20;
    /// Lowest address of the stack region.
    pub const STACK_BOTTOM: u64 = STACK_TOP - STACK_MAX_BYTES;
    /// One past the highest user address.
    pub const USER_END: u64 = layout::USER_END;

    /// The one rule for addresses user code resumes at.
    pub use shim_abi::layout::is_return_address;

    /// Whether `[address, address + len)` lies in the user half.
    pub fn is_user_range(address: u64, len: u64) -> bool {
        match address.checked_add(len) {
            Some(end) => address >= USER_MIN_ADDRESS && end <= USER_END,
            None => false,
        }
    }
}

static FRAMES: Mutex<FrameBitmap> = Mutex::new(FrameBitmap::new());
/// What gives frames back when none is free: the image cache's
/// [`image_cache::release_unused`], registered at boot ([`set_reclaim`]),
/// so the allocator below the cache does not import it.
static RECLAIM: Once<fn() -> usize> = Once::new();

/// Registers `reclaim`, which frees the frames of unused caches and
/// returns how many (boot).
pub fn set_reclaim(reclaim: fn() -> usize) {
    RECLAIM.call_once(|| reclaim);
}

/// Frees the usable RAM range `[start, end)` for allocation.
pub fn add_free_range(start: u64, end: u64) {
    FRAMES.lock().add_range(start, end);
}

/// Withdraws `[start, end)` (kernel image, initrd, boot data) from the pool.
pub fn reserve_range(start: u64, end: u64) {
    FRAMES.lock().remove_range(start, end);
}

/// Number of free frames.
pub fn free_frames() -> usize {
    FRAMES.lock().free_count() + zeroed_frames::count()
}

/// Number of frames of usable RAM (free or allocated).
pub fn total_frames() -> usize {
    FRAMES.lock().managed_count()
}

/// Takes a free frame; when none is left, first has the image cache give
/// back the frames no process uses.
fn allocate_frame() -> Option<usize> {
    let frame = FRAMES.lock().allocate();
    if frame.is_none() && RECLAIM.get().is_some_and(|reclaim| reclaim() > 0) {
        return FRAMES.lock().allocate();
    }
    frame
}

/// Allocates a zero-filled frame and returns its physical address.
///
/// # Errors
///
/// `ENOMEM` when no frame is left, even after the image cache gave back
/// what no process uses.
pub fn allocate_zeroed_frame() -> Result<u64, Errno> {
    if let Some(address) = zeroed_frames::take() {
        return Ok(address);
    }
    let frame = allocate_frame().ok_or(Errno::ENOMEM)?;
    let address = frame as u64 * FRAME_SIZE;
    // SAFETY: the frame was free, so nothing else refers to it, and it lies
    // in the direct map (the bitmap tracks only the first GiB).
    unsafe { phys::zero_frame(address) };
    Ok(address)
}

/// Allocates a frame that the caller overwrites whole before anyone else
/// sees it, and returns its physical address: it is not cleared, so it
/// may hold what its last owner left (the loader fills stack pages this
/// way, [`paging::AddressSpace::map_filled`]).
///
/// # Errors
///
/// `ENOMEM` as [`allocate_zeroed_frame`].
pub fn allocate_frame_to_overwrite() -> Result<u64, Errno> {
    match allocate_frame() {
        Some(frame) => Ok(frame as u64 * FRAME_SIZE),
        None => zeroed_frames::take().ok_or(Errno::ENOMEM),
    }
}

/// Copies the whole frame at physical address `from` into the frame at
/// `to`.
pub fn copy_frame(to: u64, from: u64) {
    assert!(to != from && to.is_multiple_of(FRAME_SIZE) && from.is_multiple_of(FRAME_SIZE));
    // SAFETY: both are distinct whole frames (checked above) of RAM in
    // the direct map; the caller owns `to` (just allocated, so nothing else
    // refers to it: `phys::write`'s contract) and only reads `from`, a
    // frame of an address space it holds that nobody writes meanwhile
    // (`phys::bytes`'s contract).
    unsafe { phys::write(to, phys::bytes(from, FRAME_SIZE as usize)) };
}

/// Copies `bytes` into the frame at physical address `frame`, from byte
/// `offset` of it.
///
/// # Panics
///
/// If the bytes do not fit in the frame (a kernel bug).
pub fn fill_frame(frame: u64, offset: usize, bytes: &[u8]) {
    assert!(frame.is_multiple_of(FRAME_SIZE) && offset + bytes.len() <= FRAME_SIZE as usize);
    // SAFETY: `frame + offset .. + len` lies in one frame (checked above)
    // of RAM in the direct map, which the caller owns (`phys::write`'s
    // contract); `bytes` is kernel memory, so the two do not overlap.
    unsafe { phys::write(frame + offset as u64, bytes) };
}

/// Returns the frame at physical address `address` to the pool.
pub fn free_frame(address: u64) {
    FRAMES.lock().release((address / FRAME_SIZE) as usize);
}

/// Returns the frame at physical address `address`, whose bytes are all
/// zero, to the pool: kept in [`zeroed_frames`] for the next
/// [`allocate_zeroed_frame`] while there is room.
pub fn free_zeroed_frame(address: u64) {
    // SAFETY: the caller gives the frame up, so nobody writes it while the
    // check reads it; it is RAM in the direct map.
    debug_assert!(unsafe { phys::bytes(address, FRAME_SIZE as usize) }
        .iter()
        .all(|&byte| byte == 0));
    if !zeroed_frames::keep(address) {
        free_frame(address);
    }
}
