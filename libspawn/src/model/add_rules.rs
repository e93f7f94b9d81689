//! The add-time rules of a file actions object, restated as a `Vec` model.
//!
//! The property tests and the fuzz targets check the real object against
//! this model: the documented checks in their documented order
//! (descriptor range, then a free action slot, then the path itself, then
//! path storage), written without looking at `actions.rs`.

extern crate std;

use std::vec::Vec;

use crate::abi::{OPEN_MAX, PATH_MAX};
use crate::actions::FileAction;
use crate::errno::Errno;

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
