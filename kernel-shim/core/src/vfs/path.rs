//! Path resolution: absolute and relative paths, `.`, `..`, trailing slashes.
//!
//! Every directory a lookup passes through must be a directory (ENOTDIR)
//! that the caller may search (EACCES). A path of `PATH_MAX` bytes or more,
//! or with a component longer than `NAME_MAX`, is ENAMETOOLONG; an empty
//! path is ENOENT. There are no symbolic links.

use libspawn::{Errno, Result};
use shim_abi::{NAME_MAX, PATH_MAX};

use super::inode::Ino;
use super::perm::{self, Identity, EXEC};
use super::{Vfs, ROOT};

/// The path separator.
const SLASH: u8 = b'/';

/// The last component of a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Last<'p> {
    /// The path names the root itself (`/`, `//`).
    Root,
    /// `.`
    Dot,
    /// `..`
    DotDot,
    /// An ordinary name (at most `NAME_MAX` bytes, no slash).
    Name(&'p [u8]),
}

/// A path split into the directory holding its last component and that
/// component, for calls that create or remove a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parent<'p> {
    /// The directory: resolved, a directory, searchable by the caller.
    pub dir: Ino,
    /// The last component.
    pub last: Last<'p>,
    /// Whether the path ended with a slash (then it must name a directory).
    pub trailing_slash: bool,
}

impl<'p> Last<'p> {
    fn classify(component: &'p [u8]) -> Last<'p> {
        match component {
            b"." => Last::Dot,
            b".." => Last::DotDot,
            name => Last::Name(name),
        }
    }
}

/// Checks the length rules that apply to the whole path.
fn check_path(path: &[u8]) -> Result<()> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    if path.len() >= PATH_MAX {
        return Err(Errno::ENAMETOOLONG);
    }
    Ok(())
}

impl Vfs {
    /// One lookup step: `name` in `dir`, which must be a searchable
    /// directory.
    fn step(&self, dir: Ino, name: &[u8], who: Identity) -> Result<Ino> {
        self.searchable(dir, who)?;
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        match Last::classify(name) {
            Last::Dot | Last::Root => Ok(dir),
            Last::DotDot => Ok(self.node(dir)?.parent),
            Last::Name(name) => self.lookup(dir, name).ok_or(Errno::ENOENT),
        }
    }

    /// ENOTDIR unless `dir` is a directory, EACCES unless `who` may search it.
    fn searchable(&self, dir: Ino, who: Identity) -> Result<()> {
        let node = self.node(dir)?;
        if !node.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        perm::check(node, who, EXEC)
    }

    /// Resolves all but the last component of `path`, starting at the root
    /// for an absolute path and at `cwd` otherwise.
    pub fn resolve_parent<'p>(
        &self,
        cwd: Ino,
        path: &'p [u8],
        who: Identity,
    ) -> Result<Parent<'p>> {
        check_path(path)?;
        let start = if path.first() == Some(&SLASH) {
            ROOT
        } else {
            cwd
        };
        let trailing_slash = path.last() == Some(&SLASH);
        let mut components = path.split(|&byte| byte == SLASH).filter(|c| !c.is_empty());
        let Some(mut current) = components.next() else {
            return Ok(Parent {
                dir: ROOT,
                last: Last::Root,
                trailing_slash,
            });
        };
        let mut dir = start;
        for next in components {
            dir = self.step(dir, current, who)?;
            current = next;
        }
        self.searchable(dir, who)?;
        if current.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        Ok(Parent {
            dir,
            last: Last::classify(current),
            trailing_slash,
        })
    }

    /// Resolves `path` to an existing inode. A trailing slash requires a
    /// directory (ENOTDIR).
    pub fn resolve(&self, cwd: Ino, path: &[u8], who: Identity) -> Result<Ino> {
        let parent = self.resolve_parent(cwd, path, who)?;
        let ino = self.resolve_last(&parent)?;
        if parent.trailing_slash && !self.node(ino)?.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok(ino)
    }

    /// The inode the last component names, or ENOENT.
    pub fn resolve_last(&self, parent: &Parent<'_>) -> Result<Ino> {
        match parent.last {
            Last::Root => Ok(ROOT),
            Last::Dot => Ok(parent.dir),
            Last::DotDot => Ok(self.node(parent.dir)?.parent),
            Last::Name(name) => self.lookup(parent.dir, name).ok_or(Errno::ENOENT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    const USER: Identity = Identity {
        uid: 1000,
        gid: 1000,
    };

    fn vfs() -> Vfs {
        let mut vfs = Vfs::new();
        vfs.install_file(b"/a/b/file", b"data", 0o644, 0, 0)
            .unwrap();
        vfs
    }

    #[test]
    fn absolute_and_relative_paths_reach_the_same_inode() {
        let vfs = vfs();
        let file = vfs.resolve(ROOT, b"/a/b/file", USER).unwrap();
        let a = vfs.resolve(ROOT, b"/a", USER).unwrap();
        assert_eq!(vfs.resolve(a, b"b/file", USER), Ok(file));
        assert_eq!(vfs.resolve(a, b"./b/../b//file", USER), Ok(file));
    }

    #[test]
    fn dot_dot_at_the_root_stays_at_the_root() {
        let vfs = vfs();
        assert_eq!(vfs.resolve(ROOT, b"/../..", USER), Ok(ROOT));
        assert_eq!(vfs.resolve(ROOT, b"//", USER), Ok(ROOT));
    }

    #[test]
    fn empty_path_is_enoent_and_missing_names_are_enoent() {
        let vfs = vfs();
        assert_eq!(vfs.resolve(ROOT, b"", USER), Err(Errno::ENOENT));
        assert_eq!(vfs.resolve(ROOT, b"/a/nope", USER), Err(Errno::ENOENT));
        assert_eq!(vfs.resolve(ROOT, b"/nope/file", USER), Err(Errno::ENOENT));
    }

    #[test]
    fn a_file_used_as_a_directory_is_enotdir() {
        let vfs = vfs();
        assert_eq!(vfs.resolve(ROOT, b"/a/b/file/x", USER), Err(Errno::ENOTDIR));
        assert_eq!(vfs.resolve(ROOT, b"/a/b/file/", USER), Err(Errno::ENOTDIR));
        assert_eq!(vfs.resolve(ROOT, b"/a/b/file/.", USER), Err(Errno::ENOTDIR));
        assert!(vfs.resolve(ROOT, b"/a/b/", USER).is_ok());
    }

    #[test]
    fn long_paths_and_long_components_are_enametoolong() {
        let vfs = vfs();
        let mut long_path = vec![b'/'];
        long_path.resize(PATH_MAX, b'a');
        assert_eq!(
            vfs.resolve(ROOT, &long_path, USER),
            Err(Errno::ENAMETOOLONG)
        );
        let mut long_name = vec![b'/'];
        long_name.resize(NAME_MAX + 2, b'a');
        assert_eq!(
            vfs.resolve(ROOT, &long_name, USER),
            Err(Errno::ENAMETOOLONG)
        );
        let mut in_middle = long_name.clone();
        in_middle.extend_from_slice(b"/x");
        assert_eq!(
            vfs.resolve(ROOT, &in_middle, USER),
            Err(Errno::ENAMETOOLONG)
        );
        let mut ok_name = vec![b'/'];
        ok_name.resize(NAME_MAX + 1, b'a');
        assert_eq!(vfs.resolve(ROOT, &ok_name, USER), Err(Errno::ENOENT));
    }

    #[test]
    fn unsearchable_directory_on_the_way_is_eacces() {
        let mut vfs = vfs();
        let b = vfs.resolve(ROOT, b"/a/b", USER).unwrap();
        vfs.node_mut(b).unwrap().perm = 0o700;
        assert_eq!(vfs.resolve(ROOT, b"/a/b/file", USER), Err(Errno::EACCES));
        assert_eq!(vfs.resolve(ROOT, b"/a/b", USER), Ok(b));
        assert!(vfs.resolve(ROOT, b"/a/b/file", Identity::ROOT).is_ok());
    }

    #[test]
    fn resolve_parent_splits_off_the_last_component() {
        let vfs = vfs();
        let b = vfs.resolve(ROOT, b"/a/b", USER).unwrap();
        let parent = vfs.resolve_parent(ROOT, b"/a/b/new/", USER).unwrap();
        assert_eq!(parent.dir, b);
        assert_eq!(parent.last, Last::Name(b"new"));
        assert!(parent.trailing_slash);
        assert_eq!(
            vfs.resolve_parent(ROOT, b"/", USER).unwrap().last,
            Last::Root
        );
        assert_eq!(
            vfs.resolve_parent(b, b"..", USER).unwrap().last,
            Last::DotDot
        );
    }
}
