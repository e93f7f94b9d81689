//! Directory entries: names to inode ids, in a sorted vector whose growth
//! can fail.
//!
//! A directory was a `BTreeMap`, whose `insert` allocates a node with no
//! way to report failure: on a full kernel heap a `creat` that split a
//! node panicked the kernel (issue 13). Here the room for one more entry
//! is reserved first ([`Entries::reserve_one`], ENOSPC when it cannot be
//! had), before anything changes, and the insertion itself then moves
//! entries within the reserved storage. Lookups are a binary search; an
//! insertion or a removal moves the entries after it, bounded by
//! [`super::MAX_INODES`] entries. Storage is given back whole when the
//! directory becomes empty (shrinking a non-empty vector would allocate).

use alloc::vec::Vec;
use libspawn::{Errno, Result};

use super::Ino;

/// The entries of one directory (without `.` and `..`), sorted by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entries {
    sorted: Vec<(Vec<u8>, Ino)>,
}

impl Entries {
    /// No entries.
    pub const fn new() -> Entries {
        Entries { sorted: Vec::new() }
    }

    fn position(&self, name: &[u8]) -> core::result::Result<usize, usize> {
        self.sorted
            .binary_search_by(|(entry, _)| entry.as_slice().cmp(name))
    }

    /// The inode named `name`.
    pub fn get(&self, name: &[u8]) -> Option<&Ino> {
        let at = self.position(name).ok()?;
        Some(&self.sorted[at].1)
    }

    /// Whether `name` is taken.
    pub fn contains_key(&self, name: &[u8]) -> bool {
        self.position(name).is_ok()
    }

    /// Makes room for one more entry, so the next [`Entries::insert`]
    /// cannot fail for lack of memory. ENOSPC if the room cannot be had.
    pub fn reserve_one(&mut self) -> Result<()> {
        self.sorted.try_reserve(1).map_err(|_| Errno::ENOSPC)
    }

    /// Adds (or replaces) the entry `name`. ENOSPC, with nothing changed,
    /// if there is no room and none can be had; never fails after
    /// [`Entries::reserve_one`].
    pub fn insert(&mut self, name: Vec<u8>, ino: Ino) -> Result<()> {
        match self.position(&name) {
            Ok(at) => self.sorted[at].1 = ino,
            Err(at) => {
                self.reserve_one()?;
                self.sorted.insert(at, (name, ino));
            }
        }
        Ok(())
    }

    /// Removes the entry `name`; returns its inode.
    pub fn remove(&mut self, name: &[u8]) -> Option<Ino> {
        let at = self.position(name).ok()?;
        let (_, ino) = self.sorted.remove(at);
        if self.sorted.is_empty() {
            self.sorted = Vec::new();
        }
        Some(ino)
    }

    /// Whether there is no entry.
    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// The entries in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Ino)> {
        self.sorted.iter().map(|(name, ino)| (name, ino))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn names(entries: &Entries) -> Vec<&[u8]> {
        entries.iter().map(|(name, _)| name.as_slice()).collect()
    }

    #[test]
    fn entries_stay_sorted_by_name_whatever_the_insertion_order() {
        let mut entries = Entries::new();
        for (i, name) in [&b"b"[..], b"a", b"c", b"ab"].iter().enumerate() {
            entries.insert(name.to_vec(), Ino(i)).unwrap();
        }
        assert_eq!(names(&entries), vec![&b"a"[..], b"ab", b"b", b"c"]);
        assert_eq!(entries.get(b"ab"), Some(&Ino(3)));
        assert_eq!(entries.get(b"x"), None);
        assert!(entries.contains_key(b"c"));
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn inserting_a_taken_name_replaces_its_inode() {
        let mut entries = Entries::new();
        entries.insert(b"a".to_vec(), Ino(1)).unwrap();
        entries.insert(b"a".to_vec(), Ino(2)).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries.get(b"a"), Some(&Ino(2)));
    }

    #[test]
    fn removing_the_last_entry_gives_the_storage_back() {
        let mut entries = Entries::new();
        entries.reserve_one().unwrap();
        entries.insert(b"a".to_vec(), Ino(1)).unwrap();
        entries.insert(b"b".to_vec(), Ino(2)).unwrap();
        assert_eq!(entries.remove(b"a"), Some(Ino(1)));
        assert_eq!(entries.remove(b"a"), None);
        assert!(entries.sorted.capacity() > 0);
        assert_eq!(entries.remove(b"b"), Some(Ino(2)));
        assert!(entries.is_empty());
        assert_eq!(entries.sorted.capacity(), 0);
    }

    #[test]
    fn an_insertion_after_reserve_one_does_not_grow_the_storage() {
        let mut entries = Entries::new();
        entries.reserve_one().unwrap();
        let capacity = entries.sorted.capacity();
        for i in 0..capacity {
            entries.insert(vec![b'a' + i as u8], Ino(i)).unwrap();
        }
        assert_eq!(entries.sorted.capacity(), capacity);
    }
}
