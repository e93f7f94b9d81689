//! Frames that several address spaces map read-only at once.
//!
//! A [`SharedPages`] owns its frames; address spaces map them through
//! [`AddressSpace::map_shared`](super::paging::AddressSpace::map_shared),
//! which keeps a `TryArc` to the set, so the frames are freed only when the
//! last address space mapping them and the last other holder (the image
//! cache) are gone. Page-table entries of shared pages carry
//! [`SHARED`](super::paging::SHARED), so unmapping or dropping an address
//! space never frees a shared frame itself.
#![forbid(unsafe_code)]

use super::{allocate_zeroed_frame, free_frame};
use alloc::vec::Vec;
use libspawn::Errno;

/// One shared page: where it is mapped and the frame behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SharedPage {
    /// Page-aligned user address the page is mapped at.
    pub vaddr: u64,
    /// Physical address of the frame.
    pub frame: u64,
    /// Code may run from the page.
    pub executable: bool,
}

/// A set of frames for read-only pages, freed when dropped.
#[derive(Debug, Default)]
pub struct SharedPages {
    pages: Vec<SharedPage>,
}

impl SharedPages {
    /// An empty set.
    pub const fn new() -> SharedPages {
        SharedPages { pages: Vec::new() }
    }

    /// Adds a zero-filled frame for the page at `vaddr` and returns the
    /// frame's physical address, for the caller to fill before anyone maps
    /// the set.
    ///
    /// # Errors
    ///
    /// `ENOMEM` when frames or kernel heap run out (the set is unchanged).
    pub fn add(&mut self, vaddr: u64, executable: bool) -> Result<u64, Errno> {
        self.pages.try_reserve(1).map_err(|_| Errno::ENOMEM)?;
        let frame = allocate_zeroed_frame()?;
        self.pages.push(SharedPage {
            vaddr,
            frame,
            executable,
        });
        Ok(frame)
    }

    /// The pages, in the order they were added.
    pub fn pages(&self) -> &[SharedPage] {
        &self.pages
    }
}

impl Drop for SharedPages {
    fn drop(&mut self) {
        for page in &self.pages {
            free_frame(page.frame);
        }
    }
}
