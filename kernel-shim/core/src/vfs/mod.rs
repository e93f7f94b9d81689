//! VFS: the ramfs inode table, directory entries, file data and lifetimes.
//!
//! Inodes live in a [`Slab`]; directories map names to inode ids. An inode
//! is freed when its last link is gone and nothing pins it (an open file
//! description or a working directory), so an unlinked file's data lives
//! while it is open. Permission-checked operations (`open`, `mkdir`,
//! `unlink`, ...) are in `ops.rs`; path resolution in `path.rs`.

mod dir;
mod inode;
mod link;
mod listing;
mod ops;
mod path;
pub mod perm;
mod rename;
mod setid;
mod times;

use alloc::vec::Vec;
use libspawn::{Errno, Result};
use shim_abi::mode::{S_IRGRP, S_IROTH, S_IRWXG, S_IRWXO, S_IRWXU, S_ISVTX, S_IXGRP, S_IXOTH};
use shim_abi::statfs::{RAMFS_MAGIC, ST_VALID};
use shim_abi::{Statfs, Timespec};

pub use dir::{cookie, Entries, END_COOKIE, FIRST_ENTRY_COOKIE};
pub use inode::{Content, Device, Ino, Inode, INO_BASE};
pub use link::LINK_MAX;
pub use listing::DirEntry;
pub use ops::OpenedInode;
pub use path::{Last, Parent};
use perm::Identity;
pub use times::TimeChange;

use crate::fallible;
use crate::io::HostStream;
use crate::slab::Slab;
use crate::stat::{blocks_for, Stat, BLOCK_SIZE, RAMFS_DEV};

/// The root directory's inode.
pub const ROOT: Ino = Ino(0);
/// Most inodes the ramfs holds (ENOSPC beyond).
pub const MAX_INODES: usize = 8192;
/// Largest regular file, in bytes (EFBIG beyond).
pub const MAX_FILE_SIZE: u64 = 256 * 1024 * 1024;
/// `rwxr-xr-x`: the root, `/dev` and directories `install_file` creates.
pub const DIR_MODE: u32 = S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH;
/// `rwxrwxrwt`: `/tmp` and `/dev/shm`, writable by everyone, sticky.
pub const TMP_MODE: u32 = S_IRWXU | S_IRWXG | S_IRWXO | S_ISVTX;
/// `rw-rw-rw-`: `/dev/null`, `/dev/zero` and `/dev/console` (every user
/// may open the console; there is no terminal ownership here).
pub const DEVICE_MODE: u32 = 0o666;
/// Links a new directory starts with: its entry in the parent and its `.`.
const NEW_DIR_LINKS: u32 = 2;
/// Bytes a file grows by, or a write copies, between two calls of the
/// work step ([`Vfs::set_work_step`]).
pub const GROW_STEP: usize = 64 * 1024;

/// The default work step: nothing to do between steps.
fn no_work_step() {}

/// The default clock: the Epoch (host tests set their own).
fn epoch_clock() -> u64 {
    0
}

/// Extends `data` with zeros to `end` bytes, calling `step` after every
/// [`GROW_STEP`] bytes. ENOSPC when memory runs out (`data` unchanged).
fn grow_zeroed(data: &mut Vec<u8>, end: usize, step: fn()) -> Result<()> {
    if end <= data.len() {
        return Ok(());
    }
    data.try_reserve(end - data.len())
        .map_err(|_| Errno::ENOSPC)?;
    while data.len() < end {
        let next = end.min(data.len() + GROW_STEP);
        data.resize(next, 0);
        step();
    }
    Ok(())
}

/// The ramfs.
#[derive(Clone, Debug)]
pub struct Vfs {
    inodes: Slab<Inode>,
    /// The last content version handed out (see [`Inode::version`]).
    last_version: u64,
    /// Called between the bounded steps of long work (growing a file).
    work_step: fn(),
    /// The wall clock, in nanoseconds since the Epoch, for file times.
    clock: fn() -> u64,
}

impl Default for Vfs {
    fn default() -> Self {
        Vfs::new()
    }
}

impl Vfs {
    /// A file system holding `/` (0755), `/dev` (0755), `/dev/null`,
    /// `/dev/zero`, `/dev/console`, `/dev/hostout` and `/dev/hosterr`
    /// (0666), `/dev/shm` and `/tmp`
    /// (1777), all owned by root.
    pub fn new() -> Vfs {
        let mut vfs = Vfs {
            inodes: Slab::new(MAX_INODES),
            last_version: 0,
            work_step: no_work_step,
            clock: epoch_clock,
        };
        let mut root = Inode::new(Content::Dir(Entries::new()), DIR_MODE, 0, 0, ROOT);
        root.nlink = NEW_DIR_LINKS;
        let index = vfs.inodes.insert(root, Errno::ENOSPC);
        debug_assert_eq!(index, Ok(ROOT.0));
        let populated = vfs.populate();
        // A fresh table has room for these few inodes.
        debug_assert_eq!(populated, Ok(()));
        vfs
    }

    /// Sets what runs between the bounded steps of long work: writing a
    /// file, and zero-filling one grown by `ftruncate` or a write past its
    /// end, run [`GROW_STEP`] bytes at a time. The kernel lets pending interrupts
    /// in there, so no call keeps them masked for long.
    pub fn set_work_step(&mut self, step: fn()) {
        self.work_step = step;
    }

    /// Sets the wall clock file times come from (nanoseconds since the
    /// Epoch); until then every time is the Epoch.
    pub fn set_clock(&mut self, clock: fn() -> u64) {
        self.clock = clock;
    }

    /// The current time, for file times.
    pub fn now(&self) -> Timespec {
        Timespec::from_ns((self.clock)())
    }

    fn populate(&mut self) -> Result<()> {
        let dev = self.mkdir_in(ROOT, b"dev", DIR_MODE, Identity::ROOT)?;
        self.add_device(dev, b"null", Device::Null)?;
        self.add_device(dev, b"zero", Device::Zero)?;
        self.add_device(dev, b"console", Device::Console)?;
        self.add_device(dev, b"hostout", Device::Host(HostStream::Stdout))?;
        self.add_device(dev, b"hosterr", Device::Host(HostStream::Stderr))?;
        self.mkdir_in(dev, b"shm", TMP_MODE, Identity::ROOT)?;
        self.mkdir_in(ROOT, b"tmp", TMP_MODE, Identity::ROOT)?;
        Ok(())
    }

    /// Marks `ino`'s data as changed now (`st_mtime` and `st_ctime`).
    fn touch_data(&mut self, ino: Ino) {
        let now = self.now();
        if let Ok(node) = self.node_mut(ino) {
            node.mtime = now;
            node.ctime = now;
        }
    }

    /// Marks `ino`'s inode as changed now (`st_ctime`).
    fn touch_inode(&mut self, ino: Ino) {
        let now = self.now();
        if let Ok(node) = self.node_mut(ino) {
            node.ctime = now;
        }
    }

    /// The inode `ino`; ENOENT if it was freed (only a stale id can be).
    pub fn node(&self, ino: Ino) -> Result<&Inode> {
        self.inodes.get(ino.0).ok_or(Errno::ENOENT)
    }

    /// The inode `ino`, mutably.
    pub fn node_mut(&mut self, ino: Ino) -> Result<&mut Inode> {
        self.inodes.get_mut(ino.0).ok_or(Errno::ENOENT)
    }

    /// A content version no inode has had before.
    fn new_version(&mut self) -> u64 {
        self.last_version += 1;
        self.last_version
    }

    /// The version of `ino`'s content: it changes whenever a file's bytes
    /// change, and no two contents share one (see [`Inode::version`]).
    pub fn content_version(&self, ino: Ino) -> Result<u64> {
        Ok(self.node(ino)?.version)
    }

    /// Number of inodes in use.
    pub fn inode_count(&self) -> usize {
        self.inodes.len()
    }

    /// The entry `name` of directory `dir`, without permission checks.
    pub fn lookup(&self, dir: Ino, name: &[u8]) -> Option<Ino> {
        self.node(dir).ok()?.entries()?.get(name).copied()
    }

    /// Adds a new inode under `name` in `dir`: EEXIST if the name is taken,
    /// ENOENT if `dir` was removed, ENOSPC if the table or memory is full.
    /// No permission check.
    fn link_new(&mut self, dir: Ino, name: &[u8], mut inode: Inode) -> Result<Ino> {
        let parent = self.node(dir)?;
        let entries = parent.entries().ok_or(Errno::ENOTDIR)?;
        if parent.nlink == 0 {
            return Err(Errno::ENOENT);
        }
        if entries.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        let mut key = Vec::new();
        key.try_reserve_exact(name.len())
            .map_err(|_| Errno::ENOSPC)?;
        key.extend_from_slice(name);
        // Room in the directory before the inode exists: once it does,
        // nothing can fail.
        if let Content::Dir(entries) = &mut self.node_mut(dir)?.content {
            entries.reserve_one()?;
        }
        let is_dir = inode.is_dir();
        inode.version = self.new_version();
        let now = self.now();
        (inode.atime, inode.mtime, inode.ctime) = (now, now, now);
        let ino = Ino(self.inodes.insert(inode, Errno::ENOSPC)?);
        let parent = self.node_mut(dir)?;
        if is_dir {
            parent.nlink += 1;
        }
        if let Content::Dir(entries) = &mut parent.content {
            entries.insert(key, ino)?;
        }
        self.touch_data(dir);
        Ok(ino)
    }

    /// Adds the entry `name` for the existing inode `ino` to `dir` (a hard
    /// link; the caller counts it in `nlink`). ENOSPC, with nothing
    /// changed, when memory runs out.
    fn add_entry(&mut self, dir: Ino, name: &[u8], ino: Ino) -> Result<()> {
        let mut key = Vec::new();
        key.try_reserve_exact(name.len())
            .map_err(|_| Errno::ENOSPC)?;
        key.extend_from_slice(name);
        let Content::Dir(entries) = &mut self.node_mut(dir)?.content else {
            return Err(Errno::ENOTDIR);
        };
        entries.insert(key, ino)?;
        self.touch_data(dir);
        Ok(())
    }

    /// Creates an empty regular file `name` in `dir`, owned by `owner`.
    pub fn create_in(&mut self, dir: Ino, name: &[u8], perm: u32, owner: Identity) -> Result<Ino> {
        let inode = Inode::new(Content::File(Vec::new()), perm, owner.uid, owner.gid, dir);
        self.link_new(dir, name, inode)
    }

    /// Creates an empty directory `name` in `dir`, owned by `owner`.
    pub fn mkdir_in(&mut self, dir: Ino, name: &[u8], perm: u32, owner: Identity) -> Result<Ino> {
        let mut inode = Inode::new(
            Content::Dir(Entries::new()),
            perm,
            owner.uid,
            owner.gid,
            dir,
        );
        inode.nlink = NEW_DIR_LINKS;
        self.link_new(dir, name, inode)
    }

    /// Creates a device node `name` in `dir`, owned by root.
    pub fn add_device(&mut self, dir: Ino, name: &[u8], device: Device) -> Result<Ino> {
        let inode = Inode::new(Content::Device(device), DEVICE_MODE, 0, 0, dir);
        self.link_new(dir, name, inode)
    }

    /// Removes the entry `name` from `dir` and drops the link it held; the
    /// inode goes once unused. No permission or type check.
    fn unlink_entry(&mut self, dir: Ino, name: &[u8]) -> Result<()> {
        let parent = self.node_mut(dir)?;
        let Content::Dir(entries) = &mut parent.content else {
            return Err(Errno::ENOTDIR);
        };
        let ino = entries.remove(name).ok_or(Errno::ENOENT)?;
        let node = self.node_mut(ino)?;
        if node.is_dir() {
            node.nlink = 0;
            self.node_mut(dir)?.nlink -= 1;
        } else {
            node.nlink -= 1;
        }
        self.touch_inode(ino);
        self.touch_data(dir);
        self.free_if_unused(ino);
        Ok(())
    }

    fn free_if_unused(&mut self, ino: Ino) {
        if ino != ROOT && self.node(ino).is_ok_and(Inode::is_unused) {
            self.inodes.remove(ino.0);
        }
    }

    /// Keeps `ino` alive (an open file description or a working directory
    /// now refers to it).
    pub fn pin(&mut self, ino: Ino) -> Result<()> {
        self.node_mut(ino)?.pins += 1;
        Ok(())
    }

    /// Drops one pin; frees the inode if it was unlinked and this was the
    /// last pin.
    pub fn unpin(&mut self, ino: Ino) {
        if let Ok(node) = self.node_mut(ino) {
            node.pins = node.pins.saturating_sub(1);
            self.free_if_unused(ino);
        }
    }

    /// Copies file bytes at `offset` into `buf`; returns how many (0 at or
    /// past the end). EISDIR for a directory.
    pub fn read_at(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize> {
        match &self.node(ino)?.content {
            Content::File(data) => {
                let start = usize::try_from(offset)
                    .unwrap_or(usize::MAX)
                    .min(data.len());
                let count = buf.len().min(data.len() - start);
                buf[..count].copy_from_slice(&data[start..start + count]);
                Ok(count)
            }
            Content::Dir(_) => Err(Errno::EISDIR),
            Content::Device(Device::Zero) => {
                buf.fill(0);
                Ok(buf.len())
            }
            Content::Device(_) => Ok(0),
        }
    }

    /// Writes `bytes` at `offset`, filling any gap with zeros; returns the
    /// count. EFBIG past [`MAX_FILE_SIZE`], ENOSPC when memory runs out
    /// (nothing written then).
    pub fn write_at(&mut self, ino: Ino, offset: u64, bytes: &[u8]) -> Result<usize> {
        let version = self.new_version();
        let step = self.work_step;
        let node = self.node_mut(ino)?;
        let Content::File(data) = &mut node.content else {
            return Err(Errno::EISDIR);
        };
        let end = offset.checked_add(bytes.len() as u64).ok_or(Errno::EFBIG)?;
        if end > MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        let (start, end) = (offset as usize, end as usize);
        grow_zeroed(data, end, step)?;
        for (target, source) in data[start..end]
            .chunks_mut(GROW_STEP)
            .zip(bytes.chunks(GROW_STEP))
        {
            target.copy_from_slice(source);
            step();
        }
        node.version = version;
        self.touch_data(ino);
        Ok(bytes.len())
    }

    /// Truncates a regular file to length 0 (other inodes: no effect).
    pub fn truncate(&mut self, ino: Ino) -> Result<()> {
        let version = self.new_version();
        let node = self.node_mut(ino)?;
        if let Content::File(data) = &mut node.content {
            data.clear();
            data.shrink_to_fit();
            node.version = version;
        }
        if node.is_file() {
            self.touch_data(ino);
        }
        Ok(())
    }

    /// Sets a regular file's length (`truncate`, `ftruncate`): cut, or
    /// extended with zeros. EISDIR for a directory, EINVAL for a device,
    /// EFBIG past [`MAX_FILE_SIZE`], ENOSPC when memory runs out (nothing
    /// changes then).
    pub fn set_len(&mut self, ino: Ino, length: u64) -> Result<()> {
        let version = self.new_version();
        let step = self.work_step;
        let node = self.node_mut(ino)?;
        let data = match &mut node.content {
            Content::File(data) => data,
            Content::Dir(_) => return Err(Errno::EISDIR),
            Content::Device(_) => return Err(Errno::EINVAL),
        };
        if length > MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        let length = length as usize;
        grow_zeroed(data, length, step)?;
        data.truncate(length);
        node.version = version;
        self.touch_data(ino);
        Ok(())
    }

    /// A regular file's bytes (for the image loader). EACCES for anything
    /// else.
    pub fn file_bytes(&self, ino: Ino) -> Result<&[u8]> {
        match &self.node(ino)?.content {
            Content::File(data) => Ok(data),
            _ => Err(Errno::EACCES),
        }
    }

    /// The inode's `struct stat`.
    pub fn stat(&self, ino: Ino) -> Result<Stat> {
        let node = self.node(ino)?;
        let rdev = match node.content {
            Content::Device(device) => device.rdev(),
            _ => 0,
        };
        Ok(Stat {
            st_dev: RAMFS_DEV,
            st_ino: ino.number(),
            st_nlink: node.nlink.into(),
            st_mode: node.mode(),
            st_uid: node.uid,
            st_gid: node.gid,
            st_rdev: rdev,
            st_size: node.size() as i64,
            st_blksize: BLOCK_SIZE,
            st_blocks: blocks_for(node.size()),
            st_atime: node.atime.tv_sec,
            st_atime_nsec: node.atime.tv_nsec,
            st_mtime: node.mtime.tv_sec,
            st_mtime_nsec: node.mtime.tv_nsec,
            st_ctime: node.ctime.tv_sec,
            st_ctime_nsec: node.ctime.tv_nsec,
            ..Stat::default()
        })
    }

    /// The file system's `struct statfs`: a ramfs (`RAMFS_MAGIC`, blocks
    /// of [`BLOCK_SIZE`], no block limit to report, as Linux's ramfs), with
    /// the inode table's size and free slots.
    pub fn statfs(&self) -> Statfs {
        let files = MAX_INODES as u64;
        Statfs {
            f_type: RAMFS_MAGIC,
            f_bsize: BLOCK_SIZE,
            f_files: files,
            f_ffree: files - self.inode_count() as u64,
            f_namelen: shim_abi::NAME_MAX as i64,
            f_frsize: BLOCK_SIZE,
            f_flags: ST_VALID,
            ..Statfs::default()
        }
    }

    /// Creates (or replaces the contents of) the file at absolute `path`
    /// with `bytes`, `mode` and owner, creating missing parent directories
    /// (0755, root). For populating the file system from the initrd; no
    /// permission checks.
    pub fn install_file(
        &mut self,
        path: &[u8],
        bytes: &[u8],
        mode: u32,
        uid: u32,
        gid: u32,
    ) -> Result<Ino> {
        let (dir_path, name) = match path.iter().rposition(|&b| b == b'/') {
            Some(slash) => (&path[..slash], &path[slash + 1..]),
            None => (&path[..0], path),
        };
        let mut dir = ROOT;
        for component in dir_path.split(|&b| b == b'/').filter(|c| !c.is_empty()) {
            dir = match self.lookup(dir, component) {
                Some(existing) if self.node(existing)?.is_dir() => existing,
                Some(_) => return Err(Errno::ENOTDIR),
                None => self.mkdir_in(dir, component, DIR_MODE, Identity::ROOT)?,
            };
        }
        if name.is_empty() || name == b"." || name == b".." || name.len() > shim_abi::NAME_MAX {
            return Err(Errno::EINVAL);
        }
        let owner = Identity { uid, gid };
        let ino = match self.lookup(dir, name) {
            Some(existing) if self.node(existing)?.is_file() => existing,
            Some(_) => return Err(Errno::EEXIST),
            None => self.create_in(dir, name, mode, owner)?,
        };
        self.truncate(ino)?;
        self.write_at(ino, 0, bytes)?;
        let node = self.node_mut(ino)?;
        node.perm = mode & shim_abi::mode::S_IALLUGO;
        node.uid = uid;
        node.gid = gid;
        Ok(ino)
    }

    /// The absolute path of directory `dir` (`getcwd`): ENOENT if it was
    /// removed, ENOMEM if the kernel cannot hold it.
    pub fn path_of(&self, dir: Ino) -> Result<Vec<u8>> {
        let mut names: Vec<&[u8]> = Vec::new();
        let mut current = dir;
        while current != ROOT {
            let node = self.node(current)?;
            if node.nlink == 0 {
                return Err(Errno::ENOENT);
            }
            let parent = self.node(node.parent)?.entries().ok_or(Errno::ENOENT)?;
            let name = parent
                .iter()
                .find(|(_, &ino)| ino == current)
                .map(|(name, _)| name.as_slice())
                .ok_or(Errno::ENOENT)?;
            fallible::push(&mut names, name)?;
            current = node.parent;
        }
        let len = names
            .iter()
            .map(|name| 1 + name.len())
            .sum::<usize>()
            .max(1);
        // Exactly `len` bytes are pushed below.
        let mut path = fallible::with_capacity(len)?;
        if names.is_empty() {
            path.push(b'/');
        }
        for name in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(name);
        }
        Ok(path)
    }
}

#[cfg(test)]
mod tests;
