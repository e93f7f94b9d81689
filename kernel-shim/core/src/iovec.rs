//! The `iovec` arrays of `readv` and `writev` (readv(2), writev(2)):
//! checking a caller's array and walking a transfer across it.
//!
//! The kernel copies the caller's `struct iovec` array in as 64-bit words,
//! base then length for each entry ([`WORDS_PER_IOVEC`]). These functions
//! decide on those words only: how many entries the count allows
//! ([`entry_count`]), whether the lengths add up to a legal total
//! ([`checked_total`]), and which pieces of user memory a transfer of a
//! given size covers, in order ([`pieces`]). `read` and `write` are the
//! one-entry case, so all four calls share one path.
#![forbid(unsafe_code)]

use libspawn::Errno;
use shim_abi::IOV_MAX;

/// Words of one `struct iovec` (Linux x86_64: `void *iov_base; size_t
/// iov_len;`, 16 bytes).
pub const WORDS_PER_IOVEC: usize = 2;

/// Largest total a `readv` or `writev` may ask for: its result must fit
/// an `ssize_t`.
const SSIZE_MAX: u64 = i64::MAX as u64;

/// The number of entries an `iovcnt` argument names, read as the C `int`
/// it is.
///
/// # Errors
///
/// `EINVAL` when it is negative or greater than [`IOV_MAX`].
pub fn entry_count(iovcnt: u64) -> Result<usize, Errno> {
    let count = iovcnt as i32;
    match usize::try_from(count) {
        Ok(count) if count <= IOV_MAX => Ok(count),
        _ => Err(Errno::EINVAL),
    }
}

/// The sum of the entries' lengths.
///
/// # Errors
///
/// `EINVAL` when the sum (or one length) exceeds `SSIZE_MAX`, as Linux
/// and POSIX require.
pub fn checked_total(words: &[u64]) -> Result<u64, Errno> {
    let mut total: u64 = 0;
    for entry in words.as_chunks::<WORDS_PER_IOVEC>().0 {
        total = total
            .checked_add(entry[1])
            .filter(|&sum| sum <= SSIZE_MAX)
            .ok_or(Errno::EINVAL)?;
    }
    Ok(total)
}

/// The non-empty pieces `(address, length)` that the first `limit` bytes
/// of a transfer over `words` occupy, in array order: entries of length 0
/// are skipped (their base is never looked at, as on Linux), and the last
/// piece is cut where the limit falls.
pub fn pieces(words: &[u64], limit: usize) -> Pieces<'_> {
    Pieces {
        entries: words.as_chunks::<WORDS_PER_IOVEC>().0.iter(),
        left: limit,
    }
}

/// The total [`pieces`] yields: the smaller of `limit` and the lengths'
/// sum.
pub fn clipped_len(words: &[u64], limit: usize) -> usize {
    pieces(words, limit).map(|(_, len)| len).sum()
}

/// The iterator of [`pieces`].
pub struct Pieces<'a> {
    entries: core::slice::Iter<'a, [u64; WORDS_PER_IOVEC]>,
    left: usize,
}

impl Iterator for Pieces<'_> {
    type Item = (u64, usize);

    fn next(&mut self) -> Option<(u64, usize)> {
        while self.left > 0 {
            let entry = self.entries.next()?;
            let len = usize::try_from(entry[1])
                .unwrap_or(usize::MAX)
                .min(self.left);
            if len > 0 {
                self.left -= len;
                return Some((entry[0], len));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    #[test]
    fn entry_count_accepts_zero_to_iov_max() {
        assert_eq!(entry_count(0), Ok(0));
        assert_eq!(entry_count(3), Ok(3));
        assert_eq!(entry_count(IOV_MAX as u64), Ok(IOV_MAX));
    }

    #[test]
    fn entry_count_over_iov_max_is_einval() {
        assert_eq!(entry_count(IOV_MAX as u64 + 1), Err(Errno::EINVAL));
    }

    #[test]
    fn entry_count_negative_int_is_einval() {
        assert_eq!(entry_count((-1i64) as u64), Err(Errno::EINVAL));
        // Only the low 32 bits are the int: -1 there, whatever is above.
        assert_eq!(entry_count(0xffff_ffff), Err(Errno::EINVAL));
        // High garbage above a valid int is ignored, as Linux reads an int.
        assert_eq!(entry_count(0x1_0000_0002), Ok(2));
    }

    #[test]
    fn checked_total_adds_the_lengths() {
        assert_eq!(checked_total(&[0x1000, 3, 0x2000, 0, 0x3000, 5]), Ok(8));
        assert_eq!(checked_total(&[]), Ok(0));
    }

    #[test]
    fn checked_total_over_ssize_max_is_einval() {
        assert_eq!(checked_total(&[0, SSIZE_MAX, 0, 1]), Err(Errno::EINVAL));
        assert_eq!(checked_total(&[0, u64::MAX]), Err(Errno::EINVAL));
        assert_eq!(checked_total(&[0, SSIZE_MAX]), Ok(SSIZE_MAX));
    }

    #[test]
    fn pieces_skip_empty_entries_and_stop_at_the_limit() {
        let words = [0x1000, 4, 0xdead, 0, 0x2000, 10, 0x3000, 7];
        let all: Vec<_> = pieces(&words, usize::MAX).collect();
        assert_eq!(all, [(0x1000, 4), (0x2000, 10), (0x3000, 7)]);
        let cut: Vec<_> = pieces(&words, 6).collect();
        assert_eq!(cut, [(0x1000, 4), (0x2000, 2)]);
        let exact: Vec<_> = pieces(&words, 4).collect();
        assert_eq!(exact, [(0x1000, 4)]);
        assert_eq!(pieces(&words, 0).count(), 0);
    }

    #[test]
    fn clipped_len_is_the_smaller_of_limit_and_sum() {
        let words = [0x1000, 4, 0x2000, 10];
        assert_eq!(clipped_len(&words, 100), 14);
        assert_eq!(clipped_len(&words, 9), 9);
        assert_eq!(clipped_len(&[0x1000, u64::MAX], 1 << 20), 1 << 20);
    }
}
