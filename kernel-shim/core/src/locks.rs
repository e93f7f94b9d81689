//! Record locks (`fcntl` F_GETLK, F_SETLK, F_SETLKW): POSIX advisory byte
//! range locks, owned by processes.
//!
//! As on Linux (fcntl(2), "Advisory record locking"): a process's own
//! locks never conflict with one another, so setting a lock replaces,
//! merges or splits the ranges it already holds on that file; a read lock
//! conflicts with another process's write lock, a write lock with any
//! lock of another process. A process's locks on a file go when it closes
//! any descriptor of that file, and all of them when it exits.
//!
//! The table is one vector for the whole system, at most [`MAX_LOCKS`]
//! ranges (ENOLCK beyond). A change is built in a new vector (whose
//! allocation may fail: ENOLCK, nothing changed) and then swapped in.
//! The processes waiting in F_SETLKW are listed with the range they
//! want, so that a wait that would close a cycle is refused with EDEADLK.

use alloc::vec::Vec;
use libspawn::{Errno, Result};

use crate::process::{Pid, MAX_PROCESSES};
use crate::vfs::Ino;

/// Most lock ranges in the system (ENOLCK beyond).
pub const MAX_LOCKS: usize = 1024;
/// The end of a range that runs to the end of the file and beyond.
pub const TO_INFINITY: u64 = u64::MAX;

/// A lock's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// Shared (F_RDLCK).
    Read,
    /// Exclusive (F_WRLCK).
    Write,
}

/// A byte range `start..end` of a file, `end` exclusive
/// ([`TO_INFINITY`]: no end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl Range {
    fn overlaps(self, other: Range) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Overlapping or touching.
    fn meets(self, other: Range) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// One held lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lock {
    /// The file.
    pub ino: Ino,
    /// The process holding it.
    pub owner: Pid,
    /// The bytes it covers.
    pub range: Range,
    /// Read or write.
    pub kind: LockKind,
}

impl Lock {
    /// Whether this lock stands in the way of `wanted` (another owner's).
    fn blocks(&self, wanted: &Lock) -> bool {
        self.ino == wanted.ino
            && self.owner != wanted.owner
            && self.range.overlaps(wanted.range)
            && (self.kind == LockKind::Write || wanted.kind == LockKind::Write)
    }
}

/// Every record lock in the system, and who waits for one.
#[derive(Clone, Debug, Default)]
pub struct LockTable {
    locks: Vec<Lock>,
    waits: Vec<Lock>,
}

impl LockTable {
    /// No locks.
    pub const fn new() -> LockTable {
        LockTable {
            locks: Vec::new(),
            waits: Vec::new(),
        }
    }

    /// Number of ranges held.
    pub fn len(&self) -> usize {
        self.locks.len()
    }

    /// Whether no lock is held.
    pub fn is_empty(&self) -> bool {
        self.locks.is_empty()
    }

    /// The first lock of another process standing in the way of `wanted`
    /// (F_GETLK's answer).
    pub fn conflict(&self, wanted: &Lock) -> Option<Lock> {
        self.locks.iter().find(|lock| lock.blocks(wanted)).copied()
    }

    /// Sets (`kind` `Some`) or clears (`None`) `owner`'s lock on `range` of
    /// `ino`, replacing, merging with or splitting its own locks there.
    /// The caller has checked [`LockTable::conflict`]. ENOLCK (nothing
    /// changed) past [`MAX_LOCKS`] or when memory runs out.
    pub fn set(
        &mut self,
        ino: Ino,
        owner: Pid,
        range: Range,
        kind: Option<LockKind>,
    ) -> Result<()> {
        let own = |lock: &Lock| lock.ino == ino && lock.owner == owner;
        let mut span = range;
        if let Some(kind) = kind {
            for lock in self.locks.iter().filter(|l| own(l) && l.kind == kind) {
                if lock.range.meets(span) {
                    span.start = span.start.min(lock.range.start);
                    span.end = span.end.max(lock.range.end);
                }
            }
        }
        let mut next = Vec::new();
        next.try_reserve(self.locks.len() + 2)
            .map_err(|_| Errno::ENOLCK)?;
        for lock in &self.locks {
            if !own(lock) || !lock.range.overlaps(span) {
                next.push(*lock);
                continue;
            }
            if lock.range.start < span.start {
                let range = Range {
                    start: lock.range.start,
                    end: span.start,
                };
                next.push(Lock { range, ..*lock });
            }
            if lock.range.end > span.end {
                let range = Range {
                    start: span.end,
                    end: lock.range.end,
                };
                next.push(Lock { range, ..*lock });
            }
        }
        if let Some(kind) = kind {
            next.push(Lock {
                ino,
                owner,
                range: span,
                kind,
            });
        }
        if next.len() > MAX_LOCKS {
            return Err(Errno::ENOLCK);
        }
        self.locks = next;
        Ok(())
    }

    /// Drops `owner`'s locks on `ino` (it closed a descriptor of the
    /// file). Returns whether any went.
    pub fn release(&mut self, ino: Ino, owner: Pid) -> bool {
        let before = self.locks.len();
        self.locks
            .retain(|lock| lock.ino != ino || lock.owner != owner);
        self.locks.len() != before
    }

    /// Drops every lock and wait of `owner` (it exited). Returns whether
    /// any lock went.
    pub fn release_all(&mut self, owner: Pid) -> bool {
        self.waits.retain(|wait| wait.owner != owner);
        let before = self.locks.len();
        self.locks.retain(|lock| lock.owner != owner);
        self.locks.len() != before
    }

    /// Whether `wanted.owner` waiting for `wanted` would close a cycle:
    /// the lock in its way is held by a process that waits (directly or
    /// through others) for a lock `wanted.owner` holds.
    pub fn would_deadlock(&self, wanted: &Lock) -> bool {
        let mut blocker = self.conflict(wanted);
        for _ in 0..MAX_PROCESSES {
            let Some(holder) = blocker else {
                return false;
            };
            if holder.owner == wanted.owner {
                return true;
            }
            let Some(wait) = self.waits.iter().find(|w| w.owner == holder.owner) else {
                return false;
            };
            blocker = self.conflict(wait);
        }
        false
    }

    /// Records that `wanted.owner` waits for `wanted` (ENOLCK when memory
    /// runs out); it replaces what that process waited for before.
    pub fn wait_for(&mut self, wanted: Lock) -> Result<()> {
        self.stop_waiting(wanted.owner);
        self.waits.try_reserve(1).map_err(|_| Errno::ENOLCK)?;
        self.waits.push(wanted);
        Ok(())
    }

    /// `owner` no longer waits.
    pub fn stop_waiting(&mut self, owner: Pid) {
        self.waits.retain(|wait| wait.owner != owner);
    }

    /// The locks `owner` holds on `ino`, in no particular order.
    pub fn held(&self, ino: Ino, owner: Pid) -> impl Iterator<Item = &Lock> + '_ {
        self.locks
            .iter()
            .filter(move |lock| lock.ino == ino && lock.owner == owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const FILE: Ino = Ino(7);
    const A: Pid = 10;
    const B: Pid = 11;

    fn range(start: u64, end: u64) -> Range {
        Range { start, end }
    }

    fn lock(owner: Pid, start: u64, end: u64, kind: LockKind) -> Lock {
        Lock {
            ino: FILE,
            owner,
            range: range(start, end),
            kind,
        }
    }

    fn held(table: &LockTable, owner: Pid) -> Vec<(u64, u64, LockKind)> {
        let mut out: Vec<_> = table
            .held(FILE, owner)
            .map(|l| (l.range.start, l.range.end, l.kind))
            .collect();
        out.sort_by_key(|&(start, _, _)| start);
        out
    }

    #[test]
    fn a_process_never_conflicts_with_its_own_locks() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 10), Some(LockKind::Write))
            .unwrap();
        assert_eq!(table.conflict(&lock(A, 0, 10, LockKind::Write)), None);
        assert_eq!(
            table.conflict(&lock(B, 5, 6, LockKind::Read)),
            Some(lock(A, 0, 10, LockKind::Write))
        );
    }

    #[test]
    fn read_locks_of_different_processes_share_a_range() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 10), Some(LockKind::Read))
            .unwrap();
        assert_eq!(table.conflict(&lock(B, 0, 10, LockKind::Read)), None);
        assert!(table.conflict(&lock(B, 9, 20, LockKind::Write)).is_some());
        assert_eq!(table.conflict(&lock(B, 10, 20, LockKind::Write)), None);
    }

    #[test]
    fn a_lock_of_another_kind_splits_the_owners_range() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 30), Some(LockKind::Read))
            .unwrap();
        table
            .set(FILE, A, range(10, 20), Some(LockKind::Write))
            .unwrap();
        assert_eq!(
            held(&table, A),
            vec![
                (0, 10, LockKind::Read),
                (10, 20, LockKind::Write),
                (20, 30, LockKind::Read)
            ]
        );
    }

    #[test]
    fn touching_locks_of_one_kind_merge_and_unlock_cuts_a_hole() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 10), Some(LockKind::Write))
            .unwrap();
        table
            .set(FILE, A, range(10, 20), Some(LockKind::Write))
            .unwrap();
        table
            .set(FILE, A, range(30, TO_INFINITY), Some(LockKind::Write))
            .unwrap();
        table
            .set(FILE, A, range(15, 40), Some(LockKind::Write))
            .unwrap();
        assert_eq!(held(&table, A), vec![(0, TO_INFINITY, LockKind::Write)]);
        table.set(FILE, A, range(5, 8), None).unwrap();
        assert_eq!(
            held(&table, A),
            vec![(0, 5, LockKind::Write), (8, TO_INFINITY, LockKind::Write)]
        );
        table.set(FILE, A, range(0, TO_INFINITY), None).unwrap();
        assert!(table.is_empty());
    }

    #[test]
    fn closing_drops_the_owners_locks_on_that_file_only() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 1), Some(LockKind::Write))
            .unwrap();
        table
            .set(Ino(8), A, range(0, 1), Some(LockKind::Write))
            .unwrap();
        table
            .set(FILE, B, range(5, 6), Some(LockKind::Write))
            .unwrap();
        assert!(table.release(FILE, A));
        assert!(!table.release(FILE, A));
        assert_eq!(table.len(), 2);
        assert!(table.release_all(A));
        assert_eq!(held(&table, B), vec![(5, 6, LockKind::Write)]);
    }

    #[test]
    fn a_full_table_is_enolck_and_unchanged() {
        let mut table = LockTable::new();
        for i in 0..MAX_LOCKS as u64 {
            table
                .set(FILE, A, range(2 * i, 2 * i + 1), Some(LockKind::Write))
                .unwrap();
        }
        let extra = range(4 * MAX_LOCKS as u64, TO_INFINITY);
        assert_eq!(
            table.set(FILE, A, extra, Some(LockKind::Read)),
            Err(Errno::ENOLCK)
        );
        assert_eq!(table.len(), MAX_LOCKS);
    }

    #[test]
    fn a_wait_that_closes_a_cycle_would_deadlock() {
        let mut table = LockTable::new();
        table
            .set(FILE, A, range(0, 1), Some(LockKind::Write))
            .unwrap();
        table
            .set(FILE, B, range(1, 2), Some(LockKind::Write))
            .unwrap();
        let a_wants = lock(A, 1, 2, LockKind::Write);
        assert!(!table.would_deadlock(&a_wants));
        table.wait_for(a_wants).unwrap();
        assert!(table.would_deadlock(&lock(B, 0, 1, LockKind::Write)));
        table.stop_waiting(A);
        assert!(!table.would_deadlock(&lock(B, 0, 1, LockKind::Write)));
    }
}
