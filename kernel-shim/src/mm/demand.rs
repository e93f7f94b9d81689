//! Demand paging: what a touch of a user page without a frame means, and
//! committing the pages of a region ahead of the first touch.
//!
//! `mmap` only reserves ([`shim_core::regions`]); the first touch of a
//! page of a region (by the process, or by the kernel copying to or from
//! it for a system call) gets a zero-filled frame here, if the region's
//! protection allows that access. Below the stack's top and above
//! [`user_layout::STACK_BOTTOM`], where no region is, a touch grows the
//! stack. Anything else is a fault for the caller to turn into a signal
//! or EFAULT.
#![forbid(unsafe_code)]

use crate::mm::fill_frame;
use crate::mm::paging::{Access, AddressSpace};
use crate::mm::user_layout;
use libspawn::Errno;
use shim_core::frames::FRAME_SIZE;
use shim_core::regions::{page_floor, Prot};

/// A touch that cannot be served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No mapping there, or not for this access: SIGSEGV (EFAULT in a
    /// system call).
    Segv,
    /// A page of a file mapping wholly past the end of the file, or no
    /// frame left for a page the region allows: SIGBUS.
    Bus,
}

/// The page-table access a region's protection gives; `None` for
/// `PROT_NONE` (the page stays inaccessible to user mode).
pub fn access_for(prot: Prot) -> Option<Access> {
    (!prot.is_none()).then_some(Access {
        writable: prot.write,
        executable: prot.exec,
    })
}

/// Serves a touch of `address`, whose page has no user-accessible frame:
/// a write if `write`, an instruction fetch if `exec`, else a read. On
/// success the page is mapped with its region's access (the stack's:
/// read and write).
///
/// # Errors
///
/// The [`Refusal`] that the touch must turn into.
pub fn fault_in(
    space: &mut AddressSpace,
    address: u64,
    write: bool,
    exec: bool,
) -> Result<(), Refusal> {
    let page = page_floor(address);
    let access = match space.regions.find(address) {
        Some(region) => {
            if !region.prot.allows(write, exec) {
                return Err(Refusal::Segv);
            }
            if region.past_file_end(address) {
                return Err(Refusal::Bus);
            }
            access_for(region.prot).ok_or(Refusal::Segv)?
        }
        None if (user_layout::STACK_BOTTOM..user_layout::STACK_TOP).contains(&address) => {
            if exec {
                return Err(Refusal::Segv);
            }
            Access {
                writable: true,
                executable: false,
            }
        }
        None => return Err(Refusal::Segv),
    };
    if space.translate(page).is_some() {
        // Mapped and user-accessible already: a protection fault.
        return Err(Refusal::Segv);
    }
    space.map(page, access).map(drop).map_err(|_| Refusal::Bus)
}

/// Gives every page of `[start, end)` (page-aligned) a zero-filled frame
/// with `access` (`MAP_POPULATE`), or none at all: the first page that
/// finds no frame ends the work (so it is bounded by free memory), and the
/// pages mapped until then are unmapped again with `unmap`.
///
/// # Errors
///
/// `ENOMEM` when the frames run out.
pub fn commit_zeroed(
    space: &mut AddressSpace,
    start: u64,
    end: u64,
    access: Access,
    unmap: &mut dyn FnMut(&mut AddressSpace, u64, u64),
) -> Result<(), Errno> {
    let mut page = start;
    while page < end {
        if let Err(error) = space.map(page, access) {
            unmap(space, start, page);
            return Err(error);
        }
        crate::arch::irq_off::window();
        page += FRAME_SIZE;
    }
    Ok(())
}

/// Maps `[start, start + bytes.len())` rounded out to whole pages with
/// `access`, filled with `bytes` (a private copy of a file's bytes), or
/// nothing at all (see [`commit_zeroed`]).
///
/// # Errors
///
/// `ENOMEM` when the frames run out.
pub fn commit_copy(
    space: &mut AddressSpace,
    start: u64,
    bytes: &[u8],
    access: Access,
    unmap: &mut dyn FnMut(&mut AddressSpace, u64, u64),
) -> Result<(), Errno> {
    for (index, chunk) in bytes.chunks(FRAME_SIZE as usize).enumerate() {
        let page = start + index as u64 * FRAME_SIZE;
        match space.map(page, access) {
            Ok(frame) => fill_frame(frame, 0, chunk),
            Err(error) => {
                unmap(space, start, page);
                return Err(error);
            }
        }
        crate::arch::irq_off::window();
    }
    Ok(())
}
