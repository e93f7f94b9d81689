//! A set of the 64 signals, as used by the spawn-sigmask and spawn-sigdefault
//! attributes.
//!
//! Bit `n - 1` stands for signal `n`, which is also how Linux and glibc lay out
//! the first word of a `sigset_t`: the C layer converts by copying that word.
#![forbid(unsafe_code)]

use crate::abi::NSIG;
use crate::errno::{Errno, Result};

/// A set of signals numbered `1..=NSIG`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct SigSet(u64);

impl SigSet {
    /// The empty set.
    pub const EMPTY: SigSet = SigSet(0);
    /// Every signal.
    pub const FULL: SigSet = SigSet(u64::MAX);

    /// A set from its bit representation (bit `n - 1` is signal `n`).
    pub const fn from_bits(bits: u64) -> SigSet {
        SigSet(bits)
    }

    /// The bit representation (bit `n - 1` is signal `n`).
    pub const fn bits(self) -> u64 {
        self.0
    }

    /// The bit for `signal`, or EINVAL when it is not in `1..=NSIG`.
    const fn bit(signal: i32) -> Result<u64> {
        if signal >= 1 && signal <= NSIG {
            Ok(1 << (signal - 1))
        } else {
            Err(Errno::EINVAL)
        }
    }

    /// Adds `signal`. EINVAL (and no change) when it is not in `1..=NSIG`.
    pub fn add(&mut self, signal: i32) -> Result<()> {
        self.0 |= Self::bit(signal)?;
        Ok(())
    }

    /// Removes `signal`. EINVAL (and no change) when it is not in `1..=NSIG`.
    pub fn remove(&mut self, signal: i32) -> Result<()> {
        self.0 &= !Self::bit(signal)?;
        Ok(())
    }

    /// Whether `signal` is in the set; false for a number out of range.
    pub fn contains(self, signal: i32) -> bool {
        Self::bit(signal).is_ok_and(|bit| self.0 & bit != 0)
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The signals in the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = i32> {
        // Lowest set bit first: as many steps as members, not NSIG.
        let mut rest = self.0;
        core::iter::from_fn(move || {
            let signal = rest.trailing_zeros() as i32 + 1;
            (rest != 0).then(|| {
                rest &= rest - 1;
                signal
            })
        })
    }
}

impl core::fmt::Debug for SigSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<i32> for SigSet {
    /// Collects signal numbers; numbers out of range are ignored, so use
    /// [`SigSet::add`] when they must be reported.
    fn from_iter<I: IntoIterator<Item = i32>>(signals: I) -> SigSet {
        let mut set = SigSet::EMPTY;
        for signal in signals {
            let _ = set.add(signal);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_n_is_bit_n_minus_one() {
        let mut set = SigSet::EMPTY;
        set.add(1).unwrap();
        set.add(64).unwrap();
        assert_eq!(set.bits(), 1 | (1 << 63));
    }

    #[test]
    fn out_of_range_signals_are_einval_and_change_nothing() {
        let mut set = SigSet::from_bits(0b100);
        assert_eq!(set.add(0), Err(Errno::EINVAL));
        assert_eq!(set.add(65), Err(Errno::EINVAL));
        assert_eq!(set.remove(-1), Err(Errno::EINVAL));
        assert_eq!(set.bits(), 0b100);
        assert!(!set.contains(0));
        assert!(!set.contains(65));
    }

    #[test]
    fn iter_lists_members_in_order() {
        let set: SigSet = [10, 2, 64].into_iter().collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![2, 10, 64]);
        assert!(set.contains(10));
        let mut set = set;
        set.remove(10).unwrap();
        assert!(!set.contains(10));
    }
}
