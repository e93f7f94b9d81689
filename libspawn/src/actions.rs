//! `FileActions`: the spawn file actions object (`posix_spawn_file_actions_t`).
//!
//! Actions are kept, in the order they were added, as [`ActionRecord`]s in a
//! fixed-capacity `heapless::Vec`; the paths of `open` and `chdir` actions are
//! copied into a second fixed-capacity byte store and named by offset and
//! length. Both arrays are exactly what the kernel receives, so a spawn passes
//! the object without converting it.
//!
//! Every `add_*` either appends one action or returns an error and leaves the
//! object exactly as it was: capacity is checked before anything is written.
//! Descriptors are checked only for range here; whether they are open is found
//! out at spawn time (POSIX: "It shall not be considered an error for the
//! fildes argument ... to specify a file descriptor for which the specified
//! operation could not be performed at the time of the call").
#![forbid(unsafe_code)]

use crate::abi::{action_kind, ActionRecord, OPEN_MAX, PATH_MAX};
use crate::errno::{Errno, Result};

/// One file action, as seen when reading an object back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAction<'a> {
    /// Close `fd` if open, then open `path` and move the result onto `fd`.
    Open {
        /// Target descriptor.
        fd: i32,
        /// Path, without its NUL.
        path: &'a [u8],
        /// `open` flags (`O_*`).
        oflag: i32,
        /// Mode for a created file.
        mode: u32,
    },
    /// Close `fd`; not an error if it is not open (Austin Group 370).
    Close {
        /// Descriptor to close.
        fd: i32,
    },
    /// `dup2(fd, new_fd)`; with `fd == new_fd` it clears FD_CLOEXEC.
    Dup2 {
        /// Source descriptor.
        fd: i32,
        /// Target descriptor.
        new_fd: i32,
    },
    /// Change the working directory to `path`.
    Chdir {
        /// Path, without its NUL.
        path: &'a [u8],
    },
    /// Change the working directory to the directory open on `fd`.
    Fchdir {
        /// Descriptor of a directory.
        fd: i32,
    },
    /// Close every descriptor `>= low_fd`.
    CloseFrom {
        /// Lowest descriptor to close.
        low_fd: i32,
    },
}

/// Whether `fd` can name a slot of the descriptor table.
const fn fd_in_table(fd: i32) -> bool {
    fd >= 0 && fd < OPEN_MAX
}

/// EBADF unless `fd` can name a slot of the descriptor table.
const fn check_table_fd(fd: i32) -> Result<()> {
    if fd_in_table(fd) {
        Ok(())
    } else {
        Err(Errno::EBADF)
    }
}

/// Checks a path for storage: ENAMETOOLONG when it cannot fit in PATH_MAX
/// with its NUL, EINVAL when it holds a NUL byte (C could not express it).
fn check_path(path: &[u8]) -> Result<()> {
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    if path.contains(&0) {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

impl<'a> FileAction<'a> {
    /// Decodes and checks one record against the path storage it refers to.
    /// EINVAL for an unknown kind, a descriptor out of range, a path outside
    /// the storage, or a path that could not have been added.
    #[inline]
    pub fn decode(record: &ActionRecord, paths: &'a [u8]) -> Result<FileAction<'a>> {
        let path = || -> Result<&'a [u8]> {
            let start = usize::try_from(record.path_offset).map_err(|_| Errno::EINVAL)?;
            let len = usize::try_from(record.path_len).map_err(|_| Errno::EINVAL)?;
            let end = start.checked_add(len).ok_or(Errno::EINVAL)?;
            let path = paths.get(start..end).ok_or(Errno::EINVAL)?;
            check_path(path).map_err(|_| Errno::EINVAL)?;
            Ok(path)
        };
        let table_fd = |fd: i32| {
            if fd_in_table(fd) {
                Ok(fd)
            } else {
                Err(Errno::EINVAL)
            }
        };
        let action = match record.kind {
            action_kind::OPEN => FileAction::Open {
                fd: table_fd(record.fd)?,
                path: path()?,
                oflag: record.oflag,
                mode: record.mode,
            },
            action_kind::CLOSE => FileAction::Close {
                fd: table_fd(record.fd)?,
            },
            action_kind::DUP2 => FileAction::Dup2 {
                fd: table_fd(record.fd)?,
                new_fd: table_fd(record.arg)?,
            },
            action_kind::CHDIR => FileAction::Chdir { path: path()? },
            action_kind::FCHDIR => FileAction::Fchdir {
                fd: table_fd(record.fd)?,
            },
            action_kind::CLOSEFROM if record.fd >= 0 => FileAction::CloseFrom { low_fd: record.fd },
            _ => return Err(Errno::EINVAL),
        };
        Ok(action)
    }
}

/// A checked, borrowed list of actions: what the executor runs. Made from a
/// [`FileActions`] object, or by the kernel from arrays copied from a user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionList<'a> {
    records: &'a [ActionRecord],
    paths: &'a [u8],
}

impl<'a> ActionList<'a> {
    /// An empty list.
    pub const EMPTY: ActionList<'static> = ActionList {
        records: &[],
        paths: &[],
    };

    /// Checks every record (see [`FileAction::decode`]); EINVAL if any is
    /// malformed.
    pub fn new(records: &'a [ActionRecord], paths: &'a [u8]) -> Result<ActionList<'a>> {
        for record in records {
            FileAction::decode(record, paths)?;
        }
        Ok(ActionList { records, paths })
    }

    /// The records, in order.
    pub const fn records(&self) -> &'a [ActionRecord] {
        self.records
    }

    /// The path storage the records refer to.
    pub const fn paths(&self) -> &'a [u8] {
        self.paths
    }

    /// Number of actions.
    pub const fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are no actions.
    pub const fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The actions, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = FileAction<'a>> + 'a {
        let paths = self.paths;
        // Every record was checked in `new`, so decoding cannot fail here.
        self.records
            .iter()
            .filter_map(move |record| FileAction::decode(record, paths).ok())
    }
}

/// A spawn file actions object holding at most `ACTIONS` actions and
/// `PATH_BYTES` bytes of paths (stored without NUL).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileActions<const ACTIONS: usize, const PATH_BYTES: usize> {
    records: heapless::Vec<ActionRecord, ACTIONS>,
    paths: heapless::Vec<u8, PATH_BYTES>,
}

impl<const ACTIONS: usize, const PATH_BYTES: usize> FileActions<ACTIONS, PATH_BYTES> {
    /// An empty object.
    pub const fn new() -> Self {
        FileActions {
            records: heapless::Vec::new(),
            paths: heapless::Vec::new(),
        }
    }

    /// Maximum number of actions.
    pub const fn capacity(&self) -> usize {
        ACTIONS
    }

    /// Maximum bytes of path storage.
    pub const fn path_capacity(&self) -> usize {
        PATH_BYTES
    }

    /// Number of actions added.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no action was added.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes of path storage in use.
    pub fn path_bytes_used(&self) -> usize {
        self.paths.len()
    }

    /// Removes every action.
    pub fn clear(&mut self) {
        self.records.clear();
        self.paths.clear();
    }

    /// The actions as a checked list, for the executor or the kernel.
    pub fn as_list(&self) -> ActionList<'_> {
        ActionList {
            records: &self.records,
            paths: &self.paths,
        }
    }

    /// The actions, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = FileAction<'_>> + '_ {
        self.as_list().iter()
    }

    /// Appends `record`, first copying `path` (if any) into path storage.
    /// ENOMEM, with no change, when either store is full.
    fn push(&mut self, mut record: ActionRecord, path: Option<&[u8]>) -> Result<()> {
        if self.records.is_full() {
            return Err(Errno::ENOMEM);
        }
        if let Some(path) = path {
            check_path(path)?;
            let offset = self.paths.len();
            // Both fit in u32: PATH_BYTES bounds the offset, PATH_MAX the length.
            record.path_offset = u32::try_from(offset).map_err(|_| Errno::ENOMEM)?;
            record.path_len = u32::try_from(path.len()).map_err(|_| Errno::ENAMETOOLONG)?;
            self.paths
                .extend_from_slice(path)
                .map_err(|_| Errno::ENOMEM)?;
        }
        // Cannot fail: fullness was checked above and nothing was pushed since.
        self.records.push(record).map_err(|_| Errno::ENOMEM)
    }

    /// Adds "close `fd` if open, open `path` with `oflag` and `mode`, and
    /// move the result onto `fd`". The path is copied.
    ///
    /// # Errors
    /// EBADF if `fd` is negative or `>= OPEN_MAX`; ENAMETOOLONG if `path` is
    /// `PATH_MAX` bytes or longer; EINVAL if it contains a NUL; ENOMEM if the
    /// object is full.
    pub fn add_open(&mut self, fd: i32, path: &[u8], oflag: i32, mode: u32) -> Result<()> {
        check_table_fd(fd)?;
        let record = ActionRecord {
            kind: action_kind::OPEN,
            fd,
            oflag,
            mode,
            ..ActionRecord::default()
        };
        self.push(record, Some(path))
    }

    /// Adds "close `fd`". Closing a descriptor that is not open at spawn
    /// time is not an error.
    ///
    /// # Errors
    /// EBADF if `fd` is negative, or `>= OPEN_MAX` (such a descriptor can
    /// never be open here: POSIX recommends EBADF where OPEN_MAX is fixed);
    /// ENOMEM if the object is full.
    pub fn add_close(&mut self, fd: i32) -> Result<()> {
        check_table_fd(fd)?;
        self.push(simple(action_kind::CLOSE, fd, 0), None)
    }

    /// Adds "`dup2(fd, new_fd)`"; with `fd == new_fd` the action clears
    /// FD_CLOEXEC on `fd` instead (Austin Group 411).
    ///
    /// # Errors
    /// EBADF if either descriptor is negative or `>= OPEN_MAX`; ENOMEM if
    /// the object is full.
    pub fn add_dup2(&mut self, fd: i32, new_fd: i32) -> Result<()> {
        check_table_fd(fd)?;
        check_table_fd(new_fd)?;
        self.push(simple(action_kind::DUP2, fd, new_fd), None)
    }

    /// Adds "change the working directory to `path`". The path is copied.
    ///
    /// # Errors
    /// ENAMETOOLONG if `path` is `PATH_MAX` bytes or longer; EINVAL if it
    /// contains a NUL; ENOMEM if the object is full.
    pub fn add_chdir(&mut self, path: &[u8]) -> Result<()> {
        self.push(simple(action_kind::CHDIR, 0, 0), Some(path))
    }

    /// Adds "change the working directory to the directory open on `fd`".
    ///
    /// # Errors
    /// EBADF if `fd` is negative or `>= OPEN_MAX`; ENOMEM if the object is
    /// full.
    pub fn add_fchdir(&mut self, fd: i32) -> Result<()> {
        check_table_fd(fd)?;
        self.push(simple(action_kind::FCHDIR, fd, 0), None)
    }

    /// Adds "close every descriptor `>= low_fd`". A bound at or above
    /// OPEN_MAX is accepted and closes nothing.
    ///
    /// # Errors
    /// EBADF if `low_fd` is negative; ENOMEM if the object is full.
    pub fn add_closefrom(&mut self, low_fd: i32) -> Result<()> {
        if low_fd < 0 {
            return Err(Errno::EBADF);
        }
        self.push(simple(action_kind::CLOSEFROM, low_fd, 0), None)
    }
}

/// A record with no path.
const fn simple(kind: u32, fd: i32, arg: i32) -> ActionRecord {
    ActionRecord {
        kind,
        fd,
        arg,
        oflag: 0,
        mode: 0,
        path_offset: 0,
        path_len: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::fcntl::O_RDONLY;

    type Small = FileActions<4, 16>;

    // Checklist item 11.
    // Checklist item 12.
    #[test]
    fn addclose_negative_fd_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_close(-1), Err(Errno::EBADF));
        assert_eq!(fa.add_close(-2), Err(Errno::EBADF));
        assert!(fa.is_empty());
    }

    // Checklist item 13.
    // Implementation-defined; we follow POSIX's advice for a fixed OPEN_MAX
    // (and glibc).
    #[test]
    fn addclose_open_max_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_close(OPEN_MAX), Err(Errno::EBADF));
        assert_eq!(fa.add_close(OPEN_MAX - 1), Ok(()));
    }

    // Checklist item 14.
    #[test]
    fn addopen_negative_fd_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(
            fa.add_open(-1, b"/dev/null", O_RDONLY, 0),
            Err(Errno::EBADF)
        );
        assert!(fa.is_empty());
        assert_eq!(fa.path_bytes_used(), 0);
    }

    // Checklist item 15.
    #[test]
    fn addopen_open_max_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(
            fa.add_open(OPEN_MAX, b"/dev/null", O_RDONLY, 0),
            Err(Errno::EBADF)
        );
        assert!(fa.is_empty());
    }

    // Checklist item 16.
    #[test]
    fn adddup2_negative_fd_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_dup2(-1, 1), Err(Errno::EBADF));
        assert_eq!(fa.add_dup2(1, -1), Err(Errno::EBADF));
        assert!(fa.is_empty());
    }

    // Checklist item 17.
    #[test]
    fn adddup2_open_max_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_dup2(1, OPEN_MAX), Err(Errno::EBADF));
        assert_eq!(fa.add_dup2(OPEN_MAX, 1), Err(Errno::EBADF));
        assert!(fa.is_empty());
    }

    // Checklist item 18.
    #[test]
    fn addfchdir_negative_fd_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_fchdir(-1), Err(Errno::EBADF));
        assert!(fa.is_empty());
    }

    // Checklist item 19.
    #[test]
    fn addclosefrom_negative_fd_is_ebadf() {
        let mut fa = Small::new();
        assert_eq!(fa.add_closefrom(-1), Err(Errno::EBADF));
        assert_eq!(fa.add_closefrom(OPEN_MAX + 10), Ok(()));
    }

    // Checklist item 20.
    // Add-time checks never look at the descriptor table.
    #[test]
    fn actions_on_valid_but_closed_fds_are_accepted() {
        let mut fa = Small::new();
        assert_eq!(fa.add_close(900), Ok(()));
        assert_eq!(fa.add_dup2(901, 902), Ok(()));
        assert_eq!(fa.add_fchdir(903), Ok(()));
        assert_eq!(fa.len(), 3);
    }

    // Checklist item 21.
    #[test]
    fn addopen_copies_the_path() {
        let mut fa = Small::new();
        let mut buf = *b"/tmp/a";
        fa.add_open(3, &buf, O_RDONLY, 0).unwrap();
        buf.copy_from_slice(b"/xxx/b");
        assert_eq!(
            fa.iter().next(),
            Some(FileAction::Open {
                fd: 3,
                path: b"/tmp/a",
                oflag: O_RDONLY,
                mode: 0
            })
        );
    }

    // Checklist item 22.
    #[test]
    fn addchdir_copies_the_path() {
        let mut fa = Small::new();
        let mut buf = *b"/sub";
        fa.add_chdir(&buf).unwrap();
        buf.copy_from_slice(b"/bad");
        assert_eq!(fa.iter().next(), Some(FileAction::Chdir { path: b"/sub" }));
    }

    // Checklist item 23.
    // The Rust object's analogue of init, destroy, init again.
    #[test]
    fn cleared_object_is_empty_and_usable() {
        let mut fa = Small::new();
        fa.add_chdir(b"/a").unwrap();
        fa.clear();
        assert!(fa.is_empty());
        assert_eq!(fa.path_bytes_used(), 0);
        fa.add_close(1).unwrap();
        assert_eq!(fa.iter().collect::<Vec<_>>(), [FileAction::Close { fd: 1 }]);
    }

    #[test]
    fn path_of_path_max_bytes_is_enametoolong() {
        let mut fa = FileActions::<4, { 2 * PATH_MAX }>::new();
        let long = [b'a'; PATH_MAX];
        assert_eq!(fa.add_open(0, &long, O_RDONLY, 0), Err(Errno::ENAMETOOLONG));
        assert_eq!(fa.add_chdir(&long), Err(Errno::ENAMETOOLONG));
        assert!(fa.is_empty());
        assert_eq!(fa.add_chdir(&long[1..]), Ok(()));
    }

    #[test]
    fn path_with_nul_is_einval() {
        let mut fa = Small::new();
        assert_eq!(fa.add_chdir(b"a\0b"), Err(Errno::EINVAL));
        assert!(fa.is_empty());
    }

    #[test]
    fn full_action_storage_is_enomem_and_changes_nothing() {
        let mut fa = Small::new();
        for fd in 0..4 {
            fa.add_close(fd).unwrap();
        }
        let before = fa.clone();
        assert_eq!(fa.add_close(9), Err(Errno::ENOMEM));
        assert_eq!(fa.add_chdir(b"/"), Err(Errno::ENOMEM));
        assert_eq!(fa, before);
    }

    #[test]
    fn full_path_storage_is_enomem_and_changes_nothing() {
        let mut fa = Small::new();
        fa.add_chdir(b"0123456789").unwrap();
        let before = fa.clone();
        assert_eq!(fa.add_open(1, b"abcdefgh", O_RDONLY, 0), Err(Errno::ENOMEM));
        assert_eq!(fa, before);
        assert_eq!(fa.add_open(1, b"abcdef", O_RDONLY, 0), Ok(()));
        assert_eq!(fa.path_bytes_used(), 16);
    }

    #[test]
    fn actions_are_kept_in_the_order_added() {
        let mut fa = FileActions::<8, 64>::new();
        fa.add_closefrom(5).unwrap();
        fa.add_open(4, b"f", O_RDONLY, 0o600).unwrap();
        fa.add_dup2(4, 5).unwrap();
        fa.add_chdir(b"d").unwrap();
        fa.add_fchdir(4).unwrap();
        fa.add_close(4).unwrap();
        let expected = [
            FileAction::CloseFrom { low_fd: 5 },
            FileAction::Open {
                fd: 4,
                path: b"f",
                oflag: O_RDONLY,
                mode: 0o600,
            },
            FileAction::Dup2 { fd: 4, new_fd: 5 },
            FileAction::Chdir { path: b"d" },
            FileAction::Fchdir { fd: 4 },
            FileAction::Close { fd: 4 },
        ];
        assert_eq!(fa.iter().collect::<Vec<_>>(), expected);
    }

    #[test]
    fn action_list_accepts_records_from_an_object() {
        let mut fa = Small::new();
        fa.add_open(1, b"/x", O_RDONLY, 0).unwrap();
        fa.add_dup2(1, 2).unwrap();
        let list = fa.as_list();
        let checked = ActionList::new(list.records(), list.paths()).unwrap();
        assert_eq!(checked, list);
        assert_eq!(checked.len(), 2);
    }

    #[test]
    fn action_list_rejects_malformed_records() {
        let paths = b"/abc";
        let open = ActionRecord {
            kind: action_kind::OPEN,
            fd: 1,
            path_offset: 0,
            path_len: 4,
            ..ActionRecord::default()
        };
        let bad = [
            ActionRecord { kind: 0, ..open },
            ActionRecord { kind: 77, ..open },
            ActionRecord { fd: -1, ..open },
            ActionRecord {
                fd: OPEN_MAX,
                ..open
            },
            ActionRecord {
                path_len: 5,
                ..open
            },
            ActionRecord {
                path_offset: u32::MAX,
                ..open
            },
            ActionRecord {
                kind: action_kind::DUP2,
                arg: -5,
                ..open
            },
            ActionRecord {
                kind: action_kind::CLOSEFROM,
                fd: -1,
                ..open
            },
        ];
        assert!(ActionList::new(&[open], paths).is_ok());
        for record in bad {
            assert_eq!(
                ActionList::new(&[open, record], paths),
                Err(Errno::EINVAL),
                "{record:?}"
            );
        }
        let nul_path = b"/a\0c";
        assert_eq!(ActionList::new(&[open], nul_path), Err(Errno::EINVAL));
    }
}
