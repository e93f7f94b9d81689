//! Open file descriptions: what descriptors share after `dup`, with
//! reference counts and the system-wide count.
//!
//! A description holds the file (an inode, or one end of a pipe), the
//! access mode and status flags (O_APPEND, O_NONBLOCK) and the offset.
//! Descriptors in any process refer to it by [`FileId`]; it goes when the
//! last one closes, and the caller then releases what it held (see
//! [`FileTable::release`]).

use libspawn::{Errno, Result};
use shim_abi::fcntl::{O_ACCMODE, O_APPEND, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY};

use crate::pipe::PipeId;
use crate::slab::Slab;
use crate::vfs::Ino;

/// Most open file descriptions in the system (ENFILE beyond).
pub const MAX_OPEN_FILES: usize = 4096;
/// The status flags a description keeps, which F_GETFL reports.
pub const KEPT_FLAGS: i32 = O_ACCMODE | O_APPEND | O_NONBLOCK;
/// The status flags F_SETFL may change.
pub const SETFL_FLAGS: i32 = O_APPEND | O_NONBLOCK;

/// The id of an open file description.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub(crate) usize);

/// What a description is open on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A file, directory or device in the VFS (pinned while open).
    Inode(Ino),
    /// The read end of a pipe.
    PipeRead(PipeId),
    /// The write end of a pipe.
    PipeWrite(PipeId),
}

/// One open file description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenFile {
    /// What it is open on.
    pub kind: FileKind,
    /// Access mode and status flags ([`KEPT_FLAGS`] of the open flags).
    pub flags: i32,
    /// The file offset (unused for pipes and devices).
    pub offset: u64,
    refs: u32,
}

impl OpenFile {
    /// Whether it was opened for reading.
    pub fn readable(&self) -> bool {
        matches!(self.flags & O_ACCMODE, O_RDONLY | O_RDWR)
    }

    /// Whether it was opened for writing.
    pub fn writable(&self) -> bool {
        matches!(self.flags & O_ACCMODE, O_WRONLY | O_RDWR)
    }

    /// Whether every write appends.
    pub fn append(&self) -> bool {
        self.flags & O_APPEND != 0
    }

    /// Whether reads and writes fail with EAGAIN instead of blocking.
    pub fn nonblocking(&self) -> bool {
        self.flags & O_NONBLOCK != 0
    }

    /// Number of descriptors (in all processes) referring to it.
    pub fn refs(&self) -> u32 {
        self.refs
    }
}

/// Every open file description in the system.
#[derive(Clone, Debug)]
pub struct FileTable {
    files: Slab<OpenFile>,
}

impl Default for FileTable {
    fn default() -> Self {
        FileTable::new()
    }
}

impl FileTable {
    /// No open files.
    pub const fn new() -> FileTable {
        FileTable {
            files: Slab::new(MAX_OPEN_FILES),
        }
    }

    /// A new description with one reference. ENFILE when the table is full.
    pub fn insert(&mut self, kind: FileKind, flags: i32) -> Result<FileId> {
        let file = OpenFile {
            kind,
            flags: flags & KEPT_FLAGS,
            offset: 0,
            refs: 1,
        };
        Ok(FileId(self.files.insert(file, Errno::ENFILE)?))
    }

    /// Whether a new description would be refused (ENFILE).
    pub fn is_full(&self) -> bool {
        self.files.len() >= MAX_OPEN_FILES
    }

    /// The description `id`; EBADF if it is gone.
    pub fn get(&self, id: FileId) -> Result<&OpenFile> {
        self.files.get(id.0).ok_or(Errno::EBADF)
    }

    /// The description `id`, mutably.
    pub fn get_mut(&mut self, id: FileId) -> Result<&mut OpenFile> {
        self.files.get_mut(id.0).ok_or(Errno::EBADF)
    }

    /// One more descriptor refers to `id`.
    pub fn retain(&mut self, id: FileId) {
        if let Some(file) = self.files.get_mut(id.0) {
            file.refs += 1;
        }
    }

    /// One descriptor fewer refers to `id`. When it was the last, the
    /// description is removed and what it was open on is returned, for the
    /// caller to release (unpin the inode, drop the pipe end).
    pub fn release(&mut self, id: FileId) -> Option<FileKind> {
        let file = self.files.get_mut(id.0)?;
        file.refs -= 1;
        if file.refs > 0 {
            return None;
        }
        self.files.remove(id.0).map(|file| file.kind)
    }

    /// Number of open file descriptions (`KernelStats::open_files`).
    pub fn count(&self) -> usize {
        self.files.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim_abi::fcntl::{O_CREAT, O_TRUNC};

    #[test]
    fn only_access_mode_and_status_flags_are_kept() {
        let mut files = FileTable::new();
        let id = files
            .insert(
                FileKind::Inode(Ino(0)),
                O_RDWR | O_CREAT | O_TRUNC | O_APPEND,
            )
            .unwrap();
        assert_eq!(files.get(id).unwrap().flags, O_RDWR | O_APPEND);
    }

    #[test]
    fn access_mode_decides_readable_and_writable() {
        let mut files = FileTable::new();
        let ro = files.insert(FileKind::Inode(Ino(0)), O_RDONLY).unwrap();
        let wo = files.insert(FileKind::Inode(Ino(0)), O_WRONLY).unwrap();
        let rw = files.insert(FileKind::Inode(Ino(0)), O_RDWR).unwrap();
        let ro = files.get(ro).unwrap();
        let wo = files.get(wo).unwrap();
        let rw = files.get(rw).unwrap();
        assert!(ro.readable() && !ro.writable());
        assert!(!wo.readable() && wo.writable());
        assert!(rw.readable() && rw.writable());
    }

    #[test]
    fn release_returns_the_kind_only_for_the_last_reference() {
        let mut files = FileTable::new();
        let kind = FileKind::Inode(Ino(3));
        let id = files.insert(kind, O_RDONLY).unwrap();
        files.retain(id);
        assert_eq!(files.release(id), None);
        assert_eq!(files.count(), 1);
        assert_eq!(files.release(id), Some(kind));
        assert_eq!(files.count(), 0);
        assert_eq!(files.get(id).err(), Some(Errno::EBADF));
    }
}
