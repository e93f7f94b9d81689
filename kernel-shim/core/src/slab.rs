//! Slab: a bounded table of values addressed by small integer ids.
//!
//! Inodes, open file descriptions and pipes live in slabs. An id is the
//! index of its slot; a freed slot is reused by the next insertion, so the
//! table never grows past the most values alive at once, and never past its
//! capacity.

use alloc::vec::Vec;
use libspawn::Errno;

/// A table of at most `capacity` values of type `T`.
#[derive(Clone, Debug)]
pub struct Slab<T> {
    slots: Vec<Option<T>>,
    capacity: usize,
    len: usize,
}

impl<T> Slab<T> {
    /// An empty table that will hold at most `capacity` values.
    pub const fn new(capacity: usize) -> Slab<T> {
        Slab {
            slots: Vec::new(),
            capacity,
            len: 0,
        }
    }

    /// Stores `value` in the lowest free slot and returns its index, or
    /// returns `full` when the table already holds `capacity` values (or
    /// memory for a new slot cannot be had).
    pub fn insert(&mut self, value: T, full: Errno) -> Result<usize, Errno> {
        if let Some(index) = self.slots.iter().position(Option::is_none) {
            self.slots[index] = Some(value);
            self.len += 1;
            return Ok(index);
        }
        if self.slots.len() >= self.capacity || self.slots.try_reserve(1).is_err() {
            return Err(full);
        }
        self.slots.push(Some(value));
        self.len += 1;
        Ok(self.slots.len() - 1)
    }

    /// Removes and returns the value at `index`, if any.
    pub fn remove(&mut self, index: usize) -> Option<T> {
        let value = self.slots.get_mut(index)?.take();
        if value.is_some() {
            self.len -= 1;
        }
        value
    }

    /// The value at `index`, if any.
    pub fn get(&self, index: usize) -> Option<&T> {
        self.slots.get(index)?.as_ref()
    }

    /// The value at `index`, mutably, if any.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.slots.get_mut(index)?.as_mut()
    }

    /// Number of values stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no value is stored.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_reuses_the_lowest_freed_slot() {
        let mut slab = Slab::new(4);
        assert_eq!(slab.insert('a', Errno::ENFILE), Ok(0));
        assert_eq!(slab.insert('b', Errno::ENFILE), Ok(1));
        assert_eq!(slab.insert('c', Errno::ENFILE), Ok(2));
        assert_eq!(slab.remove(1), Some('b'));
        assert_eq!(slab.insert('d', Errno::ENFILE), Ok(1));
        assert_eq!(slab.len(), 3);
    }

    #[test]
    fn insert_past_capacity_reports_the_given_error() {
        let mut slab = Slab::new(1);
        slab.insert(1, Errno::ENFILE).unwrap();
        assert_eq!(slab.insert(2, Errno::ENFILE), Err(Errno::ENFILE));
        assert_eq!(slab.len(), 1);
    }

    #[test]
    fn remove_of_an_empty_slot_changes_nothing() {
        let mut slab: Slab<u8> = Slab::new(2);
        assert_eq!(slab.remove(0), None);
        assert!(slab.is_empty());
    }
}
