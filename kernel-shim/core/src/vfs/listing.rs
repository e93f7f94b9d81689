//! Directory listings for `getdents64`: `.`, `..`, then the entries in
//! cookie order (see `dir.rs`), each with the position to resume after it.

use libspawn::{Errno, Result};

use super::inode::Content;
use super::{Ino, Vfs, END_COOKIE, FIRST_ENTRY_COOKIE};

/// The position of `.` in a listing (a fresh directory description's
/// offset).
const DOT_COOKIE: u64 = 0;
/// The position of `..`.
const DOT_DOT_COOKIE: u64 = 1;

/// One entry of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DirEntry<'a> {
    /// The inode the entry names.
    pub ino: Ino,
    /// Its name.
    pub name: &'a [u8],
    /// `d_type`: the inode's type ([`Vfs::dirent_type`]).
    pub kind: u8,
    /// The position to resume from after this entry (`d_off`).
    pub next: u64,
}

impl Vfs {
    /// The `d_type` of `ino`.
    pub fn dirent_type(&self, ino: Ino) -> Result<u8> {
        use shim_abi::dirent::{DT_CHR, DT_DIR, DT_REG};
        Ok(match self.node(ino)?.content {
            Content::Dir(_) => DT_DIR,
            Content::File(_) => DT_REG,
            Content::Device(_) => DT_CHR,
        })
    }

    /// Calls `take` with the entries of directory `dir` from position
    /// `from` on, in order, until it returns false or the listing ends.
    /// ENOTDIR if `dir` is not a directory, ENOENT if it was removed (an
    /// empty listing on Linux: here too, after `.` and `..` are gone).
    pub fn list(
        &self,
        dir: Ino,
        from: u64,
        mut take: impl FnMut(DirEntry<'_>) -> bool,
    ) -> Result<()> {
        let node = self.node(dir)?;
        let entries = node.entries().ok_or(Errno::ENOTDIR)?;
        if node.nlink == 0 {
            return Ok(());
        }
        let mut rest = entries.from_cookie(from.max(FIRST_ENTRY_COOKIE)).peekable();
        let first_entry = rest.peek().map_or(END_COOKIE, |&(at, _, _)| at);
        let dots = [
            (DOT_COOKIE, &b"."[..], dir, DOT_DOT_COOKIE),
            (DOT_DOT_COOKIE, &b".."[..], node.parent, first_entry),
        ];
        for (at, name, ino, next) in dots {
            if from <= at {
                let kind = self.dirent_type(ino)?;
                if !take(DirEntry {
                    ino,
                    name,
                    kind,
                    next,
                }) {
                    return Ok(());
                }
            }
        }
        while let Some((_, name, ino)) = rest.next() {
            let next = rest.peek().map_or(END_COOKIE, |&(at, _, _)| at);
            let kind = self.dirent_type(ino)?;
            if !take(DirEntry {
                ino,
                name,
                kind,
                next,
            }) {
                break;
            }
        }
        Ok(())
    }
}
