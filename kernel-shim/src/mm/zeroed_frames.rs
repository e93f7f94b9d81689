//! A few free frames known to hold only zeros, kept apart from the frame
//! bitmap so that [`super::allocate_zeroed_frame`] can hand them out
//! without clearing them again.
//!
//! Page tables are what comes back zeroed: an address space's teardown
//! and `munmap`'s pruning clear every used entry of a table before they
//! free it ([`super::paging`]), so the table's frame returns here through
//! [`super::free_zeroed_frame`]. A spawn's child takes seven tables (its
//! PML4 and two branches of three) and gives them back when it is reaped;
//! the next child gets them without 4 KiB of zero-filling each.
//!
//! Frames held here are free: [`super::free_frames`] counts them, so the
//! kernel's leak checks see no difference.
#![forbid(unsafe_code)]

use spin::Mutex;

/// Frames the set keeps at most (more go back to the bitmap).
pub const CAPACITY: usize = 32;

struct Set {
    frames: [u64; CAPACITY],
    len: usize,
}

static SET: Mutex<Set> = Mutex::new(Set {
    frames: [0; CAPACITY],
    len: 0,
});

/// A zeroed free frame, if the set holds one.
pub fn take() -> Option<u64> {
    let mut set = SET.lock();
    set.len = set.len.checked_sub(1)?;
    let len = set.len;
    Some(set.frames[len])
}

/// Keeps the free, all-zero frame `frame`; `false` (and the caller frees
/// it) when the set is full.
pub fn keep(frame: u64) -> bool {
    let mut set = SET.lock();
    let len = set.len;
    if len == CAPACITY {
        return false;
    }
    set.frames[len] = frame;
    set.len = len + 1;
    true
}

/// How many frames the set holds.
pub fn count() -> usize {
    SET.lock().len
}
