//! Descriptor tables: per-process slots `0..OPEN_MAX`, each naming an open
//! file description, with FD_CLOEXEC per slot.
//!
//! A table also holds its process's RLIMIT_NOFILE soft limit
//! ([`FdTable::set_limit`], at most `OPEN_MAX`): no new descriptor at or
//! above it (EMFILE for the lowest free one, EBADF for a given number).
//! Descriptors already open above a lowered limit stay usable, as on
//! Linux.
//!
//! The table only manages slots. Reference counts of the descriptions are
//! the caller's: methods that drop or copy descriptors take callbacks that
//! are given each [`FileId`] to release or retain, so the table never
//! needs the system's other tables. Storage grows with the highest
//! descriptor in use, never past `OPEN_MAX` slots.
//!
//! # Sharing after spawn
//! A child's table starts as the parent's storage, shared (one `Arc`
//! clone, whatever the number of descriptors), and either table takes
//! storage of its own on its first change ("copy on write"). References
//! are counted per storage, not per table: a storage holds one reference
//! to each description in it, however many tables share it. So
//! [`FdTable::clone_for_spawn`] retains nothing; a table that copies
//! shared storage retains what it keeps; a table that lets go of storage
//! still shared releases nothing; and the last table holding a storage
//! takes it over (a change) or releases its descriptions (exit). Counts of
//! open and FD_CLOEXEC descriptors are kept, so the close-on-exec step
//! before an image loads costs nothing when no descriptor has FD_CLOEXEC:
//! a child that makes no change to its table, execs and exits costs O(1)
//! in the parent's descriptors, and a table nobody shares changes in
//! place as before.
//!
//! Copies come from `try_reserve` (ENOMEM when that fails). Putting a
//! table's storage behind a shared handle ([`TryArc`]), the first time it
//! is shared, is one fixed-size allocation, ENOMEM with nothing changed
//! when it fails; the slots themselves move, not copied.

use crate::shared::TryArc;
use alloc::vec::Vec;
use libspawn::{Errno, Result};
use shim_abi::OPEN_MAX;

use crate::file::FileId;

/// A file descriptor number.
pub type Fd = i32;

/// One used slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FdEntry {
    /// The open file description.
    pub file: FileId,
    /// FD_CLOEXEC: closed when the process loads a new image.
    pub cloexec: bool,
}

/// The two things a table asks of its owner about descriptions when it
/// closes descriptors: a reference kept in a copy of shared storage, a
/// reference dropped from its own.
pub trait Refs {
    /// One more reference to `id`.
    fn retain(&mut self, id: FileId);
    /// One reference fewer to `id`.
    fn release(&mut self, id: FileId);
}

/// A pair of callbacks: (retain, release).
impl<A: FnMut(FileId), B: FnMut(FileId)> Refs for (A, B) {
    fn retain(&mut self, id: FileId) {
        (self.0)(id);
    }

    fn release(&mut self, id: FileId) {
        (self.1)(id);
    }
}

/// The slots of a table.
type Slots = Vec<Option<FdEntry>>;

/// A process's descriptor table. Not `Clone`: a copy must account for the
/// references it holds, which is what [`FdTable::clone_for_spawn`] does.
#[derive(Debug)]
pub struct FdTable {
    /// The slots while they are this table's alone (empty while shared).
    own: Slots,
    /// The slots while they may be shared with other tables.
    shared: Option<TryArc<Slots>>,
    /// Number of open descriptors.
    open: usize,
    /// Number of open descriptors with FD_CLOEXEC.
    cloexec: usize,
    /// No new descriptor at or above this (RLIMIT_NOFILE's soft limit,
    /// at most `OPEN_MAX`).
    limit: usize,
}

impl Default for FdTable {
    fn default() -> Self {
        FdTable::new()
    }
}

impl PartialEq for FdTable {
    fn eq(&self, other: &FdTable) -> bool {
        self.slots() == other.slots()
    }
}

impl Eq for FdTable {}

/// The slot index of `fd`, if it is in `0..OPEN_MAX`.
fn index(fd: Fd) -> Option<usize> {
    if (0..OPEN_MAX).contains(&fd) {
        usize::try_from(fd).ok()
    } else {
        None
    }
}

/// A copy of `slots`, each description in it given to `retain`. ENOMEM,
/// with nothing retained, if the memory cannot be had.
fn copy(slots: &[Option<FdEntry>], mut retain: impl FnMut(FileId)) -> Result<Slots> {
    let mut copy = Vec::new();
    copy.try_reserve_exact(slots.len())
        .map_err(|_| Errno::ENOMEM)?;
    copy.extend_from_slice(slots);
    for entry in copy.iter().flatten() {
        retain(entry.file);
    }
    Ok(copy)
}

impl FdTable {
    /// An empty table.
    pub const fn new() -> FdTable {
        FdTable {
            own: Vec::new(),
            shared: None,
            open: 0,
            cloexec: 0,
            limit: OPEN_MAX as usize,
        }
    }

    /// Sets the limit on new descriptors (RLIMIT_NOFILE's soft limit),
    /// capped at `OPEN_MAX`. Open descriptors above it stay open.
    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit.min(OPEN_MAX as usize);
    }

    /// The limit on new descriptors.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The slot index of `fd` if a new descriptor may take that number:
    /// in range and below the limit.
    fn new_index(&self, fd: Fd) -> Option<usize> {
        index(fd).filter(|&slot| slot < self.limit)
    }

    fn slots(&self) -> &[Option<FdEntry>] {
        self.shared.as_deref().unwrap_or(&self.own)
    }

    /// Whether the storage is shared with another table (so a change must
    /// copy it first).
    pub fn is_shared(&self) -> bool {
        self.shared
            .as_ref()
            .is_some_and(|slots| TryArc::strong_count(slots) > 1)
    }

    /// The slots, for a change: this table's own storage. Storage that
    /// was shared is taken over when no other table holds it any more,
    /// and copied otherwise (each description in it given to `retain`).
    /// ENOMEM, with nothing changed or retained, if the copy cannot be
    /// had.
    #[inline]
    fn own(&mut self, retain: impl FnMut(FileId)) -> Result<&mut Slots> {
        if self.shared.is_some() {
            self.unshare(retain)?;
        }
        Ok(&mut self.own)
    }

    /// The slow part of [`FdTable::own`].
    #[cold]
    fn unshare(&mut self, retain: impl FnMut(FileId)) -> Result<()> {
        if let Some(shared) = self.shared.take() {
            self.own = match TryArc::try_unwrap(shared) {
                Ok(slots) => slots,
                Err(shared) => match copy(&shared, retain) {
                    Ok(slots) => slots,
                    Err(errno) => {
                        self.shared = Some(shared);
                        return Err(errno);
                    }
                },
            };
        }
        Ok(())
    }

    /// The entry of `fd`; EBADF if it is out of range or not open.
    pub fn get(&self, fd: Fd) -> Result<FdEntry> {
        index(fd)
            .and_then(|i| self.slots().get(i).copied().flatten())
            .ok_or(Errno::EBADF)
    }

    /// Whether `fd` is open.
    pub fn is_open(&self, fd: Fd) -> bool {
        self.get(fd).is_ok()
    }

    /// Number of open descriptors.
    pub fn count(&self) -> usize {
        self.open
    }

    /// Number of open descriptors with FD_CLOEXEC.
    pub fn cloexec_count(&self) -> usize {
        self.cloexec
    }

    /// The open descriptors, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = (Fd, FdEntry)> + '_ {
        self.slots()
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| Some((i as Fd, (*slot)?)))
    }

    /// The lowest free descriptor `>= min`, with storage of this table's
    /// own reserved for it (copied as [`FdTable::own`] says) so that
    /// [`FdTable::install`] on it cannot fail. EINVAL if `min` is out of
    /// `0..OPEN_MAX` or at or above the limit, EMFILE if every slot from
    /// `min` up to the limit is used, ENOMEM if the storage cannot grow or
    /// be copied.
    pub fn reserve_lowest(&mut self, min: Fd, retain: impl FnMut(FileId)) -> Result<Fd> {
        let start = self.new_index(min).ok_or(Errno::EINVAL)?;
        let limit = self.limit;
        let slots = self.slots();
        let fd = (start..limit)
            .find(|&i| slots.get(i).is_none_or(Option::is_none))
            .ok_or(Errno::EMFILE)?;
        reserve(self.own(retain)?, fd)?;
        Ok(fd as Fd)
    }

    /// Puts `entry` in slot `fd` and returns the entry it replaced (whose
    /// reference the caller must release). Shared storage is copied first
    /// (see [`FdTable::own`]). EBADF if `fd` is out of range or at or
    /// above the limit (as Linux's `dup2`), ENOMEM if the storage
    /// cannot grow or be copied (nothing changes then).
    #[inline(always)]
    pub fn install(
        &mut self,
        fd: Fd,
        entry: FdEntry,
        retain: impl FnMut(FileId),
    ) -> Result<Option<FdEntry>> {
        let slot = self.new_index(fd).ok_or(Errno::EBADF)?;
        let slots = self.own(retain)?;
        reserve(slots, slot)?;
        let old = slots[slot].replace(entry);
        self.count_out(old);
        self.count_in(entry);
        Ok(old)
    }

    /// Empties slot `fd` and returns its entry (the caller releases it).
    /// EBADF if it is not open; ENOMEM if shared storage cannot be copied.
    pub fn remove(&mut self, fd: Fd, retain: impl FnMut(FileId)) -> Result<FdEntry> {
        let entry = self.get(fd)?;
        // Open, so in range and within the storage.
        self.own(retain)?[fd as usize] = None;
        self.count_out(Some(entry));
        Ok(entry)
    }

    /// Sets or clears FD_CLOEXEC on `fd`. EBADF if it is not open; ENOMEM
    /// if shared storage cannot be copied (only when the flag changes).
    pub fn set_cloexec(&mut self, fd: Fd, cloexec: bool, retain: impl FnMut(FileId)) -> Result<()> {
        if self.get(fd)?.cloexec == cloexec {
            return Ok(());
        }
        // Open, so in range and within the storage.
        if let Some(entry) = &mut self.own(retain)?[fd as usize] {
            entry.cloexec = cloexec;
        }
        if cloexec {
            self.cloexec += 1;
        } else {
            self.cloexec -= 1;
        }
        Ok(())
    }

    fn count_in(&mut self, entry: FdEntry) {
        self.open += 1;
        self.cloexec += usize::from(entry.cloexec);
    }

    fn count_out(&mut self, entry: Option<FdEntry>) {
        if let Some(entry) = entry {
            self.open -= 1;
            self.cloexec -= usize::from(entry.cloexec);
        }
    }

    /// A table for a new child: the same descriptions and FD_CLOEXEC
    /// flags, sharing this table's storage until either changes it, so
    /// nothing is retained and nothing is copied (see the module
    /// documentation). Sharing storage for the first time moves it behind
    /// one shared handle (a fixed-size allocation: ENOMEM, with nothing
    /// changed, if it cannot be had); an empty table shares nothing.
    pub fn clone_for_spawn(&mut self) -> Result<FdTable> {
        if self.open == 0 {
            let mut table = FdTable::new();
            table.set_limit(self.limit);
            return Ok(table);
        }
        if self.shared.is_none() {
            match TryArc::try_new_or_back(core::mem::take(&mut self.own)) {
                Ok(shared) => self.shared = Some(shared),
                Err(own) => {
                    self.own = own;
                    return Err(Errno::ENOMEM);
                }
            }
        }
        Ok(FdTable {
            own: Vec::new(),
            shared: self.shared.clone(),
            open: self.open,
            cloexec: self.cloexec,
            limit: self.limit,
        })
    }

    /// Closes every descriptor for which `close` says so. Own storage is
    /// changed in place, each closed description released through `refs`.
    /// Shared storage is left to the other tables: this table gets a copy
    /// of what it keeps (each kept description retained), and nothing is
    /// released. ENOMEM, with nothing changed, if that copy
    /// cannot be had.
    fn close_where(
        &mut self,
        mut close: impl FnMut(Fd, &FdEntry) -> bool,
        refs: &mut impl Refs,
    ) -> Result<()> {
        let (mut open, mut cloexec) = (0, 0);
        match self.shared.take().map(TryArc::try_unwrap) {
            // Shared: a copy of what stays, retained; nothing released.
            Some(Err(shared)) => {
                let mut kept = Vec::new();
                if kept.try_reserve_exact(shared.len()).is_err() {
                    self.shared = Some(shared);
                    return Err(Errno::ENOMEM);
                }
                for (i, slot) in shared.iter().enumerate() {
                    let keep = slot.filter(|entry| !close(i as Fd, entry));
                    if let Some(entry) = keep {
                        refs.retain(entry.file);
                        open += 1;
                        cloexec += usize::from(entry.cloexec);
                    }
                    kept.push(keep);
                }
                self.own = kept;
            }
            // Own (or no longer shared): in place.
            taken => {
                if let Some(Ok(slots)) = taken {
                    self.own = slots;
                }
                for (i, slot) in self.own.iter_mut().enumerate() {
                    if slot.as_ref().is_some_and(|entry| close(i as Fd, entry)) {
                        if let Some(entry) = slot.take() {
                            refs.release(entry.file);
                        }
                    }
                    if let Some(entry) = slot {
                        open += 1;
                        cloexec += usize::from(entry.cloexec);
                    }
                }
            }
        }
        (self.open, self.cloexec) = (open, cloexec);
        Ok(())
    }

    /// Makes the next [`FdTable::close_on_exec`] unable to fail: a table
    /// that holds FD_CLOEXEC descriptors in shared storage gets its own
    /// copy now (each description in it given to `retain`), which is all
    /// `close_on_exec` could need memory for. ENOMEM, with nothing changed,
    /// if the copy cannot be had. `execve` calls it before its point of no
    /// return.
    pub fn prepare_close_on_exec(&mut self, retain: impl FnMut(FileId)) -> Result<()> {
        if self.cloexec == 0 {
            return Ok(());
        }
        self.unshare(retain)
    }

    /// Closes every FD_CLOEXEC descriptor (the step before loading an
    /// image); nothing to do, and no scan, when none has the flag. ENOMEM
    /// as [`FdTable::close_where`] says.
    pub fn close_on_exec(&mut self, refs: &mut impl Refs) -> Result<()> {
        if self.cloexec == 0 {
            return Ok(());
        }
        self.close_where(|_, entry| entry.cloexec, refs)
    }

    /// Closes every descriptor `>= low` (`closefrom`; a negative `low`
    /// closes all). ENOMEM as [`FdTable::close_where`] says.
    pub fn close_from(&mut self, low: Fd, refs: &mut impl Refs) -> Result<()> {
        if usize::try_from(low).is_ok_and(|low| low >= self.slots().len()) {
            return Ok(());
        }
        self.close_where(|fd, _| fd >= low, refs)
    }

    /// Closes everything (process exit) and lets go of the storage. Only
    /// the last table holding the storage releases its descriptions;
    /// never fails.
    pub fn close_all(&mut self, mut release: impl FnMut(FileId)) {
        if let Some(shared) = self.shared.take() {
            if let Ok(slots) = TryArc::try_unwrap(shared) {
                self.own = slots;
            }
        }
        for entry in self.own.iter().flatten() {
            release(entry.file);
        }
        self.own = Vec::new();
        (self.open, self.cloexec) = (0, 0);
    }
}

/// Makes room for slot `slot` (below `OPEN_MAX`: the callers check).
fn reserve(slots: &mut Slots, slot: usize) -> Result<()> {
    if slot >= slots.len() {
        let more = slot + 1 - slots.len();
        slots.try_reserve(more).map_err(|_| Errno::ENOMEM)?;
        // Within the room just had: no allocation. (A loop of pushes, not
        // `resize`: a table usually grows by one slot.)
        while slots.len() <= slot {
            slots.push(None);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;

    fn entry(file: usize, cloexec: bool) -> FdEntry {
        FdEntry {
            file: FileId(file),
            cloexec,
        }
    }

    fn none(_: FileId) {}

    /// Reference counts as the system keeps them, to check that every
    /// path retains and releases exactly once per storage.
    #[derive(Default)]
    struct Counts(BTreeMap<FileId, i32>);

    impl Refs for Counts {
        fn retain(&mut self, id: FileId) {
            *self.0.entry(id).or_default() += 1;
        }

        fn release(&mut self, id: FileId) {
            *self.0.entry(id).or_default() -= 1;
        }
    }

    impl Counts {
        /// Installs `entry` on `fd` of `table` as a new reference.
        fn install(&mut self, table: &mut FdTable, fd: Fd, entry: FdEntry) {
            self.retain(entry.file);
            let old = table.install(fd, entry, |id| self.retain(id)).unwrap();
            if let Some(old) = old {
                self.release(old.file);
            }
        }

        fn close(&mut self, table: &mut FdTable, fd: Fd) {
            let entry = table.remove(fd, |id| self.retain(id)).unwrap();
            self.release(entry.file);
        }

        fn close_all(&mut self, table: &mut FdTable) {
            table.close_all(|id| self.release(id));
        }

        fn held(&self) -> Vec<(usize, i32)> {
            self.0
                .iter()
                .filter(|(_, &n)| n != 0)
                .map(|(id, &n)| (id.0, n))
                .collect()
        }
    }

    #[test]
    fn no_new_descriptor_at_or_above_the_limit() {
        let mut table = FdTable::new();
        let none = |_| {};
        table.install(5, entry(0, false), none).unwrap();
        table.set_limit(3);
        for fd in 0..3 {
            assert_eq!(table.reserve_lowest(0, none), Ok(fd));
            table.install(fd, entry(0, false), none).unwrap();
        }
        assert_eq!(table.reserve_lowest(0, none), Err(Errno::EMFILE));
        assert_eq!(table.reserve_lowest(3, none), Err(Errno::EINVAL));
        assert_eq!(table.install(3, entry(0, false), none), Err(Errno::EBADF));
        assert_eq!(table.install(5, entry(1, false), none), Err(Errno::EBADF));
        assert!(
            table.is_open(5),
            "a descriptor above a lowered limit stays open"
        );
        assert_eq!(table.clone_for_spawn().unwrap().limit(), 3);
        table.set_limit(OPEN_MAX as usize + 10);
        assert_eq!(table.limit(), OPEN_MAX as usize);
        assert_eq!(table.reserve_lowest(0, none), Ok(3));
    }

    #[test]
    fn reserve_lowest_finds_the_lowest_free_slot_from_min() {
        let mut table = FdTable::new();
        table.install(0, entry(0, false), none).unwrap();
        table.install(2, entry(1, false), none).unwrap();
        assert_eq!(table.reserve_lowest(0, none), Ok(1));
        assert_eq!(table.reserve_lowest(2, none), Ok(3));
        assert_eq!(table.reserve_lowest(-1, none), Err(Errno::EINVAL));
        assert_eq!(table.reserve_lowest(OPEN_MAX, none), Err(Errno::EINVAL));
    }

    #[test]
    fn a_full_table_is_emfile() {
        let mut table = FdTable::new();
        for fd in 0..OPEN_MAX {
            table.install(fd, entry(0, false), none).unwrap();
        }
        assert_eq!(table.reserve_lowest(0, none), Err(Errno::EMFILE));
        assert_eq!(table.count(), OPEN_MAX as usize);
    }

    #[test]
    fn get_remove_and_set_cloexec_on_a_closed_or_bad_fd_are_ebadf() {
        let mut table = FdTable::new();
        assert_eq!(table.get(0), Err(Errno::EBADF));
        assert_eq!(table.get(-1), Err(Errno::EBADF));
        assert_eq!(table.get(OPEN_MAX), Err(Errno::EBADF));
        assert_eq!(table.remove(3, none), Err(Errno::EBADF));
        assert_eq!(table.set_cloexec(3, true, none), Err(Errno::EBADF));
        assert_eq!(
            table.install(OPEN_MAX, entry(0, false), none),
            Err(Errno::EBADF)
        );
    }

    #[test]
    fn install_returns_the_replaced_entry() {
        let mut table = FdTable::new();
        assert_eq!(table.install(4, entry(1, true), none), Ok(None));
        assert_eq!(
            table.install(4, entry(2, false), none),
            Ok(Some(entry(1, true)))
        );
        assert_eq!(table.get(4), Ok(entry(2, false)));
        assert_eq!((table.count(), table.cloexec_count()), (1, 0));
    }

    #[test]
    fn counts_follow_install_remove_and_set_cloexec() {
        let mut table = FdTable::new();
        table.install(0, entry(0, true), none).unwrap();
        table.install(1, entry(1, false), none).unwrap();
        assert_eq!((table.count(), table.cloexec_count()), (2, 1));
        table.set_cloexec(1, true, none).unwrap();
        table.set_cloexec(1, true, none).unwrap();
        assert_eq!(table.cloexec_count(), 2);
        table.remove(0, none).unwrap();
        assert_eq!((table.count(), table.cloexec_count()), (1, 1));
        table.set_cloexec(1, false, none).unwrap();
        assert_eq!((table.count(), table.cloexec_count()), (1, 0));
    }

    #[test]
    fn clone_for_spawn_shares_storage_and_retains_nothing() {
        let mut table = FdTable::new();
        table.install(0, entry(5, false), none).unwrap();
        table.install(7, entry(6, true), none).unwrap();
        let copy = table.clone_for_spawn().unwrap();
        assert_eq!(copy, table);
        assert!(copy.is_shared() && table.is_shared());
        assert_eq!((copy.count(), copy.cloexec_count()), (2, 1));
    }

    #[test]
    fn prepare_close_on_exec_copies_shared_storage_only_with_cloexec_descriptors() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        counts.install(&mut parent, 0, entry(1, false));
        let mut child = parent.clone_for_spawn().unwrap();
        child.prepare_close_on_exec(none).unwrap();
        assert!(child.is_shared());
        counts.close_all(&mut child);
        counts.install(&mut parent, 1, entry(2, true));
        let mut child = parent.clone_for_spawn().unwrap();
        child.prepare_close_on_exec(|id| counts.retain(id)).unwrap();
        assert!(!child.is_shared());
        assert_eq!(counts.held(), vec![(1, 2), (2, 2)]);
        // Closing now changes the child's own storage in place.
        child.close_on_exec(&mut counts).unwrap();
        assert_eq!(counts.held(), vec![(1, 2), (2, 1)]);
        assert_eq!(child.count(), 1);
        counts.close_all(&mut child);
        counts.close_all(&mut parent);
        assert_eq!(counts.held(), vec![]);
    }

    #[test]
    fn the_first_change_copies_shared_storage_retaining_each_description() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        counts.install(&mut parent, 0, entry(1, false));
        counts.install(&mut parent, 3, entry(2, false));
        let mut child = parent.clone_for_spawn().unwrap();
        assert_eq!(counts.held(), vec![(1, 1), (2, 1)]);
        // The child's dup2 over fd 3: a copy for the child, then the change.
        counts.install(&mut child, 3, entry(1, false));
        assert!(!child.is_shared() && !parent.is_shared());
        assert_eq!(counts.held(), vec![(1, 3), (2, 1)]);
        assert_eq!(parent.get(3), Ok(entry(2, false)));
        assert_eq!(child.get(3), Ok(entry(1, false)));
        counts.close_all(&mut child);
        counts.close_all(&mut parent);
        assert_eq!(counts.held(), vec![]);
    }

    #[test]
    fn a_shared_table_closed_first_releases_nothing_and_the_last_releases_all() {
        for child_first in [true, false] {
            let mut counts = Counts::default();
            let mut parent = FdTable::new();
            for fd in 0..4 {
                counts.install(&mut parent, fd, entry(fd as usize, false));
            }
            let mut child = parent.clone_for_spawn().unwrap();
            let (first, last) = if child_first {
                (&mut child, &mut parent)
            } else {
                (&mut parent, &mut child)
            };
            counts.close_all(first);
            assert_eq!(counts.held(), vec![(0, 1), (1, 1), (2, 1), (3, 1)]);
            assert!(!last.is_shared());
            counts.close_all(last);
            assert_eq!(counts.held(), vec![]);
        }
    }

    #[test]
    fn the_parent_closing_while_shared_leaves_the_child_its_descriptions() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        counts.install(&mut parent, 0, entry(1, false));
        counts.install(&mut parent, 1, entry(2, false));
        let mut child = parent.clone_for_spawn().unwrap();
        counts.close(&mut parent, 1);
        assert_eq!(counts.held(), vec![(1, 2), (2, 1)]);
        assert!(child.is_open(1) && !parent.is_open(1));
        counts.close_all(&mut parent);
        assert_eq!(counts.held(), vec![(1, 1), (2, 1)]);
        counts.close_all(&mut child);
        assert_eq!(counts.held(), vec![]);
    }

    #[test]
    fn close_on_exec_without_flags_keeps_the_storage_shared() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        counts.install(&mut parent, 0, entry(1, false));
        let mut child = parent.clone_for_spawn().unwrap();
        child.close_on_exec(&mut counts).unwrap();
        assert!(child.is_shared());
        assert_eq!(counts.held(), vec![(1, 1)]);
    }

    #[test]
    fn close_on_exec_on_shared_storage_copies_only_what_stays() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        counts.install(&mut parent, 0, entry(1, false));
        counts.install(&mut parent, 1, entry(2, true));
        counts.install(&mut parent, 2, entry(3, true));
        let mut child = parent.clone_for_spawn().unwrap();
        child.close_on_exec(&mut counts).unwrap();
        assert!(!child.is_shared());
        assert_eq!(child.iter().collect::<Vec<_>>(), vec![(0, entry(1, false))]);
        assert_eq!((child.count(), child.cloexec_count()), (1, 0));
        assert_eq!((parent.count(), parent.cloexec_count()), (3, 2));
        assert_eq!(counts.held(), vec![(1, 2), (2, 1), (3, 1)]);
        counts.close_all(&mut parent);
        assert_eq!(counts.held(), vec![(1, 1)]);
        counts.close_all(&mut child);
        assert_eq!(counts.held(), vec![]);
    }

    #[test]
    fn close_from_on_shared_storage_copies_only_what_stays() {
        let mut counts = Counts::default();
        let mut parent = FdTable::new();
        for fd in 0..5 {
            counts.install(&mut parent, fd, entry(fd as usize, fd == 4));
        }
        let mut child = parent.clone_for_spawn().unwrap();
        child.close_from(9, &mut counts).unwrap();
        assert!(child.is_shared());
        child.close_from(3, &mut counts).unwrap();
        assert_eq!(
            child.iter().map(|(fd, _)| fd).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        assert_eq!((child.count(), child.cloexec_count()), (3, 0));
        assert_eq!(parent.count(), 5);
        counts.close_all(&mut child);
        counts.close_all(&mut parent);
        assert_eq!(counts.held(), vec![]);
    }

    #[test]
    fn set_cloexec_to_the_same_value_keeps_the_storage_shared() {
        let mut parent = FdTable::new();
        parent.install(0, entry(1, true), none).unwrap();
        let mut child = parent.clone_for_spawn().unwrap();
        child.set_cloexec(0, true, none).unwrap();
        assert!(child.is_shared());
        let mut retained = vec![];
        child.set_cloexec(0, false, |id| retained.push(id)).unwrap();
        assert_eq!(retained, vec![FileId(1)]);
        assert_eq!(parent.get(0), Ok(entry(1, true)));
        assert_eq!(child.get(0), Ok(entry(1, false)));
    }

    #[test]
    fn close_on_exec_closes_only_flagged_descriptors() {
        let mut table = FdTable::new();
        table.install(0, entry(0, false), none).unwrap();
        table.install(1, entry(1, true), none).unwrap();
        let mut released = vec![];
        table
            .close_on_exec(&mut (none, |id| released.push(id)))
            .unwrap();
        assert_eq!(released, vec![FileId(1)]);
        assert!(table.is_open(0));
        assert!(!table.is_open(1));
        assert_eq!((table.count(), table.cloexec_count()), (1, 0));
    }

    #[test]
    fn close_from_closes_from_low_up() {
        let mut table = FdTable::new();
        for fd in 0..5 {
            table.install(fd, entry(fd as usize, false), none).unwrap();
        }
        let mut released = vec![];
        table
            .close_from(3, &mut (none, |id| released.push(id)))
            .unwrap();
        assert_eq!(released, vec![FileId(3), FileId(4)]);
        assert_eq!(
            table.iter().map(|(fd, _)| fd).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
        assert_eq!(table.count(), 3);
    }

    #[test]
    fn close_all_empties_the_table() {
        let mut table = FdTable::new();
        table.install(9, entry(1, false), none).unwrap();
        let mut released = 0;
        table.close_all(|_| released += 1);
        assert_eq!((released, table.count()), (1, 0));
    }
}
