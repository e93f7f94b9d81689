//! `link(old, new)` and `readlink(path)`: hard links, and the answer
//! about symbolic links in a file system that has none.

use libspawn::{Errno, Result};

use super::path::Last;
use super::perm::Identity;
use super::{Ino, Vfs};

/// Most links a file may have (EMLINK beyond), Linux's ext4 limit.
pub const LINK_MAX: u32 = 65_000;

impl Vfs {
    /// `link(old, new)` (link(2)): a new name `new` for the existing file
    /// `old`, each resolved from its own base directory. EPERM for a
    /// directory, EEXIST if `new` exists (including `/`, `.`, `..`),
    /// ENOENT if `old` is missing or `new`'s directory was removed,
    /// ENOTDIR for a trailing slash on a non-directory, EACCES without
    /// write permission on `new`'s directory, EMLINK past [`LINK_MAX`],
    /// ENOSPC when memory runs out, and the resolution errors.
    pub fn link(
        &mut self,
        old_base: Ino,
        old: &[u8],
        new_base: Ino,
        new: &[u8],
        who: Identity,
    ) -> Result<()> {
        let source = self.resolve(old_base, old, who)?;
        let to = self.resolve_parent(new_base, new, who)?;
        if self.node(source)?.is_dir() {
            return Err(Errno::EPERM);
        }
        let Last::Name(name) = to.last else {
            return Err(Errno::EEXIST);
        };
        if self.lookup(to.dir, name).is_some() {
            return Err(Errno::EEXIST);
        }
        if to.trailing_slash {
            return Err(Errno::ENOENT);
        }
        self.check_dir_writable(to.dir, who)?;
        if self.node(to.dir)?.nlink == 0 {
            return Err(Errno::ENOENT);
        }
        if self.node(source)?.nlink >= LINK_MAX {
            return Err(Errno::EMLINK);
        }
        self.add_entry(to.dir, name, source)?;
        self.node_mut(source)?.nlink += 1;
        self.touch_inode(source);
        Ok(())
    }

    /// `readlink(path)` (readlink(2)): there are no symbolic links, so an
    /// existing name is EINVAL ("not a symbolic link") and a missing one
    /// ENOENT, after the resolution errors.
    pub fn readlink(&self, base: Ino, path: &[u8], who: Identity) -> Result<()> {
        self.resolve(base, path, who)?;
        Err(Errno::EINVAL)
    }
}
