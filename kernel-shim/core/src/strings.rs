//! [`Strings`]: a list of C strings (an argument vector or an
//! environment) packed in one buffer.
//!
//! `execve` and `posix_spawn` copy up to `MAX_ARGUMENT_BYTES` of strings
//! from the caller and lay them out again on the new program's stack. Held
//! as one `Vec` per string, every string cost a heap allocation and a free
//! (hundreds of instructions each in the kernel's allocator) and the stack
//! image was assembled piece by piece. Packed, a list is two allocations
//! however many strings it holds, and the stack gets the strings in one
//! copy ([`crate::user_stack::build`]).
#![forbid(unsafe_code)]

use alloc::vec::Vec;

use libspawn::{Errno, Result};

use crate::fallible;

/// C strings, each stored with its NUL, one after the other.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings {
    /// The strings, each followed by its NUL.
    packed: Vec<u8>,
    /// Where each string starts in `packed`.
    starts: Vec<usize>,
}

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
        self.push_with(Errno::ENOMEM, |packed| {
            fallible::extend(packed, string).map_err(|_| Errno::ENOMEM)
        })
    }

    /// Appends the string `fill` appends to the buffer it is given (no
    /// NUL; this adds it). On an error from `fill`, or `no_memory` when
    /// the list cannot grow, the list is unchanged.
    ///
    /// # Errors
    ///
    /// `fill`'s error, or `no_memory`.
    pub fn push_with<E>(
        &mut self,
        no_memory: E,
        fill: impl FnOnce(&mut Vec<u8>) -> core::result::Result<(), E>,
    ) -> core::result::Result<(), E> {
        let start = self.packed.len();
        if self.starts.try_reserve(1).is_err() {
            return Err(no_memory);
        }
        let filled = fill(&mut self.packed).and_then(|()| {
            debug_assert!(!self.packed[start..].contains(&0));
            fallible::push(&mut self.packed, 0).map_err(|_| no_memory)
        });
        if let Err(error) = filled {
            self.packed.truncate(start);
            return Err(error);
        }
        self.starts.push(start);
        Ok(())
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
        Some(&self.packed[start..end - 1])
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

/// The index of the first NUL in `bytes`, eight bytes at a time: a word
/// holds a zero byte exactly when `(w - 0x0101..) & !w & 0x8080..` is not
/// zero, and the lowest bit set there marks the first zero byte. The
/// kernel reads every user string through it: about one instruction per
/// byte where core's `CStr` lookup and the memchr crate's portable search
/// took 1.4 to 1.7 for argument-sized strings (measured under QEMU's
/// `-icount`; the kernel's target has no SIMD).
pub fn find_nul(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let (words, tail) = bytes.as_chunks::<8>();
    for (index, &word) in words.iter().enumerate() {
        let word = u64::from_le_bytes(word);
        let zeros = word.wrapping_sub(ONES) & !word & HIGHS;
        if zeros != 0 {
            return Some(index * 8 + (zeros.trailing_zeros() / 8) as usize);
        }
    }
    let tail_start = bytes.len() - tail.len();
    tail.iter()
        .position(|&byte| byte == 0)
        .map(|at| tail_start + at)
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
    fn find_nul_finds_the_first_nul_wherever_it_is() {
        for len in 0..40 {
            let mut bytes = std::vec![0x80u8; len];
            assert_eq!(find_nul(&bytes), None, "no NUL in {len} bytes");
            for first in 0..len {
                // Bytes that trip naive word tricks: 0x01 and 0x80 around it.
                for (at, byte) in bytes.iter_mut().enumerate() {
                    *byte = if at % 2 == 0 { 0x01 } else { 0x80 };
                }
                bytes[first] = 0;
                if first + 1 < len {
                    bytes[first + 1] = 0;
                }
                assert_eq!(find_nul(&bytes), Some(first), "NUL at {first} of {len}");
            }
        }
    }

    #[test]
    fn a_failed_fill_leaves_the_list_unchanged() {
        let mut list = Strings::from_slices(&[b"keep"]).unwrap();
        let result = list.push_with("fault", |packed| {
            packed.extend_from_slice(b"half");
            Err("fault")
        });
        assert_eq!(result, Err("fault"));
        assert_eq!(list, Strings::from_slices(&[b"keep"]).unwrap());
    }
}
