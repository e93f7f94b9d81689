//! Inodes: what a ramfs file, directory or device node is made of.

use alloc::vec::Vec;
use shim_abi::mode::{S_IALLUGO, S_IFCHR, S_IFDIR, S_IFREG};
use shim_abi::Timespec;

use super::dir::Entries;
use crate::io::HostStream;
use crate::stat::makedev;

/// The id of an inode: its slot in the inode table. `st_ino` is the id
/// plus [`INO_BASE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ino(pub(crate) usize);

/// What `st_ino` adds to an inode's slot index (the root is inode 1, as on
/// Linux's ramfs).
pub const INO_BASE: u64 = 1;

impl Ino {
    /// The `st_ino` value.
    pub const fn number(self) -> u64 {
        self.0 as u64 + INO_BASE
    }
}

/// A device a character special file stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    /// `/dev/null`: reads see end of file, writes are discarded.
    Null,
    /// `/dev/console`: reads and writes are the kernel's console driver.
    Console,
    /// `/dev/zero`: reads see zeros, writes are discarded.
    Zero,
    /// `/dev/hostout` and `/dev/hosterr`: writes go to the host's standard
    /// output or standard error, reads see end of file.
    Host(HostStream),
}

/// Linux's major number of the memory devices (`/dev/null` is 1,3).
const MEM_MAJOR: u32 = 1;
/// Linux's minor number of `/dev/null`.
const NULL_MINOR: u32 = 3;
/// Linux's minor number of `/dev/zero`.
const ZERO_MINOR: u32 = 5;
/// Linux's major number of `/dev/console` (5,1).
const TTYAUX_MAJOR: u32 = 5;
/// Linux's minor number of `/dev/console`.
const CONSOLE_MINOR: u32 = 1;
/// Linux's major number of the serial ports (`/dev/ttyS0` is 4,64).
const TTY_MAJOR: u32 = 4;
/// The minor numbers of `/dev/hostout` and `/dev/hosterr`: Linux's
/// `/dev/ttyS1` and `/dev/ttyS2`, the UARTs that carry them.
const HOSTOUT_MINOR: u32 = 65;
const HOSTERR_MINOR: u32 = 66;

impl Device {
    /// The device number `st_rdev` reports (Linux's numbers).
    pub const fn rdev(self) -> u64 {
        match self {
            Device::Null => makedev(MEM_MAJOR, NULL_MINOR),
            Device::Zero => makedev(MEM_MAJOR, ZERO_MINOR),
            Device::Console => makedev(TTYAUX_MAJOR, CONSOLE_MINOR),
            Device::Host(HostStream::Stdout) => makedev(TTY_MAJOR, HOSTOUT_MINOR),
            Device::Host(HostStream::Stderr) => makedev(TTY_MAJOR, HOSTERR_MINOR),
        }
    }
}

/// What an inode holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// A directory: entries by name (without `.` and `..`).
    Dir(Entries),
    /// A regular file's bytes.
    File(Vec<u8>),
    /// A character device.
    Device(Device),
}

/// One inode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inode {
    /// The data.
    pub content: Content,
    /// Permission, set-id and sticky bits (`mode & 0o7777`).
    pub perm: u32,
    /// Owner's user id.
    pub uid: u32,
    /// Owner's group id.
    pub gid: u32,
    /// Hard links: directory entries naming it (a directory also counts its
    /// own `.` and each subdirectory's `..`). 0 once removed.
    pub nlink: u32,
    /// Open file descriptions and working directories using it. The inode
    /// is freed when both `nlink` and `pins` are 0.
    pub pins: u32,
    /// For a directory, the directory holding it (the root is its own
    /// parent). Unused for other inodes.
    pub parent: Ino,
    /// Which version of the content this is: the VFS gives every new inode
    /// and every change of a file's bytes a number no other content had,
    /// so equal versions mean equal bytes (the image cache relies on it).
    pub version: u64,
    /// Last access (`st_atime`): set at creation and by `utimensat`
    /// (reads do not change it, as with Linux's `noatime`).
    pub atime: Timespec,
    /// Last change of the data (`st_mtime`): creation, writes,
    /// truncation, entries added or removed, `utimensat`.
    pub mtime: Timespec,
    /// Last change of the inode (`st_ctime`): as `mtime`, and links,
    /// mode and owner changes.
    pub ctime: Timespec,
}

impl Inode {
    /// An inode with one link and no pins.
    pub fn new(content: Content, perm: u32, uid: u32, gid: u32, parent: Ino) -> Inode {
        Inode {
            content,
            perm: perm & S_IALLUGO,
            uid,
            gid,
            nlink: 1,
            pins: 0,
            parent,
            version: 0,
            atime: Timespec::default(),
            mtime: Timespec::default(),
            ctime: Timespec::default(),
        }
    }

    /// `S_IFDIR`, `S_IFREG` or `S_IFCHR`.
    pub fn type_bits(&self) -> u32 {
        match self.content {
            Content::Dir(_) => S_IFDIR,
            Content::File(_) => S_IFREG,
            Content::Device(_) => S_IFCHR,
        }
    }

    /// The full `st_mode`: type and permission bits.
    pub fn mode(&self) -> u32 {
        self.type_bits() | self.perm
    }

    /// Whether this is a directory.
    pub fn is_dir(&self) -> bool {
        matches!(self.content, Content::Dir(_))
    }

    /// Whether this is a regular file.
    pub fn is_file(&self) -> bool {
        matches!(self.content, Content::File(_))
    }

    /// Size in bytes: a file's length, 0 for directories and devices.
    pub fn size(&self) -> u64 {
        match &self.content {
            Content::File(data) => data.len() as u64,
            _ => 0,
        }
    }

    /// A directory's entries, or `None` for any other inode.
    pub fn entries(&self) -> Option<&Entries> {
        match &self.content {
            Content::Dir(entries) => Some(entries),
            _ => None,
        }
    }

    /// Whether nothing refers to the inode any more.
    pub fn is_unused(&self) -> bool {
        self.nlink == 0 && self.pins == 0
    }
}
