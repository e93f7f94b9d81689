//! Directory entries: names to inode ids, in a sorted vector whose growth
//! can fail, each with a stable position cookie for `getdents64`.
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
//!
//! Entries are sorted by their *cookie* (a hash of the name, see
//! [`cookie`]), then by name. A cookie is the position `getdents64`
//! reports in `d_off` and resumes from: it depends on the name alone, so
//! creating or removing other entries between two calls never makes a
//! listing skip or repeat an entry that stayed (a program that removes
//! each entry it reads, as `rm -r` does, still sees every one). Two names
//! with the same cookie (a 62-bit hash) would make a listing split
//! between them repeat the first; ext4's hashed directories share this.

use alloc::vec::Vec;
use libspawn::{Errno, Result};

use super::Ino;

/// The first cookie an entry can have: 0 and 1 are the positions of `.`
/// and `..`.
pub const FIRST_ENTRY_COOKIE: u64 = 2;
/// The position past the last entry (`d_off` of the last record): the
/// largest `off_t`, so `lseek` accepts it.
pub const END_COOKIE: u64 = i64::MAX as u64;

/// FNV-1a's 64-bit offset basis.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a's 64-bit prime.
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The position cookie of the entry `name`: a hash of the name (FNV-1a)
/// in `FIRST_ENTRY_COOKIE..END_COOKIE`.
pub fn cookie(name: &[u8]) -> u64 {
    let hash = name.iter().fold(FNV_OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
    });
    FIRST_ENTRY_COOKIE + hash % (END_COOKIE - FIRST_ENTRY_COOKIE)
}

/// The entries of one directory (without `.` and `..`), sorted by cookie
/// and name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entries {
    /// (cookie of the name, name, inode), sorted by cookie and name. The
    /// cookie is kept so that a lookup's binary search hashes one name,
    /// the one looked up, not one per step (a spawn looks up three).
    sorted: Vec<(u64, Vec<u8>, Ino)>,
}

impl Entries {
    /// No entries.
    pub const fn new() -> Entries {
        Entries { sorted: Vec::new() }
    }

    fn position(&self, name: &[u8]) -> core::result::Result<usize, usize> {
        let key = (cookie(name), name);
        self.sorted
            .binary_search_by(|(hash, entry, _)| (*hash, entry.as_slice()).cmp(&key))
    }

    /// The inode named `name`.
    pub fn get(&self, name: &[u8]) -> Option<&Ino> {
        let at = self.position(name).ok()?;
        Some(&self.sorted[at].2)
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
            Ok(at) => self.sorted[at].2 = ino,
            Err(at) => {
                self.reserve_one()?;
                self.sorted.insert(at, (cookie(&name), name, ino));
            }
        }
        Ok(())
    }

    /// Removes the entry `name`; returns its inode.
    pub fn remove(&mut self, name: &[u8]) -> Option<Ino> {
        let at = self.position(name).ok()?;
        let (_, _, ino) = self.sorted.remove(at);
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

    /// The entries in cookie order.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Ino)> {
        self.sorted.iter().map(|(_, name, ino)| (name, ino))
    }

    /// The entries whose cookie is `from` or later, in cookie order, each
    /// with its cookie.
    pub fn from_cookie(&self, from: u64) -> impl Iterator<Item = (u64, &[u8], Ino)> {
        let start = self.sorted.partition_point(|&(hash, _, _)| hash < from);
        self.sorted[start..]
            .iter()
            .map(|(hash, name, ino)| (*hash, name.as_slice(), *ino))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn names(entries: &Entries) -> Vec<&[u8]> {
        entries.iter().map(|(name, _)| name.as_slice()).collect()
    }

    fn by_cookie<'a>(names: &[&'a [u8]]) -> Vec<&'a [u8]> {
        let mut sorted = names.to_vec();
        sorted.sort_by_key(|name| (cookie(name), *name));
        sorted
    }

    #[test]
    fn entries_stay_in_cookie_order_whatever_the_insertion_order() {
        let mut entries = Entries::new();
        let inserted = [&b"b"[..], b"a", b"c", b"ab"];
        for (i, name) in inserted.iter().enumerate() {
            entries.insert(name.to_vec(), Ino(i)).unwrap();
        }
        assert_eq!(names(&entries), by_cookie(&inserted));
        assert_eq!(entries.get(b"ab"), Some(&Ino(3)));
        assert_eq!(entries.get(b"x"), None);
        assert!(entries.contains_key(b"c"));
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn cookies_lie_between_the_dot_entries_and_the_end() {
        for name in [&b""[..], b"a", b"..", b"a long file name", &[0xff; 255]] {
            let at = cookie(name);
            assert!((FIRST_ENTRY_COOKIE..END_COOKIE).contains(&at), "{name:?}");
        }
        assert_ne!(cookie(b"a"), cookie(b"b"));
    }

    #[test]
    fn a_walk_resumed_from_a_cookie_skips_nothing_that_stayed() {
        let mut entries = Entries::new();
        let all: Vec<Vec<u8>> = (0..20u8).map(|i| vec![b'f', b'a' + i]).collect();
        for (i, name) in all.iter().enumerate() {
            entries.insert(name.clone(), Ino(i)).unwrap();
        }
        // Read five, remove them (as `rm -r` does), resume after the fifth.
        let first: Vec<(u64, Vec<u8>)> = entries
            .from_cookie(0)
            .take(6)
            .map(|(at, name, _)| (at, name.to_vec()))
            .collect();
        for (_, name) in &first[..5] {
            entries.remove(name);
        }
        let resume = first[5].0;
        let rest: Vec<&[u8]> = entries
            .from_cookie(resume)
            .map(|(_, name, _)| name)
            .collect();
        assert_eq!(rest.len(), 15);
        assert_eq!(rest[0], first[5].1.as_slice());
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
