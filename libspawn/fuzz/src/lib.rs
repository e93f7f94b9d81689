//! Shared pieces of the libspawn fuzz targets: hostile argument generators
//! and the `Vec` model of a file actions object that every target checks
//! the real object against.
//!
//! The model restates the documented add-time rules of
//! `libspawn::actions` (descriptor range, then a free action slot, then the
//! path itself, then path storage) without looking at the implementation.

use arbitrary::Arbitrary;
use libspawn::abi::{OPEN_MAX, PATH_MAX};
use libspawn::{Errno, FileAction};

/// A descriptor argument, biased toward the values that matter: small
/// ones that collide, the edges of the table, and anything at all.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Fd {
    /// `-3..13`.
    Small(u8),
    /// One of [`EDGE_FDS`].
    Edge(u8),
    /// Any value.
    Any(i32),
}

/// Descriptors at the edges of what is valid.
pub const EDGE_FDS: [i32; 6] = [-1, i32::MIN, OPEN_MAX - 1, OPEN_MAX, OPEN_MAX + 1, i32::MAX];

impl Fd {
    /// The descriptor.
    pub fn get(self) -> i32 {
        match self {
            Fd::Small(n) => i32::from(n % 16) - 3,
            Fd::Edge(n) => EDGE_FDS[usize::from(n) % EDGE_FDS.len()],
            Fd::Any(fd) => fd,
        }
    }
}

/// A path argument as Rust passes it: a byte string, short, or at the
/// `PATH_MAX` edge.
#[derive(Arbitrary, Clone, Debug)]
pub enum PathBytes {
    /// These bytes (NULs included).
    Bytes(Vec<u8>),
    /// `PATH_MAX - 2 + (delta % 4)` copies of `byte` (so just below, at and
    /// just above the limit).
    Long {
        /// Selects the length around `PATH_MAX`.
        delta: u8,
        /// The filler byte (a NUL makes the path invalid too).
        byte: u8,
    },
}

impl PathBytes {
    /// The path's bytes.
    pub fn bytes(&self) -> Vec<u8> {
        match self {
            PathBytes::Bytes(bytes) => bytes.clone(),
            PathBytes::Long { delta, byte } => vec![*byte; PATH_MAX - 2 + usize::from(delta % 4)],
        }
    }
}

/// One add on a file actions object, with owned arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Add {
    /// `add_open(fd, path, oflag, mode)`.
    Open(i32, Vec<u8>, i32, u32),
    /// `add_close(fd)`.
    Close(i32),
    /// `add_dup2(fd, new_fd)`.
    Dup2(i32, i32),
    /// `add_chdir(path)`.
    Chdir(Vec<u8>),
    /// `add_fchdir(fd)`.
    Fchdir(i32),
    /// `add_closefrom(low_fd)`.
    CloseFrom(i32),
}

/// An action as the `Vec` model keeps it (what reading the object back
/// must give).
pub type Owned = Add;

/// The owned form of an action read back from an object.
pub fn owned(action: FileAction<'_>) -> Owned {
    match action {
        FileAction::Open {
            fd,
            path,
            oflag,
            mode,
        } => Add::Open(fd, path.to_vec(), oflag, mode),
        FileAction::Close { fd } => Add::Close(fd),
        FileAction::Dup2 { fd, new_fd } => Add::Dup2(fd, new_fd),
        FileAction::Chdir { path } => Add::Chdir(path.to_vec()),
        FileAction::Fchdir { fd } => Add::Fchdir(fd),
        FileAction::CloseFrom { low_fd } => Add::CloseFrom(low_fd),
    }
}

/// Whether `fd` names a slot of the descriptor table.
fn in_table(fd: i32) -> bool {
    (0..OPEN_MAX).contains(&fd)
}

/// Bytes of path storage the actions in `model` use.
pub fn path_bytes(model: &[Owned]) -> usize {
    model
        .iter()
        .map(|action| match action {
            Add::Open(_, path, ..) | Add::Chdir(path) => path.len(),
            _ => 0,
        })
        .sum()
}

/// What `add` must do to an object holding `model`, with room for
/// `max_actions` actions and `max_path_bytes` bytes of paths: the action it
/// appends, or its error. The documented checks, in order: descriptors
/// (EBADF), a free action slot (ENOMEM), the path (ENAMETOOLONG at
/// `PATH_MAX` bytes, EINVAL for a NUL), path storage (ENOMEM).
pub fn expected_add(
    add: &Add,
    model: &[Owned],
    max_actions: usize,
    max_path_bytes: usize,
) -> Result<Owned, Errno> {
    let fd_ok = |ok: bool| if ok { Ok(()) } else { Err(Errno::EBADF) };
    let room = || {
        if model.len() < max_actions {
            Ok(())
        } else {
            Err(Errno::ENOMEM)
        }
    };
    let path_ok = |path: &[u8]| {
        if path.len() >= PATH_MAX {
            Err(Errno::ENAMETOOLONG)
        } else if path.contains(&0) {
            Err(Errno::EINVAL)
        } else if path_bytes(model) + path.len() > max_path_bytes {
            Err(Errno::ENOMEM)
        } else {
            Ok(())
        }
    };
    match add {
        Add::Open(fd, path, ..) => {
            fd_ok(in_table(*fd))?;
            room()?;
            path_ok(path)?;
        }
        Add::Close(fd) | Add::Fchdir(fd) => {
            fd_ok(in_table(*fd))?;
            room()?;
        }
        Add::Dup2(fd, new_fd) => {
            fd_ok(in_table(*fd) && in_table(*new_fd))?;
            room()?;
        }
        Add::Chdir(path) => {
            room()?;
            path_ok(path)?;
        }
        Add::CloseFrom(low_fd) => {
            fd_ok(*low_fd >= 0)?;
            room()?;
        }
    }
    Ok(add.clone())
}

/// Checks the capacities and that `actions` reads back as `model`, in
/// order. Panics with a description otherwise.
pub fn assert_matches_model(
    actions: libspawn::ActionList<'_>,
    model: &[Owned],
    max_actions: usize,
    max_path_bytes: usize,
) {
    assert!(actions.len() <= max_actions, "{} actions", actions.len());
    assert!(
        actions.paths().len() <= max_path_bytes,
        "{} path bytes",
        actions.paths().len()
    );
    assert_eq!(
        actions.paths().len(),
        path_bytes(model),
        "path bytes in use"
    );
    let read_back: Vec<Owned> = actions.iter().map(owned).collect();
    assert_eq!(read_back, model, "actions read back");
    assert_eq!(actions.len(), model.len());
    let checked = libspawn::ActionList::new(actions.records(), actions.paths());
    assert_eq!(checked, Ok(actions), "the records no longer pass the check");
}
