//! Memory: the frame allocator and the user layout (here), address spaces
//! ([`paging`]), shared read-only pages ([`shared`]), the kernel heap,
//! checked copies to and from user memory ([`usercopy`]), the image cache
//! and the ELF loader. Imports only [`crate::arch`].
//!
//! Physical memory below 1 GiB is identity-mapped (supervisor-only, 2 MiB
//! pages) in every address space, so the kernel reaches any frame through
//! its physical address.

pub mod failslab;
pub mod heap;
pub mod image_cache;
pub mod initrd;
pub mod loader;
pub mod paging;
pub mod shared;
pub mod usercopy;

use libspawn::Errno;
use shim_core::frames::{FrameBitmap, FRAME_SIZE};
use spin::{Mutex, Once};

/// Where things live in a user address space. The image range is the
/// linker-script contract; the rest is the kernel's choice.
pub mod user_layout {
    use shim_abi::layout;

    /// Lowest address of a user image.
    pub const IMAGE_BASE: u64 = layout::USER_IMAGE_BASE;
    /// One past the highest address of a user image: the small code model
    /// needs everything below 2 GiB.
    pub const IMAGE_END: u64 = 0x8000_0000;
    /// Most bytes all segments of an image may take.
    pub const IMAGE_MAX_BYTES: u64 = 64 << 20;
    /// Most bytes the program break may grow above the image.
    pub const BRK_MAX_BYTES: u64 = 1 << 30;
    /// First address handed out by anonymous `mmap`.
    pub const MMAP_BASE: u64 = 0x10_0000_0000;
    /// One past the last address `mmap` hands out.
    pub const MMAP_END: u64 = 0x7000_0000_0000;
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
            Some(end) => address >= IMAGE_BASE && end <= USER_END,
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
    FRAMES.lock().free_count()
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
    let frame = allocate_frame().ok_or(Errno::ENOMEM)?;
    let address = frame as u64 * FRAME_SIZE;
    // SAFETY: the frame was free, so nothing else refers to it, and it lies
    // in the identity map (the bitmap tracks only the first GiB).
    unsafe { core::ptr::write_bytes(address as *mut u8, 0, FRAME_SIZE as usize) };
    Ok(address)
}

/// Returns the frame at physical address `address` to the pool.
pub fn free_frame(address: u64) {
    FRAMES.lock().release((address / FRAME_SIZE) as usize);
}
