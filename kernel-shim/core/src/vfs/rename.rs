//! `rename(old, new)`: moving a name within the ramfs, with POSIX's rules.
//!
//! There is one file system, so EXDEV never happens. The checks, in order:
//! both parents resolve (resolution errors); neither last component is `/`
//! (EBUSY) or `.`/`..` (EINVAL); the source exists (ENOENT); a trailing
//! slash needs a directory source (ENOTDIR); both directories are writable
//! (EACCES) and the sticky rule allows removing the source and any target
//! (EPERM); a directory is not moved into itself or below itself (EINVAL);
//! an existing target has the source's type (ENOTDIR / EISDIR) and, if a
//! directory, is empty (ENOTEMPTY). Renaming a name onto another name of
//! the same inode does nothing.

use alloc::vec::Vec;
use libspawn::{Errno, Result};

use super::inode::Content;
use super::path::{Last, Parent};
use super::perm::Identity;
use super::{Ino, Vfs, ROOT};

/// The ordinary name a rename operand must end in.
fn operand_name<'p>(parent: &Parent<'p>) -> Result<&'p [u8]> {
    match parent.last {
        Last::Name(name) => Ok(name),
        Last::Root => Err(Errno::EBUSY),
        Last::Dot | Last::DotDot => Err(Errno::EINVAL),
    }
}

impl Vfs {
    /// Whether `dir` is `ancestor` or lies below it.
    fn is_within(&self, mut dir: Ino, ancestor: Ino) -> Result<bool> {
        loop {
            if dir == ancestor {
                return Ok(true);
            }
            if dir == ROOT {
                return Ok(false);
            }
            dir = self.node(dir)?.parent;
        }
    }

    /// `rename(old, new)` for `who` (see the module documentation).
    /// `old` is resolved from `old_base`, `new` from `new_base` (the
    /// working directory, or `renameat`'s directories).
    pub fn rename(
        &mut self,
        old_base: Ino,
        old: &[u8],
        new_base: Ino,
        new: &[u8],
        who: Identity,
    ) -> Result<()> {
        let from = self.resolve_parent(old_base, old, who)?;
        let to = self.resolve_parent(new_base, new, who)?;
        let from_name = operand_name(&from)?;
        let to_name = operand_name(&to)?;
        let source = self.lookup(from.dir, from_name).ok_or(Errno::ENOENT)?;
        let source_is_dir = self.node(source)?.is_dir();
        if (from.trailing_slash || to.trailing_slash) && !source_is_dir {
            return Err(Errno::ENOTDIR);
        }
        self.check_dir_writable(from.dir, who)?;
        self.check_dir_writable(to.dir, who)?;
        self.check_sticky(from.dir, source, who)?;
        if self.node(to.dir)?.nlink == 0 {
            return Err(Errno::ENOENT);
        }
        if source_is_dir && self.is_within(to.dir, source)? {
            return Err(Errno::EINVAL);
        }
        let target = self.lookup(to.dir, to_name);
        if let Some(target) = target {
            if target == source {
                return Ok(());
            }
            self.check_sticky(to.dir, target, who)?;
            let target_node = self.node(target)?;
            match (source_is_dir, target_node.entries()) {
                (true, None) => return Err(Errno::ENOTDIR),
                (false, Some(_)) => return Err(Errno::EISDIR),
                (true, Some(entries)) if !entries.is_empty() => return Err(Errno::ENOTEMPTY),
                _ => {}
            }
        }
        // Everything that can fail for lack of memory happens before the
        // first change.
        let mut key = Vec::new();
        key.try_reserve_exact(to_name.len())
            .map_err(|_| Errno::ENOSPC)?;
        key.extend_from_slice(to_name);
        if let Content::Dir(entries) = &mut self.node_mut(to.dir)?.content {
            entries.reserve_one()?;
        }
        if target.is_some() {
            self.unlink_entry(to.dir, to_name)?;
        }
        if let Content::Dir(entries) = &mut self.node_mut(from.dir)?.content {
            entries.remove(from_name);
        }
        if let Content::Dir(entries) = &mut self.node_mut(to.dir)?.content {
            entries.insert(key, source)?;
        }
        if source_is_dir && from.dir != to.dir {
            self.node_mut(from.dir)?.nlink -= 1;
            self.node_mut(to.dir)?.nlink += 1;
            self.node_mut(source)?.parent = to.dir;
        }
        Ok(())
    }
}
