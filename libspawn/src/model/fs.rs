//! The model's file system: directories and regular files held in memory.
//!
//! Nodes live in an arena and are never freed (nothing in a spawn unlinks a
//! file). Every node has permission bits and an owner, so lookups and opens
//! can fail with EACCES the way a real kernel's would.
//!
//! Path rules, as a porter's kernel applies them:
//! - an empty path is ENOENT;
//! - a path starting with `/` starts at the root, any other at the cwd;
//! - empty components and `.` stay where they are, `..` goes to the parent
//!   (the root's parent is the root);
//! - looking a name up in a directory needs search (`x`) permission on that
//!   directory (EACCES), and a non-directory in the middle is ENOTDIR;
//! - a trailing `/` requires the final node to be a directory (ENOTDIR).
//!
//! Permission checks use the effective ids. Effective uid 0 passes every
//! check; otherwise the owner bits apply to the owner, the group bits to the
//! group, and the other bits to everyone else. Supplementary groups are not
//! modelled.

extern crate std;

use std::collections::BTreeMap;
use std::string::String;
use std::vec::Vec;

use crate::errno::{Errno, Result};

/// Index of a node in the arena.
pub type NodeId = usize;

/// The root directory.
pub const ROOT: NodeId = 0;

/// Read permission, as an `rwx` triple bit.
pub const READ: u32 = 0o4;
/// Write permission, as an `rwx` triple bit.
pub const WRITE: u32 = 0o2;
/// Search (directories) or execute (files) permission.
pub const SEARCH: u32 = 0o1;

/// What a node holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A directory: its parent and its entries by name.
    Dir {
        /// The directory holding this one (the root is its own parent).
        parent: NodeId,
        /// Entries, by name.
        entries: BTreeMap<Vec<u8>, NodeId>,
    },
    /// A regular file and its bytes.
    File {
        /// The file's contents.
        data: Vec<u8>,
    },
}

/// One file or directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Directory or regular file.
    pub kind: NodeKind,
    /// Permission bits (`0o7777` at most).
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Absolute path at creation, for test messages and queries.
    pub path: String,
}

impl Node {
    /// Whether this node is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir { .. })
    }
}

/// The effective ids a permission check is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cred {
    /// Effective user id.
    pub uid: u32,
    /// Effective group id.
    pub gid: u32,
}

/// An in-memory tree of directories and regular files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSystem {
    nodes: Vec<Node>,
}

impl Default for FileSystem {
    fn default() -> Self {
        FileSystem::new()
    }
}

impl FileSystem {
    /// A file system holding only the root directory (mode 0755, owner 0).
    pub fn new() -> FileSystem {
        let root = Node {
            kind: NodeKind::Dir {
                parent: ROOT,
                entries: BTreeMap::new(),
            },
            mode: 0o755,
            uid: 0,
            gid: 0,
            path: String::from("/"),
        };
        FileSystem {
            nodes: std::vec![root],
        }
    }

    /// The node `id`. Panics for an id this file system never handed out.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The node `id`, mutably.
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id]
    }

    /// Whether `cred` has every permission in `want` (a mix of [`READ`],
    /// [`WRITE`] and [`SEARCH`]) on node `id`.
    pub fn permits(&self, id: NodeId, cred: Cred, want: u32) -> bool {
        let node = self.node(id);
        if cred.uid == 0 {
            return true;
        }
        let bits = if cred.uid == node.uid {
            node.mode >> 6
        } else if cred.gid == node.gid {
            node.mode >> 3
        } else {
            node.mode
        };
        bits & want == want
    }

    /// Looks `name` up in directory `dir`: ENOTDIR if `dir` is not a
    /// directory, EACCES without search permission on it, `None` if there is
    /// no such entry.
    pub fn lookup(&self, dir: NodeId, name: &[u8], cred: Cred) -> Result<Option<NodeId>> {
        let NodeKind::Dir { parent, entries } = &self.node(dir).kind else {
            return Err(Errno::ENOTDIR);
        };
        if !self.permits(dir, cred, SEARCH) {
            return Err(Errno::EACCES);
        }
        Ok(match name {
            b"" | b"." => Some(dir),
            b".." => Some(*parent),
            _ => entries.get(name).copied(),
        })
    }

    /// Resolves every component of `path` but the last, starting at `cwd`
    /// (or at the root for an absolute path), and returns that directory and
    /// the last component. The path `/` gives the root and `.`.
    pub fn resolve_parent<'p>(
        &self,
        cwd: NodeId,
        path: &'p [u8],
        cred: Cred,
    ) -> Result<(NodeId, &'p [u8])> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        let mut at = if path.starts_with(b"/") { ROOT } else { cwd };
        let mut names = path.split(|&b| b == b'/').filter(|name| !name.is_empty());
        let mut last: &'p [u8] = b".";
        for name in names.by_ref() {
            // Step into the previous component, now that we know it is not
            // the last one.
            if last != b"." {
                at = self.lookup(at, last, cred)?.ok_or(Errno::ENOENT)?;
            }
            last = name;
        }
        Ok((at, last))
    }

    /// Resolves `path` to an existing node (see the module rules).
    pub fn resolve(&self, cwd: NodeId, path: &[u8], cred: Cred) -> Result<NodeId> {
        let (dir, name) = self.resolve_parent(cwd, path, cred)?;
        let node = self.lookup(dir, name, cred)?.ok_or(Errno::ENOENT)?;
        if path.ends_with(b"/") && !self.node(node).is_dir() {
            return Err(Errno::ENOTDIR);
        }
        Ok(node)
    }

    /// Adds a node called `name` to directory `dir`, which must not have
    /// such an entry yet. Permission checks are the caller's.
    pub fn create(
        &mut self,
        dir: NodeId,
        name: &[u8],
        directory: bool,
        mode: u32,
        cred: Cred,
    ) -> NodeId {
        let id = self.nodes.len();
        let parent_path = &self.node(dir).path;
        let mut path = parent_path.clone();
        if !path.ends_with('/') {
            path.push('/');
        }
        path.push_str(&String::from_utf8_lossy(name));
        let kind = if directory {
            NodeKind::Dir {
                parent: dir,
                entries: BTreeMap::new(),
            }
        } else {
            NodeKind::File { data: Vec::new() }
        };
        self.nodes.push(Node {
            kind,
            mode: mode & 0o7777,
            uid: cred.uid,
            gid: cred.gid,
            path,
        });
        if let NodeKind::Dir { entries, .. } = &mut self.node_mut(dir).kind {
            entries.insert(name.to_vec(), id);
        }
        id
    }
}
