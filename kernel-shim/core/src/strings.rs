//! [`Strings`]: a list of C strings (an argument vector or an
//! environment) packed in one buffer.
//!
//! `execve` and `posix_spawn` copy up to `MAX_ARGUMENT_BYTES` of strings
//! from the caller and lay them out again on the new program's stack. Held
//! as one `Vec` per string, every string cost a heap allocation and a free
//! (hundreds of instructions each in the kernel's allocator) and the stack
//! image was assembled piece by piece. Packed, a list is a handful of
//! allocations however many strings it holds (its buffer grows fourfold,
//! from the size of its first run of strings), strings found side by side
//! in the caller's memory join it with one copy ([`Strings::push_packed`],
//! from [`crate::user_strings`]), and the loader copies each list onto the
//! new stack with one copy ([`crate::user_stack::build`]).
#![forbid(unsafe_code)]

use alloc::vec::Vec;

use libspawn::{Errno, Result};

use crate::nul_mask::{self, nul_mask};

/// C strings, each stored with its NUL, one after the other.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings {
    /// The strings, each followed by its NUL.
    packed: Vec<u8>,
    /// Where each string starts in `packed`.
    starts: Vec<usize>,
}

/// How many times bigger a list's buffer (and its starts) gets when it
/// grows: a list of 64 KiB grows two or three times from its first run of
/// strings, each time copying what it holds (doubling, as `Vec` does,
/// would take twice as many copies and allocations, each of them costly
/// in the kernel's first-fit heap).
const GROWTH: usize = 4;

impl Strings {
    /// An empty list.
    pub fn new() -> Strings {
        Strings::default()
    }

    /// A list of `strings` (none may hold a NUL).
    ///
    /// # Errors
    ///
    /// ENOMEM.
    pub fn from_slices<S: AsRef<[u8]>>(strings: &[S]) -> Result<Strings> {
        let mut list = Strings::new();
        for string in strings {
            list.push(string.as_ref())?;
        }
        Ok(list)
    }

    /// Appends `string` (which holds no NUL).
    ///
    /// # Errors
    ///
    /// ENOMEM, with the list unchanged.
    pub fn push(&mut self, string: &[u8]) -> Result<()> {
        let mut writer = self.begin();
        writer.append(string)?;
        writer.finish().map(|_| ())
    }

    /// Makes room for `count` more strings' starts (not their bytes):
    /// exactly `count` the first time, then growing [`GROWTH`] times over,
    /// as the bytes do.
    ///
    /// # Errors
    ///
    /// ENOMEM, with the list unchanged.
    pub fn reserve(&mut self, count: usize) -> Result<()> {
        let capacity = self.starts.capacity();
        if capacity - self.starts.len() >= count {
            return Ok(());
        }
        self.starts
            .try_reserve_exact(count.max((GROWTH - 1) * capacity))
            .map_err(|_| Errno::ENOMEM)
    }

    /// Starts a new string at the end of the list, to be given in pieces
    /// ([`StringWriter::append`]); it joins the list at
    /// [`StringWriter::finish`], and a writer dropped before that leaves
    /// the list as it was.
    pub fn begin(&mut self) -> StringWriter<'_> {
        let start = self.packed.len();
        StringWriter {
            list: self,
            start,
            finished: false,
        }
    }

    /// Appends the strings packed in `bytes`, each with its NUL, string
    /// `k` starting at `starts[k]` (the first at 0, in increasing order,
    /// each right after the previous one's NUL), as [`Strings::packed`]
    /// and [`Strings::starts`] hold them: a run of strings the caller found
    /// side by side, added with one copy.
    ///
    /// # Errors
    ///
    /// ENOMEM, with the list unchanged.
    pub fn push_packed(&mut self, bytes: &[u8], starts: &[u16]) -> Result<()> {
        debug_assert_eq!(starts.is_empty(), bytes.is_empty());
        debug_assert!(starts.first().is_none_or(|&first| first == 0));
        debug_assert!(bytes.last().is_none_or(|&last| last == 0));
        debug_assert!(starts
            .windows(2)
            .all(|pair| pair[0] < pair[1] && bytes[usize::from(pair[1]) - 1] == 0));
        self.reserve_bytes(bytes.len())?;
        self.reserve(starts.len())?;
        let base = self.packed.len();
        self.packed.extend_from_slice(bytes);
        self.starts
            .extend(starts.iter().map(|&start| base + usize::from(start)));
        Ok(())
    }

    /// Room for `more` bytes in the buffer: exactly `more` the first time
    /// (a list of one string, or of one run of strings, takes what it
    /// needs), then growing [`GROWTH`] times over.
    fn reserve_bytes(&mut self, more: usize) -> Result<()> {
        let capacity = self.packed.capacity();
        if capacity - self.packed.len() >= more {
            return Ok(());
        }
        let grown = (GROWTH - 1) * capacity;
        self.packed
            .try_reserve_exact(more.max(grown))
            .map_err(|_| Errno::ENOMEM)
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// String `index`, without its NUL.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .map_or(self.packed.len(), |&next| next);
        self.packed.get(start..end.checked_sub(1)?)
    }

    /// The strings in order, without their NULs.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }

    /// Every string followed by its NUL, in order.
    pub fn packed(&self) -> &[u8] {
        &self.packed
    }

    /// Where each string starts in [`Strings::packed`].
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }
}

/// A string being added to a [`Strings`] ([`Strings::begin`]).
#[derive(Debug)]
pub struct StringWriter<'a> {
    /// The list it joins.
    list: &'a mut Strings,
    /// Where it starts in the list's buffer.
    start: usize,
    /// Whether it joined the list (otherwise dropping it takes its bytes
    /// back out).
    finished: bool,
}

impl StringWriter<'_> {
    /// Appends `piece` (which holds no NUL) to the string.
    ///
    /// # Errors
    ///
    /// ENOMEM, with the string as it was.
    pub fn append(&mut self, piece: &[u8]) -> Result<()> {
        debug_assert!(!piece.contains(&0));
        // The NUL's room too, so `finish` never grows the buffer.
        self.list.reserve_bytes(piece.len() + 1)?;
        self.list.packed.extend_from_slice(piece);
        Ok(())
    }

    /// Bytes appended so far.
    pub fn len(&self) -> usize {
        self.list.packed.len() - self.start
    }

    /// Whether nothing was appended yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ends the string with its NUL and adds it to the list; returns the
    /// bytes it takes, NUL included.
    ///
    /// # Errors
    ///
    /// ENOMEM, with the list as before [`Strings::begin`].
    pub fn finish(mut self) -> Result<usize> {
        self.list.reserve_bytes(1)?;
        if self.list.starts.len() == self.list.starts.capacity() {
            self.list.reserve(1)?;
        }
        self.list.packed.push(0);
        self.list.starts.push(self.start);
        self.finished = true;
        Ok(self.len())
    }
}

impl Drop for StringWriter<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.list.packed.truncate(self.start);
        }
    }
}

/// The NULs of a buffer in order, each search going on where the last one
/// stopped: what finds, in one pass over a page, the ends of strings that
/// lie side by side. The buffer is read 64 bytes at a time, each block's
/// NULs found at once as the bits of a mask ([`nul_mask`]); reporting
/// one is then a bit search.
#[derive(Clone, Debug)]
pub struct NulScanner<'a> {
    /// The buffer, in blocks.
    blocks: &'a [[u8; nul_mask::BLOCK_BYTES]],
    /// The block `mask` belongs to.
    block: usize,
    /// The NULs of that block not reported yet.
    mask: u64,
}

impl<'a> NulScanner<'a> {
    /// A scanner of `blocks` that reports the NULs from byte `from` on
    /// (none if `from` is past the end).
    pub fn new(blocks: &'a [[u8; nul_mask::BLOCK_BYTES]], from: usize) -> NulScanner<'a> {
        let block = from / nul_mask::BLOCK_BYTES;
        // The block holding `from`, without its bytes before `from`.
        let mask = blocks.get(block).map_or(0, |bytes| {
            nul_mask(bytes) & (u64::MAX << (from % nul_mask::BLOCK_BYTES))
        });
        NulScanner {
            blocks,
            block,
            mask,
        }
    }

    /// The index of the next NUL, or `None` when the buffer has no more.
    #[inline]
    pub fn next_nul(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.block += 1;
            self.mask = nul_mask(self.blocks.get(self.block)?);
        }
        let at = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.block * nul_mask::BLOCK_BYTES + at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_come_back_in_order_with_their_nuls_packed() {
        let list = Strings::from_slices(&[&b"ab"[..], b"", b"cde"]).unwrap();
        assert_eq!(list.len(), 3);
        assert_eq!(list.get(0), Some(&b"ab"[..]));
        assert_eq!(list.get(1), Some(&b""[..]));
        assert_eq!(list.get(2), Some(&b"cde"[..]));
        assert_eq!(list.get(3), None);
        assert_eq!(list.packed(), b"ab\0\0cde\0");
        assert_eq!(list.starts(), &[0, 3, 4]);
        let strings: Vec<&[u8]> = list.iter().collect();
        assert_eq!(strings, [&b"ab"[..], b"", b"cde"]);
    }

    #[test]
    fn a_string_given_in_pieces_is_one_string() {
        let mut list = Strings::from_slices(&[b"a"]).unwrap();
        let mut writer = list.begin();
        writer.append(b"bc").unwrap();
        writer.append(b"").unwrap();
        writer.append(b"de").unwrap();
        assert_eq!(writer.len(), 4);
        assert_eq!(writer.finish(), Ok(5));
        assert_eq!(list.packed(), b"a\0bcde\0");
        assert_eq!(list.starts(), &[0, 2]);
    }

    #[test]
    fn an_empty_string_takes_its_nul() {
        let mut list = Strings::new();
        assert_eq!(list.begin().finish(), Ok(1));
        assert_eq!(list.len(), 1);
        assert_eq!(list.get(0), Some(&b""[..]));
        assert_eq!(list.packed(), b"\0");
    }

    #[test]
    fn a_writer_dropped_unfinished_leaves_the_list_unchanged() {
        let mut list = Strings::from_slices(&[b"keep"]).unwrap();
        let mut writer = list.begin();
        writer.append(b"half").unwrap();
        drop(writer);
        assert_eq!(list, Strings::from_slices(&[b"keep"]).unwrap());
    }

    #[test]
    fn a_long_list_keeps_every_string() {
        // Past the first capacity several times over.
        let strings: Vec<Vec<u8>> = (0..3000u32)
            .map(|n| std::format!("string-{n}").into_bytes())
            .collect();
        let list = Strings::from_slices(&strings).unwrap();
        assert_eq!(list.len(), strings.len());
        assert!(list.iter().eq(strings.iter().map(|s| &s[..])));
    }

    /// Every NUL of `bytes` from `from` on, as a scanner reports them.
    fn scanned(bytes: &[u8], from: usize) -> Vec<usize> {
        let (blocks, _) = bytes.as_chunks::<{ nul_mask::BLOCK_BYTES }>();
        let mut scanner = NulScanner::new(blocks, from);
        let mut found = Vec::new();
        while let Some(at) = scanner.next_nul() {
            found.push(at);
        }
        found
    }

    #[test]
    fn the_scanner_reports_every_nul_from_its_start_in_order() {
        let mut bytes = std::vec![b'x'; 2 * nul_mask::BLOCK_BYTES];
        // Side by side, in one word, across words and blocks, the last byte.
        for at in [0, 3, 4, 9, 15, 16, 31, 32, 70, 127] {
            bytes[at] = 0;
        }
        // 0x01 above a NUL trips word-at-a-time tests, not the scanner.
        bytes[5] = 0x01;
        bytes[71] = 0x01;
        assert_eq!(scanned(&bytes, 0), [0, 3, 4, 9, 15, 16, 31, 32, 70, 127]);
        assert_eq!(scanned(&bytes, 1), [3, 4, 9, 15, 16, 31, 32, 70, 127]);
        assert_eq!(scanned(&bytes, 5), [9, 15, 16, 31, 32, 70, 127]);
        assert_eq!(scanned(&bytes, 33), [70, 127]);
        assert_eq!(scanned(&bytes, 127), [127]);
        assert_eq!(scanned(&bytes, 128), []);
        assert_eq!(scanned(&bytes, 500), []);
    }

    #[test]
    fn the_scanner_finds_nothing_in_text_or_high_bytes() {
        for filler in [b'x', 0x01, 0x80, 0x81, 0xff] {
            assert_eq!(
                scanned(&[filler; 3 * nul_mask::BLOCK_BYTES], 0),
                [],
                "{filler:#x}"
            );
        }
    }

    #[test]
    fn the_scanner_finds_the_ends_of_strings_side_by_side() {
        // Strings of every length up to two blocks, side by side.
        let mut bytes = std::vec![0x81u8; 4 * nul_mask::BLOCK_BYTES];
        let mut at = 0;
        let mut len = 0;
        while at + len < bytes.len() {
            bytes[at + len] = 0;
            at += len + 1;
            len = (len + 7) % (2 * nul_mask::BLOCK_BYTES);
        }
        let (blocks, _) = bytes.as_chunks::<{ nul_mask::BLOCK_BYTES }>();
        let mut scanner = NulScanner::new(blocks, 0);
        let mut from = 0;
        while let Some(nul) = scanner.next_nul() {
            let first = bytes[from..].iter().position(|&byte| byte == 0);
            assert_eq!(first.map(|len| from + len), Some(nul));
            from = nul + 1;
        }
        assert!(!bytes[from..].contains(&0));
    }

    #[test]
    fn packed_strings_join_the_list_after_what_it_holds() {
        let mut list = Strings::from_slices(&[b"first"]).unwrap();
        list.push_packed(b"ab\0\0cde\0", &[0, 3, 4]).unwrap();
        list.push_packed(b"", &[]).unwrap();
        let expected = Strings::from_slices(&[&b"first"[..], b"ab", b"", b"cde"]).unwrap();
        assert_eq!(list, expected);
        assert_eq!(list.starts(), &[0, 6, 9, 10]);
    }
}
