//! Checked copies between kernel buffers and a process's memory.
//!
//! User memory is never dereferenced through a user pointer. Each page is
//! looked up in the process's page tables (present, user-accessible, and
//! writable when written) and reached through the kernel's direct map of
//! its frame. A bad pointer is therefore `EFAULT` and can never fault in
//! the kernel. Pages of `mmap` regions and of the stack that were never
//! touched get their frames on the way, as a user access would.

use crate::mm::demand;
use crate::mm::paging::AddressSpace;
use crate::mm::user_layout;
use alloc::vec::Vec;
use libspawn::Errno;
use shim_core::frames::FRAME_SIZE;
use shim_core::user_strings::{self, PageReader, PAGE_BYTES};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// Types that may be copied from and to user memory byte for byte: any
/// bytes are a valid value (`FromBytes`) and every byte of a value is
/// initialised (`IntoBytes`, no padding). zerocopy's derives prove both at
/// compile time, next to each type's definition (shim-abi, libspawn's
/// `abi`), so no type needs an `unsafe impl` here; integers and arrays of
/// them have the traits already.
pub trait Plain: FromBytes + IntoBytes + Immutable + KnownLayout {}

impl<T: FromBytes + IntoBytes + Immutable + KnownLayout> Plain for T {}

/// The frame holding user page `page`, giving untouched pages of `mmap`
/// regions and of the stack their frames as a user access would
/// ([`demand::fault_in`]).
fn resolve(space: &mut AddressSpace, page: u64, write: bool) -> Result<u64, Errno> {
    let mapping = match space.translate(page) {
        Some(mapping) => mapping,
        None => {
            demand::fault_in(space, page, write, false).map_err(|_| Errno::EFAULT)?;
            space.translate(page).ok_or(Errno::EFAULT)?
        }
    };
    if write && !mapping.writable {
        return Err(Errno::EFAULT);
    }
    Ok(mapping.frame)
}

/// Calls `each` on the kernel view of every piece of the user range
/// `[address, address + len)`, page by page, in order, with an interrupts
/// window after each page.
fn for_each_chunk(
    space: &mut AddressSpace,
    address: u64,
    len: usize,
    write: bool,
    mut each: impl FnMut(*mut u8, usize),
) -> Result<(), Errno> {
    if !user_layout::is_user_range(address, len as u64) {
        return Err(Errno::EFAULT);
    }
    let mut done = 0usize;
    while done < len {
        let at = address + done as u64;
        let offset = at % FRAME_SIZE;
        let frame = resolve(space, at - offset, write)?;
        let chunk = ((FRAME_SIZE - offset) as usize).min(len - done);
        each(super::phys::pointer(frame + offset), chunk);
        done += chunk;
        crate::arch::irq_off::window();
    }
    Ok(())
}

/// Copies `out.len()` bytes from user address `address`.
///
/// # Errors
///
/// `EFAULT` if any byte is not readable user memory.
pub fn copy_from_user(space: &mut AddressSpace, address: u64, out: &mut [u8]) -> Result<(), Errno> {
    let mut filled = 0;
    for_each_chunk(space, address, out.len(), false, |source, len| {
        // SAFETY: `source..source + len` is inside one user frame of this
        // address space, reached through the direct map; `out` is a
        // kernel buffer, so the two cannot overlap.
        let piece = unsafe { core::slice::from_raw_parts(source, len) };
        out[filled..filled + len].copy_from_slice(piece);
        filled += len;
    })
}

/// Copies `data` to user address `address`.
///
/// # Errors
///
/// `EFAULT` if any byte is not writable user memory; bytes before the bad
/// page may have been written (as on Linux).
pub fn copy_to_user(space: &mut AddressSpace, address: u64, data: &[u8]) -> Result<(), Errno> {
    let mut taken = 0;
    for_each_chunk(space, address, data.len(), true, |target, len| {
        // SAFETY: `target..target + len` is inside one writable user frame
        // of this address space, reached through the direct map.
        let piece = unsafe { core::slice::from_raw_parts_mut(target, len) };
        piece.copy_from_slice(&data[taken..taken + len]);
        taken += len;
    })
}

/// Calls `each` on successive kernel copies of the user bytes
/// `[address, address + len)` (one page at most per call).
///
/// # Errors
///
/// `EFAULT` as [`copy_from_user`]; `each` has seen the bytes before the bad
/// page.
pub fn read_chunks(
    space: &mut AddressSpace,
    address: u64,
    len: usize,
    mut each: impl FnMut(&[u8]),
) -> Result<(), Errno> {
    for_each_chunk(space, address, len, false, |source, len| {
        // SAFETY: as in `copy_from_user`.
        each(unsafe { core::slice::from_raw_parts(source, len) })
    })
}

/// Reads a `T` from user address `address`.
///
/// # Errors
///
/// `EFAULT` if the bytes are not readable user memory.
pub fn read_value<T: Plain>(space: &mut AddressSpace, address: u64) -> Result<T, Errno> {
    let mut value = T::new_zeroed();
    copy_from_user(space, address, value.as_mut_bytes())?;
    Ok(value)
}

/// Writes `value` to user address `address`.
///
/// # Errors
///
/// `EFAULT` if the bytes are not writable user memory.
pub fn write_value<T: Plain>(
    space: &mut AddressSpace,
    address: u64,
    value: &T,
) -> Result<(), Errno> {
    copy_to_user(space, address, value.as_bytes())
}

pub use shim_core::user_strings::StringError;

/// A process's memory as shim-core's string readers see it
/// ([`user_strings`]): a page at a time through the page tables, each
/// page readable user memory, given its frame on the way as a user read
/// would ([`resolve`]). The last page translated is kept, so strings next
/// to each other (an argument vector's, usually) cost one page-table walk
/// per page, not one per string; that stays valid because the reader
/// holds the only `&mut AddressSpace`, and reads only add mappings. Each
/// page translated opens an interrupts window, as the copies above do.
pub struct UserPages<'a> {
    /// The process's address space.
    space: &'a mut AddressSpace,
    /// The last page translated and its frame.
    last: Option<(u64, u64)>,
}

impl<'a> UserPages<'a> {
    /// A reader of `space`.
    pub fn new(space: &'a mut AddressSpace) -> UserPages<'a> {
        UserPages { space, last: None }
    }
}

impl PageReader for UserPages<'_> {
    fn page(&mut self, page: u64) -> Option<&[u8; PAGE_BYTES]> {
        let frame = match self.last {
            Some((last, frame)) if last == page => frame,
            _ => {
                if !user_layout::is_user_range(page, FRAME_SIZE) {
                    return None;
                }
                let frame = resolve(self.space, page, false).ok()?;
                self.last = Some((page, frame));
                // A page is a unit of work: bounded by the callers'
                // limits, but let the timer in between.
                crate::arch::irq_off::window();
                frame
            }
        };
        // SAFETY: `frame` is the frame of a readable user page of this
        // address space (just translated, or kept from the last
        // translation, which nothing has changed since: we hold the only
        // `&mut AddressSpace`), so it is a whole page of RAM in the direct
        // map; no one writes it while the returned borrow of `self`
        // lives (the kernel runs one thing at a time, and the process
        // whose memory it is does not run during its system call).
        Some(unsafe { &*super::phys::pointer::<[u8; PAGE_BYTES]>(frame) })
    }
}

/// Reads the NUL-terminated string at `address`, at most `max_len` bytes
/// before the NUL. The result excludes the NUL.
pub fn read_cstring(
    space: &mut AddressSpace,
    address: u64,
    max_len: usize,
) -> Result<Vec<u8>, StringError> {
    let mut out = Vec::new();
    user_strings::read_string(&mut UserPages::new(space), address, max_len, |piece| {
        out.try_reserve(piece.len())
            .map_err(|_| StringError::NoMemory)?;
        out.extend_from_slice(piece);
        Ok(())
    })?;
    Ok(out)
}

/// Checks that `[address, address + len)` is user memory, writable if
/// `write`, without copying (stack pages are allocated on the way).
///
/// # Errors
///
/// `EFAULT` if any byte is not accessible.
pub fn check_range(
    space: &mut AddressSpace,
    address: u64,
    len: usize,
    write: bool,
) -> Result<(), Errno> {
    for_each_chunk(space, address, len, write, |_, _| {})
}

/// Reads a path argument: at most `PATH_MAX - 1` bytes before its NUL.
///
/// # Errors
///
/// `EFAULT` for a bad pointer, `ENAMETOOLONG` for a longer string.
pub fn read_path(space: &mut AddressSpace, address: u64) -> Result<Vec<u8>, Errno> {
    read_cstring(space, address, shim_abi::PATH_MAX - 1).map_err(|error| match error {
        StringError::Fault => Errno::EFAULT,
        StringError::TooLong => Errno::ENAMETOOLONG,
        StringError::NoMemory => Errno::ENOMEM,
    })
}

/// Reads `count` values of `T` from the user array at `address`.
///
/// # Errors
///
/// `EFAULT` if the array is not readable user memory (or its size
/// overflows), `ENOMEM` if the kernel cannot hold the copy.
pub fn read_array<T: Plain>(
    space: &mut AddressSpace,
    address: u64,
    count: usize,
) -> Result<Vec<T>, Errno> {
    let bytes = count
        .checked_mul(core::mem::size_of::<T>())
        .ok_or(Errno::EFAULT)?;
    check_range(space, address, bytes, false)?;
    let mut values = Vec::new();
    values.try_reserve_exact(count).map_err(|_| Errno::ENOMEM)?;
    // A page's worth of values per copy (one translation per page, not
    // per value), each batch zeroed then filled within the capacity
    // reserved: no allocation, and an interrupts window per page.
    let size = core::mem::size_of::<T>().max(1);
    let batch = (FRAME_SIZE as usize / size).max(1);
    while values.len() < count {
        let done = values.len();
        let more = batch.min(count - done);
        values.resize_with(done + more, T::new_zeroed);
        let at = address + (done * size) as u64;
        copy_from_user(space, at, values[done..].as_mut_bytes())?;
    }
    Ok(values)
}

/// Reads `len` bytes from user address `address` into a new buffer.
///
/// # Errors
///
/// `EFAULT` for bad memory, `ENOMEM` if the kernel cannot hold the copy.
pub fn read_bytes(space: &mut AddressSpace, address: u64, len: usize) -> Result<Vec<u8>, Errno> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| Errno::ENOMEM)?;
    // Within the capacity reserved: no allocation, no zero-filling first.
    read_chunks(space, address, len, |piece| bytes.extend_from_slice(piece))?;
    Ok(bytes)
}

/// A kernel buffer of `len` zero bytes (for a `read` to fill), zeroed a
/// page at a time with an interrupts window after each.
///
/// # Errors
///
/// `ENOMEM` if the kernel cannot hold it.
pub fn zeroed_buffer(len: usize) -> Result<Vec<u8>, Errno> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| Errno::ENOMEM)?;
    while bytes.len() < len {
        let next = len.min(bytes.len() + FRAME_SIZE as usize);
        bytes.resize(next, 0);
        crate::arch::irq_off::window();
    }
    Ok(bytes)
}
