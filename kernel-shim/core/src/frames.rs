//! Physical frame allocator: one bit per 4 KiB frame of the kernel's direct map of RAM.
//!
//! A set bit means "free". The allocator starts with nothing free; boot code
//! frees the usable RAM ranges from the memory map, minus the kernel image
//! and the initrd. The free count is exact, which is what lets tests check
//! that spawning and reaping a process leaks nothing.
#![forbid(unsafe_code)]

/// Bytes in one frame.
pub const FRAME_SIZE: u64 = 4096;
/// Frames the allocator can track: all of the first GiB, which the kernel
/// maps (its direct map of RAM).
pub const MAX_FRAMES: usize = (1 << 30) / FRAME_SIZE as usize;
const BITS_PER_WORD: usize = 64;
const WORDS: usize = MAX_FRAMES / BITS_PER_WORD;

/// The bookkeeping of free frames, by frame number (address / 4 KiB).
pub struct FrameBitmap {
    free_bits: [u64; WORDS],
    free_count: usize,
    /// Frames handed to the allocator and not taken back (the usable RAM,
    /// `sysinfo`'s total), whether free or allocated.
    managed: usize,
    /// First word that may hold a free bit: a search hint.
    next_word: usize,
}

impl Default for FrameBitmap {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameBitmap {
    /// An allocator with no free frame.
    pub const fn new() -> Self {
        FrameBitmap {
            free_bits: [0; WORDS],
            free_count: 0,
            managed: 0,
            next_word: 0,
        }
    }

    /// Number of free frames.
    pub fn free_count(&self) -> usize {
        self.free_count
    }

    /// Number of frames the allocator manages, free or allocated: those
    /// given by [`add_range`](Self::add_range) and not taken back by
    /// [`remove_range`](Self::remove_range).
    pub fn managed_count(&self) -> usize {
        self.managed
    }

    /// Whether `frame` is free.
    pub fn is_free(&self, frame: usize) -> bool {
        frame < MAX_FRAMES
            && self.free_bits[frame / BITS_PER_WORD] & (1 << (frame % BITS_PER_WORD)) != 0
    }

    /// Marks every whole frame in the byte range `[start, end)` free.
    /// Frames beyond [`MAX_FRAMES`] are ignored.
    pub fn add_range(&mut self, start: u64, end: u64) {
        let first = start.div_ceil(FRAME_SIZE);
        let last = (end / FRAME_SIZE).min(MAX_FRAMES as u64);
        for frame in first..last {
            self.release(frame as usize);
            self.managed += 1;
        }
    }

    /// Marks every frame touching the byte range `[start, end)` used.
    pub fn remove_range(&mut self, start: u64, end: u64) {
        let first = start / FRAME_SIZE;
        let last = end.div_ceil(FRAME_SIZE).min(MAX_FRAMES as u64);
        for frame in first..last {
            let frame = frame as usize;
            if self.is_free(frame) {
                self.free_bits[frame / BITS_PER_WORD] &= !(1 << (frame % BITS_PER_WORD));
                self.free_count -= 1;
                self.managed -= 1;
            }
        }
    }

    /// Takes a free frame, or `None` when memory is exhausted.
    pub fn allocate(&mut self) -> Option<usize> {
        for word in self.next_word..WORDS {
            let bits = self.free_bits[word];
            if bits != 0 {
                let bit = bits.trailing_zeros() as usize;
                self.free_bits[word] &= !(1 << bit);
                self.free_count -= 1;
                self.next_word = word;
                return Some(word * BITS_PER_WORD + bit);
            }
        }
        self.next_word = WORDS;
        None
    }

    /// Returns `frame` to the free pool.
    ///
    /// # Panics
    ///
    /// On a double free or an untracked frame: both are kernel bugs.
    pub fn release(&mut self, frame: usize) {
        assert!(frame < MAX_FRAMES, "frame {frame:#x} is not tracked");
        assert!(!self.is_free(frame), "frame {frame:#x} freed twice");
        self.free_bits[frame / BITS_PER_WORD] |= 1 << (frame % BITS_PER_WORD);
        self.free_count += 1;
        self.next_word = self.next_word.min(frame / BITS_PER_WORD);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::boxed::Box;
    use std::vec::Vec;

    #[test]
    fn ranges_count_whole_frames_only() {
        let mut frames = Box::new(FrameBitmap::new());
        frames.add_range(0x1800, 0x5000);
        assert_eq!(frames.free_count(), 3);
        assert!(!frames.is_free(1));
        assert!(frames.is_free(2) && frames.is_free(4));
        frames.remove_range(0x3fff, 0x4001);
        assert_eq!(frames.free_count(), 1);
        assert!(frames.is_free(2));
    }

    #[test]
    fn managed_frames_count_ranges_given_and_taken_back_not_allocations() {
        let mut frames = Box::new(FrameBitmap::new());
        frames.add_range(0x10_0000, 0x20_0000);
        assert_eq!(frames.managed_count(), 256);
        frames.remove_range(0x10_0000, 0x11_0000);
        assert_eq!(frames.managed_count(), 240);
        let frame = frames.allocate().unwrap();
        assert_eq!(frames.managed_count(), 240);
        frames.release(frame);
        assert_eq!(frames.managed_count(), 240);
    }

    #[test]
    fn allocation_and_release_round_trip_exactly() {
        let mut frames = Box::new(FrameBitmap::new());
        frames.add_range(0x10_0000, 0x20_0000);
        let baseline = frames.free_count();
        let taken: Vec<usize> = (0..100).map(|_| frames.allocate().unwrap()).collect();
        assert_eq!(frames.free_count(), baseline - 100);
        for frame in taken {
            frames.release(frame);
        }
        assert_eq!(frames.free_count(), baseline);
    }

    #[test]
    fn exhaustion_returns_none() {
        let mut frames = Box::new(FrameBitmap::new());
        frames.add_range(0, 2 * FRAME_SIZE);
        assert!(frames.allocate().is_some());
        assert!(frames.allocate().is_some());
        assert_eq!(frames.allocate(), None);
    }

    #[test]
    #[should_panic(expected = "freed twice")]
    fn double_free_is_caught() {
        let mut frames = Box::new(FrameBitmap::new());
        frames.add_range(0, FRAME_SIZE);
        frames.release(0);
    }
}
