//! VFS operations: open, mkdir, unlink, rmdir, chmod, access and stat by path,
//! with their permission checks and Linux's error numbers.

use libspawn::{Errno, Result};
use shim_abi::access::{R_OK, W_OK, X_OK};
use shim_abi::fcntl::{O_ACCMODE, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC};
use shim_abi::mode::{S_IALLUGO, S_ISGID, S_ISVTX};

use super::perm::{self, Identity, Want, EXEC, READ, WRITE};
use super::{Ino, Last, Parent, Vfs};
use crate::stat::Stat;

/// The inode `open` found or created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenedInode {
    /// The inode.
    pub ino: Ino,
    /// Whether `open` created it (O_CREAT on a missing name).
    pub created: bool,
}

/// What each access mode needs: read, write or both. EINVAL for the
/// reserved mode 3.
fn access_want(flags: i32) -> Result<Want> {
    let want = match flags & O_ACCMODE {
        O_RDONLY => READ,
        O_RDWR => READ | WRITE,
        O_ACCMODE => return Err(Errno::EINVAL),
        _ => WRITE,
    };
    // Truncating is writing, whatever the access mode (Linux).
    Ok(if flags & O_TRUNC != 0 {
        want | WRITE
    } else {
        want
    })
}

impl Vfs {
    /// Creating or removing a name in `dir` needs write (and search, which
    /// resolution already checked) permission there.
    pub(super) fn check_dir_writable(&self, dir: Ino, who: Identity) -> Result<()> {
        perm::check(self.node(dir)?, who, WRITE | EXEC)
    }

    /// The sticky-bit rule: in a sticky directory only the file's owner,
    /// the directory's owner or root may remove the name (EPERM).
    pub(super) fn check_sticky(&self, dir: Ino, victim: Ino, who: Identity) -> Result<()> {
        let dir_node = self.node(dir)?;
        let victim = self.node(victim)?;
        if dir_node.perm & S_ISVTX != 0
            && !who.is_root()
            && who.uid != victim.uid
            && who.uid != dir_node.uid
        {
            return Err(Errno::EPERM);
        }
        Ok(())
    }

    /// The file-system part of `open(path, flags, mode)`: resolves or
    /// creates the inode, checks type and permissions, truncates. The
    /// caller makes the open file description.
    ///
    /// Errors: EINVAL (access mode 3), EEXIST (O_CREAT|O_EXCL on an
    /// existing name), EISDIR (a directory opened for writing or
    /// truncation, O_CREAT on a directory or with a trailing slash),
    /// ENOTDIR (O_DIRECTORY on a non-directory), EACCES, ENOENT and the
    /// resolution errors. A new file gets `mode & 0o7777`, the caller's ids,
    /// and is opened whatever its mode says.
    pub fn open(
        &mut self,
        cwd: Ino,
        path: &[u8],
        flags: i32,
        mode: u32,
        who: Identity,
    ) -> Result<OpenedInode> {
        let want = access_want(flags)?;
        let parent = self.resolve_parent(cwd, path, who)?;
        let ino = if flags & O_CREAT != 0 {
            match self.open_or_create(&parent, flags, mode, who)? {
                (ino, true) => return Ok(OpenedInode { ino, created: true }),
                (ino, false) => ino,
            }
        } else {
            let ino = self.resolve_last(&parent)?;
            if parent.trailing_slash && !self.node(ino)?.is_dir() {
                return Err(Errno::ENOTDIR);
            }
            ino
        };
        let node = self.node(ino)?;
        if flags & O_DIRECTORY != 0 && !node.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if node.is_dir() && want & WRITE != 0 {
            return Err(Errno::EISDIR);
        }
        perm::check(node, who, want)?;
        if flags & O_TRUNC != 0 {
            self.truncate(ino)?;
            self.clear_setid_after_write(ino, who)?;
        }
        Ok(OpenedInode {
            ino,
            created: false,
        })
    }

    /// O_CREAT: the existing inode (false) or a new one (true).
    fn open_or_create(
        &mut self,
        parent: &Parent<'_>,
        flags: i32,
        mode: u32,
        who: Identity,
    ) -> Result<(Ino, bool)> {
        let Last::Name(name) = parent.last else {
            return Err(if flags & O_EXCL != 0 {
                Errno::EEXIST
            } else {
                Errno::EISDIR
            });
        };
        if let Some(existing) = self.lookup(parent.dir, name) {
            if flags & O_EXCL != 0 {
                return Err(Errno::EEXIST);
            }
            if self.node(existing)?.is_dir() || parent.trailing_slash {
                return Err(Errno::EISDIR);
            }
            return Ok((existing, false));
        }
        if parent.trailing_slash {
            return Err(Errno::EISDIR);
        }
        self.check_dir_writable(parent.dir, who)?;
        let ino = self.create_in(parent.dir, name, mode & S_IALLUGO, who)?;
        Ok((ino, true))
    }

    /// `mkdir(path, mode)`: EEXIST if the name exists (including `/`, `.`
    /// and `..`), EACCES without write permission on the parent, ENOENT in a
    /// removed directory. The new directory gets `mode & 0o1777`.
    pub fn mkdir(&mut self, cwd: Ino, path: &[u8], mode: u32, who: Identity) -> Result<Ino> {
        let parent = self.resolve_parent(cwd, path, who)?;
        let Last::Name(name) = parent.last else {
            return Err(Errno::EEXIST);
        };
        if self.lookup(parent.dir, name).is_some() {
            return Err(Errno::EEXIST);
        }
        self.check_dir_writable(parent.dir, who)?;
        let perm_bits = mode & (S_IALLUGO & !(shim_abi::mode::S_ISUID | S_ISGID));
        self.mkdir_in(parent.dir, name, perm_bits, who)
    }

    /// `unlink(path)`: EISDIR for a directory (and for `/`, `.`, `..`),
    /// EACCES without write permission on the parent, EPERM by the sticky
    /// rule. Open descriptions keep the data.
    pub fn unlink(&mut self, cwd: Ino, path: &[u8], who: Identity) -> Result<()> {
        let parent = self.resolve_parent(cwd, path, who)?;
        let Last::Name(name) = parent.last else {
            return Err(Errno::EISDIR);
        };
        let victim = self.lookup(parent.dir, name).ok_or(Errno::ENOENT)?;
        self.check_dir_writable(parent.dir, who)?;
        self.check_sticky(parent.dir, victim, who)?;
        let node = self.node(victim)?;
        if node.is_dir() {
            return Err(Errno::EISDIR);
        }
        if parent.trailing_slash {
            return Err(Errno::ENOTDIR);
        }
        self.unlink_entry(parent.dir, name)
    }

    /// `rmdir(path)`: EINVAL for a last component `.`, ENOTEMPTY for `..`
    /// or a directory with entries, EBUSY for `/`, ENOTDIR for a
    /// non-directory, EACCES/EPERM as for `unlink`.
    pub fn rmdir(&mut self, cwd: Ino, path: &[u8], who: Identity) -> Result<()> {
        let parent = self.resolve_parent(cwd, path, who)?;
        let name = match parent.last {
            Last::Name(name) => name,
            Last::Dot => return Err(Errno::EINVAL),
            Last::DotDot => return Err(Errno::ENOTEMPTY),
            Last::Root => return Err(Errno::EBUSY),
        };
        let victim = self.lookup(parent.dir, name).ok_or(Errno::ENOENT)?;
        self.check_dir_writable(parent.dir, who)?;
        self.check_sticky(parent.dir, victim, who)?;
        let entries = self.node(victim)?.entries().ok_or(Errno::ENOTDIR)?;
        if !entries.is_empty() {
            return Err(Errno::ENOTEMPTY);
        }
        self.unlink_entry(parent.dir, name)
    }

    /// `chmod` on a resolved inode (`fchmod`): EPERM unless owner or root.
    /// Not root and not in the file's group: S_ISGID is cleared (Linux).
    pub fn chmod_ino(&mut self, ino: Ino, mode: u32, who: Identity) -> Result<()> {
        let node = self.node_mut(ino)?;
        if !perm::owns(node, who) {
            return Err(Errno::EPERM);
        }
        let mut bits = mode & S_IALLUGO;
        if !who.is_root() && who.gid != node.gid {
            bits &= !S_ISGID;
        }
        node.perm = bits;
        Ok(())
    }

    /// `truncate(path, length)`: EISDIR for a directory, EINVAL for a
    /// device, EACCES without write permission, then [`Vfs::set_len`]'s
    /// errors. Clears set-id bits as a write does (`vfs/setid.rs`).
    pub fn truncate_path(
        &mut self,
        cwd: Ino,
        path: &[u8],
        length: u64,
        who: Identity,
    ) -> Result<()> {
        let ino = self.resolve(cwd, path, who)?;
        let node = self.node(ino)?;
        if node.is_dir() {
            return Err(Errno::EISDIR);
        }
        if !node.is_file() {
            return Err(Errno::EINVAL);
        }
        perm::check(node, who, WRITE)?;
        self.set_len(ino, length)?;
        self.clear_setid_after_write(ino, who)
    }

    /// `chmod(path, mode)`.
    pub fn chmod(&mut self, cwd: Ino, path: &[u8], mode: u32, who: Identity) -> Result<()> {
        let ino = self.resolve(cwd, path, who)?;
        self.chmod_ino(ino, mode, who)
    }

    /// `access(path, amode)` for `real` (the caller's real ids, which are
    /// also used for the lookup). EINVAL for unknown bits in `amode`.
    pub fn access(&self, cwd: Ino, path: &[u8], amode: i32, real: Identity) -> Result<()> {
        if amode & !(R_OK | W_OK | X_OK) != 0 {
            return Err(Errno::EINVAL);
        }
        let ino = self.resolve(cwd, path, real)?;
        self.access_ino(ino, amode, real)
    }

    /// `access` on a resolved inode (`faccessat2` with AT_EMPTY_PATH).
    pub fn access_ino(&self, ino: Ino, amode: i32, who: Identity) -> Result<()> {
        if amode & !(R_OK | W_OK | X_OK) != 0 {
            return Err(Errno::EINVAL);
        }
        perm::check(self.node(ino)?, who, amode)
    }

    /// `stat(path)`.
    pub fn stat_path(&self, cwd: Ino, path: &[u8], who: Identity) -> Result<Stat> {
        let ino = self.resolve(cwd, path, who)?;
        self.stat(ino)
    }

    /// Checks that `ino` can become a working directory: ENOTDIR, EACCES
    /// without search permission.
    pub fn check_chdir(&self, ino: Ino, who: Identity) -> Result<()> {
        let node = self.node(ino)?;
        if !node.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        perm::check(node, who, EXEC)
    }

    /// The directory `chdir(path)` would enter.
    pub fn chdir_target(&self, cwd: Ino, path: &[u8], who: Identity) -> Result<Ino> {
        let ino = self.resolve(cwd, path, who)?;
        self.check_chdir(ino, who)?;
        Ok(ino)
    }

    /// The image file an `exec` of `path` would load: EACCES unless it is
    /// a regular file `who` may execute.
    pub fn exec_target(&self, cwd: Ino, path: &[u8], who: Identity) -> Result<Ino> {
        let ino = self.resolve(cwd, path, who)?;
        self.check_exec(ino, who)?;
        Ok(ino)
    }

    /// Whether `who` may execute `ino` (`execveat` of a descriptor):
    /// EACCES unless it is a regular file with an execute bit for them.
    pub fn check_exec(&self, ino: Ino, who: Identity) -> Result<()> {
        let node = self.node(ino)?;
        if !node.is_file() {
            return Err(Errno::EACCES);
        }
        perm::check(node, who, EXEC)
    }
}
