//! The file system calls' numbers and structures: `fcntl` commands and
//! `struct flock`, the `*at` flags, mode bits, `lseek` and `access`
//! values, name and pipe limits, `struct stat`, `struct statfs` and the
//! `getdents64` record.

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout};

/// `open` flags and `fcntl` values (Linux x86_64 numbering). The open flags
/// and `FD_CLOEXEC` are libspawn's (`addopen` records carry them); the
/// `fcntl` commands are the kernel's.
pub mod fcntl {
    pub use libspawn::abi::fcntl::*;

    /// `fcntl`: duplicate to the lowest free descriptor >= arg.
    pub const F_DUPFD: i32 = 0;
    /// `fcntl`: get descriptor flags.
    pub const F_GETFD: i32 = 1;
    /// `fcntl`: set descriptor flags.
    pub const F_SETFD: i32 = 2;
    /// `fcntl`: get status flags.
    pub const F_GETFL: i32 = 3;
    /// `fcntl`: set status flags.
    pub const F_SETFL: i32 = 4;
    /// `fcntl`: report a record lock that would block a [`super::Flock`].
    pub const F_GETLK: i32 = 5;
    /// `fcntl`: set or clear a record lock; EAGAIN on a conflict.
    pub const F_SETLK: i32 = 6;
    /// `fcntl`: set or clear a record lock, waiting out a conflict.
    pub const F_SETLKW: i32 = 7;
    /// `fcntl`: duplicate like F_DUPFD, with FD_CLOEXEC set.
    pub const F_DUPFD_CLOEXEC: i32 = 1030;
    /// `l_type`: a read (shared) lock.
    pub const F_RDLCK: i16 = 0;
    /// `l_type`: a write (exclusive) lock.
    pub const F_WRLCK: i16 = 1;
    /// `l_type`: no lock (unlock; F_GETLK's "nothing in the way").
    pub const F_UNLCK: i16 = 2;
}

/// The `*at` calls' directory argument and flags (Linux values).
pub mod at {
    /// Resolve relative paths against the working directory.
    pub const AT_FDCWD: i32 = -100;
    /// Do not follow a final symbolic link (there are none: no effect).
    pub const AT_SYMLINK_NOFOLLOW: i32 = 0x100;
    /// `unlinkat`: remove a directory, as `rmdir`.
    pub const AT_REMOVEDIR: i32 = 0x200;
    /// `faccessat2`: check with the effective ids.
    pub const AT_EACCESS: i32 = 0x200;
    /// `linkat`: follow a final symbolic link (there are none: no effect).
    pub const AT_SYMLINK_FOLLOW: i32 = 0x400;
    /// An empty path names the directory descriptor itself.
    pub const AT_EMPTY_PATH: i32 = 0x1000;
    /// `utimensat`: set this time to the current time.
    pub const UTIME_NOW: i64 = (1 << 30) - 1;
    /// `utimensat`: leave this time alone.
    pub const UTIME_OMIT: i64 = (1 << 30) - 2;
}

/// Linux x86_64's `struct flock` (32 bytes), for F_GETLK, F_SETLK and
/// F_SETLKW.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Flock {
    /// F_RDLCK, F_WRLCK or F_UNLCK.
    pub l_type: i16,
    /// What `l_start` counts from: a [`seek`] value.
    pub l_whence: i16,
    /// Padding (Linux's layout).
    pub pad0: u32,
    /// First byte of the range, from `l_whence`.
    pub l_start: i64,
    /// Bytes in the range; 0 is "to the end of the file and beyond", a
    /// negative length ends the range just before `l_start`.
    pub l_len: i64,
    /// F_GETLK: the process holding the lock in the way.
    pub l_pid: i32,
    /// Padding (Linux's layout).
    pub pad1: u32,
}

const _: () = assert!(core::mem::size_of::<Flock>() == 32);

/// Linux x86_64's `struct statfs` (120 bytes), as `statfs` and `fstatfs`
/// write it.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Statfs {
    /// The file system's magic number ([`statfs`]).
    pub f_type: i64,
    /// Optimal transfer block size.
    pub f_bsize: i64,
    /// Blocks in the file system, in `f_frsize` units.
    pub f_blocks: u64,
    /// Free blocks.
    pub f_bfree: u64,
    /// Free blocks an unprivileged user may use.
    pub f_bavail: u64,
    /// Inodes in the file system.
    pub f_files: u64,
    /// Free inodes.
    pub f_ffree: u64,
    /// File system id.
    pub f_fsid: [i32; 2],
    /// Longest file name.
    pub f_namelen: i64,
    /// Fragment size.
    pub f_frsize: i64,
    /// Mount flags ([`statfs::ST_VALID`] and others).
    pub f_flags: i64,
    /// Reserved (always 0).
    pub f_spare: [i64; 4],
}

const _: () = assert!(core::mem::size_of::<Statfs>() == 120);

/// `statfs` values (Linux's).
pub mod statfs {
    /// `f_type` of a ramfs, the kernel's file system.
    pub const RAMFS_MAGIC: i64 = 0x8584_58f6;
    /// `f_type` of pipes.
    pub const PIPEFS_MAGIC: i64 = 0x5049_5045;
    /// `f_flags`: the flags are valid.
    pub const ST_VALID: i64 = 0x0020;
}

/// `getdents64` records: `struct linux_dirent64` is `d_ino` (u64), `d_off`
/// (i64), `d_reclen` (u16), `d_type` (u8), then the NUL-terminated name,
/// the whole padded to a multiple of 8 bytes.
pub mod dirent {
    /// Bytes before the name.
    pub const HEADER_SIZE: usize = 19;
    /// Offset of `d_off`.
    pub const D_OFF_OFFSET: usize = 8;
    /// Offset of `d_reclen`.
    pub const D_RECLEN_OFFSET: usize = 16;
    /// Offset of `d_type`.
    pub const D_TYPE_OFFSET: usize = 18;
    /// Records are padded to a multiple of this.
    pub const RECORD_ALIGN: usize = 8;
    /// `d_type`: unknown.
    pub const DT_UNKNOWN: u8 = 0;
    /// `d_type`: FIFO.
    pub const DT_FIFO: u8 = 1;
    /// `d_type`: character device.
    pub const DT_CHR: u8 = 2;
    /// `d_type`: directory.
    pub const DT_DIR: u8 = 4;
    /// `d_type`: regular file.
    pub const DT_REG: u8 = 8;

    /// The length of a record naming `name_len` bytes: header, name, NUL,
    /// padding.
    pub const fn record_len(name_len: usize) -> usize {
        (HEADER_SIZE + name_len + 1).div_ceil(RECORD_ALIGN) * RECORD_ALIGN
    }
}

/// Longest file name component, in bytes (without NUL). A longer component
/// is ENAMETOOLONG.
pub const NAME_MAX: usize = 255;

/// Most entries of one `readv` or `writev` array (Linux's `UIO_MAXIOV`);
/// more is EINVAL.
pub const IOV_MAX: usize = 1024;

/// Writes to a pipe of at most this many bytes are atomic (never
/// interleaved with other writers, never partial).
pub const PIPE_BUF: usize = 4096;

/// File type and permission bits of `st_mode` and of `open`/`mkdir`/`chmod`
/// modes (Linux values).
pub mod mode {
    /// Mask of the file type bits.
    pub const S_IFMT: u32 = 0o170000;
    /// Regular file.
    pub const S_IFREG: u32 = 0o100000;
    /// Directory.
    pub const S_IFDIR: u32 = 0o040000;
    /// Character device.
    pub const S_IFCHR: u32 = 0o020000;
    /// FIFO (pipe).
    pub const S_IFIFO: u32 = 0o010000;
    /// Set-user-ID on execution.
    pub const S_ISUID: u32 = 0o4000;
    /// Set-group-ID on execution.
    pub const S_ISGID: u32 = 0o2000;
    /// Sticky bit: in a directory, only a file's owner, the directory's
    /// owner or root may remove or rename it.
    pub const S_ISVTX: u32 = 0o1000;
    /// Owner read, write, execute/search.
    pub const S_IRWXU: u32 = 0o700;
    /// Owner read.
    pub const S_IRUSR: u32 = 0o400;
    /// Owner write.
    pub const S_IWUSR: u32 = 0o200;
    /// Owner execute/search.
    pub const S_IXUSR: u32 = 0o100;
    /// Group read, write, execute/search.
    pub const S_IRWXG: u32 = 0o070;
    /// Group read.
    pub const S_IRGRP: u32 = 0o040;
    /// Group write.
    pub const S_IWGRP: u32 = 0o020;
    /// Group execute/search.
    pub const S_IXGRP: u32 = 0o010;
    /// Others read, write, execute/search.
    pub const S_IRWXO: u32 = 0o007;
    /// Others read.
    pub const S_IROTH: u32 = 0o004;
    /// Others write.
    pub const S_IWOTH: u32 = 0o002;
    /// Others execute/search.
    pub const S_IXOTH: u32 = 0o001;
    /// Every bit `chmod` may set: permissions plus set-id and sticky bits.
    pub const S_IALLUGO: u32 = 0o7777;
}

/// `poll` event bits (`events` and `revents` of [`Pollfd`]).
pub mod poll {
    /// Data may be read without blocking.
    pub const POLLIN: i16 = 0x1;
    /// Urgent data may be read (never set here: no such data exists).
    pub const POLLPRI: i16 = 0x2;
    /// Data may be written without blocking.
    pub const POLLOUT: i16 = 0x4;
    /// An error condition (a pipe's write end without readers); always
    /// reported, whatever `events` asks.
    pub const POLLERR: i16 = 0x8;
    /// Hang-up (a pipe's read end without writers); always reported.
    pub const POLLHUP: i16 = 0x10;
    /// The descriptor is not open; always reported.
    pub const POLLNVAL: i16 = 0x20;
    /// As POLLIN for the files this kernel has.
    pub const POLLRDNORM: i16 = 0x40;
    /// As POLLOUT for the files this kernel has.
    pub const POLLWRNORM: i16 = 0x100;
}

/// Linux's `struct pollfd` (8 bytes), an element of `poll`'s array.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Pollfd {
    /// The descriptor; a negative one is ignored (`revents` 0).
    pub fd: i32,
    /// The events asked for.
    pub events: i16,
    /// The events that hold, written by the kernel.
    pub revents: i16,
}

const _: () = assert!(core::mem::size_of::<Pollfd>() == 8);

/// `pselect6`'s sixth argument: the signal mask for the wait and its
/// size (Linux passes the two in one structure: the call has no seventh
/// argument).
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct SigmaskArgument {
    /// The mask's address; 0 keeps the caller's mask.
    pub mask: u64,
    /// The mask's size in bytes: 8.
    pub size: u64,
}

const _: () = assert!(core::mem::size_of::<SigmaskArgument>() == 16);

/// `lseek` whence values.
pub mod seek {
    /// The offset is set to `offset`.
    pub const SEEK_SET: i32 = 0;
    /// The offset is set to the current offset plus `offset`.
    pub const SEEK_CUR: i32 = 1;
    /// The offset is set to the file size plus `offset`.
    pub const SEEK_END: i32 = 2;
}

/// `access` mode bits.
pub mod access {
    /// Test for existence.
    pub const F_OK: i32 = 0;
    /// Test for execute (search) permission.
    pub const X_OK: i32 = 1;
    /// Test for write permission.
    pub const W_OK: i32 = 2;
    /// Test for read permission.
    pub const R_OK: i32 = 4;
}

/// Linux x86_64's `struct stat` (144 bytes), as `stat` and `fstat` write
/// it.
#[repr(C)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, FromBytes, IntoBytes, Immutable, KnownLayout,
)]
pub struct Stat {
    /// Device holding the file.
    pub st_dev: u64,
    /// Inode number.
    pub st_ino: u64,
    /// Number of hard links.
    pub st_nlink: u64,
    /// File type and mode bits.
    pub st_mode: u32,
    /// Owner's user id.
    pub st_uid: u32,
    /// Owner's group id.
    pub st_gid: u32,
    /// Padding (always 0).
    pub pad0: u32,
    /// Device number, for a device special file.
    pub st_rdev: u64,
    /// Size in bytes.
    pub st_size: i64,
    /// Preferred I/O block size.
    pub st_blksize: i64,
    /// Number of 512-byte blocks allocated.
    pub st_blocks: i64,
    /// Last access time, seconds.
    pub st_atime: i64,
    /// Last access time, nanoseconds.
    pub st_atime_nsec: i64,
    /// Last modification time, seconds.
    pub st_mtime: i64,
    /// Last modification time, nanoseconds.
    pub st_mtime_nsec: i64,
    /// Last status change time, seconds.
    pub st_ctime: i64,
    /// Last status change time, nanoseconds.
    pub st_ctime_nsec: i64,
    /// Reserved (always 0).
    pub unused: [i64; 3],
}

/// Size of [`Stat`] in bytes, as Linux x86_64 defines `struct stat`.
pub const STAT_SIZE: usize = 144;

const _: () = assert!(core::mem::size_of::<Stat>() == STAT_SIZE);
