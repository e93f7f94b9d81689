//! Descriptor tables: per-process slots `0..OPEN_MAX`, each naming an open
//! file description, with FD_CLOEXEC per slot.
//!
//! The table only manages slots. Reference counts of the descriptions are
//! the caller's: methods that drop or copy descriptors take a callback
//! that is given each [`FileId`] to release or retain, so the table never
//! needs the system's other tables. Storage grows with the highest
//! descriptor in use, never past `OPEN_MAX` slots.

use alloc::vec::Vec;
use libspawn::abi::OPEN_MAX;
use libspawn::{Errno, Result};

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

/// A process's descriptor table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FdTable {
    slots: Vec<Option<FdEntry>>,
}

/// The slot index of `fd`, if it is in `0..OPEN_MAX`.
fn index(fd: Fd) -> Option<usize> {
    if (0..OPEN_MAX).contains(&fd) {
        usize::try_from(fd).ok()
    } else {
        None
    }
}

impl FdTable {
    /// An empty table.
    pub const fn new() -> FdTable {
        FdTable { slots: Vec::new() }
    }

    /// The entry of `fd`; EBADF if it is out of range or not open.
    pub fn get(&self, fd: Fd) -> Result<FdEntry> {
        index(fd)
            .and_then(|i| self.slots.get(i).copied().flatten())
            .ok_or(Errno::EBADF)
    }

    /// Whether `fd` is open.
    pub fn is_open(&self, fd: Fd) -> bool {
        self.get(fd).is_ok()
    }

    /// Number of open descriptors.
    pub fn count(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// The open descriptors, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = (Fd, FdEntry)> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, slot)| Some((i as Fd, (*slot)?)))
    }

    /// The lowest free descriptor `>= min`, with storage for it reserved so
    /// that [`FdTable::install`] on it cannot fail. EINVAL if `min` is out
    /// of `0..OPEN_MAX`, EMFILE if every slot from `min` up is used,
    /// ENOMEM if the storage cannot grow.
    pub fn reserve_lowest(&mut self, min: Fd) -> Result<Fd> {
        let start = index(min).ok_or(Errno::EINVAL)?;
        let fd = (start..OPEN_MAX as usize)
            .find(|&i| self.slots.get(i).is_none_or(Option::is_none))
            .ok_or(Errno::EMFILE)?;
        self.reserve(fd)?;
        Ok(fd as Fd)
    }

    /// Makes room for slot `fd`.
    fn reserve(&mut self, slot: usize) -> Result<()> {
        if slot >= self.slots.len() {
            let more = slot + 1 - self.slots.len();
            self.slots.try_reserve(more).map_err(|_| Errno::ENOMEM)?;
            self.slots.resize(slot + 1, None);
        }
        Ok(())
    }

    /// Puts `entry` in slot `fd` and returns the entry it replaced (whose
    /// reference the caller must release). EBADF if `fd` is out of range,
    /// ENOMEM if the storage cannot grow (nothing changes then).
    pub fn install(&mut self, fd: Fd, entry: FdEntry) -> Result<Option<FdEntry>> {
        let slot = index(fd).ok_or(Errno::EBADF)?;
        self.reserve(slot)?;
        Ok(self.slots[slot].replace(entry))
    }

    /// Empties slot `fd` and returns its entry (the caller releases it).
    /// EBADF if it is not open.
    pub fn remove(&mut self, fd: Fd) -> Result<FdEntry> {
        self.get(fd)?;
        index(fd)
            .and_then(|i| self.slots.get_mut(i)?.take())
            .ok_or(Errno::EBADF)
    }

    /// Sets or clears FD_CLOEXEC on `fd`. EBADF if it is not open.
    pub fn set_cloexec(&mut self, fd: Fd, cloexec: bool) -> Result<()> {
        let slot = index(fd)
            .and_then(|i| self.slots.get_mut(i)?.as_mut())
            .ok_or(Errno::EBADF)?;
        slot.cloexec = cloexec;
        Ok(())
    }

    /// A copy of the table for a new child: the same descriptions (each
    /// given to `retain`) and FD_CLOEXEC flags. ENOMEM, with nothing
    /// retained, if memory for the copy cannot be had.
    pub fn clone_for_spawn(&self, mut retain: impl FnMut(FileId)) -> Result<FdTable> {
        let mut slots = Vec::new();
        slots
            .try_reserve_exact(self.slots.len())
            .map_err(|_| Errno::ENOMEM)?;
        slots.extend_from_slice(&self.slots);
        for entry in slots.iter().flatten() {
            retain(entry.file);
        }
        Ok(FdTable { slots })
    }

    /// Closes every descriptor for which `close` says so, giving each
    /// description to `release`.
    fn close_where(
        &mut self,
        mut close: impl FnMut(Fd, &FdEntry) -> bool,
        mut release: impl FnMut(FileId),
    ) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if slot.as_ref().is_some_and(|entry| close(i as Fd, entry)) {
                if let Some(entry) = slot.take() {
                    release(entry.file);
                }
            }
        }
    }

    /// Closes every FD_CLOEXEC descriptor (the step before loading an
    /// image).
    pub fn close_on_exec(&mut self, release: impl FnMut(FileId)) {
        self.close_where(|_, entry| entry.cloexec, release);
    }

    /// Closes every descriptor `>= low` (`closefrom`; a negative `low`
    /// closes all).
    pub fn close_from(&mut self, low: Fd, release: impl FnMut(FileId)) {
        self.close_where(|fd, _| fd >= low, release);
    }

    /// Closes everything (process exit), and frees the storage.
    pub fn close_all(&mut self, release: impl FnMut(FileId)) {
        self.close_where(|_, _| true, release);
        self.slots = Vec::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn entry(file: usize, cloexec: bool) -> FdEntry {
        FdEntry {
            file: FileId(file),
            cloexec,
        }
    }

    #[test]
    fn reserve_lowest_finds_the_lowest_free_slot_from_min() {
        let mut table = FdTable::new();
        table.install(0, entry(0, false)).unwrap();
        table.install(2, entry(1, false)).unwrap();
        assert_eq!(table.reserve_lowest(0), Ok(1));
        assert_eq!(table.reserve_lowest(2), Ok(3));
        assert_eq!(table.reserve_lowest(-1), Err(Errno::EINVAL));
        assert_eq!(table.reserve_lowest(OPEN_MAX), Err(Errno::EINVAL));
    }

    #[test]
    fn a_full_table_is_emfile() {
        let mut table = FdTable::new();
        for fd in 0..OPEN_MAX {
            table.install(fd, entry(0, false)).unwrap();
        }
        assert_eq!(table.reserve_lowest(0), Err(Errno::EMFILE));
        assert_eq!(table.count(), OPEN_MAX as usize);
    }

    #[test]
    fn get_remove_and_set_cloexec_on_a_closed_or_bad_fd_are_ebadf() {
        let mut table = FdTable::new();
        assert_eq!(table.get(0), Err(Errno::EBADF));
        assert_eq!(table.get(-1), Err(Errno::EBADF));
        assert_eq!(table.get(OPEN_MAX), Err(Errno::EBADF));
        assert_eq!(table.remove(3), Err(Errno::EBADF));
        assert_eq!(table.set_cloexec(3, true), Err(Errno::EBADF));
        assert_eq!(table.install(OPEN_MAX, entry(0, false)), Err(Errno::EBADF));
    }

    #[test]
    fn install_returns_the_replaced_entry() {
        let mut table = FdTable::new();
        assert_eq!(table.install(4, entry(1, true)), Ok(None));
        assert_eq!(table.install(4, entry(2, false)), Ok(Some(entry(1, true))));
        assert_eq!(table.get(4), Ok(entry(2, false)));
    }

    #[test]
    fn clone_for_spawn_retains_every_description_and_keeps_flags() {
        let mut table = FdTable::new();
        table.install(0, entry(5, false)).unwrap();
        table.install(7, entry(6, true)).unwrap();
        let mut retained = vec![];
        let copy = table.clone_for_spawn(|id| retained.push(id)).unwrap();
        assert_eq!(retained, vec![FileId(5), FileId(6)]);
        assert_eq!(copy, table);
    }

    #[test]
    fn close_on_exec_closes_only_flagged_descriptors() {
        let mut table = FdTable::new();
        table.install(0, entry(0, false)).unwrap();
        table.install(1, entry(1, true)).unwrap();
        let mut released = vec![];
        table.close_on_exec(|id| released.push(id));
        assert_eq!(released, vec![FileId(1)]);
        assert!(table.is_open(0));
        assert!(!table.is_open(1));
    }

    #[test]
    fn close_from_closes_from_low_up() {
        let mut table = FdTable::new();
        for fd in 0..5 {
            table.install(fd, entry(fd as usize, false)).unwrap();
        }
        let mut released = vec![];
        table.close_from(3, |id| released.push(id));
        assert_eq!(released, vec![FileId(3), FileId(4)]);
        assert_eq!(
            table.iter().map(|(fd, _)| fd).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn close_all_empties_the_table() {
        let mut table = FdTable::new();
        table.install(9, entry(1, false)).unwrap();
        let mut released = 0;
        table.close_all(|_| released += 1);
        assert_eq!((released, table.count()), (1, 0));
    }
}
