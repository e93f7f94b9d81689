//! The initrd: where the boot loader put the cpio archive. Unpacking it
//! into the ramfs is pure logic, [`shim_core::initrd::unpack`].

/// The boot initrd found at physical `[start, end)`.
///
/// # Safety
///
/// The range holds the initrd, lies in the direct map, and is reserved
/// from the frame allocator for the rest of the kernel's life.
pub unsafe fn archive(start: u64, end: u64) -> &'static [u8] {
    // SAFETY: by the contract the bytes are mapped, immutable and never
    // reused, so a `'static` shared slice is sound.
    unsafe { super::phys::bytes(start, (end - start) as usize) }
}
